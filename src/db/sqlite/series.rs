//! Reading one question's polls for a trend: the rows are stepped through SQLite's C interface
//! ([`super::raw`]), as reading them is most of a trend's time.

use super::raw::{self, Param};
use super::{SqliteStore, db_err, pollsters};
use crate::db::shared::series::{Interner, no_pollster, no_question};
use crate::db::{SeriesFilter, SeriesStore};
use crate::error::{Error, Result};
use crate::model::PollResult;
use crate::model::{format_date, parse_date};
use std::ffi::c_int;

impl SeriesStore for SqliteStore {
    /// The result sets of one question matching `filter`, with their answers, in no particular
    /// order (the selection of a trend puts them in order of date). Everything is read in one
    /// read transaction; the rows are stepped through SQLite's C interface on a blocking
    /// thread (and a second one, on a second connection sharing the same state of the
    /// database, for a long series), never on the async executor.
    async fn poll_results(&self, filter: &SeriesFilter) -> Result<Vec<PollResult>> {
        let mut tx = self.read().await?;
        let question_id: Option<i64> =
            sqlx::query_scalar("SELECT id FROM question WHERE slug = $1")
                .bind(filter.question.trim())
                .fetch_optional(&mut *tx)
                .await
                .map_err(db_err)?;
        let Some(question_id) = question_id else {
            return Err(no_question(&filter.question));
        };
        let mut included = Vec::new();
        for name in &filter.pollsters {
            included.push(pollster_id(&mut tx, name, "the pollsters to read").await?);
        }
        let mut excluded = Vec::new();
        for name in &filter.exclude_pollsters {
            excluded.push(pollster_id(&mut tx, name, "the pollsters to leave out").await?);
        }
        let bounds = Bounds {
            question_id,
            since: filter.since.map(format_date),
            until: filter.until.map(format_date),
            included: super::polls::json_list(&included),
            excluded: super::polls::json_list(&excluded),
            population: filter.population.as_deref().map(|p| p.trim().to_string()),
        };

        // The dates chosen, as conditions on `rs.poll_date`, shared by both queries below.
        let mut dates = Vec::new();
        if bounds.since.is_some() {
            dates.push("rs.poll_date >= ?2");
        }
        if bounds.until.is_some() {
            dates.push("rs.poll_date <= ?3");
        }
        let in_range = |first: &str| {
            std::iter::once(first)
                .chain(dates.iter().copied())
                .collect::<Vec<_>>()
                .join(" AND ")
        };
        // What the read covers, and (to tell that a second connection sees the same state of
        // the database) the newest change, pollster and sponsor link: every write that could
        // change what is read adds a result set, a change or a pollster, or removes one.
        let extent_sql = format!(
            "SELECT min(rs.id) AS first, max(rs.id) AS last, count(*) AS count,
                    (SELECT coalesce(max(id), 0) FROM change) AS newest_change,
                    (SELECT coalesce(max(id), 0) FROM pollster) AS newest_pollster,
                    (SELECT count(*) FROM pollster) AS pollsters
               FROM result_set rs WHERE {}",
            in_range("rs.question_id = ?1")
        );
        // The first read of the transaction: its snapshot from here on.
        let mine = extent(&mut tx, &extent_sql, &bounds)
            .await
            .map_err(db_err)?;
        let (Some(first), Some(last)) = (mine.first, mine.last) else {
            tx.rollback().await.map_err(|e| self.err(e))?;
            return Ok(Vec::new());
        };

        // When the question's result sets are a good share of those between its first and
        // last, reading that id range in order beats the (question, date) index, whose
        // order jumps about the file (`+` keeps SQLite off the index): 3-4 times faster for
        // a question with most of a database's polls.
        let dense = mine.count * 4 > last - first;
        let mut conditions = vec![in_range(if dense {
            "+rs.question_id = ?1"
        } else {
            "rs.question_id = ?1"
        })];
        conditions.push("rs.id BETWEEN ?7 AND ?8".into());
        if filter.population.is_some() {
            conditions.push("rs.population = ?6 COLLATE NOCASE".into());
        }
        if !included.is_empty() {
            conditions.push("p.pollster_id IN (SELECT value FROM json_each(?4))".into());
        }
        if !excluded.is_empty() {
            conditions.push("p.pollster_id NOT IN (SELECT value FROM json_each(?5))".into());
        }
        // Each result set's rows must come together: the right table of a LEFT JOIN is always
        // read in a loop inside the left one's, and reading the id range in order is sorted
        // by id already (so the ORDER BY costs nothing there; through the index it would
        // cost a sort, and the loop order is enough). The pollsters' names come in the rows
        // themselves, in the same snapshot.
        let sql = format!(
            "SELECT rs.id, rs.poll_id, pl.name, p.field_start, p.field_end, rs.poll_date,
                    p.tracking, rs.population, rs.sample_size, a.label, a.pct,
                    coalesce(p.published_on, date(p.created_at)), p.election
               FROM result_set rs
               JOIN poll p ON p.id = rs.poll_id
               JOIN pollster pl ON pl.id = p.pollster_id
               LEFT JOIN answer a ON a.result_set_id = rs.id
              WHERE {}{}",
            conditions.join(" AND "),
            if dense { " ORDER BY rs.id" } else { "" }
        );

        // A long series is read in two halves (by result set id) on two connections at once,
        // so that SQLite works on both cores; the second connection's read transaction must
        // see what the first sees, else (a write committed between the two) the series is
        // read whole on the first.
        let mut other = None;
        if mine.count >= SPLIT_AT {
            let mut reader = self.another_reader().await?;
            let same = match sqlx::query("BEGIN").execute(&mut reader).await {
                Ok(_) => extent(&mut reader, &extent_sql, &bounds).await.ok() == Some(mine),
                Err(_) => false,
            };
            if same {
                other = Some(reader);
            }
        }
        let runtime = tokio::runtime::Handle::current();
        let blocking = tokio::task::spawn_blocking(move || {
            let read = |connection: &mut raw::Connection, range: (i64, i64)| {
                read_results(connection, &sql, &bounds, range)
            };
            let results = runtime.block_on(async {
                let mut one = tx.lock_handle().await.map_err(db_err)?;
                let mut one = raw::Connection::new(&mut one);
                let Some(other) = other.as_mut() else {
                    return read(&mut one, (first, last));
                };
                let mut two = other.lock_handle().await.map_err(db_err)?;
                let mut two = raw::Connection::new(&mut two);
                let middle = first + (last - first) / 2;
                let (one, two) = std::thread::scope(|scope| {
                    let second = scope.spawn(|| read(&mut two, (middle + 1, last)));
                    let first = read(&mut one, (first, middle));
                    (first, second.join())
                });
                let mut results = one?;
                results.extend(two.map_err(|_| {
                    Error::storage_refused("database: the thread reading poll results failed")
                })??);
                Ok(results)
            });
            (results, tx, other)
        });
        let (results, tx, other) = blocking.await.map_err(|_| {
            Error::storage_refused("database: the thread reading poll results failed")
        })?;
        if let Some(other) = other {
            // Read-only: closing it ends its transaction.
            let _ = sqlx::Connection::close(other).await;
        }
        let results = results?;
        tx.rollback().await.map_err(|e| self.err(e))?;
        Ok(results)
    }
}

/// The extent of a series as one connection sees it: its first and last result set ids and
/// their number, and the newest change and pollster (see [`SeriesStore::poll_results`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, sqlx::FromRow)]
struct Extent {
    first: Option<i64>,
    last: Option<i64>,
    count: i64,
    newest_change: i64,
    newest_pollster: i64,
    pollsters: i64,
}

/// The extent of a series on one connection (`sql` as in [`SeriesStore::poll_results`]).
async fn extent(
    conn: &mut sqlx::SqliteConnection,
    sql: &str,
    bounds: &Bounds,
) -> std::result::Result<Extent, sqlx::Error> {
    sqlx::query_as::<_, Extent>(sqlx::AssertSqlSafe(sql.to_string()))
        .bind(bounds.question_id)
        .bind(bounds.since.as_deref())
        .bind(bounds.until.as_deref())
        .fetch_one(conn)
        .await
}

/// The values a series read binds, owned so the read can move to a thread of its own.
struct Bounds {
    question_id: i64,
    since: Option<String>,
    until: Option<String>,
    /// JSON lists of pollster ids.
    included: String,
    excluded: String,
    population: Option<String>,
}

impl Bounds {
    /// As bound to `?1` ... `?6`.
    fn params(&self) -> [Param<'_>; 6] {
        [
            Param::Int(self.question_id),
            self.since.as_deref().map_or(Param::Null, Param::Text),
            self.until.as_deref().map_or(Param::Null, Param::Text),
            Param::Text(&self.included),
            Param::Text(&self.excluded),
            self.population.as_deref().map_or(Param::Null, Param::Text),
        ]
    }
}

/// The columns of the series query, as [`read_results`] reads them.
const RESULT_SET: c_int = 0;
const POLL_ID: c_int = 1;
const POLLSTER: c_int = 2;
const FIELD_START: c_int = 3;
const FIELD_END: c_int = 4;
const POLL_DATE: c_int = 5;
const TRACKING: c_int = 6;
const POPULATION: c_int = 7;
const SAMPLE_SIZE: c_int = 8;
const LABEL: c_int = 9;
const PCT: c_int = 10;
const KNOWN_ON: c_int = 11;
const ELECTION: c_int = 12;

/// The result sets with ids from `from` to `to` that `sql` chooses, with their answers.
fn read_results(
    connection: &mut raw::Connection,
    sql: &str,
    bounds: &Bounds,
    (from, to): (i64, i64),
) -> Result<Vec<PollResult>> {
    let mut statement = connection.prepare(sql)?;
    for (index, param) in (1..).zip(bounds.params()) {
        statement.bind(index, param)?;
    }
    statement.bind(7, Param::Int(from))?;
    statement.bind(8, Param::Int(to))?;
    let mut results: Vec<PollResult> = Vec::new();
    let mut names = Interner::default();
    let mut current = None;
    while let Some(mut row) = statement.next()? {
        let result_set = row.int(RESULT_SET);
        if current != Some(result_set) {
            current = Some(result_set);
            let poll_id = row.int(POLL_ID);
            let date = |text: Option<&str>| {
                text.map(|t| {
                    parse_date(t).map_err(|e| {
                        Error::storage_refused(format!("database: poll {poll_id}: {e}"))
                    })
                })
                .transpose()
            };
            let pollster = names.get(row.text(POLLSTER)?.ok_or_else(|| {
                Error::storage_refused(format!("database: poll {poll_id} has no pollster"))
            })?);
            let field_start = date(row.text(FIELD_START)?)?;
            let field_end = date(row.text(FIELD_END)?)?;
            let poll_date = date(row.text(POLL_DATE)?)?.ok_or_else(|| {
                Error::storage_refused(format!("database: poll {poll_id} has no date"))
            })?;
            // The day it became known: published, else recorded (every poll has a creation
            // timestamp, so only a damaged row lacks both).
            let known_on = date(row.text(KNOWN_ON)?)?.ok_or_else(|| {
                Error::storage_refused(format!(
                    "database: poll {poll_id} has no creation timestamp"
                ))
            })?;
            results.push(PollResult {
                poll_id,
                pollster,
                field_start,
                field_end,
                date: poll_date,
                known_on,
                tracking: row.int(TRACKING) != 0,
                election: row.int(ELECTION) != 0,
                population: names.get(row.text(POPULATION)?.unwrap_or_default()),
                sample_size: (!row.is_null(SAMPLE_SIZE)).then(|| row.real(SAMPLE_SIZE)),
                answers: Vec::new(),
            });
        }
        if let Some(label) = row.text(LABEL)? {
            let label = names.get(label);
            let pct = row.real(PCT);
            if let Some(result) = results.last_mut() {
                result.answers.push((label, pct));
            }
        }
    }
    Ok(results)
}

/// Result sets from which a series is read in two halves at once.
const SPLIT_AT: i64 = 20_000;

/// The id of a pollster named in a filter (`list` names which one, for the message); an
/// unknown name is an error, not an empty trend.
async fn pollster_id(
    conn: &mut sqlx::sqlite::SqliteConnection,
    name: &str,
    list: &str,
) -> Result<i64> {
    pollsters::find(conn, name)
        .await?
        .ok_or_else(|| no_pollster(list, name))
}
