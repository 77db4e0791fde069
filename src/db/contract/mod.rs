//! The storage contract: what every store must do, as generic tests over [`Store`]. Each backend
//! runs all of them on a fresh store of its own with [`contract_tests!`] (SQLite in
//! `db::sqlite::tests`), so a new backend is held to the same behaviour.

#![allow(unused_imports)]

pub(crate) mod dump;
pub(crate) mod export;
pub(crate) mod history;
pub(crate) mod import;
pub(crate) mod listing;
pub(crate) mod polls;
pub(crate) mod pollsters;
pub(crate) mod questions;
pub(crate) mod series;
pub(crate) mod sources;

pub(crate) use crate::db::prelude::*;
pub(crate) use crate::error::{ErrorKind, Result};
pub(crate) use crate::model::{Answer, Change, Poll, PollFilter, ResultSet, Source, parse_date};
pub(crate) use crate::model::{PollResult, Rgb, Subject};
pub(crate) use chrono::NaiveDate;

pub(crate) fn d(text: &str) -> NaiveDate {
    parse_date(text).expect("a test date")
}

pub(crate) fn answers(pairs: &[(&str, f64)]) -> Vec<Answer> {
    pairs
        .iter()
        .map(|(label, pct)| Answer {
            label: (*label).to_string(),
            pct: *pct,
        })
        .collect()
}

/// One result set, with a wording so that a new question is accepted.
pub(crate) fn result(question: &str, population: &str, pairs: &[(&str, f64)]) -> ResultSet {
    ResultSet {
        question: question.into(),
        wording: Some(format!("Wording of {question}")),
        population: population.into(),
        answers: answers(pairs),
        ..Default::default()
    }
}

/// A valid poll of adults, known by its publication date only.
pub(crate) fn poll(pollster: &str, question: &str, published: &str) -> Poll {
    Poll {
        pollster: pollster.into(),
        published_on: Some(d(published)),
        results: vec![result(
            question,
            "a",
            &[("Oppose", 59.0), ("Support", 31.0)],
        )],
        ..Default::default()
    }
}

pub(crate) fn source(url: &str) -> Source {
    Source {
        url: Some(url.into()),
        ..Default::default()
    }
}

/// Asserts that `result` failed with this kind of error and that its message holds every word.
#[track_caller]
pub(crate) fn assert_error<T>(result: Result<T>, kind: ErrorKind, words: &[&str]) {
    let Err(err) = result else {
        panic!("expected an error of kind {kind:?} with {words:?}, got success");
    };
    assert_eq!(err.kind(), kind, "wrong kind of error: {err:?}");
    // What would help is a typed hint, matched by its name (`ListPolls`).
    let message = format!("{err} {:?}", err.hint());
    for word in words {
        assert!(
            message.contains(word),
            "expected {word:?} in the message {message:?}"
        );
    }
}

pub(crate) async fn list_ids(db: &impl Store, filter: &PollFilter) -> Vec<i64> {
    db.list_polls(filter)
        .await
        .expect("list polls")
        .iter()
        .map(|p| p.id.expect("a stored poll has an id"))
        .collect()
}

/// (field, old value, new value) of each change, for compact comparisons.
pub(crate) fn fields(changes: &[Change]) -> Vec<(String, Option<String>, Option<String>)> {
    changes
        .iter()
        .map(|c| (c.field.clone(), c.old_value.clone(), c.new_value.clone()))
        .collect()
}

pub(crate) fn change(
    field: &str,
    old: Option<&str>,
    new: Option<&str>,
) -> (String, Option<String>, Option<String>) {
    (
        field.to_string(),
        old.map(str::to_string),
        new.map(str::to_string),
    )
}

/// Three polls added out of date order: poll 1 (Realmeter, 2019-08-22, gsomia for lv and moon
/// for adults), poll 2 (Gallup Korea, field 2016-11-15..17, so dated 2016-11-16), poll 3
/// (Gallup Korea, field 2019-08-20..23, so dated 2019-08-21, published 2019-08-30).
pub(crate) async fn add_three(db: &impl Store) {
    let mut realmeter = poll("Realmeter", "kr-gsomia", "2019-08-22");
    realmeter.results[0].population = "lv".into();
    realmeter.results.push(result(
        "kr-moon",
        "a",
        &[("Approve", 47.0), ("Disapprove", 49.0)],
    ));
    let mut gallup_2016 = poll("Gallup Korea", "kr-gsomia", "2016-11-18");
    gallup_2016.field_start = Some(d("2016-11-15"));
    gallup_2016.field_end = Some(d("2016-11-17"));
    let mut gallup_2019 = Poll {
        pollster: "Gallup Korea".into(),
        field_start: Some(d("2019-08-20")),
        field_end: Some(d("2019-08-23")),
        published_on: Some(d("2019-08-30")),
        results: vec![result(
            "kr-moon",
            "a",
            &[("Approve", 45.0), ("Disapprove", 50.0)],
        )],
        ..Default::default()
    };
    gallup_2019.sponsors = vec!["Hankook Ilbo".into()];
    for (expected, p) in [(1, realmeter), (2, gallup_2016), (3, gallup_2019)] {
        let outcome = db.add_poll(&p, false).await.expect("add poll");
        assert_eq!(outcome.id, expected);
    }
}

/// Polls of three questions, one asked in most polls, one in few (so its result sets are far
/// apart in the file), with several populations, missing dates and sample sizes.
pub(crate) fn mixed_polls(count: usize) -> Vec<Poll> {
    let first = d("2010-01-01");
    (0..count)
        .map(|i| {
            let day = first + chrono::Duration::days((i * 7 % 1500) as i64);
            let pct = (i % 37) as f64 + 0.25 * (i % 4) as f64;
            let mut p = poll(&format!("Pollster {}", i % 5), "big", "2010-01-01");
            p.published_on = Some(day + chrono::Duration::days(3));
            if i % 3 != 0 {
                p.field_start = Some(day - chrono::Duration::days((i % 4) as i64));
                p.field_end = Some(day);
                // Some polls with field dates have no publication day: they became known
                // when they were recorded.
                if i % 5 == 0 {
                    p.published_on = None;
                }
            }
            p.tracking = i % 11 == 0;
            p.election = i % 13 == 0;
            p.results = vec![result("big", "a", &[("Yes", pct), ("No", 90.0 - pct)])];
            p.results[0].sample_size = (i % 6 != 0).then_some(500.0 + (i % 9) as f64 * 0.5);
            if i % 4 == 0 {
                p.results
                    .push(result("big", "lv", &[("Yes", pct + 1.0), ("No", 60.0)]));
            }
            if i % 50 == 0 {
                p.results
                    .push(result("small", "rv", &[("Maybe", 12.5), ("A", 1.0 / 3.0)]));
            }
            if i % 2 == 0 {
                p.results.push(result("other", "a", &[("Z", 3.0)]));
            }
            p
        })
        .collect()
}

/// Declares one test per contract function: `$store` makes a fresh store (and whatever keeps it
/// alive, as `Some((guard, store))`; `None` skips the test, having said why), `$finish` ends it
/// after the test.
macro_rules! contract_tests {
    ($store:expr, $finish:expr) => {
        contract_tests!(@each $store, $finish;
            dump::load_dump_keeps_every_id_and_read_dump_gives_it_back,
            dump::load_dump_refuses_a_store_that_is_not_empty_and_writes_nothing,
            dump::load_dump_of_records_that_break_the_rules_writes_nothing,
            dump::read_dump_gives_every_record_in_id_order,
            export::a_snapshot_gives_every_poll_once_by_id_and_their_answer_labels,
            export::a_snapshot_gives_only_the_result_sets_a_filter_selects,
            import::an_import_adds_new_polls_and_knows_stored_ones,
            import::an_import_rolled_back_leaves_nothing,
            import::an_import_keeps_free_file_ids_and_matches_by_the_sources_ids,
            import::an_import_leaves_out_or_restores_deleted_polls,
            import::an_import_handles_conflicts_kinds_and_answer_labels,
            series::poll_results_agree_with_the_polls_listed,
            history::delete_poll_keeps_a_snapshot_in_the_history,
            history::history_lists_all_changes_or_one_polls_oldest_first,
            listing::list_polls_by_region_sponsor_search_and_elections,
            listing::delete_polls_is_all_or_nothing_and_keeps_each_in_the_history,
            history::changes_of_questions_pollsters_and_sources_are_recorded,
            history::restore_poll_brings_a_deleted_poll_back_whole,
            history::undo_poll_change_goes_back_one_change_at_a_time,
            polls::add_poll_stores_every_field_and_get_poll_reads_it_back,
            polls::add_poll_returns_warnings_for_future_and_late_dates,
            polls::get_poll_of_an_unknown_id_is_not_found,
            polls::add_poll_refuses_a_duplicate_naming_the_stored_id,
            polls::add_poll_refuses_an_invalid_poll_and_stores_nothing,
            polls::add_poll_with_a_new_question_needs_its_wording,
            polls::add_poll_matches_pollsters_case_insensitively_trimmed_and_by_alias,
            polls::insert_polls_is_all_or_nothing,
            polls::add_results_adds_a_population_and_a_source,
            polls::add_results_refuses_a_clash_an_unknown_poll_and_an_unworded_new_question,
            polls::update_poll_returns_the_changes_records_them_and_keeps_created_at,
            polls::update_poll_refuses_unknown_ids_and_invalid_content,
            polls::a_deleted_polls_id_is_not_given_to_a_new_poll,
            polls::list_polls_orders_by_date_and_filters,
            polls::an_edit_that_copies_another_poll_is_refused_as_a_duplicate,
            polls::an_edit_of_a_poll_changed_since_it_was_read_is_refused,
            polls::new_ids_never_overflow_past_the_largest,
            pollsters::list_pollsters_gives_aliases_counts_and_date_spans,
            pollsters::add_pollster_alias_resolves_names_and_refuses_clashes,
            pollsters::merge_pollsters_refuses_unknown_and_identical_pollsters,
            pollsters::merge_pollsters_moves_polls_records_history_and_keeps_the_old_name_as_alias,
            pollsters::merge_into_a_name_not_stored_renames,
            pollsters::rename_pollster_keeps_or_drops_the_old_name_and_swaps_an_alias,
            pollsters::prune_pollsters_removes_those_with_no_polls_and_their_aliases,
            pollsters::pollster_spellings_give_names_and_aliases,
            questions::list_questions_counts_polls_and_date_spans,
            questions::get_question_gives_populations_answers_and_pollsters,
            questions::rename_question_changes_slug_wording_and_topic,
            questions::answer_order_is_first_appearance_over_all_polls,
            questions::answer_colours_are_kept_by_answer_ignoring_case,
            series::poll_results_match_the_polls_stored_under_every_filter,
            sources::add_source_records_links_and_completes_by_url,
            sources::link_source_by_id_and_by_url,
            sources::list_sources_all_and_for_one_poll,
            sources::get_source_by_id_and_by_url);
    };
    (@each $store:expr, $finish:expr; $($concern:ident :: $name:ident),* $(,)?) => {
        $(
            #[tokio::test]
            async fn $name() {
                let Some((guard, store)) = $store else {
                    return;
                };
                $crate::db::contract::$concern::$name(&store).await;
                $finish(guard, store).await;
            }
        )*
    };
}
pub(crate) use contract_tests;
