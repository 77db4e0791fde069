//! The one set of rules every poll passes before it is stored, whether typed in with `add`,
//! corrected with `edit` or read from a file.

use super::text::{free_text_problem, implausible_date, name_problem, printable};
use super::{MAX_ANSWER_SUM, Poll, Warning, format_date, name_key};
use chrono::NaiveDate;
use std::collections::HashSet;

/// What is wrong with a poll, and where: the field (named as in the CSV columns) and, for
/// result-set and answer fields, their index in the poll, so a reader can point at a file line.
#[derive(Debug, Clone, PartialEq)]
pub struct Problem {
    pub field: &'static str,
    pub result: Option<usize>,
    pub answer: Option<usize>,
    pub message: String,
}

impl Problem {
    fn poll(field: &'static str, message: String) -> Problem {
        Problem {
            field,
            result: None,
            answer: None,
            message,
        }
    }
    fn result(field: &'static str, result: usize, message: String) -> Problem {
        Problem {
            field,
            result: Some(result),
            answer: None,
            message,
        }
    }
    fn answer(field: &'static str, result: usize, answer: usize, message: String) -> Problem {
        Problem {
            field,
            result: Some(result),
            answer: Some(answer),
            message,
        }
    }
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

/// A field period longer than this many days (counting both ends) is warned about: polls are
/// in the field for days or weeks; more is most often a typed year.
pub const MAX_PLAUSIBLE_FIELD_DAYS: i64 = 60;

/// Checks a poll against every rule. Returns the problems that refuse it (empty when it may be
/// stored) and the warnings worth printing either way. `today` decides what is in the future.
pub fn validate_poll(poll: &Poll, today: NaiveDate) -> (Vec<Problem>, Vec<Warning>) {
    let mut problems = Vec::new();
    let mut warnings = Vec::new();

    if poll.pollster.trim().is_empty() {
        problems.push(Problem::poll(
            "pollster",
            "the pollster name is empty".into(),
        ));
    }
    check_texts(poll, &mut problems);
    if poll.sponsors.iter().any(|s| s.trim().is_empty()) {
        problems.push(Problem::poll("sponsors", "a sponsor name is empty".into()));
    }
    // CSV files list sponsors separated by semicolons and URLs by spaces: a name or URL holding
    // one would come back from an export as two.
    if let Some(sponsor) = poll.sponsors.iter().find(|s| s.contains(';')) {
        problems.push(Problem::poll(
            "sponsors",
            format!(
                "sponsor \"{}\" contains a semicolon: give each sponsor separately",
                printable(sponsor)
            ),
        ));
    }
    if let Some(url) = poll
        .sources
        .iter()
        .filter_map(|s| s.url.as_deref())
        .find(|u| u.chars().any(char::is_whitespace))
    {
        problems.push(Problem::poll(
            "source_urls",
            format!(
                "source URL \"{}\" contains a space: write it as %20",
                printable(url)
            ),
        ));
    }
    if let (Some(start), Some(end)) = (poll.field_start, poll.field_end)
        && start > end
    {
        problems.push(Problem::poll(
            "field_start",
            format!(
                "field start {} is after field end {}",
                format_date(start),
                format_date(end)
            ),
        ));
    }
    if let (Some(start), Some(end)) = (poll.field_start, poll.field_end) {
        let days = (end - start).num_days() + 1;
        if days > MAX_PLAUSIBLE_FIELD_DAYS {
            let middle = poll
                .date()
                .map(|d| {
                    format!(
                        "; on charts it would stand at its middle, {}",
                        format_date(d)
                    )
                })
                .unwrap_or_default();
            warnings.push(Warning::new(format!(
                "the field period from {} to {} is {days} days long (more than \
                 {MAX_PLAUSIBLE_FIELD_DAYS}): check the years{middle}",
                format_date(start),
                format_date(end)
            )));
        }
    }
    if poll.field_start.is_none() && poll.field_end.is_none() && poll.published_on.is_none() {
        problems.push(Problem::poll(
            "published_on",
            "the poll has no date: give its field dates or its publication date".into(),
        ));
    }
    check_dates(poll, today, &mut problems, &mut warnings);

    if poll.results.is_empty() {
        problems.push(Problem::poll(
            "answer",
            "the poll has no answers: give at least one LABEL=PCT".into(),
        ));
    }
    let mut seen_results = HashSet::new();
    for (r, result) in poll.results.iter().enumerate() {
        check_result(poll, r, &mut problems);
        // `1.004` is a thousand and four where a dot groups thousands.
        if let Some(n) = result.sample_size.filter(|n| (1.0..20.0).contains(n)) {
            warnings.push(Warning::new(format!(
                "question {}: sample size {n} is very small; if a dot groups its thousands, \
                 write it without one",
                result.question
            )));
        }
        if !seen_results.insert((result.question.trim(), name_key(&result.population))) {
            problems.push(Problem::result(
                "population",
                r,
                format!(
                    "question {} for population {} is given twice in one poll",
                    result.question, result.population
                ),
            ));
        }
    }
    for source in &poll.sources {
        if source.url.is_none() && source.title.is_none() {
            problems.push(Problem::poll(
                "source_urls",
                "a source needs a URL or a title".into(),
            ));
        }
    }
    (problems, warnings)
}

fn check_result(poll: &Poll, r: usize, problems: &mut Vec<Problem>) {
    let result = &poll.results[r];
    let slug = result.question.trim();
    if slug.is_empty() {
        problems.push(Problem::result(
            "question",
            r,
            "the question slug is empty".into(),
        ));
    } else if slug.chars().any(char::is_whitespace) {
        problems.push(Problem::result(
            "question",
            r,
            format!(
                "question slug \"{}\" has spaces: use a short key such as kr-gsomia",
                printable(slug)
            ),
        ));
    }
    if result.population.trim().is_empty() {
        problems.push(Problem::result(
            "population",
            r,
            "the population is empty".into(),
        ));
    }
    if let Some(n) = result.sample_size
        && !(n.is_finite() && n >= 1.0)
    {
        problems.push(Problem::result(
            "sample_size",
            r,
            format!("sample size {n} is below 1"),
        ));
    }
    if let Some(moe) = result.margin_of_error
        && !(moe.is_finite() && moe > 0.0 && moe <= 50.0)
    {
        problems.push(Problem::result(
            "margin_of_error",
            r,
            format!("margin of error {moe} is outside (0, 50]"),
        ));
    }
    if result.answers.is_empty() {
        problems.push(Problem::result(
            "answer",
            r,
            format!("question {slug} has no answers: give at least one LABEL=PCT"),
        ));
    }
    let mut labels = HashSet::new();
    for (a, answer) in result.answers.iter().enumerate() {
        if answer.label.trim().is_empty() {
            problems.push(Problem::answer(
                "answer",
                r,
                a,
                "an answer label is empty".into(),
            ));
        } else if !labels.insert(name_key(&answer.label)) {
            problems.push(Problem::answer(
                "answer",
                r,
                a,
                format!(
                    "answer \"{}\" is given twice for question {slug}",
                    printable(&answer.label)
                ),
            ));
        }
        if !(answer.pct.is_finite() && (0.0..=100.0).contains(&answer.pct)) {
            problems.push(Problem::answer(
                "pct",
                r,
                a,
                format!(
                    "percentage {} for \"{}\" is outside 0..100",
                    answer.pct, answer.label
                ),
            ));
        }
    }
    let sum: f64 = result.answers.iter().map(|a| a.pct).sum();
    // A hair of tolerance: 10.7 + 75.4 + 14.9 adds up to 101.00000000000001 in floating point.
    if sum > MAX_ANSWER_SUM + 1e-9 {
        let sum = (sum * 1000.0).round() / 1000.0;
        problems.push(Problem::result(
            "pct",
            r,
            format!(
                "answers for question {slug} sum to {sum}, more than {MAX_ANSWER_SUM} (100 plus rounding)"
            ),
        ));
    }
}

/// Names without hidden characters, free texts without control characters, and no value
/// spelled the way a CSV file says "unknown" (see [`super::text`]).
fn check_texts(poll: &Poll, problems: &mut Vec<Problem>) {
    let mut name = |field: &'static str, what: &str, text: Option<&str>| {
        if let Some(message) = text.and_then(|t| name_problem(what, t)) {
            problems.push(Problem::poll(field, message));
        }
    };
    name("pollster", "pollster", Some(&poll.pollster));
    for sponsor in &poll.sponsors {
        name("sponsors", "sponsor", Some(sponsor));
    }
    name("mode", "mode", poll.mode.as_deref());
    name("region", "region", poll.region.as_deref());
    for source in &poll.sources {
        name("source_urls", "source URL", source.url.as_deref());
        name("outlet", "outlet", source.outlet.as_deref());
    }
    let mut free = |field: &'static str, what: &str, text: Option<&str>| {
        if let Some(message) = text.and_then(|t| free_text_problem(what, t)) {
            problems.push(Problem::poll(field, message));
        }
    };
    free("notes", "notes", poll.notes.as_deref());
    for source in &poll.sources {
        free("source_title", "source title", source.title.as_deref());
    }
    for (r, result) in poll.results.iter().enumerate() {
        if let Some(message) = name_problem("question slug", &result.question) {
            problems.push(Problem::result("question", r, message));
        }
        if let Some(message) = result
            .wording
            .as_deref()
            .and_then(|w| free_text_problem("question wording", w))
        {
            problems.push(Problem::result("question_wording", r, message));
        }
        if let Some(message) = name_problem("population", &result.population) {
            problems.push(Problem::result("population", r, message));
        }
        for (a, answer) in result.answers.iter().enumerate() {
            if let Some(message) = name_problem("answer label", &answer.label) {
                problems.push(Problem::answer("answer", r, a, message));
            }
        }
    }
}

fn check_dates(
    poll: &Poll,
    today: NaiveDate,
    problems: &mut Vec<Problem>,
    warnings: &mut Vec<Warning>,
) {
    let fields = [
        ("field_start", "field start", poll.field_start),
        ("field_end", "field end", poll.field_end),
        ("published_on", "publication date", poll.published_on),
    ];
    let source_fields = poll
        .sources
        .iter()
        .map(|s| ("source_date", "source date", s.published_on));
    let mut implausible = false;
    for (field, what, date) in fields.into_iter().chain(source_fields) {
        if let Some(message) = date.and_then(|d| implausible_date(what, d, today)) {
            problems.push(Problem::poll(field, message));
            implausible = true;
        }
    }
    if implausible {
        return;
    }
    if let Some(published) = poll.published_on {
        let last_field_day = poll.field_end.or(poll.field_start);
        if let Some(day) = last_field_day.filter(|d| *d > published) {
            warnings.push(Warning::new(format!(
                "the field dates run to {}, after the publication date {}",
                format_date(day),
                format_date(published)
            )));
        }
    }
    let dates = [
        ("field start", poll.field_start),
        ("field end", poll.field_end),
        ("publication date", poll.published_on),
    ];
    let source_dates = poll.sources.iter().map(|s| ("source date", s.published_on));
    for (what, date) in dates.into_iter().chain(source_dates) {
        if let Some(date) = date.filter(|d| *d > today) {
            warnings.push(Warning::new(format!(
                "the {what} {} is in the future",
                format_date(date)
            )));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Answer, ResultSet, Source, parse_date};

    fn d(s: &str) -> NaiveDate {
        parse_date(s).unwrap()
    }

    fn gsomia() -> Poll {
        Poll {
            pollster: "Gallup Korea".into(),
            published_on: Some(d("2016-11-18")),
            results: vec![ResultSet {
                question: "kr-gsomia".into(),
                wording: Some("GSOMIA with Japan".into()),
                population: "a".into(),
                answers: vec![Answer {
                    label: "Oppose".into(),
                    pct: 59.0,
                }],
                ..Default::default()
            }],
            ..Default::default()
        }
    }

    fn messages(poll: &Poll) -> Vec<String> {
        validate_poll(poll, d("2026-11-28"))
            .0
            .into_iter()
            .map(|p| p.message)
            .collect()
    }

    #[test]
    fn a_poll_with_one_known_answer_is_valid() {
        let (problems, warnings) = validate_poll(&gsomia(), d("2026-11-28"));
        assert!(problems.is_empty(), "{problems:?}");
        assert!(warnings.is_empty(), "{warnings:?}");
    }

    #[test]
    fn each_rule_refuses_with_a_message() {
        type Breaker = fn(&mut Poll);
        let cases: Vec<(Breaker, &str)> = vec![
            (|p| p.pollster = "  ".into(), "pollster name is empty"),
            (|p| p.results[0].answers[0].pct = 100.5, "outside 0..100"),
            (|p| p.results[0].answers[0].pct = f64::NAN, "outside 0..100"),
            (
                |p| {
                    p.results[0].answers.push(Answer {
                        label: "Support".into(),
                        pct: 43.0,
                    })
                },
                "sum to 102",
            ),
            (
                |p| {
                    p.results[0].answers.push(Answer {
                        label: "oppose ".into(),
                        pct: 1.0,
                    })
                },
                "given twice",
            ),
            (
                |p| {
                    p.field_start = Some(d("2016-11-17"));
                    p.field_end = Some(d("2016-11-15"));
                },
                "field start 2016-11-17 is after field end 2016-11-15",
            ),
            (
                |p| p.results[0].sample_size = Some(0.5),
                "sample size 0.5 is below 1",
            ),
            (
                |p| p.results[0].margin_of_error = Some(0.0),
                "outside (0, 50]",
            ),
            (
                |p| p.results[0].margin_of_error = Some(50.1),
                "outside (0, 50]",
            ),
            (|p| p.results[0].answers.clear(), "has no answers"),
            (|p| p.results.clear(), "has no answers"),
            (|p| p.published_on = None, "has no date"),
            (|p| p.results[0].question = "kr gsomia".into(), "has spaces"),
            (
                |p| {
                    let again = p.results[0].clone();
                    p.results.push(again);
                },
                "given twice in one poll",
            ),
            (
                |p| p.sources.push(Source::default()),
                "needs a URL or a title",
            ),
            (|p| p.pollster = "\0".into(), "hidden character (U+0000)"),
            (
                |p| p.sponsors = vec!["You\u{200b}Gov".into()],
                "sponsor \"You\\u{200b}Gov\" holds a hidden character (U+200B)",
            ),
            (
                |p| p.results[0].answers[0].label = "Op\u{1b}[2Jpose".into(),
                "answer label",
            ),
            (
                |p| p.results[0].question = "NA".into(),
                "question slug \"NA\"",
            ),
            (
                |p| p.results[0].population = "n/a".into(),
                "population \"n/a\"",
            ),
            (|p| p.notes = Some("\u{2014}".into()), "notes \"\u{2014}\""),
            (
                |p| p.notes = Some("a\u{7}".into()),
                "control character (U+0007)",
            ),
            (|p| p.mode = Some("-".into()), "mode \"-\""),
            (|p| p.region = Some("NA".into()), "region \"NA\""),
            (
                |p| p.field_start = Some(d("0202-11-15")),
                "field start 0202-11-15 is before 1900",
            ),
            (
                |p| p.published_on = Some(d("2068-01-01")),
                "publication date 2068-01-01 is more than a year in the future",
            ),
            (
                |p| {
                    p.sources.push(Source {
                        title: Some("t".into()),
                        published_on: Some(d("1016-11-23")),
                        ..Default::default()
                    })
                },
                "source date 1016-11-23 is before 1900",
            ),
        ];
        for (break_it, expected) in cases {
            let mut poll = gsomia();
            break_it(&mut poll);
            let found = messages(&poll);
            assert!(
                found.iter().any(|m| m.contains(expected)),
                "expected {expected:?} in {found:?}"
            );
        }
    }

    #[test]
    fn rounding_up_to_101_is_allowed_and_edges_pass() {
        let mut poll = gsomia();
        poll.results[0].answers = vec![
            Answer {
                label: "A".into(),
                pct: 10.7,
            },
            Answer {
                label: "B".into(),
                pct: 75.4,
            },
            Answer {
                label: "C".into(),
                pct: 14.9,
            },
        ];
        assert!(messages(&poll).is_empty(), "{:?}", messages(&poll));
        poll.results[0].answers = vec![
            Answer {
                label: "Oppose".into(),
                pct: 59.0,
            },
            Answer {
                label: "Support".into(),
                pct: 42.0,
            },
        ];
        poll.results[0].sample_size = Some(1.0);
        poll.results[0].margin_of_error = Some(50.0);
        assert!(messages(&poll).is_empty());
    }

    #[test]
    fn a_field_period_over_sixty_days_warns() {
        let mut poll = gsomia();
        poll.field_start = Some(d("2002-05-17"));
        poll.field_end = Some(d("2020-05-21"));
        poll.published_on = None;
        let (problems, warnings) = validate_poll(&poll, d("2026-11-28"));
        assert!(problems.is_empty());
        assert_eq!(
            warnings[0].to_string(),
            "the field period from 2002-05-17 to 2020-05-21 is 6580 days long (more than 60): \
             check the years; on charts it would stand at its middle, 2011-05-19"
        );
        poll.field_start = Some(d("2020-03-23"));
        let (_, warnings) = validate_poll(&poll, d("2026-11-28"));
        assert!(warnings.is_empty(), "{warnings:?}");
        poll.field_start = Some(d("2020-03-22"));
        let (_, warnings) = validate_poll(&poll, d("2026-11-28"));
        assert!(warnings[0].to_string().contains("is 61 days long"));
    }

    #[test]
    fn late_fieldwork_and_future_dates_warn() {
        let mut poll = gsomia();
        poll.field_end = Some(d("2016-11-20"));
        poll.sources.push(Source {
            url: Some("https://example.org/a".into()),
            published_on: Some(d("2027-01-01")),
            ..Default::default()
        });
        let (problems, warnings) = validate_poll(&poll, d("2026-11-28"));
        assert!(problems.is_empty());
        let text: Vec<String> = warnings.iter().map(|w| w.to_string()).collect();
        assert!(
            text.iter()
                .any(|w| w.contains("after the publication date 2016-11-18"))
        );
        assert!(
            text.iter()
                .any(|w| w.contains("source date 2027-01-01 is in the future"))
        );
    }
}
