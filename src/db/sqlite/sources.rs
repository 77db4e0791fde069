//! Sources: the articles and releases that reported polls, linked to polls many-to-many.

use super::polls::json_list;
use super::record::{About, record};
use super::{SqliteStore, batch, commit, db_err, now};
use crate::db::SourceStore;
use crate::db::shared::sources::{self as shared, Described};
use crate::error::{Error, Result};
use crate::model::{Source, SourceWithPolls};
use sqlx::sqlite::SqliteConnection;
use std::collections::HashMap;

/// The stored source this one names: by id, else by URL (filling in details it lacked), else
/// by title, outlet and date; a new one otherwise.
pub(super) async fn find_or_create(conn: &mut SqliteConnection, source: &Source) -> Result<i64> {
    if let Some(id) = source.id {
        return Ok(id);
    }
    let found: Option<i64> = match &source.url {
        Some(url) => sqlx::query_scalar("SELECT id FROM source WHERE url = $1")
            .bind(url.as_str())
            .fetch_optional(&mut *conn)
            .await
            .map_err(db_err)?,
        None => sqlx::query_scalar(
            "SELECT id FROM source WHERE url IS NULL AND title IS NOT DISTINCT FROM $1 AND outlet IS NOT DISTINCT FROM $2
                AND published_on IS NOT DISTINCT FROM $3 LIMIT 1",
        )
        .bind(source.title.as_deref())
        .bind(source.outlet.as_deref())
        .bind(source.published_on)
        .fetch_optional(&mut *conn)
        .await
        .map_err(db_err)?,
    };
    if let Some(id) = found {
        sqlx::query(
            "UPDATE source SET title = coalesce(title, $1), outlet = coalesce(outlet, $2),
                    published_on = coalesce(published_on, $3) WHERE id = $4",
        )
        .bind(source.title.as_deref())
        .bind(source.outlet.as_deref())
        .bind(source.published_on)
        .bind(id)
        .execute(&mut *conn)
        .await
        .map_err(db_err)?;
        return Ok(id);
    }
    sqlx::query_scalar(
        "INSERT INTO source (url, title, outlet, published_on, created_at)
         VALUES ($1, $2, $3, $4, $5) RETURNING id",
    )
    .bind(source.url.as_deref())
    .bind(source.title.as_deref())
    .bind(source.outlet.as_deref())
    .bind(source.published_on)
    .bind(now())
    .fetch_one(conn)
    .await
    .map_err(db_err)
}

/// [`find_or_create`] for many sources at once: sources known only by URL (as imports give
/// them) are looked up in one query and the new ones written in one batch.
pub(super) async fn find_or_create_all<'a>(
    conn: &mut SqliteConnection,
    sources: &[&'a Source],
) -> Result<HashMap<&'a Source, i64>> {
    let mut ids: HashMap<&Source, i64> = HashMap::new();
    let mut by_url: Vec<&Source> = Vec::new();
    for source in sources {
        if ids.contains_key(source) {
            continue;
        }
        if shared::bare_url(source) {
            ids.insert(source, 0);
            by_url.push(source);
        } else {
            ids.insert(source, find_or_create(conn, source).await?);
        }
    }
    if by_url.is_empty() {
        return Ok(ids);
    }
    let urls: Vec<&str> = by_url.iter().filter_map(|s| s.url.as_deref()).collect();
    let stored: HashMap<String, i64> = sqlx::query_as::<_, (String, i64)>(
        "SELECT url, id FROM source WHERE url IN (SELECT value FROM json_each($1))",
    )
    .bind(json_list(&urls))
    .fetch_all(&mut *conn)
    .await
    .map_err(db_err)?
    .into_iter()
    .collect();
    let mut next: i64 = sqlx::query_scalar("SELECT coalesce(max(id), 0) + 1 FROM source")
        .fetch_one(&mut *conn)
        .await
        .map_err(db_err)?;
    let mut new: Vec<(i64, &str)> = Vec::new();
    for source in by_url {
        let url = source.url.as_deref().unwrap_or_default();
        let id = match stored.get(url) {
            Some(id) => *id,
            None => {
                next += 1;
                new.push((next - 1, url));
                next - 1
            }
        };
        ids.insert(source, id);
    }
    let created_at = now();
    let rows: Vec<(i64, &str, &str)> = new
        .iter()
        .map(|(id, url)| (*id, *url, created_at.as_str()))
        .collect();
    batch::insert(
        conn,
        "INSERT INTO source",
        &["id", "url", "created_at"],
        &rows,
    )
    .await?;
    Ok(ids)
}

/// A source named by its id or its URL.
pub(super) async fn require(conn: &mut SqliteConnection, key: &str) -> Result<i64> {
    let key = key.trim();
    let found: Option<i64> = match key.parse::<i64>() {
        Ok(id) => sqlx::query_scalar("SELECT id FROM source WHERE id = $1").bind(id),
        Err(_) => sqlx::query_scalar("SELECT id FROM source WHERE url = $1").bind(key.to_string()),
    }
    .fetch_optional(conn)
    .await
    .map_err(db_err)?;
    found.ok_or_else(|| shared::no_source(key))
}

async fn require_poll(conn: &mut SqliteConnection, poll_id: i64) -> Result<()> {
    let exists: bool = sqlx::query_scalar("SELECT count(*) > 0 FROM poll WHERE id = $1")
        .bind(poll_id)
        .fetch_one(conn)
        .await
        .map_err(db_err)?;
    if exists {
        Ok(())
    } else {
        Err(shared::no_poll(poll_id))
    }
}

impl SourceStore for SqliteStore {
    /// Records a source (or completes the stored one with the same URL) and links it to
    /// `polls`. Returns its id.
    async fn add_source(&self, source: &Source, polls: &[i64]) -> Result<i64> {
        shared::check_source(source)?;
        let mut tx = self.write().await?;
        let newest = newest(&mut tx).await?;
        let known: Option<i64> = sqlx::query_scalar("SELECT id FROM source WHERE url = $1")
            .bind(source.url.as_deref())
            .fetch_optional(&mut *tx)
            .await
            .map_err(|e| self.err(e))?;
        let before = match known {
            Some(id) => described(&mut tx, id).await?,
            None => Vec::new(),
        };
        let id = find_or_create(&mut tx, source).await?;
        let after = described(&mut tx, id).await?;
        let changes = shared::source_changes(&before, after);
        let action = if id > newest { "add" } else { "edit" };
        record(&mut tx, About::Source(id), action, &changes, None).await?;
        link(&mut tx, id, polls).await?;
        commit(self, tx).await?;
        Ok(id)
    }

    /// Links the source with this id or URL to `polls`. Returns the source's id.
    async fn link_source(&self, key: &str, polls: &[i64]) -> Result<i64> {
        let mut tx = self.write().await?;
        let id = require(&mut tx, key).await?;
        link(&mut tx, id, polls).await?;
        commit(self, tx).await?;
        Ok(id)
    }

    /// Every source with the polls it reported; with `poll`, only that poll's sources.
    async fn list_sources(&self, poll: Option<i64>) -> Result<Vec<SourceWithPolls>> {
        let mut tx = self.read().await?;
        if let Some(poll_id) = poll {
            require_poll(&mut tx, poll_id).await?;
        }
        let rows: Vec<SourceRow> = sqlx::query_as(
            "SELECT s.id, s.url, s.title, s.outlet, s.published_on,
                    (SELECT json_group_array(poll_id) FROM
                        (SELECT poll_id FROM poll_source WHERE source_id = s.id ORDER BY poll_id)) AS polls
               FROM source s
              WHERE $1 IS NULL OR s.id IN (SELECT source_id FROM poll_source WHERE poll_id = $1)
              ORDER BY s.published_on, s.id",
        )
        .bind(poll)
        .fetch_all(&mut *tx)
        .await
        .map_err(|e| self.err(e))?;
        rows.into_iter().map(source_from_row).collect()
    }

    /// One source, by id or URL, with the polls it reported.
    async fn get_source(&self, key: &str) -> Result<SourceWithPolls> {
        let mut tx = self.read().await?;
        let id = require(&mut tx, key).await?;
        let row: SourceRow = sqlx::query_as(
            "SELECT s.id, s.url, s.title, s.outlet, s.published_on,
                    (SELECT json_group_array(poll_id) FROM
                        (SELECT poll_id FROM poll_source WHERE source_id = s.id ORDER BY poll_id)) AS polls
               FROM source s WHERE s.id = $1",
        )
        .bind(id)
        .fetch_one(&mut *tx)
        .await
        .map_err(|e| self.err(e))?;
        source_from_row(row)
    }
}

/// The id of the newest source stored (0 for none): sources with a larger id are new since.
pub(super) async fn newest(conn: &mut SqliteConnection) -> Result<i64> {
    sqlx::query_scalar("SELECT coalesce(max(id), 0) FROM source")
        .fetch_one(conn)
        .await
        .map_err(db_err)
}

/// Records the sources stored after `since` (see [`newest`]) as added, with their fields and
/// the polls they report: the sources a poll's `add` brought.
async fn record_added_since(conn: &mut SqliteConnection, since: i64) -> Result<()> {
    let added: Vec<i64> = sqlx::query_scalar("SELECT id FROM source WHERE id > $1 ORDER BY id")
        .bind(since)
        .fetch_all(&mut *conn)
        .await
        .map_err(db_err)?;
    for id in added {
        let mut changes = shared::added_fields(described(conn, id).await?);
        changes.push(("polls".into(), None, linked(conn, id).await?));
        record(conn, About::Source(id), "add", &changes, None).await?;
    }
    Ok(())
}

/// A stored source's fields, as the history writes them.
async fn described(conn: &mut SqliteConnection, id: i64) -> Result<Described> {
    let (url, title, outlet, published_on): (
        Option<String>,
        Option<String>,
        Option<String>,
        Option<String>,
    ) = sqlx::query_as("SELECT url, title, outlet, published_on FROM source WHERE id = $1")
        .bind(id)
        .fetch_one(&mut *conn)
        .await
        .map_err(db_err)?;
    Ok(vec![
        ("url", url),
        ("title", title),
        ("outlet", outlet),
        ("published_on", published_on),
    ])
}

/// The polls a source reports, as the history writes them (`1, 2`), or `None`.
async fn linked(conn: &mut SqliteConnection, source_id: i64) -> Result<Option<String>> {
    linked_but(conn, source_id, None).await
}

/// As [`linked`], leaving out the poll `but`.
async fn linked_but(
    conn: &mut SqliteConnection,
    source_id: i64,
    but: Option<i64>,
) -> Result<Option<String>> {
    sqlx::query_scalar(
        "SELECT group_concat(poll_id, ', ') FROM
            (SELECT poll_id FROM poll_source
              WHERE source_id = $1 AND poll_id IS NOT $2 ORDER BY poll_id)",
    )
    .bind(source_id)
    .bind(but)
    .fetch_one(&mut *conn)
    .await
    .map_err(db_err)
}

/// The ids of the sources that report the poll `poll_id`.
pub(super) async fn of_poll(conn: &mut SqliteConnection, poll_id: i64) -> Result<Vec<i64>> {
    sqlx::query_scalar("SELECT source_id FROM poll_source WHERE poll_id = $1 ORDER BY source_id")
        .bind(poll_id)
        .fetch_all(&mut *conn)
        .await
        .map_err(db_err)
}

/// Records what recording the poll `poll_id` did to sources: those added since the source
/// `since` (see [`record_added_since`]), and each source stored before that it now reports
/// and did not (`linked_before`), as a `link` in that source's history.
pub(super) async fn record_sources_of(
    conn: &mut SqliteConnection,
    poll_id: i64,
    linked_before: &[i64],
    since: i64,
) -> Result<()> {
    record_added_since(conn, since).await?;
    for source_id in of_poll(conn, poll_id).await? {
        if source_id <= since && !linked_before.contains(&source_id) {
            let before = linked_but(conn, source_id, Some(poll_id)).await?;
            let change = [("polls".to_string(), before, linked(conn, source_id).await?)];
            record(conn, About::Source(source_id), "link", &change, None).await?;
        }
    }
    Ok(())
}

/// Links a source to polls, recording the polls it reports before and after in its history.
async fn link(conn: &mut SqliteConnection, source_id: i64, polls: &[i64]) -> Result<()> {
    for poll_id in polls {
        require_poll(conn, *poll_id).await?;
    }
    let before = linked(conn, source_id).await?;
    sqlx::query(
        "INSERT INTO poll_source (poll_id, source_id)
         SELECT value, $1 FROM json_each($2) WHERE true ON CONFLICT DO NOTHING",
    )
    .bind(source_id)
    .bind(json_list(polls))
    .execute(&mut *conn)
    .await
    .map_err(db_err)?;
    let after = linked(conn, source_id).await?;
    if before != after {
        let change = [("polls".to_string(), before, after)];
        record(conn, About::Source(source_id), "link", &change, None).await?;
    }
    Ok(())
}

/// A source with its polls as a JSON array, as [`SourceStore::list_sources`] and
/// [`SourceStore::get_source`] read it.
#[derive(sqlx::FromRow)]
struct SourceRow {
    id: i64,
    url: Option<String>,
    title: Option<String>,
    outlet: Option<String>,
    published_on: Option<chrono::NaiveDate>,
    polls: String,
}

fn source_from_row(row: SourceRow) -> Result<SourceWithPolls> {
    Ok(SourceWithPolls {
        source: Source {
            id: Some(row.id),
            url: row.url,
            title: row.title,
            outlet: row.outlet,
            published_on: row.published_on,
        },
        polls: serde_json::from_str(&row.polls).map_err(|e| Error::storage(e.to_string(), e))?,
    })
}
