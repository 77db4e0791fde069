//! Database-level tests for every public `SqliteStore` method, each on a fresh file in a temp directory.

use super::{Access, SqliteStore};
use crate::db::prelude::*;
use crate::error::{ErrorKind, Result};
use crate::model::PollResult;
use crate::model::{Answer, Change, Poll, PollFilter, ResultSet, Source, parse_date};
use chrono::NaiveDate;
use std::path::{Path, PathBuf};
use tempfile::TempDir;

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

fn d(text: &str) -> NaiveDate {
    parse_date(text).expect("a test date")
}

fn answers(pairs: &[(&str, f64)]) -> Vec<Answer> {
    pairs
        .iter()
        .map(|(label, pct)| Answer {
            label: (*label).to_string(),
            pct: *pct,
        })
        .collect()
}

/// One result set, with a wording so that a new question is accepted.
fn result(question: &str, population: &str, pairs: &[(&str, f64)]) -> ResultSet {
    ResultSet {
        question: question.into(),
        wording: Some(format!("Wording of {question}")),
        population: population.into(),
        answers: answers(pairs),
        ..Default::default()
    }
}

/// A valid poll of adults, known by its publication date only.
fn poll(pollster: &str, question: &str, published: &str) -> Poll {
    Poll {
        pollster: pollster.into(),
        published_on: Some(d(published)),
        results: vec![result(
            question,
            "a",
            &[("Oppose", 59.0), ("Support", 31.0)],
        )],
        ..Default::default()
    }
}

fn source(url: &str) -> Source {
    Source {
        url: Some(url.into()),
        ..Default::default()
    }
}

fn db_path(dir: &TempDir) -> PathBuf {
    dir.path().join("polls.db")
}

async fn fresh() -> (TempDir, SqliteStore) {
    let dir = TempDir::new().expect("temp dir");
    let db = SqliteStore::open(&db_path(&dir), Access::Create)
        .await
        .expect("open a new database");
    (dir, db)
}

/// Asserts that `result` failed with this kind of error and that its message holds every word.
#[track_caller]
fn assert_error<T>(result: Result<T>, kind: ErrorKind, words: &[&str]) {
    let Err(err) = result else {
        panic!("expected an error of kind {kind:?} with {words:?}, got success");
    };
    assert_eq!(err.kind(), kind, "wrong kind of error: {err:?}");
    let message = err.to_string();
    for word in words {
        assert!(
            message.contains(word),
            "expected {word:?} in the message {message:?}"
        );
    }
}

async fn list_ids(db: &SqliteStore, filter: &PollFilter) -> Vec<i64> {
    db.list_polls(filter)
        .await
        .expect("list polls")
        .iter()
        .map(|p| p.id.expect("a stored poll has an id"))
        .collect()
}

/// (field, old value, new value) of each change, for compact comparisons.
fn fields(changes: &[Change]) -> Vec<(String, Option<String>, Option<String>)> {
    changes
        .iter()
        .map(|c| (c.field.clone(), c.old_value.clone(), c.new_value.clone()))
        .collect()
}

fn change(
    field: &str,
    old: Option<&str>,
    new: Option<&str>,
) -> (String, Option<String>, Option<String>) {
    (
        field.to_string(),
        old.map(str::to_string),
        new.map(str::to_string),
    )
}

/// Three polls added out of date order: poll 1 (Realmeter, 2019-08-22, gsomia for lv and moon
/// for adults), poll 2 (Gallup Korea, field 2016-11-15..17, so dated 2016-11-16), poll 3
/// (Gallup Korea, field 2019-08-20..23, so dated 2019-08-21, published 2019-08-30).
async fn add_three(db: &SqliteStore) {
    let mut realmeter = poll("Realmeter", "kr-gsomia", "2019-08-22");
    realmeter.results[0].population = "lv".into();
    realmeter.results.push(result(
        "kr-moon",
        "a",
        &[("Approve", 47.0), ("Disapprove", 49.0)],
    ));
    let mut gallup_2016 = poll("Gallup Korea", "kr-gsomia", "2016-11-18");
    gallup_2016.field_start = Some(d("2016-11-15"));
    gallup_2016.field_end = Some(d("2016-11-17"));
    let mut gallup_2019 = Poll {
        pollster: "Gallup Korea".into(),
        field_start: Some(d("2019-08-20")),
        field_end: Some(d("2019-08-23")),
        published_on: Some(d("2019-08-30")),
        results: vec![result(
            "kr-moon",
            "a",
            &[("Approve", 45.0), ("Disapprove", 50.0)],
        )],
        ..Default::default()
    };
    gallup_2019.sponsors = vec!["Hankook Ilbo".into()];
    for (expected, p) in [(1, realmeter), (2, gallup_2016), (3, gallup_2019)] {
        let outcome = db.add_poll(&p, false).await.expect("add poll");
        assert_eq!(outcome.id, expected);
    }
}

// ---------------------------------------------------------------------------------------------
// open, close, path
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn open_creates_the_file_and_keeps_its_path() {
    let dir = TempDir::new().unwrap();
    let path = db_path(&dir);
    assert!(!path.exists());
    let db = SqliteStore::open(&path, Access::Create).await.unwrap();
    assert!(db.is_new());
    assert!(
        !path.exists(),
        "a new database appears only when it is closed"
    );
    assert_eq!(db.path(), path.as_path());
    assert!(
        db.list_polls(&PollFilter::default())
            .await
            .unwrap()
            .is_empty()
    );
    assert!(db.list_questions().await.unwrap().is_empty());
    db.close().await.unwrap();
    assert!(path.exists(), "Create makes the file");
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        1,
        "and nothing beside it"
    );

    // Reopening an existing file for reading works and sees what was stored.
    let db = SqliteStore::open(&path, Access::Create).await.unwrap();
    let id = db
        .add_poll(&poll("Gallup Korea", "kr-gsomia", "2016-11-18"), false)
        .await
        .unwrap()
        .id;
    db.close().await.expect("close the database");
    let db = SqliteStore::open(&path, Access::ReadExisting)
        .await
        .unwrap();
    assert_eq!(db.path(), path.as_path());
    assert_eq!(db.get_poll(id).await.unwrap().pollster, "Gallup Korea");
    db.close().await.expect("close the database");
}

#[tokio::test]
async fn open_read_existing_on_a_missing_file_is_not_found_and_creates_nothing() {
    let dir = TempDir::new().unwrap();
    let path = db_path(&dir);
    assert_error(
        SqliteStore::open(&path, Access::ReadExisting).await,
        ErrorKind::NotFound,
        &["no database at", "polls.db", "polltrack init"],
    );
    assert!(!path.exists(), "ReadExisting must not create the file");
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        0,
        "no side files either"
    );
}

#[tokio::test]
async fn a_new_database_is_never_published_over_a_file_that_appeared_meanwhile() {
    let dir = TempDir::new().unwrap();
    let path = db_path(&dir);
    let db = SqliteStore::open(&path, Access::Create).await.unwrap();
    db.add_poll(&poll("Gallup Korea", "kr-gsomia", "2016-11-18"), false)
        .await
        .unwrap();
    // Another process publishes its database first.
    let other = SqliteStore::open(&path, Access::Create).await.unwrap();
    other
        .add_poll(&poll("Realmeter", "kr-gsomia", "2016-11-19"), false)
        .await
        .unwrap();
    other.close().await.unwrap();
    let theirs = std::fs::read(&path).unwrap();
    assert_error(
        db.close().await,
        ErrorKind::Conflict,
        &[
            "another process created the database",
            "polls.db",
            "nothing was stored",
        ],
    );
    assert_eq!(std::fs::read(&path).unwrap(), theirs, "their file is kept");
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        1,
        "no hidden files are left"
    );
}

#[tokio::test]
async fn a_discarded_new_database_leaves_no_file() {
    let dir = TempDir::new().unwrap();
    let path = db_path(&dir);
    let db = SqliteStore::open(&path, Access::Create).await.unwrap();
    db.add_poll(&poll("Gallup Korea", "kr-gsomia", "2016-11-18"), false)
        .await
        .unwrap();
    db.discard().await;
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);

    let scratch = SqliteStore::open_scratch(&path).await.unwrap();
    scratch
        .add_poll(&poll("Gallup Korea", "kr-gsomia", "2016-11-18"), false)
        .await
        .unwrap();
    scratch.discard().await;
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
}

#[tokio::test]
async fn names_sqlite_takes_specially_are_refused() {
    for name in [":memory:", "file:polls.db", ""] {
        assert_error(
            SqliteStore::open(Path::new(name), Access::Create).await,
            ErrorKind::Usage,
            &["not a database file"],
        );
    }
}

async fn mark_newer_schema(path: &Path, version: i64) {
    use sqlx::sqlite::{SqliteConnectOptions, SqlitePoolOptions};
    let pool = SqlitePoolOptions::new()
        .max_connections(1)
        .connect_with(SqliteConnectOptions::new().filename(path))
        .await
        .unwrap();
    sqlx::query(
        "INSERT INTO _sqlx_migrations (version, description, success, checksum, execution_time)
         VALUES (?, 'from the future', TRUE, x'00', 0)",
    )
    .bind(version)
    .execute(&pool)
    .await
    .unwrap();
    pool.close().await;
}

#[tokio::test]
async fn open_refuses_a_database_from_a_newer_polltrack_and_leaves_it_unchanged() {
    let dir = TempDir::new().unwrap();
    let path = db_path(&dir);
    let db = SqliteStore::open(&path, Access::Create).await.unwrap();
    db.add_poll(&poll("Gallup Korea", "kr-gsomia", "2016-11-18"), false)
        .await
        .unwrap();
    db.close().await.expect("close the database");
    mark_newer_schema(&path, 20991231000000).await;
    let before = std::fs::read(&path).unwrap();

    for access in [Access::ReadExisting, Access::Create] {
        assert_error(
            SqliteStore::open(&path, access).await,
            ErrorKind::Storage,
            &[
                "newer polltrack",
                "schema 20991231000000",
                "upgrade polltrack",
                "polls.db",
            ],
        );
        assert_eq!(
            std::fs::read(&path).unwrap(),
            before,
            "the refused file must not change"
        );
    }
}

#[tokio::test]
async fn close_checkpoints_the_wal_and_keeps_the_data() {
    let (dir, db) = fresh().await;
    let path = db_path(&dir);
    db.add_poll(&poll("Gallup Korea", "kr-gsomia", "2016-11-18"), false)
        .await
        .unwrap();
    db.close().await.expect("close the database");
    let wal = dir.path().join("polls.db-wal");
    let shm = dir.path().join("polls.db-shm");
    assert!(!wal.exists(), "the WAL is removed on close");
    assert!(!shm.exists(), "the shared-memory file is removed on close");

    let db = SqliteStore::open(&path, Access::ReadExisting)
        .await
        .unwrap();
    let polls = db.list_polls(&PollFilter::default()).await.unwrap();
    assert_eq!(polls.len(), 1);
    assert_eq!(polls[0].results[0].question, "kr-gsomia");
    db.close().await.expect("close the database");
}

// ---------------------------------------------------------------------------------------------
// add_poll, get_poll
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn add_poll_stores_every_field_and_get_poll_reads_it_back() {
    let (_dir, db) = fresh().await;
    let entered = Poll {
        pollster: "  Gallup Korea ".into(),
        sponsors: vec!["Hankook Ilbo".into(), " KBS ".into()],
        field_start: Some(d("2016-11-15")),
        field_end: Some(d("2016-11-17")),
        published_on: Some(d("2016-11-18")),
        mode: Some("Phone".into()),
        region: Some("  ".into()),
        partisan: true,
        tracking: false,
        notes: Some(" Weekly omnibus ".into()),
        results: vec![ResultSet {
            question: " kr-gsomia ".into(),
            wording: Some("Do you support GSOMIA with Japan?".into()),
            population: "Likely Voters".into(),
            sample_size: Some(1004.0),
            margin_of_error: Some(3.1),
            answers: answers(&[(" Oppose", 59.0), ("Support", 31.0), ("Unsure", 10.0)]),
        }],
        sources: vec![Source {
            url: Some(" https://example.org/gsomia ".into()),
            title: Some("Koreans oppose GSOMIA".into()),
            outlet: Some("Press TV".into()),
            published_on: Some(d("2016-11-18")),
            id: None,
        }],
        ..Default::default()
    };
    let outcome = db.add_poll(&entered, false).await.unwrap();
    assert_eq!(outcome.id, 1);
    assert!(outcome.warnings.is_empty(), "{:?}", outcome.warnings);

    let stored = db.get_poll(1).await.unwrap();
    assert_eq!(stored.id, Some(1));
    assert_eq!(stored.pollster, "Gallup Korea");
    assert_eq!(stored.sponsors, vec!["Hankook Ilbo", "KBS"]);
    assert_eq!(stored.field_start, Some(d("2016-11-15")));
    assert_eq!(stored.field_end, Some(d("2016-11-17")));
    assert_eq!(stored.published_on, Some(d("2016-11-18")));
    assert_eq!(stored.date(), Some(d("2016-11-16")));
    assert_eq!(stored.mode.as_deref(), Some("Phone"));
    assert_eq!(stored.region, None, "an empty text is unknown");
    assert!(stored.partisan);
    assert!(!stored.tracking);
    assert_eq!(stored.notes.as_deref(), Some("Weekly omnibus"));
    assert_eq!(stored.results.len(), 1);
    let r = &stored.results[0];
    assert_eq!(r.question, "kr-gsomia");
    assert_eq!(
        r.wording.as_deref(),
        Some("Do you support GSOMIA with Japan?")
    );
    assert_eq!(
        r.population, "lv",
        "a standard population is stored as its code"
    );
    assert_eq!(r.sample_size, Some(1004.0));
    assert_eq!(r.margin_of_error, Some(3.1));
    assert_eq!(
        r.answers,
        answers(&[("Oppose", 59.0), ("Support", 31.0), ("Unsure", 10.0)])
    );
    assert_eq!(
        stored.sources,
        vec![Source {
            id: Some(1),
            url: Some("https://example.org/gsomia".into()),
            title: Some("Koreans oppose GSOMIA".into()),
            outlet: Some("Press TV".into()),
            published_on: Some(d("2016-11-18")),
        }]
    );
    let created = stored.created_at.clone().expect("created_at");
    assert_eq!(created.len(), "2026-01-01 00:00:00".len(), "{created}");
    assert_eq!(stored.updated_at.as_deref(), Some(created.as_str()));

    // The second poll gets the next id.
    let outcome = db
        .add_poll(&poll("Realmeter", "kr-gsomia", "2016-11-20"), false)
        .await
        .unwrap();
    assert_eq!(outcome.id, 2);
    assert_eq!(db.get_poll(2).await.unwrap().pollster, "Realmeter");
    db.close().await.expect("close the database");
}

#[tokio::test]
async fn add_poll_returns_warnings_for_future_and_late_dates() {
    let (_dir, db) = fresh().await;
    let mut p = poll("Gallup Korea", "kr-gsomia", "2016-11-18");
    p.field_end = Some(d("2016-11-20"));
    // Within a year ahead: a warning; further ahead is refused (see the model's tests).
    let soon = crate::model::today() + chrono::Duration::days(100);
    p.sources.push(Source {
        url: Some("https://example.org/future".into()),
        published_on: Some(soon),
        ..Default::default()
    });
    let outcome = db.add_poll(&p, false).await.unwrap();
    assert_eq!(outcome.id, 1);
    let text: Vec<String> = outcome.warnings.iter().map(|w| w.to_string()).collect();
    assert_eq!(text.len(), 2, "{text:?}");
    assert!(
        text.iter()
            .any(|w| w.contains("after the publication date 2016-11-18")),
        "{text:?}"
    );
    assert!(
        text.iter().any(|w| w.contains(&format!(
            "source date {} is in the future",
            crate::model::format_date(soon)
        ))),
        "{text:?}"
    );
    // Warnings do not stop the poll.
    assert_eq!(
        db.get_poll(1).await.unwrap().field_end,
        Some(d("2016-11-20"))
    );
    db.close().await.expect("close the database");
}

#[tokio::test]
async fn get_poll_of_an_unknown_id_is_not_found() {
    let (_dir, db) = fresh().await;
    assert_error(
        db.get_poll(7).await,
        ErrorKind::NotFound,
        &["there is no poll 7", "polltrack list"],
    );
    db.add_poll(&poll("Gallup Korea", "kr-gsomia", "2016-11-18"), false)
        .await
        .unwrap();
    assert_error(db.get_poll(2).await, ErrorKind::NotFound, &["no poll 2"]);
    assert_eq!(db.get_poll(1).await.unwrap().id, Some(1));
    db.close().await.expect("close the database");
}

#[tokio::test]
async fn add_poll_refuses_a_duplicate_naming_the_stored_id() {
    let (_dir, db) = fresh().await;
    db.add_poll(&poll("Realmeter", "kr-moon", "2019-08-22"), false)
        .await
        .unwrap();
    let original = poll("Gallup Korea", "kr-gsomia", "2016-11-18");
    assert_eq!(db.add_poll(&original, false).await.unwrap().id, 2);

    assert_error(
        db.add_poll(&original, false).await,
        ErrorKind::Conflict,
        &[
            "stored already as poll 2",
            "polltrack show 2",
            "--allow-duplicate",
        ],
    );
    // The same poll with another spelling of the pollster and population, and other answers.
    let mut respelled = original.clone();
    respelled.pollster = " GALLUP korea ".into();
    respelled.results[0].population = "Adults".into();
    respelled.results[0].answers = answers(&[("Oppose", 60.0)]);
    assert_error(
        db.add_poll(&respelled, false).await,
        ErrorKind::Conflict,
        &["poll 2"],
    );
    assert_eq!(list_ids(&db, &PollFilter::default()).await, vec![2, 1]);

    // Allowed, it is stored again under a new id.
    let again = db.add_poll(&original, true).await.unwrap();
    assert_eq!(again.id, 3);
    assert_eq!(
        db.get_poll(3).await.unwrap().results,
        db.get_poll(2).await.unwrap().results
    );

    // Another population, date or question is not a duplicate.
    let mut other_population = original.clone();
    other_population.results[0].population = "rv".into();
    assert_eq!(db.add_poll(&other_population, false).await.unwrap().id, 4);
    let mut other_date = original.clone();
    other_date.published_on = Some(d("2016-11-19"));
    assert_eq!(db.add_poll(&other_date, false).await.unwrap().id, 5);
    let mut other_question = original.clone();
    other_question.results[0] = result("kr-moon", "a", &[("Approve", 5.0)]);
    assert_eq!(db.add_poll(&other_question, false).await.unwrap().id, 6);
    db.close().await.expect("close the database");
}

#[tokio::test]
async fn add_poll_refuses_an_invalid_poll_and_stores_nothing() {
    let (_dir, db) = fresh().await;
    let mut bad = poll("Gallup Korea", "kr-gsomia", "2016-11-18");
    bad.results[0].answers = answers(&[("Oppose", 120.0)]);
    bad.field_start = Some(d("2016-11-17"));
    bad.field_end = Some(d("2016-11-15"));
    assert_error(
        db.add_poll(&bad, false).await,
        ErrorKind::Invalid,
        &[
            "percentage 120 for \"Oppose\" is outside 0..100",
            "field start 2016-11-17 is after field end 2016-11-15",
        ],
    );
    let mut no_date = poll("Gallup Korea", "kr-gsomia", "2016-11-18");
    no_date.published_on = None;
    assert_error(
        db.add_poll(&no_date, true).await,
        ErrorKind::Invalid,
        &["has no date"],
    );
    let mut no_pollster = poll(" ", "kr-gsomia", "2016-11-18");
    no_pollster.results[0].question = "kr gsomia".into();
    assert_error(
        db.add_poll(&no_pollster, false).await,
        ErrorKind::Invalid,
        &["pollster name is empty", "has spaces"],
    );
    assert!(
        db.list_polls(&PollFilter::default())
            .await
            .unwrap()
            .is_empty()
    );
    assert!(db.list_pollsters().await.unwrap().is_empty());
    assert!(db.list_questions().await.unwrap().is_empty());
    db.close().await.expect("close the database");
}

#[tokio::test]
async fn add_poll_with_a_new_question_needs_its_wording() {
    let (_dir, db) = fresh().await;
    let mut unworded = poll("Gallup Korea", "kr-gsomia", "2016-11-18");
    unworded.results[0].wording = Some("   ".into());
    assert_error(
        db.add_poll(&unworded, false).await,
        ErrorKind::Invalid,
        &["question kr-gsomia is new", "wording"],
    );
    // Nothing of the refused poll is left behind, not even its pollster.
    assert!(
        db.list_polls(&PollFilter::default())
            .await
            .unwrap()
            .is_empty()
    );
    assert!(db.list_pollsters().await.unwrap().is_empty());
    assert!(db.list_questions().await.unwrap().is_empty());

    // Once the question is stored, later polls may leave the wording out.
    let first = db
        .add_poll(&poll("Gallup Korea", "kr-gsomia", "2016-11-18"), false)
        .await
        .unwrap();
    assert_eq!(first.id, 1);
    let mut later = poll("Realmeter", "kr-gsomia", "2016-11-25");
    later.results[0].wording = None;
    let outcome = db.add_poll(&later, false).await.unwrap();
    assert_eq!(outcome.id, 2);
    assert!(outcome.warnings.is_empty());
    assert_eq!(
        db.get_poll(2).await.unwrap().results[0].wording.as_deref(),
        Some("Wording of kr-gsomia")
    );

    // Another wording for a stored question is a warning, and the stored wording stays.
    let mut reworded = poll("Realmeter", "kr-gsomia", "2016-12-02");
    reworded.results[0].wording = Some("Something else".into());
    let outcome = db.add_poll(&reworded, false).await.unwrap();
    assert_eq!(outcome.id, 3);
    assert_eq!(outcome.warnings.len(), 1);
    assert!(
        outcome.warnings[0]
            .to_string()
            .contains("stored with the wording \"Wording of kr-gsomia\""),
        "{}",
        outcome.warnings[0]
    );
    assert_eq!(
        db.get_question("kr-gsomia").await.unwrap().question.wording,
        "Wording of kr-gsomia"
    );
    db.close().await.expect("close the database");
}

#[tokio::test]
async fn add_poll_matches_pollsters_case_insensitively_trimmed_and_by_alias() {
    let (_dir, db) = fresh().await;
    db.add_poll(&poll("Gallup Korea", "kr-gsomia", "2016-11-18"), false)
        .await
        .unwrap();
    db.add_poll(&poll("  gallup KOREA ", "kr-gsomia", "2016-11-25"), false)
        .await
        .unwrap();
    assert_eq!(
        db.add_pollster_alias("Gallup", "gallup korea")
            .await
            .unwrap(),
        "Gallup Korea"
    );
    db.add_poll(&poll(" gallup", "kr-gsomia", "2016-12-02"), false)
        .await
        .unwrap();

    for id in 1..=3 {
        assert_eq!(db.get_poll(id).await.unwrap().pollster, "Gallup Korea");
    }
    let pollsters = db.list_pollsters().await.unwrap();
    assert_eq!(pollsters.len(), 1);
    assert_eq!(pollsters[0].name, "Gallup Korea");
    assert_eq!(pollsters[0].aliases, vec!["Gallup"]);
    assert_eq!(pollsters[0].polls, 3);
    db.close().await.expect("close the database");
}

// ---------------------------------------------------------------------------------------------
// insert_polls
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn insert_polls_stores_many_with_consecutive_ids() {
    let (_dir, db) = fresh().await;
    db.add_poll(&poll("Gallup Korea", "kr-gsomia", "2016-11-18"), false)
        .await
        .unwrap();
    let mut second = poll("realmeter", "kr-moon", "2019-08-22");
    second.sponsors = vec!["YTN".into()];
    second.sources = vec![source("https://example.org/moon")];
    // A stored question given with another wording: the stored wording stays, with a warning.
    let mut third = poll("Realmeter", "kr-gsomia", "2019-08-29");
    third.results[0].wording = Some("Another wording".into());
    third.sources = vec![source("https://example.org/moon")];
    let batch = vec![
        second,
        third,
        // The same poll as the stored one: the bulk path makes no duplicate check.
        poll("Gallup Korea", "kr-gsomia", "2016-11-18"),
    ];
    let (ids, warnings) = db.insert_polls(&batch).await.unwrap();
    assert_eq!(ids, vec![2, 3, 4]);
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert!(
        warnings[0]
            .to_string()
            .contains("question kr-gsomia is stored with the wording \"Wording of kr-gsomia\""),
        "{}",
        warnings[0]
    );

    let stored = db.list_polls(&PollFilter::default()).await.unwrap();
    let stored_ids: Vec<i64> = stored.iter().filter_map(|p| p.id).collect();
    assert_eq!(stored_ids, vec![1, 4, 2, 3]);
    let second = db.get_poll(2).await.unwrap();
    assert_eq!(second.pollster, "realmeter");
    assert_eq!(second.sponsors, vec!["YTN"]);
    assert_eq!(
        second.results[0].answers,
        answers(&[("Oppose", 59.0), ("Support", 31.0)])
    );
    let third = db.get_poll(3).await.unwrap();
    assert_eq!(third.pollster, "realmeter");
    assert_eq!(
        third.results[0].wording.as_deref(),
        Some("Wording of kr-gsomia")
    );
    // One source shared by both polls.
    let shared = db.get_source("https://example.org/moon").await.unwrap();
    assert_eq!(shared.polls, vec![2, 3]);
    let pollsters = db.list_pollsters().await.unwrap();
    let counts: Vec<(&str, i64)> = pollsters
        .iter()
        .map(|p| (p.name.as_str(), p.polls))
        .collect();
    assert_eq!(counts, vec![("Gallup Korea", 2), ("realmeter", 2)]);

    // An empty batch stores nothing.
    let (ids, warnings) = db.insert_polls(&[]).await.unwrap();
    assert!(ids.is_empty());
    assert!(warnings.is_empty());
    assert_eq!(list_ids(&db, &PollFilter::default()).await.len(), 4);
    db.close().await.expect("close the database");
}

#[tokio::test]
async fn insert_polls_is_all_or_nothing() {
    let (_dir, db) = fresh().await;
    let mut invalid = poll("Realmeter", "kr-moon", "2019-08-22");
    invalid.results[0].margin_of_error = Some(0.0);
    let batch = vec![
        poll("Gallup Korea", "kr-gsomia", "2016-11-18"),
        invalid,
        poll("Hankook Research", "kr-moon", "2019-08-29"),
    ];
    assert_error(
        db.insert_polls(&batch).await,
        ErrorKind::Invalid,
        &["margin of error 0 is outside (0, 50]"],
    );
    assert!(
        db.list_polls(&PollFilter::default())
            .await
            .unwrap()
            .is_empty()
    );

    // A failure found while writing (a new question without wording) undoes the earlier polls.
    let mut unworded = poll("Realmeter", "kr-new", "2019-08-22");
    unworded.results[0].wording = None;
    let batch = vec![poll("Gallup Korea", "kr-gsomia", "2016-11-18"), unworded];
    assert_error(
        db.insert_polls(&batch).await,
        ErrorKind::Invalid,
        &["question kr-new is new"],
    );
    assert!(
        db.list_polls(&PollFilter::default())
            .await
            .unwrap()
            .is_empty()
    );
    assert!(db.list_pollsters().await.unwrap().is_empty());
    assert!(db.list_questions().await.unwrap().is_empty());

    // The batch goes in once fixed, starting at id 1.
    let mut fixed = batch.clone();
    fixed[1].results[0].wording = Some("A new question".into());
    assert_eq!(db.insert_polls(&fixed).await.unwrap().0, vec![1, 2]);
    db.close().await.expect("close the database");
}

// ---------------------------------------------------------------------------------------------
// add_results
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn add_results_adds_a_population_and_a_source() {
    let (_dir, db) = fresh().await;
    db.add_poll(&poll("Gallup Korea", "kr-gsomia", "2016-11-18"), false)
        .await
        .unwrap();
    let before = db.get_poll(1).await.unwrap();
    let mut lv = result(
        "kr-gsomia",
        "Likely voters",
        &[("Oppose", 62.0), ("Support", 30.0)],
    );
    lv.wording = None;
    lv.sample_size = Some(800.0);
    let outcome = db
        .add_results(1, vec![lv], vec![source("https://example.org/lv")])
        .await
        .unwrap();
    assert_eq!(outcome.id, 1);
    assert!(outcome.warnings.is_empty(), "{:?}", outcome.warnings);

    let after = db.get_poll(1).await.unwrap();
    assert_eq!(after.results.len(), 2);
    assert_eq!(after.results[0], before.results[0]);
    assert_eq!(after.results[1].question, "kr-gsomia");
    assert_eq!(after.results[1].population, "lv");
    assert_eq!(after.results[1].sample_size, Some(800.0));
    assert_eq!(
        after.results[1].answers,
        answers(&[("Oppose", 62.0), ("Support", 30.0)])
    );
    assert_eq!(after.sources.len(), 1);
    assert_eq!(
        after.sources[0].url.as_deref(),
        Some("https://example.org/lv")
    );
    assert_eq!(after.created_at, before.created_at);

    // A new question can come too, with its wording.
    db.add_results(
        1,
        vec![result("kr-moon", "a", &[("Approve", 40.0)])],
        vec![],
    )
    .await
    .unwrap();
    let questions: Vec<(String, String)> = db
        .get_poll(1)
        .await
        .unwrap()
        .results
        .iter()
        .map(|r| (r.question.clone(), r.population.clone()))
        .collect();
    assert_eq!(
        questions,
        vec![
            ("kr-gsomia".to_string(), "a".to_string()),
            ("kr-gsomia".to_string(), "lv".to_string()),
            ("kr-moon".to_string(), "a".to_string()),
        ]
    );
    // Each addition is in the history.
    let history = db.history(Some(1)).await.unwrap();
    assert!(history.iter().all(|c| c.action == "edit" && c.poll_id == 1));
    assert_eq!(
        fields(&history),
        vec![
            change("kr-gsomia/lv sample_size", None, Some("800")),
            change("kr-gsomia/lv answers", None, Some("Oppose=62; Support=30")),
            change("sources", None, Some("https://example.org/lv")),
            change("kr-moon/a answers", None, Some("Approve=40")),
        ]
    );
    db.close().await.expect("close the database");
}

#[tokio::test]
async fn add_results_refuses_a_clash_an_unknown_poll_and_an_unworded_new_question() {
    let (_dir, db) = fresh().await;
    let mut p = poll("Gallup Korea", "kr-gsomia", "2016-11-18");
    p.results[0].population = "lv".into();
    db.add_poll(&p, false).await.unwrap();
    let before = db.get_poll(1).await.unwrap();

    for population in ["lv", " LV ", "likely voters"] {
        assert_error(
            db.add_results(
                1,
                vec![result("kr-gsomia", population, &[("Oppose", 50.0)])],
                vec![],
            )
            .await,
            ErrorKind::Conflict,
            &[
                "poll 1 already has question kr-gsomia for population",
                "polltrack edit 1",
            ],
        );
    }
    assert_error(
        db.add_results(
            42,
            vec![result("kr-gsomia", "rv", &[("Oppose", 50.0)])],
            vec![],
        )
        .await,
        ErrorKind::NotFound,
        &["there is no poll 42"],
    );
    let mut unworded = result("kr-new", "a", &[("Yes", 50.0)]);
    unworded.wording = None;
    assert_error(
        db.add_results(1, vec![unworded], vec![]).await,
        ErrorKind::Invalid,
        &["question kr-new is new"],
    );
    assert_error(
        db.add_results(
            1,
            vec![result("kr-gsomia", "rv", &[("Oppose", 150.0)])],
            vec![],
        )
        .await,
        ErrorKind::Invalid,
        &["outside 0..100"],
    );
    assert_eq!(db.get_poll(1).await.unwrap(), before, "nothing changed");
    assert!(db.history(None).await.unwrap().is_empty());
    db.close().await.expect("close the database");
}

// ---------------------------------------------------------------------------------------------
// update_poll
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn update_poll_returns_the_changes_records_them_and_keeps_created_at() {
    let (_dir, db) = fresh().await;
    let mut p = poll("Gallup Korea", "kr-gsomia", "2016-11-18");
    p.sources = vec![Source {
        url: Some("https://example.org/g".into()),
        outlet: Some("Press TV".into()),
        ..Default::default()
    }];
    db.add_poll(&p, false).await.unwrap();
    db.add_poll(&poll("Realmeter", "kr-gsomia", "2016-11-20"), false)
        .await
        .unwrap();
    let old = db.get_poll(1).await.unwrap();
    // Timestamps have one-second resolution: let the clock move on.
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;

    let mut new = old.clone();
    new.field_start = Some(d("2016-11-15"));
    new.field_end = Some(d("2016-11-17"));
    new.notes = Some("corrected".into());
    new.results[0].sample_size = Some(1004.0);
    new.results[0].answers = answers(&[("Oppose", 58.0), ("Support", 31.0)]);
    let (changes, warnings) = db.update_poll(1, &new).await.unwrap();
    assert!(warnings.is_empty(), "{warnings:?}");
    let expected = vec![
        change("field_start", None, Some("2016-11-15")),
        change("field_end", None, Some("2016-11-17")),
        change("notes", None, Some("corrected")),
        change("kr-gsomia/a sample_size", None, Some("1004")),
        change(
            "kr-gsomia/a answers",
            Some("Oppose=59; Support=31"),
            Some("Oppose=58; Support=31"),
        ),
    ];
    assert_eq!(fields(&changes), expected);
    assert!(changes.iter().all(|c| c.poll_id == 1 && c.action == "edit"));

    let history = db.history(Some(1)).await.unwrap();
    assert_eq!(
        history, changes,
        "the history holds exactly what was returned"
    );

    let stored = db.get_poll(1).await.unwrap();
    assert_eq!(stored.id, Some(1));
    assert_eq!(stored.field_start, Some(d("2016-11-15")));
    assert_eq!(stored.notes.as_deref(), Some("corrected"));
    assert_eq!(stored.results[0].sample_size, Some(1004.0));
    assert_eq!(stored.results[0].answers[0].pct, 58.0);
    assert_eq!(
        stored.sources[0].outlet.as_deref(),
        Some("Press TV"),
        "sources survive"
    );
    assert_eq!(stored.created_at, old.created_at, "created_at is kept");
    assert_ne!(stored.updated_at, old.updated_at, "updated_at moves on");
    assert!(stored.updated_at > old.updated_at);
    // The other poll is untouched, and the edited one keeps its place by date.
    assert_eq!(db.get_poll(2).await.unwrap().pollster, "Realmeter");
    assert_eq!(list_ids(&db, &PollFilter::default()).await, vec![1, 2]);

    // Saving the same content changes nothing and records nothing.
    let (changes, _) = db.update_poll(1, &stored).await.unwrap();
    assert!(changes.is_empty());
    assert_eq!(db.history(Some(1)).await.unwrap().len(), 5);
    assert_eq!(db.get_poll(1).await.unwrap(), stored);
    db.close().await.expect("close the database");
}

#[tokio::test]
async fn update_poll_refuses_unknown_ids_and_invalid_content() {
    let (_dir, db) = fresh().await;
    let p = poll("Gallup Korea", "kr-gsomia", "2016-11-18");
    assert_error(
        db.update_poll(3, &p).await,
        ErrorKind::NotFound,
        &["there is no poll 3"],
    );
    db.add_poll(&p, false).await.unwrap();
    let before = db.get_poll(1).await.unwrap();
    let mut bad = before.clone();
    bad.results[0].answers = answers(&[("Oppose", 70.0), ("Support", 40.0)]);
    assert_error(
        db.update_poll(1, &bad).await,
        ErrorKind::Invalid,
        &["sum to 110"],
    );
    assert_eq!(db.get_poll(1).await.unwrap(), before);
    assert!(db.history(None).await.unwrap().is_empty());

    // A change of pollster goes through its name like any other.
    let mut moved = before.clone();
    moved.pollster = "Realmeter".into();
    let (changes, _) = db.update_poll(1, &moved).await.unwrap();
    assert_eq!(
        fields(&changes),
        vec![change("pollster", Some("Gallup Korea"), Some("Realmeter"))]
    );
    assert_eq!(db.get_poll(1).await.unwrap().pollster, "Realmeter");
    db.close().await.expect("close the database");
}

// ---------------------------------------------------------------------------------------------
// delete_poll
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn delete_poll_keeps_a_snapshot_in_the_history() {
    let (_dir, db) = fresh().await;
    add_three(&db).await;
    let stored = db.get_poll(3).await.unwrap();

    let deleted = db.delete_poll(3).await.unwrap();
    assert_eq!(deleted, stored, "returns what was deleted");
    assert_error(
        db.get_poll(3).await,
        ErrorKind::NotFound,
        &["there is no poll 3"],
    );
    assert_eq!(list_ids(&db, &PollFilter::default()).await, vec![2, 1]);

    let history = db.history(Some(3)).await.unwrap();
    assert_eq!(history.len(), 1);
    assert_eq!(history[0].poll_id, 3);
    assert_eq!(history[0].action, "delete");
    assert_eq!(history[0].field, "poll");
    assert_eq!(history[0].new_value, None);
    let snapshot: Poll =
        serde_json::from_str(history[0].old_value.as_deref().expect("a snapshot")).unwrap();
    assert_eq!(snapshot, stored);
    assert_eq!(snapshot.sponsors, vec!["Hankook Ilbo"]);

    // The pollster stays, with one poll fewer; the other polls are whole.
    let gallup = db
        .list_pollsters()
        .await
        .unwrap()
        .into_iter()
        .find(|p| p.name == "Gallup Korea")
        .unwrap();
    assert_eq!(gallup.polls, 1);
    assert_eq!(db.get_poll(1).await.unwrap().results.len(), 2);

    // Deleting again, or an unknown poll, is NotFound and records nothing.
    assert_error(db.delete_poll(3).await, ErrorKind::NotFound, &["no poll 3"]);
    assert_error(
        db.delete_poll(99).await,
        ErrorKind::NotFound,
        &["no poll 99"],
    );
    assert_eq!(db.history(None).await.unwrap().len(), 1);
    db.close().await.expect("close the database");
}

#[tokio::test]
async fn a_deleted_polls_id_is_not_given_to_a_new_poll() {
    let (_dir, db) = fresh().await;
    add_three(&db).await;
    db.delete_poll(3).await.unwrap();
    let id = db
        .add_poll(&poll("Hankook Research", "kr-moon", "2019-09-01"), false)
        .await
        .unwrap()
        .id;
    assert_eq!(
        id, 4,
        "poll 3's history must not be taken for the new poll's"
    );
    assert_eq!(db.history(Some(4)).await.unwrap(), vec![]);
    let (ids, _) = db
        .insert_polls(&[poll("Hankook Research", "kr-moon", "2019-09-08")])
        .await
        .unwrap();
    assert_eq!(ids, vec![5]);
    assert_error(db.get_poll(3).await, ErrorKind::NotFound, &["no poll 3"]);
    db.close().await.expect("close the database");
}

// ---------------------------------------------------------------------------------------------
// list_polls
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn list_polls_orders_by_date_and_filters() {
    let (_dir, db) = fresh().await;
    add_three(&db).await;
    let all = PollFilter::default();
    assert_eq!(list_ids(&db, &all).await, vec![2, 3, 1]);
    let listed = db.list_polls(&all).await.unwrap();
    assert_eq!(
        listed[2].results.len(),
        2,
        "without filter every result set is there"
    );
    assert_eq!(listed[1].sponsors, vec!["Hankook Ilbo"]);

    // Questions: only the selected result sets are kept.
    let gsomia = PollFilter {
        questions: vec!["kr-gsomia".into()],
        ..Default::default()
    };
    let polls = db.list_polls(&gsomia).await.unwrap();
    assert_eq!(
        polls.iter().filter_map(|p| p.id).collect::<Vec<_>>(),
        vec![2, 1]
    );
    assert_eq!(polls[1].results.len(), 1);
    assert_eq!(polls[1].results[0].question, "kr-gsomia");
    let both = PollFilter {
        questions: vec!["kr-gsomia".into(), "kr-moon".into()],
        ..Default::default()
    };
    assert_eq!(list_ids(&db, &both).await, vec![2, 3, 1]);
    let unknown = PollFilter {
        questions: vec!["kr-unknown".into()],
        ..Default::default()
    };
    assert!(list_ids(&db, &unknown).await.is_empty());

    // Pollsters: by name in any case, by alias; an unknown name matches nothing.
    let by_name = |names: &[&str]| PollFilter {
        pollsters: names.iter().map(|n| n.to_string()).collect(),
        ..Default::default()
    };
    assert_eq!(
        list_ids(&db, &by_name(&[" gallup korea"])).await,
        vec![2, 3]
    );
    db.add_pollster_alias("RM", "Realmeter").await.unwrap();
    assert_eq!(list_ids(&db, &by_name(&["rm"])).await, vec![1]);
    assert_eq!(
        list_ids(&db, &by_name(&["RM", "Gallup Korea"])).await,
        vec![2, 3, 1]
    );
    assert!(list_ids(&db, &by_name(&["Nobody"])).await.is_empty());

    // Dates: the field midpoint when there are field dates, else the publication date.
    let between = |since: Option<&str>, until: Option<&str>| PollFilter {
        since: since.map(d),
        until: until.map(d),
        ..Default::default()
    };
    assert_eq!(
        list_ids(&db, &between(Some("2016-11-16"), Some("2016-11-16"))).await,
        vec![2]
    );
    assert!(
        list_ids(&db, &between(Some("2016-11-17"), Some("2016-11-18")))
            .await
            .is_empty(),
        "the publication date of a poll with field dates does not count"
    );
    assert_eq!(
        list_ids(&db, &between(Some("2019-08-21"), Some("2019-08-21"))).await,
        vec![3]
    );
    assert_eq!(
        list_ids(&db, &between(Some("2019-08-22"), None)).await,
        vec![1]
    );
    assert_eq!(
        list_ids(&db, &between(None, Some("2019-08-21"))).await,
        vec![2, 3]
    );
    assert!(
        list_ids(&db, &between(Some("2019-08-23"), None))
            .await
            .is_empty()
    );

    // Population: case-insensitive and trimmed; only that population's result sets are kept.
    let lv = PollFilter {
        population: Some(" LV ".into()),
        ..Default::default()
    };
    let polls = db.list_polls(&lv).await.unwrap();
    assert_eq!(polls.len(), 1);
    assert_eq!(polls[0].id, Some(1));
    assert_eq!(polls[0].results.len(), 1);
    assert_eq!(polls[0].results[0].population, "lv");
    let adults = PollFilter {
        population: Some("a".into()),
        ..Default::default()
    };
    let polls = db.list_polls(&adults).await.unwrap();
    assert_eq!(
        polls.iter().filter_map(|p| p.id).collect::<Vec<_>>(),
        vec![2, 3, 1]
    );
    assert_eq!(polls[2].results.len(), 1);
    assert_eq!(polls[2].results[0].question, "kr-moon");

    // Filters combine.
    let combined = PollFilter {
        questions: vec!["kr-moon".into()],
        pollsters: vec!["Gallup Korea".into()],
        since: Some(d("2019-01-01")),
        until: Some(d("2019-12-31")),
        population: Some("a".into()),
    };
    assert_eq!(list_ids(&db, &combined).await, vec![3]);
    db.close().await.expect("close the database");
}

// ---------------------------------------------------------------------------------------------
// Pollsters
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn list_pollsters_gives_aliases_counts_and_date_spans() {
    let (_dir, db) = fresh().await;
    assert!(db.list_pollsters().await.unwrap().is_empty());
    add_three(&db).await;
    db.add_poll(&poll("ipsos", "kr-moon", "2019-09-01"), false)
        .await
        .unwrap();
    db.add_pollster_alias("Gallup", "Gallup Korea")
        .await
        .unwrap();
    db.add_pollster_alias("GK", "Gallup Korea").await.unwrap();
    db.delete_poll(4).await.unwrap();

    let pollsters = db.list_pollsters().await.unwrap();
    let names: Vec<&str> = pollsters.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(
        names,
        vec!["Gallup Korea", "ipsos", "Realmeter"],
        "by name, any case"
    );
    let gallup = &pollsters[0];
    assert_eq!(gallup.aliases, vec!["Gallup", "GK"]);
    assert_eq!(gallup.polls, 2);
    assert_eq!(gallup.first_date, Some(d("2016-11-16")));
    assert_eq!(gallup.last_date, Some(d("2019-08-21")));
    let ipsos = &pollsters[1];
    assert!(ipsos.aliases.is_empty());
    assert_eq!(
        ipsos.polls, 0,
        "a pollster whose polls were deleted stays, with none"
    );
    assert_eq!(ipsos.first_date, None);
    assert_eq!(ipsos.last_date, None);
    let realmeter = &pollsters[2];
    assert_eq!(realmeter.polls, 1);
    assert_eq!(realmeter.first_date, Some(d("2019-08-22")));
    assert_eq!(realmeter.last_date, Some(d("2019-08-22")));
    db.close().await.expect("close the database");
}

#[tokio::test]
async fn add_pollster_alias_resolves_names_and_refuses_clashes() {
    let (_dir, db) = fresh().await;
    add_three(&db).await;
    assert_eq!(
        db.add_pollster_alias(" Gallup ", "GALLUP KOREA")
            .await
            .unwrap(),
        "Gallup Korea"
    );
    // The pollster may be named through an alias too.
    assert_eq!(
        db.add_pollster_alias("GK", "gallup").await.unwrap(),
        "Gallup Korea"
    );

    assert_error(
        db.add_pollster_alias("  ", "Gallup Korea").await,
        ErrorKind::Invalid,
        &["alias is empty"],
    );
    assert_error(
        db.add_pollster_alias("gk", "Gallup Korea").await,
        ErrorKind::Conflict,
        &["\"gk\" already stands for Gallup Korea"],
    );
    assert_error(
        db.add_pollster_alias("gallup korea", "Gallup Korea").await,
        ErrorKind::Conflict,
        &["already stands for Gallup Korea"],
    );
    assert_error(
        db.add_pollster_alias("realmeter", "Gallup Korea").await,
        ErrorKind::Conflict,
        &[
            "already stands for the pollster Realmeter",
            "polltrack pollster merge \"Realmeter\" \"Gallup Korea\"",
        ],
    );
    assert_error(
        db.add_pollster_alias("GK", "Realmeter").await,
        ErrorKind::Conflict,
        &["already stands for the pollster Gallup Korea"],
    );
    assert_error(
        db.add_pollster_alias("Nobody Else", "Nobody").await,
        ErrorKind::NotFound,
        &["there is no pollster \"Nobody\"", "pollster list"],
    );
    let pollsters = db.list_pollsters().await.unwrap();
    assert_eq!(pollsters[0].aliases, vec!["Gallup", "GK"]);
    assert!(pollsters[1].aliases.is_empty());
    db.close().await.expect("close the database");
}

#[tokio::test]
async fn merge_pollsters_moves_polls_records_history_and_keeps_the_old_name_as_alias() {
    let (_dir, db) = fresh().await;
    add_three(&db).await;
    db.add_poll(&poll("Realmeter", "kr-gsomia", "2019-09-01"), false)
        .await
        .unwrap();
    db.add_pollster_alias("RM", "Realmeter").await.unwrap();

    let moved = db
        .merge_pollsters("realmeter", "Gallup Korea")
        .await
        .unwrap();
    assert_eq!(moved, 2);

    let pollsters = db.list_pollsters().await.unwrap();
    assert_eq!(pollsters.len(), 1);
    assert_eq!(pollsters[0].name, "Gallup Korea");
    assert_eq!(pollsters[0].aliases, vec!["Realmeter", "RM"]);
    assert_eq!(pollsters[0].polls, 4);
    assert_eq!(pollsters[0].first_date, Some(d("2016-11-16")));
    assert_eq!(pollsters[0].last_date, Some(d("2019-09-01")));
    for id in 1..=4 {
        assert_eq!(db.get_poll(id).await.unwrap().pollster, "Gallup Korea");
    }

    let history = db.history(None).await.unwrap();
    assert_eq!(
        history.iter().map(|c| c.poll_id).collect::<Vec<_>>(),
        vec![1, 4]
    );
    for c in &history {
        assert_eq!(c.action, "edit");
        assert_eq!(
            (
                c.field.as_str(),
                c.old_value.as_deref(),
                c.new_value.as_deref()
            ),
            ("pollster", Some("Realmeter"), Some("Gallup Korea"))
        );
    }
    // The old name and its aliases now stand for the pollster merged into.
    for name in ["Realmeter", "rm"] {
        let filter = PollFilter {
            pollsters: vec![name.into()],
            ..Default::default()
        };
        assert_eq!(list_ids(&db, &filter).await, vec![2, 3, 1, 4]);
    }
    db.add_poll(&poll("REALMETER", "kr-moon", "2019-10-01"), false)
        .await
        .unwrap();
    assert_eq!(db.get_poll(5).await.unwrap().pollster, "Gallup Korea");
    // A duplicate is found through the alias too.
    assert_error(
        db.add_poll(&poll("Realmeter", "kr-moon", "2019-10-01"), false)
            .await,
        ErrorKind::Conflict,
        &["poll 5"],
    );
    db.close().await.expect("close the database");
}

#[tokio::test]
async fn merge_pollsters_refuses_unknown_and_identical_pollsters() {
    let (_dir, db) = fresh().await;
    add_three(&db).await;
    db.add_pollster_alias("GK", "Gallup Korea").await.unwrap();
    assert_error(
        db.merge_pollsters("GK", "gallup korea").await,
        ErrorKind::Usage,
        &["are the same pollster, Gallup Korea"],
    );
    assert_error(
        db.merge_pollsters("Nobody", "Gallup Korea").await,
        ErrorKind::NotFound,
        &["there is no pollster \"Nobody\""],
    );
    assert_error(
        db.merge_pollsters("Realmeter", "Nobody").await,
        ErrorKind::NotFound,
        &["no pollster \"Nobody\""],
    );
    assert_eq!(db.list_pollsters().await.unwrap().len(), 2);
    assert!(db.history(None).await.unwrap().is_empty());
    db.close().await.expect("close the database");
}

// ---------------------------------------------------------------------------------------------
// Questions
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn list_questions_counts_polls_and_date_spans() {
    let (_dir, db) = fresh().await;
    assert!(db.list_questions().await.unwrap().is_empty());
    add_three(&db).await;
    let questions = db.list_questions().await.unwrap();
    assert_eq!(questions.len(), 2);
    let gsomia = &questions[0];
    assert_eq!(gsomia.slug, "kr-gsomia");
    assert_eq!(gsomia.wording, "Wording of kr-gsomia");
    assert_eq!(gsomia.topic, None);
    assert_eq!(gsomia.polls, 2);
    assert_eq!(gsomia.first_date, Some(d("2016-11-16")));
    assert_eq!(gsomia.last_date, Some(d("2019-08-22")));
    let moon = &questions[1];
    assert_eq!(moon.slug, "kr-moon");
    assert_eq!(moon.polls, 2);
    assert_eq!(moon.first_date, Some(d("2019-08-21")));
    assert_eq!(moon.last_date, Some(d("2019-08-22")));

    // A poll with two populations of one question counts once.
    db.add_results(
        2,
        vec![result("kr-gsomia", "lv", &[("Oppose", 60.0)])],
        vec![],
    )
    .await
    .unwrap();
    assert_eq!(db.list_questions().await.unwrap()[0].polls, 2);
    db.close().await.expect("close the database");
}

#[tokio::test]
async fn get_question_gives_populations_answers_and_pollsters() {
    let (_dir, db) = fresh().await;
    add_three(&db).await;
    db.add_poll(
        &Poll {
            results: vec![result(
                "kr-gsomia",
                "a",
                &[("oppose", 55.0), ("Unsure", 9.0)],
            )],
            ..poll("Realmeter", "kr-gsomia", "2019-09-01")
        },
        false,
    )
    .await
    .unwrap();
    let detail = db.get_question("kr-gsomia").await.unwrap();
    assert_eq!(detail.question.slug, "kr-gsomia");
    assert_eq!(detail.question.wording, "Wording of kr-gsomia");
    assert_eq!(detail.question.polls, 3);
    assert_eq!(detail.question.first_date, Some(d("2016-11-16")));
    assert_eq!(detail.question.last_date, Some(d("2019-09-01")));
    assert_eq!(
        detail.populations,
        vec![("a".to_string(), 2), ("lv".to_string(), 1)]
    );
    // Labels are counted whatever their case.
    assert_eq!(
        detail.answers,
        vec![
            ("Oppose".to_string(), 3),
            ("Support".to_string(), 2),
            ("Unsure".to_string(), 1),
        ]
    );
    assert_eq!(detail.pollsters, 2);

    assert_error(
        db.get_question("kr-nothing").await,
        ErrorKind::NotFound,
        &["there is no question kr-nothing", "question list"],
    );
    db.close().await.expect("close the database");
}

#[tokio::test]
async fn rename_question_changes_slug_wording_and_topic() {
    let (_dir, db) = fresh().await;
    add_three(&db).await;
    db.rename_question(
        "kr-gsomia",
        " kr-gsomia-2016 ",
        Some(" New wording "),
        Some("defence"),
    )
    .await
    .unwrap();
    assert_error(
        db.get_question("kr-gsomia").await,
        ErrorKind::NotFound,
        &["no question kr-gsomia"],
    );
    let renamed = db.get_question("kr-gsomia-2016").await.unwrap();
    assert_eq!(renamed.question.wording, "New wording");
    assert_eq!(renamed.question.topic.as_deref(), Some("defence"));
    assert_eq!(renamed.question.polls, 2);
    assert_eq!(
        db.get_poll(2).await.unwrap().results[0].question,
        "kr-gsomia-2016"
    );
    let filter = PollFilter {
        questions: vec!["kr-gsomia-2016".into()],
        ..Default::default()
    };
    assert_eq!(list_ids(&db, &filter).await, vec![2, 1]);

    // Keeping the slug, only the topic changes; the wording stays when not given.
    db.rename_question("kr-moon", "kr-moon", None, Some("approval"))
        .await
        .unwrap();
    let moon = db.get_question("kr-moon").await.unwrap().question;
    assert_eq!(moon.topic.as_deref(), Some("approval"));
    assert_eq!(moon.wording, "Wording of kr-moon");

    assert_error(
        db.rename_question("kr-moon", "kr-gsomia-2016", None, None)
            .await,
        ErrorKind::Conflict,
        &["question kr-gsomia-2016 exists already"],
    );
    assert_error(
        db.rename_question("kr-moon", "kr moon", None, None).await,
        ErrorKind::Invalid,
        &["\"kr moon\" must be a short key without spaces"],
    );
    assert_error(
        db.rename_question("kr-moon", "  ", None, None).await,
        ErrorKind::Invalid,
        &["must be a short key"],
    );
    assert_error(
        db.rename_question("kr-moon", "kr-moon", Some(" "), None)
            .await,
        ErrorKind::Invalid,
        &["the wording is empty"],
    );
    assert_error(
        db.rename_question("kr-nothing", "kr-else", None, None)
            .await,
        ErrorKind::NotFound,
        &["there is no question kr-nothing"],
    );
    let slugs: Vec<String> = db
        .list_questions()
        .await
        .unwrap()
        .into_iter()
        .map(|q| q.slug)
        .collect();
    assert_eq!(slugs, vec!["kr-gsomia-2016", "kr-moon"]);
    db.close().await.expect("close the database");
}

// ---------------------------------------------------------------------------------------------
// Sources
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn add_source_records_links_and_completes_by_url() {
    let (_dir, db) = fresh().await;
    add_three(&db).await;
    let first = Source {
        url: Some("https://example.org/a".into()),
        ..Default::default()
    };
    assert_eq!(db.add_source(&first, &[1, 2]).await.unwrap(), 1);
    let stored = db.get_source("1").await.unwrap();
    assert_eq!(stored.source.url.as_deref(), Some("https://example.org/a"));
    assert_eq!(stored.source.title, None);
    assert_eq!(stored.polls, vec![1, 2]);

    // The same URL again fills in what was missing and links more polls; nothing is replaced.
    let more = Source {
        url: Some("https://example.org/a".into()),
        title: Some("Polls roundup".into()),
        outlet: Some("Yonhap".into()),
        published_on: Some(d("2019-08-30")),
        id: None,
    };
    assert_eq!(db.add_source(&more, &[3, 1]).await.unwrap(), 1);
    let stored = db.get_source("https://example.org/a").await.unwrap();
    assert_eq!(
        stored.source,
        Source {
            id: Some(1),
            ..more.clone()
        }
    );
    assert_eq!(stored.polls, vec![1, 2, 3]);
    let other_title = Source {
        title: Some("Another title".into()),
        ..more.clone()
    };
    assert_eq!(db.add_source(&other_title, &[]).await.unwrap(), 1);
    assert_eq!(
        db.get_source("1").await.unwrap().source.title.as_deref(),
        Some("Polls roundup")
    );

    // A source with a title only, linked to no poll.
    let untitled_url = Source {
        title: Some("Gallup Korea Daily Opinion".into()),
        outlet: Some("Gallup Korea".into()),
        ..Default::default()
    };
    assert_eq!(db.add_source(&untitled_url, &[]).await.unwrap(), 2);
    assert!(db.get_source("2").await.unwrap().polls.is_empty());
    // The same title, outlet and date is the same source.
    assert_eq!(db.add_source(&untitled_url, &[2]).await.unwrap(), 2);
    assert_eq!(db.get_source("2").await.unwrap().polls, vec![2]);

    assert_error(
        db.add_source(&Source::default(), &[1]).await,
        ErrorKind::Invalid,
        &["needs a URL or a title"],
    );
    let new = source("https://example.org/b");
    assert_error(
        db.add_source(&new, &[1, 9]).await,
        ErrorKind::NotFound,
        &["there is no poll 9"],
    );
    assert_error(
        db.get_source("https://example.org/b").await,
        ErrorKind::NotFound,
        &["there is no source https://example.org/b"],
    );
    assert_eq!(db.list_sources(None).await.unwrap().len(), 2);
    db.close().await.expect("close the database");
}

#[tokio::test]
async fn link_source_by_id_and_by_url() {
    let (_dir, db) = fresh().await;
    add_three(&db).await;
    let id = db
        .add_source(&source("https://example.org/a"), &[])
        .await
        .unwrap();
    assert_eq!(id, 1);
    assert_eq!(db.link_source("1", &[2]).await.unwrap(), 1);
    assert_eq!(
        db.link_source(" https://example.org/a ", &[3, 2])
            .await
            .unwrap(),
        1
    );
    assert_eq!(db.get_source("1").await.unwrap().polls, vec![2, 3]);
    assert_eq!(db.get_poll(3).await.unwrap().sources[0].id, Some(1));

    assert_error(
        db.link_source("1", &[1, 44]).await,
        ErrorKind::NotFound,
        &["there is no poll 44"],
    );
    assert_eq!(
        db.get_source("1").await.unwrap().polls,
        vec![2, 3],
        "a refused link links nothing"
    );
    assert_error(
        db.link_source("7", &[1]).await,
        ErrorKind::NotFound,
        &["there is no source 7", "source list"],
    );
    assert_error(
        db.link_source("https://nowhere.example", &[1]).await,
        ErrorKind::NotFound,
        &["there is no source https://nowhere.example"],
    );
    db.close().await.expect("close the database");
}

#[tokio::test]
async fn list_sources_all_and_for_one_poll() {
    let (_dir, db) = fresh().await;
    assert!(db.list_sources(None).await.unwrap().is_empty());
    add_three(&db).await;
    let late = Source {
        url: Some("https://example.org/late".into()),
        published_on: Some(d("2019-08-30")),
        ..Default::default()
    };
    let early = Source {
        url: Some("https://example.org/early".into()),
        published_on: Some(d("2016-11-18")),
        ..Default::default()
    };
    let undated = Source {
        title: Some("Undated release".into()),
        ..Default::default()
    };
    assert_eq!(db.add_source(&late, &[3, 1]).await.unwrap(), 1);
    assert_eq!(db.add_source(&early, &[2]).await.unwrap(), 2);
    assert_eq!(db.add_source(&undated, &[]).await.unwrap(), 3);

    let all = db.list_sources(None).await.unwrap();
    let summary: Vec<(Option<i64>, Vec<i64>)> =
        all.iter().map(|s| (s.source.id, s.polls.clone())).collect();
    assert_eq!(
        summary,
        vec![(Some(3), vec![]), (Some(2), vec![2]), (Some(1), vec![1, 3])],
        "by publication date (unknown first), then id"
    );
    assert_eq!(
        all[2].source.url.as_deref(),
        Some("https://example.org/late")
    );
    assert_eq!(all[0].source.title.as_deref(), Some("Undated release"));

    let of_poll_3 = db.list_sources(Some(3)).await.unwrap();
    assert_eq!(of_poll_3.len(), 1);
    assert_eq!(of_poll_3[0].source.id, Some(1));
    assert_eq!(
        of_poll_3[0].polls,
        vec![1, 3],
        "with all the polls it reported"
    );
    assert_eq!(
        db.list_sources(Some(2)).await.unwrap()[0].source.id,
        Some(2)
    );

    db.add_poll(&poll("Realmeter", "kr-moon", "2019-09-01"), false)
        .await
        .unwrap();
    assert!(db.list_sources(Some(4)).await.unwrap().is_empty());
    assert_error(
        db.list_sources(Some(9)).await,
        ErrorKind::NotFound,
        &["there is no poll 9"],
    );
    db.close().await.expect("close the database");
}

#[tokio::test]
async fn get_source_by_id_and_by_url() {
    let (_dir, db) = fresh().await;
    let mut p = poll("Gallup Korea", "kr-gsomia", "2016-11-18");
    p.sources = vec![Source {
        url: Some("https://example.org/g".into()),
        title: Some("Gallup daily".into()),
        outlet: Some("Gallup Korea".into()),
        published_on: Some(d("2016-11-18")),
        id: None,
    }];
    db.add_poll(&p, false).await.unwrap();
    p.published_on = Some(d("2016-11-25"));
    db.add_poll(&p, false).await.unwrap();

    let by_id = db.get_source("1").await.unwrap();
    let by_url = db.get_source(" https://example.org/g ").await.unwrap();
    assert_eq!(by_id, by_url);
    assert_eq!(by_id.source.id, Some(1));
    assert_eq!(by_id.source.title.as_deref(), Some("Gallup daily"));
    assert_eq!(by_id.source.outlet.as_deref(), Some("Gallup Korea"));
    assert_eq!(by_id.source.published_on, Some(d("2016-11-18")));
    assert_eq!(by_id.polls, vec![1, 2], "both polls share the one source");

    assert_error(
        db.get_source("2").await,
        ErrorKind::NotFound,
        &["there is no source 2"],
    );
    assert_error(
        db.get_source("https://example.org/other").await,
        ErrorKind::NotFound,
        &["no source https://example.org/other"],
    );
    // A deleted poll is no longer listed under its source.
    db.delete_poll(1).await.unwrap();
    assert_eq!(db.get_source("1").await.unwrap().polls, vec![2]);
    db.close().await.expect("close the database");
}

// ---------------------------------------------------------------------------------------------
// history
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn history_lists_all_changes_or_one_polls_oldest_first() {
    let (_dir, db) = fresh().await;
    assert!(db.history(None).await.unwrap().is_empty());
    add_three(&db).await;
    assert!(
        db.history(None).await.unwrap().is_empty(),
        "adding is not a change"
    );
    assert!(db.history(Some(1)).await.unwrap().is_empty());

    let mut first = db.get_poll(1).await.unwrap();
    first.mode = Some("Online".into());
    db.update_poll(1, &first).await.unwrap();
    db.delete_poll(2).await.unwrap();
    first.tracking = true;
    db.update_poll(1, &first).await.unwrap();

    let all = db.history(None).await.unwrap();
    let summary: Vec<(i64, i64, &str, &str)> = all
        .iter()
        .map(|c| (c.id, c.poll_id, c.action.as_str(), c.field.as_str()))
        .collect();
    assert_eq!(
        summary,
        vec![
            (1, 1, "edit", "mode"),
            (2, 2, "delete", "poll"),
            (3, 1, "edit", "tracking"),
        ]
    );
    assert_eq!(all[0].old_value, None);
    assert_eq!(all[0].new_value.as_deref(), Some("Online"));
    assert_eq!(all[2].old_value.as_deref(), Some("false"));
    assert_eq!(all[2].new_value.as_deref(), Some("true"));
    assert!(all.iter().all(|c| c.changed_at.len() == 19));

    let of_one = db.history(Some(1)).await.unwrap();
    assert_eq!(of_one.iter().map(|c| c.id).collect::<Vec<_>>(), vec![1, 3]);
    let of_two = db.history(Some(2)).await.unwrap();
    assert_eq!(of_two.len(), 1);
    assert_eq!(of_two[0].action, "delete");
    assert!(db.history(Some(3)).await.unwrap().is_empty());
    assert!(matches!(
        db.history(Some(99)).await,
        Err(crate::Error::NotFound { .. })
    ));
    db.close().await.expect("close the database");
}

#[tokio::test]
async fn percentages_come_back_exactly_as_stored() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = SqliteStore::open(&dir.path().join("polls.db"), Access::Create)
        .await
        .expect("open");
    let mut poll = crate::model::Poll {
        pollster: "Exact".into(),
        published_on: crate::model::parse_date("2020-01-01").ok(),
        results: vec![crate::model::ResultSet {
            question: "exact".into(),
            wording: Some("Exact?".into()),
            population: "a".into(),
            answers: vec![
                crate::model::Answer {
                    label: "Third".into(),
                    pct: 100.0 / 3.0,
                },
                crate::model::Answer {
                    label: "Tenths".into(),
                    pct: 0.1 + 0.2,
                },
                crate::model::Answer {
                    label: "Tiny".into(),
                    pct: 1e-7,
                },
            ],
            ..Default::default()
        }],
        ..Default::default()
    };
    let id = db.add_poll(&poll, false).await.expect("add").id;
    let stored = db.get_poll(id).await.expect("get");
    poll.results[0].wording = stored.results[0].wording.clone();
    assert_eq!(stored.results[0].answers, poll.results[0].answers);
    db.close().await.expect("close the database");
}

#[tokio::test]
async fn a_long_series_read_in_two_halves_has_every_result_set_once() {
    let (_dir, db) = fresh().await;
    let first = d("2000-01-01");
    let polls: Vec<Poll> = (0..25_000)
        .map(|i| {
            let mut p = poll(&format!("Pollster {}", i % 7), "q", "2000-01-01");
            p.published_on = Some(first + chrono::Duration::days(i / 10));
            p.results[0].wording = Some("Q?".into());
            p.results[0].answers[0].pct = (i % 60) as f64 + 0.5;
            p
        })
        .collect();
    let (ids, _) = db.insert_polls(&polls).await.expect("insert");
    let filter = crate::db::SeriesFilter {
        question: "q".into(),
        ..Default::default()
    };
    let results = db.poll_results(&filter).await.expect("read");
    let mut read: Vec<i64> = results.iter().map(|r| r.poll_id).collect();
    read.sort();
    assert_eq!(read, ids, "every poll once");
    let last = results
        .iter()
        .find(|r| r.poll_id == ids[24_999])
        .expect("the last poll");
    assert_eq!(last.answers[0], ("Oppose".into(), 24_999.0 % 60.0 + 0.5));
    assert_eq!(&*last.pollster, "Pollster 2");
}

#[tokio::test]
async fn a_series_read_while_polls_by_new_pollsters_are_committed_never_fails() {
    let (dir, db) = fresh().await;
    let polls: Vec<Poll> = (0..21_000)
        .map(|i| poll(&format!("Pollster {}", i % 7), "q", "2000-01-01"))
        .collect();
    let (ids, _) = db.insert_polls(&polls).await.expect("insert");
    db.close().await.expect("close");
    let reader = SqliteStore::open(&db_path(&dir), Access::ReadExisting)
        .await
        .expect("open to read");
    let writer = SqliteStore::open(&db_path(&dir), Access::Create)
        .await
        .expect("open to write");
    let filter = crate::db::SeriesFilter {
        question: "q".into(),
        ..Default::default()
    };
    let reading = async {
        let mut counts = Vec::new();
        for _ in 0..8 {
            let results = reader
                .poll_results(&filter)
                .await
                .expect("a read never fails");
            let mut read: Vec<i64> = results.iter().map(|r| r.poll_id).collect();
            read.sort();
            read.dedup();
            assert_eq!(read.len(), results.len(), "every poll once");
            assert_eq!(read[..ids.len()], ids[..], "every poll stored before");
            counts.push(read.len());
        }
        counts
    };
    let writing = async {
        for i in 0..40 {
            writer
                .add_poll(
                    &poll(&format!("New pollster {i}"), "q", "2001-01-01"),
                    false,
                )
                .await
                .expect("add");
            tokio::task::yield_now().await;
        }
    };
    let (counts, ()) = tokio::join!(reading, writing);
    assert!(counts.windows(2).all(|w| w[0] <= w[1]), "{counts:?}");
    let all = reader.poll_results(&filter).await.expect("read");
    assert_eq!(all.len(), ids.len() + 40);
    reader.close().await.expect("close");
    writer.close().await.expect("close");
}

/// Polls of three questions, one asked in most polls, one in few (so its result sets are far
/// apart in the file), with several populations, missing dates and sample sizes.
fn mixed_polls(count: usize) -> Vec<Poll> {
    let first = d("2010-01-01");
    (0..count)
        .map(|i| {
            let day = first + chrono::Duration::days((i * 7 % 1500) as i64);
            let pct = (i % 37) as f64 + 0.25 * (i % 4) as f64;
            let mut p = poll(&format!("Pollster {}", i % 5), "big", "2010-01-01");
            p.published_on = Some(day + chrono::Duration::days(3));
            if i % 3 != 0 {
                p.field_start = Some(day - chrono::Duration::days((i % 4) as i64));
                p.field_end = Some(day);
                // Some polls with field dates have no publication day: they became known
                // when they were recorded.
                if i % 5 == 0 {
                    p.published_on = None;
                }
            }
            p.tracking = i % 11 == 0;
            p.results = vec![result("big", "a", &[("Yes", pct), ("No", 90.0 - pct)])];
            p.results[0].sample_size = (i % 6 != 0).then_some(500.0 + (i % 9) as f64 * 0.5);
            if i % 4 == 0 {
                p.results
                    .push(result("big", "lv", &[("Yes", pct + 1.0), ("No", 60.0)]));
            }
            if i % 50 == 0 {
                p.results
                    .push(result("small", "rv", &[("Maybe", 12.5), ("A", 1.0 / 3.0)]));
            }
            if i % 2 == 0 {
                p.results.push(result("other", "a", &[("Z", 3.0)]));
            }
            p
        })
        .collect()
}

#[tokio::test]
async fn poll_results_match_the_polls_stored_under_every_filter() {
    let (_dir, db) = fresh().await;
    // Enough for the whole of "big" to be read in two halves (20,000 result sets or more),
    // while date-filtered reads of it and "small" are read in one.
    let mut polls = mixed_polls(20_000);
    let (ids, _) = db.insert_polls(&polls).await.expect("insert");
    // Stored polls carry their creation timestamp, which a poll without a publication day is
    // known from; the polls inserted at once share one.
    let stamp = db.get_poll(ids[0]).await.expect("get").created_at;
    assert!(stamp.is_some());
    for poll in &mut polls {
        poll.created_at = stamp.clone();
    }
    assert!(polls.iter().any(|p| p.published_on.is_none()));
    let filters = [
        ("big", vec![], vec![], None, None, None),
        ("small", vec![], vec![], None, None, None),
        (
            "big",
            vec!["pollster 1", "Pollster 3"],
            vec![],
            Some("2011-01-01"),
            None,
            None,
        ),
        (
            "big",
            vec![],
            vec!["Pollster 0"],
            None,
            Some("2012-06-30"),
            Some("LV"),
        ),
        (
            "small",
            vec![],
            vec![],
            Some("2010-03-01"),
            Some("2013-01-01"),
            Some("rv"),
        ),
        ("big", vec![], vec![], None, None, Some("nobody")),
    ];
    for (question, pollsters, excluded, since, until, population) in filters {
        let filter = crate::db::SeriesFilter {
            question: question.into(),
            pollsters: pollsters.iter().map(|p| p.to_string()).collect(),
            exclude_pollsters: excluded.iter().map(|p| p.to_string()).collect(),
            since: since.map(d),
            until: until.map(d),
            population: population.map(str::to_string),
        };
        let key = |name: &str| name.to_lowercase();
        let mut expected: Vec<PollResult> = polls
            .iter()
            .zip(&ids)
            .flat_map(|(poll, &id)| PollResult::from_poll(poll, id, question))
            .filter(|r| {
                (pollsters.is_empty() || pollsters.iter().any(|p| key(p) == key(&r.pollster)))
                    && !excluded.iter().any(|p| key(p) == key(&r.pollster))
                    && since.is_none_or(|s| r.date >= d(s))
                    && until.is_none_or(|u| r.date <= d(u))
                    && population.is_none_or(|p| key(p) == key(&r.population))
            })
            .collect();
        let mut read = db.poll_results(&filter).await.expect("read");
        for results in [&mut expected, &mut read] {
            results.sort_by(|a, b| {
                (a.date, a.poll_id, &a.population).cmp(&(b.date, b.poll_id, &b.population))
            });
            for result in results.iter_mut() {
                result.answers.sort_by(|a, b| a.0.cmp(&b.0));
            }
        }
        assert_eq!(read.len(), expected.len(), "{filter:?}");
        assert_eq!(read, expected, "{filter:?}");
        if population != Some("nobody") {
            assert!(!read.is_empty(), "{filter:?} chooses some result sets");
        }
    }
    db.close().await.expect("close the database");
}

#[tokio::test]
async fn questions_of_an_older_database_gain_an_unset_kind_and_only_known_kinds_are_stored() {
    use sqlx::sqlite::{SqliteConnectOptions, SqlitePoolOptions};
    let dir = TempDir::new().unwrap();
    let path = db_path(&dir);
    // A file of the first schema only, with a question, as an older polltrack left it.
    let pool = SqlitePoolOptions::new()
        .max_connections(1)
        .connect_with(
            SqliteConnectOptions::new()
                .filename(&path)
                .create_if_missing(true),
        )
        .await
        .unwrap();
    let first = super::MIGRATOR.iter().next().unwrap().clone();
    let older = sqlx::migrate::Migrator {
        migrations: std::borrow::Cow::Owned(vec![first]),
        ..sqlx::migrate::Migrator::DEFAULT
    };
    older.run(&pool).await.unwrap();
    sqlx::query("INSERT INTO question (slug, wording) VALUES ('kr-gsomia', 'GSOMIA?')")
        .execute(&pool)
        .await
        .unwrap();
    pool.close().await;

    let db = SqliteStore::open(&path, Access::Create).await.unwrap();
    assert_eq!(db.question_kind("kr-gsomia").await.unwrap(), None);
    let listed = db.list_questions().await.unwrap();
    assert_eq!(listed[0].kind, None);
    let old = db
        .set_question_kind("kr-gsomia", Some(crate::model::QuestionKind::Issue))
        .await
        .unwrap();
    assert_eq!(old, None);
    assert_eq!(
        db.get_question("kr-gsomia").await.unwrap().question.kind,
        Some(crate::model::QuestionKind::Issue)
    );
    assert_error(
        db.question_kind("nothing").await,
        ErrorKind::NotFound,
        &["there is no question nothing"],
    );
    db.close().await.expect("close the database");

    // The schema itself refuses a kind polltrack does not know, whoever writes it.
    let pool = SqlitePoolOptions::new()
        .max_connections(1)
        .connect_with(SqliteConnectOptions::new().filename(&path))
        .await
        .unwrap();
    let refused = sqlx::query("UPDATE question SET kind = 'horse race'")
        .execute(&pool)
        .await;
    assert!(
        refused
            .unwrap_err()
            .to_string()
            .contains("CHECK constraint failed"),
    );
    pool.close().await;
}

#[tokio::test]
async fn an_edit_that_copies_another_poll_is_refused_as_a_duplicate() {
    let (_dir, db) = fresh().await;
    db.add_poll(&poll("Gallup Korea", "kr-gsomia", "2016-11-18"), false)
        .await
        .unwrap();
    db.add_poll(&poll("Realmeter", "kr-gsomia", "2016-11-18"), false)
        .await
        .unwrap();
    let add_refused = db
        .add_poll(&poll("gallup korea", "kr-gsomia", "2016-11-18"), false)
        .await
        .unwrap_err();
    let mut copy = db.get_poll(2).await.unwrap();
    copy.pollster = "Gallup Korea".into();
    let edit_refused = db.update_poll(2, &copy).await.unwrap_err();
    assert_eq!(edit_refused.kind(), crate::error::ErrorKind::Conflict);
    assert_eq!(edit_refused.to_string(), add_refused.to_string());
    assert_eq!(db.get_poll(2).await.unwrap().pollster, "Realmeter");
    // On purpose it may; after that, other edits of the copy go through.
    db.edit_poll(2, &copy, true).await.unwrap();
    copy.notes = Some("reported twice".into());
    db.update_poll(2, &copy).await.unwrap();
    db.close().await.expect("close the database");
}

#[tokio::test]
async fn new_ids_never_overflow_past_the_largest() {
    let (_dir, db) = fresh().await;
    let mut importer = db.importer(crate::db::OnConflict::Refuse).await.unwrap();
    let largest = crate::model::MAX_POLL_ID;
    let outcomes = importer
        .add(vec![(
            poll("Ipsos", "kr-gsomia", "2016-11-18"),
            Some(largest),
        )])
        .await
        .unwrap();
    assert_eq!(outcomes, vec![crate::db::Outcome::Added(largest)]);
    importer.commit().await.unwrap();
    let outcome = db
        .add_poll(&poll("Realmeter", "kr-gsomia", "2016-11-18"), false)
        .await
        .unwrap();
    assert_eq!(outcome.id, 1);
    db.close().await.expect("close the database");
}

#[tokio::test]
async fn polls_deleted_before_the_deleted_table_are_found_from_the_history() {
    let (_dir, db) = fresh().await;
    let id = db
        .add_poll(&poll("Forsa", "de-bundestag", "2021-09-26"), false)
        .await
        .unwrap()
        .id;
    db.delete_poll(id).await.unwrap();
    // As a database of the schema before: the table empty, the delete only in the history.
    sqlx::raw_sql("DROP TABLE deleted_result")
        .execute(&db.pool)
        .await
        .unwrap();
    sqlx::raw_sql(include_str!(
        "../../../migrations/sqlite/20261230000000_deleted_polls.sql"
    ))
    .execute(&db.pool)
    .await
    .unwrap();
    let rows: Vec<(i64, String, Option<String>, String, String)> = sqlx::query_as(
        "SELECT poll_id, pollster, published_on, question, population FROM deleted_result",
    )
    .fetch_all(&db.pool)
    .await
    .unwrap();
    assert_eq!(
        rows,
        vec![(
            id,
            "Forsa".to_string(),
            Some("2021-09-26".to_string()),
            "de-bundestag".to_string(),
            "a".to_string()
        )]
    );
    db.close().await.expect("close the database");
}

#[tokio::test]
async fn numbered_placeholders_bind_by_number_whatever_their_order_in_the_sql() {
    let (_dir, db) = fresh().await;
    let text: String = sqlx::query_scalar("SELECT $2 || $1 || $2 || $3")
        .bind("a")
        .bind("b")
        .bind("c")
        .fetch_one(&db.pool)
        .await
        .expect("numbered placeholders");
    assert_eq!(text, "babc");
    db.discard().await;
}
