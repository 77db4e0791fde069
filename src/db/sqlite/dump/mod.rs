//! A whole database at once, for `dump`, `load` and copies between backends: read by table
//! (`read`) and written by table (`write`). A table added to the schema gets its reader and
//! writer here, and its kind in [`Dump`].

mod read;
mod write;

use super::{SqliteStore, commit, sqlite_code};
use crate::db::DumpStore;
use crate::db::shared::dump::{breaks_the_rules, not_empty};
use crate::error::{Error, Result};
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
            return Err(not_empty(&self.path.display().to_string(), &held));
        }
        write::everything(&mut tx, dump)
            .await
            .map_err(refused_by_schema)?;
        commit(self, tx).await
    }
}

/// A record the schema's constraints refuse (a second source with one URL, a percentage over
/// 100) is invalid data, in SQLite's words; other failures stay what they are.
fn refused_by_schema(e: Error) -> Error {
    const SQLITE_CONSTRAINT: i32 = 19;
    let refused = match &e {
        Error::Storage {
            message,
            source: Some(source),
            ..
        } => source
            .downcast_ref::<sqlx::Error>()
            .and_then(sqlite_code)
            .filter(|code| *code == SQLITE_CONSTRAINT)
            .map(|_| message.trim_start_matches("database: ").to_string()),
        _ => None,
    };
    match refused {
        Some(why) => breaks_the_rules(&why),
        None => e,
    }
}
