//! PostgreSQL at scale, as whole `polltrack` processes, each figure beside its peer in the same
//! run: importing the 1,000,000-row long-format file (`long_file`) against `psql \copy` of the
//! same file into one flat table, and the SQLite import; exporting it against
//! `psql \copy (SELECT ...) TO STDOUT`; `trend` on 100,000 simulated polls against the same
//! trend on SQLite; adds per second of 8 writer processes at once on both. Prints figures;
//! asserts nothing about time.
//!
//! Needs a server: `POLLTRACK_BENCH_POSTGRES` (or `POLLTRACK_TEST_POSTGRES`) names one whose
//! role may create databases, and `psql` on the `PATH` for the comparison. Run with
//! `cargo bench --bench postgres` (`-- ROWS` for another file size, `-- --polls N` for another
//! trend size).

mod common;
mod long_file;
mod measure;

use common::{median, process_times, secs, simulated_database};
use measure::{measure, polltrack};
use sqlx::{AssertSqlSafe, Connection, PgConnection};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const RUNS: usize = 3;

fn main() {
    let Some(server) = ["POLLTRACK_BENCH_POSTGRES", "POLLTRACK_TEST_POSTGRES"]
        .iter()
        .find_map(|name| {
            std::env::var(name)
                .ok()
                .filter(|url| !url.trim().is_empty())
        })
    else {
        println!(
            "postgres benchmark: skipped, no server (set POLLTRACK_BENCH_POSTGRES to the URL of \
             one whose role may create databases)"
        );
        return;
    };
    let args: Vec<String> = std::env::args().skip(1).collect();
    let rows: u64 = args
        .iter()
        .find_map(|a| a.parse().ok())
        .unwrap_or(1_000_000);
    let trend_polls: usize = args
        .iter()
        .position(|a| a == "--polls")
        .and_then(|i| args.get(i + 1))
        .and_then(|n| n.parse().ok())
        .unwrap_or(100_000);
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let dir = tempfile::tempdir().expect("temp dir");
    let server = Server {
        url: server,
        runtime: &runtime,
    };

    import_and_export(&server, dir.path(), rows);
    trend(&server, dir.path(), trend_polls);
    writers(&server, dir.path());
}

/// The benchmark's server, where it makes (and drops) databases of its own.
struct Server<'a> {
    url: String,
    runtime: &'a tokio::runtime::Runtime,
}

impl Server<'_> {
    /// A new, empty database `polltrack_bench_NAME` (dropped first if an earlier run left it);
    /// returns its URL.
    fn fresh(&self, name: &str) -> String {
        let name = format!("polltrack_bench_{name}");
        self.admin(&format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"));
        self.admin(&format!("CREATE DATABASE \"{name}\" TEMPLATE template0"));
        let mut url = url::Url::parse(&self.url).expect("a PostgreSQL URL");
        url.set_path(&format!("/{name}"));
        url.to_string()
    }

    fn drop(&self, url: &str) {
        let name = url::Url::parse(url).expect("a URL").path()[1..].to_string();
        self.admin(&format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"));
    }

    fn admin(&self, sql: &str) {
        self.runtime.block_on(async {
            let mut conn = PgConnection::connect(&self.url)
                .await
                .unwrap_or_else(|e| panic!("connect to the benchmark server: {e}"));
            sqlx::raw_sql(AssertSqlSafe(sql.to_string()))
                .execute(&mut conn)
                .await
                .unwrap_or_else(|e| panic!("{sql}: {e}"));
            let _ = conn.close().await;
        });
    }
}

fn has_psql() -> bool {
    Command::new("psql")
        .arg("--version")
        .stdout(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

/// `psql` on `url` running `command` (a meta-command such as `\copy`, or SQL).
fn psql(url: &str, command: &str) -> Command {
    let mut psql = Command::new("psql");
    psql.args(["-X", "-q", "-v", "ON_ERROR_STOP=1", url, "-c", command]);
    psql
}

fn import_and_export(server: &Server, dir: &Path, rows: u64) {
    let file = dir.join("polls.csv");
    let polls = long_file::generate(&file, rows);
    println!("postgres benchmark: {rows} answer rows, {polls} polls");
    let per_second = |d: Duration| rows as f64 / d.as_secs_f64();

    let db = server.fresh("import");
    let (import, _) = measure(polltrack(Path::new(&db)).arg("import").arg(&file));
    let out = dir.join("export.csv");
    let (export, _) = measure(polltrack(Path::new(&db)).arg("export").arg("-o").arg(&out));
    let same = std::fs::read(&file).ok() == std::fs::read(&out).ok();
    let lite = dir.join("polls.db");
    let (lite_import, _) = measure(polltrack(&lite).arg("import").arg(&file));
    let (lite_export, _) = measure(
        polltrack(&lite)
            .arg("export")
            .arg("-o")
            .arg(dir.join("lite.csv")),
    );
    println!(
        "  polltrack import, PostgreSQL  {:>7.2} s  {:>9.0} rows/s   (SQLite {:.2} s)",
        import.as_secs_f64(),
        per_second(import),
        lite_import.as_secs_f64()
    );
    println!(
        "  polltrack export, PostgreSQL  {:>7.2} s  {:>9.0} rows/s   (SQLite {:.2} s); equals \
         the imported file byte for byte: {same}",
        export.as_secs_f64(),
        per_second(export),
        lite_export.as_secs_f64()
    );
    if has_psql() {
        let flat = server.fresh("flat");
        let columns = "poll_id, pollster, sponsors, field_start, field_end, published_on, mode, \
                       population, sample_size, margin_of_error, region, question, \
                       question_wording, answer, pct, source_urls, notes";
        let create = format!(
            "CREATE TABLE flat ({})",
            columns
                .split(", ")
                .map(|c| format!("{c} TEXT"))
                .collect::<Vec<_>>()
                .join(", ")
        );
        measure(&mut psql(&flat, &create));
        let (copy_in, _) = measure(&mut psql(
            &flat,
            &format!("\\copy flat FROM '{}' CSV HEADER", file.display()),
        ));
        let (copy_out, _) = measure(&mut psql(
            &flat,
            "\\copy (SELECT * FROM flat) TO STDOUT CSV HEADER",
        ));
        println!(
            "  psql \\copy FROM              {:>7.2} s   ratio polltrack/psql {:.2} (goal <= 2)",
            copy_in.as_secs_f64(),
            import.as_secs_f64() / copy_in.as_secs_f64()
        );
        println!(
            "  psql \\copy TO STDOUT         {:>7.2} s   ratio polltrack/psql {:.2} (goal <= 1.5)",
            copy_out.as_secs_f64(),
            export.as_secs_f64() / copy_out.as_secs_f64()
        );
        server.drop(&flat);
    } else {
        println!("  psql not found: install it (apt-get install postgresql-client) to compare");
    }
    server.drop(&db);
}

fn trend(server: &Server, dir: &Path, polls: usize) {
    let lite = dir.join("trend.db");
    simulated_database(server.runtime, &lite, polls);
    let db = server.fresh("trend");
    let started = Instant::now();
    measure(
        polltrack(&lite)
            .arg("copy")
            .arg("--to")
            .arg(&db)
            .stderr(Stdio::null()),
    );
    println!(
        "{polls} simulated polls (copied from SQLite to PostgreSQL in {})",
        secs(started.elapsed())
    );
    for method in ["latest", "loess", "kalman"] {
        let args = ["trend", "sim-1", "--method", method];
        let on_postgres = median(process_times(Path::new(&db), &args, RUNS));
        let on_sqlite = median(process_times(&lite, &args, RUNS));
        println!(
            "  polltrack trend --method {method:<6}  PostgreSQL {}  SQLite {}  ratio {:.2}",
            secs(on_postgres),
            secs(on_sqlite),
            on_postgres.as_secs_f64() / on_sqlite.as_secs_f64()
        );
    }
    server.drop(&db);
}

/// 8 processes adding 25 polls each at once, on PostgreSQL and on SQLite.
fn writers(server: &Server, dir: &Path) {
    const WRITERS: usize = 8;
    const ADDS: usize = 25;
    let db = server.fresh("writers");
    let lite = dir.join("writers.db").display().to_string();
    for (backend, db) in [("PostgreSQL", db.as_str()), ("SQLite", lite.as_str())] {
        // The database made first, so that every add writes a poll.
        measure(polltrack(Path::new(db)).arg("init"));
        let started = Instant::now();
        std::thread::scope(|scope| {
            for writer in 0..WRITERS {
                scope.spawn(move || {
                    for i in 0..ADDS {
                        let pollster = format!("Pollster {writer}");
                        let day = format!("2024-01-{:02}", i + 1);
                        measure(polltrack(Path::new(db)).args([
                            "add",
                            "--pollster",
                            &pollster,
                            "--new-pollster",
                            "--question",
                            "q",
                            "--wording",
                            "A question",
                            "--answer",
                            "Yes=40",
                            "--published",
                            &day,
                        ]));
                    }
                });
            }
        });
        let elapsed = started.elapsed();
        println!(
            "  {WRITERS} writers x {ADDS} adds, {backend:<10}  {:>6.2} s  {:>6.0} adds/s",
            elapsed.as_secs_f64(),
            (WRITERS * ADDS) as f64 / elapsed.as_secs_f64()
        );
    }
    server.drop(&db);
}
