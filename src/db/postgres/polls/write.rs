//! Writing polls whole: what every concern that stores polls shares.

use crate::error::Result;
use crate::model::{Change, Poll, Warning};
use sqlx::PgConnection;

/// Writes `poll` (already checked) as a new poll: under `id` when given (a restore, a load, an
/// import keeping a file's ids; the poll id sequence is then moved past it), else under the
/// next id of the sequence. Pollsters, sponsors, questions and sources are found (by name,
/// alias, slug or URL) or created. Returns the id and what is worth telling the user.
pub(in crate::db::postgres) async fn write_poll(
    conn: &mut PgConnection,
    poll: &Poll,
    id: Option<i64>,
) -> Result<(i64, Vec<Warning>)> {
    let _ = (conn, poll, id);
    todo!("postgres: write_poll")
}

/// The stored poll (other than `except`) that `poll` repeats: same pollster, dates, question
/// and population.
pub(in crate::db::postgres) async fn find_duplicate(
    conn: &mut PgConnection,
    poll: &Poll,
    except: Option<i64>,
) -> Result<Option<i64>> {
    let _ = (conn, poll, except);
    todo!("postgres: find_duplicate")
}

/// Replaces the stored poll `old` (as read) by `new`, recording each changed field in the
/// history under `action` (`edit`, `undo`, `merge`, ...) with `old` as the snapshot.
pub(in crate::db::postgres) async fn rewrite_poll_as(
    conn: &mut PgConnection,
    old: &Poll,
    new: Poll,
    action: &str,
) -> Result<(Vec<Change>, Vec<Warning>)> {
    let _ = (conn, old, new, action);
    todo!("postgres: rewrite_poll_as")
}

/// Deletes the poll `id`, keeping its identity in `deleted_result` and a full copy in the
/// history. Returns the poll as it was and the history rows. Errors: not found.
pub(in crate::db::postgres) async fn delete_one(
    conn: &mut PgConnection,
    id: i64,
) -> Result<(Poll, Vec<Change>)> {
    let _ = (conn, id);
    todo!("postgres: delete_one")
}
