//! The record of every change, restoring deleted polls and undoing changes: the
//! [`HistoryStore`] of [`PgStore`].

use super::{PgStore, not_yet};
use crate::db::{HistoryStore, Undone};
use crate::error::Result;
use crate::model::{Change, Poll, Subject};

impl HistoryStore for PgStore {
    async fn history_of(&self, _subject: Option<&Subject>) -> Result<Vec<Change>> {
        Err(not_yet())
    }

    async fn restore_poll(&self, _id: i64) -> Result<Poll> {
        Err(not_yet())
    }

    async fn undo_poll_change(&self, _id: i64) -> Result<Undone> {
        Err(not_yet())
    }
}
