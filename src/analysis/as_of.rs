//! As-of trends: each day's estimate from only the polls known that day (by
//! [`PollPoint::known_on`]), the way a live average is published. A retrospective trend uses
//! every poll, also those published after the day it estimates; a published average could not
//! have, so only as-of estimates compare with one like with like.

use super::kalman::{self, KalmanParameters};
use super::{
    AnswerSeries, AnswerTrend, MAX_GAP_DAYS, Method, ModelEstimates, PollPoint, Selection,
    TrendOptions, TrendPoint, Trends, day_number, every_day_but_long_gaps, point,
    point_without_band,
};
use crate::error::{Error, Hint, Result};
use chrono::NaiveDate;

/// The Kalman model's step, poll noise and house effects are estimated again once this many
/// days have passed since they last were...
pub const REESTIMATE_DAYS: i64 = 7;
/// ...or once the polls known have grown by this share since; in between, the path is
/// refitted with them held (a full estimation each day would take minutes on a long series).
pub const REESTIMATE_GROWTH: f64 = 0.1;

/// Each answer's as-of trend: for each day from the first day a poll became known to the last,
/// the estimate on that day from the polls known by then (points, 0..100). Days inside a gap of
/// more than [`MAX_GAP_DAYS`] between the days polls became known have no estimate, nor has a
/// day more than [`MAX_GAP_DAYS`] after the latest poll (by date) known on it.
///
/// - `latest`: the mean of each pollster's latest poll known that day and dated less than
///   `window` days before it; no band; `polls` counts the polls averaged.
/// - `kalman`: the model fitted to the polls known that day, evaluated on that day: past the
///   last poll's day the filter's estimate stays and its variance grows by the step's square a
///   day. The parameters and house effects are estimated again every [`REESTIMATE_DAYS`] days
///   or when the polls known have grown by [`REESTIMATE_GROWTH`], and held in between; the
///   model estimates reported are the last. `polls` counts the polls known.
/// - `loess` is refused (an invalid request): see [`check`].
pub fn as_of_trends(selection: &Selection, options: &TrendOptions) -> Result<Trends> {
    check(options)?;
    let answers = crate::parallel::map(&selection.answers, super::polls_in(selection), |series| {
        answer_as_of(selection, series, options)
    });
    let mut trends = Trends {
        answers,
        notes: Vec::new(),
    };
    super::keep_finite(&mut trends);
    Ok(trends)
}

/// Refuses the methods that have no as-of trend. LOESS's span is a share of the polls, so a
/// fit on the polls known each day smooths over a window that grows with the series (weeks in
/// its first month, years at its end): each day's estimate would come from a different
/// smoother. And a live LOESS ends in a line fitted to one side of its last day, its least
/// reliable part, which a retrospective LOESS never shows; neither compares with anything.
pub fn check(options: &TrendOptions) -> Result<()> {
    match options.method {
        Method::Loess => Err(Error::invalid(
            "a trend as of past dates cannot be fitted by LOESS: its span is a share of the \
             polls, so on each day it would smooth over a different stretch of time (weeks at \
             first, years at the end), ending in a one-sided fit",
        )
        .with_hint(Hint::ChooseAsOfMethod)),
        Method::Latest | Method::Kalman => Ok(()),
    }
}

fn answer_as_of(
    selection: &Selection,
    series: &AnswerSeries,
    options: &TrendOptions,
) -> AnswerTrend {
    let days = as_of_days(series);
    let (points, model) = match options.method {
        Method::Latest | Method::Loess => (latest_as_of(series, options.window, &days), None),
        Method::Kalman => kalman_as_of(series, selection.pollsters.len(), options, &days),
    };
    AnswerTrend {
        answer: series.answer.clone(),
        points,
        model,
    }
}

/// The indexes of a series' polls in the order they became known (then by date).
fn by_known_day(series: &AnswerSeries) -> Vec<usize> {
    let mut order: Vec<usize> = (0..series.polls.len()).collect();
    order.sort_by_key(|&i| (series.polls[i].known_on, i));
    order
}

/// The days an as-of trend is reported on: every day from the first known day to the last,
/// except inside a gap of more than [`MAX_GAP_DAYS`] between known days, and except days more
/// than [`MAX_GAP_DAYS`] after the latest poll known on them.
fn as_of_days(series: &AnswerSeries) -> Vec<NaiveDate> {
    let mut known: Vec<NaiveDate> = series.polls.iter().map(|p| p.known_on).collect();
    known.sort_unstable();
    known.dedup();
    let mut days = every_day_but_long_gaps(&known);
    // The latest poll date known on each day, for the second rule.
    let order = by_known_day(series);
    let mut next = 0;
    let mut latest: Option<NaiveDate> = None;
    days.retain(|&day| {
        while next < order.len() && series.polls[order[next]].known_on <= day {
            let date = series.polls[order[next]].date;
            latest = Some(latest.map_or(date, |l| l.max(date)));
            next += 1;
        }
        latest.is_some_and(|l| (day - l).num_days() <= MAX_GAP_DAYS)
    });
    days
}

/// The latest-poll average on each of `days` from the polls known by then.
fn latest_as_of(series: &AnswerSeries, window: u32, days: &[NaiveDate]) -> Vec<TrendPoint> {
    let order = by_known_day(series);
    let pollsters = series.pollster_slots();
    let window = i64::from(window);
    let mut known = 0;
    let mut current: Vec<Option<usize>> = vec![None; pollsters];
    let mut points = Vec::new();
    for &day in days {
        while known < order.len() && series.polls[order[known]].known_on <= day {
            known += 1;
        }
        current.iter_mut().for_each(|c| *c = None);
        // Each pollster's latest poll (by date; the later in the series on a tie, as the
        // retrospective average) among those known and within the window.
        for &i in &order[..known] {
            let poll = &series.polls[i];
            if (day - poll.date).num_days() >= window {
                continue;
            }
            let slot = &mut current[poll.pollster];
            if slot.is_none_or(|c| (series.polls[c].date, c) < (poll.date, i)) {
                *slot = Some(i);
            }
        }
        let chosen: Vec<f64> = current
            .iter()
            .flatten()
            .map(|&i| series.polls[i].pct)
            .collect();
        if !chosen.is_empty() {
            let mean = chosen.iter().sum::<f64>() / chosen.len() as f64;
            points.push(point_without_band(day, mean, chosen.len()));
        }
    }
    points
}

/// The Kalman model's as-of estimate on each of `days`, and the model estimates last made.
fn kalman_as_of(
    series: &AnswerSeries,
    pollsters: usize,
    options: &TrendOptions,
    days: &[NaiveDate],
) -> (Vec<TrendPoint>, Option<ModelEstimates>) {
    let order = by_known_day(series);
    let kalman_options = options.kalman();
    let mut known = vec![false; series.polls.len()];
    let mut count = 0;
    let mut subset = AnswerSeries {
        answer: series.answer.clone(),
        polls: Vec::new(),
    };
    // The parameters held, the day they were estimated and the polls known then.
    let mut held: Option<(KalmanParameters, NaiveDate, usize)> = None;
    let mut points = Vec::with_capacity(days.len());
    let mut start = 0;
    while start < days.len() {
        let day = days[start];
        let before = count;
        while count < order.len() && series.polls[order[count]].known_on <= day {
            known[order[count]] = true;
            count += 1;
        }
        // The days up to the next poll becoming known share this day's polls: one fit for all.
        let next_known = order.get(count).map(|&i| series.polls[i].known_on);
        let end = days[start..]
            .iter()
            .position(|d| next_known.is_some_and(|n| *d >= n))
            .map_or(days.len(), |offset| start + offset);
        if count > before {
            // In date order, as the selection gives them.
            subset.polls = series
                .polls
                .iter()
                .zip(&known)
                .filter(|(_, k)| **k)
                .map(|(p, _)| p.clone())
                .collect::<Vec<PollPoint>>();
        }
        if subset.polls.is_empty() {
            start = end;
            continue;
        }
        let due = match &held {
            None => true,
            Some((_, on, polls)) => {
                (day - *on).num_days() >= REESTIMATE_DAYS
                    || count as f64 >= *polls as f64 * (1.0 + REESTIMATE_GROWTH)
            }
        };
        if due && count > before || held.is_none() {
            let parameters = kalman::estimate_parameters(&subset, pollsters, kalman_options);
            held = Some((parameters, day, count));
        }
        let Some((parameters, _, _)) = &held else {
            break;
        };
        let last = days[end - 1];
        let fit = kalman::fit_with(&subset, pollsters, kalman_options, parameters, last);
        for &d in &days[start..end] {
            let Ok(t) = usize::try_from(day_number(d, fit.first_day)) else {
                // Every poll known is dated later (published before its fieldwork ended).
                continue;
            };
            if let (Some(&estimate), Some(&variance)) = (fit.estimate.get(t), fit.variance.get(t)) {
                points.push(point(d, estimate, variance, count));
            }
        }
        start = end;
    }
    let model = held.map(|(parameters, _, _)| {
        let active = subset
            .polls
            .iter()
            .map(|p| p.pollster)
            .collect::<std::collections::HashSet<_>>()
            .len();
        ModelEstimates::new(parameters.step, parameters.poll_noise, active)
    });
    (points, model)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::{daily_trends, simulate};

    fn day(n: i64) -> NaiveDate {
        NaiveDate::from_ymd_opt(2024, 1, 1).unwrap() + chrono::Duration::days(n)
    }

    /// Polls of three pollsters every other day around 40 for 60 days, each known the day it
    /// was taken, and one poll of 70 by a fourth taken on day 30 but published on day 40.
    fn with_a_late_poll() -> Selection {
        let mut polls: Vec<PollPoint> = (0..30)
            .map(|i| PollPoint {
                poll_id: i,
                date: day(2 * i),
                known_on: day(2 * i),
                pct: 40.0 + (i % 3) as f64,
                sample_size: Some(1000.0),
                pollster: (i % 3) as usize,
            })
            .collect();
        polls.push(PollPoint {
            poll_id: 100,
            date: day(30),
            known_on: day(40),
            pct: 70.0,
            sample_size: Some(1000.0),
            pollster: 3,
        });
        polls.sort_by_key(|p| (p.date, p.poll_id));
        Selection {
            pollsters: vec!["A".into(), "B".into(), "C".into(), "D".into()],
            answers: vec![AnswerSeries {
                answer: "Yes".into(),
                polls,
            }],
            ..Default::default()
        }
    }

    #[test]
    fn a_poll_counts_only_from_the_day_it_became_known() {
        let selection = with_a_late_poll();
        let mut without = selection.clone();
        without.answers[0].polls.retain(|p| p.poll_id != 100);
        for method in [Method::Latest, Method::Kalman] {
            let options = TrendOptions {
                method,
                window: 20,
                ..Default::default()
            };
            let with = &as_of_trends(&selection, &options).unwrap().answers[0].points;
            let not = &as_of_trends(&without, &options).unwrap().answers[0].points;
            assert_eq!(with.len(), not.len(), "{method:?}");
            assert_eq!(with[0].date, day(0));
            for (a, b) in with.iter().zip(not) {
                assert_eq!(a.date, b.date);
                if a.date < day(40) {
                    // Before its publication the late poll is unknown: nothing moves.
                    assert_eq!(a, b, "{method:?}");
                } else if a.date < day(30 + 20) {
                    // From then on it pulls the estimate up.
                    assert!(a.estimate > b.estimate + 0.1, "{method:?} {a:?} {b:?}");
                }
            }
            // While the retrospective trend moves on its field day already.
            if method == Method::Kalman {
                let retro = &daily_trends(&selection, &options).answers[0].points;
                let retro_without = &daily_trends(&without, &options).answers[0].points;
                let on = |points: &[TrendPoint]| {
                    points.iter().find(|p| p.date == day(30)).unwrap().estimate
                };
                assert!(on(retro) > on(retro_without) + 0.1);
            }
        }
    }

    #[test]
    fn the_last_as_of_kalman_estimate_is_the_retrospective_one_when_nothing_is_late() {
        let sim = simulate::simulate(&simulate::SimulationOptions {
            polls: 600,
            pollsters: 8,
            days: 300,
            seed: 3,
            ..Default::default()
        });
        let results: Vec<crate::model::PollResult> = sim
            .polls
            .iter()
            .enumerate()
            .flat_map(|(i, p)| crate::model::PollResult::from_poll(p, i as i64 + 1, "sim-1"))
            .collect();
        let mut selection = crate::analysis::select(&results);
        for series in &mut selection.answers {
            for poll in &mut series.polls {
                poll.known_on = poll.date;
            }
        }
        let options = TrendOptions::default();
        let as_of = as_of_trends(&selection, &options).unwrap();
        let retro = daily_trends(&selection, &options);
        for (a, r) in as_of.answers.iter().zip(&retro.answers) {
            let (a, r) = (a.points.last().unwrap(), r.points.last().unwrap());
            assert_eq!(a.date, r.date);
            assert!((a.estimate - r.estimate).abs() < 0.05, "{a:?} {r:?}");
            let width = |p: &TrendPoint| p.high.unwrap() - p.low.unwrap();
            assert!((width(a) - width(r)).abs() < 0.1 * width(r), "{a:?} {r:?}");
        }
        // Earlier days differ: a filter's estimate is not the smoother's.
        let middle = |t: &AnswerTrend| t.points[t.points.len() / 2].estimate;
        assert_ne!(middle(&as_of.answers[0]), middle(&retro.answers[0]));
    }

    #[test]
    fn loess_is_refused() {
        let options = TrendOptions {
            method: Method::Loess,
            ..Default::default()
        };
        let error = as_of_trends(&with_a_late_poll(), &options).unwrap_err();
        assert_eq!(error.hint(), Some(&Hint::ChooseAsOfMethod), "{error}");
    }
}
