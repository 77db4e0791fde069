//! Runaway resources, as whole `polltrack` processes: one poll of many result sets imported
//! into an empty database and again (unchanged), and `list` and a re-import of a database of
//! about a million answers, each with its wall time and peak memory (maximum resident set).
//! Prints figures; asserts nothing about time.
//!
//! Run with `cargo bench --bench limits` (`-- POLLS` for another size of the listed database).

mod measure;

use measure::{measure, polltrack};
use std::fs::File;
use std::io::{BufRead, BufReader, BufWriter, Write};
use std::path::Path;
use std::time::Duration;

fn show(what: &str, (time, memory): (Duration, u64)) {
    println!(
        "  {what:<34} {:>7.2} s  peak {:>5.0} MB",
        time.as_secs_f64(),
        memory as f64 / 1e6
    );
}

/// One poll of `sets` result sets (a question each), two answers each, in the long format.
/// Written straight to the file: the benchmark stays small, since a child's peak memory as
/// the system counts it starts from its parent's at the moment it is started.
fn one_poll(path: &Path, sets: usize) {
    let mut out = BufWriter::new(File::create(path).expect("create the file"));
    writeln!(
        out,
        "poll_id,pollster,sponsors,field_start,field_end,published_on,mode,population,\
         sample_size,margin_of_error,region,question,question_wording,answer,pct,source_urls,notes"
    )
    .expect("write");
    for i in 0..sets {
        for (answer, pct) in [("Yes", 40), ("No", 50)] {
            writeln!(
                out,
                "1,Big Pollster,,2024-01-01,2024-01-03,,,a,1000,,,q-{i},Question {i}?,{answer},{pct},,"
            )
            .expect("write");
        }
    }
    out.flush().expect("write");
}

fn main() {
    let polls: u64 = std::env::args()
        .skip(1)
        .find_map(|a| a.parse().ok())
        .unwrap_or(300_000);
    let dir = tempfile::tempdir().expect("temp dir");

    println!("one poll of many result sets:");
    for sets in [4_000, 16_000, 64_000] {
        let file = dir.path().join(format!("sets-{sets}.csv"));
        one_poll(&file, sets);
        let db = dir.path().join(format!("sets-{sets}.db"));
        show(
            &format!("import, {sets} result sets"),
            measure(polltrack(&db).arg("import").arg(&file)),
        );
        show(
            &format!("import again, {sets} result sets"),
            measure(polltrack(&db).arg("import").arg(&file)),
        );
    }

    let file = dir.path().join("polls.csv");
    let db = dir.path().join("polls.db");
    measure(
        polltrack(&db)
            .args([
                "simulate",
                "--start",
                "2014-01-01",
                "--pollsters",
                "40",
                "--days",
                "3650",
            ])
            .arg("--polls")
            .arg(polls.to_string())
            .arg("-o")
            .arg(&file),
    );
    let answers = BufReader::new(File::open(&file).expect("open the file"))
        .lines()
        .count()
        - 1;
    println!("a database of {polls} simulated polls, {answers} answers:");
    show("import", measure(polltrack(&db).arg("import").arg(&file)));
    show("list", measure(polltrack(&db).arg("list")));
    show(
        "list --json",
        measure(polltrack(&db).args(["list", "--json"])),
    );
    show(
        "import again (all unchanged)",
        measure(polltrack(&db).arg("import").arg(&file)),
    );
}
