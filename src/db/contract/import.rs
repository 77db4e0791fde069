//! The contract: an import session, all or nothing.

#![allow(unused_imports)]

use super::*;
use crate::db::{Incoming, OnConflict, Outcome};
use crate::model::QuestionKind;

fn incoming(poll: Poll) -> Incoming {
    Incoming {
        poll,
        file_id: None,
        file_key: None,
        question_ids: Vec::new(),
    }
}

/// Poll 2 of [`add_three`] as a file would give it again.
fn gallup_2016() -> Poll {
    let mut p = poll("Gallup Korea", "kr-gsomia", "2016-11-18");
    p.field_start = Some(d("2016-11-15"));
    p.field_end = Some(d("2016-11-17"));
    p
}

pub(crate) async fn an_import_adds_new_polls_and_knows_stored_ones(db: &impl Store) {
    add_three(db).await;
    let new = poll("Hankook Research", "kr-moon", "2019-09-01");
    let mut importer = db.importer(OnConflict::Refuse).await.expect("start");
    let outcomes = importer
        .add_keyed(vec![incoming(gallup_2016()), incoming(new.clone())])
        .await
        .expect("add");
    importer.commit().await.expect("commit");
    assert_eq!(outcomes, vec![Outcome::Unchanged(2), Outcome::Added(4)]);
    assert_eq!(db.get_poll(4).await.expect("get").pollster, new.pollster);
    assert_eq!(db.count_polls().await.expect("count"), 4);
}

pub(crate) async fn an_import_rolled_back_leaves_nothing(db: &impl Store) {
    add_three(db).await;
    let mut importer = db.importer(OnConflict::Refuse).await.expect("start");
    let outcomes = importer
        .add_keyed(vec![incoming(poll(
            "Hankook Research",
            "kr-moon",
            "2019-09-01",
        ))])
        .await
        .expect("add");
    assert_eq!(outcomes, vec![Outcome::Added(4)]);
    importer.roll_back().await.expect("roll back");
    assert_error(db.get_poll(4).await, ErrorKind::NotFound, &["no poll 4"]);
    assert_eq!(db.count_polls().await.expect("count"), 3);
}

/// A file's poll with its own keys.
fn keyed(poll: Poll, file_id: Option<i64>, key: &str, question_ids: &[&str]) -> Incoming {
    Incoming {
        poll,
        file_id,
        file_key: Some(key.into()),
        question_ids: question_ids.iter().map(|q| Some(q.to_string())).collect(),
    }
}

pub(crate) async fn an_import_keeps_free_file_ids_and_matches_by_the_sources_ids(db: &impl Store) {
    add_three(db).await;
    let hankook = poll("Hankook Research", "kr-moon", "2019-09-01");
    let ipsos = poll("Ipsos", "kr-moon", "2019-09-02");
    let mut unworded = poll("Ipsos", "kr-new", "2019-09-02");
    unworded.results[0].wording = None;
    let mut importer = db.importer(OnConflict::Refuse).await.expect("start");
    importer.id_scheme(Some("538".into()));
    let outcomes = importer
        .add_keyed(vec![
            keyed(hankook.clone(), Some(10), "a", &["q1"]),
            keyed(ipsos, Some(2), "b", &["q2"]),
            incoming(unworded),
        ])
        .await
        .expect("add");
    importer.commit().await.expect("commit");
    assert_eq!(
        outcomes,
        vec![
            Outcome::Added(10),
            Outcome::Added(4),
            Outcome::Invalid("question kr-new is new: give its wording".into()),
        ]
    );
    // The source's ids find the poll again, whatever a correction changed.
    let mut corrected = hankook;
    corrected.published_on = Some(d("2019-09-03"));
    corrected.results[0].answers[0].pct = 60.0;
    let mut importer = db.importer(OnConflict::Refuse).await.expect("start");
    importer.id_scheme(Some("538".into()));
    let outcomes = importer
        .add_keyed(vec![keyed(corrected.clone(), None, "a", &["q1"])])
        .await
        .expect("add");
    importer.roll_back().await.expect("roll back");
    assert!(
        matches!(&outcomes[..], [Outcome::Conflict(10, differences)] if !differences.is_empty()),
        "{outcomes:?}"
    );
    let mut importer = db.importer(OnConflict::Replace).await.expect("start");
    importer.id_scheme(Some("538".into()));
    let outcomes = importer
        .add_keyed(vec![keyed(corrected, None, "a", &["q1"])])
        .await
        .expect("add");
    importer.commit().await.expect("commit");
    assert_eq!(outcomes, vec![Outcome::Replaced(10)]);
    let stored = db.get_poll(10).await.expect("get");
    assert_eq!(stored.published_on, Some(d("2019-09-03")));
    assert_eq!(stored.results[0].answers[0].pct, 60.0);
    assert_eq!(db.count_polls().await.expect("count"), 5);
    let history = db.history(Some(10)).await.expect("history");
    assert!(history.iter().any(|c| c.action == "edit"), "{history:?}");
}

pub(crate) async fn an_import_leaves_out_or_restores_deleted_polls(db: &impl Store) {
    add_three(db).await;
    db.delete_poll(2).await.expect("delete");
    let mut importer = db.importer(OnConflict::Refuse).await.expect("start");
    let outcomes = importer
        .add_keyed(vec![incoming(gallup_2016())])
        .await
        .expect("add");
    importer.roll_back().await.expect("roll back");
    assert_eq!(outcomes, vec![Outcome::Deleted(2)]);
    let mut importer = db.importer(OnConflict::Refuse).await.expect("start");
    importer.restore_deleted(true);
    let outcomes = importer
        .add_keyed(vec![incoming(gallup_2016()), incoming(gallup_2016())])
        .await
        .expect("add");
    importer.commit().await.expect("commit");
    assert_eq!(outcomes, vec![Outcome::Added(2), Outcome::Repeated(2)]);
    assert_eq!(db.get_poll(2).await.expect("get").pollster, "Gallup Korea");
    let history = db.history(Some(2)).await.expect("history");
    let last = history.last().expect("a change");
    assert_eq!(last.field, "restored", "{history:?}");
}

pub(crate) async fn an_import_handles_conflicts_kinds_and_answer_labels(db: &impl Store) {
    add_three(db).await;
    // A kind the file's layout tells is given without a word.
    let mut importer = db.importer(OnConflict::Refuse).await.expect("start");
    importer.question_kind(Some(QuestionKind::Approval), false);
    let moon = poll("Ipsos", "kr-moon", "2019-09-02");
    let outcomes = importer.add_keyed(vec![incoming(moon)]).await.expect("add");
    assert_eq!(outcomes, vec![Outcome::Added(4)]);
    assert!(importer.warnings().is_empty());
    importer.commit().await.expect("commit");
    let mut other = gallup_2016();
    other.results[0].answers[0].pct = 60.0;
    let mut labels = poll("Ipsos", "kr-gsomia", "2019-09-02");
    labels.results[0].answers = answers(&[("oppose", 50.0), ("Neutral", 10.0)]);
    let moon = poll("Ipsos", "kr-moon", "2019-09-05");
    let mut importer = db.importer(OnConflict::Skip).await.expect("start");
    importer.question_kind(Some(QuestionKind::Issue), true);
    let outcomes = importer
        .add_keyed(vec![incoming(other), incoming(labels), incoming(moon)])
        .await
        .expect("add");
    assert_eq!(
        outcomes,
        vec![Outcome::Skipped(2), Outcome::Added(5), Outcome::Added(6)]
    );
    assert_eq!(
        importer.question_labels("kr-gsomia").await.expect("labels"),
        ["Neutral", "Oppose", "Support"]
    );
    assert!(
        importer
            .question_labels("kr-none")
            .await
            .expect("labels")
            .is_empty()
    );
    let warnings: Vec<String> = importer
        .warnings()
        .iter()
        .map(|w| w.message.clone())
        .collect();
    importer.commit().await.expect("commit");
    assert_eq!(
        warnings,
        [
            "question kr-moon is stored as a question of kind approval; the kind given (issue) was \
          not used"
        ]
    );
    assert_eq!(
        db.get_poll(2).await.expect("get").results[0].answers[0].pct,
        59.0
    );
    let kinds = [
        db.question_kind("kr-gsomia").await.expect("kind"),
        db.question_kind("kr-moon").await.expect("kind"),
    ];
    assert_eq!(
        kinds,
        [Some(QuestionKind::Issue), Some(QuestionKind::Approval)]
    );
}
