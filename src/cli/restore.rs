use super::Ctx;
use super::output::summary;
use polltrack::Result;

/// Bring a deleted poll back as it was: the same id, fields, answers, sponsors and sources.
#[derive(clap::Args)]
#[command(after_help = "Examples:\n  polltrack restore 12\n  \
                        polltrack restore 12 --reason \"deleted by mistake\"")]
pub struct Args {
    /// The deleted poll's id (`polltrack history` lists deletions)
    id: i64,
}

pub async fn run(ctx: &mut Ctx, args: Args) -> Result<()> {
    let poll = polltrack::app::polls::restore(ctx.db().await?, args.id).await?;
    ctx.out
        .line(format!("Restored poll {}: {}", args.id, summary(&poll)))
}
