//! Crashes and runaway resources: options beyond their limits are usage errors naming the flag
//! and the limit, files that are not fonts are refused unread, and no trend prints a number
//! that is not finite.

use super::{Env, GSOMIA, exit, stderr};

/// A database of simulated polls.
fn simulated() -> Env {
    let env = Env::new();
    env.ok(&[
        "simulate",
        "--polls",
        "120",
        "--days",
        "200",
        "--seed",
        "5",
        "-o",
        "polls.csv",
    ]);
    env.ok(&["import", "polls.csv"]);
    env
}

/// Runs a command that must be refused as a usage error whose message names `words`.
fn refused(env: &Env, args: &[&str], words: &[&str]) {
    let assert = env.run(args).code(exit::USAGE);
    let message = stderr(&assert);
    for word in words {
        assert!(message.contains(word), "{args:?}: {message}");
    }
}

#[test]
fn simulate_options_beyond_their_limits_are_usage_errors() {
    let env = Env::new();
    refused(
        &env,
        &["simulate", "--days", "4294967295"],
        &["--days", "1..=36525"],
    );
    refused(
        &env,
        &["simulate", "--polls", "1000001"],
        &["--polls", "1..=1000000"],
    );
    refused(&env, &["simulate", "--polls", "0"], &["--polls"]);
    refused(
        &env,
        &["simulate", "--questions", "101"],
        &["--questions", "1..=100"],
    );
    refused(
        &env,
        &["simulate", "--pollsters", "1001"],
        &["--pollsters", "1..=1000"],
    );
    refused(&env, &["demo", "--polls", "2000000"], &["--polls"]);
    // At the limits themselves, it works.
    let csv = env.ok(&[
        "simulate",
        "--polls",
        "3",
        "--start",
        "1900-01-01",
        "--days",
        "36525",
        "--questions",
        "100",
        "--pollsters",
        "1000",
    ]);
    assert!(csv.lines().count() > 3, "{csv}");
    assert!(env.file_names().is_empty(), "nothing written");
}

#[test]
fn trend_and_chart_numbers_beyond_their_ranges_are_usage_errors() {
    let env = simulated();
    for (args, words) in [
        (&["--step", "1e154"][..], &["--step", "0.001 to 10"][..]),
        (&["--step", "0"], &["--step"]),
        (&["--step", "NaN"], &["--step"]),
        (&["--poll-noise=-1"], &["--poll-noise", "0 to 20"]),
        (&["--poll-noise", "inf"], &["--poll-noise"]),
        (&["--span", "0"], &["--span", "above 0 and at most 1"]),
        (&["--span", "1.5"], &["--span"]),
        (&["--iterations", "1000000"], &["--iterations", "0..=10"]),
        (&["--window", "0"], &["--window", "1..=3650"]),
        (&["--window", "100000"], &["--window"]),
    ] {
        for command in ["trend", "chart"] {
            let mut full = vec![command, "sim-1"];
            full.extend(args);
            refused(&env, &full, words);
        }
    }
    refused(
        &env,
        &["house-effects", "sim-1", "--step", "1e154"],
        &["--step", "0.001 to 10"],
    );
    refused(
        &env,
        &["chart", "sim-1", "--width", "4294967295"],
        &["--width", "320..=10000"],
    );
    refused(&env, &["chart", "sim-1", "--height", "10"], &["--height"]);
}

#[test]
fn a_chart_definition_beyond_the_size_limits_is_refused_naming_the_file() {
    let env = simulated();
    std::fs::write(
        env.path().join("huge.toml"),
        "question = \"sim-1\"\nwidth = 4000000000\n",
    )
    .expect("write");
    let assert = env.run(&["chart", "huge.toml"]).code(exit::INVALID);
    let message = stderr(&assert);
    assert!(
        message.contains("huge.toml") && message.contains("`width`"),
        "{message}"
    );
}

/// Every number of every row of a trend's CSV is finite.
fn all_finite(csv: &str) {
    for line in csv.lines().skip(1) {
        for cell in line.split(',').skip(2) {
            if !cell.is_empty() {
                let x: f64 = cell.parse().unwrap_or(f64::NAN);
                assert!(x.is_finite(), "{line}");
            }
        }
    }
}

#[test]
fn an_option_of_another_method_is_refused_not_ignored() {
    let env = simulated();
    for (args, words) in [
        (
            &["--method", "kalman", "--span", "0.1"][..],
            &["--span", "--method loess", "kalman"][..],
        ),
        (&["--iterations", "2"], &["--iterations", "--method loess"]),
        (&["--weights", "none"], &["--weights", "--method loess"]),
        (
            &["--method", "loess", "--window", "10"],
            &["--window", "--method latest"],
        ),
        (
            &["--method", "latest", "--step", "1"],
            &["--step", "--method kalman"],
        ),
        (
            &["--method", "loess", "--poll-noise", "1"],
            &["--poll-noise", "--method kalman"],
        ),
    ] {
        for command in ["trend", "chart"] {
            let mut full = vec![command, "sim-1"];
            full.extend(args);
            refused(&env, &full, words);
        }
    }
}

#[test]
fn trends_at_the_limits_of_their_options_print_only_finite_numbers() {
    let env = simulated();
    for args in [
        &["--method", "kalman", "--step", "10", "--poll-noise", "20"][..],
        &["--method", "kalman", "--step", "0.001", "--poll-noise", "0"],
        &[
            "--method",
            "loess",
            "--span",
            "0.0001",
            "--iterations",
            "10",
        ],
        &["--method", "loess", "--span", "1", "--iterations", "0"],
        &["--method", "latest", "--window", "3650"],
        &["--method", "latest", "--window", "1"],
    ] {
        let mut full = vec!["trend", "sim-1"];
        full.extend(args);
        let csv = env.ok(&full);
        assert!(csv.lines().count() > 1, "{args:?}");
        all_finite(&csv);
        full.push("--json");
        let json = env.json(&full);
        for answer in json["answers"].as_array().expect("answers") {
            for point in answer["points"].as_array().expect("points") {
                assert!(
                    point["estimate"].as_f64().is_some_and(f64::is_finite),
                    "{point}"
                );
            }
        }
    }
}

#[test]
fn a_font_that_is_not_a_regular_file_is_refused_unread() {
    let env = Env::new();
    env.ok(GSOMIA);
    for font in ["/dev/zero", "."] {
        let assert = env
            .run(&["chart", "kr-gsomia", "--font", font])
            .code(exit::INVALID);
        let message = stderr(&assert);
        assert!(
            message.contains(font) && message.contains("not a regular file"),
            "{message}"
        );
    }
    std::fs::create_dir(env.path().join("charts")).expect("mkdir");
    std::fs::write(
        env.path().join("charts/zero.toml"),
        "question = \"kr-gsomia\"\nfont = \"/dev/zero\"\n",
    )
    .expect("write");
    let assert = env.run(&["chart", "charts/zero.toml"]).code(exit::INVALID);
    assert!(stderr(&assert).contains("/dev/zero"), "{}", stderr(&assert));
}

#[test]
fn a_font_file_larger_than_any_font_is_refused_unread() {
    let env = Env::new();
    env.ok(GSOMIA);
    // A sparse file: 100 MB long, nothing on disk.
    let big = env.path().join("big.ttf");
    std::fs::File::create(&big)
        .and_then(|f| f.set_len(100 * 1024 * 1024))
        .expect("sparse file");
    let assert = env
        .run(&["chart", "kr-gsomia", "--font", "big.ttf"])
        .code(exit::INVALID);
    let message = stderr(&assert);
    assert!(
        message.contains("big.ttf") && message.contains("64 MB"),
        "{message}"
    );
    // A small file that is not a font is named too.
    std::fs::write(env.path().join("notes.ttf"), "not a font").expect("write");
    let assert = env
        .run(&["chart", "kr-gsomia", "--font", "notes.ttf"])
        .code(exit::INVALID);
    let message = stderr(&assert);
    assert!(
        message.contains("notes.ttf") && message.contains("not a TrueType"),
        "{message}"
    );
}

#[test]
fn a_poll_of_thousands_of_result_sets_imports_and_imports_again_unchanged() {
    let env = Env::new();
    let mut csv = String::from(
        "poll_id,pollster,sponsors,field_start,field_end,published_on,mode,population,\
         sample_size,margin_of_error,region,question,question_wording,answer,pct,source_urls,notes\n",
    );
    for i in 0..3000 {
        for (answer, pct) in [("Yes", 40), ("No", 50)] {
            csv.push_str(&format!(
                "1,Big Pollster,,2024-01-01,2024-01-03,,,a,1000,,,q-{i},Question {i}?,{answer},{pct},,\n"
            ));
        }
    }
    std::fs::write(env.path().join("wide.csv"), csv).expect("write");
    let first = env.ok(&["import", "wide.csv"]);
    assert!(first.contains("added 1 poll (6000 answers)"), "{first}");
    let again = env.ok(&["import", "wide.csv"]);
    assert!(again.contains("1 already present unchanged"), "{again}");
}

#[test]
fn list_prints_pages_of_polls_as_one_table_in_date_order() {
    // More polls than a page (5,000), so the table and the JSON array span pages.
    let env = Env::new();
    env.ok(&[
        "simulate",
        "--polls",
        "6000",
        "--days",
        "300",
        "--seed",
        "2",
        "-o",
        "polls.csv",
    ]);
    env.ok(&["import", "polls.csv"]);
    let table = env.ok(&["list"]);
    let lines: Vec<&str> = table.lines().collect();
    assert!(lines[0].starts_with("ID "), "{}", lines[0]);
    let date_at = lines[0].find("DATE").expect("DATE column");
    let answers_at = lines[0].find("ANSWERS").expect("ANSWERS column");
    let dates: Vec<&str> = lines[1..]
        .iter()
        .map(|line| &line[date_at..date_at + 10])
        .collect();
    assert!(dates.len() >= 6000, "{}", dates.len());
    assert!(dates.windows(2).all(|w| w[0] <= w[1]), "sorted by date");
    // One width for every row: the answers start in the same column throughout.
    assert!(
        lines[1..]
            .iter()
            .all(|line| line[..answers_at].ends_with("  ") && !line[answers_at..].starts_with(' ')),
        "aligned"
    );
    let json = env.json(&["list", "--json"]);
    let polls = json.as_array().expect("an array");
    assert_eq!(polls.len(), 6000);
    let rows: usize = polls
        .iter()
        .map(|p| p["results"].as_array().map_or(0, Vec::len))
        .sum();
    assert_eq!(rows, dates.len());
    let since = env.run(&["list", "--since", "2100-01-01"]).success();
    assert!(stderr(&since).contains("no polls match"));
    assert_eq!(env.ok(&["list", "--since", "2100-01-01", "--json"]), "[]\n");
}

/// A named pipe as a font or a definition is refused at once, never waited on.
#[cfg(unix)]
#[test]
fn a_named_pipe_is_refused_as_a_font_or_a_definition_without_waiting() {
    let env = Env::new();
    env.ok(GSOMIA);
    std::fs::create_dir_all(env.path().join("charts")).expect("folder");
    for pipe in ["pipe.ttf", "charts/pipe.toml"] {
        let made = std::process::Command::new("mkfifo")
            .arg(env.path().join(pipe))
            .status();
        if !made.is_ok_and(|s| s.success()) {
            eprintln!("skipped: mkfifo is not available");
            return;
        }
    }
    let font = env
        .run(&["chart", "kr-gsomia", "--font", "pipe.ttf"])
        .code(exit::INVALID);
    assert!(
        stderr(&font).contains("not a regular file"),
        "{}",
        stderr(&font)
    );
    let definition = env.run(&["chart", "charts/pipe.toml"]).code(exit::INVALID);
    assert!(
        stderr(&definition).contains("not a regular file"),
        "{}",
        stderr(&definition)
    );
}

/// `simulate` writes only polls its own import takes: its days lie between 1900 and a year
/// from today.
#[test]
fn simulated_days_stay_within_the_dates_an_import_takes() {
    let env = Env::new();
    for start in ["9999-12-31", "1800-01-01"] {
        let assert = env
            .run(&["simulate", "--start", start, "--days", "10"])
            .code(exit::USAGE);
        assert!(stderr(&assert).contains("--start"), "{}", stderr(&assert));
    }
    let soon = (chrono::Local::now().date_naive() + chrono::Duration::days(300)).to_string();
    let assert = env
        .run(&["simulate", "--start", &soon, "--days", "365"])
        .code(exit::USAGE);
    assert!(stderr(&assert).contains("--days"), "{}", stderr(&assert));
}
