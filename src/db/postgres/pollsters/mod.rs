//! Pollsters, their aliases, merging and renaming, and sponsors: the [`PollsterStore`] of
//! [`PgStore`]. Names match case-insensitively, trimmed, through aliases too: on `key`
//! ([`name_key`]), folded by polltrack as SQLite's store folds it.

mod merge;

use super::record::record_pollster_change;
use super::{PgStore, commit, db_err, retrying};
use crate::db::shared::pollsters as shared;
use crate::db::{Merged, PollsterStore, Renamed};
use crate::error::Result;
use crate::model::{Pollster, name_key};
use sqlx::PgConnection;

/// The stored id of the pollster a name or alias stands for.
pub(in crate::db::postgres) async fn find(
    conn: &mut PgConnection,
    name: &str,
) -> Result<Option<i64>> {
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
pub(in crate::db::postgres) async fn canonical(
    conn: &mut PgConnection,
    name: &str,
) -> Result<Option<String>> {
    sqlx::query_scalar(
        "SELECT name FROM pollster WHERE key = $1
         UNION ALL SELECT p.name FROM pollster_alias a JOIN pollster p ON p.id = a.pollster_id
                    WHERE a.key = $1
         LIMIT 1",
    )
    .bind(name_key(name))
    .fetch_optional(conn)
    .await
    .map_err(db_err)
}

/// The stored id of the pollster a name or alias stands for; a new pollster named `name`
/// (trimmed) when none does.
pub(in crate::db::postgres) async fn find_or_create(
    conn: &mut PgConnection,
    name: &str,
) -> Result<i64> {
    if let Some(id) = find(conn, name).await? {
        return Ok(id);
    }
    // The key can only be taken by a writer outside polltrack's write lock: the row it wrote
    // is then the one meant, and the no-op update hands back its id.
    sqlx::query_scalar(
        "INSERT INTO pollster (name, key) VALUES ($1, $2)
         ON CONFLICT (key) DO UPDATE SET key = EXCLUDED.key RETURNING id",
    )
    .bind(name.trim())
    .bind(name_key(name))
    .fetch_one(conn)
    .await
    .map_err(db_err)
}

/// The stored id of the sponsor `name` (matched as pollster names are, without aliases); a
/// new sponsor when none matches.
pub(in crate::db::postgres) async fn sponsor_find_or_create(
    conn: &mut PgConnection,
    name: &str,
) -> Result<i64> {
    let found: Option<i64> = sqlx::query_scalar("SELECT id FROM sponsor WHERE key = $1")
        .bind(name_key(name))
        .fetch_optional(&mut *conn)
        .await
        .map_err(db_err)?;
    if let Some(id) = found {
        return Ok(id);
    }
    sqlx::query_scalar(
        "INSERT INTO sponsor (name, key) VALUES ($1, $2)
         ON CONFLICT (key) DO UPDATE SET key = EXCLUDED.key RETURNING id",
    )
    .bind(name.trim())
    .bind(name_key(name))
    .fetch_one(conn)
    .await
    .map_err(db_err)
}

/// The stored id and spelling of the pollster a name or alias stands for. Errors: not found.
pub(in crate::db::postgres) async fn require(
    conn: &mut PgConnection,
    name: &str,
) -> Result<(i64, String)> {
    let found: Option<(i64, String)> = sqlx::query_as(
        "SELECT id, name FROM pollster WHERE key = $1
         UNION ALL SELECT p.id, p.name FROM pollster_alias a JOIN pollster p ON p.id = a.pollster_id
                    WHERE a.key = $1
         LIMIT 1",
    )
    .bind(name_key(name))
    .fetch_optional(conn)
    .await
    .map_err(db_err)?;
    found.ok_or_else(|| shared::no_pollster(name))
}

/// Adds the alias `alias` (checked, trimmed) of the pollster `id`, in the transaction on `conn`.
async fn insert_alias(conn: &mut PgConnection, alias: &str, id: i64) -> Result<()> {
    sqlx::query("INSERT INTO pollster_alias (key, alias, pollster_id) VALUES ($1, $2, $3)")
        .bind(name_key(alias))
        .bind(alias)
        .bind(id)
        .execute(conn)
        .await
        .map_err(db_err)?;
    Ok(())
}

impl PollsterStore for PgStore {
    /// Every pollster with its aliases, number of polls and date span, by name.
    async fn list_pollsters(&self) -> Result<Vec<Pollster>> {
        let rows: Vec<PollsterRow> = sqlx::query_as(
            r#"SELECT pr.name,
                      ARRAY(SELECT alias FROM pollster_alias WHERE pollster_id = pr.id
                             ORDER BY key COLLATE "C") AS aliases,
                      count(p.id) AS polls, min(p.poll_date) AS first_date,
                      max(p.poll_date) AS last_date
                 FROM pollster pr LEFT JOIN poll p ON p.pollster_id = pr.id
                GROUP BY pr.id ORDER BY pr.key COLLATE "C""#,
        )
        .fetch_all(&self.pool)
        .await
        .map_err(|e| self.err(e))?;
        Ok(rows
            .into_iter()
            .map(|row| Pollster {
                name: row.name,
                aliases: row.aliases,
                polls: row.polls,
                first_date: row.first_date,
                last_date: row.last_date,
            })
            .collect())
    }

    /// Makes `alias` another spelling of the pollster `name`. Returns the pollster's name.
    async fn add_pollster_alias(&self, alias: &str, name: &str) -> Result<String> {
        let alias = shared::checked_alias(alias)?;
        retrying!(async {
            let mut tx = self.write().await?;
            let (id, canonical) = require(&mut tx, name).await?;
            if let Some(other) = find(&mut tx, alias).await? {
                if other == id {
                    return Err(shared::alias_taken(alias, canonical, None));
                }
                let (_, other_name) = require(&mut tx, alias).await?;
                return Err(shared::alias_taken(alias, canonical, Some(other_name)));
            }
            insert_alias(&mut tx, alias, id).await?;
            let change = [("alias".to_string(), None, Some(alias.to_string()))];
            record_pollster_change(&mut tx, id, "alias", &change).await?;
            commit(self, tx).await?;
            Ok(canonical)
        })
    }

    /// As [`PollsterStore::merge_pollsters`]; see [`merge::merge`].
    async fn merge_pollsters_with(&self, from: &str, into: &str, combine: bool) -> Result<Merged> {
        retrying!(async {
            let mut tx = self.write().await?;
            let merged = merge::merge(&mut tx, from, into, combine).await?;
            commit(self, tx).await?;
            Ok(merged)
        })
    }

    async fn rename_pollster(&self, old: &str, new: &str, keep_alias: bool) -> Result<Renamed> {
        retrying!(async {
            let mut tx = self.write().await?;
            let (id, name) = require(&mut tx, old).await?;
            let renamed = rename(&mut tx, id, &name, new, keep_alias).await?;
            commit(self, tx).await?;
            Ok(renamed)
        })
    }

    async fn pollster_spellings(&self) -> Result<Vec<(String, String)>> {
        sqlx::query_as(
            r#"SELECT spelling, name FROM
                 (SELECT name AS spelling, name, key FROM pollster
                  UNION ALL
                  SELECT a.alias, p.name, a.key FROM pollster_alias a
                    JOIN pollster p ON p.id = a.pollster_id) s
                ORDER BY key COLLATE "C""#,
        )
        .fetch_all(&self.pool)
        .await
        .map_err(|e| self.err(e))
    }

    async fn prune_pollsters(&self) -> Result<Vec<String>> {
        retrying!(async {
            let mut tx = self.write().await?;
            let empty: Vec<(i64, String)> = sqlx::query_as(
                r#"SELECT id, name FROM pollster
                    WHERE NOT EXISTS (SELECT 1 FROM poll WHERE poll.pollster_id = pollster.id)
                    ORDER BY key COLLATE "C""#,
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
        })
    }
}

/// Names the pollster `id` (now called `name`) `new`, in the transaction on `conn`: see
/// [`PollsterStore::rename_pollster`].
async fn rename(
    conn: &mut PgConnection,
    id: i64,
    name: &str,
    new: &str,
    keep_alias: bool,
) -> Result<Renamed> {
    let new = shared::checked_new_name(name, new)?;
    match find(conn, new).await? {
        Some(other) if other != id => {
            let (_, other_name) = require(conn, new).await?;
            return Err(shared::name_taken(new, name, other_name));
        }
        // One of its own aliases becomes the name shown: it is an alias no more.
        Some(_) => {
            sqlx::query("DELETE FROM pollster_alias WHERE key = $1")
                .bind(name_key(new))
                .execute(&mut *conn)
                .await
                .map_err(db_err)?;
        }
        None => {}
    }
    sqlx::query("UPDATE pollster SET name = $1, key = $2 WHERE id = $3")
        .bind(new)
        .bind(name_key(new))
        .bind(id)
        .execute(&mut *conn)
        .await
        .map_err(db_err)?;
    let alias_kept = shared::alias_kept(name, new, keep_alias);
    record_pollster_change(
        conn,
        id,
        "rename",
        &[("name".into(), Some(name.to_string()), Some(new.to_string()))],
    )
    .await?;
    if alias_kept {
        insert_alias(conn, name, id).await?;
    }
    Ok(Renamed {
        old: name.to_string(),
        new: new.to_string(),
        alias_kept,
    })
}

/// A pollster as [`PollsterStore::list_pollsters`] reads it.
#[derive(sqlx::FromRow)]
struct PollsterRow {
    name: String,
    aliases: Vec<String>,
    polls: i64,
    first_date: Option<chrono::NaiveDate>,
    last_date: Option<chrono::NaiveDate>,
}

#[cfg(test)]
mod tests;
