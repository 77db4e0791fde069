use super::Ctx;
use super::filters::SeriesFilterArgs;
use super::output::{finish_csv, open_output};
use polltrack::analysis::{Z95, kalman};
use polltrack::{Error, Result};
use serde::Serialize;
use std::path::PathBuf;

/// Estimate each pollster's house effect: how far its polls lean from the average, per answer.
///
/// Fitted with the Kalman smoother of `trend --method kalman`: effects sum to zero over the
/// pollsters of each answer, and are shrunk towards zero for pollsters with few polls. Each comes
/// with a 95% interval and the number of polls it rests on.
#[derive(clap::Args)]
#[command(after_help = "Examples:\n  \
    polltrack house-effects approval-trump\n  \
    polltrack house-effects approval-trump --since 2019-01-01 --json\n  \
    polltrack house-effects approval-trump -o house-effects.csv")]
pub struct Args {
    /// The question's slug
    question: String,
    #[command(flatten)]
    filter: SeriesFilterArgs,
    /// The random walk's daily standard deviation in points (estimated when not given)
    #[arg(long, value_name = "POINTS")]
    step: Option<f64>,
    /// Print JSON, for scripts
    #[arg(long, conflicts_with = "output")]
    json: bool,
    /// Write CSV to this file (- for standard output) instead of printing a table
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    output: Option<PathBuf>,
}

#[derive(Serialize)]
struct Row {
    pollster: String,
    answer: String,
    effect: f64,
    low: f64,
    high: f64,
    polls: usize,
}

pub async fn run(ctx: &mut Ctx, args: Args) -> Result<()> {
    if let Some(step) = args.step
        && !(step > 0.0 && step.is_finite())
    {
        return Err(Error::Invalid(format!(
            "--step {step} is not a positive number of points a day: give e.g. --step 0.2, or \
             leave it out to estimate it"
        )));
    }
    let filter = args.filter.filter(&args.question)?;
    let selection = super::trend::selection(ctx, &filter).await?;
    let mut rows = Vec::new();
    for series in &selection.answers {
        let fit = kalman::fit(
            series,
            selection.pollsters.len(),
            kalman::KalmanOptions {
                step: args.step,
                poll_noise: None,
            },
        );
        for (pollster, effect) in selection.pollsters.iter().zip(&fit.house_effects) {
            if effect.polls == 0 {
                continue;
            }
            rows.push(Row {
                pollster: pollster.clone(),
                answer: series.answer.clone(),
                effect: effect.effect,
                low: effect.effect - Z95 * effect.standard_error,
                high: effect.effect + Z95 * effect.standard_error,
                polls: effect.polls,
            });
        }
    }
    rows.sort_by(|a, b| {
        (a.pollster.to_lowercase(), &a.answer).cmp(&(b.pollster.to_lowercase(), &b.answer))
    });
    if args.json {
        return ctx.out.json(&rows);
    }
    if let Some(path) = &args.output {
        let mut csv = polltrack::csv_format::writer(open_output(path)?);
        csv.write_record(["pollster", "answer", "effect", "low", "high", "polls"])
            .map_err(polltrack::export::write_error)?;
        for row in &rows {
            csv.write_record([
                row.pollster.clone(),
                row.answer.clone(),
                format!("{:.4}", row.effect),
                format!("{:.4}", row.low),
                format!("{:.4}", row.high),
                row.polls.to_string(),
            ])
            .map_err(polltrack::export::write_error)?;
        }
        return finish_csv(csv);
    }
    let table: Vec<Vec<String>> = rows
        .iter()
        .map(|r| {
            vec![
                r.pollster.clone(),
                r.answer.clone(),
                format!("{:+.2}", r.effect),
                format!("{:+.2} to {:+.2}", r.low, r.high),
                r.polls.to_string(),
            ]
        })
        .collect();
    ctx.out.table(
        &["POLLSTER", "ANSWER", "EFFECT", "95% INTERVAL", "POLLS"],
        &table,
    )
}
