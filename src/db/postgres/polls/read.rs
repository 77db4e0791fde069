//! Reading polls whole: what every concern that hands out polls shares.

use crate::error::Result;
use crate::model::{Poll, PollFilter};
use sqlx::PgConnection;

/// The poll `id`, whole (result sets, answers, sponsors, sources, timestamps). Errors: not
/// found for an id not stored.
pub(in crate::db::postgres) async fn load_one(conn: &mut PgConnection, id: i64) -> Result<Poll> {
    let _ = (conn, id);
    todo!("postgres: load_one")
}

/// The polls `ids`, whole, in the order of `ids` (an id not stored is left out).
pub(in crate::db::postgres) async fn load_polls(
    conn: &mut PgConnection,
    ids: &[i64],
) -> Result<Vec<Poll>> {
    let _ = (conn, ids);
    todo!("postgres: load_polls")
}

/// The ids of the polls `filter` selects, in [`crate::db::PollStore::list_polls`]'s order
/// (by poll date, then id).
pub(in crate::db::postgres) async fn select_ids(
    conn: &mut PgConnection,
    filter: &PollFilter,
) -> Result<Vec<i64>> {
    let _ = (conn, filter);
    todo!("postgres: select_ids")
}
