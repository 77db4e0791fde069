//! `source`: the articles and releases that reported polls.

mod print;

use super::output::date_or_dash;
use super::{Ctx, values};
use clap::Subcommand;
use polltrack::app::registry;
use polltrack::{Error, Result};
use print::{linked, poll_list, row};

/// The articles and releases that reported polls.
#[derive(Subcommand)]
pub enum Command {
    /// Record an article (or complete the stored one with the same URL), optionally linking it
    /// to polls
    #[command(after_help = "Examples:\n  \
        polltrack source add https://example.org/gsomia-poll \\\n    \
          --title \"Most oppose the pact\" --outlet \"Korea Herald\" \\\n    \
          --published 2016-11-19 --poll 1\n  \
        polltrack source add --title \"Evening news report\" --outlet KBS --poll 1")]
    Add {
        /// The article's URL
        url: Option<String>,
        /// The article's headline (a source may have a title and no URL)
        #[arg(long, value_name = "T")]
        title: Option<String>,
        /// Who published it: a newspaper, broadcaster or the pollster itself
        #[arg(long, value_name = "O")]
        outlet: Option<String>,
        /// Day the article was published (2024-05-14, May 14, 2024, 14.05.2024...)
        #[arg(long, value_name = "DATE")]
        published: Option<String>,
        /// Link it to this poll (repeat for several)
        #[arg(long = "poll", value_name = "ID")]
        polls: Vec<i64>,
    },
    /// List the sources, with the polls each reported
    #[command(
        after_help = "Examples:\n  polltrack source list\n  polltrack source list --poll 1 --json"
    )]
    List {
        /// Only the sources of this poll
        #[arg(long, value_name = "ID")]
        poll: Option<i64>,
        /// Print JSON, for scripts, instead of a table
        #[arg(long)]
        json: bool,
    },
    /// Show one source, by id or URL
    #[command(
        after_help = "Examples:\n  polltrack source show 1\n  polltrack source show https://example.org/gsomia-poll"
    )]
    Show {
        /// The source's id or URL
        source: String,
        /// Print JSON, for scripts, instead of a table
        #[arg(long)]
        json: bool,
    },
    /// Link a source, by id or URL, to polls
    #[command(after_help = "Examples:\n  polltrack source link 1 2 3")]
    Link {
        /// The source's id or URL
        source: String,
        /// The polls it reported
        #[arg(required = true, value_name = "POLL_ID")]
        polls: Vec<i64>,
    },
}

impl Command {
    pub fn writes(&self) -> bool {
        matches!(self, Command::Add { .. } | Command::Link { .. })
    }
}

pub async fn run(ctx: &mut Ctx, command: Command) -> Result<()> {
    match command {
        Command::Add {
            url,
            title,
            outlet,
            published,
            polls,
        } => {
            let source = values::source(
                url.as_deref(),
                title.as_deref(),
                outlet.as_deref(),
                ("--published", published.as_deref()),
            )?;
            if source.url.is_none() && source.title.is_none() {
                return Err(Error::usage("a source needs a URL or a --title"));
            }
            let id = registry::add_source(ctx.db().await?, &source, &polls).await?;
            ctx.out
                .line(format!("Source {id} recorded{}", linked(&polls)))
        }
        Command::List { poll, json } => {
            let sources = registry::sources(ctx.db().await?, poll).await?;
            if json {
                return ctx.out.json(&sources);
            }
            let rows: Vec<Vec<String>> = sources.iter().map(row).collect();
            ctx.out.table(
                &["ID", "PUBLISHED", "OUTLET", "POLLS", "TITLE / URL"],
                &rows,
            )
        }
        Command::Show { source, json } => {
            let found = registry::source(ctx.db().await?, &source).await?;
            if json {
                return ctx.out.json(&found);
            }
            let s = &found.source;
            let or_dash = |text: &Option<String>| text.clone().unwrap_or_else(|| "-".into());
            let lines = [
                format!("Source {}", s.id.unwrap_or_default()),
                format!("  title      {}", or_dash(&s.title)),
                format!("  outlet     {}", or_dash(&s.outlet)),
                format!("  published  {}", date_or_dash(s.published_on)),
                format!("  url        {}", or_dash(&s.url)),
                format!("  polls      {}", poll_list(&found)),
            ];
            lines.into_iter().try_for_each(|line| ctx.out.line(line))
        }
        Command::Link { source, polls } => {
            let id = registry::link_source(ctx.db().await?, &source, &polls).await?;
            ctx.out.line(format!("Source {id}{}", linked(&polls)))
        }
    }
}
