//! Reading one question's polls for a trend, as plain typed rows: the [`SeriesStore`] of
//! [`PgStore`].

use super::{PgStore, db_err, pollsters};
use crate::db::shared::series::{Interner, no_pollster, no_question};
use crate::db::{SeriesFilter, SeriesStore};
use crate::error::Result;
use crate::model::PollResult;
use chrono::NaiveDate;

/// A row of the series query: a result set with one of its answers (none for a result set
/// without answers).
type Row = (
    i64,
    i64,
    String,
    Option<NaiveDate>,
    Option<NaiveDate>,
    NaiveDate,
    bool,
    String,
    Option<f64>,
    Option<String>,
    Option<f64>,
    NaiveDate,
    bool,
);

impl SeriesStore for PgStore {
    /// The result sets of one question matching `filter`, with their answers in their order,
    /// by result set id (the selection of a trend puts them in order of date). Everything is
    /// read on one snapshot.
    async fn poll_results(&self, filter: &SeriesFilter) -> Result<Vec<PollResult>> {
        let mut tx = self.read().await?;
        let question_id: Option<i64> =
            sqlx::query_scalar("SELECT id FROM question WHERE slug = $1")
                .bind(filter.question.trim())
                .fetch_optional(&mut *tx)
                .await
                .map_err(|e| self.err(e))?;
        let Some(question_id) = question_id else {
            return Err(no_question(&filter.question));
        };
        let mut included = Vec::new();
        for name in &filter.pollsters {
            let found = pollsters::find(&mut tx, name).await?;
            included.push(found.ok_or_else(|| no_pollster("the pollsters to read", name))?);
        }
        let mut excluded = Vec::new();
        for name in &filter.exclude_pollsters {
            let found = pollsters::find(&mut tx, name).await?;
            excluded.push(found.ok_or_else(|| no_pollster("the pollsters to leave out", name))?);
        }
        // The day it became known: published, else the day (UTC) it was recorded.
        let rows = sqlx::query_as::<_, Row>(
            "SELECT rs.id, rs.poll_id, pl.name, p.field_start, p.field_end, rs.poll_date,
                    p.tracking, rs.population, rs.sample_size, a.label, a.pct,
                    coalesce(p.published_on, (p.created_at AT TIME ZONE 'UTC')::date),
                    p.election
               FROM result_set rs
               JOIN poll p ON p.id = rs.poll_id
               JOIN pollster pl ON pl.id = p.pollster_id
               LEFT JOIN answer a ON a.result_set_id = rs.id
              WHERE rs.question_id = $1
                AND ($2::date IS NULL OR rs.poll_date >= $2)
                AND ($3::date IS NULL OR rs.poll_date <= $3)
                AND ($4::text IS NULL OR lower(rs.population) = lower($4))
                AND (cardinality($5::int8[]) = 0 OR p.pollster_id = ANY($5))
                AND NOT (p.pollster_id = ANY($6))
              ORDER BY rs.id, a.position",
        )
        .bind(question_id)
        .bind(filter.since)
        .bind(filter.until)
        .bind(filter.population.as_deref().map(str::trim))
        .bind(&included)
        .bind(&excluded)
        .fetch_all(&mut *tx)
        .await
        .map_err(db_err)?;
        let mut results: Vec<PollResult> = Vec::new();
        let mut names = Interner::default();
        let mut current = None;
        for row in rows {
            let (result_set, poll_id, pollster, field_start, field_end, date, tracking) =
                (row.0, row.1, row.2, row.3, row.4, row.5, row.6);
            if current != Some(result_set) {
                current = Some(result_set);
                results.push(PollResult {
                    poll_id,
                    pollster: names.get(&pollster),
                    field_start,
                    field_end,
                    date,
                    known_on: row.11,
                    tracking,
                    election: row.12,
                    population: names.get(&row.7),
                    sample_size: row.8,
                    answers: Vec::new(),
                });
            }
            if let (Some(label), Some(pct)) = (row.9, row.10)
                && let Some(result) = results.last_mut()
            {
                result.answers.push((names.get(&label), pct));
            }
        }
        tx.rollback().await.map_err(|e| self.err(e))?;
        Ok(results)
    }
}
