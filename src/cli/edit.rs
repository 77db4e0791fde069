use super::output::{summary, warn};
use super::{Ctx, values};
use clap::ValueEnum;
use polltrack::db::prelude::*;
use polltrack::model::{Answer, Poll, ResultSet, normalize_poll, normalize_population};
use polltrack::{Error, Result};

/// Correct a stored poll: any field, sample size, margin of error or answer. Every change is
/// recorded in the history.
///
/// Options for a question's numbers (--answer, --remove-answer, --sample, --moe,
/// --set-population) act on the poll's one result set, or on the one picked with --question
/// and --population when it has several.
#[derive(clap::Args)]
#[command(after_help = "Examples:\n  \
    polltrack edit 1 --start 2016-11-15 --end 2016-11-17 --sample 1004\n  \
    polltrack edit 1 --answer Oppose=58 --answer Support=31\n  \
    polltrack edit 2 --question us-approval --population lv --remove-answer Unsure\n  \
    polltrack edit 1 --clear mode --pollster \"Gallup Korea\"")]
pub struct Args {
    /// The poll's id
    id: i64,
    #[arg(long, value_name = "NAME")]
    pollster: Option<String>,
    #[arg(long, value_name = "DATE")]
    start: Option<String>,
    #[arg(long, value_name = "DATE")]
    end: Option<String>,
    #[arg(long, value_name = "DATE")]
    published: Option<String>,
    #[arg(long, value_name = "M")]
    mode: Option<String>,
    #[arg(long, value_name = "R")]
    region: Option<String>,
    #[arg(long, value_name = "TEXT")]
    notes: Option<String>,
    /// Replace the sponsors with these (repeat for several)
    #[arg(long = "sponsor", value_name = "NAME")]
    sponsors: Vec<String>,
    #[arg(long, value_name = "BOOL")]
    partisan: Option<bool>,
    #[arg(long, value_name = "BOOL")]
    tracking: Option<bool>,
    /// Make a field unknown again (repeat for several)
    #[arg(long, value_enum, value_name = "FIELD")]
    clear: Vec<Clearable>,
    /// Which question to change, when the poll has several
    #[arg(long, value_name = "SLUG")]
    question: Option<String>,
    /// Which population to change, when the question has several
    #[arg(long, value_name = "P")]
    population: Option<String>,
    /// Set an answer's percentage, adding the answer if it is new (repeat)
    #[arg(long = "answer", value_name = "LABEL=PCT")]
    answers: Vec<String>,
    /// Remove an answer (repeat)
    #[arg(long = "remove-answer", value_name = "LABEL")]
    remove_answers: Vec<String>,
    #[arg(long, value_name = "N")]
    sample: Option<String>,
    #[arg(long, value_name = "X")]
    moe: Option<String>,
    /// Change the population of the chosen result set
    #[arg(long, value_name = "P")]
    set_population: Option<String>,
    /// Store the edit even if the poll then repeats another stored poll
    #[arg(long)]
    allow_duplicate: bool,
}

#[derive(Clone, Copy, ValueEnum)]
enum Clearable {
    Start,
    End,
    Published,
    Mode,
    Region,
    Notes,
    Sponsors,
    Sample,
    Moe,
}

pub async fn run(ctx: &mut Ctx, args: Args) -> Result<()> {
    // Values are read before the database is opened: a bad one touches nothing.
    let start = values::date("--start", args.start.as_deref())?;
    let end = values::date("--end", args.end.as_deref())?;
    let published = values::date("--published", args.published.as_deref())?;
    let answers = values::answers(&args.answers)?;
    let sample = values::sample_size(args.sample.as_deref())?;
    let moe = values::margin_of_error(args.moe.as_deref())?;

    let db = ctx.db().await?;
    let old = db.get_poll(args.id).await?;
    let mut poll = old.clone();
    set(&mut poll.pollster, args.pollster);
    set_some(&mut poll.field_start, start);
    set_some(&mut poll.field_end, end);
    set_some(&mut poll.published_on, published);
    set_some(&mut poll.mode, args.mode);
    set_some(&mut poll.region, args.region);
    set_some(&mut poll.notes, args.notes);
    set(&mut poll.partisan, args.partisan);
    set(&mut poll.tracking, args.tracking);
    if !args.sponsors.is_empty() {
        poll.sponsors = args.sponsors;
    }

    let touches_result = args.question.is_some()
        || args.population.is_some()
        || !answers.is_empty()
        || !args.remove_answers.is_empty()
        || sample.is_some()
        || moe.is_some()
        || args.set_population.is_some()
        || args
            .clear
            .iter()
            .any(|c| matches!(c, Clearable::Sample | Clearable::Moe));
    if touches_result {
        let result = pick_result(
            &mut poll,
            args.question.as_deref(),
            args.population.as_deref(),
        )?;
        for answer in answers {
            set_answer(result, answer);
        }
        for label in &args.remove_answers {
            let before = result.answers.len();
            result
                .answers
                .retain(|a| !a.label.eq_ignore_ascii_case(label.trim()));
            if result.answers.len() == before {
                return Err(Error::not_found(format!(
                    "poll {} has no answer \"{}\" for question {}",
                    args.id, label, result.question
                )));
            }
        }
        set_some(&mut result.sample_size, sample);
        set_some(&mut result.margin_of_error, moe);
        set(&mut result.population, args.set_population);
    }
    for field in args.clear {
        clear(
            &mut poll,
            field,
            args.question.as_deref(),
            args.population.as_deref(),
        )?;
    }

    normalize_poll(&mut poll);
    values::check(&poll)?;
    let (changes, warnings) = db.edit_poll(args.id, &poll, args.allow_duplicate).await?;
    warn(&warnings);
    if changes.is_empty() {
        return ctx.out.line(format!("Poll {} unchanged", args.id));
    }
    ctx.out
        .line(format!("Edited poll {}: {}", args.id, summary(&poll)))?;
    for change in changes {
        ctx.out.line(format!(
            "  {}: {} -> {}",
            change.field,
            change.old_value.as_deref().unwrap_or("(none)"),
            change.new_value.as_deref().unwrap_or("(none)")
        ))?;
    }
    Ok(())
}

fn set<T>(field: &mut T, value: Option<T>) {
    if let Some(value) = value {
        *field = value;
    }
}

fn set_some<T>(field: &mut Option<T>, value: Option<T>) {
    if value.is_some() {
        *field = value;
    }
}

fn set_answer(result: &mut ResultSet, answer: Answer) {
    match result
        .answers
        .iter_mut()
        .find(|a| a.label.eq_ignore_ascii_case(&answer.label))
    {
        Some(existing) => existing.pct = answer.pct,
        None => result.answers.push(answer),
    }
}

/// The result set named by question and population, or the only one there is.
fn pick_result<'a>(
    poll: &'a mut Poll,
    question: Option<&str>,
    population: Option<&str>,
) -> Result<&'a mut ResultSet> {
    let id = poll.id.unwrap_or_default();
    let population = population.map(normalize_population);
    let matching: Vec<usize> = poll
        .results
        .iter()
        .enumerate()
        .filter(|(_, r)| question.is_none_or(|q| r.question == q.trim()))
        .filter(|(_, r)| {
            population
                .as_deref()
                .is_none_or(|p| r.population.eq_ignore_ascii_case(p))
        })
        .map(|(i, _)| i)
        .collect();
    let choices: Vec<String> = poll
        .results
        .iter()
        .map(|r| format!("--question {} --population {}", r.question, r.population))
        .collect();
    match matching.as_slice() {
        [only] => Ok(&mut poll.results[*only]),
        [] => Err(Error::not_found(format!(
            "poll {id} has no such question and population; it has: {}",
            choices.join("; ")
        ))),
        _ => Err(Error::Usage(format!(
            "poll {id} has several questions or populations: say which with {}",
            choices.join(", or ")
        ))),
    }
}

fn clear(
    poll: &mut Poll,
    field: Clearable,
    question: Option<&str>,
    population: Option<&str>,
) -> Result<()> {
    match field {
        Clearable::Start => poll.field_start = None,
        Clearable::End => poll.field_end = None,
        Clearable::Published => poll.published_on = None,
        Clearable::Mode => poll.mode = None,
        Clearable::Region => poll.region = None,
        Clearable::Notes => poll.notes = None,
        Clearable::Sponsors => poll.sponsors.clear(),
        Clearable::Sample => pick_result(poll, question, population)?.sample_size = None,
        Clearable::Moe => pick_result(poll, question, population)?.margin_of_error = None,
    }
    Ok(())
}
