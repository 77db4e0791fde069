//! The HTML pages: server-rendered (askama templates in `templates/`, every value escaped),
//! readable without JavaScript. Each table page has a `.json` and a `.csv` twin.

mod chart_data;
mod polls;
mod question;
mod questions;
mod registry;

use super::State;
use super::error::status;
use crate::error::Error;
use askama::Template;
use axum::Router;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::get;

/// What every page's frame shows: the database served and whether writes are served.
pub(super) struct Layout {
    pub(super) database: String,
    pub(super) read_only: bool,
}

impl Layout {
    pub(super) fn of(served: &State) -> Layout {
        Layout {
            database: served.db.describe(),
            read_only: served.read_only,
        }
    }
}

/// A library error answered as an HTML page with the error's status (boxed: results stay
/// small).
pub(super) struct PageError(Box<(Error, Layout)>);

/// A page's result: the page, or the error page.
pub(super) type PageResult = std::result::Result<Html<String>, PageError>;

/// Puts a page's failure in its frame.
pub(super) trait InPage<T> {
    fn in_page(self, served: &State) -> std::result::Result<T, PageError>;
}

impl<T> InPage<T> for crate::error::Result<T> {
    fn in_page(self, served: &State) -> std::result::Result<T, PageError> {
        self.map_err(|error| PageError(Box::new((error, Layout::of(served)))))
    }
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage<'a> {
    layout: &'a Layout,
    title: &'a str,
    lines: Vec<&'a str>,
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        let (error, layout) = *self.0;
        let status = status(error.kind());
        let message = error.to_string();
        let page = ErrorPage {
            layout: &layout,
            title: status.canonical_reason().unwrap_or("Error"),
            lines: message.lines().collect(),
        };
        match page.render() {
            Ok(html) => (status, Html(html)).into_response(),
            Err(_) => (status, message).into_response(),
        }
    }
}

/// Renders a page's template.
pub(super) fn render(page: &impl Template, served: &State) -> PageResult {
    page.render()
        .map(Html)
        .map_err(|e| Error::Failed(format!("could not render the page: {e}")))
        .in_page(served)
}

pub(super) fn routes() -> Router<State> {
    Router::new()
        .route("/", get(|| async { Redirect::to("/questions") }))
        .merge(questions::routes())
        .merge(question::routes())
        .merge(polls::routes())
        .merge(registry::routes())
}

/// A table as CSV: a header row, then the rows.
pub(super) fn csv_table(
    header: &[&str],
    rows: impl IntoIterator<Item = Vec<String>>,
) -> crate::error::Result<Response> {
    let failed = |e: csv::Error| Error::Failed(format!("could not write CSV: {e}"));
    let mut out = csv::Writer::from_writer(Vec::new());
    out.write_record(header).map_err(failed)?;
    for row in rows {
        out.write_record(&row).map_err(failed)?;
    }
    let bytes = out
        .into_inner()
        .map_err(|e| Error::Failed(format!("could not write CSV: {e}")))?;
    Ok((
        [(axum::http::header::CONTENT_TYPE, "text/csv; charset=utf-8")],
        bytes,
    )
        .into_response())
}

/// A date as a table shows it, empty when unknown.
pub(super) fn date_text(date: Option<chrono::NaiveDate>) -> String {
    date.map(|d| d.to_string()).unwrap_or_default()
}
