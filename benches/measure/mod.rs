//! Whole `polltrack` processes measured: wall time and peak memory.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Runs a command to the end; returns its wall time and peak memory (maximum resident set).
pub fn measure(command: &mut Command) -> (Duration, u64) {
    use wait4::Wait4;
    let started = Instant::now();
    let mut child = command.stdout(Stdio::null()).spawn().expect("spawn");
    // wait4 reaps the child as `wait` does, and keeps its peak memory.
    let used = child.wait4().expect("wait");
    let elapsed = started.elapsed();
    assert!(used.status.success(), "{command:?} failed");
    (elapsed, used.rusage.maxrss)
}

pub fn polltrack(db: &Path) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_polltrack"));
    command.arg("--db").arg(db);
    command
}
