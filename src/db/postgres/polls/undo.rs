//! Bringing a deleted poll back, and undoing the last change of a poll, from the history.

use super::read::load_one;
use super::write::{delete_one, find_duplicate, refuse_new_duplicate, rewrite_poll_as, write_poll};
use crate::db::Undone;
use crate::db::postgres::db_err;
use crate::db::postgres::record::{About, record};
use crate::db::shared::history::{
    LastChange, UndoStep, never_deleted, poll_from_history, poll_is_stored, restore_repeats,
    undo_step, undone,
};
use crate::error::Result;
use crate::model::{Change, Poll};
use sqlx::PgConnection;

/// The poll `id`'s full copy from its last deletion, if it was deleted.
async fn deleted_copy(conn: &mut PgConnection, id: i64) -> Result<Option<Poll>> {
    let copy: Option<Option<String>> = sqlx::query_scalar(
        "SELECT old_value FROM change WHERE poll_id = $1 AND action = 'delete'
          ORDER BY id DESC LIMIT 1",
    )
    .bind(id)
    .fetch_optional(&mut *conn)
    .await
    .map_err(db_err)?;
    copy.flatten()
        .map(|json| poll_from_history(&json))
        .transpose()
}

/// A poll from the history with each question under its slug of today: a question renamed
/// since the copy was taken is found by its rename in the history, so that going back to the
/// copy does not make a second question of the old slug.
async fn with_current_slugs(conn: &mut PgConnection, mut poll: Poll) -> Result<Poll> {
    for result in &mut poll.results {
        let slug: Option<String> = sqlx::query_scalar(
            "SELECT q.slug FROM change c JOIN question q ON q.id = c.subject_id
              WHERE c.subject = 'question' AND c.field = 'slug' AND c.old_value = $1
                AND NOT EXISTS (SELECT 1 FROM question WHERE slug = $1)
              ORDER BY c.id DESC LIMIT 1",
        )
        .bind(result.question.as_str())
        .fetch_optional(&mut *conn)
        .await
        .map_err(db_err)?;
        if let Some(slug) = slug {
            result.question = slug;
        }
    }
    Ok(poll)
}

/// Whether `id` is a stored poll.
async fn exists(conn: &mut PgConnection, id: i64) -> Result<bool> {
    sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM poll WHERE id = $1)")
        .bind(id)
        .fetch_one(&mut *conn)
        .await
        .map_err(db_err)
}

/// Brings the deleted poll `id` back as its copy in the history has it, recorded as `action`.
pub(in crate::db::postgres) async fn restore_one(
    conn: &mut PgConnection,
    id: i64,
    action: &str,
) -> Result<(Poll, Vec<Change>)> {
    if exists(conn, id).await? {
        return Err(poll_is_stored(id));
    }
    let Some(poll) = deleted_copy(conn, id).await? else {
        return Err(never_deleted(id));
    };
    let poll = with_current_slugs(conn, poll).await?;
    if let Some(other) = find_duplicate(conn, &poll, None).await? {
        return Err(restore_repeats(id, other));
    }
    // As it was, its timestamps included: the copy passed the checks of its day, so it is
    // not checked again.
    write_poll(conn, &poll, Some(id)).await?;
    sqlx::query("DELETE FROM deleted_result WHERE poll_id = $1")
        .bind(id)
        .execute(&mut *conn)
        .await
        .map_err(db_err)?;
    let change = [("poll".to_string(), None, Some(format!("poll {id}")))];
    let recorded = record(conn, About::Poll(id), action, &change, None).await?;
    Ok((load_one(conn, id).await?, recorded))
}

/// Undoes the last change of the poll `id` (see [`crate::db::HistoryStore::undo_poll_change`]).
pub(in crate::db::postgres) async fn undo_last(conn: &mut PgConnection, id: i64) -> Result<Undone> {
    let last: Option<(i64, String, Option<String>)> = sqlx::query_as(
        "SELECT id, action, snapshot FROM change
          WHERE id = (SELECT max(change_set) FROM change WHERE poll_id = $1)",
    )
    .bind(id)
    .fetch_optional(&mut *conn)
    .await
    .map_err(db_err)?;
    let last = last.map(|(set, action, snapshot)| LastChange {
        set,
        action,
        snapshot,
    });
    let changes = match undo_step(id, last.as_ref())? {
        UndoStep::DeleteAdded | UndoStep::DeleteRestored => delete_one(conn, id).await?.1,
        UndoStep::Restore => restore_one(conn, id, "restore").await?.1,
        UndoStep::GoBackTo(before) => {
            let before = with_current_slugs(conn, *before).await?;
            let current = load_one(conn, id).await?;
            refuse_new_duplicate(conn, &current, &before).await?;
            rewrite_poll_as(conn, &current, before, "undo").await?.0
        }
    };
    Ok(undone(last, changes))
}
