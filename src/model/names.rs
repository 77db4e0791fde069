//! Names that look like a typo of another: a new pollster or answer label that is probably a
//! stored one misspelt (`Emmerson College` for `Emerson College`, `Aprove` for `Approve`).

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// How many of the closest stored names a message offers.
pub const CLOSEST: usize = 3;

/// A name as it is compared for typos: lower case, accents dropped (`Ipsós` is `ipsos`), and
/// Hangul syllables as their letters (jamo), so that one wrong letter in `갤럽` is one edit,
/// not one of its two syllables.
pub fn typo_key(name: &str) -> String {
    name.trim()
        .nfd()
        .filter(|c| !is_combining_mark(*c))
        .flat_map(char::to_lowercase)
        .collect()
}

/// Whether `new` looks like a misspelling of `stored` (both as [`typo_key`] gives them).
///
/// Equal keys (names that differ only in accents) are close. Otherwise the Damerau-Levenshtein
/// distance (an insertion, deletion, substitution or swap of two letters is one edit) must be at
/// most one edit per five letters of the longer name, and at most two: `Aprove` and `Approve`
/// (7 letters, 1 edit) or `Quinnipac` and `Quinnipiac University` are close, while names under
/// five letters never are unless equal (party and pollster abbreviations, `S` and `SD`, `SPD`
/// and `SDP`, differ by one letter on purpose), nor are `Approve` and `Disapprove` (3 edits).
/// Not close either: names whose digits differ (`Option 1`, `Option 2`; `18-29`, `30-44`),
/// and a name that is the other with two letters or more added (`Favorable` and
/// `Unfavorable`, `Emerson` and `Emerson College`): those are other names, not typos.
pub fn looks_like(new: &str, stored: &str) -> bool {
    if new == stored {
        return true;
    }
    let digits = |s: &str| s.chars().filter(char::is_ascii_digit).collect::<String>();
    if digits(new) != digits(stored) {
        return false;
    }
    let (short, long) = match new.chars().count() <= stored.chars().count() {
        true => (new, stored),
        false => (stored, new),
    };
    let (longer, shorter) = (long.chars().count(), short.chars().count());
    // No more than two edits are ever allowed, and each adds at most one letter.
    if longer - shorter > 2 || (long.contains(short) && longer - shorter >= 2) {
        return false;
    }
    strsim::damerau_levenshtein(new, stored) <= (longer / 5).min(2)
}

/// Of `stored` names, those `name` looks like a misspelling of (see [`looks_like`]), closest
/// first, at most [`CLOSEST`], each once whatever its case.
pub fn close_names<'a>(name: &str, stored: impl IntoIterator<Item = &'a str>) -> Vec<String> {
    let keyed: Vec<(&str, String)> = stored.into_iter().map(|s| (s, typo_key(s))).collect();
    close_among(name, keyed.iter().map(|(s, key)| (*s, key.as_str())))
}

/// As [`close_names`], of names given with their [`typo_key`] made once (an import compares
/// each new name with every stored one).
pub fn close_among<'a>(
    name: &str,
    stored: impl IntoIterator<Item = (&'a str, &'a str)>,
) -> Vec<String> {
    let key = typo_key(name);
    let mut close: Vec<(usize, &str, &str)> = stored
        .into_iter()
        .filter(|(_, other)| looks_like(&key, other))
        .map(|(s, other)| (strsim::damerau_levenshtein(&key, other), other, s))
        .collect();
    close.sort_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.cmp(b.1)));
    close.dedup_by(|a, b| a.1 == b.1);
    close
        .into_iter()
        .take(CLOSEST)
        .map(|(_, _, s)| s.to_string())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_typos_of_the_issue_are_close() {
        for (new, stored) in [
            ("Emmerson College", "Emerson College"),
            ("Quinnipac University", "Quinnipiac University"),
            ("Aprove", "Approve"),
            ("Ipsós", "IPSOS"),
            ("You Gov", "YouGov"),
            ("Realmetre", "Realmeter"),
            ("갤롭", "갤럽"),
            ("Emerson Collage", "Emerson College"),
        ] {
            assert!(
                looks_like(&typo_key(new), &typo_key(stored)),
                "{new} / {stored}"
            );
        }
    }

    #[test]
    fn other_names_are_not_close() {
        for (new, stored) in [
            ("Approve", "Disapprove"),
            ("Favorable", "Unfavorable"),
            ("Emerson", "Emerson College"),
            ("SDP", "SPD"),
            ("S", "SD"),
            ("Linke", "Die Linke"),
            ("Option 1", "Option 2"),
            ("Gallup", "Gallup Korea"),
            ("Trump", "Truman"),
            ("Strongly approve", "Strongly disapprove"),
            ("Realmeter", "Research & Research"),
            ("한국갤럽", "한국리서치"),
        ] {
            assert!(
                !looks_like(&typo_key(new), &typo_key(stored)),
                "{new} / {stored}"
            );
        }
    }

    #[test]
    fn close_names_come_closest_first_each_once() {
        let stored = [
            "Emerson College",
            "EMERSON COLLEGE",
            "Emerson Colleges",
            "Ipsos",
            "Emersen College",
        ];
        assert_eq!(
            close_names("Emmerson College", stored),
            vec!["Emerson College", "Emersen College", "Emerson Colleges"]
        );
        assert!(close_names("Gallup", stored).is_empty());
    }
}
