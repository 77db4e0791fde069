//! The contract: an import session, all or nothing.

#![allow(unused_imports)]

use super::*;
use crate::db::{Incoming, OnConflict, Outcome};

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
