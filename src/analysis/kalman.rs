//! A Kalman smoother with house effects and non-sampling error. Each answer's share is a daily
//! random walk `μ(t+1) = μ(t) + N(0, step²)`; a poll of pollster `k` on day `t` observes
//! `μ(t) + house(k) + N(0, s + τ²)`, where `s = p (100 - p) / min(n, 3000)` is its sampling
//! variance and `τ²` a variance common to the answer's polls for everything else that moves a
//! real poll (method, weighting, wording, timing): averages that work carry such a term
//! (FiveThirtyEight's, HuffPost Pollster's Bayesian model, The Economist's), and without it
//! the walk's step absorbs that noise and the line jitters.
//!
//! Estimation alternates: given the house effects, the step and `τ` maximise the full
//! likelihood of the polls (the polls of each day pooled by precision into one observation of
//! the day's level, plus what the spread of a day's polls around their pooled mean says about
//! `τ`), found by Brent's searches (on the step's logarithm within each value of `τ`);
//! with them a Kalman filter runs forward and a Rauch-Tung-Striebel smoother back. Given the
//! smoothed path, each pollster's house effect is its precision-weighted mean residual shrunk
//! towards zero (a normal prior whose variance is estimated from the spread of the raw
//! effects), then all are shifted so they sum to zero over the pollsters of the answer. The
//! two steps repeat until nothing moves.
//!
//! The 95% band is the smoothed variance plus the uncertainty of the house effects: each
//! effect's own error, and the error of where they are anchored (the pollsters that happen to
//! poll an answer are a sample of the industry, so the mean of their true effects is not
//! exactly zero: its variance is the effects' spread over their number).

use super::{
    AnswerSeries, Evaluate, TrendPoint, day_number, evaluation_days, point, sampling_variances,
};
use chrono::NaiveDate;
use wide::f64x4;

/// Variance of the first day's level before any poll: effectively unknown.
const DIFFUSE_VARIANCE: f64 = 1.0e4;
/// Bounds of the step search, in percentage points a day.
const STEP_RANGE: (f64, f64) = (1.0e-3, 5.0);
/// Bounds of the search for the non-sampling standard deviation `τ`, in points.
const POLL_NOISE_RANGE: (f64, f64) = (0.0, 10.0);
/// House effects are never shrunk as if they could not exceed this (points).
const MIN_HOUSE_SPREAD: f64 = 0.1;
const MAX_ROUNDS: usize = 200;
/// Rounds of (step, τ) search and house effects at most; each converges the house effects.
const MAX_OUTER_ROUNDS: usize = 12;
/// How far from the last round's values a later round searches: the logarithm of the step
/// and `τ` (points) each within this of where they were. Each round starts from the last, so
/// a maximum further away is still reached, a round at a time.
const SEARCH_REACH: f64 = 0.5;
/// Precision of the searches: the step's logarithm and `τ` in points. The first, over the
/// whole ranges, only has to land near the maximum: the later ones refine it.
const FIRST_SEARCH_TOLERANCE: f64 = 0.03;
const SEARCH_TOLERANCE: f64 = 5e-3;
/// The rounds stop when a search moves the step by less than this share and `τ` by less than
/// this many points: closer than the data can tell them apart.
const SETTLED: (f64, f64) = (0.05, 0.05);
const TOLERANCE: f64 = 1.0e-4;

/// A pollster's estimated house effect on one answer, in points, with its standard error.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct HouseEffect {
    pub effect: f64,
    pub standard_error: f64,
    pub polls: usize,
}

/// What the model is told; each parameter left `None` is estimated by maximum likelihood.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct KalmanOptions {
    /// The random walk's daily standard deviation, in points.
    pub step: Option<f64>,
    /// The standard deviation of a poll's error beyond sampling error (`τ`), in points.
    pub poll_noise: Option<f64>,
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
    /// Pollsters with at least one poll of this answer: with fewer than two, no house effect
    /// can be told from the level, and none is estimated.
    pub pollsters: usize,
    /// The random walk's daily standard deviation in points, estimated or as given.
    pub step: f64,
    /// The standard deviation of a poll's non-sampling error (`τ`) in points, estimated or as
    /// given.
    pub poll_noise: f64,
    pub log_likelihood: f64,
}

/// One poll, as the filter sees it.
struct Observation {
    day: usize,
    pct: f64,
    sampling_variance: f64,
    pollster: usize,
}

/// Filter gains and the outcome of one forward-backward pass.
struct Pass {
    smoothed: Vec<f64>,
    smoothed_variance: Vec<f64>,
    gain: Vec<f64>,
    back_gain: Vec<f64>,
}

/// The polls of each day pooled into one observation of the day's level.
struct PooledDays {
    /// The precision-weighted mean of the day's polls less their house effects.
    mean: Vec<f64>,
    /// The sum of the day's polls' precisions; 0 on a day without polls.
    precision: Vec<f64>,
    /// Minus twice what [`PooledDays::within_days`] adds up, but for the polls' own log
    /// variances: the spread around the days' means and the normalising terms.
    spread_terms: f64,
}

impl PooledDays {
    /// The log likelihood of the polls' spread around their days' pooled means: the part of
    /// the full likelihood that pooling leaves out, which depends on `τ` but not on the step.
    /// `observations` and `tau2` are those pooled. Kept apart from pooling because it takes
    /// a logarithm a poll, which the rounds of house effects at a fixed `τ` do not need.
    fn within_days(&self, observations: &[Observation], tau2: f64) -> f64 {
        // Four lanes at a time: a likelihood search takes this sum for each `τ` it tries.
        let (fours, rest) = observations.as_chunks::<4>();
        let lanes: f64x4 = fours
            .iter()
            .map(|four| f64x4::new(four.each_ref().map(|o| o.sampling_variance + tau2)).ln())
            .sum();
        let log_variances = lanes.reduce_add()
            + rest
                .iter()
                .map(|o| (o.sampling_variance + tau2).ln())
                .sum::<f64>();
        -0.5 * (log_variances + self.spread_terms)
    }
}

/// Fits the model to one answer's polls; `pollsters` is the number of pollster indexes.
pub fn fit(series: &AnswerSeries, pollsters: usize, options: KalmanOptions) -> KalmanFit {
    let Some(last) = series.polls.iter().map(|p| p.date).max() else {
        return empty_fit(options);
    };
    let parameters = estimate_parameters(series, pollsters, options);
    fit_with(series, pollsters, options, &parameters, last)
}

/// What [`estimate_parameters`] finds: the step and `τ` (points), each pollster's house effect
/// (points, by pollster index; 0 for pollsters without polls) and the precision of the house
/// effects' prior (1 / points²). [`fit_with`] reuses them on a set of polls that has grown.
#[derive(Debug, Clone, PartialEq)]
pub struct KalmanParameters {
    /// The random walk's daily standard deviation, in points a day.
    pub step: f64,
    /// The standard deviation of a poll's non-sampling error, in points.
    pub poll_noise: f64,
    /// By pollster index, in points.
    pub house_effects: Vec<f64>,
}

/// The fit of an empty series.
fn empty_fit(options: KalmanOptions) -> KalmanFit {
    KalmanFit {
        first_day: NaiveDate::MIN,
        estimate: Vec::new(),
        variance: Vec::new(),
        polls_per_day: Vec::new(),
        house_effects: Vec::new(),
        pollsters: 0,
        step: options.step.unwrap_or(0.0),
        poll_noise: options.poll_noise.unwrap_or(0.0),
        log_likelihood: 0.0,
    }
}

/// The polls of `series` as the filter sees them, on days counted from the first poll's; the
/// number of days through `through` (or the last poll, if later); polls per pollster index.
fn observe(
    series: &AnswerSeries,
    pollsters: usize,
    through: Option<NaiveDate>,
) -> (Vec<Observation>, usize, Vec<usize>) {
    let Some(first) = series.polls.first() else {
        return (Vec::new(), 0, vec![0; pollsters]);
    };
    let first_day = first.date;
    let last = series
        .polls
        .iter()
        .map(|p| p.date)
        .max()
        .unwrap_or(first_day);
    let last = through.map_or(last, |t| t.max(last));
    let days = day_number(last, first_day).max(0) as usize + 1;
    let observations: Vec<Observation> = series
        .polls
        .iter()
        .zip(sampling_variances(series))
        .map(|(p, sampling_variance)| Observation {
            day: day_number(p.date, first_day) as usize,
            pct: p.pct,
            sampling_variance,
            pollster: p.pollster,
        })
        .collect();
    let mut polls_by_pollster = vec![0usize; pollsters];
    for o in &observations {
        polls_by_pollster[o.pollster] += 1;
    }
    (observations, days, polls_by_pollster)
}

/// The costly part of [`fit`]: the step and `τ` by maximum likelihood (unless `options` gives
/// them) alternating with the house effects, to convergence. `series` must be by date (as a
/// selection's are).
pub fn estimate_parameters(
    series: &AnswerSeries,
    pollsters: usize,
    options: KalmanOptions,
) -> KalmanParameters {
    let (observations, days, polls_by_pollster) = observe(series, pollsters, None);
    let active: Vec<usize> = (0..pollsters)
        .filter(|&k| polls_by_pollster[k] > 0)
        .collect();

    let mut house = vec![0.0; pollsters];
    let mut prior_precision = 1.0 / (MIN_HOUSE_SPREAD * MIN_HOUSE_SPREAD);
    let mut parameters = Parameters {
        step: options.step.unwrap_or(0.2),
        poll_noise: options.poll_noise.unwrap_or(0.0),
    };
    if observations.is_empty() {
        return KalmanParameters {
            step: parameters.step,
            poll_noise: parameters.poll_noise,
            house_effects: house,
        };
    }
    let mut precision = vec![0.0; observations.len()];
    let mut precision_by_pollster = vec![0.0; pollsters];
    let mut searched = None;
    for _ in 0..MAX_OUTER_ROUNDS {
        let tau2 = parameters.poll_noise * parameters.poll_noise;
        for (p, o) in precision.iter_mut().zip(&observations) {
            *p = 1.0 / (o.sampling_variance + tau2);
        }
        precision_by_pollster.iter_mut().for_each(|p| *p = 0.0);
        for (o, p) in observations.iter().zip(&precision) {
            precision_by_pollster[o.pollster] += p;
        }
        // The house effects at these parameters, to convergence.
        for _ in 0..MAX_ROUNDS {
            let pooled = pool(&observations, &house, tau2, days);
            let (pass, _) = forward_backward(&pooled, parameters.step);
            let next = house_effects(
                &observations,
                &precision,
                &pass.smoothed,
                &active,
                &precision_by_pollster,
                &mut prior_precision,
            );
            let moved = next
                .iter()
                .zip(&house)
                .map(|(a, b)| (a - b).abs())
                .fold(0.0, f64::max);
            house = next;
            if moved < TOLERANCE {
                break;
            }
        }
        let next = most_likely(&observations, &house, days, options, searched);
        let settled = (next.step - parameters.step).abs() <= SETTLED.0 * parameters.step
            && (next.poll_noise - parameters.poll_noise).abs() <= SETTLED.1;
        parameters = next;
        searched = Some(next);
        if settled {
            break;
        }
    }
    KalmanParameters {
        step: parameters.step,
        poll_noise: parameters.poll_noise,
        house_effects: house,
    }
}

/// The cheap part of [`fit`]: the smoothed path and band of `series` with the step, `τ` and
/// house effects held at `parameters` (estimated on these polls, or on fewer: a pollster new
/// since has an effect of 0, with the prior's uncertainty in the band), on every day from the
/// first poll through `through` or the last poll, whichever is later. Past the last poll the
/// path stays at the filter's last estimate and its variance grows by the step's square a day.
/// With the parameters [`estimate_parameters`] gives for the same polls and `through` the last
/// poll's day, this is [`fit`].
pub fn fit_with(
    series: &AnswerSeries,
    pollsters: usize,
    options: KalmanOptions,
    parameters: &KalmanParameters,
    through: NaiveDate,
) -> KalmanFit {
    let Some(first) = series.polls.first() else {
        return empty_fit(options);
    };
    let first_day = first.date;
    let (observations, days, polls_by_pollster) = observe(series, pollsters, Some(through));
    let mut polls_per_day = vec![0; days];
    for o in &observations {
        polls_per_day[o.day] += 1;
    }
    let active: Vec<usize> = (0..pollsters)
        .filter(|&k| polls_by_pollster[k] > 0)
        .collect();
    let mut house = parameters.house_effects.clone();
    house.resize(pollsters, 0.0);
    let tau2 = parameters.poll_noise * parameters.poll_noise;
    let precision: Vec<f64> = observations
        .iter()
        .map(|o| 1.0 / (o.sampling_variance + tau2))
        .collect();
    let mut precision_by_pollster = vec![0.0; pollsters];
    for (o, p) in observations.iter().zip(&precision) {
        precision_by_pollster[o.pollster] += p;
    }
    // The effects' pooled days and pass, so the path is the one they were fitted with.
    let pooled = pool(&observations, &house, tau2, days);
    let (pass, log_likelihood) = forward_backward(&pooled, parameters.step);
    let log_likelihood = log_likelihood + pooled.within_days(&observations, tau2);

    // What the house effects' uncertainty adds to the band, with two pollsters or more (one
    // pollster's lean cannot be told from the level, and the band claims nothing about it).
    let identified = active.len() > 1;
    let mut house_variance = vec![0.0; pollsters];
    let mut anchor_variance = 0.0;
    if identified {
        let leans = leans(&pass, &pooled, &observations, &precision, pollsters);
        for (spread, weight) in house_spread_posterior(&leans) {
            // With few polls per pollster the data cannot tell a pollster's lean from noise of
            // each poll, and the fit may put it in `τ` instead: the band then assumes the worse
            // of the two, the one that does not average away over a pollster's polls.
            let spread = spread.max(tau2);
            for &k in &active {
                house_variance[k] += weight / (precision_by_pollster[k] + 1.0 / spread);
            }
            anchor_variance += weight * self::anchor_variance(&polls_by_pollster, spread);
        }
    }
    let house_part = with_house_uncertainty(
        &pass,
        &observations,
        &precision,
        &pooled.precision,
        &active,
        &house_variance,
    );
    let (estimate, mut variance) = match options.step {
        Some(_) => (pass.smoothed.clone(), pass.smoothed_variance.clone()),
        None => averaged_over_steps(&pooled),
    };
    for ((v, house), smoothed) in variance
        .iter_mut()
        .zip(&house_part)
        .zip(&pass.smoothed_variance)
    {
        *v += house - smoothed + anchor_variance;
    }
    KalmanFit {
        first_day,
        estimate,
        variance,
        polls_per_day,
        house_effects: (0..pollsters)
            .map(|k| HouseEffect {
                effect: house[k],
                standard_error: house_variance[k].sqrt(),
                polls: polls_by_pollster[k],
            })
            .collect(),
        pollsters: active.len(),
        step: parameters.step,
        poll_noise: parameters.poll_noise,
        log_likelihood,
    }
}

/// The variance of where the house effects are anchored. They are made to sum to zero over the
/// pollsters that polled the answer, but those are a sample of the pollsters that could have:
/// the mean of their true effects (each drawn with variance `spread`) is off zero by a variance
/// of `spread / K` times the share of the whole not seen, `1 - K / total`. The pollsters not
/// seen are estimated by the first-order jackknife, `f1 (n - 1) / n` from the `f1` pollsters
/// seen once among `n` polls (Burnham and Overton, "Robust estimation of population size when
/// capture probabilities vary among animals", 1979): some pollsters poll far less often than
/// others, and Chao's estimator, a lower bound, counted too few on short series. A series
/// where every pollster polled more than once has seen them all, and adds nothing.
fn anchor_variance(polls_by_pollster: &[usize], spread: f64) -> f64 {
    let seen = polls_by_pollster.iter().filter(|&&n| n > 0).count() as f64;
    if seen == 0.0 {
        return 0.0;
    }
    let once = polls_by_pollster.iter().filter(|&&n| n == 1).count() as f64;
    let polls = polls_by_pollster.iter().sum::<usize>() as f64;
    let unseen = once * (polls - 1.0) / polls;
    spread / seen * (unseen / (seen + unseen))
}

/// One pollster's polls against the smoothed path: their precision-weighted mean residual
/// (points), that mean's sampling variance (points squared), and the share of a lean the
/// residual keeps (the smoother follows a pollster's polls part of the way, so their residuals
/// show only part of its lean, less the sparser the polls).
#[derive(Debug, Clone, Copy)]
struct Lean {
    residual: f64,
    variance: f64,
    kept: f64,
}

/// The [`Lean`] of each pollster with polls in `observations`, from the `pass` over `pooled`.
fn leans(
    pass: &Pass,
    pooled: &PooledDays,
    observations: &[Observation],
    precision: &[f64],
    pollsters: usize,
) -> Vec<Lean> {
    let mut by_pollster: Vec<Vec<(usize, f64, f64)>> = vec![Vec::new(); pollsters];
    for (o, &p) in observations.iter().zip(precision) {
        by_pollster[o.pollster].push((o.day, p, o.pct - pass.smoothed[o.day]));
    }
    let mut share = vec![0.0; pooled.precision.len()];
    by_pollster
        .iter()
        .filter(|polls| !polls.is_empty())
        .map(|polls| {
            share.iter_mut().for_each(|s| *s = 0.0);
            for &(day, p, _) in polls {
                share[day] += p / pooled.precision[day];
            }
            // How far the path moves at each of the pollster's days for a point of its lean.
            let followed = linear_smooth(pass, &share);
            let total: f64 = polls.iter().map(|&(_, p, _)| p).sum();
            let weighted = |f: &dyn Fn(usize, f64) -> f64| {
                polls.iter().map(|&(day, p, r)| p * f(day, r)).sum::<f64>() / total
            };
            Lean {
                residual: weighted(&|_, r| r),
                variance: 1.0 / total,
                kept: (1.0 - weighted(&|day, _| followed[day])).max(MIN_KEPT),
            }
        })
        .collect()
}

/// The least share of a lean a residual is taken to keep, so a pollster the path follows
/// entirely does not make every spread look alike.
const MIN_KEPT: f64 = 0.05;

/// Spreads of house effects the band averages over: a grid even in the logarithm of the
/// standard deviation across [`HOUSE_SPREAD_RANGE`], in points.
const HOUSE_SPREAD_GRID: usize = 40;
const HOUSE_SPREAD_RANGE: (f64, f64) = (0.05, 10.0);
/// The scale of the half-normal prior on the house effects' standard deviation, in points:
/// weak, as pollsters' leans of a few points are common.
const HOUSE_SPREAD_PRIOR_SCALE: f64 = 2.0;

/// The house effects' spread (a variance, points squared) and its posterior weight, on a grid.
/// Each pollster's mean residual is taken as drawn from N(0, c² σ² + c v) (`c` the share
/// [`Lean::kept`], `v` its sampling variance), with a half-normal prior on σ. The band
/// averages over this rather than taking the estimate the fit shrinks by: with a dozen
/// pollsters of two or three polls each that estimate can fall to nothing by chance, and a
/// band drawn as if pollsters did not lean would be far too narrow (as with the step).
fn house_spread_posterior(leans: &[Lean]) -> Vec<(f64, f64)> {
    let spreads = log_grid(HOUSE_SPREAD_RANGE, HOUSE_SPREAD_GRID);
    let log_posterior: Vec<f64> = spreads
        .iter()
        .map(|&sd| {
            let z = sd / HOUSE_SPREAD_PRIOR_SCALE;
            leans
                .iter()
                .map(|lean| {
                    let variance = lean.kept * (lean.kept * sd * sd + lean.variance);
                    -0.5 * (variance.ln() + lean.residual * lean.residual / variance)
                })
                .sum::<f64>()
                - 0.5 * z * z
                + sd.ln()
        })
        .collect();
    spreads
        .iter()
        .zip(normalised(&log_posterior))
        .map(|(sd, weight)| (sd * sd, weight))
        .collect()
}

/// `points` values from `range.0` to `range.1`, evenly spaced in their logarithm.
fn log_grid(range: (f64, f64), points: usize) -> Vec<f64> {
    let (low, high) = (range.0.ln(), range.1.ln());
    (0..points)
        .map(|i| (low + (high - low) * i as f64 / (points - 1) as f64).exp())
        .collect()
}

/// Weights proportional to `exp(log_weights)`, summing to 1.
fn normalised(log_weights: &[f64]) -> Vec<f64> {
    let top = log_weights
        .iter()
        .copied()
        .fold(f64::NEG_INFINITY, f64::max);
    let weights: Vec<f64> = log_weights.iter().map(|l| (l - top).exp()).collect();
    let total: f64 = weights.iter().sum();
    weights.into_iter().map(|w| w / total).collect()
}

/// Steps the band averages over: a grid even in the logarithm across [`STEP_RANGE`].
const STEP_GRID: usize = 40;
/// The scale of the half-normal prior on the step, in points a day: weak (nearly flat up to
/// half a point a day, more than opinion on most questions moves), but, unlike a
/// flat prior on the logarithm, it does not pile belief up at a step of zero, where a short or
/// sparse series' likelihood is flat (Gelman, "Prior distributions for variance parameters in
/// hierarchical models", 2006).
const STEP_PRIOR_SCALE: f64 = 1.0;

/// The smoothed path and its variance averaged over the step's posterior (a half-normal prior
/// times the likelihood, on a grid), rather than at its most likely value alone: on a short or
/// sparse series the likelihood cannot tell a flat line from a moving one, and a band drawn as
/// if the step were known to be near zero would be far too narrow. On a long series the
/// posterior is narrow and this changes little.
fn averaged_over_steps(pooled: &PooledDays) -> (Vec<f64>, Vec<f64>) {
    let steps = log_grid(STEP_RANGE, STEP_GRID);
    // Log posterior on the grid; `+ ln step` turns the prior's density in the step into one
    // in its logarithm, the grid's measure.
    let log_posterior: Vec<f64> = steps
        .iter()
        .map(|&step| {
            let z = step / STEP_PRIOR_SCALE;
            log_likelihood(pooled, step) - 0.5 * z * z + step.ln()
        })
        .collect();
    // Steps with a negligible share of belief change nothing visible.
    let believed: Vec<(f64, f64)> = steps
        .into_iter()
        .zip(normalised(&log_posterior))
        .filter(|&(_, weight)| weight >= 1e-4)
        .collect();
    let kept: f64 = believed.iter().map(|&(_, weight)| weight).sum();
    let days = pooled.mean.len();
    let (mut mean, mut second_moment) = (vec![0.0; days], vec![0.0; days]);
    for &(step, weight) in &believed {
        let weight = weight / kept;
        let (pass, _) = forward_backward(pooled, step);
        for t in 0..days {
            let m = pass.smoothed[t];
            mean[t] += weight * m;
            second_moment[t] += weight * (pass.smoothed_variance[t] + m * m);
        }
    }
    let variance = mean
        .iter()
        .zip(&second_moment)
        .map(|(m, s)| (s - m * m).max(0.0))
        .collect();
    (mean, variance)
}

/// The step and `τ` of one round.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Parameters {
    step: f64,
    poll_noise: f64,
}

/// Each pollster's mean residual from `smoothed`, shrunk towards zero and centred; the prior's
/// precision is re-estimated from the raw effects' spread when there are two pollsters or more.
/// With one pollster its effect cannot be told from the level: all are zero.
fn house_effects(
    observations: &[Observation],
    precision: &[f64],
    smoothed: &[f64],
    active: &[usize],
    precision_by_pollster: &[f64],
    prior_precision: &mut f64,
) -> Vec<f64> {
    let pollsters = precision_by_pollster.len();
    let mut next = vec![0.0; pollsters];
    if active.len() < 2 {
        return next;
    }
    let mut raw = vec![0.0; pollsters];
    for (o, p) in observations.iter().zip(precision) {
        raw[o.pollster] += p * (o.pct - smoothed[o.day]);
    }
    let excess: f64 = active
        .iter()
        .map(|&k| {
            let mean = raw[k] / precision_by_pollster[k];
            mean * mean - 1.0 / precision_by_pollster[k]
        })
        .sum::<f64>()
        / active.len() as f64;
    *prior_precision = 1.0 / excess.max(MIN_HOUSE_SPREAD * MIN_HOUSE_SPREAD);
    for &k in active {
        next[k] = raw[k] / (precision_by_pollster[k] + *prior_precision);
    }
    let centre = active.iter().map(|&k| next[k]).sum::<f64>() / active.len() as f64;
    for &k in active {
        next[k] -= centre;
    }
    next
}

/// The step and `τ` that maximise the likelihood given the house effects: for each `τ` tried
/// (Brent's search within its range), the most likely step (Brent's search on its
/// logarithm). Parameters given in `options` stay as given. After a first search over the
/// whole ranges, later rounds search within [`SEARCH_REACH`] of the `last` round's values.
fn most_likely(
    observations: &[Observation],
    house: &[f64],
    days: usize,
    options: KalmanOptions,
    last: Option<Parameters>,
) -> Parameters {
    let (mut step_range, mut noise_range) =
        ((STEP_RANGE.0.ln(), STEP_RANGE.1.ln()), POLL_NOISE_RANGE);
    let tolerance = if last.is_some() {
        SEARCH_TOLERANCE
    } else {
        FIRST_SEARCH_TOLERANCE
    };
    if let Some(last) = last {
        let log_step = last.step.ln();
        step_range = (
            (log_step - SEARCH_REACH).max(step_range.0),
            (log_step + SEARCH_REACH).min(step_range.1),
        );
        noise_range = (
            (last.poll_noise - SEARCH_REACH).max(noise_range.0),
            (last.poll_noise + SEARCH_REACH).min(noise_range.1),
        );
    }
    let best_step = |pooled: &PooledDays| -> (f64, f64) {
        match options.step {
            Some(step) => (step, log_likelihood(pooled, step)),
            None => {
                let (log_step, value) =
                    maximise(step_range.0, step_range.1, tolerance, |log_step| {
                        log_likelihood(pooled, log_step.exp())
                    });
                (log_step.exp(), value)
            }
        }
    };
    let at_noise = |poll_noise: f64| -> (f64, f64) {
        let tau2 = poll_noise * poll_noise;
        let pooled = pool(observations, house, tau2, days);
        let (step, value) = best_step(&pooled);
        (step, value + pooled.within_days(observations, tau2))
    };
    if let Some(poll_noise) = options.poll_noise {
        return Parameters {
            step: at_noise(poll_noise).0,
            poll_noise,
        };
    }
    // The step found with the best `τ` so far, so the search's answer needs no second pass.
    let mut best = (f64::NEG_INFINITY, 0.0);
    let (poll_noise, value) = maximise(noise_range.0, noise_range.1, tolerance, |n| {
        let (step, value) = at_noise(n);
        if value > best.0 {
            best = (value, step);
        }
        value
    });
    let step = best.1;
    // The search never tries the boundary itself, where simulated polls (which have no such
    // noise) put the maximum.
    if noise_range.0 == 0.0 {
        let (step_at_zero, value_at_zero) = at_noise(0.0);
        if value_at_zero >= value {
            return Parameters {
                step: step_at_zero,
                poll_noise: 0.0,
            };
        }
    }
    Parameters { step, poll_noise }
}

/// The maximum of `f` on `[low, high]` to within about `tolerance`, and the value there, by
/// Brent's method (golden sections where parabolic interpolation through the best three points
/// would not help; Brent, "Algorithms for Minimization without Derivatives", 1973, procedure
/// `fmin`): a smooth likelihood's peak takes about half the evaluations of golden sections
/// alone. `f` is assumed to have one maximum in the range; the value returned is one `f` gave.
fn maximise(low: f64, high: f64, tolerance: f64, mut f: impl FnMut(f64) -> f64) -> (f64, f64) {
    // Minimises -f, in fmin's names: x the best point, w the second best, v the previous w.
    const GOLDEN: f64 = 0.381_966_011_250_105_1; // (3 - √5) / 2
    let tol = tolerance / 3.0;
    let (mut a, mut b) = (low, high);
    let mut x = a + GOLDEN * (b - a);
    let (mut w, mut v) = (x, x);
    let mut fx = -f(x);
    let (mut fw, mut fv) = (fx, fx);
    // The step taken last, and the one before it.
    let (mut d, mut e): (f64, f64) = (0.0, 0.0);
    loop {
        let middle = (a + b) / 2.0;
        if (x - middle).abs() <= 2.0 * tol - (b - a) / 2.0 {
            return (x, -fx);
        }
        let mut parabolic = false;
        if e.abs() > tol {
            let r = (x - w) * (fx - fv);
            let mut q = (x - v) * (fx - fw);
            let mut p = (x - v) * q - (x - w) * r;
            q = 2.0 * (q - r);
            if q > 0.0 {
                p = -p;
            } else {
                q = -q;
            }
            let before_last = e;
            e = d;
            // Accept the parabola's minimum only when it falls inside the bracket and the step
            // is less than half the one before last (else it may be creeping).
            if p.abs() < (q * before_last / 2.0).abs() && p > q * (a - x) && p < q * (b - x) {
                d = p / q;
                let u = x + d;
                if u - a < 2.0 * tol || b - u < 2.0 * tol {
                    d = if x < middle { tol } else { -tol };
                }
                parabolic = true;
            }
        }
        if !parabolic {
            e = if x < middle { b - x } else { a - x };
            d = GOLDEN * e;
        }
        let u = if d.abs() >= tol {
            x + d
        } else {
            x + tol.copysign(d)
        };
        let fu = -f(u);
        if fu <= fx {
            if u < x {
                b = x;
            } else {
                a = x;
            }
            (v, fv, w, fw, x, fx) = (w, fw, x, fx, u, fu);
        } else {
            if u < x {
                a = u;
            } else {
                b = u;
            }
            if fu <= fw || w == x {
                (v, fv, w, fw) = (w, fw, u, fu);
            } else if fu <= fv || v == x || v == w {
                (v, fv) = (u, fu);
            }
        }
    }
}

/// Each day's polls pooled by precision `1 / (s + τ²)`, less their pollsters' house effects.
fn pool(observations: &[Observation], house: &[f64], tau2: f64, days: usize) -> PooledDays {
    let mut precision = vec![0.0; days];
    let mut weighted = vec![0.0; days];
    let mut weighted_squares = vec![0.0; days];
    for o in observations {
        let w = 1.0 / (o.sampling_variance + tau2);
        let y = o.pct - house[o.pollster];
        precision[o.day] += w;
        weighted[o.day] += w * y;
        weighted_squares[o.day] += w * y * y;
    }
    // Σ log N(yᵢ; μ, vᵢ) = log N(z; μ, 1/W) + [what follows]: with W = Σ 1/vᵢ and z the
    // pooled mean, the polls' spread around z and the normalising terms.
    let mut spread = 0.0;
    let mut log_pooled_variances = 0.0;
    let mean = precision
        .iter()
        .zip(&weighted)
        .zip(&weighted_squares)
        .map(|((&w, &s), &q)| {
            if w > 0.0 {
                let z = s / w;
                spread += (q - s * z).max(0.0);
                log_pooled_variances -= w.ln();
                z
            } else {
                0.0
            }
        })
        .collect();
    let polls = observations.len() as f64;
    let pooled_days = precision.iter().filter(|&&w| w > 0.0).count() as f64;
    let log_two_pi = (2.0 * std::f64::consts::PI).ln();
    PooledDays {
        mean,
        precision,
        spread_terms: spread + (polls - pooled_days) * log_two_pi - log_pooled_variances,
    }
}

/// The filter's start: the first day's polls (the first day always has some), so a lone poll
/// is given back as it is rather than pulled towards an arbitrary prior mean.
fn start(day_means: &[f64]) -> f64 {
    day_means.first().copied().unwrap_or(0.0)
}

/// The filter's prediction-error log likelihood of the pooled days (the first poll day, whose
/// prediction is diffuse, left out).
fn log_likelihood(pooled: &PooledDays, step: f64) -> f64 {
    let q = step * step;
    let (mut mean, mut variance) = (start(&pooled.mean), DIFFUSE_VARIANCE);
    let mut total = 0.0;
    for (t, (&z, &precision)) in pooled.mean.iter().zip(&pooled.precision).enumerate() {
        if t > 0 {
            variance += q;
        }
        if precision > 0.0 {
            let f = variance + 1.0 / precision;
            let error = z - mean;
            if t > 0 {
                total -= 0.5 * ((2.0 * std::f64::consts::PI * f).ln() + error * error / f);
            }
            let gain = variance / f;
            mean += gain * error;
            variance *= 1.0 - gain;
        }
    }
    total
}

/// The Kalman filter forward and the Rauch-Tung-Striebel smoother back, and the filter's
/// log likelihood (as [`log_likelihood`]).
fn forward_backward(pooled: &PooledDays, step: f64) -> (Pass, f64) {
    let q = step * step;
    let (day_means, day_precision) = (&pooled.mean, &pooled.precision);
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
    precision: &[f64],
    day_precision: &[f64],
    active: &[usize],
    house_variance: &[f64],
) -> Vec<f64> {
    let days = day_precision.len();
    let mut variance = pass.smoothed_variance.clone();
    let mut by_pollster: Vec<Vec<(usize, f64)>> = vec![Vec::new(); house_variance.len()];
    for (o, p) in observations.iter().zip(precision) {
        by_pollster[o.pollster].push((o.day, *p));
    }
    let mut share = vec![0.0; days];
    let sensitivities: Vec<Vec<f64>> = active
        .iter()
        .map(|&k| {
            share.iter_mut().for_each(|s| *s = 0.0);
            for &(day, p) in &by_pollster[k] {
                share[day] += p / day_precision[day];
            }
            linear_smooth(pass, &share)
        })
        .collect();
    // The effects are centred, so their errors are too: an error common to all moves none,
    // and what moves the path is each pollster's sensitivity less their mean.
    let mut mean_sensitivity = vec![0.0; days];
    for sensitivity in &sensitivities {
        for (m, s) in mean_sensitivity.iter_mut().zip(sensitivity) {
            *m += s / active.len() as f64;
        }
    }
    for (&k, sensitivity) in active.iter().zip(&sensitivities) {
        for ((v, s), m) in variance.iter_mut().zip(sensitivity).zip(&mean_sensitivity) {
            *v += (s - m) * (s - m) * house_variance[k];
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_search_finds_a_peak_within_its_tolerance() {
        let mut calls = 0;
        let (x, value) = maximise(0.0, 10.0, 1e-3, |x| {
            calls += 1;
            -(x - 2.3f64).powi(2)
        });
        assert!((x - 2.3).abs() < 1e-3 && value <= 0.0, "{x}");
        // A parabola is found in a few steps; golden sections alone take about 22.
        assert!(calls < 12, "{calls}");
        // A skewed peak, as a likelihood in the logarithm of a scale is.
        let (x, _) = maximise(-7.0, 2.0, 1e-3, |t| -t.exp() + 0.5 * t);
        assert!((x - 0.5f64.ln()).abs() < 1e-3, "{x}");
        // A maximum at the edge of the range is approached to within the tolerance.
        let (x, _) = maximise(0.0, 10.0, 5e-3, |x| -x);
        assert!(x < 5e-3, "{x}");
        let (x, _) = maximise(0.0, 10.0, 5e-3, |x| x);
        assert!(x > 10.0 - 5e-3, "{x}");
    }

    fn spread_posterior_mean(leans: &[Lean]) -> f64 {
        house_spread_posterior(leans)
            .iter()
            .map(|(spread, weight)| spread * weight)
            .sum::<f64>()
    }

    /// Leans of ±2 points, each known to ±0.5, make a spread near 2² likely; leans of ±0.1 one
    /// near nothing; and a residual that keeps half a lean stands for a lean twice as large.
    #[test]
    fn the_house_spread_follows_the_pollsters_leans() {
        let leans = |residual: f64, kept: f64| -> Vec<Lean> {
            [1.0, -1.0, 1.0, -1.0, 1.0, -1.0, 1.0, -1.0]
                .map(|sign| Lean {
                    residual: sign * residual,
                    variance: 0.25,
                    kept,
                })
                .to_vec()
        };
        let wide = spread_posterior_mean(&leans(2.0, 1.0));
        assert!((3.0..6.5).contains(&wide), "{wide}");
        let narrow = spread_posterior_mean(&leans(0.1, 1.0));
        assert!(narrow < 0.2, "{narrow}");
        let absorbed = spread_posterior_mean(&leans(1.0, 0.5));
        assert!(absorbed > 0.8 * wide, "{absorbed} against {wide}");
        let weights: f64 = house_spread_posterior(&leans(1.0, 1.0))
            .iter()
            .map(|(_, w)| w)
            .sum();
        assert!((weights - 1.0).abs() < 1e-12);
    }

    /// Pollsters seen once stand for others never seen; a series whose every pollster polled
    /// twice or more has seen them all.
    #[test]
    fn the_anchor_is_uncertain_only_when_pollsters_were_seen_once() {
        assert_eq!(anchor_variance(&[2, 3, 5, 0], 1.0), 0.0);
        assert_eq!(anchor_variance(&[], 1.0), 0.0);
        // 3 seen, 2 of them once among 6 polls: 2 × 5/6 unseen, of 3 + 5/3 in all.
        let unseen = 2.0 * 5.0 / 6.0;
        let expected = 2.0 / 3.0 * unseen / (3.0 + unseen);
        assert!((anchor_variance(&[1, 1, 4], 2.0) - expected).abs() < 1e-12);
    }

    /// Two pollsters polling on the same days with the same precision: their centred effects'
    /// errors are equal and opposite, so they move the average not at all; one pollster alone
    /// on a day moves it by its effect's whole error.
    #[test]
    fn centred_house_effects_cancel_where_pollsters_weigh_alike() {
        let observe = |day, pollster| Observation {
            day,
            pct: 50.0,
            sampling_variance: 1.0,
            pollster,
        };
        // The smoothed variance, and with the house effects' uncertainty (0.5 each).
        let variances = |observations: &[Observation]| {
            let precision = vec![1.0; observations.len()];
            let pooled = pool(observations, &[0.0, 0.0], 0.0, 6);
            let (pass, _) = forward_backward(&pooled, 0.2);
            let banded = with_house_uncertainty(
                &pass,
                observations,
                &precision,
                &pooled.precision,
                &[0, 1],
                &[0.5, 0.5],
            );
            (pass.smoothed_variance, banded)
        };
        let (smoothed, banded) =
            variances(&[observe(0, 0), observe(0, 1), observe(5, 0), observe(5, 1)]);
        for (with, without) in banded.iter().zip(&smoothed) {
            assert!((with - without).abs() < 1e-12, "{with} {without}");
        }
        // Pollster 1 alone on day 5, three times: there the average is mostly its polls.
        let (smoothed, banded) = variances(&[
            observe(0, 0),
            observe(0, 1),
            observe(5, 1),
            observe(5, 1),
            observe(5, 1),
        ]);
        assert!(banded[5] > smoothed[5] + 0.05, "{banded:?}");
    }
}
