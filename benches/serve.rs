//! `polltrack serve` under load, beside Datasette serving the same file, in the same run: `wrk`
//! on loopback for requests per second and latency percentiles of a page of 100 polls of the
//! API (`/api/polls?question=sim-1&limit=100`), of a question's page with its chart data, and of
//! Datasette's JSON of the same file's `poll_answers` view (a page of 100 rows). Prints
//! figures; asserts nothing about time.
//!
//! Needs `wrk` on the `PATH`, and `datasette` for the comparison (each is skipped with a
//! message when missing). Run with `cargo bench --bench serve` (`-- POLLS` for another size;
//! 100,000 by default).

// Shared by the benchmarks; this one needs only the simulated database.
#[allow(dead_code)]
mod common;

use common::simulated_database;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// wrk's settings: two threads (the machine's cores are shared with the server), 16 open
/// connections, 10 seconds after a 2-second warm-up.
const WRK_THREADS: &str = "2";
const WRK_CONNECTIONS: &str = "16";
const WRK_SECONDS: &str = "10s";

fn main() {
    if Command::new("wrk").arg("--version").output().is_err() {
        println!("serve benchmark: skipped, no wrk on the PATH (Debian: apt install wrk)");
        return;
    }
    let polls: usize = std::env::args()
        .skip(1)
        .find_map(|a| a.parse().ok())
        .unwrap_or(100_000);
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("polls.db");
    let fill = simulated_database(&runtime, &db, polls);
    println!(
        "serve benchmark: {polls} simulated polls of question sim-1 (filled in {:.1} s); wrk \
         -t{WRK_THREADS} -c{WRK_CONNECTIONS} -d{WRK_SECONDS} on loopback, 2 cores shared by \
         server and wrk",
        fill.as_secs_f64()
    );
    println!();
    println!("| what | requests/s | p50 | p99 |");
    println!("|---|---|---|---|");

    let polltrack = Served::polltrack(&db);
    let api = load(&polltrack.url("/api/polls?question=sim-1&limit=100"));
    report("polltrack /api/polls?question=sim-1&limit=100", &api);
    let page = load(&polltrack.url("/questions/sim-1"));
    report("polltrack /questions/sim-1 (page with chart data)", &page);
    drop(polltrack);

    match Served::datasette(&db) {
        Some(datasette) => {
            // Its table page as JSON, with the count of matching rows it shows by default,
            // and without (`_nocount=1`, its fastest).
            let path = "/polls/poll_answers.json?question=sim-1&_size=100";
            let counted = load(&datasette.url(path));
            report(&format!("Datasette {path}"), &counted);
            let path = format!("{path}&_nocount=1");
            let uncounted = load(&datasette.url(&path));
            report(&format!("Datasette {path}"), &uncounted);
            println!();
            for (what, peer) in [("its default page", &counted), ("_nocount=1", &uncounted)] {
                if let (Some(ours), Some(theirs)) = (&api, peer) {
                    println!(
                        "API page: {:.1}x Datasette's requests per second ({what}; goal 5x), \
                         p99 {:.1} ms (goal under 20 ms)",
                        ours.requests_per_second / theirs.requests_per_second,
                        ours.p99.as_secs_f64() * 1e3
                    );
                }
            }
        }
        None => println!("Datasette: skipped, not on the PATH (pip install datasette)"),
    }
}

/// A server process on a free port, killed when dropped.
struct Served {
    child: Child,
    base: String,
}

impl Served {
    fn polltrack(db: &Path) -> Served {
        let mut child = Command::new(env!("CARGO_BIN_EXE_polltrack"))
            .arg("--db")
            .arg(db)
            .args(["serve", "--read-only", "--port", "0"])
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("polltrack serve");
        let mut out = BufReader::new(child.stdout.take().expect("stdout"));
        let mut line = String::new();
        let base = loop {
            line.clear();
            assert!(out.read_line(&mut line).expect("read") > 0, "serve ended");
            if let Some(at) = line.find("http://") {
                break line[at..].trim().trim_end_matches('/').to_string();
            }
        };
        Served { child, base }
    }

    /// Datasette on the same file, immutable (it reads the file as polltrack's read-only
    /// server does, and may cache counts), without suggesting facets: with them, each JSON
    /// page of this view took it about 0.7 s on 10,000 polls.
    fn datasette(db: &Path) -> Option<Served> {
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("a free port")
            .port();
        let child = Command::new("datasette")
            .arg("serve")
            .arg("-i")
            .arg(db)
            .args(["--port", &port.to_string()])
            .args(["--setting", "sql_time_limit_ms", "10000"])
            .args(["--setting", "suggest_facets", "off"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .ok()?;
        let served = Served {
            child,
            base: format!("http://127.0.0.1:{port}"),
        };
        let started = Instant::now();
        while started.elapsed() < Duration::from_secs(30) {
            if get(&served.url("/-/versions.json")).is_ok() {
                return Some(served);
            }
            std::thread::sleep(Duration::from_millis(200));
        }
        None
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// What wrk measured.
struct Load {
    requests_per_second: f64,
    p50: Duration,
    p99: Duration,
    bytes: usize,
}

/// Checks `url` answers 200, warms it up, then runs wrk on it.
fn load(url: &str) -> Option<Load> {
    let body = match get(url) {
        Ok(body) => body,
        Err(answer) => {
            println!("| {url} | not 200: {answer} | | |");
            return None;
        }
    };
    let wrk = |duration: &str| {
        Command::new("wrk")
            .args([
                "-t",
                WRK_THREADS,
                "-c",
                WRK_CONNECTIONS,
                "-d",
                duration,
                "--latency",
                url,
            ])
            .output()
            .expect("wrk runs")
    };
    wrk("2s");
    let output = String::from_utf8_lossy(&wrk(WRK_SECONDS).stdout).to_string();
    let field = |prefix: &str| {
        output
            .lines()
            .map(str::trim)
            .find_map(|l| l.strip_prefix(prefix))
            .map(|rest| {
                rest.split_whitespace()
                    .next()
                    .unwrap_or_default()
                    .to_string()
            })
    };
    if output.contains("Non-2xx") {
        println!("wrk saw errors on {url}:\n{output}");
    }
    Some(Load {
        requests_per_second: field("Requests/sec:")?.parse().ok()?,
        p50: duration(&field("50%")?)?,
        p99: duration(&field("99%")?)?,
        bytes: body.len(),
    })
}

fn report(what: &str, load: &Option<Load>) {
    if let Some(load) = load {
        println!(
            "| {what} ({} KB) | {:.0} | {:.1} ms | {:.1} ms |",
            load.bytes / 1024,
            load.requests_per_second,
            load.p50.as_secs_f64() * 1e3,
            load.p99.as_secs_f64() * 1e3
        );
    }
}

/// wrk's durations: `812.00us`, `1.53ms`, `2.01s`.
fn duration(text: &str) -> Option<Duration> {
    let (number, unit) = text.split_at(text.find(|c: char| c.is_ascii_alphabetic())?);
    let value: f64 = number.parse().ok()?;
    let seconds = match unit {
        "us" => value / 1e6,
        "ms" => value / 1e3,
        "s" => value,
        "m" => value * 60.0,
        _ => return None,
    };
    Some(Duration::from_secs_f64(seconds))
}

/// The body of a 200 answer to `GET url`, over plain HTTP/1.1; else what came back.
fn get(url: &str) -> Result<Vec<u8>, String> {
    let rest = url.strip_prefix("http://").ok_or("not http")?;
    let (host, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
    let mut stream = TcpStream::connect(host).map_err(|e| e.to_string())?;
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
    )
    .map_err(|e| e.to_string())?;
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).map_err(|e| e.to_string())?;
    let end = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .ok_or("no answer")?;
    let head = String::from_utf8_lossy(&raw[..end]);
    match head.starts_with("HTTP/1.1 200") {
        true => Ok(raw[end + 4..].to_vec()),
        false => Err(String::from_utf8_lossy(&raw).chars().take(300).collect()),
    }
}
