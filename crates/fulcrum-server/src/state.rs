//! The state every handler shares: the store, the current snapshot, the
//! hooks that recompute it and run imports, the settings and the sign-in
//! rate limiter.

use crate::auth::{PasswordChecks, RateLimiter, new_server_secret};
use crate::config::ServerConfig;
use crate::history::{TABLE_TTL, TableCache};
use fulcrum_app::dashboard::Snapshot;
use fulcrum_app::report::Computed;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex, RwLock};

/// A boxed future that can move between threads.
pub type BoxFuture<T> = Pin<Box<dyn Future<Output = T> + Send + 'static>>;

/// Recomputes the snapshot (from the store, or from workspace files). The
/// error is a message for the administrator.
pub type RefreshHook = Arc<dyn Fn() -> BoxFuture<Result<Snapshot, String>> + Send + Sync>;

/// Runs an import and returns a one-line summary. The error is a message
/// for the administrator.
pub type ImportHook = Arc<dyn Fn() -> BoxFuture<Result<String, String>> + Send + Sync>;

/// A change to the workspace's experiments, asked for by a team's lead
/// (or an administrator) on the dashboard.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ExperimentEdit {
    /// Declare one, as `fulcrum experiment new` does.
    New {
        /// The treated team.
        team: String,
        /// First day of the change.
        start: chrono::NaiveDate,
        /// Treatment weeks (default: the finding's, else 4).
        weeks: Option<u32>,
        /// The finding it answers (prefills the change and the signals).
        from_finding: Option<String>,
        /// Control teams.
        control: Vec<String>,
    },
    /// Stop one today ("End now").
    End {
        /// Its team (an id of another team is unknown).
        team: String,
        /// Its id.
        id: String,
        /// The day it stops.
        today: chrono::NaiveDate,
    },
}

/// Why an experiment edit was not made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EditError {
    /// The request is wrong (unknown team, overlapping experiment, bad
    /// date...): the message says what to change.
    Invalid(String),
    /// The workspace could not be written: for the administrator.
    Failed(String),
}

/// Applies an experiment edit to the workspace and returns a sentence for
/// the page.
pub type ExperimentHook =
    Arc<dyn Fn(ExperimentEdit) -> BoxFuture<Result<String, EditError>> + Send + Sync>;

/// What the server asks the app to do.
#[derive(Clone)]
pub struct Hooks {
    /// Recompute the snapshot.
    pub refresh: RefreshHook,
    /// Run an import.
    pub import: ImportHook,
    /// Edit the workspace's experiments; `None`: the dashboard offers no
    /// forms (experiments are declared in `fulcrum.toml`).
    pub experiments: Option<ExperimentHook>,
}

impl std::fmt::Debug for Hooks {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Hooks { refresh, import, experiments }")
    }
}

impl Hooks {
    /// Hooks from a function that computes a report: its result becomes the
    /// snapshot through [`Snapshot::from_computed`] (no focus blocks: a
    /// [`Computed`] keeps no calendar occurrences), on a blocking thread as
    /// rendering the team reports takes CPU time.
    pub fn from_compute(
        compute: Arc<dyn Fn() -> BoxFuture<Result<Computed, String>> + Send + Sync>,
        import: ImportHook,
    ) -> Hooks {
        let refresh: RefreshHook = Arc::new(move || {
            let compute = compute.clone();
            Box::pin(async move {
                let computed = compute().await?;
                tokio::task::spawn_blocking(move || {
                    Snapshot::from_computed(&computed, chrono::Utc::now())
                })
                .await
                .map_err(|e| format!("building the snapshot failed: {e}"))
            })
        });
        Hooks {
            refresh,
            import,
            experiments: None,
        }
    }
}

/// The shared state. Cloning is cheap (reference counts).
pub struct AppState<S> {
    /// The store: accounts, sessions, tokens, sources.
    pub store: Arc<S>,
    /// What is shown; a refresh swaps the inner `Arc`, so a request holds
    /// one consistent snapshot for its whole life.
    pub snapshot: Arc<RwLock<Arc<Snapshot>>>,
    /// The app's hooks.
    pub hooks: Hooks,
    /// The settings.
    pub config: Arc<ServerConfig>,
    pub(crate) limiter: Arc<Mutex<RateLimiter>>,
    /// The bound on argon2 computations at once.
    pub(crate) password_checks: Arc<PasswordChecks>,
    /// This process's signing secret (sign-in CSRF tokens).
    pub(crate) secret: Arc<[u8; 32]>,
    /// Held while an import runs, so two never overlap.
    pub(crate) import_running: Arc<tokio::sync::Mutex<()>>,
    /// The dashboard's history tables, dropped with each snapshot.
    pub(crate) history: Arc<TableCache>,
    /// Sign-in through the organisation's identity provider, when
    /// `[auth.oidc]` is set.
    pub(crate) oidc: Option<Arc<crate::oidc::Oidc>>,
    /// The SMTP server of `[notify]`, when set.
    pub(crate) smtp: Option<Arc<crate::notify::SmtpSettings>>,
    /// Each team's workflow objects, read again when they change.
    pub(crate) workflow_cache: Arc<crate::workflow_cache::WorkflowCache>,
}

impl<S> Clone for AppState<S> {
    fn clone(&self) -> Self {
        AppState {
            store: self.store.clone(),
            snapshot: self.snapshot.clone(),
            hooks: self.hooks.clone(),
            config: self.config.clone(),
            limiter: self.limiter.clone(),
            password_checks: self.password_checks.clone(),
            secret: self.secret.clone(),
            import_running: self.import_running.clone(),
            history: self.history.clone(),
            oidc: self.oidc.clone(),
            smtp: self.smtp.clone(),
            workflow_cache: self.workflow_cache.clone(),
        }
    }
}

impl<S: fulcrum_store::Storage> AppState<S> {
    /// A team's workflow objects that pass `filter`, newest first, a page
    /// at a time: the store's `workflow_items`, answered from the objects
    /// kept in memory while the team's stamp is unchanged.
    pub async fn workflow_items(
        &self,
        team: String,
        filter: fulcrum_store::WorkflowFilter,
        page: fulcrum_store::Page,
    ) -> Result<Vec<fulcrum_store::StoredWorkflowItem>, fulcrum_store::StoreError> {
        let items = self.workflow_cache.team(&*self.store, &team).await?;
        Ok(filter.page_of(&items, page))
    }

    /// The store's `create_workflow_item`; the team's objects in memory
    /// are read again on the next request.
    pub async fn create_workflow_item(
        &self,
        item: fulcrum_store::WorkflowItem,
        now: chrono::DateTime<chrono::Utc>,
    ) -> Result<fulcrum_store::StoredWorkflowItem, fulcrum_store::StoreError> {
        let team = item.team().to_owned();
        let out = self.store.create_workflow_item(item, now).await;
        self.workflow_cache.forget(&team);
        out
    }

    /// The store's `update_workflow_item`; the team's objects in memory
    /// are read again on the next request.
    pub async fn update_workflow_item(
        &self,
        id: i64,
        version: i64,
        item: fulcrum_store::WorkflowItem,
        now: chrono::DateTime<chrono::Utc>,
    ) -> Result<Option<fulcrum_store::StoredWorkflowItem>, fulcrum_store::StoreError> {
        let team = item.team().to_owned();
        let out = self
            .store
            .update_workflow_item(id, version, item, now)
            .await;
        self.workflow_cache.forget(&team);
        out
    }
}

impl<S> AppState<S> {
    /// A state over `store`, showing `snapshot` until the first refresh.
    pub fn new(store: S, snapshot: Snapshot, hooks: Hooks, config: ServerConfig) -> Self {
        AppState {
            store: Arc::new(store),
            snapshot: Arc::new(RwLock::new(Arc::new(snapshot))),
            hooks,
            limiter: Arc::new(Mutex::new(RateLimiter::new(
                config.login_max_failures,
                config.login_window,
            ))),
            password_checks: Arc::new(PasswordChecks::new(
                config.max_password_checks,
                config.hash_wait,
            )),
            secret: Arc::new(new_server_secret()),
            config: Arc::new(config),
            import_running: Arc::new(tokio::sync::Mutex::new(())),
            history: Arc::new(TableCache::new(TABLE_TTL)),
            oidc: None,
            smtp: None,
            workflow_cache: Arc::default(),
        }
    }

    /// Sends reminder digests through this SMTP server.
    pub fn with_smtp(mut self, smtp: crate::notify::SmtpSettings) -> Self {
        self.smtp = Some(Arc::new(smtp));
        self
    }

    /// Offers sign-in through an OpenID Connect provider too (passwords
    /// still work for the accounts that have one).
    pub fn with_oidc(mut self, oidc: crate::oidc::Oidc) -> Self {
        self.oidc = Some(Arc::new(oidc));
        self
    }

    /// The snapshot shown now.
    pub fn snapshot(&self) -> Arc<Snapshot> {
        match self.snapshot.read() {
            Ok(s) => s.clone(),
            // A writer panicked mid-swap; the Arc inside is still whole.
            Err(poisoned) => poisoned.into_inner().clone(),
        }
    }

    /// Shows `snapshot` from now on; the dashboard's history tables are
    /// read from the store again.
    pub fn set_snapshot(&self, snapshot: Snapshot) {
        let new = Arc::new(snapshot);
        match self.snapshot.write() {
            Ok(mut s) => *s = new,
            Err(poisoned) => *poisoned.into_inner() = new,
        }
        self.history.clear();
    }

    /// Runs the refresh hook and shows its snapshot.
    pub async fn refresh(&self) -> Result<(), String> {
        let snapshot = (self.hooks.refresh)().await?;
        self.set_snapshot(snapshot);
        Ok(())
    }
}
