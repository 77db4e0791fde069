//! The poll form's grid made into result sets, and problems put back beside their fields.

use super::poll_form::PollForm;
use crate::app::polls::prepare;
use crate::model::Poll;

fn form(fields: &[(&str, &str)]) -> PollForm {
    let fields: Vec<(String, String)> = fields
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    PollForm::read(&fields)
}

#[test]
fn a_column_per_population_a_row_per_answer_empty_cells_left_out() {
    let mut form = form(&[
        ("pollster", " Example Polling "),
        ("published", "May 14, 2024"),
        ("question", "us-approval"),
        ("population_0", "a"),
        ("population_1", "Likely voters"),
        ("sample_1", "1,210"),
        ("moe_1", "3.1%"),
        ("label_0", "Approve"),
        ("pct_0_0", "41%"),
        ("pct_1_0", "44,5"),
        ("label_1", "Unsure"),
        ("pct_1_1", "7"),
        ("pct_2_2", ""),
    ]);
    assert_eq!((form.columns.len(), form.rows.len()), (3, 3));
    let mut poll = Poll::default();
    let places = form.fill(&mut poll, true);
    assert!(prepare(&mut poll).is_empty());
    assert!(!form.has_problems());
    assert_eq!(poll.pollster, "Example Polling");
    assert_eq!(poll.published_on.unwrap().to_string(), "2024-05-14");
    assert_eq!(poll.results.len(), 2);
    assert_eq!(poll.results[0].answers.len(), 1);
    assert_eq!(poll.results[1].population, "lv");
    assert_eq!(poll.results[1].sample_size, Some(1210.0));
    assert_eq!(poll.results[1].margin_of_error, Some(3.1));
    assert_eq!(poll.results[1].answers[0].pct, 44.5);
    assert_eq!(places.results, vec![(0, vec![0]), (1, vec![0, 1])]);
    assert!(poll.sources.is_empty());
}

#[test]
fn each_problem_goes_beside_its_field() {
    let mut form = form(&[
        ("pollster", "Example Polling"),
        ("start", "2024-05-20"),
        ("end", "2024-05-14"),
        ("question", "us-approval"),
        ("population_0", "a"),
        ("label_0", "Approve"),
        ("pct_0_0", "60"),
        ("label_1", "Disapprove"),
        ("pct_0_1", "45"),
        ("pct_1_1", "140"),
        ("pct_0_2", "3"),
        ("sample_1", "many"),
    ]);
    let mut poll = Poll::default();
    let places = form.fill(&mut poll, true);
    let problems = prepare(&mut poll);
    form.place(problems, &places);
    assert!(form.start.problems[0].contains("is after field end"));
    assert!(form.rows[1].pcts[1].problems[0].contains("percentage 140"));
    assert!(form.columns[0].problems[0].contains("sum to 105"));
    assert!(form.columns[1].population.problems[0].contains("which population"));
    assert!(form.columns[1].sample.problems[0].contains("not a number"));
    assert_eq!(
        form.rows[2].label.problems,
        vec!["give this answer's label"]
    );
    assert!(form.problems.is_empty(), "{:?}", form.problems);
}
