//! Pollsters and their aliases, questions, and sources.

use super::{Env, GSOMIA, add_approval as add_with, exit};
use predicates::str::contains;

fn add(env: &Env, pollster: &str, date: &str) {
    add_with(env, pollster, date, &[]);
}

#[test]
fn aliases_apply_wherever_a_name_comes_in() {
    let env = Env::new();
    add(&env, "YouGov", "2024-03-01");
    assert!(
        env.ok(&["pollster", "alias", "Yougov Plc", "yougov"])
            .contains("now stands for YouGov")
    );
    add(&env, "YOUGOV PLC", "2024-03-08");
    let pollsters = env.json(&["pollster", "list", "--json"]);
    assert_eq!(pollsters[0]["name"], "YouGov");
    assert_eq!(pollsters[0]["aliases"], serde_json::json!(["Yougov Plc"]));
    assert_eq!(pollsters[0]["polls"], 2);
    assert_eq!(
        env.json(&["list", "--json", "--pollster", "yougov plc"])
            .as_array()
            .map(Vec::len),
        Some(2)
    );
    env.run(&["pollster", "alias", "yougov plc", "YouGov"])
        .code(exit::CONFLICT);
    // Case folding works beyond ASCII, and an alias in `edit` is no change.
    add(&env, "ÉLAN", "2024-03-09");
    add(&env, "élan", "2024-03-10");
    assert_eq!(
        env.json(&["pollster", "list", "--json"])
            .as_array()
            .map(Vec::len),
        Some(2)
    );
    assert!(
        env.ok(&["edit", "1", "--pollster", "yougov plc"])
            .contains("Poll 1 unchanged")
    );
}

#[test]
fn merge_moves_every_poll_and_keeps_the_old_name_as_an_alias() {
    let env = Env::new();
    add(&env, "YouGov", "2024-03-01");
    // The second spelling is close to the first: confirmed as new, as a user would.
    add_with(&env, "You Gov", "2024-03-08", &["--new-pollster"]);
    add(&env, "You Gov", "2024-03-15");
    env.run(&["pollster", "alias", "You Gov", "YouGov"])
        .code(exit::CONFLICT)
        .stderr(contains("polltrack pollster merge \"You Gov\" \"YouGov\""));
    assert!(
        env.ok(&["pollster", "merge", "you gov", "YouGov"])
            .contains("Moved 2 polls")
    );
    let pollsters = env.json(&["pollster", "list", "--json"]);
    assert_eq!(pollsters.as_array().map(Vec::len), Some(1));
    assert_eq!(pollsters[0]["polls"], 3);
    assert_eq!(pollsters[0]["aliases"], serde_json::json!(["You Gov"]));
    assert_eq!(pollsters[0]["first_date"], "2024-03-01");
    assert_eq!(pollsters[0]["last_date"], "2024-03-15");
    let history = env.json(&["history", "3", "--json"]);
    assert_eq!(history[0]["field"], "pollster");
    assert_eq!(history[0]["old_value"], "You Gov");
    assert_eq!(history[0]["new_value"], "YouGov");
    assert_eq!(env.json(&["show", "2", "--json"])["pollster"], "YouGov");
    add(&env, "you gov", "2024-03-22");
    assert_eq!(env.json(&["pollster", "list", "--json"])[0]["polls"], 4);
}

#[test]
fn questions_list_show_and_rename() {
    let env = Env::new();
    env.ok(GSOMIA);
    add(&env, "YouGov", "2024-03-01");
    let questions = env.json(&["question", "list", "--json"]);
    assert_eq!(questions[0]["slug"], "kr-gsomia");
    assert_eq!(questions[0]["polls"], 1);
    assert_eq!(questions[1]["slug"], "us-approval");
    let shown = env.ok(&["question", "show", "us-approval"]);
    assert!(shown.contains("Presidential job approval"), "{shown}");
    assert!(shown.contains("Approve (1), Disapprove (1)"), "{shown}");
    env.ok(&[
        "question",
        "rename",
        "us-approval",
        "us-president-approval",
        "--topic",
        "approval",
    ]);
    let detail = env.json(&["question", "show", "us-president-approval", "--json"]);
    assert_eq!(detail["topic"], "approval");
    assert_eq!(detail["wording"], "Presidential job approval");
    assert_eq!(
        env.json(&["show", "2", "--json"])["results"][0]["question"],
        "us-president-approval"
    );
    env.run(&["question", "rename", "us-president-approval", "kr-gsomia"])
        .code(exit::CONFLICT);
    env.run(&["question", "show", "us-approval"])
        .code(exit::NOT_FOUND);
    env.ok(&[
        "question",
        "rename",
        "kr-gsomia",
        "kr-gsomia",
        "--wording",
        "GSOMIA with Japan",
    ]);
    assert_eq!(
        env.json(&["question", "show", "kr-gsomia", "--json"])["wording"],
        "GSOMIA with Japan"
    );
}

#[test]
fn sources_add_link_show_and_list() {
    let env = Env::new();
    env.ok(GSOMIA);
    add(&env, "YouGov", "2024-03-01");
    let url = "https://example.org/polls/weekly";
    assert!(
        env.ok(&[
            "source",
            "add",
            url,
            "--title",
            "Weekly round-up",
            "--poll",
            "1"
        ])
        .contains("Source 2 recorded, linked to poll 1")
    );
    // The same URL again completes the stored source rather than adding another.
    env.ok(&[
        "source",
        "add",
        url,
        "--outlet",
        "Example News",
        "--published",
        "2024-03-02",
    ]);
    assert!(
        env.ok(&["source", "link", url, "2"])
            .contains("Source 2, linked to poll 2")
    );
    let shown = env.json(&["source", "show", url, "--json"]);
    assert_eq!(shown["id"], 2);
    assert_eq!(shown["title"], "Weekly round-up");
    assert_eq!(shown["outlet"], "Example News");
    assert_eq!(shown["polls"], serde_json::json!([1, 2]));
    assert_eq!(env.json(&["source", "show", "2", "--json"]), shown);
    let of_poll_two = env.json(&["source", "list", "--poll", "2", "--json"]);
    assert_eq!(of_poll_two.as_array().map(Vec::len), Some(1));
    assert_eq!(
        env.json(&["source", "list", "--json"])
            .as_array()
            .map(Vec::len),
        Some(2)
    );
    let poll = env.json(&["show", "1", "--json"]);
    assert_eq!(poll["sources"].as_array().map(Vec::len), Some(2));
    env.run(&["source", "add", "--outlet", "Nobody"])
        .code(exit::USAGE);
}
