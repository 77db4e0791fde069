//! What an import compares, with no database: a poll's identity, the file's poll as it
//! would be stored over a stored one, and what differs between them.

use crate::db::FileGives;
use crate::model::{FieldChange, Poll, ResultSet, diff_polls, name_key};
use chrono::NaiveDate;
use rustc_hash::{FxHashMap, FxHasher};
use std::collections::{HashMap, HashSet, VecDeque};
use std::hash::{Hash, Hasher};

/// Whether a stored poll is the file's poll by identity: same pollster, dates, and a question
/// asked of the same population. Sponsors tell apart one pollster's polls of the same days
/// for different clients, when both name theirs. With `corrections`, a question each asks of
/// one population, another on each side, is the same poll corrected (see
/// [`corrected_populations`]).
pub(super) fn same_identity(
    old: &Poll,
    poll: &Poll,
    pollster_key: &str,
    corrections: bool,
) -> bool {
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
pub(super) fn corrected_populations(old: &Poll, given: &[ResultSet]) -> HashSet<String> {
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
pub(super) fn enumerate_ids(question_ids: Vec<Option<String>>) -> Vec<(usize, String)> {
    question_ids
        .into_iter()
        .enumerate()
        .filter_map(|(i, key)| Some((i, key?)))
        .collect()
}

/// What differs between two versions of a poll, sources aside (a poll may have many).
pub(super) fn differences(old: &Poll, given: &Poll) -> Vec<FieldChange> {
    diff_polls(old, given)
        .into_iter()
        .filter(|(field, _, _)| field != "sources")
        .collect()
}

/// A result set's question and population (in ASCII lower case), to match stored ones by.
pub(super) fn result_place(result: &ResultSet) -> (String, String) {
    (
        result.question.clone(),
        result.population.to_ascii_lowercase(),
    )
}

pub(super) fn has_source(poll: &Poll, source: &crate::model::Source) -> bool {
    poll.sources.iter().any(|s| {
        (s.url.is_some() && s.url == source.url) || (s.url.is_none() && s.title == source.title)
    })
}

/// A poll of the file found new, waiting to be written.
pub(super) struct New {
    /// Its place among the outcomes.
    pub(super) outcome: usize,
    pub(super) poll: Poll,
    pub(super) file_id: Option<i64>,
    pub(super) keys: Vec<u64>,
    /// Whether the file gives the poll a key of its own: two polls with different keys are two
    /// polls, however alike.
    pub(super) keyed: bool,
    /// The deleted poll it brings back, under that poll's id.
    pub(super) restored: Option<i64>,
}

/// A keyed poll of the file matched to stored polls only as their correction, decided after
/// the rest of its batch.
pub(super) struct Deferred {
    pub(super) outcome: usize,
    pub(super) poll: Poll,
    pub(super) file_id: Option<i64>,
    pub(super) keys: Vec<u64>,
    pub(super) stored: Vec<Poll>,
    pub(super) question_ids: Vec<Option<String>>,
}

/// The stored polls of one identity: nearly always one, so without a heap allocation then.
pub(super) enum PollIds {
    One([i64; 1]),
    Many(Vec<i64>),
}

impl PollIds {
    pub(super) fn add(map: &mut FxHashMap<u64, PollIds>, key: u64, id: i64) {
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

    pub(super) fn as_slice(&self) -> &[i64] {
        match self {
            PollIds::One(id) => id,
            PollIds::Many(ids) => ids,
        }
    }
}

/// A poll's identity for one of its questions (whatever the population).
pub(super) fn identity(pollster: &str, dates: [Option<NaiveDate>; 3], question: &str) -> u64 {
    let mut hasher = FxHasher::default();
    (pollster, dates, question).hash(&mut hasher);
    hasher.finish()
}

/// The file's poll as it would be stored over `old` (see `Matcher::as_given`), the file's result sets in `paired` (file's place → stored
/// place) matched to those stored result sets first (by their source's id), the others by
/// question and population. With the place of each of the file's result sets in the poll.
pub(super) fn as_given_keyed(
    file_gives: FileGives,
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
    if !file_gives.partisan {
        poll.partisan = old.partisan;
    }
    if !file_gives.tracking {
        poll.tracking = old.tracking;
    }
    if !file_gives.election {
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
