//! The database file, whatever the user or another process does: a command that fails or only
//! tries never removes what another process stored; commands that read never change the file;
//! files that are not polltrack databases are refused untouched; an export is one state of the
//! database; a checkpoint that fails is told.

use super::{Env, GSOMIA, exit, stderr};
use assert_cmd::prelude::*;
use std::path::Path;
use std::process::{Child, Command, Output};
use std::thread;
use std::time::{Duration, Instant, SystemTime};

/// A long-format file of `polls` polls of question `q`, one answer each, pollster
/// `Pollster {i % pollsters}`.
fn big_csv(env: &Env, name: &str, polls: usize, pollsters: usize) {
    let mut text =
        String::from("poll_id,pollster,field_end,question,question_wording,answer,pct\n");
    let first = chrono::NaiveDate::from_ymd_opt(1950, 1, 1).expect("date");
    for i in 0..polls {
        let day = first + chrono::Duration::days((i / pollsters) as i64);
        text.push_str(&format!(
            "{},Pollster {},{day},q,A question,Yes,{}\n",
            i + 1,
            i % pollsters,
            i % 90
        ));
    }
    std::fs::write(env.path().join(name), text).expect("write");
}

/// `add` of a poll of its own: pollster `name`, published on day `day` of 2024.
fn add_args(name: &str, day: usize) -> Vec<String> {
    let published = chrono::NaiveDate::from_ymd_opt(2024, 1, 1).expect("date")
        + chrono::Duration::days(day as i64);
    [
        "add",
        "--pollster",
        name,
        "--question",
        "q",
        "--wording",
        "A question",
        "--answer",
        "Yes=40",
        "--published",
        &published.to_string(),
    ]
    .iter()
    .map(|s| s.to_string())
    .collect()
}

fn spawn(env: &Env, args: &[String]) -> Child {
    env.cmd()
        .args(args)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("spawn polltrack")
}

fn finish(child: Child) -> Output {
    child.wait_with_output().expect("wait for polltrack")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn poll_count(env: &Env) -> usize {
    env.json(&["list", "--json"])
        .as_array()
        .expect("array")
        .len()
}

fn strings(args: &[&str]) -> Vec<String> {
    args.iter().map(|s| s.to_string()).collect()
}

/// The bytes and modification time of a file.
fn state(path: &Path) -> (Vec<u8>, SystemTime) {
    let bytes = std::fs::read(path).expect("read the database");
    let modified = std::fs::metadata(path)
        .and_then(|m| m.modified())
        .expect("mtime");
    (bytes, modified)
}

// ---------------------------------------------------------------------------------------------
// A command that fails or only tries never removes another process's database
// ---------------------------------------------------------------------------------------------

#[test]
fn a_dry_run_import_beside_an_add_on_a_new_file_loses_no_poll() {
    for round in 0..5 {
        let env = Env::new();
        big_csv(&env, "big.csv", 20_000, 7);
        let import = spawn(&env, &strings(&["import", "big.csv", "--dry-run"]));
        thread::sleep(Duration::from_millis(30));
        let added = finish(spawn(&env, &add_args("Adder", 0)));
        assert!(
            added.status.success(),
            "round {round}: {}",
            text(&added.stderr)
        );
        assert!(
            text(&added.stdout).contains("Added poll 1"),
            "round {round}"
        );
        let import = finish(import);
        assert!(
            import.status.success(),
            "round {round}: {}",
            text(&import.stderr)
        );
        assert!(
            text(&import.stdout).contains("would add 20000 polls"),
            "round {round}: {}",
            text(&import.stdout)
        );
        assert_eq!(poll_count(&env), 1, "round {round}: the added poll is kept");
        assert_eq!(
            env.file_names(),
            vec!["big.csv", "polls.db"],
            "round {round}"
        );
    }
}

#[test]
fn a_dry_run_import_on_a_missing_file_creates_no_file() {
    let env = Env::new();
    big_csv(&env, "polls.csv", 10, 2);
    let out = env.ok(&["import", "polls.csv", "--dry-run"]);
    assert!(out.contains("would add 10 polls"), "{out}");
    assert_eq!(env.file_names(), vec!["polls.csv"]);
}

#[test]
fn two_identical_adds_on_a_new_file_keep_the_one_that_won() {
    for round in 0..10 {
        let env = Env::new();
        let args = strings(GSOMIA);
        let (a, b) = (spawn(&env, &args), spawn(&env, &args));
        let outcomes = [finish(a), finish(b)];
        let codes: Vec<Option<i32>> = outcomes.iter().map(|o| o.status.code()).collect();
        let won = codes.iter().filter(|c| **c == Some(0)).count();
        let refused = codes.iter().filter(|c| **c == Some(exit::CONFLICT)).count();
        assert_eq!(
            (won, refused),
            (1, 1),
            "round {round}: {codes:?} {:?}",
            outcomes.iter().map(|o| text(&o.stderr)).collect::<Vec<_>>()
        );
        let loser = outcomes
            .iter()
            .find(|o| !o.status.success())
            .expect("loser");
        assert!(
            text(&loser.stderr).contains("already"),
            "round {round}: refused as the same poll: {}",
            text(&loser.stderr)
        );
        assert_eq!(
            poll_count(&env),
            1,
            "round {round}: the winner's poll is kept"
        );
        assert_eq!(env.file_names(), vec!["polls.db"], "round {round}");
    }
}

#[test]
fn a_failed_add_beside_a_good_one_on_a_new_file_loses_no_poll() {
    for round in 0..10 {
        let env = Env::new();
        // A new question without its wording is refused once the database is open.
        let failing = strings(&[
            "add",
            "--pollster",
            "X",
            "--question",
            "other",
            "--answer",
            "Y=5",
            "--published",
            "2020-01-01",
        ]);
        let (bad, good) = (spawn(&env, &failing), spawn(&env, &add_args("Good", 0)));
        let (bad, good) = (finish(bad), finish(good));
        assert_eq!(bad.status.code(), Some(exit::INVALID), "round {round}");
        assert!(
            good.status.success(),
            "round {round}: {}",
            text(&good.stderr)
        );
        assert_eq!(poll_count(&env), 1, "round {round}");
        assert_eq!(env.file_names(), vec!["polls.db"], "round {round}");
    }
}

#[test]
fn processes_creating_one_new_file_at_once_all_store_their_polls() {
    for round in 0..5 {
        let env = Env::new();
        let children: Vec<Child> = (0..6)
            .map(|i| spawn(&env, &add_args(&format!("Pollster {i}"), i)))
            .collect();
        for (i, child) in children.into_iter().enumerate() {
            let output = finish(child);
            assert!(
                output.status.success(),
                "round {round}, writer {i}: {}",
                text(&output.stderr)
            );
            assert!(text(&output.stdout).contains("Added poll"), "round {round}");
        }
        assert_eq!(poll_count(&env), 6, "round {round}");
        assert_eq!(env.file_names(), vec!["polls.db"], "round {round}");
    }
}

#[test]
fn a_killed_command_creating_a_database_leaves_no_file_at_its_path() {
    let env = Env::new();
    big_csv(&env, "big.csv", 150_000, 7);
    let mut child = env
        .cmd()
        .args(["import", "big.csv"])
        .spawn()
        .expect("spawn");
    // Kill it once its new database's log holds part of the import.
    let started = Instant::now();
    let writing = || {
        std::fs::read_dir(env.path())
            .expect("read dir")
            .filter_map(|entry| entry.ok())
            .any(|entry| {
                let name = entry.file_name().to_string_lossy().into_owned();
                name.starts_with('.')
                    && name.ends_with("-wal")
                    && entry.metadata().is_ok_and(|m| m.len() > 1 << 20)
            })
    };
    while !writing() && started.elapsed() < Duration::from_secs(60) {
        thread::sleep(Duration::from_millis(5));
    }
    assert!(
        child.try_wait().expect("poll child").is_none(),
        "the import ended before it was killed"
    );
    child.kill().expect("kill -9");
    child.wait().expect("wait");
    assert!(!env.db().exists(), "no database appears at the path");
    assert!(
        env.file_names()
            .iter()
            .all(|name| name == "big.csv" || name.starts_with('.')),
        "only hidden leftovers: {:?}",
        env.file_names()
    );
    env.run(&["list"]).code(exit::NOT_FOUND);
    env.ok(GSOMIA);
    assert_eq!(poll_count(&env), 1);
}

#[test]
fn writers_beside_a_big_import_on_a_new_file_store_every_poll() {
    let env = Env::new();
    big_csv(&env, "big.csv", 20_000, 7);
    let import = spawn(&env, &strings(&["import", "big.csv"]));
    thread::scope(|scope| {
        for writer in 0..4 {
            let env = &env;
            scope.spawn(move || {
                for i in 0..10 {
                    let output = finish(spawn(env, &add_args(&format!("Writer {writer}"), i)));
                    assert!(
                        output.status.success(),
                        "writer {writer} poll {i}: {}",
                        text(&output.stderr)
                    );
                }
            });
        }
    });
    let import = finish(import);
    assert!(import.status.success(), "{}", text(&import.stderr));
    assert_eq!(poll_count(&env), 20_040);
}

// ---------------------------------------------------------------------------------------------
// Names SQLite takes specially
// ---------------------------------------------------------------------------------------------

#[test]
fn names_sqlite_takes_specially_are_refused_as_usage_errors() {
    let env = Env::new();
    for name in [":memory:", "file:polls.db", "FILE:x.db?mode=memory"] {
        let assert = env
            .cmd()
            .args(["--db", name])
            .args(GSOMIA)
            .assert()
            .code(exit::USAGE);
        let err = stderr(&assert);
        assert!(err.contains("--db"), "{name:?}: {err}");
        assert!(
            err.contains("give the path of a database file"),
            "{name:?}: {err}"
        );
        assert!(!err.contains("Added poll"), "{name:?}");
    }
    assert!(env.file_names().is_empty(), "{:?}", env.file_names());
}

// ---------------------------------------------------------------------------------------------
// Commands that read never change the file
// ---------------------------------------------------------------------------------------------

/// Every command that reads, over a database holding the GSOMIA poll; charts go elsewhere.
fn read_commands(chart: &Path) -> Vec<Vec<String>> {
    let chart = chart.display().to_string();
    [
        vec!["list"],
        vec!["list", "--json"],
        vec!["show", "1"],
        vec!["export"],
        vec!["export", "--format", "wide"],
        vec!["trend", "kr-gsomia", "--method", "latest"],
        vec!["history"],
        vec!["question", "list"],
        vec!["question", "show", "kr-gsomia"],
        vec!["pollster", "list"],
        vec!["source", "list"],
        vec!["chart", "kr-gsomia", "-o", &chart],
    ]
    .into_iter()
    .map(|args| strings(&args))
    .collect()
}

fn switch_to_rollback_journal(path: &Path) {
    runtime().block_on(async {
        let options = sqlx::sqlite::SqliteConnectOptions::new().filename(path);
        let pool = sqlx::SqlitePool::connect_with(options).await.expect("open");
        sqlx::query("PRAGMA journal_mode = DELETE")
            .execute(&pool)
            .await
            .expect("journal mode");
        pool.close().await;
    });
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime")
}

#[test]
fn read_commands_leave_the_file_as_it_was_in_either_journal_mode() {
    let charts = tempfile::tempdir().expect("temp dir");
    for rollback in [false, true] {
        let env = Env::new();
        env.ok(GSOMIA);
        if rollback {
            switch_to_rollback_journal(&env.db());
        }
        let header = std::fs::read(env.db()).expect("read")[18];
        assert_eq!(header, if rollback { 1 } else { 2 }, "journal mode");
        // Let a change of the modification time show.
        thread::sleep(Duration::from_millis(20));
        let before = state(&env.db());
        for args in read_commands(&charts.path().join("chart.svg")) {
            env.cmd().args(&args).assert().success();
            assert!(
                state(&env.db()) == before,
                "{args:?} changed the database (rollback journal: {rollback})"
            );
            assert_eq!(
                env.file_names(),
                vec!["polls.db"],
                "{args:?} left files beside it (rollback journal: {rollback})"
            );
        }
    }
}

#[cfg(unix)]
#[test]
#[allow(unsafe_code)]
fn a_database_in_a_read_only_folder_can_be_read() {
    use std::os::unix::fs::PermissionsExt;
    // SAFETY: geteuid has no preconditions.
    if unsafe { libc::geteuid() } == 0 {
        println!("skipped: running as root, which ignores the folder's permissions");
        return;
    }
    let charts = tempfile::tempdir().expect("temp dir");
    for rollback in [false, true] {
        let env = Env::new();
        env.ok(GSOMIA);
        if rollback {
            switch_to_rollback_journal(&env.db());
        }
        let before = state(&env.db());
        let set_mode = |mode| {
            std::fs::set_permissions(env.path(), std::fs::Permissions::from_mode(mode))
                .expect("chmod")
        };
        set_mode(0o555);
        let outcomes: Vec<(Vec<String>, bool, String)> =
            read_commands(&charts.path().join("c.svg"))
                .into_iter()
                .map(|args| {
                    let output = env.cmd().args(&args).output().expect("run");
                    (args, output.status.success(), text(&output.stderr))
                })
                .collect();
        set_mode(0o755);
        for (args, ok, err) in outcomes {
            assert!(ok, "{args:?} (rollback journal: {rollback}): {err}");
        }
        assert!(state(&env.db()) == before);
        assert_eq!(env.file_names(), vec!["polls.db"]);
    }
}

// ---------------------------------------------------------------------------------------------
// Files that are not polltrack databases
// ---------------------------------------------------------------------------------------------

/// Another application's SQLite database, in WAL mode or not.
fn foreign_database(path: &Path, wal: bool) {
    runtime().block_on(async {
        let options = sqlx::sqlite::SqliteConnectOptions::new()
            .filename(path)
            .create_if_missing(true);
        let pool = sqlx::SqlitePool::connect_with(options).await.expect("open");
        if wal {
            sqlx::query("PRAGMA journal_mode = WAL")
                .execute(&pool)
                .await
                .expect("wal");
        }
        sqlx::query("CREATE TABLE note (id INTEGER PRIMARY KEY, body TEXT)")
            .execute(&pool)
            .await
            .expect("create");
        sqlx::query("INSERT INTO note (body) VALUES ('keep me')")
            .execute(&pool)
            .await
            .expect("insert");
        pool.close().await;
    });
}

#[test]
fn files_that_are_not_polltrack_databases_are_refused_untouched() {
    let env = Env::new();
    std::fs::write(env.path().join("empty.db"), b"").expect("write");
    std::fs::write(env.path().join("notes.txt"), b"shopping: milk, eggs\n").expect("write");
    foreign_database(&env.path().join("other.db"), false);
    foreign_database(&env.path().join("other-wal.db"), true);
    big_csv(&env, "polls.csv", 3, 1);
    thread::sleep(Duration::from_millis(20));
    let cases = [
        ("empty.db", "it is empty"),
        ("notes.txt", "it is not an SQLite database"),
        ("other.db", "it is another application's SQLite database"),
        (
            "other-wal.db",
            "it is another application's SQLite database",
        ),
    ];
    for (file, why) in cases {
        for args in [
            vec!["list"],
            vec!["export"],
            vec!["question", "list"],
            GSOMIA.to_vec(),
            vec!["init"],
            vec!["import", "polls.csv"],
            vec!["import", "polls.csv", "--dry-run"],
        ] {
            let before = env.snapshot();
            let modified = state(&env.path().join(file)).1;
            let assert = env
                .cmd()
                .args(["--db", file])
                .args(&args)
                .assert()
                .code(exit::FAILED);
            let err = stderr(&assert);
            assert!(
                err.contains(&format!("{file} is not a polltrack database ({why})")),
                "{file} {args:?}: {err}"
            );
            assert!(err.contains("left as it is"), "{file} {args:?}: {err}");
            assert_eq!(env.snapshot(), before, "{file} {args:?} changed a file");
            assert_eq!(state(&env.path().join(file)).1, modified, "{file} {args:?}");
        }
    }
}

#[test]
fn an_older_schema_is_refused_by_reads_and_upgraded_by_init() {
    let env = Env::new();
    // A file of the first schema only, with a question, as an older polltrack left it.
    let migrations = tempfile::tempdir().expect("temp dir");
    let first = std::fs::read_dir(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("migrations")
            .join("sqlite"),
    )
    .expect("migrations")
    .map(|entry| entry.expect("entry").path())
    .min()
    .expect("a migration");
    std::fs::copy(
        &first,
        migrations.path().join(first.file_name().expect("name")),
    )
    .expect("copy");
    runtime().block_on(async {
        let options = sqlx::sqlite::SqliteConnectOptions::new()
            .filename(env.db())
            .create_if_missing(true);
        let pool = sqlx::SqlitePool::connect_with(options).await.expect("open");
        sqlx::migrate::Migrator::new(migrations.path())
            .await
            .expect("migrator")
            .run(&pool)
            .await
            .expect("first migration");
        sqlx::query("INSERT INTO question (slug, wording) VALUES ('kr-gsomia', 'GSOMIA?')")
            .execute(&pool)
            .await
            .expect("insert");
        pool.close().await;
    });
    std::fs::write(
        env.path().join("one.csv"),
        "pollster,field_end,question,answer,pct\nGallup Korea,2016-11-18,kr-gsomia,Oppose,59\n",
    )
    .expect("write");
    let before = env.snapshot();
    // A dry run does not upgrade the schema either.
    for args in [
        vec!["list"],
        vec!["question", "list"],
        vec!["export"],
        vec!["import", "one.csv", "--dry-run"],
    ] {
        let assert = env.run(&args).code(exit::FAILED);
        let err = stderr(&assert);
        assert!(err.contains("schema of an older polltrack"), "{err}");
        assert!(err.contains("polltrack init"), "{err}");
        assert_eq!(env.snapshot(), before, "{args:?}");
    }
    assert!(env.ok(&["init"]).contains("is ready"));
    assert!(env.ok(&["question", "list"]).contains("kr-gsomia"));
}

// ---------------------------------------------------------------------------------------------
// An export is one state of the database
// ---------------------------------------------------------------------------------------------

#[test]
fn exports_during_pollster_merges_show_each_merge_all_before_or_all_after() {
    let env = Env::new();
    // 12,000 polls (three pages of an export) by four pollsters in turn, and one poll of each
    // pollster they merge into.
    let mut csv = String::from("poll_id,pollster,field_end,question,question_wording,answer,pct\n");
    let first = chrono::NaiveDate::from_ymd_opt(1990, 1, 1).expect("date");
    for i in 0..12_000 {
        let day = first + chrono::Duration::days(i / 4);
        csv.push_str(&format!("{i},Old {},{day},q,Q,Yes,50\n", i % 4));
    }
    for k in 0..4 {
        csv.push_str(&format!("n{k},New {k},2025-01-01,q,Q,Yes,50\n"));
    }
    std::fs::write(env.path().join("polls.csv"), csv).expect("write");
    env.ok(&["import", "polls.csv"]);

    let exports = thread::scope(|scope| {
        let merging = scope.spawn(|| {
            for k in 0..4 {
                env.ok(&[
                    "pollster",
                    "merge",
                    &format!("Old {k}"),
                    &format!("New {k}"),
                ]);
            }
        });
        let mut exports = Vec::new();
        while !merging.is_finished() || exports.len() < 3 {
            exports.push(env.ok(&["export"]));
        }
        merging.join().expect("merging");
        exports
    });
    for (n, export) in exports.iter().enumerate() {
        for k in 0..4 {
            let old = format!(",Old {k},");
            let new = format!(",New {k},");
            let olds = export.lines().filter(|l| l.contains(&old)).count();
            let news = export.lines().filter(|l| l.contains(&new)).count();
            assert!(
                (olds, news) == (3000, 1) || (olds, news) == (0, 3001),
                "export {n}: pollster {k} has {olds} polls under the old name and {news} \
                 under the new"
            );
        }
    }
}

// ---------------------------------------------------------------------------------------------
// A checkpoint that fails is told
// ---------------------------------------------------------------------------------------------

/// `polltrack` allowed to write files of at most `limit` bytes, as on a nearly full disk.
#[cfg(unix)]
#[allow(unsafe_code)]
fn with_file_size_limit(mut cmd: Command, limit: u64) -> Command {
    use std::os::unix::process::CommandExt;
    // SAFETY: between fork and exec only async-signal-safe calls (signal, setrlimit).
    unsafe {
        cmd.pre_exec(move || {
            // A write past the limit fails instead of killing the process.
            libc::signal(libc::SIGXFSZ, libc::SIG_IGN);
            let limit = libc::rlimit {
                rlim_cur: limit as libc::rlim_t,
                rlim_max: limit as libc::rlim_t,
            };
            if libc::setrlimit(libc::RLIMIT_FSIZE, &limit) != 0 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
    cmd
}

#[cfg(unix)]
#[test]
fn an_import_whose_checkpoint_fails_says_its_polls_are_safe_in_the_wal() {
    let env = Env::new();
    big_csv(&env, "first.csv", 20_000, 7);
    env.ok(&["import", "first.csv"]);
    let size = std::fs::metadata(env.db()).expect("size").len();
    // New polls whose pages fit in the log but not in the database file.
    let mut more =
        String::from("poll_id,pollster,field_end,question,question_wording,answer,pct\n");
    for i in 0..3_000 {
        more.push_str(&format!(
            "{i},Later {},2025-01-01,q2,Q2,Yes,{}\n",
            i % 9,
            i % 90
        ));
    }
    std::fs::write(env.path().join("more.csv"), more).expect("write");
    let mut cmd = env.cmd();
    cmd.args(["import", "more.csv"]);
    let output = with_file_size_limit(cmd, size + 16 * 1024)
        .output()
        .expect("run");
    let err = text(&output.stderr);
    assert!(output.status.success(), "{err}");
    assert!(text(&output.stdout).contains("added 3000 polls"));
    assert!(err.contains("warning: database polls.db"), "{err}");
    assert!(err.contains("is safe in polls.db-wal"), "{err}");
    assert!(err.contains("do not delete polls.db-wal"), "{err}");
    assert!(env.db().with_file_name("polls.db-wal").exists());

    // Nothing is lost: the polls are read from the log, and the next command copies it in.
    assert_eq!(poll_count(&env), 23_000);
    env.ok(&["init"]);
    assert_eq!(env.file_names(), vec!["first.csv", "more.csv", "polls.db"]);
    assert_eq!(poll_count(&env), 23_000);
}

/// A copy of the database taken in the middle of a write that spilled to the file: the file
/// holds the uncommitted change and the journal the pages to undo it with, as when the writer
/// was killed.
fn with_hot_journal(db: &Path, copy: &Path) {
    runtime().block_on(async {
        let options = sqlx::sqlite::SqliteConnectOptions::new().filename(db);
        let mut conn = sqlx::ConnectOptions::connect(&options).await.expect("open");
        for pragma in ["PRAGMA journal_mode = DELETE", "PRAGMA cache_size = 1"] {
            sqlx::query(pragma).execute(&mut conn).await.expect(pragma);
        }
        sqlx::query("BEGIN")
            .execute(&mut conn)
            .await
            .expect("begin");
        sqlx::query("UPDATE poll SET notes = 'UNCOMMITTED'")
            .execute(&mut conn)
            .await
            .expect("update");
        std::fs::copy(db, copy).expect("copy the file");
        let mut journal = copy.as_os_str().to_owned();
        journal.push("-journal");
        let mut live = db.as_os_str().to_owned();
        live.push("-journal");
        std::fs::copy(&live, &journal).expect("copy the journal");
        sqlx::query("ROLLBACK")
            .execute(&mut conn)
            .await
            .expect("rollback");
    });
}

/// Reads never show a change that was not committed: with a journal left by a killed writer
/// they refuse, naming it, and change nothing; a command that writes takes the journal in, and
/// then reads show the database as last committed.
#[test]
fn a_journal_left_by_a_killed_writer_is_never_read_past() {
    let env = Env::new();
    env.ok(&["simulate", "--polls", "300", "-o", "sim.csv"]);
    env.ok(&["import", "sim.csv"]);
    switch_to_rollback_journal(&env.db());
    let hot = env.path().join("hot.db");
    with_hot_journal(&env.db(), &hot);
    let before = env.snapshot();
    for args in [
        vec!["--db", "hot.db", "show", "1"],
        vec!["--db", "hot.db", "export"],
    ] {
        let refused = env.run(&args).code(1);
        let message = stderr(&refused);
        assert!(
            message.contains("hot.db-journal holds changes"),
            "{message}"
        );
        assert!(!message.contains("UNCOMMITTED"), "{message}");
    }
    assert_eq!(env.snapshot(), before, "a refused read changed a file");
    env.ok(&["--db", "hot.db", "init"]);
    let exported = env.ok(&["--db", "hot.db", "export"]);
    assert!(!exported.contains("UNCOMMITTED"));
    assert_eq!(exported, env.ok(&["export"]));
}
