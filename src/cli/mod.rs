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
use polltrack::db::{Access, Db};
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

pub async fn run(cli: Cli) -> Result<()> {
    let created = !cli.db.exists();
    let mut ctx = Ctx {
        created,
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
    let flushed = ctx.out.flush();
    if let Some(db) = ctx.db.take() {
        db.close().await;
        // A command that failed, or only tried, leaves things as they were: no new database.
        if (result.is_err() || ctx.dry_run) && ctx.created {
            remove_database(&ctx.path);
        }
    }
    result.and(flushed)
}

fn remove_database(path: &std::path::Path) {
    for suffix in ["", "-wal", "-shm", "-journal"] {
        let mut file = path.as_os_str().to_owned();
        file.push(suffix);
        // Best effort: the file was created by this command moments ago.
        let _ = std::fs::remove_file(file);
    }
}

/// What a command runs with: the database, opened only once the command's own arguments have
/// been checked (so bad input never creates or touches a file), and the output.
pub struct Ctx {
    path: PathBuf,
    /// Whether the database file did not exist before this command.
    created: bool,

    access: Access,
    db: Option<Db>,
    out: output::Out,
    /// Set by a command that writes nothing it opens (`import --dry-run`).
    dry_run: bool,
}

impl Ctx {
    async fn db(&mut self) -> Result<&Db> {
        if self.db.is_none() {
            self.db = Some(Db::open(&self.path, self.access).await?);
        }
        self.db
            .as_ref()
            .ok_or_else(|| polltrack::Error::Failed("database not open".into()))
    }
}
