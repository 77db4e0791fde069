//! Reading one question's polls for a trend: the refusals and the sharing of repeated names
//! that both stores make the same way.

use crate::error::{Error, Hint};
use crate::model::Name;
use rustc_hash::FxHashSet;

/// A series of a question not stored.
pub(in crate::db) fn no_question(slug: &str) -> Error {
    Error::not_found(format!("there is no question {}", slug.trim())).with_hint(Hint::ListQuestions)
}

/// A pollster named in a series filter that is not stored (`list` names which list of the
/// filter, for the message): an unknown name is an error, not an empty trend.
pub(in crate::db) fn no_pollster(list: &str, name: &str) -> Error {
    Error::not_found(format!("{list}: there is no pollster \"{}\"", name.trim()))
        .with_hint(Hint::ListPollsters)
}

/// Names repeated on many rows (pollsters, populations, answer labels), each stored once.
#[derive(Default)]
pub(in crate::db) struct Interner(FxHashSet<Name>);

impl Interner {
    /// The one copy of `text`.
    pub(in crate::db) fn get(&mut self, text: &str) -> Name {
        if let Some(name) = self.0.get(text) {
            return name.clone();
        }
        let name: Name = text.into();
        self.0.insert(name.clone());
        name
    }
}
