//! Sources: the checks, messages and history of recording them, the same in both stores.

use crate::error::{Error, Hint, Result};
use crate::model::{self, FieldChange, Source};

/// There is no source `key` (an id or a URL).
pub(in crate::db) fn no_source(key: &str) -> Error {
    Error::not_found(format!("there is no source {key}")).with_hint(Hint::ListSources)
}

/// There is no poll `poll_id` for a source to report.
pub(in crate::db) fn no_poll(poll_id: i64) -> Error {
    Error::not_found(format!("there is no poll {poll_id}")).with_hint(Hint::ListPolls)
}

/// Checks a source given to be recorded: a URL or a title, and plausible fields.
pub(in crate::db) fn check_source(source: &Source) -> Result<()> {
    if source.url.is_none() && source.title.is_none() {
        return Err(Error::invalid("a source needs a URL or a title"));
    }
    let problem = [
        source
            .url
            .as_deref()
            .and_then(|u| model::name_problem("source URL", u)),
        source
            .outlet
            .as_deref()
            .and_then(|o| model::name_problem("outlet", o)),
        source
            .title
            .as_deref()
            .and_then(|t| model::free_text_problem("source title", t)),
        source
            .published_on
            .and_then(|d| model::implausible_date("source date", d, model::today())),
    ];
    match problem.into_iter().flatten().next() {
        Some(problem) => Err(Error::invalid(problem)),
        None => Ok(()),
    }
}

/// Whether a source is known by its URL alone (as imports give them), so that many can be
/// found or created by URL at once.
pub(in crate::db) fn bare_url(source: &Source) -> bool {
    source.id.is_none()
        && source.url.is_some()
        && source.title.is_none()
        && source.outlet.is_none()
        && source.published_on.is_none()
}

/// A stored source's fields as the history writes them: (field, value).
pub(in crate::db) type Described = Vec<(&'static str, Option<String>)>;

/// The fields a source's recording changed, from its fields `before` (none for a new source)
/// to those `after`.
pub(in crate::db) fn source_changes(before: &Described, after: Described) -> Vec<FieldChange> {
    after
        .into_iter()
        .filter_map(|(field, new)| {
            let old = before
                .iter()
                .find(|(f, _)| *f == field)
                .and_then(|b| b.1.clone());
            (old != new).then(|| (field.to_string(), old, new))
        })
        .collect()
}

/// A new source's fields as the history records its `add`: those it has.
pub(in crate::db) fn added_fields(described: Described) -> Vec<FieldChange> {
    described
        .into_iter()
        .filter(|(_, value)| value.is_some())
        .map(|(field, value)| (field.to_string(), None, value))
        .collect()
}
