//! Polls with their result sets, answers, sponsors and sources: [`PollStore`] for SQLite, over
//! the writes (`write`) and reads (`read`).

mod read;
mod undo;
mod write;

pub(in crate::db::sqlite) use read::*;
pub(in crate::db::sqlite) use undo::{restore_one, undo_last};
pub(in crate::db::sqlite) use write::*;

use super::{SqliteStore, commit, sources};
use crate::db::shared::polls::{unchanged_since_read, with_results};
use crate::db::{AddOutcome, PollStore};
use crate::error::{Error, Result};
use crate::model::{
    Change, ListOrder, Poll, PollFilter, QuestionKind, ResultSet, Source, Warning, today,
    validate_poll,
};
use sqlx::AssertSqlSafe;

impl PollStore for SqliteStore {
    /// As [`PollStore::add_poll`], giving the poll's questions `kind` where they have none (a new
    /// question, or one stored before kinds were known); another kind stored stays, with a
    /// warning.
    async fn add_poll_of_kind(
        &self,
        poll: &Poll,
        allow_duplicate: bool,
        kind: Option<QuestionKind>,
    ) -> Result<AddOutcome> {
        let poll = checked(poll.clone())?;
        let mut tx = self.write().await?;
        if !allow_duplicate && let Some(existing) = find_duplicate(&mut tx, &poll, None).await? {
            return Err(duplicate(existing));
        }
        let sources_before = sources::newest(&mut tx).await?;
        let (ids, mut warnings) = write_new_polls(&mut tx, std::slice::from_ref(&poll)).await?;
        sources::record_sources_of(&mut tx, ids[0], &[], sources_before).await?;
        let slugs = poll.results.iter().map(|r| r.question.as_str());
        warnings.extend(offer_kind(&mut tx, slugs, kind).await?);
        commit(self, tx).await?;
        warnings.extend(validate_poll(&poll, today()).1);
        Ok(AddOutcome {
            id: ids[0],
            warnings,
        })
    }

    /// The bulk path: records many polls in one transaction, all or none. Each poll must pass
    /// validation; no duplicate check is made. Returns the new ids in order.
    async fn insert_polls(&self, polls: &[Poll]) -> Result<(Vec<i64>, Vec<Warning>)> {
        let polls = polls
            .iter()
            .cloned()
            .map(checked)
            .collect::<Result<Vec<_>>>()?;
        let mut tx = self.write().await?;
        let outcome = write_new_polls(&mut tx, &polls).await?;
        commit(self, tx).await?;
        Ok(outcome)
    }

    /// As [`PollStore::add_results`], giving the questions `kind` as [`PollStore::add_poll_of_kind`] does. A
    /// question and population that would make the poll repeat another stored poll is refused
    /// as `add` refuses a duplicate, unless `allow_duplicate`.
    async fn add_results_of_kind(
        &self,
        id: i64,
        results: Vec<ResultSet>,
        sources: Vec<Source>,
        kind: Option<QuestionKind>,
        allow_duplicate: bool,
    ) -> Result<AddOutcome> {
        let mut tx = self.write().await?;
        let slugs: Vec<String> = results.iter().map(|r| r.question.trim().into()).collect();
        let old = load_one(&mut tx, id).await?;
        let new = with_results(id, &old, results, sources)?;
        if !allow_duplicate {
            refuse_new_duplicate(&mut tx, &old, &new).await?;
        }
        let sources_before = sources::newest(&mut tx).await?;
        let linked_before = sources::of_poll(&mut tx, id).await?;
        let mut warnings = rewrite_poll(&mut tx, &old, new).await?.1;
        sources::record_sources_of(&mut tx, id, &linked_before, sources_before).await?;
        warnings.extend(offer_kind(&mut tx, slugs.iter().map(String::as_str), kind).await?);
        commit(self, tx).await?;
        Ok(AddOutcome { id, warnings })
    }

    /// As [`PollStore::update_poll`]; with `allow_duplicate`, a poll repeating another is stored
    /// too. A `new` read before the poll's last change is refused (see [`PollStore::edit_poll`]).
    async fn edit_poll(
        &self,
        id: i64,
        new: &Poll,
        allow_duplicate: bool,
    ) -> Result<(Vec<Change>, Vec<Warning>)> {
        let mut tx = self.write().await?;
        let old = load_one(&mut tx, id).await?;
        unchanged_since_read(id, new, &old)?;
        if !allow_duplicate {
            refuse_new_duplicate(&mut tx, &old, new).await?;
        }
        let outcome = rewrite_poll(&mut tx, &old, new.clone()).await?;
        commit(self, tx).await?;
        Ok(outcome)
    }

    /// Deletes a poll, keeping a full copy of it in the history. Returns what was deleted.
    async fn delete_poll(&self, id: i64) -> Result<Poll> {
        let mut tx = self.write().await?;
        let (old, _) = delete_one(&mut tx, id).await?;
        commit(self, tx).await?;
        Ok(old)
    }

    /// Deletes these polls in one transaction, all or none, each as
    /// [`PollStore::delete_poll`] does. Returns them as they were, in the order of `ids`.
    async fn delete_polls(&self, ids: &[i64]) -> Result<Vec<Poll>> {
        let mut tx = self.write().await?;
        let mut deleted = Vec::with_capacity(ids.len());
        for &id in ids {
            deleted.push(delete_one(&mut tx, id).await?.0);
        }
        commit(self, tx).await?;
        Ok(deleted)
    }

    async fn get_poll(&self, id: i64) -> Result<Poll> {
        let mut tx = self.read().await?;
        load_one(&mut tx, id).await
    }

    /// Polls matching `filter`, by date; each holds only the result sets the filter selects.
    async fn list_polls(&self, filter: &PollFilter) -> Result<Vec<Poll>> {
        let mut tx = self.read().await?;
        load_polls(&mut tx, Selection::Filter(filter)).await
    }

    /// The polls [`PollStore::list_polls`] gives, in the same order, a page of at most
    /// [`LIST_PAGE_POLLS`] at a time, so memory does not grow with the database: only the
    /// matching polls' ids (8 bytes each) are held throughout. `passes` times over, on one
    /// snapshot of the database (a table sized on a first pass, printed on a second); `each`
    /// is given the pass and the page.
    async fn list_polls_in_pages(
        &self,
        filter: &PollFilter,
        order: ListOrder,
        passes: usize,
        mut each: impl FnMut(usize, Vec<Poll>) -> Result<()>,
    ) -> Result<()> {
        let mut tx = self.read().await?;
        let Parts {
            from,
            mut where_clause,
            mut binds,
            ..
        } = parts(&mut tx, Selection::Filter(filter)).await?;
        let direction = if order.newest_first { "DESC" } else { "ASC" };
        // The place a next page starts, on the polls of `alias`, bound after the filter's
        // values: its placeholders come after the filter's in the text, and are numbered after
        // them.
        let beyond = if order.newest_first { "<" } else { ">" };
        let mut after = |alias: &str| match order.after {
            Some(after) => {
                let key = format!(
                    "({alias}.poll_date, {alias}.id) {beyond} (${}, ${})",
                    binds.len() + 1,
                    binds.len() + 2
                );
                binds.extend([BindValue::Date(after.date), BindValue::Int(after.id)]);
                Some(key)
            }
            None => None,
        };
        let sql = match order.limit {
            // A page: polls walked by date (the poll_date index, whose ties are in id order),
            // each kept if one of its result sets matches, until the page is full. Sorting
            // every matching poll first would cost a page of a large question as much as all
            // of it.
            Some(_) => {
                let inner = match where_clause.is_empty() {
                    true => "WHERE p.id = o.id".to_string(),
                    false => format!("{where_clause} AND p.id = o.id"),
                };
                let key = after("o")
                    .map(|key| format!("AND {key}"))
                    .unwrap_or_default();
                format!(
                    "SELECT json_group_array(id) FROM
                        (SELECT o.id FROM poll o
                          WHERE EXISTS (SELECT 1 FROM {from} {inner}) {key}
                          ORDER BY o.poll_date {direction}, o.id {direction} LIMIT ${})",
                    binds.len() + 1
                )
            }
            // Everything: only the matching rows are read (through the filter's indexes), then
            // sorted.
            None => {
                if let Some(key) = after("p") {
                    where_clause = match where_clause.is_empty() {
                        true => format!("WHERE {key}"),
                        false => format!("{where_clause} AND {key}"),
                    };
                }
                format!(
                    "SELECT json_group_array(id) FROM
                        (SELECT DISTINCT p.id, p.poll_date FROM {from} {where_clause}
                          ORDER BY p.poll_date {direction}, p.id {direction})"
                )
            }
        };
        let mut query = bind_all(sqlx::query_scalar::<_, String>(AssertSqlSafe(sql)), binds);
        if let Some(limit) = order.limit {
            query = query.bind(i64::try_from(limit).unwrap_or(i64::MAX));
        }
        let json = query.fetch_one(&mut *tx).await.map_err(|e| self.err(e))?;
        let ids: Vec<i64> = serde_json::from_str(&json)
            .map_err(|e| Error::storage(format!("database: unreadable poll ids: {e}"), e))?;
        drop(json);
        for pass in 0..passes {
            for page in ids.chunks(LIST_PAGE_POLLS) {
                let selection = Selection::FilterIds { filter, ids: page };
                let mut polls = load_polls(&mut tx, selection).await?;
                // A page loads oldest first; its ids came newest first.
                if order.newest_first {
                    polls.reverse();
                }
                each(pass, polls)?;
            }
        }
        Ok(())
    }
}

/// The polls in a page of [`PollStore::list_polls_in_pages`].
pub const LIST_PAGE_POLLS: usize = 5_000;
