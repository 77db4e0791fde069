//! Pixel work plotters does slowly or not at all: many anti-aliased translucent circles,
//! scaling a supersampled image down, and encoding PNG bytes in memory.

use image::ImageEncoder;

use crate::chart::style::Rgb;
use crate::error::{Error, Result};

/// What each pixel of an image absorbs of one colour, as `-ln(1 - alpha)`: the sum over
/// everything drawn in that colour, blended once (one colour gives the same picture in any
/// order). Worked out apart from the pixels, so several colours can be on several threads.
pub(crate) struct Absorption {
    absorbed_by: Vec<f32>,
}

impl Absorption {
    /// Filled circles `(x, y, radius)` of one `opacity` on an image of `width` x `height`,
    /// their edges anti-aliased by how much of each edge pixel they cover. A chart's points
    /// come in few sizes, so each size (in eighths of a pixel, its centre in quarters) is
    /// worked out once as a stamp of what each pixel absorbs: a chart may have 300,000 points.
    pub fn of_circles(
        circles: &[(f64, f64, f64)],
        opacity: f64,
        width: u32,
        height: u32,
    ) -> Absorption {
        let (width, height) = (width as usize, height as usize);
        let mut absorbed_by = vec![0f32; width * height];
        // Never quite opaque, so the logarithm stays finite.
        let opacity = opacity.clamp(0.0, 0.999);
        if opacity == 0.0 || width == 0 || height == 0 {
            return Absorption { absorbed_by };
        }
        // Stamps by size and centre offset: a flat table, as the keys are small numbers.
        let mut stamps: Vec<Option<Stamp>> = Vec::new();
        for &(cx, cy, radius) in circles {
            let (column, row) = (cx.floor(), cy.floor());
            let key = StampKey {
                eighths: (radius * 8.0).round().clamp(0.0, MAX_EIGHTHS) as usize,
                quarter_x: ((cx - column) * 4.0) as usize & 3,
                quarter_y: ((cy - row) * 4.0) as usize & 3,
            };
            let index = key.eighths * 16 + key.quarter_x * 4 + key.quarter_y;
            if index >= stamps.len() {
                stamps.resize_with(index + 1, || None);
            }
            stamps[index]
                .get_or_insert_with(|| Stamp::new(key, opacity))
                .add_to(&mut absorbed_by, width, (column as i64, row as i64));
        }
        Absorption { absorbed_by }
    }

    /// Leaves out everything outside `columns` and `rows` (`width` pixels a row): what lies
    /// beyond the plot is not drawn.
    pub fn keep_only(
        &mut self,
        width: usize,
        columns: std::ops::Range<usize>,
        rows: std::ops::Range<usize>,
    ) {
        for (row, values) in self.absorbed_by.chunks_exact_mut(width.max(1)).enumerate() {
            if rows.contains(&row) {
                let inside = columns.start.min(width)..columns.end.min(width);
                values[..inside.start].fill(0.0);
                values[inside.end.max(inside.start)..].fill(0.0);
            } else {
                values.fill(0.0);
            }
        }
    }

    /// Blends `rgb` over `pixels` (RGB, 3 bytes a pixel, row by row, the size worked out for)
    /// as much as each pixel absorbs.
    pub fn blend(&self, pixels: &mut [u8], rgb: Rgb) {
        let colour = [f64::from(rgb.0), f64::from(rgb.1), f64::from(rgb.2)];
        for (pixel, &absorbed) in pixels.chunks_exact_mut(3).zip(&self.absorbed_by) {
            if absorbed <= 0.0 {
                continue;
            }
            let through = (-f64::from(absorbed)).exp();
            for (channel, value) in pixel.iter_mut().zip(colour) {
                *channel = (f64::from(*channel) * through + value * (1.0 - through)).round() as u8;
            }
        }
    }
}

/// A circle's radius in eighths of a pixel and its centre's offset in quarters.
#[derive(Clone, Copy)]
struct StampKey {
    eighths: usize,
    quarter_x: usize,
    quarter_y: usize,
}

/// The largest radius stamped, in eighths of a pixel (far beyond any point's).
const MAX_EIGHTHS: f64 = 8.0 * 256.0;

/// What each pixel near a circle absorbs, row by row.
struct Stamp {
    /// Each row's offset from the circle's pixel, its first column's offset, and where its
    /// values start in `absorbs`.
    rows: Vec<(i64, i64, std::ops::Range<usize>)>,
    absorbs: Vec<f32>,
}

impl Stamp {
    /// The circle of radius `eighths / 8` centred `(quarter_x / 4 + 1/8, quarter_y / 4 + 1/8)`
    /// into pixel (0, 0), each pixel covered by how much of it lies within half a pixel of the
    /// edge, as `-ln(1 - coverage * opacity)`.
    fn new(key: StampKey, opacity: f64) -> Stamp {
        let radius = key.eighths as f64 / 8.0;
        let (cx, cy) = (
            key.quarter_x as f64 / 4.0 + 0.125,
            key.quarter_y as f64 / 4.0 + 0.125,
        );
        let reach = radius + 0.5;
        let span = reach.ceil() as i64 + 1;
        let mut stamp = Stamp {
            rows: Vec::new(),
            absorbs: Vec::new(),
        };
        for dy in -span..=span {
            let mut first = None;
            let start = stamp.absorbs.len();
            for dx in -span..=span {
                let (px, py) = (dx as f64 + 0.5 - cx, dy as f64 + 0.5 - cy);
                let coverage = (reach - (px * px + py * py).sqrt()).clamp(0.0, 1.0);
                // A circle's row is one run: inside it, pixels may still cover nothing only
                // at its ends, which add nothing.
                if coverage > 0.0 || first.is_some() {
                    first.get_or_insert(dx);
                    stamp.absorbs.push(-(1.0 - coverage * opacity).ln() as f32);
                }
            }
            if let Some(first) = first {
                stamp.rows.push((dy, first, start..stamp.absorbs.len()));
            }
        }
        stamp
    }

    /// Adds what the stamp absorbs to `absorbed_by` (`width` a row) for a circle in pixel
    /// `(column, row)`, leaving out what falls off the canvas.
    fn add_to(&self, absorbed_by: &mut [f32], width: usize, (column, row): (i64, i64)) {
        let height = (absorbed_by.len() / width.max(1)) as i64;
        for (dy, dx, range) in &self.rows {
            let y = row + dy;
            if y < 0 || y >= height {
                continue;
            }
            let mut values = &self.absorbs[range.clone()];
            let mut x = column + dx;
            if x < 0 {
                values = values.get((-x) as usize..).unwrap_or_default();
                x = 0;
            }
            let x = x as usize;
            if x >= width {
                continue;
            }
            let values = &values[..values.len().min(width - x)];
            let at = y as usize * width + x;
            for (sum, value) in absorbed_by[at..at + values.len()].iter_mut().zip(values) {
                *sum += value;
            }
        }
    }
}

/// Scales an RGB image down by `ratio` in each direction, averaging each block of pixels.
pub(crate) fn downsample(pixels: &[u8], width: u32, height: u32, ratio: u32) -> Vec<u8> {
    let (width, height, ratio) = (width as usize, height as usize, ratio as usize);
    let (small_width, small_height) = (width / ratio, height / ratio);
    if small_width == 0 || small_height == 0 {
        return Vec::new();
    }
    let block = (ratio * ratio) as u32;
    let mut small = Vec::with_capacity(small_width * small_height * 3);
    // One row of blocks at a time: each source row is added into the row of sums in order.
    let mut sums = vec![0u32; small_width * 3];
    for rows in pixels.chunks_exact(width * 3 * ratio).take(small_height) {
        sums.fill(0);
        for row in rows.chunks_exact(width * 3) {
            for (sum, pixels) in sums.chunks_exact_mut(3).zip(row.chunks_exact(3 * ratio)) {
                for pixel in pixels.chunks_exact(3) {
                    sum[0] += u32::from(pixel[0]);
                    sum[1] += u32::from(pixel[1]);
                    sum[2] += u32::from(pixel[2]);
                }
            }
        }
        small.extend(sums.iter().map(|&sum| ((sum + block / 2) / block) as u8));
    }
    small
}

/// Scales an RGB image up by `ratio` in each direction into `large`, repeating each pixel.
pub(crate) fn upsample(pixels: &[u8], width: u32, height: u32, ratio: u32, large: &mut [u8]) {
    let (width, height, ratio) = (width as usize, height as usize, ratio as usize);
    let large_row = width * ratio * 3;
    for y in 0..height {
        let first_row = y * ratio * large_row;
        for x in 0..width {
            let pixel = &pixels[(y * width + x) * 3..(y * width + x) * 3 + 3];
            for dx in 0..ratio {
                let at = first_row + (x * ratio + dx) * 3;
                large[at..at + 3].copy_from_slice(pixel);
            }
        }
        for dy in 1..ratio {
            large.copy_within(first_row..first_row + large_row, first_row + dy * large_row);
        }
    }
}

/// PNG file bytes of an RGB image.
pub(crate) fn encode_png(pixels: &[u8], width: u32, height: u32) -> Result<Vec<u8>> {
    let mut bytes = Vec::new();
    image::codecs::png::PngEncoder::new(&mut bytes)
        .write_image(pixels, width, height, image::ColorType::Rgb8)
        .map_err(|e| Error::Failed(format!("could not encode the chart as PNG: {e}")))?;
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Blends a filled circle of `opacity` over the pixels, its edge anti-aliased.
    #[allow(clippy::too_many_arguments)]
    fn fill_circle(
        pixels: &mut [u8],
        (width, height): (u32, u32),
        cx: f64,
        cy: f64,
        radius: f64,
        rgb: Rgb,
        opacity: f64,
    ) {
        Absorption::of_circles(&[(cx, cy, radius)], opacity, width, height).blend(pixels, rgb);
    }

    #[test]
    fn a_circle_blends_inside_and_leaves_the_outside_alone() {
        let mut pixels = vec![255u8; 20 * 20 * 3];
        fill_circle(&mut pixels, (20, 20), 10.0, 10.0, 4.2, Rgb(0, 0, 0), 0.5);
        let at = |x: usize, y: usize| pixels[(y * 20 + x) * 3];
        assert!(
            (127..=128).contains(&at(10, 10)),
            "half of white: {}",
            at(10, 10)
        );
        assert_eq!(at(0, 0), 255);
        assert_eq!(at(10, 16), 255);
        assert!(
            at(10, 14) > at(10, 10) && at(10, 14) < 255,
            "the edge is partly covered"
        );
    }

    #[test]
    fn circles_off_the_canvas_are_clipped() {
        let mut pixels = vec![255u8; 10 * 10 * 3];
        fill_circle(&mut pixels, (10, 10), -3.0, 5.0, 4.0, Rgb(0, 0, 0), 1.0);
        fill_circle(&mut pixels, (10, 10), 50.0, 50.0, 4.0, Rgb(0, 0, 0), 1.0);
        fill_circle(&mut pixels, (10, 10), 9.5, 9.5, 2.0, Rgb(0, 0, 0), 1.0);
        assert_eq!(pixels[(9 * 10 + 9) * 3], 0);
    }

    #[test]
    fn keeping_a_rectangle_leaves_nothing_outside_it() {
        let mut pixels = vec![255u8; 10 * 10 * 3];
        let mut absorption = Absorption::of_circles(&[(5.0, 5.0, 8.0)], 1.0, 10, 10);
        absorption.keep_only(10, 2..7, 3..9);
        absorption.blend(&mut pixels, Rgb(0, 0, 0));
        for y in 0..10 {
            for x in 0..10 {
                let inside = (2..7).contains(&x) && (3..9).contains(&y);
                assert_eq!(pixels[(y * 10 + x) * 3] == 0, inside, "({x}, {y})");
            }
        }
    }

    #[test]
    fn scaling_up_then_down_gives_the_image_back() {
        let pixels: Vec<u8> = (0..2 * 3 * 3).map(|i| (i * 13) as u8).collect();
        let mut large = vec![0u8; 4 * 6 * 3];
        upsample(&pixels, 3, 2, 2, &mut large);
        assert_eq!(
            &large[0..6],
            &[
                pixels[0], pixels[1], pixels[2], pixels[0], pixels[1], pixels[2]
            ]
        );
        assert_eq!(downsample(&large, 6, 4, 2), pixels);
    }

    #[test]
    fn downsampling_averages_blocks() {
        let pixels = [0, 0, 0, 255, 255, 255, 255, 255, 255, 255, 255, 255];
        assert_eq!(downsample(&pixels, 2, 2, 2), vec![191, 191, 191]);
        assert!(downsample(&[], 0, 0, 2).is_empty());
    }
}
