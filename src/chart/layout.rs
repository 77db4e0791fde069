//! Where everything goes: text wrapped and measured, the plot's rectangle, and the scales from
//! dates and percentages to pixels. Pure arithmetic, no drawing.

use chrono::NaiveDate;

use crate::chart::clip::Rect;
use crate::chart::fonts::Fonts;
use crate::chart::style;
use crate::chart::ticks::{self, TickLabel};
use crate::chart::{ChartInput, PollPoint, Series};

/// The fewest days a chart shows: a single poll's chart has two weeks on each side of it.
const MIN_SPAN_DAYS: u64 = 28;

/// Maps dates to x pixels.
#[derive(Debug, Clone, Copy)]
pub(crate) struct DateScale {
    pub start: NaiveDate,
    pub end: NaiveDate,
    pub left: f64,
    pub right: f64,
}

impl DateScale {
    pub fn x(&self, date: NaiveDate) -> f64 {
        let span = (self.end - self.start).num_days().max(1) as f64;
        let days = (date - self.start).num_days() as f64;
        self.left + (self.right - self.left) * days / span
    }
}

/// Maps percentages to y pixels; `low`..`high` is the range shown, ticked every `step`.
#[derive(Debug, Clone, Copy)]
pub(crate) struct PercentScale {
    pub low: f64,
    pub high: f64,
    pub step: f64,
    pub top: f64,
    pub bottom: f64,
}

impl PercentScale {
    pub fn y(&self, pct: f64) -> f64 {
        self.bottom - (self.bottom - self.top) * (pct - self.low) / (self.high - self.low)
    }

    /// The multiples of the step from `low` to `high` (a range given by the user need not
    /// start on one).
    pub fn ticks(&self) -> Vec<f64> {
        let first = (self.low / self.step - 1e-9).ceil() as i64;
        let last = (self.high / self.step + 1e-9).floor() as i64;
        (first..=last).map(|i| self.step * i as f64).collect()
    }
}

/// One legend entry: the swatch starts at `x` on row `row`.
#[derive(Debug, Clone)]
pub(crate) struct LegendItem {
    pub series: usize,
    pub text: String,
    pub x: f64,
    pub row: usize,
}

/// A mark's label: its line is at `x`, its text starts at `text_x` on row `row` above the plot.
#[derive(Debug, Clone)]
pub(crate) struct MarkLabel {
    pub x: f64,
    pub text_x: f64,
    pub row: usize,
    pub text: String,
}

/// The font size of each kind of text, in the layout's pixels: the style's size scaled with
/// the chart, but never under the style's minimum for it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct TextSizes {
    pub title: f64,
    pub subtitle: f64,
    pub legend: f64,
    pub axis: f64,
    pub mark: f64,
    pub footer: f64,
}

impl TextSizes {
    /// Sizes for a layout whose sizes are `scale` times the style's, drawn on a canvas
    /// `pixel_ratio` times the chart's size.
    fn new(scale: f64, pixel_ratio: f64) -> TextSizes {
        let size = |base: f64, min: f64| (base * scale).max(min * pixel_ratio);
        TextSizes {
            title: size(style::TITLE_SIZE, style::MIN_TITLE_SIZE),
            subtitle: size(style::SUBTITLE_SIZE, style::MIN_SUBTITLE_SIZE),
            legend: size(style::LEGEND_SIZE, style::MIN_LEGEND_SIZE),
            axis: size(style::AXIS_LABEL_SIZE, style::MIN_AXIS_LABEL_SIZE),
            mark: size(style::MARK_LABEL_SIZE, style::MIN_MARK_LABEL_SIZE),
            footer: size(style::FOOTER_SIZE, style::MIN_FOOTER_SIZE),
        }
    }
}

#[derive(Debug, Clone)]
pub(crate) struct Layout {
    /// Multiplies every size in `style` but the type's.
    pub scale: f64,
    /// The type's sizes.
    pub text: TextSizes,
    pub margin: f64,
    pub title_lines: Vec<String>,
    pub title_top: f64,
    /// The subtitle's lines, wrapped to the width, the first at `subtitle_top`.
    pub subtitle_lines: Vec<String>,
    pub subtitle_top: f64,
    pub legend: Vec<LegendItem>,
    pub legend_top: f64,
    pub legend_row_height: f64,
    pub marks: Vec<MarkLabel>,
    pub marks_top: f64,
    pub mark_row_height: f64,
    pub x: DateScale,
    pub y: PercentScale,
    /// Ticks with their labels; ticks whose labels would run off the canvas are dropped.
    pub x_ticks: Vec<(NaiveDate, TickLabel)>,
    pub x_labels_top: f64,
    /// The note's lines, the first at `note_top`, just over the footer.
    pub note_lines: Vec<String>,
    pub note_top: f64,
    /// The footer's lines, wrapped to the width, the first at `footer_top`.
    pub footer_lines: Vec<String>,
    pub footer_top: f64,
}

impl Layout {
    /// Lays out `input` on a canvas `pixel_ratio` times its size (PNGs are drawn larger and
    /// scaled down).
    pub fn new(input: &ChartInput, fonts: &Fonts, pixel_ratio: f64) -> Layout {
        let width = f64::from(input.width) * pixel_ratio;
        let height = f64::from(input.height) * pixel_ratio;
        // Type grows with the width, but not so much on wide short charts that it crowds them.
        let scale = pixel_ratio
            * (f64::from(input.width) / 1000.0)
                .min(f64::from(input.height) / 520.0)
                .clamp(0.7, 3.0);
        let size = |base: f64| base * scale;
        let text = TextSizes::new(scale, pixel_ratio);
        let margin = size(style::MARGIN);
        let text_width = width - 2.0 * margin;

        let title_lines = wrap(&input.title, fonts, text.title, true, text_width);
        let title_top = margin;
        let mut cursor = title_top + title_lines.len() as f64 * line_height(text.title);
        cursor += size(style::GAP_AFTER_TITLE);
        let subtitle_top = cursor;
        let subtitle_lines = wrap(&input.subtitle, fonts, text.subtitle, false, text_width);
        cursor += subtitle_lines.len() as f64 * line_height(text.subtitle);
        cursor += size(style::GAP_AFTER_SUBTITLE);

        let legend_top = cursor;
        let legend_row_height = line_height(text.legend);
        let legend = legend_items(input, fonts, scale, text.legend, margin, width - margin);
        let legend_rows = legend.iter().map(|item| item.row + 1).max().unwrap_or(0);
        cursor += legend_rows as f64 * legend_row_height + size(style::GAP_AFTER_LEGEND);

        let footer_height = line_height(text.footer);
        let footer_lines = wrap(&input.footer, fonts, text.footer, false, text_width);
        let footer_top = height - margin - footer_lines.len().max(1) as f64 * footer_height;
        let note_lines = wrap(&input.note, fonts, text.footer, false, text_width);
        let note_top = footer_top - note_lines.len() as f64 * footer_height;
        let x_label_height = 2.0 * line_height(text.axis);
        let plot_bottom = note_top
            - size(style::GAP_BEFORE_FOOTER)
            - x_label_height
            - size(style::TICK_LENGTH)
            - size(style::X_LABEL_GAP);
        let x_labels_top = plot_bottom + size(style::TICK_LENGTH) + size(style::X_LABEL_GAP);

        let (low, high, step) = percent_range(input);
        let y_label_width = [low, high]
            .iter()
            .map(|pct| fonts.width(&percent_label(*pct), text.axis, false))
            .fold(0.0, f64::max);
        let plot_left = margin + y_label_width + size(style::Y_LABEL_GAP);
        let plot_right = width - margin;

        let point_room = size(largest_point_radius(input));
        let (start, end) = date_range(input, plot_right - plot_left, point_room);
        let x = DateScale {
            start,
            end,
            left: plot_left,
            right: plot_right,
        };

        let marks_top = cursor;
        let mark_row_height = line_height(text.mark);
        let marks = mark_labels(input, fonts, &x, scale, text.mark, width - margin);
        let mark_rows = marks.iter().map(|mark| mark.row + 1).max().unwrap_or(0);
        cursor += mark_rows as f64 * mark_row_height;
        if mark_rows > 0 {
            cursor += size(style::GAP_AFTER_TITLE);
        }

        // Keep a usable plot even on a small canvas with a long title.
        let plot_top = cursor.min(plot_bottom - height * 0.25);
        let y = PercentScale {
            low,
            high,
            step,
            top: plot_top,
            bottom: plot_bottom,
        };

        // Date labels want room in proportion to their type.
        let tick_spacing = style::X_TICK_SPACING * text.axis / style::AXIS_LABEL_SIZE;
        let max_ticks = ((plot_right - plot_left) / tick_spacing).floor() as usize;
        let (step, mut dates) = ticks::choose_ticks(start, end, max_ticks);
        // A tick whose label would run off the canvas is dropped with its label (an unlabelled
        // tick reads as a mistake), and the rest relabelled, so a year dropped with the first
        // tick moves to the next one.
        let x_ticks = loop {
            let labels = ticks::tick_labels(&dates, step);
            let fits: Vec<bool> = dates
                .iter()
                .zip(&labels)
                .map(|(date, label)| {
                    let half_width = label_width(fonts, label, text.axis) / 2.0;
                    let centre = x.x(*date);
                    centre - half_width >= margin / 2.0
                        && centre + half_width <= width - margin / 2.0
                })
                .collect();
            if fits.iter().all(|fits| *fits) {
                break dates.into_iter().zip(labels).collect();
            }
            dates = dates
                .into_iter()
                .zip(fits)
                .filter_map(|(date, fits)| fits.then_some(date))
                .collect();
        };

        Layout {
            scale,
            text,
            margin,
            title_lines,
            title_top,
            subtitle_lines,
            subtitle_top,
            legend,
            legend_top,
            legend_row_height,
            marks,
            marks_top,
            mark_row_height,
            x,
            y,
            x_ticks,
            x_labels_top,
            note_lines,
            note_top,
            footer_lines,
            footer_top,
        }
    }

    /// A style size scaled to this canvas.
    pub fn size(&self, base: f64) -> f64 {
        base * self.scale
    }

    /// The plot's rectangle in whole pixels (rounded inwards): the axes' percent range by the
    /// dates shown. Everything drawn from the data stays inside it.
    pub fn plot(&self) -> Rect {
        Rect {
            left: self.x.left.ceil(),
            top: self.y.top.ceil(),
            right: self.x.right.floor(),
            bottom: self.y.bottom.floor(),
        }
    }
}

fn label_width(fonts: &Fonts, label: &TickLabel, size: f64) -> f64 {
    let year = label
        .year
        .as_deref()
        .map_or(0.0, |year| fonts.width(year, size, false));
    fonts.width(&label.line, size, false).max(year)
}

pub(crate) fn line_height(font_size: f64) -> f64 {
    font_size * style::LINE_HEIGHT
}

/// "45%"; whole numbers only, as the axis steps are.
pub(crate) fn percent_label(pct: f64) -> String {
    format!("{}%", pct.round() as i64)
}

/// The legend's text for a series: "Oppose 59%", or just "Oppose" without an estimate.
pub(crate) fn legend_text(label: &str, latest: Option<f64>) -> String {
    match latest {
        Some(pct) => format!("{label} {}", percent_label(pct)),
        None => label.to_string(),
    }
}

/// Greedy word wrapping to `max_width`; a word longer than a line is broken between characters.
pub(crate) fn wrap(
    text: &str,
    fonts: &Fonts,
    size: f64,
    bold: bool,
    max_width: f64,
) -> Vec<String> {
    let fits = |line: &str| fonts.width(line, size, bold) <= max_width;
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        let candidate = if line.is_empty() {
            word.to_string()
        } else {
            format!("{line} {word}")
        };
        if fits(&candidate) {
            line = candidate;
            continue;
        }
        if !line.is_empty() {
            lines.push(std::mem::take(&mut line));
        }
        for c in word.chars() {
            let mut longer = line.clone();
            longer.push(c);
            if !line.is_empty() && !fits(&longer) {
                lines.push(std::mem::take(&mut line));
                longer = c.to_string();
            }
            line = longer;
        }
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

/// Legend entries left to right, wrapping to a new row when one would pass `right`.
fn legend_items(
    input: &ChartInput,
    fonts: &Fonts,
    scale: f64,
    text_size: f64,
    left: f64,
    right: f64,
) -> Vec<LegendItem> {
    let swatch = (style::LEGEND_SWATCH + style::Y_LABEL_GAP) * scale;
    let gap = style::LEGEND_ITEM_GAP * scale;
    let mut items = Vec::new();
    let (mut x, mut row) = (left, 0);
    for (index, series) in input.series.iter().enumerate() {
        let text = legend_text(&series.label, series.latest);
        let item_width = swatch + fonts.width(&text, text_size, true);
        if x > left && x + item_width > right {
            x = left;
            row += 1;
        }
        items.push(LegendItem {
            series: index,
            text,
            x,
            row,
        });
        x += item_width + gap;
    }
    items
}

/// Mark labels to the right of their lines (to the left near the right edge), each on the
/// first row where it overlaps no other.
fn mark_labels(
    input: &ChartInput,
    fonts: &Fonts,
    x: &DateScale,
    scale: f64,
    text_size: f64,
    right: f64,
) -> Vec<MarkLabel> {
    let pad = style::Y_LABEL_GAP * scale * 0.5;
    let mut sorted: Vec<&crate::chart::Mark> = input
        .marks
        .iter()
        .filter(|mark| mark.date >= x.start && mark.date <= x.end)
        .collect();
    sorted.sort_by_key(|mark| mark.date);
    let mut occupied: Vec<Vec<(f64, f64)>> = Vec::new();
    let mut labels = Vec::new();
    for mark in sorted {
        let line_x = x.x(mark.date);
        let text_width = fonts.width(&mark.label, text_size, false);
        let text_x = if line_x + pad + text_width > right {
            line_x - pad - text_width
        } else {
            line_x + pad
        };
        let extent = (text_x - pad, text_x + text_width + pad);
        let row = occupied
            .iter()
            .position(|spans| spans.iter().all(|(a, b)| extent.1 < *a || extent.0 > *b))
            .unwrap_or(occupied.len());
        if row == occupied.len() {
            occupied.push(Vec::new());
        }
        occupied[row].push(extent);
        labels.push(MarkLabel {
            x: line_x,
            text_x,
            row,
            text: mark.label.clone(),
        });
    }
    labels
}

/// The percentages shown: the polls' and trend estimates' range padded, rounded out to the
/// tick step, within 0..100.
///
/// Bands do not widen it. A band is widest where polls are fewest (the ends of a series, the
/// edges of a gap), and a range stretched to hold it would flatten the polls and the line that
/// the reader came for; the padding keeps an ordinary band in view, and a wide one cut at the
/// plot's edge still says "at least this uncertain".
///
/// Nor do a few outlying polls: the range is chosen from the bulk of each answer's polls (see
/// [`bulk_polls`]) and its trend, and a poll outside it is drawn on the plot's edge, cut there,
/// so it is seen to be off the scale.
fn percent_range(input: &ChartInput) -> (f64, f64, f64) {
    if let Some((low, high)) = input.y_range {
        return (low, high, percent_step(high - low));
    }
    let values = input.series.iter().flat_map(|series| {
        let estimates = series.trend.iter().map(|point| point.estimate);
        // Election results are few and what the polls are judged by: always in range.
        let elections = series.elections.iter().map(|(_, pct)| *pct);
        bulk_polls(series)
            .into_iter()
            .chain(estimates)
            .chain(elections)
    });
    // A value outside 0..100 cannot be a share of anyone: it is shown at the end of the scale
    // (cut there), not allowed to stretch the scale past it.
    let values = values
        .filter(|value| value.is_finite())
        .map(|value| value.clamp(0.0, 100.0));
    let (min, max) = values.fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| {
        (lo.min(v), hi.max(v))
    });
    let (min, max) = if min.is_finite() {
        (min, max)
    } else {
        (0.0, 100.0)
    };
    let padding = ((max - min) * 0.08).max(2.0);
    let (min, max) = ((min - padding).max(0.0), (max + padding).min(100.0));
    // Data's ranges are ticked by 5 at the finest: a flat series gets 55..65, not 57..61.
    let step = percent_step(max - min).max(5.0);
    let low = (min / step).floor() * step;
    let high = ((max / step).ceil() * step).min(100.0);
    // A flat series still gets a range of two steps.
    let high = if high - low < 2.0 * step {
        (low + 2.0 * step).min(100.0)
    } else {
        high
    };
    let low = if high - low < 2.0 * step {
        high - 2.0 * step
    } else {
        low
    };
    (low, high, step)
}

/// How much larger than the style's radius an answer's points are drawn: an answer with only
/// a few polls gets larger points, so a lone poll is not a speck.
pub(crate) fn point_scale(polls: usize) -> f64 {
    if polls <= style::FEW_POLLS {
        style::FEW_POLLS_POINT_SCALE
    } else {
        1.0
    }
}

/// The largest radius any poll's point can have (at 1000 pixels wide).
fn largest_point_radius(input: &ChartInput) -> f64 {
    input
        .series
        .iter()
        .filter(|series| !series.polls.is_empty())
        .map(|series| point_scale(series.polls.len()) * style::POINT_MAX_RADIUS)
        .fold(0.0, f64::max)
}

/// The step between the percent axis's ticks for a range `span` points wide: 5, 10 or 20, and
/// 1 or 2 for the narrow ranges a user may give.
fn percent_step(span: f64) -> f64 {
    match span {
        span if span <= 6.0 => 1.0,
        span if span <= 12.0 => 2.0,
        span if span <= 30.0 => 5.0,
        span if span <= 70.0 => 10.0,
        _ => 20.0,
    }
}

/// Fewer polls than this and every poll chooses the percent range.
const BULK_MIN_POLLS: usize = 10;
/// A poll is an outlier when it lies further from its answer's trend that day (or, without
/// one, from the answer's median) than this many robust standard deviations of the polls'
/// distances (1.4826 median absolute deviations)...
const OUTLIER_DEVIATIONS: f64 = 4.0;
/// ...and further than this many points.
const OUTLIER_MIN_POINTS: f64 = 5.0;

/// An answer's polls that choose the percent range: all of them when it has few, else those
/// that are not outliers.
fn bulk_polls(series: &Series) -> Vec<f64> {
    let polls: Vec<&PollPoint> = series
        .polls
        .iter()
        .filter(|poll| poll.pct.is_finite())
        .collect();
    if polls.len() < BULK_MIN_POLLS {
        return polls.iter().map(|poll| poll.pct).collect();
    }
    let median = |values: &mut Vec<f64>| {
        values.sort_by(f64::total_cmp);
        values[values.len() / 2]
    };
    let overall = median(&mut polls.iter().map(|poll| poll.pct).collect());
    let centre = |poll: &PollPoint| {
        series
            .trend
            .binary_search_by_key(&poll.date, |point| point.date)
            .ok()
            .map(|index| series.trend[index].estimate)
            .filter(|estimate| estimate.is_finite())
            .unwrap_or(overall)
    };
    let distances: Vec<f64> = polls
        .iter()
        .map(|poll| (poll.pct - centre(poll)).abs())
        .collect();
    let spread = 1.4826 * median(&mut distances.clone());
    let limit = (OUTLIER_DEVIATIONS * spread).max(OUTLIER_MIN_POINTS);
    polls
        .iter()
        .zip(&distances)
        .filter(|(_, distance)| **distance <= limit)
        .map(|(poll, _)| poll.pct)
        .collect()
}

/// The dates shown: the data's, election results' and marks' range, with room on each side for the largest
/// point (`room` pixels of a plot `plot_width` wide) and nothing more, so the last poll is at
/// the plot's right edge; widened evenly to at least four weeks (two on each side of a single
/// date).
fn date_range(input: &ChartInput, plot_width: f64, room: f64) -> (NaiveDate, NaiveDate) {
    let dates = input.series.iter().flat_map(|series| {
        let polls = series.polls.iter().map(|poll| poll.date);
        let trend = series.trend.iter().map(|point| point.date);
        let elections = series.elections.iter().map(|(date, _)| *date);
        polls.chain(trend).chain(elections)
    });
    let dates = dates.chain(input.marks.iter().map(|mark| mark.date));
    let (first, last) = dates.fold((NaiveDate::MAX, NaiveDate::MIN), |(lo, hi), d| {
        (lo.min(d), hi.max(d))
    });
    if first > last {
        let today = NaiveDate::default();
        return (today, today + chrono::Days::new(1));
    }
    let span_days = (last - first).num_days().max(0) as u64;
    let padding = if span_days < MIN_SPAN_DAYS {
        (MIN_SPAN_DAYS - span_days).div_ceil(2)
    } else {
        // Days of `room` pixels once the padding is part of the span.
        let usable = (plot_width - 2.0 * room).max(plot_width / 2.0);
        (span_days as f64 * room / usable).ceil().max(0.0) as u64
    };
    let days = chrono::Days::new(padding);
    (
        first.checked_sub_days(days).unwrap_or(first),
        last.checked_add_days(days).unwrap_or(last),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chart::{BandPoint, PollPoint, Series};

    fn input_with(pcts: &[f64]) -> ChartInput {
        let date: NaiveDate = "2020-01-01".parse().unwrap();
        ChartInput {
            title: "A question".into(),
            subtitle: String::new(),
            note: String::new(),
            footer: String::new(),
            series: vec![Series {
                elections: Vec::new(),
                label: "Yes".into(),
                polls: pcts
                    .iter()
                    .enumerate()
                    .map(|(i, pct)| PollPoint {
                        date: date + chrono::Days::new(i as u64),
                        pct: *pct,
                        sample_size: None,
                    })
                    .collect(),
                trend: vec![],
                latest: None,
                colour: crate::chart::style::PALETTE[0],
            }],
            marks: vec![],
            width: 1000,
            height: 600,
            y_range: None,
        }
    }

    #[test]
    fn the_percent_range_is_padded_rounded_and_clamped() {
        assert_eq!(
            percent_range(&input_with(&[41.0, 52.0, 47.0])),
            (35.0, 55.0, 5.0)
        );
        assert_eq!(percent_range(&input_with(&[59.0])), (55.0, 65.0, 5.0));
        assert_eq!(percent_range(&input_with(&[1.0, 3.0])), (0.0, 10.0, 5.0));
        assert_eq!(percent_range(&input_with(&[99.0])), (90.0, 100.0, 5.0));
        assert_eq!(percent_range(&input_with(&[10.0, 60.0])), (0.0, 70.0, 10.0));
        assert_eq!(
            percent_range(&input_with(&[0.0, 100.0])),
            (0.0, 100.0, 20.0)
        );
    }

    #[test]
    fn the_percent_range_holds_polls_and_estimates_within_0_to_100_but_not_bands() {
        assert_eq!(percent_range(&input_with(&[-60.0])), (0.0, 10.0, 5.0));
        assert_eq!(percent_range(&input_with(&[160.0])), (90.0, 100.0, 5.0));
        assert_eq!(
            percent_range(&input_with(&[-60.0, 45.0, 160.0])),
            (0.0, 100.0, 20.0)
        );
        let mut input = input_with(&[41.0, 52.0, 47.0]);
        let first = input.series[0].polls[0].date;
        input.series[0].trend = (0..3)
            .map(|day| BandPoint {
                date: first + chrono::Days::new(day),
                estimate: 60.0,
                low: Some(-222.0),
                high: Some(99.0),
            })
            .collect();
        // The estimate of 60 widens the range; the band does not.
        assert_eq!(percent_range(&input), (35.0, 65.0, 5.0));
    }

    #[test]
    fn a_few_outlying_polls_do_not_stretch_the_percent_range() {
        // 200 polls of 37 to 43, and three at 5, 92 and 95.
        let mut pcts: Vec<f64> = (0..200).map(|i| 37.0 + f64::from(i % 7)).collect();
        pcts.extend([5.0, 92.0, 95.0]);
        assert_eq!(percent_range(&input_with(&pcts)), (35.0, 45.0, 5.0));
        // Measured from the trend when there is one: a trend climbing from 20 to 60 keeps polls
        // that follow it, all of them.
        let mut input = input_with(
            &(0..100)
                .map(|i| 20.0 + 0.4 * f64::from(i))
                .collect::<Vec<_>>(),
        );
        let series = &mut input.series[0];
        series.trend = series
            .polls
            .iter()
            .map(|poll| BandPoint {
                date: poll.date,
                estimate: poll.pct,
                low: None,
                high: None,
            })
            .collect();
        assert_eq!(percent_range(&input), (10.0, 70.0, 10.0));
        // Fewer than ten polls: every one counts.
        assert_eq!(
            percent_range(&input_with(&[40.0, 41.0, 95.0])),
            (30.0, 100.0, 10.0)
        );
    }

    #[test]
    fn a_single_date_is_padded_by_two_weeks() {
        let (start, end) = date_range(&input_with(&[59.0]), 900.0, 10.0);
        assert_eq!(start.to_string(), "2019-12-18");
        assert_eq!(end.to_string(), "2020-01-15");
    }

    #[test]
    fn long_titles_wrap_and_long_words_break() {
        let fonts = Fonts::bundled().unwrap();
        let title = "Do you support or oppose the military intelligence-sharing agreement (GSOMIA) with Japan?";
        let lines = wrap(title, &fonts, 26.0, true, 500.0);
        assert!(lines.len() >= 2, "{lines:?}");
        assert!(
            lines
                .iter()
                .all(|line| fonts.width(line, 26.0, true) <= 500.0)
        );
        assert_eq!(lines.join(" "), title);
        let broken = wrap(
            "Aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
            &fonts,
            20.0,
            false,
            100.0,
        );
        assert!(broken.len() > 1);
        assert_eq!(broken.concat(), "Aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");
    }
}
