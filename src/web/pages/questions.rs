//! The questions: every question with its wording, polls and their span.

use super::{InPage, Layout, PageResult, csv_table, date_text, render};
use crate::analysis::{Method, TrendOptions};
use crate::app::registry;
use crate::app::trend::{Days, TrendRequest, trend};
use crate::db::SeriesFilter;
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
    /// Each question with its latest estimate (empty when it has none).
    questions: Vec<(Question, String)>,
}

async fn page(Shared(served): Shared<State>, uri: Uri) -> PageResult {
    Params::parse(uri.query(), &[]).in_page(&served)?;
    let questions = registry::questions(&served.db).await.in_page(&served)?;
    let mut rows = Vec::with_capacity(questions.len());
    for question in questions {
        let latest = latest_estimate(&served, &question.slug)
            .await
            .in_page(&served)?;
        rows.push((question, latest));
    }
    let page = QuestionsPage {
        layout: Layout::of(&served),
        questions: rows,
    };
    render(&page, &served)
}

/// The `latest` method's estimate on the last poll's day: each pollster's most recent poll of
/// the window, averaged. Cheap (no model is fitted) and plain to explain; the question's page
/// has the default trend. Empty for a question without a poll to count.
async fn latest_estimate(served: &State, slug: &str) -> crate::error::Result<String> {
    let request = TrendRequest {
        filter: SeriesFilter {
            question: slug.to_string(),
            ..SeriesFilter::default()
        },
        options: TrendOptions {
            method: Method::Latest,
            ..TrendOptions::default()
        },
        days: Days::AtPolls,
    };
    let found = match trend(&served.db, &request).await {
        Ok(found) => found,
        Err(e) if e.kind() == crate::ErrorKind::NotFound => return Ok(String::new()),
        Err(e) => return Err(e),
    };
    let last_day = found
        .answers
        .iter()
        .filter_map(|a| a.points.last().map(|p| p.date))
        .max();
    let shares: Vec<String> = found
        .answers
        .iter()
        .filter_map(|a| {
            let last = a.points.last().filter(|p| Some(p.date) == last_day)?;
            Some(format!("{} {:.1}", a.answer, last.estimate))
        })
        .collect();
    Ok(match last_day {
        Some(day) => format!("{} ({day})", shares.join(" · ")),
        None => String::new(),
    })
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
