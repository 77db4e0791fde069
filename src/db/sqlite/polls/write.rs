//! Writing polls: new ids, the one write path of add, edit and import, duplicates refused,
//! and the history of every change.

use super::load_one;
use crate::db::shared::polls::newly_identified;
use crate::db::sqlite::record::{self, About};
use crate::db::sqlite::{Tx, batch, db_err, now, pollsters, questions, sources};
use crate::error::{Error, Result};
use crate::model::{
    Change, FieldChange, MAX_POLL_ID, Poll, QuestionKind, Source, Warning, diff_polls, format_date,
    today, validate_poll,
};
use sqlx::sqlite::SqliteConnection;
use std::collections::{HashMap, HashSet};

/// Offers `kind`, given by the user, to each of these questions, once per question.
pub(in crate::db::sqlite) async fn offer_kind(
    tx: &mut Tx,
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
        warnings.extend(questions::offer_kind(tx, slug, offered).await?);
    }
    Ok(warnings)
}

pub(in crate::db::sqlite) use crate::db::shared::polls::{checked, duplicate};

/// Refuses a change of stored poll `old` into `new` when `new` repeats another stored poll and
/// `old` did not (see [`newly_identified`]).
pub(in crate::db::sqlite) async fn refuse_new_duplicate(
    tx: &mut Tx,
    old: &Poll,
    new: &Poll,
) -> Result<()> {
    let mut new = checked(new.clone())?;
    if let Some(name) = pollsters::canonical(tx, &new.pollster).await? {
        new.pollster = name;
    }
    let Some(probe) = newly_identified(old, new) else {
        return Ok(());
    };
    match find_duplicate(tx, &probe, old.id).await? {
        Some(existing) => Err(duplicate(existing)),
        None => Ok(()),
    }
}

/// A stored poll, other than `except`, that is the poll by the identity rule: the poll's
/// pollster and dates, one of its questions asked of the same population, and sponsors that
/// agree ([`crate::model::sponsors_agree`]).
pub(in crate::db::sqlite) async fn find_duplicate(
    conn: &mut SqliteConnection,
    poll: &Poll,
    except: Option<i64>,
) -> Result<Option<i64>> {
    let Some(pollster_id) = pollsters::find(conn, &poll.pollster).await? else {
        return Ok(None);
    };
    for result in &poll.results {
        let candidates: Vec<(i64, String)> = sqlx::query_as(
            "SELECT p.id,
                    (SELECT json_group_array(s.key) FROM poll_sponsor ps
                       JOIN sponsor s ON s.id = ps.sponsor_id WHERE ps.poll_id = p.id)
               FROM poll p
               JOIN result_set rs ON rs.poll_id = p.id
               JOIN question q ON q.id = rs.question_id
              WHERE p.pollster_id = $1 AND p.field_start IS NOT DISTINCT FROM $2 AND p.field_end IS NOT DISTINCT FROM $3
                AND p.published_on IS NOT DISTINCT FROM $4 AND q.slug = $5 AND rs.population = $6 COLLATE NOCASE
                AND p.id IS DISTINCT FROM $7
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
            let sponsors: Vec<String> =
                serde_json::from_str(&sponsors).map_err(|e| Error::storage(e.to_string(), e))?;
            if crate::model::sponsors_agree(&sponsors, &poll.sponsors) {
                return Ok(Some(id));
            }
        }
    }
    Ok(None)
}

/// Writes polls that are not stored yet, giving them the next free ids.
pub(in crate::db::sqlite) async fn write_new_polls(
    tx: &mut Tx,
    polls: &[Poll],
) -> Result<(Vec<i64>, Vec<Warning>)> {
    let ids = new_ids(tx, polls.len(), &HashSet::new()).await?;
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
    let warnings = write_polls(tx, &entries).await?;
    Ok((entries.iter().map(|e| e.id).collect(), warnings))
}

/// `n` ids for new polls, none of them in `exclude`: after the highest id stored, or, when no
/// room is left below [`MAX_POLL_ID`] (a file gave a poll the largest id), the lowest free ones.
/// The write lock is held (BEGIN IMMEDIATE), so nobody else can take these ids. A deleted poll's
/// id stays in the history, so it is never given to a new poll. Ids beyond the largest
/// polltrack gives (stored by an older version) are left out, so the next id never overflows.
pub(in crate::db::sqlite) async fn new_ids(
    conn: &mut SqliteConnection,
    n: usize,
    exclude: &HashSet<i64>,
) -> Result<Vec<i64>> {
    let first: i64 = sqlx::query_scalar(
        "SELECT max(coalesce((SELECT max(id) FROM poll WHERE id <= $1), 0),
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

/// Replaces a stored poll with `new` under the same id, and records what changed.
pub(in crate::db::sqlite) async fn rewrite_poll(
    tx: &mut Tx,
    old: &Poll,
    new: Poll,
) -> Result<(Vec<Change>, Vec<Warning>)> {
    rewrite_poll_as(tx, old, new, "edit").await
}

/// As [`rewrite_poll`], recording the change as `action` (an `edit`, or an `undo`).
pub(in crate::db::sqlite) async fn rewrite_poll_as(
    tx: &mut Tx,
    old: &Poll,
    new: Poll,
    action: &str,
) -> Result<(Vec<Change>, Vec<Warning>)> {
    let id = old
        .id
        .ok_or_else(|| Error::Failed("rewrite of an unstored poll".into()))?;
    let mut new = checked(new)?;
    // An alias or another spelling of the same pollster is no change.
    if let Some(name) = pollsters::canonical(tx, &new.pollster).await? {
        new.pollster = name;
    }

    let changes = diff_polls(old, &new);
    if changes.is_empty() {
        return Ok((Vec::new(), Vec::new()));
    }
    // The sources' ids of its result sets, by place, to keep with the result sets rewritten.
    let ids = result_set_ids(tx, id).await?;
    let source_ids: Vec<(String, String, i64)> = sqlx::query_as(
        "SELECT s.scheme, s.key, s.result_set_id FROM source_result_set s
           JOIN result_set rs ON rs.id = s.result_set_id
          WHERE rs.poll_id = $1",
    )
    .bind(id)
    .fetch_all(&mut **tx)
    .await
    .map_err(db_err)?;
    // Deleting cascades to the poll's result sets, answers and links; the poll then goes back
    // in whole through the one write path that `add` and `import` use.
    sqlx::query("DELETE FROM poll WHERE id = $1")
        .bind(id)
        .execute(&mut **tx)
        .await
        .map_err(db_err)?;
    let entry = Stored {
        id,
        poll: &new,
        created_at: old.created_at.clone().unwrap_or_else(now),
        updated_at: now(),
    };
    let mut warnings = write_polls(tx, std::slice::from_ref(&entry)).await?;
    let new_ids = result_set_ids(tx, id).await?;
    for (scheme, key, old_id) in source_ids {
        let place = ids.iter().position(|i| *i == old_id);
        if let Some(new_id) = place.and_then(|p| new_ids.get(p)) {
            keep_result_set_id(tx, &scheme, &key, *new_id).await?;
        }
    }
    warnings.extend(validate_poll(&new, today()).1);
    let recorded = record::record(tx, About::Poll(id), action, &changes, Some(old)).await?;
    Ok((recorded, warnings))
}

/// Deletes the stored poll `id`, keeping a full copy of it in the history (a `delete` row, the
/// copy its old value). Returns what was deleted, and the row recorded.
pub(in crate::db::sqlite) async fn delete_one(tx: &mut Tx, id: i64) -> Result<(Poll, Vec<Change>)> {
    let old = load_one(tx, id).await?;
    let snapshot = serde_json::to_string(&old).map_err(|e| Error::storage(e.to_string(), e))?;
    sqlx::query("DELETE FROM poll WHERE id = $1")
        .bind(id)
        .execute(&mut **tx)
        .await
        .map_err(db_err)?;
    let recorded =
        record_changes(tx, id, "delete", &[("poll".into(), Some(snapshot), None)]).await?;
    // What an import matches a deleted poll by, so that it does not come back unasked.
    for result in &old.results {
        sqlx::query(
            "INSERT INTO deleted_result (poll_id, pollster, field_start, field_end,
                                         published_on, question, population)
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(id)
        .bind(old.pollster.as_str())
        .bind(old.field_start.map(format_date))
        .bind(old.field_end.map(format_date))
        .bind(old.published_on.map(format_date))
        .bind(result.question.as_str())
        .bind(result.population.as_str())
        .execute(&mut **tx)
        .await
        .map_err(db_err)?;
    }
    Ok((old, recorded))
}

/// The ids of a poll's result sets, in their order.
pub(in crate::db::sqlite) async fn result_set_ids(tx: &mut Tx, poll_id: i64) -> Result<Vec<i64>> {
    sqlx::query_scalar("SELECT id FROM result_set WHERE poll_id = $1 ORDER BY id")
        .bind(poll_id)
        .fetch_all(&mut **tx)
        .await
        .map_err(db_err)
}

/// Keeps a source's id of a result set (538's `question_id`) with the result set.
pub(in crate::db::sqlite) async fn keep_result_set_id(
    tx: &mut Tx,
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
    .execute(&mut **tx)
    .await
    .map_err(db_err)?;
    Ok(())
}

/// Appends a change of the poll `poll_id` to the history, one row per field.
pub(in crate::db::sqlite) async fn record_changes(
    conn: &mut SqliteConnection,
    poll_id: i64,
    action: &str,
    changes: &[FieldChange],
) -> Result<Vec<Change>> {
    record::record(conn, About::Poll(poll_id), action, changes, None).await
}

/// A poll about to be written under a known id.
pub(in crate::db::sqlite) struct Stored<'a> {
    pub id: i64,
    pub poll: &'a Poll,
    pub created_at: String,
    pub updated_at: String,
}

/// Writes polls and everything they hold with multi-row inserts. Names are resolved to ids
/// (creating pollsters, sponsors, questions and sources that are new) once per distinct name.
pub(in crate::db::sqlite) async fn write_polls(
    tx: &mut Tx,
    entries: &[Stored<'_>],
) -> Result<Vec<Warning>> {
    let mut warnings = Vec::new();
    let mut pollster_ids: HashMap<&str, i64> = HashMap::new();
    let mut sponsor_ids: HashMap<&str, i64> = HashMap::new();
    let mut question_ids: HashMap<&str, i64> = HashMap::new();
    let all_sources: Vec<&Source> = entries.iter().flat_map(|e| &e.poll.sources).collect();
    let source_ids = sources::find_or_create_all(tx, &all_sources).await?;
    let mut next_result_id: i64 =
        sqlx::query_scalar("SELECT coalesce(max(id), 0) + 1 FROM result_set")
            .fetch_one(&mut **tx)
            .await
            .map_err(db_err)?;

    let mut poll_rows = Vec::with_capacity(entries.len());
    let mut sponsor_rows = Vec::new();
    let mut source_rows = Vec::new();
    let mut result_rows = Vec::new();
    let mut answer_rows = Vec::new();
    for entry in entries {
        let poll = entry.poll;
        let pollster_id = match pollster_ids.get(poll.pollster.as_str()) {
            Some(id) => *id,
            None => {
                let id = pollsters::find_or_create(tx, &poll.pollster).await?;
                *pollster_ids.entry(&poll.pollster).or_insert(id)
            }
        };
        poll_rows.push((entry, pollster_id));
        for (position, name) in poll.sponsors.iter().enumerate() {
            let sponsor_id = match sponsor_ids.get(name.as_str()) {
                Some(id) => *id,
                None => {
                    let id = pollsters::sponsor_find_or_create(tx, name).await?;
                    *sponsor_ids.entry(name).or_insert(id)
                }
            };
            sponsor_rows.push((entry.id, sponsor_id, position as i64));
        }
        for source in &poll.sources {
            if let Some(source_id) = source_ids.get(source) {
                source_rows.push((entry.id, *source_id));
            }
        }
        // The schema's poll_date rule, which `Poll::date` follows: copied to each result set.
        let poll_date = poll.date().map(format_date).unwrap_or_default();
        for result in &poll.results {
            let question_id = match question_ids.get(result.question.as_str()) {
                Some(id) => *id,
                None => {
                    let (id, warning) =
                        questions::find_or_create(tx, &result.question, result.wording.as_deref())
                            .await?;
                    warnings.extend(warning);
                    *question_ids.entry(&result.question).or_insert(id)
                }
            };
            let result_id = next_result_id;
            next_result_id += 1;
            result_rows.push((result_id, entry.id, question_id, result, poll_date.clone()));
            for (position, answer) in result.answers.iter().enumerate() {
                answer_rows.push((result_id, position as i64, answer));
            }
        }
    }

    let conn: &mut SqliteConnection = tx;
    let polls: Vec<_> = poll_rows
        .iter()
        .map(|(e, pollster_id)| {
            (
                e.id,
                pollster_id,
                e.poll.field_start.map(format_date),
                e.poll.field_end.map(format_date),
                e.poll.published_on.map(format_date),
                e.poll.mode.as_deref(),
                e.poll.region.as_deref(),
                i64::from(e.poll.partisan),
                i64::from(e.poll.tracking),
                i64::from(e.poll.election),
                e.poll.notes.as_deref(),
                e.created_at.as_str(),
                e.updated_at.as_str(),
            )
        })
        .collect();
    #[rustfmt::skip]
    let poll_columns = ["id", "pollster_id", "field_start", "field_end", "published_on", "mode",
        "region", "partisan", "tracking", "election", "notes", "created_at", "updated_at"];
    batch::insert(conn, "INSERT INTO poll", &poll_columns, &polls).await?;
    let sponsor_columns = ["poll_id", "sponsor_id", "position"];
    batch::insert_new(
        conn,
        "INSERT INTO poll_sponsor",
        &sponsor_columns,
        &sponsor_rows,
    )
    .await?;
    let source_columns = ["poll_id", "source_id"];
    batch::insert_new(
        conn,
        "INSERT INTO poll_source",
        &source_columns,
        &source_rows,
    )
    .await?;
    let results: Vec<_> = result_rows
        .iter()
        .map(|(id, poll_id, question_id, r, date)| {
            (
                id,
                poll_id,
                question_id,
                &r.population,
                r.sample_size,
                r.margin_of_error,
                date,
            )
        })
        .collect();
    #[rustfmt::skip]
    let result_columns = ["id", "poll_id", "question_id", "population", "sample_size",
        "margin_of_error", "poll_date"];
    batch::insert(conn, "INSERT INTO result_set", &result_columns, &results).await?;
    let answers: Vec<_> = answer_rows
        .iter()
        .map(|(result_id, position, a)| (result_id, position, &a.label, a.pct))
        .collect();
    let answer_columns = ["result_set_id", "position", "label", "pct"];
    batch::insert(conn, "INSERT INTO answer", &answer_columns, &answers).await?;
    Ok(warnings)
}
