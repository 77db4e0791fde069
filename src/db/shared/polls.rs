//! Polls: the checks, refusals and comparisons of adding and editing a poll that both stores
//! make the same way.

use crate::error::{Error, Hint, Result};
use crate::model::{Poll, ResultSet, Source, name_key, normalize_poll, normalize_population};
use crate::model::{today, validate_poll};

/// Normalises a poll and refuses it, naming every problem, if it breaks a rule.
pub(in crate::db) fn checked(mut poll: Poll) -> Result<Poll> {
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
pub(in crate::db) fn duplicate(existing: i64) -> Error {
    Error::conflict_with(
        existing,
        format!(
            "this poll is stored already as poll {existing} (same pollster, dates, question and \
             population)"
        ),
    )
    .with_hint(Hint::RecordAgain(existing))
}

/// The stored poll `old` (id `id`) with `results` and `sources` added, as `add results` makes
/// it. Errors: conflict when a result set asks a question of a population the poll has already.
pub(in crate::db) fn with_results(
    id: i64,
    old: &Poll,
    results: Vec<ResultSet>,
    sources: Vec<Source>,
) -> Result<Poll> {
    let mut new = old.clone();
    for result in results {
        // Compared as stored: `likely voters` is the stored `lv`.
        let population = normalize_population(&result.population);
        let clash = new.results.iter().any(|r| {
            r.question == result.question.trim() && r.population.eq_ignore_ascii_case(&population)
        });
        if clash {
            return Err(Error::conflict_with(
                id,
                format!(
                    "poll {id} already has question {} for population {population}",
                    result.question.trim(),
                ),
            )
            .with_hint(Hint::EditPoll(id)));
        }
        new.results.push(result);
    }
    new.sources.extend(sources);
    Ok(new)
}

/// What of `new` (checked, its pollster as stored) must be looked for among the other stored
/// polls when the stored poll `old` becomes `new`: `new` with only the result sets it did not
/// have as the same poll, or `None` when there are none. A correction must not turn a poll into
/// a copy of another; a poll stored as a duplicate on purpose (`--allow-duplicate`) stays
/// editable in everything else.
pub(in crate::db) fn newly_identified(old: &Poll, new: Poll) -> Option<Poll> {
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
        return None;
    }
    Some(Poll {
        results: added,
        ..new
    })
}
