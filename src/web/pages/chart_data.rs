//! What the question page's chart script draws, as lean JSON: columns of numbers, not an
//! object per point (a question of 10,000 polls is still a small page). Days are counted from
//! 1970-01-01, percentages in points rounded to hundredths.

use crate::analysis::Method;
use crate::app::chart::AnswerColour;
use crate::app::trend::TrendAndPolls;
use chrono::NaiveDate;
use serde::Serialize;
use std::collections::HashMap;

/// The chart's data: the trend's days, a line and band per answer, a dot per poll.
#[derive(Debug, Serialize)]
pub(super) struct ChartData {
    method: Method,
    /// Every day of the trend, in order.
    days: Vec<i64>,
    answers: Vec<AnswerLine>,
    /// The polls the dots stand for; each dot's `poll` indexes these columns.
    polls: Polls,
    /// Pollster names; `polls.pollster` indexes this.
    pollsters: Vec<String>,
}

/// One answer: its colour, its estimate and 95% band on each of the days (null where it has
/// none), and its polls.
#[derive(Debug, Serialize)]
struct AnswerLine {
    label: String,
    colour: String,
    estimate: Vec<Option<f64>>,
    low: Vec<Option<f64>>,
    high: Vec<Option<f64>>,
    dots: Dots,
}

/// An answer's polls: which poll, and the answer's percentage in it.
#[derive(Debug, Default, Serialize)]
struct Dots {
    poll: Vec<usize>,
    pct: Vec<f64>,
}

/// The polls, by column: id, the day it stands at on the chart, pollster, field period (days,
/// null when unknown) and sample.
#[derive(Debug, Default, Serialize)]
struct Polls {
    id: Vec<i64>,
    day: Vec<i64>,
    pollster: Vec<usize>,
    start: Vec<Option<i64>>,
    end: Vec<Option<i64>>,
    sample: Vec<Option<f64>>,
}

/// The days from 1970-01-01 to `date`, as scripts count time.
fn day_number(date: NaiveDate) -> i64 {
    (date - NaiveDate::default()).num_days()
}

fn hundredths(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

impl ChartData {
    /// The data of `fitted`, each answer in its colour (as the command line's charts colour
    /// it; grey for an answer without one).
    pub(super) fn of(fitted: &TrendAndPolls, colours: &[AnswerColour]) -> ChartData {
        let mut days: Vec<i64> = fitted
            .trend
            .answers
            .iter()
            .flat_map(|a| a.points.iter().map(|p| day_number(p.date)))
            .collect();
        days.sort_unstable();
        days.dedup();
        let place: HashMap<i64, usize> = days.iter().enumerate().map(|(i, d)| (*d, i)).collect();
        let mut polls = Polls::default();
        let mut poll_place: HashMap<i64, usize> = HashMap::new();
        let answers = fitted
            .trend
            .answers
            .iter()
            .map(|answer| {
                let mut line = AnswerLine {
                    label: answer.answer.clone(),
                    colour: colour_of(colours, &answer.answer),
                    estimate: vec![None; days.len()],
                    low: vec![None; days.len()],
                    high: vec![None; days.len()],
                    dots: Dots::default(),
                };
                for point in &answer.points {
                    let i = place[&day_number(point.date)];
                    line.estimate[i] = Some(hundredths(point.estimate));
                    line.low[i] = point.low.map(hundredths);
                    line.high[i] = point.high.map(hundredths);
                }
                let series = fitted.polls.iter().find(|s| s.answer == answer.answer);
                for point in series.iter().flat_map(|s| s.polls.iter()) {
                    let index = *poll_place.entry(point.poll_id).or_insert_with(|| {
                        let (start, end) = fitted
                            .field_periods
                            .get(&point.poll_id)
                            .copied()
                            .unwrap_or_default();
                        polls.id.push(point.poll_id);
                        polls.day.push(day_number(point.date));
                        polls.pollster.push(point.pollster);
                        polls.start.push(start.map(day_number));
                        polls.end.push(end.map(day_number));
                        polls.sample.push(point.sample_size);
                        polls.id.len() - 1
                    });
                    line.dots.pct.push(hundredths(point.pct));
                    line.dots.poll.push(index);
                }
                line
            })
            .collect();
        ChartData {
            method: fitted.trend.method,
            days,
            answers,
            polls,
            pollsters: fitted.pollsters.clone(),
        }
    }
}

fn colour_of(colours: &[AnswerColour], answer: &str) -> String {
    colours
        .iter()
        .find(|c| c.answer.trim().eq_ignore_ascii_case(answer.trim()))
        .map(|c| c.colour.to_string())
        .unwrap_or_else(|| "#777777".to_string())
}
