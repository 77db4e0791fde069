//! `add`: the flags read into a poll (or result set) and recorded.

use super::Args;
use crate::cli::output::{summary, warn};
use crate::cli::{Ctx, names, values};
use polltrack::Result;
use polltrack::app::polls::{AddRequest, AddResultsRequest, add, add_results, prepare};
use polltrack::model::{Poll, ResultSet};

pub async fn run(ctx: &mut Ctx, args: Args) -> Result<()> {
    let kind = args.kind.map(Into::into);
    let result = ResultSet {
        question: args.question,
        wording: args.wording,
        population: args.population,
        sample_size: values::sample_size(args.sample.as_deref())?,
        margin_of_error: values::margin_of_error(args.moe.as_deref())?,
        answers: values::answers(&args.answers)?,
    };
    let source = values::source(
        args.source.as_deref(),
        args.source_title.as_deref(),
        args.outlet.as_deref(),
        ("--source-date", args.source_date.as_deref()),
    )?;
    let sources: Vec<_> = [source]
        .into_iter()
        .filter(|s| s.url.is_some() || s.title.is_some())
        .collect();
    if let Some(id) = args.poll {
        let request = AddResultsRequest {
            poll: id,
            results: vec![result],
            sources,
            kind,
            allow_duplicate: args.allow_duplicate,
            confirmed: args.new_names.confirmed(),
        };
        let (warnings, new_names) = add_results(ctx.db().await?, request).await?;
        names::say(&new_names);
        warn(&warnings);
        return ctx.out.line(format!("Added to poll {id}"));
    }
    let mut poll = Poll {
        pollster: args.pollster.unwrap_or_default(),
        sponsors: args.sponsors,
        field_start: values::date("--start", args.start.as_deref())?,
        field_end: values::date("--end", args.end.as_deref())?,
        published_on: values::date("--published", args.published.as_deref())?,
        mode: args.mode,
        region: args.region,
        partisan: args.partisan,
        tracking: args.tracking,
        election: args.election,
        notes: args.notes,
        results: vec![result],
        sources,
        ..Default::default()
    };
    values::check(&prepare(&mut poll))?;
    let request = AddRequest {
        poll,
        kind,
        allow_duplicate: args.allow_duplicate,
        confirmed: args.new_names.confirmed(),
    };
    let added = add(ctx.db().await?, &request).await?;
    names::say(&added.new_names);
    warn(&added.warnings);
    // The summary names the pollster as stored (an alias resolved).
    let id = added.poll.id.unwrap_or_default();
    ctx.out
        .line(format!("Added poll {id}: {}", summary(&added.poll)))
}
