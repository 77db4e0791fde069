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
