use super::output::{summary, warn};
use super::{Ctx, names, values};
use clap::builder::{PossibleValuesParser, TypedValueParser};
use polltrack::Result;
use polltrack::app::polls::{Clearable, EditRequest, edit, prepare, save_edit};

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
    /// The pollster (a new one close to a stored name needs --new-pollster)
    #[arg(long, value_name = "NAME")]
    pollster: Option<String>,
    /// First day of fieldwork (2024-05-14, "May 14, 2024", 14.05.2024...)
    #[arg(long, value_name = "DATE")]
    start: Option<String>,
    /// Last day of fieldwork
    #[arg(long, value_name = "DATE")]
    end: Option<String>,
    /// The day the results were published
    #[arg(long, value_name = "DATE")]
    published: Option<String>,
    /// How it was asked: online, phone, mixed...
    #[arg(long, value_name = "M")]
    mode: Option<String>,
    /// Where it was asked: a country, state or district
    #[arg(long, value_name = "R")]
    region: Option<String>,
    /// Free notes
    #[arg(long, value_name = "TEXT")]
    notes: Option<String>,
    /// Replace the sponsors with these (repeat for several)
    #[arg(long = "sponsor", value_name = "NAME")]
    sponsors: Vec<String>,
    /// Whether a party or campaign sponsored it (true or false)
    #[arg(long, value_name = "BOOL")]
    partisan: Option<bool>,
    /// Whether it is one of a pollster's rolling tracking polls (true or false)
    #[arg(long, value_name = "BOOL")]
    tracking: Option<bool>,
    /// Mark the poll as an election result (left out of averages, drawn apart)
    #[arg(long, conflicts_with = "not_election")]
    election: bool,
    /// Mark the poll as a poll again, not an election result
    #[arg(long)]
    not_election: bool,
    /// Make a field unknown again (repeat for several)
    #[arg(long, value_name = "FIELD", value_parser = clearable())]
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
    /// The chosen result set's sample size
    #[arg(long, value_name = "N")]
    sample: Option<String>,
    /// The chosen result set's margin of error, in points
    #[arg(long, value_name = "X")]
    moe: Option<String>,
    /// Change the population of the chosen result set
    #[arg(long, value_name = "P")]
    set_population: Option<String>,
    /// Store the edit even if the poll then repeats another stored poll
    #[arg(long)]
    allow_duplicate: bool,
    #[command(flatten)]
    new_names: names::Flags,
}

/// `--clear`: one of the fields an edit can clear, listed in `--help`.
fn clearable() -> impl clap::builder::TypedValueParser<Value = Clearable> {
    PossibleValuesParser::new(Clearable::ALL.map(Clearable::name))
        .try_map(|name| Clearable::from_name(&name).ok_or("no such field"))
}

pub async fn run(ctx: &mut Ctx, args: Args) -> Result<()> {
    // Values are read before the database is opened: a bad one touches nothing.
    let request = EditRequest {
        id: args.id,
        pollster: args.pollster,
        field_start: values::typed_date("--start", args.start.as_deref())?,
        field_end: values::typed_date("--end", args.end.as_deref())?,
        published_on: values::typed_date("--published", args.published.as_deref())?,
        mode: args.mode,
        region: args.region,
        notes: args.notes,
        sponsors: args.sponsors,
        partisan: args.partisan,
        tracking: args.tracking,
        election: (args.election || args.not_election).then_some(args.election),
        clear: args.clear,
        question: args.question,
        population: args.population,
        answers: values::answers(&args.answers)?,
        remove_answers: args.remove_answers,
        sample_size: values::sample_size(args.sample.as_deref())?,
        margin_of_error: values::margin_of_error(args.moe.as_deref())?,
        set_population: args.set_population,
    };
    let db = ctx.db().await?;
    let mut poll = edit(db, &request).await?;
    values::check(&prepare(&mut poll))?;
    let confirmed = args.new_names.confirmed();
    let edited = save_edit(db, args.id, &poll, args.allow_duplicate, confirmed).await?;
    names::say(&edited.new_names);
    warn(&edited.warnings);
    if edited.changes.is_empty() {
        return ctx.out.line(format!("Poll {} unchanged", args.id));
    }
    ctx.out
        .line(format!("Edited poll {}: {}", args.id, summary(&poll)))?;
    for change in edited.changes {
        ctx.out.line(format!(
            "  {}: {} -> {}",
            change.field,
            change.old_value.as_deref().unwrap_or("(none)"),
            change.new_value.as_deref().unwrap_or("(none)")
        ))?;
    }
    Ok(())
}
