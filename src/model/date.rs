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
