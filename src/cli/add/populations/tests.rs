//! `add`'s result sets of several populations, read from the flags.

use super::*;

fn strings(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| s.to_string()).collect()
}

fn sets(populations: &[&str], answers: &[&str], samples: &[&str]) -> Result<Vec<ResultSet>> {
    result_sets(&Given {
        question: "us-approval",
        wording: None,
        populations: &strings(populations),
        answers: &strings(answers),
        samples: &strings(samples),
        moes: &[],
    })
}

#[test]
fn one_population_needs_no_prefix() {
    let one = sets(&[], &["Approve=41", "Note: other=3"], &["1,500"]).unwrap();
    assert_eq!(one.len(), 1);
    assert_eq!(one[0].population, "a");
    assert_eq!(one[0].sample_size, Some(1500.0));
    assert_eq!(one[0].answers[1].label, "Note: other");
    let prefixed = sets(&["LV"], &["lv:Approve=41"], &[]).unwrap();
    assert_eq!(prefixed[0].answers[0].label, "Approve");
}

#[test]
fn several_populations_by_prefix() {
    let two = sets(
        &["a", "likely voters"],
        &[
            "a:Approve=40",
            "lv:Approve=43",
            "A:Disapprove=52",
            "lv: Disapprove=53",
        ],
        &["a:1500", "lv:1200"],
    )
    .unwrap();
    let summary: Vec<(String, Option<f64>, usize)> = two
        .iter()
        .map(|r| (r.population.clone(), r.sample_size, r.answers.len()))
        .collect();
    assert_eq!(
        summary,
        vec![
            ("a".into(), Some(1500.0), 2),
            ("likely voters".into(), Some(1200.0), 2)
        ]
    );
    assert_eq!(two[1].answers[1].label, "Disapprove");
    assert_eq!(two[1].answers[1].pct, 53.0);
}

#[test]
fn several_populations_refuse_what_is_unclear() {
    let message = |r: Result<Vec<ResultSet>>| r.unwrap_err().to_string();
    assert_eq!(
        message(sets(&["a", "rv"], &["a:Approve=40", "Approve=41"], &[])),
        "--answer Approve=41: with several populations (a, rv), say which one it is for, \
         e.g. --answer rv:Approve=41"
    );
    assert_eq!(
        message(sets(&["a", "rv"], &["a:Approve=40"], &[])),
        "population rv has no --answer: give its answers as --answer rv:LABEL=PCT"
    );
    assert_eq!(
        message(sets(&["rv", "RV"], &["rv:Approve=40"], &[])),
        "--population rv is given twice"
    );
    assert_eq!(
        message(sets(&["a"], &["Approve=40"], &["1000", "a:1200"])),
        "--sample is given 2 times for population a: give it once"
    );
}
