//! One integration binary driving the real `polltrack` binary, each test in its own temporary
//! directory with a clean environment.

mod chart;
mod colours;
mod concurrency;
mod database_file;
mod dump;
mod elections;
mod export_columns;
mod feedback;
mod history;
mod hostile_input;
mod identity;
mod import_by_pollster;
mod import_export;
mod kind;
mod limits;
mod messy_files;
mod outputs;
mod polls;
mod pollster_names;
mod quick;
mod readme;
mod real_trends;
mod registry;
mod trend;
mod validation;

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

/// A temporary working directory with `polls.db` as the default database.
pub struct Env {
    dir: TempDir,
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
        }
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

    /// Every file in the directory with its bytes, to prove a command changed nothing.
    pub fn snapshot(&self) -> Vec<(String, Vec<u8>)> {
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
        self.snapshot().into_iter().map(|(name, _)| name).collect()
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
