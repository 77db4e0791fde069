//! Pollsters, questions and sources on PostgreSQL against SQLite's store: one database seeded
//! in SQL both schemas take, the same operations on each, the same answers and history rows.
//! (The storage contract covers them too, through polls the poll store writes.)

use crate::db::postgres::PgStore;
use crate::db::postgres::polls::read::load_one;
use crate::db::postgres::testing;
use crate::db::prelude::*;
use crate::db::sqlite::SqliteStore;
use crate::db::{Access, Store};
use crate::model::{Poll, PollFilter, QuestionKind, Rgb, Source};
use std::fmt::Debug;

/// Three pollsters (Ipsos without polls), an alias, two questions, three polls, two sources.
const SEED: &str = "
    INSERT INTO pollster (name, key) VALUES ('Gallup Korea', 'gallup korea'),
        ('Realmeter', 'realmeter'), ('Ipsos', 'ipsos');
    INSERT INTO pollster_alias (key, alias, pollster_id) VALUES ('gk', 'GK', 1);
    INSERT INTO question (slug, wording) VALUES ('kr-gsomia', 'GSOMIA?'), ('kr-moon', 'Moon?');
    INSERT INTO poll (pollster_id, published_on, created_at, updated_at)
        VALUES (1, '2016-11-18', '2026-01-02 03:04:05+00', '2026-01-02 03:04:05+00');
    INSERT INTO poll (pollster_id, published_on, created_at, updated_at)
        VALUES (2, '2019-08-22', '2026-01-02 03:04:05+00', '2026-01-02 03:04:05+00');
    INSERT INTO poll (pollster_id, field_start, field_end, created_at, updated_at)
        VALUES (1, '2019-08-20', '2019-08-23', '2026-01-02 03:04:05+00',
                '2026-01-02 03:04:05+00');
    INSERT INTO result_set (poll_id, question_id, population, poll_date) VALUES
        (1, 1, 'a', '2016-11-18'), (2, 1, 'lv', '2019-08-22'), (2, 2, 'a', '2019-08-22'),
        (3, 2, 'a', '2019-08-21'), (3, 2, 'A', '2019-08-21');
    INSERT INTO answer (result_set_id, position, label, pct) VALUES
        (1, 0, 'Oppose', 59), (1, 1, 'Support', 31), (2, 0, 'oppose', 50), (2, 1, 'Support', 40),
        (3, 0, 'Approve', 45), (4, 0, 'Disapprove', 50), (4, 1, 'approve', 44),
        (5, 0, 'Approve', 40);
    INSERT INTO source (url, title, created_at)
        VALUES ('https://example.org/a', 'A', '2026-01-02 03:04:05');
    INSERT INTO source (url, outlet, published_on, created_at)
        VALUES ('https://example.org/b', 'B', '2019-08-30', '2026-01-02 03:04:05');
    INSERT INTO poll_source (poll_id, source_id) VALUES (1, 1), (3, 2);";

/// What an operation answered, as text to compare: an error by its kind and message.
fn shown<T: Debug>(result: crate::error::Result<T>) -> String {
    match result {
        Ok(value) => format!("{value:?}"),
        Err(e) => format!("{:?}: {e}", e.kind()),
    }
}

/// The same operations of pollsters, questions and sources on `db`, and what each answered.
async fn run(db: &impl Store) -> Vec<String> {
    let red = Rgb::parse("#D62728").expect("a colour");
    let moon = PollFilter {
        questions: vec!["kr-moon".into()],
        pollsters: vec!["gk".into()],
        ..Default::default()
    };
    let unknown = PollFilter {
        pollsters: vec!["Nobody".into()],
        ..Default::default()
    };
    let new_source = Source {
        url: Some("https://example.org/c".into()),
        title: Some("C".into()),
        ..Default::default()
    };
    let completing = Source {
        url: Some("https://example.org/b".into()),
        title: Some("B's title".into()),
        ..Default::default()
    };
    let untitled = Source {
        outlet: Some("Only an outlet".into()),
        ..Default::default()
    };
    vec![
        shown(db.list_pollsters().await),
        shown(db.pollster_spellings().await),
        shown(db.add_pollster_alias(" RM ", "realmeter").await),
        shown(db.add_pollster_alias("gk", "Realmeter").await),
        shown(db.add_pollster_alias("RM", "Realmeter").await),
        shown(db.add_pollster_alias("  ", "Realmeter").await),
        shown(db.add_pollster_alias("X", "Nobody").await),
        shown(db.rename_pollster("Ipsos", "IPSOS", true).await),
        shown(db.rename_pollster("GK", "Gallup Korea (KR)", true).await),
        shown(
            db.rename_pollster("gallup korea (kr)", "Gallup Korea", false)
                .await,
        ),
        shown(db.rename_pollster("Gallup Korea", "RM", false).await),
        shown(db.merge_pollsters_with("GK", "gallup korea", false).await),
        shown(db.merge_pollsters_with("Realmeter", "GK", false).await),
        shown(
            db.merge_pollsters_with("IPSOS", "Ipsos Research", false)
                .await,
        ),
        shown(db.list_pollsters().await),
        shown(db.prune_pollsters().await),
        shown(db.list_pollsters().await),
        shown(db.pollster_spellings().await),
        shown(db.list_questions().await),
        shown(db.get_question("kr-moon").await),
        shown(db.get_question("kr-gsomia").await),
        shown(db.get_question("nope").await),
        shown(db.answer_order("kr-moon", &[]).await),
        shown(db.answer_order("kr-gsomia", &["SUPPORT".into()]).await),
        shown(db.answer_order("nope", &[]).await),
        shown(
            db.set_answer_colours(
                "kr-gsomia",
                &[("oppose".into(), Some(red)), ("Support".into(), Some(red))],
            )
            .await,
        ),
        shown(
            db.set_answer_colours("kr-gsomia", &[("SUPPORT".into(), None)])
                .await,
        ),
        shown(db.answer_colours("kr-gsomia").await),
        shown(db.answer_colours("nope").await),
        shown(
            db.set_question_kind("kr-moon", Some(QuestionKind::Approval))
                .await,
        ),
        shown(
            db.set_question_kind("kr-moon", Some(QuestionKind::Approval))
                .await,
        ),
        shown(db.question_kind("kr-moon").await),
        shown(db.rename_question("kr-moon", "kr-gsomia", None, None).await),
        shown(db.rename_question("kr-moon", "kr moon", None, None).await),
        shown(
            db.rename_question(
                "kr-moon",
                "kr-moon-approval",
                Some(" Moon's job? "),
                Some("KR"),
            )
            .await,
        ),
        shown(db.question_wording("kr-moon-approval").await),
        shown(db.question_wording("kr-moon").await),
        shown(db.check_filter(&moon).await),
        shown(db.check_filter(&unknown).await),
        shown(db.add_source(&new_source, &[1, 2]).await),
        shown(db.add_source(&completing, &[1]).await),
        shown(db.add_source(&untitled, &[]).await),
        shown(db.add_source(&new_source, &[9]).await),
        shown(db.link_source("1", &[3, 1]).await),
        shown(db.link_source("https://example.org/c", &[3]).await),
        shown(db.link_source("https://example.org/zzz", &[3]).await),
        shown(db.list_sources(None).await),
        shown(db.list_sources(Some(1)).await),
        shown(db.list_sources(Some(99)).await),
        shown(db.get_source("https://example.org/b").await),
        shown(db.get_source("99").await),
    ]
}

/// Gallup Korea and Realmeter each with a poll published on 2019-08-22 asking kr-gsomia of
/// likely voters: the same poll twice once the two pollsters are one, and a poll each of
/// another day. Realmeter's names its sponsor, and a mode; Gallup's has a second question.
const SAME_POLLS: &str = "
    INSERT INTO pollster (name, key) VALUES ('Gallup Korea', 'gallup korea'),
        ('Realmeter', 'realmeter');
    INSERT INTO sponsor (name, key) VALUES ('YTN', 'ytn');
    INSERT INTO question (slug, wording) VALUES ('kr-gsomia', 'GSOMIA?'), ('kr-moon', 'Moon?');
    INSERT INTO poll (pollster_id, published_on, mode, created_at, updated_at) VALUES
        (2, '2019-08-22', 'phone', '2026-01-02 03:04:05', '2026-01-02 03:04:05'),
        (1, '2019-08-22', NULL, '2026-01-02 03:04:05', '2026-01-02 03:04:05'),
        (1, '2019-08-01', NULL, '2026-01-02 03:04:05', '2026-01-02 03:04:05'),
        (2, '2019-07-01', NULL, '2026-01-02 03:04:05', '2026-01-02 03:04:05');
    INSERT INTO poll_sponsor (poll_id, sponsor_id, position) VALUES (1, 1, 0);
    INSERT INTO result_set (poll_id, question_id, population, sample_size, poll_date) VALUES
        (1, 1, 'lv', 1000, '2019-08-22'), (2, 1, 'LV', NULL, '2019-08-22'),
        (2, 2, 'a', NULL, '2019-08-22'), (3, 1, 'a', NULL, '2019-08-01'),
        (4, 1, 'a', NULL, '2019-07-01');
    INSERT INTO answer (result_set_id, position, label, pct) VALUES
        (1, 0, 'Oppose', 50), (1, 1, 'Support', 40), (2, 0, 'oppose', 50), (2, 1, 'Support', 40),
        (3, 0, 'Approve', 45), (4, 0, 'Oppose', 55), (5, 0, 'Oppose', 60);
    INSERT INTO source (url, created_at) VALUES ('https://example.org/a', '2026-01-02 03:04:05');
    INSERT INTO poll_source (poll_id, source_id) VALUES (1, 1);
    INSERT INTO source_poll_id (scheme, key, poll_id) VALUES ('file', 'r-1', 1);";

/// A poll as compared: without its times, which differ by the second of the run.
fn timeless(poll: crate::error::Result<Poll>) -> String {
    shown(poll.map(|poll| Poll {
        created_at: None,
        updated_at: None,
        ..poll
    }))
}

/// Merging pollsters whose polls become the same poll: refused, then combined.
async fn combine(db: &impl Store) -> Vec<String> {
    vec![
        shown(
            db.merge_pollsters_with("Realmeter", "Gallup Korea", false)
                .await,
        ),
        shown(db.list_pollsters().await),
        shown(
            db.merge_pollsters_with("realmeter", "gallup korea", true)
                .await,
        ),
        shown(db.list_pollsters().await),
    ]
}

/// The polls the combining test reads back: the one kept, the one combined into it (gone),
/// and one only moved.
const READ_BACK: [i64; 3] = [2, 1, 4];

/// The history as rows, without the times.
type HistoryRow = (
    i64,
    String,
    Option<i64>,
    Option<i64>,
    String,
    String,
    Option<String>,
    Option<String>,
    i64,
);

const HISTORY: &str =
    "SELECT id, subject, poll_id, subject_id, action, field, old_value, new_value,
        change_set FROM change ORDER BY id";

/// History rows with the poll snapshots' `updated_at` left out: each store's run writes its
/// own time.
fn timeless_rows(rows: Vec<HistoryRow>) -> Vec<HistoryRow> {
    const FIELD: &str = "\"updated_at\":\"";
    let timeless = |value: Option<String>| {
        value.map(|mut text| {
            if let Some(at) = text.find(FIELD) {
                let start = at + FIELD.len();
                text.replace_range(start..(start + 19).min(text.len()), "");
            }
            text
        })
    };
    rows.into_iter()
        .map(|(id, subject, poll, about, action, field, old, new, set)| {
            (
                id,
                subject,
                poll,
                about,
                action,
                field,
                timeless(old),
                timeless(new),
                set,
            )
        })
        .collect()
}

/// A database of each store seeded with the same rows.
struct Pair {
    database: testing::TestDatabase,
    pool: sqlx::PgPool,
    pg: PgStore,
    _dir: tempfile::TempDir,
    seeding: sqlx::SqlitePool,
    sqlite: SqliteStore,
}

impl Pair {
    /// Both stores seeded with `seed`; none without a test server.
    async fn seeded(seed: &'static str) -> Option<Pair> {
        let database = testing::migrated().await?;
        let pool = database.pool().await;
        // Times without a zone are UTC, as SQLite keeps them.
        let mut conn = pool.acquire().await.expect("a connection");
        sqlx::query("SET TIME ZONE 'UTC'")
            .execute(&mut *conn)
            .await
            .expect("set the time zone");
        sqlx::raw_sql(seed)
            .execute(&mut *conn)
            .await
            .expect("seed PostgreSQL");
        drop(conn);
        let pg = PgStore::open(&database.url, Access::Create)
            .await
            .expect("open PostgreSQL");
        let dir = tempfile::TempDir::new().expect("temp dir");
        let path = dir.path().join("polls.db");
        // A new SQLite database appears at its path once closed.
        SqliteStore::open(&path, Access::Create)
            .await
            .expect("create SQLite")
            .close()
            .await
            .expect("publish SQLite");
        let seeding = sqlx::SqlitePool::connect_with(
            sqlx::sqlite::SqliteConnectOptions::new().filename(&path),
        )
        .await
        .expect("connect SQLite");
        sqlx::raw_sql(seed)
            .execute(&seeding)
            .await
            .expect("seed SQLite");
        let sqlite = SqliteStore::open(&path, Access::Create)
            .await
            .expect("open SQLite");
        Some(Pair {
            database,
            pool,
            pg,
            _dir: dir,
            seeding,
            sqlite,
        })
    }

    /// Compares what each store answered (`got` PostgreSQL's, `expected` SQLite's) and the
    /// history rows each recorded, then drops both.
    async fn compare(self, expected: Vec<String>, got: Vec<String>) {
        assert_eq!(got.len(), expected.len());
        for (n, (want, have)) in expected.iter().zip(&got).enumerate() {
            assert_eq!(have, want, "step {n}");
        }
        let want: Vec<HistoryRow> = sqlx::query_as(HISTORY)
            .fetch_all(&self.seeding)
            .await
            .expect("SQLite history");
        let have: Vec<HistoryRow> = sqlx::query_as(HISTORY)
            .fetch_all(&self.pool)
            .await
            .expect("PostgreSQL history");
        assert!(!want.is_empty());
        assert_eq!(timeless_rows(have), timeless_rows(want));
        self.finish().await;
    }

    /// Drops both databases.
    async fn finish(self) {
        self.seeding.close().await;
        self.sqlite.close().await.expect("close SQLite");
        self.pool.close().await;
        self.pg.close().await.expect("close PostgreSQL");
        self.database.drop().await;
    }
}

#[tokio::test]
async fn pollsters_questions_and_sources_answer_as_sqlite_does() {
    let Some(pair) = Pair::seeded(SEED).await else {
        return;
    };
    let expected = run(&pair.sqlite).await;
    let got = run(&pair.pg).await;
    pair.compare(expected, got).await;
}

#[tokio::test]
async fn merging_with_combining_answers_as_sqlite_does() {
    let Some(pair) = Pair::seeded(SAME_POLLS).await else {
        return;
    };
    let mut expected = combine(&pair.sqlite).await;
    let mut got = combine(&pair.pg).await;
    // Read as the poll store's core reads them, so that this test stands on its own.
    let mut conn = pair.pool.acquire().await.expect("a connection");
    for id in READ_BACK {
        expected.push(timeless(pair.sqlite.get_poll(id).await));
        got.push(timeless(load_one(&mut conn, id).await));
    }
    drop(conn);
    pair.compare(expected, got).await;
}

/// Where the stores differ, by the schema's choice: a colour's label is one with every label
/// equal to it under lower(), which folds every script, where SQLite's NOCASE folds A-Z only
/// (so SQLite keeps a colour for "Élan" and one for "élan").
#[tokio::test]
async fn a_colour_replaces_the_one_of_a_label_equal_in_any_script() {
    let Some(pair) = Pair::seeded(SEED).await else {
        return;
    };
    let red = Rgb::parse("#D62728").expect("a colour");
    let blue = Rgb::parse("#1F77B4").expect("a colour");
    let colours = [
        ("Élan".to_string(), Some(red)),
        ("élan".to_string(), Some(blue)),
    ];
    pair.pg
        .set_answer_colours("kr-gsomia", &colours)
        .await
        .expect("colours on PostgreSQL");
    pair.sqlite
        .set_answer_colours("kr-gsomia", &colours)
        .await
        .expect("colours on SQLite");
    assert_eq!(
        pair.pg.answer_colours("kr-gsomia").await.expect("colours"),
        vec![("élan".to_string(), blue)]
    );
    assert_eq!(
        pair.sqlite
            .answer_colours("kr-gsomia")
            .await
            .expect("colours"),
        vec![("Élan".to_string(), red), ("élan".to_string(), blue)]
    );
    // The history tells of the colour replaced.
    let recorded: Vec<(String, Option<String>)> =
        sqlx::query_as("SELECT field, old_value FROM change ORDER BY id")
            .fetch_all(&pair.pool)
            .await
            .expect("history");
    assert_eq!(
        recorded,
        [
            ("colour Élan".to_string(), None),
            ("colour élan".to_string(), Some("#D62728".to_string()))
        ]
    );
    pair.finish().await;
}
