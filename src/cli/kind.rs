//! Kinds of question as the command line names them.

use clap::ValueEnum;
use polltrack::model::QuestionKind;

/// A kind of question as the command line names it.
#[derive(Clone, Copy, ValueEnum)]
pub enum KindName {
    /// Approval of a politician or government: adults counted first
    Approval,
    /// Favourable or unfavourable opinion of someone: adults counted first
    #[value(alias = "favorability")]
    Favourability,
    /// Opinion on an issue or policy: adults counted first
    Issue,
    /// Vote intention: likely voters counted first
    Vote,
}

impl From<KindName> for QuestionKind {
    fn from(name: KindName) -> QuestionKind {
        match name {
            KindName::Approval => QuestionKind::Approval,
            KindName::Favourability => QuestionKind::Favourability,
            KindName::Issue => QuestionKind::Issue,
            KindName::Vote => QuestionKind::Vote,
        }
    }
}

/// A kind, or `none` to unset it.
#[derive(Clone, Copy, ValueEnum)]
pub enum KindOrNone {
    /// Approval of a politician or government: adults counted first
    Approval,
    /// Favourable or unfavourable opinion of someone: adults counted first
    #[value(alias = "favorability")]
    Favourability,
    /// Opinion on an issue or policy: adults counted first
    Issue,
    /// Vote intention: likely voters counted first
    Vote,
    /// No kind: likely voters counted first, with a warning where it matters
    None,
}

impl KindOrNone {
    pub fn kind(self) -> Option<QuestionKind> {
        match self {
            KindOrNone::Approval => Some(QuestionKind::Approval),
            KindOrNone::Favourability => Some(QuestionKind::Favourability),
            KindOrNone::Issue => Some(QuestionKind::Issue),
            KindOrNone::Vote => Some(QuestionKind::Vote),
            KindOrNone::None => None,
        }
    }
}
