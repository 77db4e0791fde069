//! Reading polls whole: what every concern that hands out polls shares. Polls are read as plain
//! typed rows, a query per table for a whole list of ids (`= ANY($1)`), and put together here.

use crate::db::postgres::db_err;
use crate::error::{Error, Hint, Result};
use crate::model::{Answer, ListOrder, Poll, PollFilter, ResultSet, Source, name_key};
use chrono::NaiveDate;
use sqlx::postgres::PgArguments;
use sqlx::{Arguments, AssertSqlSafe, PgConnection};
use std::collections::HashMap;

/// The poll `id`, whole (result sets, answers, sponsors, sources, timestamps). Errors: not
/// found for an id not stored.
pub(in crate::db::postgres) async fn load_one(conn: &mut PgConnection, id: i64) -> Result<Poll> {
    load_polls(conn, &[id]).await?.pop().ok_or_else(|| {
        Error::not_found(format!("there is no poll {id}")).with_hint(Hint::ListPolls)
    })
}

/// The polls `ids`, whole, in the order of `ids` (an id not stored is left out).
pub(in crate::db::postgres) async fn load_polls(
    conn: &mut PgConnection,
    ids: &[i64],
) -> Result<Vec<Poll>> {
    load_filtered(conn, ids, None).await
}

/// The ids of the polls `filter` selects, in [`crate::db::PollStore::list_polls`]'s order
/// (by poll date, then id).
pub(in crate::db::postgres) async fn select_ids(
    conn: &mut PgConnection,
    filter: &PollFilter,
) -> Result<Vec<i64>> {
    select_ids_in(conn, filter, ListOrder::default()).await
}

/// As [`select_ids`], in `order` (newest first, at most so many polls).
pub(in crate::db::postgres) async fn select_ids_in(
    conn: &mut PgConnection,
    filter: &PollFilter,
    order: ListOrder,
) -> Result<Vec<i64>> {
    let mut conditions = Conditions::default();
    conditions.of_filter(filter);
    let direction = if order.newest_first { "DESC" } else { "ASC" };
    let beyond = if order.newest_first { "<" } else { ">" };
    let sql = match order.limit {
        // A page: polls walked by date, each kept if one of its result sets matches, until the
        // page is full. Sorting every matching poll first would cost a page of a large
        // question as much as all of it.
        Some(limit) => {
            let mut inner = conditions.where_clause();
            inner = match inner.is_empty() {
                true => "WHERE p.id = o.id".to_string(),
                false => format!("{inner} AND p.id = o.id"),
            };
            let key = match order.after {
                Some(after) => {
                    let date = conditions.push_bind(Bind::Date(after.date));
                    let id = conditions.push_bind(Bind::Int(after.id));
                    format!("AND (o.poll_date, o.id) {beyond} (${date}, ${id})")
                }
                None => String::new(),
            };
            let n = conditions.push_bind(Bind::Int(i64::try_from(limit).unwrap_or(i64::MAX)));
            format!(
                "SELECT o.id FROM poll o WHERE EXISTS (SELECT 1 FROM {FROM} {inner}) {key}
                  ORDER BY o.poll_date {direction}, o.id {direction} LIMIT ${n}"
            )
        }
        // Everything: only the matching rows are read, then sorted.
        None => {
            if let Some(after) = order.after {
                let date = conditions.push_bind(Bind::Date(after.date));
                let id = conditions.push_bind(Bind::Int(after.id));
                conditions.push(format!("(p.poll_date, p.id) {beyond} (${date}, ${id})"));
            }
            format!(
                "SELECT p.id FROM {FROM} {}
                  GROUP BY p.id, p.poll_date ORDER BY p.poll_date {direction}, p.id {direction}",
                conditions.where_clause()
            )
        }
    };
    let args = conditions.arguments()?;
    sqlx::query_scalar_with(AssertSqlSafe(sql), args)
        .fetch_all(&mut *conn)
        .await
        .map_err(db_err)
}

/// A poll's own columns, as [`PollRow`] takes them, from `poll p JOIN pollster pr`.
macro_rules! head_columns {
    () => {
        concat!(
            "p.id, pr.name AS pollster, p.field_start, p.field_end, p.published_on, p.mode,
             p.region, p.partisan, p.tracking, p.election, p.notes, ",
            $crate::db::postgres::utc_text!("p.created_at"),
            " AS created_at, ",
            $crate::db::postgres::utc_text!("p.updated_at"),
            " AS updated_at"
        )
    };
}
pub(in crate::db::postgres) use head_columns;

/// The polls `ids`, in the order of `ids`, each with the result sets `filter` selects (all of
/// them without one): what a listing shows. A poll none of whose result sets the filter selects
/// is left out, as is an id not stored.
pub(in crate::db::postgres) async fn load_filtered(
    conn: &mut PgConnection,
    ids: &[i64],
    filter: Option<&PollFilter>,
) -> Result<Vec<Poll>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let heads: Vec<PollRow> = sqlx::query_as(concat!(
        "SELECT ",
        head_columns!(),
        " FROM poll p JOIN pollster pr ON pr.id = p.pollster_id WHERE p.id = ANY($1)"
    ))
    .bind(ids)
    .fetch_all(&mut *conn)
    .await
    .map_err(db_err)?;
    Ok(read_parts(conn, ids.to_vec(), heads, filter)
        .await?
        .assemble())
}

/// Polls as read, table by table, not yet put together ([`PollParts::assemble`] needs no
/// connection, so a reader of many pages can do it on another thread).
pub(in crate::db::postgres) struct PollParts {
    ids: Vec<i64>,
    heads: Vec<PollRow>,
    results: Vec<ResultRow>,
    answers: Vec<(i64, String, f64)>,
    sponsors: Vec<(i64, String)>,
    sources: Vec<SourceRow>,
}

/// The rest of the polls `ids` (in this order), whose own rows are `heads`: each with the
/// result sets `filter` selects, their answers, sponsors and sources.
pub(in crate::db::postgres) async fn read_parts(
    conn: &mut PgConnection,
    ids: Vec<i64>,
    heads: Vec<PollRow>,
    filter: Option<&PollFilter>,
) -> Result<PollParts> {
    let mut conditions = Conditions::default();
    let n = conditions.push_bind(Bind::Ints(ids.clone()));
    conditions.push(format!("rs.poll_id = ANY(${n})"));
    if let Some(filter) = filter {
        conditions.of_filter(filter);
    }
    let sql = format!(
        "SELECT rs.id, rs.poll_id, q.slug, q.wording, rs.population, rs.sample_size,
                rs.margin_of_error
           FROM {FROM} {} ORDER BY rs.poll_id, rs.id",
        conditions.where_clause()
    );
    let results: Vec<ResultRow> = sqlx::query_as_with(AssertSqlSafe(sql), conditions.arguments()?)
        .fetch_all(&mut *conn)
        .await
        .map_err(db_err)?;
    let result_ids: Vec<i64> = results.iter().map(|r| r.id).collect();
    let answers: Vec<(i64, String, f64)> = sqlx::query_as(
        "SELECT result_set_id, label, pct FROM answer WHERE result_set_id = ANY($1)
          ORDER BY result_set_id, position",
    )
    .bind(&result_ids)
    .fetch_all(&mut *conn)
    .await
    .map_err(db_err)?;
    let sponsors: Vec<(i64, String)> = sqlx::query_as(
        "SELECT ps.poll_id, s.name FROM poll_sponsor ps JOIN sponsor s ON s.id = ps.sponsor_id
          WHERE ps.poll_id = ANY($1) ORDER BY ps.poll_id, ps.position",
    )
    .bind(&ids)
    .fetch_all(&mut *conn)
    .await
    .map_err(db_err)?;
    // A poll's sources come in the order of their URLs (byte order, as SQLite sorts them), which
    // an import into another database keeps (ids depend on which poll brought a source first).
    let sources: Vec<SourceRow> = sqlx::query_as(
        "SELECT ps.poll_id, s.id, s.url, s.title, s.outlet, s.published_on
           FROM poll_source ps JOIN source s ON s.id = ps.source_id
          WHERE ps.poll_id = ANY($1)
          ORDER BY ps.poll_id, s.url IS NULL, s.url COLLATE \"C\", s.id",
    )
    .bind(&ids)
    .fetch_all(&mut *conn)
    .await
    .map_err(db_err)?;
    Ok(PollParts {
        ids,
        heads,
        results,
        answers,
        sponsors,
        sources,
    })
}

impl PollParts {
    /// The polls, in the order of their ids as given; a poll none of whose result sets the
    /// filter selected is left out.
    pub(in crate::db::postgres) fn assemble(self) -> Vec<Poll> {
        let PollParts {
            ids,
            heads,
            results,
            answers,
            sponsors,
            sources,
        } = self;
        let mut answers_of: HashMap<i64, Vec<Answer>> = HashMap::new();
        for (result_id, label, pct) in answers {
            answers_of
                .entry(result_id)
                .or_default()
                .push(Answer { label, pct });
        }
        let mut results_of: HashMap<i64, Vec<ResultSet>> = HashMap::new();
        for row in results {
            results_of.entry(row.poll_id).or_default().push(ResultSet {
                question: row.slug,
                wording: Some(row.wording),
                population: row.population,
                sample_size: row.sample_size,
                margin_of_error: row.margin_of_error,
                answers: answers_of.remove(&row.id).unwrap_or_default(),
            });
        }
        let mut sponsors_of: HashMap<i64, Vec<String>> = HashMap::new();
        for (poll_id, name) in sponsors {
            sponsors_of.entry(poll_id).or_default().push(name);
        }
        let mut sources_of: HashMap<i64, Vec<Source>> = HashMap::new();
        for row in sources {
            sources_of.entry(row.poll_id).or_default().push(Source {
                id: Some(row.id),
                url: row.url,
                title: row.title,
                outlet: row.outlet,
                published_on: row.published_on,
            });
        }
        let mut by_id: HashMap<i64, Poll> = HashMap::with_capacity(heads.len());
        for head in heads {
            // A poll is its result sets: one with none the filter selects is not listed.
            let Some(results) = results_of.remove(&head.id) else {
                continue;
            };
            by_id.insert(
                head.id,
                Poll {
                    id: Some(head.id),
                    pollster: head.pollster,
                    sponsors: sponsors_of.remove(&head.id).unwrap_or_default(),
                    field_start: head.field_start,
                    field_end: head.field_end,
                    published_on: head.published_on,
                    mode: head.mode,
                    region: head.region,
                    partisan: head.partisan,
                    tracking: head.tracking,
                    election: head.election,
                    notes: head.notes,
                    results,
                    sources: sources_of.remove(&head.id).unwrap_or_default(),
                    created_at: Some(head.created_at),
                    updated_at: Some(head.updated_at),
                },
            );
        }
        ids.iter().filter_map(|id| by_id.remove(id)).collect()
    }
}

/// The tables a selection of result sets reads, under the aliases [`Conditions`] use.
pub(in crate::db::postgres) const FROM: &str = "poll p JOIN result_set rs ON rs.poll_id = p.id
    JOIN pollster pr ON pr.id = p.pollster_id JOIN question q ON q.id = rs.question_id";

/// One word of [`PollFilter::search`], found in a result set's question, its poll's pollster
/// (name or alias) or one of its poll's sources; `$w` is the word, lower-cased.
const SEARCH_WORD: &str = "(strpos(lower(q.slug), $w) > 0 OR strpos(lower(q.wording), $w) > 0
    OR strpos(pr.key, $w) > 0
    OR EXISTS (SELECT 1 FROM pollster_alias pa
                WHERE pa.pollster_id = p.pollster_id AND strpos(pa.key, $w) > 0)
    OR EXISTS (SELECT 1 FROM poll_source ps JOIN source s ON s.id = ps.source_id
                WHERE ps.poll_id = p.id AND (strpos(lower(coalesce(s.title, '')), $w) > 0
                   OR strpos(lower(coalesce(s.outlet, '')), $w) > 0
                   OR strpos(lower(coalesce(s.url, '')), $w) > 0)))";

/// A value bound to a query built at run time.
pub(in crate::db::postgres) enum Bind {
    Int(i64),
    Ints(Vec<i64>),
    Text(String),
    Texts(Vec<String>),
    Date(NaiveDate),
}

/// The conditions of a WHERE clause over [`FROM`]'s aliases, and the values they bind, numbered
/// `$1`, `$2`... in the order pushed.
#[derive(Default)]
pub(in crate::db::postgres) struct Conditions {
    conditions: Vec<String>,
    binds: Vec<Bind>,
}

impl Conditions {
    /// Binds `value`; returns its placeholder's number.
    pub(in crate::db::postgres) fn push_bind(&mut self, value: Bind) -> usize {
        self.binds.push(value);
        self.binds.len()
    }

    /// Adds a condition (its placeholders already numbered by [`Conditions::push_bind`]).
    pub(in crate::db::postgres) fn push(&mut self, condition: String) {
        self.conditions.push(condition);
    }

    /// The conditions of `filter` on a result set of [`FROM`].
    pub(in crate::db::postgres) fn of_filter(&mut self, filter: &PollFilter) {
        if !filter.questions.is_empty() {
            let n = self.push_bind(Bind::Texts(filter.questions.clone()));
            self.push(format!("q.slug = ANY(${n})"));
        }
        if !filter.pollsters.is_empty() {
            let keys: Vec<String> = filter.pollsters.iter().map(|n| name_key(n)).collect();
            let n = self.push_bind(Bind::Texts(keys));
            self.push(format!(
                "p.pollster_id IN (SELECT id FROM pollster WHERE key = ANY(${n})
                                   UNION SELECT pollster_id FROM pollster_alias
                                          WHERE key = ANY(${n}))"
            ));
        }
        // With a question, its result sets' copy of the date makes one index range.
        let date = if filter.questions.is_empty() {
            "p.poll_date"
        } else {
            "rs.poll_date"
        };
        if let Some(since) = filter.since {
            let n = self.push_bind(Bind::Date(since));
            self.push(format!("{date} >= ${n}"));
        }
        if let Some(until) = filter.until {
            let n = self.push_bind(Bind::Date(until));
            self.push(format!("{date} <= ${n}"));
        }
        if let Some(population) = &filter.population {
            let n = self.push_bind(Bind::Text(population.trim().to_string()));
            self.push(format!("lower(rs.population) = lower(${n})"));
        }
        if let Some(region) = &filter.region {
            let n = self.push_bind(Bind::Text(region.trim().to_string()));
            self.push(format!("lower(trim(p.region)) = lower(${n})"));
        }
        if !filter.sponsors.is_empty() {
            let keys: Vec<String> = filter.sponsors.iter().map(|n| name_key(n)).collect();
            let n = self.push_bind(Bind::Texts(keys));
            self.push(format!(
                "p.id IN (SELECT ps.poll_id FROM poll_sponsor ps
                           JOIN sponsor s ON s.id = ps.sponsor_id WHERE s.key = ANY(${n}))"
            ));
        }
        if filter.elections_only {
            self.push("p.election".to_string());
        }
        for word in filter
            .search
            .iter()
            .flat_map(|text| text.split_whitespace())
        {
            let n = self.push_bind(Bind::Text(word.to_lowercase()));
            self.push(SEARCH_WORD.replace("$w", &format!("${n}")));
        }
    }

    /// `WHERE ...`, or nothing for no conditions.
    pub(in crate::db::postgres) fn where_clause(&self) -> String {
        if self.conditions.is_empty() {
            String::new()
        } else {
            format!("WHERE {}", self.conditions.join(" AND "))
        }
    }

    /// The bound values, in order.
    pub(in crate::db::postgres) fn arguments(&self) -> Result<PgArguments> {
        let mut args = PgArguments::default();
        for value in &self.binds {
            let added = match value {
                Bind::Int(v) => args.add(*v),
                Bind::Ints(v) => args.add(v.clone()),
                Bind::Text(v) => args.add(v.clone()),
                Bind::Texts(v) => args.add(v.clone()),
                Bind::Date(v) => args.add(*v),
            };
            added
                .map_err(|e| Error::Failed(format!("database: a value could not be bound: {e}")))?;
        }
        Ok(args)
    }
}

/// A poll's own columns ([`head_columns`]).
#[derive(sqlx::FromRow)]
pub(in crate::db::postgres) struct PollRow {
    pub id: i64,
    pollster: String,
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

/// A result set, as [`load_filtered`] reads it.
#[derive(sqlx::FromRow)]
struct ResultRow {
    id: i64,
    poll_id: i64,
    slug: String,
    wording: String,
    population: String,
    sample_size: Option<f64>,
    margin_of_error: Option<f64>,
}

/// A source of a poll, as [`load_filtered`] reads it.
#[derive(sqlx::FromRow)]
struct SourceRow {
    poll_id: i64,
    id: i64,
    url: Option<String>,
    title: Option<String>,
    outlet: Option<String>,
    published_on: Option<NaiveDate>,
}
