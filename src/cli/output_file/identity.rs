//! Telling two names of one file apart from two files: device and inode after following
//! links, or the canonical path of a file not there yet.

use std::io;
use std::path::{Path, PathBuf};

pub(super) fn is_stdout(path: &Path) -> bool {
    path.as_os_str() == "-"
}

/// What tells two names of one file apart from two files.
#[derive(Default)]
pub(super) struct Identity {
    /// The absolute path with every link followed (for a file not there yet, its real folder
    /// and its name).
    canonical: Option<PathBuf>,
    /// Device and inode of a file that exists.
    inode: Option<(u64, u64)>,
}

impl Identity {
    pub(super) fn of(path: &Path) -> Identity {
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

    pub(super) fn same(&self, other: &Identity) -> bool {
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
pub(super) fn stdout_identity() -> Identity {
    use std::os::fd::AsFd;
    stream_identity(io::stdout().as_fd())
}

/// Standard input, when it is a file (`< in.csv`).
#[cfg(unix)]
pub(super) fn stdin_identity() -> Identity {
    use std::os::fd::AsFd;
    stream_identity(io::stdin().as_fd())
}

#[cfg(unix)]
fn stream_identity(stream: std::os::fd::BorrowedFd<'_>) -> Identity {
    let inode = stream
        .try_clone_to_owned()
        .ok()
        .and_then(|fd| std::fs::File::from(fd).metadata().ok())
        .filter(|m| m.is_file())
        .and_then(|m| inode(&m));
    Identity {
        canonical: None,
        inode,
    }
}

#[cfg(not(unix))]
pub(super) fn stdout_identity() -> Identity {
    Identity::default()
}

#[cfg(not(unix))]
pub(super) fn stdin_identity() -> Identity {
    Identity::default()
}

/// Where a path leads once links are followed, even when the last one points to nothing yet.
pub(super) fn link_target(path: &Path) -> io::Result<PathBuf> {
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
