//! Connecting: TLS when the URL asks for it, the password kept out of every message, and
//! databases that are not polltrack's (or are newer) refused untouched. Skipped without
//! `POLLTRACK_TEST_POSTGRES`.

use super::PgStore;
use super::testing;
use crate::db::Access;
use crate::error::ErrorKind;

/// With `sslmode=require` the connection is encrypted; a server without TLS says so, and the
/// test is skipped (the server `.ci/run` starts has TLS).
#[tokio::test]
async fn sslmode_require_gives_an_encrypted_connection() {
    let Some(db) = testing::migrated().await else {
        return;
    };
    let url = format!("{}?sslmode=require", db.url);
    match PgStore::open(&url, Access::ReadExisting).await {
        Ok(store) => {
            let encrypted: bool =
                sqlx::query_scalar("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()")
                    .fetch_one(&store.pool)
                    .await
                    .expect("read pg_stat_ssl");
            assert!(encrypted);
            store.close().await.expect("close");
        }
        Err(e) => {
            let message = e.to_string();
            assert!(message.contains("secure connection"), "{message}");
            eprintln!("skipped: the test server has no TLS ({message})");
        }
    }
    db.drop().await;
}

#[tokio::test]
async fn a_password_never_appears_in_a_message() {
    let Some(db) = testing::migrated().await else {
        return;
    };
    let mut url = url::Url::parse(&db.url).expect("a URL");
    url.set_password(Some("s3cret-Pa55")).expect("a password");
    url.set_path("/polltrack_no_such_database");
    let err = PgStore::open(url.as_str(), Access::ReadExisting)
        .await
        .err()
        .expect("no such database");
    assert_eq!(err.kind(), ErrorKind::NotFound);
    let message = format!("{err} {err:?}");
    assert!(!message.contains("s3cret"), "{message}");
    assert!(message.contains(":***@"), "{message}");
    // Nor when the URL itself cannot be read.
    let err = PgStore::open(
        "postgres://desk:s3cret-Pa55@db:notaport/polls",
        Access::Create,
    )
    .await
    .err()
    .expect("a bad URL");
    assert!(!format!("{err} {err:?}").contains("s3cret"), "{err}");
    db.drop().await;
}

/// A database holding another application's tables, and one a newer polltrack wrote, are
/// refused and left exactly as they were; an empty one read by a command that only reads is
/// "no polltrack database yet", and stays empty.
#[tokio::test]
async fn foreign_newer_and_empty_databases_are_refused_untouched() {
    let Some(foreign) = testing::empty().await else {
        return;
    };
    let pool = foreign.pool().await;
    sqlx::query("CREATE TABLE notes (id INT)")
        .execute(&pool)
        .await
        .unwrap();
    let err = PgStore::open(&foreign.url, Access::Create)
        .await
        .err()
        .unwrap();
    assert!(
        err.to_string().contains("another application's tables"),
        "{err}"
    );
    let tables: i64 =
        sqlx::query_scalar("SELECT count(*) FROM pg_tables WHERE schemaname = current_schema()")
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(tables, 1);
    pool.close().await;
    foreign.drop().await;

    let Some(newer) = testing::migrated().await else {
        return;
    };
    let pool = newer.pool().await;
    sqlx::query(
        "INSERT INTO _sqlx_migrations (version, description, success, checksum, execution_time)
         VALUES (29990101000000, 'from the future', TRUE, '\\x00', 0)",
    )
    .execute(&pool)
    .await
    .unwrap();
    let err = PgStore::open(&newer.url, Access::Create)
        .await
        .err()
        .unwrap();
    assert!(err.to_string().contains("newer polltrack"), "{err}");
    let versions: i64 = sqlx::query_scalar("SELECT count(*) FROM _sqlx_migrations")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(versions, super::MIGRATOR.iter().count() as i64 + 1);
    pool.close().await;
    newer.drop().await;

    let Some(empty) = testing::empty().await else {
        return;
    };
    let err = PgStore::open(&empty.url, Access::ReadExisting)
        .await
        .err()
        .unwrap();
    assert_eq!(err.kind(), ErrorKind::NotFound, "{err}");
    let pool = empty.pool().await;
    let tables: i64 =
        sqlx::query_scalar("SELECT count(*) FROM pg_tables WHERE schemaname = current_schema()")
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(tables, 0);
    pool.close().await;
    empty.drop().await;
}
