//! Sources as the command line prints them.

use crate::cli::output::date_or_dash;
use polltrack::model::SourceWithPolls;

pub fn linked(polls: &[i64]) -> String {
    if polls.is_empty() {
        String::new()
    } else {
        let ids: Vec<String> = polls.iter().map(i64::to_string).collect();
        format!(", linked to poll {}", ids.join(", "))
    }
}

pub fn poll_list(source: &SourceWithPolls) -> String {
    let ids: Vec<String> = source.polls.iter().map(i64::to_string).collect();
    if ids.is_empty() {
        "-".into()
    } else {
        ids.join(", ")
    }
}

pub fn row(found: &SourceWithPolls) -> Vec<String> {
    let s = &found.source;
    let mut about: Vec<String> = Vec::new();
    about.extend(s.title.as_ref().map(|t| format!("\"{t}\"")));
    about.extend(s.url.clone());
    vec![
        s.id.unwrap_or_default().to_string(),
        date_or_dash(s.published_on),
        s.outlet.clone().unwrap_or_else(|| "-".into()),
        poll_list(found),
        about.join(" "),
    ]
}
