//! The database and the files a command reads are never written over, under any name.

use super::{Output, Protected};
use polltrack::Error;
use std::path::PathBuf;

#[test]
fn the_database_is_recognised_under_any_name() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("polls.db");
    std::fs::write(&db, "database").unwrap();
    let protected = Protected::database(&db);
    let refused = |target: PathBuf| {
        let err = Output::create(&target, &protected).err().unwrap();
        assert!(matches!(err, Error::Usage { .. }), "{err}");
        err.to_string()
    };
    std::fs::create_dir(dir.path().join("sub")).unwrap();
    let message = refused(dir.path().join("sub/../polls.db"));
    assert!(
        message.contains("sub/../polls.db") && message.contains("the database"),
        "{message}"
    );
    // Side files, there or not.
    assert!(refused(dir.path().join("polls.db-wal")).contains("write-ahead log"));
    assert!(refused(dir.path().join("./polls.db-journal")).contains("journal"));
    #[cfg(unix)]
    {
        let link = dir.path().join("link.png");
        std::os::unix::fs::symlink(&db, &link).unwrap();
        assert!(refused(link).contains(&db.display().to_string()));
        let hard = dir.path().join("hard.csv");
        std::fs::hard_link(&db, &hard).unwrap();
        refused(hard);
        // Side files of a database reached through a link sit beside the real one.
        let elsewhere = dir.path().join("elsewhere");
        std::fs::create_dir(&elsewhere).unwrap();
        let db_link = elsewhere.join("link.db");
        std::os::unix::fs::symlink(&db, &db_link).unwrap();
        let err = Output::create(
            &dir.path().join("polls.db-shm"),
            &Protected::database(&db_link),
        )
        .err()
        .unwrap();
        assert!(err.to_string().contains("shared-memory"), "{err}");
    }
    assert_eq!(std::fs::read_to_string(&db).unwrap(), "database");
    let other = dir.path().join("polls.db.csv");
    Output::create(&other, &protected)
        .unwrap()
        .commit()
        .unwrap();
    assert_eq!(std::fs::read(&other).unwrap(), b"");
}
