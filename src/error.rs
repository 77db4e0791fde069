//! The library's one error type. Each error says what went wrong, where, and what to do; its
//! kind lets `main` choose the exit status.

use std::path::Path;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The data given breaks a rule (a percentage over 100, a date that does not exist...).
    #[error("{0}")]
    Invalid(String),
    /// A poll, question, pollster, source or database file that is not there.
    #[error("{0}")]
    NotFound(String),
    /// The data clashes with what is stored (a poll recorded already).
    #[error("{0}")]
    Conflict(String),
    /// The command was asked in a way that cannot work (e.g. `delete` without `--yes`).
    #[error("{0}")]
    Usage(String),
    /// The database or a file could not be read or written.
    #[error("{0}")]
    Failed(String),
    /// Whoever read the output stopped reading (a closed pipe): not worth a message.
    #[error("output closed")]
    OutputClosed,
}

impl From<std::io::Error> for Error {
    /// Errors writing the output; a closed pipe is told apart so it can end quietly.
    fn from(e: std::io::Error) -> Error {
        if e.kind() == std::io::ErrorKind::BrokenPipe {
            Error::OutputClosed
        } else {
            Error::Failed(format!("could not write the output: {e}"))
        }
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// What kind of failure, for the exit status.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    Invalid,
    NotFound,
    Conflict,
    Usage,
    Failed,
    OutputClosed,
}

impl Error {
    pub fn kind(&self) -> ErrorKind {
        match self {
            Error::Invalid(_) => ErrorKind::Invalid,
            Error::NotFound(_) => ErrorKind::NotFound,
            Error::Conflict(_) => ErrorKind::Conflict,
            Error::Usage(_) => ErrorKind::Usage,
            Error::Failed(_) => ErrorKind::Failed,
            Error::OutputClosed => ErrorKind::OutputClosed,
        }
    }

    /// A database failure, with the path of the database it happened in.
    pub fn database(path: &Path, err: impl std::fmt::Display) -> Error {
        Error::Failed(format!("database {}: {err}", path.display()))
    }
}
