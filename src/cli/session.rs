//! A command's run: the database opened when the command first needs it, and published (or
//! discarded) with what the command printed once it ends.

use super::command::dispatch;
use super::{Cli, output};
use clap::Parser;
use polltrack::Result;
use polltrack::db::{Access, Database, Location};
use std::path::PathBuf;

/// How many times a command that lost the race to create a new database runs again against
/// the one created meanwhile.
const RUNS_AFTER_LOST_CREATION: u32 = 3;

pub async fn run(mut cli: Cli) -> Result<()> {
    if let Location::File(path) = Location::parse(&cli.db)? {
        super::database::check_db_path(&path)?;
    }
    super::reason::check(cli.reason.as_deref(), cli.command.access())?;
    let mut runs = 0;
    loop {
        // Input read from standard input is gone after the first run.
        let repeatable = !cli.command.reads_stdin();
        match run_once(cli).await {
            Ran::Done(result) => return result,
            Ran::LostCreation(e) => {
                runs += 1;
                if !repeatable || runs > RUNS_AFTER_LOST_CREATION {
                    return Err(e);
                }
                // The command wrote only into a database of its own, now removed; it runs
                // again, from the same command line, against the one another process made.
                cli = Cli::parse();
            }
        }
    }
}

enum Ran {
    Done(Result<()>),
    /// The command built a new database, and another process created one at its path first.
    LostCreation(polltrack::Error),
}

async fn run_once(cli: Cli) -> Ran {
    let location = match Location::parse(&cli.db) {
        Ok(location) => location,
        Err(e) => return Ran::Done(Err(e)),
    };
    let mut ctx = Ctx {
        path: match &location {
            Location::File(path) => path.clone(),
            // Nothing on this machine to keep outputs from overwriting.
            Location::Postgres(_) => std::path::PathBuf::new(),
        },
        location,
        access: cli.command.access(),
        db: None,
        out: output::Out::new(),
        dry_run: false,
        reason: cli.reason,
    };
    let result = dispatch(&mut ctx, cli.command).await;
    let Ctx { db, mut out, .. } = ctx;
    let Some(db) = db else {
        return Ran::Done(result.and(out.flush()));
    };
    // A command that failed, or only tried, leaves things as they were: a database it was
    // creating is never published.
    if result.is_err() || ctx.dry_run {
        db.discard().await;
        return Ran::Done(result.and(out.flush()));
    }
    let new = db.is_new();
    match db.close().await {
        Ok(()) => Ran::Done(out.flush()),
        // What it printed is about a database that was never published.
        Err(e) if new && e.kind() == polltrack::ErrorKind::Conflict => {
            out.discard();
            Ran::LostCreation(e)
        }
        Err(e) if new => {
            out.discard();
            Ran::Done(Err(e))
        }
        // Stored, but not all of it in the database file yet.
        Err(e) => {
            eprintln!("warning: {}", super::with_hint(&e.to_string(), e.hint()));
            Ran::Done(out.flush())
        }
    }
}

/// What a command runs with: the database, opened only once the command's own arguments have
/// been checked (so bad input never creates or touches a file), and the output.
pub struct Ctx {
    /// The database file, which outputs must not overwrite (empty for a server's database).
    pub(super) path: PathBuf,
    /// Where the database is, file or server.
    pub(super) location: Location,
    pub(super) access: Access,
    pub(super) db: Option<Database>,
    pub(super) out: output::Out,
    /// Set by a command that writes nothing it opens (`import --dry-run`).
    pub(super) dry_run: bool,
    /// Why the command's changes are made (`--reason`), kept in the history.
    pub(super) reason: Option<String>,
}
