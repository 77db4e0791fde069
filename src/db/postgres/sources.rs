//! Sources (articles, releases) and the polls they report: the [`SourceStore`] of [`PgStore`].

use super::record::{About, record};
use super::{PgStore, db_err, not_yet, now};
use crate::db::SourceStore;
use crate::error::Result;
use crate::model::{FieldChange, Source, SourceWithPolls};
use sqlx::PgConnection;
use std::collections::HashMap;

/// The stored source this one names: by id, else by URL (filling in details it lacked), else
/// by title, outlet and date; a new one otherwise.
pub(in crate::db::postgres) async fn find_or_create(
    conn: &mut PgConnection,
    source: &Source,
) -> Result<i64> {
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
            "SELECT id FROM source WHERE url IS NULL AND title IS NOT DISTINCT FROM $1
                AND outlet IS NOT DISTINCT FROM $2 AND published_on IS NOT DISTINCT FROM $3
              ORDER BY id LIMIT 1",
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
         VALUES ($1, $2, $3, $4, $5::timestamp AT TIME ZONE 'UTC') RETURNING id",
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
/// them) are looked up in one query and the new ones written in one insert, in the order given.
pub(in crate::db::postgres) async fn find_or_create_all<'a>(
    conn: &mut PgConnection,
    sources: &[&'a Source],
) -> Result<HashMap<&'a Source, i64>> {
    let mut ids: HashMap<&Source, i64> = HashMap::new();
    let mut by_url: Vec<&Source> = Vec::new();
    for source in sources {
        if ids.contains_key(source) {
            continue;
        }
        let bare_url = source.id.is_none()
            && source.url.is_some()
            && source.title.is_none()
            && source.outlet.is_none()
            && source.published_on.is_none();
        if bare_url {
            ids.insert(source, 0);
            by_url.push(source);
        } else {
            ids.insert(source, find_or_create(conn, source).await?);
        }
    }
    if by_url.is_empty() {
        return Ok(ids);
    }
    let urls: Vec<String> = by_url.iter().filter_map(|s| s.url.clone()).collect();
    let mut stored: HashMap<String, i64> =
        sqlx::query_as::<_, (String, i64)>("SELECT url, id FROM source WHERE url = ANY($1)")
            .bind(&urls)
            .fetch_all(&mut *conn)
            .await
            .map_err(db_err)?
            .into_iter()
            .collect();
    let new: Vec<String> = urls
        .iter()
        .filter(|url| !stored.contains_key(*url))
        .cloned()
        .collect();
    if !new.is_empty() {
        let created: Vec<(String, i64)> = sqlx::query_as(
            "INSERT INTO source (url, created_at)
             SELECT url, $2::timestamp AT TIME ZONE 'UTC'
               FROM UNNEST($1::text[]) WITH ORDINALITY AS t(url, n) ORDER BY n
             RETURNING url, id",
        )
        .bind(&new)
        .bind(now())
        .fetch_all(&mut *conn)
        .await
        .map_err(db_err)?;
        stored.extend(created);
    }
    for source in by_url {
        let url = source.url.as_deref().unwrap_or_default();
        if let Some(id) = stored.get(url) {
            ids.insert(source, *id);
        }
    }
    Ok(ids)
}

/// The id of the newest source stored (0 for none): sources with a larger id are new since.
pub(in crate::db::postgres) async fn newest(conn: &mut PgConnection) -> Result<i64> {
    sqlx::query_scalar("SELECT coalesce(max(id), 0) FROM source")
        .fetch_one(conn)
        .await
        .map_err(db_err)
}

/// Records the sources stored after `since` (see [`newest`]) as added, with their fields and
/// the polls they report: the sources a poll's `add` brought.
async fn record_added_since(conn: &mut PgConnection, since: i64) -> Result<()> {
    let added: Vec<i64> = sqlx::query_scalar("SELECT id FROM source WHERE id > $1 ORDER BY id")
        .bind(since)
        .fetch_all(&mut *conn)
        .await
        .map_err(db_err)?;
    for id in added {
        let mut changes: Vec<FieldChange> = described(conn, id)
            .await?
            .into_iter()
            .filter(|(_, value)| value.is_some())
            .map(|(field, value)| (field.to_string(), None, value))
            .collect();
        changes.push(("polls".into(), None, linked(conn, id).await?));
        record(conn, About::Source(id), "add", &changes, None).await?;
    }
    Ok(())
}

/// A stored source's fields, as the history writes them.
async fn described(
    conn: &mut PgConnection,
    id: i64,
) -> Result<Vec<(&'static str, Option<String>)>> {
    let (url, title, outlet, published_on): (
        Option<String>,
        Option<String>,
        Option<String>,
        Option<String>,
    ) = sqlx::query_as(
        "SELECT url, title, outlet, to_char(published_on, 'YYYY-MM-DD') FROM source
          WHERE id = $1",
    )
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
async fn linked(conn: &mut PgConnection, source_id: i64) -> Result<Option<String>> {
    linked_but(conn, source_id, None).await
}

/// As [`linked`], leaving out the poll `but`.
async fn linked_but(
    conn: &mut PgConnection,
    source_id: i64,
    but: Option<i64>,
) -> Result<Option<String>> {
    sqlx::query_scalar(
        "SELECT string_agg(poll_id::text, ', ' ORDER BY poll_id) FROM poll_source
          WHERE source_id = $1 AND poll_id IS DISTINCT FROM $2",
    )
    .bind(source_id)
    .bind(but)
    .fetch_one(&mut *conn)
    .await
    .map_err(db_err)
}

/// The ids of the sources that report the poll `poll_id`.
pub(in crate::db::postgres) async fn of_poll(
    conn: &mut PgConnection,
    poll_id: i64,
) -> Result<Vec<i64>> {
    sqlx::query_scalar("SELECT source_id FROM poll_source WHERE poll_id = $1 ORDER BY source_id")
        .bind(poll_id)
        .fetch_all(&mut *conn)
        .await
        .map_err(db_err)
}

/// Records what recording the poll `poll_id` did to sources: those added since the source
/// `since` (see [`newest`]), and each source stored before that it now reports and did not
/// (`linked_before`), as a `link` in that source's history.
pub(in crate::db::postgres) async fn record_sources_of(
    conn: &mut PgConnection,
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

impl SourceStore for PgStore {
    async fn add_source(&self, _source: &Source, _polls: &[i64]) -> Result<i64> {
        Err(not_yet())
    }

    async fn link_source(&self, _key: &str, _polls: &[i64]) -> Result<i64> {
        Err(not_yet())
    }

    async fn list_sources(&self, _poll: Option<i64>) -> Result<Vec<SourceWithPolls>> {
        Err(not_yet())
    }

    async fn get_source(&self, _key: &str) -> Result<SourceWithPolls> {
        Err(not_yet())
    }
}
