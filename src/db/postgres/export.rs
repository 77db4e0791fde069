//! Reading polls out in pages on one snapshot: the [`ExportStore`] of [`PgStore`].

use super::polls::read::{Bind, Conditions, PollRow, head_columns, read_parts};
use super::{PgStore, Tx, db_err};
use crate::db::{ExportSnapshot, ExportStore, PollPage};
use crate::error::Result;
use crate::model::PollFilter;
use sqlx::AssertSqlSafe;

/// Polls read per page: enough that a page's few queries cost little beside its rows, few
/// enough that a page's memory stays small.
const PAGE_POLLS: i64 = 2_000;

/// A read-only transaction on one snapshot of the database (REPEATABLE READ), so an export is
/// one state of the database, never half of one write and half of the next.
pub struct PgSnapshot<'db> {
    db: &'db PgStore,
    tx: Tx,
}

impl ExportStore for PgStore {
    type Snapshot<'a> = PgSnapshot<'a>;

    /// Starts a [`PgSnapshot`]. It holds its connection until finished or dropped.
    async fn snapshot(&self) -> Result<PgSnapshot<'_>> {
        Ok(PgSnapshot {
            db: self,
            tx: self.read().await?,
        })
    }

    /// Number of polls stored, for progress and summaries.
    async fn count_polls(&self) -> Result<i64> {
        sqlx::query_scalar("SELECT count(*) FROM poll")
            .fetch_one(&self.pool)
            .await
            .map_err(|e| self.err(e))
    }
}

impl ExportSnapshot for PgSnapshot<'_> {
    /// Calls `each` with the polls matching `filter`, by id, a page of whole polls at a time
    /// (the next page starts after the last id of the one before); each poll holds only the
    /// result sets the filter selects.
    async fn for_each_page(
        &mut self,
        filter: &PollFilter,
        mut each: impl FnMut(PollPage) -> Result<()> + Send,
    ) -> Result<()> {
        let mut after = 0;
        loop {
            let heads = page_heads(&mut self.tx, filter, after).await?;
            let Some(last) = heads.last().map(|head| head.id) else {
                break;
            };
            let ids: Vec<i64> = heads.iter().map(|head| head.id).collect();
            let full = ids.len() as i64 == PAGE_POLLS;
            let parts = read_parts(&mut self.tx, ids, heads, Some(filter)).await?;
            // Put together where the page is read, on the writing thread, while the next page
            // is fetched here.
            each(PollPage::new(move || Ok(parts.assemble())))?;
            if !full {
                break;
            }
            after = last;
        }
        Ok(())
    }

    /// Ends the read transaction.
    async fn finish(self) -> Result<()> {
        self.tx.rollback().await.map_err(|e| self.db.err(e))
    }
}

/// The next page's polls' own rows: at most [`PAGE_POLLS`] polls matching `filter` with ids
/// above `after`, by id.
async fn page_heads(tx: &mut Tx, filter: &PollFilter, after: i64) -> Result<Vec<PollRow>> {
    let mut conditions = Conditions::default();
    let n = conditions.push_bind(Bind::Int(after));
    conditions.push(format!("p.id > ${n}"));
    conditions.of_filter(filter);
    let limit = conditions.push_bind(Bind::Int(PAGE_POLLS));
    // Polls walked by their primary key, each kept if one of its result sets matches: the
    // read stops after a page, where a DISTINCT over the joined rows would sort every row
    // left at each page. Their own columns come with them, not in a second read by id.
    let sql = format!(
        concat!(
            "SELECT ",
            head_columns!(),
            " FROM poll p JOIN pollster pr ON pr.id = p.pollster_id
             WHERE p.id > ${n} AND EXISTS (
                   SELECT 1 FROM result_set rs
                     JOIN pollster pr ON pr.id = p.pollster_id
                     JOIN question q ON q.id = rs.question_id
                   {where_clause} AND rs.poll_id = p.id)
             ORDER BY p.id LIMIT ${limit}"
        ),
        n = n,
        limit = limit,
        where_clause = conditions.where_clause()
    );
    sqlx::query_as_with(AssertSqlSafe(sql), conditions.arguments()?)
        .fetch_all(&mut **tx)
        .await
        .map_err(db_err)
}
