//! The one place that builds CSV readers and writers, and the columns of the long format (a
//! contract: tests and users depend on their names and order).

use std::io::{BufRead, BufReader, Read, Write};

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

/// The columns an export adds after a format's own when asked (`export --extra-columns`), in
/// order: the poll's date (the middle of its field period, else its publication date), its
/// flags (`true`/`false`), and the titles of its sources as a JSON array of strings. At the
/// end, so readers of the format's columns by name or by position read them as before; an
/// import reads the flags and leaves the rest (worked out again, or matched by URL).
pub const EXTRA_COLUMNS: [&str; 5] = [
    "poll_date",
    "partisan",
    "tracking",
    "election",
    "source_titles",
];

/// Columns of an export an import knows and does not read: they are worked out again.
pub const DERIVED_COLUMNS: [&str; 2] = ["poll_date", "source_titles"];

/// Joins sponsors in one cell.
pub const SPONSOR_SEPARATOR: &str = "; ";
/// Joins source URLs in one cell.
pub const URL_SEPARATOR: &str = " ";

/// The separators a file's cells may be parted by: comma, semicolon (European spreadsheets),
/// tab, pipe (Europe Elects).
pub const SEPARATORS: [u8; 4] = [b',', b';', b'\t', b'|'];

/// How a separator is named in messages: `,`, `;`, `|`, or `tab`.
pub fn separator_name(separator: u8) -> &'static str {
    match separator {
        b';' => ";",
        b'\t' => "tab",
        b'|' => "|",
        _ => ",",
    }
}

/// A header line longer than this is not read further to tell its separator.
const MAX_SNIFFED: usize = 1 << 20;

/// A reader for files as they come: a header row, RFC 4180 quoting, any line ends, rows of
/// different lengths allowed (a short row is reported, not fatal). The UTF-8 byte-order mark
/// is dropped by the `csv` crate. A quoted cell that runs away (see [`Runaway`]) is watched
/// for: ask [`LineEnds::runaway`] through `get_ref()`. The cells are parted by `separator`,
/// or, when it is `None`, by the separator the header line holds most of outside quotes (see
/// [`sniff_separator`]); [`LineEnds::separator`] tells which.
pub fn reader<R: Read>(
    mut input: R,
    separator: Option<u8>,
) -> std::io::Result<csv::Reader<LineEnds<R>>> {
    // The header line is read ahead to tell its separator, then read again from memory.
    let mut head = Vec::new();
    let mut chunk = [0u8; 8192];
    let mut scanned = 0;
    let mut in_quotes = false;
    'reading: while head.len() < MAX_SNIFFED {
        let n = input.read(&mut chunk)?;
        if n == 0 {
            break;
        }
        head.extend_from_slice(&chunk[..n]);
        while scanned < head.len() {
            match head[scanned] {
                b'"' => in_quotes = !in_quotes,
                b'\n' | b'\r' if !in_quotes => break 'reading,
                _ => {}
            }
            scanned += 1;
        }
    }
    let separator = separator.unwrap_or_else(|| sniff_separator(&head));
    Ok(csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(true)
        .delimiter(separator)
        .from_reader(LineEnds {
            inner: BufReader::with_capacity(1 << 16, std::io::Cursor::new(head).chain(input)),
            quotes: QuoteWatch {
                separator,
                ..QuoteWatch::default()
            },
            line_bytes: 0,
            too_long: None,
        }))
}

/// The separator of a header line: of comma, semicolon, tab and pipe, the one it holds most of
/// outside quoted cells; a comma when there is none (a one-column file) or on a tie.
pub fn sniff_separator(text: &[u8]) -> u8 {
    let mut counts = [0usize; SEPARATORS.len()];
    let mut in_quotes = false;
    for &byte in text {
        match byte {
            b'"' => in_quotes = !in_quotes,
            b'\n' | b'\r' if !in_quotes => break,
            _ if !in_quotes => {
                if let Some(i) = SEPARATORS.iter().position(|s| *s == byte) {
                    counts[i] += 1;
                }
            }
            _ => {}
        }
    }
    let mut best = 0;
    for i in 1..SEPARATORS.len() {
        if counts[i] > counts[best] {
            best = i;
        }
    }
    SEPARATORS[best]
}

/// The longest line a file may have, in bytes: 1 MiB. A row of poll data is at most a few
/// kilobytes, a long note tens; a longer line is not CSV (a binary file, `/dev/zero`) and
/// would be held whole in memory, so reading stops there.
pub const MAX_LINE_BYTES: usize = 1 << 20;

/// A line longer than [`MAX_LINE_BYTES`]: its number, from 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LineTooLong(pub u64);

impl std::fmt::Display for LineTooLong {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "line {} is longer than {} bytes (1 MB), the longest line polltrack reads: is this \
             a CSV file?",
            self.0, MAX_LINE_BYTES
        )
    }
}

impl std::error::Error for LineTooLong {}

/// Reads `\r\n` and a lone `\r` (old Mac files) as `\n`. The `csv` crate accepts any of them,
/// but counts lines by `\n` only: a CRLF file's lines one short, a CR file all on line 1;
/// problems must name the right line. Watches the quotes on the way (see [`QuoteWatch`]).
pub struct LineEnds<R> {
    inner: BufReader<std::io::Chain<std::io::Cursor<Vec<u8>>, R>>,
    quotes: QuoteWatch,
    /// Bytes since the last line end, to stop at a line longer than [`MAX_LINE_BYTES`].
    line_bytes: usize,
    too_long: Option<LineTooLong>,
}

impl<R> LineEnds<R> {
    /// The separator the cells are parted by.
    pub fn separator(&self) -> u8 {
        self.quotes.separator
    }

    /// The line longer than [`MAX_LINE_BYTES`], once one is met: nothing is read past it.
    pub fn too_long(&self) -> Option<LineTooLong> {
        self.too_long
    }

    /// A quoted cell that has run away, once one has: the file cannot be read past it.
    pub fn runaway(&self) -> Option<&Runaway> {
        self.quotes.runaway.as_ref()
    }
}

impl<R: Read> Read for LineEnds<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if let Some(too_long) = self.too_long {
            return Err(std::io::Error::new(
                std::io::ErrorKind::InvalidData,
                too_long,
            ));
        }
        // Never hand out more than the rest of the allowed line, so the limit is checked below
        // before a byte past it is passed on.
        let room = (MAX_LINE_BYTES + 1).saturating_sub(self.line_bytes).max(1);
        let limit = buf.len().min(room);
        let written = self.read_line_ends(&mut buf[..limit])?;
        for &byte in &buf[..written] {
            if byte == b'\n' {
                self.line_bytes = 0;
            } else {
                self.line_bytes += 1;
            }
        }
        if self.line_bytes > MAX_LINE_BYTES {
            let too_long = LineTooLong(self.quotes.line.max(1));
            self.too_long = Some(too_long);
            return Err(std::io::Error::new(
                std::io::ErrorKind::InvalidData,
                too_long,
            ));
        }
        Ok(written)
    }
}

impl<R: Read> LineEnds<R> {
    fn read_line_ends(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let available = self.inner.fill_buf()?;
        if available.is_empty() {
            if !buf.is_empty() {
                self.quotes.end();
            }
            return Ok(0);
        }
        if buf.is_empty() {
            return Ok(0);
        }
        if available.len() == 1 && available[0] == b'\r' {
            // A `\r` at the end of the buffer: look at what follows before deciding.
            self.inner.consume(1);
            let next = self.inner.fill_buf()?;
            if next.first() == Some(&b'\n') {
                self.inner.consume(1);
            }
            buf[0] = b'\n';
            self.quotes.see(b'\n');
            return Ok(1);
        }
        let (mut read, mut written) = (0, 0);
        while read < available.len() && written < buf.len() {
            let mut byte = available[read];
            if byte == b'\r' {
                match available.get(read + 1) {
                    Some(b'\n') => {
                        read += 1;
                        continue;
                    }
                    // Decided on the next call, with what follows in view.
                    None => break,
                    Some(_) => byte = b'\n',
                }
            }
            buf[written] = byte;
            self.quotes.see(byte);
            written += 1;
            read += 1;
        }
        self.inner.consume(read);
        Ok(written)
    }
}

/// A quoted cell longer than this, over more than one line, is taken for a quote never closed.
pub const MAX_QUOTED_CELL: usize = 10_000;

/// A quoted cell that cannot be what the file meant: its quote opens at `line`, `column`
/// (characters, from 1) in field `field` (from 0) of its row, and it runs on as `how` says.
/// The rows after it cannot be told apart, so nothing past it can be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Runaway {
    pub line: u64,
    pub column: u64,
    pub field: usize,
    pub how: RunawayKind,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RunawayKind {
    /// The quote is never closed: the cell runs to the end of the file.
    ToTheEnd,
    /// The cell holds this line, which looks like a row of the file: as many commas as the
    /// header has separators, or the cell's closing quote opens a cell of this line (right
    /// after a comma) with at least as many cells before it as the runaway cell has.
    HoldsRow(u64),
    /// The cell runs over line ends for more than [`MAX_QUOTED_CELL`] bytes.
    TooLong,
}

impl std::fmt::Display for Runaway {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let (line, column) = (self.line, self.column);
        match self.how {
            RunawayKind::ToTheEnd => write!(
                f,
                "the quote that opens here (character {column}) is never closed, so the rest \
                 of the file would be read as one cell"
            ),
            RunawayKind::HoldsRow(row) => write!(
                f,
                "the quoted cell that opens here (character {column}) runs on over line {row}, \
                 which looks like a row of its own: a closing quote is probably missing"
            ),
            RunawayKind::TooLong => write!(
                f,
                "the quoted cell that opens here (character {column}) runs on over line ends \
                 for more than {MAX_QUOTED_CELL} characters: a closing quote is probably missing"
            ),
        }?;
        write!(
            f,
            "; close the quote that opens on line {line}, or write a quote inside a cell as \"\" \
             (the whole cell in quotes)"
        )
    }
}

/// Follows the quoting as the `csv` crate reads it (a quote opens only at the start of a cell,
/// `""` inside quotes is a quote), to tell where a quoted cell opened when it runs away.
/// "Commas" below are the file's separator, whichever it is.
#[derive(Debug)]
struct QuoteWatch {
    separator: u8,
    state: QuoteState,
    /// Where the reading is: line (from 1, once started) and character in the line.
    line: u64,
    column: u64,
    field: usize,
    /// Whether the current row has any byte yet (blank lines are no rows).
    row_started: bool,
    /// The separators of the header row, once read.
    header_commas: Option<usize>,
    /// The open quoted cell: where it opened, its bytes, the commas on its current line.
    open: (u64, u64, usize),
    quoted_bytes: usize,
    quoted_line_ends: usize,
    commas_on_line: usize,
    row_like_lines: usize,
    /// The byte before the current one, in a quoted cell (`\n` at a line's start).
    before_quote: u8,
    prev: u8,
    runaway: Option<Runaway>,
}

impl Default for QuoteWatch {
    fn default() -> QuoteWatch {
        QuoteWatch {
            separator: b',',
            state: QuoteState::default(),
            line: 0,
            column: 0,
            field: 0,
            row_started: false,
            header_commas: None,
            open: (0, 0, 0),
            quoted_bytes: 0,
            quoted_line_ends: 0,
            commas_on_line: 0,
            row_like_lines: 0,
            before_quote: 0,
            prev: 0,
            runaway: None,
        }
    }
}

#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
enum QuoteState {
    #[default]
    CellStart,
    Unquoted,
    Quoted,
    /// A quote inside a quoted cell: doubled, or the cell's end.
    QuoteInQuoted,
}

impl QuoteWatch {
    #[inline]
    fn see(&mut self, byte: u8) {
        if self.line == 0 {
            self.line = 1;
        }
        // Characters, not bytes: UTF-8 continuation bytes do not count.
        if byte & 0xC0 != 0x80 {
            self.column += 1;
        }
        if self.state == QuoteState::QuoteInQuoted && byte != b'"' {
            self.closed();
        }
        match (self.state, byte) {
            (QuoteState::Quoted, b'"') => {
                self.before_quote = self.prev;
                self.state = QuoteState::QuoteInQuoted;
            }
            (QuoteState::Quoted, b'\n') => self.quoted_line_end(),
            (QuoteState::Quoted, b) if b == self.separator => {
                self.commas_on_line += 1;
                self.quoted_bytes += 1;
            }
            (QuoteState::Quoted, _) => {
                self.quoted_bytes += 1;
                if self.quoted_bytes > MAX_QUOTED_CELL && self.quoted_line_ends > 0 {
                    self.run_away(RunawayKind::TooLong);
                }
            }
            (QuoteState::QuoteInQuoted, b'"') => {
                self.state = QuoteState::Quoted;
                self.quoted_bytes += 1;
            }
            (_, b) if b == self.separator => {
                self.row_started = true;
                self.field += 1;
                self.state = QuoteState::CellStart;
            }
            (_, b'\n') => {
                if self.row_started && self.header_commas.is_none() {
                    self.header_commas = Some(self.field);
                }
                self.field = 0;
                self.row_started = false;
                self.state = QuoteState::CellStart;
            }
            (QuoteState::CellStart, b'"') => {
                self.row_started = true;
                self.state = QuoteState::Quoted;
                self.open = (self.line, self.column, self.field);
                self.quoted_bytes = 0;
                self.quoted_line_ends = 0;
                self.commas_on_line = 0;
                self.row_like_lines = 0;
            }
            _ => {
                self.row_started = true;
                self.state = QuoteState::Unquoted;
            }
        }
        self.prev = byte;
        if byte == b'\n' {
            self.line += 1;
            self.column = 0;
        }
    }

    /// A quoted cell has just closed. Closed on a later line than it opened, right after a
    /// comma, with at least as many commas before it on that line as cells before the one it
    /// opened in, its closing quote is the opening quote of a row of the file that it has
    /// swallowed (`"see p.3` never closed, then a row whose note is quoted). A note that ends
    /// with a comma on a line of its own with that many commas is the only real cell read so.
    fn closed(&mut self) {
        if self.quoted_line_ends > 0
            && self.before_quote == self.separator
            && self.commas_on_line >= self.open.2.max(1)
        {
            self.run_away(RunawayKind::HoldsRow(self.line));
        }
    }

    /// A line end inside a quoted cell: fine in a note, but not a line that looks like a row.
    fn quoted_line_end(&mut self) {
        self.quoted_bytes += 1;
        self.quoted_line_ends += 1;
        self.check_line();
        self.commas_on_line = 0;
    }

    /// Whether the quoted cell's line just read (the current line) looks like a row: as many
    /// commas as the header has, in a file of 4 columns or more. In a file of 8 or more, one
    /// such line is enough; in a narrower one, where a note's line could hold that many, two.
    fn check_line(&mut self) {
        let Some(commas) = self.header_commas.filter(|c| *c >= 3) else {
            return;
        };
        // The quote's own line holds the rest of its row, not a row of its own.
        if self.line > self.open.0 && self.commas_on_line >= commas {
            self.row_like_lines += 1;
            let needed = if commas >= 7 { 1 } else { 2 };
            if self.row_like_lines >= needed {
                self.run_away(RunawayKind::HoldsRow(self.line));
            }
        }
    }

    /// The end of the input.
    fn end(&mut self) {
        if self.state == QuoteState::QuoteInQuoted {
            self.closed();
        }
        if self.state == QuoteState::Quoted {
            self.check_line();
            if self.quoted_line_ends > 0 {
                self.run_away(RunawayKind::ToTheEnd);
            }
        }
    }

    fn run_away(&mut self, how: RunawayKind) {
        if self.runaway.is_none() {
            let (line, column, field) = self.open;
            self.runaway = Some(Runaway {
                line,
                column,
                field,
                how,
            });
        }
    }
}

/// A writer of UTF-8 CSV with `\n` line ends, quoting only where needed.
pub fn writer<W: Write>(output: W) -> csv::Writer<W> {
    csv::WriterBuilder::new()
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(output)
}

/// As [`writer`], for rows as they came, which need not be as long as the header.
pub fn flexible_writer<W: Write>(output: W) -> csv::Writer<W> {
    csv::WriterBuilder::new()
        .terminator(csv::Terminator::Any(b'\n'))
        .flexible(true)
        .from_writer(output)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Reads through a tiny buffer, so `\r\n` is split across reads.
    fn through(input: &[u8], chunk: usize) -> Vec<u8> {
        let mut reader = LineEnds {
            inner: BufReader::with_capacity(chunk, std::io::Cursor::new(Vec::new()).chain(input)),
            quotes: QuoteWatch::default(),
            line_bytes: 0,
            too_long: None,
        };
        let mut out = Vec::new();
        let mut buf = vec![0; chunk];
        loop {
            let n = reader.read(&mut buf).unwrap();
            if n == 0 {
                return out;
            }
            out.extend_from_slice(&buf[..n]);
        }
    }

    #[test]
    fn crlf_and_lone_cr_become_lf() {
        for chunk in [1, 2, 3, 64] {
            assert_eq!(
                through(b"a,b\r\nc\rd\r\n\r\ne\r", chunk),
                b"a,b\nc\nd\n\ne\n",
                "{chunk}"
            );
        }
    }

    #[test]
    fn lone_cr_files_report_true_line_numbers() {
        let mut csv = reader(&b"h\r1\r2\r"[..], None).unwrap();
        let lines: Vec<u64> = csv
            .byte_records()
            .map(|r| r.unwrap().position().unwrap().line())
            .collect();
        assert_eq!(lines, vec![2, 3]);
    }

    /// Reads a whole file and says where its quoting ran away, if it did.
    fn runaway(input: &str) -> Option<Runaway> {
        let mut csv = reader(input.as_bytes(), None).unwrap();
        for record in csv.byte_records() {
            record.unwrap();
        }
        csv.get_ref().runaway().cloned()
    }

    #[test]
    fn a_quote_never_closed_is_found_where_it_opens() {
        let header = "a,b,c,d,e,f,g,h\n";
        let row = "1,2,3,4,5,6,7,8\n";
        let file = format!("{header}{row}1,2,3,4,5,6,7,\"see p.3\n{row}{row}");
        let found = runaway(&file).expect("runaway");
        assert_eq!((found.line, found.column, found.field), (3, 15, 7));
        assert_eq!(found.how, RunawayKind::HoldsRow(4));
        // At the very end, in a narrow file.
        let found = runaway("a,b\n1,\"x\ny\n").expect("runaway");
        assert_eq!((found.line, found.column, found.field), (2, 3, 1));
        assert_eq!(found.how, RunawayKind::ToTheEnd);
        let found = runaway(&format!("a,b\n1,\"x\n{}\"\n", "y".repeat(10_001))).expect("runaway");
        assert_eq!(found.how, RunawayKind::TooLong);
        // Characters, not bytes, count the column.
        let found = runaway("a,b,c\n한국,\"x\n").expect("runaway");
        assert_eq!(found.column, 4);
    }

    #[test]
    fn a_quote_closed_by_a_later_rows_quoted_cell_is_found() {
        // 17 columns: the note of row 1 swallows row 2, whose note is quoted.
        let header = LONG_COLUMNS.join(",");
        let plain = |id: u32| format!("{id},P{id},,,,2024-03-02,,,,,,q,,Yes,40,,\n");
        let mut file = format!("{header}\n1,P1,,,,2024-03-01,,,,,,q,,Yes,40,,\"see p.3\n");
        file.push_str("2,P2,,,,2024-03-02,,,,,,q,,Yes,40,,\"Weighted by \"\"age\"\"\"\n");
        for id in 3..=10 {
            file.push_str(&plain(id));
        }
        let found = runaway(&file).expect("runaway");
        assert_eq!((found.line, found.field), (2, 16));
        assert_eq!(found.how, RunawayKind::HoldsRow(3));
        // 4 columns, one row swallowed, in the last column or the one before; and at the end.
        for file in [
            "a,b,c,d\n1,x,y,\"see p.3\n2,x,y,\"note\"\n3,x,y,z\n",
            "a,b,c,d\n1,x,\"see p.3,z\n2,x,\"note\",z\n3,x,y,z\n",
            "a,b,c,d\n1,x,y,\"see p.3\n2,x,y,z\n3,x,y,\"note\"",
            "a,b\n1,\"see p.3\n2,\"note\"\n3,x\n",
        ] {
            let found = runaway(file).expect(file);
            assert_eq!(found.line, 2, "{file:?}");
            assert!(matches!(found.how, RunawayKind::HoldsRow(_)), "{file:?}");
        }
    }

    #[test]
    fn quotes_that_close_are_fine() {
        for file in [
            "a,b,c,d,e,f,g,h\n1,2,3,4,5,6,7,\"a note\nover, two lines\"\n1,2,3,4,5,6,7,8\n",
            "a,b\n1,\"say \"\"hi\"\"\"\n2,x\"y\n3,\"unclosed on one line",
            "a,b,c,d\n1,2,3,\"one line, like, a row\"\n",
            "a,b,c,d\n1,2,3,\"note\n1,2,3,4\n\"\n",
            // Notes over lines that hold commas and quotes, and one that ends with a line end.
            "a,b,c,d\n1,2,3,\"first, line\nsecond, third, fourth, \"\"quoted\"\"\"\n4,5,6,7\n",
            "a,b,c,d\n1,2,\"line one\n\",4\n\"\"\"x\n,\"\"\",6,7,8\n",
            "a,b,c,d\n1,2,3,\"ends with, a comma,\nand, this,\"\n",
        ] {
            assert_eq!(runaway(file), None, "{file:?}");
        }
    }

    /// Reads a whole file: the first line too long, if any, and the records read before it.
    fn too_long(input: &[u8]) -> (Option<LineTooLong>, usize) {
        let mut csv = reader(input, None).expect("a header");
        let mut records = 0;
        for record in csv.byte_records() {
            if record.is_err() {
                break;
            }
            records += 1;
        }
        (csv.get_ref().too_long(), records)
    }

    #[test]
    fn a_line_longer_than_the_limit_stops_the_reading_where_it_is() {
        let long = "x".repeat(MAX_LINE_BYTES + 1);
        let at_limit = "x".repeat(MAX_LINE_BYTES);
        assert_eq!(
            too_long(format!("a,b\n1,{long}\n").as_bytes()).0,
            Some(LineTooLong(2))
        );
        assert_eq!(
            too_long(format!("{long}\n1,2\n").as_bytes()).0,
            Some(LineTooLong(1))
        );
        assert_eq!(
            too_long(&vec![0; 3 * MAX_LINE_BYTES]),
            (Some(LineTooLong(1)), 0)
        );
        // In a quoted cell, and after lines of any number: CRLF ends count as one byte.
        let file = format!("a,b\r\n1,2\r\n3,\"{long}\"\r\n");
        assert_eq!(too_long(file.as_bytes()), (Some(LineTooLong(3)), 1));
        // A line of exactly the limit is read (less its line end), and many such lines.
        let at = &at_limit[2..];
        let file = format!("a,b\n1,{at}\n2,{at}\r\n3,{at}");
        assert_eq!(too_long(file.as_bytes()), (None, 3));
    }

    /// Every real poll file of the shared data folder reads to its end: no quote taken for a
    /// runaway, no line too long. Skips with a message when the folder is absent.
    #[test]
    fn real_files_read_without_a_runaway_quote() {
        let Some(data) = crate::test_support::shared_data("") else {
            return;
        };
        let mut folders = vec![data];
        let mut files = Vec::new();
        while let Some(folder) = folders.pop() {
            for entry in std::fs::read_dir(&folder).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    folders.push(path);
                } else if path
                    .extension()
                    .is_some_and(|e| e.eq_ignore_ascii_case("csv"))
                {
                    files.push(path);
                }
            }
        }
        assert!(!files.is_empty());
        for path in files {
            let mut csv = reader(std::fs::File::open(&path).unwrap(), None).unwrap();
            let mut records = 0;
            for record in csv.byte_records() {
                record.unwrap_or_else(|e| panic!("{}: {e}", path.display()));
                records += 1;
            }
            let watched = csv.get_ref();
            assert_eq!(watched.runaway(), None, "{}", path.display());
            assert_eq!(watched.too_long(), None, "{}", path.display());
            eprintln!("{}: {records} rows", path.display());
        }
    }

    #[test]
    fn the_separator_is_the_one_the_header_holds_most_of_outside_quotes() {
        assert_eq!(sniff_separator(b"Datum;Institut;Befragte\n1,2;3"), b';');
        assert_eq!(sniff_separator(b"a|b|c"), b'|');
        assert_eq!(sniff_separator(b"a\tb,c\td"), b'\t');
        assert_eq!(sniff_separator(b"\"a,b,c\";\"d\""), b';');
        assert_eq!(sniff_separator(b"pollster"), b',');
        assert_eq!(sniff_separator(b"a;b,c|d"), b',');
        assert_eq!(sniff_separator(b"a;b\nc,d,e,f"), b';');
        // Read through the header a chunk at a time, rows after it read as they were.
        let mut csv = reader(&b"a;b\r\n1;\"x;y\"\r\n"[..], None).unwrap();
        let row = csv.records().next().unwrap().unwrap();
        assert_eq!((&row[0], &row[1]), ("1", "x;y"));
        assert_eq!(csv.get_ref().separator(), b';');
    }

    #[test]
    fn crlf_files_report_true_line_numbers() {
        let mut csv = reader(&b"h\r\n1\r\n2\r\n"[..], None).unwrap();
        let lines: Vec<u64> = csv
            .byte_records()
            .map(|r| r.unwrap().position().unwrap().line())
            .collect();
        assert_eq!(lines, vec![2, 3]);
    }
}
