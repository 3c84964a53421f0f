//! The store's logic, written once over the `Any` driver and parameterised
//! by a [`Backend`] for the few dialect bits. [`crate::SqliteStore`] and
//! [`crate::PostgresStore`] are this core with their backend.

mod accounts;
mod caldav;
mod calendar;
mod chat;
mod forget;
mod notify;
mod rows;
mod runs;
mod workflow;

pub use workflow::FORGOTTEN;

use crate::backend::Backend;
use crate::sql::DbResult;
use crate::types::{ImportOutcome, Page, SourceKind, StoreError};
use sqlx::{Any, AnyPool, Transaction};
use std::marker::PhantomData;

/// A connection pool with the migrations of `B` applied.
pub struct Core<B: Backend> {
    pool: AnyPool,
    applied: Vec<i64>,
    backend: PhantomData<fn() -> B>,
}

impl<B: Backend> Clone for Core<B> {
    fn clone(&self) -> Self {
        Core {
            pool: self.pool.clone(),
            applied: self.applied.clone(),
            backend: PhantomData,
        }
    }
}

impl<B: Backend> Core<B> {
    /// Migrates the database behind `pool` and wraps it.
    pub async fn new(pool: AnyPool) -> Result<Self, StoreError> {
        let applied = crate::backend::migrate::<B>(&pool).await?;
        Ok(Core {
            pool,
            applied,
            backend: PhantomData,
        })
    }

    /// The migrations this open applied (empty when the schema was current).
    pub fn migrations_applied(&self) -> &[i64] {
        &self.applied
    }

    /// The newest migration recorded in the database.
    pub async fn schema_version(&self) -> Result<i64, StoreError> {
        let row = sqlx::query("SELECT max(version) AS v FROM schema_version")
            .fetch_one(&self.pool)
            .await
            .db()?;
        Ok(crate::sql::get::<Option<i64>>(&row, "v")?.unwrap_or(0))
    }

    /// See [`crate::Storage::ping`].
    pub async fn ping(&self) -> Result<(), StoreError> {
        sqlx::query("SELECT 1").execute(&self.pool).await.db()?;
        Ok(())
    }

    /// Closes the pool: waits for connections in use, closes them all
    /// (SQLite first merges its write-ahead log into the file).
    pub async fn close(&self) {
        if let Some(sql) = B::ON_CLOSE {
            // On failure (a reader still open elsewhere) the log stays
            // beside the file and is merged later: nothing is lost.
            let _ = sqlx::query(sql).execute(&self.pool).await;
        }
        self.pool.close().await;
    }

    async fn write(&self) -> Result<Transaction<'static, Any>, StoreError> {
        self.pool.begin_with(B::BEGIN_WRITE).await.db()
    }

    async fn read(&self) -> Result<Transaction<'static, Any>, StoreError> {
        self.pool.begin_with(B::BEGIN_READ).await.db()
    }
}

/// Reads a stored source kind.
fn source_kind(s: &str) -> Result<SourceKind, StoreError> {
    Ok(match s {
        "calendar" => SourceKind::Calendar,
        "chat" => SourceKind::Chat,
        "work_items" => SourceKind::WorkItems,
        "pulse" => SourceKind::Pulse,
        other => {
            return Err(StoreError::Corrupt {
                what: "source kind".to_owned(),
                message: format!("unknown kind {other:?}"),
            });
        }
    })
}

/// `LIMIT` and `OFFSET` of a page, the limit clamped to
/// [`Page::MAX_LIMIT`].
fn page_bounds(page: Page) -> (i64, i64) {
    (
        i64::from(page.limit.min(Page::MAX_LIMIT)),
        i64::from(page.offset),
    )
}

/// A key that names a person: lower-cased, trimmed.
fn person_key(s: &str) -> String {
    s.trim().to_lowercase()
}

/// The columns of a `sources` row an import writes.
struct SourceFields<'a> {
    kind: SourceKind,
    source: &'a str,
    file: &'a str,
    fingerprint: &'a str,
    owner: Option<String>,
    data_first: Option<i64>,
    data_last: Option<i64>,
    problems: i64,
    expanded_from_us: Option<i64>,
    expanded_to_us: Option<i64>,
    platform: Option<String>,
    skipped: i64,
}

/// The id and fingerprint of a stored source.
async fn find_source(
    conn: &mut sqlx::AnyConnection,
    kind: SourceKind,
    source: &str,
) -> Result<Option<(i64, String)>, StoreError> {
    use crate::sql::{get, query, vals};
    let row = query(
        "SELECT id, fingerprint FROM sources WHERE kind = $1 AND source = $2",
        vals![kind.as_str(), source],
    )
    .fetch_optional(&mut *conn)
    .await
    .db()?;
    row.map(|r| Ok((get(&r, "id")?, get(&r, "fingerprint")?)))
        .transpose()
}

/// The outcome of importing bytes already stored for their source (the
/// same fingerprint): nothing to write, the source's records (counted by
/// `count_sql`, `$1` its id) kept. `None` for a new or changed source.
async fn unchanged(
    conn: &mut sqlx::AnyConnection,
    existing: &Option<(i64, String)>,
    fingerprint: &str,
    count_sql: &str,
) -> Result<Option<ImportOutcome>, StoreError> {
    match existing {
        Some((id, stored)) if stored == fingerprint => Ok(Some(ImportOutcome {
            source_id: *id,
            unchanged: true,
            kept: count_where(conn, count_sql, *id).await?,
            ..ImportOutcome::default()
        })),
        _ => Ok(None),
    }
}

/// Updates the source `id` (or inserts it when `None`) with `f` and the
/// time of this import; returns its id.
async fn upsert_source(
    conn: &mut sqlx::AnyConnection,
    id: Option<i64>,
    f: SourceFields<'_>,
) -> Result<i64, StoreError> {
    use crate::sql::{get, micros, query, vals};
    let owner_key = f.owner.as_deref().map(person_key);
    let values = vals![
        f.kind.as_str(),
        f.source,
        f.file,
        f.fingerprint,
        micros(chrono::Utc::now()),
        f.owner,
        owner_key,
        f.data_first,
        f.data_last,
        f.problems,
        f.expanded_from_us,
        f.expanded_to_us,
        f.platform,
        f.skipped,
    ];
    match id {
        Some(id) => {
            let mut values = values;
            values.push(id.into());
            query(
                "UPDATE sources SET kind = $1, source = $2, file = $3, fingerprint = $4, \
                 imported_at_us = $5, owner = $6, owner_key = $7, data_first = $8, data_last = $9, \
                 problems = $10, expanded_from_us = $11, expanded_to_us = $12, platform = $13, \
                 skipped = $14 WHERE id = $15",
                values,
            )
            .execute(&mut *conn)
            .await
            .db()?;
            Ok(id)
        }
        None => {
            let row = query(
                "INSERT INTO sources (kind, source, file, fingerprint, imported_at_us, owner, \
                 owner_key, data_first, data_last, problems, expanded_from_us, expanded_to_us, \
                 platform, skipped) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, \
                 $13, $14) RETURNING id",
                values,
            )
            .fetch_one(&mut *conn)
            .await
            .db()?;
            get(&row, "id")
        }
    }
}

/// `SELECT count(*) AS n ...` with one integer parameter.
async fn count_where(
    conn: &mut sqlx::AnyConnection,
    sql: &str,
    id: i64,
) -> Result<u64, StoreError> {
    use crate::sql::{count, get, query, vals};
    let row = query(sql, vals![id]).fetch_one(&mut *conn).await.db()?;
    Ok(count(get(&row, "n")?))
}
