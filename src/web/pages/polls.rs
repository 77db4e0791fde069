//! The polls: every poll in pages with `list`'s filters, and one poll with its result sets,
//! sources and history.

use super::registry::SourceRow;
use super::{InPage, Layout, PageResult, date_text, render};
use crate::app::polls;
use crate::model::{Change, Poll, ResultSet};
use crate::web::State;
use crate::web::api::{PAGING, PollPage, poll_id, read_poll_page};
use crate::web::error::ApiError;
use crate::web::query::{POLL_FILTERS, Params, cursor_text};
use askama::Template;
use axum::extract::{Path, State as Shared};
use axum::http::Uri;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};

pub(super) fn routes() -> Router<State> {
    Router::new()
        .route("/polls", get(page))
        .route("/polls/{id}", get(poll))
}

/// A poll as a row of a table of polls.
pub(super) struct PollRow {
    pub(super) id: i64,
    /// Its field period, else its publication day.
    pub(super) field_period: String,
    pub(super) pollster: String,
    pub(super) sponsors: String,
    /// Each result set in a line: question, population, sample and answers.
    pub(super) results: Vec<String>,
}

impl PollRow {
    /// The row of `poll`, showing only the result sets of `question` when one is given (the
    /// question's page need not repeat its slug).
    pub(super) fn of(poll: &Poll, question: Option<&str>) -> PollRow {
        let results = poll
            .results
            .iter()
            .filter(|r| question.is_none_or(|q| r.question == q))
            .map(|r| {
                let answers = answers_text(r);
                match question {
                    Some(_) => format!("{} · {answers}", population_text(r)),
                    None => format!("{} ({}) · {answers}", r.question, population_text(r)),
                }
            })
            .collect();
        PollRow {
            id: poll.id.unwrap_or_default(),
            field_period: field_period(poll),
            pollster: poll.pollster.clone(),
            sponsors: poll.sponsors.join(", "),
            results,
        }
    }
}

/// `2024-05-01 – 2024-05-03`, one day once, else the publication day.
pub(super) fn field_period(poll: &Poll) -> String {
    match (poll.field_start, poll.field_end) {
        (Some(start), Some(end)) if start == end => start.to_string(),
        (Some(start), Some(end)) => format!("{start} – {end}"),
        (Some(day), None) | (None, Some(day)) => day.to_string(),
        (None, None) => match poll.published_on {
            Some(day) => format!("published {day}"),
            None => String::new(),
        },
    }
}

fn population_text(r: &ResultSet) -> String {
    match r.sample_size {
        Some(n) => format!("{}, n={n}", r.population.to_uppercase()),
        None => r.population.to_uppercase(),
    }
}

fn answers_text(r: &ResultSet) -> String {
    let answers: Vec<String> = r
        .answers
        .iter()
        .map(|a| format!("{} {}", a.label, a.pct))
        .collect();
    answers.join(" · ")
}

/// Links of a page of polls: the next page, and the twins of this query.
pub(super) struct Paging {
    pub(super) next: Option<String>,
    pub(super) json: String,
    pub(super) csv: String,
}

impl Paging {
    /// `path`'s links for `page` of the query `params`; the twins list the polls of
    /// `question` when the page's path names it rather than its query.
    pub(super) fn of(
        path: &str,
        params: &Params,
        page: &PollPage,
        question: Option<&str>,
    ) -> Paging {
        let with_query = |path: &str, query: String| {
            let question = question.map(|q| {
                url::form_urlencoded::Serializer::new(String::new())
                    .append_pair("question", q)
                    .finish()
            });
            let query: Vec<String> = question
                .into_iter()
                .chain([query])
                .filter(|q| !q.is_empty())
                .collect();
            match query.is_empty() {
                true => path.to_string(),
                false => format!("{path}?{}", query.join("&")),
            }
        };
        Paging {
            next: page
                .next
                .map(|next| format!("{path}?{}", params.with("after", &cursor_text(next)))),
            json: with_query("/polls.json", params.only(&[POLL_FILTERS, PAGING])),
            csv: with_query("/polls.csv", params.only(&[POLL_FILTERS])),
        }
    }
}

/// The `list` filters as a form shows them.
#[derive(Default)]
pub(super) struct Filters {
    pub(super) pollster: String,
    pub(super) since: String,
    pub(super) until: String,
    pub(super) population: String,
    pub(super) search: String,
}

impl Filters {
    pub(super) fn of(params: &Params) -> Filters {
        let value = |name: &str| params.one(name).unwrap_or_default().to_string();
        Filters {
            pollster: value("pollster"),
            since: value("since"),
            until: value("until"),
            population: value("population"),
            search: value("search"),
        }
    }
}

#[derive(Template)]
#[template(path = "polls.html")]
struct PollsPage {
    layout: Layout,
    question: String,
    filters: Filters,
    rows: Vec<PollRow>,
    paging: Paging,
}

async fn page(Shared(served): Shared<State>, uri: Uri) -> PageResult {
    let params = Params::parse(uri.query(), &[POLL_FILTERS, PAGING]).in_page(&served)?;
    let page = read_poll_page(&served.db, &params).await.in_page(&served)?;
    let page = PollsPage {
        layout: Layout::of(&served),
        question: params.one("question").unwrap_or_default().to_string(),
        filters: Filters::of(&params),
        rows: page.polls.iter().map(|p| PollRow::of(p, None)).collect(),
        paging: Paging::of("/polls", &params, &page, None),
    };
    render(&page, &served)
}

/// A change of the poll as its history shows it.
struct ChangeRow {
    changed_at: String,
    action: String,
    field: String,
    old_value: String,
    new_value: String,
    reason: String,
}

impl ChangeRow {
    fn of(change: Change) -> ChangeRow {
        ChangeRow {
            changed_at: change.changed_at,
            action: change.action,
            field: change.field,
            old_value: change.old_value.unwrap_or_default(),
            new_value: change.new_value.unwrap_or_default(),
            reason: change.reason.unwrap_or_default(),
        }
    }
}

#[derive(Template)]
#[template(path = "poll.html")]
struct OnePollPage {
    layout: Layout,
    poll: Poll,
    field_period: String,
    published: String,
    sources: Vec<SourceRow>,
    history: Vec<ChangeRow>,
}

impl OnePollPage {
    /// A population as a reader says it: `adults` for `a`, a named one as it is.
    fn population(&self, code: &str) -> String {
        crate::model::STANDARD_POPULATIONS
            .iter()
            .find(|(short, _)| *short == code)
            .map_or(code.to_string(), |(_, name)| name.to_string())
    }
}

/// One poll's page, or with `.json` its object as `show --json` prints it.
async fn poll(Shared(served): Shared<State>, Path(segment): Path<String>, uri: Uri) -> Response {
    if segment.ends_with(".json") {
        return poll_json(&served, &segment, &uri).await.into_response();
    }
    poll_page(&served, &segment, &uri).await.into_response()
}

async fn poll_json(
    served: &State,
    segment: &str,
    uri: &Uri,
) -> std::result::Result<Json<Poll>, ApiError> {
    Params::parse(uri.query(), &[])?;
    Ok(Json(polls::show(&served.db, poll_id(segment)?).await?))
}

async fn poll_page(served: &State, segment: &str, uri: &Uri) -> PageResult {
    Params::parse(uri.query(), &[]).in_page(served)?;
    let id = poll_id(segment).in_page(served)?;
    let poll = polls::show(&served.db, id).await.in_page(served)?;
    let history = polls::history(&served.db, Some(id)).await.in_page(served)?;
    let page = OnePollPage {
        layout: Layout::of(served),
        // The publication day has its own row here.
        field_period: match (poll.field_start, poll.field_end) {
            (None, None) => "not given".to_string(),
            _ => field_period(&poll),
        },
        published: date_text(poll.published_on),
        sources: poll
            .sources
            .iter()
            .map(|s| SourceRow::of(s, Vec::new()))
            .collect(),
        history: history.into_iter().map(ChangeRow::of).collect(),
        poll,
    };
    render(&page, served)
}
