//! One poll stays one poll: merging pollsters, corrections, repeated rows and deleted polls.

use super::{Env, GERMAN_IMPORT, exit, shared_data, stderr};

/// The German federal voting intention question, as a user types it.
fn add_emnid(env: &Env, pollster: &str, union: &str, url: &str) {
    env.ok(&[
        "add",
        "--pollster",
        pollster,
        "--question",
        "de-bundestag",
        "--wording",
        "Sonntagsfrage",
        "--answer",
        &format!("CDU/CSU={union}"),
        "--answer",
        "SPD=15",
        "--start",
        "2021-05-06",
        "--end",
        "2021-05-12",
        "--population",
        "v",
        "--source",
        url,
    ]);
}

#[test]
fn merging_the_old_and_new_name_of_a_firm_refuses_to_make_one_poll_two() {
    let env = Env::new();
    add_emnid(&env, "Emnid", "24", "https://example.org/emnid");
    add_emnid(&env, "Kantar Emnid", "24", "https://example.org/kantar");
    let before = env.snapshot();
    let refused = env.run(&["pollster", "merge", "Emnid", "Kantar Emnid"]);
    let message = stderr(&refused);
    refused.code(exit::CONFLICT);
    assert!(
        message.contains("poll 1 and poll 2 (de-bundestag (v))"),
        "{message}"
    );
    assert!(message.contains("--combine"), "{message}");
    assert_eq!(env.snapshot(), before, "a refused merge changes nothing");
    // An alias cannot do it either: the name is a pollster's, which only a merge folds in.
    env.run(&["pollster", "alias", "Emnid", "Kantar Emnid"])
        .code(exit::CONFLICT);
    assert_eq!(env.snapshot(), before);

    let out = env.ok(&["pollster", "merge", "Emnid", "Kantar Emnid", "--combine"]);
    assert!(out.contains("Combined poll 1 into poll 2"), "{out}");
    let polls = env.json(&["list", "--json"]);
    assert_eq!(polls.as_array().map(Vec::len), Some(1), "{polls}");
    let kept = env.json(&["show", "2", "--json"]);
    assert_eq!(kept["pollster"], "Kantar Emnid");
    let urls: Vec<&str> = kept["sources"]
        .as_array()
        .expect("sources")
        .iter()
        .filter_map(|s| s["url"].as_str())
        .collect();
    assert_eq!(
        urls,
        ["https://example.org/emnid", "https://example.org/kantar"]
    );
    env.run(&["show", "1"]).code(exit::NOT_FOUND);
    // The removed poll's history ends by naming the poll it went into, with its full copy.
    let removed = env.json(&["history", "1", "--json"]);
    let last = &removed[removed.as_array().map_or(0, Vec::len) - 1];
    assert_eq!(last["action"], "delete");
    assert_eq!(last["field"], "combined");
    assert_eq!(last["new_value"], "poll 2");
    assert!(
        last["old_value"]
            .as_str()
            .is_some_and(|copy| copy.contains("https://example.org/emnid"))
    );
    let history = env.json(&["history", "2", "--json"]);
    assert!(
        history
            .as_array()
            .expect("history")
            .iter()
            .any(|c| c["field"] == "combined" && c["new_value"] == "poll 1"),
        "{history}"
    );
    // Adding the same poll again under the old name is refused as any duplicate is.
    env.run(&[
        "add",
        "--pollster",
        "Emnid",
        "--question",
        "de-bundestag",
        "--answer",
        "CDU/CSU=24",
        "--start",
        "2021-05-06",
        "--end",
        "2021-05-12",
        "--population",
        "v",
    ])
    .code(exit::CONFLICT)
    .stderr(predicates::str::contains("stored already as poll 2"));
}

#[test]
fn combining_polls_with_other_numbers_is_refused_with_both_numbers() {
    let env = Env::new();
    add_emnid(&env, "Emnid", "24", "https://example.org/emnid");
    add_emnid(&env, "Kantar Emnid", "25", "https://example.org/kantar");
    let before = env.snapshot();
    let refused = env.run(&["pollster", "merge", "Emnid", "Kantar Emnid", "--combine"]);
    let message = stderr(&refused);
    refused.code(exit::CONFLICT);
    assert!(message.contains("poll 1 and poll 2"), "{message}");
    assert!(message.contains("CDU/CSU=24"), "{message}");
    assert!(message.contains("CDU/CSU=25"), "{message}");
    assert_eq!(env.snapshot(), before);
}

/// Writes `text` to `name` in the test directory and returns the name.
fn file(env: &Env, name: &str, text: &str) -> String {
    std::fs::write(env.path().join(name), text).expect("write a test file");
    name.to_string()
}

const SHEET_HEADER: &str =
    "pollster,field_start,field_end,population,sample_size,question,question_wording,answer,pct\n";

/// A published sheet, and the same poll corrected: Trump 39 -> 40, Undecided 9 -> 8,
/// n 1853 -> 2000, and the population lv -> rv.
fn sheets(env: &Env) -> (String, String) {
    let row = |population: &str, n: &str, answer: &str, pct: &str| {
        format!(
            "Example Research,2024-03-01,2024-03-04,{population},{n},us-pres,Presidential vote,\
             {answer},{pct}\n"
        )
    };
    let old = [("Biden", "52"), ("Trump", "39"), ("Undecided", "9")]
        .iter()
        .map(|(a, p)| row("lv", "1853", a, p))
        .collect::<String>();
    let new = [("Biden", "52"), ("Trump", "40"), ("Undecided", "8")]
        .iter()
        .map(|(a, p)| row("rv", "2000", a, p))
        .collect::<String>();
    (
        file(env, "old.csv", &format!("{SHEET_HEADER}{old}")),
        file(env, "corrected.csv", &format!("{SHEET_HEADER}{new}")),
    )
}

#[test]
fn a_corrected_sheet_with_another_population_replaces_the_poll_it_corrects() {
    let env = Env::new();
    let (old, corrected) = sheets(&env);
    env.ok(&["import", &old]);
    // Without ids, the same pollster, dates and question with another population (one result
    // set on each side) is the stored poll: a conflict naming it, nothing changed.
    let before = env.snapshot();
    let refused = env.run(&["import", &corrected]);
    let message = stderr(&refused);
    refused.code(exit::CONFLICT);
    assert!(
        message.contains("conflicts with stored poll 1"),
        "{message}"
    );
    assert_eq!(env.snapshot(), before);

    let out = env.ok(&["import", &corrected, "--on-conflict", "replace"]);
    assert!(
        out.contains("added 0 polls") && out.contains("1 replaced"),
        "{out}"
    );
    let polls = env.json(&["list", "--json"]);
    assert_eq!(polls.as_array().map(Vec::len), Some(1), "{polls}");
    let poll = env.json(&["show", "1", "--json"]);
    let result = &poll["results"][0];
    assert_eq!(result["population"], "rv");
    assert_eq!(result["sample_size"], 2000.0);
    assert_eq!(result["answers"][1]["pct"], 40.0);
    assert_eq!(result["answers"][2]["pct"], 8.0);
    let history = env.json(&["history", "1", "--json"]);
    assert!(
        history.as_array().is_some_and(|h| !h.is_empty()),
        "the replacement is in the history: {history}"
    );

    // The old sheet again does not bring the wrong version back: a conflict with poll 1 ...
    let before = env.snapshot();
    let refused = env.run(&["import", &old]);
    let message = stderr(&refused);
    refused.code(exit::CONFLICT);
    assert!(
        message.contains("conflicts with stored poll 1"),
        "{message}"
    );
    assert_eq!(env.snapshot(), before);
    // ... and kept out by --on-conflict skip; replace would take it back, as asked.
    let out = env.ok(&["import", &old, "--on-conflict", "skip"]);
    assert!(
        out.contains("added 0 polls") && out.contains("1 skipped"),
        "{out}"
    );
    assert_eq!(
        env.json(&["show", "1", "--json"])["results"][0]["population"],
        "rv"
    );
}

const FIVETHIRTYEIGHT_HEADER: &str = "poll_id,pollster,sponsors,methodology,state,start_date,\
    end_date,question_id,sample_size,population,url,cycle,stage,answer,pct\n";

#[test]
fn files_with_their_own_poll_ids_are_matched_by_them_whatever_a_correction_changed() {
    let env = Env::new();
    let sheet = |end: &str, population: &str, n: &str, trump: &str| {
        format!(
            "{FIVETHIRTYEIGHT_HEADER}\
             88001,Example Research,,Online,,3/1/24,{end},501,{n},{population},https://a.example/1,2024,general,Biden,52\n\
             88001,Example Research,,Online,,3/1/24,{end},501,{n},{population},https://a.example/1,2024,general,Trump,{trump}\n"
        )
    };
    let old = file(&env, "old.csv", &sheet("3/4/24", "lv", "1853", "39"));
    // The correction moves the field end too: by identity alone it would be another poll.
    let corrected = file(&env, "new.csv", &sheet("3/5/24", "rv", "2000", "40"));
    env.ok(&["import", "--format", "538", &old]);
    let refused = env.run(&["import", "--format", "538", &corrected]);
    let message = stderr(&refused);
    refused.code(exit::CONFLICT);
    assert!(
        message.contains("conflicts with stored poll 88001"),
        "{message}"
    );
    let out = env.ok(&[
        "import",
        "--format",
        "538",
        &corrected,
        "--on-conflict",
        "replace",
    ]);
    assert!(
        out.contains("added 0 polls") && out.contains("1 replaced"),
        "{out}"
    );
    let polls = env.json(&["list", "--json"]);
    assert_eq!(polls.as_array().map(Vec::len), Some(1), "{polls}");
    let poll = env.json(&["show", "88001", "--json"]);
    assert_eq!(poll["field_end"], "2024-03-05");
    assert_eq!(poll["results"][0]["population"], "rv");
    // The old file again is matched by its id too: a conflict, not a second poll.
    env.run(&["import", "--format", "538", &old])
        .code(exit::CONFLICT);
    assert_eq!(
        env.json(&["list", "--json"]).as_array().map(Vec::len),
        Some(1)
    );
}

#[test]
fn a_poll_id_column_the_user_maps_is_a_stable_id() {
    let env = Env::new();
    let sheet = |date: &str, population: &str, approve: &str| {
        format!(
            "ID,Firm,Date,Pop,Approve,Disapprove\n\
             k-17,Example Research,{date},{population},{approve},50\n"
        )
    };
    let args = |name: &str| -> Vec<String> {
        [
            "import",
            name,
            "--question",
            "approval",
            "--wording",
            "Job approval",
            "--map",
            "poll_id=ID",
            "--map",
            "pollster=Firm",
            "--map",
            "field_end=Date",
            "--map",
            "population=Pop",
            "--answers",
            "Approve,Disapprove",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect()
    };
    let old = file(&env, "old.csv", &sheet("2024-03-04", "lv", "41"));
    let corrected = file(&env, "new.csv", &sheet("2024-03-05", "a", "42"));
    let run = |extra: &[&str], name: &str| {
        let mut all: Vec<String> = args(name);
        all.extend(extra.iter().map(|s| s.to_string()));
        let refs: Vec<&str> = all.iter().map(String::as_str).collect();
        env.run(&refs)
    };
    run(&[], &old).success();
    run(&[], &corrected).code(exit::CONFLICT);
    let out = String::from_utf8_lossy(
        &run(&["--on-conflict", "replace"], &corrected)
            .success()
            .get_output()
            .stdout,
    )
    .into_owned();
    assert!(out.contains("1 replaced"), "{out}");
    let polls = env.json(&["list", "--json"]);
    assert_eq!(polls.as_array().map(Vec::len), Some(1), "{polls}");
}

const ARTICLE_HEADER: &str =
    "pollster,published_on,region,question,question_wording,answer,pct,source_urls\n";

/// The Gallup Korea poll as one article reports it: two answers, the article's URL.
fn article(url: &str, oppose: &str) -> String {
    [("Oppose", oppose), ("Support", "31")]
        .iter()
        .map(|(answer, pct)| {
            format!("Gallup Korea,2016-11-18,South Korea,kr-gsomia,GSOMIA,{answer},{pct},{url}\n")
        })
        .collect()
}

fn sources_of(env: &Env, id: &str) -> Vec<String> {
    env.json(&["show", id, "--json"])["sources"]
        .as_array()
        .expect("sources")
        .iter()
        .filter_map(|s| s["url"].as_str().map(str::to_string))
        .collect()
}

#[test]
fn one_poll_reported_by_two_articles_in_one_file_is_one_poll_with_both_sources() {
    let env = Env::new();
    let a = "https://press.example/gsomia";
    let b = "https://news.example/gsomia";
    let both = file(
        &env,
        "both.csv",
        &format!("{ARTICLE_HEADER}{}{}", article(a, "59"), article(b, "59")),
    );
    let out = env.ok(&["import", &both]);
    assert!(
        out.contains("added 1 poll (2 answers)") && out.contains("1 repeated in the file"),
        "{out}"
    );
    assert_eq!(
        env.json(&["list", "--json"]).as_array().map(Vec::len),
        Some(1)
    );
    assert_eq!(sources_of(&env, "1"), [b, a]);
    // Importing it again adds nothing; the same rows split over two files give the same.
    assert!(env.ok(&["import", &both]).contains("added 0 polls"));
    let env = Env::new();
    let first = file(
        &env,
        "a.csv",
        &format!("{ARTICLE_HEADER}{}", article(a, "59")),
    );
    let second = file(
        &env,
        "b.csv",
        &format!("{ARTICLE_HEADER}{}", article(b, "59")),
    );
    env.ok(&["import", &first]);
    env.ok(&["import", &second]);
    assert_eq!(
        env.json(&["list", "--json"]).as_array().map(Vec::len),
        Some(1)
    );
    assert_eq!(sources_of(&env, "1"), [b, a]);
}

#[test]
fn rows_repeating_an_earlier_poll_of_the_file_with_other_numbers_name_both_lines() {
    let env = Env::new();
    let name = file(
        &env,
        "both.csv",
        &format!(
            "{ARTICLE_HEADER}{}{}",
            article("https://press.example/gsomia", "59"),
            article("https://news.example/gsomia", "58")
        ),
    );
    let refused = env.run(&["import", &name]);
    let message = stderr(&refused);
    refused.code(exit::INVALID);
    assert!(
        message.contains("both.csv:4: repeats the poll of line 2"),
        "{message}"
    );
    assert!(
        message.contains("Oppose=59") && message.contains("Oppose=58"),
        "{message}"
    );
    assert!(!env.db().exists(), "nothing was imported");
    // With --skip-invalid the first stays, the repeat is rejected with its rows.
    env.ok(&[
        "import",
        &name,
        "--skip-invalid",
        "--rejects",
        "rejected.csv",
    ]);
    assert_eq!(
        env.json(&["list", "--json"]).as_array().map(Vec::len),
        Some(1)
    );
    let rejected = std::fs::read_to_string(env.path().join("rejected.csv")).expect("rejects");
    assert_eq!(rejected.lines().count(), 3, "{rejected}");
}

/// The German federal table of the README: its exact duplicate (Forsa, 2021-05-12) is stored
/// once, and its same-day pairs with other numbers (Forsa, 2021-01-18 and 2021-04-20) are
/// problems naming both lines.
#[test]
fn german_federal_file_duplicates_stored_once_and_differing_pairs_named() {
    let Some(path) = shared_data("germany-wahlrecht-hwborchers/Umfragen2025.csv") else {
        return;
    };
    let env = Env::new();
    let args: Vec<&str> = ["import", path.to_str().expect("a UTF-8 path")]
        .into_iter()
        .chain(GERMAN_IMPORT.iter().copied())
        .collect();
    let refused = env.run(&args);
    let message = stderr(&refused);
    refused.code(exit::INVALID);
    assert!(
        message.contains("Umfragen2025.csv:175: repeats the poll of line 174"),
        "{message}"
    );
    assert!(
        message.contains("Umfragen2025.csv:219: repeats the poll of line 218"),
        "{message}"
    );
    assert!(message.contains("2 polls have problems"), "{message}");
    let mut skipping = args.to_vec();
    skipping.push("--skip-invalid");
    let out = env.ok(&skipping);
    assert!(
        out.contains("added 1199 polls") && out.contains("2 rejected, 1 repeated in the file"),
        "{out}"
    );
    let forsa = env.json(&[
        "list",
        "--json",
        "--pollster",
        "Forsa",
        "--since",
        "2021-05-12",
        "--until",
        "2021-05-12",
    ]);
    assert_eq!(forsa.as_array().map(Vec::len), Some(1), "{forsa}");
    // The same file again adds nothing and succeeds: its repeats are repeats again, not
    // conflicts with the polls the first import kept.
    let again = env.ok(&skipping);
    assert!(
        again.contains("added 0 polls")
            && again.contains("0 in conflict")
            && again.contains("2 rejected, 1 repeated in the file"),
        "{again}"
    );
}

const WAHLRECHT_HEADER: &str = "Datum,CDUCSU,SPD,Institut\n";

fn wahlrecht_args(name: &str) -> Vec<&str> {
    vec![
        "import",
        name,
        "--question",
        "de-bundestag",
        "--wording",
        "Sonntagsfrage",
        "--map",
        "pollster=Institut",
        "--map",
        "published_on=Datum",
        "--answers",
        "CDUCSU=CDU/CSU,SPD",
    ]
}

#[test]
fn deleted_polls_stay_deleted_when_the_next_version_of_the_file_comes() {
    let env = Env::new();
    // The election result of 2021-09-26 carried once per institute as if it were a poll.
    let rows = "2021-09-20,22,25,Forsa\n\
                2021-09-26,24.1,25.7,Forsa\n\
                2021-09-26,24.1,25.7,Emnid\n";
    let first = file(&env, "v1.csv", &format!("{WAHLRECHT_HEADER}{rows}"));
    env.ok(&wahlrecht_args(&first));
    env.ok(&["delete", "2", "--yes"]);
    env.ok(&["delete", "3", "--yes"]);
    let next = file(
        &env,
        "v2.csv",
        &format!("{WAHLRECHT_HEADER}{rows}2021-10-01,22,27,Forsa\n"),
    );
    let out = env.ok(&wahlrecht_args(&next));
    assert!(
        out.contains("added 1 poll")
            && out.contains("1 already present unchanged")
            && out.contains("2 deleted before, skipped"),
        "{out}"
    );
    let dates: Vec<String> = env
        .json(&["list", "--json"])
        .as_array()
        .expect("polls")
        .iter()
        .map(|p| p["published_on"].as_str().unwrap_or_default().to_string())
        .collect();
    assert_eq!(dates, ["2021-09-20", "2021-10-01"]);
    // Asked, they come back under their old ids, and their history says so; a row copied
    // twice is brought back once.
    let next = file(
        &env,
        "v2.csv",
        &format!(
            "{WAHLRECHT_HEADER}{rows}2021-09-26,24.1,25.7,Emnid
2021-10-01,22,27,Forsa
"
        ),
    );
    let mut restore = wahlrecht_args(&next);
    restore.push("--restore-deleted");
    let out = env.ok(&restore);
    assert!(
        out.contains("added 2 polls") && out.contains("1 repeated in the file"),
        "{out}"
    );
    assert_eq!(env.json(&["show", "2", "--json"])["pollster"], "Forsa");
    let history = env.json(&["history", "3", "--json"]);
    let fields: Vec<&str> = history
        .as_array()
        .expect("history")
        .iter()
        .filter_map(|c| c["field"].as_str())
        .collect();
    assert_eq!(fields, ["poll", "restored"]);
    // Deleted again, they stay deleted again.
    env.ok(&["delete", "2", "--yes"]);
    assert!(
        env.ok(&wahlrecht_args(&next))
            .contains("1 deleted before, skipped")
    );
}

#[test]
fn a_deleted_poll_is_known_by_its_source_id_whatever_a_correction_changed() {
    let env = Env::new();
    let sheet = |end: &str, trump: &str| {
        format!(
            "{FIVETHIRTYEIGHT_HEADER}\
             88001,Example Research,,Online,,3/1/24,{end},501,1853,lv,https://a.example/1,2024,general,Biden,52\n\
             88001,Example Research,,Online,,3/1/24,{end},501,1853,lv,https://a.example/1,2024,general,Trump,{trump}\n"
        )
    };
    let old = file(&env, "old.csv", &sheet("3/4/24", "39"));
    let corrected = file(&env, "new.csv", &sheet("3/5/24", "40"));
    env.ok(&["import", "--format", "538", &old]);
    env.ok(&["delete", "88001", "--yes"]);
    let out = env.ok(&["import", "--format", "538", &corrected]);
    assert!(
        out.contains("added 0 polls") && out.contains("1 deleted before, skipped"),
        "{out}"
    );
    env.run(&["show", "88001"]).code(exit::NOT_FOUND);
}

#[test]
fn a_poll_with_an_id_not_stored_yet_is_not_taken_for_a_correction() {
    let env = Env::new();
    env.ok(&[
        "add",
        "--pollster",
        "Example Research",
        "--question",
        "president-2024-general-biden-trump",
        "--wording",
        "Presidential vote",
        "--answer",
        "Biden=52",
        "--answer",
        "Trump=39",
        "--start",
        "2024-03-01",
        "--end",
        "2024-03-04",
        "--population",
        "lv",
    ]);
    let rv = file(
        &env,
        "rv.csv",
        &format!(
            "{FIVETHIRTYEIGHT_HEADER}\
             88002,Example Research,,Online,,3/1/24,3/4/24,502,2000,rv,,2024,general,Biden,51\n\
             88002,Example Research,,Online,,3/1/24,3/4/24,502,2000,rv,,2024,general,Trump,40\n"
        ),
    );
    // The source says by its id which poll this is: a new one, beside the stored poll.
    let out = env.ok(&["import", "--format", "538", &rv]);
    assert!(out.contains("added 1 poll"), "{out}");
    assert_eq!(
        env.json(&["list", "--json"]).as_array().map(Vec::len),
        Some(2)
    );
}

/// The arguments of an import of the wide `rep.csv` below.
const REPEAT_ARGS: &[&str] = &[
    "import",
    "rep.csv",
    "--map",
    "pollster=Institut",
    "--map",
    "published_on=Datum",
    "--answers",
    "A,B",
    "--question",
    "q",
    "--wording",
    "W",
];

#[test]
fn a_repeat_within_the_file_is_a_repeat_when_the_poll_is_stored_already() {
    let env = Env::new();
    env.ok(&[
        "add",
        "--pollster",
        "Forsa",
        "--question",
        "q",
        "--wording",
        "W",
        "--answer",
        "A=35",
        "--answer",
        "B=15",
        "--published",
        "2021-01-18",
    ]);
    file(
        &env,
        "rep.csv",
        "Datum,A,B,Institut\n2021-01-18,35,15,Forsa\n2021-01-18,36,14,Forsa\n",
    );
    let before = env.snapshot();
    let mut replace = REPEAT_ARGS.to_vec();
    replace.extend(["--on-conflict", "replace"]);
    let refused = env.run(&replace);
    let message = stderr(&refused);
    refused.code(exit::INVALID);
    assert!(
        message.contains("rep.csv:3: repeats the poll of line 2"),
        "{message}"
    );
    assert_eq!(env.snapshot(), before, "nothing imported");
    replace.push("--skip-invalid");
    let out = env.ok(&replace);
    assert!(
        out.contains("added 0 polls")
            && out.contains("1 already present unchanged, 0 in conflict, 0 replaced")
            && out.contains("1 rejected"),
        "{out}"
    );
    let poll = env.json(&["show", "1", "--json"]);
    assert_eq!(poll["results"][0]["answers"][0]["pct"], 35.0, "{poll}");
    assert_eq!(poll["results"][0]["answers"][1]["pct"], 15.0, "{poll}");
    // A row copied twice over a stored poll is that poll, once.
    file(
        &env,
        "rep.csv",
        "Datum,A,B,Institut\n2021-01-18,35,15,Forsa\n2021-01-18,35,15,Forsa\n",
    );
    let out = env.ok(REPEAT_ARGS);
    assert!(
        out.contains("added 0 polls") && out.contains("1 repeated in the file"),
        "{out}"
    );
}

/// A long-format file keying its polls with `poll_id`: the lv poll `k1` and, when asked, the rv
/// poll `k2` of the same pollster, days and question, in the order given.
fn keyed_sheet(env: &Env, name: &str, polls: &[&str]) -> String {
    let mut text = format!("poll_id,{SHEET_HEADER}");
    for key in polls {
        let (population, trump) = match *key {
            "k1" => ("lv", "39"),
            _ => ("rv", "41"),
        };
        for (answer, pct) in [("Biden", "52"), ("Trump", trump)] {
            text.push_str(&format!(
                "{key},Example Research,2024-03-01,2024-03-04,{population},1000,us-pres,\
                 Presidential vote,{answer},{pct}\n"
            ));
        }
    }
    file(env, name, &text)
}

#[test]
fn an_rv_poll_the_file_keys_apart_is_not_taken_for_the_stored_lv_polls_correction() {
    for order in [["k1", "k2"], ["k2", "k1"]] {
        let env = Env::new();
        let lv = keyed_sheet(&env, "lv.csv", &["k1"]);
        env.ok(&["import", &lv]);
        let both = keyed_sheet(&env, "both.csv", &order);
        let out = env.ok(&["import", &both, "--on-conflict", "replace"]);
        assert!(
            out.contains("added 1 poll")
                && out.contains("1 already present unchanged, 0 in conflict, 0 replaced"),
            "{order:?}: {out}"
        );
        let polls = env.json(&["list", "--json"]);
        let populations: Vec<&str> = polls
            .as_array()
            .expect("rows")
            .iter()
            .filter_map(|poll| poll["results"][0]["population"].as_str())
            .collect();
        assert_eq!(populations, ["lv", "rv"], "{order:?}: {polls}");
        // And again: nothing more.
        let out = env.ok(&["import", &both]);
        assert!(
            out.contains("added 0 polls") && out.contains("2 already present unchanged"),
            "{order:?}: {out}"
        );
    }
}

/// A poll of question `x`, X=30, of 2024-05-02, by `pollster` for `sponsor` (none when empty).
fn add_x(env: &Env, pollster: &str, sponsor: &str, sample: &str) -> assert_cmd::assert::Assert {
    let mut args = vec![
        "add",
        "--pollster",
        pollster,
        "--question",
        "x",
        "--wording",
        "X?",
        "--answer",
        "X=30",
        "--published",
        "2024-05-02",
    ];
    if !sponsor.is_empty() {
        args.extend(["--sponsor", sponsor]);
    }
    if !sample.is_empty() {
        args.extend(["--sample", sample]);
    }
    env.run(&args)
}

#[test]
fn add_import_and_merge_agree_that_polls_for_different_sponsors_are_two_polls() {
    let env = Env::new();
    add_x(&env, "A", "Bild", "").success();
    // add: another sponsor is another poll; naming none may be either, so it repeats one.
    add_x(&env, "A", "Spiegel", "").success();
    add_x(&env, "A", "", "").code(exit::CONFLICT);
    add_x(&env, "B", "", "").success();
    // import: the same rule.
    file(
        &env,
        "x.csv",
        "pollster,sponsors,published_on,question,answer,pct\n\
         A,Stern,2024-05-02,x,X,30\n",
    );
    let out = env.ok(&["import", "x.csv"]);
    assert!(out.contains("added 1 poll"), "{out}");
    env.ok(&["delete", "4", "--yes"]);
    // merge: B's poll naming no sponsor is one of A's two, not both.
    let out = env.ok(&["pollster", "merge", "A", "B", "--combine"]);
    assert!(
        out.contains("Moved 1 poll from A to B and combined 1 poll with B's"),
        "{out}"
    );
    assert!(out.contains("Combined poll 1 into poll 3"), "{out}");
    let polls = env.json(&["list", "--json"]);
    let sponsors: Vec<String> = polls
        .as_array()
        .expect("polls")
        .iter()
        .map(|p| p["sponsors"].to_string())
        .collect();
    assert_eq!(sponsors, [r#"["Spiegel"]"#, r#"["Bild"]"#], "{polls}");
}

#[test]
fn combining_polls_that_differ_in_sample_size_names_the_sizes() {
    let env = Env::new();
    add_x(&env, "A", "", "1000").success();
    add_x(&env, "B", "", "1200").success();
    let refused = env.run(&["pollster", "merge", "A", "B", "--combine"]);
    let message = stderr(&refused);
    refused.code(exit::CONFLICT);
    assert!(
        message.contains("X=30 (n=1000) against X=30 (n=1200)"),
        "{message}"
    );
}

#[test]
fn a_pollster_renamed_in_a_correction_matched_by_its_source_id_is_a_difference() {
    let env = Env::new();
    let sheet =
        |firm: &str| format!("sid,Firm,Date,Approve,Disapprove\ns-1,{firm},2024-03-04,41,50\n");
    let old = file(&env, "old.csv", &sheet("YouGov"));
    let renamed = file(&env, "new.csv", &sheet("YouGov/Economist"));
    let args = |name: &str, extra: &[&str]| -> Vec<String> {
        let mut args: Vec<String> = [
            "import",
            name,
            "--question",
            "approval",
            "--wording",
            "Job approval",
            "--map",
            "poll_id=sid",
            "--map",
            "pollster=Firm",
            "--map",
            "field_end=Date",
            "--answers",
            "Approve,Disapprove",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        args.extend(extra.iter().map(|s| s.to_string()));
        args
    };
    let run = |args: Vec<String>| {
        let refs: Vec<&str> = args.iter().map(String::as_str).collect();
        env.run(&refs)
    };
    run(args(&old, &[])).success();
    let refused = run(args(&renamed, &[]));
    let message = stderr(&refused);
    refused.code(exit::CONFLICT);
    assert!(
        message.contains("conflicts with stored poll 1: pollster YouGov -> YouGov/Economist"),
        "{message}"
    );
    let out = String::from_utf8_lossy(
        &run(args(&renamed, &["--on-conflict", "replace"]))
            .success()
            .get_output()
            .stdout,
    )
    .into_owned();
    assert!(out.contains("1 replaced"), "{out}");
    let poll = env.json(&["show", "1", "--json"]);
    assert_eq!(poll["pollster"], "YouGov/Economist", "{poll}");
    let history = env.json(&["history", "1", "--json"]);
    assert!(
        history
            .as_array()
            .expect("rows")
            .iter()
            .any(|row| row["field"] == "pollster" && row["new_value"] == "YouGov/Economist"),
        "{history}"
    );
    // The same file again is the poll unchanged.
    let out = String::from_utf8_lossy(&run(args(&renamed, &[])).success().get_output().stdout)
        .into_owned();
    assert!(out.contains("1 already present unchanged"), "{out}");
}

#[test]
fn a_question_of_a_poll_corrected_with_another_candidate_is_matched_by_its_question_id() {
    let env = Env::new();
    let row = |question: &str, answer: &str, pct: &str| {
        format!(
            "86302,Example Research,,Online,,6/1/24,6/4/24,{question},1000,rv,https://a.example/1,2024,general,{answer},{pct}\n"
        )
    };
    let old = format!(
        "{FIVETHIRTYEIGHT_HEADER}{}{}{}{}",
        row("194211", "Biden", "45"),
        row("194211", "Trump", "44"),
        row("194212", "Harris", "43"),
        row("194212", "Trump", "46"),
    );
    // The correction gives question 194211 a candidate more, and leaves question 194212 out
    // (538 shares a poll's id across its files).
    let corrected = format!(
        "{FIVETHIRTYEIGHT_HEADER}{}{}{}",
        row("194211", "Biden", "45"),
        row("194211", "Kennedy", "0.0"),
        row("194211", "Trump", "44"),
    );
    let old = file(&env, "old.csv", &old);
    let corrected = file(&env, "new.csv", &corrected);
    env.ok(&["import", "--format", "538", &old]);
    let slugs = |env: &Env| -> Vec<String> {
        let poll = env.json(&["show", "86302", "--json"]);
        poll["results"]
            .as_array()
            .expect("results")
            .iter()
            .map(|r| r["question"].as_str().expect("slug").to_string())
            .collect()
    };
    let before = slugs(&env);
    assert_eq!(before.len(), 2, "{before:?}");
    // An edit rewrites the poll: the question ids stay with its result sets.
    env.ok(&["edit", "86302", "--notes", "checked"]);
    let refused = env.run(&["import", "--format", "538", &corrected]);
    let message = stderr(&refused);
    refused.code(exit::CONFLICT);
    assert!(
        message.contains("conflicts with stored poll 86302"),
        "{message}"
    );
    let out = env.ok(&[
        "import",
        "--format",
        "538",
        &corrected,
        "--on-conflict",
        "replace",
    ]);
    assert!(out.contains("1 replaced"), "{out}");
    let after = slugs(&env);
    assert_eq!(
        after.len(),
        2,
        "one result set for the question, the other kept: {after:?}"
    );
    assert!(after.contains(&before[1]), "{after:?}");
    assert!(!after.contains(&before[0]), "{after:?}");
    let poll = env.json(&["show", "86302", "--json"]);
    let corrected_set = poll["results"]
        .as_array()
        .expect("results")
        .iter()
        .find(|r| r["question"] != before[1].as_str())
        .expect("the corrected question")
        .clone();
    assert!(
        corrected_set["question"]
            .as_str()
            .is_some_and(|s| s.contains("kennedy")),
        "{corrected_set}"
    );
    assert!(
        corrected_set["answers"]
            .as_array()
            .expect("answers")
            .iter()
            .any(|a| a["label"] == "Kennedy"),
        "{corrected_set}"
    );
    let history = env.json(&["history", "86302", "--json"]);
    assert!(
        history
            .as_array()
            .expect("rows")
            .iter()
            .any(|row| row["action"] == "edit"),
        "{history}"
    );
    // The corrected file again, and the poll's export, are the poll unchanged.
    let out = env.ok(&["import", "--format", "538", &corrected]);
    assert!(out.contains("1 already present unchanged"), "{out}");
    let exported = env.ok(&["export"]);
    let exported = file(&env, "export.csv", &exported);
    let out = env.ok(&["import", &exported]);
    assert!(out.contains("1 already present unchanged"), "{out}");
    assert_eq!(slugs(&env).len(), 2);
}
