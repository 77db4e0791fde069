use super::Ctx;
use polltrack::Result;

/// Create the database, or bring an existing one's schema up to date.
///
/// Every command that writes does this by itself; `init` is for starting an empty file.
#[derive(clap::Args)]
#[command(after_help = "Examples:\n  polltrack init\n  polltrack --db ~/polls/korea.db init")]
pub struct Args {}

pub async fn run(ctx: &mut Ctx, _args: Args) -> Result<()> {
    // `init` is where a new database starts, so it makes the folder that is to hold it.
    if let Some(folder) = ctx
        .path
        .parent()
        .filter(|f| !f.as_os_str().is_empty() && !f.exists())
    {
        std::fs::create_dir_all(folder).map_err(|e| {
            polltrack::Error::Failed(format!(
                "cannot create the folder {}: {e}",
                folder.display()
            ))
        })?;
        ctx.out
            .line(format!("Created folder {}", folder.display()))?;
    }
    let db = ctx.db().await?;
    let path = db.describe();
    let verb = match (db.is_new(), &ctx.location) {
        // The server's database existed: what is new is polltrack's tables in it.
        (true, polltrack::db::Location::Postgres(_)) => ": polltrack's tables created",
        (true, _) => " created",
        (false, _) => " is ready (schema up to date)",
    };
    ctx.out.line(format!("Database {path}{verb}"))
}
