//! The history of every change, with reasons; restoring deleted polls; undoing a poll's last
//! change.

use super::{Env, GSOMIA, exit, stderr};
use predicates::str::contains;

/// The history table without its first column (the time of each change), its cells joined
/// by ` | `.
fn history(env: &Env, args: &[&str]) -> Vec<String> {
    let mut all = vec!["history"];
    all.extend_from_slice(args);
    env.ok(&all)
        .lines()
        .skip(1)
        .map(|line| {
            let cells: Vec<&str> = line[21..]
                .split("  ")
                .map(str::trim)
                .filter(|c| !c.is_empty())
                .collect();
            cells.join(" | ")
        })
        .collect()
}

/// A second poll: Realmeter's of 2019, poll 2 after GSOMIA.
const REALMETER: &[&str] = &[
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
    "1004",
    "--population",
    "lv",
    "--sponsor",
    "YTN",
    "--source",
    "https://example.org/realmeter",
];

#[test]
fn every_change_is_in_the_history_with_its_reason() {
    let env = Env::new();
    env.ok(GSOMIA);
    env.ok(REALMETER);
    env.ok(&[
        "edit",
        "2",
        "--sample",
        "1005",
        "--reason",
        "pollster corrected its release",
    ]);
    #[rustfmt::skip]
    env.ok(&["question", "rename", "kr-gsomia", "kr-gsomia", "--wording", "Support GSOMIA?", "--reason", "shorter"]);
    env.ok(&["question", "kind", "kr-gsomia", "issue"]);
    env.ok(&[
        "question",
        "color",
        "kr-gsomia",
        "Oppose=#E3000F",
        "--reason",
        "house style",
    ]);
    env.ok(&[
        "pollster",
        "alias",
        "RM",
        "Realmeter",
        "--reason",
        "spelling in Yonhap",
    ]);
    env.ok(&[
        "source",
        "link",
        "https://example.org/realmeter",
        "1",
        "--reason",
        "reports both",
    ]);
    env.ok(&[
        "delete",
        "1",
        "--yes",
        "--reason",
        "a duplicate of an article",
    ]);

    assert_eq!(
        history(&env, &[]),
        vec![
            // The sources the two polls brought, with what they held.
            "source 1 | add | title: (none) -> South Korea signs controversial intelligence pact with Japan",
            "source 1 | add | outlet: (none) -> Press TV",
            "source 1 | add | published_on: (none) -> 2016-11-23",
            "source 1 | add | polls: (none) -> 1",
            "source 2 | add | url: (none) -> https://example.org/realmeter",
            "source 2 | add | polls: (none) -> 2",
            "poll 2 | edit | kr-gsomia/lv sample_size: 1004 -> 1005 | pollster corrected its release",
            "question kr-gsomia | rename | wording: Do you support or oppose the GSOMIA military intelligence-sharing agreement with Japan? -> Support GSOMIA? | shorter",
            "question kr-gsomia | kind | kind: (none) -> issue",
            "question kr-gsomia | color | colour Oppose: (none) -> #E3000F | house style",
            "pollster Realmeter | alias | alias: (none) -> RM | spelling in Yonhap",
            "source 2 | link | polls: 2 -> 1, 2 | reports both",
            "poll 1 | delete | poll deleted (full copy: history --json) | a duplicate of an article",
        ]
    );
    assert_eq!(
        history(&env, &["--question", "kr-gsomia"]).len(),
        3,
        "the question's own changes"
    );
    assert_eq!(
        history(&env, &["--pollster", "rm"]),
        vec!["pollster Realmeter | alias | alias: (none) -> RM | spelling in Yonhap"]
    );
    let source = env.json(&[
        "history",
        "--source",
        "https://example.org/realmeter",
        "--json",
    ]);
    assert_eq!(source.as_array().map(Vec::len), Some(3));
    let link = &source[2];
    assert_eq!(link["subject"], "source");
    assert_eq!(link["subject_id"], 2);
    assert_eq!(link["poll_id"], serde_json::Value::Null);
    assert_eq!(link["name"], "https://example.org/realmeter");
    assert_eq!(link["action"], "link");
    assert_eq!(link["old_value"], "2");
    assert_eq!(link["new_value"], "1, 2");
    assert_eq!(link["reason"], "reports both");
    assert_eq!(
        source[0]["change_set"], source[1]["change_set"],
        "one addition"
    );
    let poll = env.json(&["history", "2", "--json"]);
    assert_eq!(poll[0]["poll_id"], 2);
    assert_eq!(poll[0]["reason"], "pollster corrected its release");

    env.run(&["history", "--pollster", "Nobody"])
        .code(exit::NOT_FOUND)
        .stderr(contains("there is no pollster \"Nobody\""));
    env.run(&["history", "1", "--question", "kr-gsomia"])
        .code(exit::USAGE);
}

#[test]
fn a_reason_is_refused_where_nothing_changes_and_when_empty() {
    let env = Env::new();
    env.ok(GSOMIA);
    let before = env.snapshot();
    env.run(&["list", "--reason", "why not"])
        .code(exit::USAGE)
        .stderr(contains(
            "--reason is kept with a change, and this command changes nothing",
        ));
    env.run(&["edit", "1", "--region", "Korea", "--reason", " "])
        .code(exit::USAGE)
        .stderr(contains("--reason is empty"));
    assert!(env.snapshot() == before, "nothing changed");
}

#[test]
fn restore_brings_a_deleted_poll_back_as_it_was() {
    let env = Env::new();
    env.ok(GSOMIA);
    env.ok(REALMETER);
    let stored = env.json(&["show", "2", "--json"]);
    env.ok(&["delete", "2", "--yes"]);
    assert_eq!(
        env.ok(&["restore", "2", "--reason", "deleted by mistake"])
            .trim(),
        "Restored poll 2: Realmeter, kr-gsomia (lv), 2019-08-22"
    );
    assert_eq!(
        env.json(&["show", "2", "--json"]),
        stored,
        "the same in every field"
    );
    let source = env.json(&["source", "show", "https://example.org/realmeter", "--json"]);
    assert_eq!(source["polls"], serde_json::json!([2]));
    assert_eq!(
        history(&env, &["2"]),
        vec![
            "poll 2 | delete | poll deleted (full copy: history --json)",
            "poll 2 | restore | poll restored as it was deleted | deleted by mistake",
        ]
    );

    // A poll that is stored, an id never used: refused, nothing changed.
    let before = env.snapshot();
    env.run(&["restore", "2"])
        .code(exit::CONFLICT)
        .stderr(contains(
            "poll 2 is stored: only a deleted poll can be restored",
        ));
    env.run(&["restore", "7"])
        .code(exit::NOT_FOUND)
        .stderr(contains("there is no deleted poll 7"));
    assert!(env.snapshot() == before);

    // The same poll recorded again since: restoring would count it twice.
    env.ok(&["delete", "2", "--yes"]);
    env.ok(REALMETER);
    let before = env.snapshot();
    let refused = env.run(&["restore", "2"]).code(exit::CONFLICT);
    assert!(
        stderr(&refused).contains(
            "poll 2 cannot be restored: poll 3, stored since, is the same poll (same pollster, \
             dates, question and population); nothing was changed"
        ),
        "{}",
        stderr(&refused)
    );
    assert!(env.snapshot() == before);
}

#[test]
fn undo_takes_back_the_last_change_of_a_poll_and_is_undone_in_turn() {
    let env = Env::new();
    env.ok(GSOMIA);
    env.ok(REALMETER);
    let original = env.json(&["show", "2", "--json"]);
    env.ok(&["edit", "2", "--sample", "1005", "--answer", "Support=36"]);
    let edited = env.json(&["show", "2", "--json"]);
    assert_eq!(
        env.ok(&["undo", "2", "--reason", "the release was right"]),
        "Undid the last edit of poll 2 (change 7)\n  \
         kr-gsomia/lv sample_size: 1005 -> 1004\n  \
         kr-gsomia/lv answers: Oppose=55; Support=36 -> Oppose=55; Support=35\n"
    );
    let mut undone = env.json(&["show", "2", "--json"]);
    let mut expected = original.clone();
    // Only the time of the last change differs.
    undone["updated_at"] = serde_json::Value::Null;
    expected["updated_at"] = serde_json::Value::Null;
    assert_eq!(undone, expected);

    // Undoing the undo makes the edit again.
    assert!(
        env.ok(&["undo", "2"])
            .starts_with("Undid the last undo of poll 2 (change 9)")
    );
    let mut redone = env.json(&["show", "2", "--json"]);
    let mut edited = edited;
    redone["updated_at"] = serde_json::Value::Null;
    edited["updated_at"] = serde_json::Value::Null;
    assert_eq!(redone, edited);

    // A delete is restored, and the restore deleted again.
    env.ok(&["delete", "2", "--yes"]);
    assert_eq!(
        env.ok(&["undo", "2"]).trim(),
        "Undid the deletion of poll 2 (change 13): restored as it was"
    );
    assert_eq!(
        env.json(&["show", "2", "--json"])["results"][0]["sample_size"],
        1005.0
    );
    assert_eq!(
        env.ok(&["undo", "2"]).trim(),
        "Undid the restore of poll 2 (change 14): deleted again"
    );
    env.run(&["show", "2"]).code(exit::NOT_FOUND);

    // A poll only added: undoing its addition deletes it, restorably.
    assert_eq!(
        env.ok(&["undo", "1"]).trim(),
        "Undid the addition of poll 1: deleted (a full copy is kept)"
    );
    env.run(&["show", "1"]).code(exit::NOT_FOUND);
    env.ok(&["restore", "1"]);
    assert_eq!(
        history(&env, &["2"])
            .iter()
            .map(|l| l.split(" | ").nth(1).unwrap_or("").to_string())
            .collect::<Vec<_>>(),
        vec![
            "edit", "edit", "undo", "undo", "undo", "undo", "delete", "restore", "delete"
        ]
    );
    env.run(&["undo", "9"])
        .code(exit::NOT_FOUND)
        .stderr(contains("there is no poll 9"));
}

#[test]
fn a_change_recorded_without_the_poll_before_it_is_not_undone() {
    let env = Env::new();
    env.ok(GSOMIA);
    env.ok(REALMETER);
    env.ok(&["pollster", "merge", "Realmeter", "Gallup Korea"]);
    let before = env.snapshot();
    env.run(&["undo", "2"])
        .code(exit::CONFLICT)
        .stderr(contains(
            "the last change of poll 2 (edit, change 7) was recorded without the poll as it was \
         before, so it cannot be undone",
        ));
    assert!(env.snapshot() == before);
}

#[test]
fn an_import_correcting_a_poll_keeps_its_reason_and_is_undone() {
    let env = Env::new();
    let original = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/long.csv"),
    )
    .expect("fixture");
    std::fs::write(env.path().join("first.csv"), &original).expect("write");
    let corrected = original.replacen(",Oppose,59,", ",Oppose,58,", 1);
    assert_ne!(corrected, original);
    std::fs::write(env.path().join("corrected.csv"), corrected).expect("write");
    env.ok(&["import", "first.csv", "--reason", "first load"]);
    env.ok(&[
        "import",
        "corrected.csv",
        "--on-conflict",
        "replace",
        "--reason",
        "Gallup corrected its release",
    ]);
    assert_eq!(
        history(&env, &[]),
        vec![
            "poll 1 | edit | kr-gsomia/a answers: Oppose=59 -> Oppose=58 | Gallup corrected its release"
        ]
    );
    env.ok(&["undo", "1"]);
    assert_eq!(
        env.json(&["show", "1", "--json"])["results"][0]["answers"][0]["pct"],
        59.0
    );
}

#[test]
fn a_poll_recorded_with_a_stored_source_is_a_link_in_the_sources_history() {
    let env = Env::new();
    let add = |date: &str, extra: &[&str]| {
        let mut args = vec![
            "add",
            "--pollster",
            "Realmeter",
            "--question",
            "kr-moon",
            "--wording",
            "Moon?",
            "--answer",
            "Approve=45",
            "--published",
            date,
            "--source",
            "https://example.org/a",
        ];
        args.extend_from_slice(extra);
        env.ok(&args);
    };
    add("2019-09-01", &[]);
    add("2019-09-08", &["--reason", "second week"]);
    // A result set added to poll 2 with the source it already has links nothing new.
    env.ok(&[
        "add",
        "--poll",
        "2",
        "--question",
        "kr-moon",
        "--population",
        "lv",
        "--answer",
        "Approve=44",
        "--source",
        "https://example.org/a",
    ]);
    assert_eq!(
        history(&env, &["--source", "1"]),
        [
            "source 1 | add | url: (none) -> https://example.org/a",
            "source 1 | add | polls: (none) -> 1",
            "source 1 | link | polls: 1 -> 1, 2 | second week",
        ]
    );
}
