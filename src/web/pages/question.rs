//! A question: its wording, its trend chart (drawn by `assets/chart.js` from JSON in the page;
//! the PNG chart of `polltrack chart` without JavaScript), its house effects and its polls.

use super::chart_data::ChartData;
use super::polls::{Filters, Paging, PollRow};
use super::{InPage, Layout, PageResult, date_text, render};
use crate::app::chart::{ChartRequest, answer_colours, chart};
use crate::app::house_effects::{HouseEffectsRequest, house_effects};
use crate::app::registry;
use crate::app::trend::{Days, TrendAndPolls, TrendRequest, trend_and_polls};
use crate::chart::Format;
use crate::db::QuestionDetail;
use crate::error::Result;
use crate::model::HouseEffect;
use crate::web::State;
use crate::web::api::{PAGING, read_poll_page_of};
use crate::web::error::ApiError;
use crate::web::query::{METHOD_OPTIONS, Params, SERIES_FILTERS};
use askama::Template;
use axum::Router;
use axum::extract::{Path, State as Shared};
use axum::http::{Uri, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;

/// The `list` filters the polls table takes beyond the series filters.
const LIST_FILTERS: &[&str] = &["region", "sponsor", "search", "election"];

pub(super) fn routes() -> Router<State> {
    Router::new()
        .route("/questions/{slug}", get(page))
        .route("/questions/{slug}/chart.png", get(chart_png))
}

/// An answer's estimate on the trend's last day.
struct Latest {
    answer: String,
    date: String,
    estimate: String,
    band: String,
}

/// A house effect as the table shows it, in points with one decimal.
struct EffectRow {
    pollster: String,
    answer: String,
    effect: String,
    band: String,
    polls: usize,
}

impl EffectRow {
    fn of(effect: &HouseEffect) -> EffectRow {
        let points = |x: f64| format!("{x:+.1}");
        EffectRow {
            pollster: effect.pollster.clone(),
            answer: effect.answer.clone(),
            effect: effect.effect.map(points).unwrap_or_else(|| "–".into()),
            band: match (effect.low, effect.high) {
                (Some(low), Some(high)) => format!("{} to {}", points(low), points(high)),
                _ => "–".into(),
            },
            polls: effect.polls,
        }
    }
}

#[derive(Template)]
#[template(path = "question.html")]
struct QuestionPage {
    layout: Layout,
    detail: QuestionDetail,
    kind: String,
    first_date: String,
    last_date: String,
    /// The method chosen, and each method with whether it is the one.
    method: String,
    methods: Vec<(&'static str, bool)>,
    filters: Filters,
    /// This page's trend and house effects query, for the twins and the PNG chart.
    series_query: String,
    /// The house effects' query (series filters and step).
    effects_query: String,
    chart: Option<ChartData>,
    latest: Vec<Latest>,
    notes: Vec<String>,
    /// Why there is no trend (no polls match), when there is none.
    no_trend: Option<String>,
    effects: Vec<EffectRow>,
    no_effects: Option<String>,
    rows: Vec<PollRow>,
    paging: Paging,
}

async fn page(Shared(served): Shared<State>, Path(slug): Path<String>, uri: Uri) -> PageResult {
    let known: &[&[&str]] = &[SERIES_FILTERS, METHOD_OPTIONS, LIST_FILTERS, PAGING];
    let params = Params::parse(uri.query(), known).in_page(&served)?;
    let detail = registry::question(&served.db, &slug)
        .await
        .in_page(&served)?;
    let slug = detail.question.slug.clone();
    let request = TrendRequest {
        filter: params.series_filter(&slug).in_page(&served)?,
        options: params.trend_options().in_page(&served)?,
        days: Days::Daily,
    };
    // The house effects fit their own model: on another worker meanwhile.
    let effects_task = tokio::spawn({
        let served = served.clone();
        let request = HouseEffectsRequest {
            filter: request.filter.clone(),
            step: request.options.step,
        };
        async move { house_effects(&served.db, &request).await }
    });
    // A question is shown even when no poll matches the filters: the page says so.
    let (chart, latest, notes, no_trend) = match trend_and_polls(&served.db, &request).await {
        Ok(fitted) => {
            let labels: Vec<String> = fitted.polls.iter().map(|s| s.answer.clone()).collect();
            let colours = answer_colours(&served.db, &slug, &[], &labels)
                .await
                .in_page(&served)?;
            let notes = notes_of(&fitted);
            (
                Some(ChartData::of(&fitted, &colours)),
                latest_of(&fitted),
                notes,
                None,
            )
        }
        Err(e) if e.kind() == crate::ErrorKind::NotFound => {
            (None, Vec::new(), Vec::new(), Some(e.to_string()))
        }
        Err(e) => return Err(e).in_page(&served),
    };
    let effects = effects_task
        .await
        .map_err(|e| crate::Error::Failed(format!("the house effects were not fitted: {e}")));
    let (effects, no_effects) = match (no_trend.is_some(), effects) {
        (true, _) => (Vec::new(), None),
        (false, Ok(Ok(found))) => (found.effects.iter().map(EffectRow::of).collect(), None),
        (false, Ok(Err(e)) | Err(e)) => (Vec::new(), Some(e.to_string())),
    };
    let mut filter = params.poll_filter().in_page(&served)?;
    filter.questions = vec![slug.clone()];
    let polls = read_poll_page_of(&served.db, filter, &params)
        .await
        .in_page(&served)?;
    let path = format!("/questions/{}", urlencoding(&slug));
    let method = request.options.method;
    let method_name = method_name(method);
    let page = QuestionPage {
        layout: Layout::of(&served),
        kind: detail
            .question
            .kind
            .map(|k| k.name().to_string())
            .unwrap_or_default(),
        first_date: date_text(detail.question.first_date),
        last_date: date_text(detail.question.last_date),
        method: method_name.to_string(),
        methods: ["kalman", "loess", "latest"]
            .into_iter()
            .map(|m| (m, m == method_name))
            .collect(),
        filters: Filters::of(&params),
        series_query: params.only(&[SERIES_FILTERS, METHOD_OPTIONS]),
        effects_query: params.only(&[SERIES_FILTERS, &["step"]]),
        chart,
        latest,
        notes,
        no_trend,
        effects,
        no_effects,
        rows: polls
            .polls
            .iter()
            .map(|p| PollRow::of(p, Some(&slug)))
            .collect(),
        paging: Paging::of(&path, &params, &polls, Some(&slug)),
        detail,
    };
    render(&page, &served)
}

fn method_name(method: crate::analysis::Method) -> &'static str {
    match method {
        crate::analysis::Method::Kalman => "kalman",
        crate::analysis::Method::Loess => "loess",
        crate::analysis::Method::Latest => "latest",
    }
}

fn urlencoding(text: &str) -> String {
    url::form_urlencoded::byte_serialize(text.as_bytes()).collect()
}

/// Each answer's estimate and band on the trend's last day.
fn latest_of(fitted: &TrendAndPolls) -> Vec<Latest> {
    fitted
        .trend
        .answers
        .iter()
        .filter_map(|answer| {
            let last = answer.points.last()?;
            Some(Latest {
                answer: answer.answer.clone(),
                date: last.date.to_string(),
                estimate: format!("{:.1}", last.estimate),
                band: match (last.low, last.high) {
                    (Some(low), Some(high)) => format!("{low:.1} to {high:.1}"),
                    _ => "–".into(),
                },
            })
        })
        .collect()
}

fn notes_of(fitted: &TrendAndPolls) -> Vec<String> {
    let trend = &fitted.trend;
    trend
        .selection_notes
        .iter()
        .chain(&trend.notes)
        .map(|w| w.message.clone())
        .collect()
}

/// The question's chart as `polltrack chart` draws it, for readers without JavaScript.
async fn chart_png(
    Shared(served): Shared<State>,
    Path(slug): Path<String>,
    uri: Uri,
) -> std::result::Result<Response, ApiError> {
    let params = Params::parse(uri.query(), &[SERIES_FILTERS, METHOD_OPTIONS])?;
    let png = draw_png(&served, &slug, &params).await?;
    Ok(([(header::CONTENT_TYPE, "image/png")], png).into_response())
}

async fn draw_png(served: &State, slug: &str, params: &Params) -> Result<Vec<u8>> {
    let options = params.trend_options()?;
    let mut request = ChartRequest::new(slug, options.method);
    request.filter = params.series_filter(slug)?;
    request.options = options;
    Ok(chart(&served.db, &request, Format::Png).await?.bytes)
}
