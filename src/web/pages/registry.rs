//! The pollsters (names, aliases, polls, span) and the sources (articles and the polls they
//! reported), each with its `.json` and `.csv` twins.

use super::{InPage, Layout, PageResult, csv_table, date_text, render};
use crate::app::registry;
use crate::model::{Pollster, Source, SourceWithPolls};
use crate::web::State;
use crate::web::error::ApiError;
use crate::web::query::Params;
use askama::Template;
use axum::extract::State as Shared;
use axum::http::Uri;
use axum::response::Response;
use axum::routing::get;
use axum::{Json, Router};

pub(super) fn routes() -> Router<State> {
    Router::new()
        .route("/pollsters", get(pollsters_page))
        .route("/pollsters.json", get(pollsters_json))
        .route("/pollsters.csv", get(pollsters_csv))
        .route("/sources", get(sources_page))
        .route("/sources.json", get(sources_json))
        .route("/sources.csv", get(sources_csv))
}

type Answer<T> = std::result::Result<T, ApiError>;

#[derive(Template)]
#[template(path = "pollsters.html")]
struct PollstersPage {
    layout: Layout,
    pollsters: Vec<Pollster>,
}

async fn pollsters_page(Shared(served): Shared<State>, uri: Uri) -> PageResult {
    Params::parse(uri.query(), &[]).in_page(&served)?;
    let pollsters = registry::pollsters(&served.db).await.in_page(&served)?;
    let page = PollstersPage {
        layout: Layout::of(&served),
        pollsters,
    };
    render(&page, &served)
}

async fn pollsters_json(Shared(served): Shared<State>, uri: Uri) -> Answer<Json<Vec<Pollster>>> {
    Params::parse(uri.query(), &[])?;
    Ok(Json(registry::pollsters(&served.db).await?))
}

/// One row per pollster; its aliases in one cell, separated by `; `.
async fn pollsters_csv(Shared(served): Shared<State>, uri: Uri) -> Answer<Response> {
    Params::parse(uri.query(), &[])?;
    let pollsters = registry::pollsters(&served.db).await?;
    let rows = pollsters.into_iter().map(|p| {
        vec![
            p.name,
            p.aliases.join("; "),
            p.polls.to_string(),
            date_text(p.first_date),
            date_text(p.last_date),
        ]
    });
    let header = ["name", "aliases", "polls", "first_date", "last_date"];
    Ok(csv_table(&header, rows)?)
}

/// A source as a page shows it: linked only when its address is the web's (an address of
/// another scheme, `javascript:` say, is shown as text, never followed).
pub(super) struct SourceRow {
    pub(super) link: Option<String>,
    pub(super) title: String,
    pub(super) outlet: String,
    pub(super) published: String,
    pub(super) polls: Vec<i64>,
}

impl SourceRow {
    pub(super) fn of(source: &Source, polls: Vec<i64>) -> SourceRow {
        let url = source.url.clone().unwrap_or_default();
        let web = ["http://", "https://"]
            .iter()
            .any(|scheme| url.to_ascii_lowercase().starts_with(scheme));
        SourceRow {
            title: source
                .title
                .clone()
                .filter(|t| !t.trim().is_empty())
                .unwrap_or_else(|| url.clone()),
            link: web.then_some(url),
            outlet: source.outlet.clone().unwrap_or_default(),
            published: date_text(source.published_on),
            polls,
        }
    }
}

#[derive(Template)]
#[template(path = "sources.html")]
struct SourcesPage {
    layout: Layout,
    sources: Vec<SourceRow>,
}

async fn sources_page(Shared(served): Shared<State>, uri: Uri) -> PageResult {
    Params::parse(uri.query(), &[]).in_page(&served)?;
    let sources = registry::sources(&served.db, None).await.in_page(&served)?;
    let page = SourcesPage {
        layout: Layout::of(&served),
        sources: sources
            .into_iter()
            .map(|s| SourceRow::of(&s.source, s.polls))
            .collect(),
    };
    render(&page, &served)
}

async fn sources_json(
    Shared(served): Shared<State>,
    uri: Uri,
) -> Answer<Json<Vec<SourceWithPolls>>> {
    Params::parse(uri.query(), &[])?;
    Ok(Json(registry::sources(&served.db, None).await?))
}

/// One row per source; the ids of the polls it reported in one cell, separated by spaces.
async fn sources_csv(Shared(served): Shared<State>, uri: Uri) -> Answer<Response> {
    Params::parse(uri.query(), &[])?;
    let sources = registry::sources(&served.db, None).await?;
    let rows = sources.into_iter().map(|s| {
        let polls: Vec<String> = s.polls.iter().map(i64::to_string).collect();
        vec![
            s.source.id.map(|id| id.to_string()).unwrap_or_default(),
            s.source.url.unwrap_or_default(),
            s.source.title.unwrap_or_default(),
            s.source.outlet.unwrap_or_default(),
            date_text(s.source.published_on),
            polls.join(" "),
        ]
    });
    let header = ["id", "url", "title", "outlet", "published_on", "polls"];
    Ok(csv_table(&header, rows)?)
}
