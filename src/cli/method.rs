//! The options of the trend methods, as flags shared by `trend`, `chart` and the commands
//! built on them.

use clap::ValueEnum;
use clap::builder::RangedU64ValueParser;
use polltrack::analysis::{LoessWeights, Method, TrendOptions, limits};
use polltrack::{Error, Result};
use std::ops::RangeInclusive;

/// The options of the trend methods, shared with the commands built on them. Each number has
/// a valid range (see `analysis::limits`), refused when parsing as a usage error naming the
/// flag and the range.
#[derive(clap::Args)]
pub struct MethodArgs {
    /// The trend method: kalman (a smoother with house effects and a 95% band), loess (local
    /// regression) or latest (the average of each pollster's latest poll)
    #[arg(long, value_enum, default_value = "kalman")]
    method: MethodName,
    /// latest: days a poll stays in the average (1 to 3650; default 30)
    #[arg(long, value_name = "DAYS",
          value_parser = clap::value_parser!(u32)
              .range(i64::from(*limits::WINDOW.start())..=i64::from(*limits::WINDOW.end())))]
    window: Option<u32>,
    /// loess: the fraction of polls in each local fit (above 0, at most 1; default 2/3)
    #[arg(long, value_name = "F", value_parser = span)]
    span: Option<f64>,
    /// loess: robustness passes (0 to 10; default 3)
    #[arg(long, value_name = "N",
          value_parser = RangedU64ValueParser::<usize>::new()
              .range(*limits::ITERATIONS.start() as u64..=*limits::ITERATIONS.end() as u64))]
    iterations: Option<usize>,
    /// loess: weigh polls by the square root of their sample size (capped at 3,000), or not
    /// at all (as R's lowess) (default sample-size)
    #[arg(long, value_enum)]
    weights: Option<WeightsName>,
    /// kalman: the random walk's daily standard deviation in points, 0.001 to 10 (estimated by
    /// maximum likelihood when not given)
    #[arg(long, value_name = "POINTS", value_parser = step)]
    step: Option<f64>,
    /// kalman: the standard deviation of a poll's error beyond sampling error, in points, 0 to
    /// 20 (estimated by maximum likelihood when not given; 0 assumes sampling error alone)
    #[arg(long, value_name = "POINTS", value_parser = poll_noise)]
    poll_noise: Option<f64>,
}

/// A number within `range` (above its start when `open`), or what is wrong with it.
fn number_in(text: &str, range: RangeInclusive<f64>, open: bool) -> Result<f64, String> {
    let (low, high) = (*range.start(), *range.end());
    let within = |x: f64| x <= high && if open { x > low } else { x >= low };
    match text.trim().parse::<f64>() {
        Ok(x) if within(x) => Ok(x),
        _ if open => Err(format!("give a number above {low} and at most {high}")),
        _ => Err(format!("give a number from {low} to {high}")),
    }
}

fn span(text: &str) -> Result<f64, String> {
    number_in(text, 0.0..=limits::SPAN_MAX, true)
}

/// `--step` of trend, chart and house-effects.
pub fn step(text: &str) -> Result<f64, String> {
    number_in(text, limits::STEP, false)
}

fn poll_noise(text: &str) -> Result<f64, String> {
    number_in(text, limits::POLL_NOISE, false)
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum MethodName {
    /// Local linear regression with robustness passes (R's lowess)
    Loess,
    /// The mean of each pollster's latest poll within --window days
    Latest,
    /// A Kalman smoother with pollster house effects
    Kalman,
}

impl MethodName {
    /// The name `--method` takes for it.
    fn name(self) -> String {
        self.to_possible_value()
            .map(|value| value.get_name().to_string())
            .unwrap_or_default()
    }
}

#[derive(Clone, Copy, ValueEnum)]
enum WeightsName {
    SampleSize,
    None,
}

impl MethodArgs {
    /// The options given, each method's defaults for the rest. An option of another method
    /// than the one chosen is a usage error: it would change nothing, and the user meant it to.
    pub fn options(&self) -> Result<TrendOptions> {
        let given = [
            ("--window", MethodName::Latest, self.window.is_some()),
            ("--span", MethodName::Loess, self.span.is_some()),
            ("--iterations", MethodName::Loess, self.iterations.is_some()),
            ("--weights", MethodName::Loess, self.weights.is_some()),
            ("--step", MethodName::Kalman, self.step.is_some()),
            (
                "--poll-noise",
                MethodName::Kalman,
                self.poll_noise.is_some(),
            ),
        ];
        if let Some((flag, owner, _)) = given
            .iter()
            .find(|(_, owner, given)| *given && *owner != self.method)
        {
            return Err(Error::usage(format!(
                "{flag} is an option of --method {}, and this trend's method is {}: give --method {0}, or leave {flag} out",
                owner.name(),
                self.method.name()
            )));
        }
        let method = match self.method {
            MethodName::Loess => Method::Loess,
            MethodName::Latest => Method::Latest,
            MethodName::Kalman => Method::Kalman,
        };
        let defaults = TrendOptions::default();
        let options = TrendOptions {
            method,
            window: self.window.unwrap_or(defaults.window),
            span: self.span.unwrap_or(defaults.span),
            iterations: self.iterations.unwrap_or(defaults.iterations),
            weights: match self.weights {
                Some(WeightsName::SampleSize) => LoessWeights::SampleSize,
                Some(WeightsName::None) => LoessWeights::None,
                None => defaults.weights,
            },
            step: self.step,
            poll_noise: self.poll_noise,
        };
        options.check()?;
        Ok(options)
    }
}
