//! What the benchmarks share: simulated databases and the figures' formats.

use polltrack::analysis::simulate;
use polltrack::db::prelude::*;
use polltrack::db::{Access, SqliteStore};
use polltrack::model::QuestionKind;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

pub fn median(mut times: Vec<Duration>) -> Duration {
    times.sort();
    times[times.len() / 2]
}

pub fn secs(d: Duration) -> String {
    format!("{:.3} s", d.as_secs_f64())
}

/// Fills a new database at `path` with `polls` simulated polls of question `sim-1` (3 answers,
/// 40 pollsters, 10 years; a vote intention question) through the library's bulk path;
/// returns how long that took.
pub fn simulated_database(
    runtime: &tokio::runtime::Runtime,
    path: &Path,
    polls: usize,
) -> Duration {
    let simulation = simulate::simulate(&simulate::SimulationOptions {
        polls,
        pollsters: 40,
        days: 3_650,
        // Ten years that end in the past: import refuses dates more than a year ahead.
        first_day: chrono::NaiveDate::from_ymd_opt(2014, 1, 1).expect("a date"),
        seed: 11,
        ..Default::default()
    });
    runtime.block_on(async {
        let db = SqliteStore::open(path, Access::Create).await.expect("open");
        let started = Instant::now();
        for chunk in simulation.polls.chunks(50_000) {
            db.insert_polls(chunk).await.expect("bulk insert");
        }
        let fill = started.elapsed();
        // A vote intention question, so trends count likely voters first without a warning.
        db.set_question_kind("sim-1", Some(QuestionKind::Vote))
            .await
            .expect("set the kind");
        db.close().await.expect("close the database");
        fill
    })
}

/// The wall-clock times of `runs` runs of a whole `polltrack` process on `db`.
pub fn process_times(db: &Path, args: &[&str], runs: usize) -> Vec<Duration> {
    (0..runs)
        .map(|_| {
            let started = Instant::now();
            let status = Command::new(env!("CARGO_BIN_EXE_polltrack"))
                .arg("--db")
                .arg(db)
                .args(args)
                .stdout(Stdio::null())
                .status()
                .expect("run polltrack");
            assert!(status.success(), "polltrack {args:?} failed");
            started.elapsed()
        })
        .collect()
}
