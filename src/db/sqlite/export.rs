//! Reading polls out in pages, so an export's memory does not grow with the database.

use super::polls::{Selection, load_polls_json, page_end, parse_polls};
use super::{SqliteStore, Tx, db_err};
use crate::db::{ExportSnapshot, ExportStore};
use crate::error::{Error, Result};
use crate::model::{Poll, PollFilter};
use sqlx::SqliteConnection;

/// Result sets read per page.
const PAGE_ROWS: i64 = 5_000;

/// A page of polls as SQLite wrote them (JSON), read into polls off the executor while the
/// next page is read from the database.
struct PollPage(String);

impl PollPage {
    fn polls(&self) -> Result<Vec<Poll>> {
        parse_polls(&self.0)
    }

    /// Reads the page on a blocking thread of its own.
    fn read_aside(self) -> tokio::task::JoinHandle<Result<Vec<Poll>>> {
        tokio::task::spawn_blocking(move || self.polls())
    }
}

async fn joined(reading: tokio::task::JoinHandle<Result<Vec<Poll>>>) -> Result<Vec<Poll>> {
    reading
        .await
        .map_err(|e| Error::Failed(format!("export: reading a page of polls failed: {e}")))?
}

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
    /// JSON, read into polls on another thread while the next page is read.
    async fn for_each_page(
        &mut self,
        filter: &PollFilter,
        mut each: impl FnMut(Vec<Poll>) -> Result<()> + Send,
    ) -> Result<()> {
        let conn: &mut SqliteConnection = &mut self.tx;
        let mut after = 0;
        let mut reading = None;
        while let Some(before) = page_end(conn, filter, after, PAGE_ROWS).await? {
            let page = Selection::Page {
                filter,
                after,
                before,
            };
            let json = PollPage(load_polls_json(conn, page).await?);
            if let Some(previous) = reading.replace(json.read_aside()) {
                each(joined(previous).await?)?;
            }
            match before {
                Some(before) => after = before - 1,
                None => break,
            }
        }
        if let Some(last) = reading {
            each(joined(last).await?)?;
        }
        Ok(())
    }

    /// Ends the read transaction.
    async fn finish(self) -> Result<()> {
        self.tx.rollback().await.map_err(|e| self.db.err(e))
    }
}
