use super::*;
use crate::error::ErrorKind;
use crate::model::dump::*;

fn written(dump: &Dump) -> String {
    let mut out = Vec::new();
    write_dump(dump, &mut out).expect("written");
    String::from_utf8(out).expect("UTF-8")
}

fn read(text: &str) -> Result<Dump> {
    read_dump(text.as_bytes(), "test.jsonl")
}

#[test]
fn a_dump_reads_back_as_written_every_value_exact() {
    let dump = example();
    let text = written(&dump);
    assert_eq!(read(&text).expect("read"), dump);
    assert_eq!(written(&read(&text).expect("read")), text);
}

#[test]
fn a_dump_is_a_header_then_one_line_per_record_kind_first() {
    let text = written(&example());
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines[0], r#"{"polltrack_dump":1}"#);
    assert_eq!(lines.len(), 1 + 10);
    assert_eq!(
        lines[1],
        r#"{"type":"pollster","id":1,"name":"Gallup Korea","aliases":["Gallup"]}"#
    );
    let kinds: Vec<&str> = lines[1..]
        .iter()
        .map(|l| l.split('"').nth(3).expect("a kind"))
        .collect();
    #[rustfmt::skip]
    let expected = ["pollster", "sponsor", "question", "source", "poll", "poll_key",
        "deleted_result", "change", "change", "change"];
    assert_eq!(kinds, expected);
    assert!(lines[5].contains(r#""sample_size":1004.5"#), "{}", lines[5]);
    assert!(
        lines[5].contains(r#""pct":0.3333333333333333"#),
        "{}",
        lines[5]
    );
}

#[test]
fn kinds_may_come_in_any_order_and_blank_lines_are_skipped() {
    let text = written(&example());
    let mut lines: Vec<&str> = text.lines().collect();
    // Kinds in reverse alphabetical order, each kind's records in their order.
    lines[1..].sort_by_key(|line| std::cmp::Reverse(line.split('"').nth(3)));
    let shuffled = lines.join("\n\n");
    assert_eq!(read(&shuffled).expect("read"), example());
}

#[track_caller]
fn refused(text: &str, words: &[&str]) {
    let err = read(text).expect_err("refused");
    assert_eq!(err.kind(), ErrorKind::Invalid, "{err}");
    let message = err.to_string();
    for word in words {
        assert!(message.contains(word), "{word:?} not in {message:?}");
    }
}

#[test]
fn a_newer_version_an_empty_file_and_other_files_are_refused() {
    refused(
        "{\"polltrack_dump\":2}\n",
        &["test.jsonl line 1", "version 2", "newer", "version 1"],
    );
    refused("", &["test.jsonl is not a polltrack dump", "empty"]);
    refused(
        "poll_id,pollster\n1,A\n",
        &["not a polltrack dump", "line 1"],
    );
    // A database file given by mistake.
    let binary = read_dump(&b"SQLite format 3\0\xff\xfe\n"[..], "polls.db").expect_err("refused");
    assert_eq!(binary.kind(), ErrorKind::Invalid);
    let message = binary.to_string();
    assert!(
        message.contains("polls.db line 1: not a polltrack dump"),
        "{message}"
    );
}

#[test]
fn a_malformed_line_is_named_by_its_number_and_column() {
    let text = written(&example());
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    lines[3] = lines[3].replace("\"slug\"", "\"slug\" ");
    lines[3].pop();
    refused(&lines.join("\n"), &["test.jsonl line 4, column", "EOF"]);
    let unknown = format!("{}\n{{\"type\":\"gadget\",\"id\":1}}\n", lines[0]);
    refused(&unknown, &["line 2", "unknown kind \"gadget\""]);
    let extra = format!(
        "{}\n{{\"type\":\"sponsor\",\"id\":1,\"name\":\"X\",\"colour\":\"red\"}}\n",
        lines[0]
    );
    refused(&extra, &["line 2", "a sponsor: unknown field `colour`"]);
    let missing = format!("{}\n{{\"type\":\"sponsor\",\"id\":1}}\n", lines[0]);
    refused(&missing, &["line 2", "missing field `name`"]);
    let untagged = format!("{}\n{{\"id\":1}}\n", lines[0]);
    refused(&untagged, &["line 2", "no \"type\""]);
}

#[test]
fn records_that_do_not_fit_together_are_problems_naming_them() {
    assert!(example().problems().is_empty());
    let mut dump = example();
    dump.polls[0].pollster_id = 9;
    dump.polls[0].source_ids.push(4);
    dump.polls[0].published_on = None;
    dump.sponsors.push(dump.sponsors[0].clone());
    dump.polls[0].results[0].question_id = 2;
    let problems = dump.problems();
    assert_eq!(
        problems,
        [
            "sponsor 1 is given twice",
            "poll 17 names pollster 9, which is not there",
            "poll 17 names source 4, which is not there",
            "poll 17 names question 2, which is not there",
            "poll 17 has no date (no field dates, no publication date)",
        ]
    );
}
