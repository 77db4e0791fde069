//! Every file a command writes for the user (`-o`, `--rejects`, `--truth`, charts) goes through
//! [`Output`]: it never writes over the database or a file the command reads, and it never
//! leaves a file half-written.
//!
//! Before anything is written, the target is compared by identity with the files the command
//! must not lose ([`Protected`]): after following links, the same device and inode, or the
//! same canonical path (for files not there yet). The output is then written to a temporary
//! file in the target's folder and renamed over the target only once complete, so a failure
//! (a full disk, a write error, a kill) leaves the old file as it was.

mod commit;
mod identity;
mod output;
mod protected;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_protected;

pub use output::Output;
pub use protected::Protected;
