use super::Ctx;
use super::output_file::{Output, Protected};
use super::values;
use clap::builder::{RangedU64ValueParser, TypedValueParser};
use polltrack::analysis::simulate::{
    MAX_DAYS, MAX_POLLS, MAX_POLLSTERS, MAX_QUESTIONS, SimulationOptions,
};
use polltrack::app::simulate::simulate;
use polltrack::{Error, Result};
use std::path::PathBuf;

/// Write synthetic polls drawn from a known truth, as long-format CSV (ready for `import`).
///
/// Each question has a daily path of opinion for two candidates (the rest undecided); each
/// pollster a house effect per answer (summing to zero over pollsters); each poll a field
/// period of 1-5 days, a sample of 300-3,000 (unrecorded for about 8% of polls), its pollster's
/// population (some likely-voter polls also report registered voters) and binomial sampling
/// error. The same options and seed give the same file, byte for byte. With --truth, the true
/// daily path and house effects are written beside it, to measure how well a trend recovers them.
#[derive(clap::Args)]
#[command(after_help = "Examples:\n  \
    polltrack simulate -o polls.csv --truth truth.csv\n  \
    polltrack simulate --polls 100000 --questions 5 --pollsters 40 \\\n    \
      --start 2015-01-01 --days 3650 --seed 7 | polltrack --db sim.db import -")]
pub struct Args {
    /// Number of polls (1 to 1,000,000)
    #[arg(long, default_value_t = 2_000, value_parser = count(MAX_POLLS))]
    polls: usize,
    /// Number of questions (slugs sim-1, sim-2...; 1 to 100); polls are shared out among them
    #[arg(long, default_value_t = 1, value_parser = count(MAX_QUESTIONS))]
    questions: usize,
    /// Number of pollsters (1 to 1,000)
    #[arg(long, default_value_t = 12, value_parser = count(MAX_POLLSTERS))]
    pollsters: usize,
    /// Days the polls span (1 to 36,525, a hundred years)
    #[arg(long, default_value_t = 730,
          value_parser = clap::value_parser!(u32).range(1..=i64::from(MAX_DAYS)))]
    days: u32,
    /// The first day (YYYY-MM-DD)
    #[arg(long, value_name = "DATE", default_value = "2024-01-01")]
    start: String,
    /// The seed of the random generator
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Where to write the polls: a file, or - for standard output (the default)
    #[arg(short = 'o', long = "output", value_name = "FILE", default_value = "-")]
    output: PathBuf,
    /// Also write the truth here as CSV: kind (path or house_effect), question, date,
    /// pollster, answer, value
    #[arg(long, value_name = "FILE")]
    truth: Option<PathBuf>,
}

/// A count from 1 to `max`, refused at parsing (a usage error naming the flag) beyond it.
pub fn count(max: usize) -> impl TypedValueParser<Value = usize> {
    RangedU64ValueParser::<usize>::new().range(1..=max as u64)
}

pub async fn run(ctx: &mut Ctx, args: Args) -> Result<()> {
    let first_day = values::typed_date("--start", Some(&args.start))?
        .ok_or_else(|| Error::invalid("--start: give a date (YYYY-MM-DD)"))?;
    // Polls past the last day (field periods, publication) run a few days beyond it.
    let last_day = first_day + chrono::Duration::days(i64::from(args.days) + 7);
    let today = polltrack::model::today();
    for (day, what) in [(first_day, "--start"), (last_day, "--start with --days")] {
        if let Some(problem) = polltrack::model::implausible_date(what, day, today) {
            return Err(Error::usage(format!(
                "{problem}: simulated polls must be ones `polltrack import` takes"
            )));
        }
    }
    // Both outputs are checked and opened before anything is written, and never the same
    // file.
    let mut protected = Protected::database(&ctx.path);
    let polls_output = Output::create(&args.output, &protected)?;
    if args.output.as_os_str() != "-" {
        protected.add(&args.output, "the output of -o");
    }
    let truth_output = match &args.truth {
        Some(path) => Some(Output::create(path, &protected)?),
        None => None,
    };
    let options = SimulationOptions {
        polls: args.polls,
        questions: args.questions,
        pollsters: args.pollsters,
        days: args.days,
        first_day,
        seed: args.seed,
        ..Default::default()
    };
    simulate(&options, polls_output, truth_output)
}
