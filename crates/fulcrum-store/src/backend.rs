//! What differs between SQLite and PostgreSQL: how to connect, the
//! migrations, and the statements that open a transaction. Everything else
//! is the shared core in [`crate::core`].

use crate::sql::{DbResult, get, micros, query, vals};
use crate::types::StoreError;
use sqlx::AnyPool;
use sqlx::any::AnyPoolOptions;

/// One versioned migration.
pub struct Migration {
    /// Its version; applied in increasing order, each once.
    pub version: i64,
    /// Its SQL (several statements).
    pub sql: &'static str,
}

/// The dialect bits of one backend.
pub trait Backend: Send + Sync + 'static {
    /// `sqlite` or `postgres`.
    const NAME: &'static str;
    /// The migrations, oldest first.
    const MIGRATIONS: &'static [Migration];
    /// Opens a transaction that will write. SQLite takes the write lock at
    /// once (`BEGIN IMMEDIATE`), so two writers wait on `busy_timeout`
    /// instead of failing when a read lock cannot be upgraded.
    const BEGIN_WRITE: &'static str;
    /// Opens a transaction that only reads, on one consistent snapshot.
    const BEGIN_READ: &'static str;
    /// Run first in the migration transaction so that two processes opening
    /// the same database migrate one after the other.
    const MIGRATION_LOCK: Option<&'static str>;
    /// Run once before the pool closes.
    const ON_CLOSE: Option<&'static str>;
}

/// SQLite: an embedded file.
pub struct Sqlite;

impl Backend for Sqlite {
    const NAME: &'static str = "sqlite";
    const MIGRATIONS: &'static [Migration] = &[
        Migration {
            version: 1,
            sql: include_str!("../migrations/sqlite/0001_init.sql"),
        },
        Migration {
            version: 2,
            sql: include_str!("../migrations/sqlite/0002_import_runs.sql"),
        },
        Migration {
            version: 3,
            sql: include_str!("../migrations/sqlite/0003_caldav_sync.sql"),
        },
        Migration {
            version: 4,
            sql: include_str!("../migrations/sqlite/0004_workflow.sql"),
        },
        Migration {
            version: 5,
            sql: include_str!("../migrations/sqlite/0005_notify.sql"),
        },
    ];
    const BEGIN_WRITE: &'static str = "BEGIN IMMEDIATE";
    const BEGIN_READ: &'static str = "BEGIN";
    const MIGRATION_LOCK: Option<&'static str> = None;
    // Merge the write-ahead log into the database file and truncate it, so
    // a store left after `fulcrum import` is one self-contained file.
    const ON_CLOSE: Option<&'static str> = Some("PRAGMA wal_checkpoint(TRUNCATE)");
}

/// PostgreSQL: a shared server.
pub struct Postgres;

impl Backend for Postgres {
    const NAME: &'static str = "postgres";
    const MIGRATIONS: &'static [Migration] = &[
        Migration {
            version: 1,
            sql: include_str!("../migrations/postgres/0001_init.sql"),
        },
        Migration {
            version: 2,
            sql: include_str!("../migrations/postgres/0002_import_runs.sql"),
        },
        Migration {
            version: 3,
            sql: include_str!("../migrations/postgres/0003_caldav_sync.sql"),
        },
        Migration {
            version: 4,
            sql: include_str!("../migrations/postgres/0004_workflow.sql"),
        },
        Migration {
            version: 5,
            sql: include_str!("../migrations/postgres/0005_notify.sql"),
        },
    ];
    const BEGIN_WRITE: &'static str = "BEGIN";
    const BEGIN_READ: &'static str = "BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY";
    // An arbitrary constant ("fulcrum" in ASCII) naming the lock.
    const MIGRATION_LOCK: Option<&'static str> =
        Some("SELECT pg_advisory_xact_lock(7022083290141037)");
    const ON_CLOSE: Option<&'static str> = None;
}

/// How long a request waits for a pooled connection before the store
/// answers [`StoreError::Busy`]: long enough for a burst of writes on
/// SQLite's single writer, short enough that a client is told to retry
/// instead of hanging.
pub const ACQUIRE_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(10);

/// SQLite waits this long (milliseconds) for another writer's lock before
/// failing; below [`ACQUIRE_TIMEOUT`], so a writer queued behind another
/// gives up before its caller does.
const SQLITE_BUSY_TIMEOUT_MS: u32 = 8_000;

/// Pool settings both backends share. A connection comes back to the pool
/// only when it is outside any transaction: a request dropped mid-flight
/// (its client hung up) may leave a transaction begun whose handle never
/// reached the code, or a rollback queued but not yet run. Each backend's
/// release check (see [`connect_sqlite`], [`connect_postgres`]) runs what
/// is queued and closes a connection still inside a transaction instead of
/// handing it to the next request, so neither a stale transaction nor
/// SQLite's write lock outlives its request.
fn pool_options() -> AnyPoolOptions {
    AnyPoolOptions::new().acquire_timeout(ACQUIRE_TIMEOUT)
}

/// Opens a pool on an SQLite URL that sqlx understands (`sqlite://...?mode=rwc`
/// or an in-memory one).
pub async fn connect_sqlite(any_url: &str, in_memory: bool) -> Result<AnyPool, sqlx::Error> {
    let options = pool_options()
        .after_release(|conn, _meta| {
            Box::pin(async move {
                // SQLite's driver runs every command on one worker thread
                // and counts transactions there, so its count is exact once
                // the queue is drained (the ping).
                use sqlx::Connection;
                conn.ping().await?;
                Ok(!conn.is_in_transaction())
            })
        })
        .after_connect(|conn, _meta| {
            Box::pin(async move {
                // Per connection: foreign keys for the ON DELETE CASCADEs, a
                // wait instead of an error when another writer holds the lock,
                // and the usual durability level for WAL.
                for pragma in [
                    "PRAGMA foreign_keys = ON".to_owned(),
                    format!("PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}"),
                    "PRAGMA synchronous = NORMAL".to_owned(),
                ] {
                    sqlx::Executor::execute(&mut *conn, pragma.as_str()).await?;
                }
                Ok(())
            })
        });
    let options = if in_memory {
        // Each connection to `:memory:` would be a database of its own: keep
        // exactly one, for the life of the pool.
        options
            .max_connections(1)
            .min_connections(1)
            .idle_timeout(None)
            .max_lifetime(None)
    } else {
        // One writer at a time whatever the pool size (WAL lets readers
        // run beside it): a few connections serve the reads.
        options.max_connections(4)
    };
    if !in_memory {
        try_once(any_url).await?;
    }
    let pool = options.connect(any_url).await?;
    if !in_memory {
        // WAL is a property of the file: set once, it stays.
        sqlx::query("PRAGMA journal_mode = WAL")
            .execute(&pool)
            .await?;
    }
    Ok(pool)
}

/// Opens a pool on a PostgreSQL URL.
pub async fn connect_postgres(url: &str) -> Result<AnyPool, sqlx::Error> {
    try_once(url).await?;
    pool_options()
        .after_connect(|conn, _meta| {
            Box::pin(async move {
                // The release check's ROLLBACK outside a transaction draws
                // a warning notice; notices are not the client's business.
                sqlx::Executor::execute(&mut *conn, "SET client_min_messages = error").await?;
                Ok(())
            })
        })
        .after_release(|conn, _meta| {
            Box::pin(async move {
                // The driver's transaction count can miss a BEGIN whose
                // answer never arrived (the future was dropped after
                // sending it), so a transaction the count does not know of
                // is ended here: ROLLBACK outside one does nothing. One
                // round trip per release.
                use sqlx::Connection;
                if conn.is_in_transaction() {
                    return Ok(false);
                }
                sqlx::Executor::execute(&mut *conn, "ROLLBACK").await?;
                Ok(!conn.is_in_transaction())
            })
        })
        .max_connections(5)
        .connect(url)
        .await
}

/// Connects once and hangs up: a pool retries a refused connection until
/// its acquire timeout (30 s), and a wrong URL should fail at once.
async fn try_once(url: &str) -> Result<(), sqlx::Error> {
    use sqlx::Connection;
    sqlx::AnyConnection::connect(url).await?.close().await
}

/// Applies the migrations of `B` not yet recorded in `schema_version`, each
/// in its own transaction; returns the versions applied.
pub async fn migrate<B: Backend>(pool: &AnyPool) -> Result<Vec<i64>, StoreError> {
    let migrate_error = |version: i64| {
        move |e: StoreError| StoreError::Migrate {
            version,
            message: match e {
                StoreError::Database(message) => message,
                other => other.to_string(),
            },
        }
    };
    // The version table is created under the migration lock too: on
    // PostgreSQL two `CREATE TABLE IF NOT EXISTS` at once can both pass the
    // check and one then fails on the catalogue's unique index.
    {
        let mut tx = pool
            .begin_with(B::BEGIN_WRITE)
            .await
            .db()
            .map_err(migrate_error(0))?;
        if let Some(lock) = B::MIGRATION_LOCK {
            sqlx::query(lock)
                .execute(&mut *tx)
                .await
                .db()
                .map_err(migrate_error(0))?;
        }
        sqlx::query(
            "CREATE TABLE IF NOT EXISTS schema_version (version BIGINT PRIMARY KEY, applied_at_us BIGINT NOT NULL)",
        )
        .execute(&mut *tx)
        .await
        .db()
        .map_err(migrate_error(0))?;
        tx.commit().await.db().map_err(migrate_error(0))?;
    }
    let mut applied = Vec::new();
    for m in B::MIGRATIONS {
        let mut tx = pool
            .begin_with(B::BEGIN_WRITE)
            .await
            .db()
            .map_err(migrate_error(m.version))?;
        if let Some(lock) = B::MIGRATION_LOCK {
            sqlx::query(lock)
                .execute(&mut *tx)
                .await
                .db()
                .map_err(migrate_error(m.version))?;
        }
        // Read inside the transaction: another process may have just
        // applied it.
        let done = query(
            "SELECT count(*) AS n FROM schema_version WHERE version = $1",
            vals![m.version],
        )
        .fetch_one(&mut *tx)
        .await
        .db()
        .and_then(|row| get::<i64>(&row, "n"))
        .map_err(migrate_error(m.version))?;
        if done > 0 {
            continue;
        }
        for statement in statements(m.sql) {
            sqlx::query(&statement)
                .execute(&mut *tx)
                .await
                .db()
                .map_err(migrate_error(m.version))?;
        }
        query(
            "INSERT INTO schema_version (version, applied_at_us) VALUES ($1, $2)",
            vals![m.version, micros(chrono::Utc::now())],
        )
        .execute(&mut *tx)
        .await
        .db()
        .map_err(migrate_error(m.version))?;
        tx.commit().await.db().map_err(migrate_error(m.version))?;
        applied.push(m.version);
    }
    Ok(applied)
}

/// The statements of a migration: its text without `--` comment lines,
/// split at `;`. Migrations therefore keep `;` for ending statements only
/// (no function bodies, no `;` in literals); each statement then runs as a
/// prepared statement, which both drivers accept one at a time.
fn statements(sql: &str) -> Vec<String> {
    let code: String = sql
        .lines()
        .filter(|l| !l.trim_start().starts_with("--"))
        .map(|l| format!("{l}\n"))
        .collect();
    code.split(';')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn migrations_split_into_statements() {
        let s = statements("-- a comment; with a semicolon\nCREATE TABLE a (x INT);\n\n-- end\n");
        assert_eq!(s.len(), 1);
        assert_eq!(s[0], "CREATE TABLE a (x INT)");
        for m in Sqlite::MIGRATIONS.iter().chain(Postgres::MIGRATIONS) {
            assert!(!statements(m.sql).is_empty());
        }
        for m in [&Sqlite::MIGRATIONS[0], &Postgres::MIGRATIONS[0]] {
            assert!(statements(m.sql).len() > 20);
        }
    }
}
