//! The contract: Sources and their links to polls.

#![allow(unused_imports)]

use super::*;

pub(crate) async fn add_source_records_links_and_completes_by_url(db: &impl Store) {
    add_three(db).await;
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
}

pub(crate) async fn link_source_by_id_and_by_url(db: &impl Store) {
    add_three(db).await;
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
        &["there is no source 7", "ListSources"],
    );
    assert_error(
        db.link_source("https://nowhere.example", &[1]).await,
        ErrorKind::NotFound,
        &["there is no source https://nowhere.example"],
    );
}

pub(crate) async fn list_sources_all_and_for_one_poll(db: &impl Store) {
    assert!(db.list_sources(None).await.unwrap().is_empty());
    add_three(db).await;
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
}

pub(crate) async fn get_source_by_id_and_by_url(db: &impl Store) {
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
}
