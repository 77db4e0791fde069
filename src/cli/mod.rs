//! The command line: the only place with clap, standard output and exit statuses. One file
//! (or folder) per subcommand; each has `Args` and a `run`, which reads the flags into a
//! request, calls the use case in `polltrack::app` and prints the result.

mod add;
mod chart;
mod command;
mod completions;
mod copy;
mod database;
mod delete;
mod demo;
mod dump;
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
mod load;
mod method;
mod names;
mod output;
mod output_file;
mod pollster;
mod question;
mod reason;
mod restore;
mod serve;
mod session;
mod show;
mod simulate;
mod source;
mod trend;
mod undo;
mod values;

pub use hints::with_hint;
pub use session::{Ctx, run};

use clap::Parser;
use command::Command;
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
                  file (polls.db in the current directory unless --db says otherwise), or in a \
                  PostgreSQL database a team shares (--db postgres://USER@HOST/DATABASE).",
    after_help = "Examples:\n  \
        polltrack add --pollster \"Gallup Korea\" --question kr-gsomia \\\n    \
          --wording \"Do you support or oppose the GSOMIA with Japan?\" \\\n    \
          --answer Oppose=59 --published 2016-11-18 --region \"South Korea\"\n  \
        polltrack list --question kr-gsomia\n  \
        polltrack show 1\n\n\
        Environment:\n  \
        POLLTRACK_DB  the database (file or postgres:// URL), when --db is not given\n\n\
        Exit status: 0 success, 1 failure (database or file), 2 usage error,\n\
        3 invalid data, 4 not found, 5 conflict with stored data."
)]
pub struct Cli {
    /// The database: a file, or a PostgreSQL URL (postgres://USER@HOST:PORT/DATABASE)
    // The value of POLLTRACK_DB is never shown in help: a URL may hold a password.
    #[arg(long, global = true, env = ENV_DB, hide_env_values = true, default_value = "polls.db",
          value_name = "PATH|URL")]
    db: PathBuf,

    /// Why this change is made, kept with it in the history (commands that change stored data)
    #[arg(long, global = true, value_name = "TEXT")]
    reason: Option<String>,

    #[command(subcommand)]
    command: Command,
}

impl Cli {
    /// Whether the command serves requests until stopped (and so runs on every core).
    pub fn serves(&self) -> bool {
        self.command.serves()
    }
}
