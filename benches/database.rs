//! The database at scale: 100,000 polls (300,000 answers) stored through the bulk path, then
//! `list` with a question filter and a date range, `show` of one poll, and one `polltrack add`
//! as a whole process. Prints figures; asserts nothing about time.
//!
//! Run with `cargo bench --bench database`.

use chrono::NaiveDate;
use polltrack::db::prelude::*;
use polltrack::db::{Access, SqliteStore};
use polltrack::model::{Answer, Poll, PollFilter, ResultSet};
use std::process::Command;
use std::time::{Duration, Instant};

const POLLS: usize = 100_000;
const POLLSTERS: usize = 40;
const QUESTIONS: usize = 5;
const DAYS: i64 = 3_650;

/// A small deterministic generator, so every run measures the same data.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        self.0 >> 33
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

fn synthetic_polls() -> Vec<Poll> {
    let mut rng = Lcg(42);
    let first = NaiveDate::from_ymd_opt(2015, 1, 1).expect("date");
    (0..POLLS)
        .map(|i| {
            let start = first + chrono::Duration::days(rng.below(DAYS as u64) as i64);
            let end = start + chrono::Duration::days(rng.below(4) as i64);
            let yes = 30.0 + rng.below(300) as f64 / 10.0;
            let no = ((100.0 - yes) * (70 + rng.below(25)) as f64 / 100.0).round();
            let question = i % QUESTIONS;
            Poll {
                pollster: format!("Pollster {}", rng.below(POLLSTERS as u64)),
                field_start: Some(start),
                field_end: Some(end),
                published_on: Some(end + chrono::Duration::days(1)),
                mode: Some("online".into()),
                results: vec![ResultSet {
                    question: format!("question-{question}"),
                    wording: Some(format!("Synthetic question {question}")),
                    population: ["a", "rv", "lv"][i % 3].into(),
                    sample_size: Some(500.0 + rng.below(1500) as f64),
                    margin_of_error: None,
                    answers: vec![
                        Answer {
                            label: "Yes".into(),
                            pct: yes,
                        },
                        Answer {
                            label: "No".into(),
                            pct: no,
                        },
                        Answer {
                            label: "Unsure".into(),
                            pct: (100.0 - yes - no).max(0.0),
                        },
                    ],
                }],
                ..Default::default()
            }
        })
        .collect()
}

fn median(mut times: Vec<Duration>) -> Duration {
    times.sort();
    times[times.len() / 2]
}

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1000.0)
}

fn main() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("bench.db");
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let polls = synthetic_polls();

    let (fill, list_times, listed, show_times) = runtime.block_on(async {
        let db = SqliteStore::open(&path, Access::Create)
            .await
            .expect("open");
        let started = Instant::now();
        db.insert_polls(&polls).await.expect("bulk insert");
        let fill = started.elapsed();
        // Reopen, as the next command would.
        db.close().await.expect("close the database");
        let db = SqliteStore::open(&path, Access::ReadExisting)
            .await
            .expect("reopen");

        let filter = PollFilter {
            questions: vec!["question-2".into()],
            since: NaiveDate::from_ymd_opt(2020, 3, 1),
            until: NaiveDate::from_ymd_opt(2020, 5, 31),
            ..Default::default()
        };
        let mut listed = 0;
        let mut list_times = Vec::new();
        for _ in 0..30 {
            let started = Instant::now();
            listed = db.list_polls(&filter).await.expect("list").len();
            list_times.push(started.elapsed());
        }
        let mut show_times = Vec::new();
        for i in 0..200 {
            let id = 1 + (i * 499) % POLLS as i64;
            let started = Instant::now();
            db.get_poll(id).await.expect("show");
            show_times.push(started.elapsed());
        }
        db.close().await.expect("close the database");
        (fill, list_times, listed, show_times)
    });

    let mut add_times = Vec::new();
    for i in 0..20 {
        let day = format!("2025-01-{:02}", i + 1);
        let started = Instant::now();
        let status = Command::new(env!("CARGO_BIN_EXE_polltrack"))
            .arg("--db")
            .arg(&path)
            .args([
                "add",
                "--pollster",
                "Pollster 7",
                "--question",
                "question-1",
                "--answer",
                "Yes=44",
            ])
            .args([
                "--answer", "No=50", "--start", &day, "--end", &day, "--sample", "1000",
            ])
            .stdout(std::process::Stdio::null())
            .status()
            .expect("run polltrack add");
        add_times.push(started.elapsed());
        assert!(status.success(), "polltrack add failed");
    }

    println!(
        "database benchmark: {POLLS} polls, {} answers, {POLLSTERS} pollsters, {QUESTIONS} questions",
        POLLS * 3
    );
    println!(
        "  bulk insert           {:>10}  ({:.0} polls/s, {:.0} answers/s)",
        format!("{:.2} s", fill.as_secs_f64()),
        POLLS as f64 / fill.as_secs_f64(),
        (POLLS * 3) as f64 / fill.as_secs_f64()
    );
    println!(
        "  list (question + 3 months, {listed} polls)  median {}  (goal < 20 ms)",
        ms(median(list_times))
    );
    println!(
        "  show one poll         median {}  (goal < 5 ms)",
        ms(median(show_times))
    );
    println!(
        "  polltrack add process median {}  (goal < 30 ms)",
        ms(median(add_times))
    );
}
