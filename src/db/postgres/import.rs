//! Importing a file in one transaction, all or nothing: the [`ImportStore`] of [`PgStore`].

use super::{PgStore, Tx, not_yet};
use crate::db::{FileGives, ImportSession, ImportStore, Incoming, OnConflict, Outcome};
use crate::error::Result;
use crate::model::{Poll, QuestionKind, Warning};

/// An import under way: one write transaction, committed by [`ImportSession::commit`].
pub struct PgImporter<'a> {
    #[allow(dead_code)]
    db: &'a PgStore,
    #[allow(dead_code)]
    tx: Tx,
    warnings: Vec<Warning>,
}

impl ImportStore for PgStore {
    type Importer<'a> = PgImporter<'a>;

    async fn importer(&self, _on_conflict: OnConflict) -> Result<PgImporter<'_>> {
        Err(not_yet())
    }
}

impl ImportSession for PgImporter<'_> {
    async fn add(&mut self, _polls: Vec<(Poll, Option<i64>)>) -> Result<Vec<Outcome>> {
        Err(not_yet())
    }

    async fn add_keyed(&mut self, _polls: Vec<Incoming>) -> Result<Vec<Outcome>> {
        Err(not_yet())
    }

    fn restore_deleted(&mut self, _restore: bool) {}

    fn id_scheme(&mut self, _scheme: Option<String>) {}

    fn file_gives(&mut self, _gives: FileGives) {}

    fn question_kind(&mut self, _kind: Option<QuestionKind>, _given: bool) {}

    async fn question_labels(&mut self, _slug: &str) -> Result<Vec<String>> {
        Err(not_yet())
    }

    fn warnings(&self) -> &[Warning] {
        &self.warnings
    }

    async fn commit(self) -> Result<()> {
        Err(not_yet())
    }

    async fn roll_back(self) -> Result<()> {
        Err(not_yet())
    }
}
