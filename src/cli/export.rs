use super::Ctx;
use super::filters::FilterArgs;
use clap::ValueEnum;
use polltrack::Result;
use polltrack::export::{LongWriter, WideWriter};
use std::fs::File;
use std::io::{BufWriter, Write};
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
    polltrack export --format wide --question us-approval --population lv -o approval.csv")]
pub struct Args {
    #[arg(long, value_enum, default_value = "long")]
    format: ExportFormat,
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
    let db = ctx.db().await?;
    let output: Box<dyn Write> = if to_stdout {
        Box::new(std::io::stdout().lock())
    } else {
        let file = File::create(&args.output).map_err(|e| {
            polltrack::Error::Failed(format!("cannot write {}: {e}", args.output.display()))
        })?;
        Box::new(file)
    };
    let output = BufWriter::with_capacity(1 << 16, output);
    let (polls, rows) = match args.format {
        ExportFormat::Long => {
            let mut writer = LongWriter::new(output)?;
            let counts = write_all(db, &filter, |p| writer.write(p)).await?;
            writer.finish()?;
            counts
        }
        ExportFormat::Wide => {
            let labels = db.answer_labels(&filter).await?;
            let mut writer = WideWriter::new(output, &labels)?;
            let counts = write_all(db, &filter, |p| writer.write(p)).await?;
            writer.finish()?;
            counts
        }
    };
    if !to_stdout {
        eprintln!(
            "Exported {polls} polls ({rows} rows) to {}",
            args.output.display()
        );
    }
    Ok(())
}

/// Streams every matching poll through `write`; returns the polls and rows written.
async fn write_all(
    db: &polltrack::db::Db,
    filter: &polltrack::model::PollFilter,
    mut write: impl FnMut(&polltrack::model::Poll) -> Result<u64>,
) -> Result<(u64, u64)> {
    let (mut polls, mut rows) = (0, 0);
    db.for_each_poll(filter, |page| {
        for poll in page {
            rows += write(poll)?;
            polls += 1;
        }
        Ok(())
    })
    .await?;
    Ok((polls, rows))
}
