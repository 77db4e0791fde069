//! Writing and reading polls: the [`PollStore`] of [`PgStore`]; `read` and `write` hold what
//! the other concerns share (a poll read whole, a poll written whole, a duplicate found).

pub(in crate::db::postgres) mod read;
pub(in crate::db::postgres) mod undo;
pub(in crate::db::postgres) mod write;

use super::{PgStore, not_yet};
use crate::db::{AddOutcome, PollStore};
use crate::error::Result;
use crate::model::{Change, ListOrder, Poll, PollFilter, QuestionKind, ResultSet, Source, Warning};

impl PollStore for PgStore {
    async fn add_poll_of_kind(
        &self,
        _poll: &Poll,
        _allow_duplicate: bool,
        _kind: Option<QuestionKind>,
    ) -> Result<AddOutcome> {
        Err(not_yet())
    }

    async fn insert_polls(&self, _polls: &[Poll]) -> Result<(Vec<i64>, Vec<Warning>)> {
        Err(not_yet())
    }

    async fn add_results_of_kind(
        &self,
        _id: i64,
        _results: Vec<ResultSet>,
        _sources: Vec<Source>,
        _kind: Option<QuestionKind>,
        _allow_duplicate: bool,
    ) -> Result<AddOutcome> {
        Err(not_yet())
    }

    async fn edit_poll(
        &self,
        _id: i64,
        _new: &Poll,
        _allow_duplicate: bool,
    ) -> Result<(Vec<Change>, Vec<Warning>)> {
        Err(not_yet())
    }

    async fn delete_poll(&self, _id: i64) -> Result<Poll> {
        Err(not_yet())
    }

    async fn delete_polls(&self, _ids: &[i64]) -> Result<Vec<Poll>> {
        Err(not_yet())
    }

    async fn get_poll(&self, _id: i64) -> Result<Poll> {
        Err(not_yet())
    }

    async fn list_polls(&self, _filter: &PollFilter) -> Result<Vec<Poll>> {
        Err(not_yet())
    }

    async fn list_polls_in_pages(
        &self,
        _filter: &PollFilter,
        _order: ListOrder,
        _passes: usize,
        _each: impl FnMut(usize, Vec<Poll>) -> Result<()> + Send,
    ) -> Result<()> {
        Err(not_yet())
    }
}
