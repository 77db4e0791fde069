use super::Ctx;
use super::filters::SeriesFilterArgs;
use super::output_file::{Output, Protected, finish_csv};
use clap::ValueEnum;
use clap::builder::RangedU64ValueParser;
use polltrack::analysis::{self, LoessWeights, Method, TrendOptions, limits};
use polltrack::db::prelude::*;
use polltrack::model::format_date;
use polltrack::{Error, Result};
use serde::Serialize;
use std::ops::RangeInclusive;
use std::path::PathBuf;

/// `trend --json`: the trend with what was estimated and noted along the way.
#[derive(Serialize)]
struct TrendJson<'a> {
    question: &'a str,
    method: Method,
    answers: &'a [analysis::AnswerTrend],
    notes: &'a [String],
}

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
    polltrack trend approval-trump --weights none --span 0.3 --at-polls\n  \
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

/// The options of the trend methods, shared with the commands built on them. Each number has
/// a valid range (see `analysis::limits`), refused when parsing as a usage error naming the
/// flag and the range.
#[derive(clap::Args)]
pub struct MethodArgs {
    #[arg(long, value_enum, default_value = "kalman")]
    method: MethodName,
    /// latest: days a poll stays in the average (1 to 3650)
    #[arg(long, value_name = "DAYS", default_value_t = 30,
          value_parser = clap::value_parser!(u32)
              .range(i64::from(*limits::WINDOW.start())..=i64::from(*limits::WINDOW.end())))]
    window: u32,
    /// loess: the fraction of polls in each local fit (above 0, at most 1)
    #[arg(long, value_name = "F", default_value_t = 2.0 / 3.0, value_parser = span)]
    span: f64,
    /// loess: robustness passes (0 to 10)
    #[arg(long, value_name = "N", default_value_t = 3,
          value_parser = RangedU64ValueParser::<usize>::new()
              .range(*limits::ITERATIONS.start() as u64..=*limits::ITERATIONS.end() as u64))]
    iterations: usize,
    /// loess: weigh polls by the square root of their sample size (capped at 3,000), or not
    /// at all (as R's lowess)
    #[arg(long, value_enum, default_value = "sample-size")]
    weights: WeightsName,
    /// kalman: the random walk's daily standard deviation in points, 0.001 to 10 (estimated by
    /// maximum likelihood when not given)
    #[arg(long, value_name = "POINTS", value_parser = step)]
    step: Option<f64>,
    /// kalman: the standard deviation of a poll's error beyond sampling error, in points, 0 to
    /// 20 (estimated by maximum likelihood when not given; 0 assumes sampling error alone)
    #[arg(long, value_name = "POINTS", value_parser = poll_noise)]
    poll_noise: Option<f64>,
}

/// A number within `range` (above its start when `open`), or what is wrong with it.
fn number_in(text: &str, range: RangeInclusive<f64>, open: bool) -> Result<f64, String> {
    let (low, high) = (*range.start(), *range.end());
    let within = |x: f64| x <= high && if open { x > low } else { x >= low };
    match text.trim().parse::<f64>() {
        Ok(x) if within(x) => Ok(x),
        _ if open => Err(format!("give a number above {low} and at most {high}")),
        _ => Err(format!("give a number from {low} to {high}")),
    }
}

fn span(text: &str) -> Result<f64, String> {
    number_in(text, 0.0..=limits::SPAN_MAX, true)
}

/// `--step` of trend, chart and house-effects.
pub fn step(text: &str) -> Result<f64, String> {
    number_in(text, limits::STEP, false)
}

fn poll_noise(text: &str) -> Result<f64, String> {
    number_in(text, limits::POLL_NOISE, false)
}

#[derive(Clone, Copy, ValueEnum)]
enum MethodName {
    /// Local linear regression with robustness passes (R's lowess)
    Loess,
    /// The mean of each pollster's latest poll within --window days
    Latest,
    /// A Kalman smoother with pollster house effects
    Kalman,
}

#[derive(Clone, Copy, ValueEnum)]
enum WeightsName {
    SampleSize,
    None,
}

impl MethodArgs {
    pub fn options(&self) -> Result<TrendOptions> {
        let options = TrendOptions {
            method: match self.method {
                MethodName::Loess => Method::Loess,
                MethodName::Latest => Method::Latest,
                MethodName::Kalman => Method::Kalman,
            },
            window: self.window,
            span: self.span,
            iterations: self.iterations,
            weights: match self.weights {
                WeightsName::SampleSize => LoessWeights::SampleSize,
                WeightsName::None => LoessWeights::None,
            },
            step: self.step,
            poll_noise: self.poll_noise,
        };
        options.check()?;
        Ok(options)
    }
}

/// Reads a question's polls and chooses those that count, by the question's kind; no polls is
/// an error. What the choice is worth telling is printed as warnings.
pub async fn selection(
    ctx: &mut Ctx,
    filter: &polltrack::db::SeriesFilter,
) -> Result<analysis::Selection> {
    let db = ctx.db().await?;
    let results = db.poll_results(filter).await?;
    let kind = db.question_kind(&filter.question).await?;
    let selection = analysis::selection::select_of_kind(&results, kind);
    for note in &selection.notes {
        eprintln!("warning: question {}: {note}", filter.question.trim());
    }
    // Freeing a long series takes a visible moment, which the trend need not wait for.
    // Should no thread be had, the results are dropped here after all.
    let _ = std::thread::Builder::new().spawn(move || drop(results));
    if selection.answers.is_empty() {
        return Err(Error::not_found(format!(
            "no polls of question {} match: `polltrack list --question {}` shows them",
            filter.question, filter.question
        )));
    }
    Ok(selection)
}

pub async fn run(ctx: &mut Ctx, args: Args) -> Result<()> {
    let options = args.method.options()?;
    if args.as_of && args.at_polls {
        return Err(Error::Usage(
            "--as-of and --at-polls do not combine: --as-of gives every day's estimate as it \
             stood that day, --at-polls the retrospective fit at each poll's date; choose one"
                .into(),
        ));
    }
    if args.as_of {
        analysis::as_of::check(&options)?;
    }
    let filter = args.filter.filter(&args.question)?;
    // Checked and opened before the database: a refused output touches nothing.
    let output = match args.json {
        true => None,
        false => Some(Output::create(
            &args.output,
            &Protected::database(&ctx.path),
        )?),
    };
    let selection = selection(ctx, &filter).await?;
    let trends = if args.as_of {
        analysis::as_of_trends(&selection, &options)?
    } else if args.at_polls {
        analysis::trends_at_polls(&selection, &options)
    } else {
        analysis::daily_trends(&selection, &options)
    };
    for note in &trends.notes {
        eprintln!("warning: {note}");
    }
    let Some(output) = output else {
        return ctx.out.json(&TrendJson {
            question: filter.question.trim(),
            method: options.method,
            answers: &trends.answers,
            notes: &trends.notes,
        });
    };
    let mut csv = polltrack::csv_format::writer(output);
    csv.write_record(["date", "answer", "estimate", "low", "high", "polls"])
        .map_err(polltrack::export::write_error)?;
    for trend in &trends.answers {
        for point in &trend.points {
            csv.write_record([
                format_date(point.date),
                trend.answer.clone(),
                format!("{:.6}", point.estimate),
                point
                    .low
                    .map_or_else(String::new, |low| format!("{low:.6}")),
                point
                    .high
                    .map_or_else(String::new, |high| format!("{high:.6}")),
                point.polls.to_string(),
            ])
            .map_err(polltrack::export::write_error)?;
        }
    }
    finish_csv(csv)
}
