//! What every page shares: the navigation bar of `templates/base.html`,
//! rendering a template as a response, the error page, the `404` fallback,
//! times as pages show them (in UTC, or on a person's clock), the team a
//! workflow page is about, query values, and the small forms and queries
//! several pages take (the CSRF-only form, `?offset=`).

use crate::error::Error;
use crate::http::Viewer;
use askama::Template;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use chrono::{DateTime, Utc};
use fulcrum_app::dashboard::Snapshot;
use fulcrum_store::Role;
use serde::Deserialize;

/// Rows per page of the HTML lists.
pub(crate) const PAGE_ROWS: u32 = 50;

/// The navigation bar of a signed-in page.
pub(crate) struct Nav {
    pub email: String,
    pub role: &'static str,
    pub admin: bool,
    pub csrf: String,
    /// Which entry is the current page.
    pub here: &'static str,
}

/// The navigation bar for `v`, with `here` marked as the current page.
pub(crate) fn nav(v: &Viewer, here: &'static str) -> Option<Nav> {
    Some(Nav {
        email: v.user.email.clone(),
        role: v.user.role.as_str(),
        admin: v.user.role == Role::Admin,
        csrf: v.csrf().to_owned(),
        here,
    })
}

/// `2026-09-01 10:00 UTC`.
pub(crate) fn when(t: DateTime<Utc>) -> String {
    t.format("%Y-%m-%d %H:%M UTC").to_string()
}

/// An instant on a zone's clock: `Wed 2026-12-09 15:00 Europe/Berlin`.
pub(crate) fn local_time(t: DateTime<Utc>, tz: chrono_tz::Tz) -> String {
    format!(
        "{} {}",
        t.with_timezone(&tz).format("%a %Y-%m-%d %H:%M"),
        tz.name()
    )
}

/// The viewer's zone: theirs on the people list, else UTC.
pub(crate) fn viewer_zone(snap: &Snapshot, viewer: &Viewer) -> chrono_tz::Tz {
    snap.person(&viewer.user.email)
        .map_or(chrono_tz::Tz::UTC, |p| *p.clock.tz())
}

/// Percent-encodes everything but unreserved characters (a query value).
pub(crate) fn url_component(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The team a workflow page is about: the one asked for (if the viewer may
/// see it: 404 or 403 otherwise), else the viewer's own, else the first
/// they see; `None` when they see none.
pub(crate) fn chosen_team(
    snap: &Snapshot,
    viewer: &Viewer,
    asked: &str,
) -> Result<Option<String>, Error> {
    if !asked.is_empty() {
        return Ok(Some(
            crate::policy::team_for(&viewer.user, snap, asked)?
                .name
                .clone(),
        ));
    }
    let visible = crate::policy::visible_teams(&viewer.user, snap);
    let own = snap.person(&viewer.user.email).map(|p| p.team.clone());
    Ok(own
        .filter(|t| visible.iter().any(|v| &v.name == t))
        .or_else(|| visible.first().map(|t| t.name.clone())))
}

/// Renders a template as a response, or a logged internal error.
pub(crate) fn render<T: Template>(status: StatusCode, t: &T) -> Response {
    match t.render() {
        Ok(html) => (status, Html(html)).into_response(),
        Err(e) => Error::Internal(format!("template: {e}")).into_response(),
    }
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage<'a> {
    nav: Option<Nav>,
    status: String,
    message: &'a str,
    request_id: &'a str,
}

/// The small HTML page of an error.
pub(crate) fn error_page(status: StatusCode, message: &str, request_id: &str) -> String {
    let page = ErrorPage {
        nav: None,
        status: format!(
            "{} {}",
            status.as_u16(),
            status.canonical_reason().unwrap_or("Error")
        ),
        message,
        request_id,
    };
    page.render().unwrap_or_else(|_| {
        // Escaping by hand: the template failed, the message still must not
        // inject markup.
        format!(
            "<!DOCTYPE html><title>Error</title><p>{}</p>",
            fulcrum_report::report::svg::esc(message)
        )
    })
}

/// Anything else: 404.
pub async fn not_found() -> Error {
    Error::NotFound("no such page".into())
}

/// A form with only the CSRF token.
#[derive(Debug, Deserialize)]
pub struct CsrfForm {
    #[serde(default)]
    pub(crate) csrf: String,
}

/// A form that names the version of the object it changes, and nothing
/// else (withdraw an ask or a proposal, resolve an incident).
#[derive(Debug, Deserialize)]
pub struct VersionForm {
    #[serde(default)]
    pub(crate) csrf: String,
    pub(crate) version: i64,
}

/// `?offset=` of the HTML lists (and `done=` of the users page).
#[derive(Debug, Deserialize)]
pub struct PageQuery {
    #[serde(default)]
    pub(crate) offset: u32,
    pub(crate) done: Option<String>,
}
