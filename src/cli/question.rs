use super::Ctx;
use super::output::date_or_dash;
use clap::{Subcommand, ValueEnum};
use polltrack::Result;
use polltrack::db::prelude::*;
use polltrack::model::{Question, QuestionKind};

/// A kind of question as the command line names it.
#[derive(Clone, Copy, ValueEnum)]
pub enum KindName {
    /// Approval of a politician or government: adults counted first
    Approval,
    /// Favourable or unfavourable opinion of someone: adults counted first
    #[value(alias = "favorability")]
    Favourability,
    /// Opinion on an issue or policy: adults counted first
    Issue,
    /// Vote intention: likely voters counted first
    Vote,
}

impl From<KindName> for QuestionKind {
    fn from(name: KindName) -> QuestionKind {
        match name {
            KindName::Approval => QuestionKind::Approval,
            KindName::Favourability => QuestionKind::Favourability,
            KindName::Issue => QuestionKind::Issue,
            KindName::Vote => QuestionKind::Vote,
        }
    }
}

/// A kind, or `none` to unset it.
#[derive(Clone, Copy, ValueEnum)]
pub enum KindOrNone {
    /// Approval of a politician or government: adults counted first
    Approval,
    /// Favourable or unfavourable opinion of someone: adults counted first
    #[value(alias = "favorability")]
    Favourability,
    /// Opinion on an issue or policy: adults counted first
    Issue,
    /// Vote intention: likely voters counted first
    Vote,
    /// No kind: likely voters counted first, with a warning where it matters
    None,
}

impl KindOrNone {
    fn kind(self) -> Option<QuestionKind> {
        match self {
            KindOrNone::Approval => Some(QuestionKind::Approval),
            KindOrNone::Favourability => Some(QuestionKind::Favourability),
            KindOrNone::Issue => Some(QuestionKind::Issue),
            KindOrNone::Vote => Some(QuestionKind::Vote),
            KindOrNone::None => None,
        }
    }
}

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
}

impl Command {
    pub fn writes(&self) -> bool {
        matches!(self, Command::Rename { .. } | Command::Kind { .. })
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
            ctx.out.table(
                &["SLUG", "KIND", "POLLS", "FIRST", "LAST", "WORDING"],
                &rows,
            )
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
            ctx.out
                .line(format!("  kind         {}", kind_or_dash(q.kind)))?;
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
        Command::Kind { slug, kind } => {
            let db = ctx.db().await?;
            let kind = kind.kind();
            let old = db.set_question_kind(slug.trim(), kind).await?;
            ctx.out.line(format!(
                "Question {} is of kind {} (was {})",
                slug.trim(),
                kind.map_or("none", QuestionKind::name),
                old.map_or("none", QuestionKind::name)
            ))
        }
    }
}

fn kind_or_dash(kind: Option<QuestionKind>) -> String {
    kind.map_or_else(|| "-".into(), |k| k.name().into())
}

fn row(q: &Question) -> Vec<String> {
    vec![
        q.slug.clone(),
        kind_or_dash(q.kind),
        q.polls.to_string(),
        date_or_dash(q.first_date),
        date_or_dash(q.last_date),
        q.wording.clone(),
    ]
}
