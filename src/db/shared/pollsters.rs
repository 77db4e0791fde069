//! Pollsters: the checks, messages and poll combining of aliasing, merging and renaming, the
//! same in both stores.

use crate::error::{Error, Hint, Result};
use crate::model::{Poll, ResultSet, name_key};
use std::collections::HashMap;

/// The pollster `name` is not stored (neither as a name nor as an alias).
pub(in crate::db) fn no_pollster(name: &str) -> Error {
    Error::not_found(format!("there is no pollster \"{}\"", name.trim()))
        .with_hint(Hint::ListPollsters)
}

/// The alias as it will be stored (trimmed), or why it cannot be one.
pub(in crate::db) fn checked_alias(alias: &str) -> Result<&str> {
    let alias = alias.trim();
    if alias.is_empty() {
        return Err(Error::invalid("the alias is empty"));
    }
    if let Some(problem) = crate::model::name_problem("alias", alias) {
        return Err(Error::invalid(problem));
    }
    Ok(alias)
}

/// `alias` stands for a pollster already: the pollster `canonical` it was to name when `other`
/// is `None`, else the pollster `other`.
pub(in crate::db) fn alias_taken(alias: &str, canonical: String, other: Option<String>) -> Error {
    match other {
        None => Error::conflict(format!("\"{alias}\" already stands for {canonical}")),
        Some(other_name) => Error::conflict(format!(
            "\"{alias}\" already stands for the pollster {other_name}: to fold its polls into \
             {canonical}, merge the two"
        ))
        .with_hint(Hint::MergePollsters {
            from: other_name,
            into: canonical,
        }),
    }
}

/// `from` and `into` name one pollster, `into_name`.
pub(in crate::db) fn same_pollster(from: &str, into: &str, into_name: &str) -> Error {
    Error::usage(format!(
        "\"{from}\" and \"{into}\" are the same pollster, {into_name}"
    ))
}

/// The new name of the pollster now called `name` as it will be stored (trimmed), or why it
/// cannot be.
pub(in crate::db) fn checked_new_name<'a>(name: &str, new: &'a str) -> Result<&'a str> {
    let new = new.trim();
    if new.is_empty() {
        return Err(Error::invalid("the new pollster name is empty"));
    }
    if let Some(problem) = crate::model::name_problem("pollster", new) {
        return Err(Error::invalid(problem));
    }
    if new == name {
        return Err(Error::usage(format!(
            "the pollster is named \"{name}\" already"
        )));
    }
    Ok(new)
}

/// The pollster `name` cannot be renamed `new`: that stands for the pollster `other_name`.
pub(in crate::db) fn name_taken(new: &str, name: &str, other_name: String) -> Error {
    Error::conflict(format!(
        "\"{new}\" already stands for the pollster {other_name}: to fold the polls of {name} \
         into it, merge the two"
    ))
    .with_hint(Hint::MergePollsters {
        from: name.to_string(),
        into: other_name,
    })
}

/// Whether renaming `name` to `new` with `keep_alias` keeps the old name as an alias: a change
/// of case only leaves nothing to keep, the key already matching the old spelling.
pub(in crate::db) fn alias_kept(name: &str, new: &str, keep_alias: bool) -> bool {
    keep_alias && name_key(name) != name_key(new)
}

/// A poll of the pollster merged away that is the same poll as one of the pollster merged into.
pub(in crate::db) struct SamePoll {
    pub removed: i64,
    pub kept: i64,
    /// One question and population both asked: `slug (population)`.
    pub asked: String,
}

impl SamePoll {
    fn describe(&self) -> String {
        format!(
            "poll {} and poll {} ({})",
            self.removed, self.kept, self.asked
        )
    }
}

/// A poll of `from` and a poll of `into` with the same dates and a question asked of the same
/// population, as a store reads them (ordered by the first poll, the second, the result set):
/// (poll of `from`, poll of `into`, question slug, population, sponsor keys of each).
pub(in crate::db) type Candidate = (i64, i64, String, String, Vec<String>, Vec<String>);

/// The pairs of polls a merge would make one poll, from the candidates a store read: each poll
/// of `from` is paired with the first poll of `into` whose sponsors agree
/// ([`crate::model::sponsors_agree`]) with it, counting the sponsors the pairs before bring to
/// that poll: a poll of `into` naming no sponsor is the same poll as one of `from` for Bild or
/// one for Spiegel, not both, as those two are two polls.
pub(in crate::db) fn same_polls(candidates: Vec<Candidate>) -> Vec<SamePoll> {
    // The sponsors each poll of `into` will have once the pairs before are combined into it.
    let mut kept_sponsors: HashMap<i64, Vec<String>> = HashMap::new();
    let mut pairs: Vec<SamePoll> = Vec::new();
    for (removed, kept, slug, population, removed_sponsors, sponsors) in candidates {
        if pairs.last().is_some_and(|p| p.removed == removed) {
            continue;
        }
        let sponsors = kept_sponsors.get(&kept).cloned().unwrap_or(sponsors);
        if !crate::model::sponsors_agree(&removed_sponsors, &sponsors) {
            continue;
        }
        let mut combined = sponsors;
        for sponsor in removed_sponsors {
            if !combined.contains(&sponsor) {
                combined.push(sponsor);
            }
        }
        kept_sponsors.insert(kept, combined);
        pairs.push(SamePoll {
            removed,
            kept,
            asked: format!("{slug} ({population})"),
        });
    }
    pairs
}

/// Merging `from_name` into `into_name` without combining would store `pairs` twice.
pub(in crate::db) fn would_repeat(from_name: &str, into_name: &str, pairs: &[SamePoll]) -> Error {
    let named: Vec<String> = pairs.iter().map(SamePoll::describe).collect();
    Error::conflict(format!(
        "merging {from_name} into {into_name} would make {} stored poll{} of {from_name} the \
         same poll as one of {into_name} (same dates, question and population): {}; nothing was \
         changed",
        pairs.len(),
        if pairs.len() == 1 { "" } else { "s" },
        named.join("; ")
    ))
    .with_hint(Hint::CombinePolls)
}

/// The poll `kept` (stored as `old`) once the poll `removed` (stored as `gone`), the same poll,
/// is made part of it: it gains the removed one's sources, the result sets only it has, its
/// sponsors, and any poll detail (mode, region, notes, sample size, margin of error) it lacks.
/// A question both polls give with other numbers is a conflict: which is right is for the user
/// to say (by editing one of them first).
pub(in crate::db) fn combined_poll(
    gone: &Poll,
    old: &Poll,
    removed: i64,
    kept: i64,
) -> Result<Poll> {
    let mut new = old.clone();
    for result in &gone.results {
        let same = new.results.iter_mut().find(|r| {
            r.question == result.question && r.population.eq_ignore_ascii_case(&result.population)
        });
        match same {
            None => new.results.push(result.clone()),
            Some(stored) => {
                if numbers_differ(stored, result) {
                    return Err(Error::conflict(format!(
                        "poll {removed} and poll {kept} are the same poll but give other \
                         numbers for {} ({}): {} against {}; nothing was changed",
                        result.question,
                        result.population,
                        numbers(result, stored),
                        numbers(stored, result),
                    )));
                }
                stored.sample_size = stored.sample_size.or(result.sample_size);
                stored.margin_of_error = stored.margin_of_error.or(result.margin_of_error);
            }
        }
    }
    for source in &gone.sources {
        let known = new.sources.iter().any(|s| {
            (s.id.is_some() && s.id == source.id) || (s.url.is_some() && s.url == source.url)
        });
        if !known {
            new.sources.push(source.clone());
        }
    }
    for sponsor in &gone.sponsors {
        if !new
            .sponsors
            .iter()
            .any(|s| name_key(s) == name_key(sponsor))
        {
            new.sponsors.push(sponsor.clone());
        }
    }
    new.mode = new.mode.or(gone.mode.clone());
    new.region = new.region.or(gone.region.clone());
    new.notes = new.notes.or(gone.notes.clone());
    new.partisan |= gone.partisan;
    new.tracking |= gone.tracking;
    new.election |= gone.election;
    Ok(new)
}

/// Whether two result sets of one question and population give other numbers: other answers,
/// or a sample size or margin of error both give and that differs.
fn numbers_differ(a: &ResultSet, b: &ResultSet) -> bool {
    let answers = |r: &ResultSet| {
        let mut a: Vec<(String, f64)> = r
            .answers
            .iter()
            .map(|a| (a.label.to_lowercase(), a.pct))
            .collect();
        a.sort_by(|x, y| x.0.cmp(&y.0));
        a
    };
    answers(a) != answers(b)
        || [
            (a.sample_size, b.sample_size),
            (a.margin_of_error, b.margin_of_error),
        ]
        .iter()
        .any(|(x, y)| x.is_some() && y.is_some() && x != y)
}

/// A result set's numbers as a conflict names them: its answers, with the sample size and
/// margin of error where they are what differs from `other` too.
fn numbers(r: &ResultSet, other: &ResultSet) -> String {
    let mut details = Vec::new();
    if let Some(n) = r.sample_size.filter(|_| r.sample_size != other.sample_size) {
        details.push(format!("n={n}"));
    }
    if let Some(moe) = r
        .margin_of_error
        .filter(|_| r.margin_of_error != other.margin_of_error)
    {
        details.push(format!("moe={moe}"));
    }
    match details.is_empty() {
        true => crate::model::answers_text(r),
        false => format!("{} ({})", crate::model::answers_text(r), details.join(", ")),
    }
}
