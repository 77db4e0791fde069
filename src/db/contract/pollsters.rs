//! The contract: Pollsters, aliases and merges.

#![allow(unused_imports)]

use super::*;

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
    assert_error(
        db.merge_pollsters("Realmeter", "Nobody").await,
        ErrorKind::NotFound,
        &["no pollster \"Nobody\""],
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
