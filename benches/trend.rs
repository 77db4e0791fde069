//! Trends at scale: databases of 10,000, 100,000 and 1,000,000 simulated polls of one question
//! (3 answers, 40 pollsters, 10 years), filled through the library's bulk path; then whole
//! `polltrack trend` processes for each method, and the parts of one in the library (reading
//! the polls, choosing them, fitting each answer). Prints figures; asserts nothing about time.
//!
//! Run with `cargo bench --bench trend` (`-- 10000 100000` for chosen sizes only).

use polltrack::analysis::{self, Method, TrendOptions, simulate};
use polltrack::db::{Access, Db, SeriesFilter};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const RUNS: usize = 3;

fn median(mut times: Vec<Duration>) -> Duration {
    times.sort();
    times[times.len() / 2]
}

fn secs(d: Duration) -> String {
    format!("{:.3} s", d.as_secs_f64())
}

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
        let simulation = simulate::simulate(&simulate::SimulationOptions {
            polls,
            pollsters: 40,
            days: 3_650,
            seed: 11,
            ..Default::default()
        });
        let fill = runtime.block_on(async {
            let db = Db::open(&path, Access::Create).await.expect("open");
            let started = Instant::now();
            for chunk in simulation.polls.chunks(50_000) {
                db.insert_polls(chunk).await.expect("bulk insert");
            }
            let fill = started.elapsed();
            db.close().await;
            fill
        });
        drop(simulation);
        println!("{polls} polls (filled in {})", secs(fill));

        for method in ["latest", "loess", "kalman"] {
            let times: Vec<Duration> = (0..RUNS)
                .map(|_| {
                    let started = Instant::now();
                    let status = Command::new(env!("CARGO_BIN_EXE_polltrack"))
                        .arg("--db")
                        .arg(&path)
                        .args(["trend", "sim-1", "--method", method])
                        .stdout(Stdio::null())
                        .status()
                        .expect("run polltrack trend");
                    assert!(status.success(), "polltrack trend failed");
                    started.elapsed()
                })
                .collect();
            let whole = median(times);
            println!(
                "  polltrack trend --method {method:<6}  {}  ({} per answer)",
                secs(whole),
                secs(whole / 3)
            );
        }

        // Where a process's time goes.
        let (read, results) = runtime.block_on(async {
            let db = Db::open(&path, Access::ReadExisting).await.expect("open");
            let started = Instant::now();
            let results = db
                .poll_results(&SeriesFilter {
                    question: "sim-1".into(),
                    ..Default::default()
                })
                .await
                .expect("read");
            let read = started.elapsed();
            db.close().await;
            (read, results)
        });
        let started = Instant::now();
        let selection = analysis::select(&results);
        let select = started.elapsed();
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
