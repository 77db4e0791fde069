//! The contract: Reading a question's series for a trend.

#![allow(unused_imports)]

use super::*;

pub(crate) async fn poll_results_match_the_polls_stored_under_every_filter(db: &impl Store) {
    // Enough for the whole of "big" to be read in two halves (20,000 result sets or more),
    // while date-filtered reads of it and "small" are read in one.
    let mut polls = mixed_polls(20_000);
    let (ids, _) = db.insert_polls(&polls).await.expect("insert");
    // Stored polls carry their creation timestamp, which a poll without a publication day is
    // known from; the polls inserted at once share one.
    let stamp = db.get_poll(ids[0]).await.expect("get").created_at;
    assert!(stamp.is_some());
    for poll in &mut polls {
        poll.created_at = stamp.clone();
    }
    assert!(polls.iter().any(|p| p.published_on.is_none()));
    let filters = [
        ("big", vec![], vec![], None, None, None),
        ("small", vec![], vec![], None, None, None),
        (
            "big",
            vec!["pollster 1", "Pollster 3"],
            vec![],
            Some("2011-01-01"),
            None,
            None,
        ),
        (
            "big",
            vec![],
            vec!["Pollster 0"],
            None,
            Some("2012-06-30"),
            Some("LV"),
        ),
        (
            "small",
            vec![],
            vec![],
            Some("2010-03-01"),
            Some("2013-01-01"),
            Some("rv"),
        ),
        ("big", vec![], vec![], None, None, Some("nobody")),
    ];
    for (question, pollsters, excluded, since, until, population) in filters {
        let filter = crate::db::SeriesFilter {
            question: question.into(),
            pollsters: pollsters.iter().map(|p| p.to_string()).collect(),
            exclude_pollsters: excluded.iter().map(|p| p.to_string()).collect(),
            since: since.map(d),
            until: until.map(d),
            population: population.map(str::to_string),
        };
        let key = |name: &str| name.to_lowercase();
        let mut expected: Vec<PollResult> = polls
            .iter()
            .zip(&ids)
            .flat_map(|(poll, &id)| PollResult::from_poll(poll, id, question))
            .filter(|r| {
                (pollsters.is_empty() || pollsters.iter().any(|p| key(p) == key(&r.pollster)))
                    && !excluded.iter().any(|p| key(p) == key(&r.pollster))
                    && since.is_none_or(|s| r.date >= d(s))
                    && until.is_none_or(|u| r.date <= d(u))
                    && population.is_none_or(|p| key(p) == key(&r.population))
            })
            .collect();
        let mut read = db.poll_results(&filter).await.expect("read");
        for results in [&mut expected, &mut read] {
            results.sort_by(|a, b| {
                (a.date, a.poll_id, &a.population).cmp(&(b.date, b.poll_id, &b.population))
            });
            for result in results.iter_mut() {
                result.answers.sort_by(|a, b| a.0.cmp(&b.0));
            }
        }
        assert_eq!(read.len(), expected.len(), "{filter:?}");
        assert_eq!(read, expected, "{filter:?}");
        if population != Some("nobody") {
            assert!(!read.is_empty(), "{filter:?} chooses some result sets");
        }
    }
}

/// The fast read of a series against the plain one: the same result sets as the polls listed
/// for the question, read back through [`PollResult::from_poll`].
pub(crate) async fn poll_results_agree_with_the_polls_listed(db: &impl Store) {
    let polls = mixed_polls(3_000);
    db.insert_polls(&polls).await.expect("insert");
    for question in ["big", "small", "other"] {
        let listed = db
            .list_polls(&PollFilter {
                questions: vec![question.into()],
                ..Default::default()
            })
            .await
            .expect("list");
        let mut expected: Vec<PollResult> = listed
            .iter()
            .flat_map(|p| PollResult::from_poll(p, 0, question))
            .collect();
        let mut read = db
            .poll_results(&crate::db::SeriesFilter {
                question: question.into(),
                ..Default::default()
            })
            .await
            .expect("read");
        for results in [&mut expected, &mut read] {
            results.sort_by(|a, b| (a.poll_id, &a.population).cmp(&(b.poll_id, &b.population)));
            for result in results.iter_mut() {
                result.answers.sort_by(|a, b| a.0.cmp(&b.0));
            }
        }
        assert!(!read.is_empty(), "{question}");
        assert_eq!(read, expected, "{question}");
    }
}
