//! Small helpers under the backends: values to bind, batched inserts,
//! column reads, and the mapping of database errors to [`StoreError`].
//!
//! Every query runs through sqlx's `Any` driver with `$n` placeholders and
//! primitive types only (i64, f64, text), so one SQL text serves SQLite and
//! PostgreSQL wherever their dialects agree.

use crate::codec::CodecError;
use crate::types::StoreError;
use chrono::{DateTime, Utc};
use sqlx::any::{AnyArguments, AnyRow};
use sqlx::query::Query;
use sqlx::{Any, AnyConnection, Row};

/// Parameters per statement in a batched insert: well below SQLite's
/// 32766 and PostgreSQL's 65535, large enough that 100k rows take a few
/// hundred statements.
const PARAMS_PER_STATEMENT: usize = 4000;

/// Rows per statement in a batched insert, whatever the column count.
const MAX_ROWS_PER_STATEMENT: usize = 500;

/// A value to bind.
#[derive(Debug, Clone)]
pub enum Val {
    /// An integer.
    Int(i64),
    /// An integer or NULL.
    OptInt(Option<i64>),
    /// A real. (There is no nullable real: see `work_rows.has_score`.)
    Real(f64),
    /// Text.
    Text(String),
    /// Text or NULL.
    OptText(Option<String>),
}

impl From<i64> for Val {
    fn from(v: i64) -> Val {
        Val::Int(v)
    }
}

impl From<Option<i64>> for Val {
    fn from(v: Option<i64>) -> Val {
        Val::OptInt(v)
    }
}

impl From<f64> for Val {
    fn from(v: f64) -> Val {
        Val::Real(v)
    }
}

impl From<String> for Val {
    fn from(v: String) -> Val {
        Val::Text(v)
    }
}

impl From<&str> for Val {
    fn from(v: &str) -> Val {
        Val::Text(v.to_owned())
    }
}

impl From<Option<String>> for Val {
    fn from(v: Option<String>) -> Val {
        Val::OptText(v)
    }
}

/// A query over `sql` with `vals` bound to `$1`, `$2`, ...
pub fn query<'q>(
    sql: &'q str,
    vals: impl IntoIterator<Item = Val>,
) -> Query<'q, Any, AnyArguments<'q>> {
    let mut q = sqlx::query(sql);
    for v in vals {
        q = match v {
            Val::Int(v) => q.bind(v),
            Val::OptInt(v) => q.bind(v),
            Val::Real(v) => q.bind(v),
            Val::Text(v) => q.bind(v),
            Val::OptText(v) => q.bind(v),
        };
    }
    q
}

/// Builds `vals!(a, b, c)` as a `Vec<Val>`.
macro_rules! vals {
    ($($v:expr),* $(,)?) => {
        vec![$($crate::sql::Val::from($v)),*]
    };
}
pub(crate) use vals;

/// `$start, $start+1, ...` for `n` values.
pub fn placeholders(start: usize, n: usize) -> String {
    let mut s = String::with_capacity(n * 4);
    for i in 0..n {
        if i > 0 {
            s.push_str(", ");
        }
        s.push('$');
        s.push_str(&(start + i).to_string());
    }
    s
}

/// How a statement numbers its parameters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Numbering {
    /// `$1, $2, ...`: PostgreSQL's only style.
    Dollar,
    /// `?, ?, ...`: SQLite numbers plain `?` in order. Its `$N` are named
    /// parameters, and each new name is looked up among those before it
    /// while the statement is prepared, so a statement of `n` of them costs
    /// `n^2 / 2` comparisons: about 8 million for a batch of 4,000.
    Question,
}

impl Numbering {
    fn of(conn: &AnyConnection) -> Numbering {
        if conn.backend_name().eq_ignore_ascii_case("sqlite") {
            Numbering::Question
        } else {
            Numbering::Dollar
        }
    }

    /// The placeholders of `n` values from number `start`.
    fn list(self, start: usize, n: usize) -> String {
        match self {
            Numbering::Dollar => placeholders(start, n),
            Numbering::Question => {
                let mut s = String::with_capacity(n * 3);
                for i in 0..n {
                    if i > 0 {
                        s.push_str(", ");
                    }
                    s.push('?');
                }
                s
            }
        }
    }
}

/// Inserts `rows` into `table` in multi-row statements; each row holds one
/// value per column. `tail` follows the `VALUES` list (an `ON CONFLICT`
/// clause, a `RETURNING` list); the rows the statements return come back in
/// no promised order, so map them back by a key column.
pub async fn insert_batched(
    conn: &mut AnyConnection,
    table: &str,
    columns: &[&str],
    rows: Vec<Vec<Val>>,
    tail: &str,
) -> Result<Vec<AnyRow>, StoreError> {
    let mut out = Vec::new();
    if rows.is_empty() || columns.is_empty() {
        return Ok(out);
    }
    let per = (PARAMS_PER_STATEMENT / columns.len()).clamp(1, MAX_ROWS_PER_STATEMENT);
    let numbering = Numbering::of(conn);
    // The full-batch text is built once, so the prepared statement is reused.
    let full = insert_sql(numbering, table, columns, per, tail);
    let mut rows = rows.into_iter().peekable();
    while rows.peek().is_some() {
        let chunk: Vec<Vec<Val>> = rows.by_ref().take(per).collect();
        let partial;
        let sql = if chunk.len() == per {
            full.as_str()
        } else {
            partial = insert_sql(numbering, table, columns, chunk.len(), tail);
            partial.as_str()
        };
        out.extend(
            query(sql, chunk.into_iter().flatten())
                .fetch_all(&mut *conn)
                .await
                .db()?,
        );
    }
    Ok(out)
}

fn insert_sql(
    numbering: Numbering,
    table: &str,
    columns: &[&str],
    rows: usize,
    tail: &str,
) -> String {
    let mut sql = format!("INSERT INTO {table} ({}) VALUES ", columns.join(", "));
    let n = columns.len();
    for r in 0..rows {
        if r > 0 {
            sql.push_str(", ");
        }
        sql.push('(');
        sql.push_str(&numbering.list(1 + r * n, n));
        sql.push(')');
    }
    if !tail.is_empty() {
        sql.push(' ');
        sql.push_str(tail);
    }
    sql
}

/// Deletes the rows of `table` whose `id` is in `ids`, in batches.
pub async fn delete_ids(
    conn: &mut AnyConnection,
    table: &str,
    ids: &[i64],
) -> Result<u64, StoreError> {
    let mut n = 0;
    let numbering = Numbering::of(conn);
    for chunk in ids.chunks(MAX_ROWS_PER_STATEMENT) {
        let sql = format!(
            "DELETE FROM {table} WHERE id IN ({})",
            numbering.list(1, chunk.len())
        );
        n += query(&sql, chunk.iter().map(|&id| Val::Int(id)))
            .execute(&mut *conn)
            .await
            .db()?
            .rows_affected();
    }
    Ok(n)
}

/// Database errors as [`StoreError`]s.
pub trait DbResult<T> {
    /// Maps the error to [`StoreError::Database`] (a unique violation to
    /// [`StoreError::Conflict`] naming the constraint).
    fn db(self) -> Result<T, StoreError>;
}

impl<T> DbResult<T> for Result<T, sqlx::Error> {
    fn db(self) -> Result<T, StoreError> {
        self.map_err(db_error)
    }
}

/// One database error as a [`StoreError`].
pub fn db_error(e: sqlx::Error) -> StoreError {
    if matches!(e, sqlx::Error::PoolTimedOut) {
        return StoreError::Busy(format!(
            "no connection free within {} s",
            crate::backend::ACQUIRE_TIMEOUT.as_secs()
        ));
    }
    // SQLite's SQLITE_BUSY (5) and SQLITE_BUSY_SNAPSHOT (517): another
    // writer held the lock for the whole busy timeout.
    if let Some(d) = e.as_database_error()
        && matches!(d.code().as_deref(), Some("5" | "517"))
    {
        return StoreError::Busy(d.message().to_owned());
    }
    if let Some(d) = e.as_database_error()
        && d.is_unique_violation()
    {
        return StoreError::Conflict(match d.constraint() {
            Some(c) => format!("a record with the same {c}"),
            None => format!("a record ({})", d.message()),
        });
    }
    StoreError::Database(e.to_string())
}

/// A column of a row.
pub fn get<'r, T>(row: &'r AnyRow, column: &str) -> Result<T, StoreError>
where
    T: sqlx::Decode<'r, Any> + sqlx::Type<Any>,
{
    row.try_get(column).map_err(|e| StoreError::Corrupt {
        what: format!("column {column}"),
        message: e.to_string(),
    })
}

/// A [`CodecError`] as a [`StoreError`] naming the record.
pub fn corrupt(what: impl Into<String>) -> impl FnOnce(CodecError) -> StoreError {
    let what = what.into();
    move |e| StoreError::Corrupt { what, message: e.0 }
}

/// An instant as stored: microseconds since 1970.
pub fn micros(t: DateTime<Utc>) -> i64 {
    t.timestamp_micros()
}

/// Reads [`micros`].
pub fn from_micros(v: i64, what: &str) -> Result<DateTime<Utc>, StoreError> {
    DateTime::from_timestamp_micros(v).ok_or_else(|| StoreError::Corrupt {
        what: what.to_owned(),
        message: format!("time {v} us out of range"),
    })
}

/// A count as stored (SQLite and PostgreSQL integers are signed).
pub fn count(v: i64) -> u64 {
    u64::try_from(v).unwrap_or(0)
}

/// A count to store.
pub fn signed(v: u64) -> i64 {
    i64::try_from(v).unwrap_or(i64::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_backend_gets_its_own_placeholders() {
        assert_eq!(
            insert_sql(Numbering::Dollar, "t", &["a", "b"], 2, "RETURNING id"),
            "INSERT INTO t (a, b) VALUES ($1, $2), ($3, $4) RETURNING id"
        );
        assert_eq!(
            insert_sql(Numbering::Question, "t", &["a", "b"], 2, ""),
            "INSERT INTO t (a, b) VALUES (?, ?), (?, ?)"
        );
        assert_eq!(Numbering::Question.list(7, 3), "?, ?, ?");
        assert_eq!(Numbering::Dollar.list(7, 3), "$7, $8, $9");
    }
}
