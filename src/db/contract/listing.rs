//! The contract: picking polls to list or delete (region, sponsor, text search, elections,
//! newest first, a limit), and deleting several at once.

#![allow(unused_imports)]

use super::*;
use crate::model::{ListCursor, ListOrder};

/// The ids [`PollStore::list_polls_in_pages`] gives, in its order.
async fn paged_ids(db: &impl Store, filter: &PollFilter, order: ListOrder) -> Vec<i64> {
    let mut ids = Vec::new();
    db.list_polls_in_pages(filter, order, 1, |_, page| {
        ids.extend(page.iter().filter_map(|p| p.id));
        Ok(())
    })
    .await
    .expect("list polls in pages");
    ids
}

pub(crate) async fn list_polls_by_region_sponsor_search_and_elections(db: &impl Store) {
    add_three(db).await;
    let mut election = poll("Nationale Wahlkommission", "kr-moon", "2017-05-09");
    election.election = true;
    election.region = Some("South Korea".into());
    election.sources = vec![Source {
        title: Some("Präsidentschaftswahl: das Ergebnis".into()),
        outlet: Some("Tagesschau".into()),
        ..Default::default()
    }];
    db.add_poll(&election, false).await.unwrap();
    db.add_pollster_alias("GK", "Gallup Korea").await.unwrap();
    let by = |f: fn(&mut PollFilter)| {
        let mut filter = PollFilter::default();
        f(&mut filter);
        filter
    };

    assert_eq!(
        list_ids(db, &by(|f| f.region = Some(" south KOREA ".into()))).await,
        vec![4]
    );
    assert_eq!(
        list_ids(db, &by(|f| f.sponsors = vec!["hankook ilbo".into()])).await,
        vec![3]
    );
    assert!(
        list_ids(db, &by(|f| f.sponsors = vec!["Nobody".into()]))
            .await
            .is_empty()
    );
    assert_eq!(
        list_ids(db, &by(|f| f.elections_only = true)).await,
        vec![4]
    );

    // Search: every word, in any case, in slug, wording, pollster, alias or source.
    let search = |text: &'static str| PollFilter {
        search: Some(text.into()),
        ..Default::default()
    };
    assert_eq!(list_ids(db, &search("GSOMIA")).await, vec![2, 1]);
    assert_eq!(list_ids(db, &search("wording moon")).await, vec![4, 3, 1]);
    assert_eq!(list_ids(db, &search("gk")).await, vec![2, 3], "by alias");
    assert_eq!(list_ids(db, &search("realm")).await, vec![1]);
    assert_eq!(list_ids(db, &search("tagesschau")).await, vec![4]);
    assert_eq!(list_ids(db, &search("präsidentschaftswahl")).await, vec![4]);
    assert!(list_ids(db, &search("gsomia moon")).await.is_empty());
    assert!(list_ids(db, &search("100%_")).await.is_empty());
    // Only the result sets whose question matches, when the question is what matched.
    let polls = db.list_polls(&search("kr-moon")).await.unwrap();
    assert_eq!(polls.last().unwrap().results.len(), 1);
    assert_eq!(polls.last().unwrap().results[0].question, "kr-moon");

    // Order and limit: whole polls, oldest or newest first.
    let all = PollFilter::default();
    let order = |newest_first, limit| ListOrder {
        newest_first,
        limit,
        after: None,
    };
    assert_eq!(
        paged_ids(db, &all, order(false, None)).await,
        vec![2, 4, 3, 1]
    );
    assert_eq!(
        paged_ids(db, &all, order(true, None)).await,
        vec![1, 3, 4, 2]
    );
    assert_eq!(paged_ids(db, &all, order(true, Some(2))).await, vec![1, 3]);
    assert_eq!(paged_ids(db, &all, order(false, Some(1))).await, vec![2]);
    assert_eq!(
        paged_ids(db, &search("gallup"), order(true, Some(5))).await,
        vec![3, 2]
    );

    // Next pages by key: after the last poll of a page, in either order, with the filter.
    let after = |newest_first, limit, id: i64| {
        let polls = db.list_polls(&all);
        async move {
            let poll = polls.await.unwrap().into_iter().find(|p| p.id == Some(id));
            ListOrder {
                newest_first,
                limit,
                after: ListCursor::after(&poll.expect("a stored poll")),
            }
        }
    };
    assert_eq!(
        paged_ids(db, &all, after(false, Some(2), 2).await).await,
        vec![4, 3]
    );
    assert_eq!(
        paged_ids(db, &all, after(false, None, 3).await).await,
        vec![1]
    );
    assert_eq!(
        paged_ids(db, &all, after(true, Some(2), 3).await).await,
        vec![4, 2]
    );
    assert!(
        paged_ids(db, &all, after(true, None, 2).await)
            .await
            .is_empty()
    );
    assert_eq!(
        paged_ids(db, &search("gallup"), after(true, Some(5), 3).await).await,
        vec![2]
    );

    // A listing read a page at a time (walked by date until the page is full) is the whole
    // listing (every match read, then sorted), in either order, with or without a filter.
    for filter in [all.clone(), search("gallup"), search("kr-moon")] {
        for newest_first in [false, true] {
            let whole = paged_ids(db, &filter, order(newest_first, None)).await;
            for limit in [1, 2, 3] {
                let mut pages: Vec<i64> = Vec::new();
                let mut cursor = None;
                loop {
                    let page = ListOrder {
                        newest_first,
                        limit: Some(limit),
                        after: cursor,
                    };
                    let mut polls = Vec::new();
                    db.list_polls_in_pages(&filter, page, 1, |_, p| {
                        polls.extend(p);
                        Ok(())
                    })
                    .await
                    .unwrap();
                    assert!(polls.len() as u64 <= limit);
                    let Some(last) = polls.last() else { break };
                    cursor = ListCursor::after(last);
                    pages.extend(polls.iter().filter_map(|p| p.id));
                }
                assert_eq!(
                    pages, whole,
                    "{filter:?} newest first {newest_first}, {limit}"
                );
            }
        }
    }
}

pub(crate) async fn delete_polls_is_all_or_nothing_and_keeps_each_in_the_history(db: &impl Store) {
    add_three(db).await;
    let (first, third) = (db.get_poll(1).await.unwrap(), db.get_poll(3).await.unwrap());
    assert_error(
        db.delete_polls(&[3, 99, 1]).await,
        ErrorKind::NotFound,
        &["there is no poll 99"],
    );
    assert_eq!(list_ids(db, &PollFilter::default()).await, vec![2, 3, 1]);
    assert!(db.history(None).await.unwrap().is_empty());

    let deleted = db.delete_polls(&[3, 1]).await.unwrap();
    assert_eq!(deleted, vec![third.clone(), first]);
    assert_eq!(list_ids(db, &PollFilter::default()).await, vec![2]);
    let history = db.history(None).await.unwrap();
    let actions: Vec<(Option<i64>, &str, &str)> = history
        .iter()
        .map(|c| (c.poll_id, c.action.as_str(), c.field.as_str()))
        .collect();
    assert_eq!(
        actions,
        vec![(Some(3), "delete", "poll"), (Some(1), "delete", "poll")]
    );
    let snapshot: Poll =
        serde_json::from_str(history[0].old_value.as_deref().expect("a copy")).unwrap();
    assert_eq!(snapshot, third);
    assert!(db.delete_polls(&[]).await.unwrap().is_empty());
}
