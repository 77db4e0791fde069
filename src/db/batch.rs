//! Multi-row INSERTs: sqlx runs SQLite on a worker thread, so a statement per row spends its
//! time crossing threads. Rows go in chunks of as many as SQLite's bound-variable limit allows;
//! every full chunk reuses one prepared statement.

use sqlx::sqlite::{SqliteArguments, SqliteConnection};
use sqlx::{AssertSqlSafe, Sqlite};

/// SQLite's limit on bound variables in one statement (since 3.32).
const MAX_VARIABLES: usize = 32_766;
/// Past this many rows a statement gets no faster, only longer to prepare.
const MAX_ROWS: usize = 500;

pub type Query = sqlx::query::Query<'static, Sqlite, SqliteArguments>;

/// Inserts `rows` with `head` (`INSERT INTO t (a, b)`) and one `group` (`(?, ?)`) per row;
/// `bind` binds one row's values, one per `?` of the group, in order.
pub async fn insert<T>(
    conn: &mut SqliteConnection,
    head: &str,
    group: &str,
    rows: &[T],
    bind: impl Fn(Query, &T) -> Query,
) -> Result<(), sqlx::Error> {
    let variables = group.matches('?').count().max(1);
    let per_chunk = (MAX_VARIABLES / variables).clamp(1, MAX_ROWS);
    let mut full_chunk_sql: Option<String> = None;
    for chunk in rows.chunks(per_chunk) {
        let sql = if chunk.len() == per_chunk {
            full_chunk_sql
                .get_or_insert_with(|| values_sql(head, group, per_chunk))
                .clone()
        } else {
            values_sql(head, group, chunk.len())
        };
        let mut query = sqlx::query(AssertSqlSafe(sql));
        for row in chunk {
            query = bind(query, row);
        }
        query.execute(&mut *conn).await?;
    }
    Ok(())
}

fn values_sql(head: &str, group: &str, rows: usize) -> String {
    let mut sql = String::with_capacity(head.len() + 8 + rows * (group.len() + 2));
    sql.push_str(head);
    sql.push_str(" VALUES ");
    for i in 0..rows {
        if i > 0 {
            sql.push_str(", ");
        }
        sql.push_str(group);
    }
    sql
}
