//! The API's reads, and the `.json` and `.csv` twins of the poll table.

use crate::app::export::{ExportFormat, ExportRequest, export};
use crate::app::house_effects::{HouseEffectsRequest, house_effects};
use crate::app::trend::Trend;
use crate::app::trend::{Days, TrendRequest, trend};
use crate::app::{Commit, polls, registry};
use crate::db::Database;
use crate::db::QuestionDetail;
use crate::error::{Error, Result};
use crate::export::{Audience, Columns};
use crate::model::{
    Change, HouseEffect, ListCursor, ListOrder, Poll, PollFilter, Pollster, Question,
    SourceWithPolls,
};
use crate::web::State;
use crate::web::error::ApiError;
use crate::web::error::ErrorBody;
use crate::web::query::{
    METHOD_OPTIONS, MethodParams, POLL_FILTERS, PagingParams, Params, PollFilterParams,
    SERIES_FILTERS, SeriesFilterParams, cursor_text,
};
use axum::extract::{Path, State as Shared};
use axum::http::{Uri, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde_json::{Value, json};
use std::sync::{Arc, Mutex};

/// The parameters of a page of a listing, besides its filters.
pub(in crate::web) const PAGING: &[&str] = &["latest", "limit", "after"];
/// Polls in a page unless `limit` says otherwise, and the most `limit` may ask.
const PAGE_POLLS: u64 = 100;
const MAX_PAGE_POLLS: u64 = 1_000;
/// The parameters of a CSV export, as `export`'s flags.
const EXPORT_OPTIONS: &[&str] = &["format", "for_spreadsheet", "extra_columns"];

type Answer<T = Json<Value>> = std::result::Result<T, ApiError>;

/// The read routes.
pub(in crate::web) fn routes() -> Router<State> {
    Router::new()
        .route("/api/polls", get(poll_page))
        .route("/polls.json", get(poll_page))
        .route("/polls.csv", get(polls_csv))
        .route("/api/polls/{id}", get(poll))
        .route("/api/polls/{id}/history", get(poll_history))
        .route("/api/questions", get(questions))
        .route("/api/questions/{slug}", get(question))
        .route("/api/questions/{slug}/trend", get(question_trend))
        .route(
            "/api/questions/{slug}/house-effects",
            get(question_house_effects),
        )
        .route("/api/pollsters", get(pollsters))
        .route("/api/sources", get(sources))
}

/// A page of polls and where the next one starts.
pub(in crate::web) struct PollPage {
    pub(in crate::web) polls: Vec<Poll>,
    pub(in crate::web) next: Option<ListCursor>,
}

/// The page of polls `params` asks for (filters, order, `limit`, `after`).
pub(in crate::web) async fn read_poll_page(db: &Database, params: &Params) -> Result<PollPage> {
    read_poll_page_of(db, params.poll_filter()?, params).await
}

/// The page of the polls of `filter` that `params` asks for (order, `limit`, `after`).
pub(in crate::web) async fn read_poll_page_of(
    db: &Database,
    filter: PollFilter,
    params: &Params,
) -> Result<PollPage> {
    let limit = params.limit(PAGE_POLLS, MAX_PAGE_POLLS)?;
    // One poll more than the page: whether there is a next page, without counting.
    let order = ListOrder {
        newest_first: params.flag("latest")?,
        limit: Some(limit + 1),
        after: params.cursor()?,
    };
    let mut polls = Vec::new();
    polls::list(db, &filter, order, 1, |_, page| {
        polls.extend(page);
        Ok(())
    })
    .await?;
    let next = match polls.len() as u64 > limit {
        true => {
            polls.truncate(limit as usize);
            polls.last().and_then(ListCursor::after)
        }
        false => None,
    };
    Ok(PollPage { polls, next })
}

/// A page of polls as the API answers it.
#[derive(serde::Serialize, utoipa::ToSchema)]
pub(in crate::web) struct PollPageBody {
    /// The polls, each with only the result sets the filters select, as `list --json`.
    polls: Vec<Poll>,
    /// Where the next page starts (its `after`), or null on the last page.
    next: Option<String>,
    /// The address of the next page: this one's with `after` set, or null on the last page.
    next_url: Option<String>,
}

/// A page of polls matching the filters, by date (oldest first unless `latest`).
#[utoipa::path(get, path = "/api/polls", tag = "polls",
    params(PollFilterParams, PagingParams),
    responses(
        (status = 200, description = "A page of polls", body = PollPageBody),
        (status = 404, description = "A filter names no stored question or pollster", body = ErrorBody),
        (status = 422, description = "A parameter's value is not valid", body = ErrorBody),
        (status = 400, description = "An unknown parameter", body = ErrorBody),
    ))]
pub(in crate::web) async fn poll_page(
    Shared(served): Shared<State>,
    uri: Uri,
) -> Answer<Json<PollPageBody>> {
    let params = Params::parse(uri.query(), &[POLL_FILTERS, PAGING])?;
    let page = read_poll_page(&served.db, &params).await?;
    let next = page.next.map(cursor_text);
    let next_url = next
        .as_ref()
        .map(|next| format!("{}?{}", uri.path(), params.with("after", next)));
    Ok(Json(PollPageBody {
        polls: page.polls,
        next,
        next_url,
    }))
}

/// A poll's id from its path segment (`12`, or `12.json` on a page's twin).
pub(in crate::web) fn poll_id(segment: &str) -> Result<i64> {
    segment.trim_end_matches(".json").parse().map_err(|_| {
        Error::not_found(format!(
            "there is no poll \"{segment}\" (poll ids are numbers)"
        ))
    })
}

/// One poll, whole, as `show --json`.
#[utoipa::path(get, path = "/api/polls/{id}", tag = "polls",
    params(("id" = i64, Path, description = "The poll's id")),
    responses(
        (status = 200, description = "The poll", body = Poll),
        (status = 404, description = "No such poll", body = ErrorBody),
    ))]
pub(in crate::web) async fn poll(
    Shared(served): Shared<State>,
    Path(id): Path<String>,
    uri: Uri,
) -> Answer {
    Params::parse(uri.query(), &[])?;
    Ok(Json(json!(polls::show(&served.db, poll_id(&id)?).await?)))
}

/// A poll's recorded changes, oldest first, as `history ID --json`.
#[utoipa::path(get, path = "/api/polls/{id}/history", tag = "polls",
    params(("id" = i64, Path, description = "The poll's id")),
    responses(
        (status = 200, description = "Its changes", body = Vec<Change>),
        (status = 404, description = "No such poll, nor one deleted", body = ErrorBody),
    ))]
pub(in crate::web) async fn poll_history(
    Shared(served): Shared<State>,
    Path(id): Path<String>,
    uri: Uri,
) -> Answer {
    Params::parse(uri.query(), &[])?;
    let id = poll_id(&id)?;
    // A poll never stored has no history, where an empty list would say it was never changed.
    let history = polls::history(&served.db, Some(id)).await?;
    if history.is_empty() {
        polls::show(&served.db, id).await?;
    }
    Ok(Json(json!(history)))
}

/// Every question with its polls and their span, as `question list --json`.
#[utoipa::path(get, path = "/api/questions", tag = "questions",
    responses((status = 200, description = "The questions", body = Vec<Question>)))]
pub(in crate::web) async fn questions(Shared(served): Shared<State>, uri: Uri) -> Answer {
    Params::parse(uri.query(), &[])?;
    Ok(Json(json!(registry::questions(&served.db).await?)))
}

/// A question with its populations and answers, as `question show SLUG --json`.
#[utoipa::path(get, path = "/api/questions/{slug}", tag = "questions",
    params(("slug" = String, Path, description = "The question's slug")),
    responses(
        (status = 200, description = "The question", body = QuestionDetail),
        (status = 404, description = "No such question", body = ErrorBody),
    ))]
pub(in crate::web) async fn question(
    Shared(served): Shared<State>,
    Path(slug): Path<String>,
    uri: Uri,
) -> Answer {
    Params::parse(uri.query(), &[])?;
    Ok(Json(json!(registry::question(&served.db, &slug).await?)))
}

/// Trend parameters besides the filters and method options: which days get an estimate.
const TREND_DAYS: &[&str] = &["at_polls", "as_of"];

/// A question's trend from `params` (series filters, method options, days).
pub(in crate::web) async fn read_trend(
    db: &Database,
    slug: &str,
    params: &Params,
) -> Result<crate::app::trend::Trend> {
    let days = match (params.flag("as_of")?, params.flag("at_polls")?) {
        (true, true) => {
            return Err(Error::invalid(
                "parameters as_of and at_polls do not combine: choose one",
            ));
        }
        (true, false) => Days::AsOf,
        (false, true) => Days::AtPolls,
        (false, false) => Days::Daily,
    };
    let request = TrendRequest {
        filter: params.series_filter(slug)?,
        options: params.trend_options()?,
        days,
    };
    trend(db, &request).await
}

/// A question's trend: each answer's daily estimate in points with its 95% band, as
/// `trend SLUG --json`.
#[utoipa::path(get, path = "/api/questions/{slug}/trend", tag = "questions",
    params(
        ("slug" = String, Path, description = "The question's slug"),
        SeriesFilterParams, MethodParams,
        ("at_polls" = Option<bool>, Query, description = "The fit at each poll date instead of every day"),
        ("as_of" = Option<bool>, Query, description = "Each day's estimate from only the polls known that day (kalman and latest)"),
    ),
    responses(
        (status = 200, description = "The trend", body = Trend),
        (status = 404, description = "No such question or pollster, or no polls", body = ErrorBody),
        (status = 422, description = "A parameter's value is not valid", body = ErrorBody),
    ))]
pub(in crate::web) async fn question_trend(
    Shared(served): Shared<State>,
    Path(slug): Path<String>,
    uri: Uri,
) -> Answer {
    let params = Params::parse(uri.query(), &[SERIES_FILTERS, METHOD_OPTIONS, TREND_DAYS])?;
    Ok(Json(json!(read_trend(&served.db, &slug, &params).await?)))
}

/// How far each pollster's polls lean from the average, per answer, in points, as
/// `house-effects SLUG --json`.
#[utoipa::path(get, path = "/api/questions/{slug}/house-effects", tag = "questions",
    params(
        ("slug" = String, Path, description = "The question's slug"),
        SeriesFilterParams,
        ("step" = Option<f64>, Query, description = "The random walk's daily standard deviation in points (estimated when not given)"),
    ),
    responses(
        (status = 200, description = "The house effects", body = Vec<HouseEffect>),
        (status = 404, description = "No such question or pollster, or no polls", body = ErrorBody),
    ))]
pub(in crate::web) async fn question_house_effects(
    Shared(served): Shared<State>,
    Path(slug): Path<String>,
    uri: Uri,
) -> Answer {
    let params = Params::parse(uri.query(), &[SERIES_FILTERS, &["step"]])?;
    let request = HouseEffectsRequest {
        filter: params.series_filter(&slug)?,
        step: params.trend_options()?.step,
    };
    Ok(Json(json!(
        house_effects(&served.db, &request).await?.effects
    )))
}

/// Every pollster with its aliases, polls and their span, as `pollster list --json`.
#[utoipa::path(get, path = "/api/pollsters", tag = "pollsters",
    responses((status = 200, description = "The pollsters", body = Vec<Pollster>)))]
pub(in crate::web) async fn pollsters(Shared(served): Shared<State>, uri: Uri) -> Answer {
    Params::parse(uri.query(), &[])?;
    Ok(Json(json!(registry::pollsters(&served.db).await?)))
}

/// The sources (articles, releases) with the polls they reported, as `source list --json`.
#[utoipa::path(get, path = "/api/sources", tag = "sources",
    params(("poll" = Option<i64>, Query, description = "Only the sources of this poll")),
    responses((status = 200, description = "The sources", body = Vec<SourceWithPolls>)))]
pub(in crate::web) async fn sources(Shared(served): Shared<State>, uri: Uri) -> Answer {
    let params = Params::parse(uri.query(), &[&["poll"]])?;
    let poll = params.one("poll").map(poll_id).transpose()?;
    Ok(Json(json!(registry::sources(&served.db, poll).await?)))
}

/// The polls matching the filters as `polltrack export` writes them, byte for byte.
#[utoipa::path(get, path = "/polls.csv", tag = "polls",
    params(
        PollFilterParams,
        ("format" = Option<String>, Query, description = "long (one row per answer, the default) or wide"),
        ("for_spreadsheet" = Option<bool>, Query, description = "A byte-order mark first, and cells that would run as formulas written as text"),
        ("extra_columns" = Option<bool>, Query, description = "Add poll_date, partisan, tracking, election and source_titles"),
    ),
    responses(
        (status = 200, description = "The CSV", content_type = "text/csv", body = String),
        (status = 404, description = "A filter names no stored question or pollster", body = ErrorBody),
    ))]
pub(in crate::web) async fn polls_csv(Shared(served): Shared<State>, uri: Uri) -> Answer<Response> {
    let params = Params::parse(uri.query(), &[POLL_FILTERS, EXPORT_OPTIONS])?;
    let request = ExportRequest {
        filter: params.poll_filter()?,
        format: match params.one("format") {
            None | Some("long") => ExportFormat::Long,
            Some("wide") => ExportFormat::Wide,
            Some(other) => {
                return Err(Error::invalid(format!(
                    "parameter format: \"{other}\" is no export format (give long or wide)"
                ))
                .into());
            }
        },
        audience: match params.flag("for_spreadsheet")? {
            true => Audience::Spreadsheet,
            false => Audience::Analysis,
        },
        columns: match params.flag("extra_columns")? {
            true => Columns::WithExtra,
            false => Columns::Format,
        },
    };
    let written = Arc::new(Mutex::new(None));
    export(&served.db, &request, Buffer::new(written.clone())).await?;
    let bytes = written
        .lock()
        .ok()
        .and_then(|mut kept| kept.take())
        .ok_or_else(|| Error::Failed("the export was not kept".into()))?;
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (
                header::CONTENT_DISPOSITION,
                "inline; filename=\"polls.csv\"",
            ),
        ],
        bytes,
    )
        .into_response())
}

/// An export's output in memory, handed over once committed.
pub(in crate::web) struct Buffer {
    bytes: Vec<u8>,
    kept: Arc<Mutex<Option<Vec<u8>>>>,
}

impl Buffer {
    fn new(kept: Arc<Mutex<Option<Vec<u8>>>>) -> Buffer {
        Buffer {
            bytes: Vec::new(),
            kept,
        }
    }
}

impl std::io::Write for Buffer {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.bytes.write(buf)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Commit for Buffer {
    fn commit(self) -> Result<()> {
        let mut kept = self
            .kept
            .lock()
            .map_err(|_| Error::Failed("the export's buffer was poisoned".into()))?;
        *kept = Some(self.bytes);
        Ok(())
    }
}
