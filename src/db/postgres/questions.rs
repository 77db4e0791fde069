//! Questions, their kinds, answer order and colours: the [`QuestionStore`] of [`PgStore`].
//!
//! Answer labels match ignoring ASCII case, as SQLite's NOCASE columns do: where the SQL
//! groups or orders by a label it folds A-Z alone with `translate`, not with lower(), which
//! would fold every script. Colours are the exception: their unique index is on lower(label)
//! (see the schema), so a colour replaces the one of a label equal to it under lower().

use super::record::{About, record};
use super::{PgStore, commit, db_err, retrying};
pub(in crate::db::postgres) use crate::db::shared::questions::OfferedKind;
use crate::db::shared::questions::{self as shared, FirstAppearance, no_question};
use crate::db::{QuestionDetail, QuestionStore};
use crate::error::Result;
use crate::model::{FieldChange, PollFilter, Question, QuestionKind, Rgb, Warning};
use sqlx::PgConnection;

/// The stored id of the question `slug`; a new question is created when its wording is given.
/// A different wording for a stored question is a warning: the stored wording stays.
/// Errors: invalid for a new question without a wording.
pub(in crate::db::postgres) async fn find_or_create(
    conn: &mut PgConnection,
    slug: &str,
    wording: Option<&str>,
) -> Result<(i64, Option<Warning>)> {
    let found: Option<(i64, String)> =
        sqlx::query_as("SELECT id, wording FROM question WHERE slug = $1")
            .bind(slug)
            .fetch_optional(&mut *conn)
            .await
            .map_err(db_err)?;
    match (found, shared::given_wording(wording)) {
        (Some((id, stored)), Some(given)) if stored != given => {
            Ok((id, Some(shared::other_wording(slug, &stored, given))))
        }
        (Some((id, _)), _) => Ok((id, None)),
        (None, Some(given)) => {
            // The slug can only be taken by a writer outside polltrack's write lock: its
            // question is then the one meant.
            let id = sqlx::query_scalar(
                "INSERT INTO question (slug, wording) VALUES ($1, $2)
                 ON CONFLICT (slug) DO UPDATE SET slug = EXCLUDED.slug RETURNING id",
            )
            .bind(slug)
            .bind(given)
            .fetch_one(conn)
            .await
            .map_err(db_err)?;
            Ok((id, None))
        }
        (None, None) => Err(shared::no_wording(slug)),
    }
}

/// Gives the question with this slug the kind offered when it has none. A different kind stored
/// is a warning when the user gave the kind: the stored kind stays, as a stored wording does.
/// A question not stored (a poll that was refused) is left alone.
pub(in crate::db::postgres) async fn offer_kind(
    conn: &mut PgConnection,
    slug: &str,
    offered: OfferedKind,
) -> Result<Option<Warning>> {
    let stored: Option<Option<String>> =
        sqlx::query_scalar("SELECT kind FROM question WHERE slug = $1")
            .bind(slug)
            .fetch_optional(&mut *conn)
            .await
            .map_err(db_err)?;
    match stored {
        None => Ok(None),
        Some(None) => {
            sqlx::query("UPDATE question SET kind = $1 WHERE slug = $2 AND kind IS NULL")
                .bind(offered.kind.name())
                .bind(slug)
                .execute(conn)
                .await
                .map_err(db_err)?;
            Ok(None)
        }
        Some(Some(stored)) => Ok(shared::other_kind(slug, &stored, offered)),
    }
}

/// The stored id of the question `slug`. Errors: not found.
pub(in crate::db::postgres) async fn question_id(
    conn: &mut PgConnection,
    slug: &str,
) -> Result<i64> {
    sqlx::query_scalar("SELECT id FROM question WHERE slug = $1")
        .bind(slug.trim())
        .fetch_optional(conn)
        .await
        .map_err(db_err)?
        .ok_or_else(|| no_question(slug))
}

/// A question with what has been recorded for it; the rest of the statement (a WHERE and
/// the GROUP BY q.id) follows.
const QUESTION_COLUMNS: &str = "SELECT q.slug, q.wording, q.topic, count(DISTINCT p.id) AS polls,
        min(p.poll_date) AS first_date, max(p.poll_date) AS last_date, q.kind
   FROM question q
   LEFT JOIN result_set rs ON rs.question_id = q.id
   LEFT JOIN poll p ON p.id = rs.poll_id";

/// A question as [`QUESTION_COLUMNS`] reads it.
#[derive(sqlx::FromRow)]
struct QuestionRow {
    slug: String,
    wording: String,
    topic: Option<String>,
    polls: i64,
    first_date: Option<chrono::NaiveDate>,
    last_date: Option<chrono::NaiveDate>,
    kind: Option<String>,
}

fn question_from_row(row: QuestionRow) -> Result<Question> {
    Ok(Question {
        slug: row.slug,
        wording: row.wording,
        topic: row.topic,
        polls: row.polls,
        first_date: row.first_date,
        last_date: row.last_date,
        kind: shared::stored_kind(row.kind)?,
    })
}

impl QuestionStore for PgStore {
    async fn list_questions(&self) -> Result<Vec<Question>> {
        let sql = format!(r#"{QUESTION_COLUMNS} GROUP BY q.id ORDER BY q.slug COLLATE "C""#);
        let rows: Vec<QuestionRow> = sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .fetch_all(&self.pool)
            .await
            .map_err(|e| self.err(e))?;
        rows.into_iter().map(question_from_row).collect()
    }

    /// A question's wording alone: cheap, where `get_question` counts every poll asking it.
    async fn question_wording(&self, slug: &str) -> Result<String> {
        sqlx::query_scalar("SELECT wording FROM question WHERE slug = $1")
            .bind(slug.trim())
            .fetch_optional(&self.pool)
            .await
            .map_err(|e| self.err(e))?
            .ok_or_else(|| no_question(slug))
    }

    /// A question's kind alone, cheap as [`QuestionStore::question_wording`]: trends read it to
    /// choose among a poll's populations.
    async fn question_kind(&self, slug: &str) -> Result<Option<QuestionKind>> {
        let stored: Option<String> =
            sqlx::query_scalar::<_, Option<String>>("SELECT kind FROM question WHERE slug = $1")
                .bind(slug.trim())
                .fetch_optional(&self.pool)
                .await
                .map_err(|e| self.err(e))?
                .ok_or_else(|| no_question(slug))?;
        shared::stored_kind(stored)
    }

    /// Sets (or, with `None`, unsets) a question's kind; returns the kind it had.
    async fn set_question_kind(
        &self,
        slug: &str,
        kind: Option<QuestionKind>,
    ) -> Result<Option<QuestionKind>> {
        retrying!(async {
            let mut tx = self.write().await?;
            let (id, old): (i64, Option<String>) =
                sqlx::query_as("SELECT id, kind FROM question WHERE slug = $1")
                    .bind(slug.trim())
                    .fetch_optional(&mut *tx)
                    .await
                    .map_err(|e| self.err(e))?
                    .ok_or_else(|| no_question(slug))?;
            sqlx::query("UPDATE question SET kind = $1 WHERE id = $2")
                .bind(kind.map(QuestionKind::name))
                .bind(id)
                .execute(&mut *tx)
                .await
                .map_err(|e| self.err(e))?;
            let new = kind.map(|k| k.name().to_string());
            if new != old {
                let change = [("kind".to_string(), old.clone(), new)];
                record(&mut tx, About::Question(id), "kind", &change, None).await?;
            }
            commit(self, tx).await?;
            shared::stored_kind(old)
        })
    }

    async fn get_question(&self, slug: &str) -> Result<QuestionDetail> {
        // One snapshot, so the counts agree with each other.
        let mut tx = self.read().await?;
        let sql = format!("{QUESTION_COLUMNS} WHERE q.slug = $1 GROUP BY q.id");
        let row: QuestionRow = sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(slug)
            .fetch_optional(&mut *tx)
            .await
            .map_err(|e| self.err(e))?
            .ok_or_else(|| no_question(slug))?;
        let question = question_from_row(row)?;
        let populations = sqlx::query_as(
            r#"SELECT rs.population, count(*) FROM result_set rs
                 JOIN question q ON q.id = rs.question_id
                WHERE q.slug = $1 GROUP BY rs.population
                ORDER BY count(*) DESC, rs.population COLLATE "C""#,
        )
        .bind(slug)
        .fetch_all(&mut *tx)
        .await
        .map_err(|e| self.err(e))?;
        // Each answer as first given in date order: SQLite's min() over labels equal under
        // NOCASE keeps the first it meets, which its plan (along the question's date index)
        // makes the earliest poll's.
        let answers = sqlx::query_as(
            r#"SELECT (array_agg(a.label ORDER BY rs.poll_date, rs.id))[1], count(*) FROM answer a
                 JOIN result_set rs ON rs.id = a.result_set_id
                 JOIN question q ON q.id = rs.question_id
                WHERE q.slug = $1
                GROUP BY translate(a.label, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ',
                                   'abcdefghijklmnopqrstuvwxyz')
                ORDER BY count(*) DESC, min(a.position),
                         translate(a.label, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ',
                                   'abcdefghijklmnopqrstuvwxyz') COLLATE "C""#,
        )
        .bind(slug)
        .fetch_all(&mut *tx)
        .await
        .map_err(|e| self.err(e))?;
        let pollsters = sqlx::query_scalar(
            "SELECT count(DISTINCT p.pollster_id) FROM poll p
               JOIN result_set rs ON rs.poll_id = p.id JOIN question q ON q.id = rs.question_id
              WHERE q.slug = $1",
        )
        .bind(slug)
        .fetch_one(&mut *tx)
        .await
        .map_err(|e| self.err(e))?;
        tx.commit().await.map_err(|e| self.err(e))?;
        Ok(QuestionDetail {
            question,
            populations,
            answers,
            pollsters,
        })
    }

    /// Gives a question a new slug and, optionally, a new wording or topic.
    async fn rename_question(
        &self,
        slug: &str,
        new_slug: &str,
        wording: Option<&str>,
        topic: Option<&str>,
    ) -> Result<()> {
        let new_slug = shared::checked_rename(new_slug, wording, topic)?;
        retrying!(async {
            let mut tx = self.write().await?;
            let (id, old_wording, old_topic): (i64, String, Option<String>) =
                sqlx::query_as("SELECT id, wording, topic FROM question WHERE slug = $1")
                    .bind(slug)
                    .fetch_optional(&mut *tx)
                    .await
                    .map_err(|e| self.err(e))?
                    .ok_or_else(|| no_question(slug))?;
            if new_slug != slug {
                let taken: bool =
                    sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM question WHERE slug = $1)")
                        .bind(new_slug)
                        .fetch_one(&mut *tx)
                        .await
                        .map_err(|e| self.err(e))?;
                if taken {
                    return Err(shared::slug_taken(new_slug));
                }
            }
            sqlx::query(
                "UPDATE question SET slug = $1, wording = coalesce($2, wording),
                        topic = coalesce($3, topic) WHERE id = $4",
            )
            .bind(new_slug)
            .bind(wording.map(str::trim))
            .bind(topic.map(str::trim))
            .bind(id)
            .execute(&mut *tx)
            .await
            .map_err(|e| self.err(e))?;
            let changes =
                shared::rename_changes((slug, old_wording, old_topic), (new_slug, wording, topic));
            record(&mut tx, About::Question(id), "rename", &changes, None).await?;
            commit(self, tx).await
        })
    }

    /// Refuses a filter that names a question or a pollster (by name or alias) not stored: a
    /// misspelt name would otherwise read as "no polls" (`Error::NotFound`).
    async fn check_filter(&self, filter: &PollFilter) -> Result<()> {
        let mut conn = self.pool.acquire().await.map_err(|e| self.err(e))?;
        for slug in &filter.questions {
            question_id(&mut conn, slug).await?;
        }
        for name in &filter.pollsters {
            if super::pollsters::find(&mut conn, name).await?.is_none() {
                return Err(crate::db::shared::pollsters::no_pollster(name));
            }
        }
        Ok(())
    }

    async fn answer_order(&self, slug: &str, wanted: &[String]) -> Result<Vec<String>> {
        let mut tx = self.read().await?;
        let Some(id) = sqlx::query_scalar::<_, i64>("SELECT id FROM question WHERE slug = $1")
            .bind(slug.trim())
            .fetch_optional(&mut *tx)
            .await
            .map_err(|e| self.err(e))?
        else {
            return Ok(Vec::new());
        };
        // Result sets in date order, a page at a time along the (question, date) index, so a
        // chart whose answers all appear in the first polls reads only those. Every poll date
        // and result set id lies after the first bound (the schema keeps dates from 0001).
        let mut appearance = FirstAppearance::new(wanted);
        let mut after = (
            chrono::NaiveDate::from_ymd_opt(1, 1, 1).unwrap_or_default(),
            0,
        );
        let mut page: i64 = 64;
        loop {
            let rows: Vec<(chrono::NaiveDate, i64, String)> = sqlx::query_as(
                "SELECT rs.poll_date, rs.id, a.label
                   FROM (SELECT id, poll_date FROM result_set
                          WHERE question_id = $1 AND (poll_date, id) > ($2, $3)
                          ORDER BY poll_date, id LIMIT $4) rs
                   JOIN answer a ON a.result_set_id = rs.id
                  ORDER BY rs.poll_date, rs.id, a.position",
            )
            .bind(id)
            .bind(after.0)
            .bind(after.1)
            .bind(page)
            .fetch_all(&mut *tx)
            .await
            .map_err(|e| self.err(e))?;
            let Some((date, rs, _)) = rows.last() else {
                return Ok(appearance.order);
            };
            after = (*date, *rs);
            if appearance.take(rows.into_iter().map(|(_, _, label)| label)) {
                return Ok(appearance.order);
            }
            page = (page * 4).min(16_384);
        }
    }

    async fn answer_colours(&self, slug: &str) -> Result<Vec<(String, Rgb)>> {
        let mut tx = self.read().await?;
        let id = question_id(&mut tx, slug).await?;
        let rows: Vec<(String, String)> = sqlx::query_as(
            r#"SELECT label, color FROM question_answer_color WHERE question_id = $1
                ORDER BY translate(label, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ',
                                   'abcdefghijklmnopqrstuvwxyz') COLLATE "C""#,
        )
        .bind(id)
        .fetch_all(&mut *tx)
        .await
        .map_err(|e| self.err(e))?;
        rows.into_iter()
            .map(|(label, colour)| {
                Ok((label.clone(), shared::stored_colour(slug, &label, &colour)?))
            })
            .collect()
    }

    async fn set_answer_colours(
        &self,
        slug: &str,
        colours: &[(String, Option<Rgb>)],
    ) -> Result<()> {
        retrying!(async {
            let mut tx = self.write().await?;
            let id = question_id(&mut tx, slug).await?;
            let mut changes: Vec<FieldChange> = Vec::new();
            for (label, colour) in colours {
                // Deleted first, so the label is kept as last given.
                let old: Option<String> = sqlx::query_scalar(
                    "DELETE FROM question_answer_color
                      WHERE question_id = $1 AND lower(label) = lower($2) RETURNING color",
                )
                .bind(id)
                .bind(label.trim())
                .fetch_optional(&mut *tx)
                .await
                .map_err(|e| self.err(e))?;
                let new = colour.map(|c| c.to_string());
                if old != new {
                    changes.push((format!("colour {}", label.trim()), old, new));
                }
                let Some(colour) = colour else { continue };
                sqlx::query(
                    "INSERT INTO question_answer_color (question_id, label, color)
                     VALUES ($1, $2, $3)",
                )
                .bind(id)
                .bind(label.trim())
                .bind(colour.to_string())
                .execute(&mut *tx)
                .await
                .map_err(|e| self.err(e))?;
            }
            record(&mut tx, About::Question(id), "color", &changes, None).await?;
            commit(self, tx).await
        })
    }
}
