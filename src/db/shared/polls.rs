//! Polls: the checks, refusals and comparisons of adding and editing a poll that both stores
//! make the same way.

use crate::error::{Error, Hint, Result};
use crate::model::{MAX_POLL_ID, today, validate_poll};
use crate::model::{Poll, ResultSet, Source, name_key, normalize_poll, normalize_population};
use std::collections::HashSet;
use std::future::Future;

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

/// Refuses an edit of the poll `id` written from a copy read before its last change: `new`
/// carries the `updated_at` of the poll as the caller read it, `stored` is the poll as it is
/// now. Without this, the edit would silently undo that change. A `new` without `updated_at`
/// (not read from the store) is not checked. `updated_at` has whole seconds, so a change
/// committed in the same second as the one the caller read is not seen.
pub(in crate::db) fn unchanged_since_read(id: i64, new: &Poll, stored: &Poll) -> Result<()> {
    match (&new.updated_at, &stored.updated_at) {
        (Some(read), Some(now)) if read != now => Err(Error::conflict_with(
            id,
            format!(
                "poll {id} was changed since it was read (at {now}); read it again and make \
                 the edit on what is stored now. Nothing was changed"
            ),
        )
        .with_hint(Hint::ShowPoll(id))),
        _ => Ok(()),
    }
}

/// The ids of `n` new polls, none of them in `exclude`: those after `first` (one past the
/// highest id stored or named in the history, up to [`MAX_POLL_ID`]); when no room is left
/// below it (a file gave a poll the largest id), the lowest ids neither in `used` (read only
/// then, by `read_used`: every id stored or in the history) nor excluded. A deleted poll's id
/// stays in the history, so it is never given again; nothing past [`MAX_POLL_ID`] is given, so
/// the next id never overflows.
///
/// Errors: failed when no ids are left; whatever `read_used` fails with.
pub(in crate::db) async fn choose_new_ids<F>(
    first: i64,
    n: usize,
    exclude: &HashSet<i64>,
    read_used: impl FnOnce() -> F,
) -> Result<Vec<i64>>
where
    F: Future<Output = Result<HashSet<i64>>>,
{
    let mut ids: Vec<i64> = (first..=MAX_POLL_ID)
        .filter(|id| !exclude.contains(id))
        .take(n)
        .collect();
    if ids.len() < n {
        let used = read_used().await?;
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
