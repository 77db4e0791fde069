//! The JSON API under `/api/`, and the `.json` and `.csv` twins of the poll tables. Each object
//! is the one the command line prints with `--json`: a poll as `show --json`, questions as
//! `question list --json`, a trend as `trend --json`, house effects as `house-effects --json`.
//! A listing of polls is a page: `{"polls": [...], "next": CURSOR, "next_url": URL}`, `next`
//! null on the last page. Errors are JSON too (see [`super::error`]).

mod edit;
mod import;
mod openapi;
mod reads;
mod writes;

pub(super) use import::{
    IMPORT_OPTIONS, Imported, MAX_UPLOAD, import_request, import_status, run_import,
};
pub(super) use reads::{PAGING, PollPage, poll_id, read_poll_page, read_poll_page_of};
pub(super) use writes::reason;

use super::State;
use axum::Router;

/// The API's routes: the reads always, the writes unless the server is read-only.
pub(super) fn routes(read_only: bool) -> Router<State> {
    let reads = reads::routes().merge(openapi::routes());
    match read_only {
        true => reads,
        false => reads.merge(writes::routes()),
    }
}
