//! Files the commands write: never over the database or their own input, never half-written,
//! and a saved chart never outside its folder.

use super::{Env, GSOMIA, exit, stderr};
use assert_cmd::prelude::*;
use std::path::Path;

/// A database of 200 simulated polls of question `sim-1`.
fn two_hundred_polls() -> Env {
    let env = Env::new();
    env.ok(&["simulate", "--polls", "200", "--seed", "4", "-o", "sim.csv"]);
    env.ok(&["import", "sim.csv"]);
    env
}

fn poll_count(env: &Env) -> usize {
    env.json(&["list", "--json"])
        .as_array()
        .expect("array")
        .len()
}

/// The names in a folder (hidden ones too), sorted.
fn names(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .expect("read dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

fn read(path: impl AsRef<Path>) -> Vec<u8> {
    std::fs::read(path).expect("read")
}

/// Runs a command that must be refused as a usage error naming `target` and `protected`,
/// writing nothing at all.
fn refused(env: &Env, args: &[&str], target: &str, protected: &str) -> String {
    let before = names(env.path());
    let db = read(env.db());
    let assert = env.run(args).code(exit::USAGE);
    let message = stderr(&assert);
    assert!(
        message.contains(&format!("will not write {target}:")) && message.contains(protected),
        "{args:?}: {message}"
    );
    assert_eq!(names(env.path()), before, "{args:?} wrote nothing");
    assert_eq!(read(env.db()), db, "{args:?} left the database as it was");
    message
}

#[test]
fn no_output_goes_over_the_database_whatever_its_name() {
    let env = two_hundred_polls();
    let m = refused(
        &env,
        &["trend", "sim-1", "-o", "polls.db"],
        "polls.db",
        "the database",
    );
    assert!(m.contains("same file as polls.db (the database)"), "{m}");
    refused(
        &env,
        &["house-effects", "sim-1", "-o", "polls.db"],
        "polls.db",
        "the database",
    );
    refused(
        &env,
        &["export", "-o", "polls.db"],
        "polls.db",
        "the database",
    );
    refused(
        &env,
        &["export", "--format", "wide", "-o", "./polls.db"],
        "./polls.db",
        "the database",
    );
    refused(
        &env,
        &["export", "-o", "polls.db-wal"],
        "polls.db-wal",
        "write-ahead log",
    );
    refused(
        &env,
        &["trend", "sim-1", "-o", "polls.db-journal"],
        "polls.db-journal",
        "journal",
    );
    refused(
        &env,
        &["simulate", "--polls", "10", "-o", "polls.db"],
        "polls.db",
        "the database",
    );
    std::fs::create_dir(env.path().join("sub")).expect("sub/");
    refused(
        &env,
        &["--db", "sub/../polls.db", "export", "-o", "polls.db"],
        "polls.db",
        "sub/../polls.db",
    );
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink("polls.db", env.path().join("link.png")).expect("link");
        refused(
            &env,
            &["chart", "sim-1", "-o", "link.png"],
            "link.png",
            "polls.db (the database)",
        );
        refused(
            &env,
            &["export", "-o", "link.png"],
            "link.png",
            "the database",
        );
        std::fs::remove_file(env.path().join("link.png")).expect("remove");
    }
    // Another name of the same file.
    std::fs::hard_link(env.db(), env.path().join("hard.csv")).expect("hard link");
    refused(
        &env,
        &["export", "-o", "hard.csv"],
        "hard.csv",
        "the database",
    );
    std::fs::remove_file(env.path().join("hard.csv")).expect("remove");
    // Appending standard output to the database is refused too.
    let append = std::fs::OpenOptions::new()
        .append(true)
        .open(env.db())
        .expect("open");
    let db = read(env.db());
    let assert = env
        .cmd()
        .args(["export"])
        .stdout(append)
        .assert()
        .code(exit::USAGE);
    assert!(
        stderr(&assert)
            .contains("will not write to standard output: it is the same file as polls.db"),
        "{}",
        stderr(&assert)
    );
    assert_eq!(read(env.db()), db);
    assert_eq!(poll_count(&env), 200);
}

/// One good poll and one with a date that does not exist.
const NEW: &str = "poll_id,pollster,field_start,field_end,question,question_wording,answer,pct,sample_size\n\
    1,YouGov,2024-03-01,2024-03-04,us-approval,Approval,Approve,41,1500\n\
    2,Ipsos,2024-02-30,2024-03-04,us-approval,Approval,Approve,40,1000\n";

fn import(rejects: &str) -> [&str; 5] {
    ["import", "new.csv", "--skip-invalid", "--rejects", rejects]
}

#[test]
fn rejects_never_go_over_the_database_or_the_file_imported() {
    let env = two_hundred_polls();
    std::fs::write(env.path().join("new.csv"), NEW).expect("write");
    refused(&env, &import("polls.db"), "polls.db", "the database");
    assert_eq!(poll_count(&env), 200);
    let m = refused(
        &env,
        &import("new.csv"),
        "new.csv",
        "the file being imported",
    );
    assert!(
        m.contains("same file as new.csv (the file being imported)"),
        "{m}"
    );
    refused(
        &env,
        &import("./new.csv"),
        "./new.csv",
        "the file being imported",
    );
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink("new.csv", env.path().join("r.csv")).expect("link");
        refused(&env, &import("r.csv"), "r.csv", "the file being imported");
        std::fs::remove_file(env.path().join("r.csv")).expect("remove");
    }
    assert_eq!(read(env.path().join("new.csv")), NEW.as_bytes());
    let dash = env.run(&import("-")).code(exit::USAGE);
    assert!(stderr(&dash).contains("--rejects -"), "{}", stderr(&dash));

    // A failed import leaves an old rejects file as it was.
    std::fs::write(env.path().join("rejects.csv"), "old\n").expect("write");
    env.run(&[
        "import",
        "missing.csv",
        "--skip-invalid",
        "--rejects",
        "rejects.csv",
    ])
    .code(exit::NOT_FOUND);
    assert_eq!(read(env.path().join("rejects.csv")), b"old\n");

    let out = env.ok(&import("rejects.csv"));
    assert!(
        out.contains("added 1 poll") && out.contains("1 rejected"),
        "{out}"
    );
    let rejects = String::from_utf8(read(env.path().join("rejects.csv"))).expect("utf-8");
    assert_eq!(rejects.lines().count(), 2, "{rejects}");
    assert!(rejects.contains("2024-02-30"), "{rejects}");
    assert_eq!(poll_count(&env), 201);
}

#[test]
fn two_outputs_of_one_command_are_never_one_file() {
    let env = Env::new();
    let before = names(env.path());
    let assert = env
        .run(&[
            "simulate",
            "--polls",
            "10",
            "-o",
            "sim.csv",
            "--truth",
            "./sim.csv",
        ])
        .code(exit::USAGE);
    let message = stderr(&assert);
    assert!(
        message.contains(
            "will not write ./sim.csv: it is the same file as sim.csv (the output of -o)"
        ),
        "{message}"
    );
    assert_eq!(names(env.path()), before);
}

/// A folder of chart definitions beside the database, with one definition.
fn definition(env: &Env, folder: &str, name: &str, text: &str) {
    let folder = env.path().join(folder);
    std::fs::create_dir_all(&folder).expect("folder");
    std::fs::write(folder.join(name), text).expect("write");
}

#[test]
fn a_saved_chart_is_written_inside_its_folder_only() {
    let env = Env::new();
    env.ok(GSOMIA);
    let outside = env.path().join("outside");
    std::fs::create_dir(&outside).expect("outside/");
    let stolen = outside.join("stolen.png");
    let absolute = format!(
        "question = \"kr-gsomia\"\noutput = \"{}\"\n",
        stolen.display()
    );
    definition(&env, "abs", "abs.toml", &absolute);
    definition(
        &env,
        "climb",
        "climb.toml",
        "question = \"kr-gsomia\"\noutput = \"sub/../../outside/stolen.png\"\n",
    );
    let check = |target: &str, expected: &str| {
        let assert = env.run(&["chart", target]).code(exit::INVALID);
        let message = stderr(&assert);
        assert!(
            message.contains(&format!("chart definition {target}:")) && message.contains(expected),
            "{message}"
        );
    };
    check("abs/abs.toml", "absolute");
    check("climb/climb.toml", "climbs out of climb/");
    #[cfg(unix)]
    {
        // Through a link to a folder outside, or a chart file that is a link outside.
        definition(
            &env,
            "linked",
            "linked.toml",
            "question = \"kr-gsomia\"\noutput = \"out/stolen.png\"\n",
        );
        std::os::unix::fs::symlink(&outside, env.path().join("linked/out")).expect("link");
        check("linked/linked.toml", "leads out of linked/ through a link");
        definition(&env, "named", "stolen.toml", "question = \"kr-gsomia\"\n");
        std::os::unix::fs::symlink(&stolen, env.path().join("named/stolen.png")).expect("link");
        check("named/stolen.toml", "leads out of named/");
    }
    assert!(names(&outside).is_empty(), "nothing written outside");

    // --all refuses before drawing anything.
    definition(&env, "charts", "a-good.toml", "question = \"kr-gsomia\"\n");
    definition(
        &env,
        "charts",
        "b-bad.toml",
        "question = \"kr-gsomia\"\noutput = \"../b.png\"\n",
    );
    let assert = env.run(&["chart", "--all"]).code(exit::INVALID);
    assert!(
        stderr(&assert).contains("charts/b-bad.toml"),
        "{}",
        stderr(&assert)
    );
    assert_eq!(
        names(&env.path().join("charts")),
        ["a-good.toml", "b-bad.toml"]
    );

    // Inside, any way of saying it is fine.
    std::fs::remove_file(env.path().join("charts/b-bad.toml")).expect("remove");
    definition(
        &env,
        "charts",
        "c-sub.toml",
        "question = \"kr-gsomia\"\noutput = \"drawn/../drawn/c.svg\"\n",
    );
    std::fs::create_dir(env.path().join("charts/drawn")).expect("drawn/");
    env.ok(&["chart", "--all"]);
    assert!(env.path().join("charts/a-good.png").is_file());
    assert!(env.path().join("charts/drawn/c.svg").is_file());
}

#[test]
#[cfg(target_os = "linux")]
fn a_write_error_says_which_file_and_why() {
    let env = two_hundred_polls();
    let assert = env.run(&["export", "-o", "/dev/full"]).code(exit::FAILED);
    let message = stderr(&assert);
    assert!(
        message.contains("/dev/full: No space left on device"),
        "{message}"
    );
    let assert = env
        .run(&["trend", "sim-1", "-o", "/dev/full"])
        .code(exit::FAILED);
    assert!(stderr(&assert).contains("/dev/full: No space left"));
    // Devices are written as they are.
    env.ok(&["export", "-o", "/dev/null"]);
}

/// `polltrack ARGS` in the environment's folder, allowed to write files of at most about
/// 128 KB (`ulimit -f` counts blocks of 512 or 1024 bytes, by shell); when `trap` is true
/// the process is told of a write past the limit by an error, else it is killed.
#[cfg(unix)]
fn limited(env: &Env, trap: bool, args: &[&str]) -> std::process::Output {
    let script = format!(
        "ulimit -f 256 && {} exec \"$0\" \"$@\"",
        if trap { "trap '' XFSZ &&" } else { "" }
    );
    std::process::Command::new("/bin/sh")
        .current_dir(env.path())
        .env_clear()
        .arg("-c")
        .arg(script)
        .arg(env!("CARGO_BIN_EXE_polltrack"))
        .args(args)
        .output()
        .expect("sh")
}

#[test]
#[cfg(unix)]
fn a_write_that_fails_midway_or_a_kill_leaves_the_old_file() {
    let env = Env::new();
    env.ok(&[
        "simulate", "--polls", "3000", "--seed", "4", "-o", "sim.csv",
    ]);
    env.ok(&["import", "sim.csv"]);
    assert!(read(env.path().join("sim.csv")).len() > 1 << 20);
    std::fs::write(env.path().join("out.csv"), "the old export\n").expect("write");
    let before = names(env.path());

    let failed = limited(&env, true, &["export", "-o", "out.csv"]);
    let message = String::from_utf8_lossy(&failed.stderr);
    assert_eq!(failed.status.code(), Some(exit::FAILED), "{message}");
    assert!(message.contains("out.csv: File too large"), "{message}");
    assert_eq!(read(env.path().join("out.csv")), b"the old export\n");
    assert_eq!(names(env.path()), before, "no temporary file left");

    // Killed midway: the old file is whole (a hidden temporary file may stay beside it, and
    // the database's side files).
    let killed = limited(&env, false, &["export", "-o", "out.csv"]);
    assert!(!killed.status.success());
    assert_eq!(read(env.path().join("out.csv")), b"the old export\n");
    for name in names(env.path()) {
        assert!(
            before.contains(&name)
                || name.starts_with(".out.csv.")
                || name.starts_with("polls.db-"),
            "{name}"
        );
    }

    // Unlimited, the export replaces the old file whole.
    env.ok(&["export", "-o", "out.csv"]);
    let out = read(env.path().join("out.csv"));
    assert!(out.len() > 1 << 20 && out.ends_with(b"\n"));
}

#[test]
fn outputs_replace_whole_files_and_standard_output_still_works() {
    let env = two_hundred_polls();
    let csv = env.ok(&["trend", "sim-1", "--method", "loess"]);
    assert!(csv.starts_with("date,answer,estimate"));
    assert_eq!(
        env.ok(&["trend", "sim-1", "--method", "loess", "-o", "-"]),
        csv
    );
    std::fs::write(env.path().join("trend.csv"), "old\n").expect("write");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let private = std::fs::Permissions::from_mode(0o600);
        std::fs::set_permissions(env.path().join("trend.csv"), private).expect("chmod");
        std::os::unix::fs::symlink("trend.csv", env.path().join("latest.csv")).expect("link");
    }
    #[cfg(not(unix))]
    std::fs::write(env.path().join("latest.csv"), "old\n").expect("write");
    let before = names(env.path());
    env.ok(&["trend", "sim-1", "--method", "loess", "-o", "latest.csv"]);
    assert_eq!(names(env.path()), before);
    assert_eq!(read(env.path().join("latest.csv")), csv.as_bytes());
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let latest = env.path().join("latest.csv");
        assert!(latest.symlink_metadata().expect("meta").is_symlink());
        let trend = env.path().join("trend.csv");
        assert_eq!(read(&trend), csv.as_bytes());
        let mode = trend.metadata().expect("meta").permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
    }
    env.ok(&["house-effects", "sim-1", "-o", "effects.csv"]);
    let effects = String::from_utf8(read(env.path().join("effects.csv"))).expect("utf-8");
    assert!(effects.starts_with("pollster,answer,effect"), "{effects}");
}

/// `import -` reads the file standard input comes from: rejects never go over it, by its name
/// or by `/dev/stdin`.
#[cfg(unix)]
#[test]
fn rejects_never_go_over_the_file_standard_input_reads() {
    let env = two_hundred_polls();
    std::fs::write(env.path().join("new.csv"), NEW).expect("write");
    for rejects in ["new.csv", "/dev/stdin"] {
        let file = std::fs::File::open(env.path().join("new.csv")).expect("open");
        let assert = env
            .cmd()
            .args(["import", "-", "--skip-invalid", "--rejects", rejects])
            .stdin(file)
            .assert()
            .code(exit::USAGE);
        let message = stderr(&assert);
        assert!(message.contains("same file as standard input"), "{message}");
        assert_eq!(read(env.path().join("new.csv")), NEW.as_bytes());
    }
    assert_eq!(poll_count(&env), 200);
}

/// A chart is never written over the font it is drawn with, nor over a chart definition.
#[test]
fn a_chart_never_goes_over_its_font_or_a_definition() {
    let env = Env::new();
    env.ok(GSOMIA);
    let font =
        std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/fonts/DejaVuSans.ttf"))
            .expect("the bundled font");
    std::fs::write(env.path().join("f.png"), &font).expect("write");
    refused(
        &env,
        &["chart", "kr-gsomia", "--font", "f.png", "-o", "f.png"],
        "f.png",
        "a font the chart is drawn with",
    );
    assert_eq!(read(env.path().join("f.png")), font);
    definition(
        &env,
        "charts",
        "self.toml",
        "question = \"kr-gsomia\"\noutput = \"self.toml\"\n",
    );
    refused(
        &env,
        &["chart", "charts/self.toml"],
        "charts/self.toml",
        "a chart definition",
    );
}

/// A file marked read-only is not replaced behind its owner's back.
#[cfg(unix)]
#[test]
fn a_read_only_file_is_not_replaced() {
    use std::os::unix::fs::PermissionsExt;
    let env = Env::new();
    env.ok(GSOMIA);
    let kept = env.path().join("kept.csv");
    std::fs::write(&kept, "keep\n").expect("write");
    std::fs::set_permissions(&kept, std::fs::Permissions::from_mode(0o444)).expect("chmod");
    let assert = env.run(&["export", "-o", "kept.csv"]).code(exit::FAILED);
    assert!(stderr(&assert).contains("read-only"), "{}", stderr(&assert));
    assert_eq!(read(&kept), b"keep\n");
}
