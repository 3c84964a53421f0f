//! The askama templates (`templates/`, escaping HTML by default) and the
//! static assets embedded in the binary (`assets/`).

use askama::Template;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use fulcrum_app::dashboard::{PersonSnapshot, TeamSnapshot};
use std::sync::OnceLock;

/// The files under `assets/`, in the binary.
#[derive(rust_embed::RustEmbed)]
#[folder = "assets/"]
pub(crate) struct Assets;

/// `/static/app.css`: the report's stylesheet, then the app's.
pub(crate) fn app_css() -> &'static str {
    static CSS: OnceLock<String> = OnceLock::new();
    CSS.get_or_init(|| {
        let app = Assets::get("app.css")
            .map(|f| String::from_utf8_lossy(&f.data).into_owned())
            .unwrap_or_default();
        format!("{}\n{app}", fulcrum_report::report::html::STYLE)
    })
}

/// The navigation bar of a signed-in page.
pub(crate) struct Nav {
    pub email: String,
    pub role: &'static str,
    pub admin: bool,
    pub csrf: String,
    /// Which entry is the current page.
    pub here: &'static str,
}

/// Renders a template as a response, or a logged internal error.
pub(crate) fn render<T: Template>(status: StatusCode, t: &T) -> Response {
    match t.render() {
        Ok(html) => (status, Html(html)).into_response(),
        Err(e) => crate::Error::Internal(format!("template: {e}")).into_response(),
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

#[derive(Template)]
#[template(path = "signin.html")]
pub(crate) struct SigninPage {
    pub nav: Option<Nav>,
    pub csrf: String,
    pub email: String,
    pub error: Option<String>,
}

#[derive(Template)]
#[template(path = "report_part.html")]
pub(crate) struct ReportPart<'a> {
    pub team: Option<&'a TeamSnapshot>,
    pub min: u32,
    pub empty: String,
    /// The team's stored history (none without a team).
    pub history: Option<HistoryPart>,
}

/// The dashboard's "History" section.
pub(crate) struct HistoryPart {
    pub table: std::sync::Arc<crate::history::Table>,
    /// Shown instead of an empty table.
    pub empty: String,
    /// Most weeks shown.
    pub weeks: i64,
}

#[derive(Template)]
#[template(path = "dashboard.html")]
pub(crate) struct DashboardPage<'a> {
    pub nav: Option<Nav>,
    pub title: &'a str,
    pub from: String,
    pub to: String,
    pub weeks: usize,
    pub rule: &'a str,
    pub generated: String,
    pub min: u32,
    pub teams: Vec<&'a str>,
    pub current: &'a str,
    pub part: String,
}

#[derive(Template)]
#[template(path = "me.html")]
pub(crate) struct MePage<'a> {
    pub nav: Option<Nav>,
    pub person: Option<&'a PersonSnapshot>,
    pub focus_week: String,
    pub focus_note: String,
    pub planned: String,
    pub headers: Vec<&'static str>,
    pub rows: Vec<(String, Vec<String>)>,
}

pub(crate) struct TokenRow {
    pub id: i64,
    pub name: String,
    pub created: String,
    pub last_used: String,
    pub state: &'static str,
    pub active: bool,
}

#[derive(Template)]
#[template(path = "tokens.html")]
pub(crate) struct TokensPage {
    pub nav: Option<Nav>,
    pub csrf: String,
    pub created: Option<String>,
    pub created_name: String,
    pub tokens: Vec<TokenRow>,
    pub next: Option<u32>,
}

pub(crate) struct UserRow {
    pub id: i64,
    pub email: String,
    pub role: &'static str,
    pub teams: String,
    pub created: String,
}

#[derive(Template)]
#[template(path = "admin_users.html")]
pub(crate) struct UsersPage {
    pub nav: Option<Nav>,
    pub csrf: String,
    pub notice: Option<String>,
    pub users: Vec<UserRow>,
    pub roles: [&'static str; 3],
    pub prev: Option<u32>,
    pub next: Option<u32>,
}

#[derive(Template)]
#[template(path = "admin_imports.html")]
pub(crate) struct ImportsPage<'a> {
    pub nav: Option<Nav>,
    pub csrf: String,
    pub summary: Option<String>,
    pub error: Option<String>,
    pub generated: String,
    pub teams: usize,
    pub people: usize,
    pub from: String,
    pub to: String,
    /// (kind, source, imported at, records).
    pub sources: Vec<(&'static str, String, String, u64)>,
    pub prev: Option<u32>,
    pub next: Option<u32>,
    pub problems: &'a [String],
}
