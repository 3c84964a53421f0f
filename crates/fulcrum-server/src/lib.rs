//! `fulcrum serve`: the team web app and JSON API over the store.
//!
//! A thin shell, like the CLI: the store ([`fulcrum_store::Storage`]) holds
//! accounts, sessions and API tokens; what is shown comes from a
//! precomputed [`Snapshot`] (`fulcrum_app::dashboard`) that the `refresh`
//! hook replaces; imports run through the `import` hook. The server never
//! computes a report itself, so it does not depend on how the app computes
//! one.
//!
//! - [`router`] builds the whole app as an `axum::Router` (tested
//!   in-process); [`serve`] runs it on a listener until a shutdown future
//!   resolves, letting requests in flight finish.
//! - [`auth`]: passwords (argon2id), session ids and API tokens (random,
//!   stored only as SHA-256 hashes), CSRF tokens, the sign-in rate limiter.
//! - [`error`]: the one error type, mapped to status codes in one match and
//!   rendered as JSON under `/api` and as a small HTML page elsewhere.
//! - [`http`]: the middleware every response passes (request id, one log
//!   line, security headers, body limit), cookies, and the extractors that
//!   authenticate and validate.
//! - [`pages`] (server-rendered HTML) and [`api`] (`/api/v1`, described by
//!   `/openapi.json`).
//! - [`history`]: a team's stored weekly aggregates (they outlive
//!   retention), read from the store: on each API call, and for the
//!   dashboard's table at most once a minute per team.
//!
//! Privacy: a member sees their own team's aggregates and their own week; a
//! lead the aggregates of the teams they lead; an administrator every
//! team's aggregates and the accounts. No endpoint returns another
//! person's individual data to a member or a lead: the snapshot's team
//! reports are built without per-person rows, the stored history holds
//! team aggregates only, and a person's own view is looked up only under
//! the signed-in account's email.

pub mod api;
pub mod auth;
pub mod config;
pub mod error;
pub mod history;
pub mod http;
pub mod pages;
pub mod policy;
pub mod state;
mod views;

pub use config::ServerConfig;
pub use error::Error;
pub use fulcrum_app::dashboard::Snapshot;
pub use state::{AppState, BoxFuture, Hooks, ImportHook, RefreshHook};
/// The logging macros, so the CLI's lines around the server share its format.
pub use tracing;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post};
use fulcrum_store::Storage;
use std::future::Future;
use std::net::SocketAddr;

/// The whole app: pages, `/api/v1`, `/openapi.json`, `/healthz` and
/// `/static`, behind the middleware of [`http::finish`].
pub fn router<S: Storage + 'static>(state: AppState<S>) -> Router {
    let body_limit = state.config.body_limit;
    let app = Router::new()
        .route("/", get(pages::root::<S>))
        .route(
            "/signin",
            get(pages::signin_form::<S>).post(pages::signin::<S>),
        )
        .route("/signout", post(pages::signout::<S>))
        .route("/dashboard", get(pages::dashboard::<S>))
        .route("/me", get(pages::me::<S>))
        .route(
            "/tokens",
            get(pages::tokens::<S>).post(pages::create_token::<S>),
        )
        .route("/tokens/{id}/revoke", post(pages::revoke_token::<S>))
        .route(
            "/admin/users",
            get(pages::admin_users::<S>).post(pages::admin_create_user::<S>),
        )
        .route("/admin/users/{id}", post(pages::admin_update_user::<S>))
        .route(
            "/admin/users/{id}/delete",
            post(pages::admin_delete_user::<S>),
        )
        .route(
            "/admin/imports",
            get(pages::admin_imports::<S>).post(pages::admin_run_import::<S>),
        )
        .route("/static/{file}", get(pages::static_file))
        .route("/healthz", get(api::healthz))
        .route("/openapi.json", get(api::openapi))
        .nest("/api/v1", api::routes::<S>())
        .fallback(pages::not_found)
        .layer(DefaultBodyLimit::max(body_limit))
        .with_state(state.clone());
    app.layer(axum::middleware::from_fn_with_state(
        state,
        http::finish::<S>,
    ))
}

/// Serves `router` on `listener` until `shutdown` resolves; requests in
/// flight then finish before this returns. The peer address reaches the
/// handlers (the sign-in rate limit is per address).
pub async fn serve(
    listener: tokio::net::TcpListener,
    router: Router,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    axum::serve(
        listener,
        router.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown)
    .await
}

/// Structured logs on standard error: one `key=value` line per event
/// (per request: method, path, status, latency, request id), at `info` and
/// above, or at `debug` and above with `verbose`. Call once; a second call
/// is ignored.
pub fn init_logging(verbose: bool) {
    let level = if verbose {
        tracing::Level::DEBUG
    } else {
        tracing::Level::INFO
    };
    let _ = tracing_subscriber::fmt()
        .with_max_level(level)
        .with_writer(std::io::stderr)
        .with_ansi(false)
        .with_target(false)
        .try_init();
}
