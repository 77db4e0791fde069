//! A whole database as records: what `dump` writes and `load` reads, and what every store reads
//! and writes for them (ids included), by kind. The records are the model's, not one backend's
//! rows: values a store derives (name keys, a poll's date) are left out and made again on load.

use super::QuestionKind;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::HashSet;

/// Every record of a database, each kind in id order (see each field).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Dump {
    /// By id.
    pub pollsters: Vec<DumpPollster>,
    /// By id.
    pub sponsors: Vec<DumpSponsor>,
    /// By id.
    pub questions: Vec<DumpQuestion>,
    /// By id.
    pub sources: Vec<DumpSource>,
    /// By id.
    pub polls: Vec<DumpPoll>,
    /// By scheme, then key.
    pub poll_keys: Vec<DumpPollKey>,
    /// In the order they were recorded.
    pub deleted_results: Vec<DumpDeletedResult>,
    /// By id.
    pub changes: Vec<DumpChange>,
}

impl Dump {
    /// Records of every kind, counted together: zero for an empty database.
    pub fn len(&self) -> usize {
        self.pollsters.len()
            + self.sponsors.len()
            + self.questions.len()
            + self.sources.len()
            + self.polls.len()
            + self.poll_keys.len()
            + self.deleted_results.len()
            + self.changes.len()
    }

    /// Whether the database held nothing at all.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// What keeps these records from being one database, each a sentence naming the record:
    /// an id given twice within a kind, a poll naming a pollster, sponsor, source or question
    /// that is not there, a poll without any date. Empty when they fit together. (A store
    /// refuses the rest of what its schema forbids.)
    pub fn problems(&self) -> Vec<String> {
        let mut problems = Vec::new();
        let pollsters = ids(
            "pollster",
            self.pollsters.iter().map(|p| p.id),
            &mut problems,
        );
        let sponsors = ids("sponsor", self.sponsors.iter().map(|s| s.id), &mut problems);
        let questions = ids(
            "question",
            self.questions.iter().map(|q| q.id),
            &mut problems,
        );
        let sources = ids("source", self.sources.iter().map(|s| s.id), &mut problems);
        ids("poll", self.polls.iter().map(|p| p.id), &mut problems);
        let results = self.polls.iter().flat_map(|p| &p.results);
        ids("result set", results.map(|r| r.id), &mut problems);
        ids(
            "history entry",
            self.changes.iter().map(|c| c.id),
            &mut problems,
        );
        for poll in &self.polls {
            let mut missing = |what: &str, id: i64, known: &HashSet<i64>| {
                if !known.contains(&id) {
                    problems.push(format!(
                        "poll {} names {what} {id}, which is not there",
                        poll.id
                    ));
                }
            };
            missing("pollster", poll.pollster_id, &pollsters);
            poll.sponsor_ids
                .iter()
                .for_each(|&id| missing("sponsor", id, &sponsors));
            poll.source_ids
                .iter()
                .for_each(|&id| missing("source", id, &sources));
            for result in &poll.results {
                missing("question", result.question_id, &questions);
            }
            if poll.field_start.is_none() && poll.field_end.is_none() && poll.published_on.is_none()
            {
                problems.push(format!(
                    "poll {} has no date (no field dates, no publication date)",
                    poll.id
                ));
            }
        }
        problems
    }
}

/// The ids of one kind of record, each once; an id given twice is a problem.
fn ids(kind: &str, ids: impl Iterator<Item = i64>, problems: &mut Vec<String>) -> HashSet<i64> {
    let mut seen = HashSet::new();
    for id in ids {
        if !seen.insert(id) {
            problems.push(format!("{kind} {id} is given twice"));
        }
    }
    seen
}

/// A pollster with its other spellings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DumpPollster {
    pub id: i64,
    pub name: String,
    /// Other spellings, by their name key.
    pub aliases: Vec<String>,
}

/// An organisation that commissioned polls.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DumpSponsor {
    pub id: i64,
    pub name: String,
}

/// A question with the colours kept for its answers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DumpQuestion {
    pub id: i64,
    pub slug: String,
    pub wording: String,
    pub topic: Option<String>,
    pub kind: Option<QuestionKind>,
    /// By answer label (ignoring case).
    pub colours: Vec<DumpColour>,
}

/// The colour kept for one answer of a question, `#RRGGBB`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DumpColour {
    pub label: String,
    pub color: String,
}

/// An article or release; one without a URL has a title.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DumpSource {
    pub id: i64,
    pub url: Option<String>,
    pub title: Option<String>,
    pub outlet: Option<String>,
    pub published_on: Option<NaiveDate>,
    /// `YYYY-MM-DD HH:MM:SS` in UTC.
    pub created_at: String,
}

/// A poll with its result sets, naming its pollster, sponsors and sources by id.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DumpPoll {
    pub id: i64,
    pub pollster_id: i64,
    /// In the poll's order.
    pub sponsor_ids: Vec<i64>,
    pub field_start: Option<NaiveDate>,
    pub field_end: Option<NaiveDate>,
    pub published_on: Option<NaiveDate>,
    pub mode: Option<String>,
    pub region: Option<String>,
    pub partisan: bool,
    pub tracking: bool,
    pub election: bool,
    pub notes: Option<String>,
    /// `YYYY-MM-DD HH:MM:SS` in UTC, as are `updated_at` and every other timestamp.
    pub created_at: String,
    pub updated_at: String,
    /// By id.
    pub source_ids: Vec<i64>,
    /// By id.
    pub results: Vec<DumpResultSet>,
}

/// One question asked of one population in a poll.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DumpResultSet {
    pub id: i64,
    pub question_id: i64,
    pub population: String,
    pub sample_size: Option<f64>,
    pub margin_of_error: Option<f64>,
    /// In the poll's order.
    pub answers: Vec<DumpAnswer>,
    /// The ids its source gave it (538's `question_id`), by scheme then key.
    pub keys: Vec<DumpKey>,
}

/// One answer's percentage, 0..100.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DumpAnswer {
    pub label: String,
    pub pct: f64,
}

/// An id a source file gave, under its id scheme (`538`, `column NAME`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DumpKey {
    pub scheme: String,
    pub key: String,
}

/// The poll a source file's own poll id became (the poll may since have been deleted).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DumpPollKey {
    pub scheme: String,
    pub key: String,
    pub poll_id: i64,
}

/// What an import matches a deleted poll's result set on, so it does not come back unasked.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DumpDeletedResult {
    pub poll_id: i64,
    pub pollster: String,
    pub field_start: Option<String>,
    pub field_end: Option<String>,
    pub published_on: Option<String>,
    pub question: String,
    pub population: String,
}

/// One entry of the history, as recorded.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DumpChange {
    pub id: i64,
    /// What changed: `poll`, `question`, `pollster` or `source`.
    pub subject: String,
    /// The poll, for a poll's change (also one deleted since); else none.
    pub poll_id: Option<i64>,
    /// The question's, pollster's or source's id, for their changes; else none.
    pub subject_id: Option<i64>,
    pub changed_at: String,
    /// `add`, `edit`, `delete`, `restore`, `undo`, `rename`, `alias`, `merge`...
    pub action: String,
    pub field: String,
    pub old_value: Option<String>,
    pub new_value: Option<String>,
    /// Why, as the user gave it.
    pub reason: Option<String>,
    /// The id of the first entry of the change this one belongs to.
    pub change_set: i64,
    /// For a poll's change, the poll before it (JSON), for undoing it.
    pub snapshot: Option<String>,
}

#[cfg(test)]
fn day(text: &str) -> Option<NaiveDate> {
    Some(NaiveDate::parse_from_str(text, "%Y-%m-%d").expect("a test date"))
}

/// A little of every kind of record, with ids that are not 1, 2, 3...
#[cfg(test)]
pub(crate) fn example() -> Dump {
    Dump {
        pollsters: vec![DumpPollster {
            id: 1,
            name: "Gallup Korea".into(),
            aliases: vec!["Gallup".into()],
        }],
        sponsors: vec![DumpSponsor {
            id: 1,
            name: "Hankook Ilbo".into(),
        }],
        questions: vec![DumpQuestion {
            id: 1,
            slug: "kr-gsomia".into(),
            wording: "GSOMIA?".into(),
            topic: Some("Japan".into()),
            kind: Some(super::QuestionKind::Issue),
            colours: vec![DumpColour {
                label: "Oppose".into(),
                color: "#CC0000".into(),
            }],
        }],
        sources: vec![DumpSource {
            id: 1,
            url: None,
            title: Some("South Korea signs \"pact\"".into()),
            outlet: Some("Press TV".into()),
            published_on: day("2016-11-23"),
            created_at: "2026-01-02 03:04:05".into(),
        }],
        polls: vec![DumpPoll {
            id: 17,
            pollster_id: 1,
            sponsor_ids: vec![1],
            field_start: None,
            field_end: None,
            published_on: day("2016-11-18"),
            mode: None,
            region: Some("South Korea".into()),
            partisan: true,
            tracking: false,
            election: false,
            notes: Some("line one\nline two".into()),
            created_at: "2026-01-02 03:04:05".into(),
            updated_at: "2026-01-02 03:04:06".into(),
            source_ids: vec![1],
            results: vec![DumpResultSet {
                id: 3,
                question_id: 1,
                population: "a".into(),
                sample_size: Some(1004.5),
                margin_of_error: None,
                answers: vec![DumpAnswer {
                    label: "Oppose".into(),
                    pct: 1.0 / 3.0,
                }],
                keys: vec![DumpKey {
                    scheme: "538".into(),
                    key: "q9".into(),
                }],
            }],
        }],
        poll_keys: vec![DumpPollKey {
            scheme: "538".into(),
            key: "p1".into(),
            poll_id: 17,
        }],
        deleted_results: vec![DumpDeletedResult {
            poll_id: 20,
            pollster: "Gallup Korea".into(),
            field_start: Some("2016-11-01".into()),
            field_end: None,
            published_on: None,
            question: "kr-gsomia".into(),
            population: "lv".into(),
        }],
        changes: vec![
            DumpChange {
                id: 1,
                subject: "poll".into(),
                poll_id: Some(17),
                subject_id: None,
                changed_at: "2026-01-02 03:04:06".into(),
                action: "edit".into(),
                field: "notes".into(),
                old_value: None,
                new_value: Some("line one\nline two".into()),
                reason: Some("the pollster corrected its release".into()),
                change_set: 1,
                snapshot: Some("{}".into()),
            },
            DumpChange {
                id: 4,
                subject: "poll".into(),
                poll_id: Some(20),
                subject_id: None,
                changed_at: "2026-01-03 00:00:00".into(),
                action: "delete".into(),
                field: "poll".into(),
                old_value: Some("{}".into()),
                new_value: None,
                reason: None,
                change_set: 4,
                snapshot: None,
            },
            DumpChange {
                id: 5,
                subject: "pollster".into(),
                poll_id: None,
                subject_id: Some(1),
                changed_at: "2026-01-04 00:00:00".into(),
                action: "rename".into(),
                field: "name".into(),
                old_value: Some("Real Meter".into()),
                new_value: Some("Realmeter".into()),
                reason: Some("spelling".into()),
                change_set: 5,
                snapshot: None,
            },
        ],
    }
}
