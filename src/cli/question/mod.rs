mod color;
mod show;

use super::Ctx;
use super::kind::KindOrNone;
use super::output::date_or_dash;
use clap::Subcommand;
use polltrack::Result;
use polltrack::app::registry;
use polltrack::model::{Question, QuestionKind};

/// The questions polls asked.
#[derive(Subcommand)]
pub enum Command {
    /// List the questions with their number of polls and date span
    #[command(
        after_help = "Examples:\n  polltrack question list\n  polltrack question list --json"
    )]
    List {
        /// Print JSON, for scripts, instead of a table
        #[arg(long)]
        json: bool,
    },
    /// Show a question: wording, populations, answers and pollsters recorded
    #[command(after_help = "Examples:\n  polltrack question show kr-gsomia")]
    Show {
        /// The question's slug
        slug: String,
        /// Print JSON, for scripts, instead of a table
        #[arg(long)]
        json: bool,
    },
    /// Give a question a new slug, and optionally a new wording or topic (the slug may stay the
    /// same to change only those)
    #[command(after_help = "Examples:\n  \
        polltrack question rename gsomia kr-gsomia\n  \
        polltrack question rename kr-gsomia kr-gsomia --topic \"Japan relations\"")]
    Rename {
        /// The question's slug now
        slug: String,
        /// Its new slug (the same one to change only the wording or topic)
        new_slug: String,
        /// A new wording, as the pollster asked it
        #[arg(long, value_name = "TEXT")]
        wording: Option<String>,
        /// A topic to group questions by (e.g. "Japan relations")
        #[arg(long, value_name = "TEXT")]
        topic: Option<String>,
    },
    /// Say what kind of question it is, which decides the population its trend counts first
    /// when a poll asked several: adults for approval, favourability and issue questions,
    /// likely voters for vote intention (and for a question of no kind)
    #[command(after_help = "Examples:\n  \
        polltrack question kind approval-donald-trump approval\n  \
        polltrack question kind generic-ballot-2020 vote\n  \
        polltrack question kind kr-gsomia none")]
    Kind {
        /// The question's slug
        slug: String,
        /// approval, favourability (or favorability), issue, vote, or none to unset it
        #[arg(value_enum)]
        kind: KindOrNone,
    },
    Color(color::Args),
}

impl Command {
    pub fn writes(&self) -> bool {
        match self {
            Command::Color(args) => args.writes(),
            other => matches!(other, Command::Rename { .. } | Command::Kind { .. }),
        }
    }
}

pub async fn run(ctx: &mut Ctx, command: Command) -> Result<()> {
    match command {
        Command::List { json } => {
            let questions = registry::questions(ctx.db().await?).await?;
            if json {
                return ctx.out.json(&questions);
            }
            let rows: Vec<Vec<String>> = questions.iter().map(row).collect();
            ctx.out.table(
                &["SLUG", "KIND", "POLLS", "FIRST", "LAST", "WORDING"],
                &rows,
            )
        }
        Command::Show { slug, json } => {
            let detail = registry::question(ctx.db().await?, &slug).await?;
            if json {
                return ctx.out.json(&detail);
            }
            show::print(ctx, &detail)
        }
        Command::Rename {
            slug,
            new_slug,
            wording,
            topic,
        } => {
            let request = registry::RenameQuestion {
                slug,
                new_slug,
                wording,
                topic,
            };
            registry::rename_question(ctx.db().await?, &request).await?;
            let (old, new) = (request.slug.trim(), request.new_slug.trim());
            ctx.out.line(format!("Question {old} is now {new}"))
        }
        Command::Color(args) => color::run(ctx, args).await,
        Command::Kind { slug, kind } => {
            let kind = kind.kind();
            let old = registry::set_question_kind(ctx.db().await?, &slug, kind).await?;
            ctx.out.line(format!(
                "Question {} is of kind {} (was {})",
                slug.trim(),
                kind.map_or("none", QuestionKind::name),
                old.map_or("none", QuestionKind::name)
            ))
        }
    }
}

fn row(q: &Question) -> Vec<String> {
    vec![
        q.slug.clone(),
        q.kind.map_or("-", QuestionKind::name).to_string(),
        q.polls.to_string(),
        date_or_dash(q.first_date),
        date_or_dash(q.last_date),
        q.wording.clone(),
    ]
}
