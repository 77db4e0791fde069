//! Importing a CSV file from the browser (`/import`): the file uploaded with `import`'s main
//! options and a dry-run box, answered with the same all-or-nothing report as the command's.

use crate::web::State;
use crate::web::api::{IMPORT_OPTIONS, Imported, import_request, import_status, run_import};
use crate::web::pages::{InPage, Layout, PageError, PageResult, render};
use crate::web::query::Params;
use askama::Template;
use axum::body::Bytes;
use axum::extract::{Multipart, State as Shared};
use axum::http::{StatusCode, Uri};
use axum::response::{IntoResponse, Response};

#[derive(Template)]
#[template(path = "form_import.html")]
struct ImportPage {
    layout: Layout,
    /// The report of the file just imported (or tried), if any.
    imported: Option<Imported>,
    /// Why the upload could not be read or tried, if so.
    problem: Option<String>,
}

pub(super) async fn form(Shared(served): Shared<State>, uri: Uri) -> PageResult {
    Params::parse(uri.query(), &[]).in_page(&served)?;
    let page = ImportPage {
        layout: Layout::of(&served),
        imported: None,
        problem: None,
    };
    render(&page, &served)
}

/// Imports the uploaded file, all or nothing, and shows the report; with "dry run" ticked,
/// only checks it.
pub(super) async fn import(
    Shared(served): Shared<State>,
    multipart: Multipart,
) -> std::result::Result<Response, PageError> {
    let (status, page) = match tried(&served, multipart).await {
        Ok(imported) => (
            import_status(&imported.report),
            ImportPage {
                layout: Layout::of(&served),
                imported: Some(imported),
                problem: None,
            },
        ),
        Err(e) => (
            crate::web::error::status(e.kind()),
            ImportPage {
                layout: Layout::of(&served),
                imported: None,
                problem: Some(e.to_string()),
            },
        ),
    };
    let status = match status {
        StatusCode::INTERNAL_SERVER_ERROR => {
            return Err(crate::Error::Failed(page.problem.unwrap_or_default())).in_page(&served);
        }
        status => status,
    };
    Ok((status, render(&page, &served)?).into_response())
}

/// Reads the upload's fields and runs the import they ask for.
async fn tried(served: &State, mut multipart: Multipart) -> crate::Result<Imported> {
    let unreadable = |e: axum::extract::multipart::MultipartError| {
        crate::Error::invalid(format!("the upload could not be read: {e}"))
    };
    let mut file: Option<(String, Bytes)> = None;
    let mut pairs = Vec::new();
    while let Some(field) = multipart.next_field().await.map_err(unreadable)? {
        let name = field.name().unwrap_or_default().to_string();
        if name == "file" {
            let file_name = field
                .file_name()
                .filter(|n| !n.is_empty())
                .unwrap_or("upload")
                .to_string();
            file = Some((file_name, field.bytes().await.map_err(unreadable)?));
        } else {
            pairs.push((name, field.text().await.map_err(unreadable)?));
        }
    }
    let Some((name, csv)) = file.filter(|(_, bytes)| !bytes.is_empty()) else {
        return Err(crate::Error::invalid(
            "choose a CSV file to import (the one chosen is empty)",
        ));
    };
    let query = url::form_urlencoded::Serializer::new(String::new())
        .extend_pairs(&pairs)
        .finish();
    let params = Params::parse(Some(&query), &[IMPORT_OPTIONS])?;
    let request = import_request(&name, &params)?;
    let reason = crate::web::api::reason(params.one("reason"))?;
    run_import(&served.db, csv, request, reason).await
}
