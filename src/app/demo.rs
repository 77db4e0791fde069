//! `demo`: the whole job on one database: a poll from the news recorded, a simulated series
//! imported, their charts asked for.

use super::chart::ChartRequest;
use crate::analysis::Method;
use crate::analysis::simulate::{SimulationOptions, question_slug, simulate};
use crate::chart::Mark;
use crate::db::prelude::*;
use crate::db::{Incoming, OnConflict, Outcome};
use crate::error::{Error, Result};
use crate::model::{Answer, Poll, QuestionKind, ResultSet, Source, Warning, normalize_poll};

/// Pollsters of the simulated series.
pub const POLLSTERS: usize = 8;

/// What became of the example poll.
#[derive(Debug, Clone, PartialEq)]
pub enum ExamplePoll {
    /// Recorded now, as this poll.
    Recorded {
        /// The poll's id.
        id: i64,
        /// What the store found doubtful, though it stored the poll.
        warnings: Vec<Warning>,
    },
    /// Recorded by an earlier run.
    StoredAlready,
}

/// Records the Gallup Korea GSOMIA poll of 2016-11-18 with the article that reported it, an
/// issue question, unless it is stored already.
///
/// Errors: storage failures.
pub async fn record_example_poll(store: &impl Store) -> Result<ExamplePoll> {
    match store
        .add_poll_of_kind(&gsomia_poll(), false, Some(QuestionKind::Issue))
        .await
    {
        Ok(added) => Ok(ExamplePoll::Recorded {
            id: added.id,
            warnings: added.warnings,
        }),
        Err(Error::Conflict { .. }) => Ok(ExamplePoll::StoredAlready),
        Err(e) => Err(e),
    }
}

/// What the simulated series added.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SimulatedImport {
    /// The simulated question's slug.
    pub question: String,
    /// Polls the run stored.
    pub added: usize,
    /// Stored by an earlier run with the same seed.
    pub stored_already: usize,
}

/// Imports `polls` simulated polls of one vote intention question by [`POLLSTERS`] pollsters
/// over two years (each with its own house effect), drawn with `seed`; polls stored already
/// are kept.
///
/// Errors: storage failures.
pub async fn import_simulated(
    store: &impl Store,
    polls: usize,
    seed: u64,
) -> Result<SimulatedImport> {
    let simulation = simulate(&SimulationOptions {
        polls,
        questions: 1,
        pollsters: POLLSTERS,
        days: 730,
        seed,
        ..SimulationOptions::default()
    });
    let mut importer = store.importer(OnConflict::Skip).await?;
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
    Ok(SimulatedImport {
        question: question_slug(0),
        added,
        stored_already: outcomes.len() - added,
    })
}

/// The demo's charts, each with its file name: the GSOMIA poll with the pact's signing
/// marked, and the simulated question (`question`) by Kalman smoother and by LOESS.
pub fn charts(question: &str) -> Vec<(ChartRequest, String)> {
    let mut gsomia = ChartRequest::new("kr-gsomia", Method::default());
    gsomia.marks = vec![Mark {
        date: chrono::NaiveDate::from_ymd_opt(2016, 11, 23).unwrap_or_default(),
        label: "GSOMIA signed".into(),
    }];
    vec![
        (gsomia, "kr-gsomia.png".into()),
        (
            ChartRequest::new(question, Method::Kalman),
            format!("{question}.png"),
        ),
        (
            ChartRequest::new(question, Method::Loess),
            format!("{question}-loess.svg"),
        ),
    ]
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
