//! Bad input: a clear message naming what to fix, the right exit status, and the database
//! exactly as it was.

use super::{Env, GSOMIA, exit, stderr};
use assert_cmd::prelude::*;

/// `add` arguments for a poll that would be valid, with `extra` appended.
fn add_with<'a>(extra: &[&'a str]) -> Vec<&'a str> {
    let mut args = vec![
        "add",
        "--pollster",
        "Realmeter",
        "--question",
        "kr-gsomia",
        "--published",
        "2019-08-26",
    ];
    args.extend_from_slice(extra);
    args
}

#[test]
fn every_invalid_poll_is_refused_and_changes_nothing() {
    let env = Env::new();
    env.ok(GSOMIA);
    let cases: Vec<(Vec<&str>, i32, &str)> = vec![
        (
            add_with(&["--answer", "Oppose=abc"]),
            exit::INVALID,
            "--answer: percentage \"abc\" is not a number",
        ),
        (
            add_with(&["--answer", "Oppose"]),
            exit::INVALID,
            "not of the form LABEL=PCT",
        ),
        (
            add_with(&["--answer", "Oppose=120"]),
            exit::INVALID,
            "percentage 120 for \"Oppose\" is outside 0..100",
        ),
        (
            add_with(&["--answer", "Oppose=-1"]),
            exit::INVALID,
            "outside 0..100",
        ),
        (
            add_with(&["--answer", "Oppose=60", "--answer", "Support=45"]),
            exit::INVALID,
            "sum to 105, more than 101",
        ),
        (
            add_with(&["--answer", "Oppose=50", "--answer", "oppose=20"]),
            exit::INVALID,
            "answer \"oppose\" is given twice",
        ),
        (
            add_with(&[
                "--answer",
                "Oppose=50",
                "--start",
                "2019-08-24",
                "--end",
                "2019-08-20",
            ]),
            exit::INVALID,
            "--start: field start 2019-08-24 is after field end 2019-08-20",
        ),
        (
            add_with(&["--answer", "Oppose=50", "--start", "2019-02-30"]),
            exit::INVALID,
            "--start: date \"2019-02-30\" is not a real calendar date",
        ),
        (
            add_with(&["--answer", "Oppose=50", "--end", "08/07/2019"]),
            exit::INVALID,
            "--end: date \"08/07/2019\" is ambiguous: it may be 7 August 2019 or 8 July 2019",
        ),
        (
            add_with(&["--answer", "Oppose=50", "--sample", "0"]),
            exit::INVALID,
            "--sample: sample size 0 is below 1",
        ),
        (
            add_with(&["--answer", "Oppose=50", "--sample", "lots"]),
            exit::INVALID,
            "sample size \"lots\" is not a number",
        ),
        (
            add_with(&["--answer", "Oppose=50", "--moe", "0"]),
            exit::INVALID,
            "--moe: margin of error 0 is outside (0, 50]",
        ),
        (
            add_with(&["--answer", "Oppose=50", "--moe", "51"]),
            exit::INVALID,
            "outside (0, 50]",
        ),
        (
            vec![
                "add",
                "--pollster",
                "  ",
                "--question",
                "kr-gsomia",
                "--answer",
                "Oppose=50",
                "--published",
                "2019-08-26",
            ],
            exit::INVALID,
            "--pollster: the pollster name is empty",
        ),
        (add_with(&[]), exit::USAGE, "--answer <LABEL=PCT>"),
        (
            vec![
                "add",
                "--pollster",
                "Realmeter",
                "--question",
                "kr-gsomia",
                "--answer",
                "Oppose=50",
            ],
            exit::INVALID,
            "the poll has no date",
        ),
        (
            add_with(&["--question", "kr-thaad", "--answer", "Oppose=50"]),
            exit::USAGE,
            "cannot be used multiple times",
        ),
        (
            vec![
                "add",
                "--pollster",
                "Realmeter",
                "--question",
                "kr-thaad",
                "--answer",
                "Oppose=50",
                "--published",
                "2019-08-26",
            ],
            exit::INVALID,
            "question kr-thaad is new and has no wording, which readers need to know what was asked: give it with --wording",
        ),
        (
            vec![
                "add",
                "--pollster",
                "Realmeter",
                "--question",
                "kr gsomia",
                "--wording",
                "w",
                "--answer",
                "Oppose=50",
                "--published",
                "2019-08-26",
            ],
            exit::INVALID,
            "has spaces",
        ),
        (
            vec![
                "add",
                "--poll",
                "7",
                "--question",
                "kr-gsomia",
                "--answer",
                "Oppose=50",
            ],
            exit::NOT_FOUND,
            "there is no poll 7",
        ),
        (vec!["show", "7"], exit::NOT_FOUND, "there is no poll 7"),
        (
            vec!["edit", "7", "--mode", "online"],
            exit::NOT_FOUND,
            "there is no poll 7",
        ),
        (
            vec!["delete", "7", "--yes"],
            exit::NOT_FOUND,
            "there is no poll 7",
        ),
        (vec!["history", "7"], exit::NOT_FOUND, "there is no poll 7"),
        (
            add_with(&[
                "--answer", "A=10.7", "--answer", "B=75.4", "--answer", "C=15",
            ]),
            exit::INVALID,
            "sum to 101.1, more than 101",
        ),
        (
            vec!["edit", "1", "--answer", "Oppose=101"],
            exit::INVALID,
            "outside 0..100",
        ),
        (
            vec!["edit", "1", "--start", "2016-11-20", "--end", "2016-11-19"],
            exit::INVALID,
            "is after field end",
        ),
        (
            vec!["edit", "1", "--remove-answer", "Support"],
            exit::NOT_FOUND,
            "has no answer \"Support\"",
        ),
        (
            vec!["edit", "1", "--remove-answer", "Oppose"],
            exit::INVALID,
            "has no answers",
        ),
        (
            vec!["edit", "1", "--clear", "published"],
            exit::INVALID,
            "the poll has no date",
        ),
        (GSOMIA.to_vec(), exit::CONFLICT, "stored already as poll 1"),
        (
            vec!["source", "link", "1", "7"],
            exit::NOT_FOUND,
            "there is no poll 7",
        ),
        (
            vec!["source", "link", "9", "1"],
            exit::NOT_FOUND,
            "there is no source 9",
        ),
        (
            vec!["question", "show", "kr-nothing"],
            exit::NOT_FOUND,
            "there is no question kr-nothing",
        ),
        (
            vec!["pollster", "alias", "Gallup", "Nobody"],
            exit::NOT_FOUND,
            "there is no pollster \"Nobody\"",
        ),
        (
            vec!["pollster", "merge", "Gallup Korea", "gallup korea"],
            exit::USAGE,
            "the same pollster",
        ),
    ];
    for (args, code, message) in cases {
        let before = env.snapshot();
        let assert = env.run(&args).code(code);
        let err = stderr(&assert);
        assert!(
            err.contains(message),
            "{args:?}: expected {message:?} in {err:?}"
        );
        assert_eq!(env.snapshot(), before, "{args:?} changed the database");
    }
}

#[test]
fn a_failed_add_creates_no_database() {
    let env = Env::new();
    env.run(&add_with(&["--answer", "Oppose=abc"]))
        .code(exit::INVALID);
    env.run(&add_with(&[
        "--answer",
        "Oppose=50",
        "--start",
        "2019-08-24",
        "--end",
        "2019-08-20",
    ]))
    .code(exit::INVALID);
    // Failures found only once the database is open remove the file they created.
    env.run(&[
        "add",
        "--pollster",
        "X",
        "--question",
        "q",
        "--answer",
        "Y=5",
        "--published",
        "2020-01-01",
    ])
    .code(exit::INVALID)
    .stderr(predicates::str::contains("question q is new"));
    env.run(&["delete", "1", "--yes"]).code(exit::NOT_FOUND);
    env.run(&["pollster", "alias", "a", "b"])
        .code(exit::NOT_FOUND);
    env.cmd()
        .args(["--db", "nodir/x.db"])
        .args(GSOMIA)
        .assert()
        .code(exit::NOT_FOUND);
    assert!(env.file_names().is_empty(), "{:?}", env.file_names());
}

#[test]
fn duplicates_are_refused_unless_allowed_and_names_match_loosely() {
    let env = Env::new();
    env.ok(GSOMIA);
    let mut loose: Vec<&str> = GSOMIA.to_vec();
    loose[2] = "  gallup KOREA ";
    env.run(&loose).code(exit::CONFLICT);
    loose.push("--allow-duplicate");
    assert!(env.ok(&loose).contains("Added poll 2: Gallup Korea"));
    let pollsters = env.json(&["pollster", "list", "--json"]);
    assert_eq!(pollsters.as_array().map(Vec::len), Some(1));
    assert_eq!(pollsters[0]["polls"], 2);
}

#[test]
fn late_fieldwork_and_future_dates_warn_but_store() {
    let env = Env::new();
    let soon =
        polltrack::model::format_date(polltrack::model::today() + chrono::Duration::days(100));
    let assert = env
        .run(&add_with(&[
            "--wording",
            "GSOMIA",
            "--answer",
            "Oppose=50",
            "--end",
            "2019-08-28",
            "--source-date",
            &soon,
            "--source-title",
            "t",
        ]))
        .success();
    let err = stderr(&assert);
    assert!(
        err.contains(
            "warning: the field dates run to 2019-08-28, after the publication date 2019-08-26"
        ),
        "{err}"
    );
    assert!(
        err.contains(&format!("warning: the source date {soon} is in the future")),
        "{err}"
    );
    assert_eq!(
        env.json(&["list", "--json"]).as_array().map(Vec::len),
        Some(1)
    );
}

#[test]
fn reading_a_missing_database_creates_nothing() {
    let env = Env::new();
    for args in [
        vec!["list"],
        vec!["show", "1"],
        vec!["history"],
        vec!["source", "list"],
        vec!["source", "show", "1"],
        vec!["question", "list"],
        vec!["question", "show", "kr-gsomia"],
        vec!["pollster", "list"],
    ] {
        let assert = env.run(&args).code(exit::NOT_FOUND);
        let said = if env.on_postgres() {
            "holds no polltrack database yet"
        } else {
            "no database at polls.db"
        };
        assert!(stderr(&assert).contains(said), "{args:?}");
    }
    env.cmd()
        .args(["--db", "elsewhere/x.db", "list"])
        .assert()
        .code(exit::NOT_FOUND);
    assert!(env.file_names().is_empty(), "{:?}", env.file_names());
}

#[test]
fn a_database_from_a_newer_polltrack_is_refused_untouched() {
    let env = Env::new();
    if env.sqlite_only(
        "a file marked by a newer polltrack (PostgreSQL's case is a test of its store)",
    ) {
        return;
    }
    env.ok(GSOMIA);
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    runtime.block_on(async {
        let options = sqlx::sqlite::SqliteConnectOptions::new().filename(env.db());
        let pool = sqlx::SqlitePool::connect_with(options).await.expect("open");
        sqlx::query(
            "INSERT INTO _sqlx_migrations (version, description, success, checksum, execution_time)
             VALUES (99991231000000, 'from the future', 1, x'00', 0)",
        )
        .execute(&pool)
        .await
        .expect("insert");
        pool.close().await;
    });
    let before = env.snapshot();
    for args in [
        vec!["list"],
        vec!["show", "1"],
        GSOMIA.to_vec(),
        vec!["init"],
    ] {
        let assert = env.run(&args).code(exit::FAILED);
        let err = stderr(&assert);
        assert!(
            err.contains("written by a newer polltrack (schema 99991231000000"),
            "{err}"
        );
        assert!(err.contains("The file was not changed"), "{err}");
        assert_eq!(env.snapshot(), before);
    }
}
