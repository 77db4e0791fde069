//! Importing many polls in one transaction: new polls are added, polls stored already are
//! recognised (same pollster, dates, question and population; or a population corrected; or
//! the source's own stable id) and either left alone when their numbers agree or handled by the
//! conflict policy when they do not. Polls matching a deleted one are left out unless asked
//! for, and a poll repeating an earlier poll of the same file is that poll again.

use super::polls::{Selection, Stored, load_polls, new_ids, rewrite_poll, write_polls};
use super::{SqliteStore, Tx, commit, db_err, now, polls::json_list, pollsters};
use crate::db::{FileGives, ImportSession, ImportStore, Incoming, OnConflict, Outcome};
use crate::error::{Error, Result};
use crate::model::{
    FieldChange, Poll, QuestionKind, ResultSet, Warning, diff_polls, name_key, parse_date,
};
use chrono::NaiveDate;
use rustc_hash::{FxHashMap, FxHashSet, FxHasher};
use std::collections::{HashMap, HashSet, VecDeque};
use std::hash::{Hash, Hasher};

/// A stored result set's identity. The population is left out: a poll that gives another
/// population for the same question may be a correction of it (see [`same_identity`]).
#[derive(sqlx::FromRow)]
struct IdentityRow {
    pollster_key: String,
    field_start: Option<String>,
    field_end: Option<String>,
    published_on: Option<String>,
    question: String,
    poll_id: i64,
    result_set_id: i64,
}

/// Stored identities are read this many result sets at a time, so that only their hashes,
/// not their text, are held for the whole database.
const IDENTITY_PAGE: i64 = 20_000;

/// An import under way: one write transaction, committed by [`ImportSession::commit`] and rolled
/// back if dropped.
pub struct SqliteImporter<'a> {
    db: &'a SqliteStore,
    tx: Tx,
    on_conflict: OnConflict,
    /// Identity (pollster, dates, question, population) → polls, for every stored poll and
    /// every poll added so far. Hashes keep it small; a match is confirmed on the poll itself.
    identities: FxHashMap<u64, PollIds>,
    /// Pollster names (keyed) → the key of the stored pollster they stand for.
    pollster_keys: HashMap<String, String>,
    /// Question slugs stored, or added by this import.
    questions: HashSet<String>,
    /// Which of the fields a file may leave out it has columns for.
    file_gives: FileGives,
    /// Polls this import added: never taken for stored polls; a later poll of the file that
    /// repeats one is told apart as a repeat (see `SqliteImporter::repeat`).
    added: FxHashSet<i64>,
    /// Polls this import added that the file gave a key of its own.
    keyed: FxHashSet<i64>,
    /// Stored polls a poll of this file was matched to: the first such poll of the file as it
    /// gave it, and whether the file keyed it. A later poll of the file matching the same
    /// stored poll repeats that poll of the file (see `SqliteImporter::repeat_of_matched`).
    matched: FxHashMap<i64, (Poll, bool)>,
    warnings: Vec<Warning>,
    /// The kind to give the file's questions that have none.
    kind: Option<super::questions::OfferedKind>,
    /// Questions offered the kind already, so each is offered (and warned about) once.
    offered: HashSet<String>,
    /// The scheme of the file's own stable poll ids (`538`, `column NAME`), when it has them:
    /// a poll whose id is stored is matched by it, whatever else changed.
    id_scheme: Option<String>,
    /// Deleted polls, by identity (as `identities`), and what each was.
    deleted_identities: FxHashMap<u64, PollIds>,
    deleted: HashMap<i64, DeletedPoll>,
    /// Whether a poll matching a deleted one is added again (under its old id).
    restore_deleted: bool,
}

/// What an import matches a deleted poll by.
struct DeletedPoll {
    pollster_key: String,
    dates: [Option<NaiveDate>; 3],
    /// Its questions and populations (ASCII lower case).
    asked: HashSet<(String, String)>,
}

/// A deleted result set as stored.
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

impl ImportStore for SqliteStore {
    type Importer<'a> = SqliteImporter<'a>;

    /// Starts an import. It holds the write lock until committed or dropped.
    async fn importer(&self, on_conflict: OnConflict) -> Result<SqliteImporter<'_>> {
        let mut tx = self.write().await?;
        let mut identities: FxHashMap<u64, PollIds> = FxHashMap::default();
        // CROSS JOIN keeps result_set outermost, so each page is a range of its primary key;
        // the planner would otherwise start from the questions and sort every page.
        let mut after = 0;
        loop {
            let rows: Vec<IdentityRow> = sqlx::query_as(
                "SELECT pr.key AS pollster_key, p.field_start, p.field_end, p.published_on,
                        q.slug AS question, p.id AS poll_id, rs.id AS result_set_id
                   FROM result_set rs
                   CROSS JOIN poll p ON p.id = rs.poll_id
                   CROSS JOIN pollster pr ON pr.id = p.pollster_id
                   CROSS JOIN question q ON q.id = rs.question_id
                  WHERE rs.id > $1
                  ORDER BY rs.id
                  LIMIT $2",
            )
            .bind(after)
            .bind(IDENTITY_PAGE)
            .fetch_all(&mut *tx)
            .await
            .map_err(|e| self.err(e))?;
            let full = rows.len() as i64 == IDENTITY_PAGE;
            for row in rows {
                // The schema's CHECKs keep stored dates well formed.
                let dates = [row.field_start, row.field_end, row.published_on]
                    .map(|d| d.and_then(|d| parse_date(&d).ok()));
                let key = identity(&row.pollster_key, dates, &row.question);
                PollIds::add(&mut identities, key, row.poll_id);
                after = row.result_set_id;
            }
            if !full {
                break;
            }
        }
        let questions: Vec<String> = sqlx::query_scalar("SELECT slug FROM question")
            .fetch_all(&mut *tx)
            .await
            .map_err(|e| self.err(e))?;
        let deleted_rows: Vec<DeletedRow> = sqlx::query_as(
            "SELECT poll_id, pollster, field_start, field_end, published_on, question, population
               FROM deleted_result ORDER BY poll_id",
        )
        .fetch_all(&mut *tx)
        .await
        .map_err(|e| self.err(e))?;
        let mut importer = SqliteImporter {
            db: self,
            tx,
            on_conflict,
            identities,
            pollster_keys: HashMap::new(),
            questions: questions.into_iter().collect(),
            added: FxHashSet::default(),
            keyed: FxHashSet::default(),
            matched: FxHashMap::default(),
            file_gives: FileGives::default(),
            warnings: Vec::new(),
            kind: None,
            offered: HashSet::new(),
            id_scheme: None,
            deleted_identities: FxHashMap::default(),
            deleted: HashMap::new(),
            restore_deleted: false,
        };
        for row in deleted_rows {
            let (id, question, population) = (row.poll_id, row.question, row.population);
            let pollster_key = importer.pollster_key(&row.pollster).await?;
            let dates = [row.field_start, row.field_end, row.published_on]
                .map(|d| d.and_then(|d| parse_date(&d).ok()));
            let key = identity(&pollster_key, dates, &question);
            PollIds::add(&mut importer.deleted_identities, key, id);
            importer
                .deleted
                .entry(id)
                .or_insert_with(|| DeletedPoll {
                    pollster_key,
                    dates,
                    asked: HashSet::new(),
                })
                .asked
                .insert((question, population.to_ascii_lowercase()));
        }
        Ok(importer)
    }
}

impl SqliteImporter<'_> {
    /// An earlier poll of this file that the poll repeats (same pollster, dates, sponsors and a
    /// question asked of the same population), among the polls of this batch waiting to be
    /// written and those this import wrote before. With the same numbers the poll's sources go
    /// to the earlier one; with others the poll is refused. A poll of this batch is named by
    /// its place in `new` as `-(place + 1)` until written.
    async fn repeat(
        &mut self,
        keys: &[u64],
        poll: &Poll,
        new: &mut [New],
        pending_keys: &FxHashMap<u64, Vec<usize>>,
    ) -> Result<Option<Outcome>> {
        let pollster = self.pollster_key(&poll.pollster).await?;
        let asked: HashSet<(String, String)> = poll.results.iter().map(result_place).collect();
        // Within one file the sponsors are written the same way each time: a poll naming none
        // beside one naming its sponsor are two polls (538 lists a firm's own poll beside the
        // one it ran for a client on the same days).
        let sponsors = |p: &Poll| {
            let mut keys: Vec<String> = p.sponsors.iter().map(|s| name_key(s)).collect();
            keys.sort();
            keys
        };
        let repeats = |old: &Poll| {
            same_identity(old, poll, &pollster, false)
                && sponsors(old) == sponsors(poll)
                && old.results.iter().any(|o| asked.contains(&result_place(o)))
        };
        let mut places: Vec<usize> = keys
            .iter()
            .filter_map(|k| pending_keys.get(k))
            .flatten()
            .copied()
            .collect();
        places.sort_unstable();
        places.dedup();
        for place in places {
            let waiting = &mut new[place];
            if waiting.keyed {
                continue;
            }
            let mut earlier = waiting.poll.clone();
            earlier.pollster = self.pollster_key(&earlier.pollster).await?;
            if !repeats(&earlier) {
                continue;
            }
            let given = self.as_given(&waiting.poll, poll.clone());
            let differences = differences(&waiting.poll, &given);
            let place = -(place as i64) - 1;
            if !differences.is_empty() {
                return Ok(Some(Outcome::RepeatedOther(place, differences)));
            }
            let sources: Vec<_> = given
                .sources
                .iter()
                .filter(|s| !has_source(&waiting.poll, s))
                .cloned()
                .collect();
            waiting.poll.sources.extend(sources);
            return Ok(Some(Outcome::Repeated(place)));
        }
        let written: Vec<i64> = keys
            .iter()
            .filter_map(|k| self.identities.get(k))
            .flat_map(PollIds::as_slice)
            .copied()
            .filter(|id| self.added.contains(id) && !self.keyed.contains(id))
            .collect();
        if written.is_empty() {
            return Ok(None);
        }
        for old in load_polls(&mut self.tx, Selection::Ids(&written)).await? {
            let mut keyed_old = old.clone();
            keyed_old.pollster = name_key(&old.pollster);
            if !repeats(&keyed_old) {
                continue;
            }
            let given = self.as_given(&old, poll.clone());
            let differences = differences(&old, &given);
            let id = old.id.unwrap_or_default();
            if !differences.is_empty() {
                return Ok(Some(Outcome::RepeatedOther(id, differences)));
            }
            self.link_new_sources(&old, &given).await?;
            return Ok(Some(Outcome::Repeated(id)));
        }
        Ok(None)
    }

    /// Keeps the stored poll a poll of the file was matched to, with the file's poll.
    fn remember_match(&mut self, outcome: &Outcome, poll: Poll, keyed: bool) {
        if let Outcome::Unchanged(id)
        | Outcome::Conflict(id, _)
        | Outcome::Replaced(id)
        | Outcome::Skipped(id) = outcome
        {
            self.matched.entry(*id).or_insert((poll, keyed));
        }
    }

    /// A poll of the file matching a stored poll that an earlier poll of the file, unkeyed as
    /// this one, was matched to already (same pollster, dates, sponsors and a question asked of
    /// the same population as that earlier poll): the file's repeat of that poll, whatever is
    /// stored. With the same numbers as the earlier poll its sources go to the stored poll;
    /// with others only one can be right, and it is refused, naming the stored poll.
    async fn repeat_of_matched(&mut self, stored: &[Poll], poll: &Poll) -> Result<Option<Outcome>> {
        let pollster = self.pollster_key(&poll.pollster).await?;
        let sponsors = |p: &Poll| {
            let mut keys: Vec<String> = p.sponsors.iter().map(|s| name_key(s)).collect();
            keys.sort();
            keys
        };
        for old in stored {
            let Some(id) = old.id else { continue };
            let Some((earlier, false)) = self.matched.get(&id).cloned() else {
                continue;
            };
            let mut keyed_earlier = earlier.clone();
            keyed_earlier.pollster = self.pollster_key(&earlier.pollster).await?;
            if !same_identity(&keyed_earlier, poll, &pollster, false)
                || sponsors(&earlier) != sponsors(poll)
            {
                continue;
            }
            let given = self.as_given(&earlier, poll.clone());
            let differences = differences(&earlier, &given);
            if !differences.is_empty() {
                return Ok(Some(Outcome::RepeatedOther(id, differences)));
            }
            let current = load_polls(&mut self.tx, Selection::Ids(&[id])).await?;
            if let Some(current) = current.first() {
                let given = self.as_given(current, poll.clone());
                self.link_new_sources(current, &given).await?;
            }
            return Ok(Some(Outcome::Repeated(id)));
        }
        Ok(None)
    }

    /// The deleted poll the file's poll is, by its source's id, else by identity (pollster,
    /// dates, and a question asked of the same population).
    fn deleted_match(
        &self,
        keys: &[u64],
        poll: &Poll,
        file_key: Option<&str>,
        known: &HashMap<String, i64>,
    ) -> Option<i64> {
        if let Some(id) = file_key.and_then(|k| known.get(k))
            && self.deleted.contains_key(id)
        {
            return Some(*id);
        }
        if self.deleted.is_empty() {
            return None;
        }
        let pollster = self.pollster_keys.get(&name_key(&poll.pollster))?;
        let dates = [poll.field_start, poll.field_end, poll.published_on];
        let asked: Vec<(String, String)> = poll.results.iter().map(result_place).collect();
        keys.iter()
            .filter_map(|k| self.deleted_identities.get(k))
            .flat_map(PollIds::as_slice)
            .copied()
            .find(|id| {
                self.deleted.get(id).is_some_and(|d| {
                    &d.pollster_key == pollster
                        && d.dates == dates
                        && asked.iter().any(|place| d.asked.contains(place))
                })
            })
    }

    /// A deleted poll brought back: no longer deleted, and its history says so.
    async fn forget_deleted(&mut self, id: i64) -> Result<()> {
        sqlx::query("DELETE FROM deleted_result WHERE poll_id = $1")
            .bind(id)
            .execute(&mut *self.tx)
            .await
            .map_err(db_err)?;
        super::polls::record_changes(
            &mut self.tx,
            id,
            "edit",
            &[(
                "restored".into(),
                None,
                Some("by an import restoring deleted polls".into()),
            )],
        )
        .await?;
        Ok(())
    }

    /// The stored polls the batch's keys stand for, by key.
    async fn stored_keys(&mut self, polls: &[Incoming]) -> Result<HashMap<String, i64>> {
        let Some(scheme) = &self.id_scheme else {
            return Ok(HashMap::new());
        };
        let keys: Vec<&str> = polls.iter().filter_map(|p| p.file_key.as_deref()).collect();
        if keys.is_empty() {
            return Ok(HashMap::new());
        }
        let rows: Vec<(String, i64)> = sqlx::query_as(
            "SELECT key, poll_id FROM source_poll_id
              WHERE scheme = $1 AND key IN (SELECT value FROM json_each($2))",
        )
        .bind(scheme)
        .bind(json_list(&keys))
        .fetch_all(&mut *self.tx)
        .await
        .map_err(db_err)?;
        Ok(rows.into_iter().collect())
    }

    /// Keeps the file's key of each poll added or matched with the poll it is.
    async fn keep_keys(&mut self, outcomes: &[Outcome], keys: Vec<Option<String>>) -> Result<()> {
        let Some(scheme) = &self.id_scheme else {
            return Ok(());
        };
        let pairs: Vec<(String, i64)> = outcomes
            .iter()
            .zip(keys)
            .filter_map(|(outcome, key)| {
                let id = match outcome {
                    Outcome::Added(id)
                    | Outcome::Unchanged(id)
                    | Outcome::Replaced(id)
                    | Outcome::Skipped(id) => *id,
                    Outcome::Conflict(..)
                    | Outcome::Invalid(_)
                    | Outcome::Repeated(_)
                    | Outcome::Deleted(_)
                    | Outcome::RepeatedOther(..) => return None,
                };
                Some((key?, id))
            })
            .collect();
        if pairs.is_empty() {
            return Ok(());
        }
        sqlx::query(
            "INSERT INTO source_poll_id (scheme, key, poll_id)
             SELECT $1, json_extract(value, '$[0]'), json_extract(value, '$[1]')
               FROM json_each($2) WHERE true
             ON CONFLICT (scheme, key) DO UPDATE SET poll_id = excluded.poll_id",
        )
        .bind(scheme)
        .bind(json_list(&pairs))
        .execute(&mut *self.tx)
        .await
        .map_err(db_err)?;
        Ok(())
    }

    /// The stored polls (not added by this import) that are the file's poll: found by the
    /// hashes of its identities, then loaded and looked at whole, since a hash alone may match
    /// another poll.
    /// A poll the file keys by its source's stable id is matched by that id once known; before,
    /// by identity with the same population only (`keyed`), since its id, not a guess, tells a
    /// correction. A stored poll another poll of this file was matched to already is not taken
    /// for this one's correction. Each comes with whether it asks a question of the same
    /// population (else it is matched as a correction).
    async fn stored_matches(
        &mut self,
        keys: &[u64],
        poll: &Poll,
        keyed: bool,
    ) -> Result<Vec<(Poll, bool)>> {
        let candidates: Vec<i64> = keys
            .iter()
            .filter_map(|k| self.identities.get(k))
            .flat_map(PollIds::as_slice)
            .copied()
            .filter(|id| !self.added.contains(id))
            .collect();
        if candidates.is_empty() {
            return Ok(Vec::new());
        }
        let pollster = self.pollster_key(&poll.pollster).await?;
        Ok(load_polls(&mut self.tx, Selection::Ids(&candidates))
            .await?
            .into_iter()
            .filter_map(|old| {
                if same_identity(&old, poll, &pollster, false) {
                    return Some((old, true));
                }
                // A correction only of a poll nothing else of the file claims.
                let claimed = old.id.is_some_and(|id| self.matched.contains_key(&id));
                (!keyed && !claimed && same_identity(&old, poll, &pollster, true))
                    .then_some((old, false))
            })
            .collect())
    }

    /// A question of the poll that is neither stored nor given a wording.
    async fn unknown_question(&mut self, poll: &Poll) -> Result<Option<String>> {
        if let Some(unknown) = poll
            .results
            .iter()
            .find(|r| r.wording.is_none() && !self.questions.contains(&r.question))
        {
            return Ok(Some(unknown.question.clone()));
        }
        // Created with the poll, by the write below.
        for result in &poll.results {
            self.questions.insert(result.question.clone());
        }
        Ok(None)
    }

    /// The key of the stored pollster a name stands for (through its aliases), else of the name.
    async fn pollster_key(&mut self, name: &str) -> Result<String> {
        let key = name_key(name);
        if let Some(stored) = self.pollster_keys.get(&key) {
            return Ok(stored.clone());
        }
        let stored = match pollsters::canonical(&mut self.tx, name).await? {
            Some(stored) => name_key(&stored),
            None => key.clone(),
        };
        self.pollster_keys.insert(key, stored.clone());
        Ok(stored)
    }

    async fn identities_of(&mut self, poll: &Poll) -> Result<Vec<u64>> {
        let pollster = self.pollster_key(&poll.pollster).await?;
        let dates = [poll.field_start, poll.field_end, poll.published_on];
        Ok(poll
            .results
            .iter()
            .map(|r| identity(&pollster, dates, &r.question))
            .collect())
    }

    /// A poll whose identity is stored: unchanged, or a conflict handled by the policy.
    /// Several stored polls may share an identity (one pollster's polls of the same days for
    /// different sponsors): the one with the file's id is the match, else any that agrees, else
    /// the first is the conflict.
    async fn compare(
        &mut self,
        mut stored: Vec<Poll>,
        poll: Poll,
        file_id: Option<i64>,
        question_ids: &[Option<String>],
    ) -> Result<(Outcome, Vec<(usize, String)>)> {
        if let Some(same_id) = stored
            .iter()
            .position(|p| p.id.is_some() && p.id == file_id)
        {
            stored.swap(0, same_id);
            stored.truncate(1);
        }
        let mut first_conflict = None;
        let pollster = self.pollster_key(&poll.pollster).await?;
        for old in stored {
            let paired = self.paired_by_ids(&old, question_ids).await?;
            let (mut given, places) = self.as_given_keyed(&old, poll.clone(), &paired);
            let places: Vec<(usize, String)> = question_ids
                .iter()
                .zip(&places)
                .filter_map(|(key, place)| Some((*place, key.clone()?)))
                .collect();
            // Matched by its source's id, a poll may name another pollster (a spelling the
            // source changed, `YouGov` to `YouGov/Economist`): a difference like any other.
            if name_key(&old.pollster) != pollster {
                given.pollster.clone_from(&poll.pollster);
            }
            let differences = differences(&old, &given);
            if differences.is_empty() {
                self.link_new_sources(&old, &given).await?;
                return Ok((Outcome::Unchanged(old.id.unwrap_or_default()), places));
            }
            first_conflict.get_or_insert((old, differences, given, places));
        }
        let Some((old, differences, mut poll, places)) = first_conflict else {
            return Err(Error::storage_refused(
                "database: a stored poll vanished during import",
            ));
        };
        let id = old.id.unwrap_or_default();
        let outcome = match self.on_conflict {
            OnConflict::Refuse => Outcome::Conflict(id, differences),
            OnConflict::Skip => Outcome::Skipped(id),
            OnConflict::Replace => {
                let mut sources = old.sources.clone();
                sources.extend(
                    poll.sources
                        .iter()
                        .filter(|s| !has_source(&old, s))
                        .cloned(),
                );
                poll.sources = sources;
                let (_, warnings) = rewrite_poll(&mut self.tx, &old, poll).await?;
                self.warnings.extend(warnings);
                Outcome::Replaced(id)
            }
        };
        Ok((outcome, places))
    }

    /// The file's result sets (by place) that are stored result sets of `old` (by place) by
    /// their source's id: matched so first, whatever their slug or population now.
    async fn paired_by_ids(
        &mut self,
        old: &Poll,
        question_ids: &[Option<String>],
    ) -> Result<HashMap<usize, usize>> {
        let (Some(scheme), Some(id)) = (&self.id_scheme, old.id) else {
            return Ok(HashMap::new());
        };
        if question_ids.iter().all(Option::is_none) {
            return Ok(HashMap::new());
        }
        let ids = super::polls::result_set_ids(&mut self.tx, id).await?;
        let stored: Vec<(String, i64)> = sqlx::query_as(
            "SELECT s.key, s.result_set_id FROM source_result_set s
               JOIN result_set rs ON rs.id = s.result_set_id
              WHERE rs.poll_id = $1 AND s.scheme = $2",
        )
        .bind(id)
        .bind(scheme)
        .fetch_all(&mut *self.tx)
        .await
        .map_err(db_err)?;
        let stored: HashMap<String, usize> = stored
            .into_iter()
            .filter_map(|(key, set)| Some((key, ids.iter().position(|i| *i == set)?)))
            .filter(|(_, place)| *place < old.results.len())
            .collect();
        let mut taken = HashSet::new();
        let mut paired = HashMap::new();
        for (i, key) in question_ids.iter().enumerate() {
            if let Some(place) = key.as_ref().and_then(|k| stored.get(k))
                && taken.insert(*place)
            {
                paired.insert(i, *place);
            }
        }
        Ok(paired)
    }

    /// Keeps the sources' ids of the result sets of each poll added or matched.
    async fn keep_result_keys(
        &mut self,
        outcomes: &[Outcome],
        mut result_keys: HashMap<usize, Vec<(usize, String)>>,
    ) -> Result<()> {
        let Some(scheme) = self.id_scheme.clone() else {
            return Ok(());
        };
        for (i, outcome) in outcomes.iter().enumerate() {
            let id = match outcome {
                Outcome::Added(id) | Outcome::Unchanged(id) | Outcome::Replaced(id) => *id,
                _ => continue,
            };
            let Some(keys) = result_keys.remove(&i).filter(|k| !k.is_empty()) else {
                continue;
            };
            let ids = super::polls::result_set_ids(&mut self.tx, id).await?;
            for (place, key) in keys {
                if let Some(set) = ids.get(place) {
                    super::polls::keep_result_set_id(&mut self.tx, &scheme, &key, *set).await?;
                }
            }
        }
        Ok(())
    }

    /// The file's poll as it would be stored over `old`: what the file cannot say (flags it has
    /// no column for, result sets it leaves out, the stored spelling of a name or wording) is
    /// taken from `old`, so that only what the file gives can differ.
    fn as_given(&self, old: &Poll, poll: Poll) -> Poll {
        self.as_given_keyed(old, poll, &HashMap::new()).0
    }

    /// As [`SqliteImporter::as_given`], the file's result sets in `paired` (file's place → stored
    /// place) matched to those stored result sets first (by their source's id), the others by
    /// question and population. With the place of each of the file's result sets in the poll.
    fn as_given_keyed(
        &self,
        old: &Poll,
        mut poll: Poll,
        paired: &HashMap<usize, usize>,
    ) -> (Poll, Vec<usize>) {
        poll.pollster = old.pollster.clone();
        for sponsor in &mut poll.sponsors {
            if let Some(stored) = old
                .sponsors
                .iter()
                .find(|s| name_key(s) == name_key(sponsor))
            {
                sponsor.clone_from(stored);
            }
        }
        if !self.file_gives.partisan {
            poll.partisan = old.partisan;
        }
        if !self.file_gives.tracking {
            poll.tracking = old.tracking;
        }
        if !self.file_gives.election {
            poll.election = old.election;
        }
        // The file's result sets by question and population, each matched once, in order: a
        // hash lookup each, however many result sets the poll has.
        let given = std::mem::take(&mut poll.results);
        let corrected = corrected_populations(old, &given);
        let mut places: HashMap<(String, String), VecDeque<usize>> = HashMap::new();
        for (i, r) in given.iter().enumerate() {
            if paired.contains_key(&i) {
                continue;
            }
            let place = match corrected.contains(&r.question) {
                // Matched to the stored result set of the question, whose population it corrects.
                true => (r.question.clone(), String::new()),
                false => result_place(r),
            };
            places.entry(place).or_default().push_back(i);
        }
        let by_stored: HashMap<usize, usize> = paired.iter().map(|(g, s)| (*s, *g)).collect();
        let mut positions = vec![0; given.len()];
        let mut given: Vec<Option<ResultSet>> = given.into_iter().map(Some).collect();
        for (j, stored) in old.results.iter().enumerate() {
            let index = match by_stored.get(&j) {
                Some(i) => Some(*i),
                None => {
                    let place = match corrected.contains(&stored.question) {
                        true => (stored.question.clone(), String::new()),
                        false => result_place(stored),
                    };
                    places.get_mut(&place).and_then(VecDeque::pop_front)
                }
            };
            match index.and_then(|i| Some((i, given[i].take()?))) {
                Some((i, mut result)) => {
                    // The stored spelling of the same question's wording; a question the
                    // source's id matched under another slug keeps the file's.
                    if result.question == stored.question {
                        result.wording.clone_from(&stored.wording);
                    }
                    positions[i] = poll.results.len();
                    poll.results.push(result);
                }
                None => poll.results.push(stored.clone()),
            }
        }
        for (i, result) in given.into_iter().enumerate() {
            if let Some(result) = result {
                positions[i] = poll.results.len();
                poll.results.push(result);
            }
        }
        (poll, positions)
    }

    /// Sources the file gives for a poll that is otherwise stored already.
    async fn link_new_sources(&mut self, old: &Poll, poll: &Poll) -> Result<()> {
        let Some(id) = old.id else { return Ok(()) };
        for source in poll.sources.iter().filter(|s| !has_source(old, s)) {
            let source_id = super::sources::find_or_create(&mut self.tx, source).await?;
            sqlx::query("INSERT INTO poll_source (poll_id, source_id) VALUES ($1, $2) ON CONFLICT DO NOTHING")
                .bind(id)
                .bind(source_id)
                .execute(&mut *self.tx)
                .await
                .map_err(db_err)?;
        }
        Ok(())
    }

    /// Writes the new polls of a batch, keeping the file's ids where they are free.
    async fn add_new(&mut self, new: Vec<New>, outcomes: &mut [Outcome]) -> Result<()> {
        if new.is_empty() {
            return Ok(());
        }
        let wanted: Vec<i64> = new.iter().filter_map(|n| n.file_id).collect();
        let taken: HashSet<i64> = sqlx::query_scalar(
            "SELECT value FROM json_each($1)
              WHERE value IN (SELECT id FROM poll) OR value IN (SELECT poll_id FROM change)",
        )
        .bind(json_list(&wanted))
        .fetch_all(&mut *self.tx)
        .await
        .map_err(db_err)?
        .into_iter()
        .collect();
        // The file's id where it is free, else a new one (see `new_ids`).
        let mut used: HashSet<i64> = HashSet::new();
        used.extend(new.iter().filter_map(|n| n.restored));
        let chosen: Vec<Option<i64>> = new
            .iter()
            .map(|n| {
                if n.restored.is_some() {
                    return n.restored;
                }
                let id = n
                    .file_id
                    .filter(|id| !taken.contains(id) && !used.contains(id));
                used.extend(id);
                id
            })
            .collect();
        let fresh = chosen.iter().filter(|id| id.is_none()).count();
        let mut fresh = new_ids(&mut self.tx, fresh, &used).await?.into_iter();
        let stamp = now();
        let mut entries = Vec::with_capacity(new.len());
        let mut keys = Vec::with_capacity(new.len());
        for (
            New {
                outcome,
                poll,
                keys: poll_keys,
                keyed,
                ..
            },
            id,
        ) in new.iter().zip(chosen)
        {
            let id = match id.or_else(|| fresh.next()) {
                Some(id) => id,
                None => return Err(Error::storage_refused("database: too few new poll ids")),
            };
            self.added.insert(id);
            if *keyed {
                self.keyed.insert(id);
            }
            outcomes[*outcome] = Outcome::Added(id);
            keys.push((id, poll_keys));
            entries.push(Stored {
                id,
                poll,
                created_at: stamp.clone(),
                updated_at: stamp.clone(),
            });
        }
        let warnings = write_polls(&mut self.tx, &entries).await?;
        self.warnings.extend(warnings);
        for id in new.iter().filter_map(|n| n.restored) {
            self.forget_deleted(id).await?;
        }
        for (id, poll_keys) in keys {
            for key in poll_keys {
                PollIds::add(&mut self.identities, *key, id);
            }
        }
        Ok(())
    }
}

impl ImportSession for SqliteImporter<'_> {
    /// Takes the next polls of the file, each with the id the file gives it (kept when it is
    /// free, so export, import and export again give the same file). The polls come normalised
    /// and validated, as the import reader gives them. Returns an outcome per poll, in order.
    async fn add(&mut self, polls: Vec<(Poll, Option<i64>)>) -> Result<Vec<Outcome>> {
        let polls = polls
            .into_iter()
            .map(|(poll, file_id)| Incoming {
                poll,
                file_id,
                file_key: None,
                question_ids: Vec::new(),
            })
            .collect();
        self.add_keyed(polls).await
    }

    /// As [`ImportSession::add`], with the file's own keys: with an id scheme, a poll whose key is
    /// stored is matched to the poll it became, whatever else a correction changed, and the
    /// key of each poll added or matched is kept with it.
    async fn add_keyed(&mut self, polls: Vec<Incoming>) -> Result<Vec<Outcome>> {
        let mut outcomes = Vec::with_capacity(polls.len());
        let mut new: Vec<New> = Vec::new();
        let mut to_offer: Vec<String> = Vec::new();
        let known = self.stored_keys(&polls).await?;
        let mut keys_of_outcomes: Vec<Option<String>> = Vec::with_capacity(polls.len());
        // The places in `new` of the batch's polls waiting to be written, by identity.
        let mut pending_keys: FxHashMap<u64, Vec<usize>> = FxHashMap::default();
        let mut deferred: Vec<Deferred> = Vec::new();
        // The sources' ids of result sets to keep, by outcome: (place in the poll stored, id).
        let mut result_keys: HashMap<usize, Vec<(usize, String)>> = HashMap::new();
        for Incoming {
            poll,
            file_id,
            file_key,
            question_ids,
        } in polls
        {
            let question_ids = match self.id_scheme {
                Some(_) => question_ids,
                None => Vec::new(),
            };
            // A file that keys its polls says which rows are one poll, and which two polls.
            let keyed = file_key.is_some();
            let file_key = file_key.filter(|_| self.id_scheme.is_some());
            keys_of_outcomes.push(file_key.clone());
            if let Some(slug) = self.unknown_question(&poll).await? {
                outcomes.push(Outcome::Invalid(format!(
                    "question {slug} is new: give its wording"
                )));
                continue;
            }
            if self.kind.is_some() {
                for result in &poll.results {
                    if !self.offered.contains(&result.question) {
                        self.offered.insert(result.question.clone());
                        to_offer.push(result.question.clone());
                    }
                }
            }
            let keys = self.identities_of(&poll).await?;
            let by_key = match file_key.as_ref().and_then(|k| known.get(k)) {
                Some(id) => load_polls(&mut self.tx, Selection::Ids(&[*id])).await?,
                None => Vec::new(),
            };
            let (stored, exact) = match by_key.is_empty() {
                true => {
                    let matches = self
                        .stored_matches(&keys, &poll, file_key.is_some())
                        .await?;
                    let exact = matches.iter().any(|(_, exact)| *exact);
                    (matches.into_iter().map(|(p, _)| p).collect(), exact)
                }
                false => (by_key, true),
            };
            if !stored.is_empty() && !exact && keyed {
                // Matched as a correction only: the file keys its polls, so a later poll of the
                // file with the stored poll's own population may be that poll, and this one
                // another beside it. Decided once the batch's other polls are matched.
                outcomes.push(Outcome::Added(0));
                deferred.push(Deferred {
                    outcome: outcomes.len() - 1,
                    poll,
                    file_id,
                    keys,
                    stored,
                    question_ids,
                });
                continue;
            }
            if !stored.is_empty()
                && !keyed
                && let Some(outcome) = self.repeat_of_matched(&stored, &poll).await?
            {
                outcomes.push(outcome);
                continue;
            }
            let mut restored = None;
            if stored.is_empty()
                && let Some(deleted) = self.deleted_match(&keys, &poll, file_key.as_deref(), &known)
            {
                if !self.restore_deleted {
                    outcomes.push(Outcome::Deleted(deleted));
                    continue;
                }
                // Brought back once: a later row of the file repeating it repeats the restored poll.
                self.deleted.remove(&deleted);
                restored = Some(deleted);
            }
            if stored.is_empty()
                && restored.is_none()
                && !keyed
                && let Some(outcome) = self.repeat(&keys, &poll, &mut new, &pending_keys).await?
            {
                outcomes.push(outcome);
                continue;
            }
            if stored.is_empty() {
                outcomes.push(Outcome::Added(0));
                result_keys.insert(outcomes.len() - 1, enumerate_ids(question_ids));
                for key in &keys {
                    pending_keys.entry(*key).or_default().push(new.len());
                }
                new.push(New {
                    outcome: outcomes.len() - 1,
                    poll,
                    file_id,
                    keys,
                    keyed,
                    restored,
                });
            } else {
                let earlier = poll.clone();
                let (outcome, places) = self.compare(stored, poll, file_id, &question_ids).await?;
                self.remember_match(&outcome, earlier, keyed);
                outcomes.push(outcome);
                result_keys.insert(outcomes.len() - 1, places);
            }
        }
        for Deferred {
            outcome,
            poll,
            file_id,
            keys,
            mut stored,
            question_ids,
        } in deferred
        {
            stored.retain(|p| p.id.is_none_or(|id| !self.matched.contains_key(&id)));
            if stored.is_empty() {
                result_keys.insert(outcome, enumerate_ids(question_ids));
                new.push(New {
                    outcome,
                    poll,
                    file_id,
                    keys,
                    keyed: true,
                    restored: None,
                });
            } else {
                let earlier = poll.clone();
                let (result, places) = self.compare(stored, poll, file_id, &question_ids).await?;
                self.remember_match(&result, earlier, true);
                outcomes[outcome] = result;
                result_keys.insert(outcome, places);
            }
        }
        // A repeat of a poll of this batch names it by its place until it has an id.
        let pending: Vec<usize> = new.iter().map(|n| n.outcome).collect();
        self.add_new(new, &mut outcomes).await?;
        for i in 0..outcomes.len() {
            let earlier = match &outcomes[i] {
                Outcome::Repeated(place) | Outcome::RepeatedOther(place, _) if *place < 0 => {
                    pending.get((-place - 1) as usize).copied()
                }
                _ => None,
            };
            let id = match earlier.map(|e| &outcomes[e]) {
                Some(Outcome::Added(id)) => *id,
                _ => continue,
            };
            match &mut outcomes[i] {
                Outcome::Repeated(place) | Outcome::RepeatedOther(place, _) => *place = id,
                _ => {}
            }
        }
        self.keep_keys(&outcomes, keys_of_outcomes).await?;
        self.keep_result_keys(&outcomes, result_keys).await?;
        if let Some(kind) = self.kind {
            // After the polls, so that questions this batch created are there to be given it.
            for slug in to_offer {
                let warning = super::questions::offer_kind(&mut self.tx, &slug, kind).await?;
                self.warnings.extend(warning);
            }
        }
        Ok(outcomes)
    }

    /// Whether polls matching deleted ones are brought back (under their old ids, with a
    /// `restored` row in their history) rather than left out.
    fn restore_deleted(&mut self, restore: bool) {
        self.restore_deleted = restore;
    }

    /// Tells the scheme of the file's own stable poll ids (`538` for FiveThirtyEight's
    /// `poll_id`, `column NAME` for a column the user maps to `poll_id`), or that it has none.
    fn id_scheme(&mut self, scheme: Option<String>) {
        self.id_scheme = scheme;
    }

    /// Says which optional fields the file has columns for: a stored poll keeps the others.
    fn file_gives(&mut self, gives: FileGives) {
        self.file_gives = gives;
    }

    /// The kind of the file's questions: given where a question has none. `given` says the
    /// user gave it (`--kind`) rather than the file's layout telling it; only then is another
    /// kind stored worth a warning.
    fn question_kind(&mut self, kind: Option<QuestionKind>, given: bool) {
        self.kind = kind.map(|kind| super::questions::OfferedKind { kind, given });
    }

    /// Warnings worth telling (a question's wording that differs from the stored one).
    async fn question_labels(&mut self, slug: &str) -> Result<Vec<String>> {
        sqlx::query_scalar(
            "SELECT min(a.label) FROM answer a
               JOIN result_set rs ON rs.id = a.result_set_id
               JOIN question q ON q.id = rs.question_id
              WHERE q.slug = $1
              GROUP BY lower(a.label)
              ORDER BY 1",
        )
        .bind(slug.trim())
        .fetch_all(&mut *self.tx)
        .await
        .map_err(db_err)
    }

    fn warnings(&self) -> &[Warning] {
        &self.warnings
    }

    async fn commit(self) -> Result<()> {
        commit(self.db, self.tx).await
    }

    /// Rolls back explicitly (dropping does the same), for a dry run or a refused import.
    async fn roll_back(self) -> Result<()> {
        self.tx.rollback().await.map_err(|e| self.db.err(e))
    }
}

/// Whether a stored poll is the file's poll by identity: same pollster, dates, and a question
/// asked of the same population. Sponsors tell apart one pollster's polls of the same days
/// for different clients, when both name theirs. With `corrections`, a question each asks of
/// one population, another on each side, is the same poll corrected (see
/// [`corrected_populations`]).
fn same_identity(old: &Poll, poll: &Poll, pollster_key: &str, corrections: bool) -> bool {
    crate::model::sponsors_agree(&old.sponsors, &poll.sponsors)
        && name_key(&old.pollster) == pollster_key
        && (old.field_start, old.field_end, old.published_on)
            == (poll.field_start, poll.field_end, poll.published_on)
        && {
            let asked: HashSet<(String, String)> = poll.results.iter().map(result_place).collect();
            old.results.iter().any(|o| asked.contains(&result_place(o)))
                || (corrections && !corrected_populations(old, &poll.results).is_empty())
        }
}

/// The questions `old` and the file's `given` result sets each ask of exactly one population,
/// a different one on each side: the file's population is taken for a correction of the stored
/// one (`lv` corrected to `rv`), so the poll is the same poll, not another beside it.
fn corrected_populations(old: &Poll, given: &[ResultSet]) -> HashSet<String> {
    fn count(results: &[ResultSet]) -> HashMap<&str, (usize, String)> {
        let mut counts: HashMap<&str, (usize, String)> = HashMap::new();
        for r in results {
            let entry = counts
                .entry(r.question.as_str())
                .or_insert((0, r.population.to_ascii_lowercase()));
            entry.0 += 1;
        }
        counts
    }
    let (stored, file) = (count(&old.results), count(given));
    stored
        .iter()
        .filter_map(|(question, (n, population))| {
            let (m, other) = file.get(question)?;
            (*n == 1 && *m == 1 && population != other).then(|| question.to_string())
        })
        .collect()
}

/// The sources' ids of a new poll's result sets, each at its own place.
fn enumerate_ids(question_ids: Vec<Option<String>>) -> Vec<(usize, String)> {
    question_ids
        .into_iter()
        .enumerate()
        .filter_map(|(i, key)| Some((i, key?)))
        .collect()
}

/// What differs between two versions of a poll, sources aside (a poll may have many).
fn differences(old: &Poll, given: &Poll) -> Vec<FieldChange> {
    diff_polls(old, given)
        .into_iter()
        .filter(|(field, _, _)| field != "sources")
        .collect()
}

/// A result set's question and population (in ASCII lower case), to match stored ones by.
fn result_place(result: &ResultSet) -> (String, String) {
    (
        result.question.clone(),
        result.population.to_ascii_lowercase(),
    )
}

fn has_source(poll: &Poll, source: &crate::model::Source) -> bool {
    poll.sources.iter().any(|s| {
        (s.url.is_some() && s.url == source.url) || (s.url.is_none() && s.title == source.title)
    })
}

/// A poll of the file found new, waiting to be written.
struct New {
    /// Its place among the outcomes.
    outcome: usize,
    poll: Poll,
    file_id: Option<i64>,
    keys: Vec<u64>,
    /// Whether the file gives the poll a key of its own: two polls with different keys are two
    /// polls, however alike.
    keyed: bool,
    /// The deleted poll it brings back, under that poll's id.
    restored: Option<i64>,
}

/// A keyed poll of the file matched to stored polls only as their correction, decided after
/// the rest of its batch.
struct Deferred {
    outcome: usize,
    poll: Poll,
    file_id: Option<i64>,
    keys: Vec<u64>,
    stored: Vec<Poll>,
    question_ids: Vec<Option<String>>,
}

/// The stored polls of one identity: nearly always one, so without a heap allocation then.
enum PollIds {
    One([i64; 1]),
    Many(Vec<i64>),
}

impl PollIds {
    fn add(map: &mut FxHashMap<u64, PollIds>, key: u64, id: i64) {
        match map.get_mut(&key) {
            None => {
                map.insert(key, PollIds::One([id]));
            }
            Some(PollIds::One([first])) if *first == id => {}
            Some(PollIds::One([first])) => {
                let first = *first;
                map.insert(key, PollIds::Many(vec![first, id]));
            }
            Some(PollIds::Many(ids)) if ids.last() == Some(&id) => {}
            Some(PollIds::Many(ids)) => ids.push(id),
        }
    }

    fn as_slice(&self) -> &[i64] {
        match self {
            PollIds::One(id) => id,
            PollIds::Many(ids) => ids,
        }
    }
}

/// A poll's identity for one of its questions (whatever the population).
fn identity(pollster: &str, dates: [Option<NaiveDate>; 3], question: &str) -> u64 {
    let mut hasher = FxHasher::default();
    (pollster, dates, question).hash(&mut hasher);
    hasher.finish()
}
