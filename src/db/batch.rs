//! Bulk INSERTs. sqlx runs SQLite on a worker thread and copies every bound value, so a
//! statement (or even a bind) per row spends its time on overhead. Rows instead go to SQLite as
//! one JSON array per chunk, bound once, and are unpacked there by `json_each`:
//! `INSERT INTO t (a, b) SELECT value ->> 0, value ->> 1 FROM json_each(?)`.

use crate::error::{Error, Result};
use serde::Serialize;
use sqlx::AssertSqlSafe;
use sqlx::sqlite::SqliteConnection;

/// Rows per statement: large enough that overhead vanishes, small enough to keep memory flat.
const CHUNK_ROWS: usize = 20_000;

/// Inserts `rows`, each serialised as a JSON array of the values of `columns` in order: `None`
/// as null, numbers as numbers (written with enough digits to read back the same value).
/// `head` is `INSERT INTO t` or `INSERT OR IGNORE INTO t`.
pub async fn insert<T: Serialize>(
    conn: &mut SqliteConnection,
    head: &str,
    columns: &[&str],
    rows: &[T],
) -> Result<()> {
    if rows.is_empty() {
        return Ok(());
    }
    let values: Vec<String> = (0..columns.len())
        .map(|i| format!("value ->> {i}"))
        .collect();
    let sql = format!(
        "{head} ({}) SELECT {} FROM json_each(?)",
        columns.join(", "),
        values.join(", ")
    );
    for chunk in rows.chunks(CHUNK_ROWS) {
        let json = serde_json::to_string(chunk)
            .map_err(|e| Error::Failed(format!("database: cannot encode rows: {e}")))?;
        sqlx::query(AssertSqlSafe(sql.as_str()))
            .bind(json)
            .execute(&mut *conn)
            .await
            .map_err(super::db_err)?;
    }
    Ok(())
}
