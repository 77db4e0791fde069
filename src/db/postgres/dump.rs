//! A whole database at once, ids and history included: the [`DumpStore`] of [`PgStore`].

use super::{PgStore, not_yet};
use crate::db::DumpStore;
use crate::error::Result;
use crate::model::dump::Dump;

impl DumpStore for PgStore {
    async fn read_dump(&self) -> Result<Dump> {
        Err(not_yet())
    }

    async fn load_dump(&self, _dump: &Dump) -> Result<()> {
        Err(not_yet())
    }
}
