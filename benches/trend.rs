//! Trends at scale: databases of 10,000, 100,000 and 1,000,000 simulated polls of one question
//! (3 answers, 40 pollsters, 10 years), filled through the library's bulk path; then whole
//! `polltrack trend` processes for each method, and the parts of one in the library (reading
//! the polls, choosing them, fitting each answer). Prints figures; asserts nothing about time.
//!
//! Run with `cargo bench --bench trend` (`-- 10000 100000` for chosen sizes only).

mod common;

use common::{median, process_times, secs, simulated_database};
use polltrack::analysis::{self, Method, TrendOptions};
use polltrack::db::prelude::*;
use polltrack::db::{Access, SeriesFilter, SqliteStore};
use std::time::Instant;

const RUNS: usize = 3;

fn main() {
    let sizes: Vec<usize> = std::env::args()
        .skip(1)
        .filter_map(|a| a.parse().ok())
        .collect();
    let sizes = if sizes.is_empty() {
        vec![10_000, 100_000, 1_000_000]
    } else {
        sizes
    };
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let dir = tempfile::tempdir().expect("temp dir");
    println!("trend benchmark: one question, 3 answers, 40 pollsters, 3,650 days");
    for polls in sizes {
        let path = dir.path().join(format!("trend-{polls}.db"));
        let fill = simulated_database(&runtime, &path, polls);
        println!("{polls} polls (filled in {})", secs(fill));

        for method in ["latest", "loess", "kalman"] {
            let times = process_times(&path, &["trend", "sim-1", "--method", method], RUNS);
            let whole = median(times);
            println!(
                "  polltrack trend --method {method:<6}  {}  ({} per answer)",
                secs(whole),
                secs(whole / 3)
            );
        }

        // Where a process's time goes: the fastest of RUNS, as single runs move with the
        // machine's other work.
        let (read, results) = runtime.block_on(async {
            let db = SqliteStore::open(&path, Access::ReadExisting)
                .await
                .expect("open");
            let mut fastest = None;
            for _ in 0..RUNS {
                let started = Instant::now();
                let results = db
                    .poll_results(&SeriesFilter {
                        question: "sim-1".into(),
                        ..Default::default()
                    })
                    .await
                    .expect("read");
                let read = started.elapsed();
                if fastest.as_ref().is_none_or(|(time, _)| read < *time) {
                    fastest = Some((read, results));
                }
            }
            db.close().await.expect("close the database");
            fastest.expect("RUNS is not zero")
        });
        let (select, selection) = (0..RUNS)
            .map(|_| {
                let started = Instant::now();
                let selection = analysis::select(&results);
                (started.elapsed(), selection)
            })
            .min_by_key(|(time, _)| *time)
            .expect("RUNS is not zero");
        let mut fits = Vec::new();
        for method in [Method::Loess, Method::Kalman] {
            let options = TrendOptions {
                method,
                ..Default::default()
            };
            let started = Instant::now();
            let trends = analysis::daily_trends(&selection, &options);
            assert_eq!(trends.answers.len(), 3);
            fits.push(format!(
                "{method:?} {} per answer",
                secs(started.elapsed() / 3)
            ));
        }
        println!(
            "  in the library: read {} result sets {}, select {}, {}",
            results.len(),
            secs(read),
            secs(select),
            fits.join(", ")
        );
    }
}
