use super::Ctx;
use super::output::date_or_dash;
use clap::Subcommand;
use polltrack::Result;
use polltrack::model::Question;

/// The questions polls asked.
#[derive(Subcommand)]
pub enum Command {
    /// List the questions with their number of polls and date span
    #[command(
        after_help = "Examples:\n  polltrack question list\n  polltrack question list --json"
    )]
    List {
        #[arg(long)]
        json: bool,
    },
    /// Show a question: wording, populations, answers and pollsters recorded
    #[command(after_help = "Examples:\n  polltrack question show kr-gsomia")]
    Show {
        slug: String,
        #[arg(long)]
        json: bool,
    },
    /// Give a question a new slug, and optionally a new wording or topic (the slug may stay the
    /// same to change only those)
    #[command(after_help = "Examples:\n  \
        polltrack question rename gsomia kr-gsomia\n  \
        polltrack question rename kr-gsomia kr-gsomia --topic \"Japan relations\"")]
    Rename {
        slug: String,
        new_slug: String,
        #[arg(long, value_name = "TEXT")]
        wording: Option<String>,
        #[arg(long, value_name = "TEXT")]
        topic: Option<String>,
    },
}

impl Command {
    pub fn writes(&self) -> bool {
        matches!(self, Command::Rename { .. })
    }
}

pub async fn run(ctx: &mut Ctx, command: Command) -> Result<()> {
    match command {
        Command::List { json } => {
            let questions = ctx.db().await?.list_questions().await?;
            if json {
                return ctx.out.json(&questions);
            }
            let rows: Vec<Vec<String>> = questions.iter().map(row).collect();
            ctx.out
                .table(&["SLUG", "POLLS", "FIRST", "LAST", "WORDING"], &rows)
        }
        Command::Show { slug, json } => {
            let detail = ctx.db().await?.get_question(slug.trim()).await?;
            if json {
                return ctx.out.json(&detail);
            }
            let q = &detail.question;
            let counted = |items: &[(String, i64)]| {
                let parts: Vec<String> = items
                    .iter()
                    .map(|(name, n)| format!("{name} ({n})"))
                    .collect();
                if parts.is_empty() {
                    "-".to_string()
                } else {
                    parts.join(", ")
                }
            };
            ctx.out.line(format!("Question {}", q.slug))?;
            ctx.out.line(format!("  wording      {}", q.wording))?;
            ctx.out.line(format!(
                "  topic        {}",
                q.topic.clone().unwrap_or_else(|| "-".into())
            ))?;
            ctx.out.line(format!(
                "  polls        {} from {} pollsters, {} to {}",
                q.polls,
                detail.pollsters,
                date_or_dash(q.first_date),
                date_or_dash(q.last_date)
            ))?;
            ctx.out
                .line(format!("  populations  {}", counted(&detail.populations)))?;
            ctx.out
                .line(format!("  answers      {}", counted(&detail.answers)))
        }
        Command::Rename {
            slug,
            new_slug,
            wording,
            topic,
        } => {
            let db = ctx.db().await?;
            db.rename_question(slug.trim(), &new_slug, wording.as_deref(), topic.as_deref())
                .await?;
            ctx.out.line(format!(
                "Question {} is now {}",
                slug.trim(),
                new_slug.trim()
            ))
        }
    }
}

fn row(q: &Question) -> Vec<String> {
    vec![
        q.slug.clone(),
        q.polls.to_string(),
        date_or_dash(q.first_date),
        date_or_dash(q.last_date),
        q.wording.clone(),
    ]
}
