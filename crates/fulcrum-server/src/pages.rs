//! The server-rendered pages: sign-in and sign-out, the team dashboard,
//! "my week", API tokens, and the administrators' users and imports. Every
//! form carries the session's CSRF token (the sign-in form a pre-session
//! one, double-submitted in a cookie); a page visited without a session
//! redirects to `/signin`.

use crate::auth::{
    constant_time_eq, dummy_hash, hash_password, new_csrf_token, new_session_id, new_token,
    sha256_hex, verify_password,
};
use crate::error::Error;
use crate::history;
use crate::http::{
    ApiPath, ApiQuery, ClientAddr, FormBody, PageAuth, SESSION_COOKIE, SIGNIN_CSRF_COOKIE, Viewer,
    check_form_csrf, cookie, session_viewer, set_cookie,
};
use crate::policy::{self, visible_teams};
use crate::state::AppState;
use crate::views::{
    Assets, DashboardPage, HistoryPart, ImportsPage, MePage, Nav, ReportPart, SigninPage, TokenRow,
    TokensPage, UserRow, UsersPage, app_css, render,
};
use askama::Template;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use chrono::{DateTime, Utc};
use fulcrum_app::dashboard::{MY_WEEK_SIGNALS, Snapshot, TeamSnapshot};
use fulcrum_report::report::show;
use fulcrum_store::{NewSession, NewToken, NewUser, Page, Role, Storage, UserChange};
use serde::Deserialize;
use std::sync::Arc;
use std::time::Instant;

/// Rows per page of the HTML lists.
const PAGE_ROWS: u32 = 50;

fn nav(v: &Viewer, here: &'static str) -> Option<Nav> {
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

/// `GET /`: to the dashboard when signed in, else to the sign-in page.
pub async fn root<S: Storage + 'static>(
    State(state): State<AppState<S>>,
    headers: HeaderMap,
) -> Result<Redirect, Error> {
    Ok(match session_viewer(&state, &headers).await? {
        Some(_) => Redirect::to("/dashboard"),
        None => Redirect::to("/signin"),
    })
}

fn signin_page(status: StatusCode, csrf: String, email: String, error: Option<String>) -> Response {
    render(
        status,
        &SigninPage {
            nav: None,
            csrf,
            email,
            error,
        },
    )
}

/// `GET /signin`: the form, with a fresh CSRF token in a cookie and a
/// hidden field.
pub async fn signin_form<S: Storage + 'static>(
    State(state): State<AppState<S>>,
    headers: HeaderMap,
) -> Result<Response, Error> {
    if session_viewer(&state, &headers).await?.is_some() {
        return Ok(Redirect::to("/dashboard").into_response());
    }
    let csrf = new_csrf_token();
    let mut res = signin_page(StatusCode::OK, csrf.clone(), String::new(), None);
    res.headers_mut().append(
        header::SET_COOKIE,
        set_cookie(SIGNIN_CSRF_COOKIE, &csrf, 3600, state.config.secure_cookies),
    );
    Ok(res)
}

/// The sign-in form.
#[derive(Debug, Deserialize)]
pub struct SigninForm {
    email: String,
    password: String,
    #[serde(default)]
    csrf: String,
}

/// `POST /signin`: checks the CSRF pair and the rate limits (per client
/// address and per email), then the password; on success a new session
/// (id in an HttpOnly cookie, its hash in the store).
pub async fn signin<S: Storage + 'static>(
    State(state): State<AppState<S>>,
    ClientAddr(addr): ClientAddr,
    headers: HeaderMap,
    FormBody(form): FormBody<SigninForm>,
) -> Result<Response, Error> {
    let sent = cookie(&headers, SIGNIN_CSRF_COOKIE).unwrap_or("");
    if sent.is_empty() || !constant_time_eq(sent, &form.csrf) {
        return Err(Error::Forbidden(
            "the sign-in form expired: reload the page and try again".into(),
        ));
    }
    let email = form.email.trim().to_lowercase();
    let ip_key = format!("ip:{addr}");
    let email_key = format!("email:{email}");
    {
        let now = Instant::now();
        let mut limiter = state
            .limiter
            .lock()
            .map_err(|_| Error::Internal("rate limiter lock poisoned".into()))?;
        let wait = limiter
            .blocked(&ip_key, now)
            .max(limiter.blocked(&email_key, now));
        if let Some(retry_after) = wait {
            tracing::warn!(client = %addr, "sign-in rate limited");
            return Err(Error::TooManyRequests { retry_after });
        }
    }
    let user = if email.len() <= 254 {
        state.store.user_by_email(email.clone()).await?
    } else {
        None
    };
    let hash = user
        .as_ref()
        .and_then(|u| u.password_hash.clone())
        .unwrap_or_else(|| dummy_hash().to_owned());
    let password = form.password;
    // argon2 takes tens of milliseconds of CPU: off the async workers.
    let ok = tokio::task::spawn_blocking(move || verify_password(&password, &hash))
        .await
        .map_err(|e| Error::Internal(format!("password check: {e}")))?;
    let user = match (ok, user) {
        (true, Some(u)) if u.password_hash.is_some() => u,
        _ => {
            let now = Instant::now();
            if let Ok(mut limiter) = state.limiter.lock() {
                limiter.fail(&ip_key, now);
                limiter.fail(&email_key, now);
            }
            let csrf = new_csrf_token();
            let mut res = signin_page(
                StatusCode::UNAUTHORIZED,
                csrf.clone(),
                form.email.trim().to_owned(),
                Some("The email or password is wrong.".into()),
            );
            res.headers_mut().append(
                header::SET_COOKIE,
                set_cookie(SIGNIN_CSRF_COOKIE, &csrf, 3600, state.config.secure_cookies),
            );
            return Ok(res);
        }
    };
    if let Ok(mut limiter) = state.limiter.lock() {
        limiter.clear(&email_key);
    }
    let id = new_session_id();
    let now = Utc::now();
    let ttl = chrono::Duration::from_std(state.config.session_ttl)
        .map_err(|e| Error::Internal(format!("session ttl: {e}")))?;
    state
        .store
        .create_session(NewSession {
            id_hash: sha256_hex(&id),
            user_id: user.id,
            csrf: new_csrf_token(),
            created_at: now,
            expires_at: now + ttl,
        })
        .await?;
    tracing::info!(user_id = user.id, "signed in");
    let mut res = Redirect::to("/dashboard").into_response();
    let secure = state.config.secure_cookies;
    let h = res.headers_mut();
    h.append(
        header::SET_COOKIE,
        set_cookie(
            SESSION_COOKIE,
            &id,
            state.config.session_ttl.as_secs(),
            secure,
        ),
    );
    h.append(
        header::SET_COOKIE,
        set_cookie(SIGNIN_CSRF_COOKIE, "", 0, secure),
    );
    Ok(res)
}

/// A form with only the CSRF token.
#[derive(Debug, Deserialize)]
pub struct CsrfForm {
    #[serde(default)]
    csrf: String,
}

/// `POST /signout`: ends the session in the store and clears the cookie.
pub async fn signout<S: Storage + 'static>(
    State(state): State<AppState<S>>,
    PageAuth(viewer): PageAuth,
    FormBody(form): FormBody<CsrfForm>,
) -> Result<Response, Error> {
    check_form_csrf(&viewer, &form.csrf)?;
    if let crate::http::Via::Session { id_hash, .. } = &viewer.via {
        state
            .store
            .delete_session(id_hash.clone(), Utc::now())
            .await?;
    }
    let mut res = Redirect::to("/signin").into_response();
    res.headers_mut().append(
        header::SET_COOKIE,
        set_cookie(SESSION_COOKIE, "", 0, state.config.secure_cookies),
    );
    Ok(res)
}

/// `?team=`.
#[derive(Debug, Deserialize)]
pub struct TeamQuery {
    team: Option<String>,
}

/// `GET /dashboard[?team=NAME]`: the findings, charts and tables of one of
/// the teams the viewer may see (the report's own renderer). With
/// `HX-Request` (htmx), only the report part.
pub async fn dashboard<S: Storage + 'static>(
    State(state): State<AppState<S>>,
    PageAuth(viewer): PageAuth,
    ApiQuery(q): ApiQuery<TeamQuery>,
    headers: HeaderMap,
) -> Result<Response, Error> {
    let snap = state.snapshot();
    let visible = visible_teams(&viewer.user, &snap);
    let team = match q.team.as_deref().filter(|t| !t.is_empty()) {
        Some(name) => Some(policy::team_for(&viewer.user, &snap, name)?),
        None => visible.first().copied(),
    };
    let history = match team {
        Some(t) => Some(history_part(&state, t, &snap).await?),
        None => None,
    };
    let empty = if snap.teams.is_empty() {
        "Nothing has been computed yet: an administrator can run an import.".to_owned()
    } else if snap.person(&viewer.user.email).is_none() && viewer.user.role == Role::Member {
        "Your email is not on the workspace's people list, so there is no team of yours to show."
            .to_owned()
    } else {
        "No team is assigned to you: ask an administrator.".to_owned()
    };
    let part = ReportPart {
        team,
        min: snap.min_group_size,
        empty,
        history,
    }
    .render()
    .map_err(|e| Error::Internal(format!("template: {e}")))?;
    // htmx swapping the team in place gets the report part only; a history
    // restore (back button) gets the whole page.
    if headers.contains_key("hx-request") && !headers.contains_key("hx-history-restore-request") {
        let mut res = Html(part).into_response();
        res.headers_mut()
            .insert(header::VARY, HeaderValue::from_static("HX-Request"));
        return Ok(res);
    }
    let page = DashboardPage {
        nav: nav(&viewer, "dashboard"),
        title: &snap.title,
        from: snap.window.from.to_string(),
        to: snap.window.to.to_string(),
        weeks: snap.weeks.len(),
        rule: &snap.window_rule,
        generated: when(snap.generated_at),
        min: snap.min_group_size,
        teams: visible.iter().map(|t| t.name.as_str()).collect(),
        current: team.map_or("", |t| t.name.as_str()),
        part,
    };
    let mut res = render(StatusCode::OK, &page);
    res.headers_mut()
        .insert(header::VARY, HeaderValue::from_static("HX-Request"));
    Ok(res)
}

/// The dashboard's history of `team`: a few key signals of the last
/// [`history::TABLE_WEEKS`] weeks up to the snapshot's window, from the
/// store at most once per [`history::TABLE_TTL`] (none for a team too small
/// to show).
async fn history_part<S: Storage + 'static>(
    state: &AppState<S>,
    team: &TeamSnapshot,
    snap: &Snapshot,
) -> Result<HistoryPart, Error> {
    if team.too_small {
        return Ok(HistoryPart {
            table: Arc::new(history::Table::default()),
            empty: format!(
                "Team {} is too small to show: no history is kept for it.",
                team.name
            ),
            weeks: history::TABLE_WEEKS,
        });
    }
    let since = history::table_since(snap.window.to);
    let min = snap.min_group_size;
    let table = state
        .history
        .get(&team.name, || async {
            let rows = state.store.aggregates(Some(team.name.clone())).await?;
            let rows = history::since(rows, since)
                .into_iter()
                .filter(|a| {
                    history::TABLE_SIGNALS
                        .iter()
                        .any(|id| id.as_str() == a.signal)
                })
                .collect();
            Ok(history::table(&history::weeks(rows, min)))
        })
        .await?;
    Ok(HistoryPart {
        table,
        empty: "No stored history yet: run an import.".to_owned(),
        weeks: history::TABLE_WEEKS,
    })
}

/// `GET /me`: the viewer's own week: signals and planned focus blocks.
pub async fn me<S: Storage + 'static>(
    State(state): State<AppState<S>>,
    PageAuth(viewer): PageAuth,
) -> Result<Response, Error> {
    let snap = state.snapshot();
    let person = snap.person(&viewer.user.email);
    let rows = person
        .map(|p| {
            p.weeks
                .iter()
                .map(|(week, cells)| {
                    let shown = MY_WEEK_SIGNALS
                        .iter()
                        .map(|id| match cells.iter().find(|(i, _)| i == id) {
                            Some((_, c)) if c.value.is_some() => show(*id, c.value),
                            Some((_, c)) => c.reason.unwrap_or("unknown").replace('_', " "),
                            None => String::new(),
                        })
                        .collect();
                    (week.to_string(), shown)
                })
                .collect()
        })
        .unwrap_or_default();
    let planned = person
        .and_then(|p| p.focus.as_ref())
        .map(|f| {
            format!(
                "{} h {:02} min",
                f.planned_minutes / 60,
                f.planned_minutes % 60
            )
        })
        .unwrap_or_default();
    let page = MePage {
        nav: nav(&viewer, "me"),
        person,
        focus_week: person
            .and_then(|p| p.focus.as_ref())
            .map(|f| f.week.to_string())
            .or_else(|| snap.last_week().map(|w| w.to_string()))
            .unwrap_or_default(),
        focus_note: snap
            .focus_note
            .clone()
            .unwrap_or_else(|| "no focus plan".to_owned()),
        planned,
        headers: MY_WEEK_SIGNALS.iter().map(|s| s.as_str()).collect(),
        rows,
    };
    Ok(render(StatusCode::OK, &page))
}

/// `?offset=` of the HTML lists (and `done=` of the users page).
#[derive(Debug, Deserialize)]
pub struct PageQuery {
    #[serde(default)]
    offset: u32,
    done: Option<String>,
}

async fn tokens_page<S: Storage + 'static>(
    state: &AppState<S>,
    viewer: &Viewer,
    offset: u32,
    created: Option<(String, String)>,
) -> Result<Response, Error> {
    let list = state
        .store
        .tokens(
            Some(viewer.user.id),
            Page {
                offset,
                limit: PAGE_ROWS,
            },
        )
        .await?;
    let next = (list.len() as u32 == PAGE_ROWS).then_some(offset + PAGE_ROWS);
    let tokens = list
        .into_iter()
        .map(|t| TokenRow {
            id: t.id,
            created: when(t.created_at),
            last_used: t.last_used_at.map_or_else(|| "never".to_owned(), when),
            state: if t.revoked_at.is_some() {
                "revoked"
            } else {
                "active"
            },
            active: t.revoked_at.is_none(),
            name: t.name,
        })
        .collect();
    let (created_name, created) = match created {
        Some((name, token)) => (name, Some(token)),
        None => (String::new(), None),
    };
    Ok(render(
        StatusCode::OK,
        &TokensPage {
            nav: nav(viewer, "tokens"),
            csrf: viewer.csrf().to_owned(),
            created,
            created_name,
            tokens,
            next,
        },
    ))
}

/// `GET /tokens`: the viewer's own API tokens.
pub async fn tokens<S: Storage + 'static>(
    State(state): State<AppState<S>>,
    PageAuth(viewer): PageAuth,
    ApiQuery(q): ApiQuery<PageQuery>,
) -> Result<Response, Error> {
    tokens_page(&state, &viewer, q.offset, None).await
}

/// The new-token form.
#[derive(Debug, Deserialize)]
pub struct TokenForm {
    #[serde(default)]
    csrf: String,
    name: String,
}

/// `POST /tokens`: creates a token and shows it once.
pub async fn create_token<S: Storage + 'static>(
    State(state): State<AppState<S>>,
    PageAuth(viewer): PageAuth,
    FormBody(form): FormBody<TokenForm>,
) -> Result<Response, Error> {
    check_form_csrf(&viewer, &form.csrf)?;
    let name = policy::token_name(form.name.trim())?;
    let token = new_token();
    state
        .store
        .create_token(NewToken {
            user_id: viewer.user.id,
            name: name.clone(),
            hash: sha256_hex(&token),
            created_at: Utc::now(),
        })
        .await?;
    tokens_page(&state, &viewer, 0, Some((name, token))).await
}

/// Whether `viewer` may revoke token `id`: their own, or any for an
/// administrator. Unknown and foreign tokens look the same (404).
pub(crate) async fn may_revoke<S: Storage + 'static>(
    state: &AppState<S>,
    viewer: &Viewer,
    id: i64,
) -> Result<(), Error> {
    if viewer.user.role == Role::Admin {
        return Ok(());
    }
    let mut offset = 0;
    loop {
        let page = state
            .store
            .tokens(
                Some(viewer.user.id),
                Page {
                    offset,
                    limit: Page::MAX_LIMIT,
                },
            )
            .await?;
        if page
            .iter()
            .any(|t| t.id == id && t.user_id == viewer.user.id)
        {
            return Ok(());
        }
        if (page.len() as u32) < Page::MAX_LIMIT {
            return Err(Error::NotFound(format!("no token {id} of yours")));
        }
        offset += Page::MAX_LIMIT;
    }
}

/// `POST /tokens/{id}/revoke`: revokes one of the viewer's tokens (an
/// administrator: any token).
pub async fn revoke_token<S: Storage + 'static>(
    State(state): State<AppState<S>>,
    PageAuth(viewer): PageAuth,
    ApiPath(id): ApiPath<i64>,
    FormBody(form): FormBody<CsrfForm>,
) -> Result<Response, Error> {
    check_form_csrf(&viewer, &form.csrf)?;
    may_revoke(&state, &viewer, id).await?;
    if !state.store.revoke_token(id, Utc::now()).await? {
        return Err(Error::NotFound(format!("no active token {id}")));
    }
    Ok(Redirect::to("/tokens").into_response())
}

/// `GET /admin/users`: accounts, a page at a time, with forms to add,
/// change and delete.
pub async fn admin_users<S: Storage + 'static>(
    State(state): State<AppState<S>>,
    PageAuth(viewer): PageAuth,
    ApiQuery(q): ApiQuery<PageQuery>,
) -> Result<Response, Error> {
    policy::require_admin(&viewer.user)?;
    let list = state
        .store
        .users(Page {
            offset: q.offset,
            limit: PAGE_ROWS,
        })
        .await?;
    let next = (list.len() as u32 == PAGE_ROWS).then_some(q.offset + PAGE_ROWS);
    let prev = (q.offset > 0).then(|| q.offset.saturating_sub(PAGE_ROWS));
    // Fixed messages only: nothing from the query string is echoed.
    let notice = match q.done.as_deref() {
        Some("created") => Some("The user was added.".to_owned()),
        Some("updated") => Some("The user was changed.".to_owned()),
        Some("deleted") => Some("The user was deleted.".to_owned()),
        _ => None,
    };
    let users = list
        .into_iter()
        .map(|u| UserRow {
            id: u.id,
            role: u.role.as_str(),
            teams: u.teams.join(", "),
            created: when(u.created_at),
            email: u.email,
        })
        .collect();
    Ok(render(
        StatusCode::OK,
        &UsersPage {
            nav: nav(&viewer, "users"),
            csrf: viewer.csrf().to_owned(),
            notice,
            users,
            roles: ["member", "lead", "admin"],
            prev,
            next,
        },
    ))
}

/// The add-user form.
#[derive(Debug, Deserialize)]
pub struct NewUserForm {
    #[serde(default)]
    csrf: String,
    email: String,
    role: String,
    #[serde(default)]
    teams: String,
    password: String,
}

/// `POST /admin/users`: adds an account with an initial password.
pub async fn admin_create_user<S: Storage + 'static>(
    State(state): State<AppState<S>>,
    PageAuth(viewer): PageAuth,
    FormBody(form): FormBody<NewUserForm>,
) -> Result<Response, Error> {
    check_form_csrf(&viewer, &form.csrf)?;
    policy::require_admin(&viewer.user)?;
    let email = policy::email(form.email.trim())?;
    let role = policy::role(&form.role)?;
    let teams = policy::teams_from_text(&form.teams)?;
    let password = policy::password(&form.password)?.to_owned();
    let hash = hash_off_thread(password).await?;
    let user = state
        .store
        .create_user(NewUser {
            email,
            role,
            teams,
            password_hash: Some(hash),
            now: Utc::now(),
        })
        .await?;
    tracing::info!(by = viewer.user.id, user_id = user.id, "user created");
    Ok(Redirect::to("/admin/users?done=created").into_response())
}

/// Hashes a password on a blocking thread.
pub(crate) async fn hash_off_thread(password: String) -> Result<String, Error> {
    tokio::task::spawn_blocking(move || hash_password(&password))
        .await
        .map_err(|e| Error::Internal(format!("password hashing: {e}")))?
        .map_err(|e| Error::Internal(e.to_string()))
}

/// The change-user form.
#[derive(Debug, Deserialize)]
pub struct ChangeUserForm {
    #[serde(default)]
    csrf: String,
    role: String,
    #[serde(default)]
    teams: String,
    #[serde(default)]
    password: String,
}

/// Refuses a change that would lock the administrator out.
pub(crate) fn not_self(viewer: &Viewer, id: i64, what: &str) -> Result<(), Error> {
    if viewer.user.id == id {
        Err(Error::Conflict(format!(
            "you cannot {what} your own account; ask another administrator"
        )))
    } else {
        Ok(())
    }
}

/// `POST /admin/users/{id}`: changes an account's role and teams (and
/// password, when one is given).
pub async fn admin_update_user<S: Storage + 'static>(
    State(state): State<AppState<S>>,
    PageAuth(viewer): PageAuth,
    ApiPath(id): ApiPath<i64>,
    FormBody(form): FormBody<ChangeUserForm>,
) -> Result<Response, Error> {
    check_form_csrf(&viewer, &form.csrf)?;
    policy::require_admin(&viewer.user)?;
    let role = policy::role(&form.role)?;
    if role != Role::Admin {
        not_self(&viewer, id, "demote")?;
    }
    let teams = policy::teams_from_text(&form.teams)?;
    let password_hash = if form.password.is_empty() {
        None
    } else {
        Some(hash_off_thread(policy::password(&form.password)?.to_owned()).await?)
    };
    let changed = state
        .store
        .update_user(
            id,
            UserChange {
                role: Some(role),
                teams: Some(teams),
                password_hash,
            },
        )
        .await?;
    if changed.is_none() {
        return Err(Error::NotFound(format!("no user {id}")));
    }
    Ok(Redirect::to("/admin/users?done=updated").into_response())
}

/// `POST /admin/users/{id}/delete`: deletes an account with its sessions
/// and tokens.
pub async fn admin_delete_user<S: Storage + 'static>(
    State(state): State<AppState<S>>,
    PageAuth(viewer): PageAuth,
    ApiPath(id): ApiPath<i64>,
    FormBody(form): FormBody<CsrfForm>,
) -> Result<Response, Error> {
    check_form_csrf(&viewer, &form.csrf)?;
    policy::require_admin(&viewer.user)?;
    not_self(&viewer, id, "delete")?;
    if !state.store.delete_user(id).await? {
        return Err(Error::NotFound(format!("no user {id}")));
    }
    Ok(Redirect::to("/admin/users?done=deleted").into_response())
}

async fn imports_page<S: Storage + 'static>(
    state: &AppState<S>,
    viewer: &Viewer,
    offset: u32,
    summary: Option<String>,
    error: Option<String>,
) -> Result<Response, Error> {
    let list = state
        .store
        .sources(Page {
            offset,
            limit: PAGE_ROWS,
        })
        .await?;
    let next = (list.len() as u32 == PAGE_ROWS).then_some(offset + PAGE_ROWS);
    let prev = (offset > 0).then(|| offset.saturating_sub(PAGE_ROWS));
    let snap = state.snapshot();
    Ok(render(
        StatusCode::OK,
        &ImportsPage {
            nav: nav(viewer, "imports"),
            csrf: viewer.csrf().to_owned(),
            summary,
            error,
            generated: when(snap.generated_at),
            teams: snap.teams.len(),
            people: snap.people.len(),
            from: snap.window.from.to_string(),
            to: snap.window.to.to_string(),
            sources: list
                .into_iter()
                .map(|s| (s.kind.as_str(), s.source, when(s.imported_at), s.records))
                .collect(),
            prev,
            next,
            problems: &snap.problems,
        },
    ))
}

/// `GET /admin/imports`: stored sources, the snapshot's age and problems.
pub async fn admin_imports<S: Storage + 'static>(
    State(state): State<AppState<S>>,
    PageAuth(viewer): PageAuth,
    ApiQuery(q): ApiQuery<PageQuery>,
) -> Result<Response, Error> {
    policy::require_admin(&viewer.user)?;
    imports_page(&state, &viewer, q.offset, None, None).await
}

/// `POST /admin/imports`: runs the import hook, then the refresh hook, and
/// shows the summary (409 while another import runs).
pub async fn admin_run_import<S: Storage + 'static>(
    State(state): State<AppState<S>>,
    PageAuth(viewer): PageAuth,
    FormBody(form): FormBody<CsrfForm>,
) -> Result<Response, Error> {
    check_form_csrf(&viewer, &form.csrf)?;
    policy::require_admin(&viewer.user)?;
    let Ok(_running) = state.import_running.try_lock() else {
        return Err(Error::Conflict(
            "an import is already running; reload this page in a moment".into(),
        ));
    };
    let started = Instant::now();
    let outcome = match (state.hooks.import)().await {
        Ok(summary) => match state.refresh().await {
            Ok(()) => Ok(format!(
                "{summary}; dashboard recomputed ({:.1} s)",
                started.elapsed().as_secs_f64()
            )),
            Err(e) => Err(format!("{summary}; recomputing failed: {e}")),
        },
        Err(e) => Err(format!("import failed: {e}")),
    };
    match &outcome {
        Ok(s) => tracing::info!(by = viewer.user.id, summary = %s, "import"),
        Err(e) => tracing::warn!(by = viewer.user.id, error = %e, "import failed"),
    }
    let (summary, error) = match outcome {
        Ok(s) => (Some(s), None),
        Err(e) => (None, Some(e)),
    };
    imports_page(&state, &viewer, 0, summary, error).await
}

/// `GET /static/{file}`: `app.css` and `htmx.min.js`, from the binary.
pub async fn static_file(
    axum::extract::Path(file): axum::extract::Path<String>,
) -> Result<Response, Error> {
    let (body, content_type) = match file.as_str() {
        "app.css" => (app_css().as_bytes().to_vec(), "text/css; charset=utf-8"),
        "icon.svg" => (
            Assets::get("icon.svg")
                .map(|f| f.data.into_owned())
                .ok_or_else(|| Error::NotFound("no such file".into()))?,
            "image/svg+xml",
        ),
        "htmx.min.js" => (
            Assets::get("htmx.min.js")
                .map(|f| f.data.into_owned())
                .ok_or_else(|| Error::NotFound("no such file".into()))?,
            "text/javascript; charset=utf-8",
        ),
        _ => return Err(Error::NotFound(format!("no static file {file:?}"))),
    };
    Ok((
        [
            (header::CONTENT_TYPE, content_type),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        body,
    )
        .into_response())
}

/// Anything else: 404.
pub async fn not_found() -> Error {
    Error::NotFound("no such page".into())
}
