//! The contract: a whole database read and written at once, ids kept.

#![allow(unused_imports)]

use super::*;
use crate::model::dump::{Dump, example};

pub(crate) async fn load_dump_keeps_every_id_and_read_dump_gives_it_back(db: &impl Store) {
    let dump = example();
    db.load_dump(&dump).await.expect("loaded");
    assert_eq!(db.read_dump().await.expect("read"), dump);

    // The records are the store's own: poll 17 with its pollster, sponsor and title-only source.
    let poll = db.get_poll(17).await.expect("poll 17");
    assert_eq!(poll.pollster, "Gallup Korea");
    assert_eq!(poll.sponsors, ["Hankook Ilbo"]);
    assert!(poll.partisan);
    assert_eq!(
        poll.sources[0].title.as_deref(),
        Some("South Korea signs \"pact\"")
    );
    assert_eq!(poll.sources[0].outlet.as_deref(), Some("Press TV"));
    assert_eq!(poll.created_at.as_deref(), Some("2026-01-02 03:04:05"));
    let history = db.history(None).await.expect("history");
    assert_eq!(history.iter().map(|c| c.id).collect::<Vec<_>>(), [1, 4, 5]);
    assert_eq!(history[2].reason.as_deref(), Some("spelling"));
    // Names and aliases are matched as ever: the alias, in any case, is the pollster.
    let mut again = poll_of("GALLUP", "2020-01-01");
    again.results[0].question = "kr-gsomia".into();
    again.results[0].wording = None;
    let added = db.add_poll(&again, false).await.expect("added");
    // A new poll's id comes after the loaded ones, the deleted poll 20 included.
    assert_eq!(added.id, 21);
    assert_eq!(db.get_poll(21).await.unwrap().pollster, "Gallup Korea");
    assert_eq!(
        db.question_kind("kr-gsomia").await.unwrap(),
        Some(crate::model::QuestionKind::Issue)
    );
}

fn poll_of(pollster: &str, published: &str) -> Poll {
    poll(pollster, "anything", published)
}

pub(crate) async fn load_dump_refuses_a_store_that_is_not_empty_and_writes_nothing(
    db: &impl Store,
) {
    db.add_poll(&poll("Realmeter", "kr-gsomia", "2019-08-22"), false)
        .await
        .unwrap();
    let before = db.read_dump().await.unwrap();
    assert_error(
        db.load_dump(&example()).await,
        ErrorKind::Conflict,
        &["not empty", "1 poll,", "1 pollster", "LoadIntoNewDatabase"],
    );
    assert_eq!(db.read_dump().await.unwrap(), before);
}

pub(crate) async fn load_dump_of_records_that_break_the_rules_writes_nothing(db: &impl Store) {
    let mut dump = example();
    // A second source with the first one's URL: refused by the store, after other rows went in.
    dump.sources[0].url = Some("https://example.com/a".into());
    let mut second = dump.sources[0].clone();
    second.id = 2;
    dump.sources.push(second);
    assert_error(
        db.load_dump(&dump).await,
        ErrorKind::Invalid,
        &["break the database's rules", "nothing was loaded"],
    );
    assert!(db.read_dump().await.unwrap().is_empty());
}

pub(crate) async fn read_dump_gives_every_record_in_id_order(db: &impl Store) {
    add_three(db).await;
    db.add_pollster_alias("RM", "Realmeter").await.unwrap();
    db.merge_pollsters("Realmeter", "Gallup Korea")
        .await
        .unwrap();
    let mut edited = db.get_poll(2).await.unwrap();
    edited.notes = Some("by phone".into());
    db.update_poll(2, &edited).await.unwrap();
    db.delete_poll(3).await.unwrap();
    db.add_source(
        &Source {
            title: Some("A title only".into()),
            ..Default::default()
        },
        &[2],
    )
    .await
    .unwrap();
    let dump = db.read_dump().await.unwrap();

    let pollsters: Vec<_> = dump.pollsters.iter().map(|p| (p.id, &p.name)).collect();
    assert_eq!(pollsters, [(2, &"Gallup Korea".to_string())]);
    assert_eq!(dump.pollsters[0].aliases, ["Realmeter", "RM"]);
    assert_eq!(dump.sponsors.len(), 1, "the deleted poll's sponsor stays");
    let slugs: Vec<_> = dump
        .questions
        .iter()
        .map(|q| (q.id, q.slug.as_str()))
        .collect();
    assert_eq!(slugs, [(1, "kr-gsomia"), (2, "kr-moon")]);
    assert_eq!(dump.polls.iter().map(|p| p.id).collect::<Vec<_>>(), [1, 2]);
    assert!(dump.polls.iter().all(|p| p.pollster_id == 2));
    assert_eq!(dump.polls[0].results.len(), 2);
    assert_eq!(dump.polls[0].results[1].answers[1].label, "Disapprove");
    assert_eq!(dump.polls[1].source_ids, [dump.sources[0].id]);
    assert_eq!(dump.sources[0].title.as_deref(), Some("A title only"));
    assert_eq!(dump.sources[0].url, None);
    let ids: Vec<i64> = dump.changes.iter().map(|c| c.id).collect();
    assert!(ids.windows(2).all(|w| w[0] < w[1]), "{ids:?}");
    let actions: Vec<_> = dump
        .changes
        .iter()
        .map(|c| (c.poll_id, c.action.as_str()))
        .collect();
    assert!(actions.contains(&(Some(3), "delete")), "{actions:?}");
    assert!(actions.contains(&(Some(2), "edit")), "{actions:?}");
    let deleted: Vec<_> = dump.deleted_results.iter().map(|d| d.poll_id).collect();
    assert_eq!(deleted, [3]);
}
