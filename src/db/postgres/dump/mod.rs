//! A whole database at once, ids and history included, for `dump`, `load` and copies between
//! backends: the [`DumpStore`] of [`PgStore`], read by table (`read`) and written by table
//! (`write`). A table added to the schema gets its reader and writer here, and its kind in
//! [`Dump`].

mod read;
mod write;

use super::{PgStore, commit, retrying, sqlstate};
use crate::db::DumpStore;
use crate::db::shared::dump::{breaks_the_rules, not_empty};
use crate::error::{Error, Result};
use crate::model::dump::Dump;

impl DumpStore for PgStore {
    /// Every record from one REPEATABLE READ snapshot.
    async fn read_dump(&self) -> Result<Dump> {
        let mut tx = self.read().await?;
        let dump = read::everything(&mut tx).await?;
        tx.rollback().await.map_err(|e| self.err(e))?;
        Ok(dump)
    }

    /// One write transaction, refused before anything is written when a table holds rows;
    /// every identity sequence is then moved past the ids loaded.
    async fn load_dump(&self, dump: &Dump) -> Result<()> {
        retrying!(async {
            let mut tx = self.write().await?;
            let held = read::held(&mut tx).await?;
            if !held.is_empty() {
                return Err(not_empty(&self.label, &held));
            }
            write::everything(&mut tx, dump)
                .await
                .map_err(refused_by_schema)?;
            commit(self, tx).await
        })?;
        self.refresh_statistics().await;
        Ok(())
    }
}

/// A record the schema refuses (a second source with one URL, a percentage over 100, a date
/// or time PostgreSQL cannot read) is invalid data, in PostgreSQL's words; other failures
/// stay what they are.
fn refused_by_schema(e: Error) -> Error {
    // Class 23: integrity constraint violations; class 22: data exceptions.
    let refused = match &e {
        Error::Storage {
            message,
            source: Some(source),
            ..
        } => source
            .downcast_ref::<sqlx::Error>()
            .and_then(sqlstate)
            .filter(|code| code.starts_with("23") || code.starts_with("22"))
            .map(|_| message.trim_start_matches("database: ").to_string()),
        _ => None,
    };
    match refused {
        Some(why) => breaks_the_rules(&why),
        None => e,
    }
}

#[cfg(test)]
mod tests;
