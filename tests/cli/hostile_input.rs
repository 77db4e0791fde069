//! Nothing lost, whatever the input: files broken by hand or by other programs, values that
//! look missing, hidden characters, absurd ids and dates, edits that copy another poll. Each
//! is refused with file, line and column (or the option), or read back exactly.

use super::{Env, GSOMIA, exit, stderr};

const HEADER: &str = "poll_id,pollster,sponsors,field_start,field_end,published_on,mode,\
population,sample_size,margin_of_error,region,question,question_wording,answer,pct,source_urls,\
notes";

/// A long-format row of poll `id`, with `notes` as written in the file (quotes and all).
fn row(id: u32, notes: &str) -> String {
    format!(
        "{id},Pollster {p},,2024-01-{day:02},2024-01-{day:02},,online,lv,1000,3.1,,q,Who?,Yes,{pct},\
         https://example.org/{id},{notes}\n",
        p = id % 7,
        day = id % 28 + 1,
        pct = id % 90
    )
}

fn file(rows: impl IntoIterator<Item = String>) -> String {
    let mut text = format!("{HEADER}\n");
    text.extend(rows);
    text
}

fn write(env: &Env, name: &str, bytes: impl AsRef<[u8]>) -> String {
    std::fs::write(env.path().join(name), bytes).expect("write");
    name.to_string()
}

/// `add` of a valid poll, with some options given other values (or added).
fn add_args<'a>(changes: &[&'a str]) -> Vec<&'a str> {
    let mut args = vec![
        "add",
        "--pollster",
        "Ipsos",
        "--question",
        "q",
        "--wording",
        "Q?",
        "--answer",
        "Yes=40",
        "--published",
        "2024-01-02",
    ];
    for pair in changes.chunks(2) {
        match args.iter().position(|a| *a == pair[0]) {
            Some(i) => args[i + 1] = pair[1],
            None => args.extend_from_slice(pair),
        }
    }
    args
}

fn poll_count(env: &Env) -> usize {
    if !env.db().exists() {
        return 0;
    }
    env.json(&["list", "--json"])
        .as_array()
        .map(Vec::len)
        .unwrap_or(0)
}

// 1. A quote never closed.

#[test]
fn a_quote_never_closed_imports_nothing_and_names_where_it_opened() {
    let env = Env::new();
    env.ok(GSOMIA);
    // `"see p.3` on poll 2 of 100: the rest of the file would be its note.
    let rows = (1..=100).map(|i| row(i, if i == 2 { "\"see p.3" } else { "" }));
    let name = write(&env, "open.csv", file(rows));
    let before = env.snapshot();
    for extra in [&[][..], &["--skip-invalid"][..], &["--dry-run"][..]] {
        let mut args = vec!["import", name.as_str()];
        args.extend_from_slice(extra);
        let assert = env.run(&args).code(exit::INVALID);
        let err = stderr(&assert);
        let opened = row(2, "").len();
        assert!(
            err.contains(&format!(
                "open.csv:3: column notes: the quoted cell that opens here (character {opened}) \
                 runs on over line 4, which looks like a row of its own"
            )),
            "{err}"
        );
        assert!(
            err.contains("close the quote that opens on line 3"),
            "{err}"
        );
        assert!(err.contains("nothing was imported"), "{err}");
        assert!(err.contains("not even with --skip-invalid"), "{err}");
        assert!(!err.contains("added"), "{err}");
        assert_eq!(env.snapshot(), before, "{extra:?}");
    }
}

#[test]
fn a_quote_closed_far_away_or_never_is_found_in_every_shape() {
    let env = Env::new();
    // Realistic: two stray quotes 89 polls apart, so the first cell ends 89 rows later.
    let rows = (1..=100).map(|i| match i {
        11 => row(i, "\"see p.3"),
        100 => row(i, "p.4\""),
        _ => row(i, ""),
    });
    let name = write(&env, "far.csv", file(rows));
    let err = stderr(&env.run(&["import", &name]).code(exit::INVALID));
    assert!(
        err.contains("far.csv:12: column notes: the quoted cell that opens here"),
        "{err}"
    );
    // On the last row, the quote runs to the end of the file.
    let name = write(&env, "end.csv", file([row(1, ""), row(2, "\"see p.3")]));
    let err = stderr(&env.run(&["import", &name]).code(exit::INVALID));
    assert!(
        err.contains("end.csv:3: column notes: the quote that opens here")
            && err.contains("is never closed"),
        "{err}"
    );
    // In the pollster's column of a narrow mapped file, over more than 10,000 characters.
    let mut text = String::from("date,firm,yes\n2024-01-02,\"Ipsos,40\n");
    for i in 0..600 {
        text.push_str(&format!("2024-02-{:02},Firm {i},4\n", i % 28 + 1));
    }
    text.push_str("2024-03-01,Kantar\",41\n");
    let name = write(&env, "wide.csv", text);
    let args = [
        "import",
        &name,
        "--question",
        "q",
        "--wording",
        "Q?",
        "--map",
        "pollster=firm",
        "--map",
        "published_on=date",
        "--answers",
        "yes=Yes",
        "--skip-invalid",
    ];
    let err = stderr(&env.run(&args).code(exit::INVALID));
    assert!(
        err.contains("wide.csv:2: column firm: the quoted cell that opens here (character 12)"),
        "{err}"
    );
    assert_eq!(poll_count(&env), 0);
    // A quoted note over several lines is a note.
    let name = write(
        &env,
        "fine.csv",
        file([row(1, "\"a note,\nover \"\"two\"\" lines\"")]),
    );
    env.ok(&["import", &name]);
    assert_eq!(
        env.json(&["show", "1", "--json"])["notes"],
        "a note,\nover \"two\" lines"
    );
}

#[test]
fn a_quote_closed_by_the_next_rows_quoted_note_swallows_no_row() {
    let env = Env::new();
    // Row 1's note never closed; row 2's note quoted: its opening quote closed row 1's note.
    let rows = (1..=10).map(|i| match i {
        1 => row(i, "\"see p.3"),
        2 => row(i, "\"Weighted by \"\"age\"\"\""),
        _ => row(i, ""),
    });
    let name = write(&env, "swallow.csv", file(rows));
    for extra in [&[][..], &["--skip-invalid"][..]] {
        let mut args = vec!["import", name.as_str()];
        args.extend_from_slice(extra);
        let err = stderr(&env.run(&args).code(exit::INVALID));
        assert!(
            err.contains("swallow.csv:2: column notes: the quoted cell that opens here")
                && err.contains("over line 3, which looks like a row of its own"),
            "{err}"
        );
    }
    assert_eq!(poll_count(&env), 0);
    // In a narrow mapped file too.
    let text = "date,firm,yes,note\n2024-01-02,Ipsos,40,\"see p.3\n2024-01-03,Kantar,41,\"ok\"\n\
                2024-01-04,Ifop,42,\n";
    let name = write(&env, "narrow.csv", text);
    let args = [
        "import",
        &name,
        "--question",
        "q",
        "--wording",
        "Q?",
        "--map",
        "pollster=firm",
        "--map",
        "published_on=date",
        "--map",
        "notes=note",
        "--answers",
        "yes=Yes",
    ];
    let err = stderr(&env.run(&args).code(exit::INVALID));
    assert!(
        err.contains("narrow.csv:2: column note: the quoted cell that opens here"),
        "{err}"
    );
    assert_eq!(poll_count(&env), 0);
}

// 2. Values that look missing.

#[test]
fn values_an_import_would_read_as_missing_are_refused_at_add_and_edit() {
    let env = Env::new();
    let cases: [(&[&str], &str); 6] = [
        (
            &["--pollster", "NA"],
            "--pollster: pollster \"NA\" is how a CSV file says \"unknown\"",
        ),
        (
            &["--notes", "\u{2014}"],
            "--notes: notes \"\u{2014}\" is how a CSV file says",
        ),
        (&["--notes", "NA"], "--notes: notes \"NA\""),
        (&["--region", "-"], "--region: region \"-\""),
        (&["--mode", "n/a"], "--mode: mode \"n/a\""),
        (&["--sponsor", "na"], "--sponsor: sponsor \"na\""),
    ];
    for (extra, expected) in cases {
        let args = add_args(extra);
        let err = stderr(&env.run(&args).code(exit::INVALID));
        assert!(err.contains(expected), "{extra:?}: {err}");
        assert!(err.contains("leave it out if it is unknown"), "{err}");
    }
    assert_eq!(poll_count(&env), 0);
    env.ok(&[
        "add",
        "--pollster",
        "Ipsos",
        "--question",
        "q",
        "--wording",
        "Q?",
        "--answer",
        "Yes=40",
        "--published",
        "2024-01-02",
    ]);
    let err = stderr(
        &env.run(&["edit", "1", "--region", "N/A"])
            .code(exit::INVALID),
    );
    assert!(err.contains("--region: region \"N/A\""), "{err}");
    let err = stderr(
        &env.run(&[
            "add",
            "--poll",
            "1",
            "--question",
            "q",
            "--population",
            "rv",
            "--answer",
            "n/a=3",
        ])
        .code(exit::INVALID),
    );
    assert!(err.contains("answer label \"n/a\""), "{err}");
}

#[test]
fn what_add_stores_an_export_gives_back_byte_for_byte() {
    let env = Env::new();
    // Near misses of the spellings of unknown, and text a CSV writer must quote.
    env.ok(&[
        "add",
        "--pollster",
        "NAB Research",
        "--question",
        "q",
        "--wording",
        "Who, \"really\"?",
        "--answer",
        "N/A or refused=4",
        "--answer=-5 points=3",
        "--published",
        "2024-01-02",
        "--notes",
        "NA: see p.3\r\nline two\tafter a tab\rline three",
        "--region",
        "n/a-ish",
        "--mode=-online-",
        "--sponsor",
        "\u{2014} Daily",
        "--sponsor",
        "Na Times",
        "--population",
        "N.A. voters",
    ]);
    let poll = env.json(&["show", "1", "--json"]);
    assert_eq!(
        poll["notes"],
        "NA: see p.3\nline two\tafter a tab\nline three"
    );
    let exported = env.ok(&["export"]);
    write(&env, "out.csv", &exported);
    let second = Env::new();
    second.ok(&["import", &env.path().join("out.csv").display().to_string()]);
    assert_eq!(second.ok(&["export"]), exported);
    assert_eq!(
        second.json(&["show", "1", "--json"])["notes"],
        poll["notes"]
    );
    assert_eq!(
        second.json(&["show", "1", "--json"])["sponsors"],
        poll["sponsors"]
    );
}

// 3. Control characters and hidden characters.

#[test]
fn a_nul_cell_is_refused_with_its_line_and_skipped_with_skip_invalid() {
    let env = Env::new();
    let mut text = file([row(1, ""), row(2, ""), row(3, "")]).into_bytes();
    // Poll 2's pollster becomes a NUL byte alone; poll 3's answer label a zero-width space.
    let at = text
        .windows(13)
        .position(|w| w == b"2,Pollster 2,")
        .expect("row 2")
        + 2;
    text.splice(at..at + 10, [0u8]);
    let text = String::from_utf8(text)
        .expect("utf-8")
        .replace(",q,Who?,Yes,3,", ",q,Who?,Y\u{200b}es,3,");
    let name = write(&env, "nul.csv", text);
    let err = stderr(&env.run(&["import", &name]).code(exit::INVALID));
    assert!(
        err.contains(
            "nul.csv:3: column pollster: pollster \"\\u{0000}\" holds a hidden character \
             (U+0000) at character 1"
        ),
        "{err}"
    );
    assert!(
        err.contains("nul.csv:4: column answer: answer label \"Y\\u{200b}es\" holds a hidden character (U+200B) at character 2"),
        "{err}"
    );
    assert!(!err.contains("CHECK constraint"), "{err}");
    assert!(!err.contains('\0'), "{err}");
    let out = env.ok(&["import", &name, "--skip-invalid"]);
    assert!(out.contains("added 1 poll"), "{out}");
}

#[test]
fn hidden_characters_in_names_are_refused_at_add_and_edit_and_never_printed_raw() {
    let env = Env::new();
    let names = [
        ("--pollster", "\u{1b}[31mRed\u{1b}[0m Polling", "U+001B"),
        ("--pollster", "You\u{200b}Gov", "U+200B"),
        ("--sponsor", "Times\u{202e}", "U+202E"),
        ("--question", "q\u{7}", "U+0007"),
        ("--region", "\u{feff}Korea", "U+FEFF"),
        ("--notes", "bell\u{7}", "U+0007"),
        ("--source-title", "Title\u{1}", "U+0001"),
    ];
    for (option, value, code) in names {
        let args = add_args(&[option, value]);
        let assert = env.run(&args).code(exit::INVALID);
        let err = stderr(&assert);
        assert!(
            err.contains(option) && err.contains(code),
            "{option}: {err}"
        );
        assert!(
            !err.contains('\u{1b}') && !err.contains('\u{200b}') && !err.contains('\0'),
            "{err:?}"
        );
    }
    assert_eq!(poll_count(&env), 0);
    env.ok(&[
        "add",
        "--pollster",
        "Ipsos",
        "--question",
        "q",
        "--wording",
        "Q?",
        "--answer",
        "Yes=40",
        "--published",
        "2024-01-02",
        "--notes",
        "tabs\tand\nline breaks are kept",
    ]);
    let err = stderr(
        &env.run(&["edit", "1", "--sponsor", "A\u{2060}B"])
            .code(exit::INVALID),
    );
    assert!(err.contains("--sponsor: sponsor \"A\\u{2060}B\""), "{err}");
    let err = stderr(
        &env.run(&["pollster", "alias", "Ip\u{ad}sos", "Ipsos"])
            .code(exit::INVALID),
    );
    assert!(err.contains("U+00AD"), "{err}");
    let err = stderr(
        &env.run(&["question", "rename", "q", "q\u{200b}"])
            .code(exit::INVALID),
    );
    assert!(err.contains("U+200B"), "{err}");
    // A Persian name keeps its zero-width non-joiner.
    env.ok(&["edit", "1", "--pollster", "نظرسنجی\u{200c}ها"]);
}

#[test]
fn every_default_ignorable_and_blank_look_alike_is_refused_in_names_and_poll_ids() {
    let env = Env::new();
    for c in [
        '\u{34f}',
        '\u{fe0f}',
        '\u{fe00}',
        '\u{e0100}',
        '\u{1d173}',
        '\u{17b4}',
        '\u{3164}',
        '\u{115f}',
        '\u{ffa0}',
        '\u{2800}',
    ] {
        let name = format!("You{c}Gov");
        let assert = env
            .run(&add_args(&["--pollster", &name]))
            .code(exit::INVALID);
        let err = stderr(&assert);
        let code = format!("U+{:04X}", u32::from(c));
        assert!(err.contains("--pollster") && err.contains(&code), "{err}");
        assert!(!err.contains(c), "{err:?}");
    }
    assert_eq!(poll_count(&env), 0);
    // `1` and `1` with a zero-width space (or a byte-order mark) would be two look-alike polls.
    for hidden in ['\u{200b}', '\u{feff}'] {
        let second = row(1, "").replacen("1,", &format!("1{hidden},"), 1);
        let name = write(&env, "split.csv", file([row(1, ""), second]));
        let err = stderr(&env.run(&["import", &name]).code(exit::INVALID));
        let code = format!("U+{:04X}", u32::from(hidden));
        assert!(
            err.contains("split.csv:3: column poll_id: poll_id \"1\\u{") && err.contains(&code),
            "{err}"
        );
    }
    assert_eq!(poll_count(&env), 0);
}

// Lines no CSV file has.

#[test]
fn a_line_longer_than_a_megabyte_or_a_device_is_refused_without_running_out_of_memory() {
    let env = Env::new();
    env.ok(GSOMIA);
    let err = stderr(&env.run(&["import", "/dev/zero"]).code(exit::INVALID));
    assert!(
        err.contains("/dev/zero is not a regular file or a pipe"),
        "{err}"
    );
    // A line of 2 MB (a binary file, a file of NULs), named by its line, in a file or a pipe.
    let long = format!("{}\n", "\0".repeat(2 << 20));
    let text = file([row(1, ""), long.clone(), row(2, "")]);
    let name = write(&env, "binary.csv", &text);
    let before = env.snapshot();
    for extra in [&[][..], &["--skip-invalid"][..]] {
        let mut args = vec!["import", name.as_str()];
        args.extend_from_slice(extra);
        let err = stderr(&env.run(&args).code(exit::INVALID));
        assert!(
            err.contains(
                "binary.csv:3: line 3 is longer than 1048576 bytes (1 MB), the longest line \
                 polltrack reads: is this a CSV file?"
            ),
            "{err}"
        );
    }
    let mut import = env.cmd();
    import.args(["import", "-"]);
    let assert = assert_cmd::Command::from_std(import)
        .write_stdin(long.into_bytes())
        .assert()
        .code(exit::INVALID);
    let err = stderr(&assert);
    assert!(err.contains("<stdin>:1: line 1 is longer than"), "{err}");
    assert_eq!(env.snapshot(), before);
}

// 4. Ids.

#[test]
fn a_poll_id_beyond_the_largest_is_refused_and_ids_never_overflow() {
    let env = Env::new();
    let text = file([row(1, "")]).replacen("1,Pollster", "9223372036854775807,Pollster", 1);
    let name = write(&env, "big.csv", text);
    let err = stderr(&env.run(&["import", &name]).code(exit::INVALID));
    assert!(
        err.contains(
            "big.csv:2: column poll_id: poll_id 9223372036854775807 is larger than 9007199254740991"
        ),
        "{err}"
    );
    let text = file([row(1, "")]).replacen("1,Pollster", "99999999999999999999999,Pollster", 1);
    let name = write(&env, "bigger.csv", text);
    env.run(&["import", &name]).code(exit::INVALID);
    // The largest id is kept; the next poll still gets an id, and so after a delete.
    let text = file([row(1, "")]).replacen("1,Pollster", "9007199254740991,Pollster", 1);
    let name = write(&env, "largest.csv", text);
    env.ok(&["import", &name]);
    env.ok(&["delete", "9007199254740991", "--yes"]);
    assert!(env.ok(GSOMIA).contains("Added poll 1:"));
    // A database an older polltrack let hold the largest 64-bit id.
    if env.sqlite_only("a file an older polltrack wrote") {
        return;
    }
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    runtime.block_on(async {
        let options = sqlx::sqlite::SqliteConnectOptions::new()
            .filename(env.db())
            .foreign_keys(false);
        let pool = sqlx::SqlitePool::connect_with(options).await.expect("open");
        for sql in [
            "UPDATE poll SET id = 9223372036854775807 WHERE id = 1",
            "UPDATE result_set SET poll_id = 9223372036854775807 WHERE poll_id = 1",
            "UPDATE poll_source SET poll_id = 9223372036854775807 WHERE poll_id = 1",
            "INSERT INTO change (poll_id, changed_at, action, field, change_set)
             VALUES (9223372036854775806, '2026-01-01 00:00:00', 'delete', 'poll', 1)",
        ] {
            sqlx::query(sql).execute(&pool).await.expect("update");
        }
        pool.close().await;
    });
    let out = env.ok(&[
        "add",
        "--pollster",
        "Ipsos",
        "--question",
        "kr-gsomia",
        "--answer",
        "Oppose=50",
        "--published",
        "2024-01-02",
    ]);
    assert!(out.contains("Added poll 1:"), "{out}");
    let name = write(&env, "more.csv", file([row(5, "")]));
    env.ok(&["import", &name]);
}

// 5. Line ends, byte-order marks, unreadable files.

#[test]
fn lone_cr_line_ends_report_true_lines() {
    let env = Env::new();
    let text = file([row(1, ""), row(2, ""), row(3, "")])
        .replace(",Yes,2,", ",Yes,abc,")
        .replace('\n', "\r");
    let name = write(&env, "mac.csv", text);
    let err = stderr(&env.run(&["import", &name]).code(exit::INVALID));
    assert!(
        err.contains("mac.csv:3: column pct: percentage \"abc\" is not a number"),
        "{err}"
    );
    let out = env.ok(&["import", &name, "--skip-invalid"]);
    assert!(out.contains("added 2 polls"), "{out}");
}

#[test]
fn a_doubled_byte_order_mark_hides_no_column() {
    let env = Env::new();
    // Two polls with the same details but their own poll_id: two polls, not one.
    let body = file([row(1, ""), row(1, "")]).replacen("\n1,", "\n2,", 2);
    let body = body.replacen("\n2,", "\n1,", 1);
    let name = write(&env, "bom.csv", format!("\u{feff}\u{feff}{body}"));
    let out = env.ok(&["import", &name]);
    assert!(out.contains("added 2 polls"), "{out}");
}

#[test]
fn csv_errors_are_told_in_plain_words() {
    let env = Env::new();
    // A short row with a rejects file: no internals, the row padded under its header.
    let text = file([row(1, ""), "2,Short row,,2024-01-02\n".to_string()]);
    let name = write(&env, "short.csv", text);
    let assert = env
        .run(&[
            "import",
            &name,
            "--skip-invalid",
            "--rejects",
            "rejects.csv",
        ])
        .success();
    let err = stderr(&assert);
    assert!(
        err.contains("short.csv:3: this row has 4 fields where the header has 17"),
        "{err}"
    );
    assert!(
        !err.contains("UnequalLengths") && !err.contains("pos:"),
        "{err}"
    );
    let rejects = std::fs::read_to_string(env.path().join("rejects.csv")).expect("rejects");
    let lines: Vec<&str> = rejects.lines().collect();
    assert_eq!(lines[1].matches(',').count(), 17, "{rejects}");
    // A UTF-16 file says so.
    let mut utf16 = vec![0xff, 0xfe];
    for unit in file([row(1, "")]).encode_utf16() {
        utf16.extend(unit.to_le_bytes());
    }
    let name = write(&env, "utf16.csv", utf16);
    let err = stderr(&env.run(&["import", &name]).code(exit::INVALID));
    assert!(
        err.contains("utf16.csv: the file is UTF-16 text: save it as UTF-8"),
        "{err}"
    );
}

// 6. Dates no poll could have.

#[test]
fn dates_far_from_any_poll_are_refused_everywhere() {
    let env = Env::new();
    let rows = (1..=5).map(|i| row(i, ""));
    let text = file(rows).replacen("2024-01-03,2024-01-03", "0202-01-03,2024-01-03", 1);
    let name = write(&env, "typo.csv", text);
    let err = stderr(&env.run(&["import", &name]).code(exit::INVALID));
    assert!(
        err.contains("typo.csv:3: column field_start: the field start 0202-01-03 is before 1900: check the year"),
        "{err}"
    );
    let err = stderr(
        &env.run(&[
            "add",
            "--pollster",
            "Ipsos",
            "--question",
            "q",
            "--wording",
            "Q?",
            "--answer",
            "Yes=4",
            "--published",
            "2068-01-02",
        ])
        .code(exit::INVALID),
    );
    assert!(
        err.contains(
            "--published: the publication date 2068-01-02 is more than a year in the future"
        ),
        "{err}"
    );
    let err = stderr(
        &env.run(&["import", &name, "--date-format", "%Y-%m-%d"])
            .code(exit::INVALID),
    );
    assert!(err.contains("0202-01-03 is before 1900"), "{err}");
    env.ok(&["import", &name, "--skip-invalid"]);
    let err = stderr(
        &env.run(&["edit", "1", "--end", "1899-12-31", "--clear", "start"])
            .code(exit::INVALID),
    );
    assert!(
        err.contains("--end: the field end 1899-12-31 is before 1900"),
        "{err}"
    );
    // So a trend never spans centuries.
    let trend = env.ok(&["trend", "q", "--method", "latest"]);
    assert!(trend.lines().count() < 100, "{}", trend.lines().count());
}

#[test]
fn a_year_ahead_is_the_last_day_for_every_date_field() {
    let env = Env::new();
    let today = chrono::Utc::now().date_naive();
    let year = today + chrono::Months::new(12);
    let (last, after) = (year.to_string(), (year + chrono::Days::new(1)).to_string());
    for option in ["--published", "--start", "--end", "--source-date"] {
        let mut changes = vec![option, after.as_str()];
        if option == "--source-date" {
            changes.extend(["--source", "https://example.org/a"]);
        }
        let err = stderr(&env.run(&add_args(&changes)).code(exit::INVALID));
        assert!(
            err.contains(&format!(
                "{after} is more than a year in the future (after {last})"
            )),
            "{option}: {err}"
        );
    }
    let rows = [row(1, "").replacen(",2024-01-02,2024-01-02,,", &format!(",,,{after},"), 1)];
    let name = write(&env, "ahead.csv", file(rows));
    let err = stderr(&env.run(&["import", &name]).code(exit::INVALID));
    assert!(
        err.contains(&format!(
            "ahead.csv:2: column published_on: the publication date {after}"
        )),
        "{err}"
    );
    env.ok(&add_args(&["--published", &last]));
}

#[test]
fn a_date_format_chrono_cannot_read_is_a_usage_error_before_any_row() {
    let env = Env::new();
    let name = write(&env, "rows.csv", file((1..=5).map(|i| row(i, ""))));
    for format in ["%", "%Q", "%d.%m.%"] {
        let assert = env
            .run(&["import", &name, "--date-format", format])
            .code(exit::USAGE);
        let err = stderr(&assert);
        assert!(
            err.contains(&format!("--date-format {format}: not a date format")),
            "{err}"
        );
        assert_eq!(err.lines().count(), 1, "{err}");
    }
    assert!(!env.db().exists());
}

#[test]
fn a_rejected_row_with_extra_cells_leaves_a_rejects_file_any_reader_takes() {
    let env = Env::new();
    let name = write(
        &env,
        "extra.csv",
        "firm,date,yes\nA,2024-01-01,40,extra,\"x,y\"\nB,2024-01-02\nC,2024-01-03,41\n",
    );
    let args = [
        "import",
        &name,
        "--question",
        "q",
        "--wording",
        "Q?",
        "--map",
        "pollster=firm",
        "--map",
        "published_on=date",
        "--answers",
        "yes=Yes",
        "--skip-invalid",
        "--rejects",
        "rejects.csv",
    ];
    env.ok(&args);
    let rejects = std::fs::read(env.path().join("rejects.csv")).expect("rejects");
    // A strict reader: every row as long as the header.
    let mut csv = csv::Reader::from_reader(rejects.as_slice());
    assert_eq!(
        csv.headers().expect("header"),
        vec!["firm", "date", "yes", "reason"]
    );
    let rows: Vec<Vec<String>> = csv
        .records()
        .map(|r| r.expect("row").iter().map(str::to_string).collect())
        .collect();
    assert_eq!(rows.len(), 2);
    assert_eq!(&rows[0][..3], ["A", "2024-01-01", "40"]);
    let extra = rows[0][3]
        .split_once("extra cells: ")
        .expect("extra cells")
        .1;
    let extra = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(extra.as_bytes())
        .records()
        .next()
        .expect("a row")
        .expect("CSV");
    assert_eq!(extra, vec!["extra", "x,y"]);
    assert_eq!(&rows[1][..3], ["B", "2024-01-02", ""]);
}

// 7. An edit that copies another poll.

#[test]
fn edit_refuses_to_make_a_poll_a_copy_of_another_as_add_does() {
    let env = Env::new();
    env.ok(GSOMIA);
    let add_refused = stderr(&env.run(GSOMIA).code(exit::CONFLICT));
    env.ok(&[
        "add",
        "--pollster",
        "Realmeter",
        "--question",
        "kr-gsomia",
        "--answer",
        "Oppose=55",
        "--published",
        "2016-11-18",
    ]);
    let edit_refused = stderr(
        &env.run(&["edit", "2", "--pollster", "gallup korea"])
            .code(exit::CONFLICT),
    );
    assert_eq!(edit_refused, add_refused);
    assert_eq!(env.json(&["show", "2", "--json"])["pollster"], "Realmeter");
    // Into the same identity by the dates, or by adding the question to a poll.
    env.ok(&[
        "add",
        "--pollster",
        "Gallup Korea",
        "--question",
        "kr-gsomia",
        "--population",
        "rv",
        "--answer",
        "Oppose=55",
        "--published",
        "2016-11-18",
    ]);
    let refused = stderr(
        &env.run(&["edit", "3", "--set-population", "a"])
            .code(exit::CONFLICT),
    );
    assert!(refused.contains("stored already as poll 1"), "{refused}");
    env.ok(&[
        "add",
        "--pollster",
        "Gallup Korea",
        "--question",
        "other",
        "--wording",
        "Other?",
        "--answer",
        "Yes=5",
        "--published",
        "2016-11-18",
    ]);
    let refused = stderr(
        &env.run(&[
            "add",
            "--poll",
            "4",
            "--question",
            "kr-gsomia",
            "--answer",
            "Oppose=50",
        ])
        .code(exit::CONFLICT),
    );
    assert!(refused.contains("stored already as poll 1"), "{refused}");
    // Allowed on purpose; and a poll stored as a duplicate stays editable.
    env.ok(&[
        "edit",
        "2",
        "--pollster",
        "Gallup Korea",
        "--allow-duplicate",
    ]);
    env.ok(&["edit", "2", "--notes", "a second report of poll 1"]);
}

/// A value echoed in a message (a slug, a name, a file) can never send escape sequences to
/// the terminal: control characters are shown as escapes.
#[test]
fn messages_never_echo_control_characters_raw() {
    let env = Env::new();
    env.ok(GSOMIA);
    for args in [
        vec!["trend", "\u{1b}[2Jx"],
        vec!["list", "--pollster", "You\u{1b}[31mGov"],
    ] {
        let assert = env.run(&args).code(exit::NOT_FOUND);
        let message = stderr(&assert);
        assert!(!message.contains('\u{1b}'), "{message:?}");
        assert!(message.contains("\\u{001b}"), "{message:?}");
    }
}

/// A filter naming a question or pollster not stored is "not found", not an empty result:
/// `export` keeps the file it would have replaced.
#[test]
fn a_filter_naming_nothing_stored_is_not_found() {
    let env = Env::new();
    env.ok(GSOMIA);
    std::fs::write(env.path().join("keep.csv"), "keep\n").expect("write");
    for args in [
        vec!["export", "--question", "nosuch", "-o", "keep.csv"],
        vec!["export", "--pollster", "Nobody", "-o", "keep.csv"],
        vec!["list", "--question", "nosuch"],
        vec!["list", "--pollster", "Nobody"],
    ] {
        env.run(&args).code(exit::NOT_FOUND);
    }
    assert_eq!(
        std::fs::read_to_string(env.path().join("keep.csv")).expect("read"),
        "keep\n"
    );
    assert!(
        env.ok(&["list", "--pollster", "gallup korea"])
            .contains("kr-gsomia")
    );
}
