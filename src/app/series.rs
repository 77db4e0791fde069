//! Reading one question's polls and choosing those a trend counts: the first step of trend,
//! house effects and chart.

use crate::analysis::{self, Selection};
use crate::db::SeriesFilter;
use crate::db::prelude::*;
use crate::error::{Error, Hint, Result};

/// Reads the polls of `filter`'s question and chooses those that count, by the question's kind
/// (each poll once, with the population the kind prefers, unless the filter names one).
/// `Selection::notes` says what the choice is worth telling, about the question's polls.
///
/// Errors: not found when the question does not exist, a pollster named in the filter is
/// unknown, or no poll matches.
pub async fn select(store: &impl Store, filter: &SeriesFilter) -> Result<Selection> {
    let results = store.poll_results(filter).await?;
    let kind = store.question_kind(&filter.question).await?;
    let selection = analysis::selection::select_of_kind(&results, kind);
    // Freeing a long series takes a visible moment, which the trend need not wait for.
    // Should no thread be had, the results are dropped here after all.
    let _ = std::thread::Builder::new().spawn(move || drop(results));
    if selection.answers.is_empty() {
        return Err(
            Error::not_found(format!("no polls of question {} match", filter.question)).with_hint(
                Hint::ListPollsOf {
                    question: filter.question.clone(),
                },
            ),
        );
    }
    Ok(selection)
}
