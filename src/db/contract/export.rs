//! The contract: an export's snapshot, a page of whole polls at a time.

#![allow(unused_imports)]

use super::*;

pub(crate) async fn a_snapshot_gives_every_poll_once_by_id_and_their_answer_labels(
    db: &impl Store,
) {
    add_three(db).await;
    let filter = PollFilter::default();
    let mut snapshot = db.snapshot().await.expect("snapshot");
    let mut polls = Vec::new();
    snapshot
        .for_each_page(&filter, |page| {
            polls.extend(page.polls()?);
            Ok(())
        })
        .await
        .expect("pages");
    let labels = snapshot.answer_labels(&filter).await.expect("labels");
    snapshot.finish().await.expect("finish");
    let ids: Vec<i64> = polls.iter().filter_map(|p| p.id).collect();
    assert_eq!(ids, vec![1, 2, 3]);
    assert_eq!(labels, ["Oppose", "Support", "Approve", "Disapprove"]);
    for poll in polls {
        let id = poll.id.expect("an id");
        assert_eq!(poll, db.get_poll(id).await.expect("get"), "poll {id}");
    }
}

pub(crate) async fn a_snapshot_gives_only_the_result_sets_a_filter_selects(db: &impl Store) {
    add_three(db).await;
    let filter = PollFilter {
        questions: vec!["kr-moon".into()],
        ..Default::default()
    };
    let mut snapshot = db.snapshot().await.expect("snapshot");
    let mut polls = Vec::new();
    snapshot
        .for_each_page(&filter, |page| {
            polls.extend(page.polls()?);
            Ok(())
        })
        .await
        .expect("pages");
    snapshot.finish().await.expect("finish");
    let ids: Vec<i64> = polls.iter().filter_map(|p| p.id).collect();
    assert_eq!(ids, vec![1, 3]);
    assert!(
        polls
            .iter()
            .flat_map(|p| &p.results)
            .all(|r| r.question == "kr-moon")
    );
}
