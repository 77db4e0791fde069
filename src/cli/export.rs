use super::Ctx;
use super::filters::FilterArgs;
use super::output_file::{Output, Protected};
use clap::ValueEnum;
use polltrack::db::prelude::*;
use polltrack::export::{Audience, LongWriter, WideWriter};
use polltrack::{Error, Result};
use std::path::PathBuf;

/// Write polls as CSV for analysts: pandas, R or a spreadsheet read it as it is.
///
/// The long format has one row per answer in fixed columns (see the README); importing it into
/// an empty database and exporting again gives the same file. The wide format has one row per
/// question and population, with a column per answer label.
#[derive(clap::Args)]
#[command(after_help = "Examples:\n  \
    polltrack export -o polls.csv\n  \
    polltrack export --question kr-gsomia --since 2016-01-01 > gsomia.csv\n  \
    polltrack export --format wide --question us-approval --population lv -o approval.csv\n  \
    polltrack export --for-spreadsheet -o polls-for-excel.csv")]
pub struct Args {
    #[arg(long, value_enum, default_value = "long")]
    format: ExportFormat,
    /// Write for a spreadsheet (Excel, LibreOffice, Google Sheets): a UTF-8 byte-order mark,
    /// and text that would run as a formula (=, +, -, @...) written with a ' before it. For
    /// pandas, R and import, leave it out: the default is every value exactly as stored
    #[arg(long)]
    for_spreadsheet: bool,
    #[command(flatten)]
    filter: FilterArgs,
    /// Where to write: a file, or - for standard output (the default)
    #[arg(short = 'o', long = "output", value_name = "FILE", default_value = "-")]
    output: PathBuf,
}

#[derive(Clone, Copy, ValueEnum)]
enum ExportFormat {
    /// One row per answer
    Long,
    /// One row per question and population, a column per answer
    Wide,
}

pub async fn run(ctx: &mut Ctx, args: Args) -> Result<()> {
    let filter = args.filter.filter()?;
    let to_stdout = args.output.as_os_str() == "-";
    // Checked and opened before the database: a refused output touches nothing.
    let output = Output::create(&args.output, &Protected::database(&ctx.path))?;
    let db = ctx.db().await?;
    db.check_filter(&filter).await?;
    // One read transaction: the export is one state of the database, whoever writes meanwhile.
    let mut snapshot = db.snapshot().await?;
    let audience = match args.for_spreadsheet {
        true => Audience::Spreadsheet,
        false => Audience::Analysis,
    };
    let (polls, rows) = match args.format {
        ExportFormat::Long => {
            let writer = LongWriter::for_audience(output, audience)?;
            let (writer, counts) =
                write_all(&mut snapshot, &filter, writer, LongWriter::write).await?;
            writer.finish()?.commit()?;
            counts
        }
        ExportFormat::Wide => {
            let labels = snapshot.answer_labels(&filter).await?;
            let writer = WideWriter::for_audience(output, &labels, audience)?;
            let (writer, counts) =
                write_all(&mut snapshot, &filter, writer, WideWriter::write).await?;
            writer.finish()?.commit()?;
            counts
        }
    };
    snapshot.finish().await?;
    if !to_stdout {
        eprintln!(
            "Exported {polls} polls ({rows} rows) to {}",
            args.output.display()
        );
    }
    Ok(())
}

/// Streams every matching poll through `write` on a thread of its own, so the database reads
/// the next page while this one is written; returns the writer, and the polls and rows written.
async fn write_all<W: Send + 'static>(
    snapshot: &mut impl ExportSnapshot,
    filter: &polltrack::model::PollFilter,
    mut writer: W,
    write: fn(&mut W, &polltrack::model::Poll) -> Result<u64>,
) -> Result<(W, (u64, u64))> {
    let (pages, received) = std::sync::mpsc::sync_channel::<Vec<polltrack::model::Poll>>(2);
    let writing = std::thread::spawn(move || -> Result<(W, (u64, u64))> {
        let (mut polls, mut rows) = (0, 0);
        for page in received {
            for poll in page {
                rows += write(&mut writer, &poll)?;
                polls += 1;
            }
        }
        Ok((writer, (polls, rows)))
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
