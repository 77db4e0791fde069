//! `simulate`: synthetic polls drawn from a known truth, to test trends against.

use super::Commit;
use crate::analysis::simulate::{SimulationOptions, simulate as draw};
use crate::error::Result;
use crate::export::{LongWriter, write_truth};

/// Draws the polls of `options` and writes them to `polls` as long-format CSV (ids from 1, in
/// order), and the truth they were drawn from to `truth` when given (see
/// [`crate::export::write_truth`]). The same options give the same bytes. The truth is
/// committed first, then the polls.
///
/// Errors: writing failures (a closed pipe as [`crate::Error::OutputClosed`]).
pub fn simulate<P: Commit, T: Commit>(
    options: &SimulationOptions,
    polls: P,
    truth: Option<T>,
) -> Result<()> {
    let simulation = draw(options);
    let mut writer = LongWriter::new(polls)?;
    for (i, poll) in simulation.polls.iter().enumerate() {
        let mut poll = poll.clone();
        poll.id = Some(i as i64 + 1);
        writer.write(&poll)?;
    }
    let polls = writer.finish()?;
    if let Some(truth) = truth {
        write_truth(truth, &simulation)?.commit()?;
    }
    polls.commit()
}
