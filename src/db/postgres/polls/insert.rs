//! Writing polls' rows: many polls at once, one insert per table from arrays (`UNNEST`), each
//! poll under an id already chosen. `COPY ... FROM STDIN` was measured in their place: under 5%
//! less of the server's time, which goes mostly to the foreign keys checked row by row and the
//! indexes kept, whichever way the rows come; not worth an encoder of its own.

use crate::db::postgres::{db_err, pollsters, questions, sources};
use crate::error::Result;
use crate::model::{Poll, ResultSet, Source, Warning};
use chrono::NaiveDate;
use sqlx::PgConnection;
use std::collections::HashMap;

/// A poll about to be written under a known id, with its timestamps (`YYYY-MM-DD HH:MM:SS`,
/// UTC).
pub(in crate::db::postgres) struct Stored<'a> {
    pub id: i64,
    pub poll: &'a Poll,
    pub created_at: String,
    pub updated_at: String,
}

/// Writes polls (already [`crate::db::shared::polls::checked`]) and everything they hold, one insert per table from
/// arrays, then moves the poll id sequence past them. Names are resolved to ids (creating
/// pollsters, sponsors, questions and sources that are new) once per distinct name.
pub(in crate::db::postgres) async fn write_polls(
    conn: &mut PgConnection,
    entries: &[Stored<'_>],
) -> Result<Vec<Warning>> {
    if entries.is_empty() {
        return Ok(Vec::new());
    }
    let mut warnings = Vec::new();
    let mut pollster_ids: HashMap<&str, i64> = HashMap::new();
    let mut sponsor_ids: HashMap<&str, i64> = HashMap::new();
    let mut question_ids: HashMap<&str, i64> = HashMap::new();
    let all_sources: Vec<&Source> = entries.iter().flat_map(|e| &e.poll.sources).collect();
    let source_ids = sources::find_or_create_all(conn, &all_sources).await?;

    let mut polls = PollColumns::default();
    let mut sponsor_rows: (Vec<i64>, Vec<i64>, Vec<i64>) = Default::default();
    let mut source_rows: (Vec<i64>, Vec<i64>) = Default::default();
    let mut results = ResultColumns::default();
    for entry in entries {
        let poll = entry.poll;
        let pollster_id = match pollster_ids.get(poll.pollster.as_str()) {
            Some(id) => *id,
            None => {
                let id = pollsters::find_or_create(conn, &poll.pollster).await?;
                *pollster_ids.entry(&poll.pollster).or_insert(id)
            }
        };
        polls.push(entry, pollster_id);
        for (position, name) in poll.sponsors.iter().enumerate() {
            let sponsor_id = match sponsor_ids.get(name.as_str()) {
                Some(id) => *id,
                None => {
                    let id = pollsters::sponsor_find_or_create(conn, name).await?;
                    *sponsor_ids.entry(name).or_insert(id)
                }
            };
            sponsor_rows.0.push(entry.id);
            sponsor_rows.1.push(sponsor_id);
            sponsor_rows.2.push(position as i64);
        }
        for source in &poll.sources {
            if let Some(source_id) = source_ids.get(source) {
                source_rows.0.push(entry.id);
                source_rows.1.push(*source_id);
            }
        }
        for result in &poll.results {
            let question_id = match question_ids.get(result.question.as_str()) {
                Some(id) => *id,
                None => {
                    let (id, warning) = questions::find_or_create(
                        conn,
                        &result.question,
                        result.wording.as_deref(),
                    )
                    .await?;
                    warnings.extend(warning);
                    *question_ids.entry(&result.question).or_insert(id)
                }
            };
            results.push(entry.id, question_id, result);
        }
    }
    polls.insert(conn).await?;
    sqlx::query(
        "INSERT INTO poll_sponsor (poll_id, sponsor_id, position)
         SELECT * FROM UNNEST($1::int8[], $2::int8[], $3::int8[]) ON CONFLICT DO NOTHING",
    )
    .bind(&sponsor_rows.0)
    .bind(&sponsor_rows.1)
    .bind(&sponsor_rows.2)
    .execute(&mut *conn)
    .await
    .map_err(db_err)?;
    sqlx::query(
        "INSERT INTO poll_source (poll_id, source_id)
         SELECT * FROM UNNEST($1::int8[], $2::int8[]) ON CONFLICT DO NOTHING",
    )
    .bind(&source_rows.0)
    .bind(&source_rows.1)
    .execute(&mut *conn)
    .await
    .map_err(db_err)?;
    results.insert(conn).await?;
    Ok(warnings)
}

/// The `poll` rows of [`write_polls`], a column each.
#[derive(Default)]
struct PollColumns {
    id: Vec<i64>,
    pollster_id: Vec<i64>,
    field_start: Vec<Option<NaiveDate>>,
    field_end: Vec<Option<NaiveDate>>,
    published_on: Vec<Option<NaiveDate>>,
    mode: Vec<Option<String>>,
    region: Vec<Option<String>>,
    partisan: Vec<bool>,
    tracking: Vec<bool>,
    election: Vec<bool>,
    notes: Vec<Option<String>>,
    created_at: Vec<String>,
    updated_at: Vec<String>,
}

impl PollColumns {
    fn push(&mut self, entry: &Stored<'_>, pollster_id: i64) {
        let poll = entry.poll;
        self.id.push(entry.id);
        self.pollster_id.push(pollster_id);
        self.field_start.push(poll.field_start);
        self.field_end.push(poll.field_end);
        self.published_on.push(poll.published_on);
        self.mode.push(poll.mode.clone());
        self.region.push(poll.region.clone());
        self.partisan.push(poll.partisan);
        self.tracking.push(poll.tracking);
        self.election.push(poll.election);
        self.notes.push(poll.notes.clone());
        self.created_at.push(entry.created_at.clone());
        self.updated_at.push(entry.updated_at.clone());
    }

    /// Inserts the rows, then moves the id sequence past them (never back), so that a row
    /// inserted by hand without an id does not take one of theirs.
    async fn insert(&self, conn: &mut PgConnection) -> Result<()> {
        sqlx::query(
            "INSERT INTO poll (id, pollster_id, field_start, field_end, published_on, mode, region,
                               partisan, tracking, election, notes, created_at, updated_at)
             SELECT id, pollster_id, field_start, field_end, published_on, mode, region,
                    partisan, tracking, election, notes,
                    created_at::timestamp AT TIME ZONE 'UTC',
                    updated_at::timestamp AT TIME ZONE 'UTC'
               FROM UNNEST($1::int8[], $2::int8[], $3::date[], $4::date[], $5::date[],
                           $6::text[], $7::text[], $8::bool[], $9::bool[], $10::bool[],
                           $11::text[], $12::text[], $13::text[])
                 AS t(id, pollster_id, field_start, field_end, published_on, mode, region,
                      partisan, tracking, election, notes, created_at, updated_at)",
        )
        .bind(&self.id)
        .bind(&self.pollster_id)
        .bind(&self.field_start)
        .bind(&self.field_end)
        .bind(&self.published_on)
        .bind(&self.mode)
        .bind(&self.region)
        .bind(&self.partisan)
        .bind(&self.tracking)
        .bind(&self.election)
        .bind(&self.notes)
        .bind(&self.created_at)
        .bind(&self.updated_at)
        .execute(&mut *conn)
        .await
        .map_err(db_err)?;
        let highest = self.id.iter().copied().max().unwrap_or_default();
        sqlx::query(
            "SELECT setval(s.seq, $1)
               FROM (SELECT pg_get_serial_sequence('poll', 'id')::regclass AS seq) s
              WHERE $1 > coalesce((SELECT q.last_value FROM pg_sequences q
                                    WHERE format('%I.%I', q.schemaname, q.sequencename)::regclass
                                          = s.seq), 0)",
        )
        .bind(highest)
        .execute(&mut *conn)
        .await
        .map_err(db_err)?;
        Ok(())
    }
}

/// The `result_set` and `answer` rows of [`write_polls`], a column each.
#[derive(Default)]
struct ResultColumns {
    poll_id: Vec<i64>,
    question_id: Vec<i64>,
    population: Vec<String>,
    sample_size: Vec<Option<f64>>,
    margin_of_error: Vec<Option<f64>>,
    /// Each answer's result set, by its place in the columns above.
    answer_of: Vec<i64>,
    answer_position: Vec<i64>,
    answer_label: Vec<String>,
    answer_pct: Vec<f64>,
}

impl ResultColumns {
    fn push(&mut self, poll_id: i64, question_id: i64, result: &ResultSet) {
        let place = self.poll_id.len() as i64;
        self.poll_id.push(poll_id);
        self.question_id.push(question_id);
        self.population.push(result.population.clone());
        self.sample_size.push(result.sample_size);
        self.margin_of_error.push(result.margin_of_error);
        for (position, answer) in result.answers.iter().enumerate() {
            self.answer_of.push(place);
            self.answer_position.push(position as i64);
            self.answer_label.push(answer.label.clone());
            self.answer_pct.push(answer.pct);
        }
    }

    /// Inserts the result sets under ids drawn from their sequence in order (so a poll's
    /// result sets keep their order by id), each with its poll's date, then their answers.
    async fn insert(&self, conn: &mut PgConnection) -> Result<()> {
        let ids = draw_ids(conn, "result_set", self.poll_id.len()).await?;
        sqlx::query(
            "INSERT INTO result_set (id, poll_id, question_id, population, sample_size,
                                     margin_of_error, poll_date)
             SELECT t.id, t.poll_id, t.question_id, t.population, t.sample_size,
                    t.margin_of_error, p.poll_date
               FROM UNNEST($1::int8[], $2::int8[], $3::int8[], $4::text[], $5::float8[],
                           $6::float8[])
                 AS t(id, poll_id, question_id, population, sample_size, margin_of_error)
               JOIN poll p ON p.id = t.poll_id",
        )
        .bind(&ids)
        .bind(&self.poll_id)
        .bind(&self.question_id)
        .bind(&self.population)
        .bind(&self.sample_size)
        .bind(&self.margin_of_error)
        .execute(&mut *conn)
        .await
        .map_err(db_err)?;
        let answer_ids: Vec<i64> = self
            .answer_of
            .iter()
            .map(|place| ids[*place as usize])
            .collect();
        sqlx::query(
            "INSERT INTO answer (result_set_id, position, label, pct)
             SELECT * FROM UNNEST($1::int8[], $2::int8[], $3::text[], $4::float8[])",
        )
        .bind(&answer_ids)
        .bind(&self.answer_position)
        .bind(&self.answer_label)
        .bind(&self.answer_pct)
        .execute(&mut *conn)
        .await
        .map_err(db_err)?;
        Ok(())
    }
}

/// `n` new ids of `table`'s identity column, ascending, drawn in one statement: the sequence is
/// moved on by `n` at once (one `nextval` per row cost more than a second per million rows).
/// polltrack's writers draw them under the write lock; a writer outside polltrack drawing an id
/// at the same instant would make an insert fail on the primary key and roll back, never store
/// a row twice.
pub(in crate::db::postgres) async fn draw_ids(
    conn: &mut PgConnection,
    table: &str,
    n: usize,
) -> Result<Vec<i64>> {
    if n == 0 {
        return Ok(Vec::new());
    }
    let n = n as i64;
    let last: i64 = sqlx::query_scalar(
        "SELECT setval(s.seq, nextval(s.seq) + $2 - 1)
           FROM (SELECT pg_get_serial_sequence($1, 'id') AS seq) s",
    )
    .bind(table)
    .bind(n)
    .fetch_one(&mut *conn)
    .await
    .map_err(db_err)?;
    Ok((last - n + 1..=last).collect())
}
