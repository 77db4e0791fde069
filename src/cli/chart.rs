use super::Ctx;
use super::filters::SeriesFilterArgs;
use super::output::warn;
use super::output_file::{Output, Protected};
use super::trend::{MethodArgs, selection};
use polltrack::analysis::{self, Method, Selection, TrendOptions, Trends};
use polltrack::chart::definition::{DEFAULT_HEIGHT, DEFAULT_WIDTH, LoadedDefinition};
use polltrack::chart::{self, BandPoint, ChartInput, Fonts, Format, Mark, PollPoint, Series};
use polltrack::db::SeriesFilter;
use polltrack::db::prelude::*;
use polltrack::model::{Warning, format_date, normalize_population, parse_date};
use polltrack::{Error, Result};
use std::collections::HashSet;
use std::io::Write;
use std::path::{Path, PathBuf};

/// Where charts and their saved definitions live.
pub const CHARTS_DIR: &str = "charts";

/// Draw a question's polls and trend as a chart to publish, in PNG or SVG.
///
/// Each poll is a point (its area follows the sample size) in its answer's colour, with the
/// trend line and its shaded 95% band (for the methods that give one); the line and band stop
/// where the polls stop for a while. The legend gives each answer's latest estimate. The
/// format follows the output file's extension. Give a saved definition (charts/NAME.toml) to
/// draw it beside itself, or --all for every definition in charts/.
#[derive(clap::Args)]
#[command(after_help = "Examples:\n  \
    polltrack chart kr-gsomia\n  \
    polltrack chart approval --method kalman --since 2019-01-01 -o approval.svg\n  \
    polltrack chart kr-gsomia --mark 2016-11-23=\"GSOMIA signed\" --font NanumGothic.ttf\n  \
    polltrack chart charts/approval.toml\n  \
    polltrack chart --all")]
pub struct Args {
    /// The question's slug, or a saved chart definition (a .toml file)
    #[arg(required_unless_present = "all")]
    target: Option<String>,
    /// Draw every saved chart definition in charts/
    #[arg(long, conflicts_with = "target")]
    all: bool,
    /// Where to write: FILE.png or FILE.svg (default charts/SLUG.png)
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    output: Option<PathBuf>,
    #[command(flatten)]
    method: MethodArgs,
    #[command(flatten)]
    filter: SeriesFilterArgs,
    /// The answers to draw, in this order (default: all)
    #[arg(long, value_delimiter = ',', value_name = "A,B")]
    answers: Vec<String>,
    /// An event to mark with a labelled vertical line (repeat for several)
    #[arg(long = "mark", value_name = "DATE=LABEL")]
    marks: Vec<String>,
    /// The title (default: the question's wording)
    #[arg(long)]
    title: Option<String>,
    /// Width in pixels (320 to 10,000)
    #[arg(long, default_value_t = DEFAULT_WIDTH, value_parser = pixels(chart::MIN_SIZE.0))]
    width: u32,
    /// Height in pixels (200 to 10,000)
    #[arg(long, default_value_t = DEFAULT_HEIGHT, value_parser = pixels(chart::MIN_SIZE.1))]
    height: u32,
    /// A font file for text the bundled font lacks (Korean, say); by default an installed
    /// font with the glyphs is looked for
    #[arg(long, value_name = "PATH")]
    font: Option<PathBuf>,
}

/// A size in pixels from `min` to the largest chart drawn, refused when parsing beyond them.
fn pixels(min: u32) -> clap::builder::RangedI64ValueParser<u32> {
    clap::value_parser!(u32).range(i64::from(min)..=i64::from(chart::MAX_SIZE))
}

/// One chart to draw, asked for on the command line or in a saved definition.
pub struct ChartRequest {
    pub filter: SeriesFilter,
    pub options: TrendOptions,
    pub answers: Vec<String>,
    pub marks: Vec<Mark>,
    pub title: Option<String>,
    pub width: u32,
    pub height: u32,
    pub font: Option<PathBuf>,
    pub output: PathBuf,
    /// The saved definition it comes from, if any.
    pub definition: Option<PathBuf>,
}

/// The files no chart of `requests` may be written over: the database, and every font and
/// definition they read.
fn guarded(db: &Path, requests: &[ChartRequest]) -> Protected {
    let mut protected = Protected::database(db);
    for request in requests {
        if let Some(font) = &request.font {
            protected.add(font, "a font the chart is drawn with");
        }
        if let Some(definition) = &request.definition {
            protected.add(definition, "a chart definition");
        }
    }
    protected
}

pub async fn run(ctx: &mut Ctx, args: Args) -> Result<()> {
    let requests = if args.all {
        saved_definitions(Path::new(CHARTS_DIR))?
            .iter()
            .map(request_from_definition)
            .collect::<Result<Vec<_>>>()?
    } else {
        match args.target.as_deref() {
            Some(target) if target.ends_with(".toml") => {
                vec![request_from_definition(&LoadedDefinition::load(
                    Path::new(target),
                )?)?]
            }
            Some(slug) => vec![request_from_args(slug, &args)?],
            None => {
                return Err(Error::Usage(
                    "say which question to chart (its slug), or a charts/NAME.toml, or --all"
                        .into(),
                ));
            }
        }
    };
    // Every output is checked before any chart is drawn.
    let protected = guarded(&ctx.path, &requests);
    for request in &requests {
        protected.check(&request.output)?;
    }
    for request in &requests {
        let path = draw(ctx, request).await?;
        ctx.out.line(format!("Wrote {}", path.display()))?;
    }
    Ok(())
}

fn request_from_args(slug: &str, args: &Args) -> Result<ChartRequest> {
    let marks = args
        .marks
        .iter()
        .map(|mark| {
            let (date, label) = mark.split_once('=').ok_or_else(|| {
                Error::Usage(format!(
                    "--mark {mark}: write it as DATE=LABEL, e.g. 2016-11-23=\"GSOMIA signed\""
                ))
            })?;
            let date = parse_date(date).map_err(|e| Error::Usage(format!("--mark {mark}: {e}")))?;
            Ok(Mark {
                date,
                label: label.trim().to_string(),
            })
        })
        .collect::<Result<Vec<_>>>()?;
    let slug = slug.trim();
    let output = args
        .output
        .clone()
        .unwrap_or_else(|| Path::new(CHARTS_DIR).join(format!("{slug}.png")));
    Ok(ChartRequest {
        filter: args.filter.filter(slug)?,
        options: args.method.options()?,
        answers: args.answers.iter().map(|a| a.trim().to_string()).collect(),
        marks,
        title: args.title.clone(),
        width: args.width,
        height: args.height,
        font: args.font.clone(),
        output,
        definition: None,
    })
}

fn request_from_definition(loaded: &LoadedDefinition) -> Result<ChartRequest> {
    let d = &loaded.definition;
    let options = TrendOptions {
        method: d.method,
        ..TrendOptions::default()
    };
    Ok(ChartRequest {
        filter: SeriesFilter {
            question: d.question.trim().to_string(),
            pollsters: d.filters.pollsters.clone(),
            exclude_pollsters: Vec::new(),
            since: d.filters.since,
            until: d.filters.until,
            population: d.filters.population.as_deref().map(normalize_population),
        },
        options,
        answers: d.answers.clone(),
        marks: d
            .marks
            .iter()
            .map(|m| Mark {
                date: m.date,
                label: m.label.clone(),
            })
            .collect(),
        title: d.title.clone(),
        width: d.width,
        height: d.height,
        font: loaded.font_path(),
        output: loaded.output_path(),
        definition: Some(loaded.path.clone()),
    })
}

/// The chart definitions in `dir`, by name.
fn saved_definitions(dir: &Path) -> Result<Vec<LoadedDefinition>> {
    let entries = std::fs::read_dir(dir).map_err(|e| {
        Error::not_found(format!(
            "cannot read the chart definitions in {}/: {e}",
            dir.display()
        ))
    })?;
    let mut paths: Vec<PathBuf> = entries
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|path| path.extension().is_some_and(|ext| ext == "toml"))
        .collect();
    paths.sort();
    if paths.is_empty() {
        return Err(Error::not_found(format!(
            "{}/ holds no chart definitions (NAME.toml): see the README for their format",
            dir.display()
        )));
    }
    paths.iter().map(|p| LoadedDefinition::load(p)).collect()
}

/// Reads the polls, fits the trend and writes the chart; returns where it went.
pub async fn draw(ctx: &mut Ctx, request: &ChartRequest) -> Result<PathBuf> {
    // Checked before any work, so a wrong name costs nothing.
    let format = Format::from_path(&request.output)?;
    let selection = selection(ctx, &request.filter).await?;
    let wording = ctx
        .db()
        .await?
        .question_wording(&request.filter.question)
        .await?;
    let trends = analysis::daily_trends(&selection, &request.options);
    warn(
        &trends
            .notes
            .iter()
            .cloned()
            .map(Warning)
            .collect::<Vec<_>>(),
    );
    let input = chart_input(&selection, &trends, request, wording)?;
    let fonts = Fonts::for_text(&chart::all_text(&input), request.font.as_deref())?;
    let rendered = chart::render(&input, &fonts, format)?;
    warn(
        &rendered
            .warnings
            .into_iter()
            .map(Warning)
            .collect::<Vec<_>>(),
    );
    if let Some(dir) = request
        .output
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
    {
        std::fs::create_dir_all(dir)
            .map_err(|e| Error::Failed(format!("cannot create {}: {e}", dir.display())))?;
    }
    let mut output = Output::create(
        &request.output,
        &guarded(&ctx.path, std::slice::from_ref(request)),
    )?;
    output.write_all(&rendered.bytes)?;
    output.commit()?;
    Ok(request.output.clone())
}

/// What the chart shows: the chosen answers' polls and trends, and the words around them.
fn chart_input(
    selection: &Selection,
    trends: &Trends,
    request: &ChartRequest,
    wording: String,
) -> Result<ChartInput> {
    let chosen: Vec<&analysis::AnswerSeries> = if request.answers.is_empty() {
        selection.answers.iter().collect()
    } else {
        request
            .answers
            .iter()
            .map(|wanted| {
                selection
                    .answers
                    .iter()
                    .find(|s| s.answer.eq_ignore_ascii_case(wanted))
                    .ok_or_else(|| {
                        let known: Vec<&str> = selection
                            .answers
                            .iter()
                            .map(|s| s.answer.as_str())
                            .collect();
                        Error::not_found(format!(
                            "question {} has no answer \"{wanted}\"; its answers are {}",
                            request.filter.question,
                            known.join(", ")
                        ))
                    })
            })
            .collect::<Result<_>>()?
    };
    let mut polls = HashSet::new();
    let mut pollsters = HashSet::new();
    let mut series = Vec::new();
    for answer in chosen {
        let trend: Vec<BandPoint> = trends
            .answers
            .iter()
            .find(|t| t.answer == answer.answer)
            .map(|t| {
                t.points
                    .iter()
                    .map(|p| BandPoint {
                        date: p.date,
                        estimate: p.estimate,
                        low: p.low,
                        high: p.high,
                    })
                    .collect()
            })
            .unwrap_or_default();
        for poll in &answer.polls {
            polls.insert(poll.poll_id);
            pollsters.insert(poll.pollster);
        }
        let latest = trend
            .last()
            .map(|p| p.estimate)
            .or_else(|| answer.polls.last().map(|p| p.pct));
        series.push(Series {
            label: answer.answer.clone(),
            polls: answer
                .polls
                .iter()
                .map(|p| PollPoint {
                    date: p.date,
                    pct: p.pct,
                    sample_size: p.sample_size,
                })
                .collect(),
            trend,
            latest,
        });
    }
    let banded = series.iter().any(Series::draws_band);
    let dates = series.iter().flat_map(|s| s.polls.iter().map(|p| p.date));
    let (first, last) = (dates.clone().min(), dates.max());
    let span = match (first, last) {
        (Some(first), Some(last)) if first != last => {
            format!("{} to {}", format_date(first), format_date(last))
        }
        (Some(day), _) => format_date(day),
        _ => String::new(),
    };
    let count = |n: usize, one: &str, many: &str| {
        format!("{} {}", thousands(n), if n == 1 { one } else { many })
    };
    Ok(ChartInput {
        title: request.title.clone().unwrap_or(wording),
        subtitle: subtitle(&request.options, &request.filter, polls.len(), banded),
        footer: format!(
            "{} · {} · {span} · polltrack",
            count(polls.len(), "poll", "polls"),
            count(pollsters.len(), "pollster", "pollsters")
        ),
        series,
        marks: request.marks.clone(),
        width: request.width,
        height: request.height,
    })
}

/// The method and the population, in words. `banded` says whether the chart draws a band for
/// any answer: some methods give none, and the words must not promise one the reader cannot see.
fn subtitle(options: &TrendOptions, filter: &SeriesFilter, polls: usize, banded: bool) -> String {
    let band = if banded {
        "with its 95% band"
    } else {
        "without an uncertainty band"
    };
    let method = if polls < 2 {
        "A single poll: no trend yet".to_string()
    } else {
        match options.method {
            Method::Loess => format!("LOESS trend (span {:.2}) {band}", options.span),
            Method::Latest => format!(
                "Average of each pollster's latest poll within {} days, {band}",
                options.window
            ),
            Method::Kalman => format!("Kalman-smoothed trend adjusted for house effects, {band}"),
        }
    };
    let population = match filter.population.as_deref() {
        Some("lv") => " · likely voters",
        Some("rv") => " · registered voters",
        Some("a") => " · adults",
        Some("v") => " · voters",
        Some(other) => return format!("{method} · {other}"),
        None => "",
    };
    format!("{method}{population}")
}

/// 12345 as `12,345`.
fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_subtitle_promises_a_band_only_when_one_is_drawn() {
        let loess = TrendOptions {
            method: Method::Loess,
            span: 0.67,
            ..TrendOptions::default()
        };
        let adults = SeriesFilter {
            population: Some("a".into()),
            ..SeriesFilter::default()
        };
        assert_eq!(
            subtitle(&loess, &adults, 40, true),
            "LOESS trend (span 0.67) with its 95% band · adults"
        );
        assert_eq!(
            subtitle(&loess, &adults, 40, false),
            "LOESS trend (span 0.67) without an uncertainty band · adults"
        );
        let latest = TrendOptions {
            method: Method::Latest,
            window: 30,
            ..TrendOptions::default()
        };
        let text = subtitle(&latest, &SeriesFilter::default(), 40, false);
        assert_eq!(
            text,
            "Average of each pollster's latest poll within 30 days, without an uncertainty band"
        );
        assert!(!subtitle(&latest, &SeriesFilter::default(), 1, true).contains("band"));
    }
}
