//! Writing polls whole: what every concern that stores polls shares. New ids, the one write
//! path of add, edit, restore and import (many polls at once in one insert per table, from
//! arrays), duplicates found, and the history of every change.

pub(in crate::db::postgres) use super::insert::{Stored, draw_ids, write_polls};
use super::read::load_one;
use crate::db::postgres::record::{About, record};
use crate::db::postgres::{db_err, now, pollsters, questions};
use crate::db::shared::polls::{checked, duplicate, newly_identified};
use crate::error::{Error, Result};
use crate::model::{
    Change, FieldChange, MAX_POLL_ID, Poll, QuestionKind, Warning, diff_polls, today, validate_poll,
};
use sqlx::PgConnection;
use std::collections::HashSet;

/// Writes `poll` (already [`checked`]) as a new poll: under `id` when given (a restore, a load,
/// an import keeping a file's ids; the poll id sequence is then moved past it), else under the
/// next id ([`new_ids`]). Its `created_at` and `updated_at` are kept when it has them (a poll
/// brought back as it was), else they are now. Pollsters, sponsors, questions and sources are
/// found (by name, alias, slug or URL) or created. Returns the id and what is worth telling the
/// user.
pub(in crate::db::postgres) async fn write_poll(
    conn: &mut PgConnection,
    poll: &Poll,
    id: Option<i64>,
) -> Result<(i64, Vec<Warning>)> {
    let id = match id {
        Some(id) => id,
        None => new_ids(conn, 1, &HashSet::new()).await?[0],
    };
    let stamp = now();
    let entry = Stored {
        id,
        poll,
        created_at: poll.created_at.clone().unwrap_or_else(|| stamp.clone()),
        updated_at: poll.updated_at.clone().unwrap_or(stamp),
    };
    let warnings = write_polls(conn, std::slice::from_ref(&entry)).await?;
    Ok((id, warnings))
}

/// Writes polls that are not stored yet (already [`checked`]), giving them the next free ids,
/// created and updated now. Returns their ids, in order.
pub(in crate::db::postgres) async fn write_new_polls(
    conn: &mut PgConnection,
    polls: &[Poll],
) -> Result<(Vec<i64>, Vec<Warning>)> {
    let ids = new_ids(conn, polls.len(), &HashSet::new()).await?;
    let stamp = now();
    let entries: Vec<Stored> = polls
        .iter()
        .zip(ids)
        .map(|(poll, id)| Stored {
            id,
            poll,
            created_at: stamp.clone(),
            updated_at: stamp.clone(),
        })
        .collect();
    let warnings = write_polls(conn, &entries).await?;
    Ok((entries.iter().map(|e| e.id).collect(), warnings))
}

/// Offers `kind`, given by the user, to each of these questions, once per question (see
/// [`questions::offer_kind`]).
pub(in crate::db::postgres) async fn offer_kind(
    conn: &mut PgConnection,
    slugs: impl Iterator<Item = &str>,
    kind: Option<QuestionKind>,
) -> Result<Vec<Warning>> {
    let Some(kind) = kind else {
        return Ok(Vec::new());
    };
    let mut warnings = Vec::new();
    let mut seen: Vec<&str> = Vec::new();
    for slug in slugs {
        if seen.contains(&slug) {
            continue;
        }
        seen.push(slug);
        let offered = questions::OfferedKind { kind, given: true };
        warnings.extend(questions::offer_kind(conn, slug, offered).await?);
    }
    Ok(warnings)
}

/// Refuses a change of stored poll `old` into `new` when `new` repeats another stored poll and
/// `old` did not (see [`newly_identified`]).
pub(in crate::db::postgres) async fn refuse_new_duplicate(
    conn: &mut PgConnection,
    old: &Poll,
    new: &Poll,
) -> Result<()> {
    let mut new = checked(new.clone())?;
    if let Some(name) = pollsters::canonical(conn, &new.pollster).await? {
        new.pollster = name;
    }
    let Some(probe) = newly_identified(old, new) else {
        return Ok(());
    };
    match find_duplicate(conn, &probe, old.id).await? {
        Some(existing) => Err(duplicate(existing)),
        None => Ok(()),
    }
}

/// The stored poll (other than `except`) that `poll` repeats by the identity rule: the poll's
/// pollster and dates, one of its questions asked of the same population (in any case), and
/// sponsors that agree ([`crate::model::sponsors_agree`]).
pub(in crate::db::postgres) async fn find_duplicate(
    conn: &mut PgConnection,
    poll: &Poll,
    except: Option<i64>,
) -> Result<Option<i64>> {
    let Some(pollster_id) = pollsters::find(conn, &poll.pollster).await? else {
        return Ok(None);
    };
    for result in &poll.results {
        let candidates: Vec<(i64, Vec<String>)> = sqlx::query_as(
            "SELECT p.id,
                    array(SELECT s.key FROM poll_sponsor ps JOIN sponsor s ON s.id = ps.sponsor_id
                           WHERE ps.poll_id = p.id ORDER BY ps.position)
               FROM poll p
               JOIN result_set rs ON rs.poll_id = p.id
               JOIN question q ON q.id = rs.question_id
              WHERE p.pollster_id = $1 AND p.field_start IS NOT DISTINCT FROM $2
                AND p.field_end IS NOT DISTINCT FROM $3
                AND p.published_on IS NOT DISTINCT FROM $4 AND q.slug = $5
                AND lower(rs.population) = lower($6) AND p.id IS DISTINCT FROM $7
              ORDER BY p.id",
        )
        .bind(pollster_id)
        .bind(poll.field_start)
        .bind(poll.field_end)
        .bind(poll.published_on)
        .bind(result.question.as_str())
        .bind(result.population.as_str())
        .bind(except)
        .fetch_all(&mut *conn)
        .await
        .map_err(db_err)?;
        for (id, sponsors) in candidates {
            if crate::model::sponsors_agree(&sponsors, &poll.sponsors) {
                return Ok(Some(id));
            }
        }
    }
    Ok(None)
}

/// `n` ids for new polls, none of them in `exclude`: after the highest id stored or named in
/// the history, or, when no room is left below [`MAX_POLL_ID`] (a file gave a poll the largest
/// id), the lowest free ones. The write lock is held, so no other polltrack writer can take
/// these ids. A deleted poll's id stays in the history, so it is never given to a new poll.
/// Ids beyond the largest polltrack gives are left out, so the next id never overflows.
pub(in crate::db::postgres) async fn new_ids(
    conn: &mut PgConnection,
    n: usize,
    exclude: &HashSet<i64>,
) -> Result<Vec<i64>> {
    let first: i64 = sqlx::query_scalar(
        "SELECT greatest(coalesce((SELECT max(id) FROM poll WHERE id <= $1), 0),
                         coalesce((SELECT max(poll_id) FROM change WHERE poll_id <= $1), 0)) + 1",
    )
    .bind(MAX_POLL_ID)
    .fetch_one(&mut *conn)
    .await
    .map_err(db_err)?;
    crate::db::shared::polls::choose_new_ids(first, n, exclude, move || async move {
        let used: Vec<i64> = sqlx::query_scalar(
            "SELECT id FROM poll UNION SELECT poll_id FROM change WHERE poll_id IS NOT NULL",
        )
        .fetch_all(&mut *conn)
        .await
        .map_err(db_err)?;
        Ok(used.into_iter().collect())
    })
    .await
}

/// Replaces the stored poll `old` (as read) by `new`, recording each changed field in the
/// history as an `edit` with `old` as the snapshot.
pub(in crate::db::postgres) async fn rewrite_poll(
    conn: &mut PgConnection,
    old: &Poll,
    new: Poll,
) -> Result<(Vec<Change>, Vec<Warning>)> {
    rewrite_poll_as(conn, old, new, "edit").await
}

/// Replaces the stored poll `old` (as read) by `new` (checked here), recording each changed
/// field in the history under `action` (`edit`, `undo`, `merge`, ...) with `old` as the
/// snapshot. `created_at` is kept, `updated_at` is now. Nothing changed is nothing written.
pub(in crate::db::postgres) async fn rewrite_poll_as(
    conn: &mut PgConnection,
    old: &Poll,
    new: Poll,
    action: &str,
) -> Result<(Vec<Change>, Vec<Warning>)> {
    let id = old
        .id
        .ok_or_else(|| Error::Failed("rewrite of an unstored poll".into()))?;
    let mut new = checked(new)?;
    // An alias or another spelling of the same pollster is no change.
    if let Some(name) = pollsters::canonical(conn, &new.pollster).await? {
        new.pollster = name;
    }
    let changes = diff_polls(old, &new);
    if changes.is_empty() {
        return Ok((Vec::new(), Vec::new()));
    }
    // A source's own ids of the result sets, by place, to keep with the result sets rewritten.
    let ids = result_set_ids(conn, id).await?;
    let source_ids: Vec<(String, String, i64)> = sqlx::query_as(
        "SELECT s.scheme, s.key, s.result_set_id FROM source_result_set s
           JOIN result_set rs ON rs.id = s.result_set_id
          WHERE rs.poll_id = $1",
    )
    .bind(id)
    .fetch_all(&mut *conn)
    .await
    .map_err(db_err)?;
    // Deleting cascades to the poll's result sets, answers and links; the poll then goes back
    // in whole through the one write path that `add` and `import` use.
    sqlx::query("DELETE FROM poll WHERE id = $1")
        .bind(id)
        .execute(&mut *conn)
        .await
        .map_err(db_err)?;
    let entry = Stored {
        id,
        poll: &new,
        created_at: old.created_at.clone().unwrap_or_else(now),
        updated_at: now(),
    };
    let mut warnings = write_polls(conn, std::slice::from_ref(&entry)).await?;
    let new_ids = result_set_ids(conn, id).await?;
    for (scheme, key, old_id) in source_ids {
        let place = ids.iter().position(|i| *i == old_id);
        if let Some(new_id) = place.and_then(|p| new_ids.get(p)) {
            keep_result_set_id(conn, &scheme, &key, *new_id).await?;
        }
    }
    warnings.extend(validate_poll(&new, today()).1);
    let recorded = record(conn, About::Poll(id), action, &changes, Some(old)).await?;
    Ok((recorded, warnings))
}

/// Deletes the poll `id`, keeping its identity in `deleted_result` (what an import matches a
/// deleted poll by, so that it does not come back unasked) and a full copy in the history (a
/// `delete` row, the copy its old value). Returns the poll as it was and the history rows.
/// Errors: not found.
pub(in crate::db::postgres) async fn delete_one(
    conn: &mut PgConnection,
    id: i64,
) -> Result<(Poll, Vec<Change>)> {
    let old = load_one(conn, id).await?;
    let snapshot = serde_json::to_string(&old).map_err(|e| Error::storage(e.to_string(), e))?;
    sqlx::query("DELETE FROM poll WHERE id = $1")
        .bind(id)
        .execute(&mut *conn)
        .await
        .map_err(db_err)?;
    let recorded =
        record_changes(conn, id, "delete", &[("poll".into(), Some(snapshot), None)]).await?;
    let questions: Vec<&str> = old.results.iter().map(|r| r.question.as_str()).collect();
    let populations: Vec<&str> = old.results.iter().map(|r| r.population.as_str()).collect();
    sqlx::query(
        "INSERT INTO deleted_result (poll_id, pollster, field_start, field_end, published_on,
                                     question, population)
         SELECT $1, $2, $3, $4, $5, question, population
           FROM UNNEST($6::text[], $7::text[]) WITH ORDINALITY AS t(question, population, n)
          ORDER BY n",
    )
    .bind(id)
    .bind(old.pollster.as_str())
    .bind(old.field_start)
    .bind(old.field_end)
    .bind(old.published_on)
    .bind(&questions)
    .bind(&populations)
    .execute(&mut *conn)
    .await
    .map_err(db_err)?;
    Ok((old, recorded))
}

/// The ids of a poll's result sets, in their order.
pub(in crate::db::postgres) async fn result_set_ids(
    conn: &mut PgConnection,
    poll_id: i64,
) -> Result<Vec<i64>> {
    sqlx::query_scalar("SELECT id FROM result_set WHERE poll_id = $1 ORDER BY id")
        .bind(poll_id)
        .fetch_all(&mut *conn)
        .await
        .map_err(db_err)
}

/// Keeps a source's id of a result set (538's `question_id`) with the result set.
pub(in crate::db::postgres) async fn keep_result_set_id(
    conn: &mut PgConnection,
    scheme: &str,
    key: &str,
    result_set_id: i64,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO source_result_set (scheme, key, result_set_id) VALUES ($1, $2, $3)
         ON CONFLICT (scheme, key) DO UPDATE SET result_set_id = excluded.result_set_id",
    )
    .bind(scheme)
    .bind(key)
    .bind(result_set_id)
    .execute(&mut *conn)
    .await
    .map_err(db_err)?;
    Ok(())
}

/// Appends a change of the poll `poll_id` to the history, one row per field.
pub(in crate::db::postgres) async fn record_changes(
    conn: &mut PgConnection,
    poll_id: i64,
    action: &str,
    changes: &[FieldChange],
) -> Result<Vec<Change>> {
    record(conn, About::Poll(poll_id), action, changes, None).await
}
