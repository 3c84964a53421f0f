//! Choosing and opening a backend from a URL, and the [`Storage`]
//! implementations of [`Store`], [`SqliteStore`] and [`PostgresStore`] (each
//! method forwards to the shared core).

use crate::Storage;
use crate::backend::{self, Backend, Postgres, Sqlite};
use crate::core::Core;
use crate::types::*;
use chrono::{DateTime, NaiveDate, Utc};
use std::path::{Path, PathBuf};

/// The store, on the backend its URL chose. Open it with [`Store::open`].
/// A clone shares the connection pool.
#[derive(Clone)]
pub enum Store {
    /// An SQLite file (or an in-memory database).
    Sqlite(SqliteStore),
    /// A PostgreSQL database.
    Postgres(PostgresStore),
}

/// The store on SQLite.
#[derive(Clone)]
pub struct SqliteStore {
    core: Core<Sqlite>,
}

/// The store on PostgreSQL.
#[derive(Clone)]
pub struct PostgresStore {
    core: Core<Postgres>,
}

impl Store {
    /// Opens the store at `url` and applies the migrations it lacks:
    ///
    /// - `postgres://user:password@host:port/db` (or `postgresql://`):
    ///   PostgreSQL;
    /// - `sqlite://path/to/file.db` or `sqlite:path/to/file.db`: an SQLite
    ///   file, relative to the working directory (`sqlite:///abs/x.db` for
    ///   an absolute path);
    /// - `sqlite::memory:`: an SQLite database that lives as long as the
    ///   store;
    /// - anything else without a `scheme://`: the path of an SQLite file.
    ///
    /// An SQLite file and its parent folders are created when missing.
    /// Errors never show a password (see [`mask_url`]).
    pub async fn open(url: &str) -> Result<Store, StoreError> {
        let url = url.trim();
        let lower = url.to_ascii_lowercase();
        if lower.starts_with("postgres://") || lower.starts_with("postgresql://") {
            return PostgresStore::open(url).await.map(Store::Postgres);
        }
        if lower.starts_with("sqlite:") || !url.contains("://") {
            return SqliteStore::open(url).await.map(Store::Sqlite);
        }
        Err(StoreError::Connect {
            url: mask_url(url),
            message: "unknown kind of store: use a file path, sqlite://path, sqlite::memory: \
                      or postgres://user@host/database"
                .to_owned(),
        })
    }

    /// `sqlite` or `postgres`.
    pub fn backend_name(&self) -> &'static str {
        match self {
            Store::Sqlite(_) => Sqlite::NAME,
            Store::Postgres(_) => Postgres::NAME,
        }
    }

    /// The migration versions this open applied; empty when the schema was
    /// already current.
    pub fn migrations_applied(&self) -> &[i64] {
        match self {
            Store::Sqlite(s) => s.core.migrations_applied(),
            Store::Postgres(s) => s.core.migrations_applied(),
        }
    }

    /// The newest migration version recorded in the database.
    pub async fn schema_version(&self) -> Result<i64, StoreError> {
        match self {
            Store::Sqlite(s) => s.core.schema_version().await,
            Store::Postgres(s) => s.core.schema_version().await,
        }
    }

    /// Closes the store's connections (waiting for those in use). Later
    /// calls fail.
    pub async fn close(&self) {
        match self {
            Store::Sqlite(s) => s.core.close().await,
            Store::Postgres(s) => s.core.close().await,
        }
    }
}

impl SqliteStore {
    /// Opens an SQLite store: `sqlite::memory:`, `sqlite://path`,
    /// `sqlite:path` or a plain path (see [`Store::open`]).
    pub async fn open(url: &str) -> Result<SqliteStore, StoreError> {
        sqlx::any::install_default_drivers();
        let connect_error = |message: String| StoreError::Connect {
            url: mask_url(url),
            message,
        };
        let (any_url, in_memory) = match sqlite_path(url) {
            None => ("sqlite::memory:".to_owned(), true),
            Some(path) => {
                let path = std::path::absolute(&path)
                    .map_err(|e| connect_error(format!("cannot resolve the path: {e}")))?;
                if let Some(parent) = path.parent()
                    && !parent.as_os_str().is_empty()
                {
                    std::fs::create_dir_all(parent).map_err(|e| {
                        connect_error(format!(
                            "cannot create the folder {}: {e}",
                            parent.display()
                        ))
                    })?;
                }
                (sqlite_url(&path)?, false)
            }
        };
        let pool = backend::connect_sqlite(&any_url, in_memory)
            .await
            .map_err(|e| connect_error(e.to_string()))?;
        Ok(SqliteStore {
            core: Core::new(pool).await?,
        })
    }
}

impl PostgresStore {
    /// Opens a PostgreSQL store from a `postgres://` URL.
    pub async fn open(url: &str) -> Result<PostgresStore, StoreError> {
        sqlx::any::install_default_drivers();
        let pool = backend::connect_postgres(url)
            .await
            .map_err(|e| StoreError::Connect {
                url: mask_url(url),
                message: hide_password(url, &e.to_string()),
            })?;
        Ok(PostgresStore {
            core: Core::new(pool).await?,
        })
    }
}

/// The file an SQLite URL or path names; `None` for an in-memory database.
fn sqlite_path(url: &str) -> Option<PathBuf> {
    let rest = if let Some(rest) = url.strip_prefix("sqlite://") {
        rest
    } else if let Some(rest) = url.strip_prefix("sqlite:") {
        rest
    } else {
        return Some(PathBuf::from(url));
    };
    // Parameters are ours to set.
    let rest = rest.split('?').next().unwrap_or_default();
    if rest.is_empty() || rest == ":memory:" {
        None
    } else {
        Some(PathBuf::from(rest))
    }
}

/// The URL sqlx's SQLite driver reads for an absolute path, with the file
/// created on first use.
fn sqlite_url(path: &Path) -> Result<String, StoreError> {
    let Some(text) = path.to_str() else {
        return Err(StoreError::Connect {
            url: path.display().to_string(),
            message: "the path is not valid UTF-8".to_owned(),
        });
    };
    // sqlx percent-decodes the path: keep `%`, `?` and `#` literal.
    let mut encoded = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '%' => encoded.push_str("%25"),
            '?' => encoded.push_str("%3F"),
            '#' => encoded.push_str("%23"),
            c => encoded.push(c),
        }
    }
    Ok(format!("sqlite:{encoded}?mode=rwc"))
}

/// `url` with its password (in the user part or a `password=` parameter)
/// replaced by `***`.
pub fn mask_url(url: &str) -> String {
    let mut out = url.to_owned();
    if let Some(scheme_end) = out.find("://") {
        let start = scheme_end + 3;
        let authority_end = out[start..]
            .find(['/', '?', '#'])
            .map_or(out.len(), |i| start + i);
        if let Some(at) = out[start..authority_end].rfind('@') {
            let userinfo = &out[start..start + at];
            if let Some(colon) = userinfo.find(':') {
                out.replace_range(start + colon + 1..start + at, "***");
            }
        }
    }
    if let Some(q) = out.find('?') {
        let (head, query) = out.split_at(q + 1);
        let masked: Vec<String> = query
            .split('&')
            .map(|pair| match pair.split_once('=') {
                Some((k, _)) if k.eq_ignore_ascii_case("password") => format!("{k}=***"),
                _ => pair.to_owned(),
            })
            .collect();
        out = format!("{head}{}", masked.join("&"));
    }
    out
}

/// `message` with any password of `url` in it replaced by `***`.
fn hide_password(url: &str, message: &str) -> String {
    let mut message = message.to_owned();
    for secret in passwords(url) {
        if secret.len() >= 3 {
            message = message.replace(&secret, "***");
        }
    }
    message
}

fn passwords(url: &str) -> Vec<String> {
    let masked = mask_url(url);
    // The password is what differs between the URL and its masked form.
    let prefix = url
        .bytes()
        .zip(masked.bytes())
        .take_while(|(a, b)| a == b)
        .count();
    if prefix == url.len() {
        return Vec::new();
    }
    let rest = &url[prefix..];
    let end = rest.find(['@', '&', '/', '#']).unwrap_or(rest.len());
    vec![rest[..end].to_owned()]
}

/// Implements [`Storage`] for the three store types by forwarding each
/// method to the core.
macro_rules! forward {
    ($(fn $name:ident(&self $(, $arg:ident: $ty:ty)*) -> $ret:ty;)*) => {
        impl Storage for SqliteStore {
            $(
                fn $name(&self $(, $arg: $ty)*) -> impl Future<Output = Result<$ret, StoreError>> + Send {
                    self.core.$name($($arg),*)
                }
            )*
        }

        impl Storage for PostgresStore {
            $(
                fn $name(&self $(, $arg: $ty)*) -> impl Future<Output = Result<$ret, StoreError>> + Send {
                    self.core.$name($($arg),*)
                }
            )*
        }

        impl Storage for Store {
            $(
                fn $name(&self $(, $arg: $ty)*) -> impl Future<Output = Result<$ret, StoreError>> + Send {
                    async move {
                        match self {
                            Store::Sqlite(s) => s.core.$name($($arg),*).await,
                            Store::Postgres(s) => s.core.$name($($arg),*).await,
                        }
                    }
                }
            )*
        }
    };
}

forward! {
    fn import_calendar(&self, import: CalendarImport) -> ImportOutcome;
    fn caldav_state(&self, account: String) -> Vec<CalDavState>;
    fn import_caldav(&self, import: CalDavImport) -> ImportOutcome;
    fn import_chat(&self, import: ChatImport) -> ImportOutcome;
    fn import_rows(&self, import: RowsImport) -> ImportOutcome;
    fn sources(&self, page: Page) -> Vec<SourceInfo>;
    fn calendars(&self, from: DateTime<Utc>, to: DateTime<Utc>) -> Vec<StoredCalendar>;
    fn chats(&self, from: Option<DateTime<Utc>>, to: Option<DateTime<Utc>>) -> Vec<StoredChat>;
    fn rows(&self, kind: RowKind) -> Vec<StoredRow>;
    fn forget(&self, person: PersonKeys) -> ForgetReport;
    fn apply_retention(&self, before: DateTime<Utc>) -> RetentionReport;
    fn put_aggregates(&self, rows: Vec<Aggregate>) -> ();
    fn aggregates(&self, team: Option<String>) -> Vec<Aggregate>;
    fn create_user(&self, user: NewUser) -> User;
    fn user_by_email(&self, email: String) -> Option<User>;
    fn user_by_id(&self, id: i64) -> Option<User>;
    fn users(&self, page: Page) -> Vec<User>;
    fn update_user(&self, id: i64, change: UserChange) -> Option<User>;
    fn delete_user(&self, id: i64) -> bool;
    fn create_session(&self, session: NewSession) -> ();
    fn session(&self, id_hash: String, now: DateTime<Utc>) -> Option<(Session, User)>;
    fn delete_session(&self, id_hash: String, now: DateTime<Utc>) -> ();
    fn create_token(&self, token: NewToken) -> ApiToken;
    fn token(&self, hash: String, now: DateTime<Utc>) -> Option<(ApiToken, User)>;
    fn tokens(&self, user: Option<i64>, page: Page) -> Vec<ApiToken>;
    fn revoke_token(&self, id: i64, now: DateTime<Utc>) -> bool;
    fn ping(&self) -> ();
    fn start_import_run(&self, run: NewImportRun) -> i64;
    fn finish_import_run(&self, id: i64, finished_at: DateTime<Utc>, summary: String) -> ();
    fn last_import_run(&self) -> Option<ImportRun>;
    fn create_workflow_item(&self, item: WorkflowItem, now: DateTime<Utc>) -> StoredWorkflowItem;
    fn workflow_item(&self, id: i64) -> Option<StoredWorkflowItem>;
    fn workflow_items(&self, team: String, filter: WorkflowFilter, page: Page) -> Vec<StoredWorkflowItem>;
    fn update_workflow_item(&self, id: i64, version: i64, item: WorkflowItem, now: DateTime<Utc>) -> Option<StoredWorkflowItem>;
    fn export_workflow(&self, team: Option<String>) -> Vec<StoredWorkflowItem>;
    fn workflow_stamp(&self, team: String) -> WorkflowStamp;
    fn digest_sent(&self, person: String, day: NaiveDate) -> bool;
    fn record_digest_sent(&self, person: String, day: NaiveDate, sent_at: DateTime<Utc>) -> bool;
    fn set_feed_token(&self, person: String, hash: String, now: DateTime<Utc>) -> ();
    fn feed_token_person(&self, hash: String) -> Option<String>;
    fn feed_token_created(&self, person: String) -> Option<DateTime<Utc>>;
    fn revoke_feed_token(&self, person: String) -> bool;
}

/// Fails to compile when opening stops being `Send` (a server opens the
/// store on any task). Some sqlx calls, `raw_sql` on a borrowed connection
/// among them, make a future not `Send` for every lifetime; the `Storage`
/// methods are checked by their signatures, opening only here.
#[cfg(test)]
#[allow(dead_code)]
fn open_is_send() {
    fn is_send<T: Send>(_: T) {}
    is_send(Store::open(""));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_are_masked() {
        assert_eq!(
            mask_url("postgres://fulcrum:s3cret@db.example:5432/fulcrum"),
            "postgres://fulcrum:***@db.example:5432/fulcrum"
        );
        assert_eq!(
            mask_url("postgresql://u@h/db?sslmode=require&password=s3cret"),
            "postgresql://u@h/db?sslmode=require&password=***"
        );
        assert_eq!(mask_url("postgres://u@h/db"), "postgres://u@h/db");
        assert_eq!(mask_url("sqlite://data/x.db"), "sqlite://data/x.db");
        assert_eq!(
            hide_password(
                "postgres://u:s3cret@h/db",
                "password authentication failed (s3cret)"
            ),
            "password authentication failed (***)"
        );
    }

    #[test]
    fn sqlite_urls_and_paths() {
        assert_eq!(sqlite_path("sqlite::memory:"), None);
        assert_eq!(sqlite_path("sqlite://:memory:"), None);
        assert_eq!(
            sqlite_path("sqlite://data/x.db"),
            Some(PathBuf::from("data/x.db"))
        );
        assert_eq!(
            sqlite_path("sqlite:///abs/x.db?mode=ro"),
            Some(PathBuf::from("/abs/x.db"))
        );
        assert_eq!(
            sqlite_path(".fulcrum/fulcrum.db"),
            Some(PathBuf::from(".fulcrum/fulcrum.db"))
        );
        assert_eq!(
            sqlite_url(Path::new("/a b/50%?#.db")).unwrap(),
            "sqlite:/a b/50%25%3F%23.db?mode=rwc"
        );
    }
}
