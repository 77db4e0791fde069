//! Which polls count for a trend: one population per poll, overlapping tracking polls thinned,
//! and the shares split by answer.

use super::{AnswerSeries, PollPoint};
use crate::error::Hint;
use crate::model::{Name, PollResult};
use crate::model::{QuestionKind, Warning, name_key};
use chrono::NaiveDate;
use rustc_hash::FxHashMap as HashMap;
use std::cmp::Reverse;
use std::collections::hash_map::Entry;

/// The polls of one question that a trend rests on, split by answer.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Selection {
    /// Pollster names; [`PollPoint::pollster`] indexes this.
    pub pollsters: Vec<String>,
    /// The populations counted, as stored (`a`, `rv`, `lv`, `v` or a name), with how many
    /// polls each: most polls first, then by name.
    pub populations: Vec<(String, usize)>,
    /// One series per answer label, in order of first appearance.
    pub answers: Vec<AnswerSeries>,
    /// Result sets read, and those left out (another population of the same poll, or an
    /// overlapping tracking poll).
    pub read: usize,
    pub other_populations: usize,
    pub overlapping: usize,
    /// Election results among the polls read, by date: never counted in a trend or a house
    /// effect, kept to be drawn apart.
    pub elections: Vec<ElectionResult>,
    /// What the user should know about the choice: that a question without a kind had polls
    /// of several populations, and which were counted.
    pub notes: Vec<Warning>,
}

/// An election result of the question: its day and each answer's share.
#[derive(Debug, Clone, PartialEq)]
pub struct ElectionResult {
    pub poll_id: i64,
    pub date: NaiveDate,
    /// Answer label and percentage.
    pub answers: Vec<(String, f64)>,
}

/// The populations a trend counts first when a poll asked several and none was asked for,
/// best first, by kind of question; any other population comes after these, first by name.
/// Approval, favourability and issue questions are read among all adults first, as pollsters
/// and published averages do (538's approval average kept adults in 2,654 of its 2,677 polls
/// that asked several populations); vote intention among likely voters first. A question of
/// no kind keeps the order trends had before kinds, so an existing database's trends do not
/// move until its questions are given a kind.
pub fn population_preference(kind: Option<QuestionKind>) -> &'static [&'static str] {
    match kind {
        Some(QuestionKind::Approval | QuestionKind::Favourability | QuestionKind::Issue) => {
            &["a", "rv", "lv", "v"]
        }
        Some(QuestionKind::Vote) => &["lv", "rv", "v", "a"],
        None => &["lv", "rv", "a", "v"],
    }
}

/// Lower is preferred; among other populations, the first by name, so the choice does not
/// depend on the order results are read in.
fn preference(order: &[&str], result: &PollResult) -> (usize, String) {
    let rank = order
        .iter()
        .position(|p| p.eq_ignore_ascii_case(&result.population))
        .unwrap_or(order.len());
    (rank, name_key(&result.population))
}

/// [`select_of_kind`] for a question of no kind.
pub fn select(results: &[PollResult]) -> Selection {
    select_of_kind(results, None)
}

/// Chooses the polls that count among `results` (one question's result sets, any order): per
/// poll the population preferred for a question of this kind (see [`population_preference`]),
/// then per pollster the largest set of tracking polls whose field periods do not overlap,
/// always keeping the most recent. A question of no kind whose polls asked several populations
/// gets a note saying which were counted.
pub fn select_of_kind(results: &[PollResult], kind: Option<QuestionKind>) -> Selection {
    let order = population_preference(kind);
    // Each poll's preferred result set, by its index in `results`.
    let mut chosen: HashMap<i64, usize> = HashMap::default();
    chosen.reserve(results.len());
    let mut other_populations = 0;
    // Polls that asked several populations, for the note.
    let mut several: Vec<i64> = Vec::new();
    let mut elections: Vec<ElectionResult> = Vec::new();
    let mut election_polls: Vec<i64> = Vec::new();
    for (index, result) in results.iter().enumerate() {
        if result.election {
            election_polls.push(result.poll_id);
            let election = ElectionResult {
                poll_id: result.poll_id,
                date: result.date,
                answers: result
                    .answers
                    .iter()
                    .map(|(label, pct)| (label.to_string(), *pct))
                    .collect(),
            };
            // One mark per election: a file may repeat a result once per pollster (wahlrecht.de
            // does), or a poll give it for several populations.
            let same = |e: &ElectionResult| {
                e.poll_id == election.poll_id
                    || (e.date == election.date && e.answers == election.answers)
            };
            if !elections.iter().any(same) {
                elections.push(election);
            }
            continue;
        }
        match chosen.entry(result.poll_id) {
            Entry::Occupied(mut current) => {
                other_populations += 1;
                several.push(result.poll_id);
                if preference(order, result) < preference(order, &results[*current.get()]) {
                    current.insert(index);
                }
            }
            Entry::Vacant(entry) => {
                entry.insert(index);
            }
        }
    }
    let mut notes = Vec::new();
    if kind.is_none() && !several.is_empty() {
        several.sort_unstable();
        several.dedup();
        let counted = several.iter().filter_map(|id| chosen.get(id));
        notes.push(no_kind_note(order, counted.map(|&index| &results[index])));
    }
    elections.sort_by_key(|e| (e.date, e.poll_id));
    if !elections.is_empty() {
        election_polls.sort_unstable();
        election_polls.dedup();
        notes.push(election_note(elections.len(), election_polls.len()));
    }
    // In the order given, so that input already by date leaves the sort below little to do.
    let mut kept: Vec<&PollResult> = results
        .iter()
        .enumerate()
        .filter(|(index, result)| chosen.get(&result.poll_id) == Some(index))
        .map(|(_, result)| result)
        .collect();
    let before_thinning = kept.len();
    kept = thin_tracking(kept);
    let overlapping = before_thinning - kept.len();
    kept.sort_by_key(|r| (r.date, r.poll_id));

    let mut pollsters = Names::default();
    let mut labels = Names::default();
    let mut answers: Vec<AnswerSeries> = Vec::new();
    let mut populations: HashMap<&str, usize> = HashMap::default();
    for result in kept {
        *populations.entry(&*result.population).or_default() += 1;
        let pollster = pollsters.index(&result.pollster);
        for (label, pct) in &result.answers {
            let index = labels.index(label);
            if index == answers.len() {
                answers.push(AnswerSeries {
                    answer: label.to_string(),
                    polls: Vec::new(),
                });
            }
            answers[index].polls.push(PollPoint {
                poll_id: result.poll_id,
                date: result.date,
                known_on: result.known_on,
                pct: *pct,
                sample_size: result.sample_size,
                pollster,
            });
        }
    }
    let mut populations: Vec<(String, usize)> = populations
        .into_iter()
        .map(|(population, polls)| (population.to_string(), polls))
        .collect();
    populations.sort_unstable_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    Selection {
        pollsters: pollsters.first_spellings,
        populations,
        answers,
        read: results.len(),
        other_populations,
        overlapping,
        elections,
        notes,
    }
}

/// The note saying that `elections` election results, given by `polls` stored polls, were not
/// counted.
fn election_note(elections: usize, polls: usize) -> Warning {
    let results = match elections {
        1 => "1 election result was".to_string(),
        n => format!("{n} election results were"),
    };
    let rows = if polls > elections {
        format!(" ({polls} polls marked as elections)")
    } else {
        String::new()
    };
    Warning::new(format!(
        "{results} left out of the trend{rows}: elections are drawn apart, not averaged as polls"
    ))
}

/// The note for a question of no kind whose polls asked several populations: how many, which
/// population each counted, and how to say what kind of question it is.
fn no_kind_note<'a>(order: &[&str], counted: impl Iterator<Item = &'a PollResult>) -> Warning {
    let mut tally: Vec<((usize, String), usize)> = Vec::new();
    let mut polls = 0;
    for result in counted {
        polls += 1;
        let key = preference(order, result);
        match tally.iter_mut().find(|(k, _)| *k == key) {
            Some((_, n)) => *n += 1,
            None => tally.push((key, 1)),
        }
    }
    tally.sort();
    let counts: Vec<String> = tally
        .iter()
        .map(|((_, population), n)| format!("{population} in {n}"))
        .collect();
    let asked = match polls {
        1 => "1 poll asked".to_string(),
        n => format!("{n} polls asked"),
    };
    Warning::new(format!(
        "{asked} several populations and the question has no kind, so likely voters were \
         counted first ({}); approval, favourability and issue questions are usually read among \
         adults first",
        counts.join(", ")
    ))
    .with_hint(Hint::ChooseKindOrPopulation)
}

/// Names numbered in order of first appearance, the same however they are spelt (by
/// [`name_key`]). Each shared name is looked up by its address first, so a name's text is
/// folded once, not once per poll.
#[derive(Default)]
struct Names {
    first_spellings: Vec<String>,
    by_key: HashMap<String, usize>,
    by_address: HashMap<*const u8, usize>,
}

impl Names {
    fn index(&mut self, name: &Name) -> usize {
        let address = name.as_ptr();
        if let Some(&index) = self.by_address.get(&address) {
            return index;
        }
        let next = self.first_spellings.len();
        let index = *self.by_key.entry(name_key(name)).or_insert(next);
        if index == next {
            self.first_spellings.push(name.to_string());
        }
        self.by_address.insert(address, index);
        index
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
    tracking.sort_by_cached_key(|r| {
        let (start, end) = field_period(r);
        (name_key(&r.pollster), Reverse((start, end, r.poll_id)))
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
            known_on: day(end),
            tracking: false,
            election: false,
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
        // The populations counted: likely voters in poll 1, voters in poll 2.
        assert_eq!(
            selection.populations,
            vec![("lv".to_string(), 1), ("v".to_string(), 1)]
        );
    }

    /// The population whose share each poll's selection kept, by poll id.
    fn chosen(selection: &Selection) -> Vec<(i64, f64)> {
        selection.answers[0]
            .polls
            .iter()
            .map(|p| (p.poll_id, p.pct))
            .collect()
    }

    /// Poll 1 asks a, rv, lv, v and a subgroup; poll 2 asks a and v; poll 3 v and a subgroup;
    /// each population's share tells it apart (a 10, rv 20, lv 30, v 40, the subgroup 50).
    fn several_populations() -> Vec<PollResult> {
        let mut results = Vec::new();
        for (id, populations) in [
            (1, &["v", "adults-under-30", "a", "lv", "RV"][..]),
            (2, &["a", "v"][..]),
            (3, &["adults-under-30", "v"][..]),
        ] {
            for population in populations {
                let mut r = result(id, "A", id as u32, id as u32, population);
                let pct = match population.to_lowercase().as_str() {
                    "a" => 10.0,
                    "rv" => 20.0,
                    "lv" => 30.0,
                    "v" => 40.0,
                    _ => 50.0,
                };
                r.answers = vec![("Yes".into(), pct)];
                results.push(r);
            }
        }
        results
    }

    #[test]
    fn the_population_preferred_depends_on_the_kind() {
        let results = several_populations();
        let adults_first = [(1, 10.0), (2, 10.0), (3, 40.0)];
        for kind in [
            QuestionKind::Approval,
            QuestionKind::Favourability,
            QuestionKind::Issue,
        ] {
            let selection = select_of_kind(&results, Some(kind));
            assert_eq!(chosen(&selection), adults_first, "{kind}");
            assert!(selection.notes.is_empty(), "{kind}: {:?}", selection.notes);
        }
        // Vote intention: likely voters, and voters before adults.
        let vote = select_of_kind(&results, Some(QuestionKind::Vote));
        assert_eq!(chosen(&vote), [(1, 30.0), (2, 40.0), (3, 40.0)]);
        assert!(vote.notes.is_empty(), "{:?}", vote.notes);
        // No kind: the order before kinds (adults before voters), and a note.
        let unset = select_of_kind(&results, None);
        assert_eq!(chosen(&unset), [(1, 30.0), (2, 10.0), (3, 40.0)]);
        assert_eq!(unset, select(&results));
        assert_eq!(unset.other_populations, 6);
        assert_eq!(unset.notes.len(), 1);
        assert!(
            unset.notes[0].message.starts_with(
                "3 polls asked several populations and the question has no kind, so likely \
                 voters were counted first (lv in 1, a in 1, v in 1)"
            ),
            "{}",
            unset.notes[0]
        );
        assert_eq!(unset.notes[0].hint, Some(Hint::ChooseKindOrPopulation));
    }

    #[test]
    fn polls_of_one_population_need_no_note() {
        let results = vec![result(1, "A", 1, 3, "a"), result(2, "B", 2, 4, "lv")];
        let selection = select(&results);
        assert!(selection.notes.is_empty(), "{:?}", selection.notes);
        assert_eq!(selection.answers[0].polls.len(), 2);
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

    #[test]
    fn election_results_are_left_out_and_kept_apart_with_a_note() {
        let mut results = vec![
            result(1, "A", 1, 2, "lv"),
            result(2, "Bundestagswahl", 5, 5, "v"),
            result(3, "B", 6, 7, "lv"),
        ];
        results[1].election = true;
        results[1].answers = vec![("Yes".into(), 60.0)];
        let selection = select(&results);
        let counted: Vec<i64> = selection.answers[0]
            .polls
            .iter()
            .map(|p| p.poll_id)
            .collect();
        assert_eq!(counted, [1, 3]);
        assert!(!selection.pollsters.iter().any(|p| p == "Bundestagswahl"));
        assert_eq!(
            selection.elections,
            [ElectionResult {
                poll_id: 2,
                date: day(5),
                answers: vec![("Yes".into(), 60.0)],
            }]
        );
        assert_eq!(selection.notes.len(), 1);
        assert!(
            selection.notes[0]
                .message
                .starts_with("1 election result was left out of the trend"),
            "{}",
            selection.notes[0]
        );
        // Without elections, no note.
        assert!(select(&[results[0].clone()]).notes.is_empty());
    }

    #[test]
    fn an_election_repeated_once_per_pollster_is_one_result() {
        let mut results: Vec<PollResult> = (1..=3)
            .map(|id| {
                let mut r = result(id, &format!("P{id}"), 9, 9, "v");
                r.election = true;
                r.answers = vec![("Yes".into(), 55.0)];
                r
            })
            .collect();
        results.push(result(4, "A", 1, 2, "lv"));
        let selection = select(&results);
        assert_eq!(selection.elections.len(), 1);
        assert_eq!(selection.answers[0].polls.len(), 1);
        assert_eq!(
            selection.notes[0].message,
            "1 election result was left out of the trend (3 polls marked as elections): \
             elections are drawn apart, not averaged as polls"
        );
    }
}
