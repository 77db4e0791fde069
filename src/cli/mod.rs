//! The command line: the only place with clap, standard output and exit statuses. One file
//! per subcommand; each has `Args` and a `run`.

mod add;
mod chart;
mod delete;
mod demo;
mod edit;
mod export;
mod filters;
mod history;
mod house_effects;
mod import;
mod init;
mod list;
mod output;
mod output_file;
mod pollster;
mod question;
mod show;
mod simulate;
mod source;
mod trend;
mod values;

use clap::{Parser, Subcommand};
use polltrack::Result;
use polltrack::db::{Access, SqliteStore};
use std::path::PathBuf;

/// Every environment variable polltrack reads, named here and in `--help`.
pub const ENV_DB: &str = "POLLTRACK_DB";

#[derive(Parser)]
#[command(
    name = "polltrack",
    version,
    about = "Record public-opinion polls from the news, follow them over time, hand clean data on.",
    long_about = "Record public-opinion polls as they appear in the news: pollster, field dates, \
                  question, population, sample size and the percentage for each answer, each \
                  poll linked to the articles that reported it. The data lives in one SQLite \
                  file (polls.db in the current directory unless --db says otherwise).",
    after_help = "Examples:\n  \
        polltrack add --pollster \"Gallup Korea\" --question kr-gsomia \\\n    \
          --wording \"Do you support or oppose the GSOMIA with Japan?\" \\\n    \
          --answer Oppose=59 --published 2016-11-18 --region \"South Korea\"\n  \
        polltrack list --question kr-gsomia\n  \
        polltrack show 1\n\n\
        Environment:\n  \
        POLLTRACK_DB  the database file, when --db is not given\n\n\
        Exit status: 0 success, 1 failure (database or file), 2 usage error, 3 invalid data,\n\
        4 not found, 5 conflict with stored data."
)]
pub struct Cli {
    /// The database file
    #[arg(long, global = true, env = ENV_DB, default_value = "polls.db", value_name = "PATH")]
    db: PathBuf,

    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    Init(init::Args),
    Add(add::Args),
    List(list::Args),
    Show(show::Args),
    Edit(edit::Args),
    Delete(delete::Args),
    History(history::Args),
    Import(import::Args),
    Export(export::Args),
    #[command(subcommand)]
    Source(source::Command),
    #[command(subcommand)]
    Question(question::Command),
    #[command(subcommand)]
    Pollster(pollster::Command),
    Trend(trend::Args),
    HouseEffects(house_effects::Args),
    Simulate(simulate::Args),
    Chart(chart::Args),
    Demo(demo::Args),
}

impl Command {
    fn reads_stdin(&self) -> bool {
        match self {
            Command::Import(args) => args.reads_stdin(),
            _ => false,
        }
    }

    /// Commands that write create the database when it is missing; the others never do.
    fn access(&self) -> Access {
        let writes = match self {
            Command::Init(_)
            | Command::Add(_)
            | Command::Edit(_)
            | Command::Delete(_)
            | Command::Import(_)
            | Command::Demo(_) => true,
            Command::List(_) | Command::Show(_) | Command::History(_) | Command::Export(_) => false,
            Command::Trend(_)
            | Command::HouseEffects(_)
            | Command::Simulate(_)
            | Command::Chart(_) => false,
            Command::Source(c) => c.writes(),
            Command::Question(c) => c.writes(),
            Command::Pollster(c) => c.writes(),
        };
        if writes {
            Access::Create
        } else {
            Access::ReadExisting
        }
    }
}

/// How many times a command that lost the race to create a new database runs again against
/// the one created meanwhile.
const RUNS_AFTER_LOST_CREATION: u32 = 3;

pub async fn run(mut cli: Cli) -> Result<()> {
    check_db_path(&cli.db)?;
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
    let mut ctx = Ctx {
        path: cli.db,
        access: cli.command.access(),
        db: None,
        out: output::Out::new(),
        dry_run: false,
    };
    let result = match cli.command {
        Command::Init(args) => init::run(&mut ctx, args).await,
        Command::Add(args) => add::run(&mut ctx, args).await,
        Command::List(args) => list::run(&mut ctx, args).await,
        Command::Show(args) => show::run(&mut ctx, args).await,
        Command::Edit(args) => edit::run(&mut ctx, args).await,
        Command::Delete(args) => delete::run(&mut ctx, args).await,
        Command::History(args) => history::run(&mut ctx, args).await,
        Command::Import(args) => import::run(&mut ctx, args).await,
        Command::Export(args) => export::run(&mut ctx, args).await,
        Command::Source(command) => source::run(&mut ctx, command).await,
        Command::Question(command) => question::run(&mut ctx, command).await,
        Command::Pollster(command) => pollster::run(&mut ctx, command).await,
        Command::Trend(args) => trend::run(&mut ctx, args).await,
        Command::HouseEffects(args) => house_effects::run(&mut ctx, args).await,
        Command::Simulate(args) => simulate::run(&mut ctx, args).await,
        Command::Chart(args) => chart::run(&mut ctx, args).await,
        Command::Demo(args) => demo::run(&mut ctx, args).await,
    };
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
            eprintln!("warning: {e}");
            Ran::Done(out.flush())
        }
    }
}

/// Names SQLite would not take as a plain file (`:memory:` keeps nothing once the command
/// ends) are refused before anything runs.
fn check_db_path(path: &std::path::Path) -> Result<()> {
    let name = path.to_string_lossy();
    if name.is_empty()
        || name.starts_with(':')
        || name
            .get(..5)
            .is_some_and(|p| p.eq_ignore_ascii_case("file:"))
    {
        return Err(polltrack::Error::Usage(format!(
            "--db \"{name}\" names no file polltrack could keep polls in (SQLite takes names \
             such as :memory: and file: URIs specially): give the path of a database file"
        )));
    }
    Ok(())
}

/// What a command runs with: the database, opened only once the command's own arguments have
/// been checked (so bad input never creates or touches a file), and the output.
pub struct Ctx {
    path: PathBuf,
    access: Access,
    db: Option<SqliteStore>,
    out: output::Out,
    /// Set by a command that writes nothing it opens (`import --dry-run`).
    dry_run: bool,
}

impl Ctx {
    async fn db(&mut self) -> Result<&SqliteStore> {
        if self.db.is_none() {
            // A dry run on a missing file tries against a database in memory: no file at all.
            let db = if self.dry_run && std::fs::symlink_metadata(&self.path).is_err() {
                SqliteStore::open_scratch(&self.path).await?
            } else if self.dry_run {
                // A dry run never upgrades the schema either: a file that needs it is refused
                // as a command that reads refuses it, unchanged.
                SqliteStore::open(&self.path, Access::ReadExisting)
                    .await?
                    .close()
                    .await?;
                SqliteStore::open(&self.path, self.access).await?
            } else {
                SqliteStore::open(&self.path, self.access).await?
            };
            self.db = Some(db);
        }
        self.db
            .as_ref()
            .ok_or_else(|| polltrack::Error::Failed("database not open".into()))
    }
}
