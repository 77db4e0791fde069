//! Reading polls out in pages on one snapshot: the [`ExportStore`] of [`PgStore`].

use super::{PgStore, Tx, not_yet};
use crate::db::{ExportSnapshot, ExportStore, PollPage};
use crate::error::Result;
use crate::model::PollFilter;

/// A read-only transaction on one snapshot of the database (REPEATABLE READ), so an export is
/// one state of the database, never half of one write and half of the next.
pub struct PgSnapshot<'db> {
    #[allow(dead_code)]
    db: &'db PgStore,
    #[allow(dead_code)]
    tx: Tx,
}

impl ExportStore for PgStore {
    type Snapshot<'a> = PgSnapshot<'a>;

    async fn snapshot(&self) -> Result<PgSnapshot<'_>> {
        Err(not_yet())
    }

    async fn count_polls(&self) -> Result<i64> {
        Err(not_yet())
    }
}

impl ExportSnapshot for PgSnapshot<'_> {
    async fn for_each_page(
        &mut self,
        _filter: &PollFilter,
        _each: impl FnMut(PollPage) -> Result<()> + Send,
    ) -> Result<()> {
        Err(not_yet())
    }

    async fn finish(self) -> Result<()> {
        Err(not_yet())
    }
}
