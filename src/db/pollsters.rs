//! Pollsters, their aliases, and sponsors. Names match case-insensitively, trimmed, through
//! aliases too.

use super::polls::record_changes;
use super::{Db, commit, db_err};
use crate::error::{Error, Result};
use crate::model::{Pollster, name_key};
use sqlx::Row;
use sqlx::sqlite::SqliteConnection;

/// The pollster a name or alias stands for.
pub(super) async fn find(conn: &mut SqliteConnection, name: &str) -> Result<Option<i64>> {
    sqlx::query_scalar(
        "SELECT id FROM pollster WHERE key = ?1
         UNION ALL SELECT pollster_id FROM pollster_alias WHERE key = ?1
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
    sqlx::query_scalar("SELECT name FROM pollster WHERE id = ?")
        .bind(id)
        .fetch_optional(conn)
        .await
        .map_err(db_err)
}

pub(super) async fn find_or_create(conn: &mut SqliteConnection, name: &str) -> Result<i64> {
    if let Some(id) = find(conn, name).await? {
        return Ok(id);
    }
    sqlx::query_scalar("INSERT INTO pollster (name, key) VALUES (?, ?) RETURNING id")
        .bind(name.trim())
        .bind(name_key(name))
        .fetch_one(conn)
        .await
        .map_err(db_err)
}

pub(super) async fn sponsor_find_or_create(conn: &mut SqliteConnection, name: &str) -> Result<i64> {
    let found: Option<i64> = sqlx::query_scalar("SELECT id FROM sponsor WHERE key = ?")
        .bind(name_key(name))
        .fetch_optional(&mut *conn)
        .await
        .map_err(db_err)?;
    match found {
        Some(id) => Ok(id),
        None => sqlx::query_scalar("INSERT INTO sponsor (name, key) VALUES (?, ?) RETURNING id")
            .bind(name.trim())
            .bind(name_key(name))
            .fetch_one(conn)
            .await
            .map_err(db_err),
    }
}

async fn require(conn: &mut SqliteConnection, name: &str) -> Result<(i64, String)> {
    let Some(id) = find(conn, name).await? else {
        return Err(Error::NotFound(format!(
            "there is no pollster \"{}\": `polltrack pollster list` shows them",
            name.trim()
        )));
    };
    let canonical: String = sqlx::query_scalar("SELECT name FROM pollster WHERE id = ?")
        .bind(id)
        .fetch_one(conn)
        .await
        .map_err(db_err)?;
    Ok((id, canonical))
}

impl Db {
    /// Every pollster with its aliases, number of polls and date span, by name.
    pub async fn list_pollsters(&self) -> Result<Vec<Pollster>> {
        let rows = sqlx::query(
            "SELECT pr.name,
                    (SELECT json_group_array(alias) FROM
                        (SELECT alias FROM pollster_alias WHERE pollster_id = pr.id ORDER BY key)),
                    count(p.id), min(p.poll_date), max(p.poll_date)
               FROM pollster pr LEFT JOIN poll p ON p.pollster_id = pr.id
              GROUP BY pr.id ORDER BY pr.key",
        )
        .fetch_all(&self.pool)
        .await
        .map_err(|e| self.err(e))?;
        rows.iter()
            .map(|row| {
                let aliases: String = row.try_get(1).map_err(db_err)?;
                Ok(Pollster {
                    name: row.try_get(0).map_err(db_err)?,
                    aliases: serde_json::from_str(&aliases)
                        .map_err(|e| Error::Failed(e.to_string()))?,
                    polls: row.try_get(2).map_err(db_err)?,
                    first_date: row.try_get(3).map_err(db_err)?,
                    last_date: row.try_get(4).map_err(db_err)?,
                })
            })
            .collect()
    }

    /// Makes `alias` another spelling of the pollster `name`. Returns the pollster's name.
    pub async fn add_pollster_alias(&self, alias: &str, name: &str) -> Result<String> {
        let alias = alias.trim();
        if alias.is_empty() {
            return Err(Error::Invalid("the alias is empty".into()));
        }
        if let Some(problem) = crate::model::name_problem("alias", alias) {
            return Err(Error::Invalid(problem));
        }
        let mut tx = self.write().await?;
        let (id, canonical) = require(&mut tx, name).await?;
        if let Some(other) = find(&mut tx, alias).await? {
            if other == id {
                return Err(Error::Conflict(format!(
                    "\"{alias}\" already stands for {canonical}"
                )));
            }
            let (_, other_name) = require(&mut tx, alias).await?;
            return Err(Error::Conflict(format!(
                "\"{alias}\" already stands for the pollster {other_name}: to fold its polls \
                 into {canonical}, run `polltrack pollster merge \"{other_name}\" \"{canonical}\"`"
            )));
        }
        sqlx::query("INSERT INTO pollster_alias (key, alias, pollster_id) VALUES (?, ?, ?)")
            .bind(name_key(alias))
            .bind(alias)
            .bind(id)
            .execute(&mut *tx)
            .await
            .map_err(|e| self.err(e))?;
        commit(self, tx).await?;
        Ok(canonical)
    }

    /// Moves every poll of `from` to `into`; `from`'s name and aliases become aliases of `into`.
    /// Each moved poll's history records the change. Returns how many polls moved.
    pub async fn merge_pollsters(&self, from: &str, into: &str) -> Result<u64> {
        let mut tx = self.write().await?;
        let (from_id, from_name) = require(&mut tx, from).await?;
        let (into_id, into_name) = require(&mut tx, into).await?;
        if from_id == into_id {
            return Err(Error::Usage(format!(
                "\"{from}\" and \"{into}\" are the same pollster, {into_name}"
            )));
        }
        let moved: Vec<i64> =
            sqlx::query_scalar("SELECT id FROM poll WHERE pollster_id = ? ORDER BY id")
                .bind(from_id)
                .fetch_all(&mut *tx)
                .await
                .map_err(|e| self.err(e))?;
        sqlx::query("UPDATE poll SET pollster_id = ?, updated_at = ? WHERE pollster_id = ?")
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
        sqlx::query("UPDATE pollster_alias SET pollster_id = ? WHERE pollster_id = ?")
            .bind(into_id)
            .bind(from_id)
            .execute(&mut *tx)
            .await
            .map_err(|e| self.err(e))?;
        sqlx::query("DELETE FROM pollster WHERE id = ?")
            .bind(from_id)
            .execute(&mut *tx)
            .await
            .map_err(|e| self.err(e))?;
        sqlx::query("INSERT INTO pollster_alias (key, alias, pollster_id) VALUES (?, ?, ?)")
            .bind(name_key(&from_name))
            .bind(from_name)
            .bind(into_id)
            .execute(&mut *tx)
            .await
            .map_err(|e| self.err(e))?;
        commit(self, tx).await?;
        Ok(moved.len() as u64)
    }
}
