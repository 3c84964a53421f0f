//! The administrators' accounts pages: `GET /admin/users` (a page of
//! accounts with forms to add, change and delete), `POST /admin/users`,
//! `POST /admin/users/{id}` and `POST /admin/users/{id}/delete`.

use super::chrome::{CsrfForm, Nav, PAGE_ROWS, PageQuery, nav, render, when};
use crate::auth::hash_off_thread;
use crate::error::Error;
use crate::http::{ApiPath, ApiQuery, FormBody, PageAuth, check_form_csrf};
use crate::policy::{self, not_self};
use crate::state::AppState;
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::Utc;
use fulcrum_store::{NewUser, Page, Role, Storage, UserChange};
use serde::Deserialize;

struct UserRow {
    id: i64,
    email: String,
    role: &'static str,
    teams: String,
    created: String,
}

#[derive(Template)]
#[template(path = "admin_users.html")]
struct UsersPage {
    nav: Option<Nav>,
    csrf: String,
    notice: Option<String>,
    users: Vec<UserRow>,
    roles: [&'static str; 3],
    prev: Option<u32>,
    next: Option<u32>,
}

/// `GET /admin/users`: accounts, a page at a time, with forms to add,
/// change and delete.
pub async fn list<S: Storage + 'static>(
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
pub async fn create<S: Storage + 'static>(
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
    let hash = hash_off_thread(&state.password_checks, password).await?;
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

/// `POST /admin/users/{id}`: changes an account's role and teams (and
/// password, when one is given).
pub async fn update<S: Storage + 'static>(
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
        Some(
            hash_off_thread(
                &state.password_checks,
                policy::password(&form.password)?.to_owned(),
            )
            .await?,
        )
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
pub async fn delete<S: Storage + 'static>(
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
