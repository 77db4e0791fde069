//! Reading the flags that say how a file is read into the import's options.

use super::args::Args;
use polltrack::import::values::DateFormat;
use polltrack::import::{Field, Options, parse_answer_columns};
use polltrack::{Error, Result};

/// How the file is to be read, from the flags; a `--map` or `--date-format` that cannot work is
/// a usage error.
pub fn options(args: &Args) -> Result<Options> {
    let mut maps = Vec::new();
    for map in &args.maps {
        let (field, column) = map.split_once('=').ok_or_else(|| {
            Error::usage(format!(
                "--map {map}: write it as FIELD=COLUMN, e.g. pollster=Firm"
            ))
        })?;
        let field = Field::from_name(field).ok_or_else(|| {
            let names: Vec<&str> = Field::ALL.iter().map(|f| f.name()).collect();
            Error::usage(format!(
                "--map {map}: no field \"{field}\"; the fields are {}",
                names.join(", ")
            ))
        })?;
        maps.push((field, column.trim().to_string()));
    }
    if let Some(format) = &args.date_format {
        check_date_format(format)?;
    }
    Ok(Options {
        maps,
        answers: args
            .answers
            .as_deref()
            .map(parse_answer_columns)
            .unwrap_or_default(),
        split: args.split.clone(),
        question: args.question.clone(),
        wording: args.wording.clone(),
        kind: args.kind.map(Into::into),
        date_format: args
            .date_format
            .clone()
            .map(DateFormat::Custom)
            .unwrap_or_default(),
        separator: args.delimiter,
        pollster: args.pollster.clone(),
        // Columns named as `--answers` names them: COL, or COL=NAME to name the pollster.
        pollster_columns: args
            .pollster_columns
            .as_deref()
            .map(parse_answer_columns)
            .unwrap_or_default(),
        answer_label: args.answer_label.clone(),
        ..Options::default()
    })
}

/// `--delimiter`: `,`, `;`, `|`, or a tab (`tab`, `\t`, or the character itself).
pub fn parse_separator(text: &str) -> std::result::Result<u8, String> {
    match text {
        "tab" | "TAB" | "\\t" | "\t" => Ok(b'\t'),
        "," | ";" | "|" => Ok(text.as_bytes()[0]),
        _ => Err("the separator is one of , ; | or tab".into()),
    }
}

/// A `--date-format` chrono can read dates with: no stray `%` or unknown `%Q` (else every row
/// would be refused, one by one, for the option's fault).
fn check_date_format(format: &str) -> Result<()> {
    use chrono::format::{Item, StrftimeItems};
    let usage = |why: &str| {
        Error::usage(format!(
            "--date-format {format}: {why}; write it as chrono's strftime does, e.g. \
             --date-format %d.%m.%Y for 31.12.2024 (%Y year, %m month, %d day, %b month name)"
        ))
    };
    if StrftimeItems::new(format).any(|item| matches!(item, Item::Error)) {
        return Err(usage(
            "not a date format (a % not followed by a known letter)",
        ));
    }
    Ok(())
}
