//! Putting a poll as entered into the one shape it is stored in, and telling two versions of a
//! poll apart for the history.

use super::{Poll, ResultSet, STANDARD_POPULATIONS, clean_text, format_date};
use chrono::NaiveDate;

/// Trims names and labels, drops empty optional texts, and writes standard populations as
/// their codes (`LV` and `likely voters` both become `lv`).
pub fn normalize_poll(poll: &mut Poll) {
    poll.pollster = poll.pollster.trim().to_string();
    for sponsor in &mut poll.sponsors {
        *sponsor = sponsor.trim().to_string();
    }
    // The same sponsor twice, in any case, is one sponsor.
    let mut seen = std::collections::HashSet::new();
    poll.sponsors.retain(|s| seen.insert(super::name_key(s)));

    for text in [&mut poll.mode, &mut poll.region, &mut poll.notes] {
        *text = clean_text(text.as_deref());
    }
    for result in &mut poll.results {
        result.question = result.question.trim().to_string();
        result.wording = clean_text(result.wording.as_deref());
        result.population = normalize_population(&result.population);
        for answer in &mut result.answers {
            answer.label = answer.label.trim().to_string();
        }
    }
    for source in &mut poll.sources {
        source.url = clean_text(source.url.as_deref());
        source.title = clean_text(source.title.as_deref());
        source.outlet = clean_text(source.outlet.as_deref());
    }
}

/// `LV` or `Likely voters` → `lv`; a named subpopulation is kept as written, trimmed.
pub fn normalize_population(population: &str) -> String {
    let trimmed = population.trim();
    STANDARD_POPULATIONS
        .iter()
        .find(|(code, name)| {
            trimmed.eq_ignore_ascii_case(code) || trimmed.eq_ignore_ascii_case(name)
        })
        .map(|(code, _)| code.to_string())
        .unwrap_or_else(|| trimmed.to_string())
}

/// One changed field: its name, old value and new value, as text.
pub type FieldChange = (String, Option<String>, Option<String>);

/// Every field that differs between two versions of a poll.
pub fn diff_polls(old: &Poll, new: &Poll) -> Vec<FieldChange> {
    let mut changes = Vec::new();
    let mut compare = |field: String, a: Option<String>, b: Option<String>| {
        if a != b {
            changes.push((field, a, b));
        }
    };
    let date = |d: Option<NaiveDate>| d.map(format_date);
    compare(
        "pollster".into(),
        Some(old.pollster.clone()),
        Some(new.pollster.clone()),
    );
    compare(
        "sponsors".into(),
        joined(&old.sponsors),
        joined(&new.sponsors),
    );
    compare(
        "field_start".into(),
        date(old.field_start),
        date(new.field_start),
    );
    compare("field_end".into(), date(old.field_end), date(new.field_end));
    compare(
        "published_on".into(),
        date(old.published_on),
        date(new.published_on),
    );
    compare("mode".into(), old.mode.clone(), new.mode.clone());
    compare("region".into(), old.region.clone(), new.region.clone());
    compare(
        "partisan".into(),
        Some(old.partisan.to_string()),
        Some(new.partisan.to_string()),
    );
    compare(
        "tracking".into(),
        Some(old.tracking.to_string()),
        Some(new.tracking.to_string()),
    );
    compare(
        "election".into(),
        Some(old.election.to_string()),
        Some(new.election.to_string()),
    );
    compare("notes".into(), old.notes.clone(), new.notes.clone());

    let key = |r: &ResultSet| format!("{}/{}", r.question, r.population);
    // Each key's first result set, looked up by hash: a poll may have thousands.
    let index = |results: &[ResultSet]| {
        let mut index = std::collections::HashMap::with_capacity(results.len());
        for (i, r) in results.iter().enumerate() {
            index.entry(key(r)).or_insert(i);
        }
        index
    };
    let (old_index, new_index) = (index(&old.results), index(&new.results));
    let find = |results: &[ResultSet],
                index: &std::collections::HashMap<String, usize>,
                k: &str| { index.get(k).map(|&i| results[i].clone()) };
    let mut keys: Vec<String> = old.results.iter().map(key).collect();
    keys.extend(
        new.results
            .iter()
            .map(key)
            .filter(|k| !old_index.contains_key(k)),
    );
    for k in keys {
        let (a, b) = (
            find(&old.results, &old_index, &k),
            find(&new.results, &new_index, &k),
        );
        let number = |r: &Option<ResultSet>, f: fn(&ResultSet) -> Option<f64>| {
            r.as_ref().and_then(f).map(|n| n.to_string())
        };
        compare(
            format!("{k} sample_size"),
            number(&a, |r| r.sample_size),
            number(&b, |r| r.sample_size),
        );
        compare(
            format!("{k} margin_of_error"),
            number(&a, |r| r.margin_of_error),
            number(&b, |r| r.margin_of_error),
        );
        compare(
            format!("{k} answers"),
            a.as_ref().map(answers_text),
            b.as_ref().map(answers_text),
        );
    }
    let source_text = |p: &Poll| {
        let keys: Vec<String> = p
            .sources
            .iter()
            .map(|s| {
                s.url
                    .clone()
                    .or_else(|| s.title.clone())
                    .unwrap_or_default()
            })
            .collect();
        joined(&keys)
    };
    compare("sources".into(), source_text(old), source_text(new));
    changes
}

/// `Oppose=59; Support=27`, the answers as they would be typed.
pub fn answers_text(result: &ResultSet) -> String {
    let parts: Vec<String> = result
        .answers
        .iter()
        .map(|a| format!("{}={}", a.label, a.pct))
        .collect();
    parts.join("; ")
}

fn joined(items: &[String]) -> Option<String> {
    (!items.is_empty()).then(|| items.join("; "))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Answer, Source};

    fn poll() -> Poll {
        Poll {
            pollster: " Gallup Korea ".into(),
            mode: Some("  ".into()),
            results: vec![ResultSet {
                question: "kr-gsomia ".into(),
                population: " Likely Voters".into(),
                answers: vec![Answer {
                    label: " Oppose".into(),
                    pct: 59.0,
                }],
                ..Default::default()
            }],
            sources: vec![Source {
                url: Some(" https://x.org ".into()),
                ..Default::default()
            }],
            ..Default::default()
        }
    }

    #[test]
    fn normalizing_trims_and_codes_populations() {
        let mut p = poll();
        normalize_poll(&mut p);
        assert_eq!(p.pollster, "Gallup Korea");
        assert_eq!(p.mode, None);
        assert_eq!(p.results[0].question, "kr-gsomia");
        assert_eq!(p.results[0].population, "lv");
        assert_eq!(p.results[0].answers[0].label, "Oppose");
        assert_eq!(p.sources[0].url.as_deref(), Some("https://x.org"));
        assert_eq!(normalize_population("Democrats"), "Democrats");
        assert_eq!(normalize_population("A"), "a");
    }

    #[test]
    fn diff_names_each_changed_field() {
        let mut old = poll();
        normalize_poll(&mut old);
        assert!(diff_polls(&old, &old).is_empty());
        let mut new = old.clone();
        new.pollster = "Realmeter".into();
        new.results[0].answers[0].pct = 58.0;
        new.results[0].sample_size = Some(1004.0);
        let changes = diff_polls(&old, &new);
        assert_eq!(
            changes,
            vec![
                (
                    "pollster".into(),
                    Some("Gallup Korea".into()),
                    Some("Realmeter".into())
                ),
                ("kr-gsomia/lv sample_size".into(), None, Some("1004".into())),
                (
                    "kr-gsomia/lv answers".into(),
                    Some("Oppose=59".into()),
                    Some("Oppose=58".into())
                ),
            ]
        );
    }
}
