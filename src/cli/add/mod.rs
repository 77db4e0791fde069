//! `add`'s flags.

mod populations;
mod run;

pub use run::run;

use super::kind::KindName;

/// Record a poll, or add a question or population to a stored poll.
///
/// One poll, as a news article reports it: whatever is unknown is simply left out. A new
/// question needs --wording once; after that its slug is enough.
#[derive(clap::Args)]
// Outlet and source date describe a source, so they need --source or --source-title.
#[command(group(clap::ArgGroup::new("source_or_title").args(["source", "source_title"]).multiple(true)))]
#[command(after_help = "Examples:\n  \
    polltrack add --pollster \"Gallup Korea\" --question kr-gsomia \\\n    \
      --wording \"Do you support or oppose the GSOMIA pact with Japan?\" \\\n    \
      --answer Oppose=59 --published 2016-11-18 --region \"South Korea\" \\\n    \
      --source-title \"South Korea signs intelligence pact with Japan\" \\\n    \
      --outlet \"Press TV\" --source-date 2016-11-23\n  \
    polltrack add --pollster \"Example Polling\" --question us-approval \\\n    \
      --wording \"Do you approve of the way the president is handling the job?\" \\\n    \
      --answer Approve=41 --answer Disapprove=52 --population rv --sample 1500 \\\n    \
      --start 2024-03-01 --end 2024-03-04 --kind approval\n  \
    polltrack add --pollster \"Example Polling\" --question us-approval \\\n    \
      --end \"May 14, 2024\" --population a --population rv \\\n    \
      --answer a:Approve=40 --answer a:Disapprove=52 --sample a:1500 \\\n    \
      --answer rv:Approve=42 --answer rv:Disapprove=53 --sample rv:1210\n  \
    polltrack add --poll 2 --question us-approval --population lv \\\n    \
      --answer Approve=43 --answer Disapprove=53")]
pub struct Args {
    /// Who carried out the poll (matched case-insensitively and through aliases)
    #[arg(long, value_name = "NAME", required_unless_present = "poll")]
    pub(super) pollster: Option<String>,
    /// The question's slug, a short stable key such as kr-gsomia
    #[arg(long, value_name = "SLUG")]
    pub(super) question: String,
    /// What was asked; needed the first time a question is recorded
    #[arg(long, value_name = "TEXT")]
    pub(super) wording: Option<String>,
    /// What kind of question it is (approval, favourability, issue, vote), which decides the
    /// population its trend counts first; given to the question when it has none
    #[arg(long, value_enum, value_name = "KIND")]
    pub(super) kind: Option<KindName>,
    /// An answer and its percentage, e.g. Oppose=59 (repeat for each answer known); with
    /// several --population, prefixed with its population: rv:Approve=41
    #[arg(long = "answer", value_name = "LABEL=PCT", required = true)]
    pub(super) answers: Vec<String>,
    /// First day of fieldwork (2024-05-14, May 14, 2024, 14 May 2024, 14.05.2024...)
    #[arg(long, value_name = "DATE")]
    pub(super) start: Option<String>,
    /// Last day of fieldwork (a date as --start takes it)
    #[arg(long, value_name = "DATE")]
    pub(super) end: Option<String>,
    /// Day the pollster published the results (a date as --start takes it)
    #[arg(long, value_name = "DATE")]
    pub(super) published: Option<String>,
    /// Who was asked: a (adults, the default), rv (registered voters), lv (likely voters), v
    /// (voters), or a named subpopulation; repeat for a poll of several populations, each
    /// with its own --answer P:LABEL=PCT, --sample P:N and --moe P:X
    #[arg(long = "population", value_name = "P")]
    pub(super) populations: Vec<String>,
    /// Sample size (fractional sizes are kept as published); P:N for population P
    #[arg(long = "sample", value_name = "N")]
    pub(super) samples: Vec<String>,
    /// Margin of error, in percentage points; P:X for population P
    #[arg(long = "moe", value_name = "X")]
    pub(super) moes: Vec<String>,
    /// How it was asked: online, live phone, IVR, mixed...
    #[arg(long, value_name = "M")]
    pub(super) mode: Option<String>,
    /// Who commissioned it (repeat for several)
    #[arg(long = "sponsor", value_name = "NAME")]
    pub(super) sponsors: Vec<String>,
    /// Country or region polled
    #[arg(long, value_name = "R")]
    pub(super) region: Option<String>,
    /// Free-text notes
    #[arg(long, value_name = "TEXT")]
    pub(super) notes: Option<String>,
    /// The poll was commissioned by a party or campaign
    #[arg(long)]
    pub(super) partisan: bool,
    /// The poll is part of a tracking series
    #[arg(long)]
    pub(super) tracking: bool,
    /// The row is an election result, not a poll: left out of averages, drawn apart
    #[arg(long)]
    pub(super) election: bool,
    /// URL of the article or release that reported the poll
    #[arg(long, value_name = "URL")]
    pub(super) source: Option<String>,
    /// Title of that article
    #[arg(long, value_name = "T")]
    pub(super) source_title: Option<String>,
    /// Outlet that published it
    #[arg(long, value_name = "O", requires = "source_or_title")]
    pub(super) outlet: Option<String>,
    /// Day the article was published (a date as --start takes it)
    #[arg(long, value_name = "DATE", requires = "source_or_title")]
    pub(super) source_date: Option<String>,
    /// Add this question or population to the stored poll with this id
    #[arg(long, value_name = "ID", conflicts_with_all = [
        "pollster", "start", "end", "published", "mode", "sponsors", "region", "notes",
        "partisan", "tracking", "election",
    ])]
    pub(super) poll: Option<i64>,
    /// Record the poll even if the same one is stored already
    #[arg(long)]
    pub(super) allow_duplicate: bool,
    #[command(flatten)]
    pub(super) new_names: super::names::Flags,
}
