use super::Ctx;
use super::filters::FilterArgs;
use super::output::{date_or_dash, number};
use polltrack::Result;
use polltrack::model::answers_text;

/// List polls, one row per question and population, by date.
#[derive(clap::Args)]
#[command(after_help = "Examples:\n  \
    polltrack list\n  \
    polltrack list --question kr-gsomia --since 2016-01-01\n  \
    polltrack list --pollster yougov --population lv --json")]
pub struct Args {
    #[command(flatten)]
    pub filter: FilterArgs,
    /// Print JSON (the same shape as `show --json`, one object per poll)
    #[arg(long)]
    json: bool,
}

pub async fn run(ctx: &mut Ctx, args: Args) -> Result<()> {
    let filter = args.filter.filter()?;
    let polls = ctx.db().await?.list_polls(&filter).await?;
    if args.json {
        return ctx.out.json(&polls);
    }
    if polls.is_empty() {
        eprintln!("no polls match");
        return Ok(());
    }
    let mut rows = Vec::new();
    for poll in &polls {
        for result in &poll.results {
            rows.push(vec![
                poll.id.unwrap_or_default().to_string(),
                date_or_dash(poll.date()),
                poll.pollster.clone(),
                result.question.clone(),
                result.population.clone(),
                result.sample_size.map(number).unwrap_or_else(|| "-".into()),
                answers_text(result),
            ]);
        }
    }
    ctx.out.table(
        &["ID", "DATE", "POLLSTER", "QUESTION", "POP", "N", "ANSWERS"],
        &rows,
    )
}
