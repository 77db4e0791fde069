//! Which column holds which field, and reading one row's cells through that mapping.

use super::Field;
use super::values::{self, DateFormat, present};
use crate::csv_format::DERIVED_COLUMNS;
use crate::error::{Error, Hint, Result};
use crate::model::{Answer, QuestionKind, normalize_population};
use chrono::NaiveDate;
use csv::ByteRecord;
use std::collections::HashMap;

/// How to read a file, as the user (or a built-in format) says.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Options {
    /// `--map FIELD=COLUMN`: columns named otherwise than our fields.
    pub maps: Vec<(Field, String)>,
    /// `--answers COL[=LABEL],...`: the columns that are answers, one row per result set.
    pub answers: Vec<(String, String)>,
    /// Columns whose values split the file into questions (538's subject, politician...): each
    /// value gets its own slug, `SLUG-VALUE`.
    pub split: Vec<String>,
    /// A column naming a subpopulation (538's party): its value, unless `all`, names the
    /// population, within the population column's when there is one (`rv-R`: the R among
    /// registered voters).
    pub subpopulation: Option<String>,
    /// `--question SLUG`, `--wording TEXT`: the question, when the file has no such column.
    pub question: Option<String>,
    pub wording: Option<String>,
    /// `--kind KIND`, or the kind a built-in format knows its questions to be: given to the
    /// file's questions that have none.
    pub kind: Option<QuestionKind>,
    pub date_format: DateFormat,
    /// A column telling a poll's questions apart (538's question_id, or its question text):
    /// rows with the same value and population are one result set, and an answer repeated with
    /// the same percentage is read once (538 lists some questions twice). Two such questions
    /// that would share a slug and population in one poll are kept apart as `SLUG-2`, `SLUG-3`.
    /// Such files give sources, notes, tracking and the publication day per question, so a
    /// poll's rows may differ in those: its sources and notes are united, it is a tracking poll
    /// if any row says so, and it was published on the earliest day any row gives.
    pub question_key: Option<String>,
    /// Each question's slug ends with its answer labels, sorted (`president-biden-trump`), and
    /// its wording with them: for long files where a question is a match-up of candidates.
    pub slug_from_answers: bool,
    /// Gather each poll's rows from wherever they are in the file instead of requiring them to
    /// be adjacent. Reads the whole file before the first poll, so memory grows with the file.
    pub gather: bool,
    /// A column whose value, when present, marks the poll partisan (538's `partisan` names the
    /// sponsor's party, REP or DEM), besides any flag column mapped to partisan.
    pub partisan_party: Option<String>,
    /// Separators of sponsor names besides `;` (538 uses `|` or `,`).
    pub sponsor_separators: Vec<String>,
    /// The separator of the file's cells (`--delimiter`); `None` tells it from the header line.
    pub separator: Option<u8>,
    /// `--pollster NAME`: the pollster of every poll, for a file with no pollster column.
    pub pollster: Option<String>,
    /// `--pollster-columns COL[=NAME],...`: a file wide by pollster, each column one pollster's
    /// percentages for the one answer [`Options::answer_label`] names: each row gives a poll
    /// for each of these columns with a value.
    pub pollster_columns: Vec<(String, String)>,
    /// `--answer-label LABEL`: the answer the pollster columns give.
    pub answer_label: Option<String>,
}

/// Parses `--answers Yes,No` or `--answers yes=Yes,no=No`.
pub fn parse_answer_columns(text: &str) -> Vec<(String, String)> {
    text.split(',')
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .map(|c| match c.split_once('=') {
            Some((column, label)) => (column.trim().to_string(), label.trim().to_string()),
            None => (c.to_string(), c.to_string()),
        })
        .collect()
}

/// Options resolved against a file's header.
#[derive(Debug, Clone)]
pub struct Mapping {
    headers: Vec<String>,
    columns: HashMap<Field, usize>,
    answer_columns: Vec<(usize, String)>,
    split: Vec<usize>,
    subpopulation: Option<usize>,
    question: Option<String>,
    wording: Option<String>,
    kind: Option<QuestionKind>,
    date_format: DateFormat,
    question_key: Option<usize>,
    slug_from_answers: bool,
    gather: bool,
    partisan_party: Option<usize>,
    sponsor_separators: Vec<String>,
    /// The pollster of every row, for a file with no pollster column.
    pollster: Option<String>,
    /// The columns each holding one pollster's percentages, with the pollster's name.
    pollster_columns: Vec<(usize, String)>,
}

impl Mapping {
    /// Columns named like our fields are used as they are; the options' maps name the others.
    /// A header that cannot be read this way is [`Error::Invalid`], with what would fix it.
    pub fn new(headers: &[String], options: &Options) -> Result<Mapping> {
        // A column used under a name two columns share would be a guess.
        let unique = |name: &str, column: usize| -> Result<usize> {
            let same = headers
                .iter()
                .filter(|h| h.eq_ignore_ascii_case(name))
                .count();
            if same > 1 {
                return Err(Error::invalid(format!(
                    "{same} columns are named \"{name}\": rename all but one in the header"
                )));
            }
            Ok(column)
        };
        let find = |name: &str| -> Result<usize> {
            let column = headers
                .iter()
                .position(|h| h == name)
                .or_else(|| headers.iter().position(|h| h.eq_ignore_ascii_case(name)))
                .ok_or_else(|| {
                    Error::invalid(format!(
                        "there is no column \"{name}\"; the columns are: {}",
                        headers.join(", ")
                    ))
                })?;
            unique(name, column)
        };
        let mut columns = HashMap::new();
        for field in Field::ALL {
            let explicit = options.maps.iter().rev().find(|(f, _)| *f == field);
            match explicit {
                Some((_, column)) => {
                    columns.insert(field, find(column)?);
                }
                None => {
                    if let Some(i) = headers
                        .iter()
                        .position(|h| h.eq_ignore_ascii_case(field.name()))
                    {
                        columns.insert(field, unique(field.name(), i)?);
                    }
                }
            }
        }
        let mut answer_columns = Vec::new();
        for (column, label) in &options.answers {
            answer_columns.push((find(column)?, label.clone()));
        }
        // A file wide by pollster is read as a wide file whose answer columns all give the one
        // answer; each row is then parted into a row per pollster (see `Row::per_pollster`).
        let mut pollster_columns = Vec::new();
        for (column, pollster) in &options.pollster_columns {
            let label = options.answer_label.as_deref().map(str::trim);
            let label = label.filter(|l| !l.is_empty()).ok_or_else(|| {
                Error::usage("pollster columns need the label of the answer they give")
            })?;
            let column = find(column)?;
            answer_columns.push((column, label.to_string()));
            pollster_columns.push((column, pollster.clone()));
        }
        let given = options.pollster.is_some() || !pollster_columns.is_empty();
        if let (true, Some(&column)) = (given, columns.get(&Field::Pollster)) {
            return Err(Error::invalid(format!(
                "column \"{}\" names the pollster, but the pollster is given for the whole \
                 file too: leave one out",
                headers[column]
            )));
        }
        if answer_columns.is_empty() {
            if !(columns.contains_key(&Field::Answer) && columns.contains_key(&Field::Pct)) {
                return Err(
                    Error::invalid("no answers: the file has no answer and pct columns")
                        .with_hint(Hint::NameAnswerColumns),
                );
            }
        } else {
            columns.remove(&Field::Answer);
            columns.remove(&Field::Pct);
        }
        if !columns.contains_key(&Field::Pollster) && !given {
            return Err(Error::invalid("no pollster column").with_hint(Hint::NamePollsterColumn));
        }
        if !columns.contains_key(&Field::Question) && options.question.is_none() {
            return Err(Error::invalid("no question column").with_hint(Hint::GiveQuestion));
        }
        let dates = [Field::FieldStart, Field::FieldEnd, Field::PublishedOn];
        if !dates.iter().any(|f| columns.contains_key(f)) {
            return Err(Error::invalid("no date column").with_hint(Hint::NameDateColumn));
        }
        let split = options
            .split
            .iter()
            .map(|c| find(c))
            .collect::<Result<Vec<_>>>()?;
        let subpopulation = options.subpopulation.as_deref().map(find).transpose()?;
        let question_key = options.question_key.as_deref().map(find).transpose()?;
        let partisan_party = options.partisan_party.as_deref().map(find).transpose()?;
        // A column given a part to play here is not also read as the field it is named after
        // (538's `partisan` names a party: it is no true/false flag).
        let roles: Vec<usize> = split
            .iter()
            .copied()
            .chain(subpopulation)
            .chain(question_key)
            .chain(partisan_party)
            .collect();
        columns.retain(|field, column| {
            options.maps.iter().any(|(f, _)| f == field) || !roles.contains(column)
        });
        Ok(Mapping {
            headers: headers.to_vec(),
            columns,
            answer_columns,
            split,
            subpopulation,
            question: options.question.clone(),
            wording: options.wording.clone(),
            kind: options.kind,
            date_format: options.date_format.clone(),
            question_key,
            slug_from_answers: options.slug_from_answers,
            gather: options.gather,
            partisan_party,
            sponsor_separators: options.sponsor_separators.clone(),
            pollster: options
                .pollster
                .as_deref()
                .map(str::trim)
                .map(str::to_string),
            pollster_columns,
        })
    }

    /// The pollster of every row, when the file has no pollster column.
    pub fn constant_pollster(&self) -> Option<&str> {
        self.pollster.as_deref()
    }

    /// The pollster whose percentages a column holds, in a file wide by pollster.
    pub fn pollster_of_column(&self, column: usize) -> Option<&str> {
        self.pollster_columns
            .iter()
            .find(|(c, _)| *c == column)
            .map(|(_, name)| name.as_str())
    }

    /// Whether the file is wide by pollster: each row a poll per pollster column.
    pub fn by_pollster(&self) -> bool {
        !self.pollster_columns.is_empty()
    }

    /// The kind of the file's questions, when the user or the format says.
    pub fn kind(&self) -> Option<QuestionKind> {
        self.kind
    }

    /// Whether each row is a whole result set, its answers in columns.
    pub fn wide(&self) -> bool {
        !self.answer_columns.is_empty()
    }

    /// Whether the column telling questions apart is the source's own question id
    /// (538's `question_id`), kept with the result sets it becomes.
    pub fn question_key_is_source_id(&self) -> bool {
        self.question_key
            .is_some_and(|c| self.header(c).eq_ignore_ascii_case("question_id"))
    }

    /// Whether a column tells questions apart (see [`Options::question_key`]).
    pub fn keyed(&self) -> bool {
        self.question_key.is_some()
    }

    /// Whether slugs end with their answer labels (see [`Options::slug_from_answers`]).
    pub fn slug_from_answers(&self) -> bool {
        self.slug_from_answers
    }

    /// Whether a poll's rows are gathered from the whole file (see [`Options::gather`]).
    pub fn gathers(&self) -> bool {
        self.gather
    }

    pub fn headers(&self) -> &[String] {
        &self.headers
    }

    /// The columns no field, answer or role reads: a misspelt name (`notez`) or one a
    /// `--map` could name. Empty names are left out.
    pub fn unread_columns(&self) -> Vec<&str> {
        (0..self.headers.len())
            .filter(|&i| {
                !self.columns.values().any(|&c| c == i)
                    && !self.answer_columns.iter().any(|(c, _)| *c == i)
                    && !self.split.contains(&i)
                    && self.subpopulation != Some(i)
                    && self.question_key != Some(i)
                    && self.partisan_party != Some(i)
            })
            .map(|i| self.headers[i].as_str())
            .filter(|name| !name.is_empty())
            // An export's columns an import works out again are not worth a warning.
            .filter(|name| !DERIVED_COLUMNS.iter().any(|d| d.eq_ignore_ascii_case(name)))
            .collect()
    }

    /// The column a field is read from, if the file has one.
    pub fn column(&self, field: Field) -> Option<usize> {
        self.columns.get(&field).copied()
    }

    /// Whether a column holds answers (a wide file's answer column, or a long file's pct).
    pub fn is_answer_column(&self, column: usize) -> bool {
        self.answer_columns.iter().any(|(c, _)| *c == column)
            || self.column(Field::Pct) == Some(column)
    }

    /// Whether each row is a whole result set (a wide file), so that a row repeating a poll's
    /// question and population starts another poll rather than adding to it.
    pub fn one_result_set_per_row(&self) -> bool {
        !self.answer_columns.is_empty() && self.question_key.is_none()
    }

    pub fn header(&self, column: usize) -> &str {
        self.headers.get(column).map(String::as_str).unwrap_or("?")
    }

    /// Where in the file a problem of `field` (a long-format column's name) is, as messages
    /// say it: `column NAME` or `columns A, B`, always columns the file has. A field without
    /// a column of its own is named by the columns it comes from: a wide file's answers by
    /// `answers` (the columns of the result set's answers, or, when there are none, every
    /// answer column), a missing date by the file's date columns. `None` when no column holds
    /// it (a question given with `--question`).
    pub fn place(&self, field: &str, answers: &[usize]) -> Option<String> {
        let field = Field::from_name(field)?;
        if let Some(column) = self.column(field) {
            return Some(format!("column {}", self.header(column)));
        }
        let columns: Vec<usize> = match field {
            Field::Answer | Field::Pct if self.wide() => {
                if answers.is_empty() {
                    self.answer_columns.iter().map(|(c, _)| *c).collect()
                } else {
                    let mut columns = answers.to_vec();
                    columns.dedup();
                    columns
                }
            }
            Field::FieldStart | Field::FieldEnd | Field::PublishedOn => {
                [Field::FieldStart, Field::FieldEnd, Field::PublishedOn]
                    .iter()
                    .filter_map(|f| self.column(*f))
                    .collect()
            }
            _ => Vec::new(),
        };
        let names: Vec<&str> = columns.iter().map(|c| self.header(*c)).collect();
        match names.as_slice() {
            [] => None,
            [one] => Some(format!("column {one}")),
            many => Some(format!("columns {}", many.join(", "))),
        }
    }

    /// The column a field is read from, as the file names it.
    pub fn column_name(&self, field: Field) -> String {
        match self.columns.get(&field) {
            Some(i) => self.header(*i).to_string(),
            None => field.name().to_string(),
        }
    }
}

/// Reads one row's cells, noting each problem with file, line and column.
pub struct CellReader<'a> {
    pub record: &'a ByteRecord,
    pub line: u64,
    pub file: &'a str,
    pub mapping: &'a Mapping,
    pub problems: &'a mut Vec<String>,
    /// Columns whose cell could not be read, so checks of the whole poll can leave them be.
    pub failed: &'a mut Vec<usize>,
}

impl CellReader<'_> {
    fn problem(&mut self, column: usize, message: String) {
        self.failed.push(column);

        let name = self.mapping.header(column).to_string();
        self.problems.push(format!(
            "{}:{}: column {name}: {}",
            self.file,
            self.line,
            crate::model::printable(&message)
        ));
    }

    /// The cell's text, or `None` when it is missing or says "unknown".
    fn cell(&mut self, column: usize) -> Option<String> {
        let bytes = self.record.get(column)?;
        match std::str::from_utf8(bytes) {
            Ok(text) => present(text).map(str::to_string),
            Err(_) => {
                self.problem(
                    column,
                    "the cell is not UTF-8 text: save the file as UTF-8".into(),
                );
                None
            }
        }
    }

    pub fn text(&mut self, field: Field) -> Option<String> {
        let column = *self.mapping.columns.get(&field)?;
        self.cell(column)
    }

    pub fn list(&mut self, field: Field, separator: &str) -> Vec<String> {
        let Some(text) = self.text(field) else {
            return Vec::new();
        };
        let parts: Vec<String> = if separator.trim().is_empty() {
            text.split_whitespace().map(str::to_string).collect()
        } else {
            let mut parts = vec![text];
            let extra = match field {
                Field::Sponsors => self.mapping.sponsor_separators.as_slice(),
                _ => &[],
            };
            let separators = std::iter::once(separator).chain(extra.iter().map(|s| s.trim()));
            for separator in separators.filter(|s| !s.is_empty()) {
                parts = parts
                    .iter()
                    .flat_map(|part| part.split(separator))
                    .map(str::to_string)
                    .collect();
            }
            parts
                .iter()
                .filter_map(|part| present(part))
                .map(str::to_string)
                .collect()
        };
        parts
    }

    /// The file's key for the row's poll. A whole number becomes the poll's id when free, so one
    /// beyond [`crate::model::MAX_POLL_ID`] is refused (a key with letters is never an id).
    pub fn poll_key(&mut self) -> Option<String> {
        let column = *self.mapping.columns.get(&Field::PollId)?;
        let key = self.cell(column)?;
        // `1` and `1` followed by a zero-width space would be two polls that look like one.
        if let Some(problem) = crate::model::name_problem("poll_id", &key) {
            self.problem(column, problem);
        }
        let digits = key.strip_prefix('+').unwrap_or(&key);
        let whole = !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit());
        if whole
            && digits
                .parse::<i64>()
                .map_or(true, |id| id > crate::model::MAX_POLL_ID)
        {
            self.problem(
                column,
                format!(
                    "poll_id {key} is larger than {}, the largest id polltrack keeps: \
                     renumber the file's polls from 1, or give keys with letters",
                    crate::model::MAX_POLL_ID
                ),
            );
        }
        Some(key)
    }

    /// The value telling this row's question apart from the poll's others, if any.
    pub fn question_key(&mut self) -> Option<String> {
        let column = self.mapping.question_key?;
        self.cell(column)
    }

    /// A day's date; a month alone (a format without a day) is a problem here, where a day is
    /// needed (the publication date).
    pub fn date(&mut self, field: Field) -> Option<NaiveDate> {
        let column = *self.mapping.columns.get(&field)?;
        match self.date_or_month(field)? {
            values::Dated::Day(day) => Some(day),
            values::Dated::Month(_) => {
                let text = self.cell(column).unwrap_or_default();
                let message = values::date(&text, &self.mapping.date_format)
                    .err()
                    .unwrap_or_default();
                self.problem(
                    column,
                    format!(
                        "{message}, and a publication date needs one; a month is read as a \
                         field period: map the column to field_start or field_end"
                    ),
                );
                None
            }
        }
    }

    /// The field period: a month (a format without a day) runs from its first day to its
    /// last; a month given for one end only is the whole field period.
    pub fn field_period(&mut self) -> (Option<NaiveDate>, Option<NaiveDate>) {
        let start = self.date_or_month(Field::FieldStart);
        let end = self.date_or_month(Field::FieldEnd);
        match (start, end) {
            (Some(start @ values::Dated::Month(_)), None) => {
                (Some(start.first()), Some(start.last()))
            }
            (None, Some(end @ values::Dated::Month(_))) => (Some(end.first()), Some(end.last())),
            (start, end) => (start.map(|s| s.first()), end.map(|e| e.last())),
        }
    }

    fn date_or_month(&mut self, field: Field) -> Option<values::Dated> {
        let column = *self.mapping.columns.get(&field)?;
        let text = self.cell(column)?;
        match values::date_or_month(&text, &self.mapping.date_format) {
            Ok(date) => Some(date),
            Err(message) => {
                self.problem(column, message);
                None
            }
        }
    }

    pub fn number(&mut self, field: Field, parse: fn(&str) -> Result<f64, String>) -> Option<f64> {
        let column = *self.mapping.columns.get(&field)?;
        let text = self.cell(column)?;
        match parse(&text) {
            Ok(n) => Some(n),
            Err(message) => {
                self.problem(column, message);
                None
            }
        }
    }

    pub fn flag(&mut self, field: Field) -> bool {
        // Any party named in the partisan-party column marks the poll partisan.
        let party = field == Field::Partisan
            && self
                .mapping
                .partisan_party
                .is_some_and(|c| self.cell(c).is_some());
        let Some(column) = self.mapping.columns.get(&field).copied() else {
            return party;
        };
        let Some(text) = self.cell(column) else {
            return party;
        };
        match values::flag(&text) {
            Ok(flag) => flag || party,
            Err(message) => {
                self.problem(column, message);
                party
            }
        }
    }

    /// The question's slug and wording: from their columns or the options, with the values of
    /// any splitting columns appended.
    pub fn question(&mut self) -> (String, Option<String>) {
        let mut slug = self
            .text(Field::Question)
            .or_else(|| self.mapping.question.clone())
            .unwrap_or_default();
        let mut wording = self
            .text(Field::QuestionWording)
            .or_else(|| self.mapping.wording.clone());
        let split = self.mapping.split.clone();
        let mut parts = Vec::new();
        for column in split {
            if let Some(value) = self.cell(column) {
                slug = format!("{slug}-{}", slugify(&value));
                parts.push(value);
            }
        }
        if !parts.is_empty()
            && let Some(text) = wording.as_mut()
            && !self.mapping.columns.contains_key(&Field::QuestionWording)
        {
            text.push_str(&format!(" ({})", parts.join(", ")));
        }
        (slug, wording)
    }

    /// The population, or the subpopulation a column names.
    pub fn population(&mut self) -> String {
        let base = self.text(Field::Population);
        let sub = self
            .mapping
            .subpopulation
            .and_then(|c| self.cell(c))
            .filter(|value| !value.eq_ignore_ascii_case("all"));
        match (base, sub) {
            (Some(base), Some(sub)) => format!("{}-{sub}", normalize_population(&base)),
            (None, Some(sub)) => sub,
            (base, None) => base.unwrap_or_else(|| "a".to_string()),
        }
    }

    /// The row's answers with the column each came from: every present answer column of a wide
    /// file, or the answer and pct of a long one. A missing percentage is an unknown answer.
    pub fn answers(&mut self) -> (Vec<Answer>, Vec<usize>) {
        let mut answers = Vec::new();
        let mut columns = Vec::new();
        let wide = self.mapping.answer_columns.clone();
        for (column, label) in wide {
            if let Some(text) = self.cell(column) {
                match values::pct(&text) {
                    Ok(pct) => {
                        answers.push(Answer { label, pct });
                        columns.push(column);
                    }
                    Err(message) => self.problem(column, message),
                }
            }
        }
        if let (Some(&answer_col), Some(&pct_col)) = (
            self.mapping.columns.get(&Field::Answer),
            self.mapping.columns.get(&Field::Pct),
        ) {
            let label = self.cell(answer_col);
            let pct = self.cell(pct_col);
            match (label, pct) {
                (Some(label), Some(text)) => match values::pct(&text) {
                    Ok(pct) => {
                        answers.push(Answer { label, pct });
                        columns.push(pct_col);
                    }
                    Err(message) => self.problem(pct_col, message),
                },
                (None, Some(_)) => {
                    self.problem(answer_col, "a percentage with no answer label".into())
                }
                _ => {}
            }
        }
        if self.record.len() != self.mapping.headers.len() {
            let message = format!(
                "this row has {} fields where the header has {}",
                self.record.len(),
                self.mapping.headers.len()
            );
            self.problems
                .push(format!("{}:{}: {message}", self.file, self.line));
        }
        (answers, columns)
    }
}

/// `Joe Biden` → `joe-biden`: letters and digits kept (any script), the rest one hyphen.
pub fn slugify(text: &str) -> String {
    let mut slug = String::new();
    for c in text.chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() {
            slug.push(c);
        } else if !slug.is_empty() && !slug.ends_with('-') {
            slug.push('-');
        }
    }
    slug.trim_end_matches('-').to_string()
}
