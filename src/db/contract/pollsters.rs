//! The contract: Pollsters, aliases and merges.

#![allow(unused_imports)]

use super::*;
use crate::db::{Merged, Renamed};

pub(crate) async fn list_pollsters_gives_aliases_counts_and_date_spans(db: &impl Store) {
    assert!(db.list_pollsters().await.unwrap().is_empty());
    add_three(db).await;
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
}

pub(crate) async fn add_pollster_alias_resolves_names_and_refuses_clashes(db: &impl Store) {
    add_three(db).await;
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
            "MergePollsters { from: \"Realmeter\", into: \"Gallup Korea\" }",
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
        &["there is no pollster \"Nobody\"", "ListPollsters"],
    );
    let pollsters = db.list_pollsters().await.unwrap();
    assert_eq!(pollsters[0].aliases, vec!["Gallup", "GK"]);
    assert!(pollsters[1].aliases.is_empty());
}

pub(crate) async fn merge_pollsters_refuses_unknown_and_identical_pollsters(db: &impl Store) {
    add_three(db).await;
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
    assert_eq!(db.list_pollsters().await.unwrap().len(), 2);
    // Only the alias is recorded: no refused merge is.
    let history = db.history(None).await.unwrap();
    assert_eq!(
        history
            .iter()
            .map(|c| (c.subject.as_str(), c.action.as_str()))
            .collect::<Vec<_>>(),
        vec![("pollster", "alias")]
    );
}

pub(crate) async fn merge_pollsters_moves_polls_records_history_and_keeps_the_old_name_as_alias(
    db: &impl Store,
) {
    add_three(db).await;
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

    let all = db.history(None).await.unwrap();
    assert_eq!(
        all.iter()
            .map(|c| (c.subject.as_str(), c.poll_id, c.action.as_str()))
            .collect::<Vec<_>>(),
        vec![
            ("pollster", None, "alias"),
            ("poll", Some(1), "edit"),
            ("poll", Some(4), "edit"),
            ("pollster", None, "merge"),
        ]
    );
    // The pollster's own history: its alias is gone with it; the merge is the kept one's.
    let kept = db
        .history_of(Some(&Subject::Pollster("Gallup Korea".into())))
        .await
        .unwrap();
    assert_eq!(kept.len(), 1);
    assert_eq!(kept[0].name.as_deref(), Some("Gallup Korea"));
    assert_eq!(
        (kept[0].old_value.as_deref(), kept[0].new_value.as_deref()),
        (Some("Realmeter"), Some("Gallup Korea"))
    );
    let history: Vec<_> = all.into_iter().filter(|c| c.subject == "poll").collect();
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
        assert_eq!(list_ids(db, &filter).await, vec![2, 3, 1, 4]);
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
}

pub(crate) async fn merge_into_a_name_not_stored_renames(db: &impl Store) {
    add_three(db).await;
    let merged = db
        .merge_pollsters_with("realmeter", " Realmeter Research ", false)
        .await
        .unwrap();
    assert_eq!(
        merged,
        Merged {
            moved: 1,
            combined: vec![],
            renamed: true
        }
    );
    let pollsters = db.list_pollsters().await.unwrap();
    let named: Vec<(&str, &[String], i64)> = pollsters
        .iter()
        .map(|p| (p.name.as_str(), p.aliases.as_slice(), p.polls))
        .collect();
    assert_eq!(
        named,
        vec![
            ("Gallup Korea", &[][..], 2),
            ("Realmeter Research", &["Realmeter".to_string()][..], 1)
        ]
    );
    assert_eq!(db.get_poll(1).await.unwrap().pollster, "Realmeter Research");
    // The old spelling still finds it.
    db.add_poll(&poll("REALMETER", "kr-moon", "2019-10-01"), false)
        .await
        .unwrap();
    assert_eq!(db.get_poll(4).await.unwrap().pollster, "Realmeter Research");
}

pub(crate) async fn rename_pollster_keeps_or_drops_the_old_name_and_swaps_an_alias(
    db: &impl Store,
) {
    add_three(db).await;
    db.add_poll(&poll("갤럽", "kr-moon", "2019-10-01"), false)
        .await
        .unwrap();
    let renamed = db.rename_pollster("갤럽", "한국갤럽", true).await.unwrap();
    assert_eq!(
        renamed,
        Renamed {
            old: "갤럽".into(),
            new: "한국갤럽".into(),
            alias_kept: true
        }
    );
    // An alias becomes the name shown; the name shown an alias.
    db.add_pollster_alias("Gallup Korea (KR)", "한국갤럽")
        .await
        .unwrap();
    let swapped = db
        .rename_pollster("갤럽", " gallup korea (kr) ", true)
        .await
        .unwrap();
    assert_eq!(
        (swapped.old.as_str(), swapped.new.as_str()),
        ("한국갤럽", "gallup korea (kr)")
    );
    let pollsters = db.list_pollsters().await.unwrap();
    let korea = pollsters
        .iter()
        .find(|p| p.polls == 1 && p.name.starts_with("gallup"));
    assert_eq!(
        korea.map(|p| p.aliases.clone()),
        Some(vec!["갤럽".to_string(), "한국갤럽".to_string()])
    );
    // A change of case keeps no alias: the key is the same.
    let case = db
        .rename_pollster("Gallup Korea (KR)", "Gallup Korea (KR)", true)
        .await
        .unwrap();
    assert!(!case.alias_kept);
    assert_eq!(db.get_poll(4).await.unwrap().pollster, "Gallup Korea (KR)");
    // Dropping the old name: it no longer matches.
    let dropped = db
        .rename_pollster("Realmeter", "Real Meter", false)
        .await
        .unwrap();
    assert!(!dropped.alias_kept);
    let filter = PollFilter {
        pollsters: vec!["Realmeter".into()],
        ..Default::default()
    };
    assert_error(
        db.check_filter(&filter).await,
        ErrorKind::NotFound,
        &["Realmeter"],
    );

    assert_error(
        db.rename_pollster("Real Meter", "Gallup Korea", true).await,
        ErrorKind::Conflict,
        &[
            "already stands for the pollster Gallup Korea",
            "MergePollsters",
        ],
    );
    assert_error(
        db.rename_pollster("Real Meter", "Real Meter", true).await,
        ErrorKind::Usage,
        &["named \"Real Meter\" already"],
    );
    assert_error(
        db.rename_pollster("Real Meter", " ", true).await,
        ErrorKind::Invalid,
        &["name is empty"],
    );
    assert_error(
        db.rename_pollster("Nobody", "Somebody", true).await,
        ErrorKind::NotFound,
        &["there is no pollster \"Nobody\""],
    );
}

pub(crate) async fn prune_pollsters_removes_those_with_no_polls_and_their_aliases(db: &impl Store) {
    add_three(db).await;
    db.add_poll(&poll("Ipsos", "kr-moon", "2019-09-01"), false)
        .await
        .unwrap();
    db.add_pollster_alias("Ipsos SA", "Ipsos").await.unwrap();
    assert!(db.prune_pollsters().await.unwrap().is_empty());
    db.delete_poll(4).await.unwrap();
    db.delete_poll(1).await.unwrap();
    assert_eq!(
        db.prune_pollsters().await.unwrap(),
        vec!["Ipsos".to_string(), "Realmeter".to_string()]
    );
    let names: Vec<String> = db
        .list_pollsters()
        .await
        .unwrap()
        .into_iter()
        .map(|p| p.name)
        .collect();
    assert_eq!(names, vec!["Gallup Korea"]);
    // The alias went with it: the name is free for a new pollster.
    db.add_poll(&poll("Ipsos SA", "kr-moon", "2019-09-02"), false)
        .await
        .unwrap();
    assert_eq!(db.get_poll(5).await.unwrap().pollster, "Ipsos SA");
}

pub(crate) async fn pollster_spellings_give_names_and_aliases(db: &impl Store) {
    assert!(db.pollster_spellings().await.unwrap().is_empty());
    add_three(db).await;
    db.add_pollster_alias("GK", "Gallup Korea").await.unwrap();
    db.add_pollster_alias("Hankook Research", "Realmeter")
        .await
        .unwrap();
    let pair = |a: &str, b: &str| (a.to_string(), b.to_string());
    assert_eq!(
        db.pollster_spellings().await.unwrap(),
        vec![
            pair("Gallup Korea", "Gallup Korea"),
            pair("GK", "Gallup Korea"),
            pair("Hankook Research", "Realmeter"),
            pair("Realmeter", "Realmeter"),
        ]
    );
}
