//! The poll form's fields: read from a submission (or a stored poll), made into a poll, and
//! each problem put beside the field it is about.
//!
//! The answers are a grid, as articles print them: a row per answer (its label), a column per
//! population (its code, sample size and margin of error), a percentage in each cell. Every
//! field's `name` is also its `id`: `pollster`, `start`, `population_0`, `label_2`, `pct_0_2`.

use crate::model::{self, Answer, Poll, QuestionKind, ResultSet, Source};

/// Blank columns (populations) and rows (answers) of a new form: enough to type in a poll of
/// three populations and eight answers without a script adding any.
const COLUMNS: usize = 3;
const ROWS: usize = 8;

/// A text field: its name, what was typed, and what is wrong with it.
#[derive(Debug, Default)]
pub(super) struct Input {
    pub(super) name: String,
    pub(super) value: String,
    pub(super) problems: Vec<String>,
}

impl Input {
    fn new(name: impl Into<String>, value: impl Into<String>) -> Input {
        Input {
            name: name.into(),
            value: value.into(),
            problems: Vec::new(),
        }
    }

    fn text(&self) -> Option<String> {
        Some(self.value.trim().to_string()).filter(|v| !v.is_empty())
    }

    /// The value read by `parse`; a problem kept beside the field when it cannot be.
    fn parsed<T>(&mut self, parse: impl Fn(&str) -> Result<T, String>) -> Option<T> {
        let text = self.text()?;
        match parse(&text) {
            Ok(value) => Some(value),
            Err(problem) => {
                self.problems.push(problem);
                None
            }
        }
    }
}

/// A population's column: who was asked, how many, the margin of error; problems of the
/// column as a whole (answers summing past 100) go in `problems`.
#[derive(Debug)]
pub(super) struct Column {
    pub(super) population: Input,
    pub(super) sample: Input,
    pub(super) moe: Input,
    pub(super) problems: Vec<String>,
}

/// An answer's row: its label and its percentage for each population.
#[derive(Debug)]
pub(super) struct Row {
    pub(super) label: Input,
    pub(super) pcts: Vec<Input>,
}

/// Every field of the form, as typed.
#[derive(Debug)]
pub(super) struct PollForm {
    pub(super) pollster: Input,
    /// One sponsor a line.
    pub(super) sponsors: Input,
    pub(super) start: Input,
    pub(super) end: Input,
    pub(super) published: Input,
    pub(super) mode: Input,
    pub(super) region: Input,
    pub(super) notes: Input,
    pub(super) kind: Input,
    pub(super) question: Input,
    pub(super) wording: Input,
    pub(super) columns: Vec<Column>,
    pub(super) rows: Vec<Row>,
    pub(super) source_url: Input,
    pub(super) source_title: Input,
    pub(super) outlet: Input,
    pub(super) source_date: Input,
    pub(super) reason: Input,
    /// The poll's `updated_at` as read for an edit.
    pub(super) updated_at: String,
    pub(super) partisan: bool,
    pub(super) tracking: bool,
    pub(super) election: bool,
    pub(super) allow_duplicate: bool,
    pub(super) new_pollster: bool,
    pub(super) new_answer: bool,
    /// Problems of no one field.
    pub(super) problems: Vec<String>,
    /// The stored poll a new one repeats, when refused as a duplicate.
    pub(super) duplicate_of: Option<i64>,
}

/// Where each result set of the poll built came from: its column, and each answer's row.
#[derive(Debug, Default)]
pub(super) struct Places {
    pub(super) results: Vec<(usize, Vec<usize>)>,
}

impl PollForm {
    /// A form of `columns` populations and `rows` answers, every field named and empty.
    fn sized(columns: usize, rows: usize, get: impl Fn(&str) -> String) -> PollForm {
        let input = |name: &str| Input::new(name, get(name));
        let column = |c: usize| Column {
            population: input(&format!("population_{c}")),
            sample: input(&format!("sample_{c}")),
            moe: input(&format!("moe_{c}")),
            problems: Vec::new(),
        };
        let row = |r: usize| Row {
            label: input(&format!("label_{r}")),
            pcts: (0..columns)
                .map(|c| input(&format!("pct_{c}_{r}")))
                .collect(),
        };
        let checked = |name: &str| !get(name).is_empty();
        PollForm {
            pollster: input("pollster"),
            sponsors: input("sponsors"),
            start: input("start"),
            end: input("end"),
            published: input("published"),
            mode: input("mode"),
            region: input("region"),
            notes: input("notes"),
            kind: input("kind"),
            question: input("question"),
            wording: input("wording"),
            columns: (0..columns).map(column).collect(),
            rows: (0..rows).map(row).collect(),
            source_url: input("source_url"),
            source_title: input("source_title"),
            outlet: input("outlet"),
            source_date: input("source_date"),
            reason: input("reason"),
            updated_at: get("updated_at"),
            partisan: checked("partisan"),
            tracking: checked("tracking"),
            election: checked("election"),
            allow_duplicate: checked("allow_duplicate"),
            new_pollster: checked("new_pollster"),
            new_answer: checked("new_answer"),
            problems: Vec::new(),
            duplicate_of: None,
        }
    }

    /// An empty form for a new poll.
    pub(super) fn blank() -> PollForm {
        PollForm::sized(COLUMNS, ROWS, |_| String::new())
    }

    /// A submitted form, its fields as typed (as many columns and rows as were sent).
    pub(super) fn read(fields: &[(String, String)]) -> PollForm {
        let get = |name: &str| {
            fields
                .iter()
                .rev()
                .find(|(n, _)| n == name)
                .map(|(_, v)| v.clone())
                .unwrap_or_default()
        };
        let count = |prefix: &str, part: usize| {
            fields
                .iter()
                .filter_map(|(n, _)| n.strip_prefix(prefix))
                .filter_map(|rest| rest.split('_').nth(part)?.parse::<usize>().ok())
                .map(|i| i + 1)
                .max()
                .unwrap_or(0)
        };
        let columns = count("population_", 0).max(count("pct_", 0)).clamp(1, 20);
        let rows = count("label_", 0).max(count("pct_", 1)).clamp(1, 100);
        PollForm::sized(columns, rows, get)
    }

    /// The form for editing `poll`'s result sets of `question`, filled in as stored, with a
    /// blank column and blank rows to add a population or answers.
    pub(super) fn of(poll: &Poll, question: &str) -> PollForm {
        let results: Vec<&ResultSet> = poll
            .results
            .iter()
            .filter(|r| r.question == question)
            .collect();
        let mut labels: Vec<&str> = Vec::new();
        for answer in results.iter().flat_map(|r| &r.answers) {
            if !labels.contains(&answer.label.as_str()) {
                labels.push(&answer.label);
            }
        }
        let date = |d: Option<chrono::NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
        let number = |n: Option<f64>| n.map(|n| n.to_string()).unwrap_or_default();
        let flag = |on: bool| if on { "on" } else { "" }.to_string();
        let get = |name: &str| -> String {
            match name {
                "pollster" => poll.pollster.clone(),
                "sponsors" => poll.sponsors.join("\n"),
                "start" => date(poll.field_start),
                "end" => date(poll.field_end),
                "published" => date(poll.published_on),
                "mode" => poll.mode.clone().unwrap_or_default(),
                "region" => poll.region.clone().unwrap_or_default(),
                "notes" => poll.notes.clone().unwrap_or_default(),
                "question" => question.to_string(),
                "updated_at" => poll.updated_at.clone().unwrap_or_default(),
                "partisan" => flag(poll.partisan),
                "tracking" => flag(poll.tracking),
                "election" => flag(poll.election),
                _ => cell(name, &results, &labels, number),
            }
        };
        PollForm::sized(
            (results.len() + 1).max(COLUMNS),
            (labels.len() + 3).max(ROWS),
            get,
        )
    }

    /// The poll-level fields and the result sets of the form's question, made into `poll`
    /// (a new one, or the stored one being edited, whose result sets of that question are
    /// replaced); the sources too when `with_source`. Values that cannot be read are left out,
    /// each with its problem beside its field. Returns where each result set came from.
    pub(super) fn fill(&mut self, poll: &mut Poll, with_source: bool) -> Places {
        poll.pollster = self.pollster.value.clone();
        poll.sponsors = self
            .sponsors
            .value
            .lines()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_string)
            .collect();
        poll.field_start = self.start.parsed(model::parse_typed_date);
        poll.field_end = self.end.parsed(model::parse_typed_date);
        poll.published_on = self.published.parsed(model::parse_typed_date);
        poll.mode = self.mode.text();
        poll.region = self.region.text();
        poll.notes = self.notes.text();
        poll.partisan = self.partisan;
        poll.tracking = self.tracking;
        poll.election = self.election;
        let question = self.question.value.trim().to_string();
        let others: Vec<ResultSet> = poll
            .results
            .drain(..)
            .filter(|r| r.question != question)
            .collect();
        let (results, places) = self.result_sets(&question);
        poll.results = results;
        poll.results.extend(others);
        if with_source {
            let source = Source {
                id: None,
                url: self.source_url.text(),
                title: self.source_title.text(),
                outlet: self.outlet.text(),
                published_on: self.source_date.parsed(model::parse_typed_date),
            };
            poll.sources = [source]
                .into_iter()
                .filter(|s| s.url.is_some() || s.title.is_some() || s.outlet.is_some())
                .collect();
        }
        places
    }

    /// One result set per column with anything typed in it.
    fn result_sets(&mut self, question: &str) -> (Vec<ResultSet>, Places) {
        let wording = self.wording.text();
        let used: Vec<usize> = (0..self.columns.len())
            .filter(|&c| {
                let column = &self.columns[c];
                [&column.population, &column.sample, &column.moe]
                    .iter()
                    .any(|i| i.text().is_some())
                    || self.rows.iter().any(|r| r.pcts[c].text().is_some())
            })
            .collect();
        let mut results = Vec::new();
        let mut places = Places::default();
        for &c in &used {
            let mut rows = Vec::new();
            let mut answers = Vec::new();
            for (r, row) in self.rows.iter_mut().enumerate() {
                let Some(pct) = row.pcts[c].parsed(model::parse_pct) else {
                    continue;
                };
                match row.label.text() {
                    Some(label) => {
                        answers.push(Answer { label, pct });
                        rows.push(r);
                    }
                    None if row.label.problems.is_empty() => row
                        .label
                        .problems
                        .push("give this answer's label".to_string()),
                    None => {}
                }
            }
            let column = &mut self.columns[c];
            let population = match column.population.text() {
                Some(population) => population,
                None if used.len() == 1 => "a".to_string(),
                None => {
                    column
                        .population
                        .problems
                        .push("say which population these answers are of".to_string());
                    String::new()
                }
            };
            results.push(ResultSet {
                question: question.to_string(),
                wording: wording.clone(),
                population,
                sample_size: column.sample.parsed(model::parse_sample_size),
                margin_of_error: column.moe.parsed(model::parse_margin_of_error),
                answers,
            });
            places.results.push((c, rows));
        }
        (results, places)
    }

    /// The question's kind chosen, if any.
    pub(super) fn question_kind(&self) -> Option<QuestionKind> {
        QuestionKind::from_name(&self.kind.value)
    }

    /// Whether any field or the form as a whole has a problem.
    pub(super) fn has_problems(&self) -> bool {
        let inputs = self.inputs();
        !self.problems.is_empty()
            || inputs.iter().any(|i| !i.problems.is_empty())
            || self.columns.iter().any(|c| !c.problems.is_empty())
    }

    fn inputs(&self) -> Vec<&Input> {
        let mut inputs = vec![
            &self.pollster,
            &self.sponsors,
            &self.start,
            &self.end,
            &self.published,
            &self.mode,
            &self.region,
            &self.notes,
            &self.question,
            &self.wording,
            &self.source_url,
            &self.source_title,
            &self.outlet,
            &self.source_date,
            &self.reason,
        ];
        for column in &self.columns {
            inputs.extend([&column.population, &column.sample, &column.moe]);
        }
        for row in &self.rows {
            inputs.push(&row.label);
            inputs.extend(row.pcts.iter());
        }
        inputs
    }
}

/// A cell of a stored poll's grid by its field name: `population_0`, `pct_1_2`...
fn cell(
    name: &str,
    results: &[&ResultSet],
    labels: &[&str],
    number: impl Fn(Option<f64>) -> String,
) -> String {
    let index = |text: &str| text.parse::<usize>().ok();
    let (kind, rest) = name.split_once('_').unwrap_or((name, ""));
    let result = |c: Option<usize>| c.and_then(|c| results.get(c));
    match kind {
        "population" => result(index(rest)).map(|r| r.population.clone()),
        "sample" => result(index(rest)).map(|r| number(r.sample_size)),
        "moe" => result(index(rest)).map(|r| number(r.margin_of_error)),
        "label" => index(rest)
            .and_then(|r| labels.get(r))
            .map(|l| l.to_string()),
        "pct" => rest.split_once('_').and_then(|(c, r)| {
            let label = labels.get(index(r)?)?;
            let answer = result(index(c))?
                .answers
                .iter()
                .find(|a| a.label == *label)?;
            Some(answer.pct.to_string())
        }),
        _ => None,
    }
    .unwrap_or_default()
}
