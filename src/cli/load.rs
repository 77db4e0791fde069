use super::Ctx;
use super::dump::summary;
use super::import::open_input;
use polltrack::Result;
use polltrack::app::dump::load;
use std::io::BufReader;
use std::path::PathBuf;

/// Load a dump written by `polltrack dump` into a new or empty database, ids included.
///
/// Everything is loaded in one transaction, or nothing: a database that holds anything
/// already is refused (exit 5), as is a file that is not a dump, a dump of a newer format
/// version, or a malformed line, named by its number (exit 3).
#[derive(clap::Args)]
#[command(after_help = "Examples:\n  \
    polltrack --db restored.db load polls.dump.jsonl\n  \
    gunzip -c polls.dump.jsonl.gz | polltrack --db restored.db load -")]
pub struct Args {
    /// The dump to read, or - for standard input
    file: PathBuf,
}

impl Args {
    pub fn reads_stdin(&self) -> bool {
        self.file.as_os_str() == "-"
    }
}

pub async fn run(ctx: &mut Ctx, args: Args) -> Result<()> {
    // Opened before the database: a missing file creates nothing.
    let (input, name, _) = open_input(&args.file)?;
    let counts = load(
        ctx.db().await?,
        BufReader::with_capacity(1 << 16, input),
        &name,
    )
    .await?;
    eprintln!("Loaded {} from {name}", summary(&counts));
    Ok(())
}
