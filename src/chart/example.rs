//! Made-up but realistic chart input: noisy polls around smooth trends, for tests, the
//! benchmark and trying the look. Deterministic, so the same arguments give the same chart.

use chrono::NaiveDate;

use crate::chart::{BandPoint, ChartInput, Mark, PollPoint, Series};

/// A small deterministic pseudo-random generator (SplitMix64): no dependency, same numbers on
/// every platform.
struct Noise(u64);

impl Noise {
    fn next(&mut self) -> f64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        ((z ^ (z >> 31)) >> 11) as f64 / (1u64 << 53) as f64
    }

    /// Roughly normal, mean 0 and standard deviation 1 (sum of uniforms).
    fn gaussian(&mut self) -> f64 {
        (0..12).map(|_| self.next()).sum::<f64>() - 6.0
    }
}

/// An answer's true share at time `t`, 0 at the start and 1 at the end.
type Curve = fn(f64) -> f64;

/// Three answers (Oppose, Support, Don't know) over `days` days from `start`, with
/// `polls_per_answer` polls each and a daily trend with its band, and one mark in the middle.
pub fn three_answers(start: NaiveDate, days: u32, polls_per_answer: usize) -> ChartInput {
    let mut noise = Noise(20_161_118);
    let curves: [(&str, Curve); 3] = [
        ("Oppose", |t| 52.0 + 8.0 * (t * 5.0).sin() + 4.0 * t),
        ("Support", |t| 34.0 - 6.0 * (t * 5.0).sin() - 3.0 * t),
        ("Don't know", |t| 14.0 - 2.0 * (t * 3.0).cos() - t),
    ];
    let span = f64::from(days.max(1));
    let series = curves
        .iter()
        .enumerate()
        .map(|(index, (label, curve))| {
            let mut polls: Vec<PollPoint> = (0..polls_per_answer)
                .map(|_| {
                    let day = (noise.next() * span).floor();
                    let sample = (400.0 + noise.next() * 2200.0).round();
                    let sd = 100.0 * (0.25 / sample).sqrt() + 1.0;
                    let pct = curve(day / span) + sd * noise.gaussian();
                    PollPoint {
                        date: start + chrono::Days::new(day as u64),
                        pct: pct.clamp(0.0, 100.0),
                        sample_size: (noise.next() > 0.1).then_some(sample),
                    }
                })
                .collect();
            polls.sort_by_key(|poll| poll.date);
            let trend: Vec<BandPoint> = (0..=days)
                .map(|day| {
                    let t = f64::from(day) / span;
                    let estimate = curve(t);
                    let half_width = 1.5 + 1.0 * (t * 9.0).cos().abs();
                    BandPoint {
                        date: start + chrono::Days::new(u64::from(day)),
                        estimate,
                        low: Some(estimate - half_width),
                        high: Some(estimate + half_width),
                    }
                })
                .collect();
            Series {
                elections: Vec::new(),
                label: (*label).to_string(),
                latest: trend.last().map(|point| point.estimate),
                polls,
                trend,
                colour: super::style::palette_colour(index),
            }
        })
        .collect();
    let end = start + chrono::Days::new(u64::from(days));
    ChartInput {
        title: "Do you support or oppose the military intelligence-sharing agreement (GSOMIA) with Japan?".to_string(),
        subtitle: "LOESS trend, 95% band · all adults".to_string(),
        note: String::new(),
        footer: format!(
            "{} polls · 12 pollsters · {start} to {end} · polltrack",
            polls_per_answer
        ),
        series,
        marks: vec![Mark {
            date: start + chrono::Days::new(u64::from(days / 2)),
            label: "Agreement signed".to_string(),
        }],
        width: 1200,
        height: 675,
        y_range: None,
    }
}
