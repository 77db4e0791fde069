//! A whole database at once, for `dump`, `load` and copies between backends: read by table
//! (`read`) and written by table (`write`). A table added to the schema gets its reader and
//! writer here, and its kind in [`Dump`].

mod read;
mod write;

use super::{SqliteStore, commit};
use crate::db::DumpStore;
use crate::error::{Error, Hint, Result};
use crate::model::dump::Dump;

impl DumpStore for SqliteStore {
    /// Every record from one read transaction.
    async fn read_dump(&self) -> Result<Dump> {
        let mut tx = self.read().await?;
        let dump = read::everything(&mut tx).await?;
        tx.rollback().await.map_err(|e| self.err(e))?;
        Ok(dump)
    }

    /// One write transaction, refused before anything is written when a table holds rows.
    async fn load_dump(&self, dump: &Dump) -> Result<()> {
        let mut tx = self.write().await?;
        let held = read::held(&mut tx).await?;
        if !held.is_empty() {
            return Err(Error::conflict(format!(
                "the database {} is not empty (it holds {}): nothing was loaded; load a dump \
                 into a new database or an empty one",
                self.path.display(),
                held.join(", ")
            ))
            .with_hint(Hint::LoadIntoNewDatabase));
        }
        write::everything(&mut tx, dump).await?;
        commit(self, tx).await
    }
}
