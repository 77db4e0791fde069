use super::Ctx;
use polltrack::Result;
use polltrack::model::{Change, Subject};

/// Show the recorded changes: of one poll, question, pollster or source, or of everything.
#[derive(clap::Args)]
#[command(
    after_help = "Examples:\n  polltrack history\n  polltrack history 3\n  \
                        polltrack history --question kr-gsomia\n  \
                        polltrack history --pollster YouGov\n  polltrack history --source 2\n  \
                        polltrack history 3 --json"
)]
pub struct Args {
    /// Only this poll's history
    #[arg(conflicts_with_all = ["question", "pollster", "source"])]
    id: Option<i64>,
    /// Only this question's history (renames, wording, kind, colours)
    #[arg(long, value_name = "SLUG", conflicts_with_all = ["pollster", "source"])]
    question: Option<String>,
    /// Only this pollster's history (aliases, merges); a name or an alias
    #[arg(long, value_name = "NAME", conflicts_with = "source")]
    pollster: Option<String>,
    /// Only this source's history (added, completed, linked), by id or URL
    #[arg(long, value_name = "ID|URL")]
    source: Option<String>,
    /// Print JSON (a deleted poll's full copy is in its old_value)
    #[arg(long)]
    json: bool,
}

pub async fn run(ctx: &mut Ctx, args: Args) -> Result<()> {
    let subject = match (args.id, args.question, args.pollster, args.source) {
        (Some(id), ..) => Some(Subject::Poll(id)),
        (_, Some(slug), ..) => Some(Subject::Question(slug)),
        (_, _, Some(name), _) => Some(Subject::Pollster(name)),
        (.., Some(key)) => Some(Subject::Source(key)),
        _ => None,
    };
    let db = ctx.db().await?;
    let changes = polltrack::app::polls::history_of(db, subject.as_ref()).await?;
    if args.json {
        return ctx.out.json(&changes);
    }
    if changes.is_empty() {
        eprintln!("no changes recorded");
        return Ok(());
    }
    let rows: Vec<Vec<String>> = changes
        .iter()
        .map(|c| {
            vec![
                c.changed_at.clone(),
                of(c),
                c.action.clone(),
                what(c),
                c.reason.clone().unwrap_or_default(),
            ]
        })
        .collect();
    ctx.out
        .table(&["WHEN (UTC)", "OF", "ACTION", "CHANGE", "REASON"], &rows)
}

/// What changed: `poll 2`, `question kr-gsomia`, `pollster YouGov`, `source 3`.
fn of(c: &Change) -> String {
    match (c.poll_id, &c.name, c.subject_id) {
        (Some(id), ..) => format!("poll {id}"),
        (None, Some(name), _) if c.subject != "source" => format!("{} {name}", c.subject),
        (None, _, Some(id)) => format!("{} {id}", c.subject),
        _ => c.subject.clone(),
    }
}

/// The change in words: a field's before and after, or what became of a whole poll.
fn what(c: &Change) -> String {
    match (c.action.as_str(), c.field.as_str()) {
        ("delete", "combined") => format!(
            "combined into {} (full copy: history --json)",
            c.new_value.as_deref().unwrap_or("another poll")
        ),
        ("delete", _) => "poll deleted (full copy: history --json)".to_string(),
        ("restore", _) => "poll restored as it was deleted".to_string(),
        _ => format!(
            "{}: {} -> {}",
            c.field,
            c.old_value.as_deref().unwrap_or("(none)"),
            c.new_value.as_deref().unwrap_or("(none)")
        ),
    }
}
