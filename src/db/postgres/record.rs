//! Writing the history: every change of a poll, question, pollster or source is recorded here,
//! with the reason the session gave (see [`super::PgStore::set_reason`]).
//!
//! The reason is the session's, not each operation's: every write transaction first keeps it
//! in a transaction-local setting ([`keep_reason`]), and every row recorded inside takes it
//! from there, so an operation records it without passing it along.

use super::polls::write::draw_ids;
use super::{db_err, now};
use crate::error::{Error, Result};
use crate::model::{Change, FieldChange, Poll};
use sqlx::PgConnection;

/// What a history row is about, by its stored id.
#[derive(Debug, Clone, Copy)]
pub(in crate::db::postgres) enum About {
    Poll(i64),
    Question(i64),
    Pollster(i64),
    Source(i64),
}

impl About {
    /// The `subject`, `poll_id` and `subject_id` columns.
    pub(in crate::db::postgres) fn columns(self) -> (&'static str, Option<i64>, Option<i64>) {
        match self {
            About::Poll(id) => ("poll", Some(id), None),
            About::Question(id) => ("question", None, Some(id)),
            About::Pollster(id) => ("pollster", None, Some(id)),
            About::Source(id) => ("source", None, Some(id)),
        }
    }
}

/// Keeps the session's reason for the rows recorded in the transaction just begun on `conn`:
/// a setting local to the transaction, gone at its end.
pub(in crate::db::postgres) async fn keep_reason(
    conn: &mut PgConnection,
    reason: Option<&str>,
) -> Result<()> {
    sqlx::query("SELECT set_config('polltrack.reason', $1, TRUE)")
        .bind(reason.unwrap_or(""))
        .execute(&mut *conn)
        .await
        .map_err(db_err)?;
    Ok(())
}

/// Appends one change to the history: a row per field, sharing one change set (the id of its
/// first row; ids come from the table's sequence, so writers never share one). `before` is the
/// whole poll before a change of a poll, kept so that the change can be undone. Returns the
/// rows recorded (nothing for no fields).
pub(in crate::db::postgres) async fn record(
    conn: &mut PgConnection,
    about: About,
    action: &str,
    changes: &[FieldChange],
    before: Option<&Poll>,
) -> Result<Vec<Change>> {
    if changes.is_empty() {
        return Ok(Vec::new());
    }
    let changed_at = now();
    let (subject, poll_id, subject_id) = about.columns();
    let snapshot = before
        .map(serde_json::to_string)
        .transpose()
        .map_err(|e| Error::storage(e.to_string(), e))?;
    let ids = draw_ids(conn, "change", changes.len()).await?;
    let first = ids[0];
    let reason: Option<String> =
        sqlx::query_scalar("SELECT nullif(current_setting('polltrack.reason', TRUE), '')")
            .fetch_one(&mut *conn)
            .await
            .map_err(db_err)?;
    let mut recorded = Vec::with_capacity(changes.len());
    for (n, ((field, old_value, new_value), id)) in changes.iter().zip(ids).enumerate() {
        sqlx::query(
            "INSERT INTO change (id, subject, poll_id, subject_id, changed_at, action, field,
                                 old_value, new_value, reason, change_set, snapshot)
             VALUES ($1, $2, $3, $4, $5::timestamp AT TIME ZONE 'UTC', $6, $7, $8, $9, $10,
                     $11, $12)",
        )
        .bind(id)
        .bind(subject)
        .bind(poll_id)
        .bind(subject_id)
        .bind(changed_at.as_str())
        .bind(action)
        .bind(field.as_str())
        .bind(old_value.as_deref())
        .bind(new_value.as_deref())
        .bind(reason.as_deref())
        .bind(first)
        // The whole poll once per change, on its first row.
        .bind(if n == 0 { snapshot.as_deref() } else { None })
        .execute(&mut *conn)
        .await
        .map_err(db_err)?;
        recorded.push(Change {
            id,
            subject: subject.to_string(),
            poll_id,
            subject_id,
            name: None,
            changed_at: changed_at.clone(),
            action: action.to_string(),
            field: field.clone(),
            old_value: old_value.clone(),
            new_value: new_value.clone(),
            reason: reason.clone(),
            change_set: first,
        });
    }
    Ok(recorded)
}

/// Records a change of the pollster `pollster_id` (stored id): `action` such as `alias`,
/// `merge` or `rename`, and its fields as (field, before, after).
pub(in crate::db::postgres) async fn record_pollster_change(
    conn: &mut PgConnection,
    pollster_id: i64,
    action: &str,
    changes: &[FieldChange],
) -> Result<()> {
    record(conn, About::Pollster(pollster_id), action, changes, None).await?;
    Ok(())
}
