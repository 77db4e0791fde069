//! Estimates a front door shows or writes: values, not text.

use serde::Serialize;

/// One pollster's lean on one answer, in points. Serialized as scripts read it.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct HouseEffect {
    pub pollster: String,
    pub answer: String,
    /// `None` (with `low` and `high`) when the answer's polls are all one pollster's: its lean
    /// cannot be told from the level.
    pub effect: Option<f64>,
    /// The 95% interval.
    pub low: Option<f64>,
    pub high: Option<f64>,
    /// The polls it rests on.
    pub polls: usize,
    /// The answer's random walk step (points a day) and non-sampling poll noise (points), as
    /// estimated with the effects.
    pub step: f64,
    pub poll_noise: f64,
}
