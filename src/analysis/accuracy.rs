//! How well each method recovers a known truth from simulated polls (fixed seeds): the claims
//! the README makes, as assertions.

use super::simulate::{ANSWERS, SimulationOptions, simulate};
use super::*;

struct Scores {
    rmse: f64,
    coverage: f64,
}

/// Root-mean-square error and band coverage of `trend` against the truth, over the days it has.
fn score(trend: &AnswerTrend, truth: &std::collections::HashMap<NaiveDate, f64>) -> Scores {
    let (mut squared, mut covered, mut days) = (0.0, 0, 0);
    for point in &trend.points {
        let Some(&true_share) = truth.get(&point.date) else {
            continue;
        };
        squared += (point.estimate - true_share).powi(2);
        covered += usize::from(point.low <= true_share && true_share <= point.high);
        days += 1;
    }
    Scores {
        rmse: (squared / days as f64).sqrt(),
        coverage: covered as f64 / days as f64,
    }
}

fn correlation(a: &[f64], b: &[f64]) -> f64 {
    let n = a.len() as f64;
    let (ma, mb) = (a.iter().sum::<f64>() / n, b.iter().sum::<f64>() / n);
    let cov: f64 = a.iter().zip(b).map(|(x, y)| (x - ma) * (y - mb)).sum();
    let va: f64 = a.iter().map(|x| (x - ma).powi(2)).sum();
    let vb: f64 = b.iter().map(|y| (y - mb).powi(2)).sum();
    cov / (va * vb).sqrt()
}

#[test]
fn kalman_recovers_the_truth_best() {
    for seed in [1, 2, 3] {
        let sim = simulate(&SimulationOptions {
            polls: 1_500,
            seed,
            ..Default::default()
        });
        let results: Vec<PollResult> = sim
            .polls
            .iter()
            .enumerate()
            .flat_map(|(i, p)| PollResult::from_poll(p, i as i64 + 1, "sim-1"))
            .collect();
        let selection = select(&results);
        let by_method = |method| {
            daily_trends(
                &selection,
                &TrendOptions {
                    method,
                    ..Default::default()
                },
            )
        };
        let (latest, loess, kalman) = (
            by_method(Method::Latest),
            by_method(Method::Loess),
            by_method(Method::Kalman),
        );
        for (a, answer) in ANSWERS.iter().enumerate() {
            let truth: std::collections::HashMap<NaiveDate, f64> =
                sim.truth.iter().map(|d| (d.date, d.shares[a])).collect();
            let find = |t: &Trends| {
                t.answers
                    .iter()
                    .find(|x| x.answer == *answer)
                    .cloned()
                    .expect("answer")
            };
            let (l, o, k) = (
                score(&find(&latest), &truth),
                score(&find(&loess), &truth),
                score(&find(&kalman), &truth),
            );
            let series = selection
                .answers
                .iter()
                .find(|s| s.answer == *answer)
                .expect("series");
            let fit = kalman::fit(series, selection.pollsters.len(), None);
            let (mut estimated, mut actual) = (Vec::new(), Vec::new());
            for true_effect in &sim.house_effects {
                let Some(k) = selection
                    .pollsters
                    .iter()
                    .position(|p| *p == true_effect.pollster)
                else {
                    continue;
                };
                estimated.push(fit.house_effects[k].effect);
                actual.push(true_effect.effects[a]);
            }
            let r = correlation(&estimated, &actual);
            eprintln!(
                "seed {seed} {answer}: rmse latest {:.3} loess {:.3} kalman {:.3}; coverage \
                 latest {:.3} loess {:.3} kalman {:.3}; house r {r:.3}; step {:.4}",
                l.rmse, o.rmse, k.rmse, l.coverage, o.coverage, k.coverage, fit.step
            );
            assert!(k.rmse < o.rmse && k.rmse < l.rmse, "{answer}");
            assert!(
                (0.90..=0.99).contains(&k.coverage),
                "{answer}: {}",
                k.coverage
            );
            assert!(r > 0.9, "{answer}: {r}");
        }
    }
}
