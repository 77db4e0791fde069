//! Importing many polls in one transaction, whichever store holds them: new polls are added,
//! polls stored already are recognised (same pollster, dates, question and population; or a
//! population corrected; or the source's own stable id) and either left alone when their
//! numbers agree or handled by the conflict policy when they do not. Polls matching a deleted
//! one are left out unless asked for, and a poll repeating an earlier poll of the same file is
//! that poll again. A store gives the reads and writes ([`ImportBackend`]); the deciding is
//! here, once.

mod given;
mod matching;
mod written;

use crate::db::{FileGives, Incoming, OnConflict, Outcome};
use crate::error::Result;
use crate::model::{Poll, QuestionKind, Source, Warning};
use chrono::NaiveDate;
use given::{Deferred, New, PollIds, enumerate_ids, identity};
use rustc_hash::{FxHashMap, FxHashSet};
use std::collections::{HashMap, HashSet};
use std::future::Future;

/// A stored result set's identity. The population is left out: a poll that gives another
/// population for the same question may be a correction of it.
pub(in crate::db) struct IdentityRow {
    pub pollster_key: String,
    pub dates: [Option<NaiveDate>; 3],
    pub question: String,
    pub poll_id: i64,
    pub result_set_id: i64,
}

/// A deleted result set as stored.
pub(in crate::db) struct DeletedRow {
    pub poll_id: i64,
    pub pollster: String,
    pub dates: [Option<NaiveDate>; 3],
    pub question: String,
    pub population: String,
}

/// Stored identities are read this many result sets at a time, so that only their hashes,
/// not their text, are held for the whole database.
pub(in crate::db) const IDENTITY_PAGE: i64 = 20_000;

/// What an import reads and writes, in one store's SQL, inside the import's one transaction.
pub(in crate::db) trait ImportBackend: Send {
    /// The identities of the stored result sets with ids above `after`, by id, at most `limit`.
    fn identities_after(
        &mut self,
        after: i64,
        limit: i64,
    ) -> impl Future<Output = Result<Vec<IdentityRow>>> + Send;

    /// Every question's slug.
    fn question_slugs(&mut self) -> impl Future<Output = Result<Vec<String>>> + Send;

    /// Every result set of the deleted polls, by poll.
    fn deleted_results(&mut self) -> impl Future<Output = Result<Vec<DeletedRow>>> + Send;

    /// The stored polls `ids`, whole, in the order of `ids`.
    fn load(&mut self, ids: &[i64]) -> impl Future<Output = Result<Vec<Poll>>> + Send;

    /// The name of the stored pollster `name` stands for (as a name or an alias).
    fn canonical_pollster(
        &mut self,
        name: &str,
    ) -> impl Future<Output = Result<Option<String>>> + Send;

    /// The stored polls of these keys of the id scheme `scheme`, as (key, poll id).
    fn stored_keys(
        &mut self,
        scheme: &str,
        keys: &[&str],
    ) -> impl Future<Output = Result<Vec<(String, i64)>>> + Send;

    /// Keeps each (key, poll id) of the id scheme, replacing the poll a key stood for.
    fn keep_keys(
        &mut self,
        scheme: &str,
        pairs: &[(String, i64)],
    ) -> impl Future<Output = Result<()>> + Send;

    /// The ids of the poll's result sets, in their order.
    fn result_set_ids(&mut self, poll: i64) -> impl Future<Output = Result<Vec<i64>>> + Send;

    /// The source's ids kept for the poll's result sets under `scheme`: (key, result set id).
    fn result_set_keys(
        &mut self,
        poll: i64,
        scheme: &str,
    ) -> impl Future<Output = Result<Vec<(String, i64)>>> + Send;

    /// Keeps sources' ids of result sets (538's `question_id`) with the result sets, each given
    /// as (poll, place of the result set among the poll's in their order, key), in order: a
    /// key given twice stands for the last. A place the poll has no result set at is left out.
    fn keep_result_keys(
        &mut self,
        scheme: &str,
        kept: &[(i64, usize, String)],
    ) -> impl Future<Output = Result<()>> + Send;

    /// Links the poll to these sources, found (by URL, else by their fields) or created.
    fn link_sources(
        &mut self,
        poll: i64,
        sources: &[&Source],
    ) -> impl Future<Output = Result<()>> + Send;

    /// Replaces the stored poll `old` by `new` under its id, recording the change as an edit.
    fn rewrite(
        &mut self,
        old: &Poll,
        new: Poll,
    ) -> impl Future<Output = Result<Vec<Warning>>> + Send;

    /// Which of `wanted` are ids of a poll stored or once stored (its history kept).
    fn taken_ids(&mut self, wanted: &[i64]) -> impl Future<Output = Result<HashSet<i64>>> + Send;

    /// `n` ids for new polls, never used before and none in `exclude`.
    fn new_ids(
        &mut self,
        n: usize,
        exclude: &HashSet<i64>,
    ) -> impl Future<Output = Result<Vec<i64>>> + Send;

    /// Writes new polls (checked already) under the ids given.
    fn write_new(
        &mut self,
        polls: &[(i64, &Poll)],
    ) -> impl Future<Output = Result<Vec<Warning>>> + Send;

    /// A deleted poll brought back: no longer deleted, and its history says so.
    fn forget_deleted(&mut self, id: i64) -> impl Future<Output = Result<()>> + Send;

    /// Gives the question `slug` the kind offered when it has none; a kind the user `given`
    /// that differs from the stored one is a warning.
    fn offer_kind(
        &mut self,
        slug: &str,
        kind: QuestionKind,
        given: bool,
    ) -> impl Future<Output = Result<Option<Warning>>> + Send;
}

/// An import under way: what it has matched and added so far, over a store's transaction.
pub(in crate::db) struct Matcher<B> {
    /// The store's side: its transaction.
    pub backend: B,
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
    /// repeats one is told apart as a repeat (see `Matcher::repeat`).
    added: FxHashSet<i64>,
    /// Polls this import added that the file gave a key of its own.
    keyed: FxHashSet<i64>,
    /// Stored polls a poll of this file was matched to: the first such poll of the file as it
    /// gave it, and whether the file keyed it. A later poll of the file matching the same
    /// stored poll repeats that poll of the file (see `Matcher::repeat_of_matched`).
    matched: FxHashMap<i64, (Poll, bool)>,
    warnings: Vec<Warning>,
    /// The kind to give the file's questions that have none, and whether the user gave it.
    kind: Option<(QuestionKind, bool)>,
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
    /// Stored polls read ahead for the batch under way, by id; one is dropped when changed.
    loaded: FxHashMap<i64, Poll>,
}

/// What an import matches a deleted poll by.
struct DeletedPoll {
    pollster_key: String,
    dates: [Option<NaiveDate>; 3],
    /// Its questions and populations (ASCII lower case).
    asked: HashSet<(String, String)>,
}

impl<B: ImportBackend> Matcher<B> {
    /// Starts an import over the store's write transaction: reads the identities of the
    /// stored polls and of the deleted ones.
    pub(in crate::db) async fn start(mut backend: B, on_conflict: OnConflict) -> Result<Self> {
        let mut identities: FxHashMap<u64, PollIds> = FxHashMap::default();
        let mut after = 0;
        loop {
            let rows = backend.identities_after(after, IDENTITY_PAGE).await?;
            let full = rows.len() as i64 == IDENTITY_PAGE;
            for row in rows {
                let key = identity(&row.pollster_key, row.dates, &row.question);
                PollIds::add(&mut identities, key, row.poll_id);
                after = row.result_set_id;
            }
            if !full {
                break;
            }
        }
        let questions = backend.question_slugs().await?;
        let deleted_rows = backend.deleted_results().await?;
        let mut importer = Matcher {
            backend,
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
            loaded: FxHashMap::default(),
        };
        for row in deleted_rows {
            let (id, question, population, dates) =
                (row.poll_id, row.question, row.population, row.dates);
            let pollster_key = importer.pollster_key(&row.pollster).await?;
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

    /// Adds polls with the file's whole-number keys (see [`Matcher::add_keyed`]).
    pub(in crate::db) async fn add(
        &mut self,
        polls: Vec<(Poll, Option<i64>)>,
    ) -> Result<Vec<Outcome>> {
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

    /// Whether polls matching deleted ones are brought back (under their old ids, with a
    /// `restored` row in their history) rather than left out.
    pub(in crate::db) fn restore_deleted(&mut self, restore: bool) {
        self.restore_deleted = restore;
    }

    /// Tells the scheme of the file's own stable poll ids, or that it has none.
    pub(in crate::db) fn id_scheme(&mut self, scheme: Option<String>) {
        self.id_scheme = scheme;
    }

    /// Says which optional fields the file has columns for: a stored poll keeps the others.
    pub(in crate::db) fn file_gives(&mut self, gives: FileGives) {
        self.file_gives = gives;
    }

    /// The kind of the file's questions, given where a question has none; `given` says the
    /// user gave it rather than the file's layout telling it.
    pub(in crate::db) fn question_kind(&mut self, kind: Option<QuestionKind>, given: bool) {
        self.kind = kind.map(|kind| (kind, given));
    }

    /// What is worth telling the user so far.
    pub(in crate::db) fn warnings(&self) -> &[Warning] {
        &self.warnings
    }

    /// As [`ImportSession::add`], with the file's own keys: with an id scheme, a poll whose key is
    /// stored is matched to the poll it became, whatever else a correction changed, and the
    /// key of each poll added or matched is kept with it.
    pub(in crate::db) async fn add_keyed(&mut self, polls: Vec<Incoming>) -> Result<Vec<Outcome>> {
        let mut outcomes = Vec::with_capacity(polls.len());
        let mut new: Vec<New> = Vec::new();
        let mut to_offer: Vec<String> = Vec::new();
        let known = self.stored_keys(&polls).await?;
        self.read_ahead(&polls).await?;
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
                Some(id) => self.backend.load(&[*id]).await?,
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
                let warning = self.backend.offer_kind(&slug, kind.0, kind.1).await?;
                self.warnings.extend(warning);
            }
        }
        self.loaded.clear();
        Ok(outcomes)
    }
}
