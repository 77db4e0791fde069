//! Deleting a poll: a page to confirm (`GET /polls/{id}/delete`), the deletion
//! (`POST`, with an optional reason), and a page saying it is done and how to undo it.

use super::{fields, reason};
use crate::app::polls;
use crate::error::ErrorKind;
use crate::model::{Change, Poll};
use crate::web::State;
use crate::web::api::poll_id;
use crate::web::pages::{InPage, Layout, PageResult, render};
use askama::Template;
use axum::body::Bytes;
use axum::extract::{Path, State as Shared};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};

#[derive(Template)]
#[template(path = "form_delete.html")]
struct ConfirmPage {
    layout: Layout,
    poll: Poll,
    id: i64,
    reason: String,
    problem: Option<String>,
}

pub(super) async fn confirm(Shared(served): Shared<State>, Path(id): Path<String>) -> PageResult {
    let id = poll_id(&id).in_page(&served)?;
    let poll = polls::show(&served.db, id).await.in_page(&served)?;
    let page = ConfirmPage {
        layout: Layout::of(&served),
        poll,
        id,
        reason: String::new(),
        problem: None,
    };
    render(&page, &served)
}

/// Deletes the poll (a full copy stays in its history) and redirects to the page saying so.
pub(super) async fn delete(
    Shared(served): Shared<State>,
    Path(id): Path<String>,
    body: Bytes,
) -> std::result::Result<Response, crate::web::pages::PageError> {
    let id = poll_id(&id).in_page(&served)?;
    let given = fields(&body)
        .into_iter()
        .find(|(name, _)| name == "reason")
        .map(|(_, value)| value)
        .unwrap_or_default();
    let reason = match reason(&given) {
        Ok(reason) => reason,
        Err(e) => {
            let page = ConfirmPage {
                layout: Layout::of(&served),
                poll: polls::show(&served.db, id).await.in_page(&served)?,
                id,
                reason: given,
                problem: Some(e.to_string()),
            };
            let html = render(&page, &served)?;
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, html).into_response());
        }
    };
    crate::db::with_reason(reason, polls::delete(&served.db, id))
        .await
        .in_page(&served)?;
    Ok(Redirect::to(&format!("/polls/{id}/deleted")).into_response())
}

#[derive(Template)]
#[template(path = "form_deleted.html")]
struct DeletedPage {
    layout: Layout,
    id: i64,
    deletion: Option<Change>,
}

/// Says a poll was deleted, when, why, and how to bring it back; a poll stored (restored
/// since) is shown instead.
pub(super) async fn deleted(
    Shared(served): Shared<State>,
    Path(id): Path<String>,
) -> std::result::Result<Response, crate::web::pages::PageError> {
    let id = poll_id(&id).in_page(&served)?;
    match polls::show(&served.db, id).await {
        Ok(_) => return Ok(Redirect::to(&format!("/polls/{id}")).into_response()),
        Err(e) if e.kind() == ErrorKind::NotFound => {}
        Err(e) => return Err(e).in_page(&served),
    }
    let history = polls::history(&served.db, Some(id))
        .await
        .in_page(&served)?;
    let deletion = history.into_iter().rev().find(|c| c.action == "delete");
    if deletion.is_none() {
        return Err(crate::Error::not_found(format!("there is no poll {id}"))).in_page(&served);
    }
    let page = DeletedPage {
        layout: Layout::of(&served),
        id,
        deletion,
    };
    Ok(render(&page, &served)?.into_response())
}
