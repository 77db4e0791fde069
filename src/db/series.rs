//! Reading one question's polls for a trend: one query (and one for pollster names), the whole selection
//! back as one JSON value (rows cross from SQLite's thread one at a time, so one row is fast).

use super::{Db, db_err, pollsters};
use crate::analysis::PollResult;
use crate::error::{Error, Result};
use crate::model::parse_date;
use chrono::NaiveDate;
use rustc_hash::FxHashMap;
use sqlx::AssertSqlSafe;

/// Which result sets of a question a trend reads. Empty lists do not filter.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SeriesFilter {
    pub question: String,
    pub pollsters: Vec<String>,
    pub exclude_pollsters: Vec<String>,
    /// Inclusive bounds on the poll's date.
    pub since: Option<NaiveDate>,
    pub until: Option<NaiveDate>,
    /// Only this population; otherwise every population is read and the trend chooses.
    pub population: Option<String>,
}

/// One result set as the query returns it (the pollster by id; dates as text, read by hand,
/// which is several times faster than through serde).
type Row<'a> = (
    i64,
    i64,
    Option<&'a str>,
    Option<&'a str>,
    &'a str,
    i64,
    String,
    Option<f64>,
    Vec<(String, Pct)>,
);

/// A percentage as the query writes it: in tenths when it has no finer digits (SQLite writes
/// whole numbers far faster than reals), else as a real.
#[derive(serde::Deserialize)]
#[serde(untagged)]
enum Pct {
    Tenths(i64),
    Real(f64),
}

impl Pct {
    fn value(self) -> f64 {
        match self {
            // Correctly rounded, so the same double as reading "44.3".
            Pct::Tenths(tenths) => tenths as f64 / 10.0,
            Pct::Real(value) => value,
        }
    }
}

fn date(text: &str, poll_id: i64) -> Result<NaiveDate> {
    parse_date(text).map_err(|e| Error::Failed(format!("database: poll {poll_id}: {e}")))
}

impl Db {
    /// The result sets of one question matching `filter`, by date and poll, with their answers.
    pub async fn poll_results(&self, filter: &SeriesFilter) -> Result<Vec<PollResult>> {
        let mut conn = self.pool.acquire().await.map_err(|e| self.err(e))?;
        let question_id: Option<i64> = sqlx::query_scalar("SELECT id FROM question WHERE slug = ?")
            .bind(filter.question.trim())
            .fetch_optional(&mut *conn)
            .await
            .map_err(db_err)?;
        let Some(question_id) = question_id else {
            return Err(Error::NotFound(format!(
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

        // The result sets are chosen through the (question, date) index, then read in id
        // order: ids follow the order polls were written, so the poll, result set and answer
        // rows are visited in the order they lie in the file rather than by date (twice as
        // fast on 100,000 polls).
        let mut chosen = vec!["question_id = ?1", "id BETWEEN ?7 AND ?8"];
        if filter.since.is_some() {
            chosen.push("poll_date >= ?4");
        }
        if filter.until.is_some() {
            chosen.push("poll_date <= ?5");
        }
        if filter.population.is_some() {
            chosen.push("population = ?6 COLLATE NOCASE");
        }
        let chosen = format!(
            "rs.id IN (SELECT id FROM result_set WHERE {})",
            chosen.join(" AND ")
        );
        let mut conditions = vec![chosen.as_str()];
        if !included.is_empty() {
            conditions.push("p.pollster_id IN (SELECT value FROM json_each(?2))");
        }
        if !excluded.is_empty() {
            conditions.push("p.pollster_id NOT IN (SELECT value FROM json_each(?3))");
        }
        // No ORDER BY: sorting in SQLite (and per result set, for the answers) took half the
        // time of the query on 100,000 polls; the selection sorts what it keeps.
        let sql = format!(
            "SELECT json_group_array(json_array(
                    rs.poll_id, p.pollster_id, p.field_start, p.field_end, rs.poll_date,
                    p.tracking, rs.population,
                    iif(rs.sample_size = CAST(rs.sample_size AS INTEGER),
                        CAST(rs.sample_size AS INTEGER), rs.sample_size),
                    (SELECT json_group_array(json_array(label,
                            iif(round(pct * 10) / 10.0 = pct, CAST(round(pct * 10) AS INTEGER),
                                pct)))
                       FROM answer WHERE result_set_id = rs.id)))
               FROM result_set rs
               JOIN poll p ON p.id = rs.poll_id
              WHERE {}",
            conditions.join(" AND ")
        );
        let query = |(first, last): (i64, i64)| {
            sqlx::query_scalar::<_, String>(AssertSqlSafe(sql.clone()))
                .bind(question_id)
                .bind(super::polls::json_list(&included))
                .bind(super::polls::json_list(&excluded))
                .bind(filter.since)
                .bind(filter.until)
                .bind(filter.population.as_deref().map(str::trim))
                .bind(first)
                .bind(last)
        };
        // A long series is read in two halves (by result set id) on two connections, so that
        // SQLite works on both cores; most of a trend's time is this read.
        let (first, last, count): (Option<i64>, Option<i64>, i64) = sqlx::query_as(
            "SELECT min(id), max(id), count(*) FROM result_set WHERE question_id = ?",
        )
        .bind(question_id)
        .fetch_one(&mut *conn)
        .await
        .map_err(db_err)?;
        let (first, last) = (first.unwrap_or(0), last.unwrap_or(0));
        let jsons = if count >= SPLIT_AT {
            let middle = first + (last - first) / 2;
            let mut other = self.another_reader().await?;
            let (one, two) = tokio::join!(
                query((first, middle)).fetch_one(&mut *conn),
                query((middle + 1, last)).fetch_one(&mut other)
            );
            vec![one.map_err(db_err)?, two.map_err(db_err)?]
        } else {
            vec![
                query((first, last))
                    .fetch_one(&mut *conn)
                    .await
                    .map_err(db_err)?,
            ]
        };
        let names: FxHashMap<i64, String> = sqlx::query_as("SELECT id, name FROM pollster")
            .fetch_all(&mut *conn)
            .await
            .map_err(db_err)?
            .into_iter()
            .collect();
        let mut rows: Vec<Row> = Vec::new();
        for json in &jsons {
            let part: Vec<Row> = serde_json::from_str(json)
                .map_err(|e| Error::Failed(format!("database: unreadable poll results: {e}")))?;
            rows.extend(part);
        }
        let mut results = Vec::with_capacity(rows.len());
        for (
            poll_id,
            pollster_id,
            field_start,
            field_end,
            poll_date,
            tracking,
            population,
            sample_size,
            answers,
        ) in rows
        {
            let pollster = names.get(&pollster_id).cloned().ok_or_else(|| {
                Error::Failed(format!("database: poll {poll_id} has no pollster"))
            })?;
            results.push(PollResult {
                poll_id,
                pollster,
                field_start: field_start.map(|d| date(d, poll_id)).transpose()?,
                field_end: field_end.map(|d| date(d, poll_id)).transpose()?,
                date: date(poll_date, poll_id)?,
                tracking: tracking != 0,
                population,
                sample_size,
                answers: answers
                    .into_iter()
                    .map(|(label, pct)| (label, pct.value()))
                    .collect(),
            });
        }
        results.sort_by_key(|r| (r.date, r.poll_id));
        Ok(results)
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
        Error::NotFound(format!(
            "{option}: there is no pollster \"{}\": `polltrack pollster list` shows their names",
            name.trim()
        ))
    })
}
