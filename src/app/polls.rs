//! Polls one at a time: `add`, `edit`, `delete`, `show`; and `list` and `history`.

mod edit;

pub use edit::{Clearable, EditRequest, Edited, edit, save_edit};

use super::names::{Confirmed, NewName, check_new_names};

use crate::db::prelude::*;
use crate::error::Result;
use crate::model::{
    self, Change, ListOrder, Poll, PollFilter, Problem, QuestionKind, ResultSet, Source,
};

/// Normalizes a poll as it will be stored (names trimmed, populations coded, answers in order)
/// and checks it against the rules of a poll, before anything is stored: every problem found.
/// Doubts that stop nothing come back from the store once the poll is stored.
pub fn prepare(poll: &mut Poll) -> Vec<Problem> {
    model::normalize_poll(poll);
    model::validate_poll(poll, model::today()).0
}

/// A poll to record.
#[derive(Debug, Clone)]
pub struct AddRequest {
    /// The poll, as [`prepare`] leaves it.
    pub poll: Poll,
    /// Given to the poll's questions that have no kind yet.
    pub kind: Option<QuestionKind>,
    /// Record it even if the same poll (pollster, dates, question, population) is stored.
    pub allow_duplicate: bool,
    /// New names confirmed as new though close to stored ones.
    pub confirmed: Confirmed,
}

/// A poll recorded.
#[derive(Debug, Clone)]
pub struct Added {
    /// The poll as stored (a pollster's alias resolved, its id set).
    pub poll: Poll,
    /// What the store found doubtful, though it stored the poll.
    pub warnings: Vec<model::Warning>,
    /// The pollster and answer labels stored for the first time.
    pub new_names: Vec<NewName>,
}

/// Records one poll and reads it back as stored.
///
/// Errors: invalid for a poll that breaks a rule, a new question with no wording, or a new
/// pollster or answer label that looks like a typo of a stored one and is not confirmed (see
/// [`check_new_names`]); conflict (with the stored poll's id) for a poll stored already,
/// unless allowed; storage failures.
pub async fn add(store: &impl Store, request: &AddRequest) -> Result<Added> {
    let new_names = check_new_names(store, &request.poll, request.confirmed).await?;
    let outcome = store
        .add_poll_of_kind(&request.poll, request.allow_duplicate, request.kind)
        .await?;
    let poll = store.get_poll(outcome.id).await?;
    Ok(Added {
        poll,
        warnings: outcome.warnings,
        new_names,
    })
}

/// Further questions or populations (and sources) for a stored poll.
#[derive(Debug, Clone)]
pub struct AddResultsRequest {
    /// The stored poll's id.
    pub poll: i64,
    /// The result sets to add.
    pub results: Vec<ResultSet>,
    /// Sources to link (recorded when new).
    pub sources: Vec<Source>,
    /// Given to the questions that have no kind yet.
    pub kind: Option<QuestionKind>,
    /// Add them even if the poll then repeats another stored poll.
    pub allow_duplicate: bool,
    /// New answer labels confirmed as new though close to stored ones.
    pub confirmed: Confirmed,
}

/// Adds result sets (and sources) to a stored poll; returns the store's warnings and the
/// answer labels new to their questions.
///
/// Errors: not found for an unknown poll; invalid or conflict as [`add`]; storage failures.
pub async fn add_results(
    store: &impl Store,
    request: AddResultsRequest,
) -> Result<(Vec<model::Warning>, Vec<NewName>)> {
    // The pollster is the stored poll's: only the answers can be new.
    let asked = Poll {
        results: request.results.clone(),
        ..Default::default()
    };
    let new_names = check_new_names(store, &asked, request.confirmed).await?;
    let outcome = store
        .add_results_of_kind(
            request.poll,
            request.results,
            request.sources,
            request.kind,
            request.allow_duplicate,
        )
        .await?;
    Ok((outcome.warnings, new_names))
}

/// Deletes a poll; a full copy stays in its history. Returns the poll as it was.
///
/// Errors: not found for an unknown poll; storage failures.
pub async fn delete(store: &impl Store, id: i64) -> Result<Poll> {
    store.delete_poll(id).await
}

/// Which polls a deletion takes: these ids, the polls matching a filter, or (both given) the
/// polls of these ids that match the filter.
#[derive(Debug, Clone, Default)]
pub struct DeleteRequest {
    /// Poll ids; one given twice counts once.
    pub ids: Vec<i64>,
    /// Filters picking polls (a poll matches when any of its result sets does, and is
    /// deleted whole).
    pub filter: Option<PollFilter>,
}

/// The polls a deletion would take, whole, in the order of the ids given, else by date:
/// for showing before anything is deleted.
///
/// Errors: not found for an unknown id, or a filter naming an unknown question or pollster;
/// storage failures.
pub async fn polls_to_delete(store: &impl Store, request: &DeleteRequest) -> Result<Vec<Poll>> {
    let mut ids: Vec<i64> = Vec::new();
    for &id in &request.ids {
        if !ids.contains(&id) {
            ids.push(id);
        }
    }
    let mut polls = Vec::with_capacity(ids.len());
    for &id in &ids {
        polls.push(store.get_poll(id).await?);
    }
    let Some(filter) = &request.filter else {
        return Ok(polls);
    };
    let mut matching: Vec<i64> = Vec::new();
    list(store, filter, ListOrder::default(), 1, |_, page| {
        matching.extend(page.iter().filter_map(|p| p.id));
        Ok(())
    })
    .await?;
    if !request.ids.is_empty() {
        polls.retain(|p| p.id.is_some_and(|id| matching.contains(&id)));
        return Ok(polls);
    }
    for id in matching {
        polls.push(store.get_poll(id).await?);
    }
    Ok(polls)
}

/// Deletes the polls [`polls_to_delete`] names, in one transaction, all or none; a full copy
/// of each stays in its history. Returns them as they were.
///
/// Errors: as [`polls_to_delete`]; not found for a poll deleted meanwhile (nothing is deleted
/// then); storage failures.
pub async fn delete_polls(store: &impl Store, request: &DeleteRequest) -> Result<Vec<Poll>> {
    let ids: Vec<i64> = polls_to_delete(store, request)
        .await?
        .iter()
        .filter_map(|p| p.id)
        .collect();
    store.delete_polls(&ids).await
}

/// Brings the deleted poll `id` back as it was deleted (same id, fields, result sets, answers,
/// sponsors, sources and links); recorded in its history. Returns the poll.
///
/// Errors: conflict for a poll that is stored, or one that would repeat a poll stored since;
/// not found for an id never used; storage failures. Nothing changes on an error.
pub async fn restore(store: &impl Store, id: i64) -> Result<Poll> {
    store.restore_poll(id).await
}

/// Undoes the last change of the poll `id` (an edit, a delete, a restore, an undo, or its
/// addition when nothing else was recorded); the undo is recorded, so it can be undone.
///
/// Errors: not found for an id never used; conflict for a change that cannot be undone;
/// storage failures. Nothing changes on an error.
pub async fn undo(store: &impl Store, id: i64) -> Result<crate::db::Undone> {
    store.undo_poll_change(id).await
}

/// One poll, with its result sets, answers, sponsors and sources.
///
/// Errors: not found for an unknown poll; storage failures.
pub async fn show(store: &impl Store, id: i64) -> Result<Poll> {
    store.get_poll(id).await
}

/// Gives `each` the polls matching `filter`, by date (oldest or newest first, at most as many
/// as `order` says), a page at a time (memory does not grow
/// with the store), `passes` times over on one state of the store: a table sized on a first
/// pass can be printed on a second. `each` is given the pass (from 0) and the page.
///
/// Errors: not found for a filter naming an unknown question or pollster; those of `each`;
/// storage failures.
pub async fn list(
    store: &impl Store,
    filter: &PollFilter,
    order: ListOrder,
    passes: usize,
    each: impl FnMut(usize, Vec<Poll>) -> Result<()> + Send,
) -> Result<()> {
    store.check_filter(filter).await?;
    store.list_polls_in_pages(filter, order, passes, each).await
}

/// The recorded edits and deletions, of one poll or of all, oldest first.
///
/// Errors: storage failures.
pub async fn history(store: &impl Store, poll: Option<i64>) -> Result<Vec<Change>> {
    store.history(poll).await
}

/// The recorded changes of one poll, question, pollster or source, or of everything, oldest
/// first.
///
/// Errors: not found for a subject never stored (a deleted poll is found by its history);
/// storage failures.
pub async fn history_of(
    store: &impl Store,
    subject: Option<&model::Subject>,
) -> Result<Vec<Change>> {
    store.history_of(subject).await
}
