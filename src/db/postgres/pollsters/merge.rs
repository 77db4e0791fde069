//! Merging one pollster into another: its polls, its aliases and its name move to the other,
//! and, when asked, polls that become the same poll twice are combined into one.

use super::{find, insert_alias, rename, require};
use crate::db::Merged;
use crate::db::postgres::polls::{read::load_one, write::rewrite_poll_as};
use crate::db::postgres::record::{About, record, record_pollster_change};
use crate::db::postgres::{db_err, now};
use crate::db::shared::pollsters::{self as shared, Candidate, SamePoll};
use crate::error::{Error, Result};
use sqlx::PgConnection;

/// Merges the pollster `from` into `into` in the transaction on `conn`: see
/// [`crate::db::PollsterStore::merge_pollsters_with`]. A poll of `from` with the same dates as
/// a poll of `into` and a question asked of the same population (what `add` refuses as a
/// duplicate) would be the same poll twice: without `combine` every such pair is named in a
/// conflict and nothing changes; with it, each pair becomes one poll, the one of `into` (see
/// [`combine_polls`]).
pub(super) async fn merge(
    conn: &mut PgConnection,
    from: &str,
    into: &str,
    combine: bool,
) -> Result<Merged> {
    let (from_id, from_name) = require(conn, from).await?;
    if find(conn, into).await?.is_none() {
        // Merging into a name not stored yet is the right spelling arriving: a rename.
        rename(conn, from_id, &from_name, into, true).await?;
        let moved: i64 = sqlx::query_scalar("SELECT count(*) FROM poll WHERE pollster_id = $1")
            .bind(from_id)
            .fetch_one(&mut *conn)
            .await
            .map_err(db_err)?;
        return Ok(Merged {
            moved: moved as u64,
            combined: Vec::new(),
            renamed: true,
        });
    }
    let (into_id, into_name) = require(conn, into).await?;
    if from_id == into_id {
        return Err(shared::same_pollster(from, into, &into_name));
    }
    let pairs = same_polls(conn, from_id, into_id).await?;
    if !pairs.is_empty() && !combine {
        return Err(shared::would_repeat(&from_name, &into_name, &pairs));
    }
    let moved: Vec<i64> = sqlx::query_scalar(
        "UPDATE poll SET pollster_id = $1, updated_at = $2::timestamp AT TIME ZONE 'UTC'
          WHERE pollster_id = $3 RETURNING id",
    )
    .bind(into_id)
    .bind(now())
    .bind(from_id)
    .fetch_all(&mut *conn)
    .await
    .map_err(db_err)?;
    let mut moved = moved;
    // Each poll's history in the order of its ids, as the polls were read.
    moved.sort_unstable();
    let change = [(
        "pollster".to_string(),
        Some(from_name.clone()),
        Some(into_name),
    )];
    for poll_id in &moved {
        record(conn, About::Poll(*poll_id), "edit", &change, None).await?;
    }
    record_pollster_change(conn, into_id, "merge", &change).await?;
    sqlx::query("UPDATE pollster_alias SET pollster_id = $1 WHERE pollster_id = $2")
        .bind(into_id)
        .bind(from_id)
        .execute(&mut *conn)
        .await
        .map_err(db_err)?;
    sqlx::query("DELETE FROM pollster WHERE id = $1")
        .bind(from_id)
        .execute(&mut *conn)
        .await
        .map_err(db_err)?;
    insert_alias(conn, &from_name, into_id).await?;
    let mut combined = Vec::with_capacity(pairs.len());
    for pair in &pairs {
        combine_polls(conn, pair.removed, pair.kept).await?;
        combined.push((pair.removed, pair.kept));
    }
    Ok(Merged {
        moved: moved.len() as u64 - combined.len() as u64,
        combined,
        renamed: false,
    })
}

/// The polls of pollster `from` that repeat a poll of `into` by the poll identity rule (the
/// one `add` refuses duplicates and `import` matches stored polls with): same field start,
/// field end and publication date, a question asked of the same population (ignoring ASCII
/// case, as SQLite's NOCASE does), and sponsors that agree; paired by
/// [`shared::same_polls`].
async fn same_polls(conn: &mut PgConnection, from: i64, into: i64) -> Result<Vec<SamePoll>> {
    // Populations are compared here rather than in SQL: lower() would fold every script, and
    // two populations one store keeps apart must not be one here.
    type Row = (i64, i64, String, String, String, Vec<String>, Vec<String>);
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT a.id, b.id, q.slug, ra.population, rb.population,
                ARRAY(SELECT s.key FROM poll_sponsor ps JOIN sponsor s ON s.id = ps.sponsor_id
                       WHERE ps.poll_id = a.id ORDER BY ps.position),
                ARRAY(SELECT s.key FROM poll_sponsor ps JOIN sponsor s ON s.id = ps.sponsor_id
                       WHERE ps.poll_id = b.id ORDER BY ps.position)
           FROM poll a
           JOIN poll b ON b.pollster_id = $2
                AND b.field_start IS NOT DISTINCT FROM a.field_start
                AND b.field_end IS NOT DISTINCT FROM a.field_end
                AND b.published_on IS NOT DISTINCT FROM a.published_on
           JOIN result_set ra ON ra.poll_id = a.id
           JOIN result_set rb ON rb.poll_id = b.id AND rb.question_id = ra.question_id
                AND lower(rb.population) = lower(ra.population)
           JOIN question q ON q.id = ra.question_id
          WHERE a.pollster_id = $1
          ORDER BY a.id, b.id, ra.id",
    )
    .bind(from)
    .bind(into)
    .fetch_all(conn)
    .await
    .map_err(db_err)?;
    let candidates: Vec<Candidate> = rows
        .into_iter()
        .filter(|row| row.3.eq_ignore_ascii_case(&row.4))
        .map(
            |(removed, kept, slug, population, _, removed_sponsors, sponsors)| {
                (removed, kept, slug, population, removed_sponsors, sponsors)
            },
        )
        .collect();
    Ok(shared::same_polls(candidates))
}

/// Makes poll `removed` part of poll `kept`, which must be the same poll (see
/// [`shared::combined_poll`]), each change recorded in the kept poll's history with a
/// `combined` row naming the removed poll. The removed poll is deleted with a full copy in its
/// own history, whose last row names the poll it went into.
async fn combine_polls(conn: &mut PgConnection, removed: i64, kept: i64) -> Result<()> {
    let gone = load_one(conn, removed).await?;
    let old = load_one(conn, kept).await?;
    let new = shared::combined_poll(&gone, &old, removed, kept)?;
    let snapshot = serde_json::to_string(&gone).map_err(|e| Error::storage(e.to_string(), e))?;
    sqlx::query("DELETE FROM poll WHERE id = $1")
        .bind(removed)
        .execute(&mut *conn)
        .await
        .map_err(db_err)?;
    let combined = [("combined".into(), None, Some(format!("poll {removed}")))];
    record(conn, About::Poll(kept), "edit", &combined, None).await?;
    rewrite_poll_as(conn, &old, new, "edit").await?;
    // The removed poll's stable ids in its source now name the kept poll.
    sqlx::query("UPDATE source_poll_id SET poll_id = $1 WHERE poll_id = $2")
        .bind(kept)
        .bind(removed)
        .execute(&mut *conn)
        .await
        .map_err(db_err)?;
    let deleted = [(
        "combined".into(),
        Some(snapshot),
        Some(format!("poll {kept}")),
    )];
    record(conn, About::Poll(removed), "delete", &deleted, None).await?;
    Ok(())
}
