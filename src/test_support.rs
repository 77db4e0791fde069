//! What the library's unit tests and the integration tests (`tests/cli`, which include this
//! file) share.

use std::path::PathBuf;

/// A file or folder of the shared real data (`../shared/data`, beside the project; `""` for the
/// folder itself), or `None` with a printed "skipped" when it is absent, so a test passes on a
/// machine without it and says so.
pub(crate) fn shared_data(path: &str) -> Option<PathBuf> {
    let file = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/data")).join(path);
    if file.exists() {
        Some(file)
    } else {
        eprintln!(
            "skipped: {} is absent (the shared data folder is not on this machine)",
            file.display()
        );
        None
    }
}
