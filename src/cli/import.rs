use super::Ctx;
use super::output::warn;
use super::output_file::{Output, Protected};
use super::question::KindName;
use clap::ValueEnum;
use polltrack::db::prelude::*;
use polltrack::db::{FileGives, Incoming, OnConflict, Outcome};
use polltrack::export::RejectsWriter;
use polltrack::import::values::DateFormat;
use polltrack::import::{Field, ImportedPoll, Options, PollReader, Rejected, parse_answer_columns};
use polltrack::{Error, Result};
use std::fs::File;
use std::io::{BufReader, IsTerminal, Read};
use std::path::PathBuf;

/// A poll as the reader gives it.
type ReadPoll = std::result::Result<ImportedPoll, Rejected>;

/// Polls handed to the database at a time.
const BATCH: usize = 2_000;
/// Problems printed before the rest are only counted.
const MAX_PROBLEMS_SHOWN: usize = 50;
const MAX_WARNINGS_SHOWN: usize = 10;

/// Import polls from a CSV file: our long format, FiveThirtyEight's files, or any table with a
/// mapping.
///
/// All or nothing: one invalid row and nothing is written, unless --skip-invalid. Importing
/// the same file again adds nothing; a stored poll whose numbers differ is a conflict, refused
/// unless --on-conflict says otherwise. Columns named like the long format's (pollster,
/// field_start, answer, pct...) are recognised; --map names the others.
#[derive(clap::Args)]
#[command(after_help = "Examples:\n  \
    polltrack import polls.csv\n  \
    polltrack import president_approval_polls.csv --format 538\n  \
    polltrack import moon.csv --question kr-moon-approval --wording \"Moon Jae-in job approval\" \\\n    \
      --map pollster=house --map field_end=date --answers approve=Approve,disapprove=Disapprove\n  \
    polltrack import new.csv --skip-invalid --rejects rejected.csv\n  \
    polltrack import umfragen.csv --delimiter ';' --date-format %d.%m.%Y --map pollster=Institut ...\n  \
    cat polls.csv | polltrack import - --dry-run")]
pub struct Args {
    /// The file to read, or - for standard input
    file: PathBuf,
    #[arg(long, value_enum, default_value = "long")]
    format: ImportFormat,
    /// The question's slug, when the file has no question column
    #[arg(long, value_name = "SLUG")]
    question: Option<String>,
    /// The question's wording, when the file has no wording column
    #[arg(long, value_name = "TEXT")]
    wording: Option<String>,
    /// What kind of questions the file holds (approval, favourability, issue, vote), which
    /// decides the population their trends count first; given to questions that have none.
    /// --format 538 knows it from the file's layout
    #[arg(long, value_enum, value_name = "KIND")]
    kind: Option<KindName>,
    /// Read FIELD from COLUMN (repeat), e.g. pollster=Firm; fields are the long format's columns
    /// plus partisan and tracking
    #[arg(long = "map", value_name = "FIELD=COLUMN")]
    maps: Vec<String>,
    /// The answer columns of a wide file (one row per poll), e.g. Yes,No or yes=Yes,no=No
    #[arg(long, value_name = "COL,...")]
    answers: Option<String>,
    /// A column whose values split the file into questions (slug SLUG-VALUE); repeat
    #[arg(long = "split", value_name = "COLUMN")]
    split: Vec<String>,
    /// How dates are written, as a chrono format such as %d.%m.%Y (default: YYYY-MM-DD,
    /// M/D/YYYY or M/D/YY); one without a day (%Y-%m) reads field dates as whole months
    #[arg(long, value_name = "FORMAT")]
    date_format: Option<String>,
    /// The separator of the file's cells: , ; | or tab (default: the one the header line
    /// holds most of, outside quotes)
    #[arg(long, value_name = "SEP", value_parser = parse_separator)]
    delimiter: Option<u8>,
    /// Check everything and report what would be imported, writing nothing
    #[arg(long)]
    dry_run: bool,
    /// Import the valid polls and leave out the invalid ones
    #[arg(long)]
    skip_invalid: bool,
    /// With --skip-invalid: write the rejected rows here, as they were, with a reason column
    #[arg(long, value_name = "FILE", requires = "skip_invalid")]
    rejects: Option<PathBuf>,
    /// What to do with a stored poll whose numbers differ from the file's
    #[arg(long, value_enum, default_value = "refuse")]
    on_conflict: ConflictPolicy,
    /// Bring back polls that were deleted (by default a poll of the file matching a deleted
    /// one is left out, and counted in the summary)
    #[arg(long)]
    restore_deleted: bool,
}

#[derive(Clone, Copy, ValueEnum)]
enum ImportFormat {
    /// Our long format, or any table through --map and --answers
    Long,
    /// FiveThirtyEight's poll files, long or wide
    #[value(name = "538")]
    FiveThirtyEight,
}

#[derive(Clone, Copy, ValueEnum)]
enum ConflictPolicy {
    /// Import nothing and list the conflicts
    Refuse,
    /// Replace the stored poll; the change is recorded in its history
    Replace,
    /// Keep the stored poll
    Skip,
}

/// Counts for the summary line.
#[derive(Default)]
struct Tally {
    added: u64,
    answers: u64,
    unchanged: u64,
    replaced: u64,
    skipped: u64,
    conflicts: u64,
    rejected: u64,
    /// Polls repeating an earlier poll of the file with the same numbers.
    repeated: u64,
    /// Polls matching a deleted one, left out.
    deleted: u64,
    /// The first line of each poll this import added or matched to a stored poll, to name it
    /// when a later poll of the file repeats it.
    added_lines: std::collections::HashMap<i64, u64>,
    /// The file could not be read to its end (a quote never closed).
    unreadable: bool,
    /// Said after "give its wording" of a new question.
    wording_hint: String,
    problems_shown: usize,
    problems: usize,
    warnings_shown: usize,
    warnings: usize,
}

pub async fn run(ctx: &mut Ctx, args: Args) -> Result<()> {
    let options = options(&args)?;
    // Checked and opened before the input is read or the database opened: the rejects never
    // go over either.
    let rejects_output = match &args.rejects {
        Some(path) if path.as_os_str() == "-" => {
            return Err(Error::Usage(
                "--rejects -: the rejected rows go to a file, standard output has the summary; \
                 name a file, e.g. --rejects rejected.csv"
                    .into(),
            ));
        }
        Some(path) => {
            let mut protected = Protected::database(&ctx.path);
            protected.add(&args.file, "the file being imported");
            Some(Output::create(path, &protected)?)
        }
        None => None,
    };
    let (input, name, size): (Box<dyn Read + Send>, String, Option<u64>) = if args.file.as_os_str()
        == "-"
    {
        (Box::new(std::io::stdin()), "<stdin>".to_string(), None)
    } else {
        let file = File::open(&args.file)
            .map_err(|e| Error::not_found(format!("cannot read {}: {e}", args.file.display())))?;
        let metadata = file.metadata().ok();
        // A device (`/dev/zero`, a terminal) or a folder is no file of polls: refused unread.
        if let Some(metadata) = &metadata
            && !readable_kind(metadata)
        {
            return Err(Error::invalid(format!(
                "{} is not a regular file or a pipe (a device or a folder): give a CSV file, or \
                 - for standard input",
                args.file.display()
            )));
        }
        let size = metadata.map(|m| m.len());
        (Box::new(file), args.file.display().to_string(), size)
    };
    let input = BufReader::with_capacity(1 << 16, input);
    // Ids the file's source keeps stable (FiveThirtyEight's, or a column the user maps to
    // poll_id); the long format's own poll_id is polltrack's id in another database.
    let mapped_id = options
        .maps
        .iter()
        .find(|(field, _)| *field == Field::PollId)
        .map(|(_, column)| format!("column {column}"));
    let mut reader = match args.format {
        ImportFormat::Long => PollReader::new(input, &name, &options),
        ImportFormat::FiveThirtyEight => {
            PollReader::open(input, &name, options.separator, |headers| {
                polltrack::import::fivethirtyeight_options(headers, &options)
            })
        }
    }
    .map_err(Error::invalid)?;
    // In a long file every column is one of ours (a wide file's others are usually parties
    // not asked for, and FiveThirtyEight's many are known): one that is not was misspelt, or
    // wants a --map.
    if matches!(args.format, ImportFormat::Long) && options.answers.is_empty() {
        let unread = reader.unread_columns();
        if !unread.is_empty() {
            eprintln!(
                "warning: {name}: columns not read: {}: polltrack's column names are in the \
                 README's \"CSV format\"; read one as a field with --map FIELD=COLUMN",
                unread
                    .iter()
                    .map(|c| format!("\"{}\"", polltrack::model::printable(c)))
                    .collect::<Vec<_>>()
                    .join(", ")
            );
        }
    }
    let mut rejects = match rejects_output {
        Some(output) => {
            reader.keep_records();
            Some(RejectsWriter::new(output, reader.headers())?)
        }
        None => None,
    };
    let progress = progress_bar(size);

    let policy = match args.on_conflict {
        ConflictPolicy::Refuse => OnConflict::Refuse,
        ConflictPolicy::Replace => OnConflict::Replace,
        ConflictPolicy::Skip => OnConflict::Skip,
    };
    ctx.dry_run = args.dry_run;
    let db = ctx.db().await?;
    let mut importer = db.importer(policy).await?;
    importer.question_kind(reader.question_kind(), args.kind.is_some());
    importer.restore_deleted(args.restore_deleted);
    importer.id_scheme(match args.format {
        ImportFormat::FiveThirtyEight if reader.gives(Field::PollId) => Some("538".to_string()),
        ImportFormat::FiveThirtyEight => None,
        ImportFormat::Long => mapped_id,
    });
    importer.file_gives(FileGives {
        partisan: reader.gives(Field::Partisan),
        tracking: reader.gives(Field::Tracking),
    });
    // Where a new question's wording would come from, in the file's own terms.
    let wording_hint = match reader.column_name(Field::QuestionWording) {
        Some(column) => format!("(its column {column} is empty here, and --wording gives none)"),
        None => "(with --wording, or --map question_wording=COLUMN)".to_string(),
    };
    let mut tally = Tally {
        wording_hint,
        ..Tally::default()
    };
    // The file is read and checked on a thread of its own while the database writes the
    // previous batch.
    let (sender, batches) = std::sync::mpsc::sync_channel::<(Vec<ReadPoll>, u64)>(2);
    let reading = std::thread::spawn(move || {
        let mut chunk = Vec::with_capacity(BATCH);
        while let Some(item) = reader.next() {
            chunk.push(item);
            if chunk.len() >= BATCH
                && sender
                    .send((std::mem::take(&mut chunk), reader.position()))
                    .is_err()
            {
                return;
            }
        }
        let _ = sender.send((chunk, reader.position()));
    });
    // Blocking here is fine: this command runs nothing else on the runtime meanwhile.
    for (items, position) in batches {
        let mut batch: Vec<ImportedPoll> = Vec::with_capacity(items.len());
        for item in items {
            match item {
                Ok(poll) => {
                    for message in &poll.warnings {
                        warning(&mut tally, message);
                    }
                    batch.push(poll);
                }
                Err(rejected) => reject(&mut tally, &mut rejects, &rejected)?,
            }
        }
        if !batch.is_empty() {
            store(&mut importer, batch, &name, &mut tally, &mut rejects).await?;
        }
        progress.set_position(position);
    }
    reading
        .join()
        .map_err(|_| Error::Failed(format!("{name}: the reading thread failed")))?;
    progress.finish_and_clear();
    warn(importer.warnings());
    if tally.warnings > tally.warnings_shown {
        eprintln!(
            "... and {} more warnings",
            tally.warnings - tally.warnings_shown
        );
    }
    if tally.problems > tally.problems_shown {
        eprintln!(
            "... and {} more problems",
            tally.problems - tally.problems_shown
        );
    }

    let refused_invalid = tally.rejected > 0 && (!args.skip_invalid || tally.unreadable);
    let refused_conflicts = tally.conflicts > 0;
    if refused_invalid || refused_conflicts {
        // An old rejects file stays as it was.
        importer.roll_back().await?;
    } else {
        // The rejects are in place before the polls are stored: failing to write them
        // stores nothing.
        if let Some(rejects) = rejects {
            rejects.finish()?.commit()?;
        }
        if args.dry_run {
            importer.roll_back().await?;
        } else {
            importer.commit().await?;
        }
    }
    let summary = summary(
        &name,
        &tally,
        args.dry_run || refused_invalid || refused_conflicts,
    );
    if tally.unreadable {
        return Err(Error::invalid(format!(
            "{name}: the file cannot be read past the place named above, so nothing was \
             imported (not even with --skip-invalid: where the rows after it begin is unknown): \
             fix it and import again"
        )));
    }
    if refused_invalid {
        return Err(Error::invalid(format!(
            "{name}: {} polls have problems (listed above), so nothing was imported: fix them, \
             or pass --skip-invalid to import the rest ({summary})",
            tally.rejected
        )));
    }
    if refused_conflicts {
        return Err(Error::conflict(format!(
            "{name}: {} polls are stored already with other numbers (listed above), so nothing \
             was imported: pass --on-conflict replace to take the file's numbers (recorded in \
             each poll's history) or --on-conflict skip to keep the stored ones ({summary})",
            tally.conflicts
        )));
    }
    ctx.out.line(summary)
}

fn options(args: &Args) -> Result<Options> {
    let mut maps = Vec::new();
    for map in &args.maps {
        let (field, column) = map.split_once('=').ok_or_else(|| {
            Error::Usage(format!(
                "--map {map}: write it as FIELD=COLUMN, e.g. pollster=Firm"
            ))
        })?;
        let field = Field::from_name(field).ok_or_else(|| {
            let names: Vec<&str> = Field::ALL.iter().map(|f| f.name()).collect();
            Error::Usage(format!(
                "--map {map}: no field \"{field}\"; the fields are {}",
                names.join(", ")
            ))
        })?;
        maps.push((field, column.trim().to_string()));
    }
    if let Some(format) = &args.date_format {
        check_date_format(format)?;
    }
    Ok(Options {
        maps,
        answers: args
            .answers
            .as_deref()
            .map(parse_answer_columns)
            .unwrap_or_default(),
        split: args.split.clone(),
        question: args.question.clone(),
        wording: args.wording.clone(),
        kind: args.kind.map(Into::into),
        date_format: args
            .date_format
            .clone()
            .map(DateFormat::Custom)
            .unwrap_or_default(),
        separator: args.delimiter,
        ..Options::default()
    })
}

/// `--delimiter`: `,`, `;`, `|`, or a tab (`tab`, `\t`, or the character itself).
fn parse_separator(text: &str) -> std::result::Result<u8, String> {
    match text {
        "tab" | "TAB" | "\\t" | "\t" => Ok(b'\t'),
        "," | ";" | "|" => Ok(text.as_bytes()[0]),
        _ => Err("the separator is one of , ; | or tab".into()),
    }
}

/// Hands a batch to the database and counts what became of each poll.
async fn store<W: std::io::Write>(
    importer: &mut impl ImportSession,
    batch: Vec<ImportedPoll>,
    file: &str,
    tally: &mut Tally,
    rejects: &mut Option<RejectsWriter<W>>,
) -> Result<()> {
    let mut places = Vec::with_capacity(batch.len());
    let mut polls = Vec::with_capacity(batch.len());
    for imported in batch {
        let line = imported.lines.first().copied().unwrap_or(0);
        let answers = imported.poll.answer_count();
        places.push((line, answers, imported.lines, imported.records));
        polls.push(Incoming {
            poll: imported.poll,
            file_id: imported.file_id,
            file_key: imported.file_key,
            question_ids: imported.question_ids,
        });
    }
    let outcomes = importer.add_keyed(polls).await?;
    for ((line, answers, lines, records), outcome) in places.into_iter().zip(outcomes) {
        match outcome {
            Outcome::Added(id) => {
                tally.added += 1;
                tally.answers += answers as u64;
                tally.added_lines.insert(id, line);
            }
            Outcome::Repeated(_) => tally.repeated += 1,
            Outcome::Deleted(_) => tally.deleted += 1,
            Outcome::RepeatedOther(id, differences) => {
                let earlier = tally
                    .added_lines
                    .get(&id)
                    .map_or_else(|| format!("poll {id}"), |l| format!("line {l}"));
                let rejected = Rejected {
                    lines,
                    records,
                    problems: vec![format!(
                        "{file}:{line}: repeats the poll of {earlier} (same pollster, dates, \
                         question and population) with other numbers: {}; only one can be \
                         right: correct or remove one of the two",
                        differences_text(&differences)
                    )],
                    fatal: false,
                };
                reject(tally, rejects, &rejected)?;
            }
            Outcome::Unchanged(id) => {
                tally.unchanged += 1;
                tally.added_lines.entry(id).or_insert(line);
            }
            Outcome::Replaced(id) => {
                tally.replaced += 1;
                tally.added_lines.entry(id).or_insert(line);
            }
            Outcome::Skipped(id) => {
                tally.skipped += 1;
                tally.added_lines.entry(id).or_insert(line);
            }
            Outcome::Conflict(id, differences) => {
                tally.conflicts += 1;
                tally.added_lines.entry(id).or_insert(line);
                problem(
                    tally,
                    format!(
                        "{file}:{line}: conflicts with stored poll {id}: {}",
                        differences_text(&differences)
                    ),
                );
            }
            Outcome::Invalid(message) => {
                let rejected = Rejected {
                    lines,
                    records,
                    problems: vec![match message.ends_with("give its wording") {
                        true => format!("{file}:{line}: {message} {}", tally.wording_hint),
                        false => format!("{file}:{line}: {message}"),
                    }],
                    fatal: false,
                };
                reject(tally, rejects, &rejected)?;
            }
        }
    }
    Ok(())
}

/// The fields that differ, as `field old -> new; ...`.
fn differences_text(differences: &[polltrack::model::FieldChange]) -> String {
    let what: Vec<String> = differences
        .iter()
        .map(|(field, old, new)| {
            format!(
                "{field} {} -> {}",
                old.as_deref().unwrap_or("(none)"),
                new.as_deref().unwrap_or("(none)")
            )
        })
        .collect();
    what.join("; ")
}

fn reject<W: std::io::Write>(
    tally: &mut Tally,
    rejects: &mut Option<RejectsWriter<W>>,
    rejected: &Rejected,
) -> Result<()> {
    tally.rejected += 1;
    tally.unreadable |= rejected.fatal;
    for message in &rejected.problems {
        problem(tally, message.clone());
    }
    if let Some(writer) = rejects {
        let reason = rejected.problems.join("; ");
        for record in &rejected.records {
            writer.write(record, &reason)?;
        }
    }
    Ok(())
}

/// Doubts are told apart from problems, and fewer of them shown: they stop nothing.
fn warning(tally: &mut Tally, message: &str) {
    tally.warnings += 1;
    if tally.warnings_shown < MAX_WARNINGS_SHOWN {
        tally.warnings_shown += 1;
        eprintln!("{message}");
    }
}

fn problem(tally: &mut Tally, message: String) {
    tally.problems += 1;
    if tally.problems_shown < MAX_PROBLEMS_SHOWN {
        tally.problems_shown += 1;
        eprintln!("{message}");
    }
}

fn summary(file: &str, tally: &Tally, not_written: bool) -> String {
    let verb = if not_written { "would add" } else { "added" };
    let mut line = format!(
        "{file}: {verb} {} polls ({} answers); {} already present unchanged, {} in conflict, \
         {} replaced, {} skipped, {} rejected",
        tally.added,
        tally.answers,
        tally.unchanged,
        tally.conflicts,
        tally.replaced,
        tally.skipped,
        tally.rejected
    );
    if tally.deleted > 0 {
        line.push_str(&format!(
            ", {} deleted before, skipped (--restore-deleted brings them back)",
            tally.deleted
        ));
    }
    if tally.repeated > 0 {
        line.push_str(&format!(
            ", {} repeated in the file (stored once)",
            tally.repeated
        ));
    }
    line
}

/// A progress bar on standard error for a file being read, when someone is watching.
fn progress_bar(size: Option<u64>) -> indicatif::ProgressBar {
    match size {
        Some(size) if std::io::stderr().is_terminal() && size > 1 << 20 => {
            let bar = indicatif::ProgressBar::new(size);
            if let Ok(style) = indicatif::ProgressStyle::with_template(
                "{bar:40} {bytes}/{total_bytes} {bytes_per_sec} {eta}",
            ) {
                bar.set_style(style);
            }
            bar
        }
        _ => indicatif::ProgressBar::hidden(),
    }
}

impl Args {
    /// Whether the polls come from standard input, which a second run could not read again.
    pub fn reads_stdin(&self) -> bool {
        self.file.as_os_str() == "-"
    }
}

/// Whether a file is one an import reads: a regular file, or a pipe (`<(...)`, a named pipe).
fn readable_kind(metadata: &std::fs::Metadata) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        metadata.is_file() || metadata.file_type().is_fifo()
    }
    #[cfg(not(unix))]
    {
        metadata.is_file()
    }
}

/// A `--date-format` chrono can read dates with: no stray `%` or unknown `%Q` (else every row
/// would be refused, one by one, for the option's fault).
fn check_date_format(format: &str) -> Result<()> {
    use chrono::format::{Item, StrftimeItems};
    let usage = |why: &str| {
        Error::Usage(format!(
            "--date-format {format}: {why}; write it as chrono's strftime does, e.g. \
             --date-format %d.%m.%Y for 31.12.2024 (%Y year, %m month, %d day, %b month name)"
        ))
    };
    if StrftimeItems::new(format).any(|item| matches!(item, Item::Error)) {
        return Err(usage(
            "not a date format (a % not followed by a known letter)",
        ));
    }
    Ok(())
}
