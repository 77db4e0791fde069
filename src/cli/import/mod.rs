//! `import`: the input opened, the flags read into an import request, and what happens told
//! as it happens.

mod args;
mod options;
mod report;

pub use args::Args;

use super::Ctx;
use super::output::warn;
use super::output_file::{Output, Protected};
use args::{ConflictPolicy, ImportFormat};
use polltrack::app::import::{self, ImportRequest};
use polltrack::db::OnConflict;
use polltrack::{Error, Result};
use std::fs::File;
use std::io::{BufReader, Read};
use std::path::Path;

pub async fn run(ctx: &mut Ctx, args: Args) -> Result<()> {
    let options = options::options(&args)?;
    // Checked and opened before the input is read or the database opened: the rejects never
    // go over either.
    let rejects = match &args.rejects {
        Some(path) if path.as_os_str() == "-" => {
            return Err(Error::usage(
                "--rejects -: the rejected rows go to a file, standard output has the summary; \
                 name a file, e.g. --rejects rejected.csv",
            ));
        }
        Some(path) => {
            let mut protected = Protected::database(&ctx.path);
            protected.add(&args.file, "the file being imported");
            Some(Output::create(path, &protected)?)
        }
        None => None,
    };
    let (input, name, size) = open_input(&args.file)?;
    let request = ImportRequest {
        name: name.clone(),
        format: match args.format {
            ImportFormat::Long => import::ImportFormat::Long,
            ImportFormat::FiveThirtyEight => import::ImportFormat::FiveThirtyEight,
        },
        options,
        skip_invalid: args.skip_invalid,
        on_conflict: match args.on_conflict {
            ConflictPolicy::Refuse => OnConflict::Refuse,
            ConflictPolicy::Replace => OnConflict::Replace,
            ConflictPolicy::Skip => OnConflict::Skip,
        },
        restore_deleted: args.restore_deleted,
        dry_run: args.dry_run,
        election_dates: args
            .election_dates
            .iter()
            .map(|d| {
                super::values::typed_date("--election-date", Some(d)).map(Option::unwrap_or_default)
            })
            .collect::<Result<_>>()?,
    };
    let mut import = import::open(BufReader::with_capacity(1 << 16, input), request)?;
    let unread = import.unread_columns();
    if !unread.is_empty() {
        eprintln!(
            "warning: {name}: columns not read: {}: polltrack's column names are in the \
             README's \"CSV format\"; read one as a field with --map FIELD=COLUMN",
            unread
                .iter()
                .map(|c| format!("\"{}\"", polltrack::model::printable(c)))
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
    // Where a new question's wording would come from, in the file's own terms.
    let hint = match import.wording_column() {
        Some(column) => format!("(its column {column} is empty here, and --wording gives none)"),
        None => "(with --wording, or --map question_wording=COLUMN)".to_string(),
    };
    import.hint_new_question(hint);
    let progress = report::progress_bar(size);
    ctx.dry_run = args.dry_run;
    let mut told = report::Told::default();
    let report = import
        .run(ctx.db().await?, rejects, &mut |event| {
            told.tell(event, &progress)
        })
        .await?;
    progress.finish_and_clear();
    warn(&report.warnings);
    told.tell_rest();
    report::finish(&mut ctx.out, &report)
}

/// The input, its name in messages, and its size when known.
pub(super) fn open_input(file: &Path) -> Result<(Box<dyn Read + Send>, String, Option<u64>)> {
    if file.as_os_str() == "-" {
        return Ok((Box::new(std::io::stdin()), "<stdin>".to_string(), None));
    }
    let opened = File::open(file)
        .map_err(|e| Error::not_found(format!("cannot read {}: {e}", file.display())))?;
    let metadata = opened.metadata().ok();
    // A device (`/dev/zero`, a terminal) or a folder is no file of polls: refused unread.
    if let Some(metadata) = &metadata
        && !readable_kind(metadata)
    {
        return Err(Error::invalid(format!(
            "{} is not a regular file or a pipe (a device or a folder): give a file, or - for \
             standard input",
            file.display()
        )));
    }
    let size = metadata.map(|m| m.len());
    Ok((Box::new(opened), file.display().to_string(), size))
}

/// Whether a file is one an import reads: a regular file, or a pipe (`<(...)`, a named pipe).
fn readable_kind(metadata: &std::fs::Metadata) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        metadata.is_file() || metadata.file_type().is_fifo()
    }
    #[cfg(not(unix))]
    {
        metadata.is_file()
    }
}
