mod change;

use super::Ctx;
use super::output::date_or_dash;
use clap::Subcommand;
use polltrack::Result;
use polltrack::app::registry;

/// Pollsters and the other spellings of their names.
#[derive(Subcommand)]
pub enum Command {
    /// List the pollsters with their aliases, number of polls and date span
    #[command(
        after_help = "Examples:\n  polltrack pollster list\n  polltrack pollster list --json"
    )]
    List {
        /// Print JSON, for scripts, instead of a table
        #[arg(long)]
        json: bool,
    },
    /// Make ALIAS another spelling of the pollster NAME, applied wherever a name comes in
    #[command(
        after_help = "Examples:\n  polltrack pollster alias \"YouGov Plc\" YouGov\n  \
        polltrack pollster alias \"Gallup Korea Research\" \"Gallup Korea\""
    )]
    Alias {
        /// The other spelling
        alias: String,
        /// The pollster it stands for (its name or an alias)
        name: String,
    },
    /// Move every poll of FROM to INTO; FROM's name becomes an alias of INTO
    ///
    /// A poll of FROM with the same dates as a poll of INTO and a question asked of the same
    /// population would become the same poll twice: the merge names each such pair and changes
    /// nothing, unless --combine makes each pair one poll. An INTO not stored yet is FROM
    /// renamed (as `pollster rename FROM INTO`).
    #[command(
        after_help = "Examples:\n  polltrack pollster merge \"You Gov\" YouGov\n  \
        polltrack pollster merge Emnid \"Kantar Emnid\" --combine\n  \
        polltrack pollster merge \"Quinnipac University\" \"Quinnipiac University\""
    )]
    Merge {
        /// The pollster whose polls move (its name or an alias)
        from: String,
        /// The pollster they move to, or a name not stored yet (a rename)
        into: String,
        /// Make each poll of FROM that repeats a poll of INTO part of that poll (its sources,
        /// questions and details added; its history kept, ending with where it went)
        #[arg(long)]
        combine: bool,
    },
    /// Give a pollster another name, the one shown; the old name stays an alias
    ///
    /// NEW may be one of the pollster's aliases: the alias becomes the name shown and the name
    /// an alias. A NEW that stands for another pollster is refused: merge the two instead.
    #[command(after_help = "Examples:\n  \
        polltrack pollster rename \"Quinnipac University\" \"Quinnipiac University\"\n  \
        polltrack pollster rename 갤럽 \"Gallup Korea\"\n  \
        polltrack pollster rename \"Emmerson College\" \"Emerson College\" --drop-old-name")]
    Rename {
        /// The pollster's name, or one of its aliases
        old: String,
        /// The name to show from now on
        new: String,
        /// Do not keep the old name as an alias (a misspelling that should not match again)
        #[arg(long)]
        drop_old_name: bool,
    },
    /// Remove the pollsters that have no polls left (their polls deleted, or moved by edits)
    #[command(after_help = "Examples:\n  polltrack pollster prune")]
    Prune,
}

impl Command {
    pub fn writes(&self) -> bool {
        !matches!(self, Command::List { .. })
    }
}

pub async fn run(ctx: &mut Ctx, command: Command) -> Result<()> {
    match command {
        Command::List { json } => {
            let pollsters = registry::pollsters(ctx.db().await?).await?;
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
            let canonical = registry::alias_pollster(ctx.db().await?, &alias, &name).await?;
            ctx.out
                .line(format!("\"{}\" now stands for {canonical}", alias.trim()))
        }
        Command::Merge {
            from,
            into,
            combine,
        } => change::merge(ctx, &from, &into, combine).await,
        Command::Rename {
            old,
            new,
            drop_old_name,
        } => change::rename(ctx, &old, &new, !drop_old_name).await,
        Command::Prune => change::prune(ctx).await,
    }
}
