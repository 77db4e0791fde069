use super::Ctx;
use super::filters::SeriesFilterArgs;
use super::method::MethodArgs;
use super::output::warn;
use super::output_file::{Output, Protected};
use polltrack::app::trend::{Days, TrendRequest, trend};
use polltrack::db::SeriesFilter;
use polltrack::model::Warning;
use polltrack::{Error, Result};
use std::path::PathBuf;

/// Estimate how opinion moved: a daily trend of each answer of a question, with a 95% band.
///
/// Prints CSV with the columns date,answer,estimate,low,high,polls: one row per answer per day
/// from the first poll to the last (with --at-polls, one per poll date). Methods: `loess`
/// (local linear regression, R's lowess; the default), `latest` (the mean of each pollster's
/// latest poll within a window) and `kalman` (a daily random walk smoothed with pollster house
/// effects). A poll counts once, at the middle of its field period, with the population
/// preferred for the question's kind (approval, favourability, issue: adults, registered
/// voters, likely voters; vote: likely voters, registered voters, voters, adults; no kind:
/// likely voters, registered voters, adults), or the one --population names; overlapping
/// tracking polls of one pollster are thinned.
#[derive(clap::Args)]
#[command(after_help = "Examples:\n  \
    polltrack trend approval-trump\n  \
    polltrack trend approval-trump --method kalman --since 2019-01-01 -o trend.csv\n  \
    polltrack trend kr-gsomia --method latest --window 60\n  \
    polltrack trend approval-trump --method loess --weights none --span 0.3 \\\n    \
      --at-polls\n  \
    polltrack trend approval-trump --as-of")]
pub struct Args {
    /// The question's slug
    question: String,
    #[command(flatten)]
    method: MethodArgs,
    #[command(flatten)]
    filter: SeriesFilterArgs,
    /// Print the fit at each poll date instead of every day
    #[arg(long)]
    at_polls: bool,
    /// Print JSON, for scripts: each answer's points, and for kalman the step and poll noise
    /// it estimated
    #[arg(long, conflicts_with = "output")]
    json: bool,
    /// Each day's estimate from only the polls known that day (published, else recorded), as
    /// a live average publishes it; kalman and latest only
    #[arg(long)]
    as_of: bool,
    /// Where to write: a file, or - for standard output (the default)
    #[arg(short = 'o', long = "output", value_name = "FILE", default_value = "-")]
    output: PathBuf,
}

/// Tells what choosing a question's polls is worth telling, on standard error.
pub fn warn_selection(question: &str, notes: &[Warning]) {
    let place = format!("question {}", question.trim());
    let notes: Vec<Warning> = notes.iter().map(|note| note.in_context(&place)).collect();
    warn(&notes);
}

pub async fn run(ctx: &mut Ctx, args: Args) -> Result<()> {
    let options = args.method.options()?;
    if args.as_of && args.at_polls {
        return Err(Error::usage(
            "--as-of and --at-polls do not combine: --as-of gives every day's estimate as it \
             stood that day, --at-polls the retrospective fit at each poll's date; choose one",
        ));
    }
    let days = match (args.as_of, args.at_polls) {
        (true, _) => Days::AsOf,
        (_, true) => Days::AtPolls,
        _ => Days::Daily,
    };
    let mut request = TrendRequest {
        filter: SeriesFilter::default(),
        options,
        days,
    };
    request.check()?;
    request.filter = args.filter.filter(&args.question)?;
    // Checked and opened before the database: a refused output touches nothing.
    let output = match args.json {
        true => None,
        false => Some(Output::create(
            &args.output,
            &Protected::database(&ctx.path),
        )?),
    };
    let trend = trend(ctx.db().await?, &request).await?;
    warn_selection(&request.filter.question, &trend.selection_notes);
    warn(&trend.notes);
    match output {
        None => ctx.out.json(&trend),
        Some(output) => polltrack::export::write_trend(output, &trend.answers)?
            .commit_saying(&format!("the trend of {}", trend.question)),
    }
}
