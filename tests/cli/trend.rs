//! Trends, house effects and simulated polls, through the real binary.

use super::{Env, GSOMIA, exit, shared_data, stderr};
use std::collections::HashMap;

/// A database of simulated polls; returns the environment.
fn simulated(polls: &str) -> Env {
    let env = Env::new();
    env.ok(&[
        "simulate",
        "--polls",
        polls,
        "--seed",
        "5",
        "-o",
        "polls.csv",
    ]);
    env.ok(&["import", "polls.csv"]);
    env
}

/// The CSV of `trend` as rows of cells, header checked.
fn rows(csv: &str) -> Vec<Vec<String>> {
    let mut lines = csv.lines();
    assert_eq!(lines.next(), Some("date,answer,estimate,low,high,polls"));
    lines
        .map(|l| l.split(',').map(str::to_string).collect())
        .collect()
}

#[test]
fn simulate_gives_the_same_bytes_for_the_same_seed() {
    let env = Env::new();
    let first = env.ok(&["simulate", "--polls", "200", "--seed", "9"]);
    let second = env.ok(&["simulate", "--polls", "200", "--seed", "9"]);
    let other = env.ok(&["simulate", "--polls", "200", "--seed", "10"]);
    assert_eq!(first, second);
    assert_ne!(first, other);
    assert!(first.starts_with("poll_id,pollster,sponsors,field_start"));
    // Simulating reads no database and creates none.
    assert!(!env.db().exists());
    env.ok(&[
        "simulate", "--polls", "10", "-o", "p.csv", "--truth", "t.csv",
    ]);
    let truth = std::fs::read_to_string(env.path().join("t.csv")).unwrap();
    assert!(truth.starts_with("kind,question,date,pollster,answer,value\npath,sim-1,2024-01-01,"));
    assert!(truth.contains("\nhouse_effect,sim-1,,Pollster 1,Candidate A,"));
}

#[test]
fn every_method_gives_a_daily_trend_and_only_kalman_a_band() {
    let env = simulated("400");
    for method in ["loess", "latest", "kalman"] {
        let rows = rows(&env.ok(&["trend", "sim-1", "--method", method]));
        let answers: HashMap<&str, usize> = rows.iter().fold(HashMap::new(), |mut m, r| {
            *m.entry(r[1].as_str()).or_default() += 1;
            m
        });
        assert_eq!(answers.len(), 3, "{method}");
        for row in &rows {
            let estimate: f64 = row[2].parse().unwrap();
            assert!((0.0..100.0).contains(&estimate), "{method}: {row:?}");
            if method == "kalman" {
                let (low, high): (f64, f64) = (row[3].parse().unwrap(), row[4].parse().unwrap());
                assert!(low <= estimate && estimate <= high, "{method}: {row:?}");
            } else {
                // LOESS and the latest-poll average cannot back a band, and draw none.
                assert_eq!((row[3].as_str(), row[4].as_str()), ("", ""), "{method}");
            }
        }
        if method != "latest" {
            // One row per day per answer, with no gaps.
            let days = rows.iter().filter(|r| r[1] == "Candidate A").count();
            let first = chrono::NaiveDate::parse_from_str(&rows[0][0], "%Y-%m-%d").unwrap();
            let last = rows.iter().rfind(|r| r[1] == "Candidate A").unwrap();
            let last = chrono::NaiveDate::parse_from_str(&last[0], "%Y-%m-%d").unwrap();
            assert_eq!(days as i64, (last - first).num_days() + 1, "{method}");
        }
    }
    // At the poll dates only, and to a file.
    env.ok(&[
        "trend",
        "sim-1",
        "--at-polls",
        "--method",
        "loess",
        "--weights",
        "none",
        "-o",
        "t.csv",
    ]);
    let at_polls = rows(&std::fs::read_to_string(env.path().join("t.csv")).unwrap());
    let daily = rows(&env.ok(&["trend", "sim-1"]));
    assert!(at_polls.len() < daily.len());
}

#[test]
fn filters_narrow_the_polls() {
    let env = simulated("300");
    let all = rows(&env.ok(&["trend", "sim-1", "--method", "latest", "--at-polls"]));
    let since = rows(&env.ok(&[
        "trend",
        "sim-1",
        "--method",
        "latest",
        "--at-polls",
        "--since",
        "2025-01-01",
    ]));
    assert!(since.iter().all(|r| r[0].as_str() >= "2025-01-01"));
    assert!(since.len() < all.len());
    let one = env.json(&[
        "house-effects",
        "sim-1",
        "--json",
        "--pollster",
        "Pollster 1",
    ]);
    assert!(
        one.as_array()
            .unwrap()
            .iter()
            .all(|r| r["pollster"] == "Pollster 1")
    );
    let without = env.json(&[
        "house-effects",
        "sim-1",
        "--json",
        "--exclude-pollster",
        "pollster 1",
    ]);
    assert!(
        without
            .as_array()
            .unwrap()
            .iter()
            .all(|r| r["pollster"] != "Pollster 1")
    );
    assert!(!without.as_array().unwrap().is_empty());
}

#[test]
fn house_effects_as_table_json_and_csv() {
    let env = simulated("400");
    let table = env.ok(&["house-effects", "sim-1"]);
    assert!(table.starts_with("POLLSTER"));
    assert!(table.contains("95% INTERVAL"));
    let json = env.json(&["house-effects", "sim-1", "--json"]);
    let rows = json.as_array().unwrap();
    // Effects sum to zero over the pollsters of each answer.
    let sum: f64 = rows
        .iter()
        .filter(|r| r["answer"] == "Candidate A")
        .map(|r| r["effect"].as_f64().unwrap())
        .sum();
    assert!(sum.abs() < 1e-6, "{sum}");
    for r in rows {
        assert!(r["low"].as_f64().unwrap() <= r["high"].as_f64().unwrap());
        assert!(r["polls"].as_u64().unwrap() > 0);
    }
    env.ok(&["house-effects", "sim-1", "-o", "h.csv"]);
    let csv = std::fs::read_to_string(env.path().join("h.csv")).unwrap();
    assert!(csv.starts_with("pollster,answer,effect,low,high,polls\n"));
    assert_eq!(csv.lines().count(), rows.len() + 1);
}

#[test]
fn too_few_polls_for_loess_fall_back_to_latest() {
    let env = Env::new();
    env.ok(GSOMIA);
    let assert = env
        .run(&["trend", "kr-gsomia", "--method", "loess"])
        .success();
    assert!(stderr(&assert).contains("too few for loess"));
    let out = String::from_utf8(assert.get_output().stdout.clone()).unwrap();
    assert!(out.starts_with("date,answer,estimate,low,high,polls\n2016-11-18,Oppose,59.000000,"));
    assert!(out.ends_with(",1\n"));
    assert_eq!(out.lines().count(), 2);
    // A lone poll with no sample size: Kalman gives it back as it is.
    let kalman = env.ok(&["trend", "kr-gsomia", "--method", "kalman"]);
    assert!(kalman.contains("2016-11-18,Oppose,59.000000,"));
}

#[test]
fn bad_requests_fail_clearly() {
    let env = Env::new();
    let missing = env.run(&["trend", "kr-gsomia"]).code(exit::NOT_FOUND);
    let said = if env.on_postgres() {
        "holds no polltrack database yet"
    } else {
        "no database"
    };
    assert!(stderr(&missing).contains(said));
    assert!(!env.db().exists());
    env.ok(GSOMIA);
    let unknown = env.run(&["trend", "nope"]).code(exit::NOT_FOUND);
    assert!(stderr(&unknown).contains("there is no question nope"));
    // Options outside their ranges are usage errors (see tests/cli/limits.rs).
    env.run(&["trend", "kr-gsomia", "--span", "1.5"])
        .code(exit::USAGE);
    env.run(&["trend", "kr-gsomia", "--step", "0", "--method", "kalman"])
        .code(exit::USAGE);
    env.run(&["trend", "kr-gsomia", "--since", "2016-13-01"])
        .code(exit::INVALID);
    env.run(&["trend", "kr-gsomia", "--method", "spline"])
        .code(exit::USAGE);
    env.run(&["trend", "kr-gsomia", "--pollster", "Nobody"])
        .code(exit::NOT_FOUND);
}

/// FiveThirtyEight's own published average of Trump's approval (`approval_topline.csv`, the
/// "All polls" model) beside each method's estimate from the polls of the same model run.
#[test]
fn fivethirtyeight_approval_average_compared() {
    let (Some(polls), Some(topline)) = (
        shared_data("fivethirtyeight-trump-approval/approval_polllist.csv"),
        shared_data("fivethirtyeight-trump-approval/approval_topline.csv"),
    ) else {
        return;
    };
    let (polls, topline) = (
        polls.to_string_lossy().to_string(),
        topline.to_string_lossy().to_string(),
    );
    let env = Env::new();
    env.ok(&["import", "--format", "538", "--skip-invalid", &polls]);
    let mut published: HashMap<String, f64> = HashMap::new();
    let text = std::fs::read_to_string(&topline).unwrap();
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let headers = reader.headers().unwrap().clone();
    let column = |name: &str| headers.iter().position(|h| h == name).unwrap();
    let (subgroup, date, approve, disapprove) = (
        column("subgroup"),
        column("modeldate"),
        column("approve_estimate"),
        column("disapprove_estimate"),
    );
    let mut published_disapprove: HashMap<String, f64> = HashMap::new();
    for record in reader.records() {
        let record = record.unwrap();
        if &record[subgroup] == "All polls" {
            let day = chrono::NaiveDate::parse_from_str(&record[date], "%m/%d/%Y").unwrap();
            published.insert(day.to_string(), record[approve].parse().unwrap());
            published_disapprove.insert(day.to_string(), record[disapprove].parse().unwrap());
        }
    }
    let mut report = Vec::new();
    // Measured: kalman 0.75 and 0.64, latest 0.68 and 0.53, loess 1.22 and 1.37; the goal for
    // a careful model is 0.8 or better on both answers.
    for (method, bound) in [("latest", 0.8), ("loess", 1.5), ("kalman", 0.8)] {
        let trend = rows(&env.ok(&["trend", "approval-donald-trump", "--method", method]));
        for (answer, average) in [
            ("Approve", &published),
            ("Disapprove", &published_disapprove),
        ] {
            let (mean, days) = mean_difference(&trend, answer, average);
            assert!(days > 1_000, "{method}: {days}");
            report.push(format!(
                "{method} {answer} {mean:.2} points over {days} days"
            ));
            assert!(mean < bound, "{method} {answer}: {mean}");
        }
    }
    // Like with like: each day's Kalman estimate from the polls 538 had entered by that day.
    let as_of = rows(&env.ok(&["trend", "approval-donald-trump", "--as-of"]));
    for (answer, average, bound) in [
        ("Approve", &published, 0.8),
        ("Disapprove", &published_disapprove, 0.9),
    ] {
        let (mean, days) = mean_difference(&as_of, answer, average);
        assert!(days > 1_200, "{answer}: {days}");
        report.push(format!(
            "kalman as-of {answer} {mean:.2} points over {days} days"
        ));
        assert!(mean < bound, "as-of {answer}: {mean}");
    }
    eprintln!(
        "mean absolute difference from 538's average: {}",
        report.join(", ")
    );
}

#[test]
fn as_of_counts_each_poll_from_the_day_it_was_published() {
    let env = Env::new();
    // Two pollsters; B's poll of 2024-03-10 to 12 was published only on 2024-03-20.
    for (pollster, start, end, published, pct) in [
        ("A", "2024-02-28", "2024-03-01", "2024-03-02", "40"),
        ("B", "2024-03-01", "2024-03-03", "2024-03-04", "44"),
        ("A", "2024-03-06", "2024-03-08", "2024-03-09", "42"),
        ("B", "2024-03-10", "2024-03-12", "2024-03-20", "60"),
        ("A", "2024-03-13", "2024-03-15", "2024-03-16", "41"),
    ] {
        env.ok(&[
            "add",
            "--pollster",
            pollster,
            "--question",
            "q",
            "--wording",
            "Q?",
            "--answer",
            &format!("Yes={pct}"),
            "--start",
            start,
            "--end",
            end,
            "--published",
            published,
            "--sample",
            "1000",
        ]);
    }
    let as_of = rows(&env.ok(&[
        "trend", "q", "--as-of", "--method", "latest", "--window", "30",
    ]));
    // From the first publication day to the last, every day.
    assert_eq!(as_of[0][0], "2024-03-02");
    assert_eq!(as_of.last().unwrap()[0], "2024-03-20");
    assert_eq!(as_of.len(), 19);
    let on = |day: &str| -> f64 {
        as_of.iter().find(|r| r[0] == day).unwrap()[2]
            .parse()
            .unwrap()
    };
    assert_eq!(on("2024-03-02"), 40.0);
    assert_eq!(on("2024-03-09"), 43.0);
    // B's late poll is not known until the 20th: B's earlier 44 still counts.
    assert_eq!(on("2024-03-19"), (41.0 + 44.0) / 2.0);
    assert_eq!(on("2024-03-20"), (41.0 + 60.0) / 2.0);
    // The retrospective average has it on its field days already.
    let retro = rows(&env.ok(&["trend", "q", "--method", "latest", "--window", "30"]));
    let retro_on = retro.iter().find(|r| r[0] == "2024-03-11").unwrap();
    assert_eq!(retro_on[2], "51.000000");
    // Kalman gives a band on every day.
    let kalman = rows(&env.ok(&["trend", "q", "--as-of"]));
    assert_eq!(kalman.len(), 19);
    assert!(kalman.iter().all(|r| !r[3].is_empty() && !r[4].is_empty()));
    let refused = env
        .run(&["trend", "q", "--as-of", "--at-polls"])
        .code(exit::USAGE);
    assert!(stderr(&refused).contains("--as-of and --at-polls do not combine"));
    let loess = env
        .run(&["trend", "q", "--as-of", "--method", "loess"])
        .code(exit::INVALID);
    assert!(stderr(&loess).contains("as of past dates cannot be fitted by LOESS"));
    assert!(stderr(&loess).contains("use --method kalman (the default) or --method latest"));
}

/// The mean absolute difference of a trend's `answer` from a published average by date, and
/// the number of days both have.
fn mean_difference(
    trend: &[Vec<String>],
    answer: &str,
    average: &HashMap<String, f64>,
) -> (f64, usize) {
    let differences: Vec<f64> = trend
        .iter()
        .filter(|r| r[1] == answer)
        .filter_map(|r| Some((average.get(&r[0])? - r[2].parse::<f64>().unwrap()).abs()))
        .collect();
    let mean = differences.iter().sum::<f64>() / differences.len() as f64;
    (mean, differences.len())
}
