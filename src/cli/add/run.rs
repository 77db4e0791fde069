//! `add`: the flags read into a poll (or result set) and recorded.

use super::Args;
use super::populations::{Given, result_sets};
use crate::cli::output::{number, summary, warn};
use crate::cli::{Ctx, names, values};
use polltrack::Result;
use polltrack::app::polls::{AddRequest, AddResultsRequest, add, add_results, prepare};
use polltrack::model::{Poll, ResultSet, answers_text, normalize_population};

pub async fn run(ctx: &mut Ctx, args: Args) -> Result<()> {
    let kind = args.kind.map(Into::into);
    let results = result_sets(&Given {
        question: &args.question,
        wording: args.wording.as_deref(),
        populations: &args.populations,
        answers: &args.answers,
        samples: &args.samples,
        moes: &args.moes,
    })?;
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
            results: results.clone(),
            sources,
            kind,
            allow_duplicate: args.allow_duplicate,
            confirmed: args.new_names.confirmed(),
        };
        let (warnings, new_names) = add_results(ctx.db().await?, request).await?;
        names::say(&new_names);
        warn(&warnings);
        ctx.out.line(format!("Added to poll {id}"))?;
        return print_result_sets(ctx, &results);
    }
    let mut poll = Poll {
        pollster: args.pollster.unwrap_or_default(),
        sponsors: args.sponsors,
        field_start: values::typed_date("--start", args.start.as_deref())?,
        field_end: values::typed_date("--end", args.end.as_deref())?,
        published_on: values::typed_date("--published", args.published.as_deref())?,
        mode: args.mode,
        region: args.region,
        partisan: args.partisan,
        tracking: args.tracking,
        election: args.election,
        notes: args.notes,
        results,
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
        .line(format!("Added poll {id}: {}", summary(&added.poll)))?;
    if added.poll.results.len() > 1 {
        print_result_sets(ctx, &added.poll.results)?;
    }
    Ok(())
}

/// A line per result set added: question, population, sample size and answers.
fn print_result_sets(ctx: &mut Ctx, results: &[ResultSet]) -> Result<()> {
    for result in results {
        let sample = result
            .sample_size
            .map(|n| format!(", n={}", number(n)))
            .unwrap_or_default();
        ctx.out.line(format!(
            "  {} ({}){sample}: {}",
            result.question,
            normalize_population(&result.population),
            answers_text(result)
        ))?;
    }
    Ok(())
}
