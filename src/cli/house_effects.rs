use super::Ctx;
use super::filters::SeriesFilterArgs;
use super::output_file::{Output, Protected};
use super::trend::warn_selection;
use polltrack::Result;
use polltrack::app::house_effects::{HouseEffectsRequest, house_effects};
use polltrack::export::write_house_effects;
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
    #[arg(long, value_name = "POINTS", value_parser = super::method::step)]
    step: Option<f64>,
    /// Print JSON, for scripts
    #[arg(long, conflicts_with = "output")]
    json: bool,
    /// Write CSV to this file (- for standard output) instead of printing a table
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    output: Option<PathBuf>,
}

pub async fn run(ctx: &mut Ctx, args: Args) -> Result<()> {
    let request = HouseEffectsRequest {
        filter: args.filter.filter(&args.question)?,
        step: args.step,
    };
    // Checked and opened before the database: a refused output touches nothing.
    let output = match &args.output {
        Some(path) => Some(Output::create(path, &Protected::database(&ctx.path))?),
        None => None,
    };
    let estimated = house_effects(ctx.db().await?, &request).await?;
    warn_selection(&request.filter.question, &estimated.selection_notes);
    for model in estimated.models.iter().filter(|m| m.pollsters < 2) {
        eprintln!(
            "note: {}: every poll is by one pollster, so no house effect can be told from \
             the level; it takes polls by two pollsters or more",
            model.answer
        );
    }
    if args.json {
        return ctx.out.json(&estimated.effects);
    }
    if let Some(output) = output {
        return write_house_effects(output, &estimated.effects)?
            .commit_saying(&format!("the house effects of {}", request.filter.question));
    }
    let table: Vec<Vec<String>> = estimated
        .effects
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
    for model in &estimated.models {
        ctx.out.line(format!(
            "{}: step {:.3} points a day, poll noise beyond sampling error {:.2} points",
            model.answer, model.step, model.poll_noise
        ))?;
    }
    Ok(())
}
