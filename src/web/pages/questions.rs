//! The questions: every question with its wording, polls and their span.

use super::{InPage, Layout, PageResult, render};
use crate::app::registry;
use crate::model::Question;
use crate::web::State;
use crate::web::error::ApiError;
use crate::web::query::Params;
use askama::Template;
use axum::extract::State as Shared;
use axum::http::{Uri, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};

pub(super) fn routes() -> Router<State> {
    Router::new()
        .route("/questions", get(page))
        .route("/questions.json", get(json))
        .route("/questions.csv", get(csv))
}

#[derive(Template)]
#[template(path = "questions.html")]
struct QuestionsPage {
    layout: Layout,
    questions: Vec<Question>,
}

async fn page(Shared(served): Shared<State>, uri: Uri) -> PageResult {
    Params::parse(uri.query(), &[]).in_page(&served)?;
    let questions = registry::questions(&served.db).await.in_page(&served)?;
    let page = QuestionsPage {
        layout: Layout::of(&served),
        questions,
    };
    render(&page, &served)
}

async fn json(
    Shared(served): Shared<State>,
    uri: Uri,
) -> std::result::Result<Json<Vec<Question>>, ApiError> {
    Params::parse(uri.query(), &[])?;
    Ok(Json(registry::questions(&served.db).await?))
}

/// The table as CSV: one row per question, as the page shows it.
async fn csv(Shared(served): Shared<State>, uri: Uri) -> std::result::Result<Response, ApiError> {
    Params::parse(uri.query(), &[])?;
    let questions = registry::questions(&served.db).await?;
    let mut out = csv::Writer::from_writer(Vec::new());
    let failed = |e: csv::Error| crate::Error::Failed(format!("could not write CSV: {e}"));
    out.write_record([
        "slug",
        "wording",
        "kind",
        "polls",
        "first_date",
        "last_date",
    ])
    .map_err(failed)?;
    for q in &questions {
        let date = |d: Option<chrono::NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
        out.write_record([
            q.slug.clone(),
            q.wording.clone(),
            q.kind.map(|k| k.name().to_string()).unwrap_or_default(),
            q.polls.to_string(),
            date(q.first_date),
            date(q.last_date),
        ])
        .map_err(failed)?;
    }
    let bytes = out
        .into_inner()
        .map_err(|e| crate::Error::Failed(format!("could not write CSV: {e}")))?;
    Ok(([(header::CONTENT_TYPE, "text/csv; charset=utf-8")], bytes).into_response())
}
