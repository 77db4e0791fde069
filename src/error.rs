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
    Invalid {
        problems: Vec<String>,
        hint: Option<Hint>,
    },
    /// A poll, question, pollster, source or database file that is not there.
    #[error("{message}")]
    NotFound { message: String, hint: Option<Hint> },
    /// The data clashes with what is stored: `stored` is the id of the stored poll it clashes
    /// with, when there is one.
    #[error("{message}")]
    Conflict {
        message: String,
        stored: Option<i64>,
        hint: Option<Hint>,
    },
    /// The request cannot work as asked (e.g. a delete not confirmed, an edit that does not
    /// say which result set).
    #[error("{message}")]
    Usage { message: String, hint: Option<Hint> },
    /// The store failed: `message` says what it was doing, in words a user can act on;
    /// `source` is the store's own error, when there is one.
    #[error("{message}")]
    Storage {
        message: String,
        #[source]
        source: Option<Box<dyn std::error::Error + Send + Sync>>,
        hint: Option<Hint>,
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
            Error::Usage { .. } => ErrorKind::Usage,
            Error::Storage { .. } => ErrorKind::Storage,
            Error::Failed(_) => ErrorKind::Failed,
            Error::OutputClosed => ErrorKind::OutputClosed,
        }
    }

    /// One problem with the data given.
    pub fn invalid(problem: impl Into<String>) -> Error {
        Error::Invalid {
            problems: vec![problem.into()],
            hint: None,
        }
    }

    /// Every problem found with the data given (at least one).
    pub fn invalid_all(problems: Vec<String>) -> Error {
        Error::Invalid {
            problems,
            hint: None,
        }
    }

    pub fn usage(message: impl Into<String>) -> Error {
        Error::Usage {
            message: message.into(),
            hint: None,
        }
    }

    pub fn not_found(message: impl Into<String>) -> Error {
        Error::NotFound {
            message: message.into(),
            hint: None,
        }
    }

    /// A clash with what is stored, but with no one stored poll to name.
    pub fn conflict(message: impl Into<String>) -> Error {
        Error::Conflict {
            message: message.into(),
            stored: None,
            hint: None,
        }
    }

    /// A clash with the stored poll `stored`.
    pub fn conflict_with(stored: i64, message: impl Into<String>) -> Error {
        Error::Conflict {
            message: message.into(),
            stored: Some(stored),
            hint: None,
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
            hint: None,
        }
    }

    /// A store failure with no error of the store's own behind it (a file refused, a schema
    /// too new).
    pub fn storage_refused(message: impl Into<String>) -> Error {
        Error::Storage {
            message: message.into(),
            source: None,
            hint: None,
        }
    }

    /// The same error, with what would resolve it.
    pub fn with_hint(mut self, new: Hint) -> Error {
        match &mut self {
            Error::Invalid { hint, .. }
            | Error::NotFound { hint, .. }
            | Error::Conflict { hint, .. }
            | Error::Usage { hint, .. }
            | Error::Storage { hint, .. } => *hint = Some(new),
            Error::Failed(_) | Error::OutputClosed => {}
        }
        self
    }

    /// The same error, each message prefixed with where it happened (`file.csv: ...`).
    pub fn in_context(self, place: &str) -> Error {
        let prefix = |message: String| format!("{place}: {message}");
        match self {
            Error::Invalid { problems, hint } => Error::Invalid {
                problems: problems.into_iter().map(prefix).collect(),
                hint,
            },
            Error::NotFound { message, hint } => Error::NotFound {
                message: prefix(message),
                hint,
            },
            Error::Conflict {
                message,
                stored,
                hint,
            } => Error::Conflict {
                message: prefix(message),
                stored,
                hint,
            },
            Error::Storage {
                message,
                source,
                hint,
            } => Error::Storage {
                message: prefix(message),
                source,
                hint,
            },
            Error::Usage { message, hint } => Error::Usage {
                message: prefix(message),
                hint,
            },
            Error::Failed(message) => Error::Failed(prefix(message)),
            Error::OutputClosed => Error::OutputClosed,
        }
    }

    /// What would resolve the error, when the library knows.
    pub fn hint(&self) -> Option<&Hint> {
        match self {
            Error::Invalid { hint, .. }
            | Error::NotFound { hint, .. }
            | Error::Conflict { hint, .. }
            | Error::Usage { hint, .. }
            | Error::Storage { hint, .. } => hint.as_ref(),
            Error::Failed(_) | Error::OutputClosed => None,
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

/// What would resolve an error or answer a warning, in the library's terms: each front door
/// says it in its own (the command line names a command or a flag, a web page a link or a form
/// field), so no library message names either.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Hint {
    /// The stored questions are listed.
    ListQuestions,
    /// The stored pollsters and their aliases are listed.
    ListPollsters,
    /// The stored sources and their ids are listed.
    ListSources,
    /// The stored polls and their ids are listed.
    ListPolls,
    /// The stored polls of one question are listed.
    ListPollsOf { question: String },
    /// One of a poll's result sets, each a (question, population), is to be named.
    ChooseResultSet(Vec<(String, String)>),
    /// The stored poll can be changed instead.
    EditPoll(i64),
    /// The stored poll N is looked at.
    ShowPoll(i64),
    /// The history tells which polls were deleted, and what each change was.
    ReadHistory,
    /// The poll repeats stored poll N: look at it, or record the poll again on purpose.
    RecordAgain(i64),
    /// Two pollsters are one: merge the first into the second.
    MergePollsters { from: String, into: String },
    /// The pollster merge would join two polls into one: combine them on purpose.
    CombinePolls,
    /// A question's stored wording is changed by renaming it with a new wording.
    RewordQuestion { slug: String },
    /// A question's stored kind is changed on purpose.
    SetQuestionKind { slug: String, kind: String },
    /// A new question needs its wording given (or read from a column).
    GiveWording,
    /// No database yet: record a poll or create an empty one, or name another database.
    CreateDatabase,
    /// The database's folder does not exist: create it (`init` does).
    CreateFolder,
    /// The database named is not one of polltrack's: name another.
    NameAnotherDatabase,
    /// A server's database holds no polltrack tables yet: create them (`init`, or any write).
    InitServerDatabase,
    /// A server's database holds another application's tables: name another (an empty one).
    NameAnotherServerDatabase,
    /// The database needs its schema upgraded, which any write does.
    UpgradeDatabase,
    /// Changes waiting beside the database are applied by a write, by a user who may write.
    ApplyPendingChanges,
    /// The database's unfinished transaction is finished by a command that writes.
    FinishTransaction,
    /// The file's cell separator can be given.
    GiveSeparator,
    /// The answers of a wide file or the answer and percentage columns of a long one are named.
    NameAnswerColumns,
    /// The pollster column is named.
    NamePollsterColumn,
    /// The question is given for the whole file, or its column is named.
    GiveQuestion,
    /// A date column is named.
    NameDateColumn,
    /// The file is read as a plain file with its columns named, not as FiveThirtyEight's.
    ReadAsPlainFile,
    /// A trend as of past dates is fitted by a method that looks only backwards.
    ChooseAsOfMethod,
    /// The question's kind, or a single population, decides which population a trend reads.
    ChooseKindOrPopulation,
    /// A font with the missing glyphs can be named.
    NameFont,
    /// The question's answers can be given colours of their own, kept with the question.
    ColourAnswers { question: String },
    /// A dump is loaded into a new database, or an empty one.
    LoadIntoNewDatabase,
    /// A copy goes only into a new or empty database: name one.
    CopyIntoNewDatabase,
    /// A new name close to a stored one is meant: confirm the new pollster, the new answer
    /// labels, or both (whichever is `true`), or correct the spelling.
    ConfirmNewNames { pollster: bool, answer: bool },
}
