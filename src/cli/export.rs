use super::Ctx;
use super::filters::FilterArgs;
use super::output::count;
use super::output_file::{Output, Protected};
use clap::ValueEnum;
use polltrack::Result;
use polltrack::app::export::{ExportFormat as Format, ExportRequest, Exported, export};
use polltrack::export::{Audience, Columns};
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
    polltrack export --format wide --question us-approval --population lv \\\n    \
      -o approval.csv\n  \
    polltrack export --for-spreadsheet -o polls-for-excel.csv\n  \
    polltrack export --extra-columns -o polls-with-dates-and-titles.csv")]
pub struct Args {
    /// long: one row per answer, in the columns of the CSV format (imports back as it was);
    /// wide: one row per result set, a column per answer
    #[arg(long, value_enum, default_value = "long")]
    format: ExportFormat,
    /// Write for a spreadsheet (Excel, LibreOffice, Google Sheets): a UTF-8 byte-order mark,
    /// and text that would run as a formula (=, +, -, @...) written with a ' before it. For
    /// pandas, R and import, leave it out: the default is every value exactly as stored
    #[arg(long)]
    for_spreadsheet: bool,
    /// Add columns after the format's own: poll_date, partisan, tracking, election and
    /// source_titles (a JSON array). The format's columns stay as they are, so readers of them
    /// are unaffected, and import reads such a file as well
    #[arg(long)]
    extra_columns: bool,
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
    let request = ExportRequest {
        filter: args.filter.filter()?,
        format: match args.format {
            ExportFormat::Long => Format::Long,
            ExportFormat::Wide => Format::Wide,
        },
        audience: match args.for_spreadsheet {
            true => Audience::Spreadsheet,
            false => Audience::Analysis,
        },
        columns: match args.extra_columns {
            true => Columns::WithExtra,
            false => Columns::Format,
        },
    };
    let to_stdout = args.output.as_os_str() == "-";
    // Checked and opened before the database: a refused output touches nothing.
    let output = Output::create(&args.output, &Protected::database(&ctx.path))?;
    let Exported { polls, rows } = export(ctx.db().await?, &request, output).await?;
    if !to_stdout {
        eprintln!(
            "Exported {} ({}) to {}",
            count(polls, "poll"),
            count(rows, "row"),
            args.output.display()
        );
    }
    Ok(())
}
