use super::Ctx;
use super::chart::{CHARTS_DIR, ChartRequest, draw};
use super::output::warn;
use polltrack::analysis::simulate::{SimulationOptions, question_slug, simulate};
use polltrack::analysis::{Method, TrendOptions};
use polltrack::chart::Mark;
use polltrack::chart::definition::{DEFAULT_HEIGHT, DEFAULT_WIDTH};
use polltrack::db::prelude::*;
use polltrack::db::{Incoming, OnConflict, Outcome, SeriesFilter};
use polltrack::model::{Answer, Poll, QuestionKind, ResultSet, Source, normalize_poll};
use polltrack::{Error, Result};
use std::path::Path;

/// The whole job in one command: record a poll from the news, import a poll series, chart it.
///
/// On the database (polls.db here, or --db): records the Gallup Korea GSOMIA poll of
/// 2016-11-18 with the article that reported it, imports a simulated series of polls by several
/// pollsters (each with its own house effect), fits their trends, and draws the charts into
/// charts/. Running it again adds nothing new and redraws the charts.
#[derive(clap::Args)]
#[command(after_help = "Examples:\n  \
    polltrack demo\n  \
    polltrack --db demo.db demo --polls 2000 --seed 7")]
pub struct Args {
    /// How many simulated polls to import (1 to 1,000,000)
    #[arg(long, default_value_t = 600,
          value_parser = super::simulate::count(polltrack::analysis::simulate::MAX_POLLS))]
    polls: usize,
    /// The simulation's seed: the same seed gives the same polls
    #[arg(long, default_value_t = 1)]
    seed: u64,
}

pub async fn run(ctx: &mut Ctx, args: Args) -> Result<()> {
    let db = ctx.db().await?;
    let path = db.path().display().to_string();
    let gsomia = match db
        .add_poll_of_kind(&gsomia_poll(), false, Some(QuestionKind::Issue))
        .await
    {
        Ok(added) => {
            warn(&added.warnings);
            format!("recorded as poll {}", added.id)
        }
        Err(Error::Conflict { .. }) => "stored already".to_string(),
        Err(e) => return Err(e),
    };
    ctx.out.line(format!("Database: {path}"))?;
    ctx.out.line(format!(
        "1. The Gallup Korea poll of 2016-11-18 reported by Press TV (59% oppose GSOMIA): {gsomia}"
    ))?;

    let simulation = simulate(&SimulationOptions {
        polls: args.polls,
        questions: 1,
        pollsters: 8,
        days: 730,
        seed: args.seed,
        ..SimulationOptions::default()
    });
    let db = ctx.db().await?;
    let mut importer = db.importer(OnConflict::Skip).await?;
    // The simulated candidates are a vote intention question: likely voters count first.
    importer.question_kind(Some(QuestionKind::Vote), false);
    // Each simulated poll is its own fieldwork, keyed as the simulation's file keys it: two of
    // one pollster on the same days are two polls, not a repeat.
    let polls = simulation
        .polls
        .into_iter()
        .enumerate()
        .map(|(i, mut poll)| {
            normalize_poll(&mut poll);
            Incoming {
                poll,
                file_id: None,
                file_key: Some((i + 1).to_string()),
                question_ids: Vec::new(),
            }
        })
        .collect();
    let outcomes = importer.add_keyed(polls).await?;
    importer.commit().await?;
    let added = outcomes
        .iter()
        .filter(|o| matches!(o, Outcome::Added(_)))
        .count();
    let slug = question_slug(0);
    ctx.out.line(format!(
        "2. Simulated polls of question {slug} by 8 pollsters over two years: {added} added, {} \
         stored already",
        outcomes.len() - added
    ))?;

    let charts = Path::new(CHARTS_DIR);
    let requests = [
        ChartRequest {
            marks: vec![Mark {
                date: chrono::NaiveDate::from_ymd_opt(2016, 11, 23).unwrap_or_default(),
                label: "GSOMIA signed".into(),
            }],
            ..request("kr-gsomia", Method::default(), charts.join("kr-gsomia.png"))
        },
        request(&slug, Method::Kalman, charts.join(format!("{slug}.png"))),
        request(
            &slug,
            Method::Loess,
            charts.join(format!("{slug}-loess.svg")),
        ),
    ];
    ctx.out.line("3. Trends fitted and charts drawn:")?;
    for request in &requests {
        let path = draw(ctx, request).await?;
        ctx.out.line(format!("   {}", path.display()))?;
    }
    ctx.out.line(format!(
        "Next: `polltrack trend {slug} --method kalman`, `polltrack house-effects {slug}`, \
         `polltrack export -o polls.csv`."
    ))
}

fn request(question: &str, method: Method, output: std::path::PathBuf) -> ChartRequest {
    ChartRequest {
        filter: SeriesFilter {
            question: question.to_string(),
            ..SeriesFilter::default()
        },
        options: TrendOptions {
            method,
            ..TrendOptions::default()
        },
        answers: Vec::new(),
        marks: Vec::new(),
        title: None,
        width: DEFAULT_WIDTH,
        height: DEFAULT_HEIGHT,
        font: None,
        output,
        definition: None,
    }
}

/// The poll that started polltrack, as DESIGN's example tells it: one answer known, no sample
/// size, no field dates, one source article.
fn gsomia_poll() -> Poll {
    let date = |y, m, d| chrono::NaiveDate::from_ymd_opt(y, m, d);
    Poll {
        pollster: "Gallup Korea".into(),
        published_on: date(2016, 11, 18),
        region: Some("South Korea".into()),
        results: vec![ResultSet {
            question: "kr-gsomia".into(),
            wording: Some(
                "Do you support or oppose the military intelligence-sharing agreement (GSOMIA) \
                 with Japan?"
                    .into(),
            ),
            population: "a".into(),
            answers: vec![Answer {
                label: "Oppose".into(),
                pct: 59.0,
            }],
            ..ResultSet::default()
        }],
        sources: vec![Source {
            title: Some("South Korea signs controversial intelligence pact with Japan".into()),
            outlet: Some("Press TV".into()),
            published_on: date(2016, 11, 23),
            ..Source::default()
        }],
        ..Poll::default()
    }
}
