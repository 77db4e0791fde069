//! The contract: Questions.

#![allow(unused_imports)]

use super::*;

pub(crate) async fn list_questions_counts_polls_and_date_spans(db: &impl Store) {
    assert!(db.list_questions().await.unwrap().is_empty());
    add_three(db).await;
    let questions = db.list_questions().await.unwrap();
    assert_eq!(questions.len(), 2);
    let gsomia = &questions[0];
    assert_eq!(gsomia.slug, "kr-gsomia");
    assert_eq!(gsomia.wording, "Wording of kr-gsomia");
    assert_eq!(gsomia.topic, None);
    assert_eq!(gsomia.polls, 2);
    assert_eq!(gsomia.first_date, Some(d("2016-11-16")));
    assert_eq!(gsomia.last_date, Some(d("2019-08-22")));
    let moon = &questions[1];
    assert_eq!(moon.slug, "kr-moon");
    assert_eq!(moon.polls, 2);
    assert_eq!(moon.first_date, Some(d("2019-08-21")));
    assert_eq!(moon.last_date, Some(d("2019-08-22")));

    // A poll with two populations of one question counts once.
    db.add_results(
        2,
        vec![result("kr-gsomia", "lv", &[("Oppose", 60.0)])],
        vec![],
    )
    .await
    .unwrap();
    assert_eq!(db.list_questions().await.unwrap()[0].polls, 2);
}

pub(crate) async fn get_question_gives_populations_answers_and_pollsters(db: &impl Store) {
    add_three(db).await;
    db.add_poll(
        &Poll {
            results: vec![result(
                "kr-gsomia",
                "a",
                &[("oppose", 55.0), ("Unsure", 9.0)],
            )],
            ..poll("Realmeter", "kr-gsomia", "2019-09-01")
        },
        false,
    )
    .await
    .unwrap();
    let detail = db.get_question("kr-gsomia").await.unwrap();
    assert_eq!(detail.question.slug, "kr-gsomia");
    assert_eq!(detail.question.wording, "Wording of kr-gsomia");
    assert_eq!(detail.question.polls, 3);
    assert_eq!(detail.question.first_date, Some(d("2016-11-16")));
    assert_eq!(detail.question.last_date, Some(d("2019-09-01")));
    assert_eq!(
        detail.populations,
        vec![("a".to_string(), 2), ("lv".to_string(), 1)]
    );
    // Labels are counted whatever their case.
    assert_eq!(
        detail.answers,
        vec![
            ("Oppose".to_string(), 3),
            ("Support".to_string(), 2),
            ("Unsure".to_string(), 1),
        ]
    );
    assert_eq!(detail.pollsters, 2);

    assert_error(
        db.get_question("kr-nothing").await,
        ErrorKind::NotFound,
        &["there is no question kr-nothing", "ListQuestions"],
    );
}

pub(crate) async fn rename_question_changes_slug_wording_and_topic(db: &impl Store) {
    add_three(db).await;
    db.rename_question(
        "kr-gsomia",
        " kr-gsomia-2016 ",
        Some(" New wording "),
        Some("defence"),
    )
    .await
    .unwrap();
    assert_error(
        db.get_question("kr-gsomia").await,
        ErrorKind::NotFound,
        &["no question kr-gsomia"],
    );
    let renamed = db.get_question("kr-gsomia-2016").await.unwrap();
    assert_eq!(renamed.question.wording, "New wording");
    assert_eq!(renamed.question.topic.as_deref(), Some("defence"));
    assert_eq!(renamed.question.polls, 2);
    assert_eq!(
        db.get_poll(2).await.unwrap().results[0].question,
        "kr-gsomia-2016"
    );
    let filter = PollFilter {
        questions: vec!["kr-gsomia-2016".into()],
        ..Default::default()
    };
    assert_eq!(list_ids(db, &filter).await, vec![2, 1]);

    // Keeping the slug, only the topic changes; the wording stays when not given.
    db.rename_question("kr-moon", "kr-moon", None, Some("approval"))
        .await
        .unwrap();
    let moon = db.get_question("kr-moon").await.unwrap().question;
    assert_eq!(moon.topic.as_deref(), Some("approval"));
    assert_eq!(moon.wording, "Wording of kr-moon");

    assert_error(
        db.rename_question("kr-moon", "kr-gsomia-2016", None, None)
            .await,
        ErrorKind::Conflict,
        &["question kr-gsomia-2016 exists already"],
    );
    assert_error(
        db.rename_question("kr-moon", "kr moon", None, None).await,
        ErrorKind::Invalid,
        &["\"kr moon\" must be a short key without spaces"],
    );
    assert_error(
        db.rename_question("kr-moon", "  ", None, None).await,
        ErrorKind::Invalid,
        &["must be a short key"],
    );
    assert_error(
        db.rename_question("kr-moon", "kr-moon", Some(" "), None)
            .await,
        ErrorKind::Invalid,
        &["the wording is empty"],
    );
    assert_error(
        db.rename_question("kr-nothing", "kr-else", None, None)
            .await,
        ErrorKind::NotFound,
        &["there is no question kr-nothing"],
    );
    let slugs: Vec<String> = db
        .list_questions()
        .await
        .unwrap()
        .into_iter()
        .map(|q| q.slug)
        .collect();
    assert_eq!(slugs, vec!["kr-gsomia-2016", "kr-moon"]);
}

pub(crate) async fn answer_order_is_first_appearance_over_all_polls(db: &impl Store) {
    add_three(db).await;
    // Recorded after, but polled before all: its answers come first.
    let mut early = poll("Gallup Korea", "kr-gsomia", "2015-01-01");
    early.results = vec![result(
        "kr-gsomia",
        "a",
        &[("Unsure", 20.0), ("support", 30.0)],
    )];
    db.add_poll(&early, false).await.unwrap();
    let order = |wanted: &[&str]| {
        let wanted: Vec<String> = wanted.iter().map(|w| w.to_string()).collect();
        async move { db.answer_order("kr-gsomia", &wanted).await.unwrap() }
    };
    assert_eq!(order(&[]).await, vec!["Unsure", "support", "Oppose"]);
    assert_eq!(
        order(&["oppose"]).await,
        vec!["Unsure", "support", "Oppose"]
    );
    assert_eq!(
        order(&["nothing"]).await,
        vec!["Unsure", "support", "Oppose"]
    );
    // Reading may stop once the answers wanted are seen; those before them are there.
    assert_eq!(order(&["SUPPORT"]).await[..2], ["Unsure", "support"]);
    assert_eq!(
        db.answer_order("kr-moon", &[]).await.unwrap(),
        vec!["Approve", "Disapprove"]
    );
    assert!(db.answer_order("kr-nothing", &[]).await.unwrap().is_empty());
    // Over many pages of result sets, the order is still by date.
    let mut many: Vec<Poll> = (0..300)
        .map(|i| {
            let mut p = poll("Realmeter", "kr-moon", "2020-01-01");
            p.published_on = Some(d("2020-01-01") + chrono::Duration::days(i));
            p.results = vec![result("kr-moon", "a", &[("Approve", 40.0)])];
            p
        })
        .collect();
    many[299].results = vec![result("kr-moon", "a", &[("Late", 1.0)])];
    many[150].results = vec![result("kr-moon", "a", &[("Middle", 1.0)])];
    db.insert_polls(&many).await.unwrap();
    assert_eq!(
        db.answer_order("kr-moon", &["late".into()]).await.unwrap(),
        vec!["Approve", "Disapprove", "Middle", "Late"]
    );
}

pub(crate) async fn answer_colours_are_kept_by_answer_ignoring_case(db: &impl Store) {
    add_three(db).await;
    assert!(db.answer_colours("kr-gsomia").await.unwrap().is_empty());
    let red = Rgb(0xE3, 0x00, 0x0F);
    let black = Rgb(0, 0, 0);
    db.set_answer_colours(
        "kr-gsomia",
        &[
            ("oppose".into(), Some(black)),
            ("Support".into(), Some(red)),
        ],
    )
    .await
    .unwrap();
    // The same answer in another case replaces it, written as last given.
    db.set_answer_colours("kr-gsomia", &[("Oppose".into(), Some(red))])
        .await
        .unwrap();
    assert_eq!(
        db.answer_colours("kr-gsomia").await.unwrap(),
        vec![("Oppose".to_string(), red), ("Support".to_string(), red)]
    );
    // Kept with the question, through a rename; other questions have their own.
    db.rename_question("kr-gsomia", "gsomia", None, None)
        .await
        .unwrap();
    assert_eq!(db.answer_colours("gsomia").await.unwrap().len(), 2);
    assert!(db.answer_colours("kr-moon").await.unwrap().is_empty());
    // Forgotten, in any case; the other stays.
    db.set_answer_colours("gsomia", &[("SUPPORT".into(), None)])
        .await
        .unwrap();
    assert_eq!(
        db.answer_colours("gsomia").await.unwrap(),
        vec![("Oppose".to_string(), red)]
    );
    assert_error(
        db.set_answer_colours("kr-nothing", &[("Yes".into(), Some(red))])
            .await,
        ErrorKind::NotFound,
        &["there is no question kr-nothing"],
    );
    assert_error(
        db.answer_colours("kr-nothing").await,
        ErrorKind::NotFound,
        &["there is no question kr-nothing"],
    );
}
