//! Messy files people really have: other separators, numbers and gaps written their way,
//! month-only dates, implausible field periods, wide files' messages, tables of wide
//! characters, and exports for spreadsheets.

use super::{Env, GERMAN_IMPORT, exit, shared_data, stderr};

fn write(env: &Env, name: &str, text: &str) -> String {
    std::fs::write(env.path().join(name), text).expect("write file");
    name.to_string()
}

/// The German-style import of a file with `Datum`, `Institut`, `Befragte` and two parties.
const GERMAN: &[&str] = &[
    "--question",
    "de-bundestag",
    "--wording",
    "Sonntagsfrage",
    "--map",
    "pollster=Institut",
    "--map",
    "published_on=Datum",
    "--map",
    "sample_size=Befragte",
    "--answers",
    "CDU=CDU/CSU,SPD",
];

fn import(env: &Env, file: &str, extra: &[&str]) -> std::process::Output {
    let mut args = vec!["import", file];
    args.extend_from_slice(GERMAN);
    args.extend_from_slice(extra);
    env.cmd().args(&args).output().expect("run")
}

#[test]
fn the_separator_is_told_from_the_header() {
    for (name, text) in [
        (
            "semicolon.csv",
            "Datum;Institut;Befragte;CDU;SPD\n2021-05-12;Forsa;1001;24;15\n",
        ),
        (
            "pipe.csv",
            "Datum|Institut|Befragte|CDU|SPD\n2021-05-12|Forsa|1001|24|15\n",
        ),
        (
            "tab.tsv",
            "Datum\tInstitut\tBefragte\tCDU\tSPD\n2021-05-12\tForsa\t1001\t24\t15\n",
        ),
        // A quoted header cell holding a comma counts for nothing.
        (
            "quoted.csv",
            "\"Datum\";\"Institut\";\"Befragte\";\"CDU\";\"SPD\";\"Note, if any\"\n\
             2021-05-12;Forsa;1001;24;15;\"a, b\"\n",
        ),
        (
            "crlf.csv",
            "\u{feff}Datum;Institut;Befragte;CDU;SPD\r\n2021-05-12;Forsa;1001;24;15\r\n",
        ),
    ] {
        let env = Env::new();
        let file = write(&env, name, text);
        let out = import(&env, &file, &[]);
        let summary = String::from_utf8_lossy(&out.stdout);
        assert!(out.status.success(), "{name}: {out:?}");
        assert!(summary.contains("added 1 poll (2 answers)"), "{summary}");
        let polls = env.json(&["list", "--json"]);
        assert_eq!(polls[0]["pollster"], "Forsa", "{name}");
        assert_eq!(polls[0]["results"][0]["sample_size"], 1001.0, "{name}");
        assert_eq!(polls[0]["results"][0]["answers"][1]["pct"], 15.0, "{name}");
    }
}

#[test]
fn a_separator_given_is_used_and_a_one_column_header_says_what_it_holds() {
    let env = Env::new();
    let file = write(
        &env,
        "semicolon.csv",
        "Datum;Institut;Befragte;CDU;SPD\n2021-05-12;Forsa;1001;24;15\n",
    );
    let out = import(&env, &file, &["--delimiter", ","]);
    assert_eq!(out.status.code(), Some(exit::INVALID));
    let message = String::from_utf8_lossy(&out.stderr);
    assert!(
        message.contains(
            "semicolon.csv: the header is one column, \"Datum;Institut;Befragte;CDU;SPD\", that \
             holds \";\": the file's cells seem to be parted by ;, not by ,"
        ),
        "{message}"
    );
    assert!(message.contains("check the separator given"), "{message}");
    assert!(import(&env, &file, &["--delimiter", ";"]).status.success());
    // A comma file whose header has a semicolon in a name is still a comma file.
    let env = Env::new();
    let file = write(
        &env,
        "comma.csv",
        "Datum,Institut,Befragte,CDU,SPD,a;b\n2021-05-12,Forsa,1001,24,15,x\n",
    );
    assert!(import(&env, &file, &[]).status.success());
    env.run(&["import", &file, "--delimiter", "x"])
        .code(exit::USAGE);
}

/// The README's command for wahlrecht.de's federal file (comma-separated, quoted header).
#[test]
fn the_german_federal_file_imports_as_the_readme_says() {
    let Some(file) = shared_data("germany-wahlrecht-hwborchers/Umfragen2025.csv") else {
        return;
    };
    let env = Env::new();
    let args: Vec<&str> = ["import", file.to_str().expect("path")]
        .into_iter()
        .chain(GERMAN_IMPORT.iter().copied())
        .chain(["--skip-invalid", "--dry-run"])
        .collect();
    let summary = env.ok(&args);
    // Its same-day pairs with other numbers are rejected (see tests/cli/identity.rs).
    assert!(summary.contains("1199 polls"), "{summary}");
    let _ = stderr;
}

#[test]
fn thousands_grouped_by_spaces_and_double_dashes_read_as_people_write_them() {
    let env = Env::new();
    // A Swedish release: spaces of three kinds group thousands; RealClearPolitics' `--` is
    // unknown, for a sample size and for a region alike.
    let file = write(
        &env,
        "spaced.csv",
        "pollster,field_end,sample_size,region,question,question_wording,answer,pct\n\
         Novus,2022-08-01,5 378,--,se-riksdag,Riksdagsval,S,28\n\
         Sifo,2022-08-02,2\u{a0}014,Sverige,se-riksdag,Riksdagsval,S,29\n\
         Demoskop,2022-08-03,1\u{202f}203,Sverige,se-riksdag,Riksdagsval,S,27\n\
         RCP,2022-08-04,--,--,se-riksdag,Riksdagsval,S,30\n",
    );
    let summary = env.ok(&["import", &file]);
    assert!(summary.contains("added 4 polls"), "{summary}");
    let polls = env.json(&["list", "--json"]);
    let sizes: Vec<&serde_json::Value> = (0..4)
        .map(|i| &polls[i]["results"][0]["sample_size"])
        .collect();
    assert_eq!(
        sizes,
        [
            &5378.0.into(),
            &2014.0.into(),
            &1203.0.into(),
            &serde_json::Value::Null
        ]
    );
    assert_eq!(polls[0]["region"], serde_json::Value::Null);
    assert_eq!(polls[3]["region"], serde_json::Value::Null);

    // Two groups of two are not thousands.
    let bad = write(
        &env,
        "bad.csv",
        "pollster,field_end,sample_size,question,answer,pct\nNovus,2022-08-05,53 78,se-riksdag,S,28\n",
    );
    let out = env.run(&["import", &bad]).code(exit::INVALID);
    assert!(
        stderr(&out).contains(
            "bad.csv:2: column sample_size: sample size \"53 78\": a space here does not group \
             thousands"
        ),
        "{}",
        stderr(&out)
    );
    // `--` is unknown, so it is stored for no value, as `-` and `NA` are not.
    let out = env
        .run(&[
            "add",
            "--pollster",
            "RCP",
            "--question",
            "se-riksdag",
            "--answer",
            "S=30",
            "--published",
            "2022-08-06",
            "--region=--",
        ])
        .code(exit::INVALID);
    assert!(
        stderr(&out).contains("how a CSV file says \"unknown\""),
        "{}",
        stderr(&out)
    );
    env.ok(&[
        "add",
        "--pollster",
        "RCP",
        "--question",
        "se-riksdag",
        "--answer",
        "S=30",
        "--published",
        "2022-08-06",
        "--sample",
        "5\u{202f}378",
    ]);
}

#[test]
fn month_only_dates_are_read_as_the_months_field_period() {
    let env = Env::new();
    let file = write(
        &env,
        "monthly.csv",
        "pollster,month,question,question_wording,answer,pct\n\
         Gallup Korea,2017-06,kr-moon-approval,Moon Jae-in job approval,Approve,83\n\
         Gallup Korea,2024-02,kr-moon-approval,Moon Jae-in job approval,Approve,40\n",
    );
    let summary = env.ok(&[
        "import",
        &file,
        "--map",
        "field_end=month",
        "--date-format",
        "%Y-%m",
    ]);
    assert!(summary.contains("added 2 polls"), "{summary}");
    let polls = env.json(&["list", "--json"]);
    assert_eq!(polls[0]["field_start"], "2017-06-01");
    assert_eq!(polls[0]["field_end"], "2017-06-30");
    assert_eq!(polls[1]["field_start"], "2024-02-01");
    assert_eq!(polls[1]["field_end"], "2024-02-29");

    // A publication date needs its day: the message says the format has none.
    let env = Env::new();
    let file = write(
        &env,
        "monthly.csv",
        "pollster,month,question,question_wording,answer,pct\n\
         Gallup Korea,2017-06,kr-moon-approval,Moon Jae-in job approval,Approve,83\n",
    );
    let out = env
        .run(&[
            "import",
            &file,
            "--map",
            "published_on=month",
            "--date-format",
            "%Y-%m",
        ])
        .code(exit::INVALID);
    assert!(
        stderr(&out).contains(
            "monthly.csv:2: column month: date \"2017-06\" is a month: the date format \
             given, %Y-%m, has no day, and a publication date needs one"
        ),
        "{}",
        stderr(&out)
    );
}

#[test]
fn a_field_period_over_sixty_days_is_warned_about_at_import_and_add() {
    let env = Env::new();
    let file = write(
        &env,
        "typo.csv",
        "pollster,field_start,field_end,question,question_wording,answer,pct\n\
         Ipsos,2020-05-17,2020-05-21,us-approval,Approve?,Approve,45\n\
         Ipsos,2002-05-17,2020-05-21,us-approval,Approve?,Approve,44\n",
    );
    let out = env.run(&["import", &file]).success();
    assert!(
        stderr(&out).contains(
            "typo.csv:3: warning: the field period from 2002-05-17 to 2020-05-21 is 6580 days \
             long (more than 60): check the years; on charts it would stand at its middle, \
             2011-05-19"
        ),
        "{}",
        stderr(&out)
    );
    assert!(!stderr(&out).contains("typo.csv:2"), "{}", stderr(&out));
    let out = env
        .run(&[
            "add",
            "--pollster",
            "Ipsos",
            "--question",
            "us-approval",
            "--answer",
            "Approve=43",
            "--start",
            "2002-06-01",
            "--end",
            "2020-06-03",
        ])
        .success();
    assert!(
        stderr(&out)
            .contains("warning: the field period from 2002-06-01 to 2020-06-03 is 6578 days long"),
        "{}",
        stderr(&out)
    );
}

/// A SwedishPolls-style wide file: one row per poll, a column per party.
const SWEDISH: &str = "Company,collectPeriodFrom,collectPeriodTo,n,M,L,C,KD,S,V,MP,SD\n\
    Novus,2022-08-01,2022-08-07,2014,19,5,7,6,29,9,5,20\n\
    Sifo,2022-08-01,2022-08-07,3000,19,5,7,6,38,9,5,20\n\
    Demoskop,,,1001,19,5,7,6,29,9,5,20\n\
    Ipsos,2022-08-01,2022-08-07,1203,,,,,,,,\n";

#[test]
fn problems_of_a_wide_file_name_its_own_columns() {
    let env = Env::new();
    let file = write(&env, "swedishpolls.csv", SWEDISH);
    let out = env
        .run(&[
            "import",
            &file,
            "--question",
            "se-riksdag",
            "--wording",
            "Riksdagsval",
            "--map",
            "pollster=Company",
            "--map",
            "field_start=collectPeriodFrom",
            "--map",
            "field_end=collectPeriodTo",
            "--map",
            "sample_size=n",
            "--answers",
            "M,L,C,KD,S,V,MP,SD",
        ])
        .code(exit::INVALID);
    let message = stderr(&out);
    for expected in [
        "swedishpolls.csv:3: columns M, L, C, KD, S, V, MP, SD: answers for question se-riksdag \
         sum to 109, more than 101 (100 plus rounding)",
        "swedishpolls.csv:4: columns collectPeriodFrom, collectPeriodTo: the poll has no date",
        "swedishpolls.csv:5: columns M, L, C, KD, S, V, MP, SD:",
    ] {
        assert!(message.contains(expected), "{expected}\n{message}");
    }
    // No message names a column the file does not have.
    for absent in [
        "column pct",
        "column answer",
        "column published_on",
        "column question",
    ] {
        assert!(!message.contains(absent), "{absent}\n{message}");
    }
    // A new question without a wording: the file has no wording column to fill.
    let file = write(&env, "one.csv", "Company,Date,S\nNovus,2022-08-01,29\n");
    let out = env
        .run(&[
            "import",
            &file,
            "--question",
            "se-riksdag",
            "--map",
            "pollster=Company",
            "--map",
            "field_end=Date",
            "--answers",
            "S",
        ])
        .code(exit::INVALID);
    assert!(
        stderr(&out).contains(
            "one.csv:2: question se-riksdag is new: give its wording (with --wording, or --map \
             question_wording=COLUMN)"
        ),
        "{}",
        stderr(&out)
    );
}

/// The terminal column where `needle` starts in `line` (East Asian wide characters take two).
fn column_of(line: &str, needle: &str) -> usize {
    let at = line.find(needle).expect("needle in line");
    line[..at]
        .chars()
        .map(|c| {
            if ('\u{ac00}'..='\u{d7a3}').contains(&c) {
                2
            } else {
                1
            }
        })
        .sum()
}

#[test]
fn tables_line_up_after_korean_names() {
    let env = Env::new();
    for (pollster, date, pct) in [
        ("한국갤럽", "2019-08-30", "45"),
        ("Realmeter", "2019-09-06", "47"),
    ] {
        env.ok(&[
            "add",
            "--pollster",
            pollster,
            "--question",
            "kr-moon-approval",
            "--wording",
            "문재인 대통령 직무 수행 평가",
            "--answer",
            &format!("잘하고 있다={pct}"),
            "--answer",
            "Disapprove=49",
            "--end",
            date,
            "--sample",
            "1000",
        ]);
    }
    let list = env.ok(&["list"]);
    let lines: Vec<&str> = list.lines().collect();
    assert_eq!(
        column_of(lines[1], "2019-08-30"),
        column_of(lines[2], "2019-09-06"),
        "{list}"
    );
    let pollsters = env.ok(&["pollster", "list"]);
    let lines: Vec<&str> = pollsters.lines().collect();
    let korean = lines.iter().find(|l| l.contains("한국갤럽")).expect("row");
    let latin = lines.iter().find(|l| l.contains("Realmeter")).expect("row");
    assert_eq!(
        column_of(korean, "2019"),
        column_of(latin, "2019"),
        "{pollsters}"
    );
    let show = env.ok(&["show", "1"]);
    let approve = show.lines().find(|l| l.contains("잘하고")).expect("answer");
    let disapprove = show
        .lines()
        .find(|l| l.contains("Disapprove"))
        .expect("answer");
    assert_eq!(
        column_of(approve, "%"),
        column_of(disapprove, "%"),
        "{show}"
    );
}

#[test]
fn an_export_for_spreadsheets_has_a_byte_order_mark_and_no_formulas() {
    let env = Env::new();
    env.ok(&[
        "add",
        "--pollster",
        "=HYPERLINK(\"http://evil.example\",\"Gallup\")",
        "--question",
        "kr-gsomia",
        "--wording",
        "@GSOMIA",
        "--answer",
        "+Oppose=59",
        "--answer",
        "찬성=33",
        "--published",
        "2016-11-18",
        "--sample",
        "1207",
        "--moe",
        "3.1",
        "--region=-Seoul",
        "--sponsor",
        "\u{ff1d}1+1",
    ]);
    env.ok(&["export", "-o", "default.csv"]);
    env.ok(&["export", "--for-spreadsheet", "-o", "sheet.csv"]);
    env.ok(&[
        "export",
        "--for-spreadsheet",
        "--format",
        "wide",
        "-o",
        "wide.csv",
    ]);
    let default = std::fs::read_to_string(env.path().join("default.csv")).expect("export");
    assert_eq!(
        default.lines().nth(1),
        Some(
            "1,\"=HYPERLINK(\"\"http://evil.example\"\",\"\"Gallup\"\")\",\u{ff1d}1+1,,,2016-11-18,,\
             a,1207,3.1,-Seoul,kr-gsomia,@GSOMIA,+Oppose,59,,"
        ),
        "the default stays as stored"
    );
    let sheet = std::fs::read(env.path().join("sheet.csv")).expect("export");
    assert!(sheet.starts_with(b"\xef\xbb\xbfpoll_id,pollster,"));
    let sheet = String::from_utf8(sheet).expect("utf-8");
    let lines: Vec<&str> = sheet.lines().collect();
    assert_eq!(
        lines[1],
        "1,\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"Gallup\"\")\",'\u{ff1d}1+1,,,2016-11-18,,\
         a,1207,3.1,'-Seoul,kr-gsomia,'@GSOMIA,'+Oppose,59,,"
    );
    assert!(lines[2].ends_with(",찬성,33,,"), "{}", lines[2]);
    let wide = std::fs::read_to_string(env.path().join("wide.csv")).expect("export");
    let lines: Vec<&str> = wide.lines().collect();
    assert!(lines[0].starts_with('\u{feff}'));
    assert!(
        lines[0].ends_with(",'+Oppose,찬성,source_urls,notes"),
        "{}",
        lines[0]
    );
    assert!(lines[1].ends_with(",'@GSOMIA,59,33,,"), "{}", lines[1]);
}

/// The `poll_answers` view gives whole numbers as integers, as the export writes them.
#[test]
fn the_poll_answers_view_gives_whole_numbers_as_integers() {
    use sqlx::{Connection, Row};
    let env = Env::new();
    env.ok(&[
        "add",
        "--pollster",
        "Gallup Korea",
        "--question",
        "kr-gsomia",
        "--wording",
        "GSOMIA?",
        "--answer",
        "Oppose=59",
        "--answer",
        "Support=33.5",
        "--published",
        "2016-11-18",
        "--sample",
        "1207",
        "--moe",
        "3",
    ]);
    env.ok(&[
        "add",
        "--pollster",
        "Realmeter",
        "--question",
        "kr-gsomia",
        "--answer",
        "Oppose=60",
        "--published",
        "2016-11-19",
        "--sample",
        "1004.5",
        "--moe",
        "3.1",
    ]);
    let export = env.ok(&["export"]);
    assert!(
        export.contains(",a,1207,3,,kr-gsomia,GSOMIA?,Oppose,59,,"),
        "{export}"
    );
    if env.sqlite_only("SQLite's own types in the view (PostgreSQL's are DOUBLE PRECISION)") {
        return;
    }
    let url = format!("sqlite://{}?mode=ro", env.db().display());
    let rows: Vec<(String, String, String, String, String, String)> =
        tokio::runtime::Builder::new_current_thread()
            .build()
            .expect("runtime")
            .block_on(async {
                let mut db = sqlx::SqliteConnection::connect(&url).await.expect("open");
                sqlx::query(
                "SELECT typeof(sample_size), CAST(sample_size AS TEXT), typeof(margin_of_error), \
                 CAST(margin_of_error AS TEXT), typeof(pct), CAST(pct AS TEXT) \
                 FROM poll_answers ORDER BY poll_id, answer",
            )
            .fetch_all(&mut db)
            .await
            .expect("query")
            .iter()
            .map(|r| (r.get(0), r.get(1), r.get(2), r.get(3), r.get(4), r.get(5)))
            .collect()
            });
    let text = |a: &str, b: &str, c: &str, d: &str, e: &str, f: &str| {
        (a.into(), b.into(), c.into(), d.into(), e.into(), f.into())
    };
    assert_eq!(
        rows,
        vec![
            text("integer", "1207", "integer", "3", "integer", "59"),
            text("integer", "1207", "integer", "3", "real", "33.5"),
            text("real", "1004.5", "real", "3.1", "integer", "60"),
        ]
    );
}

/// European Excel: cells parted by `;`, percentages with a decimal comma.
#[test]
fn a_semicolon_file_with_decimal_commas_is_read() {
    let env = Env::new();
    let file = write(
        &env,
        "euro.csv",
        "\u{feff}pollster;field_end;sample_size;question;question_wording;answer;pct\n\
         Forsa;2024-03-01;1.002;de-bt;Sonntagsfrage;SPD;15,5\n\
         Forsa;2024-03-01;1.002;de-bt;Sonntagsfrage;CDU/CSU;30,5\n",
    );
    let summary = env.ok(&["import", &file]);
    assert!(summary.contains("added 1 poll"), "{summary}");
    let polls = env.json(&["list", "--json"]);
    let answers = polls[0]["results"][0]["answers"].to_string();
    assert!(
        answers.contains("15.5") && answers.contains("30.5"),
        "{answers}"
    );
    assert_eq!(polls[0]["results"][0]["sample_size"], 1002.0, "{polls}");
}

/// A long file's column that nothing reads (misspelt, or wanting a `--map`) is named; the
/// columns of polltrack's own export all are read.
#[test]
fn a_long_files_columns_not_read_are_named() {
    let env = Env::new();
    let file = write(
        &env,
        "typo.csv",
        "pollster,field_end,question,question_wording,answer,pct,notez,sample size\n\
         A,2024-01-01,q,Q,Yes,40,see p.3,1000\n",
    );
    let assert = env.run(&["import", &file]).success();
    let warned = stderr(&assert);
    assert!(
        warned.contains("columns not read: \"notez\", \"sample size\""),
        "{warned}"
    );
    env.ok(&["export", "-o", "all.csv"]);
    let other = Env::new();
    let exported = env.path().join("all.csv");
    let assert = other
        .run(&["import", exported.to_str().expect("path")])
        .success();
    assert!(!stderr(&assert).contains("not read"), "{}", stderr(&assert));
}
