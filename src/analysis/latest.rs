//! The latest-poll average: on each day, the mean of each pollster's most recent poll of the
//! last `window` days (the RealClearPolitics way). `polls` is the number of polls averaged.

use super::{AnswerSeries, Evaluate, TrendPoint, evaluation_days, point_without_band};

/// The average on each evaluation day; days with no poll in the window have no point.
///
/// It has no band: the sampling error of the mean leaves out the pollsters' leans and how far
/// opinion moved since each poll, and on simulated polls such a band covered the truth on only
/// 67-90% of days. The average is what it is, a plain mean of recent polls.
pub fn trend(series: &AnswerSeries, window: u32, at: Evaluate) -> Vec<TrendPoint> {
    let pollsters = series.pollster_slots();
    // Each pollster's current poll (an index into the series), if any.
    let mut current: Vec<Option<usize>> = vec![None; pollsters];
    let (mut count, mut sum) = (0usize, 0.0);
    let mut next = 0;
    let window = i64::from(window);
    let mut points = Vec::new();
    for day in evaluation_days(series, at) {
        // Polls of the day replace their pollster's earlier poll (the latest read wins a tie).
        while next < series.polls.len() && series.polls[next].date <= day {
            let poll = &series.polls[next];
            if let Some(old) = current[poll.pollster].replace(next) {
                sum -= series.polls[old].pct;
            } else {
                count += 1;
            }
            sum += poll.pct;
            next += 1;
        }
        // Polls that have left the window drop out.
        for slot in current.iter_mut() {
            if let Some(index) = *slot
                && (day - series.polls[index].date).num_days() >= window
            {
                *slot = None;
                count -= 1;
                sum -= series.polls[index].pct;
            }
        }
        if count > 0 {
            let n = count as f64;
            points.push(point_without_band(day, sum / n, count));
        }
    }
    points
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::PollPoint;
    use chrono::NaiveDate;

    fn poll(day: u32, pollster: usize, pct: f64) -> PollPoint {
        PollPoint {
            poll_id: day as i64,
            date: NaiveDate::from_ymd_opt(2024, 3, day).unwrap(),
            known_on: NaiveDate::from_ymd_opt(2024, 3, day).unwrap(),
            pct,
            sample_size: Some(1000.0),
            pollster,
        }
    }

    #[test]
    fn averages_each_pollsters_latest_poll_in_the_window() {
        let series = AnswerSeries {
            answer: "Yes".into(),
            polls: vec![
                poll(1, 0, 40.0),
                poll(2, 1, 50.0),
                poll(5, 0, 44.0),
                poll(12, 1, 60.0),
            ],
        };
        let points = trend(&series, 5, Evaluate::Daily);
        let on = |d: u32| {
            points
                .iter()
                .find(|p| p.date == NaiveDate::from_ymd_opt(2024, 3, d).unwrap())
        };
        assert_eq!(on(1).unwrap().estimate, 40.0);
        assert_eq!(on(2).unwrap().estimate, 45.0);
        assert_eq!(on(5).unwrap().estimate, 47.0);
        // Day 7: pollster 1's poll of day 2 is 5 days old and gone.
        assert_eq!(on(7).unwrap().estimate, 44.0);
        assert_eq!(on(7).unwrap().polls, 1);
        // Days 10 and 11: nothing within the window.
        assert!(on(10).is_none());
        assert_eq!(on(12).unwrap().estimate, 60.0);
        assert!(points.iter().all(|p| p.low.is_none() && p.high.is_none()));
    }
}
