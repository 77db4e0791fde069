//! What restoring a deleted poll and undoing a poll's last change decide and say, whichever
//! store holds the history: each store reads the history and writes the polls, and asks here
//! what to do and how to refuse.

use crate::db::Undone;
use crate::error::{Error, Hint, Result};
use crate::model::{Change, Poll};

/// A poll as the history keeps it (a deleted poll's copy, or the poll before a change), JSON.
pub(in crate::db) fn poll_from_history(json: &str) -> Result<Poll> {
    serde_json::from_str(json).map_err(|e| Error::storage(e.to_string(), e))
}

/// The refusal to restore poll `id`, which is stored.
pub(in crate::db) fn poll_is_stored(id: i64) -> Error {
    Error::conflict_with(
        id,
        format!("poll {id} is stored: only a deleted poll can be restored"),
    )
    .with_hint(Hint::ShowPoll(id))
}

/// The refusal to restore poll `id`, which was never deleted.
pub(in crate::db) fn never_deleted(id: i64) -> Error {
    Error::not_found(format!(
        "there is no deleted poll {id}: no poll of that id was ever deleted"
    ))
    .with_hint(Hint::ReadHistory)
}

/// The refusal to restore poll `id`, which poll `other`, stored since, repeats.
pub(in crate::db) fn restore_repeats(id: i64, other: i64) -> Error {
    Error::conflict_with(
        other,
        format!(
            "poll {id} cannot be restored: poll {other}, stored since, is the same poll \
             (same pollster, dates, question and population); nothing was changed"
        ),
    )
    .with_hint(Hint::EditPoll(other))
}

/// The last change of a poll as recorded: its change set, action and the poll as it was
/// before (when the change kept it).
pub(in crate::db) struct LastChange {
    pub set: i64,
    pub action: String,
    pub snapshot: Option<String>,
}

/// What undoing the last change of a poll does.
pub(in crate::db) enum UndoStep {
    /// Never changed since it was added: undoing the addition deletes it (restorable).
    DeleteAdded,
    /// The last change deleted it: it is restored.
    Restore,
    /// The last change restored it: it is deleted again.
    DeleteRestored,
    /// An edit (or an undo, a merge...): the poll goes back to this, as it was before.
    GoBackTo(Box<Poll>),
}

/// What undoing poll `id`'s last change (`None` when none was recorded) does. Errors:
/// conflict for a change recorded without the poll as it was before.
pub(in crate::db) fn undo_step(id: i64, last: Option<&LastChange>) -> Result<UndoStep> {
    let Some(last) = last else {
        return Ok(UndoStep::DeleteAdded);
    };
    match (last.action.as_str(), &last.snapshot) {
        ("delete", _) => Ok(UndoStep::Restore),
        ("restore", _) => Ok(UndoStep::DeleteRestored),
        (_, Some(before)) => Ok(UndoStep::GoBackTo(Box::new(poll_from_history(before)?))),
        (action, None) => Err(Error::conflict_with(
            id,
            format!(
                "the last change of poll {id} ({action}, change {}) was recorded without the \
                 poll as it was before, so it cannot be undone: correct the poll instead",
                last.set
            ),
        )
        .with_hint(Hint::EditPoll(id))),
    }
}

/// What an undo of `last` (`None`: the addition) did, having recorded `changes`.
pub(in crate::db) fn undone(last: Option<LastChange>, changes: Vec<Change>) -> Undone {
    match last {
        None => Undone {
            undid: "add".into(),
            change_set: None,
            changes,
        },
        Some(last) => Undone {
            undid: last.action,
            change_set: Some(last.set),
            changes,
        },
    }
}
