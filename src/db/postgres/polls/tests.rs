//! The polls of the PostgreSQL store against a real server (skipped without
//! `POLLTRACK_TEST_POSTGRES`): what the contract cannot show, as writers racing on one database
//! and ids given by hand.

use super::write::{draw_ids, write_poll};
use crate::db::Access;
use crate::db::contract::{poll, source};
use crate::db::postgres::PgStore;
use crate::db::prelude::*;
use crate::db::shared::polls::checked;
use crate::error::ErrorKind;

use super::super::testing::{finish_store as finish, fresh_store as fresh};

#[tokio::test]
async fn the_same_poll_added_at_once_by_several_writers_is_stored_once() {
    let Some((database, store)) = fresh().await else {
        return;
    };
    let mut writers = Vec::new();
    for _ in 0..6 {
        let url = database.url.clone();
        writers.push(tokio::spawn(async move {
            let store = PgStore::open(&url, Access::ReadExisting).await.unwrap();
            let added = store
                .add_poll(&poll("Gallup Korea", "kr-gsomia", "2016-11-18"), false)
                .await;
            store.close().await.unwrap();
            added
        }));
    }
    let mut added = Vec::new();
    let mut refused = 0;
    for writer in writers {
        match writer.await.unwrap() {
            Ok(outcome) => added.push(outcome.id),
            Err(e) => {
                assert_eq!(e.kind(), ErrorKind::Conflict, "{e}");
                assert!(e.to_string().contains("stored already as poll 1"), "{e}");
                refused += 1;
            }
        }
    }
    assert_eq!((added, refused), (vec![1], 5));
    finish(database, store).await;
}

#[tokio::test]
async fn a_poll_written_under_its_own_id_moves_the_id_sequence_past_it() {
    let Some((database, store)) = fresh().await else {
        return;
    };
    let pool = database.pool().await;
    let mut conn = pool.acquire().await.unwrap();
    let kept = checked(poll("Gallup Korea", "kr-gsomia", "2016-11-18")).unwrap();
    let (id, _) = write_poll(&mut conn, &kept, Some(50)).await.unwrap();
    assert_eq!(id, 50);
    // A row added by hand, without an id, takes the next one.
    let by_hand: i64 = sqlx::query_scalar(
        "INSERT INTO poll (pollster_id, published_on, created_at, updated_at)
         VALUES (1, '2016-11-19', now(), now()) RETURNING id",
    )
    .fetch_one(&mut *conn)
    .await
    .unwrap();
    assert_eq!(by_hand, 51);
    // A lower id given later does not move it back.
    let earlier = checked(poll("Realmeter", "kr-gsomia", "2016-11-18")).unwrap();
    write_poll(&mut conn, &earlier, Some(7)).await.unwrap();
    drop(conn);
    pool.close().await;
    let id = store
        .add_poll(&poll("Hankook Research", "kr-gsomia", "2016-11-18"), false)
        .await
        .unwrap()
        .id;
    assert_eq!(id, 52);
    finish(database, store).await;
}

#[tokio::test]
async fn a_polls_sources_come_in_the_byte_order_of_their_urls_as_in_sqlite() {
    let Some((database, store)) = fresh().await else {
        return;
    };
    let mut p = poll("Gallup Korea", "kr-gsomia", "2016-11-18");
    p.sources = vec![
        source("https://example.org/a"),
        source("https://example.org/B"),
        source("https://example.org/_"),
    ];
    store.add_poll(&p, false).await.unwrap();
    let urls: Vec<String> = store
        .get_poll(1)
        .await
        .unwrap()
        .sources
        .into_iter()
        .filter_map(|s| s.url)
        .collect();
    assert_eq!(
        urls,
        [
            "https://example.org/B",
            "https://example.org/_",
            "https://example.org/a"
        ]
    );
    finish(database, store).await;
}

#[tokio::test]
async fn ids_drawn_at_once_are_consecutive_and_a_row_added_by_hand_takes_the_next() {
    let Some((database, store)) = fresh().await else {
        return;
    };
    let pool = database.pool().await;
    let mut conn = pool.acquire().await.unwrap();
    assert!(draw_ids(&mut conn, "change", 0).await.unwrap().is_empty());
    assert_eq!(draw_ids(&mut conn, "change", 1).await.unwrap(), [1]);
    assert_eq!(draw_ids(&mut conn, "change", 3).await.unwrap(), [2, 3, 4]);
    let by_hand: i64 = sqlx::query_scalar(
        "INSERT INTO change (poll_id, changed_at, action, field, change_set)
         VALUES (1, now(), 'edit', 'notes', 1) RETURNING id",
    )
    .fetch_one(&mut *conn)
    .await
    .unwrap();
    assert_eq!(by_hand, 5);
    assert_eq!(draw_ids(&mut conn, "change", 2).await.unwrap(), [6, 7]);
    drop(conn);
    pool.close().await;
    finish(database, store).await;
}
