//! `POST /api/import`: a CSV file as the body, `import`'s options as parameters, answered
//! with the same all-or-nothing report as the command's (see [`import_report`]); shared with
//! the import form.

use super::reads::Buffer;
use super::writes::reason;
use crate::app::import::{self, ImportFormat, ImportReport, ImportRequest, Refusal};
use crate::db::{Database, OnConflict, with_reason};
use crate::error::{Error, Result};
use crate::model::count;
use crate::model::{self, QuestionKind};
use crate::web::State;
use crate::web::error::{ApiError, ErrorBody};
use crate::web::query::Params;
use axum::Json;
use axum::body::Bytes;
use axum::extract::State as Shared;
use axum::http::{StatusCode, Uri};
use axum::response::{IntoResponse, Response};

/// The largest CSV file an import takes, as a body or an upload (the server's default is 2 MB).
pub(in crate::web) const MAX_UPLOAD: usize = 256 << 20;

/// `import`'s options that work over HTTP, named as its flags; and the change's reason.
pub(in crate::web) const IMPORT_OPTIONS: &[&str] = &[
    "format",
    "question",
    "wording",
    "kind",
    "pollster",
    "dry_run",
    "skip_invalid",
    "on_conflict",
    "restore_deleted",
    "election_date",
    "reason",
];

/// An import of the file `name` as `params` ask (see [`IMPORT_OPTIONS`]).
///
/// Errors: invalid for a value an option cannot take.
pub(in crate::web) fn import_request(name: &str, params: &Params) -> Result<ImportRequest> {
    let invalid = |name: &str, why: String| Error::invalid(format!("parameter {name}: {why}"));
    let format = match params.one("format") {
        None | Some("long") => ImportFormat::Long,
        Some("538") => ImportFormat::FiveThirtyEight,
        Some(other) => {
            return Err(invalid(
                "format",
                format!("\"{other}\" is no format (give long or 538)"),
            ));
        }
    };
    let on_conflict = match params.one("on_conflict") {
        None | Some("refuse") => OnConflict::Refuse,
        Some("replace") => OnConflict::Replace,
        Some("skip") => OnConflict::Skip,
        Some(other) => {
            return Err(invalid(
                "on_conflict",
                format!("\"{other}\" is not refuse, replace or skip"),
            ));
        }
    };
    let kind = params
        .one("kind")
        .map(|k| {
            QuestionKind::from_name(k).ok_or_else(|| {
                invalid(
                    "kind",
                    format!("\"{k}\" is not approval, favourability, issue or vote"),
                )
            })
        })
        .transpose()?;
    let election_dates = params
        .all("election_date")
        .iter()
        .map(|d| model::parse_typed_date(d).map_err(|e| invalid("election_date", e)))
        .collect::<Result<_>>()?;
    Ok(ImportRequest {
        name: name.to_string(),
        format,
        options: crate::import::Options {
            question: params.one("question").map(str::to_string),
            wording: params.one("wording").map(str::to_string),
            kind,
            pollster: params.one("pollster").map(str::to_string),
            ..Default::default()
        },
        skip_invalid: params.flag("skip_invalid")?,
        on_conflict,
        restore_deleted: params.flag("restore_deleted")?,
        dry_run: params.flag("dry_run")?,
        election_dates,
    })
}

/// An import run to its end: the report, and what it told on the way.
pub(in crate::web) struct Imported {
    pub(in crate::web) report: ImportReport,
    pub(in crate::web) dry_run: bool,
    /// The polls refused or in conflict: the line of the file where each begins, and why.
    pub(in crate::web) problems: Vec<(Option<u64>, String)>,
    pub(in crate::web) warnings: Vec<String>,
}

impl Imported {
    /// What the import comes to, in a sentence: the counts, or why nothing was stored.
    pub(in crate::web) fn summary(&self) -> String {
        let t = &self.report.tally;
        let counts = t.counts(!self.report.stored, " (restore_deleted brings them back)");
        match self.report.refusal {
            None => counts,
            Some(Refusal::Unreadable) => format!(
                "Nothing was imported: the file cannot be read past the line named, so no row \
                 after it can be trusted ({counts})"
            ),
            Some(Refusal::Invalid) => format!(
                "Nothing was imported: {} {} problems; fix them, or skip invalid polls to \
                 import the rest ({counts})",
                count(t.rejected, "poll"),
                if t.rejected == 1 { "has" } else { "have" }
            ),
            Some(Refusal::Conflicts) => format!(
                "Nothing was imported: {} {} stored already with other numbers; replace them \
                 with the file's (recorded in each poll's history) or skip them to keep the \
                 stored ones ({counts})",
                count(t.conflicts, "poll"),
                if t.conflicts == 1 { "is" } else { "are" }
            ),
        }
    }
}

/// Imports `csv`, all or nothing, as `request` says, with `reason` kept in the history.
///
/// Errors: invalid when the file's header cannot be read or does not fit the options; storage
/// failures.
pub(in crate::web) async fn run_import(
    db: &Database,
    csv: Bytes,
    request: ImportRequest,
    reason: Option<String>,
) -> Result<Imported> {
    let name = request.name.clone();
    let dry_run = request.dry_run;
    let import = import::open(std::io::Cursor::new(csv), request)?;
    let mut warnings = Vec::new();
    let unread = import.unread_columns();
    if !unread.is_empty() {
        warnings.push(format!(
            "columns not read: {}: polltrack's column names are in the README's \"CSV format\"",
            unread.join(", ")
        ));
    }
    let mut problems = Vec::new();
    let mut told = Vec::new();
    let report = with_reason(
        reason,
        import.run(db, None::<Buffer>, &mut |event| match event {
            import::ImportEvent::Problem(message) => problems.push(at_line(&name, message)),
            import::ImportEvent::Warning(message) => told.push(message.to_string()),
            import::ImportEvent::Read(_) => {}
        }),
    )
    .await?;
    warnings.extend(told);
    warnings.extend(report.warnings.iter().map(|w| w.to_string()));
    Ok(Imported {
        report,
        dry_run,
        problems,
        warnings,
    })
}

/// `FILE:LINE: message` as the line and the message.
fn at_line(name: &str, message: &str) -> (Option<u64>, String) {
    let rest = message
        .strip_prefix(name)
        .and_then(|rest| rest.strip_prefix(':'))
        .unwrap_or(message);
    match rest.split_once(':') {
        Some((line, said)) if line.trim().parse::<u64>().is_ok() => {
            (line.trim().parse().ok(), said.trim().to_string())
        }
        _ => (None, rest.trim().to_string()),
    }
}

/// An import's report as the API answers it.
#[derive(serde::Serialize, utoipa::ToSchema)]
pub(in crate::web) struct ImportReportBody {
    /// The file's name in messages (`upload` for a body)
    name: String,
    /// Whether it was a dry run
    dry_run: bool,
    /// Whether the polls were stored (not a dry run, not refused)
    stored: bool,
    /// Why nothing was stored: invalid, conflicts or unreadable; null when not refused
    refusal: Option<String>,
    /// What the import comes to, in a sentence
    message: String,
    /// What became of the file's polls, as the command's summary counts them
    counts: ImportCounts,
    /// Each poll refused or in conflict, by the line of the file where it begins
    problems: Vec<ImportProblem>,
    /// Doubts about polls stored all the same, and news (a new pollster)
    warnings: Vec<String>,
}

/// What became of a file's polls.
#[derive(serde::Serialize, utoipa::ToSchema)]
struct ImportCounts {
    /// Polls stored as new (or that would be, on a dry run)
    added: u64,
    /// Answers of the polls added
    answers: u64,
    /// Polls stored already with the same numbers
    unchanged: u64,
    /// Stored polls with other numbers, refused
    conflicts: u64,
    /// Stored polls replaced by the file's numbers
    replaced: u64,
    /// Stored polls with other numbers, kept as stored
    skipped: u64,
    /// Polls refused for problems
    rejected: u64,
    /// Polls matching a deleted one, left out
    deleted: u64,
    /// Polls repeating an earlier poll of the file with the same numbers
    repeated: u64,
}

/// A poll refused or in conflict.
#[derive(serde::Serialize, utoipa::ToSchema)]
struct ImportProblem {
    /// The line of the file where the poll begins, when known
    line: Option<u64>,
    /// What is wrong
    message: String,
}

/// An import's report, as [`ImportReportBody`].
pub(in crate::web) fn import_report(imported: &Imported) -> ImportReportBody {
    let report = &imported.report;
    let t = &report.tally;
    ImportReportBody {
        name: report.name.clone(),
        dry_run: imported.dry_run,
        stored: report.stored,
        refusal: report.refusal.map(|r| {
            match r {
                Refusal::Invalid => "invalid",
                Refusal::Conflicts => "conflicts",
                Refusal::Unreadable => "unreadable",
            }
            .to_string()
        }),
        message: imported.summary(),
        counts: ImportCounts {
            added: t.added,
            answers: t.answers,
            unchanged: t.unchanged,
            conflicts: t.conflicts,
            replaced: t.replaced,
            skipped: t.skipped,
            rejected: t.rejected,
            deleted: t.deleted,
            repeated: t.repeated,
        },
        problems: imported
            .problems
            .iter()
            .map(|(line, message)| ImportProblem {
                line: *line,
                message: message.clone(),
            })
            .collect(),
        warnings: imported.warnings.clone(),
    }
}

/// The parameters of [`IMPORT_OPTIONS`], for the OpenAPI document (a test keeps the two
/// naming the same parameters).
#[derive(utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)]
pub(in crate::web) struct ImportParams {
    /// long (polltrack's format, the default) or 538 (FiveThirtyEight's poll files)
    format: Option<String>,
    /// The question's slug, when the file has no question column
    question: Option<String>,
    /// The question's wording, when the file has no wording column
    wording: Option<String>,
    /// approval, favourability, issue or vote: given to questions that have none
    kind: Option<String>,
    /// The pollster of every poll, when the file has no pollster column
    pollster: Option<String>,
    /// Check everything and report, storing nothing
    dry_run: Option<bool>,
    /// Store the valid polls and leave out the invalid ones
    skip_invalid: Option<bool>,
    /// A stored poll with other numbers: refuse (the default), replace or skip
    on_conflict: Option<String>,
    /// Bring back polls that were deleted
    restore_deleted: Option<bool>,
    /// Rows dated this day are an election's result (repeat for several)
    election_date: Option<Vec<String>>,
    /// Why, kept in the history of the polls it changes (as --reason)
    reason: Option<String>,
}

/// The HTTP status of an import's outcome: refused for problems 422, for conflicts 409.
pub(in crate::web) fn import_status(report: &ImportReport) -> StatusCode {
    match report.refusal {
        None => StatusCode::OK,
        Some(Refusal::Invalid | Refusal::Unreadable) => StatusCode::UNPROCESSABLE_ENTITY,
        Some(Refusal::Conflicts) => StatusCode::CONFLICT,
    }
}

/// Imports a CSV file, all or nothing, as `import` does.
#[utoipa::path(post, path = "/api/import", tag = "polls",
    params(ImportParams),
    request_body(content = String, content_type = "text/csv", description = "The file, in polltrack's long format or FiveThirtyEight's"),
    responses(
        (status = 200, description = "Imported, or checked on a dry run", body = ImportReportBody),
        (status = 422, description = "Polls with problems (nothing stored), or a file that cannot be read", body = ImportReportBody),
        (status = 409, description = "Polls stored with other numbers (nothing stored)", body = ImportReportBody),
        (status = 400, description = "An unknown parameter", body = ErrorBody),
    ))]
pub(in crate::web) async fn import_csv(
    Shared(served): Shared<State>,
    uri: Uri,
    body: Bytes,
) -> std::result::Result<Response, ApiError> {
    let params = Params::parse(uri.query(), &[IMPORT_OPTIONS])?;
    let request = import_request("upload", &params)?;
    let reason = reason(params.one("reason"))?;
    let imported = run_import(&served.db, body, request, reason).await?;
    Ok((
        import_status(&imported.report),
        Json(import_report(&imported)),
    )
        .into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_documented_parameters_are_the_ones_read() {
        use utoipa::IntoParams;
        let query = || Some(utoipa::openapi::path::ParameterIn::Query);
        let names: Vec<String> = ImportParams::into_params(query)
            .into_iter()
            .map(|p| p.name)
            .collect();
        assert_eq!(names, IMPORT_OPTIONS);
    }
}
