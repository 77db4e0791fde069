//! `export --extra-columns`: the poll's date, flags and source titles after the format's own
//! columns, which stay as they were; an import reads both files.

use super::{Env, GSOMIA, stderr};

const LONG_HEADER: &str = "poll_id,pollster,sponsors,field_start,field_end,published_on,mode,\
    population,sample_size,margin_of_error,region,question,question_wording,answer,pct,\
    source_urls,notes";

fn polls(env: &Env) {
    env.ok(GSOMIA);
    #[rustfmt::skip]
    env.ok(&["add", "--pollster", "Realmeter", "--question", "kr-gsomia", "--answer", "Oppose=50",
        "--start", "2019-08-20", "--end", "2019-08-23", "--partisan", "--tracking",
        "--source", "https://example.com/a", "--source-title", "Most, \"oppose\""]);
    #[rustfmt::skip]
    env.ok(&["source", "add", "--title", "=Evening news", "--outlet", "Example TV", "--poll",
        "2"]);
    #[rustfmt::skip]
    env.ok(&["add", "--pollster", "NEC", "--question", "kr-gsomia", "--answer", "Oppose=41",
        "--end", "2017-05-09", "--election"]);
}

#[test]
fn extra_columns_follow_the_formats_own_which_stay_as_they_were() {
    let env = Env::new();
    polls(&env);
    let plain = env.ok(&["export"]);
    assert_eq!(plain.lines().next(), Some(LONG_HEADER));
    let extra = env.ok(&["export", "--extra-columns"]);
    let mut lines = extra.lines();
    assert_eq!(
        lines.next(),
        Some(format!("{LONG_HEADER},poll_date,partisan,tracking,election,source_titles").as_str())
    );
    assert_eq!(
        lines.collect::<Vec<_>>(),
        [
            // A poll known by its publication day, its title-only source's title.
            "1,Gallup Korea,,,,2016-11-18,,a,,,South Korea,kr-gsomia,Do you support or oppose \
             the GSOMIA military intelligence-sharing agreement with Japan?,Oppose,59,,,\
             2016-11-18,false,false,false,\"[\"\"South Korea signs controversial intelligence \
             pact with Japan\"\"]\"",
            // The middle of the field period; both sources' titles, in the sources' order.
            "2,Realmeter,,2019-08-20,2019-08-23,,,a,,,,kr-gsomia,Do you support or oppose the \
             GSOMIA military intelligence-sharing agreement with Japan?,Oppose,50,\
             https://example.com/a,,2019-08-21,true,true,false,\
             \"[\"\"Most, \\\"\"oppose\\\"\"\"\",\"\"=Evening news\"\"]\"",
            "3,NEC,,,2017-05-09,,,a,,,,kr-gsomia,Do you support or oppose the GSOMIA military \
             intelligence-sharing agreement with Japan?,Oppose,41,,,2017-05-09,false,false,true,",
        ]
    );
    // Each row is the plain export's row, with the extra cells after it.
    for (plain, extra) in plain.lines().zip(extra.lines()).skip(1) {
        assert!(extra.starts_with(&format!("{plain},")), "{plain} / {extra}");
    }
    // The wide format takes them after its own columns too.
    let wide = env.ok(&["export", "--format", "wide", "--extra-columns"]);
    assert!(
        wide.lines().next().unwrap().ends_with(
            ",Oppose,source_urls,notes,poll_date,partisan,tracking,election,source_titles"
        ),
        "{wide}"
    );
    // For a spreadsheet the titles' cell is text that never runs as a formula; dates and
    // flags stay as they are.
    let sheet = env.ok(&["export", "--extra-columns", "--for-spreadsheet"]);
    assert!(sheet.contains(",2019-08-21,true,true,false,"), "{sheet}");
}

#[test]
fn an_import_reads_an_export_with_extra_columns_keeping_the_flags() {
    let env = Env::new();
    polls(&env);
    std::fs::write(
        env.path().join("extra.csv"),
        env.ok(&["export", "--extra-columns"]),
    )
    .unwrap();
    std::fs::write(env.path().join("plain.csv"), env.ok(&["export"])).unwrap();
    for file in ["extra.csv", "plain.csv"] {
        let db = format!("{file}.db");
        let imported = env.run(&["--db", &db, "import", file]).success();
        assert!(
            !stderr(&imported).contains("not read"),
            "{file}: {}",
            stderr(&imported)
        );
        // The format's columns come back byte for byte either way.
        assert_eq!(
            env.ok(&["--db", &db, "export"]),
            env.ok(&["export"]),
            "{file}"
        );
    }
    // The extra file brings the flags and the dates back; titles of sources travel in a dump.
    let again = env.ok(&["--db", "extra.csv.db", "export", "--extra-columns"]);
    assert!(again.contains(",2019-08-21,true,true,false,"), "{again}");
    assert!(again.contains(",2017-05-09,false,false,true,"), "{again}");
    let plain = env.ok(&["--db", "plain.csv.db", "export", "--extra-columns"]);
    assert!(plain.contains(",2019-08-21,false,false,false,"), "{plain}");
}
