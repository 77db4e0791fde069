//! Pollster names: renames, merges into a name not stored yet, pruning pollsters with no polls,
//! and new names said aloud or refused when they look like a typo of a stored one.

use super::{Env, add_approval as add, exit, stderr};

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
    // A removed pollster's history is still found by its name, and names it.
    let removed = env.json(&["history", "--pollster", "ipsos", "--json"]);
    let actions: Vec<(&str, &str)> = removed
        .as_array()
        .expect("changes")
        .iter()
        .map(|c| (c["action"].as_str().unwrap(), c["name"].as_str().unwrap()))
        .collect();
    assert_eq!(actions, [("alias", "Ipsos"), ("remove", "Ipsos")]);
    env.run(&["history", "--pollster", "Nobody"])
        .code(exit::NOT_FOUND);
}

#[test]
fn a_new_pollster_close_to_a_stored_one_is_refused_until_confirmed() {
    let env = Env::new();
    assert_eq!(
        add(&env, "Emerson College", "2024-03-01", &[]),
        "new pollster \"Emerson College\"\n"
    );
    env.ok(&["pollster", "alias", "Quinnipiac", "Emerson College"]);
    let before = env.snapshot();
    let refused = env.run(&[
        "add",
        "--pollster",
        "Emmerson College",
        "--question",
        "us-approval",
        "--answer",
        "Approve=40",
        "--published",
        "2024-03-02",
    ]);
    assert_eq!(
        stderr(&refused.code(exit::INVALID)),
        "polltrack: pollster \"Emmerson College\" is not stored (did you mean Emerson \
         College?): correct the spelling, or pass --new-pollster if the name is new on purpose\n"
    );
    // Accents and case are not what makes a name new; an alias is offered with its pollster.
    let accents = env.run(&[
        "add",
        "--pollster",
        "Émerson Collège",
        "--question",
        "us-approval",
        "--answer",
        "Approve=40",
        "--published",
        "2024-03-02",
    ]);
    assert!(stderr(&accents.code(exit::INVALID)).contains("did you mean Emerson College?"));
    let alias = env.run(&[
        "add",
        "--pollster",
        "Quinnipac",
        "--question",
        "us-approval",
        "--answer",
        "Approve=40",
        "--published",
        "2024-03-02",
    ]);
    assert!(
        stderr(&alias.code(exit::INVALID))
            .contains("did you mean Quinnipiac (an alias of Emerson College)?")
    );
    assert_eq!(env.snapshot(), before, "nothing is stored");
    // Confirmed: stored, and said aloud.
    assert_eq!(
        add(&env, "Emmerson College", "2024-03-02", &["--new-pollster"]),
        "new pollster \"Emmerson College\"\n"
    );
    // Known names, in any case or through an alias, are said nothing about.
    assert_eq!(add(&env, "emerson college", "2024-03-03", &[]), "");
    assert_eq!(add(&env, "QUINNIPIAC", "2024-03-04", &[]), "");
    // Far from every stored name: new, stored, said aloud.
    assert_eq!(
        add(&env, "Ipsos", "2024-03-05", &[]),
        "new pollster \"Ipsos\"\n"
    );
    // An edit to a misspelt pollster is refused the same way.
    let edit = env.run(&["edit", "1", "--pollster", "Ipsoss"]);
    assert!(stderr(&edit.code(exit::INVALID)).contains("did you mean Ipsos?"));
    let edited = env.run(&["edit", "1", "--pollster", "Ipsos Public Affairs"]);
    assert!(stderr(&edited.success()).contains("new pollster \"Ipsos Public Affairs\""));
}

#[test]
fn a_new_answer_close_to_one_of_the_questions_is_refused_until_confirmed() {
    let env = Env::new();
    add(&env, "Emerson College", "2024-03-01", &[]);
    let typo = [
        "add",
        "--pollster",
        "Emerson College",
        "--question",
        "us-approval",
        "--answer",
        "Aprove=39",
        "--answer",
        "Disapprove=50",
        "--published",
        "2024-03-08",
    ];
    let refused = env.run(&typo);
    assert_eq!(
        stderr(&refused.code(exit::INVALID)),
        "polltrack: answer \"Aprove\" is new to question us-approval (did you mean Approve?): \
         correct the spelling, or pass --new-answer if the name is new on purpose\n"
    );
    // Both at once: every problem, and both flags.
    let both = env.run(&[
        "add",
        "--pollster",
        "Emerson Colege",
        "--question",
        "us-approval",
        "--answer",
        "Aprove=39",
        "--published",
        "2024-03-08",
    ]);
    let both = stderr(&both.code(exit::INVALID));
    assert!(
        both.contains("pollster \"Emerson Colege\" is not stored (did you mean Emerson College?)")
            && both.contains("answer \"Aprove\" is new")
            && both.contains("pass --new-pollster and --new-answer"),
        "{both}"
    );
    // Another answer, not close: stored and said aloud; `Unfavorable` beside `Favorable`
    // is no typo either.
    let mut unsure = typo.to_vec();
    unsure[6] = "Unsure=11";
    assert_eq!(
        stderr(&env.run(&unsure).success()),
        "new answer \"Unsure\" for question us-approval\n"
    );
    let mut confirmed = typo.to_vec();
    confirmed[10] = "2024-03-09";
    confirmed.push("--new-answer");
    assert_eq!(
        stderr(&env.run(&confirmed).success()),
        "new answer \"Aprove\" for question us-approval\n"
    );
    // `add --poll` and `edit --answer` check their answers too.
    let more = env.run(&[
        "add",
        "--poll",
        "1",
        "--question",
        "us-approval",
        "--population",
        "lv",
        "--answer",
        "Dissaprove=50",
    ]);
    assert!(stderr(&more.code(exit::INVALID)).contains("did you mean Disapprove?"));
    let edit = env.run(&["edit", "1", "--answer", "Unsur=5"]);
    assert!(stderr(&edit.code(exit::INVALID)).contains("did you mean Unsure?"));
    // A new question's answers are all new: nothing to compare with, nothing said.
    let fresh = env.run(&[
        "add",
        "--pollster",
        "Emerson College",
        "--question",
        "us-right-track",
        "--wording",
        "Right direction?",
        "--answer",
        "Right direction=30",
        "--answer",
        "Wrong track=60",
        "--published",
        "2024-03-01",
    ]);
    assert_eq!(stderr(&fresh.success()), "");
}

#[test]
fn an_import_warns_of_new_answers_close_to_the_questions_with_their_lines() {
    let env = Env::new();
    let write = |name: &str, text: &str| {
        std::fs::write(env.path().join(name), text).expect("csv");
    };
    write(
        "first.csv",
        "pollster,question,question_wording,answer,pct,published_on\n\
         Forsa,q,Approve?,Approve,40,2024-01-02\nForsa,q,Approve?,Disapprove,50,2024-01-02\n",
    );
    write(
        "second.csv",
        "pollster,question,answer,pct,published_on\n\
         Forsa,q,Aprove,41,2024-01-09\nForsa,q,Disapprove,49,2024-01-09\n\
         Forsa,q,Approve,42,2024-01-16\nForsa,q,Undecided,8,2024-01-16\n\
         Forsa,q,Undecidd,7,2024-01-23\n",
    );
    env.ok(&["import", "first.csv"]);
    let assert = env.run(&["import", "second.csv"]).success();
    let warnings: Vec<String> = stderr(&assert)
        .lines()
        .filter(|l| l.contains("new answer"))
        .map(str::to_string)
        .collect();
    // Stored, as a file is usually right; a label new to the question and close to none
    // (Undecided) is no typo, but one close to it later in the same file is.
    assert_eq!(
        warnings,
        [
            "warning: second.csv:2: new answer \"Aprove\" for question q is close to its Approve: a typo?",
            "warning: second.csv:6: new answer \"Undecidd\" for question q is close to its Undecided: a typo?",
        ]
    );
    assert_eq!(env.ok(&["list"]).lines().count(), 1 + 4);
}
