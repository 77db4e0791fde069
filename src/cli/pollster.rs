use super::Ctx;
use super::output::date_or_dash;
use clap::Subcommand;
use polltrack::Result;

/// Pollsters and the other spellings of their names.
#[derive(Subcommand)]
pub enum Command {
    /// List the pollsters with their aliases, number of polls and date span
    #[command(
        after_help = "Examples:\n  polltrack pollster list\n  polltrack pollster list --json"
    )]
    List {
        #[arg(long)]
        json: bool,
    },
    /// Make ALIAS another spelling of the pollster NAME, applied wherever a name comes in
    #[command(
        after_help = "Examples:\n  polltrack pollster alias \"YouGov Plc\" YouGov\n
  polltrack pollster alias \"Gallup Korea Research\" \"Gallup Korea\""
    )]
    Alias { alias: String, name: String },
    /// Move every poll of FROM to INTO; FROM's name becomes an alias of INTO
    #[command(after_help = "Examples:\n  polltrack pollster merge \"You Gov\" YouGov")]
    Merge { from: String, into: String },
}

impl Command {
    pub fn writes(&self) -> bool {
        !matches!(self, Command::List { .. })
    }
}

pub async fn run(ctx: &mut Ctx, command: Command) -> Result<()> {
    match command {
        Command::List { json } => {
            let pollsters = ctx.db().await?.list_pollsters().await?;
            if json {
                return ctx.out.json(&pollsters);
            }
            let rows: Vec<Vec<String>> = pollsters
                .iter()
                .map(|p| {
                    vec![
                        p.name.clone(),
                        p.polls.to_string(),
                        date_or_dash(p.first_date),
                        date_or_dash(p.last_date),
                        p.aliases.join(", "),
                    ]
                })
                .collect();
            ctx.out
                .table(&["POLLSTER", "POLLS", "FIRST", "LAST", "ALIASES"], &rows)
        }
        Command::Alias { alias, name } => {
            let canonical = ctx.db().await?.add_pollster_alias(&alias, &name).await?;
            ctx.out
                .line(format!("\"{}\" now stands for {canonical}", alias.trim()))
        }
        Command::Merge { from, into } => {
            let moved = ctx.db().await?.merge_pollsters(&from, &into).await?;
            ctx.out.line(format!(
                "Moved {moved} polls from {} to {}; \"{}\" is now an alias",
                from.trim(),
                into.trim(),
                from.trim()
            ))
        }
    }
}
