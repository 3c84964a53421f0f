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

/// What the server asks the app to do.
#[derive(Clone)]
pub struct Hooks {
    /// Recompute the snapshot.
    pub refresh: RefreshHook,
    /// Run an import.
    pub import: ImportHook,
}

impl std::fmt::Debug for Hooks {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Hooks { refresh, import }")
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
        Hooks { refresh, import }
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
        }
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
        }
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
