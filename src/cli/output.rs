//! Printing: records as aligned tables or JSON on standard output, warnings on standard error.

use polltrack::Result;
use polltrack::model::terminal_safe;
use polltrack::model::{Warning, format_date};
use serde::Serialize;
use std::io::{BufWriter, Stdout, Write};
use unicode_width::UnicodeWidthStr;

pub struct Out {
    stdout: BufWriter<Stdout>,
}

impl Out {
    pub fn new() -> Out {
        Out {
            stdout: BufWriter::new(std::io::stdout()),
        }
    }

    pub fn line(&mut self, text: impl AsRef<str>) -> Result<()> {
        writeln!(self.stdout, "{}", text.as_ref())?;
        Ok(())
    }

    /// Text as it is, with no line end added.
    pub fn write(&mut self, text: &str) -> Result<()> {
        self.stdout.write_all(text.as_bytes())?;
        Ok(())
    }

    /// Pretty JSON, for scripts.
    pub fn json(&mut self, value: &impl Serialize) -> Result<()> {
        serde_json::to_writer_pretty(&mut self.stdout, value)
            .map_err(|e| polltrack::Error::from(std::io::Error::from(e)))?;
        writeln!(self.stdout)?;
        Ok(())
    }

    /// Columns padded to their widest cell, by display width; the last column is not padded.
    pub fn table(&mut self, headers: &[&str], rows: &[Vec<String>]) -> Result<()> {
        let mut widths: Vec<usize> = headers.iter().map(|h| display_width(h)).collect();
        for row in rows {
            for (width, cell) in widths.iter_mut().zip(row) {
                *width = (*width).max(display_width(cell));
            }
        }
        let header_row: Vec<String> = headers.iter().map(|h| h.to_string()).collect();
        for row in std::iter::once(&header_row).chain(rows) {
            self.line(table_line(&widths, row))?;
        }
        Ok(())
    }

    /// Drops what was printed but not yet written, for a command whose work was not kept.
    pub fn discard(self) {
        let (_, _unwritten) = self.stdout.into_parts();
    }

    pub fn flush(&mut self) -> Result<()> {
        self.stdout.flush()?;
        Ok(())
    }
}

/// `n` and the noun, plural unless one: "1 poll", "2 polls" (every noun counted takes "s").
pub use polltrack::model::count;

/// The columns a text takes in a terminal: East Asian wide characters (Korean, Chinese,
/// Japanese) take two, combining marks none.
pub fn display_width(text: &str) -> usize {
    text.width()
}

/// One line of a table whose columns are `widths` wide (in terminal columns, see
/// [`display_width`]); the last column is not padded.
pub fn table_line(widths: &[usize], row: &[String]) -> String {
    let mut line = String::new();
    for (i, cell) in row.iter().enumerate() {
        line.push_str(cell);
        if i + 1 < row.len() {
            let pad = widths[i].saturating_sub(display_width(cell)) + 2;
            line.extend(std::iter::repeat_n(' ', pad));
        }
    }
    line.truncate(line.trim_end().len());
    line
}

/// Warnings go to standard error, so they never mix with data.
pub fn warn(warnings: &[Warning]) {
    for warning in warnings {
        let line = super::hints::with_hint(&warning.message, warning.hint.as_ref());
        eprintln!("warning: {}", terminal_safe(&line));
    }
}

pub fn date_or_dash(date: Option<chrono::NaiveDate>) -> String {
    date.map(format_date).unwrap_or_else(|| "-".into())
}

/// A number without a trailing `.0`: 59 rather than 59.0, 1004.6 as it is.
pub fn number(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{}", n as i64)
    } else {
        format!("{n}")
    }
}

/// One line naming a poll: `Gallup Korea, kr-gsomia (a), 2016-11-18`.
pub fn summary(poll: &polltrack::model::Poll) -> String {
    // A poll of many result sets is named by its first few.
    const NAMED: usize = 5;
    let mut questions: Vec<String> = poll
        .results
        .iter()
        .take(NAMED)
        .map(|r| format!("{} ({})", r.question, r.population))
        .collect();
    if poll.results.len() > NAMED {
        questions.push(format!("{} more", poll.results.len() - NAMED));
    }
    format!(
        "{}, {}, {}",
        poll.pollster,
        questions.join(", "),
        date_or_dash(poll.date())
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wide_characters_take_two_columns() {
        let widths = [display_width("갤럽코리아"), 3];
        assert_eq!(widths[0], 10);
        let rows = [
            vec!["갤럽코리아".to_string(), "a".into(), "x".into()],
            vec!["Realmeter".to_string(), "abc".into(), "y".into()],
        ];
        assert_eq!(table_line(&widths, &rows[0]), "갤럽코리아  a    x");
        assert_eq!(table_line(&widths, &rows[1]), "Realmeter   abc  y");
    }
}
