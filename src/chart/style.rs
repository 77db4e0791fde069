//! The look of every chart in one place: palette, type sizes, strokes and spacing.
//!
//! Sizes are in pixels for a chart 1000 pixels wide; the renderer scales them with the chart's
//! width so a small chart and a large one keep the same proportions, except that type never
//! shrinks below its minimum size.

pub use crate::model::Rgb;

/// Answer colours, in order, twelve before any repeats. First the Okabe-Ito palette, which
/// readers with any common colour-vision deficiency can tell apart (its yellow left out, too
/// faint on white; black after the colours so it is not mistaken for the axis text), then five
/// dark, muted colours far from those and from each other: indigo, wine and olive from Paul
/// Tol's "muted" scheme, Tableau 10's brown, and a neutral grey. Every pair differs by at least
/// 22 in CIELAB (ΔE76), and every trend line (the colour darkened by [`TREND_DARKEN`]) has at
/// least 4.4:1 contrast against white; the points, in the colour itself, at least 2.2:1.
pub const PALETTE: [Rgb; 12] = [
    Rgb(0x00, 0x72, 0xB2), // blue
    Rgb(0xD5, 0x5E, 0x00), // vermillion
    Rgb(0x00, 0x9E, 0x73), // bluish green
    Rgb(0xCC, 0x79, 0xA7), // reddish purple
    Rgb(0xE6, 0x9F, 0x00), // orange
    Rgb(0x56, 0xB4, 0xE9), // sky blue
    Rgb(0x00, 0x00, 0x00), // black
    Rgb(0x33, 0x22, 0x88), // indigo (Tol)
    Rgb(0x88, 0x22, 0x55), // wine (Tol)
    Rgb(0x99, 0x99, 0x33), // olive (Tol)
    Rgb(0x9C, 0x75, 0x5F), // brown (Tableau 10)
    Rgb(0x77, 0x77, 0x77), // grey
];

/// The colour of the answer at `index` in its question's order: the palette's, round again
/// after the twelfth (callers warn when two answers of one chart share a colour).
pub fn palette_colour(index: usize) -> Rgb {
    PALETTE[index % PALETTE.len()]
}

/// Below this CIELAB distance (ΔE76) a palette colour is too near a colour kept for an answer
/// to colour another answer of the question; the palette's own closest pair (brown and grey) is
/// 22 apart.
pub const DISTINCT_COLOURS: f64 = 20.0;

/// Below this CIELAB distance (ΔE76) two answers' colours are too alike to tell apart on a
/// chart, and polltrack warns.
pub const ALIKE_COLOURS: f64 = 10.0;

/// How far apart two colours look: the CIELAB distance (ΔE76, CIE 1976; D65 white), about 2.3
/// for a just noticeable difference.
pub fn colour_distance(a: Rgb, b: Rgb) -> f64 {
    use palette::color_difference::EuclideanDistance;
    use palette::{IntoColor, Lab, Srgb};
    let lab = |Rgb(r, g, b): Rgb| -> Lab { Srgb::new(r, g, b).into_format::<f32>().into_color() };
    f64::from(lab(a).distance(lab(b)))
}

/// WCAG 2.1's contrast ratio of two colours, from 1 (the same) to 21 (black on white).
pub fn contrast(a: Rgb, b: Rgb) -> f64 {
    use palette::Srgb;
    use palette::color_difference::Wcag21RelativeContrast;
    let srgb = |Rgb(r, g, b): Rgb| Srgb::new(r, g, b).into_format::<f32>();
    f64::from(srgb(a).relative_contrast(srgb(b)))
}

/// The palette without the colours nearer than [`DISTINCT_COLOURS`] to any of `taken`, in
/// order; the whole palette when that leaves none.
pub fn palette_avoiding(taken: &[Rgb]) -> Vec<Rgb> {
    let free: Vec<Rgb> = PALETTE
        .iter()
        .copied()
        .filter(|colour| {
            taken
                .iter()
                .all(|kept| colour_distance(*colour, *kept) >= DISTINCT_COLOURS)
        })
        .collect();
    if free.is_empty() {
        PALETTE.to_vec()
    } else {
        free
    }
}

pub const BACKGROUND: Rgb = Rgb(0xFF, 0xFF, 0xFF);
pub const TITLE_COLOUR: Rgb = Rgb(0x1A, 0x1A, 0x1A);
pub const SUBTITLE_COLOUR: Rgb = Rgb(0x55, 0x55, 0x55);
pub const AXIS_LABEL_COLOUR: Rgb = Rgb(0x66, 0x66, 0x66);
pub const FOOTER_COLOUR: Rgb = Rgb(0x80, 0x80, 0x80);
pub const GRID_COLOUR: Rgb = Rgb(0xE4, 0xE4, 0xE4);
pub const BASELINE_COLOUR: Rgb = Rgb(0x9A, 0x9A, 0x9A);
pub const MARK_COLOUR: Rgb = Rgb(0x44, 0x44, 0x44);

/// Opacity of a poll's point: strong when an answer has a few polls, fainter the more it has
/// (falling with the square root of the count), so one poll stands out, a crowd shows where
/// polls are dense, and the trend line stays visible over thousands.
pub const POINT_OPACITY_MAX: f64 = 0.75;
pub const POINT_OPACITY_MIN: f64 = 0.07;
/// The opacity is this divided by the square root of the number of polls (0.3 for 100 polls).
pub const POINT_OPACITY_SCALE: f64 = 3.0;
/// Opacity of the 95% band: a tint that the points and the line stay legible over, strong
/// enough to be found under a crowd of faint points.
pub const BAND_OPACITY: f64 = 0.26;
/// A band's reach above and below the line is drawn as the widest within this share of the
/// answer's usual gap between polls on each side (at most `BAND_MAX_WINDOW_DAYS`), so weekly
/// polls give a band of even width rather than one bulging between polls like sausages. The
/// band drawn is never narrower than the method's.
pub const BAND_WINDOW_SHARE: f64 = 0.5;
pub const BAND_MAX_WINDOW_DAYS: i64 = 7;

/// Font sizes (pixels at 1000 pixels wide).
pub const TITLE_SIZE: f64 = 26.0;
pub const SUBTITLE_SIZE: f64 = 16.0;
pub const LEGEND_SIZE: f64 = 16.0;
pub const AXIS_LABEL_SIZE: f64 = 14.0;
pub const MARK_LABEL_SIZE: f64 = 13.0;
pub const FOOTER_SIZE: f64 = 12.5;
/// The smallest each kind of text is drawn, in pixels at the chart's own size: type shrinks
/// with a narrow chart only down to these, so a chart read on a phone (800 pixels wide, shown
/// near its own size) keeps text about as large as the default 1200-pixel chart's. A size is
/// the font's height from descender to ascender, as plotters takes it: DejaVu Sans's capitals
/// are 0.63 of it high, so axis labels of 16 have capitals 10 pixels high (7 before these).
pub const MIN_TITLE_SIZE: f64 = 28.0;
pub const MIN_SUBTITLE_SIZE: f64 = 18.0;
pub const MIN_LEGEND_SIZE: f64 = 18.0;
pub const MIN_AXIS_LABEL_SIZE: f64 = 16.0;
pub const MIN_MARK_LABEL_SIZE: f64 = 15.0;
pub const MIN_FOOTER_SIZE: f64 = 15.0;
/// Line height as a multiple of the font size.
pub const LINE_HEIGHT: f64 = 1.25;

/// The legend's text: dark, beside a key in the answer's colour, so light colours stay legible.
pub const LEGEND_TEXT_COLOUR: Rgb = TITLE_COLOUR;

/// Strokes and marks (pixels at 1000 pixels wide).
pub const TREND_STROKE: f64 = 2.6;
/// A trend line over its band is thinner, so a narrow band shows on both sides of it.
pub const TREND_STROKE_OVER_BAND: f64 = 1.8;
/// A band counts as seen where it reaches this many pixels (at the chart's own size) beyond
/// the edge of its line.
pub const BAND_VISIBLE_RIM: f64 = 1.0;
/// Trend lines (and legend swatches) are the answer's colour darkened by this share, so a line
/// stays visible over a dense crowd of its own points.
pub const TREND_DARKEN: f64 = 0.3;
pub const GRID_STROKE: f64 = 1.0;
pub const MARK_STROKE: f64 = 1.2;
pub const MARK_DASH: f64 = 5.0;
pub const MARK_GAP: f64 = 4.0;
pub const TICK_LENGTH: f64 = 5.0;
pub const LEGEND_SWATCH: f64 = 20.0;
/// The length of the level dash that shows a trend's estimate on a day with no neighbours
/// (polls on one day between long gaps): long enough to see, short enough not to read as a
/// stretch of trend.
pub const LONE_DAY_DASH: f64 = 10.0;

/// A poll's point has the area of a circle of this radius at this sample size, and its area
/// grows in proportion to the sample size between the two radius limits.
pub const POINT_RADIUS: f64 = 3.8;
pub const POINT_REFERENCE_SAMPLE: f64 = 1000.0;
pub const POINT_MIN_RADIUS: f64 = 2.0;
pub const POINT_MAX_RADIUS: f64 = 6.5;
/// Half the height of an election result's diamond, in pixels at 1x.
pub const ELECTION_DIAMOND: f64 = 6.0;
/// Up to this many polls, an answer's points are drawn this much larger.
pub const FEW_POLLS: usize = 10;
pub const FEW_POLLS_POINT_SCALE: f64 = 2.2;
/// Polls without a known sample size are drawn as if they had asked this many people.
pub const DEFAULT_SAMPLE: f64 = 600.0;

/// Spacing (pixels at 1000 pixels wide).
pub const MARGIN: f64 = 28.0;
pub const GAP_AFTER_TITLE: f64 = 4.0;
pub const GAP_AFTER_SUBTITLE: f64 = 12.0;
pub const GAP_AFTER_LEGEND: f64 = 16.0;
pub const LEGEND_ITEM_GAP: f64 = 24.0;
pub const Y_LABEL_GAP: f64 = 8.0;
pub const X_LABEL_GAP: f64 = 8.0;
pub const GAP_BEFORE_FOOTER: f64 = 14.0;
/// Room each date label wants, for choosing how many ticks fit.
pub const X_TICK_SPACING: f64 = 90.0;

/// Font families an SVG names, in order, so a viewer without DejaVu Sans, or drawing Korean,
/// falls back to a font it has.
pub const SVG_FONT_FAMILIES: &str = "DejaVu Sans, Noto Sans CJK KR, Noto Sans KR, Malgun Gothic, Apple SD Gothic Neo, NanumGothic, sans-serif";

/// PNGs are drawn at this many times their size and scaled down, which smooths lines and
/// circle edges that the bitmap rasterizer would otherwise leave jagged.
pub const PNG_SUPERSAMPLE: u32 = 2;
