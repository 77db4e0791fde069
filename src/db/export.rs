//! Reading polls out in pages, so an export's memory does not grow with the database.

use super::polls::{Selection, load_polls};
use super::{Db, db_err};
use crate::error::Result;
use crate::model::{Poll, PollFilter, name_key};

/// Result sets read per page.
const PAGE_ROWS: i64 = 5_000;

impl Db {
    /// Calls `each` with the polls matching `filter`, by id, a page at a time; each poll holds
    /// only the result sets the filter selects.
    pub async fn for_each_poll(
        &self,
        filter: &PollFilter,
        mut each: impl FnMut(&[Poll]) -> Result<()>,
    ) -> Result<()> {
        let mut conn = self.pool.acquire().await.map_err(|e| self.err(e))?;
        let mut after = 0;
        loop {
            let mut page = load_polls(
                &mut conn,
                Selection::Page {
                    filter,
                    after,
                    rows: PAGE_ROWS,
                },
            )
            .await?;
            let rows: usize = page.iter().map(|p| p.results.len()).sum();
            let full = rows as i64 >= PAGE_ROWS;
            if full && page.len() > 1 {
                // The last poll may have result sets on the next page: read it whole then.
                page.pop();
            }
            let Some(last) = page.last().and_then(|p| p.id) else {
                return Ok(());
            };
            each(&page)?;
            if !full {
                return Ok(());
            }
            after = last;
        }
    }

    /// The answer labels of the polls matching `filter`, each once (ignoring case), in order
    /// of first appearance: the answer columns of a wide export.
    pub async fn answer_labels(&self, filter: &PollFilter) -> Result<Vec<String>> {
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

    /// Number of polls stored, for progress and summaries.
    pub async fn count_polls(&self) -> Result<i64> {
        sqlx::query_scalar("SELECT count(*) FROM poll")
            .fetch_one(&self.pool)
            .await
            .map_err(db_err)
    }
}
