//! Whole `polltrack` processes measured: wall time and peak memory.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Runs a command to the end; returns its wall time and peak memory (maximum resident set).
pub fn measure(command: &mut Command) -> (Duration, u64) {
    let started = Instant::now();
    // Waited for below with wait4, which also gives the child's peak memory.
    #[allow(clippy::zombie_processes)]
    let child = command.stdout(Stdio::null()).spawn().expect("spawn");

    let mut status = 0;
    // SAFETY: an all-zero rusage is a valid value to be overwritten by wait4.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: waits for our own child, writing into the two locals above.
    let pid = unsafe { libc::wait4(child.id() as libc::pid_t, &mut status, 0, &mut usage) };
    let elapsed = started.elapsed();
    assert!(
        pid > 0 && libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0,
        "{command:?} failed"
    );
    (elapsed, usage.ru_maxrss as u64 * 1024)
}

pub fn polltrack(db: &Path) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_polltrack"));
    command.arg("--db").arg(db);
    command
}
