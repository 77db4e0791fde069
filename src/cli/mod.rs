//! The command line: the only place with clap, standard output and exit statuses. One file
//! (or folder) per subcommand; each has `Args` and a `run`, which reads the flags into a
//! request, calls the use case in `polltrack::app` and prints the result.

mod add;
mod chart;
mod delete;
mod demo;
mod edit;
mod export;
mod filters;
mod hints;
mod history;
mod house_effects;
mod import;
mod init;
mod kind;
mod list;
mod method;
mod output;
mod output_file;
mod pollster;
mod question;
mod session;
mod show;
mod simulate;
mod source;
mod trend;
mod values;

pub use hints::with_hint;
pub use session::{Ctx, run};

use clap::{Parser, Subcommand};
use polltrack::Result;
use polltrack::db::Access;
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

/// Runs one command.
async fn dispatch(ctx: &mut Ctx, command: Command) -> Result<()> {
    match command {
        Command::Init(args) => init::run(ctx, args).await,
        Command::Add(args) => add::run(ctx, args).await,
        Command::List(args) => list::run(ctx, args).await,
        Command::Show(args) => show::run(ctx, args).await,
        Command::Edit(args) => edit::run(ctx, args).await,
        Command::Delete(args) => delete::run(ctx, args).await,
        Command::History(args) => history::run(ctx, args).await,
        Command::Import(args) => import::run(ctx, args).await,
        Command::Export(args) => export::run(ctx, args).await,
        Command::Source(command) => source::run(ctx, command).await,
        Command::Question(command) => question::run(ctx, command).await,
        Command::Pollster(command) => pollster::run(ctx, command).await,
        Command::Trend(args) => trend::run(ctx, args).await,
        Command::HouseEffects(args) => house_effects::run(ctx, args).await,
        Command::Simulate(args) => simulate::run(ctx, args).await,
        Command::Chart(args) => chart::run(ctx, args).await,
        Command::Demo(args) => demo::run(ctx, args).await,
    }
}
