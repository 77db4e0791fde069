use super::Ctx;
use super::output::summary;
use polltrack::db::prelude::*;
use polltrack::{Error, Result};

/// Delete a poll. A full copy stays in the history (`polltrack history ID --json`).
#[derive(clap::Args)]
#[command(after_help = "Examples:\n  polltrack delete 12 --yes")]
pub struct Args {
    /// The poll's id
    id: i64,
    /// Confirm the deletion
    #[arg(long)]
    yes: bool,
}

pub async fn run(ctx: &mut Ctx, args: Args) -> Result<()> {
    if !args.yes {
        return Err(Error::Usage(format!(
            "deleting poll {} needs --yes to confirm: polltrack delete {} --yes",
            args.id, args.id
        )));
    }
    let deleted = ctx.db().await?.delete_poll(args.id).await?;
    ctx.out
        .line(format!("Deleted poll {}: {}", args.id, summary(&deleted)))
}
