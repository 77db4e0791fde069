//! Reading polls out in pages, so an export's memory does not grow with the database.

use super::polls::{Selection, load_polls_json, page_end, parse_polls};
use super::{SqliteStore, Tx, db_err};
use crate::db::{ExportSnapshot, ExportStore, PollPage};
use crate::error::Result;
use crate::model::PollFilter;
use sqlx::SqliteConnection;

/// Result sets read per page.
const PAGE_ROWS: i64 = 5_000;

/// A read transaction for an export: every read through it sees the database as it stood at
/// the first, whatever other processes commit meanwhile, so an export is one state of the
/// database, never half of one write and half of the next.
pub struct SqliteSnapshot<'db> {
    db: &'db SqliteStore,
    tx: Tx,
}

impl ExportStore for SqliteStore {
    type Snapshot<'a> = SqliteSnapshot<'a>;

    /// Starts a [`SqliteSnapshot`]. It holds the connection until it is finished or dropped.
    async fn snapshot(&self) -> Result<SqliteSnapshot<'_>> {
        Ok(SqliteSnapshot {
            db: self,
            tx: self.read().await?,
        })
    }

    /// Number of polls stored, for progress and summaries.
    async fn count_polls(&self) -> Result<i64> {
        sqlx::query_scalar("SELECT count(*) FROM poll")
            .fetch_one(&self.pool)
            .await
            .map_err(db_err)
    }
}

impl ExportSnapshot for SqliteSnapshot<'_> {
    /// Calls `each` with the polls matching `filter`, by id, a page of whole polls at a time;
    /// each poll holds only the result sets the filter selects. SQLite writes each page as
    /// JSON, made into polls where the page's reader calls [`PollPage::polls`].
    async fn for_each_page(
        &mut self,
        filter: &PollFilter,
        mut each: impl FnMut(PollPage) -> Result<()> + Send,
    ) -> Result<()> {
        let conn: &mut SqliteConnection = &mut self.tx;
        let mut after = 0;
        while let Some(before) = page_end(conn, filter, after, PAGE_ROWS).await? {
            let page = Selection::Page {
                filter,
                after,
                before,
            };
            let json = load_polls_json(conn, page).await?;
            each(PollPage::new(move || parse_polls(&json)))?;
            match before {
                Some(before) => after = before - 1,
                None => break,
            }
        }
        Ok(())
    }

    /// Ends the read transaction.
    async fn finish(self) -> Result<()> {
        self.tx.rollback().await.map_err(|e| self.db.err(e))
    }
}
