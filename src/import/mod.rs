//! Reading poll files into model values: our long format, any table with a mapping (wide or
//! long), and FiveThirtyEight's files through a built-in mapping. Every problem is reported
//! with file, line and column. Never touches the database.
//!
//! Rows stream through: a poll is complete when the next row belongs to another poll, so memory
//! stays flat however long the file is. A poll's rows must therefore be adjacent, unless the
//! options say to gather them from the whole file (`Options::gather`).

mod fields;
mod fivethirtyeight;
mod mapping;
pub mod values;

pub use fields::Field;
pub use fivethirtyeight::fivethirtyeight_options;
pub use mapping::{Mapping, Options, parse_answer_columns, slugify};

use crate::csv_format::LineTooLong;
use crate::error::{Error, Hint};
use crate::model::{
    Answer, Poll, ResultSet, Source, normalize_poll, normalize_population, validate_poll,
};
use chrono::NaiveDate;
use csv::ByteRecord;
use std::collections::hash_map::DefaultHasher;
use std::collections::{HashMap, HashSet, VecDeque};
use std::hash::{Hash, Hasher};
use std::io::Read;

/// A poll read from a file, with where it came from.
#[derive(Debug, Clone, PartialEq)]
pub struct ImportedPoll {
    pub poll: Poll,
    /// The file's own key for the poll (`poll_id`), when it is a whole number.
    pub file_id: Option<i64>,
    /// The file's own key for the poll (`poll_id`) as written, when the file gives one.
    pub file_key: Option<String>,
    /// The source's own id of each of its result sets (538's `question_id`), in the order of
    /// `poll.results`, where the file gives one.
    pub question_ids: Vec<Option<String>>,
    /// The line of each of its rows.
    pub lines: Vec<u64>,
    /// What looks doubtful, as `FILE:LINE: warning: ...`.
    pub warnings: Vec<String>,
    /// Its rows as they were, when asked for with [`PollReader::keep_records`].
    pub records: Vec<ByteRecord>,
}

/// A poll that cannot be imported: its rows as they were, and every problem found.
#[derive(Debug, Clone, PartialEq)]
pub struct Rejected {
    pub lines: Vec<u64>,
    pub records: Vec<ByteRecord>,
    /// Each as `FILE:LINE: column NAME: what is wrong`.
    pub problems: Vec<String>,
    /// Whether the file cannot be read past this point (a quote never closed): where the
    /// following rows begin is unknown, so no row after it can be trusted, nor skipped.
    pub fatal: bool,
}

/// Reads polls from CSV, one at a time.
pub struct PollReader<R: Read> {
    csv: csv::Reader<crate::csv_format::LineEnds<R>>,
    mapping: Mapping,
    file: String,
    group: Option<Group>,
    /// Explicit poll keys already finished, to catch a poll whose rows are not adjacent.
    finished_keys: HashSet<u64>,
    done: bool,
    /// With [`Options::gather`], every row of the file, each poll's rows together.
    gathered: Option<VecDeque<ReadRow>>,
    /// Bytes and fields of the last row read.
    last_row_size: (usize, usize),
    /// Records of polls read well, to read the next rows into without allocating anew.
    spare_records: Vec<ByteRecord>,
    /// Whether polls read well keep their rows' records (see [`PollReader::keep_records`]).
    keep_records: bool,
    /// In a file wide by pollster, the rows a row of the file was parted into, not yet read.
    per_pollster: VecDeque<(Row, ByteRecord)>,
}

/// A row read, or a row the CSV reader could not read.
/// The reader and the trimmed names of the header row, or why it cannot be read.
fn read_header<R: Read>(
    input: R,
    file: &str,
    separator: Option<u8>,
) -> Result<(csv::Reader<crate::csv_format::LineEnds<R>>, Vec<String>), String> {
    let mut csv = crate::csv_format::reader(input, separator)
        .map_err(|e| format!("{file}: the header row cannot be read: {e}"))?;
    if let Err(e) = csv.byte_headers() {
        return Err(match csv.get_ref().too_long() {
            Some(LineTooLong(line)) => format!("{file}:{line}: {}", LineTooLong(line)),
            None => format!("{file}: the header row cannot be read: {}", read_error(&e)),
        });
    }
    let raw = csv
        .byte_headers()
        .map_err(|e| format!("{file}: the header row cannot be read: {}", read_error(&e)))?;
    let first = raw.get(0).unwrap_or_default();
    if first.starts_with(b"\xff\xfe") || first.starts_with(b"\xfe\xff") {
        return Err(format!(
            "{file}: the file is UTF-16 text: save it as UTF-8 (in a spreadsheet, as \
                 \"CSV UTF-8\")"
        ));
    }
    // A byte-order mark the `csv` crate leaves (a second one, from a file saved twice) would
    // hide the first column's name.
    let headers = raw
        .iter()
        .map(|h| {
            let name = String::from_utf8_lossy(h);
            name.trim()
                .trim_start_matches('\u{feff}')
                .trim()
                .to_string()
        })
        .collect::<Vec<String>>();
    if let Some(runaway) = csv.get_ref().runaway().filter(|r| r.line == 1) {
        return Err(format!("{file}:1: {runaway}"));
    }
    Ok((csv, headers))
}

type ReadRow = Result<(Row, ByteRecord), Rejected>;

impl<R: Read> PollReader<R> {
    /// Reads the header and works out which column holds what. `file` names the input in
    /// messages.
    pub fn new(input: R, file: &str, options: &Options) -> crate::Result<PollReader<R>> {
        PollReader::open(input, file, options.separator, |_| Ok(options.clone()))
    }

    /// As [`PollReader::new`], with the options chosen once the header is known (a built-in
    /// format recognises its layout by its columns).
    pub fn with_options_from(
        input: R,
        file: &str,
        options: impl FnOnce(&[String]) -> crate::Result<Options>,
    ) -> crate::Result<PollReader<R>> {
        PollReader::open(input, file, None, options)
    }

    /// As [`PollReader::with_options_from`], the cells parted by `separator`, or, when `None`,
    /// by the separator the header line holds (see [`crate::csv_format::sniff_separator`]).
    pub fn open(
        input: R,
        file: &str,
        separator: Option<u8>,
        options: impl FnOnce(&[String]) -> crate::Result<Options>,
    ) -> crate::Result<PollReader<R>> {
        let (csv, headers) = read_header(input, file, separator).map_err(Error::invalid)?;
        let given_separator = separator.is_some();
        let separator = csv.get_ref().separator();
        // A header of one column that holds another separator: the cells are parted by that
        // one, which says more than what was missing.
        let in_file = |e: Error| match one_column_separator(&headers, separator) {
            Some(other) => {
                let refused = Error::invalid(format!(
                    "{file}: the header is one column, \"{}\", that holds \"{}\": the file's \
                     cells seem to be parted by {}, not by {}",
                    crate::model::printable(&headers[0]),
                    crate::csv_format::separator_name(other),
                    crate::csv_format::separator_name(other),
                    crate::csv_format::separator_name(separator),
                ));
                if given_separator {
                    Error::invalid(format!("{refused}: check the separator given"))
                } else {
                    refused.with_hint(Hint::GiveSeparator)
                }
            }
            None => e.in_context(file),
        };
        let options = options(&headers).map_err(in_file)?;
        let mapping = Mapping::new(&headers, &options).map_err(in_file)?;
        Ok(PollReader {
            csv,
            mapping,
            file: file.to_string(),
            group: None,
            finished_keys: HashSet::new(),
            done: false,
            gathered: None,
            last_row_size: (256, 32),
            spare_records: Vec::new(),
            keep_records: false,
            per_pollster: VecDeque::new(),
        })
    }

    pub fn headers(&self) -> &[String] {
        self.mapping.headers()
    }

    /// The file's columns nothing reads (see [`Mapping::unread_columns`]).
    pub fn unread_columns(&self) -> Vec<&str> {
        self.mapping.unread_columns()
    }

    /// Polls read well keep their rows as they were, for a rejects file.
    pub fn keep_records(&mut self) {
        self.keep_records = true;
    }

    /// The file's name of the column `field` is read from, if it has one.
    pub fn column_name(&self, field: Field) -> Option<&str> {
        self.mapping.column(field).map(|c| self.mapping.header(c))
    }

    /// Whether the file has a column for `field`.
    pub fn gives(&self, field: Field) -> bool {
        self.mapping.column(field).is_some()
    }

    /// The kind of the file's questions: the user's `--kind`, else what a built-in format
    /// knows of its layout.
    pub fn question_kind(&self) -> Option<crate::model::QuestionKind> {
        self.mapping.kind()
    }

    /// Bytes read so far, for a progress bar.
    pub fn position(&self) -> u64 {
        self.csv.position().byte()
    }

    fn finish_group(&mut self) -> Option<Result<ImportedPoll, Rejected>> {
        let group = self.group.take()?;
        if let Some(key) = group.explicit_key {
            self.finished_keys.insert(key);
        }
        let (mut poll, records) = group.into_poll(&self.file, &self.mapping);
        match poll.as_mut() {
            // Kept for a rejects file, should the database refuse the poll.
            Ok(imported) if self.keep_records => imported.records = records,
            _ if self.spare_records.len() < 64 => self.spare_records.extend(records),
            _ => {}
        }
        Some(poll)
    }

    /// The next row: from the file, or from the rows gathered from it.
    fn read_row(&mut self) -> Option<ReadRow> {
        if self.mapping.gathers() && self.gathered.is_none() {
            // Every row at once, each poll's rows put together, polls in the order they appear.
            let mut polls: Vec<Vec<ReadRow>> = Vec::new();
            let mut index = HashMap::new();
            while let Some(read) = self.read_record() {
                let slot = match &read {
                    Ok((row, _)) => *index.entry(row.key).or_insert(polls.len()),
                    Err(_) => polls.len(),
                };
                if slot == polls.len() {
                    polls.push(Vec::new());
                }
                polls[slot].push(read);
            }
            self.gathered = Some(polls.into_iter().flatten().collect());
        }
        match self.gathered.as_mut() {
            Some(rows) => rows.pop_front(),
            None => self.read_record(),
        }
    }

    /// The next row of the file; in a file wide by pollster, each of a row's polls in turn.
    fn read_record(&mut self) -> Option<ReadRow> {
        loop {
            if let Some(row) = self.per_pollster.pop_front() {
                return Some(Ok(row));
            }
            match self.read_file_record()? {
                Ok((row, record)) if self.mapping.by_pollster() => {
                    self.per_pollster = row.per_pollster(record, &self.mapping).into();
                }
                read => return Some(read),
            }
        }
    }

    fn read_file_record(&mut self) -> Option<ReadRow> {
        if self.done {
            return None;
        }
        // Sized like the last row, so reading does not regrow it field by field.
        let mut record = self.spare_records.pop().unwrap_or_else(|| {
            ByteRecord::with_capacity(self.last_row_size.0, self.last_row_size.1)
        });
        let line = self.csv.position().line();
        let read = self.csv.read_byte_record(&mut record);
        if let Some(runaway) = self.runaway() {
            return Some(Err(runaway));
        }
        if let Some(too_long) = self.csv.get_ref().too_long() {
            self.done = true;
            self.gathered = None;
            return Some(Err(Rejected {
                lines: vec![too_long.0],
                records: Vec::new(),
                problems: vec![format!("{}:{}: {too_long}", self.file, too_long.0)],
                fatal: true,
            }));
        }
        match read {
            Ok(false) => {
                self.done = true;
                None
            }
            Ok(true) => {
                self.last_row_size = (record.as_slice().len(), record.len());
                let line = record.position().map(|p| p.line()).unwrap_or(line);
                if let Some(broken) = self.misquoted(&record, line) {
                    return Some(Err(broken));
                }
                let row = Row::read(&record, line, &self.file, &self.mapping);
                Some(Ok((row, record)))
            }
            Err(e) => {
                let line = e.position().map(|p| p.line()).unwrap_or(line);
                // Past a failure to read the file itself, nothing more can be read.
                let fatal = matches!(e.kind(), csv::ErrorKind::Io(_));
                self.done |= fatal;
                Some(Err(Rejected {
                    lines: vec![line],
                    records: Vec::new(),
                    problems: vec![format!("{}:{line}: {}", self.file, read_error(&e))],
                    fatal,
                }))
            }
        }
    }

    /// A row of the wrong length holding a cell over line ends: a quote closed too late (by a
    /// stray quote further on) has run rows together, so where rows begin is unknown from here.
    fn misquoted(&mut self, record: &ByteRecord, line: u64) -> Option<Rejected> {
        if record.len() == self.mapping.headers().len() {
            return None;
        }
        let field = record.iter().position(|cell| cell.contains(&b'\n'))?;
        let line = line
            + record
                .iter()
                .take(field)
                .map(|cell| cell.iter().filter(|b| **b == b'\n').count() as u64)
                .sum::<u64>();
        self.done = true;
        self.gathered = None;
        Some(Rejected {
            lines: vec![line],
            records: Vec::new(),
            problems: vec![format!(
                "{}:{line}: column {}: the quoted cell that opens here runs on over line ends, \
                 and its row has {} fields where the header has {}: a quote is probably not \
                 closed where it should be; close it, or write a quote inside a cell as \"\" \
                 (the whole cell in quotes)",
                self.file,
                self.mapping.header(field),
                record.len(),
                self.mapping.headers().len()
            )],
            fatal: true,
        })
    }

    /// A quoted cell that ran away, the first time it is seen: the reading ends there.
    fn runaway(&mut self) -> Option<Rejected> {
        let runaway = self.csv.get_ref().runaway()?.clone();
        self.done = true;
        self.gathered = None;
        let column = self.mapping.header(runaway.field).to_string();
        Some(Rejected {
            lines: vec![runaway.line],
            records: Vec::new(),
            problems: vec![format!(
                "{}:{}: column {column}: {runaway}",
                self.file, runaway.line
            )],
            fatal: true,
        })
    }
}

impl<R: Read> Iterator for PollReader<R> {
    type Item = Result<ImportedPoll, Rejected>;

    fn next(&mut self) -> Option<Self::Item> {
        while let Some(read) = self.read_row() {
            match read {
                Ok((row, record)) => {
                    let line = row.line;
                    // Rows without a poll_id belong together when their poll details agree;
                    // in a wide file, a repeated question and population is another poll
                    // (two institutes' polls published the same day, say).
                    let same = self.group.as_ref().is_some_and(|g| {
                        g.key == row.key
                            && !(g.explicit_key.is_none()
                                && self.mapping.one_result_set_per_row()
                                && g.has_result(&row.question, &row.population))
                    });
                    if same {
                        if let Some(group) = self.group.as_mut() {
                            group.push(row, record, &self.file, &self.mapping);
                        }
                        continue;
                    }
                    let finished = self.finish_group();
                    let mut group = Group::new(row, record, &self.file, &self.mapping);
                    if let Some(key) = group.explicit_key
                        && self.finished_keys.contains(&key)
                    {
                        group.problems.push(format!(
                            "{}:{line}: column {}: the rows of poll_id {} are not together: put \
                             each poll's rows next to each other (sort the file by poll_id)",
                            self.file,
                            self.mapping.column_name(Field::PollId),
                            group.key_text
                        ));
                    }
                    self.group = Some(group);
                    if finished.is_some() {
                        return finished;
                    }
                }
                Err(rejected) if rejected.fatal => {
                    // Nothing read so far can be trusted either: the runaway cell may hold
                    // the rows of the poll being read.
                    self.group = None;
                    self.gathered = Some(VecDeque::new());
                    return Some(Err(rejected));
                }
                Err(rejected) => {
                    let finished = self.finish_group();
                    return match finished {
                        Some(poll) => {
                            // Report the unreadable row next time round.
                            self.group = Some(Group::broken(rejected));
                            Some(poll)
                        }
                        None => Some(Err(rejected)),
                    };
                }
            }
        }
        self.finish_group()
    }
}

/// One row's values, read and checked.
#[derive(Debug, Clone)]
struct Row {
    line: u64,
    key: u64,
    key_text: String,
    explicit_key: bool,
    poll: PollFields,
    /// What tells the row's question apart, with [`Options::question_key`].
    question_key: Option<String>,
    question: String,
    wording: Option<String>,
    population: String,
    sample_size: Option<f64>,
    margin_of_error: Option<f64>,
    answers: Vec<Answer>,
    /// The column each answer came from.
    answer_columns: Vec<usize>,
    problems: Vec<String>,
    /// Columns whose cells could not be read.
    failed: Vec<usize>,
}

/// What a poll's rows must agree on.
#[derive(Debug, Clone, PartialEq, Hash)]
struct PollFields {
    pollster: String,
    sponsors: Vec<String>,
    field_start: Option<NaiveDate>,
    field_end: Option<NaiveDate>,
    published_on: Option<NaiveDate>,
    mode: Option<String>,
    region: Option<String>,
    partisan: bool,
    tracking: bool,
    election: bool,
    notes: Option<String>,
    source_urls: Vec<String>,
}

impl PollFields {
    /// Whether two rows agree on all but what a file may give per question (sources, notes,
    /// tracking, publication day).
    fn agrees_but_details(&self, other: &PollFields) -> bool {
        self.pollster == other.pollster
            && self.sponsors == other.sponsors
            && self.field_start == other.field_start
            && self.field_end == other.field_end
            && self.mode == other.mode
            && self.region == other.region
            && self.partisan == other.partisan
    }

    /// Takes in another question's sources and notes; tracking if either row says so; the
    /// earliest publication day, as a poll is known from its first question's (538's approval
    /// list dates a question added to a poll later by the day it was added).
    fn merge_details(&mut self, other: PollFields) {
        self.published_on = match (self.published_on, other.published_on) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        for url in other.source_urls {
            if !self.source_urls.contains(&url) {
                self.source_urls.push(url);
            }
        }
        if let Some(note) = other.notes {
            match self.notes.as_mut() {
                Some(notes) if notes.split("; ").any(|n| n == note) => {}
                Some(notes) => {
                    notes.push_str("; ");
                    notes.push_str(&note);
                }
                None => self.notes = Some(note),
            }
        }
        self.tracking |= other.tracking;
        self.election |= other.election;
    }
}

impl Row {
    /// A row of a file wide by pollster as one row per pollster column with a value, each that
    /// pollster's poll giving the one answer. A row with no value in any of them gives no poll,
    /// unless it has problems of its own, which it keeps.
    fn per_pollster(self, record: ByteRecord, mapping: &Mapping) -> Vec<(Row, ByteRecord)> {
        if self.answers.is_empty() {
            return match self.problems.is_empty() {
                true => Vec::new(),
                false => vec![(self, record)],
            };
        }
        let pairs: Vec<(Answer, usize)> = self
            .answers
            .iter()
            .cloned()
            .zip(self.answer_columns.iter().copied())
            .collect();
        pairs
            .into_iter()
            .map(|(answer, column)| {
                let mut row = self.clone();
                row.poll.pollster = mapping
                    .pollster_of_column(column)
                    .unwrap_or_default()
                    .to_string();
                row.answers = vec![answer];
                row.answer_columns = vec![column];
                // Each pollster's poll is a poll of its own, whatever key the row has.
                row.key = match row.explicit_key {
                    true => hash(&(&row.key_text, &row.poll.pollster)),
                    false => hash(&row.poll),
                };
                (row, record.clone())
            })
            .collect()
    }

    fn read(record: &ByteRecord, line: u64, file: &str, mapping: &Mapping) -> Row {
        let mut problems = Vec::new();
        let mut failed = Vec::new();
        let mut reader = mapping::CellReader {
            record,
            line,
            file,
            mapping,
            problems: &mut problems,
            failed: &mut failed,
        };
        let pollster = reader
            .text(Field::Pollster)
            .or_else(|| mapping.constant_pollster().map(str::to_string))
            .unwrap_or_default();
        let sponsors = reader.list(Field::Sponsors, crate::csv_format::SPONSOR_SEPARATOR.trim());
        let (field_start, field_end) = reader.field_period();
        let poll = PollFields {
            pollster,
            sponsors,
            field_start,
            field_end,
            published_on: reader.date(Field::PublishedOn),
            mode: reader.text(Field::Mode),
            region: reader.text(Field::Region),
            partisan: reader.flag(Field::Partisan),
            tracking: reader.flag(Field::Tracking),
            election: reader.flag(Field::Election),
            notes: reader.text(Field::Notes),
            source_urls: reader.list(Field::SourceUrls, crate::csv_format::URL_SEPARATOR),
        };
        let question_key = reader.question_key();
        let (question, wording) = reader.question();
        let population = reader.population();
        let sample_size = reader.number(Field::SampleSize, values::sample_size);
        let margin_of_error = reader.number(Field::MarginOfError, values::margin_of_error);
        let (answers, answer_columns) = reader.answers();
        let explicit = reader.poll_key();
        let (key, key_text, explicit_key) = match explicit {
            Some(id) => (hash(&id), id, true),
            None => (hash(&poll), String::new(), false),
        };
        Row {
            line,
            key,
            key_text,
            explicit_key,
            poll,
            question_key,
            question,
            wording,
            population,
            sample_size,
            margin_of_error,
            answers,
            answer_columns,
            problems,
            failed,
        }
    }
}

/// The separator a one-column header holds besides the file's, if it holds one: a sign that
/// the file is parted by another separator than it was read with.
fn one_column_separator(headers: &[String], separator: u8) -> Option<u8> {
    let [header] = headers else {
        return None;
    };
    crate::csv_format::SEPARATORS
        .into_iter()
        .filter(|s| *s != separator)
        .max_by_key(|s| header.bytes().filter(|b| b == s).count())
        .filter(|s| header.as_bytes().contains(s))
}

fn hash(value: &impl Hash) -> u64 {
    let mut hasher = DefaultHasher::new();
    value.hash(&mut hasher);
    hasher.finish()
}

/// The rows of one poll, gathered.
struct Group {
    key: u64,
    key_text: String,
    explicit_key: Option<u64>,
    first: Option<PollFields>,
    first_line: u64,
    results: Vec<ResultSet>,
    /// For each result set, the value telling its question apart, if any.
    question_keys: Vec<Option<String>>,
    /// The indices in `results` of each question and population (in ASCII lower case), in
    /// order: a poll's rows are matched to its result sets in constant time, however many.
    by_question: HashMap<(String, String), Vec<usize>>,
    /// Whether rows may differ in sources, notes and tracking (see [`Options::question_key`]).
    merge_details: bool,
    /// Whether each row is a question of its own even where its key and population are an
    /// earlier row's (a keyed wide file: 538's split samples ask one question twice).
    rows_are_questions: bool,
    /// For each result set, each answer's line and column.
    answer_places: Vec<Vec<(u64, usize)>>,
    lines: Vec<u64>,
    records: Vec<ByteRecord>,
    problems: Vec<String>,
    failed: HashSet<usize>,
}

impl Group {
    fn new(row: Row, record: ByteRecord, file: &str, mapping: &Mapping) -> Group {
        let mut group = Group {
            key: row.key,
            key_text: row.key_text.clone(),
            explicit_key: row.explicit_key.then_some(row.key),
            first: None,
            first_line: row.line,
            results: Vec::new(),
            question_keys: Vec::new(),
            by_question: HashMap::new(),
            merge_details: mapping.keyed(),
            rows_are_questions: mapping.keyed() && mapping.wide(),
            answer_places: Vec::new(),
            lines: Vec::new(),
            records: Vec::new(),
            problems: Vec::new(),
            failed: HashSet::new(),
        };
        group.push(row, record, file, mapping);
        group
    }

    /// A group standing for a row the CSV reader could not read.
    fn broken(rejected: Rejected) -> Group {
        Group {
            key: 0,
            key_text: String::new(),
            explicit_key: None,
            first: None,
            first_line: rejected.lines[0],
            results: Vec::new(),
            question_keys: Vec::new(),
            by_question: HashMap::new(),
            merge_details: false,
            rows_are_questions: false,
            answer_places: Vec::new(),
            lines: rejected.lines,
            records: Vec::new(),
            problems: rejected.problems,
            failed: HashSet::new(),
        }
    }

    fn has_result(&self, question: &str, population: &str) -> bool {
        self.by_question
            .contains_key(&(question.to_string(), population.to_ascii_lowercase()))
    }

    fn push(&mut self, row: Row, record: ByteRecord, file: &str, mapping: &Mapping) {
        self.lines.push(row.line);
        self.records.push(record);
        self.problems.extend(row.problems);
        self.failed.extend(row.failed);
        match &mut self.first {
            None => self.first = Some(row.poll),
            Some(first) if self.merge_details && first.agrees_but_details(&row.poll) => {
                first.merge_details(row.poll)
            }
            Some(first) if *first != row.poll => self.problems.push(format!(
                "{file}:{}: this row's poll details (pollster, dates, sponsors, mode, region, \
                 sources, notes) differ from line {} of the same poll_id {}: one poll's rows \
                 must agree",
                row.line, self.first_line, self.key_text
            )),
            Some(_) => {}
        }
        let key = row.question_key;
        let place = (row.question.clone(), row.population.to_ascii_lowercase());
        let found = self.by_question.get(&place).and_then(|indices| {
            indices.iter().copied().find(|&i| {
                self.question_keys[i] == key
                    && (!self.rows_are_questions || self.results[i].answers == row.answers)
            })
        });
        let index = match found {
            Some(index) => index,
            None => {
                let index = self.results.len();
                self.by_question.entry(place).or_default().push(index);
                self.question_keys.push(key);
                self.results.push(ResultSet {
                    question: row.question,
                    wording: row.wording,
                    population: row.population,
                    sample_size: row.sample_size,
                    margin_of_error: row.margin_of_error,
                    answers: Vec::new(),
                });
                self.answer_places.push(Vec::new());
                index
            }
        };
        let result = &mut self.results[index];
        // One result set has one sample size and margin of error: rows that disagree are an
        // error in the file, not something to choose between.
        let numbers = [
            (
                &mut result.sample_size,
                row.sample_size,
                Field::SampleSize,
                "sample size",
            ),
            (
                &mut result.margin_of_error,
                row.margin_of_error,
                Field::MarginOfError,
                "margin of error",
            ),
        ];
        for (stored, given, field, what) in numbers {
            match (*stored, given) {
                (None, _) => *stored = given,
                (Some(a), Some(b)) if a != b => self.problems.push(format!(
                    "{file}:{}: column {}: {what} {b} differs from {a} on line {} of the same \
                     question and population",
                    row.line,
                    mapping.column_name(field),
                    self.first_line
                )),
                _ => {}
            }
        }
        let keyed = self.question_keys[index].is_some();
        for (answer, column) in row.answers.into_iter().zip(row.answer_columns) {
            // A question listed again (538 lists a question once per model subgroup, and
            // some files hold a row twice): the same answer with the same number adds nothing.
            if keyed && result.answers.contains(&answer) {
                continue;
            }
            result.answers.push(answer);
            self.answer_places[index].push((row.line, column));
        }
    }

    /// The poll, or its rows rejected; with the rows' records when they are not needed.
    fn into_poll(
        self,
        file: &str,
        mapping: &Mapping,
    ) -> (Result<ImportedPoll, Rejected>, Vec<ByteRecord>) {
        let mut problems = self.problems;
        let Some(first) = self.first else {
            let rejected = Rejected {
                lines: self.lines,
                records: self.records,
                problems,
                fatal: false,
            };
            return (Err(rejected), Vec::new());
        };
        let mut poll = Poll {
            pollster: first.pollster,
            sponsors: first.sponsors,
            field_start: first.field_start,
            field_end: first.field_end,
            published_on: first.published_on,
            mode: first.mode,
            region: first.region,
            partisan: first.partisan,
            tracking: first.tracking,
            election: first.election,
            notes: first.notes,
            results: finish_questions(self.results, mapping),
            sources: first
                .source_urls
                .into_iter()
                .map(|url| Source {
                    url: Some(url),
                    ..Default::default()
                })
                .collect(),
            ..Default::default()
        };
        // Whole-poll checks run even when cells failed, so every problem is told at once; a check
        // that failed only because a cell could not be read says nothing new, and is left out.
        let date_failed = [Field::FieldStart, Field::FieldEnd, Field::PublishedOn]
            .iter()
            .any(|f| mapping.column(*f).is_some_and(|c| self.failed.contains(&c)));
        let answer_failed = self.failed.iter().any(|c| mapping.is_answer_column(*c));
        let warnings: Vec<String>;
        {
            normalize_poll(&mut poll);
            let (found, found_warnings) = validate_poll(&poll, crate::model::today());
            warnings = found_warnings
                .into_iter()
                .map(|w| format!("{file}:{}: warning: {w}", self.first_line))
                .collect();
            for problem in found {
                let field = Field::from_name(problem.field).unwrap_or(Field::Answer);
                let echo = match field {
                    Field::FieldStart | Field::FieldEnd | Field::PublishedOn => date_failed,
                    Field::Answer | Field::Pct => answer_failed,
                    _ => mapping
                        .column(field)
                        .is_some_and(|c| self.failed.contains(&c)),
                };
                if echo {
                    continue;
                }
                let place = problem
                    .result
                    .zip(problem.answer)
                    .and_then(|(r, a)| self.answer_places.get(r)?.get(a).copied());
                let line = place.map(|(line, _)| line).unwrap_or_else(|| {
                    problem
                        .result
                        .and_then(|r| self.answer_places.get(r)?.first().map(|(line, _)| *line))
                        .unwrap_or(self.first_line)
                });
                let answer_columns: Vec<usize> = problem
                    .result
                    .and_then(|r| self.answer_places.get(r))
                    .map(|places| places.iter().map(|(_, column)| *column).collect())
                    .unwrap_or_default();
                let column = match (problem.field, place) {
                    ("pct", Some((_, column))) => {
                        Some(format!("column {}", mapping.header(column)))
                    }
                    ("answer", Some((_, column))) if mapping.wide() => {
                        Some(format!("column {}", mapping.header(column)))
                    }
                    (field, _) => mapping.place(field, &answer_columns),
                };
                problems.push(match column {
                    Some(column) => format!("{file}:{line}: {column}: {}", problem.message),
                    None => format!("{file}:{line}: {}", problem.message),
                });
            }
        }
        if problems.is_empty() {
            let file_id = self
                .key_text
                .parse::<i64>()
                .ok()
                .filter(|id| (1..=crate::model::MAX_POLL_ID).contains(id));
            let file_key = self.explicit_key.map(|_| self.key_text.clone());
            let question_ids = match mapping.question_key_is_source_id() {
                true => self.question_keys,
                false => Vec::new(),
            };
            let imported = ImportedPoll {
                poll,
                file_id,
                file_key,
                question_ids,
                lines: self.lines,
                warnings,
                records: Vec::new(),
            };
            (Ok(imported), self.records)
        } else {
            let rejected = Rejected {
                lines: self.lines,
                records: self.records,
                problems,
                fatal: false,
            };
            (Err(rejected), Vec::new())
        }
    }
}

/// A poll's questions made whole once all its rows are read: with
/// [`Options::slug_from_answers`], each slug and wording end with the answer labels; with
/// [`Options::question_key`], a further question that would share a slug and population with
/// an earlier one of the poll becomes `SLUG-2`, `SLUG-3`...
fn finish_questions(mut results: Vec<ResultSet>, mapping: &Mapping) -> Vec<ResultSet> {
    if mapping.slug_from_answers() {
        for result in &mut results {
            let mut labels: Vec<&str> = result.answers.iter().map(|a| a.label.trim()).collect();
            labels.sort_by_cached_key(|label| slugify(label));
            labels.dedup();
            if labels.is_empty() {
                continue;
            }
            let tail = labels
                .iter()
                .map(|l| slugify(l))
                .collect::<Vec<_>>()
                .join("-");
            result.question = match result.question.is_empty() {
                true => tail,
                false => format!("{}-{tail}", result.question),
            };
            if let Some(wording) = result.wording.as_mut() {
                wording.push_str(&format!(": {}", labels.join(", ")));
            }
        }
    }
    if mapping.keyed() {
        let mut seen: HashMap<(String, String), usize> = HashMap::new();
        for result in &mut results {
            let place = (
                result.question.clone(),
                normalize_population(&result.population),
            );
            let count = seen.entry(place).or_insert(0);
            *count += 1;
            if *count > 1 {
                result.question = format!("{}-{count}", result.question);
            }
        }
    }
    results
}

/// What a `csv` crate error means, in plain words, with what to do.
fn read_error(e: &csv::Error) -> String {
    match e.kind() {
        csv::ErrorKind::Io(e) => format!("the file cannot be read: {e}"),
        csv::ErrorKind::Utf8 { .. } => "the text is not UTF-8: save the file as UTF-8".into(),
        csv::ErrorKind::UnequalLengths {
            expected_len, len, ..
        } => format!(
            "this row has {len} fields where the header has {expected_len}: give every row the \
             header's columns"
        ),
        _ => "the CSV cannot be read here: check the quotes and separators of this line".into(),
    }
}

#[cfg(test)]
mod tests;
