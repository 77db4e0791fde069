//! Writing what a batch brought: its new polls (keeping the file's ids where free) and the
//! source's ids of the polls and result sets it added or matched.

use super::given::{New, PollIds};
use super::{ImportBackend, Matcher};
use crate::db::{Incoming, Outcome};
use crate::error::{Error, Result};
use std::collections::{HashMap, HashSet};

impl<B: ImportBackend> Matcher<B> {
    /// The stored polls the batch's keys stand for, by key.
    pub(super) async fn stored_keys(&mut self, polls: &[Incoming]) -> Result<HashMap<String, i64>> {
        let Some(scheme) = &self.id_scheme else {
            return Ok(HashMap::new());
        };
        let keys: Vec<&str> = polls.iter().filter_map(|p| p.file_key.as_deref()).collect();
        if keys.is_empty() {
            return Ok(HashMap::new());
        }
        let rows = self.backend.stored_keys(scheme, &keys).await?;
        Ok(rows.into_iter().collect())
    }

    /// Keeps the file's key of each poll added or matched with the poll it is.
    pub(super) async fn keep_keys(
        &mut self,
        outcomes: &[Outcome],
        keys: Vec<Option<String>>,
    ) -> Result<()> {
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
        self.backend.keep_keys(scheme, &pairs).await?;
        Ok(())
    }

    /// Keeps the sources' ids of the result sets of each poll added or matched.
    pub(super) async fn keep_result_keys(
        &mut self,
        outcomes: &[Outcome],
        mut result_keys: HashMap<usize, Vec<(usize, String)>>,
    ) -> Result<()> {
        let Some(scheme) = self.id_scheme.clone() else {
            return Ok(());
        };
        let mut kept = Vec::new();
        for (i, outcome) in outcomes.iter().enumerate() {
            let id = match outcome {
                Outcome::Added(id) | Outcome::Unchanged(id) | Outcome::Replaced(id) => *id,
                _ => continue,
            };
            let Some(keys) = result_keys.remove(&i) else {
                continue;
            };
            kept.extend(keys.into_iter().map(|(place, key)| (id, place, key)));
        }
        if kept.is_empty() {
            return Ok(());
        }
        self.backend.keep_result_keys(&scheme, &kept).await
    }

    /// Writes the new polls of a batch, keeping the file's ids where they are free.
    pub(super) async fn add_new(&mut self, new: Vec<New>, outcomes: &mut [Outcome]) -> Result<()> {
        if new.is_empty() {
            return Ok(());
        }
        let wanted: Vec<i64> = new.iter().filter_map(|n| n.file_id).collect();
        let taken = self.backend.taken_ids(&wanted).await?;
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
        let mut fresh = self.backend.new_ids(fresh, &used).await?.into_iter();
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
            entries.push((id, poll));
        }
        let warnings = self.backend.write_new(&entries).await?;
        self.warnings.extend(warnings);
        for id in new.iter().filter_map(|n| n.restored) {
            self.backend.forget_deleted(id).await?;
        }
        for (id, poll_keys) in keys {
            for key in poll_keys {
                PollIds::add(&mut self.identities, *key, id);
            }
        }
        Ok(())
    }
}
