use super::Ctx;
use super::chart::{CHARTS_DIR, Job, draw};
use super::output::warn;
use polltrack::Result;
use polltrack::app::demo::{self, ExamplePoll};
use polltrack::db::Location;
use std::path::Path;

/// The whole job in one command: record a poll from the news, import a poll series, chart it.
///
/// On the database (polls.db here, or --db): records the Gallup Korea GSOMIA poll of
/// 2016-11-18 with the article that reported it, imports a simulated series of polls by several
/// pollsters (each with its own house effect), fits their trends, and draws the charts into
/// charts/. Running it again adds nothing new and redraws the charts.
#[derive(clap::Args)]
#[command(after_help = "Examples:\n  \
    polltrack demo\n  \
    polltrack --db demo.db demo --polls 2000 --seed 7")]
pub struct Args {
    /// How many simulated polls to import (1 to 1,000,000)
    #[arg(long, default_value_t = 600,
          value_parser = super::simulate::count(polltrack::analysis::simulate::MAX_POLLS))]
    polls: usize,
    /// The simulation's seed: the same seed gives the same polls
    #[arg(long, default_value_t = 1)]
    seed: u64,
}

pub async fn run(ctx: &mut Ctx, args: Args) -> Result<()> {
    let db = ctx.db().await?;
    let path = db.describe();
    let gsomia = match demo::record_example_poll(db).await? {
        ExamplePoll::Recorded { id, warnings } => {
            warn(&warnings);
            format!("recorded as poll {id}")
        }
        ExamplePoll::StoredAlready => "stored already".to_string(),
    };
    ctx.out.line(format!("Database: {path}"))?;
    ctx.out.line(format!(
        "1. The Gallup Korea poll of 2016-11-18 reported by Press TV (59% oppose GSOMIA): {gsomia}"
    ))?;
    let simulated = demo::import_simulated(ctx.db().await?, args.polls, args.seed).await?;
    let slug = simulated.question;
    ctx.out.line(format!(
        "2. Simulated polls of question {slug} by {} pollsters over two years: {} added, {} \
         stored already",
        demo::POLLSTERS,
        simulated.added,
        simulated.stored_already
    ))?;
    ctx.out.line("3. Trends fitted and charts drawn:")?;
    for (request, file) in demo::charts(&slug) {
        let job = Job {
            request,
            output: Path::new(CHARTS_DIR).join(file),
            definition: None,
        };
        draw(ctx, &job).await?;
        ctx.out.line(format!("   {}", job.output.display()))?;
    }
    // The next commands must reach the database the demo wrote, wherever that is: without
    // --db when it is the default, or the one POLLTRACK_DB names.
    let path = match &ctx.location {
        Location::Postgres(url) => polltrack::db::without_password(url),
        Location::File(_) => ctx.location.describe(),
    };
    let from_environment = std::env::var_os(super::ENV_DB)
        .is_some_and(|db| Location::parse(Path::new(&db)).ok().as_ref() == Some(&ctx.location));
    let db = match shlex::try_quote(&path) {
        _ if path == "polls.db" || from_environment => String::new(),
        Ok(quoted) => format!(" --db {quoted}"),
        Err(_) => " --db PATH".to_string(),
    };
    ctx.out.line(format!(
        "Next: `polltrack{db} trend {slug} --method kalman`, `polltrack{db} house-effects \
         {slug}`, `polltrack{db} export -o polls.csv`."
    ))
}
