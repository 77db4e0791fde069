//! `chart --save NAME`: the definition of the chart drawn, written to charts/NAME.toml.

use super::{CHARTS_DIR, Job};
use crate::cli::output_file::{Output, Protected};
use polltrack::app::chart::definition::ChartDefinition;
use polltrack::{Error, Result};
use std::io::Write;
use std::path::{Component, Path, PathBuf};

/// A definition to write once its chart is drawn.
pub struct Save {
    /// charts/NAME.toml.
    pub path: PathBuf,
    text: String,
}

impl Save {
    /// The definition of `job`'s chart as charts/NAME.toml, checked before anything is drawn:
    /// NAME a plain file name, the chart's output inside charts/, and no definition there
    /// already unless `force`.
    pub fn plan(name: &str, force: bool, job: &Job) -> Result<Save> {
        let stem = name.strip_suffix(".toml").unwrap_or(name);
        let plain = Path::new(stem).components().collect::<Vec<_>>();
        if !matches!(plain.as_slice(), [Component::Normal(_)])
            || stem.starts_with('.')
            || stem.contains(['/', '\\'])
        {
            return Err(Error::usage(format!(
                "--save {name}: give a plain file name, e.g. --save approval, to write \
                 {CHARTS_DIR}/approval.toml"
            )));
        }
        let path = Path::new(CHARTS_DIR).join(format!("{stem}.toml"));
        if !force && std::fs::symlink_metadata(&path).is_ok() {
            return Err(Error::conflict(format!(
                "{} already exists: give --force to write over it, or another name",
                path.display()
            )));
        }
        let output = inside_charts(&job.output).ok_or_else(|| {
            Error::usage(format!(
                "--save: a saved chart is drawn inside {CHARTS_DIR}/, and {} is not: give \
                 -o {CHARTS_DIR}/FILE.png (or .svg), or leave -o out",
                job.output.display()
            ))
        })?;
        // The font as the definition's folder sees it.
        let font = job.request.font.as_deref().map(|font| {
            inside_charts(font).unwrap_or_else(|| match font.is_relative() {
                true => Path::new("..").join(font),
                false => font.to_path_buf(),
            })
        });
        let definition = ChartDefinition::from_request(&job.request, Some(output), font);
        Ok(Save {
            path,
            text: definition.to_toml()?,
        })
    }

    /// Writes the definition whole or not at all, never over the database or a font.
    pub fn write(&self, protected: &Protected) -> Result<()> {
        protected.check(&self.path)?;
        let mut output = Output::create(&self.path, protected)?;
        output.write_all(self.text.as_bytes())?;
        output.commit()
    }
}

/// `path` relative to charts/, for a relative path that goes into it and stays there.
fn inside_charts(path: &Path) -> Option<PathBuf> {
    let rest = path
        .strip_prefix(".")
        .unwrap_or(path)
        .strip_prefix(CHARTS_DIR)
        .ok()?;
    let plain = rest.components().all(|c| matches!(c, Component::Normal(_)));
    (plain && rest.components().next().is_some()).then(|| rest.to_path_buf())
}
