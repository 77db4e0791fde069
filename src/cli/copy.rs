use super::Ctx;
use super::dump::summary;
use polltrack::Result;
use polltrack::app::dump::copy;
use polltrack::db::{Access, Database, Location};
use polltrack::error::Hint;
use std::path::PathBuf;

/// Copy a whole database to another, between SQLite and PostgreSQL in either direction.
///
/// Everything moves, ids and history included: polls, pollsters and their aliases, questions,
/// sources and their links, deleted polls' keys. The database copied into must be new or
/// empty (else exit 5, nothing changed); it is written in one transaction, so a failed copy
/// writes nothing. An export of the copy is byte for byte an export of the original.
#[derive(clap::Args)]
#[command(after_help = "Examples:\n  \
    polltrack --db polls.db copy --to postgres://desk@db.example.org/polls\n  \
    polltrack --db backup.db copy --from postgres://desk@db.example.org/polls")]
#[group(required = true, multiple = false)]
pub struct Args {
    /// The database to copy --db into (a new file, or an empty PostgreSQL database)
    #[arg(long, value_name = "PATH|URL")]
    to: Option<PathBuf>,
    /// The database to copy into --db (which must be new or empty)
    #[arg(long, value_name = "PATH|URL")]
    from: Option<PathBuf>,
}

impl Args {
    /// Whether --db is the database written (`--from`).
    pub fn writes(&self) -> bool {
        self.from.is_some()
    }
}

pub async fn run(ctx: &mut Ctx, args: Args) -> Result<()> {
    let (other, access) = match (&args.to, &args.from) {
        (Some(to), _) => (Location::parse(to)?, Access::Create),
        (None, Some(from)) => (Location::parse(from)?, Access::ReadExisting),
        (None, None) => unreachable!("clap requires --to or --from"),
    };
    if other == ctx.location {
        return Err(polltrack::Error::usage(format!(
            "{} cannot be copied into itself: name another database",
            other.describe()
        )));
    }
    let other_db = Database::open(&other, access).await?;
    let copied = match &args.to {
        Some(_) => copy(ctx.db().await?, &other_db).await,
        None => copy(&other_db, ctx.db().await?).await,
    };
    let counts = match copied {
        Ok(counts) => counts,
        Err(e) => {
            other_db.discard().await;
            return Err(match e.hint() {
                Some(Hint::LoadIntoNewDatabase) => e.with_hint(Hint::CopyIntoNewDatabase),
                _ => e,
            });
        }
    };
    other_db.close().await?;
    let (from, to) = match &args.to {
        Some(_) => (ctx.location.describe(), other.describe()),
        None => (other.describe(), ctx.location.describe()),
    };
    eprintln!("Copied {} from {from} to {to}", summary(&counts));
    Ok(())
}
