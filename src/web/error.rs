//! Library errors as HTTP answers: the kind chooses the status (not found 404, conflict 409,
//! invalid 422, a request that cannot work as asked 400, storage and other failures 500), the
//! body says what and where as JSON:
//! `{"error": {"status": 422, "kind": "invalid", "message": "...", "problems": ["..."]}}`.

use crate::error::{Error, ErrorKind};
use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::json;

/// The JSON body of every error, for the OpenAPI document: `{"error": {...}}`.
#[derive(serde::Serialize, utoipa::ToSchema)]
#[allow(dead_code)]
pub(crate) struct ErrorBody {
    error: ErrorDetail,
}

/// What went wrong.
#[derive(serde::Serialize, utoipa::ToSchema)]
#[allow(dead_code)]
struct ErrorDetail {
    /// The HTTP status again.
    status: u16,
    /// invalid, not_found, conflict, bad_request, refused, storage or failed.
    kind: String,
    /// What went wrong and where, in words.
    message: String,
    /// Every problem found with the data given (`invalid` only).
    problems: Option<Vec<String>>,
    /// The id of the stored poll the data clashes with (`conflict` only, when there is one).
    stored_poll: Option<i64>,
}

/// A library error answered as JSON.
#[derive(Debug)]
pub(crate) struct ApiError(pub(crate) Error);

impl From<Error> for ApiError {
    fn from(e: Error) -> ApiError {
        ApiError(e)
    }
}

/// The HTTP status of an error's kind.
pub(crate) fn status(kind: ErrorKind) -> StatusCode {
    match kind {
        ErrorKind::Invalid => StatusCode::UNPROCESSABLE_ENTITY,
        ErrorKind::NotFound => StatusCode::NOT_FOUND,
        ErrorKind::Conflict => StatusCode::CONFLICT,
        ErrorKind::Usage => StatusCode::BAD_REQUEST,
        ErrorKind::Storage | ErrorKind::Failed | ErrorKind::OutputClosed => {
            StatusCode::INTERNAL_SERVER_ERROR
        }
    }
}

/// The name of an error's kind in the JSON body.
fn kind_name(kind: ErrorKind) -> &'static str {
    match kind {
        ErrorKind::Invalid => "invalid",
        ErrorKind::NotFound => "not_found",
        ErrorKind::Conflict => "conflict",
        ErrorKind::Usage => "bad_request",
        ErrorKind::Storage => "storage",
        ErrorKind::Failed | ErrorKind::OutputClosed => "failed",
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let kind = self.0.kind();
        let status = status(kind);
        let mut body = json!({
            "status": status.as_u16(),
            "kind": kind_name(kind),
            "message": self.0.to_string(),
        });
        if let Error::Invalid { problems, .. } = &self.0 {
            body["problems"] = json!(problems);
        }
        if let Error::Conflict {
            stored: Some(id), ..
        } = &self.0
        {
            body["stored_poll"] = json!(id);
        }
        (status, Json(json!({ "error": body }))).into_response()
    }
}

/// A request refused before its route (by the safety checks): a page for a browser that asks
/// for one (a form submitted from another site, say), else in the same JSON shape as errors.
pub(crate) fn refusal(status: StatusCode, message: String, wants_html: bool) -> Response {
    if wants_html {
        let escaped = message
            .replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
            .replace('"', "&quot;");
        let title = status.canonical_reason().unwrap_or("Refused");
        let page = format!(
            "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
             <title>{title} · polltrack</title>\
             <link rel=\"stylesheet\" href=\"/assets/style.css\"></head>\
             <body><main><h1>{title}</h1><div class=\"error\"><p>{escaped}</p></div>\
             </main></body></html>\n"
        );
        return (status, axum::response::Html(page)).into_response();
    }
    let body = json!({"error": {
        "status": status.as_u16(),
        "kind": "refused",
        "message": message,
    }});
    (status, Json(body)).into_response()
}
