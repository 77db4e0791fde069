//! Opening, creating, publishing and closing a database file.

#![allow(unused_imports)]

use super::*;

#[tokio::test]
async fn open_creates_the_file_and_keeps_its_path() {
    let dir = TempDir::new().unwrap();
    let path = db_path(&dir);
    assert!(!path.exists());
    let db = SqliteStore::open(&path, Access::Create).await.unwrap();
    assert!(db.is_new());
    assert!(
        !path.exists(),
        "a new database appears only when it is closed"
    );
    assert_eq!(db.path(), path.as_path());
    assert!(
        db.list_polls(&PollFilter::default())
            .await
            .unwrap()
            .is_empty()
    );
    assert!(db.list_questions().await.unwrap().is_empty());
    db.close().await.unwrap();
    assert!(path.exists(), "Create makes the file");
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        1,
        "and nothing beside it"
    );

    // Reopening an existing file for reading works and sees what was stored.
    let db = SqliteStore::open(&path, Access::Create).await.unwrap();
    let id = db
        .add_poll(&poll("Gallup Korea", "kr-gsomia", "2016-11-18"), false)
        .await
        .unwrap()
        .id;
    db.close().await.expect("close the database");
    let db = SqliteStore::open(&path, Access::ReadExisting)
        .await
        .unwrap();
    assert_eq!(db.path(), path.as_path());
    assert_eq!(db.get_poll(id).await.unwrap().pollster, "Gallup Korea");
    db.close().await.expect("close the database");
}

#[tokio::test]
async fn open_read_existing_on_a_missing_file_is_not_found_and_creates_nothing() {
    let dir = TempDir::new().unwrap();
    let path = db_path(&dir);
    assert_error(
        SqliteStore::open(&path, Access::ReadExisting).await,
        ErrorKind::NotFound,
        &["no database at", "polls.db", "CreateDatabase"],
    );
    assert!(!path.exists(), "ReadExisting must not create the file");
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        0,
        "no side files either"
    );
}

#[tokio::test]
async fn a_new_database_is_never_published_over_a_file_that_appeared_meanwhile() {
    let dir = TempDir::new().unwrap();
    let path = db_path(&dir);
    let db = SqliteStore::open(&path, Access::Create).await.unwrap();
    db.add_poll(&poll("Gallup Korea", "kr-gsomia", "2016-11-18"), false)
        .await
        .unwrap();
    // Another process publishes its database first.
    let other = SqliteStore::open(&path, Access::Create).await.unwrap();
    other
        .add_poll(&poll("Realmeter", "kr-gsomia", "2016-11-19"), false)
        .await
        .unwrap();
    other.close().await.unwrap();
    let theirs = std::fs::read(&path).unwrap();
    assert_error(
        db.close().await,
        ErrorKind::Conflict,
        &[
            "another process created the database",
            "polls.db",
            "nothing was stored",
        ],
    );
    assert_eq!(std::fs::read(&path).unwrap(), theirs, "their file is kept");
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        1,
        "no hidden files are left"
    );
}

#[tokio::test]
async fn a_discarded_new_database_leaves_no_file() {
    let dir = TempDir::new().unwrap();
    let path = db_path(&dir);
    let db = SqliteStore::open(&path, Access::Create).await.unwrap();
    db.add_poll(&poll("Gallup Korea", "kr-gsomia", "2016-11-18"), false)
        .await
        .unwrap();
    db.discard().await;
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);

    let scratch = SqliteStore::open_scratch(&path).await.unwrap();
    scratch
        .add_poll(&poll("Gallup Korea", "kr-gsomia", "2016-11-18"), false)
        .await
        .unwrap();
    scratch.discard().await;
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
}

#[tokio::test]
async fn names_sqlite_takes_specially_are_refused() {
    for name in [":memory:", "file:polls.db", ""] {
        assert_error(
            SqliteStore::open(Path::new(name), Access::Create).await,
            ErrorKind::Usage,
            &["not a database file"],
        );
    }
}

#[tokio::test]
async fn open_refuses_a_database_from_a_newer_polltrack_and_leaves_it_unchanged() {
    let dir = TempDir::new().unwrap();
    let path = db_path(&dir);
    let db = SqliteStore::open(&path, Access::Create).await.unwrap();
    db.add_poll(&poll("Gallup Korea", "kr-gsomia", "2016-11-18"), false)
        .await
        .unwrap();
    db.close().await.expect("close the database");
    mark_newer_schema(&path, 20991231000000).await;
    let before = std::fs::read(&path).unwrap();

    for access in [Access::ReadExisting, Access::Create] {
        assert_error(
            SqliteStore::open(&path, access).await,
            ErrorKind::Storage,
            &[
                "newer polltrack",
                "schema 20991231000000",
                "upgrade polltrack",
                "polls.db",
            ],
        );
        assert_eq!(
            std::fs::read(&path).unwrap(),
            before,
            "the refused file must not change"
        );
    }
}

#[tokio::test]
async fn close_checkpoints_the_wal_and_keeps_the_data() {
    let (dir, db) = fresh().await;
    let path = db_path(&dir);
    db.add_poll(&poll("Gallup Korea", "kr-gsomia", "2016-11-18"), false)
        .await
        .unwrap();
    db.close().await.expect("close the database");
    let wal = dir.path().join("polls.db-wal");
    let shm = dir.path().join("polls.db-shm");
    assert!(!wal.exists(), "the WAL is removed on close");
    assert!(!shm.exists(), "the shared-memory file is removed on close");

    let db = SqliteStore::open(&path, Access::ReadExisting)
        .await
        .unwrap();
    let polls = db.list_polls(&PollFilter::default()).await.unwrap();
    assert_eq!(polls.len(), 1);
    assert_eq!(polls[0].results[0].question, "kr-gsomia");
    db.close().await.expect("close the database");
}

/// Databases record each migration's version and checksum (not its path): the migrations,
/// moved to `migrations/sqlite/`, must keep the checksums files made before the move recorded,
/// or those files would be refused. Append a migration; never edit one.
#[test]
fn the_migrations_keep_the_checksums_existing_databases_recorded() {
    let recorded = [
        (
            20261128000000,
            "6cbb998deb4df96920b634ac04941910188e13ed79dd1dca0aeef06b314db3e12331229af686b364be6bb78ba2985f06",
        ),
        (
            20261215000000,
            "e7f11f407fc449b7c464b9c91db63c05a3c2f73a1ac890990374565c7c98d0730172f5fe59dcd756297d4b2f418a3fdb",
        ),
        (
            20261220000000,
            "c005550a16366d7e88587e862dbb9e8edc6031d5b5dae8c8437d411b83e67ff88fed4c3621eff0a420002e3c011df7a3",
        ),
        (
            20261229000000,
            "c2eea5420dbe670b289d74244130d524ddd23e3c30c086e88c568e246d5b087b40a185df20df1f8aff6ab4ee5bb7ce63",
        ),
        (
            20261230000000,
            "3338b5de61130e2be52fd68121438ffd40cb06d30c109714a9f69db67705cbc7259d9c20e15b14bae954ca697a6c6b6e",
        ),
        (
            20261231000000,
            "401ca3b661cbec5237895544ce9159351b08e4fe738300e722325e9ddff4278e8db8d32cb2a81f1769a825e739943ee8",
        ),
        (
            20270105000000,
            "92dffecba300204682190f972af63216ec3b9731413110bea99e1ca881ef9ac72f22d6a0eefd1910e6a76031ca54c1f0",
        ),
        (
            20270110000000,
            "803f5dbda96da9b0b1142945fad28e6a24db6770fb2887685f60ffa7781b596cba722ce980693d2217462d83f43cdf1b",
        ),
        (
            20270115000000,
            "3411bb57bb15572d759891e65b50681d9223028e98ebde641627cc771a853d6867b0d4a8b2dc9bd6c7700ae0ad211b27",
        ),
    ];
    for (version, checksum) in recorded {
        let migration = crate::db::sqlite::MIGRATOR
            .iter()
            .find(|m| m.version == version)
            .unwrap_or_else(|| panic!("migration {version} is gone"));
        let hex: String = migration
            .checksum
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        assert_eq!(hex, checksum, "migration {version} was edited");
    }
}

#[tokio::test]
async fn reads_side_by_side_see_every_committed_write_and_wait_for_none() {
    let dir = TempDir::new().unwrap();
    let path = db_path(&dir);
    SqliteStore::open(&path, Access::Create)
        .await
        .unwrap()
        .close()
        .await
        .unwrap();
    let mut db = SqliteStore::open(&path, Access::Create).await.unwrap();
    db.read_side_by_side(4).await.unwrap();
    assert!(db.readers.is_some());
    // Each write is seen by the next read, on whichever reader it runs.
    for (i, date) in ["2016-11-18", "2016-11-19", "2016-11-20"]
        .iter()
        .enumerate()
    {
        let id = db
            .add_poll(&poll("Gallup Korea", "kr-gsomia", date), false)
            .await
            .unwrap()
            .id;
        assert_eq!(db.get_poll(id).await.unwrap().field_start, None);
        assert_eq!(
            db.list_polls(&PollFilter::default()).await.unwrap().len(),
            i + 1
        );
    }
    // A read is not held up by a write transaction left open on the writing connection.
    let writing = db.write().await.unwrap();
    let listed = tokio::time::timeout(
        std::time::Duration::from_secs(5),
        db.list_polls(&PollFilter::default()),
    )
    .await
    .expect("the read did not wait for the writer");
    assert_eq!(listed.unwrap().len(), 3);
    drop(writing);
    db.close().await.unwrap();

    // A database being created keeps its one connection: no other could see it.
    let new = db_path(&dir).with_file_name("new.db");
    let mut db = SqliteStore::open(&new, Access::Create).await.unwrap();
    db.read_side_by_side(4).await.unwrap();
    assert!(db.readers.is_none());
    db.discard().await;
}
