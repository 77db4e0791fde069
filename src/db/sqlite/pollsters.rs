//! Pollsters, their aliases, and sponsors. Names match case-insensitively, trimmed, through
//! aliases too.

use super::polls::record_changes;
use super::record::record_pollster_change;
use super::{SqliteStore, Tx, commit, db_err};
use crate::db::shared::pollsters::{self as shared, SamePoll};
use crate::db::{Merged, PollsterStore, Renamed};
use crate::error::{Error, Result};
use crate::model::{Pollster, name_key};
use sqlx::sqlite::SqliteConnection;

/// The pollster a name or alias stands for.
pub(super) async fn find(conn: &mut SqliteConnection, name: &str) -> Result<Option<i64>> {
    sqlx::query_scalar(
        "SELECT id FROM pollster WHERE key = $1
         UNION ALL SELECT pollster_id FROM pollster_alias WHERE key = $1
         LIMIT 1",
    )
    .bind(name_key(name))
    .fetch_optional(conn)
    .await
    .map_err(db_err)
}

/// The stored spelling of the pollster a name or alias stands for.
pub(super) async fn canonical(conn: &mut SqliteConnection, name: &str) -> Result<Option<String>> {
    let Some(id) = find(conn, name).await? else {
        return Ok(None);
    };
    sqlx::query_scalar("SELECT name FROM pollster WHERE id = $1")
        .bind(id)
        .fetch_optional(conn)
        .await
        .map_err(db_err)
}

pub(super) async fn find_or_create(conn: &mut SqliteConnection, name: &str) -> Result<i64> {
    if let Some(id) = find(conn, name).await? {
        return Ok(id);
    }
    sqlx::query_scalar("INSERT INTO pollster (name, key) VALUES ($1, $2) RETURNING id")
        .bind(name.trim())
        .bind(name_key(name))
        .fetch_one(conn)
        .await
        .map_err(db_err)
}

pub(super) async fn sponsor_find_or_create(conn: &mut SqliteConnection, name: &str) -> Result<i64> {
    let found: Option<i64> = sqlx::query_scalar("SELECT id FROM sponsor WHERE key = $1")
        .bind(name_key(name))
        .fetch_optional(&mut *conn)
        .await
        .map_err(db_err)?;
    match found {
        Some(id) => Ok(id),
        None => sqlx::query_scalar("INSERT INTO sponsor (name, key) VALUES ($1, $2) RETURNING id")
            .bind(name.trim())
            .bind(name_key(name))
            .fetch_one(conn)
            .await
            .map_err(db_err),
    }
}

pub(super) async fn require(conn: &mut SqliteConnection, name: &str) -> Result<(i64, String)> {
    let Some(id) = find(conn, name).await? else {
        return Err(shared::no_pollster(name));
    };
    let canonical: String = sqlx::query_scalar("SELECT name FROM pollster WHERE id = $1")
        .bind(id)
        .fetch_one(conn)
        .await
        .map_err(db_err)?;
    Ok((id, canonical))
}

impl PollsterStore for SqliteStore {
    /// Every pollster with its aliases, number of polls and date span, by name.
    async fn list_pollsters(&self) -> Result<Vec<Pollster>> {
        let rows: Vec<PollsterRow> = sqlx::query_as(
            "SELECT pr.name,
                    (SELECT json_group_array(alias) FROM
                        (SELECT alias FROM pollster_alias WHERE pollster_id = pr.id ORDER BY key))
                    AS aliases,
                    count(p.id) AS polls, min(p.poll_date) AS first_date,
                    max(p.poll_date) AS last_date
               FROM pollster pr LEFT JOIN poll p ON p.pollster_id = pr.id
              GROUP BY pr.id ORDER BY pr.key",
        )
        .fetch_all(&self.pool)
        .await
        .map_err(|e| self.err(e))?;
        rows.into_iter()
            .map(|row| {
                Ok(Pollster {
                    name: row.name,
                    aliases: serde_json::from_str(&row.aliases)
                        .map_err(|e| Error::storage(e.to_string(), e))?,
                    polls: row.polls,
                    first_date: row.first_date,
                    last_date: row.last_date,
                })
            })
            .collect()
    }

    /// Makes `alias` another spelling of the pollster `name`. Returns the pollster's name.
    async fn add_pollster_alias(&self, alias: &str, name: &str) -> Result<String> {
        let alias = shared::checked_alias(alias)?;
        let mut tx = self.write().await?;
        let (id, canonical) = require(&mut tx, name).await?;
        if let Some(other) = find(&mut tx, alias).await? {
            if other == id {
                return Err(shared::alias_taken(alias, canonical, None));
            }
            let (_, other_name) = require(&mut tx, alias).await?;
            return Err(shared::alias_taken(alias, canonical, Some(other_name)));
        }
        sqlx::query("INSERT INTO pollster_alias (key, alias, pollster_id) VALUES ($1, $2, $3)")
            .bind(name_key(alias))
            .bind(alias)
            .bind(id)
            .execute(&mut *tx)
            .await
            .map_err(|e| self.err(e))?;
        let change = [("alias".to_string(), None, Some(alias.to_string()))];
        record_pollster_change(&mut tx, id, "alias", &change).await?;
        commit(self, tx).await?;
        Ok(canonical)
    }

    /// As [`PollsterStore::merge_pollsters`]. A poll of `from` with the same dates as a poll of `into` and
    /// a question asked of the same population (what `add` refuses as a duplicate) would be the
    /// same poll twice: without `combine` every such pair is named in a conflict and nothing
    /// changes; with it, each pair becomes one poll, the one of `into` (see [`combine_polls`]).
    async fn merge_pollsters_with(&self, from: &str, into: &str, combine: bool) -> Result<Merged> {
        let mut tx = self.write().await?;
        let (from_id, from_name) = require(&mut tx, from).await?;
        if find(&mut tx, into).await?.is_none() {
            // Merging into a name not stored yet is the right spelling arriving: a rename.
            rename(&mut tx, from_id, &from_name, into, true).await?;
            let moved: i64 = sqlx::query_scalar("SELECT count(*) FROM poll WHERE pollster_id = $1")
                .bind(from_id)
                .fetch_one(&mut *tx)
                .await
                .map_err(|e| self.err(e))?;
            commit(self, tx).await?;
            return Ok(Merged {
                moved: moved as u64,
                combined: Vec::new(),
                renamed: true,
            });
        }
        let (into_id, into_name) = require(&mut tx, into).await?;
        if from_id == into_id {
            return Err(shared::same_pollster(from, into, &into_name));
        }
        let pairs = same_polls(&mut tx, from_id, into_id).await?;
        if !pairs.is_empty() && !combine {
            return Err(shared::would_repeat(&from_name, &into_name, &pairs));
        }
        let moved: Vec<i64> =
            sqlx::query_scalar("SELECT id FROM poll WHERE pollster_id = $1 ORDER BY id")
                .bind(from_id)
                .fetch_all(&mut *tx)
                .await
                .map_err(|e| self.err(e))?;
        sqlx::query("UPDATE poll SET pollster_id = $1, updated_at = $2 WHERE pollster_id = $3")
            .bind(into_id)
            .bind(super::now())
            .bind(from_id)
            .execute(&mut *tx)
            .await
            .map_err(|e| self.err(e))?;
        let change = [(
            "pollster".to_string(),
            Some(from_name.clone()),
            Some(into_name),
        )];
        for poll_id in &moved {
            record_changes(&mut tx, *poll_id, "edit", &change).await?;
        }
        record_pollster_change(&mut tx, into_id, "merge", &change).await?;
        sqlx::query("UPDATE pollster_alias SET pollster_id = $1 WHERE pollster_id = $2")
            .bind(into_id)
            .bind(from_id)
            .execute(&mut *tx)
            .await
            .map_err(|e| self.err(e))?;
        sqlx::query("DELETE FROM pollster WHERE id = $1")
            .bind(from_id)
            .execute(&mut *tx)
            .await
            .map_err(|e| self.err(e))?;
        sqlx::query("INSERT INTO pollster_alias (key, alias, pollster_id) VALUES ($1, $2, $3)")
            .bind(name_key(&from_name))
            .bind(from_name)
            .bind(into_id)
            .execute(&mut *tx)
            .await
            .map_err(|e| self.err(e))?;
        let mut combined = Vec::with_capacity(pairs.len());
        for pair in &pairs {
            combine_polls(&mut tx, pair.removed, pair.kept).await?;
            combined.push((pair.removed, pair.kept));
        }
        commit(self, tx).await?;
        Ok(Merged {
            moved: moved.len() as u64 - combined.len() as u64,
            combined,
            renamed: false,
        })
    }

    async fn rename_pollster(&self, old: &str, new: &str, keep_alias: bool) -> Result<Renamed> {
        let mut tx = self.write().await?;
        let (id, name) = require(&mut tx, old).await?;
        let renamed = rename(&mut tx, id, &name, new, keep_alias).await?;
        commit(self, tx).await?;
        Ok(renamed)
    }

    async fn pollster_spellings(&self) -> Result<Vec<(String, String)>> {
        sqlx::query_as(
            "SELECT name, name, key FROM pollster
             UNION ALL
             SELECT a.alias, p.name, a.key FROM pollster_alias a
               JOIN pollster p ON p.id = a.pollster_id
             ORDER BY 3",
        )
        .fetch_all(&self.pool)
        .await
        .map(|rows: Vec<(String, String, String)>| {
            rows.into_iter()
                .map(|(spelling, name, _)| (spelling, name))
                .collect()
        })
        .map_err(|e| self.err(e))
    }

    async fn prune_pollsters(&self) -> Result<Vec<String>> {
        let mut tx = self.write().await?;
        let empty: Vec<(i64, String)> = sqlx::query_as(
            "SELECT id, name FROM pollster
              WHERE NOT EXISTS (SELECT 1 FROM poll WHERE poll.pollster_id = pollster.id)
              ORDER BY key",
        )
        .fetch_all(&mut *tx)
        .await
        .map_err(|e| self.err(e))?;
        for (id, name) in &empty {
            // Recorded before the row goes, so the history names what was removed.
            let change = [("pollster".to_string(), Some(name.clone()), None)];
            record_pollster_change(&mut tx, *id, "remove", &change).await?;
            // Aliases go with their pollster (ON DELETE CASCADE).
            sqlx::query("DELETE FROM pollster WHERE id = $1")
                .bind(id)
                .execute(&mut *tx)
                .await
                .map_err(|e| self.err(e))?;
        }
        commit(self, tx).await?;
        Ok(empty.into_iter().map(|(_, name)| name).collect())
    }
}

/// Names the pollster `id` (now called `name`) `new`, in `tx`: see
/// [`PollsterStore::rename_pollster`].
async fn rename(tx: &mut Tx, id: i64, name: &str, new: &str, keep_alias: bool) -> Result<Renamed> {
    let new = shared::checked_new_name(name, new)?;
    match find(tx, new).await? {
        Some(other) if other != id => {
            let (_, other_name) = require(tx, new).await?;
            return Err(shared::name_taken(new, name, other_name));
        }
        // One of its own aliases becomes the name shown: it is an alias no more.
        Some(_) => {
            sqlx::query("DELETE FROM pollster_alias WHERE key = $1")
                .bind(name_key(new))
                .execute(&mut **tx)
                .await
                .map_err(db_err)?;
        }
        None => {}
    }
    sqlx::query("UPDATE pollster SET name = $1, key = $2 WHERE id = $3")
        .bind(new)
        .bind(name_key(new))
        .bind(id)
        .execute(&mut **tx)
        .await
        .map_err(db_err)?;
    let alias_kept = shared::alias_kept(name, new, keep_alias);
    record_pollster_change(
        tx,
        id,
        "rename",
        &[("name".into(), Some(name.to_string()), Some(new.to_string()))],
    )
    .await?;
    if alias_kept {
        sqlx::query("INSERT INTO pollster_alias (key, alias, pollster_id) VALUES ($1, $2, $3)")
            .bind(name_key(name))
            .bind(name)
            .bind(id)
            .execute(&mut **tx)
            .await
            .map_err(db_err)?;
    }
    Ok(Renamed {
        old: name.to_string(),
        new: new.to_string(),
        alias_kept,
    })
}

/// The polls of pollster `from` that repeat a poll of `into` by the poll identity rule (the
/// one `add` refuses duplicates and `import` matches stored polls with): same field start,
/// field end and publication date, a question asked of the same population, and sponsors that
/// agree ([`crate::model::sponsors_agree`]). Each is paired with the first such poll of
/// `into`, whose sponsors then include its own: a poll of `into` naming no sponsor is the same
/// poll as one of `from` for Bild or one for Spiegel, not both, as those two are two polls.
async fn same_polls(conn: &mut SqliteConnection, from: i64, into: i64) -> Result<Vec<SamePoll>> {
    let rows: Vec<(i64, i64, String, String, String, String)> = sqlx::query_as(
        "SELECT a.id, b.id, q.slug, ra.population,
                (SELECT json_group_array(s.key) FROM poll_sponsor ps
                   JOIN sponsor s ON s.id = ps.sponsor_id WHERE ps.poll_id = a.id),
                (SELECT json_group_array(s.key) FROM poll_sponsor ps
                   JOIN sponsor s ON s.id = ps.sponsor_id WHERE ps.poll_id = b.id)
           FROM poll a
           JOIN poll b ON b.pollster_id = $2 AND b.field_start IS NOT DISTINCT FROM a.field_start
                AND b.field_end IS NOT DISTINCT FROM a.field_end AND b.published_on IS NOT DISTINCT FROM a.published_on
           JOIN result_set ra ON ra.poll_id = a.id
           JOIN result_set rb ON rb.poll_id = b.id AND rb.question_id = ra.question_id
                AND rb.population = ra.population COLLATE NOCASE
           JOIN question q ON q.id = ra.question_id
          WHERE a.pollster_id = $1
          ORDER BY a.id, b.id, ra.id",
    )
    .bind(from)
    .bind(into)
    .fetch_all(conn)
    .await
    .map_err(db_err)?;
    let keys = |json: &str| -> Result<Vec<String>> {
        serde_json::from_str(json).map_err(|e| Error::storage(e.to_string(), e))
    };
    let candidates = rows
        .into_iter()
        .map(
            |(removed, kept, slug, population, removed_sponsors, sponsors)| {
                Ok((
                    removed,
                    kept,
                    slug,
                    population,
                    keys(&removed_sponsors)?,
                    keys(&sponsors)?,
                ))
            },
        )
        .collect::<Result<Vec<_>>>()?;
    Ok(shared::same_polls(candidates))
}

/// Makes poll `removed` part of poll `kept`, which must be the same poll: the kept poll gains
/// the removed one's sources, the result sets only it has, its sponsors, and any poll detail
/// (mode, region, notes, sample size, margin of error) the kept one lacks, each recorded in
/// the kept poll's history with a `combined` row naming the removed poll. The removed poll is
/// deleted with a full copy in its own history, whose last row names the poll it went into.
/// A question both polls give with other numbers is a conflict: which is right is for the user
/// to say (by editing one of them first).
pub(super) async fn combine_polls(tx: &mut Tx, removed: i64, kept: i64) -> Result<()> {
    let gone = super::polls::load_one(tx, removed).await?;
    let old = super::polls::load_one(tx, kept).await?;
    let new = shared::combined_poll(&gone, &old, removed, kept)?;
    let snapshot = serde_json::to_string(&gone).map_err(|e| Error::storage(e.to_string(), e))?;
    sqlx::query("DELETE FROM poll WHERE id = $1")
        .bind(removed)
        .execute(&mut **tx)
        .await
        .map_err(db_err)?;
    record_changes(
        tx,
        kept,
        "edit",
        &[("combined".into(), None, Some(format!("poll {removed}")))],
    )
    .await?;
    super::polls::rewrite_poll(tx, &old, new).await?;
    // The removed poll's stable ids in its source now name the kept poll.
    sqlx::query("UPDATE source_poll_id SET poll_id = $1 WHERE poll_id = $2")
        .bind(kept)
        .bind(removed)
        .execute(&mut **tx)
        .await
        .map_err(db_err)?;
    record_changes(
        tx,
        removed,
        "delete",
        &[(
            "combined".into(),
            Some(snapshot),
            Some(format!("poll {kept}")),
        )],
    )
    .await?;
    Ok(())
}

/// A pollster as [`PollsterStore::list_pollsters`] reads it; its aliases a JSON array.
#[derive(sqlx::FromRow)]
struct PollsterRow {
    name: String,
    aliases: String,
    polls: i64,
    first_date: Option<chrono::NaiveDate>,
    last_date: Option<chrono::NaiveDate>,
}
