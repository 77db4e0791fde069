use super::output::{summary, warn};
use super::question::KindName;
use super::{Ctx, values};
use polltrack::Result;
use polltrack::db::prelude::*;
use polltrack::model::{Poll, ResultSet, Source, clean_text, normalize_poll};

/// Record a poll, or add a question or population to a stored poll.
///
/// One poll, as a news article reports it: whatever is unknown is simply left out. A new
/// question needs --wording once; after that its slug is enough.
#[derive(clap::Args)]
// Outlet and source date describe a source, so they need --source or --source-title.
#[command(group(clap::ArgGroup::new("source_or_title").args(["source", "source_title"]).multiple(true)))]
#[command(after_help = "Examples:\n  \
    polltrack add --pollster \"Gallup Korea\" --question kr-gsomia \\\n    \
      --wording \"Do you support or oppose the GSOMIA military intelligence pact with Japan?\" \\\n    \
      --answer Oppose=59 --published 2016-11-18 --region \"South Korea\" \\\n    \
      --source-title \"South Korea signs controversial intelligence pact with Japan\" \\\n    \
      --outlet \"Press TV\" --source-date 2016-11-23\n  \
    polltrack add --pollster \"Example Polling\" --question us-approval --answer Approve=41 \\\n    \
      --wording \"Do you approve of the way the president is handling the job?\" \\\n    \
      --answer Disapprove=52 --start 2024-03-01 --end 2024-03-04 --population rv --sample 1500 \\\n    \
      --kind approval\n  \
    polltrack add --poll 2 --question us-approval --population lv --answer Approve=43 --answer Disapprove=53")]
pub struct Args {
    /// Who carried out the poll (matched case-insensitively and through aliases)
    #[arg(long, value_name = "NAME", required_unless_present = "poll")]
    pollster: Option<String>,
    /// The question's slug, a short stable key such as kr-gsomia
    #[arg(long, value_name = "SLUG")]
    question: String,
    /// What was asked; needed the first time a question is recorded
    #[arg(long, value_name = "TEXT")]
    wording: Option<String>,
    /// What kind of question it is (approval, favourability, issue, vote), which decides the
    /// population its trend counts first; given to the question when it has none
    #[arg(long, value_enum, value_name = "KIND")]
    kind: Option<KindName>,
    /// An answer and its percentage, e.g. Oppose=59 (repeat for each answer known)
    #[arg(long = "answer", value_name = "LABEL=PCT", required = true)]
    answers: Vec<String>,
    /// First day of fieldwork (YYYY-MM-DD)
    #[arg(long, value_name = "DATE")]
    start: Option<String>,
    /// Last day of fieldwork (YYYY-MM-DD)
    #[arg(long, value_name = "DATE")]
    end: Option<String>,
    /// Day the pollster published the results (YYYY-MM-DD)
    #[arg(long, value_name = "DATE")]
    published: Option<String>,
    /// Who was asked: a (adults), rv (registered voters), lv (likely voters), v (voters), or a
    /// named subpopulation
    #[arg(long, value_name = "P", default_value = "a")]
    population: String,
    /// Sample size (fractional sizes are kept as published)
    #[arg(long, value_name = "N")]
    sample: Option<String>,
    /// Margin of error, in percentage points
    #[arg(long, value_name = "X")]
    moe: Option<String>,
    /// How it was asked: online, live phone, IVR, mixed...
    #[arg(long, value_name = "M")]
    mode: Option<String>,
    /// Who commissioned it (repeat for several)
    #[arg(long = "sponsor", value_name = "NAME")]
    sponsors: Vec<String>,
    /// Country or region polled
    #[arg(long, value_name = "R")]
    region: Option<String>,
    /// Free-text notes
    #[arg(long, value_name = "TEXT")]
    notes: Option<String>,
    /// The poll was commissioned by a party or campaign
    #[arg(long)]
    partisan: bool,
    /// The poll is part of a tracking series
    #[arg(long)]
    tracking: bool,
    /// URL of the article or release that reported the poll
    #[arg(long, value_name = "URL")]
    source: Option<String>,
    /// Title of that article
    #[arg(long, value_name = "T")]
    source_title: Option<String>,
    /// Outlet that published it
    #[arg(long, value_name = "O", requires = "source_or_title")]
    outlet: Option<String>,
    /// Day the article was published (YYYY-MM-DD)
    #[arg(long, value_name = "DATE", requires = "source_or_title")]
    source_date: Option<String>,
    /// Add this question or population to the stored poll with this id
    #[arg(long, value_name = "ID", conflicts_with_all = [
        "pollster", "start", "end", "published", "mode", "sponsors", "region", "notes",
        "partisan", "tracking",
    ])]
    poll: Option<i64>,
    /// Record the poll even if the same one is stored already
    #[arg(long)]
    allow_duplicate: bool,
}

pub async fn run(ctx: &mut Ctx, args: Args) -> Result<()> {
    let kind = args.kind.map(Into::into);
    let result = ResultSet {
        question: args.question,
        wording: args.wording,
        population: args.population,
        sample_size: values::sample_size(args.sample.as_deref())?,
        margin_of_error: values::margin_of_error(args.moe.as_deref())?,
        answers: values::answers(&args.answers)?,
    };
    let source = Source {
        id: None,
        url: clean_text(args.source.as_deref()),
        title: clean_text(args.source_title.as_deref()),
        outlet: clean_text(args.outlet.as_deref()),
        published_on: values::date("--source-date", args.source_date.as_deref())?,
    };
    let sources: Vec<Source> = if source.url.is_some() || source.title.is_some() {
        vec![source]
    } else {
        Vec::new()
    };

    if let Some(id) = args.poll {
        let db = ctx.db().await?;
        let outcome = db
            .add_results_of_kind(id, vec![result], sources, kind, args.allow_duplicate)
            .await?;
        warn(&outcome.warnings);
        return ctx.out.line(format!("Added to poll {id}"));
    }

    let mut poll = Poll {
        pollster: args.pollster.unwrap_or_default(),
        sponsors: args.sponsors,
        field_start: values::date("--start", args.start.as_deref())?,
        field_end: values::date("--end", args.end.as_deref())?,
        published_on: values::date("--published", args.published.as_deref())?,
        mode: args.mode,
        region: args.region,
        partisan: args.partisan,
        tracking: args.tracking,
        notes: args.notes,
        results: vec![result],
        sources,
        ..Default::default()
    };
    normalize_poll(&mut poll);
    values::check(&poll)?;
    let db = ctx.db().await?;
    let outcome = db
        .add_poll_of_kind(&poll, args.allow_duplicate, kind)
        .await?;
    warn(&outcome.warnings);
    // Read back, so the summary names the pollster as stored (an alias resolved).
    let stored = db.get_poll(outcome.id).await?;
    ctx.out
        .line(format!("Added poll {}: {}", outcome.id, summary(&stored)))
}
