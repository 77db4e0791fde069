//! The raw trend read: two halves on two connections, reads while others write.

#![allow(unused_imports)]

use super::*;

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
            tokio::time::sleep(std::time::Duration::from_millis(10)).await;
        }
    };
    let (counts, ()) = tokio::join!(reading, writing);
    assert!(counts.windows(2).all(|w| w[0] <= w[1]), "{counts:?}");
    let all = reader.poll_results(&filter).await.expect("read");
    assert_eq!(all.len(), ids.len() + 40);
    reader.close().await.expect("close");
    writer.close().await.expect("close");
}
