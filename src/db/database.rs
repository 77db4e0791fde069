//! The database a command names, whichever backend holds it: [`Database`] opens an SQLite file
//! or a PostgreSQL database by what `--db` says ([`Location`]) and hands every operation of the
//! seam to it, so the front doors and `app` work the same on both.

use super::postgres::{PgImporter, PgSnapshot, is_postgres_url};
use super::sqlite::{SqliteImporter, SqliteSnapshot};
use super::*;
use crate::error::Error;
use crate::model::{Poll, QuestionKind, Rgb};
use std::path::{Path, PathBuf};

/// Where a database is: a file (a path, or `sqlite:PATH`) or a PostgreSQL database
/// (`postgres://` or `postgresql://` URL).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Location {
    File(PathBuf),
    Postgres(String),
}

impl Location {
    /// What `--db` (or `POLLTRACK_DB`) says: a PostgreSQL URL, `sqlite:PATH`, or a path.
    ///
    /// Errors: usage for a URL of another scheme (`postgress://`, `mysql://`): taken for a
    /// file, it would make one named after the URL, password and all.
    pub fn parse(text: &Path) -> Result<Location> {
        let Some(name) = text.to_str() else {
            return Ok(Location::File(text.to_path_buf()));
        };
        if is_postgres_url(name) {
            return Ok(Location::Postgres(name.to_string()));
        }
        if let Some(path) = name
            .get(..7)
            .filter(|scheme| scheme.eq_ignore_ascii_case("sqlite:"))
            .map(|_| &name[7..])
        {
            return Ok(Location::File(PathBuf::from(
                path.strip_prefix("//").unwrap_or(path),
            )));
        }
        if let Some((scheme, _)) = name.split_once("://").filter(|(scheme, _)| {
            !scheme.is_empty()
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "+.-".contains(c))
        }) {
            return Err(Error::usage(format!(
                "{} is a URL of a kind polltrack does not know ({scheme}://): a PostgreSQL \
                 database is postgres://USER@HOST:PORT/DATABASE, an SQLite file a path",
                super::redacted(name)
            )));
        }
        Ok(Location::File(text.to_path_buf()))
    }

    /// The location as messages name it: the path, or the URL without its password.
    pub fn describe(&self) -> String {
        match self {
            Location::File(path) => path.display().to_string(),
            Location::Postgres(url) => super::redacted(url),
        }
    }
}

/// An open database of either backend.
// One per command: its size does not matter, and boxing would only add a step.
#[allow(clippy::large_enum_variant)]
pub enum Database {
    Sqlite(SqliteStore),
    Postgres(PgStore),
}

impl Database {
    /// Opens the database at `location` for `access` (see [`SqliteStore::open`] and
    /// [`PgStore::open`]).
    pub async fn open(location: &Location, access: Access) -> Result<Database> {
        Ok(match location {
            Location::File(path) => Database::Sqlite(SqliteStore::open(path, access).await?),
            Location::Postgres(url) => Database::Postgres(PgStore::open(url, access).await?),
        })
    }

    /// The database as messages name it: its path, or its URL without the password.
    pub fn describe(&self) -> String {
        match self {
            Database::Sqlite(db) => db.path().display().to_string(),
            Database::Postgres(db) => db.label().to_string(),
        }
    }

    /// Whether this command created the database (a new file, or the schema in an empty
    /// PostgreSQL database).
    pub fn is_new(&self) -> bool {
        match self {
            Database::Sqlite(db) => db.is_new(),
            Database::Postgres(db) => db.is_new(),
        }
    }

    /// Lets reads run side by side on up to `connections` connections, for a store serving
    /// many requests at once (see [`SqliteStore::read_side_by_side`]; a PostgreSQL store's
    /// pool already does).
    ///
    /// Errors: storage, when the database cannot be opened again.
    pub async fn read_side_by_side(&mut self, connections: u32) -> Result<()> {
        match self {
            Database::Sqlite(db) => db.read_side_by_side(connections).await,
            Database::Postgres(_) => Ok(()),
        }
    }

    /// See [`SqliteStore::set_reason`].
    pub fn set_reason(&mut self, reason: Option<String>) {
        match self {
            Database::Sqlite(db) => db.set_reason(reason),
            Database::Postgres(db) => db.set_reason(reason),
        }
    }

    /// Ends a command that succeeded (see [`SqliteStore::close`]).
    pub async fn close(self) -> Result<()> {
        match self {
            Database::Sqlite(db) => db.close().await,
            Database::Postgres(db) => db.close().await,
        }
    }

    /// Ends a command that failed or only tried (see [`SqliteStore::discard`]).
    pub async fn discard(self) {
        match self {
            Database::Sqlite(db) => db.discard().await,
            Database::Postgres(db) => db.discard().await,
        }
    }
}

/// `$call` on whichever store `$self` holds, as `$db`.
macro_rules! on_store {
    ($self:expr, $db:ident => $call:expr) => {
        match $self {
            Database::Sqlite($db) => $call,
            Database::Postgres($db) => $call,
        }
    };
}

impl PollStore for Database {
    async fn add_poll_of_kind(
        &self,
        poll: &Poll,
        allow_duplicate: bool,
        kind: Option<QuestionKind>,
    ) -> Result<AddOutcome> {
        on_store!(self, db => db.add_poll_of_kind(poll, allow_duplicate, kind).await)
    }

    async fn insert_polls(&self, polls: &[Poll]) -> Result<(Vec<i64>, Vec<Warning>)> {
        on_store!(self, db => db.insert_polls(polls).await)
    }

    async fn add_results_of_kind(
        &self,
        id: i64,
        results: Vec<ResultSet>,
        sources: Vec<Source>,
        kind: Option<QuestionKind>,
        allow_duplicate: bool,
    ) -> Result<AddOutcome> {
        on_store!(self, db => db.add_results_of_kind(id, results, sources, kind, allow_duplicate).await)
    }

    async fn edit_poll(
        &self,
        id: i64,
        new: &Poll,
        allow_duplicate: bool,
    ) -> Result<(Vec<Change>, Vec<Warning>)> {
        on_store!(self, db => db.edit_poll(id, new, allow_duplicate).await)
    }

    async fn delete_poll(&self, id: i64) -> Result<Poll> {
        on_store!(self, db => db.delete_poll(id).await)
    }

    async fn delete_polls(&self, ids: &[i64]) -> Result<Vec<Poll>> {
        on_store!(self, db => db.delete_polls(ids).await)
    }

    async fn get_poll(&self, id: i64) -> Result<Poll> {
        on_store!(self, db => db.get_poll(id).await)
    }

    async fn list_polls(&self, filter: &PollFilter) -> Result<Vec<Poll>> {
        on_store!(self, db => db.list_polls(filter).await)
    }

    async fn list_polls_in_pages(
        &self,
        filter: &PollFilter,
        order: ListOrder,
        passes: usize,
        each: impl FnMut(usize, Vec<Poll>) -> Result<()> + Send,
    ) -> Result<()> {
        on_store!(self, db => db.list_polls_in_pages(filter, order, passes, each).await)
    }
}

impl PollsterStore for Database {
    async fn list_pollsters(&self) -> Result<Vec<Pollster>> {
        on_store!(self, db => db.list_pollsters().await)
    }

    async fn add_pollster_alias(&self, alias: &str, name: &str) -> Result<String> {
        on_store!(self, db => db.add_pollster_alias(alias, name).await)
    }

    async fn merge_pollsters_with(&self, from: &str, into: &str, combine: bool) -> Result<Merged> {
        on_store!(self, db => db.merge_pollsters_with(from, into, combine).await)
    }

    async fn rename_pollster(&self, old: &str, new: &str, keep_alias: bool) -> Result<Renamed> {
        on_store!(self, db => db.rename_pollster(old, new, keep_alias).await)
    }

    async fn pollster_spellings(&self) -> Result<Vec<(String, String)>> {
        on_store!(self, db => db.pollster_spellings().await)
    }

    async fn prune_pollsters(&self) -> Result<Vec<String>> {
        on_store!(self, db => db.prune_pollsters().await)
    }
}

impl QuestionStore for Database {
    async fn list_questions(&self) -> Result<Vec<Question>> {
        on_store!(self, db => db.list_questions().await)
    }

    async fn question_wording(&self, slug: &str) -> Result<String> {
        on_store!(self, db => db.question_wording(slug).await)
    }

    async fn question_kind(&self, slug: &str) -> Result<Option<QuestionKind>> {
        on_store!(self, db => db.question_kind(slug).await)
    }

    async fn set_question_kind(
        &self,
        slug: &str,
        kind: Option<QuestionKind>,
    ) -> Result<Option<QuestionKind>> {
        on_store!(self, db => db.set_question_kind(slug, kind).await)
    }

    async fn get_question(&self, slug: &str) -> Result<QuestionDetail> {
        on_store!(self, db => db.get_question(slug).await)
    }

    async fn rename_question(
        &self,
        slug: &str,
        new_slug: &str,
        wording: Option<&str>,
        topic: Option<&str>,
    ) -> Result<()> {
        on_store!(self, db => db.rename_question(slug, new_slug, wording, topic).await)
    }

    async fn check_filter(&self, filter: &PollFilter) -> Result<()> {
        on_store!(self, db => db.check_filter(filter).await)
    }

    async fn answer_order(&self, slug: &str, wanted: &[String]) -> Result<Vec<String>> {
        on_store!(self, db => db.answer_order(slug, wanted).await)
    }

    async fn answer_colours(&self, slug: &str) -> Result<Vec<(String, Rgb)>> {
        on_store!(self, db => db.answer_colours(slug).await)
    }

    async fn set_answer_colours(
        &self,
        slug: &str,
        colours: &[(String, Option<Rgb>)],
    ) -> Result<()> {
        on_store!(self, db => db.set_answer_colours(slug, colours).await)
    }
}

impl SourceStore for Database {
    async fn add_source(&self, source: &Source, polls: &[i64]) -> Result<i64> {
        on_store!(self, db => db.add_source(source, polls).await)
    }

    async fn link_source(&self, key: &str, polls: &[i64]) -> Result<i64> {
        on_store!(self, db => db.link_source(key, polls).await)
    }

    async fn list_sources(&self, poll: Option<i64>) -> Result<Vec<SourceWithPolls>> {
        on_store!(self, db => db.list_sources(poll).await)
    }

    async fn get_source(&self, key: &str) -> Result<SourceWithPolls> {
        on_store!(self, db => db.get_source(key).await)
    }
}

impl HistoryStore for Database {
    async fn history_of(&self, subject: Option<&Subject>) -> Result<Vec<Change>> {
        on_store!(self, db => db.history_of(subject).await)
    }

    async fn restore_poll(&self, id: i64) -> Result<Poll> {
        on_store!(self, db => db.restore_poll(id).await)
    }

    async fn undo_poll_change(&self, id: i64) -> Result<Undone> {
        on_store!(self, db => db.undo_poll_change(id).await)
    }
}

impl SeriesStore for Database {
    async fn poll_results(&self, filter: &SeriesFilter) -> Result<Vec<PollResult>> {
        on_store!(self, db => db.poll_results(filter).await)
    }
}

impl DumpStore for Database {
    async fn read_dump(&self) -> Result<Dump> {
        on_store!(self, db => db.read_dump().await)
    }

    async fn load_dump(&self, dump: &Dump) -> Result<()> {
        on_store!(self, db => db.load_dump(dump).await)
    }
}

/// An import under way on either backend.
#[allow(clippy::large_enum_variant)]
pub enum AnyImporter<'a> {
    Sqlite(SqliteImporter<'a>),
    Postgres(PgImporter<'a>),
}

/// `$call` on whichever session `$self` holds, as `$session`.
macro_rules! on_importer {
    ($self:expr, $session:ident => $call:expr) => {
        match $self {
            AnyImporter::Sqlite($session) => $call,
            AnyImporter::Postgres($session) => $call,
        }
    };
}

impl ImportStore for Database {
    type Importer<'a> = AnyImporter<'a>;

    async fn importer(&self, on_conflict: OnConflict) -> Result<AnyImporter<'_>> {
        Ok(match self {
            Database::Sqlite(db) => AnyImporter::Sqlite(db.importer(on_conflict).await?),
            Database::Postgres(db) => AnyImporter::Postgres(db.importer(on_conflict).await?),
        })
    }
}

impl ImportSession for AnyImporter<'_> {
    async fn add(&mut self, polls: Vec<(Poll, Option<i64>)>) -> Result<Vec<Outcome>> {
        on_importer!(self, s => s.add(polls).await)
    }

    async fn add_keyed(&mut self, polls: Vec<Incoming>) -> Result<Vec<Outcome>> {
        on_importer!(self, s => s.add_keyed(polls).await)
    }

    fn restore_deleted(&mut self, restore: bool) {
        on_importer!(self, s => s.restore_deleted(restore))
    }

    fn id_scheme(&mut self, scheme: Option<String>) {
        on_importer!(self, s => s.id_scheme(scheme))
    }

    fn file_gives(&mut self, gives: FileGives) {
        on_importer!(self, s => s.file_gives(gives))
    }

    fn question_kind(&mut self, kind: Option<QuestionKind>, given: bool) {
        on_importer!(self, s => s.question_kind(kind, given))
    }

    async fn question_labels(&mut self, slug: &str) -> Result<Vec<String>> {
        on_importer!(self, s => s.question_labels(slug).await)
    }

    fn warnings(&self) -> &[Warning] {
        on_importer!(self, s => s.warnings())
    }

    async fn commit(self) -> Result<()> {
        on_importer!(self, s => s.commit().await)
    }

    async fn roll_back(self) -> Result<()> {
        on_importer!(self, s => s.roll_back().await)
    }
}

/// An export's snapshot on either backend.
pub enum AnySnapshot<'a> {
    Sqlite(SqliteSnapshot<'a>),
    Postgres(PgSnapshot<'a>),
}

impl ExportStore for Database {
    type Snapshot<'a> = AnySnapshot<'a>;

    async fn snapshot(&self) -> Result<AnySnapshot<'_>> {
        Ok(match self {
            Database::Sqlite(db) => AnySnapshot::Sqlite(db.snapshot().await?),
            Database::Postgres(db) => AnySnapshot::Postgres(db.snapshot().await?),
        })
    }

    async fn count_polls(&self) -> Result<i64> {
        on_store!(self, db => db.count_polls().await)
    }
}

impl ExportSnapshot for AnySnapshot<'_> {
    async fn for_each_page(
        &mut self,
        filter: &PollFilter,
        each: impl FnMut(PollPage) -> Result<()> + Send,
    ) -> Result<()> {
        match self {
            AnySnapshot::Sqlite(s) => s.for_each_page(filter, each).await,
            AnySnapshot::Postgres(s) => s.for_each_page(filter, each).await,
        }
    }

    async fn answer_labels(&mut self, filter: &PollFilter) -> Result<Vec<String>> {
        match self {
            AnySnapshot::Sqlite(s) => s.answer_labels(filter).await,
            AnySnapshot::Postgres(s) => s.answer_labels(filter).await,
        }
    }

    async fn finish(self) -> Result<()> {
        match self {
            AnySnapshot::Sqlite(s) => s.finish().await,
            AnySnapshot::Postgres(s) => s.finish().await,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_location_is_a_postgres_url_a_sqlite_url_or_a_path() {
        let parse = |text: &str| Location::parse(Path::new(text)).expect("a location");
        assert_eq!(
            parse("postgres://desk@db.example.org/polls"),
            Location::Postgres("postgres://desk@db.example.org/polls".into())
        );
        assert_eq!(
            parse("PostgreSQL://db/polls"),
            Location::Postgres("PostgreSQL://db/polls".into())
        );
        assert_eq!(parse("sqlite:polls.db"), Location::File("polls.db".into()));
        assert_eq!(
            parse("sqlite:///tmp/p.db"),
            Location::File("/tmp/p.db".into())
        );
        assert_eq!(parse("polls.db"), Location::File("polls.db".into()));
        // A file whose name only looks like a scheme stays a file.
        assert_eq!(parse("postgres.db"), Location::File("postgres.db".into()));
        // A misspelt scheme is refused, its password hidden, not taken for a file.
        for url in [
            "postgress://desk:s3cret@db/polls",
            "pg://desk:s3cret@db/polls",
        ] {
            let err = Location::parse(Path::new(url)).expect_err("an unknown scheme");
            assert!(err.to_string().contains("desk:***@db"), "{err}");
            assert!(!err.to_string().contains("s3cret"), "{err}");
        }
        assert_eq!(
            Location::Postgres("postgres://desk:s3cret@db/polls".into()).describe(),
            "postgres://desk:***@db/polls"
        );
    }
}
