//! Pollster names: renames, merges into a name not stored yet, pruning pollsters with no polls,
//! and new names said aloud or refused when they look like a typo of a stored one.

use super::{Env, exit, stderr};

fn add(env: &Env, pollster: &str, date: &str, extra: &[&str]) -> String {
    let mut args = vec![
        "add",
        "--pollster",
        pollster,
        "--question",
        "us-approval",
        "--wording",
        "Presidential job approval",
        "--answer",
        "Approve=41",
        "--answer",
        "Disapprove=52",
        "--published",
        date,
    ];
    args.extend_from_slice(extra);
    stderr(&env.run(&args).success())
}

/// Each pollster as `name (polls) [aliases]`.
fn pollsters(env: &Env) -> Vec<String> {
    let list = env.json(&["pollster", "list", "--json"]);
    list.as_array()
        .expect("a list")
        .iter()
        .map(|p| {
            let aliases: Vec<&str> = p["aliases"]
                .as_array()
                .expect("aliases")
                .iter()
                .map(|a| a.as_str().expect("alias"))
                .collect();
            format!(
                "{} ({}) [{}]",
                p["name"].as_str().expect("name"),
                p["polls"],
                aliases.join(", ")
            )
        })
        .collect()
}

#[test]
fn merge_into_a_name_not_stored_yet_is_a_rename() {
    let env = Env::new();
    add(&env, "Quinnipac University", "2024-03-01", &[]);
    add(&env, "Quinnipac University", "2024-03-08", &[]);
    let out = env.ok(&[
        "pollster",
        "merge",
        "Quinnipac University",
        "Quinnipiac University",
    ]);
    assert_eq!(
        out,
        "There was no pollster \"Quinnipiac University\": renamed Quinnipac University to it \
         (2 polls); \"Quinnipac University\" is now an alias\n"
    );
    assert_eq!(
        pollsters(&env),
        vec!["Quinnipiac University (2) [Quinnipac University]"]
    );
    // Later input of the old spelling still finds it.
    add(&env, "quinnipac university", "2024-03-15", &[]);
    assert_eq!(
        pollsters(&env),
        vec!["Quinnipiac University (3) [Quinnipac University]"]
    );
}

#[test]
fn rename_chooses_the_name_shown_and_keeps_the_old_one_as_an_alias() {
    let env = Env::new();
    add(&env, "갤럽", "2024-03-01", &[]);
    assert_eq!(
        env.ok(&["pollster", "rename", "갤럽", "Gallup Korea"]),
        "Renamed 갤럽 to Gallup Korea; \"갤럽\" is now an alias\n"
    );
    assert_eq!(pollsters(&env), vec!["Gallup Korea (1) [갤럽]"]);
    let shown = env.json(&["show", "1", "--json"]);
    assert_eq!(shown["pollster"], "Gallup Korea");
    // An alias chosen as the name: the two swap.
    env.ok(&["pollster", "alias", "한국갤럽", "Gallup Korea"]);
    env.ok(&["pollster", "rename", "Gallup Korea", "한국갤럽"]);
    assert_eq!(pollsters(&env), vec!["한국갤럽 (1) [Gallup Korea, 갤럽]"]);
    // Without the old name: a misspelling that should never match again.
    add(&env, "Realmeterr", "2024-03-02", &[]);
    assert_eq!(
        env.ok(&[
            "pollster",
            "rename",
            "Realmeterr",
            "Realmeter",
            "--drop-old-name"
        ]),
        "Renamed Realmeterr to Realmeter\n"
    );
    assert!(pollsters(&env).contains(&"Realmeter (1) []".to_string()));
    env.run(&["list", "--pollster", "Realmeterr"])
        .code(exit::NOT_FOUND);

    let before = env.snapshot();
    let clash = env.run(&["pollster", "rename", "Realmeter", "gallup korea"]);
    let message = stderr(&clash.code(exit::CONFLICT));
    assert!(
        message.contains("\"gallup korea\" already stands for the pollster 한국갤럽")
            && message.contains("polltrack pollster merge \"Realmeter\" \"한국갤럽\""),
        "{message}"
    );
    env.run(&["pollster", "rename", "Realmeter", "Realmeter"])
        .code(exit::USAGE);
    env.run(&["pollster", "rename", "Nobody", "Somebody"])
        .code(exit::NOT_FOUND);
    env.run(&["pollster", "rename", "Realmeter", "NA"])
        .code(exit::INVALID);
    assert_eq!(env.snapshot(), before, "a refused rename changes nothing");
}

#[test]
fn prune_removes_pollsters_left_with_no_polls() {
    let env = Env::new();
    add(&env, "Ipsos", "2024-03-01", &[]);
    add(&env, "Realmeter", "2024-03-02", &[]);
    add(&env, "Gallup Korea", "2024-03-03", &[]);
    env.ok(&["pollster", "alias", "Ipsos SA", "Ipsos"]);
    assert_eq!(
        env.ok(&["pollster", "prune"]),
        "Every pollster has polls: none removed\n"
    );
    env.ok(&["delete", "1", "--yes"]);
    // Moved away by an edit: left with none too.
    env.ok(&["edit", "2", "--pollster", "Gallup Korea"]);
    assert_eq!(
        env.ok(&["pollster", "prune"]),
        "Removed 2 pollsters with no polls: Ipsos, Realmeter\n"
    );
    assert_eq!(pollsters(&env), vec!["Gallup Korea (2) []"]);
    // The deleted poll's history keeps its pollster's name.
    let history = env.json(&["history", "1", "--json"]);
    assert!(
        history[0]["old_value"]
            .as_str()
            .expect("copy")
            .contains("\"pollster\":\"Ipsos\"")
    );
}
