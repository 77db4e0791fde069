//! Saved charts: `charts/NAME.toml` holds what to chart and how (a [`super::ChartRequest`]
//! with where to write it), so a chart can be redrawn
//! with one command when new polls come in.
//!
//! ```toml
//! question = "kr-gsomia"            # the question's slug (required)
//! title = "Most South Koreans oppose GSOMIA"   # default: the question's wording
//! subtitle = "Gallup Korea's weekly poll"      # default: the method and the population
//! note = "Don't know and refused are left out." # a note over the footer (default: none)
//! credit = "Chart: The Herald · Source: Gallup Korea"  # default: "Source: " and the pollsters
//! y_range = [20, 80]                # the percentages shown (default: from the polls)
//! method = "loess"                  # loess | latest | kalman (default kalman)
//! span = 0.5                        # loess: span, iterations, weights; latest: window;
//!                                   # kalman: step, poll_noise (default: the method's)
//! answers = ["Oppose", "Support"]   # which answers, in this order (default: all)
//! width = 1200                      # pixels (default 1200 x 675)
//! height = 675
//! font = "fonts/NanumGothic.ttf"    # a fallback font, relative to this file
//! output = "kr-gsomia.svg"          # inside this file's folder (default NAME.png beside it)
//!
//! [filters]
//! since = 2016-01-01                # a TOML date or a "YYYY-MM-DD" string
//! until = 2020-12-31
//! population = "a"
//! pollsters = ["Gallup Korea", "Realmeter"]
//! exclude = ["Hankook Research"]    # pollsters left out
//!
//! [[marks]]
//! date = 2016-11-23
//! label = "GSOMIA signed"
//!
//! [colors]                          # answers' colours in this chart, over those kept
//! Oppose = "#D55E00"
//! ```

use std::path::{Component, Path, PathBuf};

use chrono::NaiveDate;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::analysis::{LoessWeights, Method, TrendOptions};
use crate::chart::Mark;
use crate::error::{Error, Result};
use crate::model::{Rgb, normalize_population};

/// The default width of a saved chart, in pixels.
pub const DEFAULT_WIDTH: u32 = 1200;
/// The default height of a saved chart, in pixels.
pub const DEFAULT_HEIGHT: u32 = 675;

/// One saved chart, as written in its TOML file. Paths are as written; [`LoadedDefinition`]
/// resolves them. `chart --save` writes one through [`ChartDefinition::to_toml`], so the
/// reader and the writer are this one type.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ChartDefinition {
    /// The question's slug.
    pub question: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    /// The title; the question's wording when not given.
    pub title: Option<String>,
    /// The line under the title; the method and population when not given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subtitle: Option<String>,
    /// A note over the footer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// The footer's credit; "Source: " and the pollsters charted when not given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub credit: Option<String>,
    /// The percentages shown, lower first; chosen from the polls when not given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub y_range: Option<(f64, f64)>,
    #[serde(default)]
    /// How the trend is fitted (default kalman).
    pub method: Method,
    /// `latest`: days a poll stays in the average (default 30).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub window: Option<u32>,
    /// `loess`: the fraction of polls in each local fit (default 2/3).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub span: Option<f64>,
    /// `loess`: robustness passes (default 3).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub iterations: Option<usize>,
    /// `loess`: how polls are weighed (default sample-size).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub weights: Option<Weights>,
    /// `kalman`: the random walk's daily step in points (estimated when not given).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub step: Option<f64>,
    /// `kalman`: a poll's error beyond sampling error, in points (estimated when not given).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub poll_noise: Option<f64>,
    /// Answers to chart, in display order; empty means all.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub answers: Vec<String>,
    #[serde(default = "default_width")]
    /// Pixels (default 1200).
    pub width: u32,
    #[serde(default = "default_height")]
    /// Pixels (default 675).
    pub height: u32,
    /// A fallback font file for scripts the bundled font lacks.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub font: Option<PathBuf>,
    /// Where the chart is written, inside the definition's folder; its extension chooses PNG
    /// or SVG.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub output: Option<PathBuf>,
    #[serde(default, skip_serializing_if = "Filters::is_empty")]
    /// Which polls count.
    pub filters: Filters,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    /// Events drawn as labelled vertical lines.
    pub marks: Vec<MarkDefinition>,
    /// Answers' colours in this chart, over those kept with the question.
    #[serde(
        default,
        deserialize_with = "colours",
        serialize_with = "write_colours",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub colors: Vec<(String, Rgb)>,
}

/// LOESS's weighting of polls, as a definition names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Weights {
    /// By the square root of the (capped) sample size.
    SampleSize,
    /// Every poll counts the same.
    None,
}

/// Which polls a saved chart takes.
#[derive(Debug, Clone, PartialEq, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Filters {
    #[serde(
        default,
        deserialize_with = "optional_date",
        skip_serializing_if = "Option::is_none"
    )]
    /// Only polls dated on or after this day.
    pub since: Option<NaiveDate>,
    #[serde(
        default,
        deserialize_with = "optional_date",
        skip_serializing_if = "Option::is_none"
    )]
    /// Only polls dated on or before this day.
    pub until: Option<NaiveDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    /// Only this population (a, rv, lv, v or a named one).
    pub population: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    /// Only these pollsters, by name or alias.
    pub pollsters: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    /// Leave out these pollsters, by name or alias.
    pub exclude: Vec<String>,
}

impl Filters {
    fn is_empty(&self) -> bool {
        *self == Filters::default()
    }
}

/// An event to mark on the chart.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct MarkDefinition {
    #[serde(deserialize_with = "date")]
    /// The day of the event.
    pub date: NaiveDate,
    /// What happened.
    pub label: String,
}

/// The colours table as `Answer = "#RRGGBB"`. A chart takes the last colour given for an
/// answer (its case ignored), so only that one is written.
fn write_colours<S: Serializer>(
    colours: &[(String, Rgb)],
    serializer: S,
) -> std::result::Result<S::Ok, S::Error> {
    let mut kept: Vec<(&str, String)> = Vec::new();
    for (answer, colour) in colours {
        kept.retain(|(earlier, _)| !earlier.trim().eq_ignore_ascii_case(answer.trim()));
        kept.push((answer.as_str(), colour.to_string()));
    }
    serializer.collect_map(kept)
}

fn default_width() -> u32 {
    DEFAULT_WIDTH
}

fn default_height() -> u32 {
    DEFAULT_HEIGHT
}

/// A date written as a TOML date (`2016-11-23`) or a string (`"2016-11-23"`).
fn date<'de, D: Deserializer<'de>>(deserializer: D) -> std::result::Result<NaiveDate, D::Error> {
    use serde::de::Error as _;
    let text = match toml::Value::deserialize(deserializer)? {
        toml::Value::Datetime(datetime) if datetime.time.is_none() && datetime.offset.is_none() => {
            datetime.to_string()
        }
        toml::Value::String(text) => text,
        other => {
            return Err(D::Error::custom(format!(
                "expected a date like 2016-11-23, found {other}"
            )));
        }
    };
    text.trim().parse().map_err(|_| {
        D::Error::custom(format!(
            "\"{text}\" is not a real date: write it as YYYY-MM-DD, e.g. 2016-11-23"
        ))
    })
}

/// A table of answers and their colours, `Oppose = "#D55E00"`, each colour checked.
fn colours<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> std::result::Result<Vec<(String, Rgb)>, D::Error> {
    use serde::de::Error as _;
    let table = std::collections::BTreeMap::<String, String>::deserialize(deserializer)?;
    table
        .into_iter()
        .map(|(answer, colour)| {
            let colour = Rgb::parse(&colour)
                .map_err(|e| D::Error::custom(format!("the colour of {answer}: {e}")))?;
            Ok((answer, colour))
        })
        .collect()
}

fn optional_date<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> std::result::Result<Option<NaiveDate>, D::Error> {
    date(deserializer).map(Some)
}

impl ChartDefinition {
    /// The definition of `request`, the inverse of [`LoadedDefinition::request`]: `output`
    /// and `font` are written as given, relative to the definition's folder (the caller
    /// makes them so). Trend options are written for the chosen method when they differ from
    /// its defaults.
    pub fn from_request(
        request: &super::ChartRequest,
        output: Option<PathBuf>,
        font: Option<PathBuf>,
    ) -> ChartDefinition {
        let o = &request.options;
        let defaults = TrendOptions::default();
        let given = |method: Method| o.method == method;
        let differs = |method: Method, same: bool| given(method) && !same;
        let filter = &request.filter;
        ChartDefinition {
            question: filter.question.clone(),
            title: request.title.clone(),
            subtitle: request.subtitle.clone(),
            note: request.note.clone(),
            credit: request.credit.clone(),
            y_range: request.y_range,
            method: o.method,
            window: differs(Method::Latest, o.window == defaults.window).then_some(o.window),
            span: differs(Method::Loess, o.span == defaults.span).then_some(o.span),
            iterations: differs(Method::Loess, o.iterations == defaults.iterations)
                .then_some(o.iterations),
            weights: differs(Method::Loess, o.weights == defaults.weights).then_some(
                match o.weights {
                    LoessWeights::SampleSize => Weights::SampleSize,
                    LoessWeights::None => Weights::None,
                },
            ),
            step: o.step.filter(|_| given(Method::Kalman)),
            poll_noise: o.poll_noise.filter(|_| given(Method::Kalman)),
            answers: request.answers.clone(),
            width: request.width,
            height: request.height,
            font,
            output,
            filters: Filters {
                since: filter.since,
                until: filter.until,
                population: filter.population.clone(),
                pollsters: filter.pollsters.clone(),
                exclude: filter.exclude_pollsters.clone(),
            },
            marks: request
                .marks
                .iter()
                .map(|m| MarkDefinition {
                    date: m.date,
                    label: m.label.clone(),
                })
                .collect(),
            colors: request.colours.clone(),
        }
    }

    /// The definition as TOML, as [`parse`] reads it back.
    ///
    /// Errors: failed, should a value have no TOML form (none does).
    pub fn to_toml(&self) -> Result<String> {
        toml::to_string(self)
            .map_err(|e| Error::Failed(format!("cannot write the chart definition: {e}")))
    }

    /// The trend's options: those given, the defaults for the rest.
    pub fn trend_options(&self) -> TrendOptions {
        let defaults = TrendOptions::default();
        TrendOptions {
            method: self.method,
            window: self.window.unwrap_or(defaults.window),
            span: self.span.unwrap_or(defaults.span),
            iterations: self.iterations.unwrap_or(defaults.iterations),
            weights: match self.weights {
                Some(Weights::SampleSize) => LoessWeights::SampleSize,
                Some(Weights::None) => LoessWeights::None,
                None => defaults.weights,
            },
            step: self.step,
            poll_noise: self.poll_noise,
        }
    }

    /// An option of another method than the one chosen, and that method: it would change
    /// nothing, and whoever wrote it meant it to.
    fn stray_option(&self) -> Option<(&'static str, Method)> {
        [
            ("window", Method::Latest, self.window.is_some()),
            ("span", Method::Loess, self.span.is_some()),
            ("iterations", Method::Loess, self.iterations.is_some()),
            ("weights", Method::Loess, self.weights.is_some()),
            ("step", Method::Kalman, self.step.is_some()),
            ("poll_noise", Method::Kalman, self.poll_noise.is_some()),
        ]
        .into_iter()
        .find(|(_, owner, given)| *given && *owner != self.method)
        .map(|(key, owner, _)| (key, owner))
    }
}

/// A definition with where it came from.
#[derive(Debug, Clone, PartialEq)]
pub struct LoadedDefinition {
    /// The file's name without `.toml`: `charts/kr-gsomia.toml` is `kr-gsomia`.
    pub name: String,
    /// The definition file.
    pub path: PathBuf,
    /// What it says.
    pub definition: ChartDefinition,
}

impl LoadedDefinition {
    /// Reads and checks a chart definition. Errors name the file, and for bad TOML or an
    /// unknown key, the line and column.
    pub fn load(path: &Path) -> Result<LoadedDefinition> {
        let text = read_definition(path)?;
        let definition = parse(&text).map_err(|message| {
            Error::invalid(format!("chart definition {}: {message}", path.display()))
        })?;
        let name = path
            .file_stem()
            .map(|stem| stem.to_string_lossy().into_owned())
            .unwrap_or_else(|| "chart".to_string());
        let loaded = LoadedDefinition {
            name,
            path: path.to_path_buf(),
            definition,
        };
        loaded.check_output().map_err(|message| {
            Error::invalid(format!("chart definition {}: {message}", path.display()))
        })?;
        Ok(loaded)
    }

    /// A saved chart is written inside its definitions folder, so drawing a shared folder of
    /// definitions writes nowhere else: no absolute `output`, no `..` climbing out of the
    /// folder, no link leading out of it.
    fn check_output(&self) -> std::result::Result<(), String> {
        let folder = match self.path.parent() {
            Some(folder) if !folder.as_os_str().is_empty() => folder,
            _ => Path::new("."),
        };
        let inside = "a saved chart is written inside the folder of its definition: give \
                      `output` as a path relative to it, e.g. output = \"chart.svg\"";
        if let Some(output) = &self.definition.output {
            let mut depth = 0usize;
            for component in output.components() {
                match component {
                    Component::Normal(_) => depth += 1,
                    Component::CurDir => {}
                    Component::ParentDir if depth > 0 => depth -= 1,
                    Component::ParentDir => {
                        return Err(format!(
                            "`output` {} climbs out of {}/: {inside}",
                            output.display(),
                            folder.display()
                        ));
                    }
                    Component::RootDir | Component::Prefix(_) => {
                        return Err(format!(
                            "`output` {} is an absolute path: {inside}",
                            output.display()
                        ));
                    }
                }
            }
            if depth == 0 {
                return Err(format!(
                    "`output` {} is the folder itself, not a file: {inside}",
                    output.display()
                ));
            }
        }
        let target = self.output_path();
        let real_folder = std::fs::canonicalize(folder)
            .map_err(|e| format!("its folder {} cannot be read: {e}", folder.display()))?;
        let leads_out = || {
            format!(
                "`output` {} leads out of {}/ through a link: {inside}",
                target.display(),
                folder.display()
            )
        };
        let real_target = real_path(&target, 64).map_err(|_| leads_out())?;
        if real_target == real_folder || !real_target.starts_with(&real_folder) {
            return Err(leads_out());
        }
        Ok(())
    }

    /// The font file, relative to the definition's folder.
    pub fn font_path(&self) -> Option<PathBuf> {
        self.definition
            .font
            .as_deref()
            .map(|font| self.relative(font))
    }

    /// Where the chart goes: `output`, relative to the definition's folder, else `NAME.png`
    /// beside the definition.
    pub fn output_path(&self) -> PathBuf {
        match &self.definition.output {
            Some(output) => self.relative(output),
            None => self.relative(Path::new(&format!("{}.png", self.name))),
        }
    }

    /// The chart this definition asks for, to draw with [`super::chart()`]; the trend's options
    /// not given are the method's defaults.
    pub fn request(&self) -> super::ChartRequest {
        let d = &self.definition;
        let mut request = super::ChartRequest::new(d.question.trim(), d.method);
        request.options = d.trend_options();
        request.filter.pollsters = d.filters.pollsters.clone();
        request.filter.exclude_pollsters = d.filters.exclude.clone();
        request.filter.since = d.filters.since;
        request.filter.until = d.filters.until;
        request.filter.population = d.filters.population.as_deref().map(normalize_population);
        request.answers = d.answers.clone();
        request.marks = d
            .marks
            .iter()
            .map(|m| Mark {
                date: m.date,
                label: m.label.clone(),
            })
            .collect();
        request.title = d.title.clone();
        request.subtitle = d.subtitle.clone();
        request.note = d.note.clone();
        request.credit = d.credit.clone();
        request.y_range = d.y_range;
        request.width = d.width;
        request.height = d.height;
        request.font = self.font_path();
        request.colours = d.colors.clone();
        request
    }

    /// Every chart definition (`*.toml`) in `dir`, by name.
    ///
    /// Errors: not found when the folder cannot be read or holds no definitions; those of
    /// [`LoadedDefinition::load`] for each.
    pub fn load_all(dir: &Path) -> Result<Vec<LoadedDefinition>> {
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

    fn relative(&self, path: &Path) -> PathBuf {
        match self.path.parent() {
            Some(folder) if path.is_relative() => folder.join(path),
            _ => path.to_path_buf(),
        }
    }
}

/// Where a path really leads, links followed, for a file that may not exist yet (nor its
/// folders): the real place of what exists, then the rest of the names.
fn real_path(path: &Path, steps: u32) -> std::io::Result<PathBuf> {
    if let Ok(real) = std::fs::canonicalize(path) {
        return Ok(real);
    }
    if steps == 0 {
        return Err(std::io::Error::other("too many links"));
    }
    let metadata = std::fs::symlink_metadata(path);
    if metadata.is_ok_and(|m| m.file_type().is_symlink()) {
        let link = std::fs::read_link(path)?;
        let next = match path.parent() {
            Some(folder) => folder.join(link),
            None => link,
        };
        return real_path(&next, steps - 1);
    }
    let folder = match path.parent() {
        Some(folder) if !folder.as_os_str().is_empty() => folder,
        _ => Path::new("."),
    };
    match path.file_name() {
        Some(name) => Ok(real_path(folder, steps - 1)?.join(name)),
        // `missing/..`: the folder that `missing` is to be created in.
        None if path.ends_with("..") => {
            let real = real_path(folder, steps - 1)?;
            real.parent()
                .map(Path::to_path_buf)
                .ok_or_else(|| std::io::Error::other("above the root"))
        }
        None => Err(std::io::Error::other("no file name")),
    }
}

/// The largest chart definition read: a few lines of TOML; anything larger is not one.
pub const MAX_DEFINITION_BYTES: u64 = 1024 * 1024;

/// A definition's text, refusing before reading anything that is not a regular file or is
/// larger than [`MAX_DEFINITION_BYTES`].
fn read_definition(path: &Path) -> Result<String> {
    use std::io::Read;
    let failed = |e: std::io::Error| match e.kind() {
        std::io::ErrorKind::NotFound => Error::not_found(format!(
            "chart definition {} does not exist",
            path.display()
        )),
        _ => Error::Failed(format!(
            "chart definition {} could not be read: {e}",
            path.display()
        )),
    };
    // Looked at before opening: opening a named pipe would wait for a writer forever.
    let metadata = std::fs::metadata(path).map_err(failed)?;
    let refused = |what: &str| {
        Error::invalid(format!(
            "chart definition {} {what}: give a TOML file of a chart (see the README)",
            path.display()
        ))
    };
    if !metadata.is_file() {
        return Err(refused("is not a regular file"));
    }
    if metadata.len() > MAX_DEFINITION_BYTES {
        return Err(refused("is larger than 1 MB"));
    }
    let mut text = String::new();
    let file = std::fs::File::open(path).map_err(failed)?;
    file.take(MAX_DEFINITION_BYTES + 1)
        .read_to_string(&mut text)
        .map_err(failed)?;
    if text.len() as u64 > MAX_DEFINITION_BYTES {
        return Err(refused("is larger than 1 MB"));
    }
    Ok(text)
}

/// Parses and checks a definition's text; the message says where a problem is.
pub fn parse(text: &str) -> std::result::Result<ChartDefinition, String> {
    let definition: ChartDefinition = toml::from_str(text).map_err(|e| one_line(&e, text))?;
    if definition.question.trim().is_empty() {
        return Err(
            "`question` is empty: name the question's slug, e.g. question = \"kr-gsomia\"".into(),
        );
    }
    let (min, max) = (crate::chart::MIN_SIZE, crate::chart::MAX_SIZE);
    for (key, value, least) in [
        ("width", definition.width, min.0),
        ("height", definition.height, min.1),
    ] {
        if !(least..=max).contains(&value) {
            return Err(format!(
                "`{key}` = {value} is outside {least}..={max} pixels"
            ));
        }
    }
    if let Some((low, high)) = definition.y_range
        && !crate::chart::is_percent_range((low, high))
    {
        return Err(format!(
            "`y_range` = [{low}, {high}]: give two percentages from 0 to 100, lower first, e.g. [20, 80]"
        ));
    }
    if let Some((key, owner)) = definition.stray_option() {
        let name = |m: Method| format!("{m:?}").to_lowercase();
        return Err(format!(
            "`{key}` is an option of method \"{}\", and this chart's method is \"{}\": \
             give method = \"{0}\", or leave `{key}` out",
            name(owner),
            name(definition.method)
        ));
    }
    definition
        .trend_options()
        .check()
        .map_err(|e| e.to_string())?;
    if let (Some(since), Some(until)) = (definition.filters.since, definition.filters.until)
        && since > until
    {
        return Err(format!(
            "filters: `since` ({since}) is after `until` ({until})"
        ));
    }
    Ok(definition)
}

/// toml's message spread over several lines with a source excerpt, as "line L, column C:
/// message".
fn one_line(error: &toml::de::Error, text: &str) -> String {
    let message = error.message().trim_end_matches('.').to_string();
    match error.span() {
        Some(span) => {
            let before = &text[..span.start.min(text.len())];
            let line = before.matches('\n').count() + 1;
            let column = before
                .rfind('\n')
                .map_or(before.len(), |nl| before.len() - nl - 1)
                + 1;
            format!("line {line}, column {column}: {message}")
        }
        None => message,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const FULL: &str = r##"
question = "kr-gsomia"
title = "Most South Koreans oppose GSOMIA"
subtitle = "Gallup Korea's poll"
note = "Don't know is left out."
credit = "Chart: The Herald"
y_range = [20, 80]
method = "kalman"
answers = ["Oppose", "Support"]
width = 800
height = 500
font = "fonts/NanumGothic.ttf"

[filters]
since = 2016-01-01
until = "2020-12-31"
population = "a"
pollsters = ["Gallup Korea"]

[[marks]]
date = 2016-11-23
label = "GSOMIA signed"

[[marks]]
date = "2019-08-22"
label = "Seoul says it will withdraw"

[colors]
Oppose = "#d55e00"
"Don't know" = "#777777"
"##;

    #[test]
    fn a_full_definition_reads() {
        let definition = parse(FULL).unwrap();
        assert_eq!(definition.question, "kr-gsomia");
        assert_eq!(definition.method, Method::Kalman);
        assert_eq!(definition.answers, ["Oppose", "Support"]);
        assert_eq!((definition.width, definition.height), (800, 500));
        assert_eq!(
            definition.filters.since,
            Some("2016-01-01".parse().unwrap())
        );
        assert_eq!(
            definition.filters.until,
            Some("2020-12-31".parse().unwrap())
        );
        assert_eq!(definition.filters.pollsters, ["Gallup Korea"]);
        assert_eq!(definition.marks.len(), 2);
        assert_eq!(definition.marks[1].date.to_string(), "2019-08-22");
        assert_eq!(definition.marks[0].label, "GSOMIA signed");
        assert_eq!(
            definition.colors,
            [
                ("Don't know".to_string(), Rgb(0x77, 0x77, 0x77)),
                ("Oppose".to_string(), Rgb(0xD5, 0x5E, 0x00))
            ]
        );
        let request = LoadedDefinition {
            name: "kr-gsomia".into(),
            path: "charts/kr-gsomia.toml".into(),
            definition,
        }
        .request();
        assert_eq!(request.subtitle.as_deref(), Some("Gallup Korea's poll"));
        assert_eq!(request.note.as_deref(), Some("Don't know is left out."));
        assert_eq!(request.credit.as_deref(), Some("Chart: The Herald"));
        assert_eq!(request.y_range, Some((20.0, 80.0)));
    }

    #[test]
    fn only_the_question_is_required() {
        let definition = parse("question = \"kr-gsomia\"").unwrap();
        assert_eq!(definition.method, Method::Kalman);
        assert_eq!(
            (definition.width, definition.height),
            (DEFAULT_WIDTH, DEFAULT_HEIGHT)
        );
        assert!(definition.answers.is_empty() && definition.marks.is_empty());
        assert_eq!(definition.filters, Filters::default());
        let err = parse("title = \"x\"").unwrap_err();
        assert!(err.contains("question"), "{err}");
    }

    #[test]
    fn an_unknown_key_is_named_with_its_line() {
        let err = parse("question = \"q\"\n\n[filters]\nsince = 2016-01-01\npolster = [\"x\"]\n")
            .unwrap_err();
        assert!(err.starts_with("line 5, column 1:"), "{err}");
        assert!(err.contains("polster"), "{err}");
        let err = parse("question = \"q\"\ncolour = \"red\"\n").unwrap_err();
        assert!(
            err.starts_with("line 2, column 1:") && err.contains("colour"),
            "{err}"
        );
    }

    #[test]
    fn bad_values_say_what_is_wrong_and_where() {
        let err = parse("question = \"q\"\nmethod = \"spline\"\n").unwrap_err();
        assert!(
            err.starts_with("line 2,") && err.contains("spline"),
            "{err}"
        );
        let err = parse("question = \"q\"\n[[marks]]\ndate = \"2016-02-30\"\nlabel = \"x\"\n")
            .unwrap_err();
        assert!(
            err.starts_with("line 3,") && err.contains("2016-02-30"),
            "{err}"
        );
        let err = parse("question = \"q\"\nwidth = \"wide\"\n").unwrap_err();
        assert!(err.starts_with("line 2,"), "{err}");
        let err = parse("question = \"q\"\n[filters]\nsince = 2020-01-01\nuntil = 2019-01-01\n")
            .unwrap_err();
        assert!(err.contains("after"), "{err}");
        let err = parse("question = \"q\"\nwidth = 4294967295\n").unwrap_err();
        assert!(
            err.contains("`width`") && err.contains("320..=10000"),
            "{err}"
        );
        let err = parse("question = \"q\"\nheight = 10\n").unwrap_err();
        assert!(
            err.contains("`height`") && err.contains("200..=10000"),
            "{err}"
        );
        for range in ["[80, 20]", "[0, 101]", "[-5, 50]"] {
            let err = parse(&format!("question = \"q\"\ny_range = {range}\n")).unwrap_err();
            assert!(
                err.contains("`y_range`") && err.contains("lower first"),
                "{err}"
            );
        }
        let err = parse("question = \"q\"\ny_range = [20]\n").unwrap_err();
        assert!(err.starts_with("line 2,"), "{err}");
        let err = parse("question = \"q\"\ntitle = \n").unwrap_err();
        assert!(err.starts_with("line 2,"), "{err}");
        let err = parse("question = \"q\"\n[colors]\nSPD = \"red\"\n").unwrap_err();
        assert!(
            err.starts_with("line 2,")
                && err.contains("the colour of SPD: \"red\" is not a colour"),
            "{err}"
        );
    }

    #[test]
    fn loading_names_the_file_and_resolves_paths_beside_it() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("kr-gsomia.toml");
        std::fs::write(&path, FULL).unwrap();
        let loaded = LoadedDefinition::load(&path).unwrap();
        assert_eq!(loaded.name, "kr-gsomia");
        assert_eq!(loaded.output_path(), dir.path().join("kr-gsomia.png"));
        assert_eq!(
            loaded.font_path(),
            Some(dir.path().join("fonts/NanumGothic.ttf"))
        );

        let bad = dir.path().join("bad.toml");
        std::fs::write(&bad, "question = \"q\"\nsize = 3\n").unwrap();
        let err = LoadedDefinition::load(&bad).unwrap_err();
        assert!(matches!(err, Error::Invalid { .. }));
        let message = err.to_string();
        assert!(
            message.contains("bad.toml")
                && message.contains("line 2, column 1")
                && message.contains("size"),
            "{message}"
        );

        let err = LoadedDefinition::load(&dir.path().join("missing.toml")).unwrap_err();
        assert!(matches!(err, Error::NotFound { .. }));
        assert!(err.to_string().contains("missing.toml"));
    }

    #[test]
    fn a_chart_is_written_only_inside_the_folder_of_its_definition() {
        let dir = tempfile::tempdir().unwrap();
        let load = |output: &str| {
            let path = dir.path().join("chart.toml");
            std::fs::write(&path, format!("question = \"q\"\noutput = \"{output}\"\n")).unwrap();
            LoadedDefinition::load(&path)
        };
        for inside in [
            "a.svg",
            "./a.png",
            "sub/a.png",
            "sub/../a.png",
            "x/y/../../a.png",
        ] {
            let loaded = load(inside).unwrap();
            assert!(loaded.output_path().starts_with(dir.path()), "{inside}");
        }
        for (outside, why) in [
            ("../a.png", "climbs out"),
            ("sub/../../a.png", "climbs out"),
            ("/tmp/a.png", "absolute"),
            ("sub/..", "the folder itself"),
        ] {
            let err = load(outside).unwrap_err();
            let message = err.to_string();
            assert!(matches!(err, Error::Invalid { .. }), "{message}");
            assert!(
                message.contains("chart.toml") && message.contains(why),
                "{outside}: {message}"
            );
        }
        #[cfg(unix)]
        {
            let elsewhere = tempfile::tempdir().unwrap();
            std::os::unix::fs::symlink(elsewhere.path(), dir.path().join("out")).unwrap();
            let err = load("out/a.png").unwrap_err().to_string();
            assert!(err.contains("through a link"), "{err}");
            std::os::unix::fs::symlink("/nowhere/a.png", dir.path().join("gone.png")).unwrap();
            let err = load("gone.png").unwrap_err().to_string();
            assert!(err.contains("through a link"), "{err}");
        }
    }

    /// Every field of a request set away from its default, for each method.
    fn full_requests() -> Vec<super::super::ChartRequest> {
        let day = |text: &str| text.parse::<NaiveDate>().unwrap();
        [Method::Loess, Method::Latest, Method::Kalman]
            .into_iter()
            .map(|method| {
                let mut r = super::super::ChartRequest::new("kr-gsomia", method);
                r.options.window = if method == Method::Latest { 14 } else { 30 };
                if method == Method::Loess {
                    r.options.span = 0.1;
                    r.options.iterations = 5;
                    r.options.weights = LoessWeights::None;
                }
                if method == Method::Kalman {
                    r.options.step = Some(0.25);
                    r.options.poll_noise = Some(1.5);
                }
                r.filter.since = Some(day("2016-01-01"));
                r.filter.until = Some(day("2020-12-31"));
                r.filter.population = Some("a".into());
                r.filter.pollsters = vec!["Gallup Korea".into()];
                r.filter.exclude_pollsters = vec!["Realmeter".into(), "R \"&\" M".into()];
                r.answers = vec!["Oppose".into(), "Support".into()];
                r.marks = vec![Mark {
                    date: day("2016-11-23"),
                    label: "GSOMIA \"signed\"\nagain".into(),
                }];
                r.title = Some("한국인 # [x] = \"y\"".into());
                r.subtitle = Some("sub".into());
                r.note = Some("note\\".into());
                r.credit = Some("Chart: The Herald".into());
                r.y_range = Some((12.5, 80.0));
                r.width = 800;
                r.height = 500;
                r.font = Some("charts/fonts/NanumGothic.ttf".into());
                r.colours = vec![
                    ("Don't know".into(), Rgb(0x77, 0x77, 0x77)),
                    ("Oppose".into(), Rgb(0xD5, 0x5E, 0x00)),
                ];
                r
            })
            .collect()
    }

    #[test]
    fn a_request_written_as_a_definition_reads_back_as_itself() {
        for request in full_requests() {
            let definition = ChartDefinition::from_request(
                &request,
                Some("kr.svg".into()),
                Some("fonts/NanumGothic.ttf".into()),
            );
            let text = definition.to_toml().unwrap();
            let read = parse(&text).unwrap_or_else(|e| panic!("{e}\n{text}"));
            assert_eq!(read, definition, "{text}");
            let loaded = LoadedDefinition {
                name: "saved".into(),
                path: "charts/saved.toml".into(),
                definition: read,
            };
            let back = loaded.request();
            assert_eq!(format!("{back:?}"), format!("{request:?}"), "{text}");
            assert_eq!(loaded.output_path(), Path::new("charts/kr.svg"));
        }
        // A chart at every default writes the question, method and size alone.
        let plain = super::super::ChartRequest::new("q", Method::Kalman);
        let text = ChartDefinition::from_request(&plain, None, None)
            .to_toml()
            .unwrap();
        assert_eq!(
            text,
            "question = \"q\"\nmethod = \"kalman\"\nwidth = 1200\nheight = 675\n"
        );
    }

    #[test]
    fn an_option_of_another_method_is_refused() {
        let err = parse("question = \"q\"\nmethod = \"kalman\"\nspan = 0.3\n").unwrap_err();
        assert!(err.contains("`span`") && err.contains("loess"), "{err}");
        let err = parse("question = \"q\"\nmethod = \"loess\"\nspan = 3\n").unwrap_err();
        assert!(err.contains("span"), "{err}");
        let definition =
            parse("question = \"q\"\nmethod = \"loess\"\nspan = 0.3\nweights = \"none\"\n")
                .unwrap();
        let options = definition.trend_options();
        assert_eq!((options.span, options.weights), (0.3, LoessWeights::None));
    }
}
