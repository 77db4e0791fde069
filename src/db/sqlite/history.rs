//! The change history: every edit or delete of a poll.

use super::{SqliteStore, db_err};
use crate::db::{HistoryStore, PollStore};
use crate::error::Result;
use crate::model::Change;
use sqlx::Row;

impl HistoryStore for SqliteStore {
    /// Changes to one poll, or to all polls, oldest first.
    async fn history(&self, poll: Option<i64>) -> Result<Vec<Change>> {
        let rows = sqlx::query(
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
        rows.iter()
            .map(|row| {
                Ok(Change {
                    id: row.try_get(0).map_err(db_err)?,
                    poll_id: row.try_get(1).map_err(db_err)?,
                    changed_at: row.try_get(2).map_err(db_err)?,
                    action: row.try_get(3).map_err(db_err)?,
                    field: row.try_get(4).map_err(db_err)?,
                    old_value: row.try_get(5).map_err(db_err)?,
                    new_value: row.try_get(6).map_err(db_err)?,
                })
            })
            .collect()
    }
}
