//! Reading one question's polls for a trend: the rows are stepped through SQLite's C interface
//! ([`super::raw`]), as reading them is most of a trend's time.

use super::raw::{self, Param};
use super::{SqliteStore, db_err, pollsters};
use crate::db::{SeriesFilter, SeriesStore};
use crate::error::{Error, Result};
use crate::model::{Name, PollResult};
use crate::model::{format_date, parse_date};
use rustc_hash::FxHashSet;

impl SeriesStore for SqliteStore {
    /// The result sets of one question matching `filter`, with their answers, in no particular
    /// order (the selection of a trend puts them in order of date). The rows are stepped on
    /// this thread (and a second one for a long series): the future blocks while it reads,
    /// which a current-thread runtime, as the command line's, does not mind.
    async fn poll_results(&self, filter: &SeriesFilter) -> Result<Vec<PollResult>> {
        let mut conn = self.pool.acquire().await.map_err(|e| self.err(e))?;
        let question_id: Option<i64> = sqlx::query_scalar("SELECT id FROM question WHERE slug = ?")
            .bind(filter.question.trim())
            .fetch_optional(&mut *conn)
            .await
            .map_err(db_err)?;
        let Some(question_id) = question_id else {
            return Err(Error::not_found(format!(
                "there is no question {}: `polltrack question list` shows the questions stored",
                filter.question.trim()
            )));
        };
        let mut included = Vec::new();
        for name in &filter.pollsters {
            included.push(pollster_id(&mut conn, name, "--pollster").await?);
        }
        let mut excluded = Vec::new();
        for name in &filter.exclude_pollsters {
            excluded.push(pollster_id(&mut conn, name, "--exclude-pollster").await?);
        }
        let since = filter.since.map(format_date);
        let until = filter.until.map(format_date);
        let params = [
            Param::Int(question_id),
            since.as_deref().map_or(Param::Null, Param::Text),
            until.as_deref().map_or(Param::Null, Param::Text),
            Param::Text(&super::polls::json_list(&included)),
            Param::Text(&super::polls::json_list(&excluded)),
            filter
                .population
                .as_deref()
                .map_or(Param::Null, |p| Param::Text(p.trim())),
        ];

        // The dates chosen, as conditions on `rs.poll_date`, shared by both queries below.
        let mut dates = Vec::new();
        if since.is_some() {
            dates.push("rs.poll_date >= ?2");
        }
        if until.is_some() {
            dates.push("rs.poll_date <= ?3");
        }
        let in_range = |first: &str| {
            std::iter::once(first)
                .chain(dates.iter().copied())
                .collect::<Vec<_>>()
                .join(" AND ")
        };
        let (first, last, count): (Option<i64>, Option<i64>, i64) =
            sqlx::query_as(sqlx::AssertSqlSafe(format!(
                "SELECT min(rs.id), max(rs.id), count(*) FROM result_set rs WHERE {}",
                in_range("rs.question_id = ?1")
            )))
            .bind(question_id)
            .bind(since.as_deref())
            .bind(until.as_deref())
            .fetch_one(&mut *conn)
            .await
            .map_err(db_err)?;
        let (Some(first), Some(last)) = (first, last) else {
            return Ok(Vec::new());
        };

        // When the question's result sets are a good share of those between its first and
        // last, reading that id range in order beats the (question, date) index, whose
        // order jumps about the file (`+` keeps SQLite off the index): 3-4 times faster for
        // a question with most of a database's polls.
        let dense = count * 4 > last - first;
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
        // cost a sort, and the loop order is enough).
        let sql = format!(
            "SELECT rs.id, rs.poll_id, pl.name, p.field_start, p.field_end, rs.poll_date,
                    p.tracking, rs.population, rs.sample_size, a.label, a.pct,
                    coalesce(p.published_on, date(p.created_at))
               FROM result_set rs
               JOIN poll p ON p.id = rs.poll_id
               JOIN pollster pl ON pl.id = p.pollster_id
               LEFT JOIN answer a ON a.result_set_id = rs.id
              WHERE {}{}",
            conditions.join(" AND "),
            if dense { " ORDER BY rs.id" } else { "" }
        );
        // The pollsters' names come in the rows themselves, so a pollster committed while the
        // rows are read cannot be missing from a table read before them.
        let read = |connection: &mut raw::Connection, (from, to): (i64, i64)| {
            read_results(connection, &sql, &params, (from, to))
        };

        // A long series is read in two halves (by result set id) on two connections at
        // once, so that SQLite works on both cores.
        let results = if count >= SPLIT_AT {
            let middle = first + (last - first) / 2;
            let mut other = self.another_reader().await?;
            let mut one = conn.lock_handle().await.map_err(db_err)?;
            let mut two = other.lock_handle().await.map_err(db_err)?;
            let (mut one, mut two) = (
                raw::Connection::new(&mut one),
                raw::Connection::new(&mut two),
            );
            let (one, two) = std::thread::scope(|scope| {
                let second = scope.spawn(|| read(&mut two, (middle + 1, last)));
                let first = read(&mut one, (first, middle));
                (first, second.join())
            });
            let mut results = one?;
            results.extend(two.map_err(|_| {
                Error::Failed("database: the thread reading poll results failed".into())
            })??);
            results
        } else {
            let mut locked = conn.lock_handle().await.map_err(db_err)?;
            read(&mut raw::Connection::new(&mut locked), (first, last))?
        };
        Ok(results)
    }
}

/// The result sets with ids from `from` to `to` that `sql` chooses, with their answers.
fn read_results(
    connection: &mut raw::Connection,
    sql: &str,
    params: &[Param],
    (from, to): (i64, i64),
) -> Result<Vec<PollResult>> {
    let mut statement = connection.prepare(sql)?;
    for (index, param) in (1..).zip(params) {
        statement.bind(index, *param)?;
    }
    statement.bind(7, Param::Int(from))?;
    statement.bind(8, Param::Int(to))?;
    let mut results: Vec<PollResult> = Vec::new();
    let mut names = Interner::default();
    let mut current = None;
    while let Some(mut row) = statement.next()? {
        let result_set = row.int(0);
        if current != Some(result_set) {
            current = Some(result_set);
            let poll_id = row.int(1);
            let date = |text: Option<&str>| {
                text.map(|t| {
                    parse_date(t)
                        .map_err(|e| Error::Failed(format!("database: poll {poll_id}: {e}")))
                })
                .transpose()
            };
            let pollster = names.get(row.text(2)?.ok_or_else(|| {
                Error::Failed(format!("database: poll {poll_id} has no pollster"))
            })?);
            let field_start = date(row.text(3)?)?;
            let field_end = date(row.text(4)?)?;
            let poll_date = date(row.text(5)?)?
                .ok_or_else(|| Error::Failed(format!("database: poll {poll_id} has no date")))?;
            // The day it became known: published, else recorded (every poll has a creation
            // timestamp, so only a damaged row lacks both).
            let known_on = date(row.text(11)?)?.ok_or_else(|| {
                Error::Failed(format!(
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
                tracking: row.int(6) != 0,
                population: names.get(row.text(7)?.unwrap_or_default()),
                sample_size: (!row.is_null(8)).then(|| row.real(8)),
                answers: Vec::new(),
            });
        }
        if let Some(label) = row.text(9)? {
            let label = names.get(label);
            let pct = row.real(10);
            if let Some(result) = results.last_mut() {
                result.answers.push((label, pct));
            }
        }
    }
    Ok(results)
}

/// Names repeated on many rows (pollsters, populations, answer labels), each stored once.
#[derive(Default)]
struct Interner(FxHashSet<Name>);

impl Interner {
    fn get(&mut self, text: &str) -> Name {
        if let Some(name) = self.0.get(text) {
            return name.clone();
        }
        let name: Name = text.into();
        self.0.insert(name.clone());
        name
    }
}

/// Result sets from which a series is read in two halves at once.
const SPLIT_AT: i64 = 20_000;

/// The id of a pollster named in a filter; an unknown name is an error, not an empty trend.
async fn pollster_id(
    conn: &mut sqlx::sqlite::SqliteConnection,
    name: &str,
    option: &str,
) -> Result<i64> {
    pollsters::find(conn, name).await?.ok_or_else(|| {
        Error::not_found(format!(
            "{option}: there is no pollster \"{}\": `polltrack pollster list` shows their names",
            name.trim()
        ))
    })
}
