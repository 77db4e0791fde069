//! LOESS: local linear regression with tricube weights and bisquare robustness passes, the
//! algorithm of R's `lowess` (Cleveland's `clowess`), fitted exactly.
//!
//! Exact and fast: the fit at a point depends on the other points only through sums over them,
//! and poll dates are whole days, so many polls share an x. Points are summed once per distinct
//! x (per pass), and each fit runs over the distinct x values of its neighbourhood. With `D`
//! distinct values the cost is `O(n log n + D · window)` per pass rather than `O(n · window)`,
//! with the same result as fitting point by point (up to the order of floating-point sums).

use wide::f64x4;

use super::{
    AnswerSeries, Evaluate, LoessWeights, TrendOptions, TrendPoint, day_number,
    effective_sample_sizes, evaluation_days, point_without_band,
};

/// The points sharing each distinct x, summed: one array per sum, so the fits' inner loop
/// reads memory in order and runs several lanes at once.
#[derive(Debug, Clone, Default)]
struct Groups {
    x: Vec<f64>,
    /// Σ weight (prior × robustness).
    weight: Vec<f64>,
    /// Σ weight · y.
    weighted_y: Vec<f64>,
    /// Σ prior · robustness², for the variance of a fit.
    variance_weight: Vec<f64>,
    /// Points with a weight above zero.
    counted: Vec<f64>,
    /// The y of the group's first point: what `lowess` gives when every weight is zero.
    first_y: Vec<f64>,
}

/// Lanes of the fits' inner loop: sums are kept in LANES partial sums, each group in the lane
/// of its position, added up at the end (so the result is the same however many lanes the
/// machine works on at once).
const LANES: usize = 4;

/// The last groups of a window, fewer than LANES, filled up to a whole run with `fill`: a
/// group at the fit's own x with no weight adds nothing to any sum.
fn padded(rest: &[f64], fill: f64) -> [f64; LANES] {
    std::array::from_fn(|lane| rest.get(lane).copied().unwrap_or(fill))
}

/// The groups within a local fit's reach, and where the fit is.
struct Window<'a> {
    x: &'a [f64],
    weight: &'a [f64],
    weighted_y: &'a [f64],
    at: f64,
    inverse_h: f64,
    h1: f64,
}

impl Window<'_> {
    /// Σ w, Σ w dx, Σ w dx², Σ wy, Σ wy dx over the window, w being the group's weight times
    /// its tricube weight.
    fn fit_sums(&self) -> [f64; 5] {
        let (x, x_rest) = self.x.as_chunks::<LANES>();
        let (weight, weight_rest) = self.weight.as_chunks::<LANES>();
        let (weighted_y, weighted_y_rest) = self.weighted_y.as_chunks::<LANES>();
        let sums = self.fit_lanes([[0.0; LANES]; 5], x, weight, weighted_y);
        let sums = self.fit_lanes(
            sums,
            &[padded(x_rest, self.at)],
            &[padded(weight_rest, 0.0)],
            &[padded(weighted_y_rest, 0.0)],
        );
        sums.map(|lanes| lanes.iter().sum())
    }

    /// Adds runs of LANES groups to the partial sums `start` of [`Window::fit_sums`], four
    /// lanes at a time in portable SIMD.
    fn fit_lanes(
        &self,
        start: [[f64; LANES]; 5],
        x: &[[f64; LANES]],
        weight: &[[f64; LANES]],
        weighted_y: &[[f64; LANES]],
    ) -> [[f64; LANES]; 5] {
        let mut lanes = start.map(f64x4::new);
        for ((x, weight), weighted_y) in x.iter().zip(weight).zip(weighted_y) {
            let dx = f64x4::new(*x) - f64x4::splat(self.at);
            let closeness = self.tricube(dx);
            let t = closeness * f64x4::new(*weight);
            let ty = closeness * f64x4::new(*weighted_y);
            lanes[0] += t;
            lanes[1] += t * dx;
            lanes[2] += t * dx * dx;
            lanes[3] += ty;
            lanes[4] += ty * dx;
        }
        lanes.map(|lanes| lanes.to_array())
    }

    /// For the variance: Σ t² v, Σ t² v dx, Σ t² v dx², t being the tricube weight and v the
    /// group's `variance_weight`, and the polls `counted` in groups with a weight above zero.
    fn variance_sums(&self, variance_weight: &[f64], counted: &[f64]) -> [f64; 4] {
        let (x, x_rest) = self.x.as_chunks::<LANES>();
        let (weight, weight_rest) = self.weight.as_chunks::<LANES>();
        let (variance_weight, variance_weight_rest) = variance_weight.as_chunks::<LANES>();
        let (counted, counted_rest) = counted.as_chunks::<LANES>();
        let rest = (
            padded(x_rest, self.at),
            padded(weight_rest, 0.0),
            padded(variance_weight_rest, 0.0),
            padded(counted_rest, 0.0),
        );
        let mut lanes = [f64x4::ZERO; 4];
        for (x, weight, variance_weight, counted) in x
            .iter()
            .zip(weight)
            .zip(variance_weight)
            .zip(counted)
            .map(|(((x, w), v), c)| (x, w, v, c))
            .chain([(&rest.0, &rest.1, &rest.2, &rest.3)])
        {
            let dx = f64x4::new(*x) - f64x4::splat(self.at);
            let closeness = self.tricube(dx);
            let tv = closeness * closeness * f64x4::new(*variance_weight);
            lanes[0] += tv;
            lanes[1] += tv * dx;
            lanes[2] += tv * dx * dx;
            let weighed = (closeness * f64x4::new(*weight)).simd_gt(f64x4::ZERO);
            lanes[3] += weighed.select(f64x4::new(*counted), f64x4::ZERO);
        }
        lanes.map(|lanes| lanes.to_array().iter().sum())
    }

    /// The tricube weights of groups `dx` from the fit: 1 within `h1`, 0 from `h`.
    #[inline(always)]
    fn tricube(&self, dx: f64x4) -> f64x4 {
        let r = dx.abs();
        let u = r * f64x4::splat(self.inverse_h);
        let v = f64x4::ONE - u * u * u;
        r.simd_le(f64x4::splat(self.h1))
            .select(f64x4::ONE, v * v * v)
    }
}

/// A fitted robust LOESS, ready to be evaluated anywhere in the range of its x.
#[derive(Debug, Clone)]
pub struct Loess {
    /// Points sorted by x (ties in input order, as R's `order` keeps them).
    x: Vec<f64>,
    y: Vec<f64>,
    prior: Vec<f64>,
    /// Robustness weights of the last pass.
    robustness: Vec<f64>,
    groups: Groups,
    /// The last pass's fit at each group, with its variance.
    group_fits: Vec<Option<LocalFit>>,
    /// Start of each group in the sorted points.
    group_start: Vec<usize>,
    /// Points in each neighbourhood.
    neighbours: usize,
    range: f64,
    /// Fitted values at the sorted points from the last pass.
    fitted: Vec<f64>,
}

/// A local fit at one x.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LocalFit {
    pub estimate: f64,
    /// Σ lᵢ² / priorᵢ over the fit's linear weights lᵢ: the fit's variance over σ².
    pub variance_factor: f64,
    /// Σ lᵢ at the point itself (the fit's own leverage), for degrees of freedom.
    pub leverage_per_weight: f64,
    /// Points with a weight above zero.
    pub polls: usize,
}

impl Loess {
    /// Fits `y` on `x` with neighbourhoods of `span` of the points and `iterations` robustness
    /// passes; `prior` weights multiply the tricube and robustness weights (all 1 for R's
    /// `lowess`). The three slices have the same length.
    pub fn fit(x: &[f64], y: &[f64], prior: &[f64], span: f64, iterations: usize) -> Loess {
        let n = x.len();
        let mut order: Vec<usize> = (0..n).collect();
        order.sort_by(|&a, &b| x[a].total_cmp(&x[b]));
        let x: Vec<f64> = order.iter().map(|&i| x[i]).collect();
        let y: Vec<f64> = order.iter().map(|&i| y[i]).collect();
        let prior: Vec<f64> = order.iter().map(|&i| prior[i]).collect();
        let mut group_start = Vec::new();
        for i in 0..n {
            if i == 0 || x[i] != x[i - 1] {
                group_start.push(i);
            }
        }
        // As clowess: at least two, at most n points in a neighbourhood.
        let neighbours = ((span * n as f64 + 1e-7) as usize).clamp(2.min(n), n);
        let range = if n > 0 { x[n - 1] - x[0] } else { 0.0 };
        let mut loess = Loess {
            robustness: vec![1.0; n],
            fitted: y.clone(),
            x,
            y,
            prior,
            groups: Groups::default(),
            group_fits: Vec::new(),
            group_start,
            neighbours,
            range,
        };
        if n < 2 {
            return loess;
        }
        for pass in 0..=iterations {
            loess.sum_groups();
            loess.fit_points(pass == iterations);
            if pass == iterations {
                break;
            }
            let residuals: Vec<f64> = loess
                .y
                .iter()
                .zip(&loess.fitted)
                .map(|(y, f)| (y - f).abs())
                .collect();
            let scale = residuals.iter().sum::<f64>() / n as f64;
            let cmad = 6.0 * super::median(residuals.clone()).unwrap_or(0.0);
            // The fit is (nearly) exact: further passes cannot improve it.
            if cmad < 1e-7 * scale {
                break;
            }
            let (c9, c1) = (0.999 * cmad, 0.001 * cmad);
            for (weight, r) in loess.robustness.iter_mut().zip(residuals) {
                *weight = if r <= c1 {
                    1.0
                } else if r <= c9 {
                    let u = r / cmad;
                    (1.0 - u * u).powi(2)
                } else {
                    0.0
                };
            }
        }
        loess
    }

    fn sum_groups(&mut self) {
        let n = self.x.len();
        let count = self.group_start.len();
        let mut groups = Groups {
            x: Vec::with_capacity(count),
            weight: Vec::with_capacity(count),
            weighted_y: Vec::with_capacity(count),
            variance_weight: Vec::with_capacity(count),
            counted: Vec::with_capacity(count),
            first_y: Vec::with_capacity(count),
        };
        for (g, &start) in self.group_start.iter().enumerate() {
            let end = self.group_start.get(g + 1).copied().unwrap_or(n);
            let (mut weight, mut weighted_y, mut variance_weight, mut counted) =
                (0.0, 0.0, 0.0, 0.0);
            for i in start..end {
                let w = self.prior[i] * self.robustness[i];
                weight += w;
                weighted_y += w * self.y[i];
                variance_weight += w * self.robustness[i];
                counted += f64::from(u8::from(w > 0.0));
            }
            groups.x.push(self.x[start]);
            groups.weight.push(weight);
            groups.weighted_y.push(weighted_y);
            groups.variance_weight.push(variance_weight);
            groups.counted.push(counted);
            groups.first_y.push(self.y[start]);
        }
        self.groups = groups;
    }

    /// Fits at every distinct x; tied points share the fit. The last pass keeps each fit with
    /// its variance.
    fn fit_points(&mut self, last_pass: bool) {
        let n = self.x.len();
        let mut fits = Vec::with_capacity(if last_pass { self.groups.x.len() } else { 0 });
        for g in 0..self.groups.x.len() {
            let at = self.groups.x[g];
            let left = self.neighbourhood_start(at);
            let fit = if last_pass {
                self.local_fit::<true>(at, left)
            } else {
                self.local_fit::<false>(at, left)
            };
            let end = self.group_start.get(g + 1).copied().unwrap_or(n);
            let value = fit.map_or(self.groups.first_y[g], |f| f.estimate);
            self.fitted[self.group_start[g]..end].fill(value);
            if last_pass {
                fits.push(fit);
            }
        }
        if last_pass {
            self.group_fits = fits;
        }
    }

    /// The first point of the neighbourhood of `at`: the window of `neighbours` points moves
    /// right while that brings its far side closer, as clowess moves it.
    fn neighbourhood_start(&self, at: f64) -> usize {
        let last_start = self.x.len() - self.neighbours;
        // Moving right brings the far side closer exactly while this holds, and it holds for
        // a prefix of the starts: a binary search finds where clowess's window stops.
        let moves = |left: usize| at - self.x[left] > self.x[left + self.neighbours] - at;
        let (mut low, mut high) = (0, last_start);
        while low < high {
            let mid = (low + high) / 2;
            if moves(mid) {
                low = mid + 1;
            } else {
                high = mid;
            }
        }
        low
    }

    /// The local linear fit at `at` over the neighbourhood starting at point `left`, as
    /// clowess's `lowest`; `None` when every weight is zero. Without `WITH_VARIANCE` (the
    /// robustness passes, which need only the estimate) the variance and polls are left at 0.
    fn local_fit<const WITH_VARIANCE: bool>(&self, at: f64, left: usize) -> Option<LocalFit> {
        let right = left + self.neighbours - 1;
        let h = (at - self.x[left]).max(self.x[right] - at);
        let (h9, h1) = (0.999 * h, 0.001 * h);
        // Groups within h9 of `at`: only they get a weight above zero.
        let g = &self.groups;
        let first = g.x.partition_point(|&x| x < at - h9);
        let last = g.x.partition_point(|&x| x <= at + h9);
        let window = Window {
            x: &g.x[first..last],
            weight: &g.weight[first..last],
            weighted_y: &g.weighted_y[first..last],
            at,
            inverse_h: if h > 0.0 { 1.0 / h } else { 0.0 },
            h1,
        };
        let [sum_w, sum_wdx, sum_wdx2, sum_wy, sum_wydx] = window.fit_sums();
        let [q0, q1, q2, polls] = if WITH_VARIANCE {
            window.variance_sums(&g.variance_weight[first..last], &g.counted[first..last])
        } else {
            [0.0; 4]
        };
        if sum_w <= 0.0 {
            return None;
        }
        // Weighted centre of x (as an offset from `at`) and spread, as clowess computes them.
        let centre = sum_wdx / sum_w;
        let spread = (sum_wdx2 / sum_w - centre * centre).max(0.0);
        let slope = if h > 0.0 && spread.sqrt() > 0.001 * self.range {
            -centre / spread
        } else {
            0.0
        };
        let estimate = (sum_wy + slope * (sum_wydx - centre * sum_wy)) / sum_w;
        // Each point's linear weight is t (e + slope · dx) / Σw with e = 1 - slope · centre.
        let e = 1.0 - slope * centre;
        let variance_factor =
            (e * e * q0 + 2.0 * e * slope * q1 + slope * slope * q2) / (sum_w * sum_w);
        Some(LocalFit {
            estimate,
            variance_factor: variance_factor.max(0.0),
            leverage_per_weight: e / sum_w,
            polls: polls as usize,
        })
    }

    /// The fit at any `at`, with the neighbourhood rule of the fitted points.
    pub fn at(&self, at: f64) -> Option<LocalFit> {
        if self.x.len() < 2 {
            return self.y.first().map(|&y| LocalFit {
                estimate: y,
                variance_factor: 0.0,
                leverage_per_weight: 0.0,
                polls: 1,
            });
        }
        // At a point's x, the last pass's fit.
        let g = self.groups.x.partition_point(|&x| x < at);
        if self.groups.x.get(g) == Some(&at)
            && let Some(fit) = self.group_fits.get(g)
        {
            return *fit;
        }
        self.local_fit::<true>(at, self.neighbourhood_start(at))
    }

    /// The fitted values at the points, sorted by x (R's `lowess(x, y)$y`).
    pub fn fitted(&self) -> &[f64] {
        &self.fitted
    }

    pub fn sorted_x(&self) -> &[f64] {
        &self.x
    }

    /// The residual variance per unit of prior weight: robustness-weighted squared residuals
    /// of the last pass over the residual degrees of freedom (points counted by robustness
    /// weight, less the trace of the smoother).
    pub fn residual_variance(&self) -> f64 {
        let mut sum = 0.0;
        let mut points = 0.0;
        for i in 0..self.x.len() {
            let r = self.y[i] - self.fitted[i];
            sum += self.prior[i] * self.robustness[i] * r * r;
            points += self.robustness[i];
        }
        let trace: f64 = self
            .group_fits
            .iter()
            .zip(&self.groups.weight)
            .filter_map(|(fit, weight)| fit.map(|f| f.leverage_per_weight * weight))
            .sum();
        sum / (points - trace).max(1.0)
    }
}

/// R's `lowess(x, y, f = span, iter = iterations, delta = 0)`: the sorted x and the fit there.
pub fn lowess(x: &[f64], y: &[f64], span: f64, iterations: usize) -> (Vec<f64>, Vec<f64>) {
    let fit = Loess::fit(x, y, &vec![1.0; x.len()], span, iterations);
    (fit.sorted_x().to_vec(), fit.fitted().to_vec())
}

/// The LOESS trend of one answer, without a band. `polls` is the number of polls with a weight
/// above zero in each local fit.
///
/// The local fit's standard error is not a band for the truth: it leaves out the smoothing's
/// bias, which is what a span too wide for a series' turns costs (on simulated polls such a
/// band covered the truth on 8-36% of days), and it shrinks to nothing where one poll of many
/// differs. So LOESS draws a line only.
pub fn trend(series: &AnswerSeries, options: &TrendOptions, at: Evaluate) -> Vec<TrendPoint> {
    let Some(first) = series.polls.first() else {
        return Vec::new();
    };
    let origin = first.date;
    let x: Vec<f64> = series
        .polls
        .iter()
        .map(|p| day_number(p.date, origin) as f64)
        .collect();
    let y: Vec<f64> = series.polls.iter().map(|p| p.pct).collect();
    let prior = match (options.weights, effective_sample_sizes(series)) {
        (LoessWeights::SampleSize, Some(sizes)) => {
            // Scaled to a mean of 1, so the residual variance is that of a typical poll.
            let roots: Vec<f64> = sizes.iter().map(|n| n.sqrt()).collect();
            let mean = roots.iter().sum::<f64>() / roots.len() as f64;
            roots.iter().map(|r| r / mean).collect()
        }
        _ => vec![1.0; x.len()],
    };
    let fit = Loess::fit(&x, &y, &prior, options.span, options.iterations);
    evaluation_days(series, at)
        .into_iter()
        .filter_map(|day| {
            let local = fit.at(day_number(day, origin) as f64)?;
            Some(point_without_band(day, local.estimate, local.polls))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Twenty points with ties (x = 3, 7 and 12 repeat) and an outlier at x = 9.
    const X: [f64; 20] = [
        1.0, 2.0, 3.0, 3.0, 4.0, 5.5, 6.0, 7.0, 7.0, 7.0, 8.0, 9.0, 10.0, 11.0, 12.0, 12.0, 13.0,
        15.0, 16.5, 18.0,
    ];
    const Y: [f64; 20] = [
        2.1, 3.9, 6.2, 5.8, 8.1, 10.9, 12.2, 13.8, 14.5, 14.1, 16.3, 40.0, 19.8, 21.5, 22.9, 24.4,
        25.1, 27.8, 30.2, 29.1,
    ];

    fn assert_close(got: &[f64], expected: &[f64]) {
        assert_eq!(got.len(), expected.len());
        for (i, (g, e)) in got.iter().zip(expected).enumerate() {
            assert!((g - e).abs() < 1e-6, "point {i}: got {g}, expected {e}");
        }
    }

    // Reference values: R's `lowess(X, Y, f, iter, delta = 0)`, computed once with a literal
    // line-by-line transcription of R's C routine `clowess` (src/library/stats/src/lowess.c)
    // into Python (R itself was not at hand). As a check, statsmodels'
    // `lowess(Y, X, frac, it, delta=0)` gives the same values to 1e-12 for four of the six
    // cases; it differs for (0.3, 3) by 0.0025 and for (0.1, 1), where neighbourhoods hold
    // only two points and some get no weight, by 0.75 with a division warning of its own.
    // Those two cases exercise the corners of R's code (every weight zero: the point's own y),
    // so the values here follow the transcription of R, not statsmodels.
    include!("loess_reference.rs");

    #[test]
    fn the_lanes_give_the_sums_of_a_plain_loop() {
        // Days with gaps and repeats, weights of every size, fits near and far from the data
        // (tricube weights of 1, between, and 0 at the window's edge).
        let x: Vec<f64> = (0..203).map(|i| f64::from(i * 3 / 2)).collect();
        let weight: Vec<f64> = (0..203).map(|i| 1.0 + f64::from(i % 17) * 0.37).collect();
        let weighted_y: Vec<f64> = weight
            .iter()
            .enumerate()
            .map(|(i, w)| w * (40.0 + (i as f64 * 0.3).sin() * 9.0))
            .collect();
        for (at, h) in [(0.0, 150.0), (100.0, 60.5), (151.0, 300.0), (77.0, 9.0)] {
            // The groups a fit reaches, as `Loess::local_fit` chooses them.
            let first = x.partition_point(|&x| x < at - 0.999 * h);
            let last = x.partition_point(|&x| x <= at + 0.999 * h);
            let window = Window {
                x: &x[first..last],
                weight: &weight[first..last],
                weighted_y: &weighted_y[first..last],
                at,
                inverse_h: 1.0 / h,
                h1: 0.001 * h,
            };
            let (xs, _) = window.x.as_chunks::<LANES>();
            let (weights, _) = window.weight.as_chunks::<LANES>();
            let (weighted_ys, _) = window.weighted_y.as_chunks::<LANES>();
            let start = [[0.0; LANES]; 5];
            let lanes = window.fit_lanes(start, xs, weights, weighted_ys);
            let sums: Vec<f64> = lanes.iter().map(|l| l.iter().sum()).collect();
            // The same sums one group at a time, the tricube weight written out.
            let mut plain = [0.0; 5];
            let whole = xs.len() * LANES;
            for i in 0..whole {
                let dx = window.x[i] - at;
                let u = dx.abs() / h;
                let closeness = if dx.abs() <= 0.001 * h {
                    1.0
                } else {
                    (1.0 - u * u * u).powi(3)
                };
                let (t, ty) = (
                    closeness * window.weight[i],
                    closeness * window.weighted_y[i],
                );
                for (sum, term) in plain.iter_mut().zip([t, t * dx, t * dx * dx, ty, ty * dx]) {
                    *sum += term;
                }
            }
            assert!(plain[0] > 0.0, "the fit at {at} adds some weight");
            for (lanes, plain) in sums.iter().zip(plain) {
                assert!(
                    (lanes - plain).abs() <= 1e-9 * plain.abs().max(1.0),
                    "at {at}: {lanes} against {plain}"
                );
            }
        }
    }

    #[test]
    fn reproduces_r_lowess() {
        for (span, iterations, expected) in REFERENCE {
            let (x, fitted) = lowess(&X, &Y, *span, *iterations);
            assert_eq!(x, X.to_vec());
            assert_close(&fitted, expected);
        }
    }

    #[test]
    fn a_straight_line_is_fitted_exactly_at_any_point() {
        let x: Vec<f64> = (0..50).map(|i| (i / 2) as f64).collect();
        let y: Vec<f64> = x.iter().map(|x| 3.0 + 0.5 * x).collect();
        let fit = Loess::fit(&x, &y, &vec![1.0; 50], 0.3, 3);
        for at in [0.0, 3.5, 10.0, 24.0] {
            assert!((fit.at(at).unwrap().estimate - (3.0 + 0.5 * at)).abs() < 1e-9);
        }
    }

    #[test]
    fn input_order_does_not_matter() {
        let mut pairs: Vec<(f64, f64)> = X.iter().copied().zip(Y).collect();
        pairs.reverse();
        let x: Vec<f64> = pairs.iter().map(|p| p.0).collect();
        let y: Vec<f64> = pairs.iter().map(|p| p.1).collect();
        let (_, reversed) = lowess(&x, &y, 0.5, 2);
        let (_, forward) = lowess(&X, &Y, 0.5, 2);
        // Ties' own order differs, but ties share one fit.
        assert_close(&reversed, &forward);
    }
}
