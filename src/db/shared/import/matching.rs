//! Matching a file's poll to the polls stored and to the earlier polls of the same file.

use super::given::{
    New, PollIds, as_given_keyed, differences, has_source, identity, result_place, same_identity,
};
use super::{ImportBackend, Matcher};
use crate::db::{Incoming, OnConflict, Outcome};
use crate::error::{Error, Result};
use crate::model::{Poll, Source, name_key};
use rustc_hash::FxHashMap;
use std::collections::{HashMap, HashSet};

impl<B: ImportBackend> Matcher<B> {
    /// An earlier poll of this file that the poll repeats (same pollster, dates, sponsors and a
    /// question asked of the same population), among the polls of this batch waiting to be
    /// written and those this import wrote before. With the same numbers the poll's sources go
    /// to the earlier one; with others the poll is refused. A poll of this batch is named by
    /// its place in `new` as `-(place + 1)` until written.
    pub(super) async fn repeat(
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
        for old in self.stored(&written).await? {
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
    pub(super) fn remember_match(&mut self, outcome: &Outcome, poll: Poll, keyed: bool) {
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
    pub(super) async fn repeat_of_matched(
        &mut self,
        stored: &[Poll],
        poll: &Poll,
    ) -> Result<Option<Outcome>> {
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
            let current = self.backend.load(&[id]).await?;
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
    pub(super) fn deleted_match(
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

    /// The stored polls (not added by this import) that are the file's poll: found by the
    /// hashes of its identities, then loaded and looked at whole, since a hash alone may match
    /// another poll.
    /// A poll the file keys by its source's stable id is matched by that id once known; before,
    /// by identity with the same population only (`keyed`), since its id, not a guess, tells a
    /// correction. A stored poll another poll of this file was matched to already is not taken
    /// for this one's correction. Each comes with whether it asks a question of the same
    /// population (else it is matched as a correction).
    pub(super) async fn stored_matches(
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
        Ok(self
            .stored(&candidates)
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
    pub(super) async fn unknown_question(&mut self, poll: &Poll) -> Result<Option<String>> {
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
    pub(super) async fn pollster_key(&mut self, name: &str) -> Result<String> {
        let key = name_key(name);
        if let Some(stored) = self.pollster_keys.get(&key) {
            return Ok(stored.clone());
        }
        let stored = match self.backend.canonical_pollster(name).await? {
            Some(stored) => name_key(&stored),
            None => key.clone(),
        };
        self.pollster_keys.insert(key, stored.clone());
        Ok(stored)
    }

    pub(super) async fn identities_of(&mut self, poll: &Poll) -> Result<Vec<u64>> {
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
    pub(super) async fn compare(
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
            let (mut given, places) = as_given_keyed(self.file_gives, &old, poll.clone(), &paired);
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
                let warnings = self.backend.rewrite(&old, poll).await?;
                self.loaded.remove(&id);
                self.warnings.extend(warnings);
                Outcome::Replaced(id)
            }
        };
        Ok((outcome, places))
    }

    /// The file's result sets (by place) that are stored result sets of `old` (by place) by
    /// their source's id: matched so first, whatever their slug or population now.
    pub(super) async fn paired_by_ids(
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
        let ids = self.backend.result_set_ids(id).await?;
        let stored = self.backend.result_set_keys(id, scheme).await?;
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

    /// Reads ahead the stored polls the batch's polls may be (those of their identities, not
    /// added by this import), so that a batch's matches are read in one go.
    pub(super) async fn read_ahead(&mut self, polls: &[Incoming]) -> Result<()> {
        self.loaded.clear();
        let mut ids = Vec::new();
        let mut seen = HashSet::new();
        for incoming in polls {
            for key in self.identities_of(&incoming.poll).await? {
                let Some(found) = self.identities.get(&key) else {
                    continue;
                };
                for id in found.as_slice() {
                    if !self.added.contains(id) && seen.insert(*id) {
                        ids.push(*id);
                    }
                }
            }
        }
        if !ids.is_empty() {
            for poll in self.backend.load(&ids).await? {
                if let Some(id) = poll.id {
                    self.loaded.insert(id, poll);
                }
            }
        }
        Ok(())
    }

    /// The stored polls `ids`, each once, by date and id: read ahead (see
    /// [`Matcher::read_ahead`]) or else read now.
    pub(super) async fn stored(&mut self, ids: &[i64]) -> Result<Vec<Poll>> {
        let mut seen = HashSet::new();
        let mut polls = Vec::new();
        let mut missing = Vec::new();
        for id in ids {
            if !seen.insert(*id) {
                continue;
            }
            match self.loaded.get(id) {
                Some(poll) => polls.push(poll.clone()),
                None => missing.push(*id),
            }
        }
        if !missing.is_empty() {
            polls.extend(self.backend.load(&missing).await?);
        }
        polls.sort_by_key(|p| (p.date(), p.id));
        Ok(polls)
    }

    /// The file's poll as it would be stored over `old`: what the file cannot say (flags it has
    /// no column for, result sets it leaves out, the stored spelling of a name or wording) is
    /// taken from `old`, so that only what the file gives can differ.
    pub(super) fn as_given(&self, old: &Poll, poll: Poll) -> Poll {
        as_given_keyed(self.file_gives, old, poll, &HashMap::new()).0
    }

    /// Sources the file gives for a poll that is otherwise stored already.
    pub(super) async fn link_new_sources(&mut self, old: &Poll, poll: &Poll) -> Result<()> {
        let Some(id) = old.id else { return Ok(()) };
        let new: Vec<&Source> = poll
            .sources
            .iter()
            .filter(|s| !has_source(old, s))
            .collect();
        if !new.is_empty() {
            self.backend.link_sources(id, &new).await?;
            self.loaded.remove(&id);
        }
        Ok(())
    }
}
