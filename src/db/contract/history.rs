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
    assert_eq!(history[0].poll_id, 3);
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
    first.tracking = true;
    db.update_poll(1, &first).await.unwrap();

    let all = db.history(None).await.unwrap();
    let summary: Vec<(i64, i64, &str, &str)> = all
        .iter()
        .map(|c| (c.id, c.poll_id, c.action.as_str(), c.field.as_str()))
        .collect();
    assert_eq!(
        summary,
        vec![
            (1, 1, "edit", "mode"),
            (2, 2, "delete", "poll"),
            (3, 1, "edit", "tracking"),
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
