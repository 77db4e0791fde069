//! Reading one question's polls and choosing those a trend counts: the first step of trend,
//! house effects and chart.

use crate::analysis::{self, Selection};
use crate::db::SeriesFilter;
use crate::db::prelude::*;
use crate::error::{Error, Hint, Result};
use crate::model::PollResult;
use chrono::NaiveDate;
use std::collections::HashMap;

/// Reads the polls of `filter`'s question and chooses those that count, by the question's kind
/// (each poll once, with the population the kind prefers, unless the filter names one).
/// `Selection::notes` says what the choice is worth telling, about the question's polls.
///
/// Errors: not found when the question does not exist, a pollster named in the filter is
/// unknown, or no poll matches.
pub async fn select(store: &impl Store, filter: &SeriesFilter) -> Result<Selection> {
    Ok(select_with(store, filter, |_| ()).await?.0)
}

/// The field periods of the polls chosen, by poll id: what a chart's reader hovering a poll
/// wants to see beside its date, which stands in the middle of them.
pub type FieldPeriods = HashMap<i64, (Option<NaiveDate>, Option<NaiveDate>)>;

/// [`select`], with the field periods of the polls read.
///
/// Errors: those of [`select`].
pub async fn select_with_field_periods(
    store: &impl Store,
    filter: &SeriesFilter,
) -> Result<(Selection, FieldPeriods)> {
    select_with(store, filter, |results| {
        results
            .iter()
            .map(|r| (r.poll_id, (r.field_start, r.field_end)))
            .collect()
    })
    .await
}

/// [`select`], keeping what `keep` takes from the results read before they are dropped.
async fn select_with<T>(
    store: &impl Store,
    filter: &SeriesFilter,
    keep: impl FnOnce(&[PollResult]) -> T,
) -> Result<(Selection, T)> {
    let results = store.poll_results(filter).await?;
    let kept = keep(&results);
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
    Ok((selection, kept))
}
