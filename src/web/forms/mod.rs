//! The forms that write, served unless the server is read-only: record a poll from an article
//! (`/polls/new`), edit one (`/polls/{id}/edit`), delete one after a confirmation
//! (`/polls/{id}/delete`), import a CSV file (`/import`). Server-rendered and working without
//! JavaScript; a submission that passes is stored and redirected to what it made (303), one
//! that does not comes back as typed, each problem beside its field, with nothing stored.
//!
//! They carry no token of their own: the safety checks refuse a submission from another site,
//! and beyond loopback the browser sends the token's cookie with each.

mod delete;
mod import;
mod poll_form;
mod problems;
mod record;
#[cfg(test)]
mod tests;

use super::State;
use super::api::MAX_UPLOAD;
use crate::error::Error;
use axum::Router;
use axum::body::Bytes;
use axum::extract::DefaultBodyLimit;
use axum::routing::get;

pub(super) fn routes() -> Router<State> {
    Router::new()
        .route("/polls/new", get(record::new_form).post(record::add))
        .route(
            "/polls/{id}/edit",
            get(record::edit_form).post(record::edit),
        )
        .route(
            "/polls/{id}/delete",
            get(delete::confirm).post(delete::delete),
        )
        .route("/polls/{id}/deleted", get(delete::deleted))
        .route(
            "/import",
            get(import::form)
                .post(import::import)
                .layer(DefaultBodyLimit::max(MAX_UPLOAD)),
        )
}

/// A submitted form's fields, in order (`application/x-www-form-urlencoded`).
fn fields(body: &Bytes) -> Vec<(String, String)> {
    url::form_urlencoded::parse(body)
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect()
}

/// A form's reason field: why the change is made, checked as `--reason` is.
fn reason(text: &str) -> Result<Option<String>, Error> {
    match text.trim() {
        "" => Ok(None),
        text => super::api::reason(Some(text)),
    }
}
