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
