//! Importing a file in one transaction, all or nothing: the [`ImportStore`] of [`PgStore`].
//! The matching is the shared [`Matcher`]'s; this file gives its reads and writes in
//! PostgreSQL. New polls are written a batch at a time, one insert per table from arrays
//! ([`write_polls`]). The import holds polltrack's write lock from its start to its commit, so
//! two imports at once take turns and each poll is stored once.

use super::polls::read::load_polls;
use super::polls::write::{
    Stored, new_ids, record_changes, result_set_ids, rewrite_poll, write_polls,
};
use super::questions::{OfferedKind, offer_kind};
use super::{PgStore, Tx, commit, db_err, now, pollsters, sources};
use crate::db::shared::import::{DeletedRow, IdentityRow, ImportBackend, Matcher};
use crate::db::{FileGives, ImportSession, ImportStore, Incoming, OnConflict, Outcome};
use crate::error::Result;
use crate::model::{Poll, QuestionKind, Source, Warning};
use chrono::NaiveDate;
use std::collections::{HashMap, HashSet};

/// An import under way: one write transaction, committed by [`ImportSession::commit`] and
/// rolled back if dropped.
pub struct PgImporter<'a> {
    db: &'a PgStore,
    matcher: Matcher<PgSide>,
}

/// The import's write transaction, as [`Matcher`] reads and writes through it.
pub struct PgSide {
    tx: Tx,
}

/// A stored result set's identity.
#[derive(sqlx::FromRow)]
struct IdentityDates {
    pollster_key: String,
    field_start: Option<NaiveDate>,
    field_end: Option<NaiveDate>,
    published_on: Option<NaiveDate>,
    question: String,
    poll_id: i64,
    result_set_id: i64,
}

/// A deleted result set as stored.
#[derive(sqlx::FromRow)]
struct DeletedDates {
    poll_id: i64,
    pollster: String,
    field_start: Option<NaiveDate>,
    field_end: Option<NaiveDate>,
    published_on: Option<NaiveDate>,
    question: String,
    population: String,
}

impl ImportStore for PgStore {
    type Importer<'a> = PgImporter<'a>;

    /// Starts an import. It holds the write lock until committed or dropped.
    async fn importer(&self, on_conflict: OnConflict) -> Result<PgImporter<'_>> {
        let side = PgSide {
            tx: self.write().await?,
        };
        Ok(PgImporter {
            db: self,
            matcher: Matcher::start(side, on_conflict).await?,
        })
    }
}

impl ImportBackend for PgSide {
    async fn identities_after(&mut self, after: i64, limit: i64) -> Result<Vec<IdentityRow>> {
        let rows: Vec<IdentityDates> = sqlx::query_as(
            "SELECT pr.key AS pollster_key, p.field_start, p.field_end, p.published_on,
                    q.slug AS question, p.id AS poll_id, rs.id AS result_set_id
               FROM result_set rs
               JOIN poll p ON p.id = rs.poll_id
               JOIN pollster pr ON pr.id = p.pollster_id
               JOIN question q ON q.id = rs.question_id
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
                dates: [row.field_start, row.field_end, row.published_on],
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
        let rows: Vec<DeletedDates> = sqlx::query_as(
            "SELECT poll_id, pollster, field_start, field_end, published_on, question, population
               FROM deleted_result ORDER BY poll_id, position",
        )
        .fetch_all(&mut *self.tx)
        .await
        .map_err(db_err)?;
        Ok(rows
            .into_iter()
            .map(|row| DeletedRow {
                poll_id: row.poll_id,
                pollster: row.pollster,
                dates: [row.field_start, row.field_end, row.published_on],
                question: row.question,
                population: row.population,
            })
            .collect())
    }

    async fn load(&mut self, ids: &[i64]) -> Result<Vec<Poll>> {
        load_polls(&mut self.tx, ids).await
    }

    async fn canonical_pollster(&mut self, name: &str) -> Result<Option<String>> {
        pollsters::canonical(&mut self.tx, name).await
    }

    async fn stored_keys(&mut self, scheme: &str, keys: &[&str]) -> Result<Vec<(String, i64)>> {
        sqlx::query_as(
            "SELECT key, poll_id FROM source_poll_id WHERE scheme = $1 AND key = ANY($2::text[])",
        )
        .bind(scheme)
        .bind(keys)
        .fetch_all(&mut *self.tx)
        .await
        .map_err(db_err)
    }

    async fn keep_keys(&mut self, scheme: &str, pairs: &[(String, i64)]) -> Result<()> {
        // One statement may not update a row twice: a key the batch gives twice keeps its
        // last poll, as one row after another would.
        let mut last: HashMap<&str, i64> = HashMap::new();
        let mut keys: Vec<&str> = Vec::new();
        for (key, id) in pairs {
            if last.insert(key, *id).is_none() {
                keys.push(key);
            }
        }
        let ids: Vec<i64> = keys.iter().map(|k| last[k]).collect();
        sqlx::query(
            "INSERT INTO source_poll_id (scheme, key, poll_id)
             SELECT $1, key, poll_id FROM UNNEST($2::text[], $3::int8[]) AS t(key, poll_id)
             ON CONFLICT (scheme, key) DO UPDATE SET poll_id = excluded.poll_id",
        )
        .bind(scheme)
        .bind(&keys)
        .bind(&ids)
        .execute(&mut *self.tx)
        .await
        .map_err(db_err)?;
        Ok(())
    }

    async fn result_set_ids(&mut self, poll: i64) -> Result<Vec<i64>> {
        result_set_ids(&mut self.tx, poll).await
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
        // One statement may not update a row twice: a key given twice keeps its last place.
        let mut last: HashMap<&str, usize> = HashMap::new();
        for (i, (_, _, key)) in kept.iter().enumerate() {
            last.insert(key, i);
        }
        let kept: Vec<&(i64, usize, String)> = kept
            .iter()
            .enumerate()
            .filter(|(i, (_, _, key))| last[key.as_str()] == *i)
            .map(|(_, row)| row)
            .collect();
        let polls: Vec<i64> = kept.iter().map(|k| k.0).collect();
        let places: Vec<i64> = kept.iter().map(|k| k.1 as i64).collect();
        let keys: Vec<&str> = kept.iter().map(|k| k.2.as_str()).collect();
        sqlx::query(
            "INSERT INTO source_result_set (scheme, key, result_set_id)
             SELECT $1, t.key, rs.id
               FROM UNNEST($2::int8[], $3::int8[], $4::text[]) AS t(poll_id, place, key)
               CROSS JOIN LATERAL (SELECT id FROM result_set WHERE poll_id = t.poll_id
                                    ORDER BY id OFFSET t.place LIMIT 1) rs
             ON CONFLICT (scheme, key) DO UPDATE SET result_set_id = excluded.result_set_id",
        )
        .bind(scheme)
        .bind(&polls)
        .bind(&places)
        .bind(&keys)
        .execute(&mut *self.tx)
        .await
        .map_err(db_err)?;
        Ok(())
    }

    async fn link_sources(&mut self, poll: i64, sources: &[&Source]) -> Result<()> {
        for source in sources {
            let source_id = sources::find_or_create(&mut self.tx, source).await?;
            sqlx::query(
                "INSERT INTO poll_source (poll_id, source_id) VALUES ($1, $2)
                 ON CONFLICT DO NOTHING",
            )
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
        if wanted.is_empty() {
            return Ok(HashSet::new());
        }
        Ok(sqlx::query_scalar(
            "SELECT w.id FROM UNNEST($1::int8[]) AS w(id)
              WHERE EXISTS (SELECT 1 FROM poll p WHERE p.id = w.id)
                 OR EXISTS (SELECT 1 FROM change c WHERE c.poll_id = w.id)",
        )
        .bind(wanted)
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
        record_changes(
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
        offer_kind(&mut self.tx, slug, OfferedKind { kind, given }).await
    }
}

impl ImportSession for PgImporter<'_> {
    /// Takes the next polls of the file, each with the id the file gives it (kept when it is
    /// free). Returns an outcome per poll, in order.
    async fn add(&mut self, polls: Vec<(Poll, Option<i64>)>) -> Result<Vec<Outcome>> {
        self.matcher.add(polls).await
    }

    /// As [`ImportSession::add`], with the file's own keys (see [`Matcher::add_keyed`]).
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

    /// The answer labels of the question stored so far, this import's included, each once
    /// whatever its case (the first by byte order, as SQLite's `min` gives).
    async fn question_labels(&mut self, slug: &str) -> Result<Vec<String>> {
        sqlx::query_scalar(
            r#"SELECT min(a.label COLLATE "C") FROM answer a
                 JOIN result_set rs ON rs.id = a.result_set_id
                 JOIN question q ON q.id = rs.question_id
                WHERE q.slug = $1
                GROUP BY lower(a.label)
                ORDER BY 1"#,
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
        let db = self.db;
        commit(db, self.matcher.backend.tx).await?;
        db.refresh_statistics().await;
        Ok(())
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

/// How fast an import writes new polls, and knows them when the same file comes again, here
/// and in SQLite (run by hand: `cargo test --lib import_speed -- --ignored --nocapture`).
#[cfg(test)]
mod speed {
    use crate::db::contract::mixed_polls;
    use crate::db::postgres::testing;
    use crate::db::{
        Access, ImportSession, ImportStore, Incoming, OnConflict, Outcome, PgStore, SqliteStore,
    };
    use crate::model::Poll;
    use std::time::Instant;

    /// Polls imported; the batch the import command hands the store.
    const POLLS: usize = 100_000;
    const BATCH: usize = 2_000;

    /// Imports `polls` into `db` in one session, a batch at a time, each poll's outcome
    /// passing `expected`; returns polls per second.
    async fn import_rate(
        db: &impl ImportStore,
        polls: &[Poll],
        expected: fn(&Outcome) -> bool,
    ) -> f64 {
        let started = Instant::now();
        let mut importer = db.importer(OnConflict::Refuse).await.expect("start");
        for batch in polls.chunks(BATCH) {
            let incoming = batch
                .iter()
                .map(|poll| Incoming {
                    poll: poll.clone(),
                    file_id: None,
                    file_key: None,
                    question_ids: Vec::new(),
                })
                .collect();
            let outcomes = importer.add_keyed(incoming).await.expect("add");
            assert!(outcomes.iter().all(expected), "{:?}", outcomes.first());
        }
        importer.commit().await.expect("commit");
        polls.len() as f64 / started.elapsed().as_secs_f64()
    }

    /// The rates of a first import of `polls` and of the same file again.
    async fn rates(db: &impl ImportStore, polls: &[Poll]) -> (f64, f64) {
        let new = import_rate(db, polls, |o| matches!(o, Outcome::Added(_))).await;
        let again = import_rate(db, polls, |o| matches!(o, Outcome::Unchanged(_))).await;
        (new, again)
    }

    #[tokio::test]
    #[ignore = "a measurement, run by hand"]
    async fn import_speed() {
        let Some(database) = testing::migrated().await else {
            return;
        };
        // The mixed polls repeat their identities every 1,500 polls: each round its own
        // pollsters, so that every poll is another poll.
        let mut polls = mixed_polls(POLLS);
        for (i, poll) in polls.iter_mut().enumerate() {
            poll.pollster = format!("Pollster {} of round {}", i % 5, i / 1500);
        }
        let dir = tempfile::TempDir::new().expect("temp dir");
        let sqlite = SqliteStore::open(&dir.path().join("polls.db"), Access::Create)
            .await
            .expect("open SQLite");
        let (sqlite_new, sqlite_again) = rates(&sqlite, &polls).await;
        let pg = PgStore::open(&database.url, Access::Create)
            .await
            .expect("open PostgreSQL");
        let (pg_new, pg_again) = rates(&pg, &polls).await;
        println!(
            "import of {POLLS} polls, polls/s: new: SQLite {sqlite_new:.0}, PostgreSQL \
             {pg_new:.0}; the same file again: SQLite {sqlite_again:.0}, PostgreSQL {pg_again:.0}"
        );
        pg.close().await.expect("close");
        database.drop().await;
    }
}
