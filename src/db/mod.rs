//! The storage seam: the operations the rest of the library needs from a database, with model
//! types (and the small request and outcome types below) in and out, grouped by concern. One
//! implementation per backend, each with its own SQL, migrations and tricks:
//! [`SqliteStore`] (one SQLite file) and [`PgStore`] (a database of a PostgreSQL server).
//!
//! Every method returns a `Send` future, so a store can be shared by a multi-threaded server.
//! Nothing here promises a whole-database write lock: each method is one transaction, and a
//! backend with several writers at once keeps each method's guarantees its own way (poll ids,
//! for one, are never handed out twice and never reused after a delete).

#[cfg(test)]
mod contract;
mod database;
mod postgres;
mod reason;
mod shared;
mod sqlite;

pub use database::{AnyImporter, AnySnapshot, Database, Location};
pub use postgres::{PgStore, is_postgres_url, redacted, without_password};
pub use reason::with_reason;
pub use sqlite::{Access, SqliteStore};

use crate::error::Result;
use crate::model::dump::Dump;
use crate::model::{
    Change, FieldChange, ListOrder, Poll, PollFilter, PollResult, Pollster, Question, QuestionKind,
    ResultSet, Source, SourceWithPolls, Subject, Warning, name_key,
};
use chrono::NaiveDate;
use serde::Serialize;
use std::future::Future;

/// Everything the library needs from a database.
pub trait Store:
    PollStore
    + PollsterStore
    + QuestionStore
    + SourceStore
    + HistoryStore
    + ImportStore
    + ExportStore
    + SeriesStore
    + DumpStore
    + Send
    + Sync
{
}

impl<T> Store for T where
    T: PollStore
        + PollsterStore
        + QuestionStore
        + SourceStore
        + HistoryStore
        + ImportStore
        + ExportStore
        + SeriesStore
        + DumpStore
        + Send
        + Sync
{
}

/// Writing and reading polls with their result sets, answers, sponsors and sources.
pub trait PollStore {
    /// Records one poll. A poll that repeats a stored one (same pollster, dates, question and
    /// population) is refused with the stored poll's id unless `allow_duplicate`.
    fn add_poll(
        &self,
        poll: &Poll,
        allow_duplicate: bool,
    ) -> impl Future<Output = Result<AddOutcome>> + Send {
        self.add_poll_of_kind(poll, allow_duplicate, None)
    }

    /// As [`PollStore::add_poll`], giving the poll's questions `kind` where they have none (a
    /// new question, or one stored before kinds were known); another kind stored stays, with a
    /// warning.
    fn add_poll_of_kind(
        &self,
        poll: &Poll,
        allow_duplicate: bool,
        kind: Option<QuestionKind>,
    ) -> impl Future<Output = Result<AddOutcome>> + Send;

    /// The bulk path: records many polls in one transaction, all or none. Each poll must pass
    /// validation; no duplicate check is made. Returns the new ids in order.
    fn insert_polls(
        &self,
        polls: &[Poll],
    ) -> impl Future<Output = Result<(Vec<i64>, Vec<Warning>)>> + Send;

    /// Adds further questions or populations (and sources) to a stored poll.
    fn add_results(
        &self,
        id: i64,
        results: Vec<ResultSet>,
        sources: Vec<Source>,
    ) -> impl Future<Output = Result<AddOutcome>> + Send {
        self.add_results_of_kind(id, results, sources, None, false)
    }

    /// As [`PollStore::add_results`], giving the questions `kind` as
    /// [`PollStore::add_poll_of_kind`] does. A question and population that would make the poll
    /// repeat another stored poll is refused as `add` refuses a duplicate, unless
    /// `allow_duplicate`.
    fn add_results_of_kind(
        &self,
        id: i64,
        results: Vec<ResultSet>,
        sources: Vec<Source>,
        kind: Option<QuestionKind>,
        allow_duplicate: bool,
    ) -> impl Future<Output = Result<AddOutcome>> + Send;

    /// Replaces a stored poll's content with `new`, recording each changed field in the
    /// history. An edit that would make the poll repeat another stored poll (what `add`
    /// refuses) is refused the same way.
    fn update_poll(
        &self,
        id: i64,
        new: &Poll,
    ) -> impl Future<Output = Result<(Vec<Change>, Vec<Warning>)>> + Send {
        self.edit_poll(id, new, false)
    }

    /// As [`PollStore::update_poll`]; with `allow_duplicate`, a poll repeating another is
    /// stored too.
    ///
    /// An edit never silently overwrites a change committed since the caller read the poll: a
    /// `new` read with [`PollStore::get_poll`] carries the `updated_at` it was read at, and when
    /// that is not the stored `updated_at` the edit is refused (a conflict naming the poll and
    /// when it was changed; nothing is changed): read it again and edit that. A `new` without
    /// `updated_at` is not checked. `updated_at` has whole seconds, so a change committed within
    /// the same second as the state read is not told apart from it.
    fn edit_poll(
        &self,
        id: i64,
        new: &Poll,
        allow_duplicate: bool,
    ) -> impl Future<Output = Result<(Vec<Change>, Vec<Warning>)>> + Send;

    /// Deletes a poll, keeping a full copy of it in the history. Returns what was deleted. Its
    /// id is never given to another poll.
    fn delete_poll(&self, id: i64) -> impl Future<Output = Result<Poll>> + Send;

    /// Deletes these polls in one transaction, all or none, each as
    /// [`PollStore::delete_poll`] does (a full copy in the history, its id never reused).
    /// Returns them as they were, in the order of `ids`. An unknown id is not found, and
    /// nothing is deleted.
    fn delete_polls(&self, ids: &[i64]) -> impl Future<Output = Result<Vec<Poll>>> + Send;

    fn get_poll(&self, id: i64) -> impl Future<Output = Result<Poll>> + Send;

    /// Polls matching `filter`, by date; each holds only the result sets the filter selects.
    fn list_polls(&self, filter: &PollFilter) -> impl Future<Output = Result<Vec<Poll>>> + Send;

    /// The polls [`PollStore::list_polls`] gives, in the same order (or newest first, and at
    /// most as many as `order` says), a page at a time, so memory does not grow with the
    /// database. `passes` times over, on one snapshot of the database (a table sized on a
    /// first pass, printed on a second); `each` is given the pass and the page.
    fn list_polls_in_pages(
        &self,
        filter: &PollFilter,
        order: ListOrder,
        passes: usize,
        each: impl FnMut(usize, Vec<Poll>) -> Result<()> + Send,
    ) -> impl Future<Output = Result<()>> + Send;
}

/// Pollsters, their aliases, and merging two into one.
pub trait PollsterStore {
    /// Every pollster with its aliases and number of polls.
    fn list_pollsters(&self) -> impl Future<Output = Result<Vec<Pollster>>> + Send;

    /// Makes `alias` another spelling of the pollster `name`. Returns the pollster's name.
    fn add_pollster_alias(
        &self,
        alias: &str,
        name: &str,
    ) -> impl Future<Output = Result<String>> + Send;

    /// Moves every poll of `from` to `into`; `from`'s name and aliases become aliases of `into`.
    /// Each moved poll's history records the change. Returns how many polls moved. A poll of
    /// `from` that would become the same poll as one of `into` (see
    /// [`PollsterStore::merge_pollsters_with`]) is a conflict, and nothing changes.
    fn merge_pollsters(&self, from: &str, into: &str) -> impl Future<Output = Result<u64>> + Send {
        let merging = self.merge_pollsters_with(from, into, false);
        async move { Ok(merging.await?.moved) }
    }

    /// As [`PollsterStore::merge_pollsters`]; with `combine`, a poll of `from` that is the same
    /// poll as one of `into` is combined into it. An `into` that names no stored pollster is
    /// `from` renamed (as [`PollsterStore::rename_pollster`] with the old name kept as an
    /// alias; [`Merged::renamed`] says so).
    fn merge_pollsters_with(
        &self,
        from: &str,
        into: &str,
        combine: bool,
    ) -> impl Future<Output = Result<Merged>> + Send;

    /// Gives the pollster `old` (a name or an alias) the name `new`, the one shown everywhere.
    /// With `keep_alias` its name until now becomes an alias, so later input spelt that way
    /// still matches. `new` may be one of the pollster's aliases (then the alias and the name
    /// swap: the alias is the name shown, the name an alias) or its name in another case. Its
    /// polls are not changed (they refer to the pollster, not to a spelling).
    ///
    /// Errors: not found for an unknown `old`; conflict when `new` stands for another pollster
    /// (merge them instead); usage when `new` is the name already; invalid for an empty name or
    /// one with a hidden character; storage failures.
    fn rename_pollster(
        &self,
        old: &str,
        new: &str,
        keep_alias: bool,
    ) -> impl Future<Output = Result<Renamed>> + Send;

    /// Every spelling that stands for a pollster, each name and each alias, as
    /// `(spelling, name of the pollster it stands for)`, by spelling in lower case: what a new
    /// name is compared with to catch a typo.
    fn pollster_spellings(&self) -> impl Future<Output = Result<Vec<(String, String)>>> + Send;

    /// Removes every pollster with no polls (their polls deleted, moved by an edit, or never
    /// recorded), with its aliases; returns their names, by name. Deleted polls keep their
    /// pollster's name in their history.
    fn prune_pollsters(&self) -> impl Future<Output = Result<Vec<String>>> + Send;
}

/// Questions: a stable slug, its wording, its kind, and what has been recorded for it.
pub trait QuestionStore {
    fn list_questions(&self) -> impl Future<Output = Result<Vec<Question>>> + Send;

    /// The wording stored for the question `slug`.
    fn question_wording(&self, slug: &str) -> impl Future<Output = Result<String>> + Send;

    /// The kind stored for the question `slug`, if any.
    fn question_kind(
        &self,
        slug: &str,
    ) -> impl Future<Output = Result<Option<QuestionKind>>> + Send;

    /// Sets (or, with `None`, clears) the kind of the question `slug`; returns the kind it had.
    fn set_question_kind(
        &self,
        slug: &str,
        kind: Option<QuestionKind>,
    ) -> impl Future<Output = Result<Option<QuestionKind>>> + Send;

    /// The question `slug` with the populations and answers recorded for it.
    fn get_question(&self, slug: &str) -> impl Future<Output = Result<QuestionDetail>> + Send;

    /// Gives the question `slug` a new slug, and optionally a new wording or topic.
    fn rename_question(
        &self,
        slug: &str,
        new_slug: &str,
        wording: Option<&str>,
        topic: Option<&str>,
    ) -> impl Future<Output = Result<()>> + Send;

    /// Refuses a filter that names a question or a pollster (by name or alias) not stored: a
    /// misspelt name would otherwise read as "no polls" (`Error::NotFound`).
    fn check_filter(&self, filter: &PollFilter) -> impl Future<Output = Result<()>> + Send;

    /// The answers of the question `slug` in the order they first appear over all its stored
    /// polls (by poll date, then as recorded), each once whatever its case, as first written.
    /// Whatever polls a chart shows, this order (and so each answer's colour) stays the same.
    /// Reading may stop once every answer in `wanted` (matched ignoring case) is seen, so the
    /// list holds those and every answer first seen before them; with `wanted` empty, or an
    /// answer of it the question lacks, it holds all. An unknown question has none.
    fn answer_order(
        &self,
        slug: &str,
        wanted: &[String],
    ) -> impl Future<Output = Result<Vec<String>>> + Send;

    /// The colours kept for the question's answers, by answer (as last given), in answer order
    /// ignoring case.
    fn answer_colours(
        &self,
        slug: &str,
    ) -> impl Future<Output = Result<Vec<(String, crate::model::Rgb)>>> + Send;

    /// Keeps `colours` for the question's answers, each replacing the colour kept for the same
    /// answer (matched ignoring case); `None` forgets the answer's colour. All or none.
    fn set_answer_colours(
        &self,
        slug: &str,
        colours: &[(String, Option<crate::model::Rgb>)],
    ) -> impl Future<Output = Result<()>> + Send;
}

/// Sources (articles, releases) and the polls they report.
pub trait SourceStore {
    /// Records a source (or completes the stored one with the same URL) and links it to
    /// `polls`. Returns its id.
    fn add_source(
        &self,
        source: &Source,
        polls: &[i64],
    ) -> impl Future<Output = Result<i64>> + Send;

    /// Links the source with this id or URL to `polls`. Returns the source's id.
    fn link_source(&self, key: &str, polls: &[i64]) -> impl Future<Output = Result<i64>> + Send;

    /// Every source, or those of one poll, with the polls each reports.
    fn list_sources(
        &self,
        poll: Option<i64>,
    ) -> impl Future<Output = Result<Vec<SourceWithPolls>>> + Send;

    /// The source `key` (an id or a URL) with the polls it reports.
    fn get_source(&self, key: &str) -> impl Future<Output = Result<SourceWithPolls>> + Send;
}

/// The record of every change: of polls (edits, deletes, restores, undos), questions,
/// pollsters and sources, each with the reason given.
pub trait HistoryStore: Sync {
    /// The changes of one poll, or of everything, oldest first. A poll that never existed is
    /// `NotFound`.
    fn history(&self, poll: Option<i64>) -> impl Future<Output = Result<Vec<Change>>> + Send {
        let subject = poll.map(Subject::Poll);
        async move { self.history_of(subject.as_ref()).await }
    }

    /// The changes of one subject (a poll by id, a question by slug, a pollster by name or
    /// alias, a source by id or URL), or of everything, oldest first. A subject not stored is
    /// `NotFound` (a deleted poll is found by its history).
    fn history_of(
        &self,
        subject: Option<&Subject>,
    ) -> impl Future<Output = Result<Vec<Change>>> + Send;

    /// Brings the deleted poll `id` back as it was deleted: the same id, fields, result sets,
    /// answers, sponsors and sources, and their links; recorded as a `restore`. Returns the
    /// poll. Errors: `Conflict` for a poll that exists, or one that would repeat a poll stored
    /// since (same pollster, dates, question and population; naming it); `NotFound` for an id
    /// never used. Nothing changes on an error.
    fn restore_poll(&self, id: i64) -> impl Future<Output = Result<Poll>> + Send;

    /// Undoes the last change of the poll `id`: an edit (or an undo) goes back to the poll as
    /// it was before, a delete is restored, a restore deleted again, and a poll with no change
    /// recorded (only added) is deleted. The undo is recorded like any change, so it can be
    /// undone in turn. Errors: `NotFound` for an id never used; `Conflict` for a change that
    /// cannot be undone (recorded without the poll as it was, or going back would repeat
    /// another stored poll); nothing changes on an error.
    fn undo_poll_change(&self, id: i64) -> impl Future<Output = Result<Undone>> + Send;
}

/// What [`HistoryStore::undo_poll_change`] did.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Undone {
    /// The action undone: `add`, `edit`, `undo`, `delete` or `restore`.
    pub undid: String,
    /// The change set undone (the id of its first row); `None` for an addition, never recorded.
    pub change_set: Option<i64>,
    /// The rows the undo recorded.
    pub changes: Vec<Change>,
}

/// Importing a file: one session, all or nothing.
pub trait ImportStore {
    type Importer<'a>: ImportSession
    where
        Self: 'a;

    /// Starts an import: one write transaction, committed by [`ImportSession::commit`] and
    /// rolled back if dropped.
    fn importer(
        &self,
        on_conflict: OnConflict,
    ) -> impl Future<Output = Result<Self::Importer<'_>>> + Send;
}

/// An import under way.
pub trait ImportSession: Send {
    /// Adds polls with the file's whole-number keys; see [`ImportSession::add_keyed`].
    fn add(
        &mut self,
        polls: Vec<(Poll, Option<i64>)>,
    ) -> impl Future<Output = Result<Vec<Outcome>>> + Send;

    /// Adds a batch of a file's polls, each matched against the stored polls (and the polls of
    /// this import) by its identity or its source's ids; says what became of each.
    fn add_keyed(
        &mut self,
        polls: Vec<Incoming>,
    ) -> impl Future<Output = Result<Vec<Outcome>>> + Send;

    /// Whether a poll matching a deleted one is added again (under its old id).
    fn restore_deleted(&mut self, restore: bool);

    /// The scheme of the file's own stable poll ids (`538`, `column NAME`), when it has them.
    fn id_scheme(&mut self, scheme: Option<String>);

    /// Which of the fields a file may leave out it has columns for.
    fn file_gives(&mut self, gives: FileGives);

    /// The kind to give the file's questions that have none; `given` when the user gave it.
    fn question_kind(&mut self, kind: Option<QuestionKind>, given: bool);

    /// The answer labels of the question `slug` stored so far, this import's included, each
    /// once whatever its case; none for a question not stored.
    fn question_labels(&mut self, slug: &str) -> impl Future<Output = Result<Vec<String>>> + Send;

    /// What is worth telling the user so far.
    fn warnings(&self) -> &[Warning];

    fn commit(self) -> impl Future<Output = Result<()>> + Send;

    fn roll_back(self) -> impl Future<Output = Result<()>> + Send;
}

/// Reading polls out for an export.
pub trait ExportStore {
    type Snapshot<'a>: ExportSnapshot
    where
        Self: 'a;

    /// Starts a snapshot: every read through it sees the database as it stood at the first,
    /// whatever is committed meanwhile. It holds its connection until finished or dropped.
    fn snapshot(&self) -> impl Future<Output = Result<Self::Snapshot<'_>>> + Send;

    /// Number of polls stored, for progress and summaries.
    fn count_polls(&self) -> impl Future<Output = Result<i64>> + Send;
}

/// One state of the database, read a page at a time, so an export is never half of one write
/// and half of the next, and its memory does not grow with the database.
pub trait ExportSnapshot: Send {
    /// Calls `each` with the polls matching `filter`, by id, a page of whole polls at a time;
    /// each poll holds only the result sets the filter selects.
    fn for_each_page(
        &mut self,
        filter: &PollFilter,
        each: impl FnMut(PollPage) -> Result<()> + Send,
    ) -> impl Future<Output = Result<()>> + Send;

    /// The answer labels of the polls matching `filter`, each once (ignoring case), in order
    /// of first appearance: the answer columns of a wide export.
    fn answer_labels(
        &mut self,
        filter: &PollFilter,
    ) -> impl Future<Output = Result<Vec<String>>> + Send {
        async move {
            let mut labels: Vec<String> = Vec::new();
            let mut seen = std::collections::HashSet::new();
            self.for_each_page(filter, |page| {
                for answer in page
                    .polls()?
                    .iter()
                    .flat_map(|p| &p.results)
                    .flat_map(|r| &r.answers)
                {
                    if seen.insert(name_key(&answer.label)) {
                        labels.push(answer.label.clone());
                    }
                }
                Ok(())
            })
            .await?;
            Ok(labels)
        }
    }

    /// Ends the snapshot.
    fn finish(self) -> impl Future<Output = Result<()>> + Send;
}

/// A page of polls as a store read it, made into polls by [`PollPage::polls`] wherever the
/// caller has that work done: an export does it on its writing thread, beside the store's read
/// of the next page. (SQLite hands out pages as the JSON it wrote them in; turning JSON into
/// polls costs as much as reading it.)
pub struct PollPage(Box<dyn FnOnce() -> Result<Vec<Poll>> + Send>);

impl PollPage {
    /// A page whose polls `read` makes.
    pub fn new(read: impl FnOnce() -> Result<Vec<Poll>> + Send + 'static) -> PollPage {
        PollPage(Box::new(read))
    }

    /// The page's polls, by id. Errors: a storage error when the store's page cannot be read.
    pub fn polls(self) -> Result<Vec<Poll>> {
        (self.0)()
    }
}

/// Reading one question's polls for a trend.
pub trait SeriesStore {
    /// The result sets of the question the filter names, by date and poll id.
    fn poll_results(
        &self,
        filter: &SeriesFilter,
    ) -> impl Future<Output = Result<Vec<PollResult>>> + Send;
}

/// A whole database at once, ids and history included: what `dump` reads and `load` writes,
/// and what copies a database from one backend to another.
pub trait DumpStore {
    /// Every record, each kind in id order (see [`Dump`]), read from one snapshot of the
    /// database whatever is committed meanwhile.
    fn read_dump(&self) -> impl Future<Output = Result<Dump>> + Send;

    /// Writes every record of `dump` keeping its ids, in one transaction, into a store holding
    /// nothing yet; afterwards [`DumpStore::read_dump`] gives `dump` back. The values a store
    /// derives (name keys, poll dates) are made again.
    ///
    /// Errors: conflict, naming the database and what it holds, when it is not empty; invalid
    /// when the records break the store's rules (two sources with one URL, a percentage over
    /// 100), in the store's words (check [`Dump::problems`] first to name the records). Either
    /// way nothing is written.
    fn load_dump(&self, dump: &Dump) -> impl Future<Output = Result<()>> + Send;
}

/// A poll stored: its id and what is worth telling the user.
#[derive(Debug, Clone, PartialEq)]
pub struct AddOutcome {
    pub id: i64,
    pub warnings: Vec<Warning>,
}

/// What to do with a poll stored already whose numbers differ from the file's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OnConflict {
    /// Import nothing; report the conflicts.
    Refuse,
    /// Replace the stored poll, recording the change in its history.
    Replace,
    /// Keep the stored poll.
    Skip,
}

/// What became of one poll of an import.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    Added(i64),
    /// Stored already with the same numbers.
    Unchanged(i64),
    /// Stored already with other numbers; with [`OnConflict::Refuse`] the import must not be
    /// committed. The fields that differ, as the history would record them.
    Conflict(i64, Vec<FieldChange>),
    Replaced(i64),
    Skipped(i64),
    /// Repeats a poll this import took earlier from the same file (the file gives no ids that
    /// tell them apart), with the same numbers: one poll, the sources of both.
    Repeated(i64),
    /// Repeats a poll this import took earlier from the same file with other numbers: cannot
    /// be stored, since only one of them can be right. The fields that differ.
    RepeatedOther(i64, Vec<FieldChange>),
    /// Matches a poll deleted before (by its identity or its source's id): left out unless
    /// the import restores deleted polls. The deleted poll's id.
    Deleted(i64),
    /// Cannot be stored: why.
    Invalid(String),
}

/// A poll of a file for [`ImportSession::add_keyed`].
#[derive(Debug, Clone)]
pub struct Incoming {
    pub poll: Poll,
    /// The file's key, when it is a whole number (kept as the poll's id when free).
    pub file_id: Option<i64>,
    /// The file's own key as written: a stable id of its source when the importer was told the
    /// file's id scheme ([`ImportSession::id_scheme`]).
    pub file_key: Option<String>,
    /// The source's own id of each result set (538's `question_id`), in the order of
    /// `poll.results` (empty when the file has none): with an id scheme, kept with the result
    /// sets, and a later import matching the poll matches its result sets by them first.
    pub question_ids: Vec<Option<String>>,
}

/// Whether a file has columns for the flags a poll may have (the long format has none).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct FileGives {
    pub partisan: bool,
    pub tracking: bool,
    /// Whether the file says which rows are election results.
    pub election: bool,
}

/// What a merge of pollsters did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Merged {
    /// Polls moved to the pollster merged into, and kept as they were.
    pub moved: u64,
    /// Polls combined into a poll of the pollster merged into: (removed, kept).
    pub combined: Vec<(i64, i64)>,
    /// The pollster merged into did not exist: the pollster merged away was renamed instead.
    pub renamed: bool,
}

/// What a rename of a pollster did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Renamed {
    /// The pollster's name until now.
    pub old: String,
    /// Its name from now on.
    pub new: String,
    /// Whether the old name became an alias.
    pub alias_kept: bool,
}

/// A question with the populations and answers recorded for it.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct QuestionDetail {
    #[serde(flatten)]
    pub question: Question,
    /// Each population with its number of result sets.
    pub populations: Vec<(String, i64)>,
    /// Each answer label with the number of result sets giving it.
    pub answers: Vec<(String, i64)>,
    pub pollsters: i64,
}

/// Which result sets of a question a trend reads. Empty lists do not filter.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SeriesFilter {
    pub question: String,
    pub pollsters: Vec<String>,
    pub exclude_pollsters: Vec<String>,
    /// Inclusive bounds on the poll's date.
    pub since: Option<NaiveDate>,
    pub until: Option<NaiveDate>,
    /// Only this population; otherwise every population is read and the trend chooses.
    pub population: Option<String>,
}

/// The seam's traits, to bring their methods into scope at once: `use polltrack::db::prelude::*`.
pub mod prelude {
    pub use super::{
        DumpStore, ExportSnapshot, ExportStore, HistoryStore, ImportSession, ImportStore,
        PollStore, PollsterStore, QuestionStore, SeriesStore, SourceStore, Store,
    };
}
