//! Opening an output: standard output, a device written as it is, or a temporary file beside
//! the target.

use super::Protected;
use super::commit::{cannot_write, without_temporary_name};
use super::identity::{is_stdout, link_target};
use polltrack::Result;
use std::fs::{File, Permissions};
use std::io::{self, BufWriter, Stdout};
use std::path::{Path, PathBuf};

/// A file being written for the user, or standard output for `-`.
pub struct Output {
    /// The target as the user named it, for messages.
    pub(super) name: PathBuf,
    pub(super) sink: Sink,
}

pub(super) enum Sink {
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

pub(super) const BUFFER: usize = 1 << 16;

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
}
