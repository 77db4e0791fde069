//! Recording, reading, correcting and deleting polls.

use super::{Env, GSOMIA, exit};
use assert_cmd::prelude::*;
use predicates::str::contains;

#[test]
fn gsomia_poll_end_to_end() {
    let env = Env::new();
    let added = env.ok(GSOMIA);
    assert_eq!(
        added.trim(),
        "Added poll 1: Gallup Korea, kr-gsomia (a), 2016-11-18"
    );

    let list = env.ok(&["list"]);
    let lines: Vec<&str> = list.lines().collect();
    assert_eq!(lines.len(), 2, "{list}");
    assert!(lines[0].starts_with("ID"));
    for part in ["1", "2016-11-18", "Gallup Korea", "kr-gsomia", "Oppose=59"] {
        assert!(lines[1].contains(part), "{part} missing in {list}");
    }

    let show = env.ok(&["show", "1"]);
    for part in [
        "Poll 1: Gallup Korea",
        "published     2016-11-18",
        "fieldwork     unknown",
        "region        South Korea",
        "Do you support or oppose the GSOMIA",
        "population a, sample -, margin of error -",
        "Oppose     59%",
        "\"South Korea signs controversial intelligence pact with Japan\", Press TV, 2016-11-23",
    ] {
        assert!(show.contains(part), "{part:?} missing in\n{show}");
    }

    let json = env.json(&["show", "1", "--json"]);
    assert_eq!(json["id"], 1);
    assert_eq!(json["pollster"], "Gallup Korea");
    assert_eq!(json["published_on"], "2016-11-18");
    assert!(json["field_start"].is_null());
    assert_eq!(json["results"][0]["question"], "kr-gsomia");
    assert_eq!(json["results"][0]["population"], "a");
    assert!(json["results"][0]["sample_size"].is_null());
    assert_eq!(json["results"][0]["answers"][0]["label"], "Oppose");
    assert_eq!(json["results"][0]["answers"][0]["pct"], 59.0);
    assert_eq!(json["sources"][0]["outlet"], "Press TV");
    assert_eq!(json["sources"][0]["published_on"], "2016-11-23");

    let sources = env.ok(&["source", "list"]);
    assert!(sources.contains("Press TV"), "{sources}");
    assert!(
        sources.contains("South Korea signs controversial intelligence pact"),
        "{sources}"
    );
    let sources = env.json(&["source", "list", "--json"]);
    assert_eq!(sources[0]["polls"], serde_json::json!([1]));

    let list_json = env.json(&["list", "--json"]);
    assert_eq!(list_json.as_array().map(Vec::len), Some(1));
    assert_eq!(list_json[0], json);
}

fn add_three(env: &Env) {
    env.ok(GSOMIA);
    env.ok(&[
        "add",
        "--pollster",
        "Realmeter",
        "--question",
        "kr-gsomia",
        "--answer",
        "Oppose=55",
        "--answer",
        "Support=35",
        "--start",
        "2019-08-20",
        "--end",
        "2019-08-24",
        "--sample",
        "1,004",
        "--population",
        "LV",
    ]);
    env.ok(&[
        "add",
        "--pollster",
        "Gallup Korea",
        "--question",
        "kr-moon",
        "--wording",
        "Moon Jae-in job approval",
        "--answer",
        "Approve=45",
        "--answer",
        "Disapprove=46",
        "--published",
        "2019-09-06",
        "--sample",
        "1000.6",
        "--moe",
        "3.1",
    ]);
}

#[test]
fn list_filters_by_question_pollster_dates_and_population() {
    let env = Env::new();
    add_three(&env);
    let ids = |args: &[&str]| -> Vec<i64> {
        let mut full = vec!["list", "--json"];
        full.extend_from_slice(args);
        env.json(&full)
            .as_array()
            .expect("array")
            .iter()
            .map(|p| p["id"].as_i64().expect("id"))
            .collect()
    };
    assert_eq!(ids(&[]), vec![1, 2, 3]);
    assert_eq!(ids(&["--question", "kr-gsomia"]), vec![1, 2]);
    assert_eq!(ids(&["--pollster", "gallup korea"]), vec![1, 3]);
    // The field midpoint (2019-08-22) is the poll's date.
    assert_eq!(
        ids(&["--since", "2019-08-22", "--until", "2019-08-22"]),
        vec![2]
    );
    assert_eq!(ids(&["--since", "2019-08-23"]), vec![3]);
    assert_eq!(ids(&["--population", "lv"]), vec![2]);
    assert_eq!(
        ids(&[
            "--question",
            "kr-gsomia",
            "--question",
            "kr-moon",
            "--until",
            "2017-01-01"
        ]),
        vec![1]
    );
    let shown = env.json(&["show", "3", "--json"]);
    assert_eq!(shown["results"][0]["sample_size"], 1000.6);
    assert_eq!(shown["results"][0]["margin_of_error"], 3.1);
    env.run(&["list", "--since", "2019-02-30"])
        .code(exit::INVALID)
        .stderr(contains("--since"));
}

#[test]
fn a_second_population_joins_an_existing_poll() {
    let env = Env::new();
    add_three(&env);
    env.ok(&[
        "add",
        "--poll",
        "2",
        "--question",
        "kr-gsomia",
        "--population",
        "a",
        "--answer",
        "Oppose=53",
        "--answer",
        "Support=37",
    ]);
    let poll = env.json(&["show", "2", "--json"]);
    let populations: Vec<&str> = poll["results"]
        .as_array()
        .expect("results")
        .iter()
        .map(|r| r["population"].as_str().expect("population"))
        .collect();
    assert_eq!(populations, vec!["lv", "a"]);
    env.run(&[
        "add",
        "--poll",
        "2",
        "--question",
        "kr-gsomia",
        "--population",
        "lv",
        "--answer",
        "Oppose=1",
    ])
    .code(exit::CONFLICT)
    .stderr(contains("already has question kr-gsomia for population lv"));
    env.run(&[
        "add",
        "--poll",
        "2",
        "--pollster",
        "X",
        "--question",
        "kr-gsomia",
        "--answer",
        "Oppose=1",
    ])
    .code(exit::USAGE);
    env.run(&[
        "add",
        "--poll",
        "99",
        "--question",
        "kr-gsomia",
        "--answer",
        "Oppose=1",
    ])
    .code(exit::NOT_FOUND)
    .stderr(contains("there is no poll 99"));
}

#[test]
fn edits_and_deletes_are_recorded_in_the_history() {
    let env = Env::new();
    add_three(&env);
    let edited = env.ok(&[
        "edit",
        "1",
        "--start",
        "2016-11-15",
        "--end",
        "2016-11-17",
        "--sample",
        "1004",
        "--answer",
        "Oppose=58",
        "--answer",
        "Support=31",
    ]);
    assert!(edited.contains("Edited poll 1"), "{edited}");
    let poll = env.json(&["show", "1", "--json"]);
    assert_eq!(poll["field_start"], "2016-11-15");
    assert_eq!(poll["results"][0]["sample_size"], 1004.0);
    assert_eq!(poll["results"][0]["answers"][0]["pct"], 58.0);
    assert_eq!(poll["results"][0]["answers"][1]["label"], "Support");
    assert_eq!(
        poll["sources"][0]["outlet"], "Press TV",
        "sources survive an edit"
    );

    let history = env.json(&["history", "1", "--json"]);
    let fields: Vec<(&str, Option<&str>, Option<&str>)> = history
        .as_array()
        .expect("changes")
        .iter()
        .map(|c| {
            (
                c["field"].as_str().unwrap(),
                c["old_value"].as_str(),
                c["new_value"].as_str(),
            )
        })
        .collect();
    assert_eq!(
        fields,
        vec![
            ("field_start", None, Some("2016-11-15")),
            ("field_end", None, Some("2016-11-17")),
            ("kr-gsomia/a sample_size", None, Some("1004")),
            (
                "kr-gsomia/a answers",
                Some("Oppose=59"),
                Some("Oppose=58; Support=31")
            ),
        ]
    );

    let unchanged = env.ok(&["edit", "1", "--sample", "1004"]);
    assert!(unchanged.contains("Poll 1 unchanged"), "{unchanged}");
    env.ok(&[
        "edit",
        "1",
        "--remove-answer",
        "support",
        "--clear",
        "sample",
    ]);
    let poll = env.json(&["show", "1", "--json"]);
    assert_eq!(
        poll["results"][0]["answers"].as_array().map(Vec::len),
        Some(1)
    );
    assert!(poll["results"][0]["sample_size"].is_null());

    env.run(&["delete", "2"])
        .code(exit::USAGE)
        .stderr(contains("--yes"));
    let deleted = env.ok(&["delete", "2", "--yes"]);
    assert!(deleted.contains("Deleted poll 2: Realmeter"), "{deleted}");
    env.run(&["show", "2"]).code(exit::NOT_FOUND);
    let history = env.json(&["history", "2", "--json"]);
    assert_eq!(history[0]["action"], "delete");
    let copy: serde_json::Value =
        serde_json::from_str(history[0]["old_value"].as_str().expect("snapshot"))
            .expect("JSON copy");
    assert_eq!(copy["pollster"], "Realmeter");
    assert_eq!(copy["results"][0]["answers"][1]["pct"], 35.0);

    let all = env.ok(&["history"]);
    assert!(all.contains("poll deleted"), "{all}");
    assert!(all.contains("field_start: (none) -> 2016-11-15"), "{all}");
}

#[test]
fn edit_needs_to_know_which_result_set_when_there_are_several() {
    let env = Env::new();
    add_three(&env);
    env.ok(&[
        "add",
        "--poll",
        "3",
        "--question",
        "kr-gsomia",
        "--answer",
        "Oppose=50",
    ]);
    env.run(&["edit", "3", "--answer", "Approve=40"])
        .code(exit::USAGE)
        .stderr(contains("--question kr-moon --population a"));
    env.ok(&[
        "edit",
        "3",
        "--question",
        "kr-moon",
        "--answer",
        "Approve=40",
    ]);
    let poll = env.json(&["show", "3", "--json"]);
    assert_eq!(poll["results"][0]["answers"][0]["pct"], 40.0);
    let before = env.snapshot();
    env.run(&[
        "edit",
        "3",
        "--question",
        "kr-moon",
        "--answer",
        "Approve=60",
    ])
    .code(exit::INVALID)
    .stderr(contains("sum to 106"));
    assert_eq!(env.snapshot(), before);
}

#[test]
fn the_database_path_comes_from_the_option_or_the_environment() {
    let env = Env::new();
    env.cmd()
        .args(GSOMIA)
        .env("POLLTRACK_DB", "env.db")
        .assert()
        .success();
    env.cmd()
        .arg("--db")
        .arg("opt.db")
        .args(GSOMIA)
        .assert()
        .success();
    assert_eq!(env.file_names(), vec!["env.db", "opt.db"]);
    let out = env
        .cmd()
        .args(["list"])
        .env("POLLTRACK_DB", "env.db")
        .assert()
        .success();
    assert!(String::from_utf8_lossy(&out.get_output().stdout).contains("Gallup Korea"));
}

#[test]
fn init_creates_a_database_once() {
    let env = Env::new();
    assert!(env.ok(&["init"]).contains("created"));
    assert!(env.ok(&["init"]).contains("schema up to date"));
    let files: &[&str] = if env.on_postgres() {
        &[]
    } else {
        &["polls.db"]
    };
    assert_eq!(env.file_names(), files);
}
