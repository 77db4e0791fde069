//! What polls refer to: the sources that reported them, the questions they asked, the
//! pollsters that ran them.

use crate::db::prelude::*;
use crate::db::{Merged, QuestionDetail, Renamed};
use crate::error::Result;
use crate::model::{Pollster, Question, QuestionKind, Source, SourceWithPolls};

/// Records an article (or completes the stored one with the same URL) and links it to
/// `polls`; returns its id.
///
/// Errors: not found for an unknown poll; invalid values; storage failures.
pub async fn add_source(store: &impl Store, source: &Source, polls: &[i64]) -> Result<i64> {
    store.add_source(source, polls).await
}

/// The sources, each with the polls it reported; only those of `poll` when given.
///
/// Errors: storage failures.
pub async fn sources(store: &impl Store, poll: Option<i64>) -> Result<Vec<SourceWithPolls>> {
    store.list_sources(poll).await
}

/// One source, by id or URL, with its polls.
///
/// Errors: not found; storage failures.
pub async fn source(store: &impl Store, key: &str) -> Result<SourceWithPolls> {
    store.get_source(key).await
}

/// Links a source, by id or URL, to polls; returns its id.
///
/// Errors: not found for an unknown source or poll; storage failures.
pub async fn link_source(store: &impl Store, key: &str, polls: &[i64]) -> Result<i64> {
    store.link_source(key, polls).await
}

/// The questions with their number of polls and date span.
///
/// Errors: storage failures.
pub async fn questions(store: &impl Store) -> Result<Vec<Question>> {
    store.list_questions().await
}

/// One question with its populations, answers and pollsters recorded.
///
/// Errors: not found; storage failures.
pub async fn question(store: &impl Store, slug: &str) -> Result<QuestionDetail> {
    store.get_question(slug.trim()).await
}

/// A question's new slug, and optionally a new wording or topic.
#[derive(Debug, Clone, Default)]
pub struct RenameQuestion {
    /// The question's slug now.
    pub slug: String,
    /// May be the same slug, to change only wording or topic.
    pub new_slug: String,
    /// A new wording.
    pub wording: Option<String>,
    /// A new topic.
    pub topic: Option<String>,
}

/// Renames a question (and changes its wording or topic).
///
/// Errors: not found; conflict when the new slug is taken; invalid slug; storage failures.
pub async fn rename_question(store: &impl Store, request: &RenameQuestion) -> Result<()> {
    store
        .rename_question(
            request.slug.trim(),
            &request.new_slug,
            request.wording.as_deref(),
            request.topic.as_deref(),
        )
        .await
}

/// Sets (or with `None` unsets) a question's kind; returns the kind it had.
///
/// Errors: not found; storage failures.
pub async fn set_question_kind(
    store: &impl Store,
    slug: &str,
    kind: Option<QuestionKind>,
) -> Result<Option<QuestionKind>> {
    store.set_question_kind(slug.trim(), kind).await
}

/// The pollsters with their aliases, number of polls and date span.
///
/// Errors: storage failures.
pub async fn pollsters(store: &impl Store) -> Result<Vec<Pollster>> {
    store.list_pollsters().await
}

/// Makes `alias` another spelling of the pollster `name`; returns the pollster's name.
///
/// Errors: not found for an unknown pollster; conflict when the alias stands for another;
/// invalid alias; storage failures.
pub async fn alias_pollster(store: &impl Store, alias: &str, name: &str) -> Result<String> {
    store.add_pollster_alias(alias, name).await
}

/// Moves every poll of `from` to `into`, whose alias `from`'s name becomes. A poll of `from`
/// that would repeat one of `into` (same dates, question and population) is made part of it
/// when `combine`. An `into` not stored yet is `from` renamed, its old name kept as an alias.
///
/// Errors: conflict, naming each pair, when polls would repeat and not `combine` (nothing
/// changes); usage when both name one pollster; not found for an unknown `from`; invalid for
/// a new name that cannot be stored; storage failures.
pub async fn merge_pollsters(
    store: &impl Store,
    from: &str,
    into: &str,
    combine: bool,
) -> Result<Merged> {
    store.merge_pollsters_with(from, into, combine).await
}

/// Gives the pollster `old` (a name or alias) the name `new`, shown from now on; its name until
/// now stays an alias when `keep_alias`. `new` may be one of its aliases: they swap.
///
/// Errors: not found for an unknown pollster; conflict when `new` stands for another pollster;
/// usage when it is the name already; invalid for a name that cannot be stored; storage
/// failures.
pub async fn rename_pollster(
    store: &impl Store,
    old: &str,
    new: &str,
    keep_alias: bool,
) -> Result<Renamed> {
    store.rename_pollster(old, new, keep_alias).await
}

/// Removes the pollsters that have no polls (and their aliases); returns their names.
///
/// Errors: storage failures.
pub async fn prune_pollsters(store: &impl Store) -> Result<Vec<String>> {
    store.prune_pollsters().await
}
