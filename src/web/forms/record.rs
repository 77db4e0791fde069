//! Recording a poll from an article (`/polls/new`), and editing a stored one
//! (`/polls/{id}/edit?question=SLUG`: its poll fields, and the result sets of one question).

use super::poll_form::PollForm;
use super::{fields, reason};
use crate::app::names::Confirmed;
use crate::app::polls::{self, AddRequest};
use crate::db::with_reason;
use crate::error::ErrorKind;
use crate::model::{Poll, QuestionKind};
use crate::web::State;
use crate::web::api::poll_id;
use crate::web::pages::{InPage, Layout, render};
use crate::web::query::Params;
use askama::Template;
use axum::body::Bytes;
use axum::extract::{Path, State as Shared};
use axum::http::{StatusCode, Uri};
use axum::response::{IntoResponse, Redirect, Response};

type Answered = std::result::Result<Response, crate::web::pages::PageError>;

#[derive(Template)]
#[template(path = "form_poll.html")]
struct PollPage<'a> {
    layout: Layout,
    form: &'a PollForm,
    /// The poll being edited, if not a new one.
    editing: Option<i64>,
    /// Its other questions, each with its own edit form.
    other_questions: Vec<String>,
    kinds: [&'static str; 4],
}

fn page(served: &State, form: &PollForm, editing: Option<i64>, others: Vec<String>) -> Answered {
    let page = PollPage {
        layout: Layout::of(served),
        form,
        editing,
        other_questions: others,
        kinds: QuestionKind::ALL.map(QuestionKind::name),
    };
    let html = render(&page, served)?;
    let status = match form.has_problems() {
        true => StatusCode::UNPROCESSABLE_ENTITY,
        false => StatusCode::OK,
    };
    Ok((status, html).into_response())
}

pub(super) async fn new_form(Shared(served): Shared<State>, uri: Uri) -> Answered {
    Params::parse(uri.query(), &[]).in_page(&served)?;
    page(&served, &PollForm::blank(), None, Vec::new())
}

/// Records the poll typed in, or shows the form again with its problems.
pub(super) async fn add(Shared(served): Shared<State>, body: Bytes) -> Answered {
    let mut form = PollForm::read(&fields(&body));
    let mut poll = Poll::default();
    let places = form.fill(&mut poll, true);
    let problems = polls::prepare(&mut poll);
    form.place(problems, &places);
    if form.has_problems() {
        return page(&served, &form, None, Vec::new());
    }
    let request = AddRequest {
        poll,
        kind: form.question_kind(),
        allow_duplicate: form.allow_duplicate,
        confirmed: Confirmed {
            pollster: form.new_pollster,
            answers: form.new_answer,
        },
    };
    match polls::add(&served.db, &request).await {
        Ok(added) => {
            let id = added.poll.id.unwrap_or_default();
            Ok(Redirect::to(&format!("/polls/{id}")).into_response())
        }
        Err(e) if refusable(&e) => {
            form.refused(e, None);
            page(&served, &form, None, Vec::new())
        }
        Err(e) => Err(e).in_page(&served),
    }
}

/// Whether a store's refusal belongs on the form (a rule, a name, a duplicate, a change
/// since), rather than on an error page.
fn refusable(e: &crate::Error) -> bool {
    matches!(e.kind(), ErrorKind::Invalid | ErrorKind::Conflict)
}

/// The question whose result sets an edit shows: the one asked for, else the poll's first.
fn chosen_question(poll: &Poll, uri: &Uri) -> crate::Result<(String, Vec<String>)> {
    let params = Params::parse(uri.query(), &[&["question"]])?;
    let mut questions: Vec<String> = Vec::new();
    for result in &poll.results {
        if !questions.contains(&result.question) {
            questions.push(result.question.clone());
        }
    }
    let question = match params.one("question") {
        Some(asked) if questions.iter().any(|q| q == asked) => asked.to_string(),
        Some(asked) => {
            return Err(crate::Error::not_found(format!(
                "poll {} asks no question {asked} (it asks {})",
                poll.id.unwrap_or_default(),
                questions.join(", ")
            )));
        }
        None => questions.first().cloned().unwrap_or_default(),
    };
    let others = questions.into_iter().filter(|q| *q != question).collect();
    Ok((question, others))
}

pub(super) async fn edit_form(
    Shared(served): Shared<State>,
    Path(id): Path<String>,
    uri: Uri,
) -> Answered {
    let id = poll_id(&id).in_page(&served)?;
    let poll = polls::show(&served.db, id).await.in_page(&served)?;
    let (question, others) = chosen_question(&poll, &uri).in_page(&served)?;
    page(&served, &PollForm::of(&poll, &question), Some(id), others)
}

/// Stores the edit, or shows the form again with its problems; an edit of a poll changed
/// since the form was read is refused, saying so.
pub(super) async fn edit(
    Shared(served): Shared<State>,
    Path(id): Path<String>,
    uri: Uri,
    body: Bytes,
) -> Answered {
    let id = poll_id(&id).in_page(&served)?;
    let mut poll = polls::show(&served.db, id).await.in_page(&served)?;
    let (_, others) = chosen_question(&poll, &uri).in_page(&served)?;
    let mut form = PollForm::read(&fields(&body));
    let places = form.fill(&mut poll, false);
    poll.updated_at = Some(form.updated_at.clone()).filter(|u| !u.is_empty());
    let problems = polls::prepare(&mut poll);
    form.place(problems, &places);
    let reason = match reason(&form.reason.value) {
        Ok(reason) => reason,
        Err(e) => {
            form.reason.problems.push(e.to_string());
            None
        }
    };
    if form.has_problems() {
        return page(&served, &form, Some(id), others);
    }
    let confirmed = Confirmed {
        pollster: form.new_pollster,
        answers: form.new_answer,
    };
    let saved = with_reason(
        reason,
        polls::save_edit(&served.db, id, &poll, form.allow_duplicate, confirmed),
    )
    .await;
    match saved {
        Ok(_) => Ok(Redirect::to(&format!("/polls/{id}")).into_response()),
        Err(e) if refusable(&e) => {
            form.refused(e, Some(id));
            page(&served, &form, Some(id), others)
        }
        Err(e) => Err(e).in_page(&served),
    }
}
