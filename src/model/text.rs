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

/// The last day a date may be: a year after today by the calendar (2026-11-29 gives
/// 2027-11-29; 29 February gives 28 February). A poll announced for next year is plausible, a
/// poll of 2068 (`68` read as a year) is not.
pub fn latest_date(today: NaiveDate) -> NaiveDate {
    today
        .checked_add_months(chrono::Months::new(12))
        .unwrap_or(NaiveDate::MAX)
}

/// Whether a text, trimmed, says the value is unknown.
pub fn reads_as_missing(text: &str) -> bool {
    let trimmed = text.trim();
    MISSING.contains(&trimmed)
        || trimmed.eq_ignore_ascii_case("na")
        || trimmed.eq_ignore_ascii_case("n/a")
}

/// Why a date cannot be a poll's, if it cannot: before [`EARLIEST_DATE`] or more than a year
/// after `today` (after [`latest_date`]). The same rule for every date field.
pub fn implausible_date(what: &str, date: NaiveDate, today: NaiveDate) -> Option<String> {
    let latest = latest_date(today);
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
/// characters (a NUL, a terminal's escape sequences), every Unicode default-ignorable code point
/// (zero-width spaces, direction overrides, a byte-order mark, soft hyphens, variation
/// selectors, Hangul fillers, tags), the other format characters (category Cf), line or
/// paragraph separators, and blanks that look like nothing (the braille blank). Zero-width
/// joiners and non-joiners are part of writing in some scripts (Persian, Indic), so they are
/// allowed between two letters outside ASCII.
fn hidden_in_name(prev: Option<char>, c: char, next: Option<char>) -> bool {
    if matches!(c, '\u{200c}' | '\u{200d}') {
        let script_letter = |c: Option<char>| c.is_some_and(|c| c.is_alphabetic() && !c.is_ascii());
        return !(script_letter(prev) && script_letter(next));
    }
    is_hidden(c)
}

/// A character that shows nothing or changes how others show: see [`hidden_in_name`]. The
/// zero-width joiners count here too (only a name's rule lets them in, between letters).
pub fn is_hidden(c: char) -> bool {
    use icu_properties::props::{DefaultIgnorableCodePoint, GeneralCategory};
    use icu_properties::{CodePointMapData, CodePointSetData};
    if c.is_ascii() {
        return c.is_ascii_control();
    }
    c.is_control()
        || matches!(c, '\u{2028}' | '\u{2029}' | '\u{2800}')
        || CodePointSetData::new::<DefaultIgnorableCodePoint>().contains(c)
        || CodePointMapData::<GeneralCategory>::new().get(c) == GeneralCategory::Format
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
    spelled_as_missing(what, text)
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
    spelled_as_missing(what, text)
}

/// A text that is one of the spellings of unknown, which an export could not tell from a
/// missing value.
fn spelled_as_missing(what: &str, text: &str) -> Option<String> {
    (!text.trim().is_empty() && reads_as_missing(text)).then(|| {
        format!(
            "{what} \"{}\" is how a CSV file says \"unknown\", so it would not read back: \
             leave it out if it is unknown, or spell it out",
            text.trim()
        )
    })
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
    if !text.chars().any(is_hidden) {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if is_hidden(c) => out.push_str(&format!("\\u{{{:04x}}}", u32::from(c))),
            c => out.push(c),
        }
    }
    out
}

/// `n` of `noun`, plural unless one: `1 poll`, `2 polls`, `0 polls`.
pub fn count<N: std::fmt::Display + PartialEq + From<u8>>(n: N, noun: &str) -> String {
    let s = if n == N::from(1) { "" } else { "s" };
    format!("{n} {noun}{s}")
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
            ("You\u{34f}Gov", "U+034F"),
            ("YouGov\u{fe0f}", "U+FE0F"),
            ("You\u{fe00}Gov", "U+FE00"),
            ("You\u{e0100}Gov", "U+E0100"),
            ("You\u{1d173}Gov", "U+1D173"),
            ("You\u{17b4}Gov", "U+17B4"),
            ("You\u{3164}Gov", "U+3164"),
            ("You\u{115f}Gov", "U+115F"),
            ("You\u{1160}Gov", "U+1160"),
            ("You\u{ffa0}Gov", "U+FFA0"),
            ("You\u{2800}Gov", "U+2800"),
            ("You\u{61c}Gov", "U+061C"),
            ("You\u{180b}Gov", "U+180B"),
            ("You\u{fff0}Gov", "U+FFF0"),
            ("You\u{1bca0}Gov", "U+1BCA0"),
            ("You\u{e0fff}Gov", "U+E0FFF"),
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

    /// Unicode's Default_Ignorable_Code_Point, as DerivedCoreProperties.txt lists it (16.0):
    /// every one is hidden, and the characters just outside each range are not.
    #[test]
    fn every_default_ignorable_code_point_is_hidden() {
        let ranges = [
            (0xad, 0xad),
            (0x34f, 0x34f),
            (0x61c, 0x61c),
            (0x115f, 0x1160),
            (0x17b4, 0x17b5),
            (0x180b, 0x180f),
            (0x200b, 0x200f),
            (0x202a, 0x202e),
            (0x2060, 0x206f),
            (0x3164, 0x3164),
            (0xfe00, 0xfe0f),
            (0xfeff, 0xfeff),
            (0xffa0, 0xffa0),
            (0xfff0, 0xfff8),
            (0x1bca0, 0x1bca3),
            (0x1d173, 0x1d17a),
            (0xe0000, 0xe0fff),
        ];
        for (first, last) in ranges {
            for c in (first..=last).filter_map(char::from_u32) {
                assert!(is_hidden(c), "U+{:04X}", u32::from(c));
            }
        }
        for c in [
            'A', 'é', '한', 'ㄱ', '\u{1161}', '\u{17b6}', '\u{2801}', '\u{fe10}', ' ',
        ] {
            assert!(!is_hidden(c), "U+{:04X}", u32::from(c));
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
        // A year ahead is the last day; the day after it is more than a year ahead.
        assert_eq!(
            implausible_date("field start", d("2027-11-29"), today),
            None
        );
        assert!(
            implausible_date("published on", d("2027-11-30"), today)
                .is_some_and(|p| p.contains("more than a year in the future (after 2027-11-29)"))
        );
        assert_eq!(latest_date(d("2028-02-29")), d("2029-02-28"));
        assert_eq!(latest_date(d("2027-02-28")), d("2028-02-28"));
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
