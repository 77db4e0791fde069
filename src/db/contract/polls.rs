//! The contract: Adding, editing, deleting and listing polls.

#![allow(unused_imports)]

use super::*;

pub(crate) async fn add_poll_stores_every_field_and_get_poll_reads_it_back(db: &impl Store) {
    let entered = Poll {
        pollster: "  Gallup Korea ".into(),
        sponsors: vec!["Hankook Ilbo".into(), " KBS ".into()],
        field_start: Some(d("2016-11-15")),
        field_end: Some(d("2016-11-17")),
        published_on: Some(d("2016-11-18")),
        mode: Some("Phone".into()),
        region: Some("  ".into()),
        partisan: true,
        tracking: false,
        election: true,
        notes: Some(" Weekly omnibus ".into()),
        results: vec![ResultSet {
            question: " kr-gsomia ".into(),
            wording: Some("Do you support GSOMIA with Japan?".into()),
            population: "Likely Voters".into(),
            sample_size: Some(1004.0),
            margin_of_error: Some(3.1),
            answers: answers(&[(" Oppose", 59.0), ("Support", 31.0), ("Unsure", 10.0)]),
        }],
        sources: vec![Source {
            url: Some(" https://example.org/gsomia ".into()),
            title: Some("Koreans oppose GSOMIA".into()),
            outlet: Some("Press TV".into()),
            published_on: Some(d("2016-11-18")),
            id: None,
        }],
        ..Default::default()
    };
    let outcome = db.add_poll(&entered, false).await.unwrap();
    assert_eq!(outcome.id, 1);
    assert!(outcome.warnings.is_empty(), "{:?}", outcome.warnings);

    let stored = db.get_poll(1).await.unwrap();
    assert_eq!(stored.id, Some(1));
    assert_eq!(stored.pollster, "Gallup Korea");
    assert_eq!(stored.sponsors, vec!["Hankook Ilbo", "KBS"]);
    assert_eq!(stored.field_start, Some(d("2016-11-15")));
    assert_eq!(stored.field_end, Some(d("2016-11-17")));
    assert_eq!(stored.published_on, Some(d("2016-11-18")));
    assert_eq!(stored.date(), Some(d("2016-11-16")));
    assert_eq!(stored.mode.as_deref(), Some("Phone"));
    assert_eq!(stored.region, None, "an empty text is unknown");
    assert!(stored.partisan);
    assert!(!stored.tracking);
    assert!(stored.election);
    assert_eq!(stored.notes.as_deref(), Some("Weekly omnibus"));
    assert_eq!(stored.results.len(), 1);
    let r = &stored.results[0];
    assert_eq!(r.question, "kr-gsomia");
    assert_eq!(
        r.wording.as_deref(),
        Some("Do you support GSOMIA with Japan?")
    );
    assert_eq!(
        r.population, "lv",
        "a standard population is stored as its code"
    );
    assert_eq!(r.sample_size, Some(1004.0));
    assert_eq!(r.margin_of_error, Some(3.1));
    assert_eq!(
        r.answers,
        answers(&[("Oppose", 59.0), ("Support", 31.0), ("Unsure", 10.0)])
    );
    assert_eq!(
        stored.sources,
        vec![Source {
            id: Some(1),
            url: Some("https://example.org/gsomia".into()),
            title: Some("Koreans oppose GSOMIA".into()),
            outlet: Some("Press TV".into()),
            published_on: Some(d("2016-11-18")),
        }]
    );
    let created = stored.created_at.clone().expect("created_at");
    assert_eq!(created.len(), "2026-01-01 00:00:00".len(), "{created}");
    assert_eq!(stored.updated_at.as_deref(), Some(created.as_str()));

    // The second poll gets the next id.
    let outcome = db
        .add_poll(&poll("Realmeter", "kr-gsomia", "2016-11-20"), false)
        .await
        .unwrap();
    assert_eq!(outcome.id, 2);
    assert_eq!(db.get_poll(2).await.unwrap().pollster, "Realmeter");
}

pub(crate) async fn add_poll_returns_warnings_for_future_and_late_dates(db: &impl Store) {
    let mut p = poll("Gallup Korea", "kr-gsomia", "2016-11-18");
    p.field_end = Some(d("2016-11-20"));
    // Within a year ahead: a warning; further ahead is refused (see the model's tests).
    let soon = crate::model::today() + chrono::Duration::days(100);
    p.sources.push(Source {
        url: Some("https://example.org/future".into()),
        published_on: Some(soon),
        ..Default::default()
    });
    let outcome = db.add_poll(&p, false).await.unwrap();
    assert_eq!(outcome.id, 1);
    let text: Vec<String> = outcome.warnings.iter().map(|w| w.to_string()).collect();
    assert_eq!(text.len(), 2, "{text:?}");
    assert!(
        text.iter()
            .any(|w| w.contains("after the publication date 2016-11-18")),
        "{text:?}"
    );
    assert!(
        text.iter().any(|w| w.contains(&format!(
            "source date {} is in the future",
            crate::model::format_date(soon)
        ))),
        "{text:?}"
    );
    // Warnings do not stop the poll.
    assert_eq!(
        db.get_poll(1).await.unwrap().field_end,
        Some(d("2016-11-20"))
    );
}

pub(crate) async fn get_poll_of_an_unknown_id_is_not_found(db: &impl Store) {
    assert_error(
        db.get_poll(7).await,
        ErrorKind::NotFound,
        &["there is no poll 7", "ListPolls"],
    );
    db.add_poll(&poll("Gallup Korea", "kr-gsomia", "2016-11-18"), false)
        .await
        .unwrap();
    assert_error(db.get_poll(2).await, ErrorKind::NotFound, &["no poll 2"]);
    assert_eq!(db.get_poll(1).await.unwrap().id, Some(1));
}

pub(crate) async fn add_poll_refuses_a_duplicate_naming_the_stored_id(db: &impl Store) {
    db.add_poll(&poll("Realmeter", "kr-moon", "2019-08-22"), false)
        .await
        .unwrap();
    let original = poll("Gallup Korea", "kr-gsomia", "2016-11-18");
    assert_eq!(db.add_poll(&original, false).await.unwrap().id, 2);

    assert_error(
        db.add_poll(&original, false).await,
        ErrorKind::Conflict,
        &[
            "stored already as poll 2",
            "stored already as poll 2",
            "RecordAgain(2)",
        ],
    );
    // The same poll with another spelling of the pollster and population, and other answers.
    let mut respelled = original.clone();
    respelled.pollster = " GALLUP korea ".into();
    respelled.results[0].population = "Adults".into();
    respelled.results[0].answers = answers(&[("Oppose", 60.0)]);
    assert_error(
        db.add_poll(&respelled, false).await,
        ErrorKind::Conflict,
        &["poll 2"],
    );
    assert_eq!(list_ids(db, &PollFilter::default()).await, vec![2, 1]);

    // Allowed, it is stored again under a new id.
    let again = db.add_poll(&original, true).await.unwrap();
    assert_eq!(again.id, 3);
    assert_eq!(
        db.get_poll(3).await.unwrap().results,
        db.get_poll(2).await.unwrap().results
    );

    // Another population, date or question is not a duplicate.
    let mut other_population = original.clone();
    other_population.results[0].population = "rv".into();
    assert_eq!(db.add_poll(&other_population, false).await.unwrap().id, 4);
    let mut other_date = original.clone();
    other_date.published_on = Some(d("2016-11-19"));
    assert_eq!(db.add_poll(&other_date, false).await.unwrap().id, 5);
    let mut other_question = original.clone();
    other_question.results[0] = result("kr-moon", "a", &[("Approve", 5.0)]);
    assert_eq!(db.add_poll(&other_question, false).await.unwrap().id, 6);
}

pub(crate) async fn add_poll_refuses_an_invalid_poll_and_stores_nothing(db: &impl Store) {
    let mut bad = poll("Gallup Korea", "kr-gsomia", "2016-11-18");
    bad.results[0].answers = answers(&[("Oppose", 120.0)]);
    bad.field_start = Some(d("2016-11-17"));
    bad.field_end = Some(d("2016-11-15"));
    assert_error(
        db.add_poll(&bad, false).await,
        ErrorKind::Invalid,
        &[
            "percentage 120 for \"Oppose\" is outside 0..100",
            "field start 2016-11-17 is after field end 2016-11-15",
        ],
    );
    let mut no_date = poll("Gallup Korea", "kr-gsomia", "2016-11-18");
    no_date.published_on = None;
    assert_error(
        db.add_poll(&no_date, true).await,
        ErrorKind::Invalid,
        &["has no date"],
    );
    let mut no_pollster = poll(" ", "kr-gsomia", "2016-11-18");
    no_pollster.results[0].question = "kr gsomia".into();
    assert_error(
        db.add_poll(&no_pollster, false).await,
        ErrorKind::Invalid,
        &["pollster name is empty", "has spaces"],
    );
    assert!(
        db.list_polls(&PollFilter::default())
            .await
            .unwrap()
            .is_empty()
    );
    assert!(db.list_pollsters().await.unwrap().is_empty());
    assert!(db.list_questions().await.unwrap().is_empty());
}

pub(crate) async fn add_poll_with_a_new_question_needs_its_wording(db: &impl Store) {
    let mut unworded = poll("Gallup Korea", "kr-gsomia", "2016-11-18");
    unworded.results[0].wording = Some("   ".into());
    assert_error(
        db.add_poll(&unworded, false).await,
        ErrorKind::Invalid,
        &["question kr-gsomia is new", "wording"],
    );
    // Nothing of the refused poll is left behind, not even its pollster.
    assert!(
        db.list_polls(&PollFilter::default())
            .await
            .unwrap()
            .is_empty()
    );
    assert!(db.list_pollsters().await.unwrap().is_empty());
    assert!(db.list_questions().await.unwrap().is_empty());

    // Once the question is stored, later polls may leave the wording out.
    let first = db
        .add_poll(&poll("Gallup Korea", "kr-gsomia", "2016-11-18"), false)
        .await
        .unwrap();
    assert_eq!(first.id, 1);
    let mut later = poll("Realmeter", "kr-gsomia", "2016-11-25");
    later.results[0].wording = None;
    let outcome = db.add_poll(&later, false).await.unwrap();
    assert_eq!(outcome.id, 2);
    assert!(outcome.warnings.is_empty());
    assert_eq!(
        db.get_poll(2).await.unwrap().results[0].wording.as_deref(),
        Some("Wording of kr-gsomia")
    );

    // Another wording for a stored question is a warning, and the stored wording stays.
    let mut reworded = poll("Realmeter", "kr-gsomia", "2016-12-02");
    reworded.results[0].wording = Some("Something else".into());
    let outcome = db.add_poll(&reworded, false).await.unwrap();
    assert_eq!(outcome.id, 3);
    assert_eq!(outcome.warnings.len(), 1);
    assert!(
        outcome.warnings[0]
            .to_string()
            .contains("stored with the wording \"Wording of kr-gsomia\""),
        "{}",
        outcome.warnings[0]
    );
    assert_eq!(
        db.get_question("kr-gsomia").await.unwrap().question.wording,
        "Wording of kr-gsomia"
    );
}

pub(crate) async fn add_poll_matches_pollsters_case_insensitively_trimmed_and_by_alias(
    db: &impl Store,
) {
    db.add_poll(&poll("Gallup Korea", "kr-gsomia", "2016-11-18"), false)
        .await
        .unwrap();
    db.add_poll(&poll("  gallup KOREA ", "kr-gsomia", "2016-11-25"), false)
        .await
        .unwrap();
    assert_eq!(
        db.add_pollster_alias("Gallup", "gallup korea")
            .await
            .unwrap(),
        "Gallup Korea"
    );
    db.add_poll(&poll(" gallup", "kr-gsomia", "2016-12-02"), false)
        .await
        .unwrap();

    for id in 1..=3 {
        assert_eq!(db.get_poll(id).await.unwrap().pollster, "Gallup Korea");
    }
    let pollsters = db.list_pollsters().await.unwrap();
    assert_eq!(pollsters.len(), 1);
    assert_eq!(pollsters[0].name, "Gallup Korea");
    assert_eq!(pollsters[0].aliases, vec!["Gallup"]);
    assert_eq!(pollsters[0].polls, 3);
}

pub(crate) async fn insert_polls_is_all_or_nothing(db: &impl Store) {
    let mut invalid = poll("Realmeter", "kr-moon", "2019-08-22");
    invalid.results[0].margin_of_error = Some(0.0);
    let batch = vec![
        poll("Gallup Korea", "kr-gsomia", "2016-11-18"),
        invalid,
        poll("Hankook Research", "kr-moon", "2019-08-29"),
    ];
    assert_error(
        db.insert_polls(&batch).await,
        ErrorKind::Invalid,
        &["margin of error 0 is outside (0, 50]"],
    );
    assert!(
        db.list_polls(&PollFilter::default())
            .await
            .unwrap()
            .is_empty()
    );

    // A failure found while writing (a new question without wording) undoes the earlier polls.
    let mut unworded = poll("Realmeter", "kr-new", "2019-08-22");
    unworded.results[0].wording = None;
    let batch = vec![poll("Gallup Korea", "kr-gsomia", "2016-11-18"), unworded];
    assert_error(
        db.insert_polls(&batch).await,
        ErrorKind::Invalid,
        &["question kr-new is new"],
    );
    assert!(
        db.list_polls(&PollFilter::default())
            .await
            .unwrap()
            .is_empty()
    );
    assert!(db.list_pollsters().await.unwrap().is_empty());
    assert!(db.list_questions().await.unwrap().is_empty());

    // The batch goes in once fixed, starting at id 1.
    let mut fixed = batch.clone();
    fixed[1].results[0].wording = Some("A new question".into());
    assert_eq!(db.insert_polls(&fixed).await.unwrap().0, vec![1, 2]);
}

pub(crate) async fn add_results_adds_a_population_and_a_source(db: &impl Store) {
    db.add_poll(&poll("Gallup Korea", "kr-gsomia", "2016-11-18"), false)
        .await
        .unwrap();
    let before = db.get_poll(1).await.unwrap();
    let mut lv = result(
        "kr-gsomia",
        "Likely voters",
        &[("Oppose", 62.0), ("Support", 30.0)],
    );
    lv.wording = None;
    lv.sample_size = Some(800.0);
    let outcome = db
        .add_results(1, vec![lv], vec![source("https://example.org/lv")])
        .await
        .unwrap();
    assert_eq!(outcome.id, 1);
    assert!(outcome.warnings.is_empty(), "{:?}", outcome.warnings);

    let after = db.get_poll(1).await.unwrap();
    assert_eq!(after.results.len(), 2);
    assert_eq!(after.results[0], before.results[0]);
    assert_eq!(after.results[1].question, "kr-gsomia");
    assert_eq!(after.results[1].population, "lv");
    assert_eq!(after.results[1].sample_size, Some(800.0));
    assert_eq!(
        after.results[1].answers,
        answers(&[("Oppose", 62.0), ("Support", 30.0)])
    );
    assert_eq!(after.sources.len(), 1);
    assert_eq!(
        after.sources[0].url.as_deref(),
        Some("https://example.org/lv")
    );
    assert_eq!(after.created_at, before.created_at);

    // A new question can come too, with its wording.
    db.add_results(
        1,
        vec![result("kr-moon", "a", &[("Approve", 40.0)])],
        vec![],
    )
    .await
    .unwrap();
    let questions: Vec<(String, String)> = db
        .get_poll(1)
        .await
        .unwrap()
        .results
        .iter()
        .map(|r| (r.question.clone(), r.population.clone()))
        .collect();
    assert_eq!(
        questions,
        vec![
            ("kr-gsomia".to_string(), "a".to_string()),
            ("kr-gsomia".to_string(), "lv".to_string()),
            ("kr-moon".to_string(), "a".to_string()),
        ]
    );
    // Each addition is in the history.
    let history = db.history(Some(1)).await.unwrap();
    assert!(
        history
            .iter()
            .all(|c| c.action == "edit" && c.poll_id == Some(1))
    );
    assert_eq!(
        fields(&history),
        vec![
            change("kr-gsomia/lv sample_size", None, Some("800")),
            change("kr-gsomia/lv answers", None, Some("Oppose=62; Support=30")),
            change("sources", None, Some("https://example.org/lv")),
            change("kr-moon/a answers", None, Some("Approve=40")),
        ]
    );
}

pub(crate) async fn add_results_refuses_a_clash_an_unknown_poll_and_an_unworded_new_question(
    db: &impl Store,
) {
    let mut p = poll("Gallup Korea", "kr-gsomia", "2016-11-18");
    p.results[0].population = "lv".into();
    db.add_poll(&p, false).await.unwrap();
    let before = db.get_poll(1).await.unwrap();

    for population in ["lv", " LV ", "likely voters"] {
        assert_error(
            db.add_results(
                1,
                vec![result("kr-gsomia", population, &[("Oppose", 50.0)])],
                vec![],
            )
            .await,
            ErrorKind::Conflict,
            &[
                "poll 1 already has question kr-gsomia for population",
                "EditPoll(1)",
            ],
        );
    }
    assert_error(
        db.add_results(
            42,
            vec![result("kr-gsomia", "rv", &[("Oppose", 50.0)])],
            vec![],
        )
        .await,
        ErrorKind::NotFound,
        &["there is no poll 42"],
    );
    let mut unworded = result("kr-new", "a", &[("Yes", 50.0)]);
    unworded.wording = None;
    assert_error(
        db.add_results(1, vec![unworded], vec![]).await,
        ErrorKind::Invalid,
        &["question kr-new is new"],
    );
    assert_error(
        db.add_results(
            1,
            vec![result("kr-gsomia", "rv", &[("Oppose", 150.0)])],
            vec![],
        )
        .await,
        ErrorKind::Invalid,
        &["outside 0..100"],
    );
    assert_eq!(db.get_poll(1).await.unwrap(), before, "nothing changed");
    assert!(db.history(None).await.unwrap().is_empty());
}

pub(crate) async fn update_poll_returns_the_changes_records_them_and_keeps_created_at(
    db: &impl Store,
) {
    let mut p = poll("Gallup Korea", "kr-gsomia", "2016-11-18");
    p.sources = vec![Source {
        url: Some("https://example.org/g".into()),
        outlet: Some("Press TV".into()),
        ..Default::default()
    }];
    db.add_poll(&p, false).await.unwrap();
    db.add_poll(&poll("Realmeter", "kr-gsomia", "2016-11-20"), false)
        .await
        .unwrap();
    let old = db.get_poll(1).await.unwrap();
    // Timestamps have one-second resolution: let the clock move on.
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;

    let mut new = old.clone();
    new.field_start = Some(d("2016-11-15"));
    new.field_end = Some(d("2016-11-17"));
    new.notes = Some("corrected".into());
    new.results[0].sample_size = Some(1004.0);
    new.results[0].answers = answers(&[("Oppose", 58.0), ("Support", 31.0)]);
    let (changes, warnings) = db.update_poll(1, &new).await.unwrap();
    assert!(warnings.is_empty(), "{warnings:?}");
    let expected = vec![
        change("field_start", None, Some("2016-11-15")),
        change("field_end", None, Some("2016-11-17")),
        change("notes", None, Some("corrected")),
        change("kr-gsomia/a sample_size", None, Some("1004")),
        change(
            "kr-gsomia/a answers",
            Some("Oppose=59; Support=31"),
            Some("Oppose=58; Support=31"),
        ),
    ];
    assert_eq!(fields(&changes), expected);
    assert!(
        changes
            .iter()
            .all(|c| c.poll_id == Some(1) && c.action == "edit")
    );

    let history = db.history(Some(1)).await.unwrap();
    assert_eq!(
        history, changes,
        "the history holds exactly what was returned"
    );

    let stored = db.get_poll(1).await.unwrap();
    assert_eq!(stored.id, Some(1));
    assert_eq!(stored.field_start, Some(d("2016-11-15")));
    assert_eq!(stored.notes.as_deref(), Some("corrected"));
    assert_eq!(stored.results[0].sample_size, Some(1004.0));
    assert_eq!(stored.results[0].answers[0].pct, 58.0);
    assert_eq!(
        stored.sources[0].outlet.as_deref(),
        Some("Press TV"),
        "sources survive"
    );
    assert_eq!(stored.created_at, old.created_at, "created_at is kept");
    assert_ne!(stored.updated_at, old.updated_at, "updated_at moves on");
    assert!(stored.updated_at > old.updated_at);
    // The other poll is untouched, and the edited one keeps its place by date.
    assert_eq!(db.get_poll(2).await.unwrap().pollster, "Realmeter");
    assert_eq!(list_ids(db, &PollFilter::default()).await, vec![1, 2]);

    // Saving the same content changes nothing and records nothing.
    let (changes, _) = db.update_poll(1, &stored).await.unwrap();
    assert!(changes.is_empty());
    assert_eq!(db.history(Some(1)).await.unwrap().len(), 5);
    assert_eq!(db.get_poll(1).await.unwrap(), stored);
}

pub(crate) async fn update_poll_refuses_unknown_ids_and_invalid_content(db: &impl Store) {
    let p = poll("Gallup Korea", "kr-gsomia", "2016-11-18");
    assert_error(
        db.update_poll(3, &p).await,
        ErrorKind::NotFound,
        &["there is no poll 3"],
    );
    db.add_poll(&p, false).await.unwrap();
    let before = db.get_poll(1).await.unwrap();
    let mut bad = before.clone();
    bad.results[0].answers = answers(&[("Oppose", 70.0), ("Support", 40.0)]);
    assert_error(
        db.update_poll(1, &bad).await,
        ErrorKind::Invalid,
        &["sum to 110"],
    );
    assert_eq!(db.get_poll(1).await.unwrap(), before);
    assert!(db.history(None).await.unwrap().is_empty());

    // A change of pollster goes through its name like any other.
    let mut moved = before.clone();
    moved.pollster = "Realmeter".into();
    let (changes, _) = db.update_poll(1, &moved).await.unwrap();
    assert_eq!(
        fields(&changes),
        vec![change("pollster", Some("Gallup Korea"), Some("Realmeter"))]
    );
    assert_eq!(db.get_poll(1).await.unwrap().pollster, "Realmeter");
}

pub(crate) async fn a_deleted_polls_id_is_not_given_to_a_new_poll(db: &impl Store) {
    add_three(db).await;
    db.delete_poll(3).await.unwrap();
    let id = db
        .add_poll(&poll("Hankook Research", "kr-moon", "2019-09-01"), false)
        .await
        .unwrap()
        .id;
    assert_eq!(
        id, 4,
        "poll 3's history must not be taken for the new poll's"
    );
    assert_eq!(db.history(Some(4)).await.unwrap(), vec![]);
    let (ids, _) = db
        .insert_polls(&[poll("Hankook Research", "kr-moon", "2019-09-08")])
        .await
        .unwrap();
    assert_eq!(ids, vec![5]);
    assert_error(db.get_poll(3).await, ErrorKind::NotFound, &["no poll 3"]);
}

pub(crate) async fn list_polls_orders_by_date_and_filters(db: &impl Store) {
    add_three(db).await;
    let all = PollFilter::default();
    assert_eq!(list_ids(db, &all).await, vec![2, 3, 1]);
    let listed = db.list_polls(&all).await.unwrap();
    assert_eq!(
        listed[2].results.len(),
        2,
        "without filter every result set is there"
    );
    assert_eq!(listed[1].sponsors, vec!["Hankook Ilbo"]);

    // Questions: only the selected result sets are kept.
    let gsomia = PollFilter {
        questions: vec!["kr-gsomia".into()],
        ..Default::default()
    };
    let polls = db.list_polls(&gsomia).await.unwrap();
    assert_eq!(
        polls.iter().filter_map(|p| p.id).collect::<Vec<_>>(),
        vec![2, 1]
    );
    assert_eq!(polls[1].results.len(), 1);
    assert_eq!(polls[1].results[0].question, "kr-gsomia");
    let both = PollFilter {
        questions: vec!["kr-gsomia".into(), "kr-moon".into()],
        ..Default::default()
    };
    assert_eq!(list_ids(db, &both).await, vec![2, 3, 1]);
    let unknown = PollFilter {
        questions: vec!["kr-unknown".into()],
        ..Default::default()
    };
    assert!(list_ids(db, &unknown).await.is_empty());

    // Pollsters: by name in any case, by alias; an unknown name matches nothing.
    let by_name = |names: &[&str]| PollFilter {
        pollsters: names.iter().map(|n| n.to_string()).collect(),
        ..Default::default()
    };
    assert_eq!(list_ids(db, &by_name(&[" gallup korea"])).await, vec![2, 3]);
    db.add_pollster_alias("RM", "Realmeter").await.unwrap();
    assert_eq!(list_ids(db, &by_name(&["rm"])).await, vec![1]);
    assert_eq!(
        list_ids(db, &by_name(&["RM", "Gallup Korea"])).await,
        vec![2, 3, 1]
    );
    assert!(list_ids(db, &by_name(&["Nobody"])).await.is_empty());

    // Dates: the field midpoint when there are field dates, else the publication date.
    let between = |since: Option<&str>, until: Option<&str>| PollFilter {
        since: since.map(d),
        until: until.map(d),
        ..Default::default()
    };
    assert_eq!(
        list_ids(db, &between(Some("2016-11-16"), Some("2016-11-16"))).await,
        vec![2]
    );
    assert!(
        list_ids(db, &between(Some("2016-11-17"), Some("2016-11-18")))
            .await
            .is_empty(),
        "the publication date of a poll with field dates does not count"
    );
    assert_eq!(
        list_ids(db, &between(Some("2019-08-21"), Some("2019-08-21"))).await,
        vec![3]
    );
    assert_eq!(
        list_ids(db, &between(Some("2019-08-22"), None)).await,
        vec![1]
    );
    assert_eq!(
        list_ids(db, &between(None, Some("2019-08-21"))).await,
        vec![2, 3]
    );
    assert!(
        list_ids(db, &between(Some("2019-08-23"), None))
            .await
            .is_empty()
    );

    // Population: case-insensitive and trimmed; only that population's result sets are kept.
    let lv = PollFilter {
        population: Some(" LV ".into()),
        ..Default::default()
    };
    let polls = db.list_polls(&lv).await.unwrap();
    assert_eq!(polls.len(), 1);
    assert_eq!(polls[0].id, Some(1));
    assert_eq!(polls[0].results.len(), 1);
    assert_eq!(polls[0].results[0].population, "lv");
    let adults = PollFilter {
        population: Some("a".into()),
        ..Default::default()
    };
    let polls = db.list_polls(&adults).await.unwrap();
    assert_eq!(
        polls.iter().filter_map(|p| p.id).collect::<Vec<_>>(),
        vec![2, 3, 1]
    );
    assert_eq!(polls[2].results.len(), 1);
    assert_eq!(polls[2].results[0].question, "kr-moon");

    // Filters combine.
    let combined = PollFilter {
        questions: vec!["kr-moon".into()],
        pollsters: vec!["Gallup Korea".into()],
        since: Some(d("2019-01-01")),
        until: Some(d("2019-12-31")),
        population: Some("a".into()),
        ..Default::default()
    };
    assert_eq!(list_ids(db, &combined).await, vec![3]);
}

pub(crate) async fn an_edit_that_copies_another_poll_is_refused_as_a_duplicate(db: &impl Store) {
    db.add_poll(&poll("Gallup Korea", "kr-gsomia", "2016-11-18"), false)
        .await
        .unwrap();
    db.add_poll(&poll("Realmeter", "kr-gsomia", "2016-11-18"), false)
        .await
        .unwrap();
    let add_refused = db
        .add_poll(&poll("gallup korea", "kr-gsomia", "2016-11-18"), false)
        .await
        .unwrap_err();
    let mut copy = db.get_poll(2).await.unwrap();
    copy.pollster = "Gallup Korea".into();
    let edit_refused = db.update_poll(2, &copy).await.unwrap_err();
    assert_eq!(edit_refused.kind(), crate::error::ErrorKind::Conflict);
    assert_eq!(edit_refused.to_string(), add_refused.to_string());
    assert_eq!(db.get_poll(2).await.unwrap().pollster, "Realmeter");
    // On purpose it may; after that, other edits of the copy go through.
    db.edit_poll(2, &copy, true).await.unwrap();
    // Read again: an edit of the copy read before the last one would be refused.
    let mut copy = db.get_poll(2).await.unwrap();
    copy.notes = Some("reported twice".into());
    db.update_poll(2, &copy).await.unwrap();
}

pub(crate) async fn an_edit_of_a_poll_changed_since_it_was_read_is_refused(db: &impl Store) {
    db.add_poll(&poll("Gallup Korea", "kr-gsomia", "2016-11-18"), false)
        .await
        .unwrap();
    let mut mine = db.get_poll(1).await.unwrap();
    let mut theirs = db.get_poll(1).await.unwrap();
    // Timestamps have one-second resolution: let the clock move on.
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    theirs.notes = Some("checked with the pollster".into());
    db.update_poll(1, &theirs).await.unwrap();
    let stored = db.get_poll(1).await.unwrap();

    // Written from what was read before that change: refused, whatever it changes.
    mine.mode = Some("Online".into());
    let refused = db.edit_poll(1, &mine, true).await;
    let when = stored.updated_at.clone().unwrap();
    assert_error(
        refused,
        ErrorKind::Conflict,
        &[
            "poll 1",
            "changed since it was read",
            &when,
            "read it again",
        ],
    );
    assert_eq!(db.get_poll(1).await.unwrap(), stored, "nothing changed");
    assert_eq!(db.history(Some(1)).await.unwrap().len(), 1);

    // Read again, the edit goes through and keeps the other change.
    let mut mine = db.get_poll(1).await.unwrap();
    mine.mode = Some("Online".into());
    db.update_poll(1, &mine).await.unwrap();
    let now = db.get_poll(1).await.unwrap();
    assert_eq!(now.mode.as_deref(), Some("Online"));
    assert_eq!(now.notes.as_deref(), Some("checked with the pollster"));

    // A poll not read from the store (no updated_at) is not checked.
    let mut unread = now.clone();
    unread.updated_at = None;
    unread.region = Some("KR".into());
    db.update_poll(1, &unread).await.unwrap();
    assert_eq!(db.get_poll(1).await.unwrap().region.as_deref(), Some("KR"));
}

pub(crate) async fn new_ids_never_overflow_past_the_largest(db: &impl Store) {
    let mut importer = db.importer(crate::db::OnConflict::Refuse).await.unwrap();
    let largest = crate::model::MAX_POLL_ID;
    let outcomes = importer
        .add(vec![(
            poll("Ipsos", "kr-gsomia", "2016-11-18"),
            Some(largest),
        )])
        .await
        .unwrap();
    assert_eq!(outcomes, vec![crate::db::Outcome::Added(largest)]);
    importer.commit().await.unwrap();
    let outcome = db
        .add_poll(&poll("Realmeter", "kr-gsomia", "2016-11-18"), false)
        .await
        .unwrap();
    assert_eq!(outcome.id, 1);
}
