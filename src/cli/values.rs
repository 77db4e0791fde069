//! Reading option values that are data (dates, percentages, sample sizes): a bad one is
//! invalid data (exit 3), named with its option, not a usage error.

use chrono::NaiveDate;
use polltrack::model::{self, Answer};
use polltrack::{Error, Result};

/// A date as typed from an article (`May 14, 2024`, `14.05.2024`...; see
/// [`model::parse_typed_date`]), for every date option.
pub fn typed_date(option: &str, text: Option<&str>) -> Result<Option<NaiveDate>> {
    text.map(|t| model::parse_typed_date(t).map_err(|e| invalid(option, e)))
        .transpose()
}

pub fn answers(texts: &[String]) -> Result<Vec<Answer>> {
    texts
        .iter()
        .map(|t| model::parse_answer(t).map_err(|e| invalid("--answer", e)))
        .collect()
}

pub fn sample_size(text: Option<&str>) -> Result<Option<f64>> {
    text.map(|t| model::parse_sample_size(t).map_err(|e| invalid("--sample", e)))
        .transpose()
}

pub fn margin_of_error(text: Option<&str>) -> Result<Option<f64>> {
    text.map(|t| model::parse_margin_of_error(t).map_err(|e| invalid("--moe", e)))
        .transpose()
}

/// Refuses a poll that breaks a rule (see `app::polls::prepare`), naming every problem and
/// the option to fix. Warnings come back from the database once the poll is stored.
pub fn check(problems: &[model::Problem]) -> Result<()> {
    if problems.is_empty() {
        return Ok(());
    }
    let lines: Vec<String> = problems
        .iter()
        .map(|p| format!("{}: {}", option_for(p.field), p.message))
        .collect();
    Err(Error::invalid(lines.join("\n")))
}

/// A source from its options, its date read as `date_option`'s.
pub fn source(
    url: Option<&str>,
    title: Option<&str>,
    outlet: Option<&str>,
    (date_option, date_text): (&str, Option<&str>),
) -> Result<model::Source> {
    Ok(model::Source {
        id: None,
        url: model::clean_text(url),
        title: model::clean_text(title),
        outlet: model::clean_text(outlet),
        published_on: typed_date(date_option, date_text)?,
    })
}

/// The option a validated field comes from, so a message points at what to fix.
fn option_for(field: &str) -> &'static str {
    match field {
        "pollster" => "--pollster",
        "sponsors" => "--sponsor",
        "field_start" => "--start",
        "field_end" => "--end",
        "published_on" => "--published",
        "question" => "--question",
        "population" => "--population",
        "sample_size" => "--sample",
        "margin_of_error" => "--moe",
        "source_urls" => "--source",
        "source_title" => "--source-title",
        "outlet" => "--outlet",
        "source_date" => "--source-date",
        "mode" => "--mode",
        "region" => "--region",
        "notes" => "--notes",
        "question_wording" => "--wording",
        _ => "--answer",
    }
}

fn invalid(option: &str, message: String) -> Error {
    Error::invalid(format!("{option}: {}", model::printable(&message)))
}
