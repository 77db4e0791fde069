//! The SQLite store's tests: the storage contract (`db::contract`) run on a fresh file in a
//! temp directory, and what only SQLite has: the file's lifecycle, its SQL, the raw trend read.

#![allow(unused_imports)]

mod lifecycle;
mod series;
mod sql;

use super::{Access, SqliteStore};
use crate::db::contract::*;
use std::path::{Path, PathBuf};
use tempfile::TempDir;

pub(super) fn db_path(dir: &TempDir) -> PathBuf {
    dir.path().join("polls.db")
}

pub(super) async fn fresh() -> (TempDir, SqliteStore) {
    let dir = TempDir::new().expect("temp dir");
    let db = SqliteStore::open(&db_path(&dir), Access::Create)
        .await
        .expect("open a new database");
    (dir, db)
}

pub(super) async fn mark_newer_schema(path: &Path, version: i64) {
    use sqlx::sqlite::{SqliteConnectOptions, SqlitePoolOptions};
    let pool = SqlitePoolOptions::new()
        .max_connections(1)
        .connect_with(SqliteConnectOptions::new().filename(path))
        .await
        .unwrap();
    sqlx::query(
        "INSERT INTO _sqlx_migrations (version, description, success, checksum, execution_time)
         VALUES (?, 'from the future', TRUE, x'00', 0)",
    )
    .bind(version)
    .execute(&pool)
    .await
    .unwrap();
    pool.close().await;
}

async fn finish(dir: TempDir, store: SqliteStore) {
    store.close().await.expect("close the database");
    drop(dir);
}

crate::db::contract::contract_tests!(Some(fresh().await), finish);
