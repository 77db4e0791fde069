//! Which polls count for a trend: one population per poll, overlapping tracking polls thinned,
//! and the shares split by answer.

use super::{AnswerSeries, PollPoint, PollResult};
use crate::model::name_key;
use chrono::NaiveDate;
use rustc_hash::FxHashMap as HashMap;

/// The polls of one question that a trend rests on, split by answer.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Selection {
    /// Pollster names; [`PollPoint::pollster`] indexes this.
    pub pollsters: Vec<String>,
    /// One series per answer label, in order of first appearance.
    pub answers: Vec<AnswerSeries>,
    /// Result sets read, and those left out (another population of the same poll, or an
    /// overlapping tracking poll).
    pub read: usize,
    pub other_populations: usize,
    pub overlapping: usize,
}

/// Populations in order of preference when a poll reports several and none was asked for.
const POPULATION_PREFERENCE: [&str; 4] = ["lv", "rv", "a", "v"];

/// Lower is preferred; among other populations, the first by name, so the choice does not
/// depend on the order results are read in.
fn preference(result: &PollResult) -> (usize, String) {
    let rank = POPULATION_PREFERENCE
        .iter()
        .position(|p| p.eq_ignore_ascii_case(&result.population))
        .unwrap_or(POPULATION_PREFERENCE.len());
    (rank, name_key(&result.population))
}

/// Chooses the polls that count among `results` (one question's result sets, any order): per
/// poll the preferred population (likely voters, then registered voters, then adults, then
/// voters, then any other, first by name), then per pollster the largest set of tracking polls
/// whose field periods do not overlap, always keeping the most recent.
pub fn select(results: &[PollResult]) -> Selection {
    let mut chosen: HashMap<i64, &PollResult> = HashMap::default();
    let mut other_populations = 0;
    for result in results {
        match chosen.get(&result.poll_id) {
            Some(current) if preference(current) <= preference(result) => {
                other_populations += 1;
            }
            Some(_) => {
                other_populations += 1;
                chosen.insert(result.poll_id, result);
            }
            None => {
                chosen.insert(result.poll_id, result);
            }
        }
    }
    let mut kept: Vec<&PollResult> = chosen.into_values().collect();
    let before_thinning = kept.len();
    kept = thin_tracking(kept);
    let overlapping = before_thinning - kept.len();
    kept.sort_by_key(|r| (r.date, r.poll_id));

    // Names are folded once per spelling, not once per poll.
    let mut pollster_by_key: HashMap<String, usize> = HashMap::default();
    let mut pollster_by_spelling: HashMap<&str, usize> = HashMap::default();
    let mut pollsters = Vec::new();
    let mut answer_by_key: HashMap<String, usize> = HashMap::default();
    let mut answer_by_spelling: HashMap<&str, usize> = HashMap::default();
    let mut answers: Vec<AnswerSeries> = Vec::new();
    for result in kept {
        let pollster = match pollster_by_spelling.get(&*result.pollster) {
            Some(&index) => index,
            None => {
                let index = *pollster_by_key
                    .entry(name_key(&result.pollster))
                    .or_insert_with(|| {
                        pollsters.push(result.pollster.to_string());
                        pollsters.len() - 1
                    });
                pollster_by_spelling.insert(&result.pollster, index);
                index
            }
        };
        for (label, pct) in &result.answers {
            let index = match answer_by_spelling.get(&**label) {
                Some(&index) => index,
                None => {
                    let index = *answer_by_key.entry(name_key(label)).or_insert_with(|| {
                        answers.push(AnswerSeries {
                            answer: label.to_string(),
                            polls: Vec::new(),
                        });
                        answers.len() - 1
                    });
                    answer_by_spelling.insert(label, index);
                    index
                }
            };
            answers[index].polls.push(PollPoint {
                poll_id: result.poll_id,
                date: result.date,
                pct: *pct,
                sample_size: result.sample_size,
                pollster,
            });
        }
    }
    Selection {
        pollsters,
        answers,
        read: results.len(),
        other_populations,
        overlapping,
    }
}

/// The field period a poll covers; a poll without field dates covers its own day.
fn field_period(result: &PollResult) -> (NaiveDate, NaiveDate) {
    let start = result
        .field_start
        .or(result.field_end)
        .unwrap_or(result.date);
    let end = result.field_end.unwrap_or(start).max(start);
    (start, end)
}

/// Keeps, per pollster, a largest set of its tracking polls whose field periods do not overlap.
/// Taking polls from the most recent start backwards, each that ends before the last kept one
/// starts, is the classic greedy that is optimal for interval scheduling, and it keeps the most
/// recent poll. Polls not flagged as tracking are all kept.
fn thin_tracking(results: Vec<&PollResult>) -> Vec<&PollResult> {
    let (mut tracking, mut kept): (Vec<&PollResult>, Vec<&PollResult>) =
        results.into_iter().partition(|r| r.tracking);
    tracking.sort_by(|a, b| {
        let (a_start, a_end) = field_period(a);
        let (b_start, b_end) = field_period(b);
        (name_key(&a.pollster), b_start, b_end, b.poll_id).cmp(&(
            name_key(&b.pollster),
            a_start,
            a_end,
            a.poll_id,
        ))
    });
    let mut previous: Option<(String, NaiveDate)> = None;
    for result in tracking {
        let (start, end) = field_period(result);
        let pollster = name_key(&result.pollster);
        let overlaps =
            matches!(&previous, Some((p, kept_start)) if *p == pollster && end >= *kept_start);
        if !overlaps {
            previous = Some((pollster, start));
            kept.push(result);
        }
    }
    kept
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2024, 1, d).unwrap()
    }

    fn result(id: i64, pollster: &str, start: u32, end: u32, population: &str) -> PollResult {
        PollResult {
            poll_id: id,
            pollster: pollster.into(),
            field_start: Some(day(start)),
            field_end: Some(day(end)),
            date: crate::model::poll_date(Some(day(start)), Some(day(end)), None).unwrap(),
            tracking: false,
            population: population.into(),
            sample_size: Some(1000.0),
            answers: vec![("Yes".into(), 40.0 + id as f64), ("No".into(), 50.0)],
        }
    }

    #[test]
    fn one_population_per_poll_by_preference() {
        let results = vec![
            result(1, "A", 1, 3, "a"),
            result(1, "A", 1, 3, "lv"),
            result(1, "A", 1, 3, "rv"),
            result(2, "B", 2, 2, "adults-under-30"),
            result(2, "B", 2, 2, "v"),
        ];
        let selection = select(&results);
        assert_eq!(selection.other_populations, 3);
        assert_eq!(selection.answers.len(), 2);
        assert_eq!(selection.answers[0].answer, "Yes");
        assert_eq!(selection.answers[0].polls.len(), 2);
        assert_eq!(selection.pollsters, vec!["A", "B"]);
    }

    #[test]
    fn overlapping_tracking_polls_are_thinned_keeping_the_latest() {
        // Three-day rolling windows ending on days 3..=9: the non-overlapping set keeping the
        // latest (7-9) is 7-9, 4-6, 1-3.
        let mut results: Vec<PollResult> = (1..=7)
            .map(|i| {
                let mut r = result(i, "Tracker", i as u32, i as u32 + 2, "lv");
                r.tracking = true;
                r
            })
            .collect();
        // Another pollster's overlapping polls are not tracking polls: all kept.
        results.push(result(20, "Other", 1, 5, "lv"));
        results.push(result(21, "Other", 2, 6, "lv"));
        let selection = select(&results);
        let ids: Vec<i64> = selection.answers[0]
            .polls
            .iter()
            .map(|p| p.poll_id)
            .collect();
        assert_eq!(ids, vec![1, 20, 21, 4, 7]);
        assert_eq!(selection.overlapping, 4);
    }
}
