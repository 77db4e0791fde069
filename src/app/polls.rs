//! Polls one at a time: `add`, `edit`, `delete`, `show`; and `list` and `history`.

mod edit;

pub use edit::{Clearable, EditRequest, Edited, edit, save_edit};

use crate::db::prelude::*;
use crate::error::Result;
use crate::model::{self, Change, Poll, PollFilter, Problem, QuestionKind, ResultSet, Source};

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
}

/// A poll recorded.
#[derive(Debug, Clone)]
pub struct Added {
    /// The poll as stored (a pollster's alias resolved, its id set).
    pub poll: Poll,
    /// What the store found doubtful, though it stored the poll.
    pub warnings: Vec<model::Warning>,
}

/// Records one poll and reads it back as stored.
///
/// Errors: invalid for a poll that breaks a rule or a new question with no wording; conflict
/// (with the stored poll's id) for a poll stored already, unless allowed; storage failures.
pub async fn add(store: &impl Store, request: &AddRequest) -> Result<Added> {
    let outcome = store
        .add_poll_of_kind(&request.poll, request.allow_duplicate, request.kind)
        .await?;
    let poll = store.get_poll(outcome.id).await?;
    Ok(Added {
        poll,
        warnings: outcome.warnings,
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
}

/// Adds result sets (and sources) to a stored poll; returns the store's warnings.
///
/// Errors: not found for an unknown poll; invalid or conflict as [`add`]; storage failures.
pub async fn add_results(
    store: &impl Store,
    request: AddResultsRequest,
) -> Result<Vec<model::Warning>> {
    let outcome = store
        .add_results_of_kind(
            request.poll,
            request.results,
            request.sources,
            request.kind,
            request.allow_duplicate,
        )
        .await?;
    Ok(outcome.warnings)
}

/// Deletes a poll; a full copy stays in its history. Returns the poll as it was.
///
/// Errors: not found for an unknown poll; storage failures.
pub async fn delete(store: &impl Store, id: i64) -> Result<Poll> {
    store.delete_poll(id).await
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

/// Gives `each` the polls matching `filter`, by date, a page at a time (memory does not grow
/// with the store), `passes` times over on one state of the store: a table sized on a first
/// pass can be printed on a second. `each` is given the pass (from 0) and the page.
///
/// Errors: not found for a filter naming an unknown question or pollster; those of `each`;
/// storage failures.
pub async fn list(
    store: &impl Store,
    filter: &PollFilter,
    passes: usize,
    each: impl FnMut(usize, Vec<Poll>) -> Result<()> + Send,
) -> Result<()> {
    store.check_filter(filter).await?;
    store.list_polls_in_pages(filter, passes, each).await
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
