//! Reading the values people type: `Oppose=59`, `35%`, `1,004`.

use super::Answer;

/// Reads a percentage, allowing a trailing `%`.
pub fn parse_pct(text: &str) -> Result<f64, String> {
    let number = text.trim().trim_end_matches('%').trim_end();
    // A decimal comma, as European spreadsheets write `24,5`: one comma, one or two digits
    // after it (three would read as thousands, which no percentage has).
    let decimal_comma = match number.split_once(',') {
        Some((whole, fraction)) => {
            !whole.contains('.')
                && (1..=2).contains(&fraction.len())
                && fraction.bytes().all(|b| b.is_ascii_digit())
        }
        None => false,
    };
    let number = if decimal_comma {
        number.replacen(',', ".", 1)
    } else {
        number.to_string()
    };
    parse_number(&number).map_err(|_| format!("percentage \"{}\" is not a number", text.trim()))
}

/// Reads a plain decimal number; thousands separators are allowed in sample sizes only.
pub fn parse_number(text: &str) -> Result<f64, String> {
    let text = text.trim();
    match text.parse::<f64>() {
        Ok(n) if n.is_finite() => Ok(n),
        _ => Err(format!("\"{text}\" is not a number")),
    }
}

/// Whether a character is a space that may group thousands: an ordinary space, a no-break
/// space, a narrow no-break space (Swedish and French releases), a thin space...
fn is_grouping_space(c: char) -> bool {
    c.is_whitespace() && !c.is_control() && !matches!(c, '\u{2028}' | '\u{2029}')
}

/// Reads a sample size such as `1004`, `1,004`, `1 004` (any space character), `1.004` (dots
/// grouping thousands, when the decimal reading would be under 100) or `1004.6`.
pub fn parse_sample_size(text: &str) -> Result<f64, String> {
    let text = text.trim();
    // Dots grouping thousands, as German releases write `1.382`: read so when the decimal
    // reading would be a sample of under 100 people, which no published poll has (`900.000`
    // stays 900).
    let mut groups = text.split('.');
    let first = groups.next().unwrap_or_default();
    let rest: Vec<&str> = groups.collect();
    if !rest.is_empty()
        && (1..=2).contains(&first.len())
        && !first.starts_with('0')
        && first.bytes().all(|b| b.is_ascii_digit())
        && rest
            .iter()
            .all(|g| g.len() == 3 && g.bytes().all(|b| b.is_ascii_digit()))
    {
        return parse_number(&text.replace('.', ""));
    }
    let whole = text.split('.').next().unwrap_or_default();
    // One character groups the thousands: a comma or a kind of space.
    let grouping = whole.chars().find(|c| *c == ',' || is_grouping_space(*c));
    if let Some(separator) = grouping {
        let mut groups = whole.split(separator);
        let first = groups.next().unwrap_or_default();
        // It must group thousands: `1,5` might be 1.5 written the European way, or 15, and
        // `53 78` two numbers.
        let grouped = (1..=3).contains(&first.chars().count())
            && groups.all(|g| g.len() == 3 && g.bytes().all(|b| b.is_ascii_digit()));
        if !grouped {
            let what = match separator {
                ',' => "a comma",
                _ => "a space",
            };
            return Err(format!(
                "sample size \"{text}\": {what} here does not group thousands (in threes); \
                 write it as a plain number, e.g. 5378"
            ));
        }
    }
    let plain: String = text.chars().filter(|c| Some(*c) != grouping).collect();
    parse_number(&plain).map_err(|_| format!("sample size \"{text}\" is not a number"))
}

/// Reads a margin of error in points, allowing a trailing `%` (`3.1`, `3.1%`).
pub fn parse_margin_of_error(text: &str) -> Result<f64, String> {
    parse_number(text.trim().trim_end_matches('%'))
        .map_err(|_| format!("margin of error \"{text}\" is not a number"))
}

/// Reads `LABEL=PCT`; the label may itself contain `=`, the last one splits.
pub fn parse_answer(text: &str) -> Result<Answer, String> {
    let Some((label, pct)) = text.rsplit_once('=') else {
        return Err(format!(
            "answer \"{text}\" is not of the form LABEL=PCT, e.g. Oppose=59"
        ));
    };
    let label = label.trim();
    if label.is_empty() {
        return Err(format!("answer \"{text}\" has no label before '='"));
    }
    Ok(Answer {
        label: label.to_string(),
        pct: parse_pct(pct)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sample_sizes_group_thousands_only() {
        assert_eq!(parse_sample_size("1,004").unwrap(), 1004.0);
        assert_eq!(parse_sample_size("12,345,678.5").unwrap(), 12_345_678.5);
        assert_eq!(parse_sample_size("333.25").unwrap(), 333.25);
        assert!(
            parse_sample_size("1,5")
                .unwrap_err()
                .contains("does not group")
        );
        assert!(parse_sample_size("1,0045").is_err());
        // Swedish releases: a space, a no-break space or a narrow no-break space.
        for spaced in ["5 378", "5\u{a0}378", "5\u{202f}378", "5\u{2009}378"] {
            assert_eq!(parse_sample_size(spaced).unwrap(), 5378.0, "{spaced:?}");
        }
        assert_eq!(parse_sample_size("1 234 567").unwrap(), 1_234_567.0);
        assert!(
            parse_sample_size("53 78")
                .unwrap_err()
                .contains("a space here does not group")
        );
        assert!(parse_sample_size("1,234 567").is_err());
        assert!(parse_sample_size("5\t378").is_err());
        assert!(parse_sample_size("1004,").is_err());
    }

    #[test]
    fn reads_answers_and_percentages() {
        assert_eq!(
            parse_answer("Oppose=59").unwrap(),
            Answer {
                label: "Oppose".into(),
                pct: 59.0
            }
        );
        assert_eq!(
            parse_answer(" a=b = 35% ").unwrap(),
            Answer {
                label: "a=b".into(),
                pct: 35.0
            }
        );
        assert!(parse_answer("Oppose").unwrap_err().contains("LABEL=PCT"));
        assert!(parse_answer("=5").unwrap_err().contains("no label"));
        assert!(
            parse_answer("Oppose=abc")
                .unwrap_err()
                .contains("\"abc\" is not a number")
        );
        assert!(parse_pct("inf").is_err());
        assert_eq!(parse_sample_size("1,004").unwrap(), 1004.0);
        assert_eq!(parse_sample_size("1004.6").unwrap(), 1004.6);
        assert!(parse_sample_size("many").is_err());
    }

    #[test]
    fn a_sample_size_may_group_thousands_with_dots() {
        assert_eq!(parse_sample_size("1.382"), Ok(1382.0));
        assert_eq!(parse_sample_size("12.345.678"), Ok(12_345_678.0));
        assert_eq!(parse_sample_size("900.000"), Ok(900.0));
        assert_eq!(parse_sample_size("0.500"), Ok(0.5));
        assert_eq!(parse_sample_size("1004.6"), Ok(1004.6));
        assert_eq!(parse_sample_size("1004.600"), Ok(1004.6));
    }

    #[test]
    fn a_percentage_may_have_a_decimal_comma() {
        assert_eq!(parse_pct("24,5"), Ok(24.5));
        assert_eq!(parse_pct("24,50 %"), Ok(24.5));
        assert_eq!(parse_pct("7,25%"), Ok(7.25));
        for text in ["1,004", "24,5,1", "1.5,5", "24,a"] {
            assert!(parse_pct(text).is_err(), "{text}");
        }
    }
}
