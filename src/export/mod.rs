//! Writing CSV: polls in the long format (one row per answer, a contract) and the wide format
//! (one row per result set, a column per answer label), the rejects of an import, and estimates
//! (trends, house effects, a simulation's truth). Takes model and analysis values; never
//! touches the database.

mod estimates;

pub use estimates::{write_house_effects, write_trend, write_truth};

use crate::csv_format::{EXTRA_COLUMNS, LONG_COLUMNS, SPONSOR_SEPARATOR, URL_SEPARATOR};
use crate::error::{Error, Result};
use crate::model::{Poll, ResultSet, format_date, name_key};
use chrono::NaiveDate;
use std::collections::HashMap;
use std::io::Write;

/// An error writing CSV, in plain words; a closed pipe underneath stays one, to end quietly.
pub fn write_error(e: csv::Error) -> Error {
    match e.into_kind() {
        csv::ErrorKind::Io(e) => Error::from(e),
        csv::ErrorKind::UnequalLengths {
            expected_len, len, ..
        } => Error::Failed(format!(
            "could not write the output: a row of {len} fields under a header of {expected_len}"
        )),
        _ => Error::Failed("could not write the output as CSV".into()),
    }
}

/// Flushes a CSV writer and hands back its output, to be closed by its owner.
fn finish<W: Write>(csv: csv::Writer<W>) -> Result<W> {
    csv.into_inner().map_err(|e| Error::from(e.into_error()))
}

/// A number as written in CSV: the shortest text that reads back as the same value.
fn number(n: Option<f64>) -> String {
    n.map(|n| n.to_string()).unwrap_or_default()
}

fn date(d: Option<NaiveDate>) -> String {
    d.map(format_date).unwrap_or_default()
}

/// Whom a CSV file is written for.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Audience {
    /// pandas, R, an import: every cell exactly as stored, no byte-order mark.
    #[default]
    Analysis,
    /// A spreadsheet (Excel, LibreOffice, Google Sheets): a UTF-8 byte-order mark first, so
    /// Excel on any Windows locale reads UTF-8, and text cells that would run as formulas
    /// written as text (see [`as_text`]). Numbers and dates stay as they are.
    Spreadsheet,
}

/// The UTF-8 byte-order mark.
const BOM: &[u8] = "\u{feff}".as_bytes();

/// A text cell a spreadsheet would run as a formula, written so it shows as text: with a `'`
/// before it, as OWASP's CSV-injection guidance says, when it begins with `=`, `+`, `-`, `@`,
/// a tab or a carriage return (or a full-width `＝`, `＋`, `－`, `＠`, which some spreadsheets
/// take for them). Other text is left as it is.
pub fn as_text(cell: &str) -> std::borrow::Cow<'_, str> {
    const TRIGGERS: [char; 10] = [
        '=', '+', '-', '@', '\t', '\r', '\u{ff1d}', '\u{ff0b}', '\u{ff0d}', '\u{ff20}',
    ];
    match cell.chars().next() {
        Some(first) if TRIGGERS.contains(&first) => format!("'{cell}").into(),
        _ => cell.into(),
    }
}

/// The text cells of [`result_cells`] (the others are numbers and dates polltrack writes).
const TEXT_CELLS: [usize; 7] = [1, 2, 6, 7, 10, 11, 12];

impl Audience {
    /// Starts the output: a byte-order mark for a spreadsheet.
    fn start<W: Write>(self, output: &mut W) -> Result<()> {
        if self == Audience::Spreadsheet {
            output.write_all(BOM)?;
        }
        Ok(())
    }

    /// A text cell as written for this audience.
    fn text(self, cell: String) -> String {
        match (self, as_text(&cell)) {
            (Audience::Spreadsheet, std::borrow::Cow::Owned(text)) => text,
            _ => cell,
        }
    }

    fn result_cells(self, poll: &Poll, result: &ResultSet) -> [String; 13] {
        let mut cells = result_cells(poll, result);
        if self == Audience::Spreadsheet {
            for i in TEXT_CELLS {
                cells[i] = self.text(std::mem::take(&mut cells[i]));
            }
        }
        cells
    }
}

/// The cells every row of a result set shares, up to and including the question wording.
fn result_cells(poll: &Poll, result: &ResultSet) -> [String; 13] {
    [
        poll.id.map(|id| id.to_string()).unwrap_or_default(),
        poll.pollster.clone(),
        poll.sponsors.join(SPONSOR_SEPARATOR),
        date(poll.field_start),
        date(poll.field_end),
        date(poll.published_on),
        poll.mode.clone().unwrap_or_default(),
        result.population.clone(),
        number(result.sample_size),
        number(result.margin_of_error),
        poll.region.clone().unwrap_or_default(),
        result.question.clone(),
        result.wording.clone().unwrap_or_default(),
    ]
}

fn source_urls(poll: &Poll) -> String {
    let urls: Vec<&str> = poll
        .sources
        .iter()
        .filter_map(|s| s.url.as_deref())
        .collect();
    urls.join(URL_SEPARATOR)
}

/// The cells of [`EXTRA_COLUMNS`] for a poll, as written for `audience`.
fn extra_cells(audience: Audience, poll: &Poll) -> Vec<String> {
    let titles: Vec<&str> = poll
        .sources
        .iter()
        .filter_map(|s| s.title.as_deref())
        .collect();
    let titles = match titles.is_empty() {
        true => String::new(),
        // A list of strings always serialises.
        false => serde_json::to_string(&titles).unwrap_or_default(),
    };
    vec![
        date(poll.date()),
        poll.partisan.to_string(),
        poll.tracking.to_string(),
        poll.election.to_string(),
        audience.text(titles),
    ]
}

/// Which columns an export writes after a format's own.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Columns {
    /// The format's columns only (a contract).
    #[default]
    Format,
    /// The format's columns, then [`EXTRA_COLUMNS`].
    WithExtra,
}

impl Columns {
    fn header(self) -> &'static [&'static str] {
        match self {
            Columns::Format => &[],
            Columns::WithExtra => &EXTRA_COLUMNS,
        }
    }

    fn cells(self, audience: Audience, poll: &Poll) -> Vec<String> {
        match self {
            Columns::Format => Vec::new(),
            Columns::WithExtra => extra_cells(audience, poll),
        }
    }
}

/// The long format: header first, then one row per answer.
pub struct LongWriter<W: Write> {
    csv: csv::Writer<W>,
    audience: Audience,
    columns: Columns,
}

impl<W: Write> LongWriter<W> {
    pub fn new(output: W) -> Result<LongWriter<W>> {
        LongWriter::for_audience(output, Audience::Analysis)
    }

    pub fn for_audience(output: W, audience: Audience) -> Result<LongWriter<W>> {
        LongWriter::with_columns(output, audience, Columns::Format)
    }

    /// Starts a long file for `audience` with `columns`: the header is written at once.
    pub fn with_columns(
        mut output: W,
        audience: Audience,
        columns: Columns,
    ) -> Result<LongWriter<W>> {
        audience.start(&mut output)?;
        let mut csv = crate::csv_format::writer(output);
        let header = LONG_COLUMNS.iter().chain(columns.header());
        csv.write_record(header).map_err(write_error)?;
        Ok(LongWriter {
            csv,
            audience,
            columns,
        })
    }

    pub fn write(&mut self, poll: &Poll) -> Result<u64> {
        let urls = self.audience.text(source_urls(poll));
        let notes = self.audience.text(poll.notes.clone().unwrap_or_default());
        let extra = self.columns.cells(self.audience, poll);
        let mut rows = 0;
        for result in &poll.results {
            let shared = self.audience.result_cells(poll, result);
            for answer in &result.answers {
                let pct = answer.pct.to_string();
                let label = self.audience.text(answer.label.clone());
                let row = shared
                    .iter()
                    .map(String::as_str)
                    .chain([label.as_str(), pct.as_str(), urls.as_str(), notes.as_str()])
                    .chain(extra.iter().map(String::as_str));
                self.csv.write_record(row).map_err(write_error)?;
                rows += 1;
            }
        }
        Ok(rows)
    }

    /// Flushes what is buffered and hands back the output, to be closed by its owner.
    pub fn finish(self) -> Result<W> {
        finish(self.csv)
    }
}

/// The wide format: one row per result set, one column per answer label (given up front, so
/// the header can be written first).
pub struct WideWriter<W: Write> {
    csv: csv::Writer<W>,
    columns: HashMap<String, usize>,
    labels: usize,
    audience: Audience,
    extra: Columns,
}

impl<W: Write> WideWriter<W> {
    pub fn new(output: W, labels: &[String]) -> Result<WideWriter<W>> {
        WideWriter::for_audience(output, labels, Audience::Analysis)
    }

    pub fn for_audience(output: W, labels: &[String], audience: Audience) -> Result<WideWriter<W>> {
        WideWriter::with_columns(output, labels, audience, Columns::Format)
    }

    /// Starts a wide file for `audience` with a column per label, then `extra`'s columns.
    pub fn with_columns(
        mut output: W,
        labels: &[String],
        audience: Audience,
        extra: Columns,
    ) -> Result<WideWriter<W>> {
        audience.start(&mut output)?;
        let mut csv = crate::csv_format::writer(output);
        // Answer labels head columns here: written as text too.
        let label_cells: Vec<String> = labels.iter().map(|l| audience.text(l.clone())).collect();
        let header = LONG_COLUMNS[..13]
            .iter()
            .copied()
            .chain(label_cells.iter().map(String::as_str))
            .chain(["source_urls", "notes"])
            .chain(extra.header().iter().copied());
        csv.write_record(header).map_err(write_error)?;
        let columns = labels
            .iter()
            .enumerate()
            .map(|(i, l)| (name_key(l), i))
            .collect();
        Ok(WideWriter {
            csv,
            columns,
            labels: labels.len(),
            audience,
            extra,
        })
    }

    pub fn write(&mut self, poll: &Poll) -> Result<u64> {
        let urls = self.audience.text(source_urls(poll));
        let notes = self.audience.text(poll.notes.clone().unwrap_or_default());
        let extra = self.extra.cells(self.audience, poll);
        for result in &poll.results {
            let mut answers = vec![String::new(); self.labels];
            for answer in &result.answers {
                let column = self.columns.get(&name_key(&answer.label)).ok_or_else(|| {
                    Error::Failed(format!("answer \"{}\" has no column", answer.label))
                })?;
                answers[*column] = answer.pct.to_string();
            }
            let row = self
                .audience
                .result_cells(poll, result)
                .into_iter()
                .chain(answers)
                .chain([urls.clone(), notes.clone()])
                .chain(extra.iter().cloned());
            self.csv.write_record(row).map_err(write_error)?;
        }
        Ok(poll.results.len() as u64)
    }

    /// Flushes what is buffered and hands back the output, to be closed by its owner.
    pub fn finish(self) -> Result<W> {
        finish(self.csv)
    }
}

/// Rejected rows of an import, as they were, with a `reason` column added: every row has the
/// header's columns and the reason, so the file is CSV any reader takes. A row shorter than the
/// header is padded with empty cells; one longer keeps its extra cells at the end of its
/// reason, after `extra cells: `, written as one CSV row (`"x","y"`), which a reader can parse.
pub struct RejectsWriter<W: Write> {
    csv: csv::Writer<W>,
    width: usize,
}

impl<W: Write> RejectsWriter<W> {
    pub fn new(output: W, headers: &[String]) -> Result<RejectsWriter<W>> {
        let mut csv = crate::csv_format::writer(output);
        let header = headers.iter().map(String::as_str).chain(["reason"]);
        csv.write_record(header).map_err(write_error)?;
        Ok(RejectsWriter {
            csv,
            width: headers.len(),
        })
    }

    pub fn write(&mut self, row: &csv::ByteRecord, reason: &str) -> Result<()> {
        let padding = self.width.saturating_sub(row.len());
        let mut reason = reason.as_bytes().to_vec();
        if row.len() > self.width {
            let mut extra = csv::WriterBuilder::new()
                .quote_style(csv::QuoteStyle::Always)
                .terminator(csv::Terminator::Any(b'\n'))
                .from_writer(Vec::new());
            extra
                .write_record(row.iter().skip(self.width))
                .map_err(write_error)?;
            let mut extra = extra
                .into_inner()
                .map_err(|e| Error::from(e.into_error()))?;
            extra.pop();
            reason.extend_from_slice(b"; extra cells: ");
            reason.extend_from_slice(&extra);
        }
        let cells = row
            .iter()
            .take(self.width)
            .chain(std::iter::repeat_n(&b""[..], padding))
            .chain([reason.as_slice()]);
        self.csv.write_record(cells).map_err(write_error)
    }

    /// Flushes what is buffered and hands back the output, to be closed by its owner.
    pub fn finish(self) -> Result<W> {
        finish(self.csv)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_that_would_run_as_formulas_are_written_as_text() {
        for (cell, written) in [
            ("=HYPERLINK(\"http://x\")", "'=HYPERLINK(\"http://x\")"),
            ("+1", "'+1"),
            ("-Daily", "'-Daily"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("\tx", "'\tx"),
            ("\rx", "'\rx"),
            ("\u{ff1d}1+1", "'\u{ff1d}1+1"),
            ("Gallup Korea", "Gallup Korea"),
            ("a=b", "a=b"),
            ("", ""),
        ] {
            assert_eq!(as_text(cell), written, "{cell:?}");
        }
    }
}
