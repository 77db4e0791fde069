//! Fresh PostgreSQL databases for tests, on the server named by `POLLTRACK_TEST_POSTGRES` (a
//! URL whose role may create databases, such as `postgres://postgres@127.0.0.1:5432/postgres`).
//! Without it a test skips with a printed message, so `cargo test` passes on a machine without
//! PostgreSQL.
//!
//! The schema is migrated once, into a template database named after the migrations' versions
//! and checksums (so a changed migration gets a new template, and later test processes reuse
//! it); each test then gets its own copy, `CREATE DATABASE ... TEMPLATE`, which takes about a
//! sixth of a second where migrating would take several.

use sqlx::postgres::PgConnectOptions;
use sqlx::{AssertSqlSafe, Connection, PgConnection, PgPool};
use std::str::FromStr;
use std::sync::atomic::{AtomicU64, Ordering};
use tokio::sync::OnceCell;

/// The environment variable naming the test server.
pub(crate) const SERVER_VARIABLE: &str = "POLLTRACK_TEST_POSTGRES";

/// SQLSTATE of `CREATE DATABASE` (or a rename) to a name that exists.
const DUPLICATE_DATABASE: &str = "42P04";

/// The migrated template of this process, created (or found) by its first test.
static TEMPLATE: OnceCell<String> = OnceCell::const_new();

/// Numbers this process's test databases.
static NEXT: AtomicU64 = AtomicU64::new(1);

/// A database of the test server, made for one test: drop it with [`TestDatabase::drop`] at the
/// end (a failed test leaves it, to be looked at; names begin `polltrack_t_`).
pub(crate) struct TestDatabase {
    /// The database's name.
    pub name: String,
    /// A `postgres://` URL reaching it (the server's URL with this database in its path), as
    /// `--db` will take it.
    pub url: String,
    server: PgConnectOptions,
}

impl TestDatabase {
    /// Options to connect to it.
    pub fn options(&self) -> PgConnectOptions {
        self.server.clone().database(&self.name)
    }

    /// A pool of connections to it.
    pub async fn pool(&self) -> PgPool {
        PgPool::connect_with(self.options())
            .await
            .unwrap_or_else(|e| panic!("connect to {}: {e}", self.name))
    }

    /// Drops the database, closing whatever connections are still open to it.
    pub async fn drop(self) {
        let sql = format!("DROP DATABASE IF EXISTS \"{}\" WITH (FORCE)", self.name);
        admin(&self.server, &sql)
            .await
            .unwrap_or_else(|e| panic!("drop {}: {e}", self.name));
    }
}

/// The test server's connection options, or `None` (with a printed "skipped") when
/// `POLLTRACK_TEST_POSTGRES` is unset or empty.
fn server() -> Option<PgConnectOptions> {
    match std::env::var(SERVER_VARIABLE) {
        Ok(url) if !url.trim().is_empty() => Some(
            PgConnectOptions::from_str(&url)
                .unwrap_or_else(|e| panic!("{SERVER_VARIABLE} is not a PostgreSQL URL: {e}")),
        ),
        _ => {
            eprintln!("skipped: {SERVER_VARIABLE} is not set (no PostgreSQL server to test on)");
            None
        }
    }
}

/// A new database holding the current schema, copied from the migrated template; `None` when
/// no test server is configured.
pub(crate) async fn migrated() -> Option<TestDatabase> {
    let server = server()?;
    let template = TEMPLATE.get_or_init(|| make_template(server.clone())).await;
    Some(create(server, &format!("TEMPLATE \"{template}\"")).await)
}

/// A fresh migrated database with polltrack's store open on it, or `None` without a server.
#[cfg(test)]
pub(crate) async fn fresh_store() -> Option<(TestDatabase, super::PgStore)> {
    let database = migrated().await?;
    let store = super::PgStore::open(&database.url, crate::db::Access::Create)
        .await
        .expect("open the test database");
    Some((database, store))
}

/// Closes a store of [`fresh_store`] and drops its database.
#[cfg(test)]
pub(crate) async fn finish_store(database: TestDatabase, store: super::PgStore) {
    store.close().await.expect("close the database");
    database.drop().await;
}

/// A new, empty database (no schema); `None` when no test server is configured.
pub(crate) async fn empty() -> Option<TestDatabase> {
    let server = server()?;
    // template0: nothing a server's administrator added to template1 comes along.
    Some(create(server, "TEMPLATE template0").await)
}

async fn create(server: PgConnectOptions, from: &str) -> TestDatabase {
    let name = format!(
        "polltrack_t_{}_{}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    );
    admin(&server, &format!("CREATE DATABASE \"{name}\" {from}"))
        .await
        .unwrap_or_else(|e| panic!("create the test database {name}: {e}"));
    let url = url_of(&server_url(), &name);
    TestDatabase { name, url, server }
}

/// Migrates a database under a name of this process's own, then renames it to the template's
/// name, so that another process never sees a half-migrated template; a process that loses the
/// race to the name uses the winner's.
async fn make_template(server: PgConnectOptions) -> String {
    let name = template_name();
    if exists(&server, &name).await {
        return name;
    }
    let draft = create(server.clone(), "TEMPLATE template0").await;
    let pool = draft.pool().await;
    super::MIGRATOR
        .run(&pool)
        .await
        .unwrap_or_else(|e| panic!("migrate the test template: {e}"));
    pool.close().await;
    let rename = format!("ALTER DATABASE \"{}\" RENAME TO \"{name}\"", draft.name);
    match admin(&server, &rename).await {
        Ok(()) => {}
        Err(sqlx::Error::Database(e)) if e.code().as_deref() == Some(DUPLICATE_DATABASE) => {
            draft.drop().await;
        }
        Err(e) => panic!("name the test template {name}: {e}"),
    }
    name
}

/// `polltrack_template_` and a hash of every migration's version and checksum.
fn template_name() -> String {
    // FNV-1a: stable across processes and Rust versions, unlike std's hasher.
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for migration in super::MIGRATOR.iter() {
        let version = migration.version.to_le_bytes();
        for byte in version.iter().chain(migration.checksum.iter()) {
            hash = (hash ^ u64::from(*byte)).wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
    format!("polltrack_template_{hash:016x}")
}

async fn exists(server: &PgConnectOptions, name: &str) -> bool {
    let mut conn = PgConnection::connect_with(server)
        .await
        .unwrap_or_else(|e| panic!("connect to the test server: {e}"));
    let found: bool =
        sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)")
            .bind(name)
            .fetch_one(&mut conn)
            .await
            .unwrap_or_else(|e| panic!("look for {name}: {e}"));
    let _ = conn.close().await;
    found
}

/// Runs one statement on the server's own database, on a connection of its own (CREATE and
/// DROP DATABASE run outside any transaction, and each test has its own runtime).
async fn admin(server: &PgConnectOptions, sql: &str) -> Result<(), sqlx::Error> {
    let mut conn = PgConnection::connect_with(server).await?;
    let done = sqlx::raw_sql(AssertSqlSafe(sql.to_string()))
        .execute(&mut conn)
        .await;
    let _ = conn.close().await;
    done.map(|_| ())
}

fn server_url() -> String {
    std::env::var(SERVER_VARIABLE).unwrap_or_default()
}

/// The server's URL with `database` in its path, its other parts (user, password, host, port,
/// parameters such as `sslmode`) kept.
fn url_of(server: &str, database: &str) -> String {
    let mut url =
        url::Url::parse(server).unwrap_or_else(|e| panic!("{SERVER_VARIABLE} is not a URL: {e}"));
    url.set_path(&format!("/{database}"));
    url.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_database_url_keeps_the_server_and_its_parameters() {
        assert_eq!(
            url_of(
                "postgres://editor:s3cret@db.example.org:6543/postgres?sslmode=require",
                "polltrack_t_1_2"
            ),
            "postgres://editor:s3cret@db.example.org:6543/polltrack_t_1_2?sslmode=require"
        );
        assert_eq!(
            url_of("postgresql://127.0.0.1:5432", "t"),
            "postgresql://127.0.0.1:5432/t"
        );
    }

    #[test]
    fn the_template_is_named_after_the_migrations() {
        let name = template_name();
        assert!(name.starts_with("polltrack_template_"), "{name}");
        assert_eq!(name.len(), "polltrack_template_".len() + 16);
        // PostgreSQL's names are at most 63 bytes.
        assert!(name.len() <= 63);
        assert_eq!(name, template_name());
    }
}
