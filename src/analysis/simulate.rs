//! Synthetic polls drawn from a known truth, for demos, benchmarks and measuring how well each
//! method recovers it. Each question has a smooth daily path of opinion for two answers (the
//! rest undecided) that wanders as a random walk; pollsters have house effects (summing to zero over pollsters, as the Kalman
//! model assumes); each poll has a field period, a sample size and binomial sampling error.
//!
//! Only integer arithmetic, + - * / and square roots are used, so the same seed gives the same
//! polls on every platform.

use crate::model::{Answer, Poll, ResultSet};
use chrono::NaiveDate;

/// SplitMix64: small, fast, and its stream is fixed by its definition.
#[derive(Debug, Clone)]
pub struct SplitMix64(u64);

impl SplitMix64 {
    pub fn new(seed: u64) -> SplitMix64 {
        SplitMix64(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in [0, 1).
    pub fn uniform(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// Uniform in [0, n).
    pub fn below(&mut self, n: u64) -> u64 {
        ((u128::from(self.next_u64()) * u128::from(n)) >> 64) as u64
    }

    /// A standard normal, approximately: the sum of twelve uniforms less six (no logarithms
    /// or cosines, whose last bits differ between platforms).
    pub fn normal(&mut self) -> f64 {
        (0..12).map(|_| self.uniform()).sum::<f64>() - 6.0
    }
}

/// The most polls one simulation draws: each is held in memory until all are drawn (about
/// 0.9 KB a poll, so 1,000,000 polls take about 0.9 GB).
pub const MAX_POLLS: usize = 1_000_000;
/// The most questions; each has a true path of every day.
pub const MAX_QUESTIONS: usize = 100;
/// The most pollsters.
pub const MAX_POLLSTERS: usize = 1_000;
/// The most days, a hundred years: the true paths take a few MB a question at most.
pub const MAX_DAYS: u32 = 36_525;

#[derive(Debug, Clone, PartialEq)]
pub struct SimulationOptions {
    pub polls: usize,
    pub questions: usize,
    pub pollsters: usize,
    pub days: u32,
    pub first_day: NaiveDate,
    pub seed: u64,
    /// The standard deviation of the true house effects, in points.
    pub house_spread: f64,
}

impl Default for SimulationOptions {
    fn default() -> SimulationOptions {
        SimulationOptions {
            polls: 2_000,
            questions: 1,
            pollsters: 12,
            days: 730,
            first_day: NaiveDate::from_ymd_opt(2024, 1, 1).unwrap_or_default(),
            seed: 1,
            house_spread: 1.5,
        }
    }
}

/// The true path's daily step, in points.
pub const DAILY_STEP: f64 = 0.15;

/// The answers of every simulated question.
pub const ANSWERS: [&str; 3] = ["Candidate A", "Candidate B", "Undecided"];

/// The truth of one question on one day.
#[derive(Debug, Clone, PartialEq)]
pub struct TruthDay {
    pub question: String,
    pub date: NaiveDate,
    /// The share of each of [`ANSWERS`].
    pub shares: [f64; 3],
}

#[derive(Debug, Clone, PartialEq)]
pub struct TrueHouseEffect {
    pub question: String,
    pub pollster: String,
    /// The effect on each of [`ANSWERS`].
    pub effects: [f64; 3],
}

#[derive(Debug, Clone, PartialEq)]
pub struct Simulation {
    pub polls: Vec<Poll>,
    pub truth: Vec<TruthDay>,
    pub house_effects: Vec<TrueHouseEffect>,
}

pub fn question_slug(question: usize) -> String {
    format!("sim-{}", question + 1)
}

pub fn pollster_name(pollster: usize) -> String {
    format!("Pollster {}", pollster + 1)
}

/// A daily path of opinion: a random walk (daily steps of `step` points, pulled gently back
/// towards `level` so it stays in range) averaged over a week, so it moves as opinion does,
/// by drifts and shifts, without day-to-day jitter.
fn opinion_path(rng: &mut SplitMix64, days: usize, level: f64, step: f64) -> Vec<f64> {
    const WEEK: usize = 3;
    let mut walk = Vec::with_capacity(days + WEEK);
    let mut x = level + 2.0 * rng.normal();
    for _ in 0..days + WEEK {
        x += 0.002 * (level - x) + step * rng.normal();
        walk.push(x);
    }
    walk.windows(WEEK)
        .take(days)
        .map(|w| w.iter().sum::<f64>() / WEEK as f64)
        .collect()
}

/// One decimal place, as polls are often reported.
fn tenths(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

/// Draws the answers of a sample of `n` from the true shares (normal approximations of the
/// binomial: the first answer, then the second among the rest); they sum to 100.
fn draw_answers(rng: &mut SplitMix64, shares: [f64; 3], n: f64) -> [f64; 3] {
    let a = shares[0] / 100.0;
    let first = (a + (a * (1.0 - a) / n).sqrt() * rng.normal()).clamp(0.0, 1.0);
    let rest = shares[1] + shares[2];
    let b = if rest > 0.0 { shares[1] / rest } else { 0.0 };
    let remaining = (n * (1.0 - first)).max(1.0);
    let second_share =
        (b + (b * (1.0 - b) / remaining).sqrt() * rng.normal()).clamp(0.0, 1.0) * (1.0 - first);
    let first = tenths(100.0 * first);
    let second = tenths(100.0 * second_share).min(100.0 - first);
    [first, second, tenths(100.0 - first - second).max(0.0)]
}

pub fn simulate(options: &SimulationOptions) -> Simulation {
    let mut rng = SplitMix64::new(options.seed);
    let days = options.days.max(1) as usize;
    let pollsters = options.pollsters.max(1);
    let mut truth = Vec::new();
    let mut house_effects = Vec::new();
    let mut paths = Vec::new();
    let mut effects = Vec::new();
    for question in 0..options.questions {
        let slug = question_slug(question);
        let first = opinion_path(&mut rng, days, 44.0, DAILY_STEP);
        let second = opinion_path(&mut rng, days, 40.0, DAILY_STEP);
        let path: Vec<[f64; 3]> = first
            .iter()
            .zip(&second)
            .map(|(&a, &b)| {
                let (a, b) = (a.clamp(1.0, 98.0), b.clamp(1.0, 98.0));
                let b = b.min(99.0 - a);
                [a, b, 100.0 - a - b]
            })
            .collect();
        for (t, shares) in path.iter().enumerate() {
            truth.push(TruthDay {
                question: slug.clone(),
                date: options.first_day + chrono::Duration::days(t as i64),
                shares: *shares,
            });
        }
        let mut raw: Vec<[f64; 2]> = (0..pollsters)
            .map(|_| {
                [
                    options.house_spread * rng.normal(),
                    options.house_spread * rng.normal(),
                ]
            })
            .collect();
        for answer in 0..2 {
            let mean = raw.iter().map(|h| h[answer]).sum::<f64>() / pollsters as f64;
            raw.iter_mut().for_each(|h| h[answer] -= mean);
        }
        let question_effects: Vec<[f64; 3]> =
            raw.iter().map(|h| [h[0], h[1], -h[0] - h[1]]).collect();
        for (k, e) in question_effects.iter().enumerate() {
            house_effects.push(TrueHouseEffect {
                question: slug.clone(),
                pollster: pollster_name(k),
                effects: *e,
            });
        }
        paths.push(path);
        effects.push(question_effects);
    }
    // Some pollsters poll far more often than others; each has its own usual population.
    let shares: Vec<u64> = (0..pollsters).map(|k| (pollsters - k) as u64).collect();
    let total_share: u64 = shares.iter().sum();
    let populations: Vec<&str> = (0..pollsters).map(|k| ["lv", "rv", "a"][k % 3]).collect();
    let mut polls = Vec::with_capacity(options.polls);
    for i in 0..options.polls {
        let question = i % options.questions.max(1);
        let mut pick = rng.below(total_share);
        let pollster = shares
            .iter()
            .position(|&s| {
                if pick < s {
                    true
                } else {
                    pick -= s;
                    false
                }
            })
            .unwrap_or(0);
        let day = rng.below(days as u64) as i64;
        let length = 1 + rng.below(5) as i64;
        let field_start = options.first_day + chrono::Duration::days(day - (length - 1) / 2);
        let field_end = field_start + chrono::Duration::days(length - 1);
        let published_on = field_end + chrono::Duration::days(1 + rng.below(3) as i64);
        let sample = (300 + rng.below(2_701)) as f64;
        let known_sample = rng.below(100) >= 8;
        let truth_today = paths[question][day as usize];
        let house = effects[question][pollster];
        let shares_seen = [0, 1, 2].map(|a| (truth_today[a] + house[a]).clamp(0.5, 99.5));
        let mut results = vec![result_set(
            question,
            populations[pollster],
            known_sample.then_some(sample),
            draw_answers(&mut rng, shares_seen, sample),
        )];
        // Some likely-voter polls also report their registered voters, a larger sample.
        if populations[pollster] == "lv" && rng.below(100) < 15 {
            let wider = (sample * 1.3).round();
            results.push(result_set(
                question,
                "rv",
                known_sample.then_some(wider),
                draw_answers(&mut rng, shares_seen, wider),
            ));
        }
        polls.push(Poll {
            pollster: pollster_name(pollster),
            field_start: Some(field_start),
            field_end: Some(field_end),
            published_on: Some(published_on),
            mode: Some(["online", "live phone", "IVR"][pollster % 3].into()),
            results,
            ..Default::default()
        });
    }
    Simulation {
        polls,
        truth,
        house_effects,
    }
}

fn result_set(
    question: usize,
    population: &str,
    sample_size: Option<f64>,
    answers: [f64; 3],
) -> ResultSet {
    ResultSet {
        question: question_slug(question),
        wording: Some(format!(
            "Simulated question {}: which candidate do you support?",
            question + 1
        )),
        population: population.into(),
        sample_size,
        margin_of_error: None,
        answers: ANSWERS
            .iter()
            .zip(answers)
            .map(|(label, pct)| Answer {
                label: (*label).into(),
                pct,
            })
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_generator_stream_is_fixed() {
        // SplitMix64's published first outputs for seed 0.
        let mut rng = SplitMix64::new(0);
        assert_eq!(rng.next_u64(), 0xE220_A839_7B1D_CDAF);
        assert_eq!(rng.next_u64(), 0x6E78_9E6A_A1B9_65F4);
        assert_eq!(rng.next_u64(), 0x06C4_5D18_8009_454F);
    }

    #[test]
    fn the_same_seed_gives_the_same_polls() {
        let options = SimulationOptions {
            polls: 300,
            ..Default::default()
        };
        assert_eq!(simulate(&options), simulate(&options));
        let other = simulate(&SimulationOptions {
            seed: 2,
            ..options.clone()
        });
        assert_ne!(simulate(&options).polls, other.polls);
    }

    #[test]
    fn polls_are_valid_and_house_effects_sum_to_zero() {
        let sim = simulate(&SimulationOptions {
            polls: 500,
            questions: 2,
            ..Default::default()
        });
        for poll in &sim.polls {
            let (problems, _) = crate::model::validate_poll(poll, NaiveDate::MAX);
            assert!(problems.is_empty(), "{problems:?}");
            for result in &poll.results {
                let sum: f64 = result.answers.iter().map(|a| a.pct).sum();
                assert!(sum <= 100.0 + 1e-9, "{sum}");
            }
        }
        for question in ["sim-1", "sim-2"] {
            for answer in 0..3 {
                let sum: f64 = sim
                    .house_effects
                    .iter()
                    .filter(|h| h.question == question)
                    .map(|h| h.effects[answer])
                    .sum();
                assert!(sum.abs() < 1e-9);
            }
        }
        assert_eq!(sim.truth.len(), 2 * 730);
    }
}
