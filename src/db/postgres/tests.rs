//! The PostgreSQL schema against a real server (skipped without `POLLTRACK_TEST_POSTGRES`):
//! it migrates an empty database, a second run changes nothing, it refuses every bad row the
//! SQLite schema refuses (each case run on both), and it reads as SQLite's does.

use super::MIGRATOR;
use super::testing::{self, TestDatabase};
use sqlx::PgPool;
use sqlx::sqlite::{SqliteConnectOptions, SqlitePool, SqlitePoolOptions};

/// The SQLite schema, migrated the way the SQLite store migrates it, to compare with.
static SQLITE_MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/sqlite");

/// One poll of one question with one answer, and one source; in SQL both backends take.
const ONE_POLL: &str = "
    INSERT INTO pollster (name, key) VALUES ('Gallup Korea', 'gallup korea');
    INSERT INTO question (slug, wording) VALUES ('kr-gsomia', 'GSOMIA?');
    INSERT INTO poll (pollster_id, published_on, created_at, updated_at)
        VALUES (1, '2016-11-18', '2026-01-02 03:04:05+00', '2026-01-02 03:04:05+00');
    INSERT INTO result_set (poll_id, question_id, population, poll_date)
        VALUES (1, 1, 'a', '2016-11-18');
    INSERT INTO answer (result_set_id, position, label, pct) VALUES (1, 0, 'Oppose', 59);
    INSERT INTO source (url, created_at) VALUES ('https://example.org/a', '2026-01-02 03:04:05');
    INSERT INTO question_answer_color (question_id, label, color) VALUES (1, 'Oppose', '#D62728');";

/// Statements each schema must refuse, after [`ONE_POLL`], with the SQLSTATE PostgreSQL gives
/// (23514 a CHECK, 23505 a unique key, 23503 a foreign key, 23502 a NULL, 22008 no such date).
const REFUSED: &[(&str, &str)] = &[
    // Percentages within 0..100.
    (
        "INSERT INTO answer (result_set_id, position, label, pct) VALUES (1, 1, 'Support', 100.5)",
        "23514",
    ),
    (
        "INSERT INTO answer (result_set_id, position, label, pct) VALUES (1, 1, 'Support', -1)",
        "23514",
    ),
    (
        "INSERT INTO answer (result_set_id, position, label, pct) VALUES (1, 1, 'Support', NULL)",
        "23502",
    ),
    // An answer label twice in one result set, in another case; and an empty one.
    (
        "INSERT INTO answer (result_set_id, position, label, pct) VALUES (1, 1, 'OPPOSE', 10)",
        "23505",
    ),
    (
        "INSERT INTO answer (result_set_id, position, label, pct) VALUES (1, 1, '  ', 10)",
        "23514",
    ),
    // Field dates: start after end, no such day, a year past 9999.
    (
        "UPDATE poll SET field_start = '2016-11-18', field_end = '2016-11-17'",
        "23514",
    ),
    ("UPDATE poll SET published_on = '2016-02-30'", "22008"),
    ("UPDATE poll SET field_end = '10000-01-01'", "23514"),
    // Sample sizes of at least 1; margins of error in (0, 50].
    ("UPDATE result_set SET sample_size = 0.5", "23514"),
    ("UPDATE result_set SET margin_of_error = 0", "23514"),
    ("UPDATE result_set SET margin_of_error = 50.5", "23514"),
    ("UPDATE result_set SET population = ' '", "23514"),
    // A question asked of one population twice in one poll.
    (
        "INSERT INTO result_set (poll_id, question_id, population, poll_date)
         VALUES (1, 1, 'a', '2016-11-18')",
        "23505",
    ),
    // Names: untrimmed or empty, a pollster's key twice, a question's slug twice.
    (
        "INSERT INTO pollster (name, key) VALUES (' YouGov', 'yougov')",
        "23514",
    ),
    (
        "INSERT INTO pollster (name, key) VALUES ('GALLUP KOREA', 'gallup korea')",
        "23505",
    ),
    ("INSERT INTO sponsor (name, key) VALUES ('', '')", "23514"),
    (
        "INSERT INTO pollster_alias (key, alias, pollster_id) VALUES ('gk', 'GK ', 1)",
        "23514",
    ),
    (
        "INSERT INTO question (slug, wording) VALUES ('kr-gsomia', 'Again?')",
        "23505",
    ),
    (
        "INSERT INTO question (slug, wording) VALUES ('kr-moon', ' ')",
        "23514",
    ),
    ("UPDATE question SET kind = 'horse race'", "23514"),
    // Sources: a URL twice, a blank URL, neither URL nor title.
    (
        "INSERT INTO source (url, created_at) VALUES ('https://example.org/a', '2026-01-02 03:04:05')",
        "23505",
    ),
    (
        "INSERT INTO source (url, created_at) VALUES (' ', '2026-01-02 03:04:05')",
        "23514",
    ),
    (
        "INSERT INTO source (title, created_at) VALUES (NULL, '2026-01-02 03:04:05')",
        "23514",
    ),
    // Foreign keys.
    (
        "INSERT INTO poll (pollster_id, published_on, created_at, updated_at)
         VALUES (99, '2016-11-18', '2026-01-02 03:04:05', '2026-01-02 03:04:05')",
        "23503",
    ),
    (
        "INSERT INTO poll_source (poll_id, source_id) VALUES (1, 99)",
        "23503",
    ),
    (
        "INSERT INTO result_set (poll_id, question_id, population, poll_date)
         VALUES (1, 99, 'lv', '2016-11-18')",
        "23503",
    ),
    // A poll with no date at all has no poll_date.
    ("UPDATE poll SET published_on = NULL", "23502"),
    // History rows: a poll's change names its poll, any other its subject.
    (
        "INSERT INTO change (subject, poll_id, changed_at, action, field, change_set)
         VALUES ('poll', NULL, '2026-01-02 03:04:05', 'edit', 'mode', 1)",
        "23514",
    ),
    (
        "INSERT INTO change (subject, subject_id, changed_at, action, field, change_set)
         VALUES ('question', NULL, '2026-01-02 03:04:05', 'rename', 'slug', 1)",
        "23514",
    ),
    (
        "INSERT INTO change (subject, subject_id, changed_at, action, field, change_set)
         VALUES ('vote', 1, '2026-01-02 03:04:05', 'edit', 'x', 1)",
        "23514",
    ),
    // Ids kept from files, and colours.
    (
        "INSERT INTO source_poll_id (scheme, key, poll_id) VALUES ('', '17', 1)",
        "23514",
    ),
    (
        "INSERT INTO source_result_set (scheme, key, result_set_id) VALUES ('538', '9', 99)",
        "23503",
    ),
    (
        "INSERT INTO question_answer_color (question_id, label, color) VALUES (1, 'Support', '#d62728')",
        "23514",
    ),
    (
        "INSERT INTO question_answer_color (question_id, label, color) VALUES (1, 'Support', '#D6272')",
        "23514",
    ),
    (
        "INSERT INTO question_answer_color (question_id, label, color) VALUES (1, 'oppose', '#1F77B4')",
        "23505",
    ),
];

/// Statements at the limits, which each schema must take.
const ACCEPTED: &[&str] = &[
    "INSERT INTO answer (result_set_id, position, label, pct) VALUES (1, 1, 'None', 0)",
    "INSERT INTO answer (result_set_id, position, label, pct) VALUES (1, 2, 'All', 100)",
    "UPDATE result_set SET sample_size = 1, margin_of_error = 50",
    "UPDATE result_set SET sample_size = 1004.5, margin_of_error = 0.1",
    "UPDATE poll SET field_start = '2016-11-18', field_end = '2016-11-18'",
    "INSERT INTO source (title, created_at) VALUES ('A release', '2026-01-02 03:04:05')",
    "INSERT INTO change (subject, subject_id, changed_at, action, field, change_set)
     VALUES ('question', 1, '2026-01-02 03:04:05', 'rename', 'slug', 1)",
];

async fn sqlite() -> (tempfile::TempDir, SqlitePool) {
    let dir = tempfile::tempdir().expect("temp dir");
    let pool = SqlitePoolOptions::new()
        .max_connections(1)
        .connect_with(
            SqliteConnectOptions::new()
                .filename(dir.path().join("polls.db"))
                .create_if_missing(true)
                .foreign_keys(true),
        )
        .await
        .expect("open SQLite");
    SQLITE_MIGRATOR.run(&pool).await.expect("migrate SQLite");
    (dir, pool)
}

async fn with_one_poll() -> Option<(TestDatabase, PgPool)> {
    let db = testing::migrated().await?;
    let pool = db.pool().await;
    sqlx::raw_sql(ONE_POLL)
        .execute(&pool)
        .await
        .expect("one poll");
    Some((db, pool))
}

async fn finish(db: TestDatabase, pool: PgPool) {
    pool.close().await;
    db.drop().await;
}

/// The tables, views, columns (with their types), indexes, constraints and triggers of a
/// database's public schema, in a stable order.
async fn schema_of(pool: &PgPool) -> Vec<String> {
    sqlx::query_scalar(
        "SELECT table_name || '.' || column_name || ' ' || data_type
           FROM information_schema.columns WHERE table_schema = 'public'
         UNION ALL SELECT 'index ' || indexname || ': ' || indexdef
           FROM pg_indexes WHERE schemaname = 'public'
         UNION ALL SELECT 'constraint ' || conname || ': ' || pg_get_constraintdef(oid)
           FROM pg_constraint WHERE connamespace = 'public'::regnamespace
         UNION ALL SELECT 'trigger ' || tgname FROM pg_trigger WHERE NOT tgisinternal
         ORDER BY 1",
    )
    .fetch_all(pool)
    .await
    .expect("read the schema")
}

#[tokio::test]
async fn the_migrations_apply_to_an_empty_database_and_a_second_run_changes_nothing() {
    let Some(db) = testing::empty().await else {
        return;
    };
    let pool = db.pool().await;
    assert!(schema_of(&pool).await.is_empty());
    MIGRATOR.run(&pool).await.expect("migrate");
    let schema = schema_of(&pool).await;
    for expected in [
        "poll.poll_date date",
        "poll.created_at timestamp with time zone",
        "poll.partisan boolean",
        "answer.pct double precision",
        "result_set.sample_size double precision",
        "poll.id bigint",
        "answer.position bigint",
        "poll_answers.sponsors text",
        "trigger poll_date_follows",
        "index answer_label: CREATE UNIQUE INDEX answer_label ON public.answer USING btree \
         (result_set_id, lower(label))",
    ] {
        assert!(
            schema.iter().any(|line| line == expected),
            "{expected} missing from {schema:#?}"
        );
    }
    let applied = |pool: PgPool| async move {
        sqlx::query_as::<_, (i64, bool)>(
            "SELECT version, success FROM _sqlx_migrations ORDER BY version",
        )
        .fetch_all(&pool)
        .await
        .expect("the migrations table")
    };
    let first = applied(pool.clone()).await;
    let expected: Vec<(i64, bool)> = MIGRATOR.iter().map(|m| (m.version, true)).collect();
    assert_eq!(first, expected);

    MIGRATOR.run(&pool).await.expect("migrate again");
    assert_eq!(applied(pool.clone()).await, first);
    assert_eq!(schema_of(&pool).await, schema);
    finish(db, pool).await;
}

#[tokio::test]
async fn the_schema_refuses_what_the_sqlite_schema_refuses() {
    let Some((db, pool)) = with_one_poll().await else {
        return;
    };
    let (_dir, lite) = sqlite().await;
    sqlx::raw_sql(ONE_POLL)
        .execute(&lite)
        .await
        .expect("one poll");
    for (sql, code) in REFUSED {
        let error = sqlx::query(*sql).execute(&pool).await.expect_err(sql);
        let error = error.as_database_error().expect("a database error");
        assert_eq!(error.code().as_deref(), Some(*code), "{sql}: {error}");
        assert!(
            sqlx::query(*sql).execute(&lite).await.is_err(),
            "SQLite takes what PostgreSQL refuses: {sql}"
        );
    }
    for sql in ACCEPTED {
        sqlx::query(*sql)
            .execute(&pool)
            .await
            .unwrap_or_else(|e| panic!("{sql}: {e}"));
        sqlx::query(*sql)
            .execute(&lite)
            .await
            .unwrap_or_else(|e| panic!("SQLite: {sql}: {e}"));
    }
    lite.close().await;
    finish(db, pool).await;
}

/// What SQLite stores as NULL (a NaN) or cannot be given in SQL (infinities) is refused by
/// PostgreSQL's float8 checks all the same.
#[tokio::test]
async fn numbers_that_are_not_numbers_are_refused() {
    let Some((db, pool)) = with_one_poll().await else {
        return;
    };
    for sql in [
        "UPDATE answer SET pct = 'NaN'",
        "UPDATE answer SET pct = 'Infinity'",
        "UPDATE result_set SET sample_size = 'NaN'",
        "UPDATE result_set SET sample_size = 'Infinity'",
        "UPDATE result_set SET margin_of_error = 'NaN'",
        "UPDATE result_set SET margin_of_error = '-Infinity'",
    ] {
        let error = sqlx::query(sql).execute(&pool).await.expect_err(sql);
        let code = error.as_database_error().and_then(|e| e.code());
        assert_eq!(code.as_deref(), Some("23514"), "{sql}: {error}");
    }
    finish(db, pool).await;
}

/// Answer labels fold case by lower() under the database's LC_CTYPE: beyond ASCII too in a
/// UTF-8 locale (where SQLite's NOCASE would keep "Élan" and "élan" apart), ASCII only in C.
#[tokio::test]
async fn answer_labels_are_one_in_any_case_as_the_server_folds_it() {
    let Some((db, pool)) = with_one_poll().await else {
        return;
    };
    let folds: bool = sqlx::query_scalar("SELECT lower('É') = 'é'")
        .fetch_one(&pool)
        .await
        .unwrap();
    sqlx::query(
        "INSERT INTO answer (result_set_id, position, label, pct) VALUES (1, 1, 'Élan', 5)",
    )
    .execute(&pool)
    .await
    .expect("a new label");
    let again = sqlx::query(
        "INSERT INTO answer (result_set_id, position, label, pct) VALUES (1, 2, 'élan', 5)",
    )
    .execute(&pool)
    .await;
    assert_eq!(again.is_err(), folds, "{again:?}");
    if !folds {
        eprintln!("this server's LC_CTYPE folds ASCII letters only");
    }
    finish(db, pool).await;
}

#[tokio::test]
async fn poll_date_is_the_middle_of_the_field_period_and_result_sets_follow_it() {
    let Some((db, pool)) = with_one_poll().await else {
        return;
    };
    let dates = async |pool: &PgPool| -> (String, String) {
        sqlx::query_as(
            "SELECT p.poll_date::text, rs.poll_date::text
               FROM poll p JOIN result_set rs ON rs.poll_id = p.id",
        )
        .fetch_one(pool)
        .await
        .unwrap()
    };
    assert_eq!(
        dates(&pool).await,
        ("2016-11-18".into(), "2016-11-18".into())
    );
    // Rounded down: 15 to 18 stands at the 16th, as in SQLite.
    sqlx::query("UPDATE poll SET field_start = '2016-11-15', field_end = '2016-11-18'")
        .execute(&pool)
        .await
        .unwrap();
    assert_eq!(
        dates(&pool).await,
        ("2016-11-16".into(), "2016-11-16".into())
    );
    sqlx::query("UPDATE poll SET field_start = NULL, field_end = '2016-11-17'")
        .execute(&pool)
        .await
        .unwrap();
    assert_eq!(
        dates(&pool).await,
        ("2016-11-17".into(), "2016-11-17".into())
    );
    let written = sqlx::query("UPDATE poll SET poll_date = '2020-01-01'")
        .execute(&pool)
        .await
        .expect_err("poll_date is generated");
    assert_eq!(
        written
            .as_database_error()
            .and_then(|e| e.code())
            .as_deref(),
        Some("428C9")
    );
    finish(db, pool).await;
}

/// Timestamps are stored as instants and read back as polltrack writes them, in UTC, whatever
/// the time zone of the session that wrote or reads them: dumps of either backend match.
#[tokio::test]
async fn timestamps_read_back_as_sqlite_holds_them_in_any_time_zone() {
    let Some((db, pool)) = with_one_poll().await else {
        return;
    };
    let mut conn = pool.acquire().await.unwrap();
    sqlx::raw_sql("SET TIME ZONE 'Asia/Seoul'")
        .execute(&mut *conn)
        .await
        .unwrap();
    sqlx::query("UPDATE poll SET updated_at = $1::timestamp AT TIME ZONE 'UTC'")
        .bind("2026-11-29 19:27:57")
        .execute(&mut *conn)
        .await
        .unwrap();
    let read = "SELECT to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS'),
                       to_char(updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS')
                  FROM poll";
    let in_seoul: (String, String) = sqlx::query_as(read).fetch_one(&mut *conn).await.unwrap();
    drop(conn);
    assert_eq!(
        in_seoul,
        ("2026-01-02 03:04:05".into(), "2026-11-29 19:27:57".into())
    );
    let decoded: chrono::DateTime<chrono::Utc> = sqlx::query_scalar("SELECT updated_at FROM poll")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(
        decoded.format("%Y-%m-%d %H:%M:%S").to_string(),
        "2026-11-29 19:27:57"
    );
    // Whole seconds are kept, whoever writes a finer time.
    let now: String = sqlx::query_scalar(
        "UPDATE poll SET updated_at = '2026-11-29 19:27:57.6+00'
         RETURNING to_char(updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS')",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(now, "2026-11-29 19:27:58");
    finish(db, pool).await;
}

#[tokio::test]
async fn poll_answers_has_sqlite_s_columns_in_sqlite_s_order_and_values() {
    let Some((db, pool)) = with_one_poll().await else {
        return;
    };
    let (_dir, lite) = sqlite().await;
    let lite_columns: Vec<String> =
        sqlx::query_scalar("SELECT name FROM pragma_table_info('poll_answers') ORDER BY cid")
            .fetch_all(&lite)
            .await
            .unwrap();
    let columns: Vec<String> = sqlx::query_scalar(
        "SELECT attname::text FROM pg_attribute
          WHERE attrelid = 'poll_answers'::regclass AND attnum > 0 ORDER BY attnum",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    assert_eq!(columns, lite_columns);
    assert_eq!(columns.len(), 21);

    // Sponsors in their order, URLs by source, numbers as psql prints them.
    let more = "
        INSERT INTO sponsor (name, key) VALUES ('YTN', 'ytn'), ('CBS', 'cbs');
        INSERT INTO poll_sponsor (poll_id, sponsor_id, position) VALUES (1, 2, 0), (1, 1, 1);
        INSERT INTO source (title, created_at) VALUES ('No URL', '2026-01-02 03:04:05');
        INSERT INTO source (url, created_at) VALUES ('https://example.org/b', '2026-01-02 03:04:05');
        INSERT INTO poll_source (poll_id, source_id) VALUES (1, 3), (1, 1), (1, 2);
        UPDATE result_set SET sample_size = 1207, margin_of_error = 2.8;
        UPDATE answer SET pct = 100.0 / 3;";
    sqlx::raw_sql(more).execute(&pool).await.unwrap();
    let row: (String, String, String, String, String, String) = sqlx::query_as(
        "SELECT sponsors, source_urls, sample_size::text, margin_of_error::text, pct::text,
                poll_date::text
           FROM poll_answers",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(
        row,
        (
            "CBS; YTN".into(),
            "https://example.org/a https://example.org/b".into(),
            "1207".into(),
            "2.8".into(),
            "33.333333333333336".into(),
            "2016-11-18".into()
        )
    );
    lite.close().await;
    finish(db, pool).await;
}

#[tokio::test]
async fn each_test_database_is_a_fresh_copy_of_the_template() {
    let Some(first) = testing::migrated().await else {
        return;
    };
    let second = testing::migrated().await.expect("a second database");
    assert_ne!(first.name, second.name);
    assert!(
        second.url.ends_with(&format!("/{}", second.name)),
        "{}",
        second.url
    );
    let pool = first.pool().await;
    sqlx::raw_sql(ONE_POLL).execute(&pool).await.unwrap();
    let other = second.pool().await;
    let polls: i64 = sqlx::query_scalar("SELECT count(*) FROM poll")
        .fetch_one(&other)
        .await
        .unwrap();
    assert_eq!(polls, 0);
    // Migrated: the migrator has nothing left to do.
    let applied: i64 = sqlx::query_scalar("SELECT count(*) FROM _sqlx_migrations")
        .fetch_one(&other)
        .await
        .unwrap();
    assert_eq!(applied, MIGRATOR.iter().count() as i64);
    finish(first, pool).await;
    finish(second, other).await;
}

/// What `polltrack copy` moves: every table and view of the SQLite schema is here, with the
/// same columns in the same order (and `deleted_result.position`, the order SQLite keeps as
/// its rowid).
#[tokio::test]
async fn every_table_has_sqlite_s_columns_in_sqlite_s_order() {
    let Some(db) = testing::migrated().await else {
        return;
    };
    let pool = db.pool().await;
    let (_dir, lite) = sqlite().await;
    let lite_columns: Vec<(String, String)> = sqlx::query_as(
        "SELECT m.name, c.name FROM sqlite_schema m, pragma_table_xinfo(m.name) c
          WHERE m.type IN ('table', 'view') AND m.name NOT LIKE '\\_%' ESCAPE '\\'
          ORDER BY m.name, c.cid",
    )
    .fetch_all(&lite)
    .await
    .unwrap();
    let columns: Vec<(String, String)> = sqlx::query_as(
        "SELECT table_name::text, column_name::text FROM information_schema.columns
          WHERE table_schema = 'public' AND table_name NOT LIKE '\\_%'
          ORDER BY table_name COLLATE \"C\", ordinal_position",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    let columns: Vec<(String, String)> = columns
        .into_iter()
        .filter(|(table, column)| {
            (table.as_str(), column.as_str()) != ("deleted_result", "position")
        })
        .collect();
    assert_eq!(columns, lite_columns);
    assert!(columns.len() > 80, "{}", columns.len());
    lite.close().await;
    finish(db, pool).await;
}

/// The generated poll_date of both schemas, over months, leap days, years and open periods.
#[tokio::test]
async fn poll_date_is_the_same_day_as_sqlite_s() {
    let Some((db, pool)) = with_one_poll().await else {
        return;
    };
    let (_dir, lite) = sqlite().await;
    sqlx::raw_sql(ONE_POLL).execute(&lite).await.unwrap();
    let day = |text: &str| crate::model::parse_date(text).unwrap();
    let mut periods: Vec<_> = [
        (Some("2016-11-15"), Some("2016-11-18"), None),
        (Some("2024-02-27"), Some("2024-03-02"), None),
        (Some("2023-02-27"), Some("2023-03-02"), None),
        (Some("1999-12-30"), Some("2000-01-02"), Some("2000-01-05")),
        (Some("2020-01-01"), None, Some("2020-02-01")),
        (None, Some("2020-01-09"), Some("2020-02-01")),
        (None, None, Some("2020-02-01")),
        (Some("0001-01-01"), Some("9999-12-31"), None),
    ]
    .into_iter()
    .map(|(start, end, published)| (start.map(day), end.map(day), published.map(day)))
    .collect();
    // Every length from one day to two months, from the day before a leap day.
    let start = day("2024-02-28");
    for days in 0..62 {
        periods.push((Some(start), Some(start + chrono::Days::new(days)), None));
    }
    let insert = "INSERT INTO poll (pollster_id, field_start, field_end, published_on, created_at,
                                    updated_at)
                  VALUES (1, $1, $2, $3, '2026-01-02 03:04:05+00', '2026-01-02 03:04:05+00')";
    for (start, end, published) in &periods {
        for result in [
            sqlx::query(insert)
                .bind(start)
                .bind(end)
                .bind(published)
                .execute(&pool)
                .await
                .map(|_| ()),
            sqlx::query(insert)
                .bind(start)
                .bind(end)
                .bind(published)
                .execute(&lite)
                .await
                .map(|_| ()),
        ] {
            result.unwrap_or_else(|e| panic!("{start:?} {end:?} {published:?}: {e}"));
        }
    }
    let read = "SELECT CAST(poll_date AS TEXT) FROM poll ORDER BY id";
    let days: Vec<String> = sqlx::query_scalar(read).fetch_all(&pool).await.unwrap();
    let lite_days: Vec<String> = sqlx::query_scalar(read).fetch_all(&lite).await.unwrap();
    assert_eq!(days, lite_days);
    assert_eq!(days[1], "2016-11-16");
    assert_eq!(days[2], "2024-02-29");
    assert_eq!(days.len(), periods.len() + 1);
    lite.close().await;
    finish(db, pool).await;
}

/// The storage contract, each test on a fresh database of the test server.
mod contract {
    use crate::db::contract::*;

    use super::testing::{finish_store as finish, fresh_store as fresh};

    crate::db::contract::contract_tests!(fresh().await, finish);
}
