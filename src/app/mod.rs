//! The use cases, one function per thing a user does (add, edit, import, export, trend,
//! chart...): typed requests in, typed results out, over the store. The only module that
//! strings `db`, `analysis`, `chart` and `export` together. Nothing here prints or reads the
//! environment: a front door (the command line, a web server) turns its input into a request,
//! calls the use case and shows the result.
//!
//! What is worth telling the user (the population a trend counted, text no font could draw)
//! comes back in the results, in words; what a front door adds (a flag to pass) is its own.
//! Percentages are in points (0 to 100), dates are days, spans of time are in days.

#![warn(missing_docs)]

pub mod chart;
pub mod demo;
pub mod dump;
pub mod export;
pub mod house_effects;
pub mod import;
pub mod names;
pub mod polls;
pub mod registry;
pub mod series;
pub mod simulate;
pub mod trend;

#[cfg(test)]
mod tests;

use crate::error::Result;

/// An output a use case writes to and then keeps, or drops unkept on failure: a file written
/// beside its target and renamed over it, say. Whoever made the output says what keeping it
/// means.
pub trait Commit: std::io::Write {
    /// Makes what was written final (flushed, in place).
    fn commit(self) -> Result<()>;
}
