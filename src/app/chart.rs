//! `chart`: a question's polls and trend drawn as a chart to publish.

mod colours;
pub mod definition;

pub use colours::{AnswerColour, Origin, answer_colours, set_answer_colours};

use super::series;
use crate::analysis::{self, Method, Selection, TrendOptions, Trends};
use crate::chart::{self, BandPoint, ChartInput, Fonts, Format, Mark, PollPoint, Series};
use crate::db::SeriesFilter;
use crate::db::prelude::*;
use crate::error::{Error, Result};
use crate::model::{Rgb, Warning, format_date, name_key};
use std::collections::{HashMap, HashSet};
use std::path::PathBuf;

/// The default size of a chart, in pixels (width, height).
pub use definition::{DEFAULT_HEIGHT, DEFAULT_WIDTH};

/// One chart to draw: which polls, how their trend is fitted, and what the picture shows.
#[derive(Debug, Clone)]
pub struct ChartRequest {
    /// Which polls: the question, pollsters, dates, population.
    pub filter: SeriesFilter,
    /// How the trend is fitted.
    pub options: TrendOptions,
    /// The answers to draw, in this order, matched ignoring case (empty: all).
    pub answers: Vec<String>,
    /// Events drawn as labelled vertical lines.
    pub marks: Vec<Mark>,
    /// The title; the question's wording when `None`.
    pub title: Option<String>,
    /// The line under the title; the method and population in words when `None`.
    pub subtitle: Option<String>,
    /// A note over the footer (none when `None`).
    pub note: Option<String>,
    /// The credit the footer starts with; "Source: " and the pollsters charted (those with the
    /// most polls first) when `None`.
    pub credit: Option<String>,
    /// The percentages shown, lower first; chosen from the polls when `None`.
    pub y_range: Option<(f64, f64)>,
    /// Pixels, from [`chart::MIN_SIZE`] to [`chart::MAX_SIZE`].
    pub width: u32,
    /// Pixels.
    pub height: u32,
    /// A font file for text the bundled font lacks.
    pub font: Option<PathBuf>,
    /// Colours for answers in this chart alone, over those kept with the question.
    pub colours: Vec<(String, Rgb)>,
}

impl ChartRequest {
    /// A chart of `question` by `method`, with every other choice at its default.
    pub fn new(question: &str, method: Method) -> ChartRequest {
        ChartRequest {
            filter: SeriesFilter {
                question: question.to_string(),
                ..SeriesFilter::default()
            },
            options: TrendOptions {
                method,
                ..TrendOptions::default()
            },
            answers: Vec::new(),
            marks: Vec::new(),
            title: None,
            subtitle: None,
            note: None,
            credit: None,
            y_range: None,
            width: DEFAULT_WIDTH,
            height: DEFAULT_HEIGHT,
            font: None,
            colours: Vec::new(),
        }
    }
}

/// A drawn chart: the file's bytes in the format asked for, and what is worth telling.
#[derive(Debug, Clone)]
pub struct Chart {
    /// The PNG or SVG file.
    pub bytes: Vec<u8>,
    /// What choosing the question's polls is worth telling (which population was counted).
    pub selection_notes: Vec<Warning>,
    /// What the trend's fit is worth telling.
    pub notes: Vec<Warning>,
    /// What drawing is worth telling (text no font could draw).
    pub warnings: Vec<Warning>,
}

/// Reads the polls, fits the daily trend and draws the chart in `format`.
///
/// Errors: not found for an unknown question, pollster or answer, or no matching polls;
/// invalid for a chart that cannot be drawn; a font that cannot be read; storage failures.
pub async fn chart(store: &impl Store, request: &ChartRequest, format: Format) -> Result<Chart> {
    let selection = series::select(store, &request.filter).await?;
    let wording = store.question_wording(&request.filter.question).await?;
    let answers: Vec<String> = selection.answers.iter().map(|a| a.answer.clone()).collect();
    let question = &request.filter.question;
    let colours = answer_colours(store, question, &request.colours, &answers).await?;
    let trends = analysis::daily_trends(&selection, &request.options);
    // The population asked for, else those the polls counted: a reader should know whether
    // adults, registered and likely voters are mixed.
    let populations: Vec<String> = match &request.filter.population {
        Some(population) => vec![population.clone()],
        None => selection
            .populations
            .iter()
            .map(|(p, _)| p.clone())
            .collect(),
    };
    let (mut input, poll_count) = chart_input(
        &selection,
        &trends,
        request,
        &populations,
        wording,
        &colours,
    )?;
    let fonts = Fonts::for_text(&chart::all_text(&input), request.font.as_deref())?;
    // Whether a band drawn can be seen depends on the chart's scale. The words that say it is
    // not are longer: wrapped onto more lines they can only shorten the plot, and a band hidden
    // under its line stays hidden.
    if request.subtitle.is_none()
        && input.series.iter().any(Series::draws_band)
        && !chart::band_shows(&input, &fonts)
    {
        input.subtitle = subtitle(&request.options, &populations, poll_count, Band::UnderLine);
    }
    let rendered = chart::render(&input, &fonts, format)?;
    let charted: Vec<(&str, Rgb)> = input
        .series
        .iter()
        .map(|s| (s.label.as_str(), s.colour))
        .collect();
    let shared = colours::shared_colours(&request.filter.question, &charted);
    Ok(Chart {
        bytes: rendered.bytes,
        selection_notes: selection.notes,
        notes: trends.notes,
        warnings: shared
            .into_iter()
            .chain(outside_y_range(&input))
            .chain(rendered.warnings)
            .collect(),
    })
}

/// A warning naming what a y range given for the chart leaves out: each answer's polls,
/// election results and trend days outside it, which are drawn on the plot's edge. A reader
/// cannot tell a value cut at the edge from one that is there.
fn outside_y_range(input: &ChartInput) -> Option<Warning> {
    let (low, high) = input.y_range?;
    let outside = |value: f64| value < low || value > high;
    let count = |n: usize, one: &str, many: &str| {
        format!("{} {}", thousands(n), if n == 1 { one } else { many })
    };
    let answers: Vec<String> = input
        .series
        .iter()
        .filter_map(|series| {
            let polls = series.polls.iter().filter(|p| outside(p.pct)).count();
            let elections = series.elections.iter().filter(|e| outside(e.1)).count();
            let days = series.trend.iter().filter(|t| outside(t.estimate)).count();
            let parts: Vec<String> = [
                (polls, count(polls, "poll", "polls")),
                (
                    elections,
                    count(elections, "election result", "election results"),
                ),
                (days, count(days, "day of its trend", "days of its trend")),
            ]
            .into_iter()
            .filter(|(n, _)| *n > 0)
            .map(|(_, words)| words)
            .collect();
            (!parts.is_empty()).then(|| format!("{}: {}", series.label, parts.join(", ")))
        })
        .collect();
    (!answers.is_empty()).then(|| {
        Warning::new(format!(
            "the y range {low}-{high}% cuts off {}: they are drawn on the plot's edge; widen \
             the range to show them",
            answers.join("; ")
        ))
    })
}

/// The series of the answers asked for, in their order, or all of them.
fn chosen<'a>(
    selection: &'a Selection,
    request: &ChartRequest,
) -> Result<Vec<&'a analysis::AnswerSeries>> {
    if request.answers.is_empty() {
        return Ok(selection.answers.iter().collect());
    }
    request
        .answers
        .iter()
        .map(|wanted| {
            selection
                .answers
                .iter()
                .find(|s| s.answer.eq_ignore_ascii_case(wanted))
                .ok_or_else(|| {
                    let known: Vec<&str> = selection
                        .answers
                        .iter()
                        .map(|s| s.answer.as_str())
                        .collect();
                    Error::not_found(format!(
                        "question {} has no answer \"{wanted}\"; its answers are {}",
                        request.filter.question,
                        known.join(", ")
                    ))
                })
        })
        .collect()
}

/// What the chart shows: the chosen answers' polls and trends, and the words around them; and
/// how many polls it shows.
fn chart_input(
    selection: &Selection,
    trends: &Trends,
    request: &ChartRequest,
    populations: &[String],
    wording: String,
    colours: &[AnswerColour],
) -> Result<(ChartInput, usize)> {
    let mut polls = HashSet::new();
    // Each pollster's polls, for naming the most frequent first.
    let mut pollsters: HashMap<usize, HashSet<i64>> = HashMap::new();
    let mut series = Vec::new();
    for answer in chosen(selection, request)? {
        let trend: Vec<BandPoint> = trends
            .answers
            .iter()
            .find(|t| t.answer == answer.answer)
            .map(|t| {
                t.points
                    .iter()
                    .map(|p| BandPoint {
                        date: p.date,
                        estimate: p.estimate,
                        low: p.low,
                        high: p.high,
                    })
                    .collect()
            })
            .unwrap_or_default();
        for poll in &answer.polls {
            polls.insert(poll.poll_id);
            pollsters
                .entry(poll.pollster)
                .or_default()
                .insert(poll.poll_id);
        }
        let latest = trend
            .last()
            .map(|p| p.estimate)
            .or_else(|| answer.polls.last().map(|p| p.pct));
        series.push(Series {
            label: answer.answer.clone(),
            polls: answer
                .polls
                .iter()
                .map(|p| PollPoint {
                    date: p.date,
                    pct: p.pct,
                    sample_size: p.sample_size,
                })
                .collect(),
            trend,
            latest,
            colour: colour_of(colours, &answer.answer),
            elections: selection
                .elections
                .iter()
                .flat_map(|e| e.answers.iter().map(move |a| (e.date, a)))
                .filter(|(_, (label, _))| name_key(label) == name_key(&answer.answer))
                .map(|(date, (_, pct))| (date, *pct))
                .collect(),
        });
    }
    let band = if series.iter().any(Series::draws_band) {
        Band::Drawn
    } else {
        Band::None
    };
    let dates = series.iter().flat_map(|s| s.polls.iter().map(|p| p.date));
    let (first, last) = (dates.clone().min(), dates.max());
    let span = match (first, last) {
        (Some(first), Some(last)) if first != last => {
            format!("{} to {}", format_date(first), format_date(last))
        }
        (Some(day), _) => format_date(day),
        _ => String::new(),
    };
    let mut charted: Vec<(usize, &str)> = pollsters
        .iter()
        .filter_map(|(index, polls)| {
            let name = selection.pollsters.get(*index)?;
            Some((polls.len(), name.as_str()))
        })
        .collect();
    charted.sort_unstable_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(b.1)));
    let names: Vec<&str> = charted.into_iter().map(|(_, name)| name).collect();
    let credit = request
        .credit
        .clone()
        .unwrap_or_else(|| format!("Source: {}", name_list(&names)));
    let polls_word = if polls.len() == 1 { "poll" } else { "polls" };
    let input = ChartInput {
        title: request.title.clone().unwrap_or(wording),
        subtitle: request
            .subtitle
            .clone()
            .unwrap_or_else(|| subtitle(&request.options, populations, polls.len(), band)),
        // A reader must be told what the diamonds are; a note of the user's own says it instead.
        note: request.note.clone().unwrap_or_else(|| {
            if series.iter().any(|s| !s.elections.is_empty()) {
                "Diamonds: election results, not counted in the trend".to_string()
            } else {
                String::new()
            }
        }),
        footer: format!(
            "{credit} · {} {polls_word}, {span} · polltrack",
            thousands(polls.len())
        ),
        series,
        marks: request.marks.clone(),
        width: request.width,
        height: request.height,
        y_range: request.y_range,
    };
    Ok((input, polls.len()))
}

/// The colour of `answer` among the question's; the palette's first for an answer the store's
/// order lacks (none should).
fn colour_of(colours: &[AnswerColour], answer: &str) -> Rgb {
    colours
        .iter()
        .find(|c| c.answer.eq_ignore_ascii_case(answer))
        .map_or(chart::style::PALETTE[0], |c| c.colour)
}

/// Whether the chart draws a band, and whether the reader can see it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Band {
    /// No answer has one (some methods give none).
    None,
    /// Some answer's band reaches beyond its line.
    Drawn,
    /// Bands are drawn but narrower than their lines everywhere.
    UnderLine,
}

/// The method and the populations, in words. `band` says whether the chart shows a band: the
/// words must not promise one the reader cannot see.
fn subtitle(options: &TrendOptions, populations: &[String], polls: usize, band: Band) -> String {
    let band = match band {
        Band::Drawn => "with its 95% band",
        Band::None => "without an uncertainty band",
        Band::UnderLine => "with a 95% band narrower than the line",
    };
    let method = if polls < 2 {
        "A single poll: no trend yet".to_string()
    } else {
        match options.method {
            Method::Loess => format!("LOESS trend (span {:.2}) {band}", options.span),
            Method::Latest => format!(
                "Average of each pollster's latest poll within {} days, {band}",
                options.window
            ),
            Method::Kalman => format!("Kalman-smoothed trend adjusted for house effects, {band}"),
        }
    };
    let words: Vec<&str> = populations
        .iter()
        .map(|population| match population.as_str() {
            "lv" => "likely voters",
            "rv" => "registered voters",
            "a" => "adults",
            "v" => "voters",
            other => other,
        })
        .collect();
    match words.as_slice() {
        [] => method,
        [one] => format!("{method} · {one}"),
        several => format!("{method} · populations mixed: {}", name_list(several)),
    }
}

/// Names as a footer lists them: "A", "A and B", "A, B and C", and past four, the first
/// three "and N others".
fn name_list(names: &[&str]) -> String {
    const LISTED: usize = 3;
    match names {
        [] => String::new(),
        [one] => one.to_string(),
        _ if names.len() > LISTED + 1 => format!(
            "{} and {} others",
            names[..LISTED].join(", "),
            names.len() - LISTED
        ),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

/// 12345 as `12,345`.
fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_subtitle_promises_a_band_only_when_one_is_drawn() {
        let loess = TrendOptions {
            method: Method::Loess,
            span: 0.67,
            ..TrendOptions::default()
        };
        let adults = ["a".to_string()];
        assert_eq!(
            subtitle(&loess, &adults, 40, Band::Drawn),
            "LOESS trend (span 0.67) with its 95% band · adults"
        );
        assert_eq!(
            subtitle(&loess, &adults, 40, Band::UnderLine),
            "LOESS trend (span 0.67) with a 95% band narrower than the line · adults"
        );
        assert_eq!(
            subtitle(&loess, &adults, 40, Band::None),
            "LOESS trend (span 0.67) without an uncertainty band · adults"
        );
        let latest = TrendOptions {
            method: Method::Latest,
            window: 30,
            ..TrendOptions::default()
        };
        let text = subtitle(&latest, &[], 40, Band::None);
        assert_eq!(
            text,
            "Average of each pollster's latest poll within 30 days, without an uncertainty band"
        );
        assert!(!subtitle(&latest, &[], 1, Band::Drawn).contains("band"));
        let mixed = ["lv", "rv", "a"].map(String::from);
        assert_eq!(
            subtitle(&latest, &mixed, 1, Band::None),
            "A single poll: no trend yet · populations mixed: likely voters, registered voters and adults"
        );
    }

    #[test]
    fn a_footer_lists_four_names_and_counts_the_rest() {
        assert_eq!(name_list(&[]), "");
        assert_eq!(name_list(&["Gallup Korea"]), "Gallup Korea");
        assert_eq!(
            name_list(&["Gallup Korea", "Realmeter"]),
            "Gallup Korea and Realmeter"
        );
        assert_eq!(name_list(&["A", "B", "C", "D"]), "A, B, C and D");
        assert_eq!(
            name_list(&["A", "B", "C", "D", "E"]),
            "A, B, C and 2 others"
        );
    }
}
