//! New names said aloud, and refused when they look like a typo of a stored one: a pollster
//! spelt `Emmerson College` beside the stored `Emerson College` would silently be a second
//! pollster, an answer `Aprove` beside `Approve` a trend line of its own.

use crate::db::prelude::*;
use crate::error::{Error, ErrorKind, Hint, Result};
use crate::model::{self, Poll, Warning};
use serde::Serialize;
use std::collections::{HashMap, HashSet};

/// Which new names the user has confirmed as new, though close to a stored one.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Confirmed {
    /// A new pollster.
    pub pollster: bool,
    /// New answer labels.
    pub answers: bool,
}

/// A name stored for the first time, worth saying aloud.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum NewName {
    /// A pollster not stored before, by name nor alias.
    Pollster(String),
    /// An answer label new to a question that has answers stored.
    Answer {
        /// The question's slug.
        question: String,
        /// The new label.
        label: String,
    },
}

/// The names `poll` brings that are not stored yet: its pollster (unless a stored name or
/// alias) and the answer labels new to a stored question (compared ignoring case; a new
/// question's labels are all new, and not listed). A new name that looks like a typo of a
/// stored one (see [`model::looks_like`]: case and accents folded, about one edit per five
/// letters) is refused unless `confirmed`, naming the closest stored names.
///
/// Errors: invalid, every such name with its closest stored names, and a
/// [`Hint::ConfirmNewNames`] saying which to confirm; storage failures.
pub async fn check_new_names(
    store: &impl Store,
    poll: &Poll,
    confirmed: Confirmed,
) -> Result<Vec<NewName>> {
    let mut new = Vec::new();
    let mut problems = Vec::new();
    let mut refused = (false, false);
    let pollster = poll.pollster.trim();
    if !pollster.is_empty() {
        let spellings = store.pollster_spellings().await?;
        let key = model::name_key(pollster);
        if !spellings.iter().any(|(s, _)| model::name_key(s) == key) {
            let close = model::close_names(pollster, spellings.iter().map(|(s, _)| s.as_str()));
            if close.is_empty() || confirmed.pollster {
                new.push(NewName::Pollster(pollster.to_string()));
            } else {
                refused.0 = true;
                let named: Vec<String> = close.iter().map(|s| stands_for(s, &spellings)).collect();
                problems.push(format!(
                    "pollster \"{pollster}\" is not stored (did you mean {}?)",
                    named.join(" or ")
                ));
            }
        }
    }
    for result in &poll.results {
        let labels = match store.get_question(result.question.trim()).await {
            Ok(detail) => detail.answers,
            Err(e) if e.kind() == ErrorKind::NotFound => continue,
            Err(e) => return Err(e),
        };
        let labels: Vec<&str> = labels.iter().map(|(label, _)| label.as_str()).collect();
        for answer in &result.answers {
            let label = answer.label.trim();
            if labels
                .iter()
                .any(|l| l.to_lowercase() == label.to_lowercase())
            {
                continue;
            }
            let close = model::close_names(label, labels.iter().copied());
            if close.is_empty() || confirmed.answers {
                new.push(NewName::Answer {
                    question: result.question.clone(),
                    label: label.to_string(),
                });
            } else {
                refused.1 = true;
                problems.push(format!(
                    "answer \"{label}\" is new to question {} (did you mean {}?)",
                    result.question,
                    close.join(" or ")
                ));
            }
        }
    }
    if problems.is_empty() {
        return Ok(new);
    }
    Err(
        Error::invalid_all(problems).with_hint(Hint::ConfirmNewNames {
            pollster: refused.0,
            answer: refused.1,
        }),
    )
}

/// A stored spelling as offered: an alias with the pollster it stands for.
fn stands_for(spelling: &str, spellings: &[(String, String)]) -> String {
    match spellings.iter().find(|(s, _)| s == spelling) {
        Some((_, name)) if name != spelling => format!("{spelling} (an alias of {name})"),
        _ => spelling.to_string(),
    }
}

/// The new pollsters of an import, each once by its first line, compared with the stored
/// names and aliases and with the file's earlier new names. A file is usually right and a
/// refusal of 10,000 rows for one name heavy, so an import stores them and warns of those
/// close to another name instead of refusing them.
pub(crate) struct NewPollsters {
    /// The keys of every name met: stored spellings, and the file's new names.
    known: HashSet<String>,
    /// Stored spellings, with the pollster each stands for.
    stored: Vec<(String, String)>,
    /// The stored spellings with their [`model::typo_key`].
    stored_keys: Vec<(String, String)>,
    /// The file's new names with their first line.
    new: Vec<(String, u64)>,
    /// The file's new names with their [`model::typo_key`].
    new_keys: Vec<(String, String)>,
    /// Those close to another name: (name, line, what it is close to, in words).
    close: Vec<(String, u64, Vec<String>, Option<String>)>,
}

impl NewPollsters {
    /// Reads the stored names and aliases.
    ///
    /// Errors: storage failures.
    pub(crate) async fn load(store: &impl Store) -> Result<NewPollsters> {
        let stored = store.pollster_spellings().await?;
        let keyed = |(s, _): &(String, String)| (s.clone(), model::typo_key(s));
        Ok(NewPollsters {
            known: stored.iter().map(|(s, _)| model::name_key(s)).collect(),
            stored_keys: stored.iter().map(keyed).collect(),
            stored,
            new: Vec::new(),
            new_keys: Vec::new(),
            close: Vec::new(),
        })
    }

    /// Notes the pollster of a poll of the file, first on `line`.
    pub(crate) fn see(&mut self, name: &str, line: u64) {
        let name = name.trim();
        if name.is_empty() || !self.known.insert(model::name_key(name)) {
            return;
        }
        let stored = model::close_among(
            name,
            self.stored_keys
                .iter()
                .map(|(s, k)| (s.as_str(), k.as_str())),
        );
        let mut words: Vec<String> = stored
            .iter()
            .map(|s| format!("the stored {}", stands_for(s, &self.stored)))
            .collect();
        let earlier = model::close_among(
            name,
            self.new_keys.iter().map(|(s, k)| (s.as_str(), k.as_str())),
        );
        for other in &earlier {
            if let Some((_, first)) = self.new.iter().find(|(s, _)| s == other) {
                words.push(format!("{other} (new on line {first})"));
            }
        }
        if !words.is_empty() {
            // A stored pollster is what it would be merged into.
            let into = stored
                .first()
                .map(|s| match self.stored.iter().find(|(x, _)| x == s) {
                    Some((_, pollster)) => pollster.clone(),
                    None => s.clone(),
                });
            self.close.push((name.to_string(), line, words, into));
        }
        self.new.push((name.to_string(), line));
        self.new_keys
            .push((name.to_string(), model::typo_key(name)));
    }

    /// A warning for each new pollster close to another name, naming `file` and its line;
    /// with the merge that would fold it into a stored pollster when the import was `stored`.
    pub(crate) fn warnings(self, file: &str, stored: bool) -> Vec<Warning> {
        self.close
            .into_iter()
            .map(|(name, line, words, into)| {
                let message = format!(
                    "{file}:{line}: new pollster \"{name}\" is close to {}: a typo?",
                    words.join(", ")
                );
                match into.filter(|_| stored) {
                    Some(into) => Warning {
                        message,
                        hint: Some(Hint::MergePollsters { from: name, into }),
                    },
                    None => Warning::new(message),
                }
            })
            .collect()
    }
}

/// The answer labels an import brings that are new to their question, each once per question by
/// its first line, compared with the question's stored labels and the file's earlier ones: a
/// label close to another (`Aprove` beside `Approve`) becomes its own trend line, so it is
/// warned of with its line. The import stores it, as it stores new pollsters.
#[derive(Default)]
pub(crate) struct NewAnswers {
    /// Each question's labels met so far with their [`model::typo_key`], by slug.
    questions: HashMap<String, Vec<(String, String)>>,
    /// Those close to another: (line, label, question, the labels it is close to).
    close: Vec<(u64, String, String, Vec<String>)>,
}

impl NewAnswers {
    /// Notes the answers of `poll`, first on `line`, reading each question's stored labels
    /// from the import's session the first time the question is met.
    ///
    /// Errors: storage failures.
    pub(crate) async fn see(
        &mut self,
        session: &mut impl ImportSession,
        poll: &Poll,
        line: u64,
    ) -> Result<()> {
        for result in &poll.results {
            let slug = result.question.trim();
            if !self.questions.contains_key(slug) {
                let stored = session.question_labels(slug).await?;
                let keyed = stored.into_iter().map(|l| {
                    let key = model::typo_key(&l);
                    (l, key)
                });
                self.questions.insert(slug.to_string(), keyed.collect());
            }
            let labels = self.questions.get_mut(slug).expect("inserted above");
            for answer in &result.answers {
                let label = answer.label.trim();
                let key = model::typo_key(label);
                if labels.iter().any(|(_, k)| *k == key) {
                    continue;
                }
                let close =
                    model::close_among(label, labels.iter().map(|(l, k)| (l.as_str(), k.as_str())));
                if !close.is_empty() {
                    self.close
                        .push((line, label.to_string(), slug.to_string(), close));
                }
                labels.push((label.to_string(), key));
            }
        }
        Ok(())
    }

    /// A warning for each new label close to another, naming `file` and its line.
    pub(crate) fn warnings(self, file: &str) -> Vec<Warning> {
        self.close
            .into_iter()
            .map(|(line, label, question, close)| {
                Warning::new(format!(
                    "{file}:{line}: new answer \"{label}\" for question {question} is close to \
                     its {}: a typo?",
                    close.join(", ")
                ))
            })
            .collect()
    }
}
