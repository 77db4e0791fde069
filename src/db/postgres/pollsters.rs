//! Pollsters, their aliases, merging and renaming: the [`PollsterStore`] of [`PgStore`].

use super::{PgStore, not_yet};
use crate::db::{Merged, PollsterStore, Renamed};
use crate::error::Result;
use crate::model::Pollster;

impl PollsterStore for PgStore {
    async fn list_pollsters(&self) -> Result<Vec<Pollster>> {
        Err(not_yet())
    }

    async fn add_pollster_alias(&self, _alias: &str, _name: &str) -> Result<String> {
        Err(not_yet())
    }

    async fn merge_pollsters_with(
        &self,
        _from: &str,
        _into: &str,
        _combine: bool,
    ) -> Result<Merged> {
        Err(not_yet())
    }

    async fn rename_pollster(&self, _old: &str, _new: &str, _keep_alias: bool) -> Result<Renamed> {
        Err(not_yet())
    }

    async fn pollster_spellings(&self) -> Result<Vec<(String, String)>> {
        Err(not_yet())
    }

    async fn prune_pollsters(&self) -> Result<Vec<String>> {
        Err(not_yet())
    }
}
