//! The OpenAPI document of the API, at `/api/openapi.json`: built from the handlers' and the
//! model types' own declarations (utoipa), so it cannot drift from what is served.

use super::{edit, import, reads, writes};
use crate::web::State;
use axum::routing::get;
use axum::{Json, Router};
use utoipa::OpenApi;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "polltrack",
        description = "Public-opinion polls: each poll with its result sets and answers \
            (percentages in points), its sources, and each question's trend with 95% bands. \
            Objects are those of the command line's --json. Filters are named as its flags."
    ),
    paths(
        reads::poll_page,
        reads::poll,
        reads::poll_history,
        reads::polls_csv,
        reads::questions,
        reads::question,
        reads::question_trend,
        reads::question_house_effects,
        reads::pollsters,
        reads::sources,
        writes::add_poll,
        edit::edit_poll,
        writes::delete_poll,
        import::import_csv,
    )
)]
struct ApiDocument;

/// The document, as served.
pub(crate) fn document() -> utoipa::openapi::OpenApi {
    ApiDocument::openapi()
}

pub(super) fn routes() -> Router<State> {
    Router::new().route("/api/openapi.json", get(|| async { Json(document()) }))
}
