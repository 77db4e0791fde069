//! Reading every table into the model's records, one reader per table, each in id order.

use super::super::db_err;
use super::super::questions::stored_kind;
use crate::db::shared::dump::held_in_words;
use crate::error::Result;
use crate::model::dump::{
    Dump, DumpAnswer, DumpChange, DumpColour, DumpDeletedResult, DumpKey, DumpPoll, DumpPollKey,
    DumpPollster, DumpQuestion, DumpResultSet, DumpSource, DumpSponsor,
};
use chrono::NaiveDate;
use sqlx::SqliteConnection;
use std::collections::HashMap;

/// Every record, table by table.
pub(super) async fn everything(conn: &mut SqliteConnection) -> Result<Dump> {
    Ok(Dump {
        pollsters: pollsters(conn).await?,
        sponsors: sponsors(conn).await?,
        questions: questions(conn).await?,
        sources: sources(conn).await?,
        polls: polls(conn).await?,
        poll_keys: poll_keys(conn).await?,
        deleted_results: deleted_results(conn).await?,
        changes: changes(conn).await?,
    })
}

/// The tables a dump reads that hold rows, each with its number of rows, in words
/// ("3 polls"): empty for an empty database.
pub(super) async fn held(conn: &mut SqliteConnection) -> Result<Vec<String>> {
    let counts: (i64, i64, i64, i64, i64, i64, i64, i64) = sqlx::query_as(
        "SELECT (SELECT count(*) FROM poll), (SELECT count(*) FROM pollster),
                (SELECT count(*) FROM sponsor), (SELECT count(*) FROM question),
                (SELECT count(*) FROM source), (SELECT count(*) FROM change),
                (SELECT count(*) FROM source_poll_id), (SELECT count(*) FROM deleted_result)",
    )
    .fetch_one(&mut *conn)
    .await
    .map_err(db_err)?;
    let (a, b, c, d, e, f, g, h) = counts;
    Ok(held_in_words([a, b, c, d, e, f, g, h]))
}

/// Rows of `sql` grouped by their owner's id, in the query's order: `split` parts a row into
/// the owner's id and what the owner holds.
async fn by_owner<R, T>(
    conn: &mut SqliteConnection,
    sql: &'static str,
    split: impl Fn(R) -> (i64, T),
) -> Result<HashMap<i64, Vec<T>>>
where
    R: for<'r> sqlx::FromRow<'r, sqlx::sqlite::SqliteRow> + Send + Unpin,
{
    let rows: Vec<R> = sqlx::query_as(sql)
        .fetch_all(&mut *conn)
        .await
        .map_err(db_err)?;
    let mut grouped: HashMap<i64, Vec<T>> = HashMap::new();
    for row in rows {
        let (owner, held) = split(row);
        grouped.entry(owner).or_default().push(held);
    }
    Ok(grouped)
}

async fn pollsters(conn: &mut SqliteConnection) -> Result<Vec<DumpPollster>> {
    let mut aliases = by_owner(
        conn,
        "SELECT pollster_id, alias FROM pollster_alias ORDER BY pollster_id, key",
        |(id, alias): (i64, String)| (id, alias),
    )
    .await?;
    let rows: Vec<(i64, String)> = sqlx::query_as("SELECT id, name FROM pollster ORDER BY id")
        .fetch_all(&mut *conn)
        .await
        .map_err(db_err)?;
    Ok(rows
        .into_iter()
        .map(|(id, name)| DumpPollster {
            id,
            name,
            aliases: take(&mut aliases, id),
        })
        .collect())
}

fn take<T>(grouped: &mut HashMap<i64, Vec<T>>, id: i64) -> Vec<T> {
    grouped.remove(&id).unwrap_or_default()
}

async fn sponsors(conn: &mut SqliteConnection) -> Result<Vec<DumpSponsor>> {
    let rows: Vec<(i64, String)> = sqlx::query_as("SELECT id, name FROM sponsor ORDER BY id")
        .fetch_all(&mut *conn)
        .await
        .map_err(db_err)?;
    Ok(rows
        .into_iter()
        .map(|(id, name)| DumpSponsor { id, name })
        .collect())
}

async fn questions(conn: &mut SqliteConnection) -> Result<Vec<DumpQuestion>> {
    let mut colours = by_owner(
        conn,
        "SELECT question_id, label, color FROM question_answer_color ORDER BY question_id, label",
        |(id, label, color): (i64, String, String)| (id, DumpColour { label, color }),
    )
    .await?;
    type Row = (i64, String, String, Option<String>, Option<String>);
    let rows: Vec<Row> =
        sqlx::query_as("SELECT id, slug, wording, topic, kind FROM question ORDER BY id")
            .fetch_all(&mut *conn)
            .await
            .map_err(db_err)?;
    rows.into_iter()
        .map(|(id, slug, wording, topic, kind)| {
            Ok(DumpQuestion {
                id,
                slug,
                wording,
                topic,
                kind: stored_kind(kind)?,
                colours: take(&mut colours, id),
            })
        })
        .collect()
}

async fn sources(conn: &mut SqliteConnection) -> Result<Vec<DumpSource>> {
    type Row = (
        i64,
        Option<String>,
        Option<String>,
        Option<String>,
        Option<NaiveDate>,
        String,
    );
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT id, url, title, outlet, published_on, created_at FROM source ORDER BY id",
    )
    .fetch_all(&mut *conn)
    .await
    .map_err(db_err)?;
    Ok(rows
        .into_iter()
        .map(
            |(id, url, title, outlet, published_on, created_at)| DumpSource {
                id,
                url,
                title,
                outlet,
                published_on,
                created_at,
            },
        )
        .collect())
}

#[derive(sqlx::FromRow)]
struct PollRow {
    id: i64,
    pollster_id: i64,
    field_start: Option<NaiveDate>,
    field_end: Option<NaiveDate>,
    published_on: Option<NaiveDate>,
    mode: Option<String>,
    region: Option<String>,
    partisan: bool,
    tracking: bool,
    election: bool,
    notes: Option<String>,
    created_at: String,
    updated_at: String,
}

async fn polls(conn: &mut SqliteConnection) -> Result<Vec<DumpPoll>> {
    let pair = |(owner, id): (i64, i64)| (owner, id);
    let mut sponsors = by_owner(
        conn,
        "SELECT poll_id, sponsor_id FROM poll_sponsor ORDER BY poll_id, position",
        pair,
    )
    .await?;
    let mut sources = by_owner(
        conn,
        "SELECT poll_id, source_id FROM poll_source ORDER BY poll_id, source_id",
        pair,
    )
    .await?;
    let mut results = result_sets(conn).await?;
    let rows: Vec<PollRow> = sqlx::query_as(
        "SELECT id, pollster_id, field_start, field_end, published_on, mode, region, partisan,
                tracking, election, notes, created_at, updated_at
           FROM poll ORDER BY id",
    )
    .fetch_all(&mut *conn)
    .await
    .map_err(db_err)?;
    Ok(rows
        .into_iter()
        .map(|p| DumpPoll {
            id: p.id,
            pollster_id: p.pollster_id,
            sponsor_ids: take(&mut sponsors, p.id),
            field_start: p.field_start,
            field_end: p.field_end,
            published_on: p.published_on,
            mode: p.mode,
            region: p.region,
            partisan: p.partisan,
            tracking: p.tracking,
            election: p.election,
            notes: p.notes,
            created_at: p.created_at,
            updated_at: p.updated_at,
            source_ids: take(&mut sources, p.id),
            results: take(&mut results, p.id),
        })
        .collect())
}

/// Each poll's result sets by id, with their answers and their sources' ids.
async fn result_sets(conn: &mut SqliteConnection) -> Result<HashMap<i64, Vec<DumpResultSet>>> {
    let mut answers = by_owner(
        conn,
        "SELECT result_set_id, label, pct FROM answer ORDER BY result_set_id, position",
        |(id, label, pct): (i64, String, f64)| (id, DumpAnswer { label, pct }),
    )
    .await?;
    let mut keys = by_owner(
        conn,
        "SELECT result_set_id, scheme, key FROM source_result_set
          ORDER BY result_set_id, scheme, key",
        |(id, scheme, key): (i64, String, String)| (id, DumpKey { scheme, key }),
    )
    .await?;
    type Row = (i64, i64, i64, String, Option<f64>, Option<f64>);
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT poll_id, id, question_id, population, sample_size, margin_of_error
           FROM result_set ORDER BY poll_id, id",
    )
    .fetch_all(&mut *conn)
    .await
    .map_err(db_err)?;
    let mut grouped: HashMap<i64, Vec<DumpResultSet>> = HashMap::new();
    for (poll_id, id, question_id, population, sample_size, margin_of_error) in rows {
        grouped.entry(poll_id).or_default().push(DumpResultSet {
            id,
            question_id,
            population,
            sample_size,
            margin_of_error,
            answers: take(&mut answers, id),
            keys: take(&mut keys, id),
        });
    }
    Ok(grouped)
}

async fn poll_keys(conn: &mut SqliteConnection) -> Result<Vec<DumpPollKey>> {
    let rows: Vec<(String, String, i64)> =
        sqlx::query_as("SELECT scheme, key, poll_id FROM source_poll_id ORDER BY scheme, key")
            .fetch_all(&mut *conn)
            .await
            .map_err(db_err)?;
    Ok(rows
        .into_iter()
        .map(|(scheme, key, poll_id)| DumpPollKey {
            scheme,
            key,
            poll_id,
        })
        .collect())
}

#[derive(sqlx::FromRow)]
struct DeletedRow {
    poll_id: i64,
    pollster: String,
    field_start: Option<String>,
    field_end: Option<String>,
    published_on: Option<String>,
    question: String,
    population: String,
}

async fn deleted_results(conn: &mut SqliteConnection) -> Result<Vec<DumpDeletedResult>> {
    // The table has no key of its own: the order rows were recorded in is SQLite's rowid.
    let rows: Vec<DeletedRow> = sqlx::query_as(
        "SELECT poll_id, pollster, field_start, field_end, published_on, question, population
           FROM deleted_result ORDER BY rowid",
    )
    .fetch_all(&mut *conn)
    .await
    .map_err(db_err)?;
    Ok(rows
        .into_iter()
        .map(|r| DumpDeletedResult {
            poll_id: r.poll_id,
            pollster: r.pollster,
            field_start: r.field_start,
            field_end: r.field_end,
            published_on: r.published_on,
            question: r.question,
            population: r.population,
        })
        .collect())
}

#[derive(sqlx::FromRow)]
struct ChangeRow {
    id: i64,
    subject: String,
    poll_id: Option<i64>,
    subject_id: Option<i64>,
    changed_at: String,
    action: String,
    field: String,
    old_value: Option<String>,
    new_value: Option<String>,
    reason: Option<String>,
    change_set: i64,
    snapshot: Option<String>,
}

async fn changes(conn: &mut SqliteConnection) -> Result<Vec<DumpChange>> {
    let rows: Vec<ChangeRow> = sqlx::query_as(
        "SELECT id, subject, poll_id, subject_id, changed_at, action, field, old_value,
                new_value, reason, change_set, snapshot
           FROM change ORDER BY id",
    )
    .fetch_all(&mut *conn)
    .await
    .map_err(db_err)?;
    Ok(rows
        .into_iter()
        .map(|c| DumpChange {
            id: c.id,
            subject: c.subject,
            poll_id: c.poll_id,
            subject_id: c.subject_id,
            changed_at: c.changed_at,
            action: c.action,
            field: c.field,
            old_value: c.old_value,
            new_value: c.new_value,
            reason: c.reason,
            change_set: c.change_set,
            snapshot: c.snapshot,
        })
        .collect())
}
