//! Writing estimates as CSV: trends, house effects, and the truth a simulation drew its polls
//! from.

use super::{finish, write_error};
use crate::analysis::AnswerTrend;
use crate::analysis::simulate::{ANSWERS, Simulation};
use crate::error::Result;
use crate::model::{HouseEffect, format_date};
use std::io::Write;

/// A trend as CSV: `date,answer,estimate,low,high,polls`, one row per answer per point, in
/// points to six decimals (`low` and `high` empty where the method gives no band).
pub fn write_trend<W: Write>(output: W, answers: &[AnswerTrend]) -> Result<W> {
    let mut csv = crate::csv_format::writer(output);
    csv.write_record(["date", "answer", "estimate", "low", "high", "polls"])
        .map_err(write_error)?;
    for trend in answers {
        for point in &trend.points {
            csv.write_record([
                format_date(point.date),
                trend.answer.clone(),
                format!("{:.6}", point.estimate),
                point
                    .low
                    .map_or_else(String::new, |low| format!("{low:.6}")),
                point
                    .high
                    .map_or_else(String::new, |high| format!("{high:.6}")),
                point.polls.to_string(),
            ])
            .map_err(write_error)?;
        }
    }
    finish(csv)
}

/// House effects as CSV: `pollster,answer,effect,low,high,polls`, in points to four decimals
/// (empty where the effect cannot be told).
pub fn write_house_effects<W: Write>(output: W, effects: &[HouseEffect]) -> Result<W> {
    let decimals = |value: Option<f64>| value.map_or_else(String::new, |v| format!("{v:.4}"));
    let mut csv = crate::csv_format::writer(output);
    csv.write_record(["pollster", "answer", "effect", "low", "high", "polls"])
        .map_err(write_error)?;
    for row in effects {
        csv.write_record([
            row.pollster.clone(),
            row.answer.clone(),
            decimals(row.effect),
            decimals(row.low),
            decimals(row.high),
            row.polls.to_string(),
        ])
        .map_err(write_error)?;
    }
    finish(csv)
}

/// A simulation's truth as CSV: `kind,question,date,pollster,answer,value`, with a `path` row
/// per question, day and answer (the true share) and a `house_effect` row per question,
/// pollster and answer (its true lean), in points to four decimals.
pub fn write_truth<W: Write>(output: W, simulation: &Simulation) -> Result<W> {
    let mut csv = crate::csv_format::writer(output);
    csv.write_record(["kind", "question", "date", "pollster", "answer", "value"])
        .map_err(write_error)?;
    for day in &simulation.truth {
        for (answer, share) in ANSWERS.iter().zip(day.shares) {
            let date = format_date(day.date);
            let value = format!("{share:.4}");
            csv.write_record(["path", &day.question, &date, "", answer, &value])
                .map_err(write_error)?;
        }
    }
    for house in &simulation.house_effects {
        for (answer, effect) in ANSWERS.iter().zip(house.effects) {
            let value = format!("{effect:.4}");
            csv.write_record([
                "house_effect",
                &house.question,
                "",
                &house.pollster,
                answer,
                &value,
            ])
            .map_err(write_error)?;
        }
    }
    finish(csv)
}
