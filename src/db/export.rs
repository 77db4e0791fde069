//! Reading polls out in pages, so an export's memory does not grow with the database.

use super::polls::{Selection, load_polls_json, page_end, parse_polls};
use super::{Db, db_err};
use crate::error::Result;
use crate::model::{Poll, PollFilter, name_key};

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

impl Db {
    /// Calls `each` with the polls matching `filter`, by id, a page of whole polls at a time;
    /// each poll holds only the result sets the filter selects.
    pub async fn for_each_page(
        &self,
        filter: &PollFilter,
        mut each: impl FnMut(PollPage) -> Result<()>,
    ) -> Result<()> {
        let mut conn = self.pool.acquire().await.map_err(|e| self.err(e))?;
        let mut after = 0;
        while let Some(before) = page_end(&mut conn, filter, after, PAGE_ROWS).await? {
            let page = Selection::Page {
                filter,
                after,
                before,
            };
            each(PollPage(load_polls_json(&mut conn, page).await?))?;
            match before {
                Some(before) => after = before - 1,
                None => return Ok(()),
            }
        }
        Ok(())
    }

    /// As [`Db::for_each_page`], with each page read.
    pub async fn for_each_poll(
        &self,
        filter: &PollFilter,
        mut each: impl FnMut(&[Poll]) -> Result<()>,
    ) -> Result<()> {
        self.for_each_page(filter, |page| each(&page.polls()?))
            .await
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
