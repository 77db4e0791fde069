//! `PATCH /api/polls/{id}`: corrections to a poll named as `edit`'s flags, with the poll's
//! `updated_at` as read, so that an edit never undoes a change made since.

use super::writes::{reason, refuse};
use crate::app::names::Confirmed;
use crate::app::polls::{self, Clearable, EditRequest};
use crate::db::with_reason;
use crate::error::{Error, Result};
use crate::model::{self, Answer, Poll};
use crate::web::State;
use crate::web::error::{ApiError, ErrorBody};
use crate::web::query::Params;
use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, State as Shared};
use axum::http::Uri;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::json;
use utoipa::ToSchema;

/// An edit's body: `edit`'s flags, and the poll's `updated_at` as read.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(in crate::web) struct EditBody {
    /// The poll's `updated_at` as read: an edit of a poll changed since is refused (required)
    updated_at: Option<String>,
    /// The pollster, by name or alias
    pollster: Option<String>,
    /// First day of fieldwork (2024-05-14, "May 14, 2024", 14.05.2024...)
    start: Option<String>,
    /// Last day of fieldwork
    end: Option<String>,
    /// The day the results were published
    published: Option<String>,
    /// How it was asked
    mode: Option<String>,
    /// The country or region polled
    region: Option<String>,
    /// Free notes
    notes: Option<String>,
    /// Replaces the sponsors (clear them with `clear`)
    #[serde(default)]
    sponsors: Vec<String>,
    /// Commissioned by a party or campaign
    partisan: Option<bool>,
    /// Part of a tracking series
    tracking: Option<bool>,
    /// An election's result rather than a poll
    election: Option<bool>,
    /// Fields to make unknown: start, end, published, mode, region, notes, sponsors, sample,
    /// moe
    #[serde(default)]
    clear: Vec<String>,
    /// Which question's numbers to change, when the poll has several
    question: Option<String>,
    /// Which population's numbers to change, when the question has several
    population: Option<String>,
    /// Percentages to set, adding an answer that is new
    #[serde(default)]
    answers: Vec<Answer>,
    /// Labels of answers to remove
    #[serde(default)]
    remove_answers: Vec<String>,
    /// The chosen result set's sample size
    sample: Option<f64>,
    /// The chosen result set's margin of error, in points
    moe: Option<f64>,
    /// A new population for the chosen result set
    set_population: Option<String>,
    /// Store the edit even if the poll then repeats another stored poll
    #[serde(default)]
    allow_duplicate: bool,
    /// The pollster is new on purpose, though close to a stored name
    #[serde(default)]
    new_pollster: bool,
    /// The answer labels are new on purpose, though close to stored ones
    #[serde(default)]
    new_answer: bool,
    /// Why, kept in the history (as --reason)
    reason: Option<String>,
}

/// Corrects a poll as `edit` does; each change goes into its history.
#[utoipa::path(patch, path = "/api/polls/{id}", tag = "polls",
    params(("id" = i64, Path, description = "The poll's id")),
    request_body(content = EditBody, description = "The changes, named as `edit`'s flags, and the poll's `updated_at` as read"),
    responses(
        (status = 200, description = "The poll as edited, as `show --json`", body = Poll),
        (status = 404, description = "No such poll, result set or answer", body = ErrorBody),
        (status = 409, description = "The poll was changed since it was read, or would repeat another", body = ErrorBody),
        (status = 422, description = "The edited poll breaks rules", body = ErrorBody),
    ))]
pub(in crate::web) async fn edit_poll(
    Shared(served): Shared<State>,
    Path(id): Path<String>,
    uri: Uri,
    body: Bytes,
) -> std::result::Result<Response, ApiError> {
    Params::parse(uri.query(), &[])?;
    let id = super::reads::poll_id(&id)?;
    let body: EditBody = serde_json::from_slice(&body)
        .map_err(|e| Error::invalid(format!("the body is not an edit: {e}")))?;
    let Some(read_at) = body.updated_at.clone() else {
        return Err(Error::invalid(format!(
            "updated_at: give the poll's updated_at as read (GET /api/polls/{id}), so that an \
             edit never undoes a change made since"
        ))
        .into());
    };
    let reason = reason(body.reason.as_deref())?;
    let request = edit_request(id, &body)?;
    let confirmed = Confirmed {
        pollster: body.new_pollster,
        answers: body.new_answer,
    };
    let db = &served.db;
    let edited = with_reason(reason, async {
        let mut poll = polls::edit(db, &request).await?;
        poll.updated_at = Some(read_at);
        refuse(&polls::prepare(&mut poll))?;
        polls::save_edit(db, id, &poll, body.allow_duplicate, confirmed).await?;
        polls::show(db, id).await
    })
    .await?;
    Ok(Json(json!(edited)).into_response())
}

fn edit_request(id: i64, body: &EditBody) -> Result<EditRequest> {
    let mut problems = Vec::new();
    let mut date = |name: &str, text: &Option<String>| match text.as_deref() {
        None => None,
        Some(text) => match model::parse_typed_date(text) {
            Ok(date) => Some(date),
            Err(e) => {
                problems.push(format!("{name}: {e}"));
                None
            }
        },
    };
    let field_start = date("start", &body.start);
    let field_end = date("end", &body.end);
    let published_on = date("published", &body.published);
    let mut clear = Vec::new();
    for name in &body.clear {
        match Clearable::from_name(name) {
            Some(field) => clear.push(field),
            None => problems.push(format!(
                "clear: no field \"{name}\" (the fields are {})",
                Clearable::ALL.map(Clearable::name).join(", ")
            )),
        }
    }
    if !problems.is_empty() {
        return Err(Error::invalid_all(problems));
    }
    Ok(EditRequest {
        id,
        pollster: body.pollster.clone(),
        field_start,
        field_end,
        published_on,
        mode: body.mode.clone(),
        region: body.region.clone(),
        notes: body.notes.clone(),
        sponsors: body.sponsors.clone(),
        partisan: body.partisan,
        tracking: body.tracking,
        election: body.election,
        clear,
        question: body.question.clone(),
        population: body.population.clone(),
        answers: body.answers.clone(),
        remove_answers: body.remove_answers.clone(),
        sample_size: body.sample,
        margin_of_error: body.moe,
        set_population: body.set_population.clone(),
    })
}
