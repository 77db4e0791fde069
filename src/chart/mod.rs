//! Charts of poll results and trends, as PNG or SVG: the only module that uses plotters.
//!
//! The input is self-contained (dates, percentages, labels), so whatever computes trends only
//! has to fill a [`ChartInput`]. Drawing never prints: warnings come back as values.

mod clip;
mod draw;
pub mod example;
mod fonts;
mod layout;
mod raster;
pub mod style;
pub mod ticks;

#[cfg(test)]
mod tests;

use std::path::Path;

use chrono::NaiveDate;

pub use fonts::Fonts;

use crate::error::{Error, Result};
use crate::model::Warning;

/// Everything a chart shows. Percentages are 0..100; whatever lies outside the range shown is
/// cut at the plot's edge.
#[derive(Debug, Clone, PartialEq)]
pub struct ChartInput {
    /// The question's wording; wrapped to the chart's width.
    pub title: String,
    /// One line under the title, e.g. "LOESS trend, 95% band · all adults".
    pub subtitle: String,
    /// A note over the footer, wrapped to the chart's width (empty: none), e.g. "Undecided
    /// voters were not asked before 2019."
    pub note: String,
    /// A small grey line at the bottom, e.g. "Source: Gallup Korea, Realmeter · 1,234 polls,
    /// 2016-01-04 to 2020-11-02 · polltrack".
    pub footer: String,
    /// The percentages shown, lower first, both within 0..100; chosen from the data when
    /// `None`.
    pub y_range: Option<(f64, f64)>,
    /// One per answer, in display order (legend order, and the order colours are given).
    pub series: Vec<Series>,
    /// Labelled vertical lines for events.
    pub marks: Vec<Mark>,
    /// Size in pixels.
    pub width: u32,
    pub height: u32,
}

/// Whether any answer's band, as drawn, reaches visibly beyond the edge of its line on some
/// day (by `style::BAND_VISIBLE_RIM` pixels): a band narrower than its line everywhere is there
/// but hidden, and words about the chart should say so rather than promise one.
pub fn band_shows(input: &ChartInput, fonts: &Fonts) -> bool {
    let layout = layout::Layout::new(input, fonts, 1.0);
    input.series.iter().any(|series| {
        let half_line = draw::trend_stroke(&layout, series) / 2.0;
        draw::band_runs(series)
            .iter()
            .filter(|run| run.len() >= 2)
            .flatten()
            .any(|(_, (low, high))| {
                (layout.y.y(*low) - layout.y.y(*high)) / 2.0 >= half_line + style::BAND_VISIBLE_RIM
            })
    })
}

/// One answer's polls and trend.
#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    /// The answer, e.g. "Oppose".
    pub label: String,
    pub polls: Vec<PollPoint>,
    /// The trend and its 95% band, at most one point a day, in date order; may be empty.
    /// Days with no point (a long stretch without polls) break the line and the band there.
    pub trend: Vec<BandPoint>,
    /// The latest estimate, shown in the legend as "Oppose 59%".
    pub latest: Option<f64>,
    /// The answer's colour: its points and band in it, its trend line and legend key darker.
    pub colour: style::Rgb,
    /// The answer's share in election results (day, percent): drawn as diamonds over the
    /// trend, apart from the polls.
    pub elections: Vec<(NaiveDate, f64)>,
}

impl Series {
    /// Whether the chart shows a band for this answer: some day's band joins the next day's
    /// (a lone day's band is too thin to draw).
    pub fn draws_band(&self) -> bool {
        draw::runs(&self.trend, BandPoint::band)
            .iter()
            .any(|run| run.len() >= 2)
    }
}

/// One poll's figure for an answer.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PollPoint {
    pub date: NaiveDate,
    pub pct: f64,
    pub sample_size: Option<f64>,
}

/// One day of a trend: the estimate and its 95% band, if the method gives one that day.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BandPoint {
    pub date: NaiveDate,
    pub estimate: f64,
    /// The band's edges; `None` when there is no band that day (a band is drawn only where
    /// both edges are known).
    pub low: Option<f64>,
    pub high: Option<f64>,
}

impl BandPoint {
    /// The band's edges, lower first, when the day has both and both are numbers.
    pub fn band(&self) -> Option<(f64, f64)> {
        let (low, high) = (self.low?, self.high?);
        (low.is_finite() && high.is_finite()).then(|| (low.min(high), low.max(high)))
    }
}

/// An event drawn as a labelled vertical line.
#[derive(Debug, Clone, PartialEq)]
pub struct Mark {
    pub date: NaiveDate,
    pub label: String,
}

/// The image formats a chart can be written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Png,
    Svg,
}

impl Format {
    /// The format an output path asks for by its extension (`.png` or `.svg`, any case).
    pub fn from_path(path: &Path) -> Result<Format> {
        let extension = path
            .extension()
            .map(|ext| ext.to_string_lossy().to_lowercase());
        match extension.as_deref() {
            Some("png") => Ok(Format::Png),
            Some("svg") => Ok(Format::Svg),
            _ => Err(Error::usage(format!(
                "{}: a chart is written as .png or .svg; name the output file with one of those extensions",
                path.display()
            ))),
        }
    }
}

/// A rendered chart: the file's bytes, and warnings for the caller to show (text the fonts
/// could not draw).
#[derive(Debug, Clone, PartialEq)]
pub struct Rendered {
    pub bytes: Vec<u8>,
    pub warnings: Vec<Warning>,
}

/// Draws a chart in `format`. PNG output warns about characters no font has glyphs for;
/// SVG output leaves those to the viewer's fonts, so it never does.
pub fn render(input: &ChartInput, fonts: &Fonts, format: Format) -> Result<Rendered> {
    match format {
        Format::Svg => Ok(Rendered {
            bytes: render_svg(input, fonts)?.into_bytes(),
            warnings: Vec::new(),
        }),
        Format::Png => Ok(Rendered {
            bytes: render_png(input, fonts)?,
            warnings: fonts
                .missing_glyph_warning(&all_text(input))
                .into_iter()
                .collect(),
        }),
    }
}

/// Draws a chart as an SVG document.
pub fn render_svg(input: &ChartInput, fonts: &Fonts) -> Result<String> {
    check(input)?;
    draw::svg(input, fonts)
}

/// Draws a chart as PNG file bytes.
pub fn render_png(input: &ChartInput, fonts: &Fonts) -> Result<Vec<u8>> {
    check(input)?;
    draw::png(input, fonts)
}

/// Every piece of text a chart draws, for choosing fonts and for warnings.
pub fn all_text(input: &ChartInput) -> String {
    let mut text = format!(
        "{}\n{}\n{}\n{}",
        input.title, input.subtitle, input.note, input.footer
    );
    for series in &input.series {
        text.push('\n');
        text.push_str(&series.label);
    }
    for mark in &input.marks {
        text.push('\n');
        text.push_str(&mark.label);
    }
    text
}

/// The smallest and largest chart drawn, in pixels.
pub const MIN_SIZE: (u32, u32) = (320, 200);
pub const MAX_SIZE: u32 = 10_000;

/// Whether a percent range can be shown: two percentages from 0 to 100, the lower first.
pub fn is_percent_range((low, high): (f64, f64)) -> bool {
    low.is_finite() && high.is_finite() && 0.0 <= low && low < high && high <= 100.0
}

/// Refuses input that cannot make a chart, saying why.
fn check(input: &ChartInput) -> Result<()> {
    if input.series.iter().all(|series| series.polls.is_empty()) {
        return Err(Error::invalid(format!(
            "no polls to chart for \"{}\": record some, or widen the filters (dates, population, pollsters, answers)",
            input.title
        )));
    }
    if input.width < MIN_SIZE.0
        || input.height < MIN_SIZE.1
        || input.width > MAX_SIZE
        || input.height > MAX_SIZE
    {
        return Err(Error::invalid(format!(
            "a chart of {}x{} pixels cannot be drawn: the width must be {}..{MAX_SIZE} and the height {}..{MAX_SIZE}",
            input.width, input.height, MIN_SIZE.0, MIN_SIZE.1
        )));
    }
    if let Some((low, high)) = input.y_range
        && !is_percent_range((low, high))
    {
        return Err(Error::invalid(format!(
            "a percent range of {low} to {high} cannot be shown: give a lower and a higher percentage, lower first, both from 0 to 100"
        )));
    }
    let bad_number = input.series.iter().find_map(|series| {
        let poll_values = series.polls.iter().map(|poll| poll.pct);
        let trend_values = series
            .trend
            .iter()
            .flat_map(|point| [Some(point.estimate), point.low, point.high])
            .flatten();
        poll_values
            .chain(trend_values)
            .chain(series.latest)
            .find(|value| !value.is_finite())
            .map(|value| (series.label.as_str(), value))
    });
    if let Some((label, value)) = bad_number {
        return Err(Error::invalid(format!(
            "answer \"{label}\" has a percentage that is not a number ({value}), which cannot be drawn"
        )));
    }
    Ok(())
}
