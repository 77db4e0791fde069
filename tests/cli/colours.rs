//! Answer colours through the real binary: stable per question whatever the filters, kept
//! with the question, given for one chart, and never shared without a warning.

use super::{Env, exit, stderr};

/// Zeta and Alpha first polled in 2020, Beta first in 2021: the question's order is Zeta,
/// Alpha, Beta, so Beta is the palette's third colour in every chart of it.
fn three_parties(env: &Env) {
    let add = |date: &str, answers: &[&str]| {
        let mut args = vec![
            "add",
            "--pollster",
            "Forsa",
            "--question",
            "parties",
            "--wording",
            "Which party?",
            "--published",
            date,
        ];
        for answer in answers {
            args.extend(["--answer", answer]);
        }
        env.ok(&args);
    };
    add("2020-01-10", &["Zeta=60", "Alpha=40"]);
    add("2021-01-10", &["Alpha=30", "Beta=20", "Zeta=50"]);
    add("2021-02-10", &["Beta=25", "Alpha=30", "Zeta=45"]);
}

fn svg(env: &Env, args: &[&str]) -> String {
    let mut all = vec!["chart", "parties", "-o", "c.svg"];
    all.extend(args);
    env.ok(&all);
    std::fs::read_to_string(env.path().join("c.svg")).expect("svg")
}

/// How many poll points are drawn in `colour`.
fn points(svg: &str, colour: &str) -> usize {
    let fill = format!("fill=\"{colour}\"");
    svg.split("<circle")
        .skip(1)
        .filter(|c| c.split('>').next().unwrap_or("").contains(&fill))
        .count()
}

#[test]
fn an_answer_keeps_its_colour_whatever_the_dates_pollsters_or_answers_charted() {
    let env = Env::new();
    three_parties(&env);
    let (zeta, alpha, beta) = ("#0072B2", "#D55E00", "#009E73");
    let all = svg(&env, &[]);
    assert_eq!(
        (points(&all, zeta), points(&all, alpha), points(&all, beta)),
        (3, 3, 2)
    );
    // Without the 2020 poll (and its Zeta-Alpha order) each answer keeps its colour.
    for args in [
        &["--since", "2021-01-01"][..],
        &["--answers", "Beta,Alpha"],
        &["--pollster", "Forsa", "--until", "2021-01-31"],
    ] {
        let some = svg(&env, args);
        let betas = if args[0] == "--pollster" { 1 } else { 2 };
        assert_eq!(points(&some, beta), betas, "{args:?}");
        assert!(points(&some, alpha) >= 2, "{args:?}");
        assert!(!some.contains("#56B4E9"), "{args:?}: no colour moves along");
    }
    // The legend's text is dark, whatever the answer's colour.
    assert!(all.contains("fill=\"#1A1A1A\" font-weight=\"bold\">\nBeta"));
}

#[test]
fn colours_kept_with_the_question_serve_every_later_chart_and_definitions() {
    let env = Env::new();
    three_parties(&env);
    let listed = env.ok(&["question", "color", "parties", "beta=#e3000f"]);
    assert!(
        listed.contains("Beta") && listed.contains("#E3000F  kept"),
        "{listed}"
    );
    let since = svg(&env, &["--since", "2021-01-01"]);
    assert_eq!(points(&since, "#E3000F"), 2);
    // Kept in the database: another process reads them back.
    let json = env.json(&["question", "color", "parties", "--json"]);
    assert_eq!(json[2]["answer"], "Beta");
    assert_eq!(json[2]["colour"], "#E3000F");
    assert_eq!(json[2]["origin"], "kept");
    assert_eq!(json[0]["origin"], "palette");

    // --color is for one chart: it wins there and says it is not kept.
    let assert = env
        .run(&[
            "chart",
            "parties",
            "--color",
            "Beta=#00FF00",
            "-o",
            "one.svg",
        ])
        .success();
    assert!(stderr(&assert).contains("this chart only"));
    let one = std::fs::read_to_string(env.path().join("one.svg")).expect("svg");
    assert_eq!(points(&one, "#00FF00"), 2);
    assert_eq!(
        points(&svg(&env, &[]), "#E3000F"),
        2,
        "still the kept colour"
    );

    // A saved definition takes the kept colours, and its own over them.
    std::fs::create_dir(env.path().join("charts")).expect("charts/");
    std::fs::write(
        env.path().join("charts/p.toml"),
        "question = \"parties\"\noutput = \"p.svg\"\n[colors]\nZeta = \"#111111\"\n",
    )
    .expect("definition");
    env.ok(&["chart", "charts/p.toml"]);
    let saved = std::fs::read_to_string(env.path().join("charts/p.svg")).expect("svg");
    assert_eq!(points(&saved, "#111111"), 3);
    assert_eq!(points(&saved, "#E3000F"), 2);
}

#[test]
fn answers_without_a_kept_colour_take_none_near_the_kept_ones() {
    let env = Env::new();
    three_parties(&env);
    // Beta would be the palette's third colour; with Zeta kept black (the palette has black)
    // and Alpha kept in the palette's blue, Beta takes the first colour near neither.
    env.ok(&[
        "question",
        "color",
        "parties",
        "Zeta=#000000",
        "Alpha=#0072B2",
    ]);
    let json = env.json(&["question", "color", "parties", "--json"]);
    assert_eq!(json[2]["answer"], "Beta");
    assert_eq!(json[2]["origin"], "palette");
    assert_eq!(json[2]["colour"], "#D55E00");
    // A colour given for one chart moves no other answer's.
    let one = svg(&env, &["--color", "Zeta=#CC79A7"]);
    assert_eq!(points(&one, "#D55E00"), 2);
    // Two answers in colours too near to tell apart are named, as shared ones are.
    let assert = env
        .run(&["chart", "parties", "--color", "Beta=#0070B0", "-o", "n.svg"])
        .success();
    assert!(
        stderr(&assert).contains("Alpha (#0072B2) and Beta (#0070B0) look alike"),
        "{}",
        stderr(&assert)
    );
    // Forgetting the kept colours gives every answer its palette colour again.
    let listed = env.ok(&[
        "question", "color", "parties", "--clear", "zeta", "--clear", "Alpha",
    ]);
    assert!(listed.contains("Beta    #009E73  palette"), "{listed}");
    let refused = env
        .run(&["question", "color", "parties", "--clear", "Gamma"])
        .code(exit::NOT_FOUND);
    assert!(stderr(&refused).contains("no answer \"Gamma\""));
}

#[test]
fn bad_colours_and_unknown_answers_are_refused_naming_them() {
    let env = Env::new();
    three_parties(&env);
    for args in [
        &["question", "color", "parties", "Beta=blue"][..],
        &["chart", "parties", "--color", "Beta=#12345"],
    ] {
        let assert = env.run(args).code(exit::USAGE);
        let value = args[args.len() - 1].split('=').nth(1).unwrap();
        assert!(
            stderr(&assert).contains(&format!("\"{value}\" is not a colour")),
            "{}",
            stderr(&assert)
        );
    }
    let unknown = env
        .run(&["question", "color", "parties", "Gamma=#000000"])
        .code(exit::NOT_FOUND);
    assert!(stderr(&unknown).contains("no answer \"Gamma\""));
    assert!(stderr(&unknown).contains("Zeta, Alpha, Beta"));
    // Nothing was kept.
    let json = env.json(&["question", "color", "parties", "--json"]);
    assert!(
        json.as_array()
            .unwrap()
            .iter()
            .all(|c| c["origin"] == "palette")
    );
}

#[test]
fn answers_sharing_a_colour_are_named_in_a_warning() {
    let env = Env::new();
    let mut args = vec![
        "add",
        "--pollster",
        "Forsa",
        "--question",
        "many",
        "--wording",
        "Which party?",
        "--published",
        "2021-01-10",
    ];
    let answers: Vec<String> = (1..=13).map(|i| format!("P{i:02}=7")).collect();
    for answer in &answers {
        args.extend(["--answer", answer.as_str()]);
    }
    env.ok(&args);
    // Twelve colours: the thirteenth answer takes the first's again, and says so.
    let assert = env.run(&["chart", "many", "-o", "m.svg"]).success();
    let warning = stderr(&assert);
    assert!(
        warning.contains("P01 and P13 share #0072B2")
            && warning.contains("polltrack question color many LABEL=#RRGGBB"),
        "{warning}"
    );
    let svg = std::fs::read_to_string(env.path().join("m.svg")).expect("svg");
    let colours: std::collections::BTreeSet<&str> = svg
        .split("<circle")
        .skip(1)
        .filter_map(|c| c.split("fill=\"").nth(1).map(|f| &f[..7]))
        .collect();
    assert_eq!(colours.len(), 12, "{colours:?}");
    // A colour of its own, and the warning is gone.
    env.ok(&["question", "color", "many", "P13=#E3000F"]);
    let assert = env.run(&["chart", "many", "-o", "m.svg"]).success();
    assert!(!stderr(&assert).contains("share"), "{}", stderr(&assert));
}
