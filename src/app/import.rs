//! `import`: polls read from CSV (the long format, FiveThirtyEight's files, any table through a
//! mapping) and stored in one transaction, all or nothing unless invalid polls are skipped.
//!
//! Two steps, so a bad file never opens the store: [`open`] reads the header and says how the
//! file will be read; [`Import::run`] reads the rows on a thread of their own while the store
//! writes the previous batch.

use super::Commit;
use crate::db::prelude::*;
use crate::db::{FileGives, Incoming, OnConflict, Outcome};
use crate::error::{Error, Result};
use crate::export::RejectsWriter;
use crate::import::{Field, ImportedPoll, Options, PollReader, Rejected};
use crate::model::{FieldChange, Warning};
use chrono::NaiveDate;
use std::collections::HashMap;
use std::io::Read;

/// A poll as the reader gives it.
type ReadPoll = std::result::Result<ImportedPoll, Rejected>;

/// Polls handed to the store at a time.
const BATCH: usize = 2_000;

/// How a file's rows are laid out.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum ImportFormat {
    /// polltrack's long format, or any table through the options' maps and answer columns.
    #[default]
    Long,
    /// FiveThirtyEight's poll files, long or wide.
    FiveThirtyEight,
}

/// An import to run.
#[derive(Debug, Clone)]
pub struct ImportRequest {
    /// How the input is named in messages: its path, or `<stdin>`.
    pub name: String,
    /// How the rows are laid out.
    pub format: ImportFormat,
    /// How to read the file: maps, answer columns, question, kind, date format, separator.
    pub options: Options,
    /// Store the valid polls and leave out the invalid ones (else one invalid poll refuses
    /// the whole file).
    pub skip_invalid: bool,
    /// What to do with a stored poll whose numbers differ from the file's.
    pub on_conflict: OnConflict,
    /// Bring back polls that were deleted (else a poll matching a deleted one is left out).
    pub restore_deleted: bool,
    /// Check everything and count what would be stored, storing nothing.
    pub dry_run: bool,
    /// Days of elections: a poll of the file dated one of them (its publication day, the end of
    /// its field period, or its date) is an election result, not a poll.
    pub election_dates: Vec<NaiveDate>,
}

/// Whether `poll` is dated one of the election days.
fn on_election_day(poll: &crate::model::Poll, days: &[NaiveDate]) -> bool {
    [poll.published_on, poll.field_end, poll.date()]
        .into_iter()
        .flatten()
        .any(|day| days.contains(&day))
}

/// Something to tell while the import runs, as it happens.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImportEvent<'a> {
    /// A doubt about a poll, which is stored all the same: `FILE:LINE: warning: ...`.
    Warning(&'a str),
    /// A poll refused or in conflict: `FILE:LINE: ...`.
    Problem(&'a str),
    /// The input has been read up to this byte.
    Read(u64),
}

/// What became of the file's polls.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Tally {
    /// Polls stored as new.
    pub added: u64,
    /// Answers of the polls added.
    pub answers: u64,
    /// Polls stored already with the same numbers.
    pub unchanged: u64,
    /// Stored polls replaced by the file's numbers.
    pub replaced: u64,
    /// Stored polls with other numbers, kept as stored.
    pub skipped: u64,
    /// Stored polls with other numbers, refused.
    pub conflicts: u64,
    /// Polls refused for problems (or repeating a poll of the file with other numbers).
    pub rejected: u64,
    /// Polls repeating an earlier poll of the file with the same numbers.
    pub repeated: u64,
    /// Polls matching a deleted one, left out.
    pub deleted: u64,
    /// The file could not be read to its end (a quote never closed).
    pub unreadable: bool,
}

impl Tally {
    /// What an import came to, in words: `added 3 polls (9 answers); 1 already present
    /// unchanged, ...` (`would add` when nothing was written), with the polls deleted before
    /// and those repeated in the file when there are any. `deleted_note` follows the count of
    /// polls deleted before: how a front door brings them back.
    pub fn counts(&self, not_written: bool, deleted_note: &str) -> String {
        let verb = if not_written { "would add" } else { "added" };
        let mut line = format!(
            "{verb} {} ({}); {} already present unchanged, {} in conflict, {} replaced, {} \
             skipped, {} rejected",
            crate::model::count(self.added, "poll"),
            crate::model::count(self.answers, "answer"),
            self.unchanged,
            self.conflicts,
            self.replaced,
            self.skipped,
            self.rejected
        );
        if self.deleted > 0 {
            line.push_str(&format!(
                ", {} deleted before, skipped{deleted_note}",
                self.deleted
            ));
        }
        if self.repeated > 0 {
            line.push_str(&format!(
                ", {} repeated in the file (stored once)",
                self.repeated
            ));
        }
        line
    }
}

/// Why nothing was stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// The file cannot be read past a place (told as a problem), so no row after it can be
    /// trusted or skipped.
    Unreadable,
    /// Polls have problems (told), and invalid polls were not to be skipped.
    Invalid,
    /// Polls are stored already with other numbers (told), and conflicts were to be refused.
    Conflicts,
}

/// The outcome of an import that ran to its end.
#[derive(Debug, Clone)]
pub struct ImportReport {
    /// The input's name, as in the request.
    pub name: String,
    /// What became of the file's polls.
    pub tally: Tally,
    /// What the store found worth telling (a question given a kind, say).
    pub warnings: Vec<Warning>,
    /// Why nothing was stored, if so: then the rejects were not kept either.
    pub refusal: Option<Refusal>,
    /// Whether the polls were stored (not a dry run, not refused).
    pub stored: bool,
}

/// A file opened for import, its header read.
pub struct Import<R: Read> {
    reader: PollReader<R>,
    request: ImportRequest,
    /// Said after the store's word that a new question needs its wording.
    wording_hint: Option<String>,
    tally: Tally,
    /// The first line of each poll this import added or matched to a stored poll, to name it
    /// when a later poll of the file repeats it.
    lines: HashMap<i64, u64>,
}

/// Reads the header of `input` and works out how its rows will be read.
///
/// Errors: invalid when the header cannot be read or the options do not fit the file.
pub fn open<R: Read>(input: R, request: ImportRequest) -> Result<Import<R>> {
    let options = &request.options;
    let reader = match request.format {
        ImportFormat::Long => PollReader::new(input, &request.name, options),
        ImportFormat::FiveThirtyEight => {
            PollReader::open(input, &request.name, options.separator, |headers| {
                crate::import::fivethirtyeight_options(headers, options)
            })
        }
    }?;
    Ok(Import {
        reader,
        request,
        wording_hint: None,
        tally: Tally::default(),
        lines: HashMap::new(),
    })
}

impl<R: Read + Send + 'static> Import<R> {
    /// The columns of a long file nothing reads: in a long file every column is one of ours
    /// (a wide file's others are usually parties not asked for, and FiveThirtyEight's many are
    /// known; a file wide by pollster's, pollsters not asked for), so one that is not was
    /// misspelt, or wants mapping. Empty for other layouts.
    pub fn unread_columns(&self) -> Vec<String> {
        let options = &self.request.options;
        let wide = !options.answers.is_empty() || !options.pollster_columns.is_empty();
        if self.request.format != ImportFormat::Long || wide {
            return Vec::new();
        }
        self.reader
            .unread_columns()
            .into_iter()
            .map(str::to_string)
            .collect()
    }

    /// The column a question's wording is read from, if the file has one.
    pub fn wording_column(&self) -> Option<&str> {
        self.reader.column_name(Field::QuestionWording)
    }

    /// Words to add where a poll is refused for asking a new question with no wording: where
    /// the wording would come from, in the front door's terms.
    pub fn hint_new_question(&mut self, hint: String) {
        self.wording_hint = Some(hint);
    }

    /// Reads every poll and stores it, telling `on_event` what happens as it happens; the
    /// rejected rows (as they were, with a reason) go to `rejects`, committed before the polls
    /// are. All or nothing: with invalid polls (unless skipped) or refused conflicts, nothing
    /// is stored and the rejects are not committed ([`ImportReport::refusal`] says why).
    ///
    /// Errors: storage failures; writing the rejects; a reading thread that failed.
    pub async fn run<W: Commit>(
        mut self,
        store: &impl Store,
        rejects: Option<W>,
        on_event: &mut impl FnMut(ImportEvent<'_>),
    ) -> Result<ImportReport> {
        let mut rejects = match rejects {
            Some(output) => {
                self.reader.keep_records();
                Some(RejectsWriter::new(output, self.reader.headers())?)
            }
            None => None,
        };
        let mut new_pollsters = super::names::NewPollsters::load(store).await?;
        let mut new_answers = super::names::NewAnswers::default();
        let mut importer = store.importer(self.request.on_conflict).await?;
        self.configure(&mut importer);
        let name = self.request.name.clone();
        let (sender, batches) = std::sync::mpsc::sync_channel::<(Vec<ReadPoll>, u64)>(2);
        let mut reader = self.reader;
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
        let mut session = Session {
            name: &name,
            tally: self.tally,
            lines: self.lines,
            wording_hint: self.wording_hint,
            rejects: &mut rejects,
            on_event,
        };
        // Blocking here is fine: the reading thread fills the channel meanwhile.
        for (items, position) in batches {
            let mut batch: Vec<ImportedPoll> = Vec::with_capacity(items.len());
            for item in items {
                match item {
                    Ok(mut poll) => {
                        if on_election_day(&poll.poll, &self.request.election_dates) {
                            poll.poll.election = true;
                        }
                        for message in &poll.warnings {
                            (session.on_event)(ImportEvent::Warning(message));
                        }
                        let line = poll.lines.first().copied().unwrap_or_default();
                        new_pollsters.see(&poll.poll.pollster, line);
                        batch.push(poll);
                    }
                    Err(rejected) => session.reject(&rejected)?,
                }
            }
            for poll in &batch {
                let line = poll.lines.first().copied().unwrap_or_default();
                new_answers.see(&mut importer, &poll.poll, line).await?;
            }
            if !batch.is_empty() {
                session.store(&mut importer, batch).await?;
            }
            (session.on_event)(ImportEvent::Read(position));
        }
        reading
            .join()
            .map_err(|_| Error::Failed(format!("{name}: the reading thread failed")))?;
        let tally = session.tally;
        let mut warnings = importer.warnings().to_vec();
        let refusal = if tally.unreadable {
            Some(Refusal::Unreadable)
        } else if tally.rejected > 0 && !self.request.skip_invalid {
            Some(Refusal::Invalid)
        } else if tally.conflicts > 0 {
            Some(Refusal::Conflicts)
        } else {
            None
        };
        if refusal.is_some() {
            // An old rejects file stays as it was.
            importer.roll_back().await?;
        } else {
            // The rejects are in place before the polls are stored: failing to write them
            // stores nothing.
            if let Some(rejects) = rejects {
                rejects.finish()?.commit()?;
            }
            if self.request.dry_run {
                importer.roll_back().await?;
            } else {
                importer.commit().await?;
            }
        }
        let stored = refusal.is_none() && !self.request.dry_run;
        warnings.extend(new_pollsters.warnings(&name, stored));
        warnings.extend(new_answers.warnings(&name));
        Ok(ImportReport {
            name,
            tally,
            warnings,
            refusal,
            stored,
        })
    }

    /// Tells the store what the file gives and how its polls are keyed.
    fn configure(&self, importer: &mut impl ImportSession) {
        let request = &self.request;
        importer.question_kind(self.reader.question_kind(), request.options.kind.is_some());
        importer.restore_deleted(request.restore_deleted);
        // Ids the file's source keeps stable (FiveThirtyEight's, or a column mapped to
        // poll_id); the long format's own poll_id is polltrack's id in another database.
        importer.id_scheme(match request.format {
            ImportFormat::FiveThirtyEight if self.reader.gives(Field::PollId) => {
                Some("538".to_string())
            }
            ImportFormat::FiveThirtyEight => None,
            ImportFormat::Long => request
                .options
                .maps
                .iter()
                .find(|(field, _)| *field == Field::PollId)
                .map(|(_, column)| format!("column {column}")),
        });
        importer.file_gives(FileGives {
            partisan: self.reader.gives(Field::Partisan),
            tracking: self.reader.gives(Field::Tracking),
            election: self.reader.gives(Field::Election) || !self.request.election_dates.is_empty(),
        });
    }
}

/// An import under way: its counts, and where its rejects and news go.
struct Session<'a, W: std::io::Write, F> {
    name: &'a str,
    tally: Tally,
    lines: HashMap<i64, u64>,
    wording_hint: Option<String>,
    rejects: &'a mut Option<RejectsWriter<W>>,
    on_event: &'a mut F,
}

impl<W: std::io::Write, F: FnMut(ImportEvent<'_>)> Session<'_, W, F> {
    /// Hands a batch to the store and counts what became of each poll.
    async fn store(
        &mut self,
        importer: &mut impl ImportSession,
        batch: Vec<ImportedPoll>,
    ) -> Result<()> {
        let file = self.name;
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
            let tally = &mut self.tally;
            let problem = match outcome {
                Outcome::Added(id) => {
                    tally.added += 1;
                    tally.answers += answers as u64;
                    self.lines.insert(id, line);
                    None
                }
                Outcome::Repeated(_) => {
                    tally.repeated += 1;
                    None
                }
                Outcome::Deleted(_) => {
                    tally.deleted += 1;
                    None
                }
                Outcome::RepeatedOther(id, differences) => {
                    let earlier = self
                        .lines
                        .get(&id)
                        .map_or_else(|| format!("poll {id}"), |l| format!("line {l}"));
                    Some(format!(
                        "{file}:{line}: repeats the poll of {earlier} (same pollster, dates, \
                         question and population) with other numbers: {}; only one can be \
                         right: correct or remove one of the two",
                        differences_text(&differences)
                    ))
                }
                Outcome::Unchanged(id) => {
                    tally.unchanged += 1;
                    self.lines.entry(id).or_insert(line);
                    None
                }
                Outcome::Replaced(id) => {
                    tally.replaced += 1;
                    self.lines.entry(id).or_insert(line);
                    None
                }
                Outcome::Skipped(id) => {
                    tally.skipped += 1;
                    self.lines.entry(id).or_insert(line);
                    None
                }
                Outcome::Conflict(id, differences) => {
                    tally.conflicts += 1;
                    self.lines.entry(id).or_insert(line);
                    (self.on_event)(ImportEvent::Problem(&format!(
                        "{file}:{line}: conflicts with stored poll {id}: {}",
                        differences_text(&differences)
                    )));
                    None
                }
                // The store refuses a poll only for asking a new question with no wording.
                Outcome::Invalid(message) => Some(match &self.wording_hint {
                    Some(hint) => format!("{file}:{line}: {message} {hint}"),
                    None => format!("{file}:{line}: {message}"),
                }),
            };
            if let Some(problem) = problem {
                self.reject(&Rejected {
                    lines,
                    records,
                    problems: vec![problem],
                    fatal: false,
                })?;
            }
        }
        Ok(())
    }

    /// Counts a rejected poll, tells its problems and writes its rows to the rejects.
    fn reject(&mut self, rejected: &Rejected) -> Result<()> {
        self.tally.rejected += 1;
        self.tally.unreadable |= rejected.fatal;
        for message in &rejected.problems {
            (self.on_event)(ImportEvent::Problem(message));
        }
        if let Some(writer) = self.rejects.as_mut() {
            let reason = rejected.problems.join("; ");
            for record in &rejected.records {
                writer.write(record, &reason)?;
            }
        }
        Ok(())
    }
}

/// The fields that differ, as `field old -> new; ...`.
fn differences_text(differences: &[FieldChange]) -> String {
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
