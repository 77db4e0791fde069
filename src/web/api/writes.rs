//! The API's writes, served unless the server is read-only. Bodies and answers are JSON:
//!
//! - `POST /api/polls`: a poll as `show --json` prints one (without `id`, `created_at`,
//!   `updated_at`; a result set of a new question has its `wording`), with `add`'s options
//!   beside its fields: `kind`, `allow_duplicate`, `new_pollster`, `new_answer`. Answers 201,
//!   the poll as stored and its address in `Location`.
//! - `PATCH /api/polls/{id}` ([`super::edit`]): the changes, named as `edit`'s flags (`pollster`, `start`,
//!   `end`, `published`, `mode`, `region`, `notes`, `sponsors`, `partisan`, `tracking`,
//!   `election`, `clear`, `question`, `population`, `answers`, `remove_answers`, `sample`,
//!   `moe`, `set_population`, `allow_duplicate`, `new_pollster`, `new_answer`), and the poll's
//!   `updated_at` as read: a poll changed since is a conflict. Answers the poll as edited.
//! - `DELETE /api/polls/{id}`: answers the poll as it was; it stays in the history.
//! - `POST /api/import`: see [`super::import`].
//!
//! Each takes a `reason` (a field of the body, or a parameter of a delete or import), kept in
//! the history beside what it changes, as `--reason` is.

use crate::app::names::Confirmed;
use crate::app::polls::{self, AddRequest};
use crate::db::with_reason;
use crate::error::{Error, Result};
use crate::model::{self, Poll, Problem, QuestionKind};
use crate::web::State;
use crate::web::error::{ApiError, ErrorBody};
use crate::web::query::Params;
use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, Path, State as Shared};
use axum::http::{StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{patch, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{Map, Value, json};
use utoipa::ToSchema;

type Answered = std::result::Result<Response, ApiError>;

/// The write routes.
pub(in crate::web) fn routes() -> Router<State> {
    Router::new()
        .route("/api/polls", post(add_poll))
        .route(
            "/api/polls/{id}",
            patch(super::edit::edit_poll).delete(delete_poll),
        )
        .route(
            "/api/import",
            post(super::import::import_csv).layer(DefaultBodyLimit::max(super::import::MAX_UPLOAD)),
        )
}

/// The fields of a poll object, of its result sets, answers and sources.
const POLL_FIELDS: &[&str] = &[
    "pollster",
    "sponsors",
    "field_start",
    "field_end",
    "published_on",
    "mode",
    "region",
    "partisan",
    "tracking",
    "election",
    "notes",
    "results",
    "sources",
];
const RESULT_FIELDS: &[&str] = &[
    "question",
    "wording",
    "population",
    "sample_size",
    "margin_of_error",
    "answers",
];
const ANSWER_FIELDS: &[&str] = &["label", "pct"];
const SOURCE_FIELDS: &[&str] = &["url", "title", "outlet", "published_on"];

/// A new poll: a poll's fields as `show --json` prints them (without `id`, `created_at` and
/// `updated_at`; `sponsors`, `sources`, `partisan` and `tracking` may be left out, a result
/// set's `population` too for adults), beside `add`'s options.
// Described for the OpenAPI document; what reads a new poll, field by field, is `poll_from`.
#[derive(Deserialize, ToSchema)]
#[allow(dead_code)]
pub(in crate::web) struct NewPoll {
    #[serde(flatten)]
    poll: Poll,
    /// Given to the poll's questions that have no kind yet
    kind: Option<QuestionKind>,
    /// Record it even if the same poll (pollster, dates, question, population) is stored
    allow_duplicate: Option<bool>,
    /// The pollster is new on purpose, though close to a stored name
    new_pollster: Option<bool>,
    /// The answer labels are new on purpose, though close to stored ones
    new_answer: Option<bool>,
    /// Why, kept in the history (as --reason)
    reason: Option<String>,
}

/// Records a poll, checked as `add` checks one.
#[utoipa::path(post, path = "/api/polls", tag = "polls",
    request_body(content = NewPoll, description = "The poll, as `show --json` prints one, and `add`'s options"),
    responses(
        (status = 201, description = "The poll as stored, as `show --json`", body = Poll,
            headers(("Location" = String, description = "The poll's address"))),
        (status = 422, description = "The poll breaks rules: every problem, each named by where it is", body = ErrorBody),
        (status = 409, description = "The same poll is stored (`stored_poll`)", body = ErrorBody),
    ))]
pub(in crate::web) async fn add_poll(
    Shared(served): Shared<State>,
    uri: Uri,
    body: Bytes,
) -> Answered {
    Params::parse(uri.query(), &[])?;
    let mut object = match serde_json::from_slice::<Value>(&body) {
        Ok(Value::Object(object)) => object,
        Ok(_) => return Err(Error::invalid("the body is not a JSON object (a poll)").into()),
        Err(e) => return Err(Error::invalid(format!("the body is not JSON: {e}")).into()),
    };
    let option = |object: &mut Map<String, Value>, name: &str| object.remove(name);
    let kind = option(&mut object, "kind").map(kind).transpose()?;
    let allow_duplicate = yes(option(&mut object, "allow_duplicate"), "allow_duplicate")?;
    let confirmed = Confirmed {
        pollster: yes(option(&mut object, "new_pollster"), "new_pollster")?,
        answers: yes(option(&mut object, "new_answer"), "new_answer")?,
    };
    let reason = reason(
        option(&mut object, "reason")
            .as_ref()
            .and_then(Value::as_str),
    )?;
    let mut poll = poll_from(object)?;
    let problems = polls::prepare(&mut poll);
    refuse(&problems)?;
    let request = AddRequest {
        poll,
        kind,
        allow_duplicate,
        confirmed,
    };
    let added = with_reason(reason, polls::add(&served.db, &request)).await?;
    let id = added.poll.id.unwrap_or_default();
    Ok((
        StatusCode::CREATED,
        [(header::LOCATION, format!("/api/polls/{id}"))],
        Json(json!(added.poll)),
    )
        .into_response())
}

/// A poll from its JSON object, every field checked by name: a misspelt one ignored would
/// store a poll without it.
fn poll_from(mut object: Map<String, Value>) -> Result<Poll> {
    let mut problems = Vec::new();
    for stored in ["id", "created_at", "updated_at"] {
        if object.contains_key(stored) {
            problems.push(format!(
                "{stored}: given by the store, not by a new poll: leave it out"
            ));
        }
    }
    unknown_fields(&object, "", POLL_FIELDS, &mut problems);
    for (list, fields) in [("results", RESULT_FIELDS), ("sources", SOURCE_FIELDS)] {
        for (i, item) in array(&object, list).iter().enumerate() {
            let Some(item) = item.as_object() else {
                problems.push(format!("{list}[{i}]: not an object"));
                continue;
            };
            unknown_fields(item, &format!("{list}[{i}]."), fields, &mut problems);
            for (a, answer) in array(item, "answers").iter().enumerate() {
                if let Some(answer) = answer.as_object() {
                    let place = format!("{list}[{i}].answers[{a}].");
                    unknown_fields(answer, &place, ANSWER_FIELDS, &mut problems);
                }
            }
        }
    }
    if !problems.is_empty() {
        return Err(Error::invalid_all(problems));
    }
    // What a user may leave out, as `add` lets them: no sponsors, no sources, adults.
    for (field, empty) in [
        ("pollster", json!("")),
        ("sponsors", json!([])),
        ("partisan", json!(false)),
        ("tracking", json!(false)),
        ("results", json!([])),
        ("sources", json!([])),
    ] {
        object.entry(field).or_insert(empty);
    }
    if let Some(Value::Array(results)) = object.get_mut("results") {
        for result in results.iter_mut().filter_map(Value::as_object_mut) {
            result.entry("question").or_insert(json!(""));
            result.entry("population").or_insert(json!("a"));
            result.entry("answers").or_insert(json!([]));
        }
    }
    serde_json::from_value(Value::Object(object))
        .map_err(|e| Error::invalid(format!("the poll: {e}")))
}

fn array<'a>(object: &'a Map<String, Value>, name: &str) -> &'a [Value] {
    object
        .get(name)
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or_default()
}

fn unknown_fields(
    object: &Map<String, Value>,
    place: &str,
    known: &[&str],
    problems: &mut Vec<String>,
) {
    for name in object.keys().filter(|k| !known.contains(&k.as_str())) {
        if !["id", "created_at", "updated_at"].contains(&name.as_str()) || !place.is_empty() {
            problems.push(format!(
                "{place}{name}: no such field (the fields here are {})",
                known.join(", ")
            ));
        }
    }
}

/// Refuses a poll that breaks a rule, each problem named by where it is in the poll object.
pub(super) fn refuse(problems: &[Problem]) -> Result<()> {
    if problems.is_empty() {
        return Ok(());
    }
    Err(Error::invalid_all(
        problems
            .iter()
            .map(|p| format!("{}: {}", problem_path(p), p.message))
            .collect(),
    ))
}

/// Where a problem is in a poll object: `field_start`, `results[0].answers[1].pct`.
fn problem_path(p: &Problem) -> String {
    match (p.field, p.result, p.answer) {
        ("answer", Some(r), Some(a)) => format!("results[{r}].answers[{a}].label"),
        ("pct", Some(r), Some(a)) => format!("results[{r}].answers[{a}].pct"),
        ("answer" | "pct", Some(r), None) => format!("results[{r}].answers"),
        ("question_wording", Some(r), _) => format!("results[{r}].wording"),
        (field, Some(r), _) => format!("results[{r}].{field}"),
        ("source_urls" | "source_title" | "outlet" | "source_date", None, _) => "sources".into(),
        ("answer", None, _) => "results".into(),
        (field, None, _) => field.to_string(),
    }
}

fn kind(value: Value) -> Result<QuestionKind> {
    value
        .as_str()
        .and_then(QuestionKind::from_name)
        .ok_or_else(|| {
            Error::invalid(format!(
                "kind: {value} is no kind of question (give approval, favourability, issue or \
                 vote)"
            ))
        })
}

fn yes(value: Option<Value>, name: &str) -> Result<bool> {
    match value {
        None | Some(Value::Null) => Ok(false),
        Some(Value::Bool(b)) => Ok(b),
        Some(other) => Err(Error::invalid(format!(
            "{name}: {other} is not true or false"
        ))),
    }
}

/// Why a change is made, checked as `--reason` is; none when not given.
pub(in crate::web) fn reason(text: Option<&str>) -> Result<Option<String>> {
    let Some(text) = text else {
        return Ok(None);
    };
    if text.trim().is_empty() {
        return Err(Error::invalid("reason is empty: say why, or leave it out"));
    }
    match model::free_text_problem("reason", text) {
        Some(problem) => Err(Error::invalid(problem)),
        None => Ok(Some(text.trim().to_string())),
    }
}

/// Deletes a poll; a full copy stays in its history (`polltrack restore` brings it back).
#[utoipa::path(delete, path = "/api/polls/{id}", tag = "polls",
    params(
        ("id" = i64, Path, description = "The poll's id"),
        ("reason" = Option<String>, Query, description = "Why, kept in the history (as --reason)"),
    ),
    responses(
        (status = 200, description = "The poll as it was, as `show --json`", body = Poll),
        (status = 404, description = "No such poll", body = ErrorBody),
    ))]
pub(in crate::web) async fn delete_poll(
    Shared(served): Shared<State>,
    Path(id): Path<String>,
    uri: Uri,
) -> Answered {
    let params = Params::parse(uri.query(), &[&["reason"]])?;
    let id = super::reads::poll_id(&id)?;
    let reason = reason(params.one("reason"))?;
    let deleted = with_reason(reason, polls::delete(&served.db, id)).await?;
    Ok(Json(json!(deleted)).into_response())
}
