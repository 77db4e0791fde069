//! The SQLite store: [`SqliteStore`] over one SQLite file, implementing the seam's traits (each
//! concern's file implements its own). Every value is bound, never formatted into the SQL text.
//! Its tricks stay here: the bulk insert (`batch`), polls read as JSON SQLite writes, and the
//! trend read stepped through SQLite's C interface (`raw`, the one file with `unsafe`).

mod batch;
mod dump;
mod export;
mod history;
mod import;
mod polls;
mod pollsters;
mod questions;
mod raw;
mod record;
mod series;
mod sources;

pub use export::SqliteSnapshot;
pub use import::SqliteImporter;

use crate::error::{Error, Hint, Result};
use sqlx::sqlite::{SqliteConnectOptions, SqlitePool, SqlitePoolOptions};
use sqlx::{Sqlite, Transaction};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::Duration;

static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/sqlite");

/// How long a writer waits for another to finish before giving up.
const BUSY_TIMEOUT: Duration = Duration::from_secs(30);

type Tx = Transaction<'static, Sqlite>;

/// What a command may do to the database file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Commands that only read: the file is opened read-only and never created, migrated or
    /// otherwise changed; a missing file is an error.
    ReadExisting,
    /// Commands that write: a missing file is created (under a hidden name, published when
    /// the command succeeds), an older schema is migrated.
    Create,
}

pub struct SqliteStore {
    pool: SqlitePool,
    /// The database as the user named it.
    path: PathBuf,
    /// How to open another read-only connection to the same file.
    reader: SqliteConnectOptions,
    /// A new database built under this hidden name beside `path`, published there by
    /// [`SqliteStore::close`]; removed by [`SqliteStore::discard`].
    staged: Option<PathBuf>,
    /// Whether a write was committed, so closing checkpoints and refreshes statistics.
    wrote: AtomicBool,
    /// Why the changes of this session are made, kept with each in the history.
    reason: Option<String>,
    /// Read-only connections that reads run on, side by side, when the store serves many
    /// requests at once ([`SqliteStore::read_side_by_side`]); otherwise reads share the one
    /// connection.
    readers: Option<SqlitePool>,
}

/// The first migration: a file whose migrations table lacks it is some other application's.
fn first_version() -> i64 {
    MIGRATOR.iter().map(|m| m.version).min().unwrap_or(0)
}

fn newest_version() -> i64 {
    MIGRATOR.iter().map(|m| m.version).max().unwrap_or(0)
}

/// SQLite's primary result code of a failure, when it has one.
fn sqlite_code(e: &sqlx::Error) -> Option<i32> {
    match e {
        sqlx::Error::Database(e) => e
            .code()
            .and_then(|c| c.parse::<i32>().ok())
            .map(|c| c & 0xff),
        _ => None,
    }
}

const SQLITE_READONLY: i32 = 8;
const SQLITE_CANTOPEN: i32 = 14;
const SQLITE_NOTADB: i32 = 26;

impl SqliteStore {
    /// Opens the database at `path`. With [`Access::ReadExisting`] it must be a polltrack
    /// database of the current schema, and nothing can write to it through this connection. With [`Access::Create`] an existing
    /// polltrack database is migrated if its schema is older; a missing one is built under a
    /// hidden name in the same directory and only appears at `path` when [`SqliteStore::close`]
    /// publishes it. A file that is not a polltrack database, or that a newer polltrack
    /// wrote, is refused before anything in it is changed.
    pub async fn open(path: &Path, access: Access) -> Result<SqliteStore> {
        refuse_special_name(path)?;
        if let Some(dir) = path
            .parent()
            .filter(|d| !d.as_os_str().is_empty() && !d.is_dir())
        {
            if access == Access::ReadExisting {
                return Err(missing(path));
            }
            return Err(Error::not_found(format!(
                "cannot create the database {}: the directory {} does not exist",
                path.display(),
                dir.display()
            ))
            .with_hint(Hint::CreateFolder));
        }
        let exists = std::fs::symlink_metadata(path).is_ok();
        match (access, exists) {
            (Access::ReadExisting, false) => Err(missing(path)),
            (_, true) => SqliteStore::open_existing(path, access).await,
            (Access::Create, false) => SqliteStore::create(path).await,
        }
    }

    /// A new database in memory standing in for the missing `path`, for a command that only
    /// tries (a dry run): no file is created at all.
    pub async fn open_scratch(path: &Path) -> Result<SqliteStore> {
        refuse_special_name(path)?;
        let options = SqliteConnectOptions::new()
            .in_memory(true)
            .foreign_keys(true);
        let db = SqliteStore::connect(path, options, None).await?;
        if let Err(e) = db.migrate().await {
            db.discard().await;
            return Err(e);
        }
        Ok(db)
    }

    async fn connect(
        path: &Path,
        options: SqliteConnectOptions,
        staged: Option<PathBuf>,
    ) -> Result<SqliteStore> {
        let reader = options.clone().read_only(true);
        // One connection: a command is a sequence of statements, and an in-memory database
        // must be seen the same by all of them.
        // Never replaced while the command runs: an in-memory database would be lost.
        let pool = SqlitePoolOptions::new()
            .max_connections(1)
            .idle_timeout(None)
            .max_lifetime(None)
            .connect_with(options)
            .await
            .map_err(|e| Error::database(path, in_words(&e), e))?;
        Ok(SqliteStore {
            pool,
            path: path.to_path_buf(),
            reader,
            staged,
            wrote: AtomicBool::new(false),
            reason: None,
            readers: None,
        })
    }

    /// Lets reads run side by side on up to `connections` read-only connections of their own,
    /// for a store serving many requests at once (a web server): each read is still one
    /// snapshot of the database (SQLite's write-ahead log keeps it while writers commit), and
    /// writes keep the one connection. A database being created, or in memory, keeps its one
    /// connection: no other connection could see it.
    ///
    /// Errors: storage, when the file cannot be opened again.
    pub async fn read_side_by_side(&mut self, connections: u32) -> Result<()> {
        // A database in memory stands in for a file that is not there.
        if self.staged.is_some() || std::fs::symlink_metadata(&self.path).is_err() {
            return Ok(());
        }
        let readers = SqlitePoolOptions::new()
            .max_connections(connections.max(1))
            .connect_lazy_with(self.reader.clone());
        self.readers = Some(readers);
        Ok(())
    }

    fn options(file: &Path) -> SqliteConnectOptions {
        SqliteConnectOptions::new()
            .filename(plain_file_name(file))
            .foreign_keys(true)
            .busy_timeout(BUSY_TIMEOUT)
            // Statement journals of multi-row inserts stay in memory.
            .pragma("temp_store", "memory")
    }

    /// Opens an existing file, checking it before anything in it can change. A WAL database
    /// nobody has open (no `-wal` file) is checked and, by a command that reads, read through
    /// a connection that may write nothing (`query_only`) but, closing last, removes the side
    /// files SQLite makes for reading; an empty log gives it nothing to copy into the file.
    /// Otherwise the file is checked, and read, through a read-only connection.
    async fn open_existing(path: &Path, access: Access) -> Result<SqliteStore> {
        let wal = read_header(path)?;
        // Only a file this user may write: SQLite opens any other read-only, and the side
        // files it makes then stay behind, in the way of later writers.
        if wal && !exists(&side_file(path, "-wal")) && writable(path) {
            let options = match access {
                Access::ReadExisting => SqliteStore::options(path).pragma("query_only", "ON"),
                // Writing is allowed again once the file is known to be polltrack's.
                Access::Create => SqliteStore::options(path),
            };
            if let Ok(db) = SqliteStore::connect(path, options, None).await {
                let checked = match sqlx::query("PRAGMA query_only = ON")
                    .execute(&db.pool)
                    .await
                {
                    Ok(_) => db.check(access).await,
                    Err(e) => Err(Failure::Sqlite(e)),
                };
                match checked {
                    Ok(_) if access == Access::ReadExisting => return Ok(db),
                    Ok(applied) => {
                        return match db.ready_to_write(applied).await {
                            Ok(()) => Ok(db),
                            Err(e) => {
                                db.discard().await;
                                Err(e)
                            }
                        };
                    }
                    // SQLite could not read it so (a folder or file this user cannot
                    // write): read-only, below.
                    Err(Failure::Sqlite(_)) => db.discard().await,
                    Err(e) => {
                        let e = db.failure(e);
                        db.discard().await;
                        return Err(e);
                    }
                }
            }
        }
        let checker = SqliteStore::check_read_only(path, access).await?;
        if access == Access::ReadExisting {
            return Ok(checker);
        }
        let db = SqliteStore::connect(path, SqliteStore::options(path), None).await;
        checker.discard().await;
        let db = db?;
        let prepared = match db.schema_version().await {
            Ok(applied) => db.ready_to_write(applied).await,
            Err(e) => Err(e),
        };
        match prepared {
            Ok(()) => Ok(db),
            Err(e) => {
                db.discard().await;
                Err(e)
            }
        }
    }

    /// Lets a connection that was only checking write, and brings the schema up to date.
    async fn ready_to_write(&self, applied: i64) -> Result<()> {
        sqlx::query("PRAGMA query_only = OFF")
            .execute(&self.pool)
            .await
            .map_err(|e| self.err(e))?;
        if applied < newest_version() {
            self.migrate().await?;
        }
        Ok(())
    }

    /// A read-only connection to the file at `path`, once it is known to be a polltrack
    /// database usable for `access`.
    async fn check_read_only(path: &Path, access: Access) -> Result<SqliteStore> {
        let options = SqliteStore::options(path).read_only(true);
        let db = SqliteStore::connect(path, options.clone(), None).await?;
        let (db, checked) = match db.check(access).await {
            // A WAL database in a folder this user cannot write: its shared-memory file cannot
            // be made, so it is read as a file nobody changes meanwhile (nobody can write it
            // there without making that file). Not when a log or journal lies beside it: that
            // holds changes (committed, or to undo) the file alone does not show.
            Err(Failure::Sqlite(e))
                if matches!(sqlite_code(&e), Some(SQLITE_CANTOPEN | SQLITE_READONLY)) =>
            {
                db.discard().await;
                let pending = ["-wal", "-journal"]
                    .map(|suffix| side_file(path, suffix))
                    .into_iter()
                    .find(|side| exists(side));
                if pending.is_some() && access == Access::Create {
                    // A command that writes takes them in first, as any SQLite program
                    // opening the file would: the file is then as last committed.
                    let db = SqliteStore::connect(path, SqliteStore::options(path), None).await?;
                    let checked = db.check(access).await;
                    (db, checked)
                } else if let Some(pending) = pending {
                    return Err(Error::storage_refused(format!(
                        "database {}: {} holds changes not yet in the database file (an \
                         unfinished write to undo, or committed changes to copy in), which a \
                         read does not apply",
                        path.display(),
                        pending.display()
                    ))
                    .with_hint(Hint::ApplyPendingChanges));
                } else {
                    let db = SqliteStore::connect(path, options.immutable(true), None).await?;
                    let checked = db.check(access).await;
                    (db, checked)
                }
            }
            checked => (db, checked),
        };
        match checked {
            Ok(_) => Ok(db),
            Err(e) => {
                let e = db.failure(e);
                db.discard().await;
                Err(e)
            }
        }
    }

    /// Builds a new database under a hidden name beside `path`, in WAL mode and migrated.
    async fn create(path: &Path) -> Result<SqliteStore> {
        let staged = staging_name(path);
        let options = SqliteStore::options(&staged).create_if_missing(true);
        let db = match SqliteStore::connect(path, options, Some(staged.clone())).await {
            Ok(db) => db,
            Err(e) => {
                remove_files(&staged);
                return Err(e);
            }
        };
        let prepared = async {
            sqlx::query("PRAGMA journal_mode = WAL")
                .execute(&db.pool)
                .await
                .map_err(|e| db.err(e))?;
            db.migrate().await
        }
        .await;
        match prepared {
            Ok(()) => Ok(db),
            Err(e) => {
                db.discard().await;
                Err(e)
            }
        }
    }

    /// Whether this is a new database that [`SqliteStore::close`] will publish at its path.
    pub fn is_new(&self) -> bool {
        self.staged.is_some()
    }

    /// Checks that the file is a polltrack database this polltrack can use for `access`,
    /// reading only; returns the newest migration applied.
    async fn check(&self, access: Access) -> Result<i64, Failure> {
        let tables: Vec<String> =
            sqlx::query_scalar("SELECT name FROM sqlite_master WHERE type = 'table'")
                .fetch_all(&self.pool)
                .await
                .map_err(Failure::Sqlite)?;
        if !tables.iter().any(|t| t == "_sqlx_migrations") {
            return Err(Failure::NotPolltrack(if tables.is_empty() {
                "it is empty"
            } else {
                "it is another application's SQLite database"
            }));
        }
        let (first, applied): (bool, i64) = sqlx::query_as(
            "SELECT coalesce(max(version = $1), FALSE), coalesce(max(version), 0)
             FROM _sqlx_migrations WHERE success",
        )
        .bind(first_version())
        .fetch_one(&self.pool)
        .await
        .map_err(Failure::Sqlite)?;
        if !first {
            return Err(Failure::NotPolltrack(
                "it is another application's SQLite database",
            ));
        }
        let newest = newest_version();
        if applied > newest {
            return Err(Failure::Refused(Error::storage_refused(format!(
                "database {} was written by a newer polltrack (schema {applied}; this polltrack \
                 knows up to {newest}): upgrade polltrack to use it. The file was not changed.",
                self.path.display()
            ))));
        }
        if applied < newest && access == Access::ReadExisting {
            return Err(Failure::Refused(
                Error::storage_refused(format!(
                    "database {} has the schema of an older polltrack (schema {applied}; this \
                 polltrack reads {newest}); the file was not changed",
                    self.path.display()
                ))
                .with_hint(Hint::UpgradeDatabase),
            ));
        }
        Ok(applied)
    }

    fn failure(&self, failure: Failure) -> Error {
        match failure {
            Failure::Sqlite(e) if sqlite_code(&e) == Some(SQLITE_NOTADB) => {
                not_polltrack(&self.path, "it is not an SQLite database")
            }
            Failure::Sqlite(e) => self.err(e),
            Failure::NotPolltrack(why) => not_polltrack(&self.path, why),
            Failure::Refused(error) => error,
        }
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

    /// Applies pending migrations. Several processes may upgrade a file at once; one of them
    /// applies each migration and the others, failing on the tables it created, look again.
    async fn migrate(&self) -> Result<()> {
        let newest_known = newest_version();
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
                        return Err(Error::storage(
                            format!(
                                "database {}: could not apply the schema migrations: {e}",
                                self.path.display()
                            ),
                            e,
                        ));
                    }
                    tokio::time::sleep(Duration::from_millis(50 * attempts)).await;
                }
            }
        }
    }

    /// Ends a command that succeeded. After a write, refreshes the statistics the query
    /// planner uses to pick an index (without them a date range is read through the question
    /// index, several times slower) and copies the write-ahead log into the database file.
    ///
    /// A new database is published at its path only now, whole; if another process created
    /// a file there meanwhile, nothing of this one is kept and the error is a
    /// [`Error::Conflict`] (the command can run again against that file). For an existing
    /// database, an error means what was committed is safe in the `-wal` file but could not
    /// be copied into the database (a full disk): the message says what to do.
    pub async fn close(self) -> Result<()> {
        if let Some(readers) = &self.readers {
            readers.close().await;
        }
        let wrote = self.wrote.load(Ordering::Relaxed);
        if wrote {
            // Best effort: stale statistics only slow queries down.
            let _ = sqlx::query("PRAGMA analysis_limit = 1000")
                .execute(&self.pool)
                .await;
            let _ = sqlx::query("PRAGMA optimize = 0x10002")
                .execute(&self.pool)
                .await;
        }
        let checkpoint = if wrote || self.staged.is_some() {
            self.checkpoint().await
        } else {
            Ok(())
        };
        self.pool.close().await;
        let Some(staged) = &self.staged else {
            return checkpoint.map_err(|e| {
                let wal = side_file(&self.path, "-wal");
                Error::storage_refused(format!(
                    "database {}: what was stored is safe in {}, but could not be copied into \
                     the database file: {e}. Free some space (or fix what stops writing \
                     there), and do not delete {}",
                    self.path.display(),
                    wal.display(),
                    wal.display(),
                ))
                .with_hint(Hint::FinishTransaction)
            });
        };
        let published = checkpoint
            .and_then(|()| {
                // The log must be empty and gone before the file alone is the database.
                match std::fs::metadata(side_file(staged, "-wal")) {
                    Ok(wal) if wal.len() > 0 => {
                        Err("its write-ahead log could not be copied into it".to_string())
                    }
                    _ => Ok(()),
                }
            })
            .map_err(|e| {
                Error::storage_refused(format!(
                    "could not create the database {}: {e}; nothing was stored",
                    self.path.display()
                ))
            })
            .and_then(|()| publish(staged, &self.path));
        remove_files(staged);
        published
    }

    /// Ends a command that failed or only tried: a new database is removed (it was never
    /// published), an existing one is left as it is.
    pub async fn discard(self) {
        if let Some(readers) = &self.readers {
            readers.close().await;
        }
        self.pool.close().await;
        if let Some(staged) = &self.staged {
            remove_files(staged);
        }
    }

    /// Copies the write-ahead log into the database file without waiting for readers;
    /// what they still need stays in the log for the last to close.
    async fn checkpoint(&self) -> Result<(), String> {
        sqlx::query("PRAGMA wal_checkpoint(PASSIVE)")
            .execute(&self.pool)
            .await
            .map(|_| ())
            .map_err(|e| e.to_string())
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// A second, read-only connection to the same file, for reading two parts of a large
    /// selection at once. Its snapshot may be a moment apart from the pool's.
    async fn another_reader(&self) -> Result<sqlx::sqlite::SqliteConnection> {
        use sqlx::ConnectOptions;
        self.reader.clone().connect().await.map_err(|e| self.err(e))
    }

    /// A write transaction that takes the write lock at once, so concurrent writers queue on
    /// the busy timeout instead of failing when a read turns into a write.
    async fn write(&self) -> Result<Tx> {
        let mut tx = self
            .pool
            .begin_with("BEGIN IMMEDIATE")
            .await
            .map_err(|e| self.err(e))?;
        let reason = crate::db::reason::current(self.reason.as_deref());
        record::keep_reason(&mut tx, reason.as_deref()).await?;
        Ok(tx)
    }

    async fn read(&self) -> Result<Tx> {
        let pool = self.readers.as_ref().unwrap_or(&self.pool);
        pool.begin().await.map_err(|e| self.err(e))
    }

    fn err(&self, e: sqlx::Error) -> Error {
        Error::database(&self.path, in_words(&e), e)
    }
}

/// Why a file was refused while checking it, before it is named in an [`Error`].
enum Failure {
    Sqlite(sqlx::Error),
    NotPolltrack(&'static str),
    Refused(Error),
}

fn missing(path: &Path) -> Error {
    Error::not_found(format!("no database at {}", path.display())).with_hint(Hint::CreateDatabase)
}

fn not_polltrack(path: &Path, why: &str) -> Error {
    Error::storage_refused(format!(
        "{} is not a polltrack database ({why}); it was left as it is",
        path.display()
    ))
    .with_hint(Hint::NameAnotherDatabase)
}

/// SQLite gives some names a meaning of their own (`:memory:`, `file:` URIs, an empty name
/// for a temporary database): none of them is a file that keeps the polls.
fn refuse_special_name(path: &Path) -> Result<()> {
    let name = path.to_string_lossy();
    let special = name.is_empty()
        || name.starts_with(':')
        || name
            .get(..5)
            .is_some_and(|p| p.eq_ignore_ascii_case("file:"));
    if special {
        return Err(Error::usage(format!(
            "\"{name}\" is not a database file polltrack can keep polls in: name a file path"
        )));
    }
    Ok(())
}

/// The file name as SQLite reads it literally: a relative path starts with `./`, so no name
/// is taken for a URI or an in-memory database.
fn plain_file_name(path: &Path) -> PathBuf {
    if path.is_absolute() || path.starts_with(".") || path.starts_with("..") {
        path.to_path_buf()
    } else {
        Path::new(".").join(path)
    }
}

/// A hidden name beside `path`, unique to this process and call, to build a new database in.
fn staging_name(path: &Path) -> PathBuf {
    static NEXT: AtomicU64 = AtomicU64::new(0);
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    path.with_file_name(format!(
        ".{name}.{}-{}-{nanos}.new",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    ))
}

/// `path` with SQLite's suffix for one of its side files.
fn side_file(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

/// Whether a file is there (a link counts, even a broken one).
fn exists(path: &Path) -> bool {
    std::fs::symlink_metadata(path).is_ok()
}

/// Whether this user may write the file: opening it for writing changes nothing in it.
fn writable(path: &Path) -> bool {
    std::fs::OpenOptions::new().write(true).open(path).is_ok()
}

/// Removes a staged database and its side files; best effort, they are this process's own.
fn remove_files(staged: &Path) {
    for suffix in ["", "-wal", "-shm", "-journal"] {
        let _ = std::fs::remove_file(side_file(staged, suffix));
    }
}

/// Refuses a file that cannot be an SQLite database before SQLite opens it (SQLite would take
/// an empty file for a new database); says whether it is in WAL mode.
fn read_header(path: &Path) -> Result<bool> {
    use std::io::Read;
    let mut header = Vec::with_capacity(100);
    std::fs::File::open(path)
        .and_then(|file| file.take(100).read_to_end(&mut header))
        .map_err(|e| {
            Error::storage(
                format!("cannot read the database {}: {e}", path.display()),
                e,
            )
        })?;
    if header.is_empty() {
        return Err(not_polltrack(path, "it is empty"));
    }
    if header.len() < 100 || !header.starts_with(b"SQLite format 3\0") {
        return Err(not_polltrack(path, "it is not an SQLite database"));
    }
    // The file format's read and write versions: 2 for WAL.
    Ok(header[18] == 2 || header[19] == 2)
}

/// Gives the finished database `staged` its real name, unless a file appeared there
/// meanwhile: a hard link never replaces one.
fn publish(staged: &Path, path: &Path) -> Result<()> {
    match std::fs::hard_link(staged, path) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Err(Error::conflict(format!(
            "another process created the database {} meanwhile; nothing was stored by this \
             command: run it again",
            path.display()
        ))),
        Err(e) => Err(Error::storage(
            format!(
                "could not create the database {}: {e}; nothing was stored",
                path.display()
            ),
            e,
        )),
    }
}

/// Commits, naming the database if it fails.
async fn commit(db: &SqliteStore, tx: Tx) -> Result<()> {
    tx.commit().await.map_err(|e| db.err(e))?;
    db.wrote.store(true, Ordering::Relaxed);
    Ok(())
}

/// A failure inside a query whose database the caller names.
fn db_err(e: sqlx::Error) -> Error {
    Error::storage(format!("database: {}", in_words(&e)), e)
}

/// SQLite's failures that a user can act on, in words; others as SQLite gives them.
fn in_words(e: &sqlx::Error) -> String {
    const SQLITE_BUSY: i32 = 5;
    const SQLITE_IOERR: i32 = 10;
    const SQLITE_CORRUPT: i32 = 11;
    const SQLITE_FULL: i32 = 13;
    let message = match e {
        sqlx::Error::Database(e) => e.message().to_string(),
        e => return e.to_string(),
    };
    match sqlite_code(e) {
        Some(SQLITE_FULL) => "the disk is full: nothing was changed; make room and run the \
                              command again"
            .into(),
        Some(SQLITE_READONLY) => "the database cannot be written here (the file or its folder \
                                  is read-only for this user): nothing was changed"
            .into(),
        Some(SQLITE_CORRUPT) => format!(
            "the file is damaged ({message}): restore it from a copy, or export what can be \
             read with the sqlite3 tool's .recover"
        ),
        Some(SQLITE_BUSY) => format!(
            "another process kept the database busy for more than {} s: run the command again",
            BUSY_TIMEOUT.as_secs()
        ),
        Some(SQLITE_IOERR) => format!("the disk could not be read or written ({message})"),
        Some(SQLITE_CANTOPEN) => format!("the file could not be opened ({message})"),
        _ => message,
    }
}

/// The current time as stored in `created_at`, `updated_at` and `changed_at`.
fn now() -> String {
    chrono::Utc::now().format("%Y-%m-%d %H:%M:%S").to_string()
}

#[cfg(test)]
mod tests;
