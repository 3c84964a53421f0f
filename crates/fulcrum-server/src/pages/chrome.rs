//! What every page shares: the navigation bar of `templates/base.html`,
//! rendering a template as a response, the error page, the `404` fallback,
//! times as pages show them, and the small forms and queries several pages
//! take (the CSRF-only form, `?offset=`).

use crate::error::Error;
use crate::http::Viewer;
use askama::Template;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use chrono::{DateTime, Utc};
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

/// `?offset=` of the HTML lists (and `done=` of the users page).
#[derive(Debug, Deserialize)]
pub struct PageQuery {
    #[serde(default)]
    pub(crate) offset: u32,
    pub(crate) done: Option<String>,
}
