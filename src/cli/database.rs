//! The database a command names, opened when the command first needs it: an SQLite file (or,
//! for a dry run, a database in memory) or a PostgreSQL database.

use super::Ctx;
use polltrack::Result;
use polltrack::db::{Access, Database, Location, SqliteStore};
use polltrack::error::Hint;
use std::path::PathBuf;

/// Names SQLite would not take as a plain file (`:memory:` keeps nothing once the command
/// ends) are refused before anything runs.
pub(super) fn check_db_path(path: &std::path::Path) -> Result<()> {
    let name = path.to_string_lossy();
    if name.is_empty()
        || name.starts_with(':')
        || name
            .get(..5)
            .is_some_and(|p| p.eq_ignore_ascii_case("file:"))
    {
        return Err(polltrack::Error::usage(format!(
            "--db \"{name}\" names no file polltrack could keep polls in (SQLite takes names \
             such as :memory: and file: URIs specially): give the path of a database file"
        )));
    }
    Ok(())
}

/// Refuses a database file that is not there, as a command that reads refuses it, for the
/// commands that write but never create one (`serve`).
pub(super) async fn missing_file(ctx: &Ctx) -> Result<()> {
    if let Location::File(path) = &ctx.location
        && std::fs::symlink_metadata(path).is_err()
    {
        SqliteStore::open(path, Access::ReadExisting)
            .await?
            .close()
            .await?;
    }
    Ok(())
}

impl Ctx {
    /// The database, handed over: whoever takes it gives it back with [`Ctx::give_back`] to
    /// have it closed (or discarded) with the command.
    pub(super) async fn take_db(&mut self) -> Result<Database> {
        self.db().await?;
        self.db
            .take()
            .ok_or_else(|| polltrack::Error::Failed("database not open".into()))
    }

    pub(super) fn give_back(&mut self, db: Database) {
        self.db = Some(db);
    }

    pub(super) async fn db(&mut self) -> Result<&Database> {
        if self.db.is_none() {
            let mut db = match &self.location {
                Location::File(path) => Database::Sqlite(self.open_file(path).await?),
                // A dry run never creates or upgrades the schema: what it tries is rolled back,
                // but a migration would not be. On a database without polltrack's tables it
                // tries against an empty database in memory, as on a missing file.
                Location::Postgres(_) if self.dry_run => {
                    match Database::open(&self.location, Access::ReadExisting).await {
                        Err(e) if e.hint() == Some(&Hint::InitServerDatabase) => {
                            let name = PathBuf::from(self.location.describe());
                            Database::Sqlite(SqliteStore::open_scratch(&name).await?)
                        }
                        opened => opened?,
                    }
                }
                Location::Postgres(_) => Database::open(&self.location, self.access).await?,
            };
            db.set_reason(self.reason.as_ref().map(|r| r.trim().to_string()));
            self.db = Some(db);
        }
        self.db
            .as_ref()
            .ok_or_else(|| polltrack::Error::Failed("database not open".into()))
    }

    async fn open_file(&self, path: &std::path::Path) -> Result<SqliteStore> {
        // A dry run on a missing file tries against a database in memory: no file at all.
        if self.dry_run && std::fs::symlink_metadata(path).is_err() {
            SqliteStore::open_scratch(path).await
        } else if self.dry_run {
            // A dry run never upgrades the schema either: a file that needs it is refused
            // as a command that reads refuses it, unchanged.
            SqliteStore::open(path, Access::ReadExisting)
                .await?
                .close()
                .await?;
            SqliteStore::open(path, self.access).await
        } else {
            SqliteStore::open(path, self.access).await
        }
    }
}
