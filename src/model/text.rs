//! What text and values may be stored: names without hidden characters, free text without
//! control characters, no value spelled the way a CSV file says "unknown", dates a poll could
//! have, ids every reader can hold. The same rules for `add`, `edit` and `import`.

use chrono::{Datelike, NaiveDate};

/// The spellings of "unknown" seen in real poll files (and `na` in any case); `--` is
/// RealClearPolitics'. A file's cell
/// spelled so is read as missing, so no stored value may be spelled so: an export of it could
/// not be read back.
pub const MISSING: [&str; 8] = ["", "NA", "N/A", "n/a", "-", "--", "\u{2013}", "\u{2014}"];

/// The largest poll id: 2^53 - 1, the largest whole number every JSON and spreadsheet reader
/// holds exactly. Ids run from 1 to this.
pub const MAX_POLL_ID: i64 = 9_007_199_254_740_991;

/// The first day a poll may be dated (the first modern opinion polls are of the 1930s; straw
/// polls reach back further, but a year before 1900 is a typo such as `0202` for `2020`).
pub const EARLIEST_DATE: NaiveDate = match NaiveDate::from_ymd_opt(1900, 1, 1) {
    Some(date) => date,
    None => panic!("a real date"),
};

/// How far after today a date may be: a poll announced for next year is plausible, a poll of
/// 2068 (`68` read as a year) is not.
pub const MAX_DAYS_AHEAD: i64 = 366;

/// Whether a text, trimmed, says the value is unknown.
pub fn reads_as_missing(text: &str) -> bool {
    let trimmed = text.trim();
    MISSING.contains(&trimmed)
        || trimmed.eq_ignore_ascii_case("na")
        || trimmed.eq_ignore_ascii_case("n/a")
}

/// Why a date cannot be a poll's, if it cannot: before [`EARLIEST_DATE`] or more than
/// [`MAX_DAYS_AHEAD`] days after `today`.
pub fn implausible_date(what: &str, date: NaiveDate, today: NaiveDate) -> Option<String> {
    let latest = today
        .checked_add_signed(chrono::Duration::days(MAX_DAYS_AHEAD))
        .unwrap_or(NaiveDate::MAX);
    if date < EARLIEST_DATE {
        Some(format!(
            "the {what} {} is before {}: check the year",
            super::format_date(date),
            EARLIEST_DATE.year()
        ))
    } else if date > latest {
        Some(format!(
            "the {what} {} is more than a year in the future (after {}): check the year",
            super::format_date(date),
            super::format_date(latest)
        ))
    } else {
        None
    }
}

/// Characters that show nothing, or change how what follows shows, in a name: control
/// characters (a NUL, a terminal's escape sequences), format characters (zero-width spaces,
/// direction overrides, a byte-order mark, soft hyphens) and line or paragraph separators.
/// Zero-width joiners and non-joiners are part of writing in some scripts (Persian, Indic), so
/// they are allowed between two letters outside ASCII.
fn hidden_in_name(prev: Option<char>, c: char, next: Option<char>) -> bool {
    if matches!(c, '\u{200c}' | '\u{200d}') {
        let script_letter = |c: Option<char>| c.is_some_and(|c| c.is_alphabetic() && !c.is_ascii());
        return !(script_letter(prev) && script_letter(next));
    }
    c.is_control() || is_format(c) || matches!(c, '\u{2028}' | '\u{2029}')
}

/// Unicode's format characters (category Cf) that matter in practice.
fn is_format(c: char) -> bool {
    matches!(c,
        '\u{00ad}' | '\u{061c}' | '\u{180e}' | '\u{200b}'..='\u{200f}' | '\u{202a}'..='\u{202e}'
        | '\u{2060}'..='\u{2064}' | '\u{2066}'..='\u{206f}' | '\u{feff}' | '\u{fff9}'..='\u{fffb}'
        | '\u{e0001}' | '\u{e0020}'..='\u{e007f}'
    )
}

/// Why a name (pollster, sponsor, question slug, population, answer label, mode, region,
/// outlet, URL) cannot be stored, if it cannot: a hidden character, or a spelling of unknown.
pub fn name_problem(what: &str, text: &str) -> Option<String> {
    let chars: Vec<char> = text.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        let prev = i.checked_sub(1).map(|p| chars[p]);
        if hidden_in_name(prev, c, chars.get(i + 1).copied()) {
            return Some(format!(
                "{what} \"{}\" holds a hidden character ({}) at character {}: retype it \
                 without it",
                printable(text),
                code_point(c),
                i + 1
            ));
        }
    }
    if !text.trim().is_empty() && reads_as_missing(text) {
        return Some(format!(
            "{what} \"{}\" is how a CSV file says \"unknown\", so it would not read back: \
             leave it out if it is unknown, or spell it out",
            text.trim()
        ));
    }
    None
}

/// Why a free text (notes, question wording, source title) cannot be stored, if it cannot: a
/// control character other than a line break or a tab, or a spelling of unknown.
pub fn free_text_problem(what: &str, text: &str) -> Option<String> {
    if let Some((i, c)) = text
        .chars()
        .enumerate()
        .find(|(_, c)| c.is_control() && !matches!(c, '\n' | '\t'))
    {
        return Some(format!(
            "{what} \"{}\" holds a control character ({}) at character {}: only line breaks \
             and tabs are kept in text",
            printable(text),
            code_point(c),
            i + 1
        ));
    }
    if !text.trim().is_empty() && reads_as_missing(text) {
        return Some(format!(
            "{what} \"{}\" is how a CSV file says \"unknown\", so it would not read back: \
             leave it out if it is unknown, or spell it out",
            text.trim()
        ));
    }
    None
}

/// `U+200B`.
fn code_point(c: char) -> String {
    format!("U+{:04X}", u32::from(c))
}

/// A text safe to print in a message: control and format characters (and line breaks) as
/// `\u{...}` escapes, so a message never carries a terminal's escape sequence or hides a
/// character.
/// A message for a terminal: each line as [`printable`] gives it, so a value echoed in it
/// (a slug, a file name, a cell) can never send escape sequences or hide characters.
pub fn terminal_safe(message: &str) -> String {
    message
        .split('\n')
        .map(printable)
        .collect::<Vec<_>>()
        .join("\n")
}

pub fn printable(text: &str) -> String {
    if !text
        .chars()
        .any(|c| c.is_control() || is_format(c) || matches!(c, '\u{2028}' | '\u{2029}'))
    {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() || is_format(c) || matches!(c, '\u{2028}' | '\u{2029}') => {
                out.push_str(&format!("\\u{{{:04x}}}", u32::from(c)))
            }
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        super::super::parse_date(s).unwrap()
    }

    #[test]
    fn every_spelling_of_unknown_reads_as_missing() {
        for text in [
            "",
            " ",
            "NA",
            "na",
            "Na",
            "n/a",
            "N/A",
            "N/a",
            "-",
            "--",
            "\u{2013}",
            " \u{2014} ",
        ] {
            assert!(reads_as_missing(text), "{text:?}");
        }
        for text in ["Nate", "NAB", "---", "-- see p.3", "n/a/b", "0"] {
            assert!(!reads_as_missing(text), "{text:?}");
        }
    }

    #[test]
    fn names_refuse_hidden_characters_and_spellings_of_unknown() {
        let refused = [
            ("\0", "U+0000"),
            ("You\u{200b}Gov", "U+200B"),
            ("\u{1b}[31mRed\u{1b}[0m", "U+001B"),
            ("Gallup\u{202e}", "U+202E"),
            ("\u{feff}YouGov", "U+FEFF"),
            ("a\tb", "U+0009"),
            ("a\nb", "U+000A"),
            ("Ipsos\u{7f}", "U+007F"),
            ("Ip\u{ad}sos", "U+00AD"),
            ("You\u{200d}Gov", "U+200D"),
            ("NA", "unknown"),
            ("\u{2014}", "unknown"),
        ];
        for (name, expected) in refused {
            let problem = name_problem("pollster", name).unwrap_or_default();
            assert!(problem.contains(expected), "{name:?}: {problem}");
            assert!(
                !problem.contains('\u{1b}') && !problem.contains('\0'),
                "{problem}"
            );
        }
        // Persian writes a zero-width non-joiner between letters; Hangul and accents are text.
        for name in [
            "نظرسنجی\u{200c}ها",
            "한국갤럽",
            "Ifop-Fiducial",
            "Élabe",
            "NAB",
        ] {
            assert_eq!(name_problem("pollster", name), None, "{name}");
        }
    }

    #[test]
    fn free_text_keeps_line_breaks_and_tabs_only() {
        assert_eq!(free_text_problem("notes", "a\nb\tc — d"), None);
        assert_eq!(
            free_text_problem("notes", "zero\u{200d}width joiner 👨\u{200d}👩"),
            None
        );
        for text in ["\0", "bell\u{7}", "\u{1b}]0;title\u{7}", "\u{85}next line"] {
            assert!(
                free_text_problem("notes", text).is_some_and(|p| p.contains("control character")),
                "{text:?}"
            );
        }
        assert!(free_text_problem("notes", "—").is_some_and(|p| p.contains("unknown")));
    }

    #[test]
    fn dates_from_1900_to_a_year_ahead() {
        let today = d("2026-11-29");
        assert_eq!(
            implausible_date("field start", d("1900-01-01"), today),
            None
        );
        assert_eq!(
            implausible_date("field start", d("2027-11-30"), today),
            None
        );
        assert!(
            implausible_date("field start", d("0202-03-01"), today)
                .is_some_and(|p| p.contains("0202-03-01 is before 1900"))
        );
        assert!(
            implausible_date("field end", d("2068-01-01"), today)
                .is_some_and(|p| p.contains("more than a year in the future"))
        );
    }

    #[test]
    fn printable_escapes_what_a_terminal_would_act_on() {
        assert_eq!(printable("plain"), "plain");
        assert_eq!(printable("a\u{1b}[2Jb\0\n"), "a\\u{001b}[2Jb\\u{0000}\\n");
        assert_eq!(printable("x\u{200b}y"), "x\\u{200b}y");
    }
}
