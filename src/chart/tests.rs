//! Charts rendered in memory and checked: SVG by its text, PNG by its decoded pixels.

use std::collections::BTreeSet;
use std::path::Path;

use super::*;
use crate::model::Rgb;

fn date(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn example() -> ChartInput {
    example::three_answers(date("2018-01-01"), 730, 100)
}

fn fonts() -> Fonts {
    Fonts::bundled().unwrap()
}

fn one_poll() -> ChartInput {
    ChartInput {
        title: "Do you support or oppose GSOMIA?".into(),
        subtitle: "Latest polls · all adults".into(),
        note: String::new(),
        footer: "1 poll · 1 pollster · 2016-11-18 · polltrack".into(),
        series: vec![Series {
            elections: Vec::new(),
            label: "Oppose".into(),
            polls: vec![PollPoint {
                date: date("2016-11-18"),
                pct: 59.0,
                sample_size: None,
            }],
            trend: vec![],
            latest: Some(59.0),
            colour: style::PALETTE[0],
        }],
        marks: vec![],
        width: 800,
        height: 450,
        y_range: None,
    }
}

fn count(haystack: &str, needle: &str) -> usize {
    haystack.matches(needle).count()
}

#[test]
fn an_svg_shows_title_legend_marks_footer_and_every_poll() {
    let input = example();
    let svg = render_svg(&input, &fonts()).unwrap();
    assert!(svg.starts_with("<svg"));
    // The title is wrapped, so look for its words one line at a time.
    for words in ["Do you support or oppose", "with Japan?"] {
        assert!(svg.contains(words), "title words {words:?} missing");
    }
    assert!(
        svg.contains(">\nOppose 48%\n</text>"),
        "legend with the latest estimate"
    );
    assert!(svg.contains("Support 37%"));
    assert!(svg.contains("Don&apos;t know 15%"));
    assert!(svg.contains("LOESS trend, 95% band · all adults"));
    assert!(svg.contains("100 polls · 12 pollsters"));
    assert!(svg.contains("Agreement signed"));
    let polls: usize = input.series.iter().map(|s| s.polls.len()).sum();
    assert_eq!(count(&svg, "<circle"), polls);
    assert!(svg.contains(&format!("font-family=\"{}\"", style::SVG_FONT_FAMILIES)));
    // Axis labels: percentages and years.
    assert!(svg.contains(">\n50%\n</text>"));
    assert!(svg.contains(">\n2019\n</text>"));
}

#[test]
fn a_long_title_wraps_onto_several_lines() {
    let mut input = example();
    input.title = format!("{} {}", input.title, input.title);
    input.width = 600;
    let svg = render_svg(&input, &fonts()).unwrap();
    let title_lines = svg
        .lines()
        .filter(|line| line.contains("font-weight=\"bold\"") && line.contains("<text"))
        .count();
    // Three legend entries are bold too; the rest are title lines.
    assert!(title_lines - 3 >= 3, "{title_lines} bold lines");
}

#[test]
fn korean_text_is_in_the_svg_and_named_fonts_can_draw_it() {
    let mut input = example();
    input.title = "일본과의 군사정보보호협정(GSOMIA) 체결에 찬성하십니까?".into();
    input.series[0].label = "반대".into();
    let svg = render_svg(&input, &fonts()).unwrap();
    assert!(svg.contains("반대 48%"));
    assert!(svg.contains("일본과의"));
    assert!(style::SVG_FONT_FAMILIES.contains("Noto Sans CJK KR"));
    // An SVG leaves glyphs to the viewer, so it never warns; a PNG without a Korean font does.
    assert!(
        render(&input, &fonts(), Format::Svg)
            .unwrap()
            .warnings
            .is_empty()
    );
    let png = render(&input, &fonts(), Format::Png).unwrap();
    assert_eq!(png.warnings.len(), 1);
    assert!(
        png.warnings[0].message.contains("일본과의"),
        "{:?}",
        png.warnings
    );
}

#[test]
fn a_png_decodes_at_the_asked_size_and_is_not_blank() {
    let input = example();
    let rendered = render(&input, &fonts(), Format::Png).unwrap();
    assert!(rendered.warnings.is_empty());
    let image = image::load_from_memory(&rendered.bytes).unwrap().to_rgb8();
    assert_eq!(image.dimensions(), (1200, 675));
    let colours: BTreeSet<[u8; 3]> = image.pixels().map(|pixel| pixel.0).collect();
    assert!(colours.len() > 50, "{} colours", colours.len());
    // Each answer's line colour is there, pure, in its legend key.
    for series in &input.series {
        let Rgb(r, g, b) = draw::trend_colour(series.colour);
        assert!(colours.contains(&[r, g, b]), "{:?} missing", series.colour);
    }
    // Mostly white background.
    let white = image
        .pixels()
        .filter(|pixel| pixel.0 == [255, 255, 255])
        .count();
    assert!(white > image.pixels().len() / 2);
}

#[test]
fn one_poll_makes_a_chart_with_one_point_and_no_line() {
    let input = one_poll();
    let svg = render_svg(&input, &fonts()).unwrap();
    assert_eq!(count(&svg, "<circle"), 1);
    assert_eq!(count(&svg, "<polygon"), 0, "no band");
    assert!(svg.contains("Oppose 59%"));
    // Two weeks either side: ticked by week, the poll's month named.
    assert!(svg.contains(">\nNov 21\n</text>"), "{svg}");
    let png = render_png(&input, &fonts()).unwrap();
    let image = image::load_from_memory(&png).unwrap();
    assert_eq!((image.width(), image.height()), (800, 450));
}

#[test]
fn no_poll_at_all_is_a_clear_error() {
    let mut input = one_poll();
    input.series[0].polls.clear();
    let err = render_svg(&input, &fonts()).unwrap_err();
    assert!(matches!(err, Error::Invalid { .. }));
    assert!(err.to_string().contains("no polls to chart"), "{err}");
    input.series.clear();
    assert!(render(&input, &fonts(), Format::Png).is_err());
}

#[test]
fn sizes_and_numbers_that_cannot_be_drawn_are_refused() {
    let mut input = one_poll();
    input.width = 10;
    assert!(matches!(
        render_svg(&input, &fonts()),
        Err(Error::Invalid { .. })
    ));
    let mut input = one_poll();
    input.series[0].polls[0].pct = f64::NAN;
    let err = render_png(&input, &fonts()).unwrap_err();
    assert!(err.to_string().contains("Oppose"), "{err}");
}

#[test]
fn the_same_input_gives_the_same_bytes() {
    let input = example();
    assert_eq!(
        render_svg(&input, &fonts()).unwrap(),
        render_svg(&input.clone(), &fonts()).unwrap()
    );
    assert_eq!(
        render_png(&input, &fonts()).unwrap(),
        render_png(&input, &fonts()).unwrap()
    );
}

#[test]
fn marks_outside_the_data_widen_the_dates_and_overlapping_labels_stack() {
    let mut input = one_poll();
    input.marks = vec![
        Mark {
            date: date("2016-11-23"),
            label: "GSOMIA signed".into(),
        },
        Mark {
            date: date("2016-11-24"),
            label: "Protests in Seoul".into(),
        },
    ];
    let svg = render_svg(&input, &fonts()).unwrap();
    let y_of = |label: &str| {
        let line = svg
            .lines()
            .collect::<Vec<_>>()
            .windows(2)
            .find(|pair| pair[1] == label)
            .map(|pair| pair[0].to_string())
            .unwrap();
        let y = line.split(" y=\"").nth(1).unwrap();
        y.split('"').next().unwrap().parse::<i32>().unwrap()
    };
    assert_ne!(y_of("GSOMIA signed"), y_of("Protests in Seoul"));
}

#[test]
fn the_format_follows_the_extension() {
    assert_eq!(
        Format::from_path(Path::new("charts/a.png")).unwrap(),
        Format::Png
    );
    assert_eq!(Format::from_path(Path::new("A.SVG")).unwrap(), Format::Svg);
    let err = Format::from_path(Path::new("chart.jpg")).unwrap_err();
    assert!(matches!(err, Error::Usage { .. }));
    assert!(err.to_string().contains("chart.jpg"));
    assert!(Format::from_path(Path::new("chart")).is_err());
}

/// `#RRGGBB`, as the SVG names colours.
fn hex(rgb: style::Rgb) -> String {
    format!("#{:02X}{:02X}{:02X}", rgb.0, rgb.1, rgb.2)
}

/// The points of each `<tag>` element whose attributes include `attribute` (e.g. a colour).
fn shapes(svg: &str, tag: &str, attribute: &str) -> Vec<Vec<(f64, f64)>> {
    svg.lines()
        .filter(|line| line.starts_with(&format!("<{tag} ")) && line.contains(attribute))
        .map(|line| {
            let points = line.split(" points=\"").nth(1).unwrap();
            let points = points.split('"').next().unwrap();
            points
                .split_whitespace()
                .map(|pair| {
                    let (x, y) = pair.split_once(',').unwrap();
                    (x.parse().unwrap(), y.parse().unwrap())
                })
                .collect()
        })
        .collect()
}

/// The first answer's trend lines: polylines in its trend colour, without the legend's swatch.
fn trend_lines(svg: &str, layout: &layout::Layout) -> Vec<Vec<(f64, f64)>> {
    let stroke = format!("stroke=\"{}\"", hex(draw::trend_colour(style::PALETTE[0])));
    let swatch_y = (layout.legend_top + 0.5 * layout.legend_row_height).round();
    let swatch_x = layout.legend[0].x.round();
    shapes(svg, "polyline", &stroke)
        .into_iter()
        .filter(|line| !(line.len() == 2 && line[0] == (swatch_x, swatch_y)))
        .collect()
}

/// The band polygons of the first answer.
fn band_polygons(svg: &str) -> Vec<Vec<(f64, f64)>> {
    let fill = format!(
        "opacity=\"{}\" fill=\"{}\"",
        style::BAND_OPACITY,
        hex(style::PALETTE[0])
    );
    shapes(svg, "polygon", &fill)
}

fn x_range(points: &[(f64, f64)]) -> (f64, f64) {
    points
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), (x, _)| {
            (lo.min(*x), hi.max(*x))
        })
}

/// Every day from `first` to `last`, with `estimate` and, if given, a band of that half width.
fn daily(first: &str, last: &str, estimate: f64, half_band: Option<f64>) -> Vec<BandPoint> {
    let (first, last) = (date(first), date(last));
    first
        .iter_days()
        .take_while(|day| *day <= last)
        .map(|day| BandPoint {
            date: day,
            estimate,
            low: half_band.map(|half| estimate - half),
            high: half_band.map(|half| estimate + half),
        })
        .collect()
}

/// Weekly polls from May to July 2017, then 200 days without any, then weekly polls again
/// for a month: the trend has no points in the gap.
fn gap_input(half_band: Option<f64>) -> ChartInput {
    let weekly = |first: &str, weeks: u64, pct: f64| -> Vec<PollPoint> {
        (0..weeks)
            .map(|week| PollPoint {
                date: date(first) + chrono::Days::new(7 * week),
                pct: pct + (week % 3) as f64,
                sample_size: Some(1000.0),
            })
            .collect()
    };
    let mut polls = weekly("2017-05-01", 14, 40.0);
    polls.extend(weekly("2018-02-16", 5, 46.0));
    let mut trend = daily("2017-05-01", "2017-07-31", 41.0, half_band);
    // 2017-07-31 + 200 days.
    trend.extend(daily("2018-02-16", "2018-03-16", 47.0, half_band));
    ChartInput {
        title: "Do you approve of the president?".into(),
        subtitle: "A trend with a gap".into(),
        note: String::new(),
        footer: String::new(),
        series: vec![Series {
            elections: Vec::new(),
            label: "Approve".into(),
            polls,
            latest: trend.last().map(|point| point.estimate),
            trend,
            colour: style::PALETTE[0],
        }],
        marks: vec![],
        width: 1000,
        height: 560,
        y_range: None,
    }
}

#[test]
fn a_trend_breaks_across_a_gap_in_the_polls() {
    let input = gap_input(Some(3.0));
    let fonts = fonts();
    let svg = render_svg(&input, &fonts).unwrap();
    let layout = layout::Layout::new(&input, &fonts, 1.0);
    let end_of_first = layout.x.x(date("2017-07-31"));
    let start_of_second = layout.x.x(date("2018-02-16"));
    for (what, shapes) in [
        ("line", trend_lines(&svg, &layout)),
        ("band", band_polygons(&svg)),
    ] {
        assert_eq!(shapes.len(), 2, "{what}: one for each side of the gap");
        let (first, second) = (x_range(&shapes[0]), x_range(&shapes[1]));
        assert!(first.1 <= end_of_first + 1.0, "{what} {first:?}");
        assert!(second.0 >= start_of_second - 1.0, "{what} {second:?}");
    }
    assert!(svg.contains("Approve 47%"));
    render_png(&input, &fonts).unwrap();
}

#[test]
fn a_day_alone_between_gaps_is_a_short_dash_joined_to_nothing() {
    let mut input = gap_input(Some(3.0));
    let lone = date("2017-11-01");
    input.series[0].polls.push(PollPoint {
        date: lone,
        pct: 30.0,
        sample_size: None,
    });
    input.series[0].polls.sort_by_key(|poll| poll.date);
    let at = input.series[0]
        .trend
        .iter()
        .position(|point| point.date > lone)
        .unwrap();
    input.series[0]
        .trend
        .insert(at, daily("2017-11-01", "2017-11-01", 30.0, Some(3.0))[0]);
    let fonts = fonts();
    let svg = render_svg(&input, &fonts).unwrap();
    let layout = layout::Layout::new(&input, &fonts, 1.0);
    let lines = trend_lines(&svg, &layout);
    assert_eq!(lines.len(), 3, "{lines:?}");
    let dash = &lines[1];
    let (left, right) = x_range(dash);
    let x = layout.x.x(lone);
    assert!(left < x && x < right && right - left <= 2.0 * layout.size(style::LONE_DAY_DASH));
    assert!(
        dash.iter()
            .all(|(_, y)| (y - layout.y.y(30.0)).abs() <= 0.5)
    );
    // A band one day wide would be a sliver: the two runs of days keep theirs.
    assert_eq!(band_polygons(&svg).len(), 2);
}

#[test]
fn a_trend_without_a_band_draws_no_band() {
    let input = gap_input(None);
    let fonts = fonts();
    let svg = render_svg(&input, &fonts).unwrap();
    assert!(band_polygons(&svg).is_empty());
    assert_eq!(count(&svg, "<polygon"), 0, "no other polygon either");
    let layout = layout::Layout::new(&input, &fonts, 1.0);
    assert_eq!(
        trend_lines(&svg, &layout).len(),
        2,
        "the line is still drawn"
    );
    render_png(&input, &fonts).unwrap();

    // A band on some days only is drawn on those days only.
    let mut input = gap_input(Some(3.0));
    for point in &mut input.series[0].trend {
        if point.date >= date("2018-01-01") {
            point.low = None;
        }
    }
    let svg = render_svg(&input, &fonts).unwrap();
    let bands = band_polygons(&svg);
    assert_eq!(bands.len(), 1);
    assert!(x_range(&bands[0]).1 <= layout.x.x(date("2017-07-31")) + 1.0);
}

#[test]
fn a_series_draws_a_band_only_with_two_days_of_it_in_a_row() {
    let mut series = gap_input(Some(3.0)).series.remove(0);
    assert!(series.draws_band());
    for point in &mut series.trend {
        point.high = None;
    }
    assert!(!series.draws_band());
    // Every other day: no two days in a row.
    series.trend = daily("2017-05-01", "2017-05-01", 41.0, Some(3.0));
    series
        .trend
        .extend(daily("2017-05-03", "2017-05-03", 41.0, Some(3.0)));
    assert!(!series.draws_band());
    series
        .trend
        .extend(daily("2017-05-04", "2017-05-04", 41.0, Some(3.0)));
    assert!(series.draws_band());
}

/// A chart whose numbers run far outside 0..100: polls at -60 and 160 and one on 0, estimates
/// of -60 and 160 for days at a time, and a band of -222..40.
fn wild_input() -> ChartInput {
    let mut input = gap_input(Some(3.0));
    let series = &mut input.series[0];
    series.polls[2].pct = -60.0;
    series.polls[5].pct = 160.0;
    series.polls[8].pct = 0.0;
    for (day, point) in series.trend.iter_mut().enumerate() {
        match day % 30 {
            0..=4 => point.estimate = 160.0,
            10..=14 => point.estimate = -60.0,
            _ => {}
        }
        if day < 40 {
            point.low = Some(-222.0);
            point.high = Some(40.0);
        }
    }
    input
}

/// Asserts that every shape the data draws in `svg` lies within the plot.
fn assert_within_plot(svg: &str, layout: &layout::Layout) {
    let plot = layout.plot();
    let lines = trend_lines(svg, layout);
    assert!(!lines.is_empty());
    for point in lines.iter().flatten() {
        assert!(plot.contains(*point), "line at {point:?}, plot {plot:?}");
    }
    // Bands and points cut at the edge are polygons; nothing else is.
    for point in shapes(svg, "polygon", "fill=").iter().flatten() {
        assert!(plot.contains(*point), "polygon at {point:?}, plot {plot:?}");
    }
    for line in svg.lines().filter(|line| line.starts_with("<circle ")) {
        let attribute = |name: &str| -> f64 {
            let value = line.split(&format!(" {name}=\"")).nth(1).unwrap();
            value.split('"').next().unwrap().parse().unwrap()
        };
        let (x, y, r) = (attribute("cx"), attribute("cy"), attribute("r"));
        assert!(
            plot.contains((x - r, y - r)) && plot.contains((x + r, y + r)),
            "circle at ({x}, {y}) of radius {r}, plot {plot:?}"
        );
    }
}

/// Pixels of some colour (not white or grey) outside the plot, in the bands around it that
/// only the axes (grey) and, far above, the title and legend share.
fn coloured_pixels_outside(image: &image::RgbImage, input: &ChartInput, fonts: &Fonts) -> usize {
    let layout = layout::Layout::new(input, fonts, 1.0);
    let plot = layout.plot();
    // Anti-aliasing may tint a pixel or two past the edge.
    let near = 2.0;
    let legend_bottom = layout.legend_top + layout.legend_row_height;
    let coloured = |x: u32, y: u32| {
        let [r, g, b] = image.get_pixel(x, y).0;
        r.abs_diff(g) > 12 || g.abs_diff(b) > 12
    };
    let (width, height) = image.dimensions();
    let outside = |x: u32, y: u32| {
        let (x, y) = (f64::from(x), f64::from(y));
        let below = y > plot.bottom + near && y < layout.x_labels_top;
        let above = y > legend_bottom && y < plot.top - near;
        let beside = (y >= plot.top && y <= layout.x_labels_top)
            && (x < plot.left - near - 40.0 || x > plot.right + near);
        below || above || beside
    };
    (0..height)
        .flat_map(|y| (0..width).map(move |x| (x, y)))
        .filter(|&(x, y)| outside(x, y) && coloured(x, y))
        .count()
}

#[test]
fn values_far_outside_the_range_are_cut_at_the_plot_edge() {
    let input = wild_input();
    let fonts = fonts();
    let svg = render_svg(&input, &fonts).unwrap();
    let layout = layout::Layout::new(&input, &fonts, 1.0);
    assert_eq!((layout.y.low, layout.y.high), (0.0, 100.0));
    assert_within_plot(&svg, &layout);
    let plot = layout.plot();
    // Cut, not dropped: the band reaches the bottom, the line both edges.
    let bands = band_polygons(&svg);
    assert!(bands.iter().flatten().any(|(_, y)| *y == plot.bottom));
    let ys: Vec<f64> = trend_lines(&svg, &layout)
        .iter()
        .flatten()
        .map(|(_, y)| *y)
        .collect();
    let fold = |f: fn(f64, f64) -> f64, start| ys.iter().copied().fold(start, f);
    assert!(fold(f64::min, f64::INFINITY) <= plot.top + 3.0, "{ys:?}");
    assert!(fold(f64::max, f64::NEG_INFINITY) >= plot.bottom - 3.0);
    // The polls on 0% and -60% are points cut in half on the bottom edge, the one at 160% on
    // the top edge: off the scale, and seen to be.
    let points = input.series[0].polls.len();
    assert_eq!(count(&svg, "<circle"), points - 3);
    assert_eq!(count(&svg, "<polygon"), bands.len() + 3);

    let png = render_png(&input, &fonts).unwrap();
    let image = image::load_from_memory(&png).unwrap().to_rgb8();
    assert_eq!(coloured_pixels_outside(&image, &input, &fonts), 0);
}

#[test]
fn numbers_that_are_not_numbers_draw_nothing_even_unchecked() {
    let mut input = wild_input();
    let series = &mut input.series[0];
    series.polls[3].pct = f64::NAN;
    series.trend[50].estimate = f64::NAN;
    series.trend[60].high = Some(f64::INFINITY);
    series.trend[61].low = Some(f64::NAN);
    let fonts = fonts();
    // The input checks refuse these; drawing must still not put them anywhere.
    assert!(render_svg(&input, &fonts).is_err());
    let svg = draw::svg(&input, &fonts).unwrap();
    let layout = layout::Layout::new(&input, &fonts, 1.0);
    assert_within_plot(&svg, &layout);
    let png = draw::png(&input, &fonts).unwrap();
    let image = image::load_from_memory(&png).unwrap().to_rgb8();
    assert_eq!(coloured_pixels_outside(&image, &input, &fonts), 0);
}

/// The fill of the legend text for `text`, and of the points and the stroke of the lines drawn
/// in each colour.
fn legend_fill(svg: &str, text: &str) -> String {
    let end = svg
        .find(&format!(">\n{text}\n</text>"))
        .expect("legend text");
    let start = svg[..end].rfind("<text").unwrap();
    let fill = svg[start..end].split("fill=\"").nth(1).unwrap();
    fill[..7].to_string()
}

#[test]
fn each_answer_is_drawn_in_its_own_colour_and_the_legend_text_is_dark() {
    let mut input = example();
    let chosen = [style::PALETTE[9], Rgb(0xE3, 0x00, 0x0F), style::PALETTE[2]];
    for (series, colour) in input.series.iter_mut().zip(chosen) {
        series.colour = colour;
    }
    let svg = render_svg(&input, &fonts()).unwrap();
    for series in &input.series {
        let points = format!("fill=\"{}\" stroke=\"none\"", hex(series.colour));
        assert_eq!(
            count(&svg, &points),
            series.polls.len(),
            "{}: every poll point in its colour",
            series.label
        );
        let line = format!("stroke=\"{}\"", hex(draw::trend_colour(series.colour)));
        // The trend line, and the legend key beside its text.
        assert!(count(&svg, &line) >= 2, "{}: line and key", series.label);
        let text = layout::legend_text(&series.label, series.latest).replace('\'', "&apos;");
        assert_eq!(legend_fill(&svg, &text), hex(style::LEGEND_TEXT_COLOUR));
    }
    // The first palette colour is used by no answer now.
    assert!(!svg.contains(&hex(style::PALETTE[0])));
}

#[test]
fn the_palette_has_twelve_colours_far_apart_and_lines_readable_on_white() {
    let contrast = |rgb: Rgb| style::contrast(rgb, style::BACKGROUND);
    assert!(style::PALETTE.len() >= 12);
    let distinct: BTreeSet<Rgb> = style::PALETTE.iter().copied().collect();
    assert_eq!(distinct.len(), style::PALETTE.len());
    for (i, a) in style::PALETTE.iter().enumerate() {
        assert!(contrast(draw::trend_colour(*a)) >= 4.3, "{a} line on white");
        assert!(contrast(*a) >= 2.2, "{a} points on white");
        for b in &style::PALETTE[i + 1..] {
            let distance = style::colour_distance(*a, *b);
            assert!(
                distance >= style::DISTINCT_COLOURS,
                "{a} and {b} are {distance:.1} apart"
            );
        }
    }
    assert_eq!(style::palette_colour(12), style::PALETTE[0]);
}

#[test]
fn colour_distances_and_contrasts_have_their_published_values() {
    // Black and white are 100 apart in CIELAB and 21:1 in contrast; WCAG's example grey
    // #767676 is the lightest with 4.5:1 on white.
    let (black, white) = (Rgb(0, 0, 0), Rgb(255, 255, 255));
    assert!((style::colour_distance(black, white) - 100.0).abs() < 0.01);
    assert!((style::contrast(black, white) - 21.0).abs() < 0.01);
    assert!((style::contrast(Rgb(0x76, 0x76, 0x76), white) - 4.54).abs() < 0.01);
    assert_eq!(style::colour_distance(white, white), 0.0);
}

#[test]
fn the_palette_leaves_out_colours_near_kept_ones() {
    // The German parties' colours: black takes the palette's black; SPD's red is far enough
    // from vermillion (32) to leave it; AfD's blue takes sky blue (12) and blue (18).
    let kept = [Rgb(0, 0, 0), Rgb(0xE3, 0x00, 0x0F), Rgb(0x00, 0x9E, 0xE0)];
    let free = style::palette_avoiding(&kept);
    for gone in [style::PALETTE[0], style::PALETTE[5], style::PALETTE[6]] {
        assert!(!free.contains(&gone), "{gone} near a kept colour");
    }
    assert_eq!(free.len(), style::PALETTE.len() - 3);
    assert_eq!(free[0], style::PALETTE[1]);
    assert_eq!(style::palette_avoiding(&[]), style::PALETTE.to_vec());
}

/// DejaVu Sans's capital height as a share of a size as plotters takes it (ascender to
/// descender): 0.729 em over 1.164 em.
const CAP_HEIGHT_SHARE: f64 = 0.729 / 1.164;

/// The chart at `width` pixels wide, 16:9.
fn at_width(width: u32) -> ChartInput {
    ChartInput {
        width,
        height: width * 9 / 16,
        ..example()
    }
}

#[test]
fn type_on_a_small_chart_is_no_smaller_than_its_minimum() {
    let fonts = fonts();
    let small = layout::Layout::new(&at_width(800), &fonts, 1.0).text;
    let large = layout::Layout::new(&at_width(1600), &fonts, 1.0).text;
    let sizes = |text: layout::TextSizes| {
        [
            text.title,
            text.subtitle,
            text.legend,
            text.axis,
            text.mark,
            text.footer,
        ]
    };
    let minimums = [
        style::MIN_TITLE_SIZE,
        style::MIN_SUBTITLE_SIZE,
        style::MIN_LEGEND_SIZE,
        style::MIN_AXIS_LABEL_SIZE,
        style::MIN_MARK_LABEL_SIZE,
        style::MIN_FOOTER_SIZE,
    ];
    for ((small, large), min) in sizes(small).into_iter().zip(sizes(large)).zip(minimums) {
        assert!(small >= min, "{small} under {min}");
        // The small chart's type is a larger share of its width than the large one's.
        assert!(
            small / 800.0 >= large / 1600.0,
            "{small} at 800, {large} at 1600"
        );
        assert!(large >= small);
    }
    // Axis labels were 11.2 at 800 wide, capitals 7 pixels high; now at least 10.
    assert!(small.axis * CAP_HEIGHT_SHARE >= 10.0);
    // A PNG's layout is drawn larger and scaled down: its type is the same at the output size.
    let png = layout::Layout::new(&at_width(800), &fonts, f64::from(style::PNG_SUPERSAMPLE)).text;
    assert_eq!(png.axis, small.axis * f64::from(style::PNG_SUPERSAMPLE));
}

#[test]
fn an_svg_at_800_wide_sets_no_text_under_the_smallest_minimum() {
    let svg = render_svg(&at_width(800), &fonts()).unwrap();
    let sizes: Vec<f64> = svg
        .split("font-size=\"")
        .skip(1)
        .map(|rest| rest.split('"').next().unwrap().trim_end_matches("px"))
        .map(|size| size.parse().unwrap())
        .collect();
    assert!(!sizes.is_empty());
    let smallest = sizes.iter().copied().fold(f64::INFINITY, f64::min);
    // plotters writes its size divided by 1.24 as the SVG's font size.
    assert!(
        smallest >= style::MIN_FOOTER_SIZE / 1.24 - 0.01,
        "{sizes:?}"
    );
}

/// Two years of a daily trend at 45 with a band of `half_band` points each side (polls at its
/// ends only), beside an answer whose polls at 10 and 70 stretch the percent axis, as eight
/// parties' polls do: the band is a few pixels wide.
fn narrow_band_input(half_band: f64) -> ChartInput {
    let poll = |day: &str, pct: f64| PollPoint {
        date: date(day),
        pct,
        sample_size: Some(1000.0),
    };
    ChartInput {
        title: "Two years of polls".into(),
        subtitle: String::new(),
        note: String::new(),
        footer: String::new(),
        series: vec![
            Series {
                elections: Vec::new(),
                label: "Yes".into(),
                colour: style::PALETTE[0],
                polls: vec![poll("2018-01-01", 45.0), poll("2019-12-31", 45.0)],
                trend: daily("2018-01-01", "2019-12-31", 45.0, Some(half_band)),
                latest: Some(45.0),
            },
            Series {
                elections: Vec::new(),
                label: "No".into(),
                colour: style::PALETTE[1],
                polls: vec![poll("2018-01-01", 10.0), poll("2019-12-31", 70.0)],
                trend: vec![],
                latest: None,
            },
        ],
        marks: vec![],
        width: 800,
        height: 450,
        y_range: None,
    }
}

#[test]
fn a_narrow_band_shows_on_both_sides_of_a_thinner_line() {
    let fonts = fonts();
    // One point each side is three pixels at 800 wide on an axis of 0 to 80%.
    let input = narrow_band_input(1.0);
    let layout = layout::Layout::new(&input, &fonts, 1.0);
    let half_line = draw::trend_stroke(&layout, &input.series[0]) / 2.0;
    let no_band = draw::trend_stroke(&layout, &input.series[1]);
    assert!(2.0 * half_line < no_band, "the line over a band is thinner");
    assert!(band_shows(&input, &fonts));
    let image = image::load_from_memory(&render_png(&input, &fonts).unwrap())
        .unwrap()
        .to_rgb8();
    let x = layout.x.x(date("2019-01-01")).round() as u32;
    let line_y = layout.y.y(45.0);
    let band_reach = layout.y.y(45.0) - layout.y.y(46.0);
    assert!(band_reach - half_line >= 2.0, "{band_reach} {half_line}");
    // Pixels between the line's edge and the band's, above and below the line, are tinted in
    // the answer's colour: bluish, and far from white.
    for side in [-1.0, 1.0] {
        let y = (line_y + side * (half_line + band_reach) / 2.0).round() as u32;
        let pixel = image.get_pixel(x, y).0;
        assert!(
            pixel[0] < 215 && pixel[2] > pixel[0] + 20,
            "{pixel:?} at {x},{y}"
        );
    }
    // Far outside the band: white.
    let y = (line_y - 3.0 * band_reach).round() as u32;
    assert_eq!(image.get_pixel(x, y).0, [255, 255, 255]);
}

#[test]
fn a_band_narrower_than_its_line_everywhere_is_not_counted_as_shown() {
    let fonts = fonts();
    assert!(!band_shows(&narrow_band_input(0.02), &fonts));
    assert!(band_shows(&narrow_band_input(0.6), &fonts));
    // No band at all is not shown either.
    let mut input = narrow_band_input(0.6);
    for point in &mut input.series[0].trend {
        point.low = None;
    }
    assert!(!band_shows(&input, &fonts));
}

#[test]
fn a_band_of_weekly_polls_is_even_not_a_chain_of_sausages() {
    let fonts = fonts();
    let mut input = narrow_band_input(0.6);
    let first = date("2018-01-01");
    // Weekly polls; the band narrowest on poll days and widest between them.
    input.series[0].polls = (0..104)
        .map(|week| PollPoint {
            date: first + chrono::Days::new(7 * week),
            pct: 45.0,
            sample_size: Some(1000.0),
        })
        .collect();
    for (day, point) in input.series[0].trend.iter_mut().enumerate() {
        let phase = (day % 7) as f64 / 7.0;
        let half = 0.5 + 2.0 * (std::f64::consts::PI * phase).sin();
        point.low = Some(45.0 - half);
        point.high = Some(45.0 + half);
    }
    let svg = render_svg(&input, &fonts).unwrap();
    let bands = band_polygons(&svg);
    assert_eq!(bands.len(), 1);
    let layout = layout::Layout::new(&input, &fonts, 1.0);
    let (left, right) = (
        layout.x.x(date("2018-02-01")),
        layout.x.x(date("2019-12-01")),
    );
    let top: Vec<f64> = bands[0]
        .iter()
        .filter(|(x, y)| *x > left && *x < right && *y < layout.y.y(45.0))
        .map(|(_, y)| *y)
        .collect();
    assert!(top.len() > 10);
    let (lo, hi) = top
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), y| {
            (lo.min(*y), hi.max(*y))
        });
    // The band's top edge is level (the widest reach, 2.45 points), where the method's band
    // swings by two points a week.
    assert!(hi - lo <= 1.0, "{lo}..{hi}");
    assert!((lo - layout.y.y(47.45)).abs() <= 1.5, "{lo}");
}

#[test]
fn the_dates_end_at_the_last_poll_with_room_for_its_point_only() {
    let fonts = fonts();
    for width in [800, 1200, 1600] {
        let input = at_width(width);
        let layout = layout::Layout::new(&input, &fonts, 1.0);
        let last = input
            .series
            .iter()
            .flat_map(|series| {
                let polls = series.polls.iter().map(|poll| poll.date);
                polls.chain(series.trend.iter().map(|point| point.date))
            })
            .chain(input.marks.iter().map(|mark| mark.date))
            .max()
            .unwrap();
        let after = layout.x.right - layout.x.x(last);
        // Room for the largest point (6.5 pixels at 1000 wide) and a day's rounding, not the
        // 2% of the span (15 days, 15 to 30 pixels) there was.
        let room = layout.size(style::POINT_MAX_RADIUS);
        let day = layout.x.x(last + chrono::Days::new(1)) - layout.x.x(last);
        assert!(after >= room && after <= room + day, "{width}: {after}");
    }
}

#[test]
fn every_tick_on_the_date_axis_has_its_label_and_the_first_its_year() {
    let fonts = fonts();
    for width in [400, 800, 1000, 1200, 1600] {
        for days in [20, 100, 400, 730, 3000] {
            let input = ChartInput {
                width,
                height: 450,
                y_range: None,
                ..example::three_answers(date("2018-01-01"), days, 60)
            };
            let layout = layout::Layout::new(&input, &fonts, 1.0);
            assert!(!layout.x_ticks.is_empty(), "{width} {days}");
            let first = &layout.x_ticks[0].1;
            let year_ticks = first.line.len() == 4 && first.line.parse::<i32>().is_ok();
            assert!(first.year.is_some() || year_ticks, "{width} {days}");
            let svg = render_svg(&input, &fonts).unwrap();
            for (date, label) in &layout.x_ticks {
                assert!(
                    svg.contains(&format!(">\n{}\n</text>", label.line)),
                    "{width} {days} {date}"
                );
            }
        }
    }
}

#[test]
fn an_outlying_poll_is_drawn_on_the_plot_edge() {
    let fonts = fonts();
    let mut input = narrow_band_input(1.0);
    input.series.truncate(1);
    let first = date("2018-01-01");
    input.series[0].polls = (0..100)
        .map(|day| PollPoint {
            date: first + chrono::Days::new(7 * day),
            pct: if day == 50 {
                95.0
            } else {
                43.0 + (day % 5) as f64
            },
            sample_size: Some(1000.0),
        })
        .collect();
    let layout = layout::Layout::new(&input, &fonts, 1.0);
    assert!(layout.y.high <= 55.0, "{}", layout.y.high);
    let svg = render_svg(&input, &fonts).unwrap();
    // 99 whole points, and the outlier cut at the top edge: a polygon whose top is the plot's.
    assert_eq!(count(&svg, "<circle"), 99);
    let fill = format!("fill=\"{}\"", hex(style::PALETTE[0]));
    let bands = band_polygons(&svg);
    let cut = shapes(&svg, "polygon", &fill)
        .into_iter()
        .filter(|points| !bands.contains(points))
        .collect::<Vec<_>>();
    assert_eq!(cut.len(), 1);
    let top = cut[0].iter().map(|(_, y)| *y).fold(f64::INFINITY, f64::min);
    assert_eq!(top, layout.plot().top);
}

#[test]
fn a_long_subtitle_note_and_footer_wrap_within_the_chart() {
    let fonts = fonts();
    let long = "Kalman-smoothed trend adjusted for house effects, with its 95% band · populations mixed: likely voters, registered voters and adults";
    let input = ChartInput {
        subtitle: long.into(),
        note: long.into(),
        footer: long.into(),
        ..at_width(800)
    };
    let layout = layout::Layout::new(&input, &fonts, 1.0);
    for (lines, size) in [
        (&layout.subtitle_lines, layout.text.subtitle),
        (&layout.note_lines, layout.text.footer),
        (&layout.footer_lines, layout.text.footer),
    ] {
        assert!(lines.len() >= 2, "{lines:?}");
        assert_eq!(lines.join(" "), long);
        for line in lines.iter() {
            assert!(fonts.width(line, size, false) <= 800.0 - 2.0 * layout.margin);
        }
    }
    // The note sits over the footer, and the plot's dates over the note.
    assert!(
        layout.note_top + 2.0 * layout::line_height(layout.text.footer) <= layout.footer_top + 0.01
    );
    assert!(layout.x_labels_top < layout.note_top);
}

#[test]
fn an_election_is_a_diamond_in_its_answers_colour_not_a_point() {
    let mut input = example();
    let plain = render_svg(&input, &fonts()).unwrap();
    let circles = count(&plain, "<circle");
    let day = input.series[0].polls[40].date;
    input.series[0].elections = vec![(day, 45.0)];
    let svg = render_svg(&input, &fonts()).unwrap();
    // Not one more poll point: a polygon of four corners, filled in the answer's colour.
    assert_eq!(count(&svg, "<circle"), circles);
    let colour = style::PALETTE[0];
    let fill = format!("fill=\"#{:02X}{:02X}{:02X}\"", colour.0, colour.1, colour.2);
    let diamonds: Vec<&str> = svg
        .split("<polygon")
        .skip(1)
        .filter(|p| p.contains(&fill) && !plain.contains(&format!("<polygon{p}")))
        .collect();
    assert_eq!(diamonds.len(), 1, "{svg}");
    let corners = diamonds[0]
        .split("points=\"")
        .nth(1)
        .and_then(|p| p.split('"').next())
        .unwrap_or_default()
        .split_whitespace()
        .count();
    assert_eq!(corners, 4, "{}", diamonds[0]);
    // Where the result is: x of its day, y of 45%.
    let layout = layout::Layout::new(&input, &fonts(), 1.0);
    let (x, y) = (layout.x.x(day), layout.y.y(45.0));
    let top = format!(
        "{},{}",
        x.round() as i32,
        (y - layout.size(style::ELECTION_DIAMOND)).round() as i32
    );
    assert!(diamonds[0].contains(&top), "{top} in {}", diamonds[0]);
}
