//! The route table: every method and path the app answers, with its
//! handler, in one list. [`crate::router`] builds the app from it, and the
//! role-matrix test (`tests/router.rs`) reads it, so a route added here
//! without a row in that matrix fails the test.
//!
//! Roles are enforced in the handlers, not here: the extractors
//! ([`crate::http::PageAuth`], [`crate::http::ApiAuth`]) require a signed-in
//! account, and [`crate::policy`] decides what that account may see or
//! change.

use crate::api;
use crate::pages::{
    asks, assets, dashboard, decisions, experiments, feed, imports, incidents, meetings, my_week,
    oidc, pulse, signin, tokens, updates, users, waits,
};
use crate::state::AppState;
use axum::handler::Handler;
use axum::http::Method;
use axum::routing::{self, MethodRouter};
use fulcrum_store::Storage;

/// One route: a method on a path, and the handler that answers it.
pub struct Route<S> {
    /// The method.
    pub method: Method,
    /// The path as axum matches it: `/tokens/{id}/revoke`.
    pub path: &'static str,
    /// The handler, for this method only.
    pub handler: MethodRouter<AppState<S>>,
}

impl<S: Storage + 'static> Route<S> {
    fn get<H: Handler<T, AppState<S>>, T: 'static>(path: &'static str, handler: H) -> Self {
        Route {
            method: Method::GET,
            path,
            handler: routing::get(handler),
        }
    }

    fn post<H: Handler<T, AppState<S>>, T: 'static>(path: &'static str, handler: H) -> Self {
        Route {
            method: Method::POST,
            path,
            handler: routing::post(handler),
        }
    }

    fn patch<H: Handler<T, AppState<S>>, T: 'static>(path: &'static str, handler: H) -> Self {
        Route {
            method: Method::PATCH,
            path,
            handler: routing::patch(handler),
        }
    }

    fn delete<H: Handler<T, AppState<S>>, T: 'static>(path: &'static str, handler: H) -> Self {
        Route {
            method: Method::DELETE,
            path,
            handler: routing::delete(handler),
        }
    }
}

/// Every route of the app: the pages by route group, the static files,
/// `/healthz`, `/openapi.json`, then the JSON API under `/api/v1`.
pub fn table<S: Storage + 'static>() -> Vec<Route<S>> {
    vec![
        // Signing in and out.
        Route::get("/", signin::root::<S>),
        Route::get("/signin", signin::form::<S>),
        Route::post("/signin", signin::submit::<S>),
        Route::post("/signout", signin::signout::<S>),
        // Signing in through the organisation's identity provider.
        Route::get("/signin/oidc", oidc::start::<S>),
        Route::get("/signin/oidc/callback", oidc::callback::<S>),
        // The team dashboard and "my week".
        Route::get("/dashboard", dashboard::page::<S>),
        Route::post("/dashboard/experiments", experiments::create::<S>),
        Route::post("/dashboard/experiments/{id}/end", experiments::end::<S>),
        Route::get("/me", my_week::page::<S>),
        Route::get("/me/focus.ics", my_week::focus_ics::<S>),
        // The viewer's private calendar feed of their deadlines; the feed
        // itself has no session: its token is the credential.
        Route::post("/me/feed", feed::create::<S>),
        Route::post("/me/feed/revoke", feed::revoke::<S>),
        Route::get("/feeds/{token}/deadlines.ics", feed::deadlines::<S>),
        // The async workflow: asks.
        Route::get("/asks", asks::list::<S>),
        Route::get("/asks/new", asks::new_form::<S>),
        Route::post("/asks", asks::create::<S>),
        Route::get("/asks/{id}", asks::view::<S>),
        Route::post("/asks/{id}/answer", asks::answer::<S>),
        Route::post("/asks/{id}/withdraw", asks::withdraw::<S>),
        // The async workflow: proposals and the decision log.
        Route::get("/decisions", decisions::list::<S>),
        Route::get("/decisions/new", decisions::new_form::<S>),
        Route::post("/decisions", decisions::create::<S>),
        Route::get("/decisions/{id}", decisions::view::<S>),
        Route::post("/decisions/{id}/stance", decisions::stance::<S>),
        Route::post("/decisions/{id}/close", decisions::close::<S>),
        Route::post("/decisions/{id}/withdraw", decisions::withdraw::<S>),
        // The async workflow: meeting records.
        Route::get("/meetings", meetings::list::<S>),
        Route::get("/meetings/new", meetings::new_form::<S>),
        Route::post("/meetings", meetings::create::<S>),
        Route::get("/meetings/{id}", meetings::view::<S>),
        Route::post("/meetings/{id}", meetings::update::<S>),
        // The async workflow: incidents.
        Route::get("/incidents", incidents::list::<S>),
        Route::get("/incidents/new", incidents::new_form::<S>),
        Route::post("/incidents", incidents::create::<S>),
        Route::get("/incidents/{id}", incidents::view::<S>),
        Route::post("/incidents/{id}/resolve", incidents::resolve::<S>),
        Route::post("/incidents/{id}/review", incidents::review::<S>),
        // The async workflow: written updates.
        Route::get("/updates", updates::list::<S>),
        Route::get("/updates/new", updates::new_form::<S>),
        Route::post("/updates", updates::create::<S>),
        Route::get("/updates/{id}", updates::view::<S>),
        // The async workflow: what waits on whom.
        Route::get("/waits", waits::page::<S>),
        // The weekly pulse.
        Route::get("/pulse", pulse::page::<S>),
        Route::post("/pulse", pulse::answer::<S>),
        // The viewer's API tokens.
        Route::get("/tokens", tokens::list::<S>),
        Route::post("/tokens", tokens::create::<S>),
        Route::post("/tokens/{id}/revoke", tokens::revoke::<S>),
        // Administrators: accounts.
        Route::get("/admin/users", users::list::<S>),
        Route::post("/admin/users", users::create::<S>),
        Route::post("/admin/users/{id}", users::update::<S>),
        Route::post("/admin/users/{id}/delete", users::delete::<S>),
        // Administrators: imports.
        Route::get("/admin/imports", imports::list::<S>),
        Route::post("/admin/imports", imports::run::<S>),
        // Files, health, the API's description.
        Route::get("/static/{file}", assets::file),
        Route::get("/healthz", api::healthz),
        Route::get("/readyz", api::readyz::<S>),
        Route::get("/openapi.json", api::openapi),
        // The JSON API.
        Route::get("/api/v1/me", api::me::<S>),
        Route::get("/api/v1/me/week", api::my_week::<S>),
        Route::get("/api/v1/teams", api::teams::<S>),
        Route::get("/api/v1/teams/{team}/report", api::team_report::<S>),
        Route::get("/api/v1/teams/{team}/history", api::team_history::<S>),
        Route::get("/api/v1/users", api::users::<S>),
        Route::post("/api/v1/users", api::create_user::<S>),
        Route::get("/api/v1/users/{id}", api::user::<S>),
        Route::patch("/api/v1/users/{id}", api::update_user::<S>),
        Route::delete("/api/v1/users/{id}", api::delete_user::<S>),
        Route::get("/api/v1/tokens", api::tokens::<S>),
        Route::post("/api/v1/tokens", api::create_token::<S>),
        Route::delete("/api/v1/tokens/{id}", api::revoke_token::<S>),
        Route::get("/api/v1/sources", api::sources::<S>),
        Route::get("/api/v1/teams/{team}/asks", api::team_asks::<S>),
        Route::post("/api/v1/teams/{team}/asks", api::create_ask::<S>),
        Route::get("/api/v1/teams/{team}/workflow", api::team_workflow::<S>),
        Route::get("/api/v1/asks/{id}", api::ask::<S>),
        Route::post("/api/v1/asks/{id}/answer", api::answer_ask::<S>),
        Route::post("/api/v1/asks/{id}/withdraw", api::withdraw_ask::<S>),
        Route::get("/api/v1/teams/{team}/decisions", api::team_decisions::<S>),
        Route::post("/api/v1/teams/{team}/decisions", api::create_decision::<S>),
        Route::get("/api/v1/decisions/{id}", api::decision::<S>),
        Route::post("/api/v1/decisions/{id}/stance", api::decision_stance::<S>),
        Route::post("/api/v1/decisions/{id}/close", api::close_decision::<S>),
        Route::post(
            "/api/v1/decisions/{id}/withdraw",
            api::withdraw_decision::<S>,
        ),
        Route::get("/api/v1/teams/{team}/meetings", api::team_meetings::<S>),
        Route::get(
            "/api/v1/teams/{team}/meetings/calendar",
            api::team_calendar_meetings::<S>,
        ),
        Route::post("/api/v1/teams/{team}/meetings", api::create_meeting::<S>),
        Route::get("/api/v1/meetings/{id}", api::meeting::<S>),
        Route::patch("/api/v1/meetings/{id}", api::update_meeting::<S>),
        Route::get("/api/v1/teams/{team}/incidents", api::team_incidents::<S>),
        Route::post("/api/v1/teams/{team}/incidents", api::create_incident::<S>),
        Route::get("/api/v1/incidents/{id}", api::incident::<S>),
        Route::post("/api/v1/incidents/{id}/resolve", api::resolve_incident::<S>),
        Route::post("/api/v1/incidents/{id}/review", api::review_incident::<S>),
        Route::get("/api/v1/teams/{team}/updates", api::team_updates::<S>),
        Route::post("/api/v1/teams/{team}/updates", api::write_update::<S>),
        Route::get("/api/v1/updates/{id}", api::update::<S>),
        // What waits on whom, and on the caller.
        Route::get("/api/v1/teams/{team}/waits", api::team_waits::<S>),
        Route::get("/api/v1/me/waits", api::my_waits::<S>),
        Route::post("/api/v1/me/feed", api::create_my_feed::<S>),
        Route::delete("/api/v1/me/feed", api::revoke_my_feed::<S>),
        // The weekly pulse: the team's aggregates, the caller's own answers.
        Route::get("/api/v1/teams/{team}/pulse", api::team_pulse::<S>),
        Route::post("/api/v1/teams/{team}/pulse", api::answer_pulse::<S>),
        Route::get("/api/v1/me/pulse", api::my_pulse::<S>),
    ]
}
