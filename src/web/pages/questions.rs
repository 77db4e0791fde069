//! The questions: every question with its wording, polls and their span.

use super::{InPage, Layout, PageResult, csv_table, date_text, render};
use crate::app::registry;
use crate::model::Question;
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
    let rows = questions.into_iter().map(|q| {
        vec![
            q.slug,
            q.wording,
            q.kind.map(|k| k.name().to_string()).unwrap_or_default(),
            q.polls.to_string(),
            date_text(q.first_date),
            date_text(q.last_date),
        ]
    });
    let header = [
        "slug",
        "wording",
        "kind",
        "polls",
        "first_date",
        "last_date",
    ];
    Ok(csv_table(&header, rows)?)
}
