//! `dump` and `load`: a whole database to one file and back, every table equal.

use super::{Env, GERMAN_IMPORT, GSOMIA, every_kind_of_row, exit, shared_data, stderr};
use std::collections::BTreeMap;
use std::path::Path;

/// Dumps `env`'s database to `name` in its folder and returns the dump's text.
fn dump(env: &Env, db: &str, name: &str) -> String {
    env.ok(&["--db", db, "dump", "-o", name]);
    std::fs::read_to_string(env.path().join(name)).unwrap()
}

#[test]
fn dump_load_dump_gives_the_same_bytes_and_every_table_the_same_rows() {
    let env = Env::new();
    every_kind_of_row(&env);
    let first = dump(&env, "polls.db", "first.jsonl");
    // Standard output is the same dump.
    assert_eq!(env.ok(&["dump"]), first);
    assert_eq!(env.ok(&["dump", "-o", "-"]), first);
    let loaded = env
        .run(&["--db", "copy.db", "load", "first.jsonl"])
        .success();
    assert!(
        stderr(&loaded).contains("Loaded 5 polls, 4 sources and"),
        "{}",
        stderr(&loaded)
    );
    assert_eq!(dump(&env, "copy.db", "second.jsonl"), first);
    let (original, copy) = (tables(&env.db()), tables(&env.path().join("copy.db")));
    // Every table holds rows, so one the dump left out would show here: a table added to the
    // schema must get rows in `every_kind_of_row`.
    for (table, rows) in &original {
        assert!(!rows.is_empty(), "table {table} has no rows to compare");
    }
    assert!(original.contains_key("deleted_result") && original.contains_key("change"));
    assert_eq!(
        original.keys().collect::<Vec<_>>(),
        copy.keys().collect::<Vec<_>>()
    );
    for (table, rows) in &original {
        assert_eq!(rows, &copy[table], "table {table} differs after a load");
    }
    // The same poll under the same id, its provenance whole.
    for id in ["1", "2"] {
        assert_eq!(
            env.ok(&["--db", "copy.db", "show", id]),
            env.ok(&["show", id])
        );
    }
    let shown = env.ok(&["--db", "copy.db", "show", "1"]);
    assert!(shown.contains("Evening news report"), "{shown}");
    assert!(shown.contains("Press TV"), "{shown}");
    assert_eq!(
        env.ok(&["--db", "copy.db", "history"]),
        env.ok(&["history"])
    );
    // A new poll after a load takes an id no poll ever had (902 was deleted).
    let added = env.ok(&[
        "--db",
        "copy.db",
        "add",
        "--pollster",
        "Gallup",
        "--question",
        "kr-moon",
        "--answer",
        "Approve=40",
        "--published",
        "2020-01-01",
    ]);
    assert!(added.starts_with("Added poll 903: Gallup Korea"), "{added}");
}

/// Every table's rows (each as text, sorted), by table, from the file's own list of tables,
/// leaving out SQLite's and the migrator's bookkeeping.
fn tables(db: &Path) -> BTreeMap<String, Vec<String>> {
    use sqlx::{Connection, Row};
    let url = format!("sqlite://{}?mode=ro", db.display());
    tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap()
        .block_on(async {
            let mut conn = sqlx::SqliteConnection::connect(&url).await.unwrap();
            let names: Vec<String> = sqlx::query_scalar(
                "SELECT name FROM sqlite_master WHERE type = 'table'
                   AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_sqlx_%' ORDER BY name",
            )
            .fetch_all(&mut conn)
            .await
            .unwrap();
            let mut tables = BTreeMap::new();
            for name in names {
                // Generated columns too (table_xinfo lists them).
                let columns: Vec<String> =
                    sqlx::query_scalar("SELECT name FROM pragma_table_xinfo(?) ORDER BY cid")
                        .bind(&name)
                        .fetch_all(&mut conn)
                        .await
                        .unwrap();
                let cells: Vec<String> =
                    columns.iter().map(|c| format!("quote(\"{c}\")")).collect();
                let sql = format!(
                    "SELECT {} AS row FROM \"{name}\" ORDER BY 1",
                    cells.join(" || '|' || ")
                );
                let rows: Vec<String> = sqlx::query(sqlx::AssertSqlSafe(sql))
                    .fetch_all(&mut conn)
                    .await
                    .unwrap()
                    .iter()
                    .map(|r| r.get::<String, _>(0))
                    .collect();
                tables.insert(name, rows);
            }
            tables
        })
}

#[test]
fn load_refuses_a_database_that_is_not_empty_and_changes_nothing() {
    let env = Env::new();
    env.ok(GSOMIA);
    env.ok(&["dump", "-o", "polls.jsonl"]);
    let before = env.snapshot();
    let refused = env.run(&["load", "polls.jsonl"]).code(exit::CONFLICT);
    let message = stderr(&refused);
    assert!(
        message.contains("the database polls.db is not empty"),
        "{message}"
    );
    assert!(message.contains("1 poll,"), "{message}");
    assert!(message.contains("--db"), "{message}");
    assert_eq!(env.snapshot(), before);
    // An empty database (made by init) takes it.
    env.ok(&["--db", "empty.db", "init"]);
    env.ok(&["--db", "empty.db", "load", "polls.jsonl"]);
    assert_eq!(env.ok(&["--db", "empty.db", "dump"]), env.ok(&["dump"]));
}

#[test]
fn load_reads_standard_input() {
    let env = Env::new();
    env.ok(GSOMIA);
    let text = env.ok(&["dump"]);
    let mut load = env.cmd();
    load.args(["--db", "copy.db", "load", "-"]);
    assert_cmd::Command::from_std(load)
        .write_stdin(text.clone())
        .assert()
        .success();
    assert_eq!(env.ok(&["--db", "copy.db", "dump"]), text);
}

#[test]
fn load_refuses_a_malformed_line_or_a_newer_version_and_creates_nothing() {
    let env = Env::new();
    env.ok(GSOMIA);
    let text = env.ok(&["dump"]);
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    // Line 4 cut short.
    lines[3].pop();
    std::fs::write(env.path().join("bad.jsonl"), lines.join("\n")).unwrap();
    let bad = env
        .run(&["--db", "new.db", "load", "bad.jsonl"])
        .code(exit::INVALID);
    assert!(
        stderr(&bad).contains("bad.jsonl line 4, column"),
        "{}",
        stderr(&bad)
    );
    let newer = text.replacen("{\"polltrack_dump\":1}", "{\"polltrack_dump\":2}", 1);
    std::fs::write(env.path().join("newer.jsonl"), newer).unwrap();
    let refused = env
        .run(&["--db", "new.db", "load", "newer.jsonl"])
        .code(exit::INVALID);
    assert!(
        stderr(&refused).contains("newer.jsonl line 1: the dump is of format version 2"),
        "{}",
        stderr(&refused)
    );
    // A poll naming a pollster the dump does not hold.
    let orphan = text.replace("\"pollster_id\":1", "\"pollster_id\":9");
    std::fs::write(env.path().join("orphan.jsonl"), orphan).unwrap();
    let orphan = env
        .run(&["--db", "new.db", "load", "orphan.jsonl"])
        .code(exit::INVALID);
    assert!(
        stderr(&orphan).contains("orphan.jsonl: poll 1 names pollster 9, which is not there"),
        "{}",
        stderr(&orphan)
    );
    env.run(&["--db", "new.db", "load", "missing.jsonl"])
        .code(exit::NOT_FOUND);
    assert!(!env.file_names().iter().any(|n| n.contains("new.db")));
}

#[test]
fn dump_needs_a_database_and_writes_its_file_whole() {
    let env = Env::new();
    env.run(&["dump", "-o", "out.jsonl"]).code(exit::NOT_FOUND);
    assert!(!env.path().join("out.jsonl").exists());
    env.ok(GSOMIA);
    env.run(&["dump", "-o", "polls.db"]).code(exit::USAGE);
    let written = env.run(&["dump", "-o", "out.jsonl"]).success();
    assert!(
        stderr(&written).contains("Dumped 1 poll, 1 source and 4 history entries"),
        "{}",
        stderr(&written)
    );
}

#[test]
fn real_files_go_through_a_dump_and_a_load_unchanged() {
    let files = [
        (
            "fivethirtyeight-pollspage-2024/president_polls.csv",
            vec!["--format", "538"],
        ),
        (
            "germany-wahlrecht-hwborchers/Umfragen2025.csv",
            GERMAN_IMPORT
                .iter()
                .copied()
                .chain(["--skip-invalid", "--election-date", "2021-09-26"])
                .collect(),
        ),
    ];
    for (path, options) in files {
        let Some(file) = shared_data(path) else {
            return;
        };
        let env = Env::new();
        let mut args = vec!["import", file.to_str().unwrap()];
        args.extend(options);
        env.ok(&args);
        let first = dump(&env, "polls.db", "first.jsonl");
        env.ok(&["--db", "copy.db", "load", "first.jsonl"]);
        assert_eq!(dump(&env, "copy.db", "second.jsonl"), first, "{path}");
        assert_eq!(
            tables(&env.db()),
            tables(&env.path().join("copy.db")),
            "{path}"
        );
        assert_eq!(
            env.ok(&["--db", "copy.db", "export"]),
            env.ok(&["export"]),
            "{path}"
        );
    }
}
