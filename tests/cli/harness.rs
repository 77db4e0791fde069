//! What every command-line test uses: a temporary directory and database, the binary, shared
//! inputs and exit statuses. Shared by the tests on SQLite (`cli`) and on PostgreSQL
//! (`cli_postgres`), which says which by its `BACKEND`.

use assert_cmd::assert::Assert;
use assert_cmd::prelude::*;
use std::path::{Path, PathBuf};
use std::process::Command;
use tempfile::TempDir;

// The library's unit tests and these share one helper for the shared real data.
#[path = "../../src/test_support.rs"]
mod test_support;
pub(crate) use test_support::shared_data;

/// The options of the README's import of wahlrecht.de's German federal table (after the
/// file's name): question, wording, the pollster and date columns, the parties.
pub const GERMAN_IMPORT: &[&str] = &[
    "--question",
    "de-bundestag",
    "--wording",
    "Sonntagsfrage",
    "--map",
    "pollster=Institut",
    "--map",
    "published_on=Datum",
    "--answers",
    "CDUCSU=CDU/CSU,SPD,Gruene=Grüne,FDP,LINKE=Linke,AfD,FW=Freie Wähler,BSW",
];

/// Which database the commands of a test run against.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// `polls.db` in the test's directory, the default database.
    Sqlite,
    /// A fresh database of the server `POLLTRACK_TEST_POSTGRES` names, given to every command
    /// as `POLLTRACK_DB`, dropped when the test ends.
    Postgres,
}

/// A temporary working directory with `polls.db` as the default database (or, on PostgreSQL,
/// a fresh database of the test server).
pub struct Env {
    dir: TempDir,
    postgres: Option<postgres::Database>,
}

/// The GSOMIA poll of the design document, as a user types it.
pub const GSOMIA: &[&str] = &[
    "add",
    "--pollster",
    "Gallup Korea",
    "--question",
    "kr-gsomia",
    "--wording",
    "Do you support or oppose the GSOMIA military intelligence-sharing agreement with Japan?",
    "--answer",
    "Oppose=59",
    "--published",
    "2016-11-18",
    "--region",
    "South Korea",
    "--source-title",
    "South Korea signs controversial intelligence pact with Japan",
    "--outlet",
    "Press TV",
    "--source-date",
    "2016-11-23",
];

impl Default for Env {
    fn default() -> Env {
        Env::new()
    }
}

impl Env {
    pub fn new() -> Env {
        Env {
            dir: tempfile::tempdir().expect("temp dir"),
            postgres: (crate::BACKEND == Backend::Postgres).then(postgres::Database::create),
        }
    }

    /// Whether the commands run on a PostgreSQL database.
    pub fn on_postgres(&self) -> bool {
        self.postgres.is_some()
    }

    /// For a test about what only an SQLite file has: on PostgreSQL it says so (`why`) and
    /// returns true, and the test stops there.
    pub fn sqlite_only(&self, why: &str) -> bool {
        if self.on_postgres() {
            eprintln!("not on PostgreSQL: {why}");
        }
        self.on_postgres()
    }

    /// The PostgreSQL database's URL, on PostgreSQL.
    pub fn postgres_url(&self) -> Option<&str> {
        self.postgres.as_ref().map(|db| db.url.as_str())
    }

    /// The database the commands use when `--db` is not given: `polls.db`, or on PostgreSQL
    /// the test database's URL.
    pub fn db_arg(&self) -> String {
        self.postgres_url().unwrap_or("polls.db").to_string()
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    pub fn db(&self) -> PathBuf {
        self.dir.path().join("polls.db")
    }

    /// `polltrack` in this directory, with nothing from the caller's environment.
    pub fn cmd(&self) -> Command {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_polltrack"));
        cmd.current_dir(self.dir.path()).env_clear();
        if let Some(db) = &self.postgres {
            cmd.env("POLLTRACK_DB", &db.url);
        }
        cmd
    }

    pub fn run(&self, args: &[&str]) -> Assert {
        self.cmd().args(args).assert()
    }

    /// Runs a command that must succeed and returns its standard output.
    pub fn ok(&self, args: &[&str]) -> String {
        let output = self.run(args).success().get_output().stdout.clone();
        String::from_utf8(output).expect("utf-8 output")
    }

    pub fn json(&self, args: &[&str]) -> serde_json::Value {
        serde_json::from_str(&self.ok(args)).expect("JSON output")
    }

    /// Every file in the directory with its bytes, and on PostgreSQL the database's dump (or
    /// why there is none), to prove a command changed nothing.
    pub fn snapshot(&self) -> Vec<(String, Vec<u8>)> {
        let mut files = self.files();
        if self.postgres.is_some() {
            let dumped = self
                .cmd()
                .args(["dump", "-o", "-"])
                .output()
                .expect("run dump");
            let mut bytes = dumped.stdout;
            bytes.extend(dumped.stderr);
            files.push(("(PostgreSQL database)".to_string(), bytes));
        }
        files
    }

    fn files(&self) -> Vec<(String, Vec<u8>)> {
        let mut files: Vec<(String, Vec<u8>)> = std::fs::read_dir(self.dir.path())
            .expect("read dir")
            .map(|entry| {
                let entry = entry.expect("dir entry");
                let name = entry.file_name().to_string_lossy().into_owned();
                (name, std::fs::read(entry.path()).expect("read file"))
            })
            .collect();
        files.sort();
        files
    }

    pub fn file_names(&self) -> Vec<String> {
        self.files().into_iter().map(|(name, _)| name).collect()
    }
}

/// Records a presidential approval poll (Approve 41, Disapprove 52, question `us-approval`) by
/// `pollster` published on `date`, with `extra` options; it must succeed. Returns what it said
/// on standard error.
pub fn add_approval(env: &Env, pollster: &str, date: &str, extra: &[&str]) -> String {
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

/// A database with a row in every table: sources with and without URL, a title-only source,
/// partisan, tracking and election flags, a topic, a kind, colours, sponsors, aliases, a merged
/// pollster, edits, a delete, and the ids a 538 file gives its polls and questions.
pub fn every_kind_of_row(env: &Env) {
    env.ok(GSOMIA);
    #[rustfmt::skip]
    env.ok(&["add", "--pollster", "Realmeter", "--question", "kr-gsomia", "--answer", "Oppose=50",
        "--answer", "Support=40", "--start", "2019-08-20", "--end", "2019-08-23", "--sample",
        "1004.5", "--moe", "3.1", "--population", "lv", "--sponsor", "YTN", "--sponsor", "MBN",
        "--source", "https://example.com/realmeter", "--source-title", "Most oppose",
        "--outlet", "Yonhap", "--source-date", "2019-08-24", "--partisan", "--tracking",
        "--mode", "live phone", "--notes", "two\nlines"]);
    #[rustfmt::skip]
    env.ok(&["add", "--new-pollster", "--pollster", "Real Meter", "--question", "kr-moon", "--wording", "Moon?",
        "--answer", "Approve=45.5", "--published", "2019-09-01", "--source",
        "https://example.com/bare"]);
    #[rustfmt::skip]
    env.ok(&["add", "--pollster", "NEC", "--question", "kr-moon", "--answer", "Approve=41.08",
        "--end", "2017-05-09", "--election"]);
    env.ok(&[
        "add",
        "--poll",
        "2",
        "--question",
        "kr-moon",
        "--answer",
        "Approve=47",
    ]);
    env.ok(&["pollster", "merge", "Real Meter", "Realmeter"]);
    env.ok(&["pollster", "alias", "Gallup", "Gallup Korea"]);
    env.ok(&["edit", "2", "--notes", "by phone"]);
    #[rustfmt::skip]
    env.ok(&["source", "add", "--title", "Evening news report", "--outlet", "Example TV",
        "--poll", "1"]);
    env.ok(&[
        "question",
        "rename",
        "kr-gsomia",
        "kr-gsomia",
        "--topic",
        "Japan relations",
    ]);
    env.ok(&["question", "kind", "kr-moon", "approval"]);
    env.ok(&["question", "color", "kr-moon", "Approve=#1AA037"]);
    // Polls and questions with the ids of their source file.
    let file = env.path().join("538.csv");
    std::fs::write(
        &file,
        "poll_id,question_id,pollster,start_date,end_date,population,sample_size,\
         methodology,answer,pct,url,cycle,stage,candidate_name,state\n\
         901,77,Emerson,1/2/20,1/3/20,lv,1000,Online,Biden,48,,2020,general,,\n\
         901,77,Emerson,1/2/20,1/3/20,lv,1000,Online,Trump,45,,2020,general,,\n\
         902,78,Emerson,2/2/20,2/3/20,lv,1000,Online,Biden,47,,2020,general,,\n\
         902,78,Emerson,2/2/20,2/3/20,lv,1000,Online,Trump,46,,2020,general,,\n",
    )
    .unwrap();
    env.ok(&["import", "538.csv", "--format", "538"]);
    env.ok(&["delete", "902", "--yes"]);
}

pub fn stderr(assert: &Assert) -> String {
    String::from_utf8_lossy(&assert.get_output().stderr).into_owned()
}

/// Exit statuses of the README.
pub mod exit {
    pub const FAILED: i32 = 1;
    pub const USAGE: i32 = 2;
    pub const INVALID: i32 = 3;
    pub const NOT_FOUND: i32 = 4;
    pub const CONFLICT: i32 = 5;
}

/// Fresh databases on the PostgreSQL test server.
mod postgres {
    use sqlx::{AssertSqlSafe, Connection, PgConnection};
    use std::sync::atomic::{AtomicU64, Ordering};

    const SERVER_VARIABLE: &str = "POLLTRACK_TEST_POSTGRES";

    static NEXT: AtomicU64 = AtomicU64::new(1);

    /// A database made for one test, dropped with it.
    pub struct Database {
        name: String,
        pub url: String,
        server: String,
    }

    impl Database {
        /// A new, empty database (the first command that writes gives it polltrack's tables,
        /// as it would a new file). Without a server to test on, the tests on PostgreSQL end
        /// here: the process says so and exits successfully.
        pub fn create() -> Database {
            let server = match std::env::var(SERVER_VARIABLE) {
                Ok(url) if !url.trim().is_empty() => url,
                _ => {
                    eprintln!(
                        "skipped: {SERVER_VARIABLE} is not set (no PostgreSQL server): the \
                         command-line tests on PostgreSQL did not run"
                    );
                    std::process::exit(0);
                }
            };
            let name = format!(
                "polltrack_cli_{}_{}",
                std::process::id(),
                NEXT.fetch_add(1, Ordering::Relaxed)
            );
            admin(
                &server,
                &format!("CREATE DATABASE \"{name}\" TEMPLATE template0"),
            );
            let mut url = url::Url::parse(&server).expect("a PostgreSQL URL");
            url.set_path(&format!("/{name}"));
            Database {
                name,
                url: url.to_string(),
                server,
            }
        }
    }

    impl Drop for Database {
        fn drop(&mut self) {
            if !std::thread::panicking() {
                admin(
                    &self.server,
                    &format!("DROP DATABASE IF EXISTS \"{}\" WITH (FORCE)", self.name),
                );
            }
        }
    }

    /// Runs one statement on the server's own database.
    fn admin(server: &str, sql: &str) {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("a runtime");
        runtime.block_on(async {
            let mut conn = PgConnection::connect(server)
                .await
                .unwrap_or_else(|e| panic!("connect to the test server: {e}"));
            sqlx::raw_sql(AssertSqlSafe(sql.to_string()))
                .execute(&mut conn)
                .await
                .unwrap_or_else(|e| panic!("{sql}: {e}"));
            let _ = conn.close().await;
        });
    }
}
