//! `edit`: corrections to a stored poll, each recorded in its history.

use crate::app::names::{Confirmed, NewName, check_new_names};
use crate::db::prelude::*;
use crate::error::{Error, Hint, Result};
use crate::model::{self, Answer, Poll, ResultSet, Warning, normalize_population};
use chrono::NaiveDate;

/// A field an edit can make unknown again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Clearable {
    /// The first day of fieldwork.
    Start,
    /// The last day of fieldwork.
    End,
    /// The day the results were published.
    Published,
    /// How the poll was asked.
    Mode,
    /// The country or region polled.
    Region,
    /// Free-text notes.
    Notes,
    /// Who commissioned it.
    Sponsors,
    /// The chosen result set's sample size.
    Sample,
    /// The chosen result set's margin of error.
    Moe,
}

impl Clearable {
    /// Every field an edit can clear, in the order a front door lists them.
    pub const ALL: [Clearable; 9] = [
        Clearable::Start,
        Clearable::End,
        Clearable::Published,
        Clearable::Mode,
        Clearable::Region,
        Clearable::Notes,
        Clearable::Sponsors,
        Clearable::Sample,
        Clearable::Moe,
    ];

    /// Its name in lower case: `start`, `moe`...
    pub fn name(self) -> &'static str {
        match self {
            Clearable::Start => "start",
            Clearable::End => "end",
            Clearable::Published => "published",
            Clearable::Mode => "mode",
            Clearable::Region => "region",
            Clearable::Notes => "notes",
            Clearable::Sponsors => "sponsors",
            Clearable::Sample => "sample",
            Clearable::Moe => "moe",
        }
    }

    /// The field of that [`Clearable::name`].
    pub fn from_name(name: &str) -> Option<Clearable> {
        Clearable::ALL.into_iter().find(|c| c.name() == name)
    }
}

/// Corrections to a stored poll: each `Some` (or non-empty list) is a change. Changes to a
/// question's numbers act on the poll's one result set, or the one `question` and
/// `population` pick when it has several.
#[derive(Debug, Clone, Default)]
pub struct EditRequest {
    /// The poll's id.
    pub id: i64,
    /// Who ran it (a name or alias).
    pub pollster: Option<String>,
    /// The first day of fieldwork.
    pub field_start: Option<NaiveDate>,
    /// The last day of fieldwork.
    pub field_end: Option<NaiveDate>,
    /// The day the results were published.
    pub published_on: Option<NaiveDate>,
    /// How it was asked: online, live phone...
    pub mode: Option<String>,
    /// The country or region polled.
    pub region: Option<String>,
    /// Free-text notes.
    pub notes: Option<String>,
    /// Replaces the sponsors, when not empty.
    pub sponsors: Vec<String>,
    /// Commissioned by a party or campaign.
    pub partisan: Option<bool>,
    /// Part of a tracking series.
    pub tracking: Option<bool>,
    /// An election result rather than a poll.
    pub election: Option<bool>,
    /// Fields to make unknown again.
    pub clear: Vec<Clearable>,
    /// Which result set to change, by question slug and population.
    pub question: Option<String>,
    /// Which population of that question.
    pub population: Option<String>,
    /// Percentages (points) to set, adding an answer that is new; matched ignoring case.
    pub answers: Vec<Answer>,
    /// Labels of answers to remove, matched ignoring case.
    pub remove_answers: Vec<String>,
    /// The sample size of the chosen result set.
    pub sample_size: Option<f64>,
    /// Points.
    pub margin_of_error: Option<f64>,
    /// A new population for the chosen result set.
    pub set_population: Option<String>,
}

/// An edit stored.
#[derive(Debug, Clone)]
pub struct Edited {
    /// The changes recorded, field by field (none: the poll was unchanged).
    pub changes: Vec<model::Change>,
    /// What the store found doubtful, though it stored the edit.
    pub warnings: Vec<Warning>,
    /// The pollster and answer labels stored for the first time.
    pub new_names: Vec<NewName>,
}

/// The stored poll with the request's corrections made, not yet stored: to be normalized and
/// checked with [`super::prepare`], then stored with [`save_edit`].
///
/// Errors: not found for an unknown poll, result set or answer; usage when the poll has
/// several result sets and the request does not say which; storage failures.
pub async fn edit(store: &impl Store, request: &EditRequest) -> Result<Poll> {
    let mut poll = store.get_poll(request.id).await?;
    set(&mut poll.pollster, request.pollster.clone());
    set_some(&mut poll.field_start, request.field_start);
    set_some(&mut poll.field_end, request.field_end);
    set_some(&mut poll.published_on, request.published_on);
    set_some(&mut poll.mode, request.mode.clone());
    set_some(&mut poll.region, request.region.clone());
    set_some(&mut poll.notes, request.notes.clone());
    set(&mut poll.partisan, request.partisan);
    set(&mut poll.tracking, request.tracking);
    set(&mut poll.election, request.election);
    if !request.sponsors.is_empty() {
        poll.sponsors = request.sponsors.clone();
    }
    let question = request.question.as_deref();
    let population = request.population.as_deref();
    if touches_result(request) {
        let result = pick_result(&mut poll, question, population)?;
        for answer in &request.answers {
            set_answer(result, answer.clone());
        }
        for label in &request.remove_answers {
            let before = result.answers.len();
            result
                .answers
                .retain(|a| !a.label.eq_ignore_ascii_case(label.trim()));
            if result.answers.len() == before {
                return Err(Error::not_found(format!(
                    "poll {} has no answer \"{}\" for question {}",
                    request.id, label, result.question
                )));
            }
        }
        set_some(&mut result.sample_size, request.sample_size);
        set_some(&mut result.margin_of_error, request.margin_of_error);
        set(&mut result.population, request.set_population.clone());
    }
    for field in &request.clear {
        clear(&mut poll, *field, question, population)?;
    }
    Ok(poll)
}

/// Stores `poll` as the new state of poll `id`, recording each change in its history.
///
/// Errors: invalid for a poll that breaks a rule, or that brings a new pollster or answer
/// label looking like a typo of a stored one, not `confirmed` (see [`check_new_names`]);
/// conflict when it would repeat another stored poll, unless `allow_duplicate`, or when the
/// poll was changed since `poll` was read (by [`edit`], whose `updated_at` it keeps); storage
/// failures.
pub async fn save_edit(
    store: &impl Store,
    id: i64,
    poll: &Poll,
    allow_duplicate: bool,
    confirmed: Confirmed,
) -> Result<Edited> {
    let new_names = check_new_names(store, poll, confirmed).await?;
    let (changes, warnings) = store.edit_poll(id, poll, allow_duplicate).await?;
    Ok(Edited {
        changes,
        warnings,
        new_names,
    })
}

fn touches_result(request: &EditRequest) -> bool {
    request.question.is_some()
        || request.population.is_some()
        || !request.answers.is_empty()
        || !request.remove_answers.is_empty()
        || request.sample_size.is_some()
        || request.margin_of_error.is_some()
        || request.set_population.is_some()
        || request
            .clear
            .iter()
            .any(|c| matches!(c, Clearable::Sample | Clearable::Moe))
}

fn set<T>(field: &mut T, value: Option<T>) {
    if let Some(value) = value {
        *field = value;
    }
}

fn set_some<T>(field: &mut Option<T>, value: Option<T>) {
    if value.is_some() {
        *field = value;
    }
}

fn set_answer(result: &mut ResultSet, answer: Answer) {
    match result
        .answers
        .iter_mut()
        .find(|a| a.label.eq_ignore_ascii_case(&answer.label))
    {
        Some(existing) => existing.pct = answer.pct,
        None => result.answers.push(answer),
    }
}

/// The result set named by question and population, or the only one there is.
fn pick_result<'a>(
    poll: &'a mut Poll,
    question: Option<&str>,
    population: Option<&str>,
) -> Result<&'a mut ResultSet> {
    let id = poll.id.unwrap_or_default();
    let population = population.map(normalize_population);
    let matching: Vec<usize> = poll
        .results
        .iter()
        .enumerate()
        .filter(|(_, r)| question.is_none_or(|q| r.question == q.trim()))
        .filter(|(_, r)| {
            population
                .as_deref()
                .is_none_or(|p| r.population.eq_ignore_ascii_case(p))
        })
        .map(|(i, _)| i)
        .collect();
    let choices = Hint::ChooseResultSet(
        poll.results
            .iter()
            .map(|r| (r.question.clone(), r.population.clone()))
            .collect(),
    );
    match matching.as_slice() {
        [only] => Ok(&mut poll.results[*only]),
        [] => Err(
            Error::not_found(format!("poll {id} has no such question and population"))
                .with_hint(choices),
        ),
        _ => Err(
            Error::usage(format!("poll {id} has several questions or populations"))
                .with_hint(choices),
        ),
    }
}

fn clear(
    poll: &mut Poll,
    field: Clearable,
    question: Option<&str>,
    population: Option<&str>,
) -> Result<()> {
    match field {
        Clearable::Start => poll.field_start = None,
        Clearable::End => poll.field_end = None,
        Clearable::Published => poll.published_on = None,
        Clearable::Mode => poll.mode = None,
        Clearable::Region => poll.region = None,
        Clearable::Notes => poll.notes = None,
        Clearable::Sponsors => poll.sponsors.clear(),
        Clearable::Sample => pick_result(poll, question, population)?.sample_size = None,
        Clearable::Moe => pick_result(poll, question, population)?.margin_of_error = None,
    }
    Ok(())
}
