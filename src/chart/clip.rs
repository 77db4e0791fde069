//! Cutting shapes at the plot's edges, so that no value, however far outside the range shown,
//! draws over the axis labels, the legend or the title, or off the image. plotters draws
//! whatever coordinates it is given, so the cutting is done here, before it sees them, the same
//! for SVG and PNG. Pure geometry, in pixels.

/// A rectangle in pixels, `left <= right` and `top <= bottom` (y grows downwards).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Rect {
    pub left: f64,
    pub top: f64,
    pub right: f64,
    pub bottom: f64,
}

impl Rect {
    /// The rectangle moved in by `by` on every side, to whole pixels; a rectangle too small
    /// for that shrinks to its middle rather than turning inside out.
    pub fn inset(&self, by: f64) -> Rect {
        let (middle_x, middle_y) = (
            (self.left + self.right) / 2.0,
            (self.top + self.bottom) / 2.0,
        );
        Rect {
            left: (self.left + by).ceil().min(middle_x.floor()),
            top: (self.top + by).ceil().min(middle_y.floor()),
            right: (self.right - by).floor().max(middle_x.floor()),
            bottom: (self.bottom - by).floor().max(middle_y.floor()),
        }
    }

    pub fn contains(&self, (x, y): (f64, f64)) -> bool {
        (self.left..=self.right).contains(&x) && (self.top..=self.bottom).contains(&y)
    }
}

/// The parts of a line through `points` that lie inside `rect`, in order: a line that leaves
/// the rectangle and comes back is two parts, and the piece outside is not drawn. Points that
/// are not numbers break the line as a gap does.
pub(crate) fn polyline(points: &[(f64, f64)], rect: &Rect) -> Vec<Vec<(f64, f64)>> {
    let mut parts: Vec<Vec<(f64, f64)>> = Vec::new();
    let mut part: Vec<(f64, f64)> = Vec::new();
    for pair in points.windows(2) {
        let clipped = segment(pair[0], pair[1], rect);
        match clipped {
            // The segment goes on from where the part stopped: the same line.
            Some((from, to)) if part.last() == Some(&from) => part.push(to),
            Some((from, to)) => {
                if part.len() >= 2 {
                    parts.push(std::mem::take(&mut part));
                }
                part = vec![from, to];
            }
            None => {
                if part.len() >= 2 {
                    parts.push(std::mem::take(&mut part));
                }
                part.clear();
            }
        }
    }
    if part.len() >= 2 {
        parts.push(part);
    }
    parts
}

/// The piece of the segment `from`-`to` inside `rect` (Liang-Barsky), or `None`. An end that
/// is inside comes back exactly as given, so consecutive segments still meet.
fn segment(from: (f64, f64), to: (f64, f64), rect: &Rect) -> Option<((f64, f64), (f64, f64))> {
    if ![from.0, from.1, to.0, to.1].iter().all(|v| v.is_finite()) {
        return None;
    }
    let (dx, dy) = (to.0 - from.0, to.1 - from.1);
    let (mut enter, mut leave) = (0.0f64, 1.0f64);
    // For each edge: how the segment moves across it, and how far inside `from` is.
    for (towards_outside, inside_by) in [
        (-dx, from.0 - rect.left),
        (dx, rect.right - from.0),
        (-dy, from.1 - rect.top),
        (dy, rect.bottom - from.1),
    ] {
        if towards_outside == 0.0 {
            if inside_by < 0.0 {
                return None;
            }
            continue;
        }
        let t = inside_by / towards_outside;
        if towards_outside < 0.0 {
            enter = enter.max(t);
        } else {
            leave = leave.min(t);
        }
    }
    if enter > leave {
        return None;
    }
    let at = |t: f64| {
        if t <= 0.0 {
            from
        } else if t >= 1.0 {
            to
        } else {
            // Exactly on the edge it was cut at, whatever the rounding.
            (
                (from.0 + t * dx).clamp(rect.left, rect.right),
                (from.1 + t * dy).clamp(rect.top, rect.bottom),
            )
        }
    };
    Some((at(enter), at(leave)))
}

/// The part of the filled polygon `outline` inside `rect` (Sutherland-Hodgman: cut by each
/// edge in turn). Parts of the outline outside become runs along the rectangle's edge, which
/// enclose nothing. Points that are not numbers are left out.
pub(crate) fn polygon(outline: &[(f64, f64)], rect: &Rect) -> Vec<(f64, f64)> {
    let mut shape: Vec<(f64, f64)> = outline
        .iter()
        .copied()
        .filter(|(x, y)| x.is_finite() && y.is_finite())
        .collect();
    type Inside = fn(&Rect, (f64, f64)) -> bool;
    type Cross = fn(&Rect, (f64, f64), (f64, f64)) -> (f64, f64);
    let edges: [(Inside, Cross); 4] = [
        (
            |r, p| p.0 >= r.left,
            |r, a, b| (r.left, a.1 + (b.1 - a.1) * (r.left - a.0) / (b.0 - a.0)),
        ),
        (
            |r, p| p.0 <= r.right,
            |r, a, b| (r.right, a.1 + (b.1 - a.1) * (r.right - a.0) / (b.0 - a.0)),
        ),
        (
            |r, p| p.1 >= r.top,
            |r, a, b| (a.0 + (b.0 - a.0) * (r.top - a.1) / (b.1 - a.1), r.top),
        ),
        (
            |r, p| p.1 <= r.bottom,
            |r, a, b| (a.0 + (b.0 - a.0) * (r.bottom - a.1) / (b.1 - a.1), r.bottom),
        ),
    ];
    for (inside, cross) in edges {
        let Some(&last) = shape.last() else {
            break;
        };
        let mut cut = Vec::with_capacity(shape.len() + 4);
        let mut previous = last;
        for &point in &shape {
            match (inside(rect, previous), inside(rect, point)) {
                (true, true) => cut.push(point),
                (true, false) => cut.push(cross(rect, previous, point)),
                (false, true) => {
                    cut.push(cross(rect, previous, point));
                    cut.push(point);
                }
                (false, false) => {}
            }
            previous = point;
        }
        shape = cut;
    }
    // Crossings are worked out in floating point: keep them on the rectangle for certain.
    shape
        .into_iter()
        .map(|(x, y)| {
            (
                x.clamp(rect.left, rect.right),
                y.clamp(rect.top, rect.bottom),
            )
        })
        .collect()
}

/// A circle as a polygon of `sides` corners, for cutting it like any other shape.
pub(crate) fn circle((x, y): (f64, f64), radius: f64, sides: usize) -> Vec<(f64, f64)> {
    (0..sides)
        .map(|i| {
            let angle = std::f64::consts::TAU * i as f64 / sides as f64;
            (x + radius * angle.cos(), y + radius * angle.sin())
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const RECT: Rect = Rect {
        left: 10.0,
        top: 20.0,
        right: 110.0,
        bottom: 220.0,
    };

    #[test]
    fn a_line_inside_is_untouched() {
        let line = [(20.0, 30.0), (50.0, 100.0), (100.0, 40.0)];
        assert_eq!(polyline(&line, &RECT), vec![line.to_vec()]);
    }

    #[test]
    fn a_line_that_leaves_and_comes_back_is_cut_in_two_on_the_edge() {
        let line = [(20.0, 100.0), (40.0, 300.0), (60.0, 100.0), (80.0, 100.0)];
        let parts = polyline(&line, &RECT);
        assert_eq!(
            parts,
            vec![
                vec![(20.0, 100.0), (32.0, 220.0)],
                vec![(48.0, 220.0), (60.0, 100.0), (80.0, 100.0)]
            ]
        );
    }

    #[test]
    fn a_line_wholly_outside_or_not_a_number_draws_nothing() {
        assert!(polyline(&[(0.0, 0.0), (200.0, 0.0)], &RECT).is_empty());
        assert!(polyline(&[(20.0, -500.0), (20.0, -400.0)], &RECT).is_empty());
        assert!(polyline(&[(20.0, f64::NAN), (30.0, 30.0)], &RECT).is_empty());
        // Across the whole rectangle: cut at both sides.
        assert_eq!(
            polyline(&[(0.0, 50.0), (200.0, 50.0)], &RECT),
            vec![vec![(10.0, 50.0), (110.0, 50.0)]]
        );
        // A NaN in the middle breaks the line.
        let broken = [
            (20.0, 30.0),
            (30.0, 30.0),
            (f64::NAN, 0.0),
            (40.0, 30.0),
            (50.0, 30.0),
        ];
        assert_eq!(polyline(&broken, &RECT).len(), 2);
    }

    #[test]
    fn a_polygon_is_cut_to_the_rectangle() {
        // A band from far above to far below the rectangle.
        let band = [(20.0, -300.0), (80.0, -300.0), (80.0, 900.0), (20.0, 900.0)];
        let cut = polygon(&band, &RECT);
        assert!(cut.iter().all(|point| RECT.contains(*point)), "{cut:?}");
        let ys: Vec<f64> = cut.iter().map(|p| p.1).collect();
        assert!(ys.contains(&20.0) && ys.contains(&220.0));
        let xs: Vec<f64> = cut.iter().map(|p| p.0).collect();
        assert!(xs.contains(&20.0) && xs.contains(&80.0));
        assert!(polygon(&[(0.0, 0.0), (5.0, 0.0), (5.0, 5.0)], &RECT).is_empty());
        let inside = [(20.0, 30.0), (50.0, 30.0), (50.0, 60.0)];
        assert_eq!(polygon(&inside, &RECT), inside.to_vec());
    }

    #[test]
    fn insetting_stays_whole_and_never_turns_inside_out() {
        let inset = RECT.inset(1.5);
        assert_eq!(
            (inset.left, inset.top, inset.right, inset.bottom),
            (12.0, 22.0, 108.0, 218.0)
        );
        let tiny = RECT.inset(1000.0);
        assert!(tiny.left <= tiny.right && tiny.top <= tiny.bottom);
    }

    #[test]
    fn a_circle_has_its_corners_on_the_circle() {
        let corners = circle((50.0, 50.0), 10.0, 16);
        assert_eq!(corners.len(), 16);
        assert!(
            corners
                .iter()
                .all(|(x, y)| ((x - 50.0).hypot(y - 50.0) - 10.0).abs() < 1e-9)
        );
    }
}
