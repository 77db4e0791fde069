//! Reading polls: by id, by filter, and a page at a time as JSON that SQLite writes.

use crate::db::sqlite::{db_err, pollsters};
use crate::error::{Error, Hint, Result};
use crate::model::{Answer, Poll, PollFilter, ResultSet, Source, name_key};
use chrono::NaiveDate;
use sqlx::AssertSqlSafe;
use sqlx::Sqlite;
use sqlx::sqlite::{SqliteArguments, SqliteConnection};

/// Which polls to load.
pub(in crate::db::sqlite) enum Selection<'a> {
    Id(i64),
    Ids(&'a [i64]),
    /// Matching polls by date.
    Filter(&'a PollFilter),
    /// Matching polls among these (by date, as `Filter`).
    FilterIds {
        filter: &'a PollFilter,
        ids: &'a [i64],
    },
    /// Matching polls by id, after `after` and, if given, before `before`.
    Page {
        filter: &'a PollFilter,
        after: i64,
        before: Option<i64>,
    },
}

/// The FROM, WHERE and ORDER BY of a selection, and the values they bind.
pub(in crate::db::sqlite) struct Parts {
    pub(in crate::db::sqlite) from: &'static str,
    pub(in crate::db::sqlite) where_clause: String,
    pub(in crate::db::sqlite) order: &'static str,
    pub(in crate::db::sqlite) binds: Vec<BindValue>,
}

pub(in crate::db::sqlite) async fn load_one(conn: &mut SqliteConnection, id: i64) -> Result<Poll> {
    load_polls(conn, Selection::Id(id))
        .await?
        .pop()
        .ok_or_else(|| {
            Error::not_found(format!("there is no poll {id}")).with_hint(Hint::ListPolls)
        })
}

/// Loads the selected polls, each with the result sets the selection covers.
pub(in crate::db::sqlite) async fn load_polls(
    conn: &mut SqliteConnection,
    selection: Selection<'_>,
) -> Result<Vec<Poll>> {
    parse_polls(&load_polls_json(conn, selection).await?)
}

pub(in crate::db::sqlite) async fn parts(
    conn: &mut SqliteConnection,
    selection: Selection<'_>,
) -> Result<Parts> {
    let mut conditions: Vec<&str> = Vec::new();
    let mut binds: Vec<BindValue> = Vec::new();
    let mut order = "p.poll_date, p.id, rs.id";
    let mut from = "poll p JOIN result_set rs ON rs.poll_id = p.id \
        JOIN pollster pr ON pr.id = p.pollster_id JOIN question q ON q.id = rs.question_id";
    let filter = match selection {
        Selection::Id(id) => {
            conditions.push("p.id = ?");
            binds.push(BindValue::Int(id));
            None
        }
        Selection::Ids(ids) => {
            conditions.push("p.id IN (SELECT value FROM json_each(?))");
            binds.push(BindValue::Text(json_list(ids)));
            None
        }
        Selection::Filter(filter) => Some(filter),
        Selection::FilterIds { filter, ids } => {
            conditions.push("p.id IN (SELECT value FROM json_each(?))");
            binds.push(BindValue::Text(json_list(ids)));
            Some(filter)
        }
        Selection::Page {
            filter,
            after,
            before,
        } => {
            // On result_set's own columns, so its (poll_id) index gives the order unsorted.
            conditions.push("rs.poll_id > ?");
            binds.push(BindValue::Int(after));
            if let Some(before) = before {
                conditions.push("rs.poll_id < ?");
                binds.push(BindValue::Int(before));
            }
            order = "rs.poll_id, rs.id";
            // CROSS JOIN keeps result_set outermost: with statistics of a large database the
            // planner would otherwise start from the questions and sort every page.
            from = "result_set rs CROSS JOIN poll p ON p.id = rs.poll_id \
                CROSS JOIN pollster pr ON pr.id = p.pollster_id \
                CROSS JOIN question q ON q.id = rs.question_id";
            Some(filter)
        }
    };
    if let Some(filter) = filter {
        {
            if !filter.questions.is_empty() {
                conditions.push("q.slug IN (SELECT value FROM json_each(?))");
                binds.push(BindValue::Text(json_list(&filter.questions)));
            }
            if !filter.pollsters.is_empty() {
                let mut ids = Vec::new();
                for name in &filter.pollsters {
                    ids.extend(pollsters::find(conn, name).await?);
                }
                conditions.push("p.pollster_id IN (SELECT value FROM json_each(?))");
                binds.push(BindValue::Text(json_list(&ids)));
            }
            // With a question, its result sets' copy of the date makes one index range.
            let (since, until) = if filter.questions.is_empty() {
                ("p.poll_date >= ?", "p.poll_date <= ?")
            } else {
                ("rs.poll_date >= ?", "rs.poll_date <= ?")
            };
            if let Some(date) = filter.since {
                conditions.push(since);
                binds.push(BindValue::Date(date));
            }
            if let Some(date) = filter.until {
                conditions.push(until);
                binds.push(BindValue::Date(date));
            }
            if let Some(population) = &filter.population {
                conditions.push("rs.population = ? COLLATE NOCASE");
                binds.push(BindValue::Text(population.trim().to_string()));
            }
            if let Some(region) = &filter.region {
                conditions.push("lower(trim(p.region)) = lower(?)");
                binds.push(BindValue::Text(region.trim().to_string()));
            }
            if !filter.sponsors.is_empty() {
                conditions.push(
                    "p.id IN (SELECT ps.poll_id FROM poll_sponsor ps
                               JOIN sponsor s ON s.id = ps.sponsor_id
                              WHERE s.key IN (SELECT value FROM json_each(?)))",
                );
                let keys: Vec<String> = filter.sponsors.iter().map(|n| name_key(n)).collect();
                binds.push(BindValue::Text(json_list(&keys)));
            }
            if filter.elections_only {
                conditions.push("p.election = 1");
            }
            for word in filter
                .search
                .iter()
                .flat_map(|text| text.split_whitespace())
            {
                conditions.push(SEARCH_WORD);
                // Keys are lower-cased in every script by polltrack; SQLite's lower() folds
                // ASCII letters only, so other text matches in the case it was typed in.
                let word = word.to_lowercase();
                for _ in 0..SEARCH_WORD.matches('?').count() {
                    binds.push(BindValue::Text(word.clone()));
                }
            }
        }
    }
    let where_clause = if conditions.is_empty() {
        String::new()
    } else {
        numbered(&format!("WHERE {}", conditions.join(" AND ")))
    };
    Ok(Parts {
        from,
        where_clause,
        order,
        binds,
    })
}

/// One word of [`PollFilter::search`], found in a result set's question, its poll's pollster
/// (name or alias) or one of its poll's sources; every `?` takes the word, lower-cased.
const SEARCH_WORD: &str = "(instr(lower(q.slug), ?) > 0 OR instr(lower(q.wording), ?) > 0
    OR instr(pr.key, ?) > 0
    OR EXISTS (SELECT 1 FROM pollster_alias pa
                WHERE pa.pollster_id = p.pollster_id AND instr(pa.key, ?) > 0)
    OR EXISTS (SELECT 1 FROM poll_source ps JOIN source s ON s.id = ps.source_id
                WHERE ps.poll_id = p.id AND (instr(lower(coalesce(s.title, '')), ?) > 0
                   OR instr(lower(coalesce(s.outlet, '')), ?) > 0
                   OR instr(lower(coalesce(s.url, '')), ?) > 0)))";

/// `sql` with its `?` placeholders numbered in order, `$1`, `$2`...: the conditions of
/// [`parts`] are written with `?` and their values pushed in the same order.
pub(in crate::db::sqlite) fn numbered(sql: &str) -> String {
    let mut out = String::with_capacity(sql.len() + 8);
    for (n, piece) in sql.split('?').enumerate() {
        if n > 0 {
            out.push_str(&format!("${n}"));
        }
        out.push_str(piece);
    }
    out
}

pub(in crate::db::sqlite) fn bind_all<'q, O>(
    mut query: sqlx::query::QueryScalar<'q, Sqlite, O, SqliteArguments>,
    binds: Vec<BindValue>,
) -> sqlx::query::QueryScalar<'q, Sqlite, O, SqliteArguments> {
    for value in binds {
        query = match value {
            BindValue::Int(v) => query.bind(v),
            BindValue::Text(v) => query.bind(v),
            BindValue::Date(v) => query.bind(v),
        };
    }
    query
}

/// Where a page of at most `rows` result sets after poll `after` ends: `None` when nothing is
/// left, else the poll id the page stops before (`None` inside: the page runs to the end).
/// Only whole polls make a page, unless one poll alone has more result sets than `rows`.
pub(in crate::db::sqlite) async fn page_end(
    conn: &mut SqliteConnection,
    filter: &PollFilter,
    after: i64,
    rows: i64,
) -> Result<Option<Option<i64>>> {
    let Parts {
        from,
        where_clause,
        binds,
        ..
    } = parts(
        conn,
        Selection::Page {
            filter,
            after,
            before: None,
        },
    )
    .await?;
    let sql = format!(
        "SELECT json_array(count(*), min(poll_id), max(poll_id)) FROM
            (SELECT rs.poll_id FROM {from} {where_clause} ORDER BY rs.poll_id LIMIT {})",
        rows + 1
    );
    let query = bind_all(sqlx::query_scalar::<_, String>(AssertSqlSafe(sql)), binds);
    let json = query.fetch_one(&mut *conn).await.map_err(db_err)?;
    let (count, first, last): (i64, Option<i64>, Option<i64>) = serde_json::from_str(&json)
        .map_err(|e| Error::storage(format!("database: unreadable page bounds: {e}"), e))?;
    Ok(match (first, last) {
        _ if count == 0 => None,
        _ if count <= rows => Some(None),
        (Some(first), Some(last)) if first == last => Some(Some(last + 1)),
        (_, last) => Some(last),
    })
}

/// The selected polls as one JSON array, a result set per element, for [`parse_polls`].
pub(in crate::db::sqlite) async fn load_polls_json(
    conn: &mut SqliteConnection,
    selection: Selection<'_>,
) -> Result<String> {
    let Parts {
        from,
        where_clause,
        order,
        binds,
    } = parts(conn, selection).await?;
    // A poll's sources come in the order of their URLs, which an import into another database
    // keeps (ids depend on which poll brought a source first).
    // The whole selection comes back as one JSON array, a result set per element: rows cross
    // from SQLite's thread one at a time, so one row is most of the speed. Reals go as
    // printf('%!.17g') text, since JSON numbers from SQLite carry only 15 digits and 17 give
    // the stored value back exactly.
    let sql = format!(
        "SELECT json_group_array(json_array(
                    id, pollster, field_start, field_end, published_on, mode, region, partisan,
                    tracking, election, notes, created_at, updated_at, slug, wording, population,
                    CASE WHEN sample_size IS NULL THEN NULL ELSE printf('%!.17g', sample_size) END,
                    CASE WHEN margin_of_error IS NULL THEN NULL ELSE printf('%!.17g', margin_of_error) END,
                    json(answers), json(sponsors), json(sources)))
           FROM (
         SELECT p.id, pr.name AS pollster, p.field_start, p.field_end, p.published_on, p.mode,
                p.region, p.partisan, p.tracking, p.election, p.notes, p.created_at, p.updated_at, q.slug,
                q.wording, rs.population, rs.sample_size, rs.margin_of_error,
                (SELECT json_group_array(json_array(label, printf('%!.17g', pct))) FROM
                    (SELECT label, pct FROM answer WHERE result_set_id = rs.id ORDER BY position))
                    AS answers,
                (SELECT json_group_array(name) FROM
                    (SELECT s.name FROM poll_sponsor ps JOIN sponsor s ON s.id = ps.sponsor_id
                      WHERE ps.poll_id = p.id ORDER BY ps.position)) AS sponsors,
                (SELECT json_group_array(json_array(id, url, title, outlet, published_on)) FROM
                    (SELECT s.id, s.url, s.title, s.outlet, s.published_on
                       FROM poll_source ps JOIN source s ON s.id = ps.source_id
                      WHERE ps.poll_id = p.id ORDER BY s.url IS NULL, s.url, s.id)) AS sources
           FROM {from}
           {where_clause}
          ORDER BY {order})"
    );
    let query = bind_all(sqlx::query_scalar::<_, String>(AssertSqlSafe(sql)), binds);
    query.fetch_one(&mut *conn).await.map_err(db_err)
}

/// Polls from [`load_polls_json`]'s array. Pure work, so it can run on another thread.
pub(in crate::db::sqlite) fn parse_polls(json: &str) -> Result<Vec<Poll>> {
    let rows: Vec<StoredRow> = serde_json::from_str(json)
        .map_err(|e| Error::storage(format!("database: unreadable polls: {e}"), e))?;
    let number = |text: Option<String>| -> Result<Option<f64>> {
        text.map(|t| {
            t.parse()
                .map_err(|_| Error::storage_refused(format!("database: bad number {t}")))
        })
        .transpose()
    };
    let mut polls: Vec<Poll> = Vec::new();
    for row in rows {
        if polls.last().and_then(|p| p.id) != Some(row.id) {
            polls.push(Poll {
                id: Some(row.id),
                pollster: row.pollster,
                sponsors: row.sponsors,
                field_start: row.field_start,
                field_end: row.field_end,
                published_on: row.published_on,
                mode: row.mode,
                region: row.region,
                partisan: row.partisan != 0,
                tracking: row.tracking != 0,
                election: row.election != 0,
                notes: row.notes,
                results: Vec::new(),
                sources: row
                    .sources
                    .into_iter()
                    .map(|s| Source {
                        id: Some(s.id),
                        url: s.url,
                        title: s.title,
                        outlet: s.outlet,
                        published_on: s.published_on,
                    })
                    .collect(),
                created_at: Some(row.created_at),
                updated_at: Some(row.updated_at),
            });
        }
        let answers = row
            .answers
            .into_iter()
            .map(|a| {
                Ok(Answer {
                    label: a.label,
                    pct: number(Some(a.pct))?.unwrap_or_default(),
                })
            })
            .collect::<Result<Vec<Answer>>>()?;
        if let Some(poll) = polls.last_mut() {
            poll.results.push(ResultSet {
                question: row.question,
                wording: Some(row.wording),
                population: row.population,
                sample_size: number(row.sample_size)?,
                margin_of_error: number(row.margin_of_error)?,
                answers,
            });
        }
    }
    Ok(polls)
}

/// A source as [`load_polls_json`]'s query writes it (a JSON array, read in field order).
#[derive(serde::Deserialize)]
pub(in crate::db::sqlite) struct StoredSource {
    id: i64,
    url: Option<String>,
    title: Option<String>,
    outlet: Option<String>,
    published_on: Option<NaiveDate>,
}

/// An answer as [`load_polls_json`]'s query writes it: its label, and its percentage as text
/// with every digit.
#[derive(serde::Deserialize)]
pub(in crate::db::sqlite) struct StoredAnswer {
    label: String,
    pct: String,
}

/// One result set as [`load_polls_json`]'s query writes it: a JSON array, read in field order.
#[derive(serde::Deserialize)]
pub(in crate::db::sqlite) struct StoredRow {
    id: i64,
    pollster: String,
    field_start: Option<NaiveDate>,
    field_end: Option<NaiveDate>,
    published_on: Option<NaiveDate>,
    mode: Option<String>,
    region: Option<String>,
    partisan: i64,
    tracking: i64,
    election: i64,
    notes: Option<String>,
    created_at: String,
    updated_at: String,
    question: String,
    wording: String,
    population: String,
    sample_size: Option<String>,
    margin_of_error: Option<String>,
    answers: Vec<StoredAnswer>,
    sponsors: Vec<String>,
    sources: Vec<StoredSource>,
}

/// A value for a dynamically built query.
pub(in crate::db::sqlite) enum BindValue {
    Int(i64),
    Text(String),
    Date(NaiveDate),
}

/// A list bound as one JSON array, read in SQL with `json_each`.
pub(in crate::db::sqlite) fn json_list<T: serde::Serialize>(items: &[T]) -> String {
    serde_json::to_string(items).unwrap_or_else(|_| "[]".into())
}
