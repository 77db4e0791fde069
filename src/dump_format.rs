//! The dump format (a contract, described in the README's "Dump format"): JSON Lines, UTF-8. A
//! header line `{"polltrack_dump":1}`, then one JSON object per record, each naming its `type`,
//! grouped by kind in the order of [`Dump`]'s fields and in id order within a kind, so the same
//! database always gives the same bytes and two dumps compare with `diff`.

use crate::error::{Error, Result};
use crate::model::dump::Dump;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use std::io::{BufRead, Write};

/// The format's version this polltrack writes, and the newest it reads.
pub const DUMP_VERSION: u32 = 1;

/// The first line of a dump.
#[derive(Serialize, Deserialize)]
struct Header {
    polltrack_dump: u32,
}

/// A record as written: its kind first (as `type`), then its fields in their declared order.
#[derive(Serialize)]
struct Tagged<'a, T> {
    #[serde(rename = "type")]
    kind: &'static str,
    #[serde(flatten)]
    record: &'a T,
}

/// Writes `dump` to `out` in the dump format. Errors: writing failures.
pub fn write_dump(dump: &Dump, out: &mut impl Write) -> Result<()> {
    line(
        out,
        &Header {
            polltrack_dump: DUMP_VERSION,
        },
    )?;
    kind(out, "pollster", &dump.pollsters)?;
    kind(out, "sponsor", &dump.sponsors)?;
    kind(out, "question", &dump.questions)?;
    kind(out, "source", &dump.sources)?;
    kind(out, "poll", &dump.polls)?;
    kind(out, "poll_key", &dump.poll_keys)?;
    kind(out, "deleted_result", &dump.deleted_results)?;
    kind(out, "change", &dump.changes)?;
    Ok(())
}

fn kind<T: Serialize>(out: &mut impl Write, kind: &'static str, records: &[T]) -> Result<()> {
    records
        .iter()
        .try_for_each(|record| line(out, &Tagged { kind, record }))
}

fn line(out: &mut impl Write, value: &impl Serialize) -> Result<()> {
    serde_json::to_writer(&mut *out, value)
        .map_err(|e| Error::Failed(format!("could not write the dump: {e}")))?;
    out.write_all(b"\n")?;
    Ok(())
}

/// Reads a dump written by [`write_dump`] (of this format version or an older one) from
/// `input`, named `name` in messages. Records may come in any order; blank lines are skipped.
///
/// Errors: invalid, naming the line (and column), for a first line that is not a dump header,
/// a dump of a newer format version, and a line that is not a record of a known kind with
/// exactly its fields; failed when `input` cannot be read.
pub fn read_dump(input: impl BufRead, name: &str) -> Result<Dump> {
    let mut dump = Dump::default();
    let mut header = false;
    for (index, text) in input.lines().enumerate() {
        let number = index + 1;
        let text = text.map_err(|e| match e.kind() {
            std::io::ErrorKind::InvalidData => Error::invalid(format!(
                "{name} line {number}: not a polltrack dump: the line is not UTF-8 text"
            )),
            _ => Error::Failed(format!("could not read {name}: {e}")),
        })?;
        if !header {
            check_header(&text, name)?;
            header = true;
            continue;
        }
        if text.trim().is_empty() {
            continue;
        }
        let at = |place: String, why: String| {
            Error::invalid(format!(
                "{name} line {number}{place}: not a record of a polltrack dump: {why}"
            ))
        };
        let bad = |why: String| at(String::new(), why);
        let mut fields: Map<String, Value> = serde_json::from_str(&text)
            .map_err(|e| at(format!(", column {}", e.column()), without_position(&e)))?;
        let kind = match fields.remove("type") {
            Some(Value::String(kind)) => kind,
            _ => return Err(bad("it has no \"type\"".into())),
        };
        let fields = Value::Object(fields);
        let taken = match kind.as_str() {
            "pollster" => take(fields, &mut dump.pollsters),
            "sponsor" => take(fields, &mut dump.sponsors),
            "question" => take(fields, &mut dump.questions),
            "source" => take(fields, &mut dump.sources),
            "poll" => take(fields, &mut dump.polls),
            "poll_key" => take(fields, &mut dump.poll_keys),
            "deleted_result" => take(fields, &mut dump.deleted_results),
            "change" => take(fields, &mut dump.changes),
            _ => return Err(bad(format!("unknown kind \"{kind}\""))),
        };
        taken.map_err(|e| bad(format!("a {kind}: {}", without_position(&e))))?;
    }
    if !header {
        return Err(not_a_dump(name, "it is empty"));
    }
    Ok(dump)
}

/// Reads one record's fields (its kind taken off) as a `T`, refusing fields a `T` has not.
fn take<T: DeserializeOwned>(fields: Value, into: &mut Vec<T>) -> serde_json::Result<()> {
    into.push(serde_json::from_value(fields)?);
    Ok(())
}

fn check_header(text: &str, name: &str) -> Result<()> {
    let Ok(header) = serde_json::from_str::<Header>(text.trim_start_matches('\u{feff}')) else {
        return Err(not_a_dump(
            name,
            "line 1 is not a dump header such as {\"polltrack_dump\":1}",
        ));
    };
    if header.polltrack_dump > DUMP_VERSION {
        return Err(Error::invalid(format!(
            "{name} line 1: the dump is of format version {}, newer than this polltrack \
             reads (version {DUMP_VERSION}): load it with a newer polltrack",
            header.polltrack_dump
        )));
    }
    Ok(())
}

fn not_a_dump(name: &str, why: &str) -> Error {
    Error::invalid(format!("{name} is not a polltrack dump: {why}"))
}

/// serde_json's message without its own " at line 1 column N" (the line is the file's).
fn without_position(e: &serde_json::Error) -> String {
    let message = e.to_string();
    match message.rfind(" at line ") {
        Some(at) => message[..at].to_string(),
        None => message,
    }
}

#[cfg(test)]
mod tests;
