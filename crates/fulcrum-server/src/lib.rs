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
//!   in-process) from the one route table, [`routes`]; [`serve`]
//!   ([`listen`]) runs it on a listener within the connection bounds of
//!   [`ServerConfig`] until a shutdown future resolves, letting requests in
//!   flight finish up to a deadline.
//! - [`auth`]: passwords (argon2id), session ids and API tokens (random,
//!   stored only as SHA-256 hashes), CSRF tokens, the sign-in rate limiter.
//! - [`oidc`]: sign-in through the organisation's identity provider
//!   (OpenID Connect, `[auth.oidc]`), into the same sessions.
//! - [`error`]: the one error type, mapped to status codes in one match and
//!   rendered as JSON under `/api` and as a small HTML page elsewhere.
//! - [`http`]: the middleware every response passes (request id, one log
//!   line, security headers, body limit), cookies, and the extractors that
//!   authenticate and validate.
//! - [`pages`] (server-rendered HTML, one module per route group, the
//!   shared page chrome in `pages::chrome`) and [`api`] (`/api/v1`,
//!   described by `/openapi.json`).
//! - [`workflow`]: what the asks pages and the API share (reading an ask
//!   the viewer may see, changes under the store's version check, an ask
//!   as JSON).
//! - [`notify`]: the reminder digests over SMTP, sent once in each
//!   person's morning, and their schedule.
//! - [`schedule`]: running an import (the imports page and the schedule of
//!   `[store] import_every` share it).
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
pub mod listen;
pub mod notify;
pub mod oidc;
pub mod pages;
pub mod policy;
pub mod routes;
pub mod schedule;
pub mod state;
pub mod workflow;
pub mod workflow_cache;

pub use config::ServerConfig;
pub use error::Error;
pub use fulcrum_app::dashboard::Snapshot;
pub use listen::serve;
pub use state::{
    AppState, BoxFuture, EditError, ExperimentEdit, ExperimentHook, Hooks, ImportHook, RefreshHook,
};
/// The logging macros, so the CLI's lines around the server share its format.
pub use tracing;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use fulcrum_store::Storage;

/// The whole app: every route of [`routes::table`] (pages, `/api/v1`,
/// `/openapi.json`, `/healthz` and `/static`) and the 404 fallback, behind
/// the middleware of [`http::finish`].
pub fn router<S: Storage + 'static>(state: AppState<S>) -> Router {
    let body_limit = state.config.body_limit;
    // Routes on one path (GET and POST `/signin`) merge into one method
    // router, which answers other methods with 405.
    let app = routes::table::<S>()
        .into_iter()
        .fold(Router::new(), |app, r| app.route(r.path, r.handler))
        .fallback(pages::chrome::not_found)
        .layer(DefaultBodyLimit::max(body_limit))
        .with_state(state.clone());
    app.layer(axum::middleware::from_fn_with_state(
        state,
        http::finish::<S>,
    ))
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
