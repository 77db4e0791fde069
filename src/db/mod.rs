//! The only module with SQL. A concrete [`Db`] over one SQLite file; every value is bound,
//! never formatted into the SQL text.

mod batch;
mod export;
mod history;
mod import;
mod polls;
mod pollsters;
mod questions;
mod raw;
mod series;
mod sources;

pub use export::PollPage;
pub use import::{FileGives, Importer, OnConflict, Outcome};
pub use polls::AddOutcome;
pub use questions::QuestionDetail;
pub use series::SeriesFilter;

use crate::error::{Error, Result};
use sqlx::sqlite::{SqliteConnectOptions, SqlitePool, SqlitePoolOptions};
use sqlx::{Sqlite, Transaction};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!();

/// How long a writer waits for another to finish before giving up.
const BUSY_TIMEOUT: Duration = Duration::from_secs(30);

type Tx = Transaction<'static, Sqlite>;

/// Whether opening may create the database file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Commands that only read: a missing file is an error, never created.
    ReadExisting,
    /// Commands that write: create and migrate the file when it is missing.
    Create,
}

pub struct Db {
    pool: SqlitePool,
    path: PathBuf,
    /// Whether a write was committed, so closing refreshes the query planner's statistics.
    wrote: AtomicBool,
}

impl Db {
    /// Opens (or, with [`Access::Create`], creates) the database at `path`, turns on WAL, foreign
    /// keys and a busy timeout, and applies pending migrations. A database written by a newer
    /// polltrack is refused before anything in it is changed.
    pub async fn open(path: &Path, access: Access) -> Result<Db> {
        if access == Access::ReadExisting && !path.exists() {
            return Err(Error::NotFound(format!(
                "no database at {}: record a poll with `polltrack add` or run `polltrack init` \
                 to create one, or point --db (or POLLTRACK_DB) at an existing file",
                path.display()
            )));
        }
        if let Some(dir) = path
            .parent()
            .filter(|d| !d.as_os_str().is_empty() && !d.is_dir())
        {
            return Err(Error::NotFound(format!(
                "cannot create the database {}: the directory {} does not exist",
                path.display(),
                dir.display()
            )));
        }
        let options = SqliteConnectOptions::new()
            .filename(path)
            .create_if_missing(access == Access::Create)
            .foreign_keys(true)
            .busy_timeout(BUSY_TIMEOUT)
            // Statement journals of multi-row inserts stay in memory.
            .pragma("temp_store", "memory");
        // One connection: a command is a sequence of statements, and an in-memory or
        // single-file database must be seen the same by all of them.
        let pool = SqlitePoolOptions::new()
            .max_connections(1)
            .connect_with(options)
            .await
            .map_err(|e| Error::database(path, e))?;
        let db = Db {
            pool,
            path: path.to_path_buf(),
            wrote: AtomicBool::new(false),
        };
        if let Err(e) = db.prepare().await {
            db.close().await;
            return Err(e);
        }
        Ok(db)
    }

    async fn prepare(&self) -> Result<()> {
        let newest_known = MIGRATOR.iter().map(|m| m.version).max().unwrap_or(0);
        let applied = self.schema_version().await?;
        if applied > newest_known {
            return Err(Error::Failed(format!(
                "database {} was written by a newer polltrack (schema {applied}; this polltrack \
                 knows up to {newest_known}): upgrade polltrack to use it. The file was not changed.",
                self.path.display()
            )));
        }
        sqlx::query("PRAGMA journal_mode = WAL")
            .execute(&self.pool)
            .await
            .map_err(|e| self.err(e))?;
        if applied < newest_known {
            self.migrate().await?;
        }
        Ok(())
    }

    /// The newest migration applied, 0 for a new file.
    async fn schema_version(&self) -> Result<i64> {
        let has_table: bool = sqlx::query_scalar(
            "SELECT count(*) > 0 FROM sqlite_master WHERE type = 'table' AND name = '_sqlx_migrations'",
        )
        .fetch_one(&self.pool)
        .await
        .map_err(|e| self.err(e))?;
        if !has_table {
            return Ok(0);
        }
        sqlx::query_scalar("SELECT coalesce(max(version), 0) FROM _sqlx_migrations WHERE success")
            .fetch_one(&self.pool)
            .await
            .map_err(|e| self.err(e))
    }

    /// Applies pending migrations. Several processes may open a new file at once; one of them
    /// applies each migration and the others, failing on the tables it created, look again.
    async fn migrate(&self) -> Result<()> {
        let newest_known = MIGRATOR.iter().map(|m| m.version).max().unwrap_or(0);
        let mut attempts = 0;
        loop {
            match MIGRATOR.run(&self.pool).await {
                Ok(()) => return Ok(()),
                Err(e) => {
                    attempts += 1;
                    if self.schema_version().await? >= newest_known {
                        return Ok(());
                    }
                    if attempts >= 5 {
                        return Err(Error::Failed(format!(
                            "database {}: could not apply the schema migrations: {e}",
                            self.path.display()
                        )));
                    }
                    tokio::time::sleep(Duration::from_millis(50 * attempts)).await;
                }
            }
        }
    }

    /// Closes the connection, so the WAL is checkpointed and its side files removed. After a
    /// write, refreshes the statistics the query planner uses to pick an index (without them
    /// a date range is read through the question index, several times slower); a command that
    /// wrote nothing leaves the file as it was.
    pub async fn close(self) {
        if self.wrote.load(Ordering::Relaxed) {
            // Best effort: stale statistics only slow queries down.
            let _ = sqlx::query("PRAGMA analysis_limit = 1000")
                .execute(&self.pool)
                .await;
            let _ = sqlx::query("PRAGMA optimize = 0x10002")
                .execute(&self.pool)
                .await;
        }
        self.pool.close().await;
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// A second, read-only connection to the same file, for reading two parts of a large
    /// selection at once. Its snapshot may be a moment apart from the pool's.
    async fn another_reader(&self) -> Result<sqlx::sqlite::SqliteConnection> {
        use sqlx::ConnectOptions;
        SqliteConnectOptions::new()
            .filename(&self.path)
            .read_only(true)
            .busy_timeout(BUSY_TIMEOUT)
            .connect()
            .await
            .map_err(|e| self.err(e))
    }

    /// A write transaction that takes the write lock at once, so concurrent writers queue on
    /// the busy timeout instead of failing when a read turns into a write.
    async fn write(&self) -> Result<Tx> {
        self.pool
            .begin_with("BEGIN IMMEDIATE")
            .await
            .map_err(|e| self.err(e))
    }

    async fn read(&self) -> Result<Tx> {
        self.pool.begin().await.map_err(|e| self.err(e))
    }

    fn err(&self, e: impl std::fmt::Display) -> Error {
        Error::database(&self.path, e)
    }
}

/// Commits, naming the database if it fails.
async fn commit(db: &Db, tx: Tx) -> Result<()> {
    tx.commit().await.map_err(|e| db.err(e))?;
    db.wrote.store(true, Ordering::Relaxed);
    Ok(())
}

/// A failure inside a query whose database the caller names.
fn db_err(e: sqlx::Error) -> Error {
    Error::Failed(format!("database: {e}"))
}

/// The current time as stored in `created_at`, `updated_at` and `changed_at`.
fn now() -> String {
    chrono::Utc::now().format("%Y-%m-%d %H:%M:%S").to_string()
}

#[cfg(test)]
mod tests;
