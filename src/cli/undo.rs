use super::Ctx;
use polltrack::Result;

/// Undo the last change of a poll: an edit goes back, a delete is restored, a poll only added is
/// deleted. The undo is in the history, and can be undone in turn.
#[derive(clap::Args)]
#[command(after_help = "Examples:\n  polltrack undo 12\n  \
                        polltrack undo 12 --reason \"the release was right after all\"")]
pub struct Args {
    /// The poll's id
    id: i64,
}

pub async fn run(ctx: &mut Ctx, args: Args) -> Result<()> {
    let id = args.id;
    let undone = polltrack::app::polls::undo(ctx.db().await?, id).await?;
    let set = undone
        .change_set
        .map(|s| format!(" (change {s})"))
        .unwrap_or_default();
    let headline = match undone.undid.as_str() {
        "add" => format!("Undid the addition of poll {id}: deleted (a full copy is kept)"),
        "delete" => format!("Undid the deletion of poll {id}{set}: restored as it was"),
        "restore" => format!("Undid the restore of poll {id}{set}: deleted again"),
        action => format!("Undid the last {action} of poll {id}{set}"),
    };
    ctx.out.line(headline)?;
    if matches!(undone.undid.as_str(), "edit" | "undo") {
        for c in &undone.changes {
            ctx.out.line(format!(
                "  {}: {} -> {}",
                c.field,
                c.old_value.as_deref().unwrap_or("(none)"),
                c.new_value.as_deref().unwrap_or("(none)")
            ))?;
        }
    }
    Ok(())
}
