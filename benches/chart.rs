//! Charts at scale. First the drawing alone: 100,000 poll points (3 answers) with daily trends
//! over 10 years, drawn to PNG and to SVG. Then whole `polltrack chart` processes (reading the
//! database, choosing the polls, fitting the trend, drawing, writing) on a database of 100,000
//! simulated polls of 3 answers: 300,000 points. Prints times and sizes; asserts nothing about
//! time. Run with `cargo bench --bench chart`.

mod common;

use common::{median, process_times, secs, simulated_database};
use std::time::{Duration, Instant};

use polltrack::chart::{self, Fonts, example};

/// Runs of each measurement; the fastest is reported, as the others mostly add noise from
/// other work on the machine.
const RUNS: usize = 5;

fn fastest<T>(mut work: impl FnMut() -> T) -> (Duration, T) {
    let mut best: Option<(Duration, T)> = None;
    for _ in 0..RUNS {
        let started = Instant::now();
        let output = work();
        let elapsed = started.elapsed();
        if best.as_ref().is_none_or(|(time, _)| elapsed < *time) {
            best = Some((elapsed, output));
        }
    }
    best.expect("RUNS is not zero")
}

fn main() {
    let start = "2014-01-01".parse().expect("a valid date");
    let polls_per_answer = 33_334;
    let input = example::three_answers(start, 3652, polls_per_answer);
    let points: usize = input.series.iter().map(|series| series.polls.len()).sum();
    let trend_days: usize = input.series.iter().map(|series| series.trend.len()).sum();
    println!(
        "chart of {points} poll points and {trend_days} trend days (3 answers, 10 years), {}x{} pixels, fastest of {RUNS}",
        input.width, input.height
    );

    let (fonts_time, fonts) =
        fastest(|| Fonts::for_text(&chart::all_text(&input), None).expect("fonts"));
    println!(
        "fonts           {:>8.1} ms",
        fonts_time.as_secs_f64() * 1000.0
    );

    let (png_time, png) = fastest(|| chart::render_png(&input, &fonts).expect("PNG"));
    println!(
        "PNG             {:>8.1} ms  {:>6} KB   (goal: well under 0.8 s for the whole command)",
        png_time.as_secs_f64() * 1000.0,
        png.len() / 1024
    );

    let (svg_time, svg) = fastest(|| chart::render_svg(&input, &fonts).expect("SVG"));
    println!(
        "SVG             {:>8.1} ms  {:>6} KB   (goal: well under 1.5 s for the whole command)",
        svg_time.as_secs_f64() * 1000.0,
        svg.len() / 1024
    );

    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("chart-100000.db");
    let fill = simulated_database(&runtime, &db, 100_000);
    println!(
        "\nwhole `polltrack chart` processes, 100,000 polls (300,000 points; filled in {}), median and fastest of {RUNS}",
        secs(fill)
    );
    for (format, goal) in [("png", "0.8 s"), ("svg", "1.5 s")] {
        let output = dir.path().join(format!("chart.{format}"));
        let output = output.to_str().expect("a UTF-8 temporary path");
        for method in ["loess", "kalman", "latest"] {
            let times = process_times(
                &db,
                &["chart", "sim-1", "--method", method, "-o", output],
                RUNS,
            );
            let fastest = times.iter().min().copied().unwrap_or_default();
            println!(
                "{} {method:<6}      {}  (fastest {})  goal < {goal}",
                format.to_uppercase(),
                secs(median(times)),
                secs(fastest)
            );
        }
    }
}
