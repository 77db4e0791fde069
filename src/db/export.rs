//! Reading polls out in pages, so an export's memory does not grow with the database.

use super::polls::{Selection, load_polls_json, page_end, parse_polls};
use super::{Db, Tx, db_err};
use crate::error::Result;
use crate::model::{Poll, PollFilter, name_key};
use sqlx::SqliteConnection;

/// Result sets read per page.
const PAGE_ROWS: i64 = 5_000;

/// A page of polls as SQLite wrote them; [`PollPage::polls`] reads them. Kept apart so that an
/// export can read the next page from the database while another thread writes this one.
pub struct PollPage(String);

impl PollPage {
    pub fn polls(&self) -> Result<Vec<Poll>> {
        parse_polls(&self.0)
    }
}

/// A read transaction for an export: every read through it sees the database as it stood at
/// the first, whatever other processes commit meanwhile, so an export is one state of the
/// database, never half of one write and half of the next.
pub struct Snapshot<'db> {
    db: &'db Db,
    tx: Tx,
}

impl Db {
    /// Starts a [`Snapshot`]. It holds the connection until it is finished or dropped.
    pub async fn snapshot(&self) -> Result<Snapshot<'_>> {
        Ok(Snapshot {
            db: self,
            tx: self.read().await?,
        })
    }
}

impl Snapshot<'_> {
    /// Calls `each` with the polls matching `filter`, by id, a page of whole polls at a time;
    /// each poll holds only the result sets the filter selects.
    pub async fn for_each_page(
        &mut self,
        filter: &PollFilter,
        mut each: impl FnMut(PollPage) -> Result<()>,
    ) -> Result<()> {
        let conn: &mut SqliteConnection = &mut self.tx;
        let mut after = 0;
        while let Some(before) = page_end(conn, filter, after, PAGE_ROWS).await? {
            let page = Selection::Page {
                filter,
                after,
                before,
            };
            each(PollPage(load_polls_json(conn, page).await?))?;
            match before {
                Some(before) => after = before - 1,
                None => return Ok(()),
            }
        }
        Ok(())
    }

    /// As [`Snapshot::for_each_page`], with each page read.
    pub async fn for_each_poll(
        &mut self,
        filter: &PollFilter,
        mut each: impl FnMut(&[Poll]) -> Result<()>,
    ) -> Result<()> {
        self.for_each_page(filter, |page| each(&page.polls()?))
            .await
    }

    /// The answer labels of the polls matching `filter`, each once (ignoring case), in order
    /// of first appearance: the answer columns of a wide export.
    pub async fn answer_labels(&mut self, filter: &PollFilter) -> Result<Vec<String>> {
        let mut labels: Vec<String> = Vec::new();
        let mut seen = std::collections::HashSet::new();
        self.for_each_poll(filter, |polls| {
            for answer in polls
                .iter()
                .flat_map(|p| &p.results)
                .flat_map(|r| &r.answers)
            {
                if seen.insert(name_key(&answer.label)) {
                    labels.push(answer.label.clone());
                }
            }
            Ok(())
        })
        .await?;
        Ok(labels)
    }

    /// Ends the read transaction.
    pub async fn finish(self) -> Result<()> {
        self.tx.rollback().await.map_err(|e| self.db.err(e))
    }
}

impl Db {
    /// Number of polls stored, for progress and summaries.
    pub async fn count_polls(&self) -> Result<i64> {
        sqlx::query_scalar("SELECT count(*) FROM poll")
            .fetch_one(&self.pool)
            .await
            .map_err(db_err)
    }
}
