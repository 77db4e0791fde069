//! One poll stays one poll: merging pollsters, corrections, repeated rows and deleted polls.

use super::{Env, exit, stderr};

/// The German federal voting intention question, as a user types it.
fn add_emnid(env: &Env, pollster: &str, union: &str, url: &str) {
    env.ok(&[
        "add",
        "--pollster",
        pollster,
        "--question",
        "de-bundestag",
        "--wording",
        "Sonntagsfrage",
        "--answer",
        &format!("CDU/CSU={union}"),
        "--answer",
        "SPD=15",
        "--start",
        "2021-05-06",
        "--end",
        "2021-05-12",
        "--population",
        "v",
        "--source",
        url,
    ]);
}

#[test]
fn merging_the_old_and_new_name_of_a_firm_refuses_to_make_one_poll_two() {
    let env = Env::new();
    add_emnid(&env, "Emnid", "24", "https://example.org/emnid");
    add_emnid(&env, "Kantar Emnid", "24", "https://example.org/kantar");
    let before = env.snapshot();
    let refused = env.run(&["pollster", "merge", "Emnid", "Kantar Emnid"]);
    let message = stderr(&refused);
    refused.code(exit::CONFLICT);
    assert!(
        message.contains("poll 1 and poll 2 (de-bundestag (v))"),
        "{message}"
    );
    assert!(message.contains("--combine"), "{message}");
    assert_eq!(env.snapshot(), before, "a refused merge changes nothing");
    // An alias cannot do it either: the name is a pollster's, which only a merge folds in.
    env.run(&["pollster", "alias", "Emnid", "Kantar Emnid"])
        .code(exit::CONFLICT);
    assert_eq!(env.snapshot(), before);

    let out = env.ok(&["pollster", "merge", "Emnid", "Kantar Emnid", "--combine"]);
    assert!(out.contains("Combined poll 1 into poll 2"), "{out}");
    let polls = env.json(&["list", "--json"]);
    assert_eq!(polls.as_array().map(Vec::len), Some(1), "{polls}");
    let kept = env.json(&["show", "2", "--json"]);
    assert_eq!(kept["pollster"], "Kantar Emnid");
    let urls: Vec<&str> = kept["sources"]
        .as_array()
        .expect("sources")
        .iter()
        .filter_map(|s| s["url"].as_str())
        .collect();
    assert_eq!(
        urls,
        ["https://example.org/emnid", "https://example.org/kantar"]
    );
    env.run(&["show", "1"]).code(exit::NOT_FOUND);
    // The removed poll's history ends by naming the poll it went into, with its full copy.
    let removed = env.json(&["history", "1", "--json"]);
    let last = &removed[removed.as_array().map_or(0, Vec::len) - 1];
    assert_eq!(last["action"], "delete");
    assert_eq!(last["field"], "combined");
    assert_eq!(last["new_value"], "poll 2");
    assert!(
        last["old_value"]
            .as_str()
            .is_some_and(|copy| copy.contains("https://example.org/emnid"))
    );
    let history = env.json(&["history", "2", "--json"]);
    assert!(
        history
            .as_array()
            .expect("history")
            .iter()
            .any(|c| c["field"] == "combined" && c["new_value"] == "poll 1"),
        "{history}"
    );
    // Adding the same poll again under the old name is refused as any duplicate is.
    env.run(&[
        "add",
        "--pollster",
        "Emnid",
        "--question",
        "de-bundestag",
        "--answer",
        "CDU/CSU=24",
        "--start",
        "2021-05-06",
        "--end",
        "2021-05-12",
        "--population",
        "v",
    ])
    .code(exit::CONFLICT)
    .stderr(predicates::str::contains("stored already as poll 2"));
}

#[test]
fn combining_polls_with_other_numbers_is_refused_with_both_numbers() {
    let env = Env::new();
    add_emnid(&env, "Emnid", "24", "https://example.org/emnid");
    add_emnid(&env, "Kantar Emnid", "25", "https://example.org/kantar");
    let before = env.snapshot();
    let refused = env.run(&["pollster", "merge", "Emnid", "Kantar Emnid", "--combine"]);
    let message = stderr(&refused);
    refused.code(exit::CONFLICT);
    assert!(message.contains("poll 1 and poll 2"), "{message}");
    assert!(message.contains("CDU/CSU=24"), "{message}");
    assert!(message.contains("CDU/CSU=25"), "{message}");
    assert_eq!(env.snapshot(), before);
}
