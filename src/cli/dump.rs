use super::Ctx;
use super::output_file::{Output, Protected};
use polltrack::Result;
use polltrack::app::dump::{Counts, dump};
use std::path::PathBuf;

/// Write the whole database to one file: every poll, source, question, pollster and the
/// history, ids included.
///
/// The file is JSON Lines (see the README's "Dump format"): a header, then one record per
/// line, grouped by kind and in id order, so the same database always gives the same file.
/// `polltrack load FILE` makes a new database equal to this one from it.
#[derive(clap::Args)]
#[command(after_help = "Examples:\n  \
    polltrack dump -o polls.dump.jsonl\n  \
    polltrack dump | gzip > polls.dump.jsonl.gz\n  \
    polltrack --db copy.db load polls.dump.jsonl")]
pub struct Args {
    /// Where to write: a file (written whole or not at all), or - for standard output (the
    /// default)
    #[arg(short = 'o', long = "output", value_name = "FILE", default_value = "-")]
    output: PathBuf,
}

pub async fn run(ctx: &mut Ctx, args: Args) -> Result<()> {
    let to_stdout = args.output.as_os_str() == "-";
    // Checked and opened before the database: a refused output touches nothing.
    let output = Output::create(&args.output, &Protected::database(&ctx.path))?;
    let counts = dump(ctx.db().await?, output).await?;
    if !to_stdout {
        eprintln!("Dumped {} to {}", summary(&counts), args.output.display());
    }
    Ok(())
}

/// What a dump or a load carried, in words.
pub fn summary(counts: &Counts) -> String {
    let count = |n: usize, one: &str, many: &str| match n {
        1 => format!("1 {one}"),
        n => format!("{n} {many}"),
    };
    format!(
        "{}, {} and {} ({})",
        count(counts.polls, "poll", "polls"),
        count(counts.sources, "source", "sources"),
        count(counts.changes, "history entry", "history entries"),
        count(counts.records, "record", "records"),
    )
}
