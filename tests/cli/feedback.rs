//! What polltrack says back: where files went, counts in good English, next steps that reach
//! the same database, a folder made for a new database, completions and the manual page.

use super::{Env, GSOMIA, exit, stderr};

#[test]
fn trend_and_house_effects_say_where_they_wrote() {
    let env = Env::new();
    env.ok(&["demo", "--polls", "60"]);
    let trend = env.run(&["trend", "sim-1", "-o", "t.csv"]).success();
    assert_eq!(stderr(&trend), "Wrote the trend of sim-1 to t.csv\n");
    assert!(env.path().join("t.csv").exists());
    let effects = env
        .run(&["house-effects", "sim-1", "-o", "h.csv"])
        .success();
    assert_eq!(
        stderr(&effects),
        "Wrote the house effects of sim-1 to h.csv\n"
    );
    // To standard output the data is the message.
    let piped = env.run(&["trend", "sim-1", "-o", "-"]).success();
    assert_eq!(stderr(&piped), "");
}

#[test]
fn counts_of_one_are_singular() {
    let env = Env::new();
    std::fs::write(
        env.path().join("one.csv"),
        "pollster,question,answer,pct,published_on\nForsa,q,Yes,40,2024-01-02\n",
    )
    .expect("csv");
    let out = env.ok(&["import", "one.csv", "--wording", "Yes or no?"]);
    assert!(out.contains("added 1 poll (1 answer); 0 already"), "{out}");
    let export = env.run(&["export", "-o", "all.csv"]).success();
    assert_eq!(stderr(&export), "Exported 1 poll (1 row) to all.csv\n");
    let shown = env.ok(&["question", "show", "q"]);
    assert!(shown.contains("1 from 1 pollster,"), "{shown}");
}

#[test]
fn the_demo_names_its_database_in_the_next_steps() {
    let env = Env::new();
    let out = env.ok(&["--db", "my polls.db", "demo", "--polls", "40"]);
    assert!(
        out.contains("`polltrack --db 'my polls.db' trend sim-1 --method kalman`"),
        "{out}"
    );
    let default = env.ok(&["demo", "--polls", "40"]);
    assert!(
        default.contains("Next: `polltrack trend sim-1"),
        "{default}"
    );
}

#[test]
fn init_makes_the_folder_of_a_new_database_and_other_commands_say_how() {
    let env = Env::new();
    let refused = env.run(&["--db", "desk/2024/polls.db", "list"]);
    refused.code(exit::NOT_FOUND);
    let mut add = vec!["--db", "desk/2024/polls.db"];
    add.extend(GSOMIA);
    let refused = env.run(&add).code(exit::NOT_FOUND);
    assert!(
        stderr(&refused).contains("the directory desk/2024 does not exist: create the folder first, or run `polltrack --db PATH init`"),
        "{}",
        stderr(&refused)
    );
    assert!(!env.path().join("desk").exists(), "nothing made on refusal");
    let out = env.ok(&["--db", "desk/2024/polls.db", "init"]);
    assert_eq!(
        out,
        "Created folder desk/2024\nDatabase desk/2024/polls.db created\n"
    );
    env.ok(&add);
}

#[test]
fn completions_and_the_manual_page_cover_every_command() {
    let env = Env::new();
    let bash = env.ok(&["completions", "bash"]);
    assert!(
        bash.contains("complete -F _polltrack"),
        "a bash completion function"
    );
    for command in ["house-effects", "completions", "import"] {
        assert!(bash.contains(command), "{command} completes in bash");
    }
    let fish = env.ok(&["completions", "fish"]);
    assert!(fish.contains("complete -c polltrack") && fish.contains("-l on-conflict"));
    let zsh = env.ok(&["completions", "zsh"]);
    assert!(zsh.starts_with("#compdef polltrack"));
    let man = env.ok(&["man"]);
    assert!(man.contains(".TH polltrack 1") && man.contains("house\\-effects"));
    let import = env.ok(&["man", "import"]);
    assert!(import.contains(".TH polltrack-import 1") && import.contains("on\\-conflict"));
    let source_add = env.ok(&["man", "source", "add"]);
    assert!(
        source_add.contains(".TH polltrack-source-add 1"),
        "{source_add}"
    );
    env.run(&["man", "nosuch"]).code(exit::USAGE);
    env.run(&["completions", "tcsh"]).code(exit::USAGE);
    assert!(!env.path().join("polls.db").exists(), "no database made");
}
