//! A Kalman smoother with house effects. Each answer's share is a daily random walk
//! `μ(t+1) = μ(t) + N(0, step²)`; a poll of pollster `k` on day `t` observes
//! `μ(t) + house(k) + N(0, p (100 - p) / min(n, 3000))`.
//!
//! Estimation alternates: given the house effects, the polls of each day are pooled by precision
//! and a Kalman filter runs forward and a Rauch-Tung-Striebel smoother back; the step is the one
//! that maximises the filter's prediction-error likelihood (golden-section search on its log);
//! given the smoothed path, each pollster's house effect is its precision-weighted mean residual
//! shrunk towards zero (a normal prior whose variance is estimated from the spread of the raw
//! effects), then all are shifted so they sum to zero over the pollsters of the answer. The two
//! steps repeat until the house effects stop moving.

use super::{
    AnswerSeries, Evaluate, TrendPoint, day_number, evaluation_days, point, sampling_variances,
};
use chrono::NaiveDate;

/// Variance of the first day's level before any poll: effectively unknown.
const DIFFUSE_VARIANCE: f64 = 1.0e4;
/// Bounds of the step search, in percentage points a day.
const STEP_RANGE: (f64, f64) = (1.0e-3, 5.0);
/// House effects are never shrunk as if they could not exceed this (points).
const MIN_HOUSE_SPREAD: f64 = 0.1;
const MAX_ROUNDS: usize = 200;
const TOLERANCE: f64 = 1.0e-6;

/// A pollster's estimated house effect on one answer, in points, with its standard error.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct HouseEffect {
    pub effect: f64,
    pub standard_error: f64,
    pub polls: usize,
}

/// The smoothed daily path of one answer and the house effects estimated with it.
#[derive(Debug, Clone, PartialEq)]
pub struct KalmanFit {
    pub first_day: NaiveDate,
    /// The smoothed share on each day from the first poll to the last.
    pub estimate: Vec<f64>,
    /// Its variance, including the uncertainty of the house effects it was corrected by.
    pub variance: Vec<f64>,
    /// Polls dated each day.
    pub polls_per_day: Vec<usize>,
    /// By pollster index; pollsters with no poll of this answer have `polls == 0`.
    pub house_effects: Vec<HouseEffect>,
    /// The random walk's daily standard deviation, estimated or as given.
    pub step: f64,
    pub log_likelihood: f64,
}

/// One poll, as the filter sees it.
struct Observation {
    day: usize,
    pct: f64,
    precision: f64,
    pollster: usize,
}

/// Filter gains and the outcome of one forward-backward pass.
struct Pass {
    smoothed: Vec<f64>,
    smoothed_variance: Vec<f64>,
    gain: Vec<f64>,
    back_gain: Vec<f64>,
}

/// Fits the model to one answer's polls; `pollsters` is the number of pollster indexes.
pub fn fit(series: &AnswerSeries, pollsters: usize, step: Option<f64>) -> KalmanFit {
    let Some(first) = series.polls.first() else {
        return KalmanFit {
            first_day: NaiveDate::MIN,
            estimate: Vec::new(),
            variance: Vec::new(),
            polls_per_day: Vec::new(),
            house_effects: Vec::new(),
            step: step.unwrap_or(0.0),
            log_likelihood: 0.0,
        };
    };
    let first_day = first.date;
    let days = series
        .polls
        .iter()
        .map(|p| day_number(p.date, first_day))
        .max()
        .unwrap_or(0) as usize
        + 1;
    let observations: Vec<Observation> = series
        .polls
        .iter()
        .zip(sampling_variances(series))
        .map(|(p, variance)| Observation {
            day: day_number(p.date, first_day) as usize,
            pct: p.pct,
            precision: 1.0 / variance,
            pollster: p.pollster,
        })
        .collect();
    let mut polls_per_day = vec![0; days];
    let mut precision_by_pollster = vec![0.0; pollsters];
    let mut polls_by_pollster = vec![0usize; pollsters];
    let mut day_precision = vec![0.0; days];
    for o in &observations {
        polls_per_day[o.day] += 1;
        precision_by_pollster[o.pollster] += o.precision;
        polls_by_pollster[o.pollster] += 1;
        day_precision[o.day] += o.precision;
    }
    let active: Vec<usize> = (0..pollsters)
        .filter(|&k| polls_by_pollster[k] > 0)
        .collect();

    let mut house = vec![0.0; pollsters];
    let mut prior_precision = 1.0 / (MIN_HOUSE_SPREAD * MIN_HOUSE_SPREAD);
    let mut current_step = step.unwrap_or(1.0);
    let mut pass;
    let mut log_likelihood;
    let mut round = 0;
    loop {
        let day_means = pooled_days(&observations, &house, &day_precision);
        if step.is_none() {
            current_step = most_likely_step(&day_means, &day_precision);
        }
        (pass, log_likelihood) = forward_backward(&day_means, &day_precision, current_step);
        // Raw effects (mean residuals), their spread, and the shrunk, centred effects.
        let mut raw = vec![0.0; pollsters];
        for o in &observations {
            raw[o.pollster] += o.precision * (o.pct - pass.smoothed[o.day]);
        }
        if active.len() > 1 {
            let excess: f64 = active
                .iter()
                .map(|&k| {
                    let mean = raw[k] / precision_by_pollster[k];
                    mean * mean - 1.0 / precision_by_pollster[k]
                })
                .sum::<f64>()
                / active.len() as f64;
            prior_precision = 1.0 / excess.max(MIN_HOUSE_SPREAD * MIN_HOUSE_SPREAD);
        }
        let mut next = vec![0.0; pollsters];
        for &k in &active {
            next[k] = raw[k] / (precision_by_pollster[k] + prior_precision);
        }
        if active.len() > 1 {
            let centre = active.iter().map(|&k| next[k]).sum::<f64>() / active.len() as f64;
            for &k in &active {
                next[k] -= centre;
            }
        } else {
            // One pollster: its effect cannot be told from the level.
            next.iter_mut().for_each(|h| *h = 0.0);
        }
        let moved = next
            .iter()
            .zip(&house)
            .map(|(a, b)| (a - b).abs())
            .fold(0.0, f64::max);
        house = next;
        round += 1;
        if moved < TOLERANCE || round >= MAX_ROUNDS {
            break;
        }
    }

    let house_variance: Vec<f64> = (0..pollsters)
        .map(|k| {
            if polls_by_pollster[k] > 0 && active.len() > 1 {
                1.0 / (precision_by_pollster[k] + prior_precision)
            } else {
                0.0
            }
        })
        .collect();
    let variance = with_house_uncertainty(
        &pass,
        &observations,
        &day_precision,
        &active,
        &house_variance,
    );
    KalmanFit {
        first_day,
        estimate: pass.smoothed,
        variance,
        polls_per_day,
        house_effects: (0..pollsters)
            .map(|k| HouseEffect {
                effect: house[k],
                standard_error: house_variance[k].sqrt(),
                polls: polls_by_pollster[k],
            })
            .collect(),
        step: current_step,
        log_likelihood,
    }
}

/// Each day's polls pooled by precision, less their pollsters' house effects.
fn pooled_days(observations: &[Observation], house: &[f64], day_precision: &[f64]) -> Vec<f64> {
    let mut sums = vec![0.0; day_precision.len()];
    for o in observations {
        sums[o.day] += o.precision * (o.pct - house[o.pollster]);
    }
    sums.iter()
        .zip(day_precision)
        .map(|(s, p)| if *p > 0.0 { s / p } else { 0.0 })
        .collect()
}

/// The filter's start: the first day's polls (the first day always has some), so a lone poll
/// is given back as it is rather than pulled towards an arbitrary prior mean.
fn start(day_means: &[f64]) -> f64 {
    day_means.first().copied().unwrap_or(0.0)
}

/// The step that maximises the likelihood, by golden-section search on its logarithm.
fn most_likely_step(day_means: &[f64], day_precision: &[f64]) -> f64 {
    let likelihood = |log_step: f64| log_likelihood(day_means, day_precision, log_step.exp());
    let ratio = (5f64.sqrt() - 1.0) / 2.0;
    let (mut low, mut high) = (STEP_RANGE.0.ln(), STEP_RANGE.1.ln());
    let mut a = high - ratio * (high - low);
    let mut b = low + ratio * (high - low);
    let (mut fa, mut fb) = (likelihood(a), likelihood(b));
    while high - low > 1e-4 {
        if fa > fb {
            high = b;
            b = a;
            fb = fa;
            a = high - ratio * (high - low);
            fa = likelihood(a);
        } else {
            low = a;
            a = b;
            fa = fb;
            b = low + ratio * (high - low);
            fb = likelihood(b);
        }
    }
    ((low + high) / 2.0).exp()
}

/// The filter's prediction-error log likelihood of the pooled days (the first poll day, whose
/// prediction is diffuse, left out).
fn log_likelihood(day_means: &[f64], day_precision: &[f64], step: f64) -> f64 {
    let q = step * step;
    let (mut mean, mut variance) = (start(day_means), DIFFUSE_VARIANCE);
    let mut total = 0.0;
    for (t, (&z, &precision)) in day_means.iter().zip(day_precision).enumerate() {
        if t > 0 {
            variance += q;
        }
        if precision > 0.0 {
            let f = variance + 1.0 / precision;
            let error = z - mean;
            if t > 0 {
                total -= 0.5 * (f.ln() + error * error / f);
            }
            let gain = variance / f;
            mean += gain * error;
            variance *= 1.0 - gain;
        }
    }
    total
}

/// The Kalman filter forward and the Rauch-Tung-Striebel smoother back.
fn forward_backward(day_means: &[f64], day_precision: &[f64], step: f64) -> (Pass, f64) {
    let q = step * step;
    let days = day_means.len();
    let mut filtered = vec![0.0; days];
    let mut filtered_variance = vec![0.0; days];
    let mut gain = vec![0.0; days];
    let (mut mean, mut variance) = (start(day_means), DIFFUSE_VARIANCE);
    let mut total = 0.0;
    for t in 0..days {
        if t > 0 {
            variance += q;
        }
        if day_precision[t] > 0.0 {
            let f = variance + 1.0 / day_precision[t];
            let error = day_means[t] - mean;
            if t > 0 {
                total -= 0.5 * ((2.0 * std::f64::consts::PI * f).ln() + error * error / f);
            }
            gain[t] = variance / f;
            mean += gain[t] * error;
            variance *= 1.0 - gain[t];
        }
        filtered[t] = mean;
        filtered_variance[t] = variance;
    }
    let mut smoothed = filtered.clone();
    let mut smoothed_variance = filtered_variance.clone();
    let mut back_gain = vec![0.0; days];
    for t in (0..days.saturating_sub(1)).rev() {
        let predicted_variance = filtered_variance[t] + q;
        back_gain[t] = filtered_variance[t] / predicted_variance;
        smoothed[t] = filtered[t] + back_gain[t] * (smoothed[t + 1] - filtered[t]);
        smoothed_variance[t] = filtered_variance[t]
            + back_gain[t] * back_gain[t] * (smoothed_variance[t + 1] - predicted_variance);
    }
    (
        Pass {
            smoothed,
            smoothed_variance,
            gain,
            back_gain,
        },
        total,
    )
}

/// The smoothed variance plus what the house effects' own uncertainty adds: the path moves by
/// `∂μ(t)/∂h(k)` for each error in `h(k)`, and the smoother is linear, so that sensitivity is the
/// smoother run (with the same gains) on each day's share of precision from pollster `k`.
fn with_house_uncertainty(
    pass: &Pass,
    observations: &[Observation],
    day_precision: &[f64],
    active: &[usize],
    house_variance: &[f64],
) -> Vec<f64> {
    let days = day_precision.len();
    let mut variance = pass.smoothed_variance.clone();
    let mut share = vec![0.0; days];
    let mut by_pollster: Vec<Vec<&Observation>> = vec![Vec::new(); house_variance.len()];
    for o in observations {
        by_pollster[o.pollster].push(o);
    }
    for &k in active {
        if house_variance[k] <= 0.0 {
            continue;
        }
        share.iter_mut().for_each(|s| *s = 0.0);
        for o in &by_pollster[k] {
            share[o.day] += o.precision / day_precision[o.day];
        }
        let sensitivity = linear_smooth(pass, &share);
        for (v, s) in variance.iter_mut().zip(sensitivity) {
            *v += s * s * house_variance[k];
        }
    }
    variance
}

/// The smoother's mean for inputs `z`, with the gains of `pass`.
fn linear_smooth(pass: &Pass, z: &[f64]) -> Vec<f64> {
    let mut filtered = vec![0.0; z.len()];
    let mut mean = start(z);
    for t in 0..z.len() {
        mean += pass.gain[t] * (z[t] - mean);
        filtered[t] = mean;
    }
    let mut smoothed = filtered.clone();
    for t in (0..z.len().saturating_sub(1)).rev() {
        smoothed[t] = filtered[t] + pass.back_gain[t] * (smoothed[t + 1] - filtered[t]);
    }
    smoothed
}

impl KalmanFit {
    /// The daily (or at-poll) points. `polls` is the number of polls dated that day.
    pub fn trend(&self, series: &AnswerSeries, at: Evaluate) -> Vec<TrendPoint> {
        evaluation_days(series, at)
            .into_iter()
            .filter_map(|day| {
                let t = usize::try_from(day_number(day, self.first_day)).ok()?;
                Some(point(
                    day,
                    *self.estimate.get(t)?,
                    self.variance[t],
                    self.polls_per_day[t],
                ))
            })
            .collect()
    }
}
