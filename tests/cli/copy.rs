//! `copy`: a whole database into another, between SQLite files and PostgreSQL databases, ids
//! and history kept. On PostgreSQL (`cli_postgres`) the round trips go through two server
//! databases and two files.

use super::{Env, GERMAN_IMPORT, every_kind_of_row, exit, shared_data, stderr};

/// Copies the test's database to a file, the file to a second database (another test's
/// server database on PostgreSQL, a file on SQLite), and that to a second file; every one of
/// them must dump and export the same bytes as the original.
fn round_trip(env: &Env) {
    let other = Env::new();
    let middle = other
        .postgres_url()
        .map(str::to_string)
        .unwrap_or_else(|| env.path().join("middle.db").display().to_string());
    let original = env.db_arg();
    let copied = env.run(&["copy", "--to", "a.db"]).success();
    assert!(
        stderr(&copied).starts_with("Copied "),
        "{}",
        stderr(&copied)
    );
    env.ok(&["--db", "a.db", "copy", "--to", &middle]);
    env.ok(&["--db", "b.db", "copy", "--from", &middle]);
    let dump = |db: &str| env.ok(&["--db", db, "dump"]);
    let export = |db: &str| env.ok(&["--db", db, "export", "--extra-columns"]);
    let first = dump(&original);
    assert!(first.lines().count() > 10, "{first}");
    for db in ["a.db", middle.as_str(), "b.db"] {
        assert!(
            dump(db) == first,
            "the dump of {db} differs from the original's"
        );
        assert!(
            export(db) == export(&original),
            "the export of {db} differs"
        );
    }
    // New polls take ids past the copied ones, on every copy.
    let ids: Vec<String> = [original.as_str(), "a.db", middle.as_str(), "b.db"]
        .iter()
        .map(|db| {
            let added = env.ok(&[
                "--db",
                db,
                "add",
                "--pollster",
                "Gallup Korea",
                "--question",
                "copy-check",
                "--wording",
                "Checked?",
                "--answer",
                "Yes=40",
                "--published",
                "2020-01-01",
            ]);
            added.split(':').next().unwrap_or_default().to_string()
        })
        .collect();
    assert!(ids.iter().all(|id| id == &ids[0]), "{ids:?}");
}

#[test]
fn a_copy_there_and_back_keeps_every_record() {
    let env = Env::new();
    every_kind_of_row(&env);
    round_trip(&env);
}

#[test]
fn the_german_polls_go_there_and_back_unchanged() {
    let Some(file) = shared_data("germany-wahlrecht-hwborchers/Umfragen2025.csv") else {
        return;
    };
    let env = Env::new();
    let mut args = vec!["import", file.to_str().unwrap()];
    args.extend(GERMAN_IMPORT);
    args.extend(["--skip-invalid", "--election-date", "2021-09-26"]);
    env.ok(&args);
    env.ok(&[
        "edit",
        "5",
        "--notes",
        "checked",
        "--reason",
        "checked against the source",
    ]);
    env.ok(&["delete", "7", "--yes"]);
    round_trip(&env);
}

#[test]
fn a_copy_into_a_database_that_holds_polls_is_refused_and_changes_nothing() {
    let env = Env::new();
    every_kind_of_row(&env);
    env.ok(&[
        "--db",
        "full.db",
        "add",
        "--pollster",
        "X",
        "--question",
        "q",
        "--wording",
        "Q?",
        "--answer",
        "Yes=1",
        "--published",
        "2020-01-01",
    ]);
    let before = env.ok(&["--db", "full.db", "dump"]);
    let refused = env.run(&["copy", "--to", "full.db"]).code(exit::CONFLICT);
    assert!(
        stderr(&refused).contains("not empty"),
        "{}",
        stderr(&refused)
    );
    assert_eq!(env.ok(&["--db", "full.db", "dump"]), before);
    // Into itself, and with neither direction.
    env.run(&["copy", "--to", &env.db_arg()]).code(exit::USAGE);
    env.run(&["copy"]).code(exit::USAGE);
    // From a database that is not there: nothing is created.
    env.run(&["--db", "new.db", "copy", "--from", "missing.db"])
        .code(exit::NOT_FOUND);
    assert!(!env.file_names().iter().any(|n| n.contains("new.db")));
}
