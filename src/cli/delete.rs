use super::Ctx;
use super::filters::FilterArgs;
use super::output::summary;
use polltrack::app::polls::{DeleteRequest, delete_polls, polls_to_delete};
use polltrack::{Error, Result};

/// Delete polls: by id, or every poll matching filters. A full copy of each stays in the
/// history (`polltrack history ID --json`). Without --yes, shows what would be deleted and
/// deletes nothing.
#[derive(clap::Args)]
#[command(after_help = "Examples:\n  \
    polltrack delete 12 --yes\n  \
    polltrack delete 12 13 14 --yes\n  \
    polltrack delete --question de-bundestag --election     # shows what would go\n  \
    polltrack delete --question de-bundestag --election --yes")]
pub struct Args {
    /// The polls' ids (with filters: only those of them that match)
    ids: Vec<i64>,
    /// Polls matching these are deleted, whole (the same filters as `list`)
    #[command(flatten)]
    filter: FilterArgs,
    /// Confirm the deletion
    #[arg(long)]
    yes: bool,
}

impl Args {
    /// Only a confirmed deletion writes; without --yes the database is only read (and never
    /// created).
    pub fn writes(&self) -> bool {
        self.yes
    }
}

pub async fn run(ctx: &mut Ctx, args: Args) -> Result<()> {
    let filtered = args.filter.any();
    if args.ids.is_empty() && !filtered {
        return Err(Error::usage(
            "name the polls to delete: their ids, or filters such as --question, --pollster, \
             --since, --until or --election",
        ));
    }
    let request = DeleteRequest {
        ids: args.ids.clone(),
        filter: filtered.then(|| args.filter.filter()).transpose()?,
    };
    if !args.yes {
        let polls = polls_to_delete(ctx.db().await?, &request).await?;
        if polls.is_empty() {
            eprintln!("no polls match: nothing to delete");
            return Ok(());
        }
        ctx.out
            .line(format!("Would delete {}:", count(polls.len())))?;
        for poll in &polls {
            ctx.out.line(format!(
                "  poll {}: {}",
                poll.id.unwrap_or_default(),
                summary(poll)
            ))?;
        }
        return Err(Error::usage(format!(
            "nothing was deleted: deleting {} needs --yes to confirm",
            count(polls.len())
        )));
    }
    let deleted = delete_polls(ctx.db().await?, &request).await?;
    if deleted.is_empty() {
        eprintln!("no polls match: nothing deleted");
    }
    for poll in &deleted {
        ctx.out.line(format!(
            "Deleted poll {}: {}",
            poll.id.unwrap_or_default(),
            summary(poll)
        ))?;
    }
    if deleted.len() > 1 {
        ctx.out.line(format!("Deleted {}", count(deleted.len())))?;
    }
    Ok(())
}

fn count(polls: usize) -> String {
    if polls == 1 {
        "1 poll".into()
    } else {
        format!("{polls} polls")
    }
}
