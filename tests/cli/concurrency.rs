//! Many writers at once: every `polltrack add` succeeds, none sees "database is locked".

use super::Env;
use std::thread;

#[test]
fn eight_processes_adding_twenty_five_polls_each_give_two_hundred() {
    let env = Env::new();
    thread::scope(|scope| {
        for writer in 0..8 {
            let env = &env;
            scope.spawn(move || {
                for i in 0..25 {
                    let pollster = format!("Pollster {writer}");
                    let day = format!("2024-01-{:02}", i + 1);
                    let output = env
                        .cmd()
                        .args([
                            "add",
                            "--pollster",
                            &pollster,
                            "--question",
                            "q",
                            "--wording",
                            "A question",
                        ])
                        .args([
                            "--answer",
                            "Yes=40",
                            "--answer",
                            "No=55",
                            "--published",
                            &day,
                        ])
                        .output()
                        .expect("run polltrack");
                    assert!(
                        output.status.success(),
                        "writer {writer} poll {i}: {}",
                        String::from_utf8_lossy(&output.stderr)
                    );
                }
            });
        }
    });
    let polls = env.json(&["list", "--json"]);
    let polls = polls.as_array().expect("array");
    assert_eq!(polls.len(), 200);
    let mut ids: Vec<i64> = polls
        .iter()
        .map(|p| p["id"].as_i64().expect("id"))
        .collect();
    ids.sort();
    assert_eq!(ids, (1..=200).collect::<Vec<i64>>());
    assert_eq!(
        env.json(&["pollster", "list", "--json"])
            .as_array()
            .map(Vec::len),
        Some(8)
    );
}

/// Trends read while polls by new pollsters are committed: each read sees one state, and never
/// a poll whose pollster it has not read ("poll N has no pollster").
#[test]
fn trends_read_beside_polls_by_new_pollsters_never_fail() {
    let env = Env::new();
    env.ok(&["simulate", "--polls", "300", "-o", "sim.csv"]);
    env.ok(&["import", "sim.csv"]);
    thread::scope(|scope| {
        let env = &env;
        scope.spawn(move || {
            for i in 0..30 {
                let pollster = format!("New Pollster {i}");
                let day = format!("2025-06-{:02}", i + 1);
                env.ok(&[
                    "add",
                    "--pollster",
                    &pollster,
                    "--question",
                    "sim-1",
                    "--answer",
                    "Candidate A=40",
                    "--answer",
                    "Candidate B=41",
                    "--published",
                    &day,
                ]);
            }
        });
        for _ in 0..30 {
            let out = env.ok(&["trend", "sim-1"]);
            assert!(out.lines().count() > 1, "{out}");
        }
    });
}

/// Two imports of overlapping files (polls 1-200 and 101-300 of one simulated series) at once,
/// beside eight processes adding polls: each poll stored once, every id once.
#[test]
fn two_overlapping_imports_beside_eight_writers_store_each_poll_once() {
    let env = Env::new();
    env.ok(&["simulate", "--polls", "300", "-o", "sim.csv"]);
    let sim = std::fs::read_to_string(env.path().join("sim.csv")).expect("read sim.csv");
    let mut lines = sim.lines();
    let header = lines.next().expect("a header");
    let rows: Vec<(i64, &str)> = lines
        .map(|line| {
            let id = line.split(',').next().and_then(|id| id.parse().ok());
            (id.expect("a poll id"), line)
        })
        .collect();
    for (name, ids) in [("first.csv", 1..=200), ("second.csv", 101..=300)] {
        let mut file = format!("{header}\n");
        for (_, line) in rows.iter().filter(|(id, _)| ids.contains(id)) {
            file.push_str(line);
            file.push('\n');
        }
        std::fs::write(env.path().join(name), file).expect("write a file");
    }
    thread::scope(|scope| {
        let env = &env;
        for file in ["first.csv", "second.csv"] {
            scope.spawn(move || env.ok(&["import", file]));
        }
        for writer in 0..8 {
            scope.spawn(move || {
                for i in 0..25 {
                    let pollster = format!("Writer {writer}");
                    let day = format!("2024-02-{:02}", i + 1);
                    env.ok(&[
                        "add",
                        "--pollster",
                        &pollster,
                        "--question",
                        "q",
                        "--wording",
                        "A question",
                        "--answer",
                        "Yes=40",
                        "--published",
                        &day,
                    ]);
                }
            });
        }
    });
    let polls = env.json(&["list", "--json"]);
    let polls = polls.as_array().expect("array");
    let of = |question: &str| {
        polls
            .iter()
            .filter(|p| p["results"][0]["question"] == question)
            .count()
    };
    assert_eq!((of("sim-1"), of("q")), (300, 200));
    let mut ids: Vec<i64> = polls
        .iter()
        .map(|p| p["id"].as_i64().expect("id"))
        .collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), 500);
}

/// An import killed halfway (the process gone, as by a crash or `kill -9`) leaves the database
/// as it was: its one transaction never committed.
#[test]
fn an_import_killed_halfway_leaves_nothing() {
    let env = Env::new();
    super::add_approval(&env, "Gallup", "2024-05-01", &[]);
    // What is stored, not the file's bytes: a killed SQLite process leaves its log beside.
    let before = env.ok(&["dump", "-o", "-"]);
    env.ok(&["simulate", "--polls", "60000", "-o", "big.csv"]);
    let mut import = env
        .cmd()
        .args(["import", "big.csv"])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("start the import");
    thread::sleep(std::time::Duration::from_millis(1500));
    assert!(
        import.try_wait().expect("the import's state").is_none(),
        "the import ended before it could be killed: give it a larger file"
    );
    import.kill().expect("kill the import");
    import.wait().expect("the killed import");
    let after = env.ok(&["dump", "-o", "-"]);
    assert!(
        after == before,
        "the killed import left something: {} records, {} before",
        after.lines().count(),
        before.lines().count()
    );
}
