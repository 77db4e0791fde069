//! Import and export at scale, as whole `polltrack` processes: a generated long-format file of
//! 1,000,000 answer rows (about 333,000 polls, 40 pollsters, 5 questions, with quoting and
//! non-ASCII text), imported into an empty database and exported again, beside the plain
//! `sqlite3` shell doing `.import` of the same file into one flat table and `-csv` of it back.
//! Then each FiveThirtyEight file under `../shared/data`, when that folder is there. Prints
//! figures; asserts nothing about time.
//!
//! Run with `cargo bench --bench import_export` (`-- ROWS` for another size, `-- --keep DIR` to
//! leave the generated file and databases in DIR for a closer look).

mod long_file;
mod measure;

use long_file::generate;
use measure::{measure, polltrack};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn mb(bytes: u64) -> String {
    format!("{:.0} MB", bytes as f64 / 1e6)
}

fn has_sqlite3() -> bool {
    Command::new("sqlite3")
        .arg("-version")
        .stdout(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let rows: u64 = args
        .iter()
        .find_map(|a| a.parse().ok())
        .unwrap_or(1_000_000);
    let temp = tempfile::tempdir().expect("temp dir");
    let keep = args
        .iter()
        .position(|a| a == "--keep")
        .and_then(|i| args.get(i + 1))
        .map(PathBuf::from);
    let dir = keep.as_deref().unwrap_or(temp.path());
    std::fs::create_dir_all(dir).expect("create the benchmark folder");
    // A kept folder may hold databases of an earlier run.
    for name in ["polls.db", "polls.db-wal", "polls.db-shm", "flat.db"] {
        let _ = std::fs::remove_file(dir.join(name));
    }
    let file = dir.join("polls.csv");
    let polls = generate(&file, rows);
    let size = std::fs::metadata(&file).map(|m| m.len()).unwrap_or(0);
    println!(
        "import/export benchmark: {rows} answer rows, {polls} polls, {}",
        mb(size)
    );

    let db = dir.join("polls.db");
    let (import, import_memory) = measure(polltrack(&db).arg("import").arg(&file));
    let out = dir.join("export.csv");
    let (export, export_memory) = measure(polltrack(&db).arg("export").arg("-o").arg(&out));
    let per_second = |d: Duration| rows as f64 / d.as_secs_f64();
    println!(
        "  polltrack import   {:>7.2} s  {:>9.0} rows/s  peak {}  (goal >= 200000 rows/s, < 100 MB)",
        import.as_secs_f64(),
        per_second(import),
        mb(import_memory)
    );
    println!(
        "  polltrack export   {:>7.2} s  {:>9.0} rows/s  peak {}  (goal >= 400000 rows/s, < 100 MB)",
        export.as_secs_f64(),
        per_second(export),
        mb(export_memory)
    );
    let same = std::fs::read(&file).ok() == std::fs::read(&out).ok();
    println!("  export equals the imported file byte for byte: {same}");

    if has_sqlite3() {
        let flat = dir.join("flat.db");
        let (sqlite_import, _) = measure(
            Command::new("sqlite3")
                .arg(&flat)
                .arg(format!(".import --csv {} flat", file.display())),
        );
        let (sqlite_export, _) = measure(
            Command::new("sqlite3")
                .arg("-csv")
                .arg(&flat)
                .arg("SELECT * FROM flat"),
        );
        println!(
            "  sqlite3 .import    {:>7.2} s   ratio polltrack/sqlite3 {:.2} (goal <= 2)",
            sqlite_import.as_secs_f64(),
            import.as_secs_f64() / sqlite_import.as_secs_f64()
        );
        println!(
            "  sqlite3 -csv       {:>7.2} s   ratio polltrack/sqlite3 {:.2} (goal <= 1.5)",
            sqlite_export.as_secs_f64(),
            export.as_secs_f64() / sqlite_export.as_secs_f64()
        );
    } else {
        println!(
            "  sqlite3 shell not found: install it (apt-get install sqlite3) for the comparison"
        );
    }

    fivethirtyeight_files(dir);
}

/// Times importing each FiveThirtyEight poll file into its own empty database.
fn fivethirtyeight_files(dir: &Path) {
    let data = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/data"));
    if !data.is_dir() {
        println!(
            "  {} is absent: skipping the FiveThirtyEight files",
            data.display()
        );
        return;
    }
    let files = [
        "fivethirtyeight-pollspage-2024/president_polls.csv",
        "fivethirtyeight-pollspage-2024/favorability_polls.csv",
        "fivethirtyeight-pollspage-2021/president_approval_polls.csv",
        "fivethirtyeight-pollspage-2021/generic_ballot_polls.csv",
        "fivethirtyeight-trump-approval/approval_polllist.csv",
        "fivethirtyeight-covid-polls/covid_approval_polls.csv",
        "fivethirtyeight-covid-polls/covid_concern_polls.csv",
        "fivethirtyeight-covid-polls/covid_approval_polls_adjusted.csv",
        "fivethirtyeight-impeachment-polls/impeachment_polls.csv",
    ];
    for (i, name) in files.iter().enumerate() {
        let db = dir.join(format!("538-{i}.db"));
        let _ = std::fs::remove_file(&db);
        let started = Instant::now();
        let output = polltrack(&db)
            .args(["import", "--format", "538", "--skip-invalid"])
            .arg(data.join(name))
            .output()
            .expect("run polltrack import");
        let summary = String::from_utf8_lossy(&output.stdout);
        println!(
            "  538 {name}: {:.2} s; {}",
            started.elapsed().as_secs_f64(),
            summary
                .trim()
                .rsplit_once(": ")
                .map(|(_, s)| s)
                .unwrap_or("failed")
        );
    }
}
