//! Reading poll files into model values: our long format, any table with a mapping (wide or
//! long), and FiveThirtyEight's files through a built-in mapping. Every problem is reported
//! with file, line and column. Never touches the database.
//!
//! Rows stream through: a poll is complete when the next row belongs to another poll, so memory
//! stays flat however long the file is. A poll's rows must therefore be adjacent.

mod fields;
mod mapping;
pub mod values;

pub use fields::Field;
pub use mapping::{Mapping, Options, parse_answer_columns, slugify};

use crate::model::{Answer, Poll, ResultSet, Source, normalize_poll, validate_poll};
use chrono::NaiveDate;
use csv::ByteRecord;
use std::collections::HashSet;
use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};
use std::io::Read;

/// A poll read from a file, with where it came from.
#[derive(Debug, Clone, PartialEq)]
pub struct ImportedPoll {
    pub poll: Poll,
    /// The file's own key for the poll (`poll_id`), when it is a whole number.
    pub file_id: Option<i64>,
    /// The line of each of its rows.
    pub lines: Vec<u64>,
}

/// A poll that cannot be imported: its rows as they were, and every problem found.
#[derive(Debug, Clone, PartialEq)]
pub struct Rejected {
    pub lines: Vec<u64>,
    pub records: Vec<ByteRecord>,
    /// Each as `FILE:LINE: column NAME: what is wrong`.
    pub problems: Vec<String>,
}

/// Reads polls from CSV, one at a time.
pub struct PollReader<R: Read> {
    csv: csv::Reader<R>,
    mapping: Mapping,
    file: String,
    group: Option<Group>,
    /// Explicit poll keys already finished, to catch a poll whose rows are not adjacent.
    finished_keys: HashSet<u64>,
    done: bool,
}

impl<R: Read> PollReader<R> {
    /// Reads the header and works out which column holds what. `file` names the input in
    /// messages.
    pub fn new(input: R, file: &str, options: &Options) -> Result<PollReader<R>, String> {
        let mut csv = crate::csv_format::reader(input);
        let headers = csv
            .byte_headers()
            .map_err(|e| format!("{file}: cannot read the header row: {e}"))?
            .iter()
            .map(|h| String::from_utf8_lossy(h).trim().to_string())
            .collect::<Vec<String>>();
        let mapping = Mapping::new(&headers, options).map_err(|e| format!("{file}: {e}"))?;
        Ok(PollReader {
            csv,
            mapping,
            file: file.to_string(),
            group: None,
            finished_keys: HashSet::new(),
            done: false,
        })
    }

    pub fn headers(&self) -> &[String] {
        self.mapping.headers()
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
        Some(group.into_poll(&self.file, &self.mapping))
    }
}

impl<R: Read> Iterator for PollReader<R> {
    type Item = Result<ImportedPoll, Rejected>;

    fn next(&mut self) -> Option<Self::Item> {
        let mut record = ByteRecord::new();
        while !self.done {
            let line = self.csv.position().line();
            match self.csv.read_byte_record(&mut record) {
                Ok(false) => self.done = true,
                Ok(true) => {
                    let line = record.position().map(|p| p.line()).unwrap_or(line);
                    let row = Row::read(&record, line, &self.file, &self.mapping);
                    let same = self.group.as_ref().is_some_and(|g| g.key == row.key);
                    if same {
                        if let Some(group) = self.group.as_mut() {
                            group.push(row, record.clone(), &self.file);
                        }
                        continue;
                    }
                    let finished = self.finish_group();
                    let mut group = Group::new(row, record.clone(), &self.file);
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
                Err(e) => {
                    let line = e.position().map(|p| p.line()).unwrap_or(line);
                    let finished = self.finish_group();
                    let rejected = Rejected {
                        lines: vec![line],
                        records: Vec::new(),
                        problems: vec![format!(
                            "{}:{line}: the CSV cannot be read here: {e}",
                            self.file
                        )],
                    };
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
#[derive(Debug)]
struct Row {
    line: u64,
    key: u64,
    key_text: String,
    explicit_key: bool,
    poll: PollFields,
    question: String,
    wording: Option<String>,
    population: String,
    sample_size: Option<f64>,
    margin_of_error: Option<f64>,
    answers: Vec<Answer>,
    /// The column each answer came from.
    answer_columns: Vec<usize>,
    problems: Vec<String>,
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
    notes: Option<String>,
    source_urls: Vec<String>,
}

impl Row {
    fn read(record: &ByteRecord, line: u64, file: &str, mapping: &Mapping) -> Row {
        let mut problems = Vec::new();
        let mut reader = mapping::CellReader {
            record,
            line,
            file,
            mapping,
            problems: &mut problems,
        };
        let poll = PollFields {
            pollster: reader.text(Field::Pollster).unwrap_or_default(),
            sponsors: reader.list(Field::Sponsors, crate::csv_format::SPONSOR_SEPARATOR.trim()),
            field_start: reader.date(Field::FieldStart),
            field_end: reader.date(Field::FieldEnd),
            published_on: reader.date(Field::PublishedOn),
            mode: reader.text(Field::Mode),
            region: reader.text(Field::Region),
            partisan: reader.flag(Field::Partisan),
            tracking: reader.flag(Field::Tracking),
            notes: reader.text(Field::Notes),
            source_urls: reader.list(Field::SourceUrls, crate::csv_format::URL_SEPARATOR),
        };
        let (question, wording) = reader.question();
        let population = reader.population();
        let sample_size = reader.number(Field::SampleSize, values::sample_size);
        let margin_of_error = reader.number(Field::MarginOfError, values::margin_of_error);
        let (answers, answer_columns) = reader.answers();
        let explicit = reader.text(Field::PollId);
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
            question,
            wording,
            population,
            sample_size,
            margin_of_error,
            answers,
            answer_columns,
            problems,
        }
    }
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
    /// For each result set, each answer's line and column.
    answer_places: Vec<Vec<(u64, usize)>>,
    lines: Vec<u64>,
    records: Vec<ByteRecord>,
    problems: Vec<String>,
}

impl Group {
    fn new(row: Row, record: ByteRecord, file: &str) -> Group {
        let mut group = Group {
            key: row.key,
            key_text: row.key_text.clone(),
            explicit_key: row.explicit_key.then_some(row.key),
            first: None,
            first_line: row.line,
            results: Vec::new(),
            answer_places: Vec::new(),
            lines: Vec::new(),
            records: Vec::new(),
            problems: Vec::new(),
        };
        group.push(row, record, file);
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
            answer_places: Vec::new(),
            lines: rejected.lines,
            records: Vec::new(),
            problems: rejected.problems,
        }
    }

    fn push(&mut self, row: Row, record: ByteRecord, file: &str) {
        self.lines.push(row.line);
        self.records.push(record);
        self.problems.extend(row.problems);
        match &self.first {
            None => self.first = Some(row.poll),
            Some(first) if *first != row.poll => self.problems.push(format!(
                "{file}:{}: this row's poll details (pollster, dates, sponsors, mode, region, \
                 sources, notes) differ from line {} of the same poll_id {}: one poll's rows \
                 must agree",
                row.line, self.first_line, self.key_text
            )),
            Some(_) => {}
        }
        let index = match self.results.iter().position(|r| {
            r.question == row.question && r.population.eq_ignore_ascii_case(&row.population)
        }) {
            Some(index) => index,
            None => {
                self.results.push(ResultSet {
                    question: row.question,
                    wording: row.wording,
                    population: row.population,
                    sample_size: row.sample_size,
                    margin_of_error: row.margin_of_error,
                    answers: Vec::new(),
                });
                self.answer_places.push(Vec::new());
                self.results.len() - 1
            }
        };
        let result = &mut self.results[index];
        if result.sample_size.is_none() {
            result.sample_size = row.sample_size;
        }
        if result.margin_of_error.is_none() {
            result.margin_of_error = row.margin_of_error;
        }
        for (answer, column) in row.answers.into_iter().zip(row.answer_columns) {
            result.answers.push(answer);
            self.answer_places[index].push((row.line, column));
        }
    }

    fn into_poll(self, file: &str, mapping: &Mapping) -> Result<ImportedPoll, Rejected> {
        let mut problems = self.problems;
        let Some(first) = self.first else {
            return Err(Rejected {
                lines: self.lines,
                records: self.records,
                problems,
            });
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
            notes: first.notes,
            results: self.results,
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
        if problems.is_empty() {
            normalize_poll(&mut poll);
            let (found, _) = validate_poll(&poll, chrono::NaiveDate::MAX);
            for problem in found {
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
                let column = match (problem.field, place) {
                    ("pct", Some((_, column))) => mapping.header(column).to_string(),
                    (field, _) => {
                        mapping.column_name(Field::from_name(field).unwrap_or(Field::Answer))
                    }
                };
                problems.push(format!(
                    "{file}:{line}: column {column}: {}",
                    problem.message
                ));
            }
        }
        if problems.is_empty() {
            let file_id = self.key_text.parse::<i64>().ok().filter(|id| *id > 0);
            Ok(ImportedPoll {
                poll,
                file_id,
                lines: self.lines,
            })
        } else {
            Err(Rejected {
                lines: self.lines,
                records: self.records,
                problems,
            })
        }
    }
}
