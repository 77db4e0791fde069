//! Import and export at scale, as whole `polltrack` processes: a generated long-format file of
//! 1,000,000 answer rows (about 333,000 polls, 40 pollsters, 5 questions, with quoting and
//! non-ASCII text), imported into an empty database and exported again, beside the plain
//! `sqlite3` shell doing `.import` of the same file into one flat table and `-csv` of it back.
//! Then each FiveThirtyEight file under `../shared/data`, when that folder is there. Prints
//! figures; asserts nothing about time.
//!
//! Run with `cargo bench --bench import_export` (`-- ROWS` for another size, `-- --keep DIR` to
//! leave the generated file and databases in DIR for a closer look).

mod measure;

use measure::{measure, polltrack};
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const POLLSTERS: [&str; 10] = [
    "YouGov",
    "Ipsos",
    "Morning Consult",
    "Léger",
    "Gallup Korea",
    "한국갤럽",
    "Realmeter",
    "Forschungsgruppe Wahlen",
    "Emerson College",
    "Siena, NYT",
];

struct Lcg(u64);

impl Lcg {
    fn below(&mut self, n: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 33) % n
    }
}

/// Writes `rows` answer rows of the long format; returns the number of polls.
fn generate(path: &Path, rows: u64) -> u64 {
    let mut out = BufWriter::new(File::create(path).expect("create file"));
    writeln!(
        out,
        "poll_id,pollster,sponsors,field_start,field_end,published_on,mode,population,sample_size,\
         margin_of_error,region,question,question_wording,answer,pct,source_urls,notes"
    )
    .expect("write");
    let mut rng = Lcg(7);
    let first = chrono::NaiveDate::from_ymd_opt(2000, 1, 1).expect("date");
    let (mut written, mut poll) = (0, 0);
    while written < rows {
        poll += 1;
        // 40 pollsters, each polling on its own days, so no two polls are the same poll.
        let house = poll % 40;
        let pollster = format!("{} {}", POLLSTERS[(house % 10) as usize], house / 10);
        let pollster = if pollster.contains(',') {
            format!("\"{pollster}\"")
        } else {
            pollster
        };
        let start = first + chrono::Duration::days((poll / 40) as i64);

        let end = start + chrono::Duration::days(rng.below(5) as i64);
        let question = poll % 5;
        let yes = 20 + rng.below(50);
        let no = rng.below(100 - yes);
        let notes = if poll % 50 == 0 {
            "\"said \"\"maybe\"\", then\nno\""
        } else {
            ""
        };
        let sample = 800 + rng.below(1_200);

        for (label, pct) in [
            ("Yes", yes as f64),
            ("No", no as f64),
            ("Don't know", (100 - yes - no) as f64 - 0.5),
        ] {
            writeln!(
                out,
                "{poll},{pollster},Example Times,{start},{end},,online,rv,{sample},3.1,,q{question},\
                 Question number {question}: ¿sí o no?,{label},{pct},https://example.org/p/{poll},{notes}",
            )
            .expect("write");
            written += 1;
            if written == rows {
                break;
            }
        }
    }
    out.flush().expect("flush");
    poll
}

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
