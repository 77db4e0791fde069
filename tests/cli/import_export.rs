//! CSV import and export through the real binary.

use super::{Env, exit, shared_data, stderr};
use std::path::{Path, PathBuf};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

fn fixture_arg(name: &str) -> String {
    fixture(name).display().to_string()
}

fn ids(env: &Env) -> Vec<i64> {
    env.json(&["list", "--json"])
        .as_array()
        .expect("array")
        .iter()
        .map(|p| p["id"].as_i64().expect("id"))
        .collect()
}

#[test]
fn export_import_export_gives_the_same_bytes() {
    let env = Env::new();
    let summary = env.ok(&["import", &fixture_arg("long.csv")]);
    assert!(summary.contains("added 3 polls (6 answers)"), "{summary}");
    let exported = env.ok(&["export"]);
    assert_eq!(
        exported,
        std::fs::read_to_string(fixture("long.csv")).expect("fixture")
    );
    std::fs::write(env.path().join("first.csv"), &exported).expect("write");

    let second = Env::new();
    second.ok(&[
        "import",
        &env.path().join("first.csv").display().to_string(),
    ]);
    assert_eq!(second.ok(&["export"]), exported);
    second.ok(&["export", "-o", "again.csv"]);
    assert_eq!(
        std::fs::read_to_string(second.path().join("again.csv")).expect("read"),
        exported
    );

    let poll = env.json(&["show", "2", "--json"]);
    assert_eq!(
        poll["sponsors"],
        serde_json::json!(["Ministry of Truth", "\"Quoted\" Daily"])
    );
    assert_eq!(poll["results"][0]["sample_size"], 1004.5);
    assert_eq!(poll["results"][1]["population"], "a");
    assert_eq!(poll["sources"].as_array().map(Vec::len), Some(2));
    assert_eq!(poll["notes"], "a note, with a comma\nand a second line");
    assert_eq!(env.json(&["show", "5", "--json"])["pollster"], "한국갤럽");
}

#[test]
fn importing_twice_adds_nothing_and_conflicts_follow_the_policy() {
    let env = Env::new();
    env.ok(&["import", &fixture_arg("long.csv")]);
    let again = env.ok(&["import", &fixture_arg("long.csv")]);
    assert!(
        again.contains("added 0 polls (0 answers); 3 already present unchanged, 0 in conflict"),
        "{again}"
    );
    assert_eq!(ids(&env), vec![1, 2, 5]);

    let changed = std::fs::read_to_string(fixture("long.csv"))
        .expect("fixture")
        .replace(",Oppose,55,", ",Oppose,57,");
    std::fs::write(env.path().join("changed.csv"), changed).expect("write");
    let before = env.snapshot();
    let refused = env.run(&["import", "changed.csv"]).code(exit::CONFLICT);
    let err = stderr(&refused);
    assert!(err.contains("changed.csv:3: conflicts with stored poll 2: kr-gsomia/lv answers Oppose=55; Support=35.5 -> Oppose=57; Support=35.5"), "{err}");
    assert!(err.contains("--on-conflict replace"), "{err}");
    assert_eq!(env.snapshot(), before);

    let skipped = env.ok(&["import", "changed.csv", "--on-conflict", "skip"]);
    assert!(skipped.contains("1 skipped"), "{skipped}");
    assert_eq!(
        env.json(&["show", "2", "--json"])["results"][0]["answers"][0]["pct"],
        55.0
    );

    let replaced = env.ok(&["import", "changed.csv", "--on-conflict", "replace"]);
    assert!(replaced.contains("1 replaced"), "{replaced}");
    assert_eq!(
        env.json(&["show", "2", "--json"])["results"][0]["answers"][0]["pct"],
        57.0
    );
    let history = env.json(&["history", "2", "--json"]);
    assert_eq!(history[0]["field"], "kr-gsomia/lv answers");
}

#[test]
fn a_bad_row_anywhere_leaves_the_database_as_it_was() {
    let env = Env::new();
    env.ok(&["import", &fixture_arg("long.csv")]);
    let before = env.snapshot();
    let assert = env
        .run(&["import", &fixture_arg("errors.csv")])
        .code(exit::INVALID);
    let err = stderr(&assert);
    for expected in [
        "errors.csv:3: column pct: percentage \"abc\" is not a number",
        "errors.csv:4: column pollster: the pollster name is empty",
        "errors.csv:4: column field_start: field start 2024-03-05 is after field end 2024-03-02",
        "errors.csv:4: column pct: percentage 120 for \"Approve\" is outside 0..100",
        "errors.csv:4: column sample_size: sample size 0 is below 1",
        "errors.csv:5: column field_start: date \"2024-02-30\" is not a real calendar date",
        "errors.csv:7: column answer: answer \"Approve\" is given twice",
        "4 polls have problems (listed above), so nothing was imported",
    ] {
        assert!(err.contains(expected), "missing {expected:?} in\n{err}");
    }
    assert_eq!(env.snapshot(), before);

    let dry = env.ok(&[
        "import",
        &fixture_arg("errors.csv"),
        "--dry-run",
        "--skip-invalid",
    ]);
    assert!(dry.contains("would add 1 poll (1 answer)"), "{dry}");
    assert_eq!(env.snapshot(), before);
}

#[test]
fn skip_invalid_imports_the_rest_and_writes_the_rejects() {
    let env = Env::new();
    let summary = env.ok(&[
        "import",
        &fixture_arg("errors.csv"),
        "--skip-invalid",
        "--rejects",
        "rejects.csv",
    ]);
    assert!(summary.contains("added 1 poll (1 answer)"), "{summary}");
    assert!(summary.contains("4 rejected"), "{summary}");
    assert_eq!(ids(&env), vec![5]);
    let rejects = std::fs::read_to_string(env.path().join("rejects.csv")).expect("rejects");
    let lines: Vec<&str> = rejects.lines().collect();
    assert_eq!(
        lines[0],
        "poll_id,pollster,field_start,field_end,question,question_wording,answer,pct,sample_size,reason"
    );
    assert_eq!(lines.len(), 7, "{rejects}");
    assert!(
        lines[1]
            .starts_with("1,YouGov,2024-03-01,2024-03-04,us-approval,Approval,Approve,41,1500,"),
        "{rejects}"
    );
    assert!(
        lines[2].contains("percentage \"\"abc\"\" is not a number"),
        "{rejects}"
    );
}

#[test]
fn messy_files_are_read_as_a_careful_person_would() {
    let env = Env::new();
    let summary = env.ok(&["import", &fixture_arg("messy.csv")]);
    assert!(summary.contains("added 2 polls (3 answers)"), "{summary}");
    let polls = env.json(&["list", "--json"]);
    let ipsos = &polls[0];
    assert_eq!(ipsos["pollster"], "Ipsos");
    assert_eq!(ipsos["field_start"], "1999-12-30");
    assert_eq!(ipsos["field_end"], "2000-01-02");
    assert!(ipsos["results"][0]["sample_size"].is_null());
    assert_eq!(ipsos["notes"], "first line\nsecond line");
    let yougov = &polls[1];
    assert_eq!(yougov["pollster"], "YouGov");
    assert_eq!(yougov["field_start"], "2024-03-01");
    assert_eq!(yougov["results"][0]["sample_size"], 1500.5);
    assert!(yougov["notes"].is_null());
    let answers = &yougov["results"][0]["answers"];
    assert_eq!(
        answers.as_array().map(Vec::len),
        Some(2),
        "Unsure has no percentage: unknown"
    );
    assert_eq!(answers[0]["label"], "Approve");
    assert_eq!(answers[0]["pct"], 41.0);
    assert_eq!(answers[1]["pct"], 52.0);
}

#[test]
fn a_wide_file_imports_through_a_mapping() {
    let env = Env::new();
    let args = [
        "import",
        &fixture_arg("wide.csv"),
        "--question",
        "kr-moon-approval",
        "--wording",
        "Moon Jae-in job approval",
        "--map",
        "pollster=house",
        "--map",
        "field_end=week_ending",
        "--map",
        "sample_size=n",
        "--answers",
        "approve=Approve,disapprove=Disapprove,dont_know=Don't know",
    ];
    let summary = env.ok(&args);
    assert!(summary.contains("added 3 polls (8 answers)"), "{summary}");
    let polls = env.json(&["list", "--json"]);
    assert_eq!(polls[1]["pollster"], "Realmeter");
    assert_eq!(polls[1]["results"][0]["answers"][0]["pct"], 47.3);
    assert_eq!(
        polls[1]["results"][0]["answers"].as_array().map(Vec::len),
        Some(2)
    );
    let wide = env.ok(&["export", "--format", "wide"]);
    let lines: Vec<&str> = wide.lines().collect();
    assert_eq!(
        lines[0],
        "poll_id,pollster,sponsors,field_start,field_end,published_on,mode,population,sample_size,\
         margin_of_error,region,question,question_wording,Approve,Disapprove,Don't know,source_urls,notes"
    );
    assert_eq!(
        lines[2],
        "2,Realmeter,,,2019-08-30,,,a,2003,,,kr-moon-approval,Moon Jae-in job approval,47.3,49.1,,,"
    );

    let bad = env
        .run(&["import", &fixture_arg("wide.csv"), "--map", "pollster=firm"])
        .code(exit::INVALID);
    assert!(
        stderr(&bad).contains("there is no column \"firm\""),
        "{}",
        stderr(&bad)
    );
    env.run(&[
        "import",
        &fixture_arg("wide.csv"),
        "--map",
        "pollsters=house",
    ])
    .code(exit::USAGE);
}

#[test]
fn export_filters_and_standard_input() {
    let env = Env::new();
    let file = std::fs::read(fixture("long.csv")).expect("fixture");
    let mut import = env.cmd();
    import.args(["import", "-"]);
    assert_cmd::Command::from_std(import)
        .write_stdin(file)
        .assert()
        .success();
    let gsomia = env.ok(&["export", "--question", "kr-gsomia", "--population", "lv"]);
    assert_eq!(gsomia.matches("\n2,Realmeter,").count(), 2, "{gsomia}");
    assert!(!gsomia.contains(",a,1500,"), "{gsomia}");
    let since = env.ok(&["export", "--since", "2019-08-25"]);
    assert!(
        since.lines().skip(1).all(|l| l.starts_with("5,")),
        "{since}"
    );
    // A pollster not stored is not found, rather than an empty file.
    env.run(&["export", "--pollster", "nobody"])
        .code(super::exit::NOT_FOUND);
}

#[test]
fn a_killed_import_leaves_the_database_as_it_was() {
    let env = Env::new();
    env.ok(&["import", &fixture_arg("long.csv")]);
    let mut big = String::from("poll_id,pollster,field_end,question,question_wording,answer,pct\n");
    let first = chrono::NaiveDate::from_ymd_opt(1950, 1, 1).expect("date");
    for i in 0..150_000 {
        let day = first + chrono::Duration::days(i / 7);
        big.push_str(&format!(
            "{},Pollster {},{day},q,A question,Yes,{}\n",
            100 + i,
            i % 7,
            i % 90
        ));
    }
    std::fs::write(env.path().join("big.csv"), big).expect("write");
    let mut child = env
        .cmd()
        .args(["import", "big.csv"])
        .spawn()
        .expect("spawn");
    // Kill it while it writes: once the write-ahead log holds some of the import (on
    // PostgreSQL, whose writes are not seen outside, a moment after it starts).
    let wal = env.path().join("polls.db-wal");
    let started = std::time::Instant::now();
    if env.on_postgres() {
        std::thread::sleep(std::time::Duration::from_millis(700));
    }
    while !env.on_postgres()
        && std::fs::metadata(&wal).map(|m| m.len()).unwrap_or(0) < 1 << 20
        && started.elapsed() < std::time::Duration::from_secs(60)
    {
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    assert!(
        child.try_wait().expect("poll child").is_none(),
        "the import ended before it was killed"
    );
    child.kill().expect("kill -9");
    child.wait().expect("wait");
    assert_eq!(
        ids(&env),
        vec![1, 2, 5],
        "nothing of the killed import is stored"
    );
    assert!(
        env.ok(&["import", &fixture_arg("long.csv")])
            .contains("3 already present unchanged")
    );
}

/// Long enough for several pages of an export, with polls of two questions that may straddle
/// a page's end.
fn many_polls(env: &Env) -> String {
    let mut file = String::from(
        "poll_id,pollster,field_end,question,question_wording,population,answer,pct\n",
    );
    let first = chrono::NaiveDate::from_ymd_opt(2000, 1, 1).expect("date");
    for i in 0..6_000 {
        let day = first + chrono::Duration::days(i / 5);
        let questions: &[&str] = if i % 3 == 0 { &["q", "r"] } else { &["q"] };
        for question in questions {
            for (answer, pct) in [("Yes", i % 60), ("No", 30)] {
                file.push_str(&format!(
                    "{},Pollster {},{day},{question},Question {question},a,{answer},{pct}\n",
                    i + 1,
                    i % 5
                ));
            }
        }
    }
    std::fs::write(env.path().join("many.csv"), &file).expect("write");
    file
}

#[test]
fn a_large_export_pages_through_every_poll() {
    let env = Env::new();
    let file = many_polls(&env);
    env.ok(&["import", "many.csv"]);
    let exported = env.ok(&["export"]);
    assert_eq!(exported.lines().count(), file.lines().count());
    let again = Env::new();
    std::fs::write(again.path().join("exported.csv"), &exported).expect("write");
    again.ok(&["import", "exported.csv"]);
    assert_eq!(again.ok(&["export"]), exported);
    let wide = env.ok(&["export", "--format", "wide", "--question", "r"]);
    assert_eq!(wide.lines().count(), 1 + 2_000);
}

#[test]
fn an_export_into_a_closed_pipe_ends_quietly() {
    use std::io::Read;
    let env = Env::new();
    many_polls(&env);
    env.ok(&["import", "many.csv"]);
    let mut child = env
        .cmd()
        .arg("export")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("spawn");
    let mut first = [0u8; 100];
    let mut stdout = child.stdout.take().expect("stdout");
    stdout.read_exact(&mut first).expect("read");
    drop(stdout);
    let output = child.wait_with_output().expect("wait");
    assert!(first.starts_with(b"poll_id,"));
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(String::from_utf8_lossy(&output.stderr), "");
}

/// Export, import into an empty database, export again: the same bytes.
fn assert_round_trip(env: &Env) -> String {
    let first = env.ok(&["export"]);
    let again = Env::new();
    std::fs::write(again.path().join("first.csv"), &first).expect("write");
    again.ok(&["import", "first.csv"]);
    assert_eq!(again.ok(&["export"]), first);
    first
}

#[test]
fn shared_sources_flags_and_line_ends_survive_the_round_trip() {
    let env = Env::new();
    let add = |extra: &[&str]| {
        let mut args = vec![
            "add",
            "--pollster",
            "Ipsos",
            "--question",
            "q",
            "--wording",
            "Q?",
            "--answer",
            "Yes=40",
        ];
        args.extend_from_slice(extra);
        env.ok(&args);
    };
    env.ok(&["source", "add", "https://u1.example"]);
    add(&["--end", "2024-01-02", "--source", "https://u2.example"]);
    add(&[
        "--end",
        "2024-01-03",
        "--source",
        "https://u1.example",
        "--partisan",
        "--notes",
        "one\r\ntwo",
    ]);
    env.ok(&["source", "link", "https://u2.example", "2"]);
    let exported = assert_round_trip(&env);
    assert!(exported.contains("https://u1.example https://u2.example"));
    assert!(exported.contains("\"one\ntwo\""));
    // The long format has no flag columns: importing it over the stored polls changes nothing.
    std::fs::write(env.path().join("back.csv"), &exported).expect("write");
    assert!(
        env.ok(&["import", "back.csv"])
            .contains("2 already present unchanged")
    );
    assert_eq!(env.json(&["show", "2", "--json"])["partisan"], true);
}

#[test]
fn replacing_from_a_filtered_export_keeps_what_the_file_leaves_out() {
    let env = Env::new();
    env.ok(&["import", &fixture_arg("long.csv")]);
    let before = env.ok(&["show", "2", "--json"]);
    let part = env.ok(&["export", "--question", "kr-gsomia", "--population", "lv"]);
    std::fs::write(env.path().join("part.csv"), &part).expect("write");
    // Unchanged, it is simply present.
    assert!(env.ok(&["import", "part.csv"]).contains("0 in conflict"));
    std::fs::write(
        env.path().join("part.csv"),
        part.replace(",Oppose,55,", ",Oppose,56,"),
    )
    .expect("write");
    env.ok(&["import", "part.csv", "--on-conflict", "replace"]);
    let after = env.json(&["show", "2", "--json"]);
    let before: serde_json::Value = serde_json::from_str(&before).expect("json");
    assert_eq!(
        after["results"].as_array().map(Vec::len),
        before["results"].as_array().map(Vec::len),
        "result sets the file did not give are kept"
    );
    assert!(after.to_string().contains("56"));
}

#[test]
fn a_sponsor_in_another_case_is_the_same_sponsor() {
    let env = Env::new();
    env.ok(&[
        "add",
        "--pollster",
        "YouGov",
        "--sponsor",
        "ABC News",
        "--question",
        "q",
        "--wording",
        "Q?",
        "--answer",
        "Yes=40",
        "--end",
        "2024-01-02",
    ]);
    std::fs::write(
        env.path().join("f.csv"),
        "pollster,sponsors,field_end,question,answer,pct\nYouGov,abc news,2024-01-02,q,Yes,40\n",
    )
    .expect("write");
    assert!(
        env.ok(&["import", "f.csv"])
            .contains("1 already present unchanged")
    );
    // Another client's poll of the same days is another poll.
    std::fs::write(
        env.path().join("g.csv"),
        "pollster,sponsors,field_end,question,answer,pct\nYouGov,CBS,2024-01-02,q,Yes,44\n",
    )
    .expect("write");
    assert!(env.ok(&["import", "g.csv"]).contains("added 1 poll"));
}

#[test]
fn the_importers_own_rejections_reach_the_rejects_file() {
    let env = Env::new();
    std::fs::write(
        env.path().join("f.csv"),
        "poll_id,pollster,field_end,question,question_wording,answer,pct\n\
         1,A,2024-01-02,qa,Question A,Yes,40\n\
         1,A,2024-01-02,qb,,Yes,41\n\
         2,B,2024-01-02,qa,,Yes,42\n\
         3,C,2024-01-02,qc,,Yes,43\n",
    )
    .expect("write");
    let out = env.ok(&["import", "f.csv", "--skip-invalid", "--rejects", "r.csv"]);
    assert!(out.contains("added 0 polls"), "{out}");
    let rejects = std::fs::read_to_string(env.path().join("r.csv")).expect("rejects");
    assert_eq!(rejects.lines().count(), 1 + 4, "{rejects}");
    assert!(rejects.contains("question qc is new"));
}

#[test]
fn doubtful_files_are_refused_or_warned_about() {
    let env = Env::new();
    std::fs::write(
        env.path().join("dup.csv"),
        "pollster,field_end,question,question_wording,answer,pct,pct\nA,2024-01-02,q,Q,Yes,40,41\n",
    )
    .expect("write");
    let dup = env.run(&["import", "dup.csv"]).code(3);
    assert!(stderr(&dup).contains("2 columns are named \"pct\""));

    std::fs::write(
        env.path().join("odd.csv"),
        "pollster,field_start,published_on,question,question_wording,sample_size,answer,pct\n\
         A,6/1/68,2024-01-01,q,Q,\"1,5\",Yes,40\n\
         B,2024-01-01,,q,Q,1.5,Yes,40\n",
    )
    .expect("write");
    let odd = env.run(&["import", "odd.csv"]).code(3);
    let told = stderr(&odd);
    assert!(told.contains("odd.csv:2: column sample_size"), "{told}");
    assert!(
        told.contains("odd.csv:3: warning:") && told.contains("very small"),
        "{told}"
    );
}

#[test]
fn a_dry_run_leaves_no_database_behind() {
    let env = Env::new();
    let out = env.ok(&["import", &fixture_arg("long.csv"), "--dry-run"]);
    assert!(out.contains("would add 3 polls"), "{out}");
    assert!(!env.db().exists());
}

#[test]
fn a_fivethirtyeight_file_survives_the_round_trip() {
    let Some(file) = shared_data("fivethirtyeight-pollspage-2024/president_polls.csv") else {
        return;
    };
    let env = Env::new();
    let file = file.to_string_lossy().to_string();
    env.ok(&["import", "--format", "538", &file]);
    let exported = assert_round_trip(&env);
    std::fs::write(env.path().join("back.csv"), exported).expect("write");
    assert!(env.ok(&["import", "back.csv"]).contains("added 0 polls"));
}
