//! Drawing a laid-out chart on any plotters backend: SVG into a string, PNG into a pixel buffer.

use chrono::NaiveDate;
use plotters::coord::Shift;
use plotters::element::{Drawable, PointCollection};
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use plotters::style::{FontDesc, FontFamily};

use crate::chart::fonts::Fonts;
use crate::chart::layout::{self, Layout};
use crate::chart::style::{self, Rgb};
use crate::chart::{BandPoint, ChartInput, PollPoint, Series, clip, raster};
use crate::error::{Error, Result};
use crate::parallel;

/// How text reaches the backend.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum TextMode {
    /// Whole strings naming the SVG family list: the viewer picks fonts glyph by glyph.
    Whole,
    /// Runs, each drawn in the first font that has its glyphs: a bitmap has no viewer to fall
    /// back for it.
    Runs,
}

/// How far apart, as a share of the font size, the two copies of fake bold text are drawn.
const FAKE_BOLD_OFFSET: f64 = 0.035;

/// What text is drawn with, and how it sits on its anchor point.
#[derive(Clone, Copy)]
struct TextSpec {
    size: f64,
    bold: bool,
    colour: Rgb,
    h: HPos,
    v: VPos,
}

impl TextSpec {
    fn new(size: f64, colour: Rgb) -> TextSpec {
        TextSpec {
            size,
            bold: false,
            colour,
            h: HPos::Left,
            v: VPos::Top,
        }
    }
    fn bold(self) -> TextSpec {
        TextSpec { bold: true, ..self }
    }
    fn anchor(self, h: HPos, v: VPos) -> TextSpec {
        TextSpec { h, v, ..self }
    }
}

/// A drawing area with the fonts and text mode it draws text with.
struct Painter<'a, DB: DrawingBackend> {
    area: &'a DrawingArea<DB, Shift>,
    fonts: &'a Fonts,
    text_mode: TextMode,
}

fn colour(rgb: Rgb) -> RGBColor {
    RGBColor(rgb.0, rgb.1, rgb.2)
}

/// The colour of an answer's trend line and legend key: its colour, darkened.
pub(crate) fn trend_colour(rgb: Rgb) -> Rgb {
    let Rgb(r, g, b) = rgb;
    let darken = |channel: u8| (f64::from(channel) * (1.0 - style::TREND_DARKEN)).round() as u8;
    Rgb(darken(r), darken(g), darken(b))
}

/// Pixel coordinates for plotters, which draws on whole pixels.
fn pixel(x: f64, y: f64) -> (i32, i32) {
    (x.round() as i32, y.round() as i32)
}

fn stroke(width: f64) -> u32 {
    width.round().max(1.0) as u32
}

fn drawing_failed(err: impl std::fmt::Display) -> Error {
    Error::Failed(format!("could not draw the chart: {err}"))
}

impl<DB: DrawingBackend> Painter<'_, DB> {
    fn draw<E>(&self, element: &E) -> Result<()>
    where
        for<'b> &'b E: PointCollection<'b, (i32, i32)>,
        E: Drawable<DB>,
    {
        self.area.draw(element).map_err(drawing_failed)
    }

    /// Lines of text one under the other, the first's top at `(x, y)`.
    fn lines(&self, lines: &[String], (x, y): (f64, f64), spec: TextSpec) -> Result<()> {
        for (number, line) in lines.iter().enumerate() {
            let top = y + number as f64 * layout::line_height(spec.size);
            self.text(line, (x, top), spec)?;
        }
        Ok(())
    }

    fn text(&self, text: &str, (x, y): (f64, f64), spec: TextSpec) -> Result<()> {
        if text.is_empty() {
            return Ok(());
        }
        let font_style = if spec.bold {
            FontStyle::Bold
        } else {
            FontStyle::Normal
        };
        fn text_style(
            family: &str,
            h: HPos,
            spec: TextSpec,
            font_style: FontStyle,
        ) -> TextStyle<'_> {
            FontDesc::new(FontFamily::Name(family), spec.size, font_style)
                .color(&colour(spec.colour))
                .pos(Pos::new(h, spec.v))
        }
        match self.text_mode {
            TextMode::Whole => self.draw(&Text::new(
                text.to_string(),
                pixel(x, y),
                text_style(style::SVG_FONT_FAMILIES, spec.h, spec, font_style),
            )),
            TextMode::Runs => {
                let total = self.fonts.width(text, spec.size, spec.bold);
                let mut run_x = match spec.h {
                    HPos::Left => x,
                    HPos::Center => x - total / 2.0,
                    HPos::Right => x - total,
                };
                for run in self.fonts.runs(text, spec.bold) {
                    let (family, has_cut) = self.fonts.family(run.face, spec.bold);
                    let run_style = text_style(family, HPos::Left, spec, font_style);
                    // A fallback font without a bold cut is drawn twice, a hair apart, so its
                    // words do not look lighter than the bold ones beside them.
                    let copies: &[f64] = if spec.bold && !has_cut {
                        &[0.0, FAKE_BOLD_OFFSET]
                    } else {
                        &[0.0]
                    };
                    for glyph in self.fonts.place(&run, spec.size, spec.bold) {
                        for offset in copies {
                            let left = run_x + glyph.ink_left + spec.size * offset;
                            self.draw(&Text::new(
                                glyph.text.to_string(),
                                pixel(left, y),
                                run_style.clone(),
                            ))?;
                        }
                    }
                    run_x += self.fonts.width(run.text, spec.size, spec.bold);
                }
                Ok(())
            }
        }
    }
}

/// The chart as an SVG document.
pub(crate) fn svg(input: &ChartInput, fonts: &Fonts) -> Result<String> {
    let layout = Layout::new(input, fonts, 1.0);
    let mut document = String::new();
    {
        let area =
            SVGBackend::with_string(&mut document, (input.width, input.height)).into_drawing_area();
        let painter = Painter {
            area: &area,
            fonts,
            text_mode: TextMode::Whole,
        };
        draw_under_points(&painter, input, &layout)?;
        draw_points(&painter, input, &layout)?;
        draw_over_points(&painter, input, &layout)?;
        area.present().map_err(drawing_failed)?;
    }
    Ok(document)
}

/// The chart as PNG bytes: drawn at `PNG_SUPERSAMPLE` times the size and scaled down, with
/// poll points blended straight into the pixels (plotters' circles are slow by the hundred
/// thousand).
pub(crate) fn png(input: &ChartInput, fonts: &Fonts) -> Result<Vec<u8>> {
    let ratio = style::PNG_SUPERSAMPLE;
    let size = (input.width * ratio, input.height * ratio);
    let layout = Layout::new(input, fonts, f64::from(ratio));
    let polls = input.series.iter().map(|series| series.polls.len()).sum();
    // Each answer's points are found while the layers under them are drawn.
    let (points, under) = parallel::join(
        || {
            // A panic there is a failed chart, as a failure of the drawing is.
            std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                parallel::map(&input.series, polls, |series| {
                    point_absorption(input, &layout, series, ratio)
                })
            }))
        },
        || -> Result<Vec<u8>> {
            let mut pixels = vec![0u8; size.0 as usize * size.1 as usize * 3];
            paint_pixels(&mut pixels, size, fonts, |painter| {
                draw_under_points(painter, input, &layout)
            })?;
            Ok(pixels)
        },
    );
    let mut pixels = under?;
    let points = points.map_err(|_| Error::Failed("drawing the chart's points failed".into()))?;
    // Points go onto the image at its final size: they are anti-aliased already, and it is a
    // quarter of the pixels. Scaling up by repeating pixels and down again by averaging gives
    // back the same image, so the lines and text still draw supersampled over the points.
    let mut small = raster::downsample(&pixels, size.0, size.1, ratio);
    for (index, absorption) in points.into_iter().enumerate() {
        absorption.blend(&mut small, input.series[index].colour);
    }
    raster::upsample(&small, input.width, input.height, ratio, &mut pixels);
    paint_pixels(&mut pixels, size, fonts, |painter| {
        draw_over_points(painter, input, &layout)
    })?;
    let small = raster::downsample(&pixels, size.0, size.1, ratio);
    raster::encode_png(&small, input.width, input.height)
}

/// Draws with `draw` on `pixels` (RGB, 3 bytes a pixel, `size` in pixels) through plotters.
fn paint_pixels(
    pixels: &mut [u8],
    size: (u32, u32),
    fonts: &Fonts,
    draw: impl FnOnce(&Painter<'_, BitMapBackend<'_>>) -> Result<()>,
) -> Result<()> {
    let area = BitMapBackend::with_buffer(pixels, size).into_drawing_area();
    draw(&Painter {
        area: &area,
        fonts,
        text_mode: TextMode::Runs,
    })?;
    area.present().map_err(drawing_failed)
}

/// What an answer's points absorb of its colour, at the image's final size (the layout is
/// `ratio` times larger).
fn point_absorption(
    input: &ChartInput,
    layout: &Layout,
    series: &Series,
    ratio: u32,
) -> raster::Absorption {
    let to_final_size = 1.0 / f64::from(ratio);
    let circles: Vec<(f64, f64, f64)> = series
        .polls
        .iter()
        // A number that is not one has nowhere to go (and input checks refuse it).
        .filter(|poll| poll.pct.is_finite())
        .map(|poll| {
            let (x, y, radius) = point_geometry(layout, series, poll);
            (x * to_final_size, y * to_final_size, radius * to_final_size)
        })
        .collect();
    let mut absorption =
        raster::Absorption::of_circles(&circles, point_opacity(series), input.width, input.height);
    // Only pixels wholly inside the plot (the layout's pixels, `ratio` to each of these).
    let plot = layout.plot();
    let ratio = f64::from(ratio);
    let first = |edge: f64| (edge / ratio).ceil().max(0.0) as usize;
    let after = |edge: f64| ((edge + 1.0) / ratio).floor().max(0.0) as usize;
    absorption.keep_only(
        input.width as usize,
        first(plot.left)..after(plot.right),
        first(plot.top)..after(plot.bottom),
    );
    absorption
}

/// Background, grid and the trends' bands: everything the points sit on.
fn draw_under_points<DB: DrawingBackend>(
    painter: &Painter<'_, DB>,
    input: &ChartInput,
    layout: &Layout,
) -> Result<()> {
    painter
        .area
        .fill(&colour(style::BACKGROUND))
        .map_err(drawing_failed)?;
    let grid = ShapeStyle {
        color: colour(style::GRID_COLOUR).to_rgba(),
        filled: false,
        stroke_width: stroke(layout.size(style::GRID_STROKE)),
    };
    let (left, right) = (layout.x.left, layout.x.right);
    for pct in layout.y.ticks() {
        let y = layout.y.y(pct);
        painter.draw(&PathElement::new(
            vec![pixel(left, y), pixel(right, y)],
            grid,
        ))?;
    }
    for series in &input.series {
        draw_band(painter, layout, series, series.colour)?;
    }
    Ok(())
}

/// An answer's band, one polygon for each run of days that have one.
fn draw_band<DB: DrawingBackend>(
    painter: &Painter<'_, DB>,
    layout: &Layout,
    series: &Series,
    rgb: Rgb,
) -> Result<()> {
    let fill = colour(rgb).mix(style::BAND_OPACITY).filled();
    // A band is filled without an outline, so it is cut at the plot's very edge.
    let plot = layout.plot();
    for run in band_runs(series) {
        // A lone day's band would be a vertical sliver: the line's mark shows that day.
        if run.len() < 2 {
            continue;
        }
        let upper = run
            .iter()
            .map(|(date, (_, high))| (layout.x.x(*date), layout.y.y(*high)));
        let lower = run
            .iter()
            .rev()
            .map(|(date, (low, _))| (layout.x.x(*date), layout.y.y(*low)));
        let outline: Vec<(f64, f64)> = upper.chain(lower).collect();
        let outline = without_repeats(
            clip::polygon(&outline, &plot)
                .into_iter()
                .map(|(x, y)| pixel(x, y)),
        );
        if outline.len() >= 3 {
            painter.draw(&Polygon::new(outline, fill))?;
        }
    }
    Ok(())
}

/// An answer's band as drawn, run by run of consecutive days: each day's reach above and below
/// the estimate is the widest within the band's window around it (see
/// `style::BAND_WINDOW_SHARE`), so it is never narrower than the method's band.
pub(crate) fn band_runs(series: &Series) -> Vec<Vec<(NaiveDate, (f64, f64))>> {
    let window = band_window_days(series);
    let reach = |point: &BandPoint| {
        let (low, high) = point.band()?;
        point.estimate.is_finite().then_some((
            point.estimate,
            (point.estimate - low, high - point.estimate),
        ))
    };
    runs(&series.trend, reach)
        .into_iter()
        .map(|run| {
            (0..run.len())
                .map(|day| {
                    let near = &run[day.saturating_sub(window)..(day + window + 1).min(run.len())];
                    let (below, above) = near.iter().fold((0.0, 0.0), |(lo, hi), (_, (_, r))| {
                        (f64::max(lo, r.0), f64::max(hi, r.1))
                    });
                    let (date, (estimate, _)) = run[day];
                    (date, (estimate - below, estimate + above))
                })
                .collect()
        })
        .collect()
}

/// Days on each side over which a band's reach is widened: a share of the answer's median gap
/// between poll dates, at most `style::BAND_MAX_WINDOW_DAYS`; none for daily polls.
fn band_window_days(series: &Series) -> usize {
    let mut dates: Vec<NaiveDate> = series.polls.iter().map(|poll| poll.date).collect();
    dates.sort_unstable();
    dates.dedup();
    let mut gaps: Vec<i64> = dates
        .windows(2)
        .map(|pair| (pair[1] - pair[0]).num_days())
        .collect();
    if gaps.is_empty() {
        return 0;
    }
    gaps.sort_unstable();
    let median = gaps[gaps.len() / 2] as f64;
    let days = (median * style::BAND_WINDOW_SHARE).floor() as i64;
    days.clamp(0, style::BAND_MAX_WINDOW_DAYS) as usize
}

/// The width of an answer's trend line, in the layout's pixels: thinner over a band.
pub(crate) fn trend_stroke(layout: &Layout, series: &Series) -> f64 {
    let base = if series.draws_band() {
        style::TREND_STROKE_OVER_BAND
    } else {
        style::TREND_STROKE
    };
    f64::from(stroke(layout.size(base)))
}

/// The runs of consecutive days on which `value` has something, in order. A run ends where
/// the next point is not the next day (the method leaves days without polls out, and a line
/// drawn across them would show a trend nobody measured) or where `value` has nothing.
pub(crate) fn runs<T>(
    trend: &[BandPoint],
    value: impl Fn(&BandPoint) -> Option<T>,
) -> Vec<Vec<(NaiveDate, T)>> {
    let mut runs: Vec<Vec<(NaiveDate, T)>> = Vec::new();
    let mut previous: Option<NaiveDate> = None;
    for point in trend {
        let Some(value) = value(point) else {
            previous = None;
            continue;
        };
        let follows = previous.is_some_and(|day| (point.date - day).num_days() == 1);
        match runs.last_mut() {
            Some(run) if follows => run.push((point.date, value)),
            _ => runs.push(vec![(point.date, value)]),
        }
        previous = Some(point.date);
    }
    runs
}

/// A poll's point: centre and radius in pixels, the area growing with the sample size.
/// An answer with only a few polls gets larger points (see `layout::point_scale`); a poll
/// outside the percent range is drawn on the plot's edge, cut there.
fn point_geometry(layout: &Layout, series: &Series, poll: &PollPoint) -> (f64, f64, f64) {
    let sample = poll
        .sample_size
        .filter(|n| n.is_finite() && *n > 0.0)
        .unwrap_or(style::DEFAULT_SAMPLE);
    let radius = layout::point_scale(series.polls.len())
        * (style::POINT_RADIUS * (sample / style::POINT_REFERENCE_SAMPLE).sqrt())
            .clamp(style::POINT_MIN_RADIUS, style::POINT_MAX_RADIUS);
    (
        layout.x.x(poll.date),
        // A poll off the scale (an outlier the range was not stretched for) sits on its edge.
        layout.y.y(poll.pct.clamp(layout.y.low, layout.y.high)),
        layout.size(radius),
    )
}

/// The points' opacity for an answer with this many polls.
fn point_opacity(series: &Series) -> f64 {
    let polls = series.polls.len().max(1) as f64;
    (style::POINT_OPACITY_SCALE / polls.sqrt())
        .clamp(style::POINT_OPACITY_MIN, style::POINT_OPACITY_MAX)
}

/// Corners of the polygon that stands for a point cut at the plot's edge: enough for a round
/// look at the largest point's size.
const CUT_POINT_SIDES: usize = 24;

/// Poll points as circle elements (the SVG way; PNGs blend them into the pixels).
fn draw_points<DB: DrawingBackend>(
    painter: &Painter<'_, DB>,
    input: &ChartInput,
    layout: &Layout,
) -> Result<()> {
    let plot = layout.plot();
    for series in &input.series {
        let fill = colour(series.colour).mix(point_opacity(series)).filled();
        for poll in series.polls.iter().filter(|poll| poll.pct.is_finite()) {
            let (x, y, radius) = point_geometry(layout, series, poll);
            let centre = pixel(x, y);
            let radius = radius.round().max(1.0) as i32;
            let (cx, cy, r) = (f64::from(centre.0), f64::from(centre.1), f64::from(radius));
            let whole = plot.contains((cx - r, cy - r)) && plot.contains((cx + r, cy + r));
            if whole {
                painter.draw(&Circle::new(centre, radius, fill))?;
                continue;
            }
            // A point on the plot's edge is cut there, as a polygon: SVG from plotters has no
            // clipping of its own.
            let cut = clip::polygon(&clip::circle((cx, cy), r, CUT_POINT_SIDES), &plot);
            let cut = without_repeats(cut.into_iter().map(|(x, y)| pixel(x, y)));
            if cut.len() >= 3 {
                painter.draw(&Polygon::new(cut, fill))?;
            }
        }
    }
    Ok(())
}

/// Trend lines, marks, axes and all the text.
fn draw_over_points<DB: DrawingBackend>(
    painter: &Painter<'_, DB>,
    input: &ChartInput,
    layout: &Layout,
) -> Result<()> {
    draw_axes(painter, layout)?;
    draw_marks(painter, layout)?;
    for series in &input.series {
        draw_trend_line(painter, layout, series, trend_colour(series.colour))?;
    }
    draw_elections(painter, input, layout)?;
    draw_texts(painter, input, layout)
}

/// Election results: a diamond at each answer's result, in the answer's colour with a white
/// edge, over the trend lines; a result outside the plot is not drawn.
fn draw_elections<DB: DrawingBackend>(
    painter: &Painter<'_, DB>,
    input: &ChartInput,
    layout: &Layout,
) -> Result<()> {
    let plot = layout.plot();
    let half = layout.size(style::ELECTION_DIAMOND);
    for series in &input.series {
        let fill = colour(series.colour).filled();
        let edge = ShapeStyle {
            color: WHITE.to_rgba(),
            filled: false,
            stroke_width: layout.size(1.0).round().max(1.0) as u32,
        };
        for (date, pct) in series.elections.iter().filter(|(_, pct)| pct.is_finite()) {
            let (x, y) = (layout.x.x(*date), layout.y.y(*pct));
            if !plot.contains((x, y)) {
                continue;
            }
            let corners = vec![
                pixel(x, y - half),
                pixel(x + half, y),
                pixel(x, y + half),
                pixel(x - half, y),
            ];
            painter.draw(&Polygon::new(corners.clone(), fill))?;
            let mut outline = corners;
            outline.push(outline[0]);
            painter.draw(&PathElement::new(outline, edge))?;
        }
    }
    Ok(())
}

/// An answer's trend line, one line for each run of consecutive days. A day alone between
/// gaps gets a short level dash, so its estimate (perhaps the one in the legend) is seen without
/// being joined to days it has no link with.
fn draw_trend_line<DB: DrawingBackend>(
    painter: &Painter<'_, DB>,
    layout: &Layout,
    series: &Series,
    rgb: Rgb,
) -> Result<()> {
    let line_style = ShapeStyle {
        color: colour(rgb).to_rgba(),
        filled: false,
        stroke_width: trend_stroke(layout, series) as u32,
    };
    // The stroke is centred on the line, so the line is cut half its width inside the plot
    // for all of it to stay there.
    let inside = layout
        .plot()
        .inset(f64::from(line_style.stroke_width) / 2.0);
    let half_dash = layout.size(style::LONE_DAY_DASH) / 2.0;
    let estimate = |point: &BandPoint| point.estimate.is_finite().then_some(point.estimate);
    for run in runs(&series.trend, estimate) {
        let line: Vec<(f64, f64)> = match run.as_slice() {
            [(date, estimate)] => {
                let (x, y) = (layout.x.x(*date), layout.y.y(*estimate));
                vec![(x - half_dash, y), (x + half_dash, y)]
            }
            _ => run
                .iter()
                .map(|(date, estimate)| (layout.x.x(*date), layout.y.y(*estimate)))
                .collect(),
        };
        for part in clip::polyline(&line, &inside) {
            let part = without_repeats(part.into_iter().map(|(x, y)| pixel(x, y)));
            if part.len() >= 2 {
                painter.draw(&PathElement::new(part, line_style))?;
            }
        }
    }
    Ok(())
}

fn draw_axes<DB: DrawingBackend>(painter: &Painter<'_, DB>, layout: &Layout) -> Result<()> {
    let axis_text = TextSpec::new(layout.text.axis, style::AXIS_LABEL_COLOUR);
    let label_x = layout.x.left - layout.size(style::Y_LABEL_GAP);
    for pct in layout.y.ticks() {
        painter.text(
            &layout::percent_label(pct),
            (label_x, layout.y.y(pct)),
            axis_text.anchor(HPos::Right, VPos::Center),
        )?;
    }
    let baseline = ShapeStyle {
        color: colour(style::BASELINE_COLOUR).to_rgba(),
        filled: false,
        stroke_width: stroke(layout.size(style::GRID_STROKE)),
    };
    let bottom = layout.y.bottom;
    painter.draw(&PathElement::new(
        vec![pixel(layout.x.left, bottom), pixel(layout.x.right, bottom)],
        baseline,
    ))?;
    let line_height = layout::line_height(axis_text.size);
    for (date, label) in &layout.x_ticks {
        let x = layout.x.x(*date);
        let tick_end = bottom + layout.size(style::TICK_LENGTH);
        painter.draw(&PathElement::new(
            vec![pixel(x, bottom), pixel(x, tick_end)],
            baseline,
        ))?;
        let centred = axis_text.anchor(HPos::Center, VPos::Top);
        painter.text(&label.line, (x, layout.x_labels_top), centred)?;
        if let Some(year) = &label.year {
            painter.text(year, (x, layout.x_labels_top + line_height), centred)?;
        }
    }
    Ok(())
}

/// Each mark as a dashed line from the plot's bottom up to its label above the plot.
fn draw_marks<DB: DrawingBackend>(painter: &Painter<'_, DB>, layout: &Layout) -> Result<()> {
    let line_style = ShapeStyle {
        color: colour(style::MARK_COLOUR).to_rgba(),
        filled: false,
        stroke_width: stroke(layout.size(style::MARK_STROKE)),
    };
    let label = TextSpec::new(layout.text.mark, style::MARK_COLOUR);
    let (dash, gap) = (layout.size(style::MARK_DASH), layout.size(style::MARK_GAP));
    for mark in &layout.marks {
        let label_top = layout.marks_top + mark.row as f64 * layout.mark_row_height;
        let mut y = layout.y.bottom;
        let top = label_top;
        while y > top {
            let dash_end = (y - dash).max(top);
            painter.draw(&PathElement::new(
                vec![pixel(mark.x, y), pixel(mark.x, dash_end)],
                line_style,
            ))?;
            y = dash_end - gap;
        }
        painter.text(&mark.text, (mark.text_x, label_top), label)?;
    }
    Ok(())
}

fn draw_texts<DB: DrawingBackend>(
    painter: &Painter<'_, DB>,
    input: &ChartInput,
    layout: &Layout,
) -> Result<()> {
    let left = layout.margin;
    let title = TextSpec::new(layout.text.title, style::TITLE_COLOUR).bold();
    painter.lines(&layout.title_lines, (left, layout.title_top), title)?;
    let subtitle = TextSpec::new(layout.text.subtitle, style::SUBTITLE_COLOUR);
    painter.lines(
        &layout.subtitle_lines,
        (left, layout.subtitle_top),
        subtitle,
    )?;

    let legend_size = layout.text.legend;
    let swatch = layout.size(style::LEGEND_SWATCH);
    for item in &layout.legend {
        let middle = layout.legend_top + (item.row as f64 + 0.5) * layout.legend_row_height;
        let swatch_style = ShapeStyle {
            color: colour(trend_colour(input.series[item.series].colour)).to_rgba(),
            filled: false,
            stroke_width: stroke(layout.size(style::TREND_STROKE) * 1.5),
        };
        painter.draw(&PathElement::new(
            vec![pixel(item.x, middle), pixel(item.x + swatch, middle)],
            swatch_style,
        ))?;
        let text = TextSpec::new(legend_size, style::LEGEND_TEXT_COLOUR)
            .bold()
            .anchor(HPos::Left, VPos::Center);
        let text_x = item.x + swatch + layout.size(style::Y_LABEL_GAP);
        painter.text(&item.text, (text_x, middle), text)?;
    }

    let footer = TextSpec::new(layout.text.footer, style::FOOTER_COLOUR);
    let note = TextSpec::new(layout.text.footer, style::SUBTITLE_COLOUR);
    painter.lines(&layout.note_lines, (left, layout.note_top), note)?;
    painter.lines(&layout.footer_lines, (left, layout.footer_top), footer)
}

/// Drops points that land on the same pixel as the one before: a daily trend over ten years
/// has more days than the plot has pixels.
fn without_repeats(points: impl Iterator<Item = (i32, i32)>) -> Vec<(i32, i32)> {
    let mut kept: Vec<(i32, i32)> = Vec::new();
    for point in points {
        if kept.last() != Some(&point) {
            kept.push(point);
        }
    }
    kept
}

#[cfg(test)]
mod tests {
    use super::*;
    use ab_glyph::{Font, FontRef, ScaleFont};

    /// The columns of a white-on-black text image that hold ink, as (first, last) runs.
    fn ink_runs(pixels: &[u8], (width, height): (u32, u32)) -> Vec<(u32, u32)> {
        let inked = |column: u32| {
            (0..height).any(|row| pixels[((row * width + column) * 3) as usize] > 127)
        };
        let mut runs: Vec<(u32, u32)> = Vec::new();
        for column in 0..width {
            if inked(column) {
                match runs.last_mut() {
                    Some(run) if run.1 + 1 == column => run.1 = column,
                    _ => runs.push((column, column)),
                }
            }
        }
        runs
    }

    #[test]
    fn a_glyph_reaching_left_of_its_origin_sits_where_the_font_puts_it() {
        // Bold "J" in DejaVu Sans starts its ink left of its origin; plotters ignored that and
        // left a gap before every "J" in a bold title.
        let size = 100.0;
        let canvas = (400, 200);
        let mut pixels = vec![0u8; 400 * 200 * 3];
        let fonts = Fonts::bundled().unwrap();
        let spec = TextSpec::new(size, Rgb(255, 255, 255)).bold();
        paint_pixels(&mut pixels, canvas, &fonts, |painter| {
            painter.text("IJ", (50.0, 20.0), spec)
        })
        .unwrap();
        let runs = ink_runs(&pixels, canvas);
        assert_eq!(runs.len(), 2, "two letters apart: {runs:?}");
        let drawn_gap = f64::from(runs[1].0 - runs[0].1 - 1);

        let font =
            FontRef::try_from_slice(include_bytes!("../../assets/fonts/DejaVuSans-Bold.ttf"))
                .unwrap();
        let scaled = font.as_scaled(size as f32);
        let (i, j) = (scaled.glyph_id('I'), scaled.glyph_id('J'));
        let ink = |c: char| {
            scaled
                .outline_glyph(scaled.scaled_glyph(c))
                .unwrap()
                .px_bounds()
        };
        let i_ink_right = f64::from(ink('I').max.x);
        let j_ink_left =
            f64::from(scaled.h_advance(i) + scaled.kern(i, j)) + f64::from(ink('J').min.x);
        assert!(
            ink('J').min.x < 0.0,
            "the case needs a glyph left of its origin"
        );
        let font_gap = j_ink_left - i_ink_right;
        assert!(
            (drawn_gap - font_gap).abs() <= 2.0,
            "gap between I and J: drawn {drawn_gap} px, the font says {font_gap:.1} px"
        );
    }
}
