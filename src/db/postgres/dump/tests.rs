//! A database copied between the stores through dumps: an SQLite store's records loaded into
//! a PostgreSQL database read back the same, ids and history included, and the PostgreSQL
//! database goes on from past the loaded ids. Skipped without a test server.

use super::super::PgStore;
use super::super::testing;
use crate::db::contract::{mixed_polls, poll, result};
use crate::db::sqlite::SqliteStore;
use crate::db::{
    Access, DumpStore, HistoryStore, PollStore, PollsterStore, QuestionStore, SourceStore,
};
use crate::model::dump::Dump;
use crate::model::{Rgb, Source};

/// An SQLite store holding mixed polls, edited, deleted, restored, with sources, aliases,
/// a merge, a renamed question, colours (labels whose byte order and case order differ) and
/// reasons.
async fn filled_sqlite(dir: &tempfile::TempDir) -> SqliteStore {
    let mut lite = SqliteStore::open(&dir.path().join("polls.db"), Access::Create)
        .await
        .expect("open SQLite");
    let (ids, _) = lite.insert_polls(&mixed_polls(400)).await.expect("polls");
    lite.set_reason(Some("checked against the release".into()));
    let mut edited = lite.get_poll(ids[5]).await.unwrap();
    edited.notes = Some("by phone".into());
    edited.results[0].sample_size = Some(812.0);
    lite.update_poll(ids[5], &edited).await.unwrap();
    lite.set_reason(None);
    lite.delete_polls(&[ids[7], ids[8], ids[399]])
        .await
        .unwrap();
    lite.delete_poll(ids[11]).await.unwrap();
    lite.restore_poll(ids[11]).await.unwrap();
    lite.undo_poll_change(ids[5]).await.unwrap();
    for (alias, name) in [
        ("b", "Pollster 1"),
        ("B2", "Pollster 1"),
        ("a", "Pollster 1"),
    ] {
        lite.add_pollster_alias(alias, name).await.unwrap();
    }
    lite.add_pollster_alias("Zeta", "Pollster 2").await.unwrap();
    lite.merge_pollsters("Pollster 4", "Pollster 3")
        .await
        .unwrap();
    lite.rename_question("small", "small-renamed", Some("Smaller?"), None)
        .await
        .unwrap();
    let colour = |text: &str| Some(Rgb::parse(text).unwrap());
    let colours = [
        ("Zed".to_string(), colour("#E3000F")),
        ("_under".to_string(), colour("#000000")),
        ("apple".to_string(), colour("#00FF00")),
        ("Yes".to_string(), colour("#0000FF")),
    ];
    lite.set_answer_colours("big", &colours).await.unwrap();
    let url = Source {
        url: Some("https://example.org/a".into()),
        outlet: Some("Outlet".into()),
        published_on: Some(crate::model::parse_date("2012-03-04").unwrap()),
        ..Default::default()
    };
    lite.add_source(&url, &[ids[1], ids[2]]).await.unwrap();
    let title = Source {
        title: Some("A title only".into()),
        ..Default::default()
    };
    lite.add_source(&title, &[ids[3]]).await.unwrap();
    let mut sponsored = poll("Sponsored", "other", "2015-05-05");
    sponsored.sponsors = vec!["Zed Times".into(), "Alpha News".into()];
    sponsored.results = vec![result("other", "b", &[("Z", 4.0)])];
    lite.add_poll(&sponsored, false).await.unwrap();
    lite
}

/// The largest id of each kind a dump holds, polls counting those its history names.
fn largest(dump: &Dump) -> [i64; 4] {
    let polls = dump.polls.iter().map(|p| p.id);
    let named = dump.changes.iter().filter_map(|c| c.poll_id);
    [
        polls.chain(named).max().unwrap(),
        dump.changes.iter().map(|c| c.id).max().unwrap(),
        dump.sources.iter().map(|s| s.id).max().unwrap(),
        dump.pollsters.iter().map(|p| p.id).max().unwrap(),
    ]
}

#[tokio::test]
async fn an_sqlite_database_loads_whole_and_goes_on_past_its_ids() {
    let Some(database) = testing::migrated().await else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let lite = filled_sqlite(&dir).await;
    let dump = lite.read_dump().await.unwrap();
    lite.close().await.unwrap();
    assert!(dump.problems().is_empty(), "{:?}", dump.problems());
    assert!(
        dump.deleted_results.len() > 3,
        "{}",
        dump.deleted_results.len()
    );
    assert!(dump.questions.iter().any(|q| q.colours.len() == 4));

    let pg = PgStore::open(&database.url, Access::Create).await.unwrap();
    pg.load_dump(&dump).await.expect("loaded");
    let again = pg.read_dump().await.unwrap();
    assert_eq!(again, dump);

    // And back into a new SQLite file: the same records again.
    let back = SqliteStore::open(&dir.path().join("back.db"), Access::Create)
        .await
        .unwrap();
    back.load_dump(&again).await.unwrap();
    assert_eq!(back.read_dump().await.unwrap(), dump);
    back.close().await.unwrap();

    // Each sequence goes on past the loaded ids.
    let [poll_id, change_id, source_id, pollster_id] = largest(&dump);
    let pool = database.pool().await;
    for (table, past) in [
        ("change", change_id),
        ("source", source_id),
        ("pollster", pollster_id),
        ("poll", poll_id),
    ] {
        let next: i64 = sqlx::query_scalar("SELECT nextval(pg_get_serial_sequence($1, 'id'))")
            .bind(table)
            .fetch_one(&pool)
            .await
            .unwrap();
        assert!(next > past, "{table}: {next} after {past}");
    }
    pool.close().await;

    // A new poll and its edit take ids past the loaded ones.
    let added = pg
        .add_poll(&poll("Newcomer", "big", "2016-01-01"), false)
        .await
        .unwrap();
    assert!(added.id > poll_id, "{} after {poll_id}", added.id);
    let mut edited = pg.get_poll(added.id).await.unwrap();
    edited.mode = Some("Online".into());
    let (changes, _) = pg.update_poll(added.id, &edited).await.unwrap();
    assert!(changes[0].id > change_id);
    pg.close().await.unwrap();
    database.drop().await;
}

/// The records with the times written now left out: what two stores doing the same thing at
/// nearly the same moment must agree on.
fn timeless(mut dump: Dump) -> Dump {
    for change in &mut dump.changes {
        change.changed_at.clear();
    }
    for poll in &mut dump.polls {
        poll.updated_at.clear();
    }
    dump
}

/// The history read, restored from and undone on PostgreSQL as on SQLite: after loading the
/// same records, the same history of each subject, the same restores and undos (each kind of
/// last change), the same refusals, and the same records after.
#[tokio::test]
async fn restores_and_undos_do_what_they_do_on_sqlite() {
    let Some(database) = testing::migrated().await else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let lite = filled_sqlite(&dir).await;
    let pg = PgStore::open(&database.url, Access::Create).await.unwrap();
    pg.load_dump(&lite.read_dump().await.unwrap())
        .await
        .unwrap();

    use crate::model::Subject;
    let subjects = [
        None,
        Some(Subject::Poll(6)),
        Some(Subject::Poll(8)),
        Some(Subject::Pollster("B".into())),
        Some(Subject::Pollster("Pollster 4".into())),
        Some(Subject::Question("small-renamed".into())),
        Some(Subject::Source("https://example.org/a".into())),
        Some(Subject::Source("2".into())),
    ];
    for subject in &subjects {
        let of_lite = lite.history_of(subject.as_ref()).await.unwrap();
        let of_pg = pg.history_of(subject.as_ref()).await.unwrap();
        assert_eq!(of_pg, of_lite, "{subject:?}");
    }
    for subject in [
        Subject::Question("nope".into()),
        Subject::Pollster("Nobody".into()),
        Subject::Source("99".into()),
    ] {
        let of_lite = lite.history_of(Some(&subject)).await.unwrap_err();
        let of_pg = pg.history_of(Some(&subject)).await.unwrap_err();
        assert_eq!(of_pg.to_string(), of_lite.to_string());
    }

    let restored = pg.restore_poll(8).await.unwrap();
    assert_eq!(restored, lite.restore_poll(8).await.unwrap());
    for id in [3, 12_345] {
        let of_lite = lite.restore_poll(id).await.unwrap_err();
        let of_pg = pg.restore_poll(id).await.unwrap_err();
        assert_eq!(of_pg.to_string(), of_lite.to_string());
    }
    // Poll 10's last change is the merge of its pollster, recorded without the poll before.
    let of_lite = lite.undo_poll_change(10).await.unwrap_err();
    let of_pg = pg.undo_poll_change(10).await.unwrap_err();
    assert_eq!(of_pg.to_string(), of_lite.to_string());
    // The last change of each: an undo (of an edit), a restore, a delete, none (an addition),
    // and the undo of that addition.
    for id in [6, 12, 9, 11, 11, 6] {
        let mut of_lite = lite.undo_poll_change(id).await.unwrap();
        let mut of_pg = pg.undo_poll_change(id).await.unwrap();
        for change in of_lite.changes.iter_mut().chain(&mut of_pg.changes) {
            change.changed_at.clear();
        }
        assert_eq!(of_pg, of_lite, "undoing poll {id}'s last change");
    }
    assert_eq!(
        timeless(pg.read_dump().await.unwrap()),
        timeless(lite.read_dump().await.unwrap())
    );
    lite.close().await.unwrap();
    pg.close().await.unwrap();
    database.drop().await;
}
