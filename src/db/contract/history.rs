//! The contract: The history of edits and deletes.

#![allow(unused_imports)]

use super::*;

pub(crate) async fn delete_poll_keeps_a_snapshot_in_the_history(db: &impl Store) {
    add_three(db).await;
    let stored = db.get_poll(3).await.unwrap();

    let deleted = db.delete_poll(3).await.unwrap();
    assert_eq!(deleted, stored, "returns what was deleted");
    assert_error(
        db.get_poll(3).await,
        ErrorKind::NotFound,
        &["there is no poll 3"],
    );
    assert_eq!(list_ids(db, &PollFilter::default()).await, vec![2, 1]);

    let history = db.history(Some(3)).await.unwrap();
    assert_eq!(history.len(), 1);
    assert_eq!(history[0].poll_id, Some(3));
    assert_eq!(history[0].action, "delete");
    assert_eq!(history[0].field, "poll");
    assert_eq!(history[0].new_value, None);
    let snapshot: Poll =
        serde_json::from_str(history[0].old_value.as_deref().expect("a snapshot")).unwrap();
    assert_eq!(snapshot, stored);
    assert_eq!(snapshot.sponsors, vec!["Hankook Ilbo"]);

    // The pollster stays, with one poll fewer; the other polls are whole.
    let gallup = db
        .list_pollsters()
        .await
        .unwrap()
        .into_iter()
        .find(|p| p.name == "Gallup Korea")
        .unwrap();
    assert_eq!(gallup.polls, 1);
    assert_eq!(db.get_poll(1).await.unwrap().results.len(), 2);

    // Deleting again, or an unknown poll, is NotFound and records nothing.
    assert_error(db.delete_poll(3).await, ErrorKind::NotFound, &["no poll 3"]);
    assert_error(
        db.delete_poll(99).await,
        ErrorKind::NotFound,
        &["no poll 99"],
    );
    assert_eq!(db.history(None).await.unwrap().len(), 1);
}

pub(crate) async fn history_lists_all_changes_or_one_polls_oldest_first(db: &impl Store) {
    assert!(db.history(None).await.unwrap().is_empty());
    add_three(db).await;
    assert!(
        db.history(None).await.unwrap().is_empty(),
        "adding is not a change"
    );
    assert!(db.history(Some(1)).await.unwrap().is_empty());

    let mut first = db.get_poll(1).await.unwrap();
    first.mode = Some("Online".into());
    db.update_poll(1, &first).await.unwrap();
    db.delete_poll(2).await.unwrap();
    // Read again: an edit of the poll read before the last one would be refused.
    let mut first = db.get_poll(1).await.unwrap();
    first.tracking = true;
    db.update_poll(1, &first).await.unwrap();

    let all = db.history(None).await.unwrap();
    let summary: Vec<(i64, Option<i64>, &str, &str)> = all
        .iter()
        .map(|c| (c.id, c.poll_id, c.action.as_str(), c.field.as_str()))
        .collect();
    assert_eq!(
        summary,
        vec![
            (1, Some(1), "edit", "mode"),
            (2, Some(2), "delete", "poll"),
            (3, Some(1), "edit", "tracking"),
        ]
    );
    assert_eq!(all[0].old_value, None);
    assert_eq!(all[0].new_value.as_deref(), Some("Online"));
    assert_eq!(all[2].old_value.as_deref(), Some("false"));
    assert_eq!(all[2].new_value.as_deref(), Some("true"));
    assert!(all.iter().all(|c| c.changed_at.len() == 19));

    let of_one = db.history(Some(1)).await.unwrap();
    assert_eq!(of_one.iter().map(|c| c.id).collect::<Vec<_>>(), vec![1, 3]);
    let of_two = db.history(Some(2)).await.unwrap();
    assert_eq!(of_two.len(), 1);
    assert_eq!(of_two[0].action, "delete");
    assert!(db.history(Some(3)).await.unwrap().is_empty());
    assert!(matches!(
        db.history(Some(99)).await,
        Err(crate::Error::NotFound { .. })
    ));
}

/// (subject, name, action, field, old, new) of each change, for comparing in one go.
type Row = (
    String,
    Option<String>,
    String,
    String,
    Option<String>,
    Option<String>,
);

fn rows(changes: &[Change]) -> Vec<Row> {
    changes
        .iter()
        .map(|c| {
            (
                c.subject.clone(),
                c.name.clone(),
                c.action.clone(),
                c.field.clone(),
                c.old_value.clone(),
                c.new_value.clone(),
            )
        })
        .collect()
}

fn row(
    subject: &str,
    name: &str,
    action: &str,
    field: &str,
    old: Option<&str>,
    new: Option<&str>,
) -> Row {
    (
        subject.into(),
        Some(name.into()),
        action.into(),
        field.into(),
        old.map(Into::into),
        new.map(Into::into),
    )
}

pub(crate) async fn changes_of_questions_pollsters_and_sources_are_recorded(db: &impl Store) {
    add_three(db).await;
    db.rename_question(
        "kr-moon",
        "kr-moon-approval",
        Some("Approve of Moon?"),
        None,
    )
    .await
    .unwrap();
    db.set_question_kind(
        "kr-moon-approval",
        Some(crate::model::QuestionKind::Approval),
    )
    .await
    .unwrap();
    // The same kind again is no change.
    db.set_question_kind(
        "kr-moon-approval",
        Some(crate::model::QuestionKind::Approval),
    )
    .await
    .unwrap();
    let red = Rgb::parse("#E3000F").unwrap();
    db.set_answer_colours("kr-moon-approval", &[("Approve".into(), Some(red))])
        .await
        .unwrap();
    db.set_answer_colours("kr-moon-approval", &[("approve".into(), None)])
        .await
        .unwrap();
    db.add_pollster_alias("GK", "Gallup Korea").await.unwrap();
    let source = Source {
        url: Some("https://example.org/a".into()),
        ..Default::default()
    };
    let id = db.add_source(&source, &[1]).await.unwrap();
    let completed = Source {
        title: Some("Most oppose".into()),
        ..source
    };
    db.add_source(&completed, &[]).await.unwrap();
    db.link_source("https://example.org/a", &[1, 2])
        .await
        .unwrap();

    let question = Subject::Question("kr-moon-approval".into());
    assert_eq!(
        rows(&db.history_of(Some(&question)).await.unwrap()),
        vec![
            row(
                "question",
                "kr-moon-approval",
                "rename",
                "slug",
                Some("kr-moon"),
                Some("kr-moon-approval")
            ),
            row(
                "question",
                "kr-moon-approval",
                "rename",
                "wording",
                Some("Wording of kr-moon"),
                Some("Approve of Moon?")
            ),
            row(
                "question",
                "kr-moon-approval",
                "kind",
                "kind",
                None,
                Some("approval")
            ),
            row(
                "question",
                "kr-moon-approval",
                "color",
                "colour Approve",
                None,
                Some("#E3000F")
            ),
            row(
                "question",
                "kr-moon-approval",
                "color",
                "colour approve",
                Some("#E3000F"),
                None
            ),
        ]
    );
    let pollster = Subject::Pollster("gk".into());
    assert_eq!(
        rows(&db.history_of(Some(&pollster)).await.unwrap()),
        vec![row(
            "pollster",
            "Gallup Korea",
            "alias",
            "alias",
            None,
            Some("GK")
        )]
    );
    let by_url = Subject::Source("https://example.org/a".into());
    let of_source = db.history_of(Some(&by_url)).await.unwrap();
    assert_eq!(
        rows(&of_source),
        vec![
            row(
                "source",
                "https://example.org/a",
                "add",
                "url",
                None,
                Some("https://example.org/a")
            ),
            row(
                "source",
                "https://example.org/a",
                "link",
                "polls",
                None,
                Some("1")
            ),
            row(
                "source",
                "https://example.org/a",
                "edit",
                "title",
                None,
                Some("Most oppose")
            ),
            row(
                "source",
                "https://example.org/a",
                "link",
                "polls",
                Some("1"),
                Some("1, 2")
            ),
        ]
    );
    assert!(
        of_source
            .iter()
            .all(|c| c.subject_id == Some(id) && c.poll_id.is_none())
    );
    assert_eq!(of_source[0].change_set, of_source[0].id);
    // One change, one set: the rename's two rows share theirs.
    let all = db.history(None).await.unwrap();
    assert_eq!(all[1].change_set, all[0].change_set);
    assert_ne!(all[2].change_set, all[0].change_set);
    assert!(all.iter().all(|c| c.reason.is_none()));
    // The polls' history holds none of these.
    assert!(db.history(Some(1)).await.unwrap().is_empty());

    // A source a poll brings is recorded as added, with the poll it reports.
    let mut with_source = poll("Hankook Research", "kr-gsomia", "2019-08-30");
    with_source.sources = vec![Source {
        url: Some("https://example.org/new".into()),
        ..Default::default()
    }];
    let id = db.add_poll(&with_source, false).await.unwrap().id;
    let new = Subject::Source("https://example.org/new".into());
    assert_eq!(
        rows(&db.history_of(Some(&new)).await.unwrap()),
        vec![
            row(
                "source",
                "https://example.org/new",
                "add",
                "url",
                None,
                Some("https://example.org/new")
            ),
            row(
                "source",
                "https://example.org/new",
                "add",
                "polls",
                None,
                Some(&id.to_string())
            ),
        ]
    );

    for (subject, message) in [
        (
            Subject::Question("nope".into()),
            "there is no question nope",
        ),
        (
            Subject::Pollster("Nobody".into()),
            "there is no pollster \"Nobody\"",
        ),
        (Subject::Source("7".into()), "there is no source 7"),
    ] {
        assert_error(
            db.history_of(Some(&subject)).await,
            ErrorKind::NotFound,
            &[message],
        );
    }
}

pub(crate) async fn restore_poll_brings_a_deleted_poll_back_whole(db: &impl Store) {
    add_three(db).await;
    db.add_source(
        &Source {
            url: Some("https://example.org/b".into()),
            ..Default::default()
        },
        &[3],
    )
    .await
    .unwrap();
    let stored = db.get_poll(3).await.unwrap();
    db.delete_poll(3).await.unwrap();

    let restored = db.restore_poll(3).await.unwrap();
    assert_eq!(
        restored, stored,
        "the same id, fields, answers, sponsors and sources"
    );
    assert_eq!(db.get_poll(3).await.unwrap(), stored);
    assert_eq!(db.list_sources(Some(3)).await.unwrap()[0].polls, vec![3]);
    let history = db.history(Some(3)).await.unwrap();
    assert_eq!(
        history
            .iter()
            .map(|c| c.action.as_str())
            .collect::<Vec<_>>(),
        vec!["delete", "restore"]
    );

    // A question renamed while its poll was deleted: the poll comes back under the new slug.
    db.delete_poll(3).await.unwrap();
    db.rename_question("kr-moon", "kr-moon-approval", None, None)
        .await
        .unwrap();
    let restored = db.restore_poll(3).await.unwrap();
    assert_eq!(restored.results[0].question, "kr-moon-approval");
    assert_eq!(restored.results[0].answers, stored.results[0].answers);
    let slugs: Vec<String> = db
        .list_questions()
        .await
        .unwrap()
        .into_iter()
        .map(|q| q.slug)
        .collect();
    assert!(!slugs.contains(&"kr-moon".to_string()), "{slugs:?}");

    let count = db.history(None).await.unwrap().len();
    assert_error(
        db.restore_poll(3).await,
        ErrorKind::Conflict,
        &["poll 3 is stored"],
    );
    assert_error(
        db.restore_poll(99).await,
        ErrorKind::NotFound,
        &["there is no deleted poll 99"],
    );
    // Recorded again since its deletion: restoring would count it twice.
    let stored = db.get_poll(3).await.unwrap();
    db.delete_poll(3).await.unwrap();
    let again = db.add_poll(&stored, false).await.unwrap().id;
    assert_eq!(again, 4);
    assert_error(
        db.restore_poll(3).await,
        ErrorKind::Conflict,
        &["poll 3 cannot be restored: poll 4, stored since, is the same poll"],
    );
    assert_eq!(
        db.history(None).await.unwrap().len(),
        count + 2,
        "the delete, and its source's link to the poll recorded again; no restore"
    );
}

pub(crate) async fn undo_poll_change_goes_back_one_change_at_a_time(db: &impl Store) {
    add_three(db).await;
    let added = db.get_poll(1).await.unwrap();
    let mut edited = added.clone();
    edited.mode = Some("Online".into());
    edited.results[0].sample_size = Some(1500.0);
    db.update_poll(1, &edited).await.unwrap();
    let edited = db.get_poll(1).await.unwrap();

    let undone = db.undo_poll_change(1).await.unwrap();
    assert_eq!(undone.undid, "edit");
    assert_eq!(undone.change_set, Some(1));
    assert_eq!(undone.changes.len(), 2);
    assert!(undone.changes.iter().all(|c| c.action == "undo"));
    let back = db.get_poll(1).await.unwrap();
    assert_eq!(
        (back.mode.clone(), back.results.clone()),
        (added.mode.clone(), added.results.clone())
    );

    let redone = db.undo_poll_change(1).await.unwrap();
    assert_eq!(redone.undid, "undo");
    let again = db.get_poll(1).await.unwrap();
    assert_eq!((again.mode, again.results), (edited.mode, edited.results));

    db.delete_poll(1).await.unwrap();
    assert_eq!(db.undo_poll_change(1).await.unwrap().undid, "delete");
    assert!(db.get_poll(1).await.is_ok());
    assert_eq!(db.undo_poll_change(1).await.unwrap().undid, "restore");
    assert!(db.get_poll(1).await.is_err());

    // Only added: its addition is undone by deleting it, and a restore brings it back.
    let undone = db.undo_poll_change(2).await.unwrap();
    assert_eq!((undone.undid.as_str(), undone.change_set), ("add", None));
    assert_error(db.get_poll(2).await, ErrorKind::NotFound, &["no poll 2"]);
    db.restore_poll(2).await.unwrap();
    assert_error(
        db.undo_poll_change(99).await,
        ErrorKind::NotFound,
        &["no poll 99"],
    );
}
