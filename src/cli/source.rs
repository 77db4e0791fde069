use super::output::date_or_dash;
use super::{Ctx, values};
use clap::Subcommand;
use polltrack::db::prelude::*;
use polltrack::model::{Source, SourceWithPolls, clean_text};
use polltrack::{Error, Result};

/// The articles and releases that reported polls.
#[derive(Subcommand)]
pub enum Command {
    /// Record an article (or complete the stored one with the same URL), optionally linking it
    /// to polls
    #[command(after_help = "Examples:\n  \
        polltrack source add https://example.org/gsomia-poll --title \"Most oppose the pact\" \\\n    \
          --outlet \"Korea Herald\" --published 2016-11-19 --poll 1\n  \
        polltrack source add --title \"Evening news report\" --outlet KBS --poll 1")]
    Add {
        /// The article's URL
        url: Option<String>,
        #[arg(long, value_name = "T")]
        title: Option<String>,
        #[arg(long, value_name = "O")]
        outlet: Option<String>,
        /// Day the article was published (YYYY-MM-DD)
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
            let source = Source {
                id: None,
                url: clean_text(url.as_deref()),
                title: clean_text(title.as_deref()),
                outlet: clean_text(outlet.as_deref()),
                published_on: values::date("--published", published.as_deref())?,
            };
            if source.url.is_none() && source.title.is_none() {
                return Err(Error::Usage("a source needs a URL or a --title".into()));
            }
            let id = ctx.db().await?.add_source(&source, &polls).await?;
            ctx.out
                .line(format!("Source {id} recorded{}", linked(&polls)))
        }
        Command::List { poll, json } => {
            let sources = ctx.db().await?.list_sources(poll).await?;
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
            let found = ctx.db().await?.get_source(&source).await?;
            if json {
                return ctx.out.json(&found);
            }
            let s = &found.source;
            let dash = || "-".to_string();
            ctx.out
                .line(format!("Source {}", s.id.unwrap_or_default()))?;
            ctx.out.line(format!(
                "  title      {}",
                s.title.clone().unwrap_or_else(dash)
            ))?;
            ctx.out.line(format!(
                "  outlet     {}",
                s.outlet.clone().unwrap_or_else(dash)
            ))?;
            ctx.out
                .line(format!("  published  {}", date_or_dash(s.published_on)))?;
            ctx.out.line(format!(
                "  url        {}",
                s.url.clone().unwrap_or_else(dash)
            ))?;
            ctx.out.line(format!("  polls      {}", poll_list(&found)))
        }
        Command::Link { source, polls } => {
            let id = ctx.db().await?.link_source(&source, &polls).await?;
            ctx.out.line(format!("Source {id}{}", linked(&polls)))
        }
    }
}

fn linked(polls: &[i64]) -> String {
    if polls.is_empty() {
        String::new()
    } else {
        let ids: Vec<String> = polls.iter().map(i64::to_string).collect();
        format!(", linked to poll {}", ids.join(", "))
    }
}

fn poll_list(source: &SourceWithPolls) -> String {
    let ids: Vec<String> = source.polls.iter().map(i64::to_string).collect();
    if ids.is_empty() {
        "-".into()
    } else {
        ids.join(", ")
    }
}

fn row(found: &SourceWithPolls) -> Vec<String> {
    let s = &found.source;
    let mut about: Vec<String> = Vec::new();
    about.extend(s.title.as_ref().map(|t| format!("\"{t}\"")));
    about.extend(s.url.clone());
    vec![
        s.id.unwrap_or_default().to_string(),
        date_or_dash(s.published_on),
        s.outlet.clone().unwrap_or_else(|| "-".into()),
        poll_list(found),
        about.join(" "),
    ]
}
