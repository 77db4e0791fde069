//! The PostgreSQL store: [`PgStore`] over one database of a shared server, implementing the
//! seam's traits (each concern's file implements its own) with its own SQL and schema
//! (`migrations/postgres/`). Every value is bound, never formatted into the SQL text.
//!
//! Writers: every write transaction first takes one transaction-level advisory lock, so
//! polltrack's writers on one database take turns as they do on an SQLite file (one poll's
//! duplicate check and its insert can never interleave with another writer's), while readers
//! never wait. A failure PostgreSQL asks to retry (a serialization failure or a deadlock,
//! SQLSTATE 40001 and 40P01) is retried with a growing pause by [`retrying!`].

mod dump;
mod export;
mod history;
mod import;
mod polls;
mod pollsters;
mod questions;
mod record;
mod series;
mod sources;

#[cfg(test)]
pub(crate) mod testing;

pub use export::PgSnapshot;
pub use import::PgImporter;

#[cfg(test)]
mod connection_tests;
#[cfg(test)]
mod tests;

use crate::db::Access;
use crate::error::{Error, Hint, Result};
use sqlx::postgres::{PgConnectOptions, PgPool, PgPoolOptions};
use sqlx::{Connection, PgConnection, Postgres, Transaction};
use std::str::FromStr;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

/// The PostgreSQL schema's migrations, embedded at build time. Append-only once released, as
/// SQLite's are: a database records each migration's version and checksum.
pub(crate) static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/postgres");

/// The key of the advisory lock every polltrack write transaction takes ("polltrak" in ASCII),
/// so that writers take turns.
const WRITE_LOCK: i64 = 0x706f_6c6c_7472_616b;

/// How many times an operation PostgreSQL asks to retry is tried in all.
pub(super) const ATTEMPTS: u32 = 8;

type Tx = Transaction<'static, Postgres>;

/// A polltrack database on a PostgreSQL server.
pub struct PgStore {
    pool: PgPool,
    /// The database as messages name it: its URL without the password.
    label: String,
    /// Whether a write was committed.
    wrote: AtomicBool,
    /// Whether opening it created polltrack's schema in an empty database.
    created: bool,
    /// Why the changes of this session are made, kept with each in the history.
    reason: Option<String>,
}

/// Whether `text` names a PostgreSQL database (`postgres://` or `postgresql://`) rather than
/// an SQLite file.
pub fn is_postgres_url(text: &str) -> bool {
    let lower = text.get(..13).unwrap_or(text).to_ascii_lowercase();
    lower.starts_with("postgres://") || lower.starts_with("postgresql://")
}

/// The URL with its password (and any `password=` parameter) replaced by `***`, for messages.
pub fn redacted(url: &str) -> String {
    match url::Url::parse(url) {
        Ok(mut parsed) => {
            if parsed.password().is_some() {
                let _ = parsed.set_password(Some("***"));
            }
            let pairs: Vec<(String, String)> = parsed
                .query_pairs()
                .map(|(k, v)| {
                    let v = if k.eq_ignore_ascii_case("password") {
                        "***".to_string()
                    } else {
                        v.into_owned()
                    };
                    (k.into_owned(), v)
                })
                .collect();
            if !pairs.is_empty() {
                parsed.query_pairs_mut().clear().extend_pairs(pairs);
            }
            parsed.to_string()
        }
        // Not a URL at all: nothing of it is shown, in case it holds a password.
        Err(_) => "the PostgreSQL URL given".to_string(),
    }
}

/// The URL without its password, for a command a user copies: the password then comes from
/// `PGPASSWORD` or `~/.pgpass`, as for `psql`.
pub fn without_password(url: &str) -> String {
    match url::Url::parse(url) {
        Ok(mut parsed) if parsed.password().is_some() => {
            let _ = parsed.set_password(None);
            parsed.to_string()
        }
        _ => redacted(url),
    }
}

fn first_version() -> i64 {
    MIGRATOR.iter().map(|m| m.version).min().unwrap_or(0)
}

fn newest_version() -> i64 {
    MIGRATOR.iter().map(|m| m.version).max().unwrap_or(0)
}

impl PgStore {
    /// Connects to the database at `url` (`postgres://USER[:PASSWORD]@HOST[:PORT]/DB`, with
    /// `sslmode` and PostgreSQL's other parameters). With [`Access::ReadExisting`] it must hold
    /// the current polltrack schema; with [`Access::Create`] an empty database gets the schema
    /// and an older one is migrated. A database holding another application's tables, or
    /// written by a newer polltrack, is refused before anything in it changes.
    ///
    /// Errors: storage, naming the database without its password, when the server cannot be
    /// reached or refuses the login; not found when the database does not exist.
    pub async fn open(url: &str, access: Access) -> Result<PgStore> {
        let label = redacted(url);
        let options = PgConnectOptions::from_str(url).map_err(|e| {
            Error::usage(format!(
                "{label} is not a PostgreSQL URL polltrack can use ({}); write it as \
                 postgres://USER@HOST:PORT/DATABASE",
                in_words(&e)
            ))
        })?;
        if url::Url::parse(url).is_ok_and(|u| u.path().trim_matches('/').is_empty()) {
            return Err(Error::usage(format!(
                "{label} names no database: add its name, as in \
                 postgres://USER@HOST:PORT/DATABASE"
            )));
        }
        let options = options.application_name("polltrack");
        // One connection first, so that a server that cannot be reached, or refuses the login,
        // is said at once and in its own words (a pool would retry until its timeout).
        let first = PgConnection::connect_with(&options)
            .await
            .map_err(|e| connect_error(&label, e))?;
        let _ = first.close().await;
        let pool = PgPoolOptions::new()
            .max_connections(4)
            .acquire_timeout(Duration::from_secs(30))
            .connect_with(options)
            .await
            .map_err(|e| connect_error(&label, e))?;
        let db = PgStore {
            pool,
            label,
            wrote: AtomicBool::new(false),
            created: false,
            reason: None,
        };
        match db.check(access).await {
            Ok(created) => Ok(PgStore { created, ..db }),
            Err(e) => {
                db.pool.close().await;
                Err(e)
            }
        }
    }

    /// Checks the database is polltrack's, of a schema this polltrack can use for `access`,
    /// and brings an older (or empty, for [`Access::Create`]) one up to date. Returns whether it
    /// created the schema in an empty database (as far as it can tell: two polltracks that
    /// find one database empty at the same moment both think so).
    async fn check(&self, access: Access) -> Result<bool> {
        let (has_migrations, tables): (bool, i64) = sqlx::query_as(
            "SELECT to_regclass('_sqlx_migrations') IS NOT NULL,
                    (SELECT count(*) FROM pg_tables
                      WHERE schemaname = current_schema() AND tablename <> '_sqlx_migrations')",
        )
        .fetch_one(&self.pool)
        .await
        .map_err(|e| self.err(e))?;
        let applied = if has_migrations {
            let (first, applied, recorded): (bool, i64, i64) = sqlx::query_as(
                "SELECT coalesce(bool_or(version = $1 AND success), FALSE),
                        coalesce(max(version) FILTER (WHERE success), 0), count(*)
                   FROM _sqlx_migrations",
            )
            .bind(first_version())
            .fetch_one(&self.pool)
            .await
            .map_err(|e| self.err(e))?;
            // An empty table is another polltrack creating the schema this moment (the
            // migrator makes its table first, then commits each migration): its migrations
            // are waited for below, under the migrator's lock.
            if !first && recorded > 0 {
                return Err(self.not_polltrack("it holds another application's migrations"));
            }
            applied
        } else if tables > 0 {
            return Err(self.not_polltrack("it holds another application's tables"));
        } else {
            0
        };
        let newest = newest_version();
        if applied > newest {
            return Err(Error::storage_refused(format!(
                "database {} was written by a newer polltrack (schema {applied}; this polltrack \
                 knows up to {newest}): upgrade polltrack to use it. The database was not \
                 changed.",
                self.label
            )));
        }
        if applied < newest {
            if access == Access::ReadExisting {
                return Err(if applied == 0 {
                    Error::not_found(format!(
                        "database {} holds no polltrack database yet",
                        self.label
                    ))
                    .with_hint(Hint::InitServerDatabase)
                } else {
                    Error::storage_refused(format!(
                        "database {} has the schema of an older polltrack (schema {applied}; \
                         this polltrack reads {newest}); the database was not changed",
                        self.label
                    ))
                    .with_hint(Hint::UpgradeDatabase)
                });
            }
            // sqlx's migrator holds an advisory lock while it runs, so two polltracks
            // upgrading one database at once apply each migration once.
            MIGRATOR.run(&self.pool).await.map_err(|e| {
                let why = match &e {
                    sqlx::migrate::MigrateError::Execute(inner) => in_words(inner),
                    other => other.to_string(),
                };
                Error::storage(
                    format!(
                        "database {}: could not create or upgrade polltrack's tables: {why}",
                        self.label
                    ),
                    e,
                )
            })?;
        }
        Ok(!has_migrations)
    }

    fn not_polltrack(&self, why: &str) -> Error {
        Error::storage_refused(format!(
            "{} is not a polltrack database ({why}); it was left as it is",
            self.label
        ))
        .with_hint(Hint::NameAnotherServerDatabase)
    }

    /// Whether opening it created polltrack's schema in an empty database.
    pub fn is_new(&self) -> bool {
        self.created
    }

    /// The database as messages name it: its URL without the password.
    pub fn label(&self) -> &str {
        &self.label
    }

    /// Gives every change this store records from now on `reason` (the user's `--reason`), or
    /// none. It is kept in the history beside each row.
    pub fn set_reason(&mut self, reason: Option<String>) {
        self.reason = reason;
    }

    /// Ends a command that succeeded: closes the connections.
    pub async fn close(self) -> Result<()> {
        self.pool.close().await;
        Ok(())
    }

    /// Ends a command that failed or only tried; what it did not commit was rolled back. If
    /// opening it created polltrack's tables in an empty database, and nothing is stored in
    /// them, they are dropped again (best effort): a failed command leaves the database as it
    /// found it, as a new SQLite file is never published.
    pub async fn discard(self) {
        if self.created {
            let _ = self.drop_new_schema().await;
        }
        self.pool.close().await;
    }

    /// Drops the schema this store created, under the write lock, unless another writer has
    /// stored anything in it meanwhile.
    async fn drop_new_schema(&self) -> Result<()> {
        let mut tx = self.write().await?;
        let empty: bool = sqlx::query_scalar(
            "SELECT NOT EXISTS (SELECT 1 FROM poll) AND NOT EXISTS (SELECT 1 FROM change)
                AND NOT EXISTS (SELECT 1 FROM pollster) AND NOT EXISTS (SELECT 1 FROM question)
                AND NOT EXISTS (SELECT 1 FROM source) AND NOT EXISTS (SELECT 1 FROM sponsor)",
        )
        .fetch_one(&mut *tx)
        .await
        .map_err(|e| self.err(e))?;
        if !empty {
            return Ok(());
        }
        // Every table of the schema is polltrack's: it held none before this store made them.
        let tables: Vec<String> = sqlx::query_scalar(
            "SELECT quote_ident(tablename) FROM pg_tables WHERE schemaname = current_schema()",
        )
        .fetch_all(&mut *tx)
        .await
        .map_err(|e| self.err(e))?;
        let drop = format!(
            "DROP VIEW IF EXISTS poll_answers; DROP TABLE {} CASCADE; \
             DROP FUNCTION IF EXISTS poll_date_follows()",
            tables.join(", ")
        );
        sqlx::raw_sql(sqlx::AssertSqlSafe(drop))
            .execute(&mut *tx)
            .await
            .map_err(|e| self.err(e))?;
        tx.commit().await.map_err(|e| self.err(e))
    }

    /// A write transaction: polltrack's writers take turns on [`WRITE_LOCK`], and the rows it
    /// records in the history carry the session's reason.
    async fn write(&self) -> Result<Tx> {
        let mut tx = self.pool.begin().await.map_err(|e| self.err(e))?;
        sqlx::query("SELECT pg_advisory_xact_lock($1)")
            .bind(WRITE_LOCK)
            .execute(&mut *tx)
            .await
            .map_err(|e| self.err(e))?;
        let reason = crate::db::reason::current(self.reason.as_deref());
        record::keep_reason(&mut tx, reason.as_deref()).await?;
        Ok(tx)
    }

    /// A read-only transaction on one snapshot of the database.
    async fn read(&self) -> Result<Tx> {
        self.pool
            .begin_with("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
            .await
            .map_err(|e| self.err(e))
    }

    fn err(&self, e: sqlx::Error) -> Error {
        Error::storage(format!("database {}: {}", self.label, in_words(&e)), e)
    }
}

impl PgStore {
    /// Refreshes the statistics the query planner chooses plans by, after a write of many rows
    /// (an import, a load): without them the tables still look as small as before, and reading
    /// pages of a large export scans whole tables (35 s instead of a few for 1,000,000 rows).
    /// Best effort: stale statistics only slow reads down.
    async fn refresh_statistics(&self) {
        let _ = sqlx::query("ANALYZE").execute(&self.pool).await;
    }
}

/// Commits, naming the database if it fails.
async fn commit(db: &PgStore, tx: Tx) -> Result<()> {
    tx.commit().await.map_err(|e| db.err(e))?;
    db.wrote.store(true, Ordering::Relaxed);
    Ok(())
}

/// A failure inside a query whose database the caller names.
fn db_err(e: sqlx::Error) -> Error {
    Error::storage(format!("database: {}", in_words(&e)), e)
}

/// The SQLSTATE of a failure PostgreSQL reported, when it has one.
fn sqlstate(e: &sqlx::Error) -> Option<String> {
    match e {
        sqlx::Error::Database(e) => e.code().map(|c| c.into_owned()),
        _ => None,
    }
}

/// Whether PostgreSQL asks for the transaction that failed so to be run again: a
/// serialization failure (40001) or a deadlock (40P01).
pub(super) fn retryable(e: &Error) -> bool {
    let Error::Storage {
        source: Some(source),
        ..
    } = e
    else {
        return false;
    };
    source
        .downcast_ref::<sqlx::Error>()
        .and_then(sqlstate)
        .is_some_and(|code| code == "40001" || code == "40P01")
}

/// The pause before attempt `attempt` (1 for the first retry): 10 ms doubling, with jitter so
/// that writers that collided do not collide again.
pub(super) fn backoff(attempt: u32) -> Duration {
    let base = 10u64 << attempt.min(8);
    let jitter = u64::from(std::process::id()).wrapping_mul(u64::from(attempt) + 7) % base;
    Duration::from_millis(base + jitter)
}

/// Runs the async block `$body` (which begins, does and commits its own transaction) again
/// while it fails with an error PostgreSQL asks to retry ([`retryable`]), at most [`ATTEMPTS`]
/// times in all, pausing ([`backoff`]) between.
macro_rules! retrying {
    ($body:expr) => {{
        let mut attempt = 0u32;
        loop {
            attempt += 1;
            match $body.await {
                Err(e)
                    if attempt < $crate::db::postgres::ATTEMPTS
                        && $crate::db::postgres::retryable(&e) =>
                {
                    tokio::time::sleep($crate::db::postgres::backoff(attempt)).await;
                }
                done => break done,
            }
        }
    }};
}
pub(crate) use retrying;

fn connect_error(label: &str, e: sqlx::Error) -> Error {
    const INVALID_CATALOG: &str = "3D000";
    if sqlstate(&e).as_deref() == Some(INVALID_CATALOG) {
        return Error::not_found(format!(
            "database {label} does not exist on that server: create it first (CREATE DATABASE)"
        ));
    }
    Error::storage(
        format!("cannot connect to database {label}: {}", in_words(&e)),
        e,
    )
}

/// PostgreSQL's failures that a user can act on, in words; others as PostgreSQL gives them.
/// Never the URL: sqlx's messages do not hold it, and the caller names the database by its
/// label.
fn in_words(e: &sqlx::Error) -> String {
    match e {
        sqlx::Error::Database(db) => {
            let message = db.message().to_string();
            match sqlstate(e).as_deref() {
                Some("28P01" | "28000") => {
                    format!("the server refused the login ({message})")
                }
                Some("53100") => "the server's disk is full: nothing was changed".into(),
                Some("25006") => {
                    "the server allows only reading here (a read-only session or standby): \
                     nothing was changed"
                        .into()
                }
                Some("42501") => format!(
                    "the role lacks a privilege polltrack needs ({message}): grant it, or \
                     connect as the database's owner"
                ),
                _ => message,
            }
        }
        sqlx::Error::Io(io) => format!("the server could not be reached ({io})"),
        sqlx::Error::Tls(tls) => format!("the secure connection failed ({tls})"),
        sqlx::Error::PoolTimedOut => {
            "no connection to the server became free within 30 s".to_string()
        }
        e => e.to_string(),
    }
}

/// The current time as stored in `created_at`, `updated_at` and `changed_at` (`YYYY-MM-DD
/// HH:MM:SS`, UTC), written as `$n::timestamp AT TIME ZONE 'UTC'`.
fn now() -> String {
    chrono::Utc::now().format("%Y-%m-%d %H:%M:%S").to_string()
}

/// How a stored timestamp is read: the same text SQLite keeps, whatever the session's zone.
/// `$col` is a column name; the result is `YYYY-MM-DD HH:MM:SS` in UTC.
macro_rules! utc_text {
    ($col:literal) => {
        concat!(
            "to_char(",
            $col,
            " AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS')"
        )
    };
}
pub(crate) use utc_text;
