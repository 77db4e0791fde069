//! How close each trend method comes to a known truth on simulated polls, in every setting the
//! README reports (polls / pollsters / days, seeds 1-10): root-mean-square error in points and
//! the share of days the 95% band covers the truth, as mean (range) over the seeds. Prints
//! figures; the claims themselves are asserted by the library's tests.
//!
//! Run with `cargo bench --bench accuracy` (`-- kalman` for one method, `-- 11-30` for other
//! seeds, to see the figures hold beyond the ten the tests use).

use polltrack::analysis::accuracy::{Range, SETTINGS, summarise};
use polltrack::analysis::{Method, TrendOptions};
use std::time::Instant;

fn main() {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with('-'))
        .collect();
    let (first, last) = args
        .iter()
        .find_map(|a| {
            let (first, last) = a.split_once('-')?;
            Some((first.parse::<u64>().ok()?, last.parse::<u64>().ok()?))
        })
        .unwrap_or((1, 10));
    let only: Vec<&String> = args.iter().filter(|a| !a.contains('-')).collect();
    let seeds: Vec<u64> = (first..=last).collect();
    println!(
        "accuracy on simulated polls, seeds {first}-{last}: rmse (points) and 95% band coverage"
    );
    for (name, method) in [
        ("latest", Method::Latest),
        ("loess", Method::Loess),
        ("kalman", Method::Kalman),
    ] {
        if !only.is_empty() && !only.iter().any(|o| *o == name) {
            continue;
        }
        let options = TrendOptions {
            method,
            ..Default::default()
        };
        for setting in SETTINGS {
            let started = Instant::now();
            let summary = summarise(setting, &seeds, &options);
            let coverage = summary
                .coverage
                .map_or_else(|| "no band".to_string(), |c| range(c, 3));
            println!(
                "  {name:<6} {:<14} rmse {:<20} coverage {:<22} ({:.2} s)",
                setting.to_string(),
                range(summary.rmse, 2),
                coverage,
                started.elapsed().as_secs_f64()
            );
        }
    }
}

fn range(r: Range, decimals: usize) -> String {
    format!(
        "{:.d$} ({:.d$}-{:.d$})",
        r.mean,
        r.low,
        r.high,
        d = decimals
    )
}
