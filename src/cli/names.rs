//! New names: the flags that confirm a name close to a stored one is new, and the lines that
//! say a new name aloud.

use polltrack::app::names::{Confirmed, NewName};
use polltrack::model::terminal_safe;

/// `--new-pollster` and `--new-answer`, flattened into `add` and `edit`.
#[derive(clap::Args)]
pub struct Flags {
    /// The pollster is new, though its name is close to a stored one (which would otherwise
    /// be refused as a likely typo)
    #[arg(long)]
    new_pollster: bool,
    /// The answer labels are new to their question, though close to its stored ones
    #[arg(long)]
    new_answer: bool,
}

impl Flags {
    pub fn confirmed(&self) -> Confirmed {
        Confirmed {
            pollster: self.new_pollster,
            answers: self.new_answer,
        }
    }
}

/// Says each new name on standard error, so that a misspelling nobody caught is seen.
pub fn say(names: &[NewName]) {
    for name in names {
        let line = match name {
            NewName::Pollster(name) => format!("new pollster \"{name}\""),
            NewName::Answer { question, label } => {
                format!("new answer \"{label}\" for question {question}")
            }
        };
        eprintln!("{}", terminal_safe(&line));
    }
}
