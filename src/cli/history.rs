use super::Ctx;
use polltrack::Result;
use polltrack::db::prelude::*;

/// Show the recorded edits and deletions, of one poll or of all.
#[derive(clap::Args)]
#[command(
    after_help = "Examples:\n  polltrack history\n  polltrack history 3\n  polltrack history 3 --json"
)]
pub struct Args {
    /// Only this poll's history
    id: Option<i64>,
    /// Print JSON (a deleted poll's full copy is in its old_value)
    #[arg(long)]
    json: bool,
}

pub async fn run(ctx: &mut Ctx, args: Args) -> Result<()> {
    let changes = ctx.db().await?.history(args.id).await?;
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
            let what = if c.action == "delete" && c.field == "combined" {
                format!(
                    "combined into {} (full copy: history --json)",
                    c.new_value.as_deref().unwrap_or("another poll")
                )
            } else if c.action == "delete" {
                "poll deleted (full copy: history --json)".to_string()
            } else {
                format!(
                    "{}: {} -> {}",
                    c.field,
                    c.old_value.as_deref().unwrap_or("(none)"),
                    c.new_value.as_deref().unwrap_or("(none)")
                )
            };
            vec![
                c.changed_at.clone(),
                c.poll_id.to_string(),
                c.action.clone(),
                what,
            ]
        })
        .collect();
    ctx.out
        .table(&["WHEN (UTC)", "POLL", "ACTION", "CHANGE"], &rows)
}
