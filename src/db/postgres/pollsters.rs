//! Pollsters, their aliases, merging and renaming: the [`PollsterStore`] of [`PgStore`].

use super::{PgStore, db_err, not_yet};
use crate::db::{Merged, PollsterStore, Renamed};
use crate::error::Result;
use crate::model::{Pollster, name_key};
use sqlx::PgConnection;

/// The pollster a name or alias stands for.
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
    let Some(id) = find(conn, name).await? else {
        return Ok(None);
    };
    sqlx::query_scalar("SELECT name FROM pollster WHERE id = $1")
        .bind(id)
        .fetch_optional(conn)
        .await
        .map_err(db_err)
}

/// The pollster a name or alias stands for, created under this name when there is none.
pub(in crate::db::postgres) async fn find_or_create(
    conn: &mut PgConnection,
    name: &str,
) -> Result<i64> {
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

/// The sponsor of this name (in any case), created when there is none.
pub(in crate::db::postgres) async fn sponsor_find_or_create(
    conn: &mut PgConnection,
    name: &str,
) -> Result<i64> {
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

impl PollsterStore for PgStore {
    async fn list_pollsters(&self) -> Result<Vec<Pollster>> {
        Err(not_yet())
    }

    async fn add_pollster_alias(&self, _alias: &str, _name: &str) -> Result<String> {
        Err(not_yet())
    }

    async fn merge_pollsters_with(
        &self,
        _from: &str,
        _into: &str,
        _combine: bool,
    ) -> Result<Merged> {
        Err(not_yet())
    }

    async fn rename_pollster(&self, _old: &str, _new: &str, _keep_alias: bool) -> Result<Renamed> {
        Err(not_yet())
    }

    async fn pollster_spellings(&self) -> Result<Vec<(String, String)>> {
        Err(not_yet())
    }

    async fn prune_pollsters(&self) -> Result<Vec<String>> {
        Err(not_yet())
    }
}
