//! Bulk INSERTs. sqlx runs SQLite on a worker thread, so a statement per row spends its time
//! crossing threads: rows go in multi-row `INSERT ... VALUES (?, ?), (?, ?), ...` statements of
//! up to 500 rows, every full one reusing one prepared statement. Binding happens on the
//! calling thread, the inserting on SQLite's, so the two share the work.

use crate::error::{Error, Result};
use serde::Serialize;
use serde_json::Value;
use sqlx::sqlite::{SqliteArguments, SqliteConnection};
use sqlx::{AssertSqlSafe, Sqlite};

/// SQLite's limit on bound variables in one statement (since 3.32).
const MAX_VARIABLES: usize = 32_766;
/// Past this many rows a statement gets no faster, only longer to prepare.
const MAX_ROWS: usize = 500;

type Query = sqlx::query::Query<'static, Sqlite, SqliteArguments>;

/// Inserts `rows`, each serialising to an array of the values of `columns` in order (`None` as
/// NULL). `head` is `INSERT INTO t` or `INSERT OR IGNORE INTO t`.
pub async fn insert<T: Serialize>(
    conn: &mut SqliteConnection,
    head: &str,
    columns: &[&str],
    rows: &[T],
) -> Result<()> {
    let per_chunk = (MAX_VARIABLES / columns.len().max(1)).clamp(1, MAX_ROWS);
    let group = format!("({})", vec!["?"; columns.len()].join(", "));
    let head = format!("{head} ({}) VALUES ", columns.join(", "));
    let mut full_chunk_sql: Option<String> = None;
    for chunk in rows.chunks(per_chunk) {
        let sql = if chunk.len() == per_chunk {
            full_chunk_sql
                .get_or_insert_with(|| values_sql(&head, &group, per_chunk))
                .clone()
        } else {
            values_sql(&head, &group, chunk.len())
        };
        let mut query = sqlx::query(AssertSqlSafe(sql));
        for row in chunk {
            let Value::Array(values) = serde_json::to_value(row)
                .map_err(|e| Error::Failed(format!("database: cannot encode a row: {e}")))?
            else {
                return Err(Error::Failed(
                    "database: a row is not a list of values".into(),
                ));
            };
            for value in values {
                query = bind(query, value);
            }
        }
        query.execute(&mut *conn).await.map_err(super::db_err)?;
    }
    Ok(())
}

/// Binds a value with its own type: integers stay integers, reals keep every bit.
fn bind(query: Query, value: Value) -> Query {
    match value {
        Value::Null => query.bind(None::<i64>),
        Value::Bool(b) => query.bind(i64::from(b)),
        Value::Number(n) => match n.as_i64() {
            Some(i) => query.bind(i),
            None => query.bind(n.as_f64()),
        },
        Value::String(s) => query.bind(s),
        other => query.bind(other.to_string()),
    }
}

fn values_sql(head: &str, group: &str, rows: usize) -> String {
    let mut sql = String::with_capacity(head.len() + rows * (group.len() + 2));
    sql.push_str(head);
    for i in 0..rows {
        if i > 0 {
            sql.push_str(", ");
        }
        sql.push_str(group);
    }
    sql
}
