//! Writing and reading polls with their result sets, answers, sponsors and sources.

use super::{SqliteStore, Tx, batch, commit, db_err, now, pollsters, questions, sources};
use crate::db::{AddOutcome, PollStore};
use crate::error::{Error, Result};
use crate::model::{
    Answer, Change, FieldChange, MAX_POLL_ID, Poll, PollFilter, QuestionKind, ResultSet, Source,
    Warning, diff_polls, format_date, name_key, normalize_poll, normalize_population, today,
    validate_poll,
};
use chrono::NaiveDate;
use sqlx::AssertSqlSafe;
use sqlx::Sqlite;
use sqlx::sqlite::{SqliteArguments, SqliteConnection};
use std::collections::{HashMap, HashSet};

impl PollStore for SqliteStore {
    /// Records one poll. A poll that repeats a stored one (same pollster, dates, question and
    /// population) is refused with the stored poll's id unless `allow_duplicate`.
    async fn add_poll(&self, poll: &Poll, allow_duplicate: bool) -> Result<AddOutcome> {
        self.add_poll_of_kind(poll, allow_duplicate, None).await
    }

    /// As [`SqliteStore::add_poll`], giving the poll's questions `kind` where they have none (a new
    /// question, or one stored before kinds were known); another kind stored stays, with a
    /// warning.
    async fn add_poll_of_kind(
        &self,
        poll: &Poll,
        allow_duplicate: bool,
        kind: Option<QuestionKind>,
    ) -> Result<AddOutcome> {
        let poll = checked(poll.clone())?;
        let mut tx = self.write().await?;
        if !allow_duplicate && let Some(existing) = find_duplicate(&mut tx, &poll, None).await? {
            return Err(duplicate(existing));
        }
        let (ids, mut warnings) = write_new_polls(&mut tx, std::slice::from_ref(&poll)).await?;
        let slugs = poll.results.iter().map(|r| r.question.as_str());
        warnings.extend(offer_kind(&mut tx, slugs, kind).await?);
        commit(self, tx).await?;
        warnings.extend(validate_poll(&poll, today()).1);
        Ok(AddOutcome {
            id: ids[0],
            warnings,
        })
    }

    /// The bulk path: records many polls in one transaction, all or none. Each poll must pass
    /// validation; no duplicate check is made. Returns the new ids in order.
    async fn insert_polls(&self, polls: &[Poll]) -> Result<(Vec<i64>, Vec<Warning>)> {
        let polls = polls
            .iter()
            .cloned()
            .map(checked)
            .collect::<Result<Vec<_>>>()?;
        let mut tx = self.write().await?;
        let outcome = write_new_polls(&mut tx, &polls).await?;
        commit(self, tx).await?;
        Ok(outcome)
    }

    /// Adds further questions or populations (and sources) to a stored poll.
    async fn add_results(
        &self,
        id: i64,
        results: Vec<ResultSet>,
        sources: Vec<Source>,
    ) -> Result<AddOutcome> {
        self.add_results_of_kind(id, results, sources, None, false)
            .await
    }

    /// As [`SqliteStore::add_results`], giving the questions `kind` as [`SqliteStore::add_poll_of_kind`] does. A
    /// question and population that would make the poll repeat another stored poll is refused
    /// as `add` refuses a duplicate, unless `allow_duplicate`.
    async fn add_results_of_kind(
        &self,
        id: i64,
        results: Vec<ResultSet>,
        sources: Vec<Source>,
        kind: Option<QuestionKind>,
        allow_duplicate: bool,
    ) -> Result<AddOutcome> {
        let mut tx = self.write().await?;
        let slugs: Vec<String> = results.iter().map(|r| r.question.trim().into()).collect();
        let old = load_one(&mut tx, id).await?;
        let mut new = old.clone();
        for result in results {
            // Compared as stored: `likely voters` is the stored `lv`.
            let population = normalize_population(&result.population);
            let clash = new.results.iter().any(|r| {
                r.question == result.question.trim()
                    && r.population.eq_ignore_ascii_case(&population)
            });
            if clash {
                return Err(Error::conflict_with(
                    id,
                    format!(
                        "poll {id} already has question {} for population {population}: change \
                         it with `polltrack edit {id}`",
                        result.question.trim(),
                    ),
                ));
            }
            new.results.push(result);
        }
        new.sources.extend(sources);
        if !allow_duplicate {
            refuse_new_duplicate(&mut tx, &old, &new).await?;
        }
        let mut warnings = rewrite_poll(&mut tx, &old, new).await?.1;
        warnings.extend(offer_kind(&mut tx, slugs.iter().map(String::as_str), kind).await?);
        commit(self, tx).await?;
        Ok(AddOutcome { id, warnings })
    }

    /// Replaces a stored poll's content with `new`, recording each changed field in the history.
    /// An edit that would make the poll repeat another stored poll (what `add` refuses) is
    /// refused the same way.
    async fn update_poll(&self, id: i64, new: &Poll) -> Result<(Vec<Change>, Vec<Warning>)> {
        self.edit_poll(id, new, false).await
    }

    /// As [`SqliteStore::update_poll`]; with `allow_duplicate`, a poll repeating another is stored too.
    async fn edit_poll(
        &self,
        id: i64,
        new: &Poll,
        allow_duplicate: bool,
    ) -> Result<(Vec<Change>, Vec<Warning>)> {
        let mut tx = self.write().await?;
        let old = load_one(&mut tx, id).await?;
        if !allow_duplicate {
            refuse_new_duplicate(&mut tx, &old, new).await?;
        }
        let outcome = rewrite_poll(&mut tx, &old, new.clone()).await?;
        commit(self, tx).await?;
        Ok(outcome)
    }

    /// Deletes a poll, keeping a full copy of it in the history. Returns what was deleted.
    async fn delete_poll(&self, id: i64) -> Result<Poll> {
        let mut tx = self.write().await?;
        let old = load_one(&mut tx, id).await?;
        let snapshot = serde_json::to_string(&old).map_err(|e| Error::storage(e.to_string(), e))?;
        sqlx::query("DELETE FROM poll WHERE id = ?")
            .bind(id)
            .execute(&mut *tx)
            .await
            .map_err(|e| self.err(e))?;
        record_changes(
            &mut tx,
            id,
            "delete",
            &[("poll".into(), Some(snapshot), None)],
        )
        .await?;
        // What an import matches a deleted poll by, so that it does not come back unasked.
        for result in &old.results {
            sqlx::query(
                "INSERT INTO deleted_result (poll_id, pollster, field_start, field_end,
                                             published_on, question, population)
                 VALUES (?, ?, ?, ?, ?, ?, ?)",
            )
            .bind(id)
            .bind(old.pollster.as_str())
            .bind(old.field_start.map(format_date))
            .bind(old.field_end.map(format_date))
            .bind(old.published_on.map(format_date))
            .bind(result.question.as_str())
            .bind(result.population.as_str())
            .execute(&mut *tx)
            .await
            .map_err(|e| self.err(e))?;
        }
        commit(self, tx).await?;
        Ok(old)
    }

    async fn get_poll(&self, id: i64) -> Result<Poll> {
        let mut tx = self.read().await?;
        load_one(&mut tx, id).await
    }

    /// Polls matching `filter`, by date; each holds only the result sets the filter selects.
    async fn list_polls(&self, filter: &PollFilter) -> Result<Vec<Poll>> {
        let mut tx = self.read().await?;
        load_polls(&mut tx, Selection::Filter(filter)).await
    }

    /// The polls [`SqliteStore::list_polls`] gives, in the same order, a page of at most
    /// [`LIST_PAGE_POLLS`] at a time, so memory does not grow with the database: only the
    /// matching polls' ids (8 bytes each) are held throughout. `passes` times over, on one
    /// snapshot of the database (a table sized on a first pass, printed on a second); `each`
    /// is given the pass and the page.
    async fn list_polls_in_pages(
        &self,
        filter: &PollFilter,
        passes: usize,
        mut each: impl FnMut(usize, Vec<Poll>) -> Result<()>,
    ) -> Result<()> {
        let mut tx = self.read().await?;
        let Parts {
            from,
            where_clause,
            binds,
            ..
        } = parts(&mut tx, Selection::Filter(filter)).await?;
        let sql = format!(
            "SELECT json_group_array(id) FROM
                (SELECT DISTINCT p.id, p.poll_date FROM {from} {where_clause}
                  ORDER BY p.poll_date, p.id)"
        );
        let query = bind_all(sqlx::query_scalar::<_, String>(AssertSqlSafe(sql)), binds);
        let json = query.fetch_one(&mut *tx).await.map_err(|e| self.err(e))?;
        let ids: Vec<i64> = serde_json::from_str(&json)
            .map_err(|e| Error::storage(format!("database: unreadable poll ids: {e}"), e))?;
        drop(json);
        for pass in 0..passes {
            for page in ids.chunks(LIST_PAGE_POLLS) {
                let selection = Selection::FilterIds { filter, ids: page };
                each(pass, load_polls(&mut tx, selection).await?)?;
            }
        }
        Ok(())
    }
}

/// The polls in a page of [`SqliteStore::list_polls_in_pages`].
pub const LIST_PAGE_POLLS: usize = 5_000;

/// Offers `kind`, given by the user, to each of these questions, once per question.
async fn offer_kind(
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

/// Normalises a poll and refuses it, naming every problem, if it breaks a rule.
pub(super) fn checked(mut poll: Poll) -> Result<Poll> {
    normalize_poll(&mut poll);
    let (problems, _) = validate_poll(&poll, today());
    if problems.is_empty() {
        Ok(poll)
    } else {
        let list: Vec<String> = problems.iter().map(|p| p.message.clone()).collect();
        Err(Error::invalid_all(list))
    }
}

/// A poll that repeats the stored poll `existing`: what `add` and `edit` refuse.
fn duplicate(existing: i64) -> Error {
    Error::conflict_with(
        existing,
        format!(
            "this poll is stored already as poll {existing} (same pollster, dates, question and \
         population): see `polltrack show {existing}`, or pass --allow-duplicate to record it \
         again"
        ),
    )
}

/// Refuses a change of stored poll `old` into `new` when `new` repeats another stored poll and
/// `old` did not: a correction must not turn a poll into a copy of another. A poll stored as a
/// duplicate on purpose (`--allow-duplicate`) stays editable in everything else.
async fn refuse_new_duplicate(tx: &mut Tx, old: &Poll, new: &Poll) -> Result<()> {
    let mut new = checked(new.clone())?;
    if let Some(name) = pollsters::canonical(tx, &new.pollster).await? {
        new.pollster = name;
    }
    let identities = |p: &Poll| -> Vec<(String, String)> {
        p.results
            .iter()
            .map(|r| (r.question.clone(), r.population.to_lowercase()))
            .collect()
    };
    let sponsor_keys = |p: &Poll| {
        let mut keys: Vec<String> = p.sponsors.iter().map(|s| name_key(s)).collect();
        keys.sort();
        keys
    };
    let same_poll_details = name_key(&old.pollster) == name_key(&new.pollster)
        && (old.field_start, old.field_end, old.published_on)
            == (new.field_start, new.field_end, new.published_on)
        && sponsor_keys(old) == sponsor_keys(&new);
    let old_identities = identities(old);
    let added: Vec<ResultSet> = new
        .results
        .iter()
        .filter(|r| {
            !same_poll_details
                || !old_identities.contains(&(r.question.clone(), r.population.to_lowercase()))
        })
        .cloned()
        .collect();
    if added.is_empty() {
        return Ok(());
    }
    let probe = Poll {
        results: added,
        ..new
    };
    match find_duplicate(tx, &probe, old.id).await? {
        Some(existing) => Err(duplicate(existing)),
        None => Ok(()),
    }
}

/// A stored poll, other than `except`, that is the poll by the identity rule: the poll's
/// pollster and dates, one of its questions asked of the same population, and sponsors that
/// agree ([`crate::model::sponsors_agree`]).
async fn find_duplicate(
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
              WHERE p.pollster_id = ? AND p.field_start IS ? AND p.field_end IS ?
                AND p.published_on IS ? AND q.slug = ? AND rs.population = ? COLLATE NOCASE
                AND p.id IS NOT ?
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
async fn write_new_polls(tx: &mut Tx, polls: &[Poll]) -> Result<(Vec<i64>, Vec<Warning>)> {
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
pub(super) async fn new_ids(
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
    let mut ids = Vec::with_capacity(n);
    let mut next = first;
    while ids.len() < n && next <= MAX_POLL_ID {
        if !exclude.contains(&next) {
            ids.push(next);
        }
        next += 1;
    }
    if ids.len() < n {
        let used: HashSet<i64> =
            sqlx::query_scalar("SELECT id FROM poll UNION SELECT poll_id FROM change")
                .fetch_all(&mut *conn)
                .await
                .map_err(db_err)?
                .into_iter()
                .collect();
        let mut candidate = 1;
        while ids.len() < n {
            if candidate > MAX_POLL_ID {
                return Err(Error::Failed(format!(
                    "no poll ids are left (the largest is {MAX_POLL_ID})"
                )));
            }
            if !used.contains(&candidate)
                && !exclude.contains(&candidate)
                && !ids.contains(&candidate)
            {
                ids.push(candidate);
            }
            candidate += 1;
        }
    }
    Ok(ids)
}

/// Replaces a stored poll with `new` under the same id, and records what changed.
pub(super) async fn rewrite_poll(
    tx: &mut Tx,
    old: &Poll,
    new: Poll,
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
          WHERE rs.poll_id = ?",
    )
    .bind(id)
    .fetch_all(&mut **tx)
    .await
    .map_err(db_err)?;
    // Deleting cascades to the poll's result sets, answers and links; the poll then goes back
    // in whole through the one write path that `add` and `import` use.
    sqlx::query("DELETE FROM poll WHERE id = ?")
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
    let recorded = record_changes(tx, id, "edit", &changes).await?;
    Ok((recorded, warnings))
}

/// The ids of a poll's result sets, in their order.
pub(super) async fn result_set_ids(tx: &mut Tx, poll_id: i64) -> Result<Vec<i64>> {
    sqlx::query_scalar("SELECT id FROM result_set WHERE poll_id = ? ORDER BY id")
        .bind(poll_id)
        .fetch_all(&mut **tx)
        .await
        .map_err(db_err)
}

/// Keeps a source's id of a result set (538's `question_id`) with the result set.
pub(super) async fn keep_result_set_id(
    tx: &mut Tx,
    scheme: &str,
    key: &str,
    result_set_id: i64,
) -> Result<()> {
    sqlx::query(
        "INSERT OR REPLACE INTO source_result_set (scheme, key, result_set_id) VALUES (?, ?, ?)",
    )
    .bind(scheme)
    .bind(key)
    .bind(result_set_id)
    .execute(&mut **tx)
    .await
    .map_err(db_err)?;
    Ok(())
}

/// Appends rows to the history.
pub(super) async fn record_changes(
    conn: &mut SqliteConnection,
    poll_id: i64,
    action: &str,
    changes: &[FieldChange],
) -> Result<Vec<Change>> {
    let changed_at = now();
    let mut recorded = Vec::with_capacity(changes.len());
    for (field, old_value, new_value) in changes {
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO change (poll_id, changed_at, action, field, old_value, new_value)
             VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
        )
        .bind(poll_id)
        .bind(changed_at.as_str())
        .bind(action)
        .bind(field.as_str())
        .bind(old_value.as_deref())
        .bind(new_value.as_deref())
        .fetch_one(&mut *conn)
        .await
        .map_err(db_err)?;
        recorded.push(Change {
            id,
            poll_id,
            changed_at: changed_at.clone(),
            action: action.to_string(),
            field: field.clone(),
            old_value: old_value.clone(),
            new_value: new_value.clone(),
        });
    }
    Ok(recorded)
}

/// A poll about to be written under a known id.
pub(super) struct Stored<'a> {
    pub id: i64,
    pub poll: &'a Poll,
    pub created_at: String,
    pub updated_at: String,
}

/// Writes polls and everything they hold with multi-row inserts. Names are resolved to ids
/// (creating pollsters, sponsors, questions and sources that are new) once per distinct name.
pub(super) async fn write_polls(tx: &mut Tx, entries: &[Stored<'_>]) -> Result<Vec<Warning>> {
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
                e.poll.notes.as_deref(),
                e.created_at.as_str(),
                e.updated_at.as_str(),
            )
        })
        .collect();
    #[rustfmt::skip]
    let poll_columns = ["id", "pollster_id", "field_start", "field_end", "published_on", "mode",
        "region", "partisan", "tracking", "notes", "created_at", "updated_at"];
    batch::insert(conn, "INSERT INTO poll", &poll_columns, &polls).await?;
    let sponsor_columns = ["poll_id", "sponsor_id", "position"];
    batch::insert(
        conn,
        "INSERT OR IGNORE INTO poll_sponsor",
        &sponsor_columns,
        &sponsor_rows,
    )
    .await?;
    let source_columns = ["poll_id", "source_id"];
    batch::insert(
        conn,
        "INSERT OR IGNORE INTO poll_source",
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

/// Which polls to load.
pub(super) enum Selection<'a> {
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
struct Parts {
    from: &'static str,
    where_clause: String,
    order: &'static str,
    binds: Vec<BindValue>,
}

pub(super) async fn load_one(conn: &mut SqliteConnection, id: i64) -> Result<Poll> {
    load_polls(conn, Selection::Id(id))
        .await?
        .pop()
        .ok_or_else(|| {
            Error::not_found(format!(
                "there is no poll {id}: `polltrack list` shows the stored polls and their ids"
            ))
        })
}

/// Loads the selected polls, each with the result sets the selection covers.
pub(super) async fn load_polls(
    conn: &mut SqliteConnection,
    selection: Selection<'_>,
) -> Result<Vec<Poll>> {
    parse_polls(&load_polls_json(conn, selection).await?)
}

async fn parts(conn: &mut SqliteConnection, selection: Selection<'_>) -> Result<Parts> {
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
        }
    }
    let where_clause = if conditions.is_empty() {
        String::new()
    } else {
        format!("WHERE {}", conditions.join(" AND "))
    };
    Ok(Parts {
        from,
        where_clause,
        order,
        binds,
    })
}

fn bind_all<'q, O>(
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
pub(super) async fn page_end(
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
pub(super) async fn load_polls_json(
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
                    tracking, notes, created_at, updated_at, slug, wording, population,
                    iif(sample_size IS NULL, NULL, printf('%!.17g', sample_size)),
                    iif(margin_of_error IS NULL, NULL, printf('%!.17g', margin_of_error)),
                    json(answers), json(sponsors), json(sources)))
           FROM (
         SELECT p.id, pr.name AS pollster, p.field_start, p.field_end, p.published_on, p.mode,
                p.region, p.partisan, p.tracking, p.notes, p.created_at, p.updated_at, q.slug,
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
pub fn parse_polls(json: &str) -> Result<Vec<Poll>> {
    let rows: Vec<StoredRow> = serde_json::from_str(json)
        .map_err(|e| Error::storage(format!("database: unreadable polls: {e}"), e))?;
    let number = |text: Option<String>| -> Result<Option<f64>> {
        text.map(|t| {
            t.parse()
                .map_err(|_| Error::Failed(format!("database: bad number {t}")))
        })
        .transpose()
    };
    let mut polls: Vec<Poll> = Vec::new();
    for row in rows {
        if polls.last().and_then(|p| p.id) != Some(row.0) {
            polls.push(Poll {
                id: Some(row.0),
                pollster: row.1,
                sponsors: row.18,
                field_start: row.2,
                field_end: row.3,
                published_on: row.4,
                mode: row.5,
                region: row.6,
                partisan: row.7 != 0,
                tracking: row.8 != 0,
                notes: row.9,
                results: Vec::new(),
                sources: row
                    .19
                    .into_iter()
                    .map(|(id, url, title, outlet, published_on)| Source {
                        id: Some(id),
                        url,
                        title,
                        outlet,
                        published_on,
                    })
                    .collect(),
                created_at: Some(row.10),
                updated_at: Some(row.11),
            });
        }
        let answers = row
            .17
            .into_iter()
            .map(|(label, pct)| {
                Ok(Answer {
                    label,
                    pct: number(Some(pct))?.unwrap_or_default(),
                })
            })
            .collect::<Result<Vec<Answer>>>()?;
        if let Some(poll) = polls.last_mut() {
            poll.results.push(ResultSet {
                question: row.12,
                wording: Some(row.13),
                population: row.14,
                sample_size: number(row.15)?,
                margin_of_error: number(row.16)?,
                answers,
            });
        }
    }
    Ok(polls)
}

/// A source as [`load_polls`]'s query writes it: id, URL, title, outlet, publication date.
type StoredSource = (
    i64,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<NaiveDate>,
);

/// One result set as [`load_polls`]'s query writes it.
#[derive(serde::Deserialize)]
struct StoredRow(
    i64,
    String,
    Option<NaiveDate>,
    Option<NaiveDate>,
    Option<NaiveDate>,
    Option<String>,
    Option<String>,
    i64,
    i64,
    Option<String>,
    String,
    String,
    String,
    String,
    String,
    Option<String>,
    Option<String>,
    Vec<(String, String)>,
    Vec<String>,
    Vec<StoredSource>,
);

/// A value for a dynamically built query.
enum BindValue {
    Int(i64),
    Text(String),
    Date(NaiveDate),
}

/// A list bound as one JSON array, read in SQL with `json_each`.
pub(super) fn json_list<T: serde::Serialize>(items: &[T]) -> String {
    serde_json::to_string(items).unwrap_or_else(|_| "[]".into())
}
