//! PostgreSQL, for a poll desk sharing one server: so far its schema (`migrations/postgres/`,
//! the SQLite schema in PostgreSQL's own types) and, for tests, fresh databases on a server.
//! The store implementing [`crate::db::Store`] over it comes next, held to the same storage
//! contract (`db::contract`) as SQLite's.

pub(crate) mod testing;

#[cfg(test)]
mod tests;

/// The PostgreSQL schema's migrations, embedded at build time. Append-only once released, as
/// SQLite's are: a database records each migration's version and checksum.
pub(crate) static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/postgres");
