//! Questions, their kinds, answer order and colours: the [`QuestionStore`] of [`PgStore`].

use super::{PgStore, not_yet};
use crate::db::{QuestionDetail, QuestionStore};
use crate::error::Result;
use crate::model::{PollFilter, Question, QuestionKind, Rgb};

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
