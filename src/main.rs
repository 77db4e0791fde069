//! The `polltrack` binary: parse the command line, run it on a single-threaded runtime (a
//! server's on one thread per core), and turn the outcome into an exit status.

mod cli;

use clap::Parser;
use polltrack::ErrorKind;
use polltrack::model::terminal_safe;
use std::process::ExitCode;

/// Exit statuses, documented in the README. Usage errors from clap itself also exit with 2.
fn exit_code(kind: ErrorKind) -> u8 {
    match kind {
        ErrorKind::OutputClosed => 0,
        ErrorKind::Failed | ErrorKind::Storage => 1,
        ErrorKind::Usage => 2,
        ErrorKind::Invalid => 3,
        ErrorKind::NotFound => 4,
        ErrorKind::Conflict => 5,
    }
}

fn main() -> ExitCode {
    let args = cli::Cli::parse();
    let mut builder = match args.serves() {
        true => tokio::runtime::Builder::new_multi_thread(),
        false => tokio::runtime::Builder::new_current_thread(),
    };
    let runtime = match builder.enable_all().build() {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("polltrack: could not start: {e}");
            return ExitCode::from(1);
        }
    };
    match runtime.block_on(cli::run(args)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            if e.kind() != ErrorKind::OutputClosed {
                let message = cli::with_hint(&e.to_string(), e.hint());
                eprintln!("polltrack: {}", terminal_safe(&message));
            }
            ExitCode::from(exit_code(e.kind()))
        }
    }
}
