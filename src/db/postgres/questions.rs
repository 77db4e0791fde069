//! Questions, their kinds, answer order and colours: the [`QuestionStore`] of [`PgStore`].

use super::{PgStore, db_err, not_yet};
use crate::db::{QuestionDetail, QuestionStore};
use crate::error::{Error, Hint, Result};
use crate::model::{PollFilter, Question, QuestionKind, Rgb, Warning};
use sqlx::PgConnection;

/// The question with this slug; a new one is created when its wording is given. A different
/// wording for a stored question is a warning: the stored wording stays.
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
    let wording = wording.map(str::trim).filter(|w| !w.is_empty());
    match (found, wording) {
        (Some((id, stored)), Some(given)) if stored != given => Ok((
            id,
            Some(
                Warning::new(format!(
                    "question {slug} is stored with the wording \"{stored}\"; the wording \
                     given (\"{given}\") was not used"
                ))
                .with_hint(Hint::RewordQuestion {
                    slug: slug.to_string(),
                }),
            ),
        )),
        (Some((id, _)), _) => Ok((id, None)),
        (None, Some(given)) => {
            let id = sqlx::query_scalar(
                "INSERT INTO question (slug, wording) VALUES ($1, $2) RETURNING id",
            )
            .bind(slug)
            .bind(given)
            .fetch_one(conn)
            .await
            .map_err(db_err)?;
            Ok((id, None))
        }
        (None, None) => Err(Error::invalid(format!(
            "question {slug} is new and has no wording, which readers need to know what was \
             asked"
        ))
        .with_hint(Hint::GiveWording)),
    }
}

/// A kind offered for a question by an import or a new poll, and whether the user gave it
/// (`--kind`) or the file's layout told it. Only a kind the user gave is worth a warning when
/// the question is stored with another.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(in crate::db::postgres) struct OfferedKind {
    pub kind: QuestionKind,
    pub given: bool,
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
        Some(Some(stored)) if stored != offered.kind.name() && offered.given => {
            let given = offered.kind;
            Ok(Some(
                Warning::new(format!(
                    "question {slug} is stored as a question of kind {stored}; the kind given \
                     ({given}) was not used"
                ))
                .with_hint(Hint::SetQuestionKind {
                    slug: slug.to_string(),
                    kind: given.to_string(),
                }),
            ))
        }
        Some(Some(_)) => Ok(None),
    }
}

impl QuestionStore for PgStore {
    async fn list_questions(&self) -> Result<Vec<Question>> {
        Err(not_yet())
    }

    async fn question_wording(&self, _slug: &str) -> Result<String> {
        Err(not_yet())
    }

    async fn question_kind(&self, _slug: &str) -> Result<Option<QuestionKind>> {
        Err(not_yet())
    }

    async fn set_question_kind(
        &self,
        _slug: &str,
        _kind: Option<QuestionKind>,
    ) -> Result<Option<QuestionKind>> {
        Err(not_yet())
    }

    async fn get_question(&self, _slug: &str) -> Result<QuestionDetail> {
        Err(not_yet())
    }

    async fn rename_question(
        &self,
        _slug: &str,
        _new_slug: &str,
        _wording: Option<&str>,
        _topic: Option<&str>,
    ) -> Result<()> {
        Err(not_yet())
    }

    async fn check_filter(&self, _filter: &PollFilter) -> Result<()> {
        Err(not_yet())
    }

    async fn answer_order(&self, _slug: &str, _wanted: &[String]) -> Result<Vec<String>> {
        Err(not_yet())
    }

    async fn answer_colours(&self, _slug: &str) -> Result<Vec<(String, Rgb)>> {
        Err(not_yet())
    }

    async fn set_answer_colours(
        &self,
        _slug: &str,
        _colours: &[(String, Option<Rgb>)],
    ) -> Result<()> {
        Err(not_yet())
    }
}
