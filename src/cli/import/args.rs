//! `import`'s flags.

use super::options::parse_separator;
use crate::cli::kind::KindName;
use clap::ValueEnum;
use std::path::PathBuf;

/// Import polls from a CSV file: our long format, FiveThirtyEight's files, or any table with a
/// mapping.
///
/// All or nothing: one invalid row and nothing is written, unless --skip-invalid. Importing
/// the same file again adds nothing; a stored poll whose numbers differ is a conflict, refused
/// unless --on-conflict says otherwise. Columns named like the long format's (pollster,
/// field_start, answer, pct...) are recognised; --map names the others.
#[derive(clap::Args)]
#[command(after_help = "Examples:\n  \
    polltrack import polls.csv\n  \
    polltrack import president_approval_polls.csv --format 538\n  \
    polltrack import moon.csv --question kr-moon-approval \\\n    \
      --wording \"Moon Jae-in job approval\" --map pollster=house \\\n    \
      --map field_end=date --answers approve=Approve,disapprove=Disapprove\n  \
    polltrack import new.csv --skip-invalid --rejects rejected.csv\n  \
    polltrack import umfragen.csv --delimiter ';' --date-format %d.%m.%Y \\\n    \
      --map pollster=Institut ...\n  \
    polltrack import moon_df.csv --question kr-moon-approval \\\n    \
      --wording \"Moon Jae-in job approval\" --map published_on=조사날짜 \\\n    \
      --pollster-columns \"갤럽=Gallup Korea,리얼미터=Realmeter\" --answer-label Approve\n  \
    cat polls.csv | polltrack import - --dry-run")]
pub struct Args {
    /// The file to read, or - for standard input
    pub file: PathBuf,
    /// The file's format: long (polltrack's, or any table through --map and --answers) or 538
    #[arg(long, value_enum, default_value = "long")]
    pub format: ImportFormat,
    /// The question's slug, when the file has no question column
    #[arg(long, value_name = "SLUG")]
    pub question: Option<String>,
    /// The question's wording, when the file has no wording column
    #[arg(long, value_name = "TEXT")]
    pub wording: Option<String>,
    /// What kind of questions the file holds (approval, favourability, issue, vote), which
    /// decides the population their trends count first; given to questions that have none.
    /// --format 538 knows it from the file's layout
    #[arg(long, value_enum, value_name = "KIND")]
    pub kind: Option<KindName>,
    /// Read FIELD from COLUMN (repeat), e.g. pollster=Firm; fields are the long format's columns
    /// plus partisan, tracking and election (a truthy cell marks an election result)
    #[arg(long = "map", value_name = "FIELD=COLUMN")]
    pub maps: Vec<String>,
    /// The answer columns of a wide file (one row per poll), e.g. Yes,No or yes=Yes,no=No
    #[arg(long, value_name = "COL,...")]
    pub answers: Option<String>,
    /// The pollster of every poll, for a file with no pollster column
    #[arg(long, value_name = "NAME", conflicts_with = "pollster_columns")]
    pub pollster: Option<String>,
    /// A file wide by pollster: its pollster columns, each one pollster's percentages for the
    /// answer --answer-label names, e.g. 갤럽=Gallup Korea,리얼미터=Realmeter
    #[arg(
        long,
        value_name = "COL[=NAME],...",
        requires = "answer_label",
        conflicts_with = "answers"
    )]
    pub pollster_columns: Option<String>,
    /// With --pollster-columns: the answer their percentages are, e.g. Approve
    #[arg(long, value_name = "LABEL", requires = "pollster_columns")]
    pub answer_label: Option<String>,
    /// A column whose values split the file into questions (slug SLUG-VALUE); repeat
    #[arg(long = "split", value_name = "COLUMN")]
    pub split: Vec<String>,
    /// How dates are written, as a chrono format such as %d.%m.%Y (default: YYYY-MM-DD,
    /// M/D/YYYY or M/D/YY); one without a day (%Y-%m) reads field dates as whole months
    #[arg(long, value_name = "FORMAT")]
    pub date_format: Option<String>,
    /// The separator of the file's cells: , ; | or tab (default: the one the header line
    /// holds most of, outside quotes)
    #[arg(long, value_name = "SEP", value_parser = parse_separator)]
    pub delimiter: Option<u8>,
    /// Check everything and report what would be imported, writing nothing
    #[arg(long)]
    pub dry_run: bool,
    /// Import the valid polls and leave out the invalid ones
    #[arg(long)]
    pub skip_invalid: bool,
    /// With --skip-invalid: write the rejected rows here, as they were, with a reason column
    #[arg(long, value_name = "FILE", requires = "skip_invalid")]
    pub rejects: Option<PathBuf>,
    /// What to do with a stored poll whose numbers differ from the file's
    #[arg(long, value_enum, default_value = "refuse")]
    pub on_conflict: ConflictPolicy,
    /// Bring back polls that were deleted (by default a poll of the file matching a deleted
    /// one is left out, and counted in the summary)
    #[arg(long)]
    pub restore_deleted: bool,
    /// Rows dated this day (YYYY-MM-DD) are an election's result, not polls: left out of
    /// averages and drawn apart (repeat for several elections)
    #[arg(long = "election-date", value_name = "DATE")]
    pub election_dates: Vec<String>,
}

#[derive(Clone, Copy, ValueEnum)]
pub enum ImportFormat {
    /// Our long format, or any table through --map and --answers
    Long,
    /// FiveThirtyEight's poll files, long or wide
    #[value(name = "538")]
    FiveThirtyEight,
}

#[derive(Clone, Copy, ValueEnum)]
pub enum ConflictPolicy {
    /// Import nothing and list the conflicts
    Refuse,
    /// Replace the stored poll; the change is recorded in its history
    Replace,
    /// Keep the stored poll
    Skip,
}

impl Args {
    /// Whether the polls come from standard input, which a second run could not read again.
    pub fn reads_stdin(&self) -> bool {
        self.file.as_os_str() == "-"
    }
}
