//! `export`: polls as CSV for analysts, streamed a page at a time.

use super::Commit;
use crate::db::PollPage;
use crate::db::prelude::*;

use crate::error::{Error, Result};
use crate::export::{Audience, Columns, LongWriter, WideWriter};
use crate::model::{Poll, PollFilter};

/// The layout of an export.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum ExportFormat {
    /// One row per answer, in the long format's fixed columns.
    #[default]
    Long,
    /// One row per question and population, a column per answer label.
    Wide,
}

/// Polls to export, and how.
#[derive(Debug, Clone, Default)]
pub struct ExportRequest {
    /// Which polls.
    pub filter: PollFilter,
    /// Which layout.
    pub format: ExportFormat,
    /// Whom the file is written for.
    pub audience: Audience,
    /// Whether the poll's date, flags and source titles follow the format's columns.
    pub columns: Columns,
}

/// What an export wrote.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Exported {
    /// Polls written.
    pub polls: u64,
    /// CSV rows written (answers in the long format, result sets in the wide).
    pub rows: u64,
}

/// Writes every poll matching the request to `output` and commits it. One read transaction:
/// the export is one state of the store, whoever writes meanwhile. The store reads the next
/// page while a thread of its own writes this one, so memory does not grow with the store.
///
/// Errors: not found for a filter naming an unknown question or pollster; writing failures
/// (a closed pipe as [`Error::OutputClosed`]); storage failures. On error `output` is dropped
/// uncommitted.
pub async fn export<W: Commit + Send + 'static>(
    store: &impl Store,
    request: &ExportRequest,
    output: W,
) -> Result<Exported> {
    let filter = &request.filter;
    store.check_filter(filter).await?;
    let mut snapshot = store.snapshot().await?;
    let exported = match request.format {
        ExportFormat::Long => {
            let writer = LongWriter::with_columns(output, request.audience, request.columns)?;
            let (writer, counts) =
                write_all(&mut snapshot, filter, writer, LongWriter::write).await?;
            writer.finish()?.commit()?;
            counts
        }
        ExportFormat::Wide => {
            let labels = snapshot.answer_labels(filter).await?;
            let writer =
                WideWriter::with_columns(output, &labels, request.audience, request.columns)?;
            let (writer, counts) =
                write_all(&mut snapshot, filter, writer, WideWriter::write).await?;
            writer.finish()?.commit()?;
            counts
        }
    };
    snapshot.finish().await?;
    Ok(exported)
}

/// Streams every matching poll through `write` on a thread of its own, so the store reads
/// the next page while this one is written; returns the writer, and the polls and rows written.
async fn write_all<W: Send + 'static>(
    snapshot: &mut impl ExportSnapshot,
    filter: &PollFilter,
    mut writer: W,
    write: fn(&mut W, &Poll) -> Result<u64>,
) -> Result<(W, Exported)> {
    let (pages, received) = std::sync::mpsc::sync_channel::<PollPage>(2);
    let writing = std::thread::spawn(move || -> Result<(W, Exported)> {
        let (mut polls, mut rows) = (0, 0);
        for page in received {
            for poll in page.polls()? {
                rows += write(&mut writer, &poll)?;
                polls += 1;
            }
        }
        Ok((writer, Exported { polls, rows }))
    });
    // A send fails only when the writing thread stopped, whose error is the one to tell.
    let reading = snapshot
        .for_each_page(filter, |page| {
            pages
                .send(page)
                .map_err(|_| Error::Failed("stopped".into()))
        })
        .await;
    drop(pages);
    let written = writing
        .join()
        .map_err(|_| Error::Failed("export: the writing thread failed".into()))?;
    let written = written?;
    reading?;
    Ok(written)
}
