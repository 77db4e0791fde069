//! What loading a whole database says and derives, whichever store loads it: the refusal of a
//! database that is not empty, of records its schema refuses, and each result set's day.

use crate::error::{Error, Hint, Result};
use crate::model::dump::DumpPoll;
use crate::model::poll_date;
use chrono::NaiveDate;

/// The kinds of rows a dump reads, one and many, in the order a store counts them: polls,
/// pollsters, sponsors, questions, sources, history entries, files' poll ids, deleted polls'
/// results.
const HELD: [(&str, &str); 8] = [
    ("poll", "polls"),
    ("pollster", "pollsters"),
    ("sponsor", "sponsors"),
    ("question", "questions"),
    ("source", "sources"),
    ("history entry", "history entries"),
    ("poll id of a file", "poll ids of files"),
    ("deleted poll's result", "deleted polls' results"),
];

/// The kinds that hold rows, each with its number of rows in words ("3 polls"), from the
/// counts in [`HELD`]'s order: empty for an empty database.
pub(in crate::db) fn held_in_words(counts: [i64; 8]) -> Vec<String> {
    HELD.into_iter()
        .zip(counts)
        .filter(|(_, count)| *count > 0)
        .map(|((one, many), count)| format!("{count} {}", if count == 1 { one } else { many }))
        .collect()
}

/// The refusal of a load into `database` (as messages name it), which holds `held` (see
/// [`held_in_words`]).
pub(in crate::db) fn not_empty(database: &str, held: &[String]) -> Error {
    Error::conflict(format!(
        "the database {database} is not empty (it holds {}): nothing was written; a whole \
         database goes only into a new database or an empty one",
        held.join(", ")
    ))
    .with_hint(Hint::LoadIntoNewDatabase)
}

/// The refusal of records the database's constraints refuse (a second source with one URL, a
/// percentage over 100), `why` in the database's words.
pub(in crate::db) fn breaks_the_rules(why: &str) -> Error {
    Error::invalid(format!(
        "the dump's records break the database's rules ({why}): nothing was loaded"
    ))
}

/// The day poll `p` stands at on a chart, which each of its result sets keeps a copy of.
/// Errors: invalid for a poll with no date at all.
pub(in crate::db) fn poll_day(p: &DumpPoll) -> Result<NaiveDate> {
    poll_date(p.field_start, p.field_end, p.published_on)
        .ok_or_else(|| Error::invalid(format!("poll {} has no date", p.id)))
}
