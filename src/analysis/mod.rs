//! Trends, averages and house effects: pure functions over the polls of one question. Nothing
//! here reads the database or prints; `db` supplies [`PollResult`](crate::model::PollResult)s, the command line prints.
//!
//! All shares are in percentage points (0..100), so the sampling variance of a share `p` from a
//! sample of `n` is `p (100 - p) / n`.

pub mod accuracy;
pub mod as_of;
pub mod kalman;
pub mod latest;
pub mod loess;
pub mod selection;
pub mod simulate;

pub use as_of::as_of_trends;
pub use selection::{Selection, select};

use crate::error::{Error, Result};
use crate::model::Warning;
use chrono::NaiveDate;
use serde::Serialize;

/// Sample sizes count up to this many: beyond it, error other than sampling dominates.
pub const SAMPLE_SIZE_CAP: f64 = 3_000.0;

/// The normal quantile of a two-sided 95% interval.
pub const Z95: f64 = 1.959_963_984_540_054;

/// One poll's share for one answer, as the methods use it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PollPoint {
    pub poll_id: i64,
    pub date: NaiveDate,
    /// The day the poll became known (see [`PollResult::known_on`](crate::model::PollResult::known_on)).
    pub known_on: NaiveDate,
    pub pct: f64,
    pub sample_size: Option<f64>,
    /// Index into [`Selection::pollsters`].
    #[serde(skip)]
    pub pollster: usize,
}

/// The selected polls for one answer, by date.
#[derive(Debug, Clone, PartialEq)]
pub struct AnswerSeries {
    pub answer: String,
    pub polls: Vec<PollPoint>,
}

impl AnswerSeries {
    /// One more than the highest pollster index among the polls: the length of a table by
    /// pollster.
    pub fn pollster_slots(&self) -> usize {
        self.polls
            .iter()
            .map(|p| p.pollster)
            .max()
            .map_or(0, |m| m + 1)
    }
}

/// One day's (or one poll date's) estimate in points, with its 95% band when the method can
/// back one. Everything is within 0..100.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct TrendPoint {
    pub date: NaiveDate,
    pub estimate: f64,
    pub low: Option<f64>,
    pub high: Option<f64>,
    /// How many polls the estimate rests on; see each method for what counts.
    pub polls: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct AnswerTrend {
    pub answer: String,
    pub points: Vec<TrendPoint>,
    /// What the Kalman smoother estimated (`None` for the other methods).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub model: Option<ModelEstimates>,
}

impl ModelEstimates {
    /// `pollsters` is the number of pollsters with polls: house effects are estimated only when
    /// there are two or more.
    pub fn new(step: f64, poll_noise: f64, pollsters: usize) -> ModelEstimates {
        ModelEstimates {
            step,
            poll_noise,
            house_effects: if pollsters > 1 { pollsters } else { 0 },
        }
    }
}

/// The parameters a model-based trend estimated for one answer.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, utoipa::ToSchema)]
pub struct ModelEstimates {
    /// The random walk's daily standard deviation, in points a day.
    pub step: f64,
    /// The standard deviation of a poll's error beyond sampling error, in points.
    pub poll_noise: f64,
    /// Pollsters whose house effects were estimated (0 when only one pollster polled).
    pub house_effects: usize,
}

/// How a trend is estimated; saved chart definitions name it in lower case.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Default, serde::Deserialize, Serialize, utoipa::ToSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum Method {
    Latest,
    Loess,
    /// The default: the closest to the truth on every simulated setting, the only method whose
    /// band covers it, and the closest to FiveThirtyEight's published average.
    #[default]
    Kalman,
}

/// LOESS's weighting of polls.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LoessWeights {
    /// Every poll counts the same: R's `lowess`.
    None,
    /// By the square root of the (capped) sample size.
    SampleSize,
}

/// Everything the methods can be told.
#[derive(Debug, Clone, PartialEq)]
pub struct TrendOptions {
    pub method: Method,
    /// `latest`: days a poll stays in the average.
    pub window: u32,
    /// `loess`: the fraction of polls in each local fit.
    pub span: f64,
    /// `loess`: robustness passes.
    pub iterations: usize,
    pub weights: LoessWeights,
    /// `kalman`: the random walk's daily standard deviation; estimated when `None`.
    pub step: Option<f64>,
    /// `kalman`: the standard deviation of a poll's non-sampling error; estimated when `None`.
    pub poll_noise: Option<f64>,
}

impl Default for TrendOptions {
    fn default() -> TrendOptions {
        TrendOptions {
            method: Method::Kalman,
            window: 30,
            span: 2.0 / 3.0,
            iterations: 3,
            weights: LoessWeights::SampleSize,
            step: None,
            poll_noise: None,
        }
    }
}

/// The valid range of each trend option. Beyond them a method either says nothing more (a
/// window longer than ten years, robustness passes past a handful: LOESS's weights have settled)
/// or its arithmetic leaves the range of numbers (a step of 1e154 squared is infinite).
pub mod limits {
    /// `latest`: days a poll stays in the average.
    pub const WINDOW: std::ops::RangeInclusive<u32> = 1..=3_650;
    /// `loess`: the share of the polls in each local fit, above 0 and at most 1.
    pub const SPAN_MAX: f64 = 1.0;
    /// `loess`: robustness passes (R's default is 3).
    pub const ITERATIONS: std::ops::RangeInclusive<usize> = 0..=10;
    /// `kalman`: the random walk's daily step, in points a day (the search for it covers
    /// 0.001 to 5).
    pub const STEP: std::ops::RangeInclusive<f64> = 0.001..=10.0;
    /// `kalman`: the poll noise beyond sampling error, in points (the search covers 0 to 10).
    pub const POLL_NOISE: std::ops::RangeInclusive<f64> = 0.0..=20.0;
}

impl TrendOptions {
    /// Refuses options outside their [`limits`], naming the option and its range.
    pub fn check(&self) -> Result<()> {
        if !(self.span > 0.0 && self.span <= limits::SPAN_MAX) {
            return Err(Error::invalid(format!(
                "span {} is not a fraction in (0, 1]: give e.g. 0.5",
                self.span
            )));
        }
        if !limits::WINDOW.contains(&self.window) {
            return Err(Error::invalid(format!(
                "a window of {} days is outside {}..={} days",
                self.window,
                limits::WINDOW.start(),
                limits::WINDOW.end()
            )));
        }
        if !limits::ITERATIONS.contains(&self.iterations) {
            return Err(Error::invalid(format!(
                "{} robustness iterations are outside {}..={}",
                self.iterations,
                limits::ITERATIONS.start(),
                limits::ITERATIONS.end()
            )));
        }
        if let Some(step) = self.step
            && !limits::STEP.contains(&step)
        {
            return Err(Error::invalid(format!(
                "a step of {step} points a day is outside {}..={}",
                limits::STEP.start(),
                limits::STEP.end()
            )));
        }
        if let Some(noise) = self.poll_noise
            && !limits::POLL_NOISE.contains(&noise)
        {
            return Err(Error::invalid(format!(
                "a poll noise of {noise} points is outside {}..={}",
                limits::POLL_NOISE.start(),
                limits::POLL_NOISE.end()
            )));
        }
        Ok(())
    }

    fn kalman(&self) -> kalman::KalmanOptions {
        kalman::KalmanOptions {
            step: self.step,
            poll_noise: self.poll_noise,
        }
    }
}

/// A trend and what is worth telling the user about it.
#[derive(Debug, Clone, PartialEq)]
pub struct Trends {
    pub answers: Vec<AnswerTrend>,
    pub notes: Vec<Warning>,
}

/// The daily trend of every answer, from the first poll's day to the last.
pub fn daily_trends(selection: &Selection, options: &TrendOptions) -> Trends {
    trends(selection, options, Evaluate::Daily)
}

/// The trend of every answer at the dates of its polls (each date once).
pub fn trends_at_polls(selection: &Selection, options: &TrendOptions) -> Trends {
    trends(selection, options, Evaluate::AtPolls)
}

/// Where a method reports its fit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Evaluate {
    Daily,
    AtPolls,
}

/// Polls LOESS needs before it fits; fewer fall back to `latest`.
pub const LOESS_MIN_POLLS: usize = 5;

fn trends(selection: &Selection, options: &TrendOptions, at: Evaluate) -> Trends {
    // Answers are fitted independently, side by side on a machine with cores to spare.
    let fitted = crate::parallel::map(&selection.answers, polls_in(selection), |series| {
        fit_answer(selection, series, options, at)
    });
    let mut notes = Vec::new();
    let mut answers = Vec::with_capacity(fitted.len());
    for (trend, note) in fitted {
        answers.push(trend);
        notes.extend(note.map(Warning::new));
    }
    let mut trends = Trends { answers, notes };
    keep_finite(&mut trends);
    trends
}

/// The polls of all answers together: the size of a selection's fitting work, for
/// [`crate::parallel`]'s policy.
fn polls_in(selection: &Selection) -> usize {
    selection
        .answers
        .iter()
        .map(|series| series.polls.len())
        .sum()
}

/// The backstop behind the options' limits: a day whose estimate is not a finite number is
/// left out, and so is a band edge that is not (with a note saying so), so no NaN or infinity
/// is ever printed or drawn.
pub fn keep_finite(trends: &mut Trends) {
    for trend in &mut trends.answers {
        let before = trend.points.len();
        let mut bands = 0;
        trend.points.retain(|p| p.estimate.is_finite());
        for point in &mut trend.points {
            if point.low.is_some_and(|x| !x.is_finite())
                || point.high.is_some_and(|x| !x.is_finite())
            {
                (point.low, point.high) = (None, None);
                bands += 1;
            }
        }
        let dropped = before - trend.points.len();
        if dropped > 0 || bands > 0 {
            trends.notes.push(Warning::new(format!(
                "answer {}: the fit is not a finite number on {dropped} of {before} days (left \
                 out) and its band on {bands} more (no band there)",
                trend.answer
            )));
        }
        if trend
            .model
            .as_ref()
            .is_some_and(|m| !(m.step.is_finite() && m.poll_noise.is_finite()))
        {
            trend.model = None;
        }
    }
}

/// One answer's trend, and a note when the method had to give way to another.
fn fit_answer(
    selection: &Selection,
    series: &AnswerSeries,
    options: &TrendOptions,
    at: Evaluate,
) -> (AnswerTrend, Option<String>) {
    let mut note = None;
    let mut model = None;
    let points = match options.method {
        Method::Latest => latest::trend(series, options.window, at),
        Method::Loess if series.polls.len() < LOESS_MIN_POLLS => {
            let polls = match series.polls.len() {
                1 => "1 poll is".to_string(),
                n => format!("{n} polls are"),
            };
            note = Some(format!(
                "{}: {polls} too few for loess (it needs {LOESS_MIN_POLLS}); showing the \
                 latest-poll average instead",
                series.answer
            ));
            latest::trend(series, options.window, at)
        }
        Method::Loess => loess::trend(series, options, at),
        Method::Kalman => {
            let fit = kalman::fit(series, selection.pollsters.len(), options.kalman());
            model = Some(ModelEstimates::new(fit.step, fit.poll_noise, fit.pollsters));
            fit.trend(series, at)
        }
    };
    let trend = AnswerTrend {
        answer: series.answer.clone(),
        points,
        model,
    };
    (trend, note)
}

/// Each poll's sample size as the methods count it: capped at [`SAMPLE_SIZE_CAP`]; a poll
/// without one gets its pollster's median, else the median of all polls, else `None` when no
/// poll has one.
pub fn effective_sample_sizes(series: &AnswerSeries) -> Option<Vec<f64>> {
    let known: Vec<f64> = series.polls.iter().filter_map(|p| p.sample_size).collect();
    let overall = median(known)?;
    let mut by_pollster: std::collections::HashMap<usize, Vec<f64>> = Default::default();
    for poll in &series.polls {
        if let Some(n) = poll.sample_size {
            by_pollster.entry(poll.pollster).or_default().push(n);
        }
    }
    let pollster_median: std::collections::HashMap<usize, f64> = by_pollster
        .into_iter()
        .filter_map(|(k, sizes)| median(sizes).map(|m| (k, m)))
        .collect();
    Some(
        series
            .polls
            .iter()
            .map(|p| {
                p.sample_size
                    .or_else(|| pollster_median.get(&p.pollster).copied())
                    .unwrap_or(overall)
                    .min(SAMPLE_SIZE_CAP)
            })
            .collect(),
    )
}

/// The sample size assumed for the sampling error when no poll of an answer has one.
pub const ASSUMED_SAMPLE_SIZE: f64 = 1_000.0;

/// Each poll's sampling variance in squared percentage points. The share is kept off 0 and 100
/// so a poll reporting 0% still has some error.
pub fn sampling_variances(series: &AnswerSeries) -> Vec<f64> {
    let sizes = effective_sample_sizes(series)
        .unwrap_or_else(|| vec![ASSUMED_SAMPLE_SIZE; series.polls.len()]);
    series
        .polls
        .iter()
        .zip(sizes)
        .map(|(p, n)| {
            let share = p.pct.clamp(1.0, 99.0);
            share * (100.0 - share) / n
        })
        .collect()
}

/// The median, `None` for no values.
pub fn median(mut values: Vec<f64>) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    let mid = values.len() / 2;
    let (_, upper, _) = values.select_nth_unstable_by(mid, f64::total_cmp);
    let upper = *upper;
    if values.len() % 2 == 1 {
        return Some(upper);
    }
    let lower = values[..mid]
        .iter()
        .copied()
        .fold(f64::NEG_INFINITY, f64::max);
    Some((lower + upper) / 2.0)
}

/// Days since `origin`.
pub fn day_number(date: NaiveDate, origin: NaiveDate) -> i64 {
    (date - origin).num_days()
}

/// The day `days` after `origin`.
pub fn day_date(origin: NaiveDate, days: i64) -> NaiveDate {
    origin + chrono::Duration::days(days)
}

/// The distinct poll dates of a series, in order.
pub fn poll_days(series: &AnswerSeries) -> Vec<NaiveDate> {
    let mut days: Vec<NaiveDate> = series.polls.iter().map(|p| p.date).collect();
    days.dedup();
    days
}

/// Two poll days further apart than this (in days) leave a gap the trend does not cross: the
/// days between them have no estimate, so a chart's line breaks there. Within it, every method
/// interpolates between polls on both sides; beyond it, a local slope carried across (LOESS) or a
/// straight line between two distant levels (Kalman) would be drawn from nothing.
pub const MAX_GAP_DAYS: i64 = 60;

/// The days a trend is reported at: every day from the first poll day to the last except those
/// inside a gap of more than [`MAX_GAP_DAYS`] (daily), or each poll day (at polls).
pub fn evaluation_days(series: &AnswerSeries, at: Evaluate) -> Vec<NaiveDate> {
    let days = poll_days(series);
    match at {
        Evaluate::AtPolls => days,
        Evaluate::Daily => every_day_but_long_gaps(&days),
    }
}

/// Every day from the first of `days` (distinct, in order) to the last, except those strictly
/// inside a gap of more than [`MAX_GAP_DAYS`] between two of them.
pub fn every_day_but_long_gaps(days: &[NaiveDate]) -> Vec<NaiveDate> {
    let mut all = Vec::new();
    for pair in days.windows(2) {
        let (from, to) = (pair[0], pair[1]);
        if (to - from).num_days() > MAX_GAP_DAYS {
            all.push(from);
        } else {
            all.extend(from.iter_days().take_while(|d| *d < to));
        }
    }
    all.extend(days.last());
    all
}

/// A point with a normal 95% band of the given variance, estimate and band kept within 0..100
/// (a share cannot leave it, so neither can anything said about one).
pub fn point(date: NaiveDate, estimate: f64, variance: f64, polls: usize) -> TrendPoint {
    let half = Z95 * variance.max(0.0).sqrt();
    TrendPoint {
        date,
        estimate: estimate.clamp(0.0, 100.0),
        low: Some((estimate - half).clamp(0.0, 100.0)),
        high: Some((estimate + half).clamp(0.0, 100.0)),
        polls,
    }
}

/// A point without a band, for a method that cannot back one; the estimate within 0..100.
pub fn point_without_band(date: NaiveDate, estimate: f64, polls: usize) -> TrendPoint {
    TrendPoint {
        date,
        estimate: estimate.clamp(0.0, 100.0),
        low: None,
        high: None,
        polls,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn median_of_odd_and_even() {
        assert_eq!(median(vec![]), None);
        assert_eq!(median(vec![3.0, 1.0, 2.0]), Some(2.0));
        assert_eq!(median(vec![4.0, 1.0, 3.0, 2.0]), Some(2.5));
    }

    #[test]
    fn options_outside_their_limits_are_refused() {
        assert!(TrendOptions::default().check().is_ok());
        for options in [
            TrendOptions {
                step: Some(1e154),
                ..TrendOptions::default()
            },
            TrendOptions {
                step: Some(f64::NAN),
                ..TrendOptions::default()
            },
            TrendOptions {
                poll_noise: Some(f64::INFINITY),
                ..TrendOptions::default()
            },
            TrendOptions {
                iterations: 1_000_000,
                ..TrendOptions::default()
            },
            TrendOptions {
                window: 0,
                ..TrendOptions::default()
            },
            TrendOptions {
                span: f64::NAN,
                ..TrendOptions::default()
            },
        ] {
            assert!(
                matches!(options.check(), Err(Error::Invalid { .. })),
                "{options:?}"
            );
        }
    }

    #[test]
    fn numbers_that_are_not_finite_never_leave_a_trend() {
        let point = |estimate: f64, low: f64| TrendPoint {
            date: NaiveDate::from_ymd_opt(2024, 1, 1).unwrap(),
            estimate,
            low: Some(low),
            high: Some(estimate + 1.0),
            polls: 1,
        };
        let mut trends = Trends {
            answers: vec![AnswerTrend {
                answer: "Yes".into(),
                points: vec![
                    point(40.0, 39.0),
                    point(f64::NAN, 1.0),
                    point(41.0, f64::NEG_INFINITY),
                ],
                model: Some(ModelEstimates {
                    step: f64::INFINITY,
                    poll_noise: 0.0,
                    house_effects: 0,
                }),
            }],
            notes: Vec::new(),
        };
        keep_finite(&mut trends);
        let answer = &trends.answers[0];
        assert_eq!(answer.points.len(), 2);
        assert_eq!((answer.points[1].low, answer.points[1].high), (None, None));
        assert!(answer.model.is_none());
        assert!(
            trends.notes[0].message.contains("1 of 3 days"),
            "{:?}",
            trends.notes
        );
    }
}
