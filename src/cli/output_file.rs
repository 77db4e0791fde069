//! Every file a command writes for the user (`-o`, `--rejects`, `--truth`, charts) goes through
//! [`Output`]: it never writes over the database or a file the command reads, and it never
//! leaves a file half-written.
//!
//! Before anything is written, the target is compared by identity with the files the command
//! must not lose ([`Protected`]): after following links, the same device and inode, or the
//! same canonical path (for files not there yet). The output is then written to a temporary
//! file in the target's folder and renamed over the target only once complete, so a failure
//! (a full disk, a write error, a kill) leaves the old file as it was.

use polltrack::{Error, Result};
use std::fs::{File, Permissions};
use std::io::{self, BufWriter, Stdout, Write};
use std::path::{Path, PathBuf};

/// The files a command must never write over, each with what it is.
pub struct Protected {
    files: Vec<(PathBuf, String)>,
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
                return Err(Error::Usage(format!(
                    "will not write {target}: it is the same file as {name} ({what}), which \
                     would be lost; write to another file"
                )));
            }
        }
        Ok(())
    }
}

fn is_stdout(path: &Path) -> bool {
    path.as_os_str() == "-"
}

/// What tells two names of one file apart from two files.
#[derive(Default)]
struct Identity {
    /// The absolute path with every link followed (for a file not there yet, its real folder
    /// and its name).
    canonical: Option<PathBuf>,
    /// Device and inode of a file that exists.
    inode: Option<(u64, u64)>,
}

impl Identity {
    fn of(path: &Path) -> Identity {
        let canonical = std::fs::canonicalize(path).ok().or_else(|| {
            let real = link_target(path).ok()?;
            let folder = match real.parent() {
                Some(folder) if !folder.as_os_str().is_empty() => folder,
                _ => Path::new("."),
            };
            Some(std::fs::canonicalize(folder).ok()?.join(real.file_name()?))
        });
        Identity {
            canonical,
            inode: std::fs::metadata(path).ok().and_then(|m| inode(&m)),
        }
    }

    fn same(&self, other: &Identity) -> bool {
        matches!((self.inode, other.inode), (Some(a), Some(b)) if a == b)
            || matches!((&self.canonical, &other.canonical), (Some(a), Some(b)) if a == b)
    }
}

#[cfg(unix)]
fn inode(metadata: &std::fs::Metadata) -> Option<(u64, u64)> {
    use std::os::unix::fs::MetadataExt;
    Some((metadata.dev(), metadata.ino()))
}

#[cfg(not(unix))]
fn inode(_metadata: &std::fs::Metadata) -> Option<(u64, u64)> {
    None
}

/// Standard output, when it is a file (`>> polls.db`).
#[cfg(unix)]
fn stdout_identity() -> Identity {
    use std::os::fd::AsFd;
    stream_identity(io::stdout().as_fd())
}

/// Standard input, when it is a file (`< in.csv`).
#[cfg(unix)]
fn stdin_identity() -> Identity {
    use std::os::fd::AsFd;
    stream_identity(io::stdin().as_fd())
}

#[cfg(unix)]
fn stream_identity(stream: std::os::fd::BorrowedFd<'_>) -> Identity {
    let inode = stream
        .try_clone_to_owned()
        .ok()
        .and_then(|fd| File::from(fd).metadata().ok())
        .filter(|m| m.is_file())
        .and_then(|m| inode(&m));
    Identity {
        canonical: None,
        inode,
    }
}

#[cfg(not(unix))]
fn stdout_identity() -> Identity {
    Identity::default()
}

#[cfg(not(unix))]
fn stdin_identity() -> Identity {
    Identity::default()
}

/// Where a path leads once links are followed, even when the last one points to nothing yet.
fn link_target(path: &Path) -> io::Result<PathBuf> {
    let mut path = path.to_path_buf();
    for _ in 0..40 {
        match std::fs::symlink_metadata(&path) {
            Ok(metadata) if metadata.file_type().is_symlink() => {
                let link = std::fs::read_link(&path)?;
                path = match path.parent() {
                    Some(folder) => folder.join(link),
                    None => link,
                };
            }
            _ => return Ok(path),
        }
    }
    Err(io::Error::other("too many links in a row"))
}

/// A file being written for the user, or standard output for `-`.
pub struct Output {
    /// The target as the user named it, for messages.
    name: PathBuf,
    sink: Sink,
}

enum Sink {
    Stdout(BufWriter<Stdout>),
    /// A regular file, or none yet: written beside it, then renamed over it.
    Replace {
        temp: BufWriter<tempfile::NamedTempFile>,
        /// The file replaced, links followed.
        real: PathBuf,
        /// The old file's permissions, kept.
        permissions: Option<Permissions>,
    },
    /// A device or a pipe (`/dev/null`, a FIFO): nothing to replace, written as it is.
    Direct(BufWriter<File>),
}

const BUFFER: usize = 1 << 16;

impl Output {
    /// Checks `path` against the protected files, then opens it for writing. Nothing is
    /// visible at `path` until [`Output::commit`].
    pub fn create(path: &Path, protected: &Protected) -> Result<Output> {
        protected.check(path)?;
        let sink = if is_stdout(path) {
            Sink::Stdout(BufWriter::with_capacity(BUFFER, io::stdout()))
        } else {
            Output::open(path).map_err(|e| cannot_write(path, e))?
        };
        Ok(Output {
            name: path.to_path_buf(),
            sink,
        })
    }

    fn open(path: &Path) -> io::Result<Sink> {
        let (real, permissions) = match std::fs::metadata(path) {
            Ok(metadata) if metadata.is_dir() => {
                return Err(io::Error::other("it is a folder"));
            }
            Ok(metadata) if !metadata.is_file() => {
                let file = std::fs::OpenOptions::new().write(true).open(path)?;
                return Ok(Sink::Direct(BufWriter::with_capacity(BUFFER, file)));
            }
            // Renaming over it would replace a file its owner marked read-only, which
            // writing into it (as a shell's `>` does) is refused.
            Ok(metadata) if metadata.permissions().readonly() => {
                return Err(io::Error::other(
                    "it is read-only: make it writable, or write to another file",
                ));
            }
            Ok(metadata) => (std::fs::canonicalize(path)?, Some(metadata.permissions())),
            Err(e) if e.kind() == io::ErrorKind::NotFound => (link_target(path)?, None),
            Err(e) => return Err(e),
        };
        let folder = match real.parent() {
            Some(folder) if !folder.as_os_str().is_empty() => folder,
            _ => Path::new("."),
        };
        let name = real
            .file_name()
            .ok_or_else(|| io::Error::other("it names no file"))?;
        // Hidden, and named after the file it will become.
        let prefix = format!(".{}.", name.to_string_lossy());
        let mut builder = tempfile::Builder::new();
        builder.prefix(&prefix).suffix(".tmp");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            // The mode a new file would get (the umask applies); an old file's is set again
            // exactly at the end.
            let mode = permissions.as_ref().map_or(0o666, |p| p.mode());
            builder.permissions(Permissions::from_mode(mode));
        }
        let temp = builder
            .tempfile_in(folder)
            .map_err(without_temporary_name)?;
        Ok(Sink::Replace {
            temp: BufWriter::with_capacity(BUFFER, temp),
            real,
            permissions,
        })
    }

    /// Finishes the output: flushed, on disk, and in place of the old file.
    pub fn commit(self) -> Result<()> {
        let name = self.name;
        match self.sink {
            Sink::Stdout(mut out) => Ok(out.flush()?),
            Sink::Direct(mut out) => out.flush().map_err(|e| cannot_write(&name, e)),
            Sink::Replace {
                temp,
                real,
                permissions,
            } => {
                let temp = temp
                    .into_inner()
                    .map_err(|e| cannot_write(&name, e.into_error()))?;
                temp.as_file()
                    .sync_all()
                    .map_err(|e| cannot_write(&name, e))?;
                if let Some(permissions) = permissions {
                    temp.as_file()
                        .set_permissions(permissions)
                        .map_err(|e| cannot_write(&name, e))?;
                }
                temp.persist(&real)
                    .map_err(|e| cannot_write(&name, without_temporary_name(e.error)))?;
                sync_folder(&real);
                Ok(())
            }
        }
    }
}

/// Makes the rename itself durable, where the system allows it; best effort.
fn sync_folder(file: &Path) {
    #[cfg(unix)]
    if let Some(folder) = file.parent().filter(|f| !f.as_os_str().is_empty())
        && let Ok(folder) = File::open(folder)
    {
        let _ = folder.sync_all();
    }
    #[cfg(not(unix))]
    let _ = file;
}

/// tempfile's errors end with the temporary file's name, which means nothing to the user.
fn without_temporary_name(e: io::Error) -> io::Error {
    let message = e.to_string();
    match message.split_once(" at path \"") {
        Some((cause, _)) => io::Error::new(e.kind(), cause.to_string()),
        None => e,
    }
}

fn cannot_write(path: &Path, e: io::Error) -> Error {
    if e.kind() == io::ErrorKind::BrokenPipe {
        return Error::OutputClosed;
    }
    Error::Failed(format!("cannot write {}: {e}", path.display()))
}

impl Write for Output {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let written = match &mut self.sink {
            Sink::Stdout(out) => return out.write(buf),
            Sink::Direct(out) => out.write(buf),
            Sink::Replace { temp, .. } => temp.write(buf),
        };
        written.map_err(|e| self.named(e))
    }

    fn flush(&mut self) -> io::Result<()> {
        let flushed = match &mut self.sink {
            Sink::Stdout(out) => return out.flush(),
            Sink::Direct(out) => out.flush(),
            Sink::Replace { temp, .. } => temp.flush(),
        };
        flushed.map_err(|e| self.named(e))
    }
}

impl Output {
    /// A write error that names the file.
    fn named(&self, e: io::Error) -> io::Error {
        io::Error::new(e.kind(), format!("{}: {e}", self.name.display()))
    }
}

impl polltrack::app::Commit for Output {
    fn commit(self) -> Result<()> {
        Output::commit(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
        std::fs::set_permissions(&real, Permissions::from_mode(0o640)).unwrap();
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

    #[test]
    fn the_database_is_recognised_under_any_name() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("polls.db");
        std::fs::write(&db, "database").unwrap();
        let protected = Protected::database(&db);
        let refused = |target: PathBuf| {
            let err = Output::create(&target, &protected).err().unwrap();
            assert!(matches!(err, Error::Usage(_)), "{err}");
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
}
