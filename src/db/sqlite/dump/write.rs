//! Writing every table from the model's records, ids kept, one writer per table; the values
//! SQLite derives (name keys, poll dates) are made as polltrack makes them.

use super::super::batch;
use crate::db::shared::dump::poll_day;
use crate::error::Result;
use crate::model::dump::{Dump, DumpPoll, DumpPollster, DumpQuestion};
use crate::model::{format_date, name_key};
use chrono::NaiveDate;
use sqlx::SqliteConnection;

/// Every record, each table after the tables it refers to.
pub(super) async fn everything(conn: &mut SqliteConnection, dump: &Dump) -> Result<()> {
    pollsters(conn, &dump.pollsters).await?;
    sponsors(conn, dump).await?;
    questions(conn, &dump.questions).await?;
    sources(conn, dump).await?;
    polls(conn, &dump.polls).await?;
    poll_keys(conn, dump).await?;
    deleted_results(conn, dump).await?;
    changes(conn, dump).await
}

fn date(day: Option<NaiveDate>) -> Option<String> {
    day.map(format_date)
}

async fn pollsters(conn: &mut SqliteConnection, pollsters: &[DumpPollster]) -> Result<()> {
    let rows: Vec<_> = pollsters
        .iter()
        .map(|p| (p.id, &p.name, name_key(&p.name)))
        .collect();
    batch::insert(conn, "INSERT INTO pollster", &["id", "name", "key"], &rows).await?;
    let aliases: Vec<_> = pollsters
        .iter()
        .flat_map(|p| p.aliases.iter().map(move |a| (name_key(a), a, p.id)))
        .collect();
    let columns = ["key", "alias", "pollster_id"];
    batch::insert(conn, "INSERT INTO pollster_alias", &columns, &aliases).await
}

async fn sponsors(conn: &mut SqliteConnection, dump: &Dump) -> Result<()> {
    let rows: Vec<_> = dump
        .sponsors
        .iter()
        .map(|s| (s.id, &s.name, name_key(&s.name)))
        .collect();
    batch::insert(conn, "INSERT INTO sponsor", &["id", "name", "key"], &rows).await
}

async fn questions(conn: &mut SqliteConnection, questions: &[DumpQuestion]) -> Result<()> {
    let rows: Vec<_> = questions
        .iter()
        .map(|q| {
            (
                q.id,
                &q.slug,
                &q.wording,
                &q.topic,
                q.kind.map(|k| k.name()),
            )
        })
        .collect();
    let columns = ["id", "slug", "wording", "topic", "kind"];
    batch::insert(conn, "INSERT INTO question", &columns, &rows).await?;
    let colours: Vec<_> = questions
        .iter()
        .flat_map(|q| q.colours.iter().map(move |c| (q.id, &c.label, &c.color)))
        .collect();
    let columns = ["question_id", "label", "color"];
    batch::insert(
        conn,
        "INSERT INTO question_answer_color",
        &columns,
        &colours,
    )
    .await
}

async fn sources(conn: &mut SqliteConnection, dump: &Dump) -> Result<()> {
    let rows: Vec<_> = dump
        .sources
        .iter()
        .map(|s| {
            let published_on = date(s.published_on);
            (
                s.id,
                &s.url,
                &s.title,
                &s.outlet,
                published_on,
                &s.created_at,
            )
        })
        .collect();
    let columns = ["id", "url", "title", "outlet", "published_on", "created_at"];
    batch::insert(conn, "INSERT INTO source", &columns, &rows).await
}

async fn polls(conn: &mut SqliteConnection, polls: &[DumpPoll]) -> Result<()> {
    let rows: Vec<_> = polls
        .iter()
        .map(|p| {
            (
                p.id,
                p.pollster_id,
                date(p.field_start),
                date(p.field_end),
                date(p.published_on),
                &p.mode,
                &p.region,
                i64::from(p.partisan),
                i64::from(p.tracking),
                i64::from(p.election),
                &p.notes,
                &p.created_at,
                &p.updated_at,
            )
        })
        .collect();
    #[rustfmt::skip]
    let columns = ["id", "pollster_id", "field_start", "field_end", "published_on", "mode",
        "region", "partisan", "tracking", "election", "notes", "created_at", "updated_at"];
    batch::insert(conn, "INSERT INTO poll", &columns, &rows).await?;
    let sponsors: Vec<_> = polls
        .iter()
        .flat_map(|p| {
            (p.sponsor_ids.iter().enumerate()).map(|(position, s)| (p.id, *s, position as i64))
        })
        .collect();
    let columns = ["poll_id", "sponsor_id", "position"];
    batch::insert(conn, "INSERT INTO poll_sponsor", &columns, &sponsors).await?;
    let sources: Vec<_> = polls
        .iter()
        .flat_map(|p| p.source_ids.iter().map(|s| (p.id, *s)))
        .collect();
    let columns = ["poll_id", "source_id"];
    batch::insert(conn, "INSERT INTO poll_source", &columns, &sources).await?;
    result_sets(conn, polls).await
}

/// The polls' result sets with their answers and their sources' ids.
async fn result_sets(conn: &mut SqliteConnection, polls: &[DumpPoll]) -> Result<()> {
    let mut rows = Vec::new();
    for p in polls {
        let day = format_date(poll_day(p)?);
        for r in &p.results {
            let (population, sample, moe) = (&r.population, r.sample_size, r.margin_of_error);
            rows.push((
                r.id,
                p.id,
                r.question_id,
                population,
                sample,
                moe,
                day.clone(),
            ));
        }
    }
    #[rustfmt::skip]
    let columns = ["id", "poll_id", "question_id", "population", "sample_size",
        "margin_of_error", "poll_date"];
    batch::insert(conn, "INSERT INTO result_set", &columns, &rows).await?;
    let results = || polls.iter().flat_map(|p| &p.results);
    let answers: Vec<_> = results()
        .flat_map(|r| {
            (r.answers.iter().enumerate())
                .map(|(position, a)| (r.id, position as i64, &a.label, a.pct))
        })
        .collect();
    let columns = ["result_set_id", "position", "label", "pct"];
    batch::insert(conn, "INSERT INTO answer", &columns, &answers).await?;
    let keys: Vec<_> = results()
        .flat_map(|r| r.keys.iter().map(|k| (&k.scheme, &k.key, r.id)))
        .collect();
    let columns = ["scheme", "key", "result_set_id"];
    batch::insert(conn, "INSERT INTO source_result_set", &columns, &keys).await
}

async fn poll_keys(conn: &mut SqliteConnection, dump: &Dump) -> Result<()> {
    let rows: Vec<_> = dump
        .poll_keys
        .iter()
        .map(|k| (&k.scheme, &k.key, k.poll_id))
        .collect();
    let columns = ["scheme", "key", "poll_id"];
    batch::insert(conn, "INSERT INTO source_poll_id", &columns, &rows).await
}

async fn deleted_results(conn: &mut SqliteConnection, dump: &Dump) -> Result<()> {
    let rows: Vec<_> = dump
        .deleted_results
        .iter()
        .map(|d| {
            let (start, end, published) = (&d.field_start, &d.field_end, &d.published_on);
            (
                d.poll_id,
                &d.pollster,
                start,
                end,
                published,
                &d.question,
                &d.population,
            )
        })
        .collect();
    #[rustfmt::skip]
    let columns = ["poll_id", "pollster", "field_start", "field_end", "published_on", "question",
        "population"];
    batch::insert(conn, "INSERT INTO deleted_result", &columns, &rows).await
}

async fn changes(conn: &mut SqliteConnection, dump: &Dump) -> Result<()> {
    let rows: Vec<_> = dump
        .changes
        .iter()
        .map(|c| {
            let (old, new) = (&c.old_value, &c.new_value);
            (
                c.id,
                &c.subject,
                c.poll_id,
                c.subject_id,
                &c.changed_at,
                &c.action,
                &c.field,
                old,
                new,
                &c.reason,
                c.change_set,
                &c.snapshot,
            )
        })
        .collect();
    #[rustfmt::skip]
    let columns = ["id", "subject", "poll_id", "subject_id", "changed_at", "action", "field",
        "old_value", "new_value", "reason", "change_set", "snapshot"];
    batch::insert(conn, "INSERT INTO change", &columns, &rows).await
}
