//! Sources (articles, releases) and the polls they report: the [`SourceStore`] of [`PgStore`].

use super::{PgStore, not_yet};
use crate::db::SourceStore;
use crate::error::Result;
use crate::model::{Source, SourceWithPolls};

impl SourceStore for PgStore {
    async fn add_source(&self, _source: &Source, _polls: &[i64]) -> Result<i64> {
        Err(not_yet())
    }

    async fn link_source(&self, _key: &str, _polls: &[i64]) -> Result<i64> {
        Err(not_yet())
    }

    async fn list_sources(&self, _poll: Option<i64>) -> Result<Vec<SourceWithPolls>> {
        Err(not_yet())
    }

    async fn get_source(&self, _key: &str) -> Result<SourceWithPolls> {
        Err(not_yet())
    }
}
