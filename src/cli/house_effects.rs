use super::Ctx;
use super::filters::SeriesFilterArgs;
use super::output_file::{Output, Protected, finish_csv};
use polltrack::Result;
use polltrack::analysis::{Z95, kalman};
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
    /// The random walk's daily standard deviation in points, 0.001 to 10 (estimated when not
    /// given)
    #[arg(long, value_name = "POINTS", value_parser = super::trend::step)]
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
    /// `None` (with `low` and `high`) when the answer's polls are all one pollster's: its lean
    /// cannot be told from the level.
    effect: Option<f64>,
    low: Option<f64>,
    high: Option<f64>,
    polls: usize,
    /// The answer's random walk step (points a day) and non-sampling poll noise (points), as
    /// estimated with the effects.
    step: f64,
    poll_noise: f64,
}

pub async fn run(ctx: &mut Ctx, args: Args) -> Result<()> {
    let filter = args.filter.filter(&args.question)?;
    // Checked and opened before the database: a refused output touches nothing.
    let output = match &args.output {
        Some(path) => Some(Output::create(path, &Protected::database(&ctx.path))?),
        None => None,
    };
    let selection = super::trend::selection(ctx, &filter).await?;
    let mut rows = Vec::new();
    let mut models = Vec::new();
    for series in &selection.answers {
        let fit = kalman::fit(
            series,
            selection.pollsters.len(),
            kalman::KalmanOptions {
                step: args.step,
                poll_noise: None,
            },
        );
        if fit.pollsters < 2 {
            eprintln!(
                "note: {}: every poll is by one pollster, so no house effect can be told from \
                 the level; it takes polls by two pollsters or more",
                series.answer
            );
        }
        models.push(format!(
            "{}: step {:.3} points a day, poll noise beyond sampling error {:.2} points",
            series.answer, fit.step, fit.poll_noise
        ));
        for (pollster, effect) in selection.pollsters.iter().zip(&fit.house_effects) {
            if effect.polls == 0 {
                continue;
            }
            let estimated = fit.pollsters > 1;
            rows.push(Row {
                pollster: pollster.clone(),
                answer: series.answer.clone(),
                effect: estimated.then_some(effect.effect),
                low: estimated.then_some(effect.effect - Z95 * effect.standard_error),
                high: estimated.then_some(effect.effect + Z95 * effect.standard_error),
                polls: effect.polls,
                step: fit.step,
                poll_noise: fit.poll_noise,
            });
        }
    }
    rows.sort_by(|a, b| {
        (a.pollster.to_lowercase(), &a.answer).cmp(&(b.pollster.to_lowercase(), &b.answer))
    });
    if args.json {
        return ctx.out.json(&rows);
    }
    let decimals = |value: Option<f64>| value.map_or_else(String::new, |v| format!("{v:.4}"));
    if let Some(output) = output {
        let mut csv = polltrack::csv_format::writer(output);
        csv.write_record(["pollster", "answer", "effect", "low", "high", "polls"])
            .map_err(polltrack::export::write_error)?;
        for row in &rows {
            csv.write_record([
                row.pollster.clone(),
                row.answer.clone(),
                decimals(row.effect),
                decimals(row.low),
                decimals(row.high),
                row.polls.to_string(),
            ])
            .map_err(polltrack::export::write_error)?;
        }
        return finish_csv(csv);
    }
    let table: Vec<Vec<String>> = rows
        .iter()
        .map(|r| {
            let (effect, interval) = match (r.effect, r.low, r.high) {
                (Some(effect), Some(low), Some(high)) => {
                    (format!("{effect:+.2}"), format!("{low:+.2} to {high:+.2}"))
                }
                _ => ("-".into(), "- (one pollster)".into()),
            };
            vec![
                r.pollster.clone(),
                r.answer.clone(),
                effect,
                interval,
                r.polls.to_string(),
            ]
        })
        .collect();
    ctx.out.table(
        &["POLLSTER", "ANSWER", "EFFECT", "95% INTERVAL", "POLLS"],
        &table,
    )?;
    ctx.out.line("")?;
    for model in models {
        ctx.out.line(model)?;
    }
    Ok(())
}
