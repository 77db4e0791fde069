//! SQLite's own SQL: bulk writes, stored numbers, older schemas, placeholders.

#![allow(unused_imports)]

use super::*;

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
    let first = crate::db::sqlite::MIGRATOR.iter().next().unwrap().clone();
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
        "../../../../migrations/sqlite/20261230000000_deleted_polls.sql"
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

/// A history written before changes had subjects, reasons and sets: its rows stay as they
/// were, each edit's rows (one second, one poll) grouped into one change.
#[tokio::test]
async fn the_history_of_an_older_database_keeps_its_rows_grouped_into_changes() {
    let (_dir, db) = fresh().await;
    // As the table was before the migration.
    sqlx::raw_sql(
        "DROP TABLE change;
         CREATE TABLE change (
             id         INTEGER PRIMARY KEY,
             poll_id    INTEGER NOT NULL,
             changed_at TEXT NOT NULL,
             action     TEXT NOT NULL CHECK (action IN ('edit', 'delete')),
             field      TEXT NOT NULL,
             old_value  TEXT,
             new_value  TEXT
         );
         INSERT INTO change VALUES
             (1, 1, '2026-01-01 10:00:00', 'edit', 'mode', NULL, 'Online'),
             (2, 1, '2026-01-01 10:00:00', 'edit', 'region', NULL, 'Korea'),
             (3, 2, '2026-01-01 10:00:00', 'edit', 'mode', NULL, 'IVR'),
             (4, 1, '2026-01-02 09:00:00', 'delete', 'poll', '{}', NULL);",
    )
    .execute(&db.pool)
    .await
    .unwrap();
    sqlx::raw_sql(include_str!(
        "../../../../migrations/sqlite/20270115000000_history_of_everything.sql"
    ))
    .execute(&db.pool)
    .await
    .unwrap();
    let rows: Vec<(i64, String, Option<i64>, String, String, i64)> = sqlx::query_as(
        "SELECT id, subject, poll_id, action, field, change_set FROM change ORDER BY id",
    )
    .fetch_all(&db.pool)
    .await
    .unwrap();
    let row = |id, poll, action: &str, field: &str, set| {
        (
            id,
            "poll".to_string(),
            Some(poll),
            action.to_string(),
            field.to_string(),
            set,
        )
    };
    assert_eq!(
        rows,
        vec![
            row(1, 1, "edit", "mode", 1),
            row(2, 1, "edit", "region", 1),
            row(3, 2, "edit", "mode", 3),
            row(4, 1, "delete", "poll", 4),
        ]
    );
    db.close().await.expect("close the database");
}
