//! The change history: every change of a poll, question, pollster or source (written by
//! `record`).

use super::commit;
use super::polls::{restore_one, undo_last};
use super::record::About;
use super::{SqliteStore, pollsters, questions, sources};
use crate::db::{HistoryStore, PollStore, Undone};
use crate::error::Result;
use crate::model::{Change, Poll, Subject};

impl HistoryStore for SqliteStore {
    /// The changes of one poll, question, pollster or source, or of everything, oldest first.
    async fn history_of(&self, subject: Option<&Subject>) -> Result<Vec<Change>> {
        let mut tx = self.read().await?;
        let about = match subject {
            None => None,
            Some(Subject::Poll(id)) => Some(About::Poll(*id)),
            Some(Subject::Question(slug)) => Some(About::Question(
                questions::question_id(self, &mut tx, slug).await?,
            )),
            Some(Subject::Pollster(name)) => match pollsters::require(&mut tx, name).await {
                Ok((id, _)) => Some(About::Pollster(id)),
                // A pollster removed since (`pollster prune`) is found by the name its removal
                // recorded, so its history can still be read.
                Err(missing) => {
                    let removed: Option<i64> = sqlx::query_scalar(
                        "SELECT subject_id FROM change
                          WHERE subject = 'pollster' AND action = 'remove'
                            AND lower(old_value) = lower($1)
                          ORDER BY id DESC LIMIT 1",
                    )
                    .bind(name.trim())
                    .fetch_optional(&mut *tx)
                    .await
                    .map_err(|e| self.err(e))?;
                    Some(About::Pollster(removed.ok_or(missing)?))
                }
            },
            Some(Subject::Source(key)) => {
                Some(About::Source(sources::require(&mut tx, key).await?))
            }
        };
        let (subject, poll_id, subject_id) = match about {
            Some(about) => {
                let (subject, poll_id, subject_id) = about.columns();
                (Some(subject), poll_id, subject_id)
            }
            None => (None, None, None),
        };
        let rows: Vec<ChangeRow> = sqlx::query_as(
            "SELECT c.id, c.subject, c.poll_id, c.subject_id,
                    CASE c.subject
                         WHEN 'question' THEN (SELECT slug FROM question WHERE id = c.subject_id)
                         WHEN 'pollster' THEN coalesce(
                              (SELECT name FROM pollster WHERE id = c.subject_id),
                              (SELECT r.old_value FROM change r
                                WHERE r.subject = 'pollster' AND r.subject_id = c.subject_id
                                  AND r.action = 'remove' ORDER BY r.id DESC LIMIT 1))
                         WHEN 'source' THEN
                              (SELECT coalesce(url, title) FROM source WHERE id = c.subject_id)
                    END AS name,
                    c.changed_at, c.action, c.field, c.old_value, c.new_value, c.reason,
                    c.change_set
               FROM change c
              WHERE ($1 IS NULL OR c.subject = $1)
                AND ($2 IS NULL OR c.poll_id = $2)
                AND ($3 IS NULL OR c.subject_id = $3)
              ORDER BY c.id",
        )
        .bind(subject)
        .bind(poll_id)
        .bind(subject_id)
        .fetch_all(&mut *tx)
        .await
        .map_err(|e| self.err(e))?;
        drop(tx);
        if let Some(id) = poll_id
            && rows.is_empty()
        {
            // A poll never edited has no history; one that never existed is an error.
            self.get_poll(id).await?;
        }
        Ok(rows
            .into_iter()
            .map(|row| Change {
                id: row.id,
                subject: row.subject,
                poll_id: row.poll_id,
                subject_id: row.subject_id,
                name: row.name,
                changed_at: row.changed_at,
                action: row.action,
                field: row.field,
                old_value: row.old_value,
                new_value: row.new_value,
                reason: row.reason,
                change_set: row.change_set,
            })
            .collect())
    }

    /// Brings a deleted poll back as it was; see [`HistoryStore::restore_poll`].
    async fn restore_poll(&self, id: i64) -> Result<Poll> {
        let mut tx = self.write().await?;
        let (poll, _) = restore_one(&mut tx, id, "restore").await?;
        commit(self, tx).await?;
        Ok(poll)
    }

    /// Undoes the last change of a poll; see [`HistoryStore::undo_poll_change`].
    async fn undo_poll_change(&self, id: i64) -> Result<Undone> {
        let mut tx = self.write().await?;
        let undone = undo_last(&mut tx, id).await?;
        commit(self, tx).await?;
        Ok(undone)
    }
}

/// A row of the history as stored.
#[derive(sqlx::FromRow)]
struct ChangeRow {
    id: i64,
    subject: String,
    poll_id: Option<i64>,
    subject_id: Option<i64>,
    name: Option<String>,
    changed_at: String,
    action: String,
    field: String,
    old_value: Option<String>,
    new_value: Option<String>,
    reason: Option<String>,
    change_set: i64,
}
