//! Bringing a deleted poll back, and undoing the last change of a poll, from the history.

use super::{Stored, delete_one, find_duplicate, load_one, rewrite_poll_as, write_polls};
use crate::db::Undone;
use crate::db::shared::history::{
    LastChange, UndoStep, never_deleted, poll_from_history, poll_is_stored, restore_repeats,
    undo_step, undone,
};
use crate::db::sqlite::record::{About, record};
use crate::db::sqlite::{Tx, db_err, now};
use crate::error::Result;
use crate::model::{Change, Poll};

/// The poll `id`'s full copy from its last deletion, if it was deleted.
async fn deleted_copy(tx: &mut Tx, id: i64) -> Result<Option<Poll>> {
    let copy: Option<Option<String>> = sqlx::query_scalar(
        "SELECT old_value FROM change WHERE poll_id = $1 AND action = 'delete'
          ORDER BY id DESC LIMIT 1",
    )
    .bind(id)
    .fetch_optional(&mut **tx)
    .await
    .map_err(db_err)?;
    copy.flatten()
        .map(|json| poll_from_history(&json))
        .transpose()
}

/// A poll from the history with each question under its slug of today: a question renamed
/// since the copy was taken is found by its rename in the history, so that going back to the
/// copy does not make a second question of the old slug.
async fn with_current_slugs(tx: &mut Tx, mut poll: Poll) -> Result<Poll> {
    for result in &mut poll.results {
        let slug: Option<String> = sqlx::query_scalar(
            "SELECT q.slug FROM change c JOIN question q ON q.id = c.subject_id
              WHERE c.subject = 'question' AND c.field = 'slug' AND c.old_value = $1
                AND NOT EXISTS (SELECT 1 FROM question WHERE slug = $1)
              ORDER BY c.id DESC LIMIT 1",
        )
        .bind(result.question.as_str())
        .fetch_optional(&mut **tx)
        .await
        .map_err(db_err)?;
        if let Some(slug) = slug {
            result.question = slug;
        }
    }
    Ok(poll)
}

/// Whether `id` is a stored poll.
async fn exists(tx: &mut Tx, id: i64) -> Result<bool> {
    sqlx::query_scalar("SELECT count(*) > 0 FROM poll WHERE id = $1")
        .bind(id)
        .fetch_one(&mut **tx)
        .await
        .map_err(db_err)
}

/// Brings the deleted poll `id` back as its copy in the history has it, recorded as `action`.
pub(in crate::db::sqlite) async fn restore_one(
    tx: &mut Tx,
    id: i64,
    action: &str,
) -> Result<(Poll, Vec<Change>)> {
    if exists(tx, id).await? {
        return Err(poll_is_stored(id));
    }
    let Some(poll) = deleted_copy(tx, id).await? else {
        return Err(never_deleted(id));
    };
    let poll = with_current_slugs(tx, poll).await?;
    if let Some(other) = find_duplicate(tx, &poll, None).await? {
        return Err(restore_repeats(id, other));
    }
    // As it was: the copy passed the checks of its day, so it is not checked again.
    let entry = Stored {
        id,
        poll: &poll,
        created_at: poll.created_at.clone().unwrap_or_else(now),
        updated_at: poll.updated_at.clone().unwrap_or_else(now),
    };
    write_polls(tx, std::slice::from_ref(&entry)).await?;
    sqlx::query("DELETE FROM deleted_result WHERE poll_id = $1")
        .bind(id)
        .execute(&mut **tx)
        .await
        .map_err(db_err)?;
    let change = [("poll".to_string(), None, Some(format!("poll {id}")))];
    let recorded = record(tx, About::Poll(id), action, &change, None).await?;
    Ok((load_one(tx, id).await?, recorded))
}

/// Undoes the last change of the poll `id` (see [`crate::db::HistoryStore::undo_poll_change`]).
pub(in crate::db::sqlite) async fn undo_last(tx: &mut Tx, id: i64) -> Result<Undone> {
    let last: Option<(i64, String, Option<String>)> = sqlx::query_as(
        "SELECT id, action, snapshot FROM change
          WHERE id = (SELECT max(change_set) FROM change WHERE poll_id = $1)",
    )
    .bind(id)
    .fetch_optional(&mut **tx)
    .await
    .map_err(db_err)?;
    let last = last.map(|(set, action, snapshot)| LastChange {
        set,
        action,
        snapshot,
    });
    let changes = match undo_step(id, last.as_ref())? {
        UndoStep::DeleteAdded | UndoStep::DeleteRestored => delete_one(tx, id).await?.1,
        UndoStep::Restore => restore_one(tx, id, "restore").await?.1,
        UndoStep::GoBackTo(before) => {
            let before = with_current_slugs(tx, *before).await?;
            let current = load_one(tx, id).await?;
            super::refuse_new_duplicate(tx, &current, &before).await?;
            rewrite_poll_as(tx, &current, before, "undo").await?.0
        }
    };
    Ok(undone(last, changes))
}
