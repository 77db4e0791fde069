//! Reading one question's polls for a trend, as plain typed rows: the [`SeriesStore`] of
//! [`PgStore`].

use super::{PgStore, not_yet};
use crate::db::{SeriesFilter, SeriesStore};
use crate::error::Result;
use crate::model::PollResult;

impl SeriesStore for PgStore {
    async fn poll_results(&self, _filter: &SeriesFilter) -> Result<Vec<PollResult>> {
        Err(not_yet())
    }
}
