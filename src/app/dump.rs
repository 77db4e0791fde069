//! `dump` and `load`: a whole database, ids and history included, to a file in the dump format
//! ([`crate::dump_format`]) and back into an empty database.

use super::Commit;
use crate::db::prelude::*;
use crate::dump_format::{read_dump, write_dump};
use crate::error::{Error, Result};
use crate::model::dump::Dump;
use std::io::BufRead;

/// What a dump or a load carried: the number of records of each main kind.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    /// Polls (each with its result sets and answers).
    pub polls: usize,
    /// Sources (articles and releases).
    pub sources: usize,
    /// Entries of the history.
    pub changes: usize,
    /// Records of every kind, polls included.
    pub records: usize,
}

impl Counts {
    fn of(dump: &Dump) -> Counts {
        Counts {
            polls: dump.polls.len(),
            sources: dump.sources.len(),
            changes: dump.changes.len(),
            records: dump.len(),
        }
    }
}

/// Writes every record of the store to `output` in the dump format and commits it; the dump
/// is one state of the store, whoever writes meanwhile.
///
/// Errors: storage failures; writing failures (a closed pipe as [`Error::OutputClosed`]). On
/// error `output` is dropped uncommitted.
pub async fn dump(store: &impl Store, mut output: impl Commit) -> Result<Counts> {
    let dump = store.read_dump().await?;
    write_dump(&dump, &mut output)?;
    output.commit()?;
    Ok(Counts::of(&dump))
}

/// Reads a dump from `input` (named `name` in messages) and writes all of it, ids kept, into
/// the store, which must hold nothing yet: in one transaction, so a failed load changes
/// nothing.
///
/// Errors: invalid for a file that is not a dump, of a newer format version, with a malformed
/// line (naming it), or with records that do not fit together (naming them); conflict when
/// the store is not empty; storage failures.
pub async fn load(store: &impl Store, input: impl BufRead, name: &str) -> Result<Counts> {
    let dump = read_dump(input, name)?;
    let problems = dump.problems();
    if !problems.is_empty() {
        return Err(Error::invalid_all(
            problems
                .into_iter()
                .map(|p| format!("{name}: {p}"))
                .collect(),
        ));
    }
    store.load_dump(&dump).await?;
    Ok(Counts::of(&dump))
}

/// Copies every record of `from`, ids and history included, into `to`, which must hold
/// nothing yet (see [`DumpStore::load_dump`]): the way a database moves between SQLite and
/// PostgreSQL, in either direction. `from` is read on one snapshot; `to` is written in one
/// transaction, so a failed copy writes nothing.
///
/// Errors: invalid when the records of `from` do not fit together (naming them); conflict
/// when `to` is not empty; storage failures of either.
pub async fn copy(from: &impl Store, to: &impl Store) -> Result<Counts> {
    let dump = from.read_dump().await?;
    let problems = dump.problems();
    if !problems.is_empty() {
        return Err(Error::invalid_all(problems));
    }
    to.load_dump(&dump).await?;
    Ok(Counts::of(&dump))
}
