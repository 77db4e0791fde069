//! Bulk INSERTs. sqlx runs SQLite on a worker thread, so a statement per row spends its time
//! crossing threads: rows go in multi-row `INSERT ... VALUES (?, ?), (?, ?), ...` statements of
//! up to 500 rows, every full one reusing one prepared statement. Binding happens on the
//! calling thread while SQLite's thread inserts the previous chunk, so the two work at once.

use crate::error::{Error, Result};
use sqlx::sqlite::{SqliteArguments, SqliteConnection, SqliteQueryResult};
use sqlx::{Arguments, AssertSqlSafe, Sqlite};
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll, Waker};

/// SQLite's limit on bound variables in one statement (since 3.32).
const MAX_VARIABLES: usize = 32_766;
/// Past this many rows a statement gets no faster, only longer to prepare.
const MAX_ROWS: usize = 500;

type Encoded = std::result::Result<(), sqlx::error::BoxDynError>;

/// A value bound with its own SQLite type: integers stay integers, reals keep every bit.
pub trait Value {
    fn add_to(&self, arguments: &mut SqliteArguments) -> Encoded;
}

impl Value for i64 {
    fn add_to(&self, arguments: &mut SqliteArguments) -> Encoded {
        arguments.add(*self)
    }
}

impl Value for f64 {
    fn add_to(&self, arguments: &mut SqliteArguments) -> Encoded {
        arguments.add(*self)
    }
}

impl Value for str {
    fn add_to(&self, arguments: &mut SqliteArguments) -> Encoded {
        // One allocation, where a String would take two.
        arguments.add(Arc::<str>::from(self))
    }
}

impl Value for String {
    fn add_to(&self, arguments: &mut SqliteArguments) -> Encoded {
        self.as_str().add_to(arguments)
    }
}

impl<T: Value> Value for Option<T> {
    fn add_to(&self, arguments: &mut SqliteArguments) -> Encoded {
        match self {
            Some(value) => value.add_to(arguments),
            None => arguments.add(None::<i64>),
        }
    }
}

impl<T: Value + ?Sized> Value for &T {
    fn add_to(&self, arguments: &mut SqliteArguments) -> Encoded {
        (**self).add_to(arguments)
    }
}

/// One row of values, in the order of the statement's columns.
pub trait Row {
    fn add_to(&self, arguments: &mut SqliteArguments) -> Encoded;
}

macro_rules! tuple_row {
    ($($index:tt $type:ident),+) => {
        impl<$($type: Value),+> Row for ($($type,)+) {
            fn add_to(&self, arguments: &mut SqliteArguments) -> Encoded {
                $(self.$index.add_to(arguments)?;)+
                Ok(())
            }
        }
    };
}

tuple_row!(0 A, 1 B);
tuple_row!(0 A, 1 B, 2 C);
tuple_row!(0 A, 1 B, 2 C, 3 D);
tuple_row!(0 A, 1 B, 2 C, 3 D, 4 E);
tuple_row!(0 A, 1 B, 2 C, 3 D, 4 E, 5 F);
tuple_row!(0 A, 1 B, 2 C, 3 D, 4 E, 5 F, 6 G);
tuple_row!(0 A, 1 B, 2 C, 3 D, 4 E, 5 F, 6 G, 7 H, 8 I, 9 J, 10 K, 11 L);
tuple_row!(0 A, 1 B, 2 C, 3 D, 4 E, 5 F, 6 G, 7 H, 8 I, 9 J, 10 K, 11 L, 12 M);

type Query = sqlx::query::Query<'static, Sqlite, SqliteArguments>;

type Pending<'c> = Pin<Box<dyn Future<Output = sqlx::Result<SqliteQueryResult>> + Send + 'c>>;

/// Inserts `rows`, whose values are those of `columns` in order. `head` is `INSERT INTO t`.
pub async fn insert<T: Row>(
    conn: &mut SqliteConnection,
    head: &str,
    columns: &[&str],
    rows: &[T],
) -> Result<()> {
    insert_then(conn, head, columns, rows, "").await
}

/// As [`insert`], leaving out rows that would repeat a row stored (`ON CONFLICT DO NOTHING`).
pub async fn insert_new<T: Row>(
    conn: &mut SqliteConnection,
    head: &str,
    columns: &[&str],
    rows: &[T],
) -> Result<()> {
    insert_then(conn, head, columns, rows, " ON CONFLICT DO NOTHING").await
}

async fn insert_then<T: Row>(
    conn: &mut SqliteConnection,
    head: &str,
    columns: &[&str],
    rows: &[T],
    tail: &str,
) -> Result<()> {
    let per_chunk = (MAX_VARIABLES / columns.len().max(1)).clamp(1, MAX_ROWS);
    let group = format!("({})", vec!["?"; columns.len()].join(", "));
    let head = format!("{head} ({}) VALUES ", columns.join(", "));
    // Shared, not copied: every full chunk runs the same statement.
    let mut full_chunk_sql: Option<Arc<str>> = None;
    let mut build = |chunk: &[T]| -> Result<Query> {
        let sql: Arc<str> = if chunk.len() == per_chunk {
            full_chunk_sql
                .get_or_insert_with(|| values_sql(&head, &group, per_chunk, tail).into())
                .clone()
        } else {
            values_sql(&head, &group, chunk.len(), tail).into()
        };
        let mut arguments = SqliteArguments::default();
        arguments.reserve(chunk.len() * columns.len(), 0);
        for row in chunk {
            row.add_to(&mut arguments)
                .map_err(|e| Error::Failed(format!("database: cannot encode a value: {e}")))?;
        }
        Ok(sqlx::query_with(AssertSqlSafe(sql), arguments))
    };
    let mut chunks = rows.chunks(per_chunk);
    let mut next = chunks.next().map(&mut build).transpose()?;
    while let Some(query) = next.take() {
        let running = start(query.execute(&mut *conn));
        next = chunks.next().map(&mut build).transpose()?;
        running.await.map_err(super::db_err)?;
    }
    Ok(())
}

/// Polls a statement's future once, which hands it to SQLite's thread, and returns it to be
/// awaited later.
fn start<'c>(
    execution: impl Future<Output = sqlx::Result<SqliteQueryResult>> + Send + 'c,
) -> Pending<'c> {
    let mut execution: Pending<'c> = Box::pin(execution);
    match execution
        .as_mut()
        .poll(&mut Context::from_waker(Waker::noop()))
    {
        // Finished at once (an error before reaching SQLite, say): keep the outcome.
        Poll::Ready(outcome) => Box::pin(std::future::ready(outcome)),
        Poll::Pending => execution,
    }
}

fn values_sql(head: &str, group: &str, rows: usize, tail: &str) -> String {
    let mut sql = String::with_capacity(head.len() + rows * (group.len() + 2) + tail.len());
    sql.push_str(head);
    for i in 0..rows {
        if i > 0 {
            sql.push_str(", ");
        }
        sql.push_str(group);
    }
    sql.push_str(tail);
    sql
}
