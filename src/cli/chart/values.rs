//! The values of `chart`'s flags that clap parses with a check of their own.

use polltrack::chart::{self, Mark};
use polltrack::model::parse_date;
use polltrack::{Error, Result};

/// `--y-range LOW,HIGH`: two percentages from 0 to 100, the lower first.
pub fn y_range(text: &str) -> std::result::Result<(f64, f64), String> {
    let usage =
        || format!("give two percentages from 0 to 100, lower first, e.g. 20,60 (not {text})");
    let (low, high) = text.split_once(',').ok_or_else(usage)?;
    let number = |part: &str| part.trim().trim_end_matches('%').parse::<f64>().ok();
    match (number(low), number(high)) {
        (Some(low), Some(high)) if chart::is_percent_range((low, high)) => Ok((low, high)),
        _ => Err(usage()),
    }
}

/// A size in pixels from `min` to the largest chart drawn, refused when parsing beyond them.
pub fn pixels(min: u32) -> clap::builder::RangedI64ValueParser<u32> {
    clap::value_parser!(u32).range(i64::from(min)..=i64::from(chart::MAX_SIZE))
}

/// `--mark DATE=LABEL`.
pub fn mark(mark: &str) -> Result<Mark> {
    let (date, label) = mark.split_once('=').ok_or_else(|| {
        Error::usage(format!(
            "--mark {mark}: write it as DATE=LABEL, e.g. 2016-11-23=\"GSOMIA signed\""
        ))
    })?;
    let date = parse_date(date).map_err(|e| Error::usage(format!("--mark {mark}: {e}")))?;
    Ok(Mark {
        date,
        label: label.trim().to_string(),
    })
}
