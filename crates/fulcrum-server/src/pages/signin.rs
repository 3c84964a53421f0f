//! Signing in and out: `GET /` (to the dashboard or the sign-in page),
//! `GET /signin` (the form, with a pre-session CSRF token double-submitted
//! in a cookie), `POST /signin` (rate-limited password check, then a new
//! session) and `POST /signout`.

use super::chrome::{CsrfForm, Nav, render};
use crate::auth::{
    constant_time_eq, dummy_hash, new_csrf_token, new_session_id, new_signin_csrf, sha256_hex,
    signin_csrf_is_valid, verify_password,
};
use crate::error::Error;
use crate::http::{
    ClientAddr, FormBody, PageAuth, SESSION_COOKIE, SIGNIN_CSRF_COOKIE, Via, check_form_csrf,
    cookie, session_viewer, set_cookie,
};
use crate::state::AppState;
use askama::Template;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use chrono::Utc;
use fulcrum_store::{NewSession, Storage};
use serde::Deserialize;
use std::time::Instant;

#[derive(Template)]
#[template(path = "signin.html")]
struct SigninPage {
    nav: Option<Nav>,
    csrf: String,
    email: String,
    error: Option<String>,
    /// The identity provider's button, when `[auth.oidc]` is set.
    oidc_label: Option<String>,
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

fn signin_page<S>(
    state: &AppState<S>,
    status: StatusCode,
    csrf: String,
    email: String,
    error: Option<String>,
) -> Response {
    render(
        status,
        &SigninPage {
            nav: None,
            csrf,
            email,
            error,
            oidc_label: state.oidc.as_ref().map(|o| o.settings().label.clone()),
        },
    )
}

/// `GET /signin`: the form, with a fresh CSRF token in a cookie and a
/// hidden field.
pub async fn form<S: Storage + 'static>(
    State(state): State<AppState<S>>,
    headers: HeaderMap,
) -> Result<Response, Error> {
    if session_viewer(&state, &headers).await?.is_some() {
        return Ok(Redirect::to("/dashboard").into_response());
    }
    let csrf = new_signin_csrf(&state.secret[..]);
    let mut res = signin_page(&state, StatusCode::OK, csrf.clone(), String::new(), None);
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
pub async fn submit<S: Storage + 'static>(
    State(state): State<AppState<S>>,
    ClientAddr(addr): ClientAddr,
    headers: HeaderMap,
    FormBody(form): FormBody<SigninForm>,
) -> Result<Response, Error> {
    let sent = cookie(&headers, SIGNIN_CSRF_COOKIE).unwrap_or("");
    if !constant_time_eq(sent, &form.csrf) || !signin_csrf_is_valid(&state.secret[..], sent) {
        return Err(Error::Forbidden(
            "the sign-in form expired: reload the page and try again".into(),
        ));
    }
    let email = form.email.trim().to_lowercase();
    let ip_key = format!("ip:{addr}");
    let email_key = format!("email:{email}");
    // The attempt is counted before the password is checked, so parallel
    // guesses cannot all pass the limit while the first ones hash.
    {
        let mut limiter = state
            .limiter
            .lock()
            .map_err(|_| Error::Internal("rate limiter lock poisoned".into()))?;
        if let Err(retry_after) = limiter.reserve(&[&ip_key, &email_key], Instant::now()) {
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
    // argon2 takes tens of milliseconds of CPU and 19 MB: off the async
    // workers, a bounded number at once.
    let ok = match state
        .password_checks
        .run(move || verify_password(&password, &hash))
        .await
    {
        Ok(ok) => ok,
        Err(e) => {
            // Not checked (the server is busy): not counted either.
            if let Ok(mut limiter) = state.limiter.lock() {
                limiter.forgive(&ip_key);
                limiter.forgive(&email_key);
            }
            return Err(e);
        }
    };
    let user = match (ok, user) {
        (true, Some(u)) if u.password_hash.is_some() => u,
        _ => {
            // The reserved attempt stays counted as a failure.
            let csrf = new_signin_csrf(&state.secret[..]);
            let mut res = signin_page(
                &state,
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
        limiter.forgive(&ip_key);
    }
    tracing::info!(user_id = user.id, "signed in");
    let mut res = start_session(&state, user.id).await?;
    res.headers_mut().append(
        header::SET_COOKIE,
        set_cookie(SIGNIN_CSRF_COOKIE, "", 0, state.config.secure_cookies),
    );
    Ok(res)
}

/// A new session for `user_id` (its id in an HttpOnly cookie, its hash in
/// the store) and a redirect to the dashboard: how every way of signing in
/// ends.
pub(crate) async fn start_session<S: Storage + 'static>(
    state: &AppState<S>,
    user_id: i64,
) -> Result<Response, Error> {
    let id = new_session_id();
    let now = Utc::now();
    let ttl = chrono::Duration::from_std(state.config.session_ttl)
        .map_err(|e| Error::Internal(format!("session ttl: {e}")))?;
    state
        .store
        .create_session(NewSession {
            id_hash: sha256_hex(&id),
            user_id,
            csrf: new_csrf_token(),
            created_at: now,
            expires_at: now + ttl,
        })
        .await?;
    let mut res = Redirect::to("/dashboard").into_response();
    res.headers_mut().append(
        header::SET_COOKIE,
        set_cookie(
            SESSION_COOKIE,
            &id,
            state.config.session_ttl.as_secs(),
            state.config.secure_cookies,
        ),
    );
    Ok(res)
}

/// `POST /signout`: ends the session in the store and clears the cookie.
pub async fn signout<S: Storage + 'static>(
    State(state): State<AppState<S>>,
    PageAuth(viewer): PageAuth,
    FormBody(form): FormBody<CsrfForm>,
) -> Result<Response, Error> {
    check_form_csrf(&viewer, &form.csrf)?;
    if let Via::Session { id_hash, .. } = &viewer.via {
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
