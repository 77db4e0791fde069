//! Reading cells as a careful person would: missing values in their many spellings, `35%`,
//! dates as `YYYY-MM-DD`, `M/D/YYYY` or `M/D/YY` (or a format the user names), `1,004`.

use crate::model::{parse_date, parse_pct, parse_sample_size, reads_as_missing};
use chrono::NaiveDate;

/// The cell's text, trimmed, or `None` when it says the value is unknown (see
/// [`crate::model::MISSING`]).
pub fn present(cell: &str) -> Option<&str> {
    (!reads_as_missing(cell)).then(|| cell.trim())
}

/// How dates are written in a file.
#[derive(Debug, Clone, Default, PartialEq)]
pub enum DateFormat {
    /// `YYYY-MM-DD`, `M/D/YYYY` or `M/D/YY` (two-digit years are 19xx from 70, else 20xx).
    #[default]
    Usual,
    /// A chrono format such as `%d.%m.%Y`.
    Custom(String),
}

/// A date as a file gives it: a day, or (with a `--date-format` that has no day, such as
/// `%Y-%m`) a whole month.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dated {
    Day(NaiveDate),
    /// The month, by its first day.
    Month(NaiveDate),
}

impl Dated {
    /// The first day it may mean.
    pub fn first(self) -> NaiveDate {
        match self {
            Dated::Day(day) | Dated::Month(day) => day,
        }
    }

    /// The last day it may mean: the day, or the month's last.
    pub fn last(self) -> NaiveDate {
        match self {
            Dated::Day(day) => day,
            Dated::Month(first) => first
                .checked_add_months(chrono::Months::new(1))
                .and_then(|next| next.pred_opt())
                .unwrap_or(first),
        }
    }
}

/// A day's date; a month alone is refused, saying the format has no day.
pub fn date(text: &str, format: &DateFormat) -> Result<NaiveDate, String> {
    match date_or_month(text, format)? {
        Dated::Day(day) => Ok(day),
        Dated::Month(_) => Err(format!(
            "date \"{text}\" is a month: {} has no day",
            format.name()
        )),
    }
}

/// A day's date, or a month's when the format has a year and a month but no day.
pub fn date_or_month(text: &str, format: &DateFormat) -> Result<Dated, String> {
    match format {
        DateFormat::Custom(pattern) => custom_date(text, pattern),
        DateFormat::Usual if text.contains('/') => us_date(text).map(Dated::Day),
        DateFormat::Usual => parse_date(text).map(Dated::Day),
    }
}

impl DateFormat {
    /// How messages name it.
    fn name(&self) -> String {
        match self {
            DateFormat::Usual => "the date format YYYY-MM-DD".into(),
            DateFormat::Custom(pattern) => format!("the date format given, {pattern},"),
        }
    }
}

/// A date in a chrono format; one with a year and a month but no day is the month.
fn custom_date(text: &str, pattern: &str) -> Result<Dated, String> {
    use chrono::format::{Parsed, StrftimeItems, parse};
    let mut parsed = Parsed::new();
    if parse(&mut parsed, text, StrftimeItems::new(pattern)).is_err() {
        return Err(format!(
            "date \"{text}\" does not match the date format given, {pattern}"
        ));
    }
    if let Ok(day) = parsed.to_naive_date() {
        return Ok(Dated::Day(day));
    }
    let has_day = parsed.day().is_some()
        || parsed.ordinal().is_some()
        || parsed.isoweek().is_some()
        || parsed.week_from_mon().is_some()
        || parsed.week_from_sun().is_some();
    // A two-digit year (`%y`) as chrono reads it with a day: 70-99 are 19xx, 00-69 20xx.
    let year = parsed.year().or_else(|| {
        parsed
            .year_mod_100()
            .map(|y| if y >= 70 { 1900 + y } else { 2000 + y })
    });
    match (year, parsed.month()) {
        (Some(year), Some(month)) if !has_day => NaiveDate::from_ymd_opt(year, month, 1)
            .map(Dated::Month)
            .ok_or_else(|| format!("date \"{text}\" is not a real month")),
        _ if !has_day => Err(format!(
            "date \"{text}\": the date format given, {pattern}, has no day and no month, so it names \
             no day or month a poll could be dated by"
        )),
        _ => Err(format!("date \"{text}\" is not a real calendar date")),
    }
}

/// `M/D/YYYY` or `M/D/YY`, as FiveThirtyEight and US spreadsheets write dates.
fn us_date(text: &str) -> Result<NaiveDate, String> {
    let bad = || format!("date \"{text}\" is not of the form M/D/YYYY, M/D/YY or YYYY-MM-DD");
    let parts: Vec<&str> = text.split('/').collect();
    let [month, day, year] = parts.as_slice() else {
        return Err(bad());
    };
    let number = |s: &str| {
        s.parse::<u32>()
            .ok()
            .filter(|_| !s.is_empty() && s.len() <= 4)
    };
    let (Some(month), Some(day), Some(year)) = (number(month), number(day), number(year)) else {
        return Err(bad());
    };
    let year = match parts[2].len() {
        2 if year >= 70 => 1900 + year,
        2 => 2000 + year,
        4 => year,
        _ => return Err(bad()),
    };
    NaiveDate::from_ymd_opt(year as i32, month, day)
        .ok_or_else(|| format!("date \"{text}\" is not a real calendar date"))
}

pub fn pct(text: &str) -> Result<f64, String> {
    parse_pct(text)
}

pub fn sample_size(text: &str) -> Result<f64, String> {
    parse_sample_size(text)
}

pub fn margin_of_error(text: &str) -> Result<f64, String> {
    parse_pct(text).map_err(|_| format!("margin of error \"{text}\" is not a number"))
}

/// `true`/`false` as 538 and spreadsheets write them: TRUE, T, yes, 1...
pub fn flag(text: &str) -> Result<bool, String> {
    match text.to_ascii_lowercase().as_str() {
        "true" | "t" | "yes" | "y" | "1" => Ok(true),
        "false" | "f" | "no" | "n" | "0" => Ok(false),
        _ => Err(format!("\"{text}\" is not true or false")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn missing_values_in_every_spelling() {
        for cell in [
            "",
            "  ",
            "NA",
            "na",
            "n/a",
            "N/A",
            "-",
            "--",
            " -- ",
            "\u{2013}",
            " \u{2014} ",
        ] {
            assert_eq!(present(cell), None, "{cell:?}");
        }
        assert_eq!(present(" 42 "), Some("42"));
        assert_eq!(present("Nate"), Some("Nate"));
    }

    #[test]
    fn dates_in_the_usual_forms() {
        let usual = DateFormat::Usual;
        assert_eq!(date("2020-02-04", &usual).unwrap(), d(2020, 2, 4));
        assert_eq!(date("3/5/24", &usual).unwrap(), d(2024, 3, 5));
        assert_eq!(date("1/20/2017", &usual).unwrap(), d(2017, 1, 20));
        assert_eq!(date("12/31/99", &usual).unwrap(), d(1999, 12, 31));
        assert!(
            date("2/30/24", &usual)
                .unwrap_err()
                .contains("not a real calendar date")
        );
        assert!(date("5/24", &usual).unwrap_err().contains("M/D/YYYY"));
        assert!(date("5/5/024", &usual).is_err());
        let german = DateFormat::Custom("%d.%m.%Y".into());
        assert_eq!(date("05.03.2024", &german).unwrap(), d(2024, 3, 5));
        assert!(
            date("2024-03-05", &german)
                .unwrap_err()
                .contains("the date format given, %d.%m.%Y")
        );
    }

    #[test]
    fn a_format_without_a_day_reads_a_month() {
        let month = DateFormat::Custom("%Y-%m".into());
        let june = date_or_month("2017-06", &month).unwrap();
        assert_eq!(june, Dated::Month(d(2017, 6, 1)));
        assert_eq!((june.first(), june.last()), (d(2017, 6, 1), d(2017, 6, 30)));
        assert_eq!(
            date_or_month("2024-02", &month).unwrap().last(),
            d(2024, 2, 29)
        );
        assert_eq!(
            date_or_month("12/2016", &DateFormat::Custom("%m/%Y".into()))
                .unwrap()
                .last(),
            d(2016, 12, 31)
        );
        assert_eq!(
            date("2017-06", &month).unwrap_err(),
            "date \"2017-06\" is a month: the date format given, %Y-%m, has no day"
        );
        assert!(
            date_or_month("2017", &DateFormat::Custom("%Y".into()))
                .unwrap_err()
                .contains("has no day and no month")
        );
        // Two-digit years, as with a day: 70-99 are 19xx.
        for (text, pattern, first) in [
            ("06/17", "%m/%y", d(2017, 6, 1)),
            ("17-06", "%y-%m", d(2017, 6, 1)),
            ("06/98", "%m/%y", d(1998, 6, 1)),
        ] {
            assert_eq!(
                date_or_month(text, &DateFormat::Custom(pattern.into())),
                Ok(Dated::Month(first)),
                "{text} {pattern}"
            );
        }
        assert!(date_or_month("2017-13", &month).is_err());
        assert!(
            date_or_month("2017-06-31", &DateFormat::Custom("%Y-%m-%d".into()))
                .unwrap_err()
                .contains("not a real calendar date")
        );
        assert_eq!(
            date_or_month("17.06.2017", &DateFormat::Custom("%d.%m.%Y".into())).unwrap(),
            Dated::Day(d(2017, 6, 17))
        );
    }

    #[test]
    fn numbers_and_flags() {
        assert_eq!(pct("35%").unwrap(), 35.0);
        assert_eq!(sample_size("333.25").unwrap(), 333.25);
        assert_eq!(margin_of_error("3.1").unwrap(), 3.1);
        assert!(flag("T").unwrap());
        assert!(!flag("FALSE").unwrap());
        assert!(flag("maybe").is_err());
    }
}
