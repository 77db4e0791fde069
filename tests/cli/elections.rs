//! Election results marked as such: stored, shown, left out of trends, imported by date.

use super::{Env, GERMAN_IMPORT, shared_data, stderr};

fn add(env: &Env, pollster: &str, day: &str, yes: &str, extra: &[&str]) {
    let mut args = vec![
        "add",
        "--pollster",
        pollster,
        "--question",
        "q",
        "--wording",
        "Q?",
        "--end",
        day,
        "--answer",
    ];
    let answer = format!("Yes={yes}");
    args.push(&answer);
    args.extend(extra);
    env.ok(&args);
}

/// (poll_id, election) from the `poll_answers` view, which sqlite3 and Datasette read.
fn view_flags(env: &Env) -> Vec<(i64, i64)> {
    use sqlx::{Connection, Row};
    if let Some(url) = env.postgres_url() {
        return tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("runtime")
            .block_on(async {
                let mut db = sqlx::PgConnection::connect(url).await.expect("connect");
                sqlx::query("SELECT poll_id, election FROM poll_answers ORDER BY poll_id")
                    .fetch_all(&mut db)
                    .await
                    .expect("query")
                    .iter()
                    .map(|r| (r.get(0), i64::from(r.get::<bool, _>(1))))
                    .collect()
            });
    }
    let url = format!("sqlite://{}?mode=ro", env.db().display());
    tokio::runtime::Builder::new_current_thread()
        .build()
        .expect("runtime")
        .block_on(async {
            let mut db = sqlx::SqliteConnection::connect(&url).await.expect("open");
            sqlx::query("SELECT poll_id, election FROM poll_answers ORDER BY poll_id")
                .fetch_all(&mut db)
                .await
                .expect("query")
                .iter()
                .map(|r| (r.get(0), r.get(1)))
                .collect()
        })
}

/// The last row of `trend --method latest`: (date, estimate).
fn last_estimate(env: &Env) -> (String, String) {
    let out = env.ok(&["trend", "q", "--method", "latest"]);
    let last: Vec<&str> = out.lines().last().expect("a row").split(',').collect();
    (last[0].to_string(), last[2].to_string())
}

#[test]
fn an_election_is_stored_shown_and_left_out_of_the_trend_until_unmarked() {
    let env = Env::new();
    add(&env, "A", "2024-01-02", "40", &[]);
    add(&env, "B", "2024-01-10", "42", &[]);
    add(&env, "Wahl", "2024-01-12", "60", &["--election"]);
    assert!(env.ok(&["show", "3"]).contains("election result"));
    assert_eq!(env.json(&["list", "--json"])[2]["election"], true);
    assert_eq!(
        last_estimate(&env),
        ("2024-01-10".into(), "41.000000".into())
    );
    assert_eq!(view_flags(&env), [(1, 0), (2, 0), (3, 1)]);
    assert!(env.ok(&["list"]).contains("Wahl (election)"));
    // Nor is it a pollster with a house effect.
    let effects = env.json(&["house-effects", "q", "--json"]);
    let pollsters: Vec<&str> = effects
        .as_array()
        .expect("rows")
        .iter()
        .filter_map(|r| r["pollster"].as_str())
        .collect();
    assert!(
        !pollsters.is_empty() && !pollsters.contains(&"Wahl"),
        "{effects}"
    );
    let trend = env.run(&["trend", "q", "--method", "latest"]).success();
    let note = stderr(&trend);
    assert!(
        note.contains("1 election result was left out of the trend"),
        "{note}"
    );

    // Unmarked, it is a poll again (recorded in the history); marked again, left out again.
    env.ok(&["edit", "3", "--not-election"]);
    assert!(!env.ok(&["show", "3"]).contains("election result"));
    assert_eq!(last_estimate(&env).0, "2024-01-12");
    assert!(env.ok(&["history", "3"]).contains("election"));
    env.ok(&["edit", "3", "--election"]);
    assert_eq!(last_estimate(&env).0, "2024-01-10");

    // Charted: two poll points and a diamond (four corners) for the election.
    env.ok(&["chart", "q", "--method", "latest", "-o", "q.svg"]);
    let svg = std::fs::read_to_string(env.path().join("q.svg")).expect("svg");
    assert_eq!(svg.matches("<circle").count(), 2);
    let diamonds = svg
        .split("<polygon")
        .skip(1)
        .filter_map(|p| p.split("points=\"").nth(1)?.split('"').next())
        .filter(|points| points.split_whitespace().count() == 4)
        .count();
    assert_eq!(diamonds, 1, "{svg}");
    assert!(svg.contains("Diamonds: election results, not counted in the trend"));
}

#[test]
fn an_import_marks_the_rows_of_an_election_day_or_of_a_truthy_column() {
    let env = Env::new();
    std::fs::write(
        env.path().join("wide.csv"),
        "Datum,Yes,Institut\n2024-01-02,40,A\n2024-01-10,42,B\n2024-01-12,60,A\n2024-01-12,60,B\n",
    )
    .unwrap();
    let wide = [
        "--question",
        "q",
        "--wording",
        "Q?",
        "--map",
        "pollster=Institut",
        "--map",
        "published_on=Datum",
        "--answers",
        "Yes",
    ];
    let mut args = vec!["import", "wide.csv", "--election-date", "2024-01-12"];
    args.extend(wide);
    env.ok(&args);
    let polls = env.json(&["list", "--json"]);
    let marked: Vec<bool> = (0..4)
        .map(|i| polls[i]["election"].as_bool().unwrap_or(false))
        .collect();
    assert_eq!(marked, [false, false, true, true]);
    // The same file again without the days: nothing changes, the flags stay.
    let mut again = vec!["import", "wide.csv"];
    again.extend(wide);
    let summary = env.ok(&again);
    assert!(summary.contains("4 already present unchanged"), "{summary}");
    let polls = env.json(&["list", "--json"]);
    assert_eq!(polls[3]["election"], true);
    assert_eq!(
        last_estimate(&env),
        ("2024-01-10".into(), "41.000000".into())
    );
    let note = stderr(&env.run(&["trend", "q", "--method", "latest"]).success());
    assert!(
        note.contains("1 election result was left out of the trend (2 polls marked as elections)"),
        "{note}"
    );

    // A day named later marks stored polls only as a correction: a conflict, which replace takes.
    let mut later = vec!["import", "wide.csv", "--election-date", "2024-01-10"];
    later.extend(wide);
    let refused = stderr(&env.run(&later).failure());
    assert!(refused.contains("election false -> true"), "{refused}");
    later.extend(["--on-conflict", "replace"]);
    env.ok(&later);
    // The file's days are all its elections now: those of 2024-01-12 are polls again.
    let polls = env.json(&["list", "--json"]);
    assert_eq!(polls[1]["election"], true);
    assert!(polls[3].get("election").is_none_or(|e| e == false));

    // A column of its own, mapped: truthy cells mark the row.
    let other = Env::new();
    std::fs::write(
        other.path().join("flagged.csv"),
        "Datum,Yes,Institut,Wahl\n2024-01-02,40,A,\n2024-01-12,60,Wahl,yes\n",
    )
    .unwrap();
    let mut args = vec!["import", "flagged.csv", "--map", "election=Wahl"];
    args.extend(wide);
    other.ok(&args);
    let polls = other.json(&["list", "--json"]);
    assert_eq!(polls[1]["election"], true);
    assert!(polls[0].get("election").is_none_or(|e| e == false));
}

/// wahlrecht.de's federal file repeats the 2021 and 2025 results once per institute.
#[test]
fn the_german_federal_file_marks_its_two_elections() {
    let Some(file) = shared_data("germany-wahlrecht-hwborchers/Umfragen2025.csv") else {
        return;
    };
    let env = Env::new();
    let args: Vec<&str> = ["import", file.to_str().expect("path")]
        .into_iter()
        .chain(GERMAN_IMPORT.iter().copied())
        .chain([
            "--skip-invalid",
            "--election-date",
            "2021-09-26",
            "--election-date",
            "2025-02-23",
        ])
        .collect();
    env.ok(&args);
    let polls = env.json(&["list", "--json"]);
    let elections = polls
        .as_array()
        .expect("polls")
        .iter()
        .filter(|p| p["election"] == true)
        .count();
    assert_eq!(elections, 14);
    let note = stderr(&env.run(&["trend", "de-bundestag"]).success());
    assert!(
        note.contains(
            "2 election results were left out of the trend (14 polls marked as elections)"
        ),
        "{note}"
    );
}
