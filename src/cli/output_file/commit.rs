//! Committing an output: flushed, on disk, and in place of the old file; and its errors.

use super::output::{Output, Sink};
use polltrack::{Error, Result};
use std::fs::File;
use std::io::{self, Write};
use std::path::Path;

impl Output {
    /// Commits, then says on standard error what was written where ("Wrote the trend of
    /// sim-1 to trend.csv"), unless it went to standard output, where it is seen.
    pub fn commit_saying(self, what: &str) -> Result<()> {
        let file = match &self.sink {
            Sink::Stdout(_) => None,
            _ => Some(self.name.clone()),
        };
        self.commit()?;
        if let Some(file) = file {
            eprintln!("Wrote {what} to {}", file.display());
        }
        Ok(())
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
pub(super) fn without_temporary_name(e: io::Error) -> io::Error {
    let message = e.to_string();
    match message.split_once(" at path \"") {
        Some((cause, _)) => io::Error::new(e.kind(), cause.to_string()),
        None => e,
    }
}

pub(super) fn cannot_write(path: &Path, e: io::Error) -> Error {
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
