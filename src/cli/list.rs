use super::output::{date_or_dash, number};
use super::{Ctx, values};
use polltrack::Result;
use polltrack::model::{PollFilter, answers_text};

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

/// The poll filters shared by the commands that read many polls.
#[derive(clap::Args)]
pub struct FilterArgs {
    /// Only this question (repeat for several)
    #[arg(long = "question", value_name = "SLUG")]
    questions: Vec<String>,
    /// Only this pollster, by name or alias (repeat for several)
    #[arg(long = "pollster", value_name = "NAME")]
    pollsters: Vec<String>,
    /// Only polls dated on or after this day (YYYY-MM-DD; a poll's date is the middle of its
    /// fieldwork, else its publication date)
    #[arg(long, value_name = "DATE")]
    since: Option<String>,
    /// Only polls dated on or before this day (YYYY-MM-DD)
    #[arg(long, value_name = "DATE")]
    until: Option<String>,
    /// Only this population (a, rv, lv, v or a named one)
    #[arg(long, value_name = "P")]
    population: Option<String>,
}

impl FilterArgs {
    pub fn filter(&self) -> Result<PollFilter> {
        Ok(PollFilter {
            questions: self
                .questions
                .iter()
                .map(|q| q.trim().to_string())
                .collect(),
            pollsters: self.pollsters.clone(),
            since: values::date("--since", self.since.as_deref())?,
            until: values::date("--until", self.until.as_deref())?,
            population: self
                .population
                .as_deref()
                .map(polltrack::model::normalize_population),
        })
    }
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
