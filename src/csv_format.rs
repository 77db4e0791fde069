//! The one place that builds CSV readers and writers, and the columns of the long format (a
//! contract: tests and users depend on their names and order).

use std::io::{Read, Write};

/// The long format's columns, in order: one row per answer.
pub const LONG_COLUMNS: [&str; 17] = [
    "poll_id",
    "pollster",
    "sponsors",
    "field_start",
    "field_end",
    "published_on",
    "mode",
    "population",
    "sample_size",
    "margin_of_error",
    "region",
    "question",
    "question_wording",
    "answer",
    "pct",
    "source_urls",
    "notes",
];

/// Joins sponsors in one cell.
pub const SPONSOR_SEPARATOR: &str = "; ";
/// Joins source URLs in one cell.
pub const URL_SEPARATOR: &str = " ";

/// A reader for files as they come: a header row, RFC 4180 quoting, any line ends, rows of
/// different lengths allowed (a short row is reported, not fatal). The UTF-8 byte-order mark
/// is dropped by the `csv` crate.
pub fn reader<R: Read>(input: R) -> csv::Reader<R> {
    csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(true)
        .from_reader(input)
}

/// A writer of UTF-8 CSV with `\n` line ends, quoting only where needed.
pub fn writer<W: Write>(output: W) -> csv::Writer<W> {
    csv::WriterBuilder::new()
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(output)
}
