//! Quick to type: several populations in one `add`, dates as articles write them, deleting
//! many polls at once, and a `list` that can be searched and cut short.

use crate::{Env, GERMAN_IMPORT, exit, shared_data, stderr};

/// A poll of adults and registered voters, in one command.
const TWO_POPULATIONS: &[&str] = &[
    "add",
    "--pollster",
    "Example Polling",
    "--question",
    "us-approval",
    "--wording",
    "Do you approve of the way the president is handling the job?",
    "--start",
    "May 10, 2024",
    "--end",
    "14.05.2024",
    "--population",
    "a",
    "--population",
    "RV",
    "--answer",
    "a:Approve=40",
    "--answer",
    "a:Disapprove=52",
    "--answer",
    "rv:Approve=42",
    "--answer",
    "rv:Disapprove=53",
    "--sample",
    "a:1,500",
    "--sample",
    "rv:1210",
    "--moe",
    "rv:3.1",
];

#[test]
fn add_takes_several_populations_as_one_poll() {
    let env = Env::new();
    assert_eq!(
        env.ok(TWO_POPULATIONS),
        "Added poll 1: Example Polling, us-approval (a), us-approval (rv), 2024-05-12\n  \
         us-approval (a), n=1500: Approve=40; Disapprove=52\n  \
         us-approval (rv), n=1210: Approve=42; Disapprove=53\n"
    );
    let poll = env.json(&["show", "1", "--json"]);
    assert_eq!(poll["field_start"], "2024-05-10");
    assert_eq!(poll["field_end"], "2024-05-14");
    let results = poll["results"].as_array().expect("result sets");
    assert_eq!(results.len(), 2);
    assert_eq!(results[1]["population"], "rv");
    assert_eq!(results[1]["sample_size"], 1210.0);
    assert_eq!(results[1]["margin_of_error"], 3.1);
    assert!(results[0]["margin_of_error"].is_null());

    // Two more populations of the stored poll at once.
    assert_eq!(
        env.ok(&[
            "add",
            "--poll",
            "1",
            "--question",
            "us-approval",
            "--population",
            "lv",
            "--population",
            "lv-R",
            "--answer",
            "lv:Approve=44",
            "--answer",
            "LV-r:Approve=80",
        ]),
        "Added to poll 1\n  us-approval (lv): Approve=44\n  us-approval (lv-R): Approve=80\n"
    );
    let listed = env.ok(&["list"]);
    assert_eq!(listed.lines().count(), 5, "{listed}");

    // Refused whole, nothing stored: an answer of no population, a population without answers.
    let env = Env::new();
    let mut unclear: Vec<&str> = TWO_POPULATIONS.to_vec();
    unclear.extend(["--answer", "Unsure=8"]);
    let refused = env.run(&unclear).code(exit::USAGE);
    assert!(
        stderr(&refused).contains(
            "--answer Unsure=8: with several populations (a, rv), say which one it is for, e.g. \
             --answer rv:Unsure=8"
        ),
        "{}",
        stderr(&refused)
    );
    let mut silent: Vec<&str> = TWO_POPULATIONS.to_vec();
    silent.extend(["--population", "lv"]);
    let refused = env.run(&silent).code(exit::USAGE);
    assert!(stderr(&refused).contains("population lv has no --answer"));
    let mut bad: Vec<&str> = TWO_POPULATIONS.to_vec();
    bad.extend(["--answer", "rv:Unsure=20"]);
    env.run(&bad).code(exit::INVALID);
    assert!(!env.db().exists() || env.ok(&["list"]).is_empty());
}

#[test]
fn dates_typed_from_articles() {
    let env = Env::new();
    let add = |pollster: &str, published: &str| {
        env.run(&[
            "add",
            "--pollster",
            pollster,
            "--question",
            "kr-gsomia",
            "--wording",
            "GSOMIA?",
            "--answer",
            "Oppose=59",
            "--published",
            published,
        ])
    };
    for (n, text) in [
        "2024-05-14",
        "May 14, 2024",
        "14 May 2024",
        "14.05.2024",
        "2024/05/14",
        "5/14/2024",
        "14/5/2024",
    ]
    .iter()
    .enumerate()
    {
        add(&format!("Pollster {n}"), text).success();
    }
    let polls = env.json(&["list", "--json"]);
    let dates: Vec<&str> = polls
        .as_array()
        .expect("polls")
        .iter()
        .map(|p| p["published_on"].as_str().expect("a date"))
        .collect();
    assert_eq!(dates, vec!["2024-05-14"; 7]);

    let refused = add("Other", "05/06/2024").code(exit::INVALID);
    assert!(
        stderr(&refused).contains(
            "--published: date \"05/06/2024\" is ambiguous: it may be 6 May 2024 or 5 June \
             2024; write it as 2024-05-06 or 2024-06-05"
        ),
        "{}",
        stderr(&refused)
    );
    let refused = add("Other", "31.02.2024").code(exit::INVALID);
    assert!(stderr(&refused).contains("date \"31.02.2024\" is not a real calendar date"));

    // `edit` reads them too, and a source's date.
    env.ok(&[
        "edit",
        "1",
        "--start",
        "Sept. 3, 2023",
        "--end",
        "4 Sep 2023",
    ]);
    let poll = env.json(&["show", "1", "--json"]);
    assert_eq!(poll["field_start"], "2023-09-03");
    assert_eq!(poll["field_end"], "2023-09-04");
    env.run(&["edit", "1", "--end", "09/04/2023"])
        .code(exit::INVALID);
}

/// Three polls: two Gallup Korea polls (one for a sponsor), a Realmeter one with a source.
fn three_polls(env: &Env) {
    let base = [
        "--question",
        "kr-gsomia",
        "--wording",
        "GSOMIA?",
        "--region",
        "South Korea",
    ];
    for extra in [
        &[
            "--pollster",
            "Gallup Korea",
            "--answer",
            "Oppose=59",
            "--published",
            "2016-11-18",
        ][..],
        &[
            "--pollster",
            "Realmeter",
            "--answer",
            "Oppose=55",
            "--published",
            "2019-08-22",
            "--source",
            "https://example.org/yonhap-gsomia",
            "--outlet",
            "Yonhap",
        ],
        &[
            "--pollster",
            "Gallup Korea",
            "--answer",
            "Oppose=51",
            "--published",
            "2019-08-30",
            "--sponsor",
            "Hankook Ilbo",
            "--election",
        ],
    ] {
        let mut args = vec!["add"];
        args.extend(base);
        args.extend(extra);
        env.ok(&args);
    }
}

fn ids(env: &Env, args: &[&str]) -> Vec<i64> {
    let mut all = vec!["list", "--json"];
    all.extend(args);
    let polls = env.json(&all);
    polls
        .as_array()
        .expect("polls")
        .iter()
        .map(|p| p["id"].as_i64().expect("an id"))
        .collect()
}

#[test]
fn list_searches_and_cuts_short() {
    let env = Env::new();
    three_polls(&env);
    assert_eq!(ids(&env, &["--latest"]), vec![3, 2, 1]);
    assert_eq!(ids(&env, &["--latest", "--limit", "2"]), vec![3, 2]);
    assert_eq!(ids(&env, &["--limit", "1"]), vec![1]);
    assert_eq!(ids(&env, &["--search", "YONHAP"]), vec![2]);
    assert_eq!(ids(&env, &["--search", "gallup gsomia"]), vec![1, 3]);
    assert_eq!(ids(&env, &["--sponsor", "hankook ilbo"]), vec![3]);
    assert_eq!(
        ids(&env, &["--region", "south korea", "--election"]),
        vec![3]
    );
    assert!(ids(&env, &["--region", "Japan"]).is_empty());
    let table = env.ok(&["list", "--latest", "--limit", "1"]);
    assert_eq!(table.lines().count(), 2, "{table}");
    assert!(
        table.lines().nth(1).expect("a row").starts_with("3 "),
        "{table}"
    );
    env.run(&["list", "--limit", "-1"]).code(exit::USAGE);
}

#[test]
fn delete_several_polls_or_those_matching() {
    let env = Env::new();
    three_polls(&env);
    // Without --yes: what would go, and nothing changes.
    let before = env.snapshot();
    let preview = env.run(&["delete", "1", "2"]).code(exit::USAGE);
    assert_eq!(
        String::from_utf8_lossy(&preview.get_output().stdout),
        "Would delete 2 polls:\n  poll 1: Gallup Korea, kr-gsomia (a), 2016-11-18\n  \
         poll 2: Realmeter, kr-gsomia (a), 2019-08-22\n"
    );
    assert!(stderr(&preview).contains("nothing was deleted: deleting 2 polls needs --yes"));
    let one = env.run(&["delete", "3"]).code(exit::USAGE);
    assert_eq!(
        String::from_utf8_lossy(&one.get_output().stdout),
        "Would delete 1 poll:\n  poll 3: Gallup Korea, kr-gsomia (a), 2019-08-30\n"
    );
    assert_eq!(env.snapshot(), before);
    env.run(&["delete"]).code(exit::USAGE);
    // A preview only reads: it does not create a database.
    let empty = Env::new();
    empty.run(&["delete", "1", "2"]).code(exit::NOT_FOUND);
    assert!(!empty.db().exists());

    // All or nothing: an unknown id stops the whole deletion.
    env.run(&["delete", "1", "9", "--yes"])
        .code(exit::NOT_FOUND);
    assert_eq!(ids(&env, &[]), vec![1, 2, 3]);

    // Ids narrowed by filters; each deleted poll in the history.
    assert_eq!(
        env.ok(&[
            "delete",
            "1",
            "2",
            "3",
            "--pollster",
            "gallup korea",
            "--yes"
        ]),
        "Deleted poll 1: Gallup Korea, kr-gsomia (a), 2016-11-18\n\
         Deleted poll 3: Gallup Korea, kr-gsomia (a), 2019-08-30\n\
         Deleted 2 polls\n"
    );
    assert_eq!(ids(&env, &[]), vec![2]);
    let history = env.json(&["history", "--json"]);
    let deleted: Vec<i64> = history
        .as_array()
        .expect("changes")
        .iter()
        .filter(|c| c["action"] == "delete")
        .map(|c| c["poll_id"].as_i64().expect("a poll id"))
        .collect();
    assert_eq!(deleted, vec![1, 3]);
    let nothing = env
        .run(&["delete", "--since", "2030-01-01", "--yes"])
        .success();
    assert!(stderr(&nothing).contains("no polls match"));
}

/// The README's German example: the fourteen election rows of wahlrecht.de's table, deleted
/// in one command.
#[test]
fn the_fourteen_german_election_rows_go_in_one_command() {
    let Some(file) = shared_data("germany-wahlrecht-hwborchers/Umfragen2025.csv") else {
        return;
    };
    let env = Env::new();
    let mut args: Vec<&str> = vec!["import", file.to_str().expect("path")];
    args.extend(GERMAN_IMPORT);
    args.extend(["--skip-invalid", "--election-date", "2021-09-26"]);
    args.extend(["--election-date", "2025-02-23"]);
    env.ok(&args);
    let polls = ids(&env, &[]).len();
    let preview = env
        .run(&["delete", "--question", "de-bundestag", "--election"])
        .code(exit::USAGE);
    let shown = String::from_utf8_lossy(&preview.get_output().stdout).into_owned();
    assert_eq!(shown.lines().count(), 15, "{shown}");
    assert!(shown.starts_with("Would delete 14 polls:\n"), "{shown}");
    assert!(shown.contains("  poll 303: Allensbach, de-bundestag (a), 2021-09-26\n"));
    let out = env.ok(&[
        "delete",
        "--question",
        "de-bundestag",
        "--election",
        "--yes",
    ]);
    assert!(out.ends_with("Deleted 14 polls\n"), "{out}");
    assert_eq!(ids(&env, &[]).len(), polls - 14);
    assert!(ids(&env, &["--election"]).is_empty());
}

/// FiveThirtyEight's approval list prints 8,483 rows; `--limit` cuts it to whole polls.
#[test]
fn fivethirtyeight_approval_list_limited() {
    let Some(file) = shared_data("fivethirtyeight-trump-approval/approval_polllist.csv") else {
        return;
    };
    let env = Env::new();
    env.ok(&["import", "--format", "538", file.to_str().expect("path")]);
    assert_eq!(env.ok(&["list"]).lines().count(), 8_484);
    let latest = env.ok(&["list", "--latest", "--limit", "3"]);
    let rows: Vec<Vec<&str>> = latest
        .lines()
        .skip(1)
        .map(|l| l.split_whitespace().take(2).collect())
        .collect();
    assert_eq!(
        rows,
        vec![
            vec!["67866", "2020-08-02"],
            vec!["67866", "2020-08-02"],
            vec!["67877", "2020-08-01"],
            vec!["67865", "2020-08-01"],
            vec!["67865", "2020-08-01"],
        ]
    );
    let first = env.ok(&["list", "--limit", "2", "--search", "quinnipiac"]);
    assert_eq!(first.lines().count(), 3, "{first}");
    assert!(
        first.contains("49260  2017-01-22  Quinnipiac University"),
        "{first}"
    );
}
