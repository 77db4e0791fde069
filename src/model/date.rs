use chrono::{Datelike, NaiveDate, Utc};

/// Parses a strict `YYYY-MM-DD` date that exists on the calendar.
pub fn parse_date(text: &str) -> Result<NaiveDate, String> {
    let text = text.trim();
    let well_formed = text.len() == 10
        && text.bytes().enumerate().all(|(i, b)| {
            if i == 4 || i == 7 {
                b == b'-'
            } else {
                b.is_ascii_digit()
            }
        });
    if !well_formed {
        return Err(format!("date \"{text}\" is not of the form YYYY-MM-DD"));
    }
    // Digits checked above; reading them directly is many times faster than a format string,
    // and imports read a few dates per row.
    let number = |range: std::ops::Range<usize>| {
        text.as_bytes()[range]
            .iter()
            .fold(0u32, |n, b| n * 10 + u32::from(b - b'0'))
    };
    NaiveDate::from_ymd_opt(number(0..4) as i32, number(5..7), number(8..10))
        .ok_or_else(|| format!("date \"{text}\" is not a real calendar date"))
}

/// The forms [`parse_typed_date`] reads, as its messages list them.
pub const TYPED_DATE_FORMS: &str = "2024-05-14, \"May 14, 2024\", \"14 May 2024\", 14.05.2024 or \
     2024/05/14 (also 5/14/2024 or 14/5/2024, where the day is above 12)";

/// Parses a date as it is typed from an article: `2024-05-14`, `May 14, 2024` (`May 14 2024`,
/// `Sept.`/`September`), `14 May 2024`, `14.05.2024` (day first, as German writes it),
/// `2024/05/14`, and `M/D/YYYY` or `D/M/YYYY` when the order is plain because one of the first
/// two numbers is above 12 (or both are the same). A slashed date that reads both ways
/// (`05/06/2024`: 6 May or 5 June) is refused, saying so; so is a day not on the calendar.
pub fn parse_typed_date(text: &str) -> Result<NaiveDate, String> {
    let text = text.trim();
    if text.len() == 10 && text.as_bytes()[4] == b'-' {
        return parse_date(text);
    }
    let unknown =
        || format!("date \"{text}\" is not a date polltrack reads: write it as {TYPED_DATE_FORMS}");
    if text.contains('/') {
        return slashed_date(text).unwrap_or_else(|| Err(unknown()));
    }
    // Month names: chrono reads `May` and `September` alike; a full stop after an
    // abbreviation and the comma after the day are left out first.
    let words = text.replace([',', '.'], " ").replace("Sept ", "Sep ");
    let words = words.split_whitespace().collect::<Vec<_>>().join(" ");
    let formats: &[(&str, &str)] = if text.contains('.') && !text.contains(' ') {
        &[(text, "%d.%m.%Y")]
    } else {
        &[(&words, "%B %d %Y"), (&words, "%d %B %Y")]
    };
    for (candidate, format) in formats {
        if let Some(date) = read_calendar(candidate, format, text)? {
            return Ok(date);
        }
    }
    Err(unknown())
}

/// `text` read with chrono `format`: `Ok(None)` when it does not have that form, an error when
/// it does but names no real day (`31.02.2024`).
fn read_calendar(text: &str, format: &str, typed: &str) -> Result<Option<NaiveDate>, String> {
    use chrono::format::{ParseErrorKind, Parsed, StrftimeItems, parse};
    let mut parsed = Parsed::new();
    if parse(&mut parsed, text, StrftimeItems::new(format)).is_err() {
        return Ok(None);
    }
    // A four-digit year only: `14.05.24` is not the year 24.
    if !parsed.year().is_some_and(|y| (1000..=9999).contains(&y)) {
        return Ok(None);
    }
    match parsed.to_naive_date() {
        Ok(date) => Ok(Some(date)),
        Err(e)
            if e.kind() == ParseErrorKind::OutOfRange || e.kind() == ParseErrorKind::Impossible =>
        {
            Err(format!("date \"{typed}\" is not a real calendar date"))
        }
        Err(_) => Ok(None),
    }
}

/// `2024/05/14`, or `M/D/YYYY` or `D/M/YYYY` when only one order names a day; `None` when it is
/// no slashed date.
fn slashed_date(text: &str) -> Option<Result<NaiveDate, String>> {
    let parts: Vec<&str> = text.split('/').collect();
    if parts.len() != 3
        || parts
            .iter()
            .any(|p| p.is_empty() || !p.bytes().all(|b| b.is_ascii_digit()))
    {
        return None;
    }
    if parts[0].len() == 4 {
        return read_calendar(text, "%Y/%m/%d", text).transpose();
    }
    if parts[2].len() != 4 {
        return None;
    }
    let month_first = read_calendar(text, "%m/%d/%Y", text).ok().flatten();
    let day_first = read_calendar(text, "%d/%m/%Y", text).ok().flatten();
    Some(match (month_first, day_first) {
        (Some(a), Some(b)) if a != b => Err(format!(
            "date \"{text}\" is ambiguous: it may be {} or {}; write it as {} or {}, or as {TYPED_DATE_FORMS}",
            a.format("%-d %B %Y"),
            b.format("%-d %B %Y"),
            format_date(a),
            format_date(b),
        )),
        (Some(date), _) | (None, Some(date)) => Ok(date),
        (None, None) => Err(format!("date \"{text}\" is not a real calendar date")),
    })
}

pub fn format_date(date: NaiveDate) -> String {
    let (year, month, day) = (date.year(), date.month(), date.day());
    if !(0..=9999).contains(&year) {
        return format!("{year:04}-{month:02}-{day:02}");
    }
    let year = year as u32;
    let digits = [
        year / 1000,
        year / 100 % 10,
        year / 10 % 10,
        year % 10,
        10,
        month / 10,
        month % 10,
        10,
        day / 10,
        day % 10,
    ];
    digits
        .iter()
        .map(|&d| {
            if d == 10 {
                '-'
            } else {
                char::from(b'0' + d as u8)
            }
        })
        .collect()
}

/// The day a poll stands at: the middle of its field period (rounded down), else whichever field
/// date is known, else its publication date. The schema's `poll.poll_date` computes the same.
pub fn poll_date(
    start: Option<NaiveDate>,
    end: Option<NaiveDate>,
    published: Option<NaiveDate>,
) -> Option<NaiveDate> {
    match (start, end) {
        (Some(s), Some(e)) => Some(s + chrono::Duration::days((e - s).num_days().div_euclid(2))),
        (Some(d), None) | (None, Some(d)) => Some(d),
        (None, None) => published,
    }
}

pub fn today() -> NaiveDate {
    Utc::now().date_naive()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        parse_date(s).unwrap()
    }

    #[test]
    fn parses_real_dates_only() {
        assert_eq!(
            d("2016-11-18"),
            NaiveDate::from_ymd_opt(2016, 11, 18).unwrap()
        );
        assert!(
            parse_date("2016-02-30")
                .unwrap_err()
                .contains("not a real calendar date")
        );
        assert!(parse_date("18/11/2016").unwrap_err().contains("YYYY-MM-DD"));
        assert!(parse_date("2016-1-18").is_err());
        for text in ["0999-01-02", "2016-11-18", "2000-12-31", "9999-10-09"] {
            assert_eq!(format_date(d(text)), text);
        }
    }

    #[test]
    fn reads_dates_as_typed_from_articles() {
        let may14 = d("2024-05-14");
        for text in [
            "2024-05-14",
            "May 14, 2024",
            "May 14 2024",
            "may 14, 2024",
            "14 May 2024",
            "14 May, 2024",
            "14.05.2024",
            "14.5.2024",
            "2024/05/14",
            "5/14/2024",
            "14/5/2024",
            " 05/14/2024 ",
        ] {
            assert_eq!(parse_typed_date(text), Ok(may14), "{text}");
        }
        assert_eq!(parse_typed_date("Sept. 3, 2024"), Ok(d("2024-09-03")));
        assert_eq!(parse_typed_date("Sep 3, 2024"), Ok(d("2024-09-03")));
        assert_eq!(parse_typed_date("September 3, 2024"), Ok(d("2024-09-03")));
        assert_eq!(parse_typed_date("6/6/2024"), Ok(d("2024-06-06")));
    }

    #[test]
    fn refuses_typed_dates_that_read_two_ways_or_none() {
        let message = parse_typed_date("05/06/2024").unwrap_err();
        assert_eq!(
            message,
            format!(
                "date \"05/06/2024\" is ambiguous: it may be 6 May 2024 or 5 June 2024; write it \
                 as 2024-05-06 or 2024-06-05, or as {TYPED_DATE_FORMS}"
            )
        );
        for (text, expected) in [
            ("31.02.2024", "is not a real calendar date"),
            ("February 30, 2024", "is not a real calendar date"),
            ("2024/02/30", "is not a real calendar date"),
            ("13/13/2024", "is not a real calendar date"),
            ("2024-02-30", "is not a real calendar date"),
            ("14.05.24", "is not a date polltrack reads"),
            ("5/14/24", "is not a date polltrack reads"),
            ("Mai 14, 2024", "is not a date polltrack reads"),
            ("yesterday", "is not a date polltrack reads"),
            ("2024-5-14", "is not a date polltrack reads"),
        ] {
            let message = parse_typed_date(text).unwrap_err();
            assert!(message.contains(expected), "{text}: {message}");
        }
    }

    #[test]
    fn poll_date_is_field_midpoint_else_published() {
        let p = Some(d("2016-11-18"));
        assert_eq!(
            poll_date(Some(d("2016-11-15")), Some(d("2016-11-17")), p),
            Some(d("2016-11-16"))
        );
        assert_eq!(
            poll_date(Some(d("2016-11-15")), Some(d("2016-11-16")), p),
            Some(d("2016-11-15"))
        );
        assert_eq!(
            poll_date(None, Some(d("2016-11-16")), p),
            Some(d("2016-11-16"))
        );
        assert_eq!(poll_date(None, None, p), p);
        assert_eq!(poll_date(None, None, None), None);
    }
}
