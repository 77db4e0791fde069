//! Outputs: nothing shows until committed; a failure leaves the old file as it was.

use super::output::BUFFER;
use super::{Output, Protected};
use polltrack::Error;
use std::io::Write;
use std::path::Path;

/// The names in a folder, sorted.
fn names(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

fn nothing() -> Protected {
    Protected { files: Vec::new() }
}

#[test]
fn nothing_shows_until_the_output_is_committed() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("out.csv");
    std::fs::write(&target, "old\n").unwrap();
    let mut output = Output::create(&target, &nothing()).unwrap();
    output.write_all(&vec![b'x'; 3 * BUFFER]).unwrap();
    assert_eq!(std::fs::read_to_string(&target).unwrap(), "old\n");
    assert_eq!(names(dir.path()).len(), 2, "a temporary file beside it");
    output.commit().unwrap();
    assert_eq!(std::fs::read(&target).unwrap(), vec![b'x'; 3 * BUFFER]);
    assert_eq!(names(dir.path()), ["out.csv"]);
}

#[test]
fn a_failure_midway_leaves_the_old_file_and_no_temporary_file() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("out.csv");
    std::fs::write(&target, "old\n").unwrap();
    let mut csv = polltrack::csv_format::writer(Output::create(&target, &nothing()).unwrap());
    for i in 0..100_000 {
        csv.write_record([i.to_string(), "row".into()]).unwrap();
    }
    // The command fails here (a database error, a full disk...): the output is dropped.
    drop(csv);
    assert_eq!(std::fs::read_to_string(&target).unwrap(), "old\n");
    assert_eq!(names(dir.path()), ["out.csv"]);
}

#[test]
#[cfg(target_os = "linux")]
fn a_write_error_names_the_file_and_why() {
    // A device is written as it is; /dev/full fails every write as a full disk would.
    let full = Path::new("/dev/full");
    if !full.exists() {
        return;
    }
    let mut output = Output::create(full, &nothing()).unwrap();
    let err = output
        .write_all(&vec![b'x'; 3 * BUFFER])
        .and_then(|()| output.flush())
        .unwrap_err();
    assert!(
        err.to_string().starts_with("/dev/full: No space left"),
        "{err}"
    );
    let mut output = Output::create(full, &nothing()).unwrap();
    output.write_all(b"short").unwrap();
    let err = output.commit().unwrap_err().to_string();
    assert!(
        err.starts_with("cannot write /dev/full: No space left"),
        "{err}"
    );
}

#[test]
fn a_folder_that_is_not_there_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("missing/out.csv");
    let err = Output::create(&target, &nothing()).err().unwrap();
    assert!(matches!(err, Error::Failed(_)));
    let message = err.to_string();
    assert_eq!(
        message,
        format!(
            "cannot write {}: No such file or directory (os error 2)",
            target.display()
        )
    );
    let err = Output::create(dir.path(), &nothing()).err().unwrap();
    assert!(err.to_string().contains("it is a folder"), "{err}");
}

#[cfg(unix)]
#[test]
fn a_replaced_file_keeps_its_permissions_and_a_link_stays_a_link() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let real = dir.path().join("real.csv");
    std::fs::write(&real, "old\n").unwrap();
    std::fs::set_permissions(&real, std::fs::Permissions::from_mode(0o640)).unwrap();
    let link = dir.path().join("link.csv");
    std::os::unix::fs::symlink("real.csv", &link).unwrap();
    let mut output = Output::create(&link, &nothing()).unwrap();
    output.write_all(b"new\n").unwrap();
    output.commit().unwrap();
    assert_eq!(std::fs::read_to_string(&real).unwrap(), "new\n");
    assert!(link.symlink_metadata().unwrap().file_type().is_symlink());
    let mode = real.metadata().unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o640);
    assert_eq!(names(dir.path()), ["link.csv", "real.csv"]);

    // A link to a file not there yet creates the file it points to.
    let dangling = dir.path().join("later.csv");
    std::os::unix::fs::symlink("sub-later.csv", &dangling).unwrap();
    let mut output = Output::create(&dangling, &nothing()).unwrap();
    output.write_all(b"later\n").unwrap();
    output.commit().unwrap();
    let written = std::fs::read_to_string(dir.path().join("sub-later.csv")).unwrap();
    assert_eq!(written, "later\n");
}
