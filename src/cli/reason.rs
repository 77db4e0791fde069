//! `--reason TEXT`: why a command changes stored data, kept with each change in the history.

use polltrack::Result;
use polltrack::db::Access;

/// A reason is kept with what a command changes: one that reads only has nowhere to keep it.
pub fn check(reason: Option<&str>, access: Access) -> Result<()> {
    let Some(reason) = reason else {
        return Ok(());
    };
    if access == Access::ReadExisting {
        return Err(polltrack::Error::usage(
            "--reason is kept with a change, and this command changes nothing",
        ));
    }
    if reason.trim().is_empty() {
        return Err(polltrack::Error::usage(
            "--reason is empty: say why, or leave it out",
        ));
    }
    match polltrack::model::free_text_problem("reason", reason) {
        Some(problem) => Err(polltrack::Error::invalid(problem)),
        None => Ok(()),
    }
}
