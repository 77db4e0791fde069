//! Drawing a chart into its file, for `chart` and `demo`.

use crate::cli::Ctx;
use crate::cli::output::warn;
use crate::cli::output_file::{Output, Protected};
use crate::cli::trend::warn_selection;
use polltrack::app::chart::definition::LoadedDefinition;
use polltrack::app::chart::{ChartRequest, chart};
use polltrack::chart::Format;
use polltrack::{Error, Result};
use std::io::Write;
use std::path::{Path, PathBuf};

/// Where charts and their saved definitions live.
pub const CHARTS_DIR: &str = "charts";

/// One chart to draw and where it goes, asked for on the command line or in a saved
/// definition.
pub struct Job {
    pub request: ChartRequest,
    pub output: PathBuf,
    /// The saved definition it comes from, if any.
    pub definition: Option<PathBuf>,
}

impl Job {
    /// The chart a saved definition asks for, written where it says.
    pub fn saved(loaded: &LoadedDefinition) -> Job {
        Job {
            request: loaded.request(),
            output: loaded.output_path(),
            definition: Some(loaded.path.clone()),
        }
    }
}

/// The files no chart of `jobs` may be written over: the database, and every font and
/// definition they read.
pub fn guarded(db: &Path, jobs: &[Job]) -> Protected {
    let mut protected = Protected::database(db);
    for job in jobs {
        if let Some(font) = &job.request.font {
            protected.add(font, "a font the chart is drawn with");
        }
        if let Some(definition) = &job.definition {
            protected.add(definition, "a chart definition");
        }
    }
    protected
}

/// Reads the polls, fits the trend and writes the chart to the job's output.
pub async fn draw(ctx: &mut Ctx, job: &Job) -> Result<()> {
    // Checked before any work, so a wrong name costs nothing.
    let format = Format::from_path(&job.output)?;
    let drawn = chart(ctx.db().await?, &job.request, format).await?;
    warn_selection(&job.request.filter.question, &drawn.selection_notes);
    warn(&drawn.notes);
    warn(&drawn.warnings);
    if let Some(dir) = job.output.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)
            .map_err(|e| Error::Failed(format!("cannot create {}: {e}", dir.display())))?;
    }
    let mut output = Output::create(&job.output, &guarded(&ctx.path, std::slice::from_ref(job)))?;
    output.write_all(&drawn.bytes)?;
    output.commit()
}
