//! Importing many polls in one transaction: SQLite's reads and writes for the import that
//! [`Matcher`] runs (the matching itself is the same for every store).

use super::polls::{Selection, Stored, json_list, load_polls, new_ids, rewrite_poll, write_polls};
use super::{SqliteStore, Tx, commit, db_err, now, pollsters};
use crate::db::shared::import::{DeletedRow, IdentityRow, ImportBackend, Matcher};
use crate::db::{FileGives, ImportSession, ImportStore, Incoming, OnConflict, Outcome};
use crate::error::Result;
use crate::model::{Poll, QuestionKind, Source, Warning, parse_date};
use chrono::NaiveDate;
use std::collections::HashSet;

/// An import under way: one write transaction, committed by [`ImportSession::commit`] and rolled
/// back if dropped.
pub struct SqliteImporter<'a> {
    db: &'a SqliteStore,
    matcher: Matcher<SqliteSide>,
}

/// The import's write transaction, as [`Matcher`] reads and writes through it.
pub struct SqliteSide {
    tx: Tx,
}

/// A stored result set's identity, its dates as stored.
#[derive(sqlx::FromRow)]
struct IdentityText {
    pollster_key: String,
    field_start: Option<String>,
    field_end: Option<String>,
    published_on: Option<String>,
    question: String,
    poll_id: i64,
    result_set_id: i64,
}

/// A deleted result set as stored.
#[derive(sqlx::FromRow)]
struct DeletedText {
    poll_id: i64,
    pollster: String,
    field_start: Option<String>,
    field_end: Option<String>,
    published_on: Option<String>,
    question: String,
    population: String,
}

/// Dates as stored (the schema's CHECKs keep them well formed).
fn dates(texts: [Option<String>; 3]) -> [Option<NaiveDate>; 3] {
    texts.map(|d| d.and_then(|d| parse_date(&d).ok()))
}

impl ImportStore for SqliteStore {
    type Importer<'a> = SqliteImporter<'a>;

    /// Starts an import. It holds the write lock until committed or dropped.
    async fn importer(&self, on_conflict: OnConflict) -> Result<SqliteImporter<'_>> {
        let side = SqliteSide {
            tx: self.write().await?,
        };
        Ok(SqliteImporter {
            db: self,
            matcher: Matcher::start(side, on_conflict).await?,
        })
    }
}

impl ImportBackend for SqliteSide {
    async fn identities_after(&mut self, after: i64, limit: i64) -> Result<Vec<IdentityRow>> {
        // CROSS JOIN keeps result_set outermost, so each page is a range of its primary key;
        // the planner would otherwise start from the questions and sort every page.
        let rows: Vec<IdentityText> = sqlx::query_as(
            "SELECT pr.key AS pollster_key, p.field_start, p.field_end, p.published_on,
                    q.slug AS question, p.id AS poll_id, rs.id AS result_set_id
               FROM result_set rs
               CROSS JOIN poll p ON p.id = rs.poll_id
               CROSS JOIN pollster pr ON pr.id = p.pollster_id
               CROSS JOIN question q ON q.id = rs.question_id
              WHERE rs.id > $1
              ORDER BY rs.id
              LIMIT $2",
        )
        .bind(after)
        .bind(limit)
        .fetch_all(&mut *self.tx)
        .await
        .map_err(db_err)?;
        Ok(rows
            .into_iter()
            .map(|row| IdentityRow {
                pollster_key: row.pollster_key,
                dates: dates([row.field_start, row.field_end, row.published_on]),
                question: row.question,
                poll_id: row.poll_id,
                result_set_id: row.result_set_id,
            })
            .collect())
    }

    async fn question_slugs(&mut self) -> Result<Vec<String>> {
        sqlx::query_scalar("SELECT slug FROM question")
            .fetch_all(&mut *self.tx)
            .await
            .map_err(db_err)
    }

    async fn deleted_results(&mut self) -> Result<Vec<DeletedRow>> {
        let rows: Vec<DeletedText> = sqlx::query_as(
            "SELECT poll_id, pollster, field_start, field_end, published_on, question, population
               FROM deleted_result ORDER BY poll_id",
        )
        .fetch_all(&mut *self.tx)
        .await
        .map_err(db_err)?;
        Ok(rows
            .into_iter()
            .map(|row| DeletedRow {
                poll_id: row.poll_id,
                pollster: row.pollster,
                dates: dates([row.field_start, row.field_end, row.published_on]),
                question: row.question,
                population: row.population,
            })
            .collect())
    }

    async fn load(&mut self, ids: &[i64]) -> Result<Vec<Poll>> {
        load_polls(&mut self.tx, Selection::Ids(ids)).await
    }

    async fn canonical_pollster(&mut self, name: &str) -> Result<Option<String>> {
        pollsters::canonical(&mut self.tx, name).await
    }

    async fn stored_keys(&mut self, scheme: &str, keys: &[&str]) -> Result<Vec<(String, i64)>> {
        sqlx::query_as(
            "SELECT key, poll_id FROM source_poll_id
              WHERE scheme = $1 AND key IN (SELECT value FROM json_each($2))",
        )
        .bind(scheme)
        .bind(json_list(keys))
        .fetch_all(&mut *self.tx)
        .await
        .map_err(db_err)
    }

    async fn keep_keys(&mut self, scheme: &str, pairs: &[(String, i64)]) -> Result<()> {
        sqlx::query(
            "INSERT INTO source_poll_id (scheme, key, poll_id)
             SELECT $1, json_extract(value, '$[0]'), json_extract(value, '$[1]')
               FROM json_each($2) WHERE true
             ON CONFLICT (scheme, key) DO UPDATE SET poll_id = excluded.poll_id",
        )
        .bind(scheme)
        .bind(json_list(pairs))
        .execute(&mut *self.tx)
        .await
        .map_err(db_err)?;
        Ok(())
    }

    async fn result_set_ids(&mut self, poll: i64) -> Result<Vec<i64>> {
        super::polls::result_set_ids(&mut self.tx, poll).await
    }

    async fn result_set_keys(&mut self, poll: i64, scheme: &str) -> Result<Vec<(String, i64)>> {
        sqlx::query_as(
            "SELECT s.key, s.result_set_id FROM source_result_set s
               JOIN result_set rs ON rs.id = s.result_set_id
              WHERE rs.poll_id = $1 AND s.scheme = $2",
        )
        .bind(poll)
        .bind(scheme)
        .fetch_all(&mut *self.tx)
        .await
        .map_err(db_err)
    }

    async fn keep_result_keys(
        &mut self,
        scheme: &str,
        kept: &[(i64, usize, String)],
    ) -> Result<()> {
        let mut ids: (i64, Vec<i64>) = (0, Vec::new());
        for (poll, place, key) in kept {
            if ids.0 != *poll {
                ids = (
                    *poll,
                    super::polls::result_set_ids(&mut self.tx, *poll).await?,
                );
            }
            if let Some(set) = ids.1.get(*place) {
                super::polls::keep_result_set_id(&mut self.tx, scheme, key, *set).await?;
            }
        }
        Ok(())
    }

    async fn link_sources(&mut self, poll: i64, sources: &[&Source]) -> Result<()> {
        for source in sources {
            let source_id = super::sources::find_or_create(&mut self.tx, source).await?;
            sqlx::query("INSERT INTO poll_source (poll_id, source_id) VALUES ($1, $2) ON CONFLICT DO NOTHING")
                .bind(poll)
                .bind(source_id)
                .execute(&mut *self.tx)
                .await
                .map_err(db_err)?;
        }
        Ok(())
    }

    async fn rewrite(&mut self, old: &Poll, new: Poll) -> Result<Vec<Warning>> {
        Ok(rewrite_poll(&mut self.tx, old, new).await?.1)
    }

    async fn taken_ids(&mut self, wanted: &[i64]) -> Result<HashSet<i64>> {
        Ok(sqlx::query_scalar(
            "SELECT value FROM json_each($1)
              WHERE value IN (SELECT id FROM poll) OR value IN (SELECT poll_id FROM change)",
        )
        .bind(json_list(wanted))
        .fetch_all(&mut *self.tx)
        .await
        .map_err(db_err)?
        .into_iter()
        .collect())
    }

    async fn new_ids(&mut self, n: usize, exclude: &HashSet<i64>) -> Result<Vec<i64>> {
        new_ids(&mut self.tx, n, exclude).await
    }

    async fn write_new(&mut self, polls: &[(i64, &Poll)]) -> Result<Vec<Warning>> {
        let stamp = now();
        let entries: Vec<Stored> = polls
            .iter()
            .map(|(id, poll)| Stored {
                id: *id,
                poll,
                created_at: stamp.clone(),
                updated_at: stamp.clone(),
            })
            .collect();
        write_polls(&mut self.tx, &entries).await
    }

    async fn forget_deleted(&mut self, id: i64) -> Result<()> {
        sqlx::query("DELETE FROM deleted_result WHERE poll_id = $1")
            .bind(id)
            .execute(&mut *self.tx)
            .await
            .map_err(db_err)?;
        super::polls::record_changes(
            &mut self.tx,
            id,
            "edit",
            &[(
                "restored".into(),
                None,
                Some("by an import restoring deleted polls".into()),
            )],
        )
        .await?;
        Ok(())
    }

    async fn offer_kind(
        &mut self,
        slug: &str,
        kind: QuestionKind,
        given: bool,
    ) -> Result<Option<Warning>> {
        let offered = super::questions::OfferedKind { kind, given };
        super::questions::offer_kind(&mut self.tx, slug, offered).await
    }
}

impl ImportSession for SqliteImporter<'_> {
    /// Takes the next polls of the file, each with the id the file gives it (kept when it is
    /// free, so export, import and export again give the same file). The polls come normalised
    /// and validated, as the import reader gives them. Returns an outcome per poll, in order.
    async fn add(&mut self, polls: Vec<(Poll, Option<i64>)>) -> Result<Vec<Outcome>> {
        self.matcher.add(polls).await
    }

    /// As [`ImportSession::add`], with the file's own keys: with an id scheme, a poll whose key is
    /// stored is matched to the poll it became, whatever else a correction changed, and the
    /// key of each poll added or matched is kept with it.
    async fn add_keyed(&mut self, polls: Vec<Incoming>) -> Result<Vec<Outcome>> {
        self.matcher.add_keyed(polls).await
    }

    fn restore_deleted(&mut self, restore: bool) {
        self.matcher.restore_deleted(restore);
    }

    fn id_scheme(&mut self, scheme: Option<String>) {
        self.matcher.id_scheme(scheme);
    }

    fn file_gives(&mut self, gives: FileGives) {
        self.matcher.file_gives(gives);
    }

    fn question_kind(&mut self, kind: Option<QuestionKind>, given: bool) {
        self.matcher.question_kind(kind, given);
    }

    /// The answer labels of the question stored so far, each once whatever its case.
    async fn question_labels(&mut self, slug: &str) -> Result<Vec<String>> {
        sqlx::query_scalar(
            "SELECT min(a.label) FROM answer a
               JOIN result_set rs ON rs.id = a.result_set_id
               JOIN question q ON q.id = rs.question_id
              WHERE q.slug = $1
              GROUP BY lower(a.label)
              ORDER BY 1",
        )
        .bind(slug.trim())
        .fetch_all(&mut *self.matcher.backend.tx)
        .await
        .map_err(db_err)
    }

    fn warnings(&self) -> &[Warning] {
        self.matcher.warnings()
    }

    async fn commit(self) -> Result<()> {
        commit(self.db, self.matcher.backend.tx).await
    }

    /// Rolls back explicitly (dropping does the same), for a dry run or a refused import.
    async fn roll_back(self) -> Result<()> {
        let db = self.db;
        self.matcher
            .backend
            .tx
            .rollback()
            .await
            .map_err(|e| db.err(e))
    }
}
