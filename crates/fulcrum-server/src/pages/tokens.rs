//! The viewer's own API tokens: `GET /tokens` (the list), `POST /tokens`
//! (a new token, shown once; only its hash is stored) and
//! `POST /tokens/{id}/revoke`.

use super::chrome::{CsrfForm, Nav, PAGE_ROWS, PageQuery, nav, render, when};
use crate::auth::{new_token, sha256_hex};
use crate::error::Error;
use crate::http::{ApiPath, ApiQuery, FormBody, PageAuth, Viewer, check_form_csrf};
use crate::policy;
use crate::state::AppState;
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::Utc;
use fulcrum_store::{NewToken, Page, Storage};
use serde::Deserialize;

struct TokenRow {
    id: i64,
    name: String,
    created: String,
    last_used: String,
    state: &'static str,
    active: bool,
}

#[derive(Template)]
#[template(path = "tokens.html")]
struct TokensPage {
    nav: Option<Nav>,
    csrf: String,
    created: Option<String>,
    created_name: String,
    tokens: Vec<TokenRow>,
    next: Option<u32>,
}

/// A token just created, shown this once.
struct Created {
    name: String,
    token: String,
}

async fn tokens_page<S: Storage + 'static>(
    state: &AppState<S>,
    viewer: &Viewer,
    offset: u32,
    created: Option<Created>,
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
        Some(c) => (c.name, Some(c.token)),
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
pub async fn list<S: Storage + 'static>(
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
pub async fn create<S: Storage + 'static>(
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
    tokens_page(&state, &viewer, 0, Some(Created { name, token })).await
}

/// `POST /tokens/{id}/revoke`: revokes one of the viewer's tokens (an
/// administrator: any token).
pub async fn revoke<S: Storage + 'static>(
    State(state): State<AppState<S>>,
    PageAuth(viewer): PageAuth,
    ApiPath(id): ApiPath<i64>,
    FormBody(form): FormBody<CsrfForm>,
) -> Result<Response, Error> {
    check_form_csrf(&viewer, &form.csrf)?;
    policy::may_revoke(&state, &viewer, id).await?;
    if !state.store.revoke_token(id, Utc::now()).await? {
        return Err(Error::NotFound(format!("no active token {id}")));
    }
    Ok(Redirect::to("/tokens").into_response())
}
