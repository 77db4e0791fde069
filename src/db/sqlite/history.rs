//! The change history: every edit or delete of a poll.

use super::SqliteStore;
use crate::db::{HistoryStore, PollStore};
use crate::error::Result;
use crate::model::Change;

impl HistoryStore for SqliteStore {
    /// Changes to one poll, or to all polls, oldest first.
    async fn history(&self, poll: Option<i64>) -> Result<Vec<Change>> {
        let rows: Vec<ChangeRow> = sqlx::query_as(
            "SELECT id, poll_id, changed_at, action, field, old_value, new_value FROM change
              WHERE $1 IS NULL OR poll_id = $1 ORDER BY id",
        )
        .bind(poll)
        .fetch_all(&self.pool)
        .await
        .map_err(|e| self.err(e))?;
        if let Some(id) = poll
            && rows.is_empty()
        {
            // A poll never edited has no history; one that never existed is an error.
            self.get_poll(id).await?;
        }
        Ok(rows
            .into_iter()
            .map(|row| Change {
                id: row.id,
                poll_id: row.poll_id,
                changed_at: row.changed_at,
                action: row.action,
                field: row.field,
                old_value: row.old_value,
                new_value: row.new_value,
            })
            .collect())
    }
}

/// A row of the history as stored.
#[derive(sqlx::FromRow)]
struct ChangeRow {
    id: i64,
    poll_id: i64,
    changed_at: String,
    action: String,
    field: String,
    old_value: Option<String>,
    new_value: Option<String>,
}
