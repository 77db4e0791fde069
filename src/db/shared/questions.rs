//! Questions: the checks, warnings and messages of finding, renaming and colouring them, the
//! same in both stores.

use crate::error::{Error, Hint, Result};
use crate::model::{FieldChange, QuestionKind, Rgb, Warning};
use std::collections::HashSet;

/// There is no question `slug`.
pub(in crate::db) fn no_question(slug: &str) -> Error {
    Error::not_found(format!("there is no question {slug}")).with_hint(Hint::ListQuestions)
}

/// The wording given for a question, if any: trimmed, and none when blank.
pub(in crate::db) fn given_wording(wording: Option<&str>) -> Option<&str> {
    wording.map(str::trim).filter(|w| !w.is_empty())
}

/// The question `slug` is stored with the wording `stored`, and `given` was not used.
pub(in crate::db) fn other_wording(slug: &str, stored: &str, given: &str) -> Warning {
    Warning::new(format!(
        "question {slug} is stored with the wording \"{stored}\"; the wording given \
         (\"{given}\") was not used"
    ))
    .with_hint(Hint::RewordQuestion {
        slug: slug.to_string(),
    })
}

/// The question `slug` is new and no wording was given for it.
pub(in crate::db) fn no_wording(slug: &str) -> Error {
    Error::invalid(format!(
        "question {slug} is new and has no wording, which readers need to know what was asked"
    ))
    .with_hint(Hint::GiveWording)
}

/// A kind offered for a question by an import or a new poll, and whether the user gave it
/// (`--kind`) or the file's layout told it. Only a kind the user gave is worth a warning when
/// the question is stored with another.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(in crate::db) struct OfferedKind {
    pub kind: QuestionKind,
    pub given: bool,
}

/// What to tell of the kind `offered` for the question `slug`, stored with the kind `stored`:
/// a warning when the user gave another kind, which was not used.
pub(in crate::db) fn other_kind(slug: &str, stored: &str, offered: OfferedKind) -> Option<Warning> {
    if stored == offered.kind.name() || !offered.given {
        return None;
    }
    let given = offered.kind;
    Some(
        Warning::new(format!(
            "question {slug} is stored as a question of kind {stored}; the kind given ({given}) \
             was not used"
        ))
        .with_hint(Hint::SetQuestionKind {
            slug: slug.to_string(),
            kind: given.to_string(),
        }),
    )
}

/// A kind as stored; the schema's CHECK keeps out any other text.
pub(in crate::db) fn stored_kind(text: Option<String>) -> Result<Option<QuestionKind>> {
    text.map(|t| {
        QuestionKind::from_name(&t).ok_or_else(|| {
            Error::storage_refused(format!("database: unknown question kind \"{t}\""))
        })
    })
    .transpose()
}

/// Checks a question's new slug (returned trimmed), wording and topic.
pub(in crate::db) fn checked_rename<'a>(
    new_slug: &'a str,
    wording: Option<&str>,
    topic: Option<&str>,
) -> Result<&'a str> {
    let new_slug = new_slug.trim();
    if new_slug.is_empty() || new_slug.chars().any(char::is_whitespace) {
        return Err(Error::invalid(format!(
            "question slug \"{}\" must be a short key without spaces, such as kr-gsomia",
            crate::model::printable(new_slug)
        )));
    }
    if wording.is_some_and(|w| w.trim().is_empty()) {
        return Err(Error::invalid("the wording is empty"));
    }
    let problem = crate::model::name_problem("question slug", new_slug)
        .or_else(|| wording.and_then(|w| crate::model::free_text_problem("wording", w)))
        .or_else(|| topic.and_then(|t| crate::model::free_text_problem("topic", t)));
    match problem {
        Some(problem) => Err(Error::invalid(problem)),
        None => Ok(new_slug),
    }
}

/// The question slug `new_slug` is taken.
pub(in crate::db) fn slug_taken(new_slug: &str) -> Error {
    Error::conflict(format!("question {new_slug} exists already"))
}

/// The fields a rename changes, as the history records them: the question was `slug` with
/// `old_wording` and `old_topic`, and is given `new_slug`, `wording` and `topic`.
pub(in crate::db) fn rename_changes(
    (slug, old_wording, old_topic): (&str, String, Option<String>),
    (new_slug, wording, topic): (&str, Option<&str>, Option<&str>),
) -> Vec<FieldChange> {
    let mut changes: Vec<FieldChange> = Vec::new();
    if new_slug != slug {
        changes.push(("slug".into(), Some(slug.into()), Some(new_slug.into())));
    }
    if let Some(wording) = wording.map(str::trim).filter(|w| *w != old_wording) {
        changes.push(("wording".into(), Some(old_wording), Some(wording.into())));
    }
    if let Some(topic) = topic
        .map(str::trim)
        .filter(|t| old_topic.as_deref() != Some(t))
    {
        changes.push(("topic".into(), old_topic, Some(topic.into())));
    }
    changes
}

/// The colour kept for the answer `label` of the question `slug`.
pub(in crate::db) fn stored_colour(slug: &str, label: &str, colour: &str) -> Result<Rgb> {
    Rgb::parse(colour).map_err(|e| {
        Error::storage_refused(format!("database: the colour kept for {slug} {label}: {e}"))
    })
}

/// A question's answers in the order they first appear, read a page of result sets at a time
/// (in date order): labels are matched ignoring ASCII case, as SQLite's NOCASE answer column
/// does, and the reading may stop once every wanted label has appeared.
pub(in crate::db) struct FirstAppearance {
    wanted: bool,
    missing: HashSet<String>,
    seen: HashSet<String>,
    /// The labels, in the order they first appeared.
    pub order: Vec<String>,
}

impl FirstAppearance {
    /// Looking for `wanted` (none: every answer, so the reading goes on to the end).
    pub(in crate::db) fn new(wanted: &[String]) -> FirstAppearance {
        FirstAppearance {
            wanted: !wanted.is_empty(),
            missing: wanted.iter().map(|w| key(w)).collect(),
            seen: HashSet::new(),
            order: Vec::new(),
        }
    }

    /// Takes the labels of the next page, in order; returns whether every wanted label has
    /// appeared, so no more need be read.
    pub(in crate::db) fn take(&mut self, labels: impl IntoIterator<Item = String>) -> bool {
        for label in labels {
            if self.seen.insert(key(&label)) {
                self.missing.remove(&key(&label));
                self.order.push(label);
            }
        }
        self.wanted && self.missing.is_empty()
    }
}

fn key(label: &str) -> String {
    label.trim().to_ascii_lowercase()
}
