//! `trend`: how opinion on a question moved, as a daily estimate of each answer with its 95%
//! band.

use super::series::{self, FieldPeriods};
use crate::analysis::{self, AnswerSeries, AnswerTrend, Method, Selection, TrendOptions};
use crate::db::SeriesFilter;
use crate::db::prelude::*;
use crate::error::Result;
use crate::model::Warning;
use serde::Serialize;

/// Which days a trend gives an estimate for.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Days {
    /// Every day from the first poll to the last, fitted on all the polls.
    #[default]
    Daily,
    /// Each poll date once, fitted on all the polls.
    AtPolls,
    /// Every day, each estimated from only the polls known that day (published, else
    /// recorded), as a live average publishes it; `kalman` and `latest` only.
    AsOf,
}

/// A trend to estimate: which polls, by which method, on which days.
#[derive(Debug, Clone, Default)]
pub struct TrendRequest {
    /// Which polls: the question, pollsters, dates, population.
    pub filter: SeriesFilter,
    /// The method and its options.
    pub options: TrendOptions,
    /// Which days get an estimate.
    pub days: Days,
}

impl TrendRequest {
    /// Refuses a request no trend can answer (options out of range, an as-of LOESS), before
    /// anything is read. Errors: invalid, naming the option.
    pub fn check(&self) -> Result<()> {
        self.options.check()?;
        if self.days == Days::AsOf {
            analysis::as_of::check(&self.options)?;
        }
        Ok(())
    }
}

/// An estimated trend. Serialized, it is the shape scripts read: the question, the method,
/// each answer's points (percentages in points, dates as YYYY-MM-DD) and the notes.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Trend {
    /// The question's slug.
    pub question: String,
    /// The method fitted.
    pub method: Method,
    /// One trend per answer; for `kalman`, with the step and poll noise it estimated.
    pub answers: Vec<AnswerTrend>,
    /// What the fit is worth telling (too few polls for a band, say).
    #[schema(value_type = Vec<String>)]
    pub notes: Vec<Warning>,
    /// What choosing the question's polls is worth telling (which population was counted).
    #[serde(skip)]
    pub selection_notes: Vec<Warning>,
}

/// Reads the question's polls, chooses those that count and fits the trend.
///
/// Errors: invalid for a request [`TrendRequest::check`] refuses; not found for an unknown
/// question or pollster, or no matching polls; storage failures.
pub async fn trend(store: &impl Store, request: &TrendRequest) -> Result<Trend> {
    request.check()?;
    let selection = series::select(store, &request.filter).await?;
    fit(request, selection)
}

/// A trend with the polls it was fitted on and their field periods: what an interactive chart
/// draws, a dot per poll beside the line.
#[derive(Debug, Clone)]
pub struct TrendAndPolls {
    /// The trend, as [`trend`] gives it.
    pub trend: Trend,
    /// Pollster names; each poll point's `pollster` indexes this.
    pub pollsters: Vec<String>,
    /// The polls counted, per answer, by date.
    pub polls: Vec<AnswerSeries>,
    /// Each poll's field period, by poll id.
    pub field_periods: FieldPeriods,
}

/// [`trend`], keeping the polls counted.
///
/// Errors: those of [`trend`].
pub async fn trend_and_polls(store: &impl Store, request: &TrendRequest) -> Result<TrendAndPolls> {
    request.check()?;
    let (selection, field_periods) =
        series::select_with_field_periods(store, &request.filter).await?;
    let pollsters = selection.pollsters.clone();
    let polls = selection.answers.clone();
    Ok(TrendAndPolls {
        trend: fit(request, selection)?,
        pollsters,
        polls,
        field_periods,
    })
}

/// Fits the trend `request` asks for to the polls chosen.
fn fit(request: &TrendRequest, selection: Selection) -> Result<Trend> {
    let options = &request.options;
    let trends = match request.days {
        Days::AsOf => analysis::as_of_trends(&selection, options)?,
        Days::AtPolls => analysis::trends_at_polls(&selection, options),
        Days::Daily => analysis::daily_trends(&selection, options),
    };
    Ok(Trend {
        question: request.filter.question.trim().to_string(),
        method: options.method,
        answers: trends.answers,
        notes: trends.notes,
        selection_notes: selection.notes,
    })
}
