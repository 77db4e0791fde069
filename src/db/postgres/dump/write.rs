//! Writing every table from the model's records, ids kept, one writer per table; the values
//! the schema derives from others (name keys, result sets' poll dates) are made as polltrack
//! makes them. Rows go in as arrays, one `INSERT ... SELECT FROM UNNEST(...)` per table and
//! chunk, so that tens of thousands of polls load in a few statements.

use super::super::db_err;
use crate::db::shared::dump::poll_day;
use crate::error::Result;
use crate::model::dump::{Dump, DumpPoll, DumpPollster, DumpQuestion, DumpResultSet};
use crate::model::{MAX_POLL_ID, name_key};
use chrono::NaiveDate;
use sqlx::PgConnection;

/// Rows bound in one statement: a statement's arrays stay a few megabytes.
const CHUNK: usize = 20_000;

/// Every record, each table after the tables it refers to; then every identity sequence
/// moved past the ids loaded.
pub(super) async fn everything(conn: &mut PgConnection, dump: &Dump) -> Result<()> {
    pollsters(conn, &dump.pollsters).await?;
    sponsors(conn, dump).await?;
    questions(conn, &dump.questions).await?;
    sources(conn, dump).await?;
    for chunk in dump.polls.chunks(CHUNK) {
        polls(conn, chunk).await?;
    }
    poll_keys(conn, dump).await?;
    deleted_results(conn, dump).await?;
    changes(conn, dump).await?;
    sequences(conn).await
}

/// Runs `query` (an INSERT with its arrays bound), mapping its failure.
async fn run<'q>(
    conn: &mut PgConnection,
    query: sqlx::query::Query<'q, sqlx::Postgres, sqlx::postgres::PgArguments>,
) -> Result<()> {
    query.execute(&mut *conn).await.map_err(db_err)?;
    Ok(())
}

/// One column of `rows`.
fn column<R, T>(rows: &[R], value: impl Fn(&R) -> T) -> Vec<T> {
    rows.iter().map(value).collect()
}

async fn pollsters(conn: &mut PgConnection, pollsters: &[DumpPollster]) -> Result<()> {
    for chunk in pollsters.chunks(CHUNK) {
        run(
            conn,
            sqlx::query(
                "INSERT INTO pollster (id, name, key)
                 SELECT * FROM UNNEST($1::bigint[], $2::text[], $3::text[])",
            )
            .bind(column(chunk, |p| p.id))
            .bind(column(chunk, |p| p.name.clone()))
            .bind(column(chunk, |p| name_key(&p.name))),
        )
        .await?;
    }
    let aliases: Vec<(i64, &String)> = pollsters
        .iter()
        .flat_map(|p| p.aliases.iter().map(move |a| (p.id, a)))
        .collect();
    for chunk in aliases.chunks(CHUNK) {
        run(
            conn,
            sqlx::query(
                "INSERT INTO pollster_alias (key, alias, pollster_id)
                 SELECT * FROM UNNEST($1::text[], $2::text[], $3::bigint[])",
            )
            .bind(column(chunk, |(_, a)| name_key(a)))
            .bind(column(chunk, |(_, a)| a.to_string()))
            .bind(column(chunk, |(id, _)| *id)),
        )
        .await?;
    }
    Ok(())
}

async fn sponsors(conn: &mut PgConnection, dump: &Dump) -> Result<()> {
    for chunk in dump.sponsors.chunks(CHUNK) {
        run(
            conn,
            sqlx::query(
                "INSERT INTO sponsor (id, name, key)
                 SELECT * FROM UNNEST($1::bigint[], $2::text[], $3::text[])",
            )
            .bind(column(chunk, |s| s.id))
            .bind(column(chunk, |s| s.name.clone()))
            .bind(column(chunk, |s| name_key(&s.name))),
        )
        .await?;
    }
    Ok(())
}

async fn questions(conn: &mut PgConnection, questions: &[DumpQuestion]) -> Result<()> {
    for chunk in questions.chunks(CHUNK) {
        run(
            conn,
            sqlx::query(
                "INSERT INTO question (id, slug, wording, topic, kind)
                 SELECT * FROM UNNEST($1::bigint[], $2::text[], $3::text[], $4::text[],
                                      $5::text[])",
            )
            .bind(column(chunk, |q| q.id))
            .bind(column(chunk, |q| q.slug.clone()))
            .bind(column(chunk, |q| q.wording.clone()))
            .bind(column(chunk, |q| q.topic.clone()))
            .bind(column(chunk, |q| q.kind.map(|k| k.name().to_string()))),
        )
        .await?;
    }
    let colours: Vec<_> = questions
        .iter()
        .flat_map(|q| q.colours.iter().map(move |c| (q.id, c)))
        .collect();
    for chunk in colours.chunks(CHUNK) {
        run(
            conn,
            sqlx::query(
                "INSERT INTO question_answer_color (question_id, label, color)
                 SELECT * FROM UNNEST($1::bigint[], $2::text[], $3::text[])",
            )
            .bind(column(chunk, |(id, _)| *id))
            .bind(column(chunk, |(_, c)| c.label.clone()))
            .bind(column(chunk, |(_, c)| c.color.clone())),
        )
        .await?;
    }
    Ok(())
}

async fn sources(conn: &mut PgConnection, dump: &Dump) -> Result<()> {
    for chunk in dump.sources.chunks(CHUNK) {
        run(
            conn,
            sqlx::query(
                "INSERT INTO source (id, url, title, outlet, published_on, created_at)
                 SELECT id, url, title, outlet, published_on,
                        created_at::timestamp AT TIME ZONE 'UTC'
                   FROM UNNEST($1::bigint[], $2::text[], $3::text[], $4::text[], $5::date[],
                               $6::text[])
                        AS u(id, url, title, outlet, published_on, created_at)",
            )
            .bind(column(chunk, |s| s.id))
            .bind(column(chunk, |s| s.url.clone()))
            .bind(column(chunk, |s| s.title.clone()))
            .bind(column(chunk, |s| s.outlet.clone()))
            .bind(column(chunk, |s| s.published_on))
            .bind(column(chunk, |s| s.created_at.clone())),
        )
        .await?;
    }
    Ok(())
}

/// Polls with their sponsors, sources and result sets.
async fn polls(conn: &mut PgConnection, polls: &[DumpPoll]) -> Result<()> {
    run(
        conn,
        sqlx::query(
            "INSERT INTO poll (id, pollster_id, field_start, field_end, published_on, mode,
                               region, partisan, tracking, election, notes, created_at,
                               updated_at)
             SELECT id, pollster_id, field_start, field_end, published_on, mode, region,
                    partisan, tracking, election, notes,
                    created_at::timestamp AT TIME ZONE 'UTC',
                    updated_at::timestamp AT TIME ZONE 'UTC'
               FROM UNNEST($1::bigint[], $2::bigint[], $3::date[], $4::date[], $5::date[],
                           $6::text[], $7::text[], $8::boolean[], $9::boolean[],
                           $10::boolean[], $11::text[], $12::text[], $13::text[])
                    AS u(id, pollster_id, field_start, field_end, published_on, mode, region,
                         partisan, tracking, election, notes, created_at, updated_at)",
        )
        .bind(column(polls, |p| p.id))
        .bind(column(polls, |p| p.pollster_id))
        .bind(column(polls, |p| p.field_start))
        .bind(column(polls, |p| p.field_end))
        .bind(column(polls, |p| p.published_on))
        .bind(column(polls, |p| p.mode.clone()))
        .bind(column(polls, |p| p.region.clone()))
        .bind(column(polls, |p| p.partisan))
        .bind(column(polls, |p| p.tracking))
        .bind(column(polls, |p| p.election))
        .bind(column(polls, |p| p.notes.clone()))
        .bind(column(polls, |p| p.created_at.clone()))
        .bind(column(polls, |p| p.updated_at.clone())),
    )
    .await?;
    let sponsors: Vec<(i64, i64, i64)> = polls
        .iter()
        .flat_map(|p| {
            (p.sponsor_ids.iter().enumerate()).map(|(position, s)| (p.id, *s, position as i64))
        })
        .collect();
    run(
        conn,
        sqlx::query(
            "INSERT INTO poll_sponsor (poll_id, sponsor_id, position)
             SELECT * FROM UNNEST($1::bigint[], $2::bigint[], $3::bigint[])",
        )
        .bind(column(&sponsors, |s| s.0))
        .bind(column(&sponsors, |s| s.1))
        .bind(column(&sponsors, |s| s.2)),
    )
    .await?;
    let sources: Vec<(i64, i64)> = polls
        .iter()
        .flat_map(|p| p.source_ids.iter().map(|s| (p.id, *s)))
        .collect();
    run(
        conn,
        sqlx::query(
            "INSERT INTO poll_source (poll_id, source_id)
             SELECT * FROM UNNEST($1::bigint[], $2::bigint[])",
        )
        .bind(column(&sources, |s| s.0))
        .bind(column(&sources, |s| s.1)),
    )
    .await?;
    result_sets(conn, polls).await
}

/// The polls' result sets with their answers and their sources' ids.
async fn result_sets(conn: &mut PgConnection, polls: &[DumpPoll]) -> Result<()> {
    let mut rows: Vec<(i64, NaiveDate, &DumpResultSet)> = Vec::new();
    for p in polls {
        let day = poll_day(p)?;
        rows.extend(p.results.iter().map(|r| (p.id, day, r)));
    }
    run(
        conn,
        sqlx::query(
            "INSERT INTO result_set (id, poll_id, question_id, population, sample_size,
                                     margin_of_error, poll_date)
             SELECT * FROM UNNEST($1::bigint[], $2::bigint[], $3::bigint[], $4::text[],
                                  $5::float8[], $6::float8[], $7::date[])",
        )
        .bind(column(&rows, |(_, _, r)| r.id))
        .bind(column(&rows, |(poll, _, _)| *poll))
        .bind(column(&rows, |(_, _, r)| r.question_id))
        .bind(column(&rows, |(_, _, r)| r.population.clone()))
        .bind(column(&rows, |(_, _, r)| r.sample_size))
        .bind(column(&rows, |(_, _, r)| r.margin_of_error))
        .bind(column(&rows, |(_, day, _)| *day)),
    )
    .await?;
    let results = || rows.iter().map(|(_, _, r)| *r);
    let answers: Vec<(i64, i64, &String, f64)> = results()
        .flat_map(|r| {
            (r.answers.iter().enumerate())
                .map(|(position, a)| (r.id, position as i64, &a.label, a.pct))
        })
        .collect();
    for chunk in answers.chunks(CHUNK) {
        run(
            conn,
            sqlx::query(
                "INSERT INTO answer (result_set_id, position, label, pct)
                 SELECT * FROM UNNEST($1::bigint[], $2::bigint[], $3::text[], $4::float8[])",
            )
            .bind(column(chunk, |a| a.0))
            .bind(column(chunk, |a| a.1))
            .bind(column(chunk, |a| a.2.clone()))
            .bind(column(chunk, |a| a.3)),
        )
        .await?;
    }
    let keys: Vec<(&String, &String, i64)> = results()
        .flat_map(|r| r.keys.iter().map(|k| (&k.scheme, &k.key, r.id)))
        .collect();
    run(
        conn,
        sqlx::query(
            "INSERT INTO source_result_set (scheme, key, result_set_id)
             SELECT * FROM UNNEST($1::text[], $2::text[], $3::bigint[])",
        )
        .bind(column(&keys, |k| k.0.clone()))
        .bind(column(&keys, |k| k.1.clone()))
        .bind(column(&keys, |k| k.2)),
    )
    .await
}

async fn poll_keys(conn: &mut PgConnection, dump: &Dump) -> Result<()> {
    for chunk in dump.poll_keys.chunks(CHUNK) {
        run(
            conn,
            sqlx::query(
                "INSERT INTO source_poll_id (scheme, key, poll_id)
                 SELECT * FROM UNNEST($1::text[], $2::text[], $3::bigint[])",
            )
            .bind(column(chunk, |k| k.scheme.clone()))
            .bind(column(chunk, |k| k.key.clone()))
            .bind(column(chunk, |k| k.poll_id)),
        )
        .await?;
    }
    Ok(())
}

async fn deleted_results(conn: &mut PgConnection, dump: &Dump) -> Result<()> {
    // In the dump's order, which `position` then keeps (it is given as rows are inserted).
    for chunk in dump.deleted_results.chunks(CHUNK) {
        run(
            conn,
            sqlx::query(
                "INSERT INTO deleted_result (poll_id, pollster, field_start, field_end,
                                             published_on, question, population)
                 SELECT poll_id, pollster, field_start::date, field_end::date,
                        published_on::date, question, population
                   FROM UNNEST($1::bigint[], $2::text[], $3::text[], $4::text[], $5::text[],
                               $6::text[], $7::text[])
                        WITH ORDINALITY
                        AS u(poll_id, pollster, field_start, field_end, published_on, question,
                             population, n)
                  ORDER BY n",
            )
            .bind(column(chunk, |d| d.poll_id))
            .bind(column(chunk, |d| d.pollster.clone()))
            .bind(column(chunk, |d| d.field_start.clone()))
            .bind(column(chunk, |d| d.field_end.clone()))
            .bind(column(chunk, |d| d.published_on.clone()))
            .bind(column(chunk, |d| d.question.clone()))
            .bind(column(chunk, |d| d.population.clone())),
        )
        .await?;
    }
    Ok(())
}

async fn changes(conn: &mut PgConnection, dump: &Dump) -> Result<()> {
    for chunk in dump.changes.chunks(CHUNK) {
        run(
            conn,
            sqlx::query(
                "INSERT INTO change (id, subject, poll_id, subject_id, changed_at, action, field,
                                     old_value, new_value, reason, change_set, snapshot)
                 SELECT id, subject, poll_id, subject_id,
                        changed_at::timestamp AT TIME ZONE 'UTC', action, field, old_value,
                        new_value, reason, change_set, snapshot
                   FROM UNNEST($1::bigint[], $2::text[], $3::bigint[], $4::bigint[],
                               $5::text[], $6::text[], $7::text[], $8::text[], $9::text[],
                               $10::text[], $11::bigint[], $12::text[])
                        AS u(id, subject, poll_id, subject_id, changed_at, action, field,
                             old_value, new_value, reason, change_set, snapshot)",
            )
            .bind(column(chunk, |c| c.id))
            .bind(column(chunk, |c| c.subject.clone()))
            .bind(column(chunk, |c| c.poll_id))
            .bind(column(chunk, |c| c.subject_id))
            .bind(column(chunk, |c| c.changed_at.clone()))
            .bind(column(chunk, |c| c.action.clone()))
            .bind(column(chunk, |c| c.field.clone()))
            .bind(column(chunk, |c| c.old_value.clone()))
            .bind(column(chunk, |c| c.new_value.clone()))
            .bind(column(chunk, |c| c.reason.clone()))
            .bind(column(chunk, |c| c.change_set))
            .bind(column(chunk, |c| c.snapshot.clone())),
        )
        .await?;
    }
    Ok(())
}

/// Moves every identity sequence past the ids loaded, so that the next row of each table gets
/// a new id. A poll's comes after every poll id stored or named by the history (a deleted
/// poll's id is never given again), leaving out ids beyond the largest polltrack gives, as
/// SQLite's store does.
async fn sequences(conn: &mut PgConnection) -> Result<()> {
    const TABLES: [&str; 6] = [
        "SELECT setval(pg_get_serial_sequence('pollster', 'id'), max(id))
           FROM pollster HAVING max(id) IS NOT NULL",
        "SELECT setval(pg_get_serial_sequence('sponsor', 'id'), max(id))
           FROM sponsor HAVING max(id) IS NOT NULL",
        "SELECT setval(pg_get_serial_sequence('question', 'id'), max(id))
           FROM question HAVING max(id) IS NOT NULL",
        "SELECT setval(pg_get_serial_sequence('result_set', 'id'), max(id))
           FROM result_set HAVING max(id) IS NOT NULL",
        "SELECT setval(pg_get_serial_sequence('source', 'id'), max(id))
           FROM source HAVING max(id) IS NOT NULL",
        "SELECT setval(pg_get_serial_sequence('change', 'id'), max(id))
           FROM change HAVING max(id) IS NOT NULL",
    ];
    for sql in TABLES {
        sqlx::query(sql).execute(&mut *conn).await.map_err(db_err)?;
    }
    sqlx::query(
        "SELECT setval(pg_get_serial_sequence('poll', 'id'), max(id))
           FROM (SELECT id FROM poll WHERE id <= $1
                 UNION ALL SELECT poll_id FROM change WHERE poll_id <= $1) AS used
         HAVING max(id) IS NOT NULL",
    )
    .bind(MAX_POLL_ID)
    .execute(&mut *conn)
    .await
    .map_err(db_err)?;
    Ok(())
}
