//! Trends of real poll files where polltrack once went wrong: German federal polls (LOESS with
//! a span of 2/3 started CDU/CSU at 39% and ended Linke at 2.9%), Moon Jae-in's weekly
//! approval with a 17-month gap (a slope carried across it to -63%), and answers that leave
//! 0..100. Each skips with a message when the shared data folder is absent.

use super::{Env, GERMAN_IMPORT, shared_data, stderr};
use std::collections::BTreeMap;

/// A trend's CSV rows by answer: (date, estimate, low, high) in date order.
type Points = BTreeMap<String, Vec<(String, f64, Option<f64>, Option<f64>)>>;

fn trend_points(csv: &str) -> Points {
    let mut points = Points::new();
    let mut lines = csv.lines();
    assert_eq!(lines.next(), Some("date,answer,estimate,low,high,polls"));
    for line in lines {
        let cells: Vec<&str> = line.split(',').collect();
        let number = |cell: &str| (!cell.is_empty()).then(|| cell.parse::<f64>().unwrap());
        points.entry(cells[1].to_string()).or_default().push((
            cells[0].to_string(),
            cells[2].parse().unwrap(),
            number(cells[3]),
            number(cells[4]),
        ));
    }
    points
}

/// Every estimate and band edge within 0..100, and the estimate inside its band.
fn assert_within_range(points: &Points, what: &str) {
    for (answer, days) in points {
        for (date, estimate, low, high) in days {
            assert!((0.0..=100.0).contains(estimate), "{what} {answer} {date}");
            for edge in [low, high].into_iter().flatten() {
                assert!((0.0..=100.0).contains(edge), "{what} {answer} {date}");
            }
            if let (Some(low), Some(high)) = (low, high) {
                assert!(
                    low <= estimate && estimate <= high,
                    "{what} {answer} {date}"
                );
            }
        }
    }
}

/// The German federal voting-intention table as the README imports it: the default trend of
/// every party starts and ends among the polls of its first and last week.
#[test]
fn german_federal_polls_start_and_end_among_the_polls() {
    let Some(file) = shared_data("germany-wahlrecht-hwborchers/Umfragen2025.csv") else {
        return;
    };
    let env = Env::new();
    // Two same-day pairs of one institute with other numbers: only one of each can be right.
    let args: Vec<&str> = ["import", file.to_str().unwrap()]
        .into_iter()
        .chain(GERMAN_IMPORT.iter().copied())
        .chain(["--kind", "vote", "--skip-invalid"])
        .collect();
    env.ok(&args);
    let polls = env.json(&["list", "--question", "de-bundestag", "--json"]);
    // Each party's polls by date.
    let mut by_party: BTreeMap<String, Vec<(String, f64)>> = BTreeMap::new();
    for poll in polls.as_array().unwrap() {
        let date = poll["published_on"].as_str().unwrap().to_string();
        for result in poll["results"].as_array().unwrap() {
            for answer in result["answers"].as_array().unwrap() {
                by_party
                    .entry(answer["label"].as_str().unwrap().to_string())
                    .or_default()
                    .push((date.clone(), answer["pct"].as_f64().unwrap()));
            }
        }
    }
    let trend = trend_points(&env.ok(&["trend", "de-bundestag"]));
    assert_within_range(&trend, "de-bundestag");
    assert_eq!(trend.len(), 8);
    for (party, days) in &trend {
        let polls = &by_party[party];
        let (first, last) = (&days[0], &days[days.len() - 1]);
        // The polls within a week of each end; the estimate may sit a point beyond them.
        let near = |day: &str| -> (f64, f64) {
            let day = chrono::NaiveDate::parse_from_str(day, "%Y-%m-%d").unwrap();
            polls
                .iter()
                .filter(|(date, _)| {
                    let date = chrono::NaiveDate::parse_from_str(date, "%Y-%m-%d").unwrap();
                    (date - day).num_days().abs() <= 7
                })
                .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), (_, pct)| {
                    (lo.min(*pct), hi.max(*pct))
                })
        };
        for (which, (date, estimate, ..)) in [("first", first), ("last", last)] {
            let (low, high) = near(date);
            eprintln!("{party} {which} day {date}: {estimate:.2} (polls {low}-{high})");
            assert!(
                low - 1.0 <= *estimate && *estimate <= high + 1.0,
                "{party} on its {which} day {date}: {estimate} with polls at {low}-{high}"
            );
        }
    }
    let linke = trend["Linke"].last().unwrap();
    assert!((6.0..=9.0).contains(&linke.1), "{linke:?}");
    let cdu = &trend["CDU/CSU"][0];
    assert!((26.5..=29.0).contains(&cdu.1), "{cdu:?}");
}

/// Moon Jae-in's weekly approval (Gallup Korea and Realmeter) from May to July 2017 and from
/// December 2018: no method draws anything across the gap or outside 0..100, and the last
/// estimate is among the last polls (49-56%).
#[test]
fn a_long_gap_is_not_crossed_and_nothing_leaves_0_to_100() {
    let Some(file) = shared_data("korea-moon-approval-statkclee/moon_df.csv") else {
        return;
    };
    let env = Env::new();
    // The file is wide by pollster, one row a week, `NA` where a pollster had no poll, and
    // two weeks given twice: unpivoted to the long format, the first of each kept.
    let text = std::fs::read_to_string(&file).unwrap();
    let mut long =
        String::from("poll_id,pollster,published_on,question,question_wording,answer,pct\n");
    let mut seen = std::collections::HashSet::new();
    let mut id = 0;
    for line in text.lines().skip(1) {
        let cells: Vec<&str> = line.split(',').collect();
        let date = cells[1];
        if ("2017-08-01".."2018-12-01").contains(&date) {
            continue;
        }
        for (column, pollster) in [(2, "Gallup Korea"), (3, "Realmeter")] {
            if cells[column] == "NA" || !seen.insert((date, pollster)) {
                continue;
            }
            id += 1;
            long.push_str(&format!(
                "{id},{pollster},{date},kr-moon-approval,Do you approve of President Moon's \
                 handling of his job?,Approve,{}\n",
                cells[column]
            ));
        }
    }
    std::fs::write(env.path().join("moon.csv"), long).unwrap();
    env.ok(&["import", "moon.csv", "--kind", "approval"]);
    for method in ["kalman", "loess", "latest"] {
        let trend = trend_points(&env.ok(&["trend", "kr-moon-approval", "--method", method]));
        assert_within_range(&trend, method);
        let days = &trend["Approve"];
        assert!(
            days.iter()
                .all(|(date, ..)| !("2017-08-30".."2018-11-01").contains(&date.as_str())),
            "{method} crosses the gap"
        );
        if method == "kalman" {
            let last = days.last().unwrap();
            assert!((49.0..=56.0).contains(&last.1), "{last:?}");
        }
    }
    let chart = env.run(&["chart", "kr-moon-approval", "-o", "moon.svg"]);
    assert!(stderr(&chart.success()).is_empty());
}

/// Answers at or near 0%: one poll of many says 9%, the others 0. No method's estimate or band
/// leaves 0..100.
#[test]
fn answers_at_zero_stay_within_0_to_100() {
    let env = Env::new();
    let mut csv = String::from(
        "poll_id,pollster,field_end,question,question_wording,sample_size,answer,pct\n",
    );
    for day in 1..=28 {
        for (pollster, share) in [("Alpha", 0.0), ("Beta", if day == 14 { 9.0 } else { 0.0 })] {
            let id = day * 2 + usize::from(pollster == "Beta");
            csv.push_str(&format!(
                "{id},{pollster},2024-02-{day:02},minor,Which party?,800,Minor party,{share}\n\
                 {id},{pollster},2024-02-{day:02},minor,Which party?,800,Others,{}\n",
                100.0 - share
            ));
        }
    }
    std::fs::write(env.path().join("minor.csv"), csv).unwrap();
    env.ok(&["import", "minor.csv"]);
    for method in ["kalman", "loess", "latest"] {
        let trend = trend_points(&env.ok(&["trend", "minor", "--method", method]));
        assert_within_range(&trend, method);
    }
}

/// A question polled by one pollster: its house effect cannot be told from the level, and every
/// output says so instead of printing `+0.00 (+0.00 to +0.00)`.
#[test]
fn house_effects_of_one_pollster_are_not_made_up() {
    let env = Env::new();
    for (day, pct) in [(1, 40), (8, 42), (15, 41)] {
        env.ok(&[
            "add",
            "--pollster",
            "Gallup Korea",
            "--question",
            "kr-q",
            "--wording",
            "Q?",
            "--answer",
            &format!("Yes={pct}"),
            "--published",
            &format!("2024-03-{day:02}"),
        ]);
    }
    let assert = env.run(&["house-effects", "kr-q"]).success();
    let table = String::from_utf8(assert.get_output().stdout.clone()).unwrap();
    assert!(table.contains("- (one pollster)"), "{table}");
    assert!(!table.contains("+0.00"), "{table}");
    assert!(stderr(&assert).contains("one pollster"));
    let json = env.json(&["house-effects", "kr-q", "--json"]);
    assert!(
        json[0]["effect"].is_null() && json[0]["low"].is_null(),
        "{json}"
    );
    env.ok(&["house-effects", "kr-q", "-o", "h.csv"]);
    let csv = std::fs::read_to_string(env.path().join("h.csv")).unwrap();
    assert!(csv.ends_with("Gallup Korea,Yes,,,,3\n"), "{csv}");
}
