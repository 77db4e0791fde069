//! The library's one error type. Each error says what went wrong and where; its kind lets a
//! front door choose its answer (the command line an exit status, a web server an HTTP status:
//! not found 404, conflict 409, invalid 422, storage 500). What to do about it in the terms of a
//! front door (a flag to pass, a command to run) is the front door's to add.

use std::path::Path;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The data given breaks rules (a percentage over 100, a date that does not exist...):
    /// every problem found, each a sentence naming the value and where it is.
    #[error("{}", .problems.join("\n"))]
    Invalid { problems: Vec<String> },
    /// A poll, question, pollster, source or database file that is not there.
    #[error("{message}")]
    NotFound { message: String },
    /// The data clashes with what is stored: `stored` is the id of the stored poll it clashes
    /// with, when there is one.
    #[error("{message}")]
    Conflict {
        message: String,
        stored: Option<i64>,
    },
    /// The request cannot work as asked (e.g. a delete not confirmed).
    #[error("{0}")]
    Usage(String),
    /// The store failed: `message` says what it was doing, in words a user can act on;
    /// `source` is the store's own error, when there is one.
    #[error("{message}")]
    Storage {
        message: String,
        #[source]
        source: Option<Box<dyn std::error::Error + Send + Sync>>,
    },
    /// A file could not be read or written, or something else outside the store failed.
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

/// What kind of failure, for the exit status or the HTTP status.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    Invalid,
    NotFound,
    Conflict,
    Usage,
    Storage,
    Failed,
    OutputClosed,
}

impl Error {
    pub fn kind(&self) -> ErrorKind {
        match self {
            Error::Invalid { .. } => ErrorKind::Invalid,
            Error::NotFound { .. } => ErrorKind::NotFound,
            Error::Conflict { .. } => ErrorKind::Conflict,
            Error::Usage(_) => ErrorKind::Usage,
            Error::Storage { .. } => ErrorKind::Storage,
            Error::Failed(_) => ErrorKind::Failed,
            Error::OutputClosed => ErrorKind::OutputClosed,
        }
    }

    /// One problem with the data given.
    pub fn invalid(problem: impl Into<String>) -> Error {
        Error::Invalid {
            problems: vec![problem.into()],
        }
    }

    /// Every problem found with the data given (at least one).
    pub fn invalid_all(problems: Vec<String>) -> Error {
        Error::Invalid { problems }
    }

    pub fn not_found(message: impl Into<String>) -> Error {
        Error::NotFound {
            message: message.into(),
        }
    }

    /// A clash with what is stored, but with no one stored poll to name.
    pub fn conflict(message: impl Into<String>) -> Error {
        Error::Conflict {
            message: message.into(),
            stored: None,
        }
    }

    /// A clash with the stored poll `stored`.
    pub fn conflict_with(stored: i64, message: impl Into<String>) -> Error {
        Error::Conflict {
            message: message.into(),
            stored: Some(stored),
        }
    }

    /// A store failure, in words, keeping the store's own error as its source.
    pub fn storage(
        message: impl Into<String>,
        source: impl std::error::Error + Send + Sync + 'static,
    ) -> Error {
        Error::Storage {
            message: message.into(),
            source: Some(Box::new(source)),
        }
    }

    /// A store failure with no error of the store's own behind it (a file refused, a schema
    /// too new).
    pub fn storage_refused(message: impl Into<String>) -> Error {
        Error::Storage {
            message: message.into(),
            source: None,
        }
    }

    /// A database failure, with the path of the database it happened in.
    pub fn database(
        path: &Path,
        what: impl std::fmt::Display,
        source: impl std::error::Error + Send + Sync + 'static,
    ) -> Error {
        Error::storage(format!("database {}: {what}", path.display()), source)
    }
}
