//! The files a command must never write over.

use super::identity::{Identity, is_stdout, stdin_identity, stdout_identity};
use polltrack::{Error, Result};
use std::path::{Path, PathBuf};

/// The files a command must never write over, each with what it is.
pub struct Protected {
    pub(super) files: Vec<(PathBuf, String)>,
}

impl Protected {
    /// The database and the files SQLite keeps beside it (write-ahead log, shared memory,
    /// rollback journal), beside the path given and beside the real file it links to.
    pub fn database(db: &Path) -> Protected {
        let mut files = vec![(db.to_path_buf(), "the database".to_string())];
        let real = std::fs::canonicalize(db).ok();
        for (suffix, what) in [
            ("-wal", "the database's write-ahead log"),
            ("-shm", "the database's shared-memory file"),
            ("-journal", "the database's journal"),
        ] {
            for base in std::iter::once(db).chain(real.as_deref()) {
                let mut side = base.as_os_str().to_owned();
                side.push(suffix);
                files.push((PathBuf::from(side), what.to_string()));
            }
        }
        Protected { files }
    }

    /// One more file not to write over, e.g. `"the file being imported"`; `-` is standard
    /// input, guarded as the file it reads from (`< in.csv`).
    pub fn add(&mut self, path: &Path, what: impl Into<String>) {
        self.files.push((path.to_path_buf(), what.into()));
    }

    /// Refuses a target that is one of the protected files, naming both.
    pub fn check(&self, target: &Path) -> Result<()> {
        let target_id = if is_stdout(target) {
            stdout_identity()
        } else {
            Identity::of(target)
        };
        for (file, what) in &self.files {
            // `-` among the guarded files is standard input.
            let (guarded, name) = if is_stdout(file) {
                (stdin_identity(), "standard input".to_string())
            } else {
                (Identity::of(file), file.display().to_string())
            };
            if target_id.same(&guarded) {
                let target = if is_stdout(target) {
                    "to standard output".to_string()
                } else {
                    target.display().to_string()
                };
                return Err(Error::usage(format!(
                    "will not write {target}: it is the same file as {name} ({what}), which \
                     would be lost; write to another file"
                )));
            }
        }
        Ok(())
    }
}
