//! Files with no pollster column (`--pollster NAME`) and files wide by pollster
//! (`--pollster-columns`, `--answer-label`), and the new pollsters an import warns about.

use super::{Env, exit, shared_data, stderr};

/// The export's rows as (pollster, published_on, answer, pct).
fn rows(env: &Env) -> Vec<(String, String, String, String)> {
    let csv = env.ok(&["export"]);
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    reader
        .records()
        .map(|r| {
            let r = r.expect("a row");
            (r[1].into(), r[5].into(), r[13].into(), r[14].into())
        })
        .collect()
}

fn row(pollster: &str, date: &str, answer: &str, pct: &str) -> (String, String, String, String) {
    (pollster.into(), date.into(), answer.into(), pct.into())
}

#[test]
fn a_constant_pollster_for_a_file_without_a_pollster_column() {
    let env = Env::new();
    std::fs::write(
        env.path().join("gallup.csv"),
        "date,approve,disapprove\n2017-06-01,84,7\n2017-06-08,NA,NA\n2017-06-15,83,9\n",
    )
    .unwrap();
    let import = [
        "import",
        "gallup.csv",
        "--question",
        "kr-moon",
        "--wording",
        "Moon Jae-in job approval",
        "--map",
        "published_on=date",
        "--answers",
        "approve=Approve,disapprove=Disapprove",
        "--pollster",
        " Gallup Korea ",
    ];
    // The all-NA row is a poll with no known answer: refused as any such row.
    let refused = env.run(&import).code(exit::INVALID);
    assert!(
        stderr(&refused).contains("gallup.csv:3:"),
        "{}",
        stderr(&refused)
    );
    let mut skipping = import.to_vec();
    skipping.push("--skip-invalid");
    env.ok(&skipping);
    assert_eq!(
        rows(&env),
        vec![
            row("Gallup Korea", "2017-06-01", "Approve", "84"),
            row("Gallup Korea", "2017-06-01", "Disapprove", "7"),
            row("Gallup Korea", "2017-06-15", "Approve", "83"),
            row("Gallup Korea", "2017-06-15", "Disapprove", "9"),
        ]
    );
    // A file that names its pollsters does not take one for all of them too.
    std::fs::write(
        env.path().join("named.csv"),
        "pollster,date,approve\nRealmeter,2017-06-01,78.9\n",
    )
    .unwrap();
    let clash = env.run(&[
        "import",
        "named.csv",
        "--question",
        "kr-moon",
        "--map",
        "published_on=date",
        "--answers",
        "approve=Approve",
        "--pollster",
        "Gallup Korea",
    ]);
    let message = stderr(&clash.code(exit::INVALID));
    assert!(
        message.contains("column \"pollster\" names the pollster, but the pollster is given for the whole file too"),
        "{message}"
    );
}

#[test]
fn pollster_columns_make_a_poll_per_pollster_and_row() {
    let env = Env::new();
    std::fs::write(
        env.path().join("wide.csv"),
        "week,date,gallup,realmeter\nW1,2017-06-01,84,78.9\nW2,2017-06-04,NA,75.6\nW3,2017-06-11,NA,NA\nW4,2017-06-18,83,x\n",
    )
    .unwrap();
    let import = [
        "import",
        "wide.csv",
        "--question",
        "kr-moon",
        "--wording",
        "Moon Jae-in job approval",
        "--map",
        "published_on=date",
        "--pollster-columns",
        "gallup=Gallup Korea,realmeter",
        "--answer-label",
        "Approve",
    ];
    let bad = env.run(&import).code(exit::INVALID);
    assert!(
        stderr(&bad).contains("wide.csv:5: column realmeter: percentage \"x\" is not a number"),
        "{}",
        stderr(&bad)
    );
    std::fs::write(
        env.path().join("wide.csv"),
        "week,date,gallup,realmeter\nW1,2017-06-01,84,78.9\nW2,2017-06-04,NA,75.6\nW3,2017-06-11,NA,NA\nW4,2017-06-18,83,\n",
    )
    .unwrap();
    let out = env.ok(&import);
    assert!(
        out.starts_with("wide.csv: added 4 polls (4 answers);"),
        "{out}"
    );
    assert_eq!(
        rows(&env),
        vec![
            row("Gallup Korea", "2017-06-01", "Approve", "84"),
            row("realmeter", "2017-06-01", "Approve", "78.9"),
            row("realmeter", "2017-06-04", "Approve", "75.6"),
            row("Gallup Korea", "2017-06-18", "Approve", "83"),
        ]
    );
    // Again: nothing new.
    env.ok(&import);
    assert_eq!(rows(&env).len(), 4);

    env.run(&[
        "import",
        "wide.csv",
        "--question",
        "kr-moon",
        "--map",
        "published_on=date",
        "--pollster-columns",
        "gallup",
    ])
    .code(exit::USAGE);
    env.run(&[
        "import",
        "wide.csv",
        "--question",
        "kr-moon",
        "--map",
        "published_on=date",
        "--pollster-columns",
        "gallup",
        "--answer-label",
        "Approve",
        "--pollster",
        "X",
    ])
    .code(exit::USAGE);
}

/// Moon Jae-in's weekly approval, one column per pollster (갤럽, 리얼미터), `NA` where a
/// pollster had no poll, and two weeks given twice by Realmeter with other numbers.
#[test]
fn the_moon_file_wide_by_pollster() {
    let Some(file) = shared_data("korea-moon-approval-statkclee/moon_df.csv") else {
        return;
    };
    let env = Env::new();
    let file = file.to_str().unwrap();
    let mut import = vec![
        "import",
        file,
        "--question",
        "kr-moon-approval",
        "--wording",
        "Moon Jae-in job approval",
        "--map",
        "published_on=조사날짜",
        "--pollster-columns",
        "갤럽=Gallup Korea,리얼미터=Realmeter",
        "--answer-label",
        "Approve",
    ];
    let refused = stderr(&env.run(&import).code(exit::INVALID));
    assert!(
        refused.contains("moon_df.csv:83: repeats the poll of line 82")
            && refused.contains("Approve=45.9 -> Approve=46.4")
            && refused.contains("moon_df.csv:133: repeats the poll of line 132")
            && refused.contains("2 polls have problems"),
        "{refused}"
    );
    import.push("--skip-invalid");
    let out = env.ok(&import);
    assert!(
        out.contains("added 270 polls (270 answers)") && out.contains("2 rejected"),
        "{out}"
    );
    let rows = rows(&env);
    let of = |pollster: &str| -> Vec<&(String, String, String, String)> {
        rows.iter().filter(|r| r.0 == pollster).collect()
    };
    let (gallup, realmeter) = (of("Gallup Korea"), of("Realmeter"));
    assert_eq!((gallup.len(), realmeter.len()), (130, 140));
    let sum = |rows: &[&(String, String, String, String)]| -> f64 {
        rows.iter().map(|r| r.3.parse::<f64>().unwrap()).sum()
    };
    assert!((sum(&gallup) - 7575.0).abs() < 1e-6, "{}", sum(&gallup));
    assert!(
        (sum(&realmeter) - 8137.3).abs() < 1e-6,
        "{}",
        sum(&realmeter)
    );
    assert_eq!(
        *gallup[0],
        row("Gallup Korea", "2017-06-01", "Approve", "84")
    );
    assert_eq!(
        *realmeter[0],
        row("Realmeter", "2017-05-28", "Approve", "78.1")
    );
    assert_eq!(
        *gallup[129],
        row("Gallup Korea", "2020-04-01", "Approve", "56")
    );
    // Of a week given twice, the first is kept.
    assert!(realmeter.contains(&&row("Realmeter", "2018-12-17", "Approve", "45.9")));
    assert!(realmeter.contains(&&row("Realmeter", "2019-12-17", "Approve", "49.7")));
}

#[test]
fn an_import_warns_of_new_pollsters_close_to_stored_ones() {
    let env = Env::new();
    std::fs::write(
        env.path().join("first.csv"),
        "pollster,published_on,question,question_wording,answer,pct\n\
         Emerson College,2024-03-01,us-approval,Approve?,Approve,41\n",
    )
    .unwrap();
    env.ok(&["import", "first.csv"]);
    std::fs::write(
        env.path().join("second.csv"),
        "pollster,published_on,question,answer,pct\n\
         Emmerson College,2024-03-08,us-approval,Approve,40\n\
         Ipsos,2024-03-09,us-approval,Approve,42\n\
         Ipsoss,2024-03-10,us-approval,Approve,43\n",
    )
    .unwrap();
    // A dry run warns the same, with no merge to run: nothing was stored.
    let dry = stderr(&env.run(&["import", "second.csv", "--dry-run"]).success());
    assert!(
        dry.starts_with(
            "warning: second.csv:2: new pollster \"Emmerson College\" is close to the stored \
             Emerson College: a typo?\n"
        ),
        "{dry}"
    );
    let assert = env.run(&["import", "second.csv"]).success();
    let warnings = stderr(&assert);
    assert_eq!(
        warnings,
        "warning: second.csv:2: new pollster \"Emmerson College\" is close to the stored \
         Emerson College: a typo?: run `polltrack pollster merge \"Emmerson College\" \
         \"Emerson College\"`\n\
         warning: second.csv:4: new pollster \"Ipsoss\" is close to Ipsos (new on line 3): a \
         typo?\n"
    );
    // Stored all the same: a file is usually right.
    let list = env.json(&["pollster", "list", "--json"]);
    assert_eq!(list.as_array().map(Vec::len), Some(4));
}
