//! `house-effects`: how far each pollster's polls lean from the average, per answer.

use super::series;
use crate::analysis::{Z95, kalman};
use crate::db::SeriesFilter;
use crate::db::prelude::*;
use crate::error::Result;
use crate::model::{HouseEffect, Warning};

/// House effects to estimate.
#[derive(Debug, Clone, Default)]
pub struct HouseEffectsRequest {
    /// Which polls: the question, pollsters, dates, population.
    pub filter: SeriesFilter,
    /// The random walk's daily standard deviation in points (0.001 to 10); estimated by
    /// maximum likelihood when `None`.
    pub step: Option<f64>,
}

/// What the smoother estimated for one answer.
#[derive(Debug, Clone, PartialEq)]
pub struct AnswerModel {
    /// The answer's label.
    pub answer: String,
    /// Points a day.
    pub step: f64,
    /// Points, beyond sampling error.
    pub poll_noise: f64,
    /// Pollsters with polls of the answer: effects are estimated only with two or more.
    pub pollsters: usize,
}

/// The house effects of a question's pollsters.
#[derive(Debug, Clone, PartialEq)]
pub struct HouseEffects {
    /// By pollster (ignoring case), then answer; only pollsters with polls of the answer.
    pub effects: Vec<HouseEffect>,
    /// One per answer, in the order of the answers.
    pub models: Vec<AnswerModel>,
    /// What choosing the question's polls is worth telling (which population was counted).
    pub selection_notes: Vec<Warning>,
}

/// Fits the Kalman smoother of `trend --method kalman` to each answer: effects sum to zero over
/// the pollsters of each answer and are shrunk towards zero for pollsters with few polls.
///
/// Errors: not found for an unknown question or pollster, or no matching polls; storage
/// failures.
pub async fn house_effects(
    store: &impl Store,
    request: &HouseEffectsRequest,
) -> Result<HouseEffects> {
    let selection = series::select(store, &request.filter).await?;
    let mut effects = Vec::new();
    let mut models = Vec::new();
    for series in &selection.answers {
        let fit = kalman::fit(
            series,
            selection.pollsters.len(),
            kalman::KalmanOptions {
                step: request.step,
                poll_noise: None,
            },
        );
        models.push(AnswerModel {
            answer: series.answer.clone(),
            step: fit.step,
            poll_noise: fit.poll_noise,
            pollsters: fit.pollsters,
        });
        for (pollster, effect) in selection.pollsters.iter().zip(&fit.house_effects) {
            if effect.polls == 0 {
                continue;
            }
            let estimated = fit.pollsters > 1;
            effects.push(HouseEffect {
                pollster: pollster.clone(),
                answer: series.answer.clone(),
                effect: estimated.then_some(effect.effect),
                low: estimated.then_some(effect.effect - Z95 * effect.standard_error),
                high: estimated.then_some(effect.effect + Z95 * effect.standard_error),
                polls: effect.polls,
                step: fit.step,
                poll_noise: fit.poll_noise,
            });
        }
    }
    effects.sort_by(|a, b| {
        (a.pollster.to_lowercase(), &a.answer).cmp(&(b.pollster.to_lowercase(), &b.answer))
    });
    Ok(HouseEffects {
        effects,
        models,
        selection_notes: selection.notes,
    })
}
