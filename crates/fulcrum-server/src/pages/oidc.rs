//! Signing in through the organisation's identity provider:
//! `GET /signin/oidc` (off to the provider, the flow remembered in a signed
//! cookie) and `GET /signin/oidc/callback` (back with a code: verified
//! identity, then the account it opens, then the same session a password
//! sign-in starts). Both answer 404 when `[auth.oidc]` is not set.
//!
//! An identity opens an account by email: the account with the provider's
//! (verified) email, else the account of the person on the people list
//! that email belongs to (primary email or alias), else a new member
//! account for that person, without a password. An email that is neither
//! an account nor on the people list is refused with a page that says so.

use super::chrome::{Nav, render};
use super::signin::start_session;
use crate::error::Error;
use crate::http::{ApiQuery, cookie, set_cookie};
use crate::oidc::{FLOW_COOKIE, FLOW_TTL, Identity};
use crate::state::AppState;
use askama::Template;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use chrono::Utc;
use fulcrum_store::{NewUser, Role, Storage, User};
use serde::Deserialize;

#[derive(Template)]
#[template(path = "signin_refused.html")]
struct RefusedPage {
    nav: Option<Nav>,
    heading: &'static str,
    message: String,
    help: &'static str,
}

fn refused(
    status: StatusCode,
    heading: &'static str,
    message: String,
    help: &'static str,
) -> Response {
    render(
        status,
        &RefusedPage {
            nav: None,
            heading,
            message,
            help,
        },
    )
}

fn not_configured() -> Error {
    Error::NotFound("sign-in through an identity provider is not set up here".into())
}

/// `GET /signin/oidc`: redirects to the provider's authorization endpoint.
pub async fn start<S: Storage + 'static>(
    State(state): State<AppState<S>>,
) -> Result<Response, Error> {
    let Some(oidc) = state.oidc.clone() else {
        return Err(not_configured());
    };
    let started = match oidc.start(&state.secret[..], Utc::now().timestamp()).await {
        Ok(s) => s,
        Err(e) => {
            tracing::error!(error = %e, "identity provider unavailable");
            return Ok(refused(
                StatusCode::BAD_GATEWAY,
                "The identity provider cannot be reached",
                "Signing in through your organisation's account is not possible right now.".into(),
                "Try again in a moment; if it goes on, tell an administrator (the server's log says why).",
            ));
        }
    };
    let mut res = Redirect::to(&started.authorize_url).into_response();
    // SameSite=Lax: the provider's redirect back is a top-level GET, which
    // carries it.
    res.headers_mut().append(
        header::SET_COOKIE,
        set_cookie(
            FLOW_COOKIE,
            &started.cookie,
            FLOW_TTL.as_secs(),
            state.config.secure_cookies,
        ),
    );
    Ok(res)
}

/// The provider's answer.
#[derive(Debug, Deserialize)]
pub struct CallbackQuery {
    #[serde(default)]
    code: Option<String>,
    #[serde(default)]
    state: Option<String>,
    #[serde(default)]
    error: Option<String>,
    #[serde(default)]
    error_description: Option<String>,
    /// RFC 9207: the issuer of the response, when the provider says.
    /// (Other parameters some providers add are ignored.)
    #[serde(default)]
    iss: Option<String>,
}

/// `GET /signin/oidc/callback`: verifies the answer and signs in.
pub async fn callback<S: Storage + 'static>(
    State(state): State<AppState<S>>,
    headers: HeaderMap,
    ApiQuery(q): ApiQuery<CallbackQuery>,
) -> Result<Response, Error> {
    let Some(oidc) = state.oidc.clone() else {
        return Err(not_configured());
    };
    let secure = state.config.secure_cookies;
    let finish = |mut res: Response| {
        // The flow is over either way.
        res.headers_mut()
            .append(header::SET_COOKIE, set_cookie(FLOW_COOKIE, "", 0, secure));
        Ok(res)
    };
    if let Some(error) = &q.error {
        tracing::warn!(error = %error, description = ?q.error_description, "identity provider refused the sign-in");
        return finish(refused(
            StatusCode::UNAUTHORIZED,
            "The identity provider did not sign you in",
            match &q.error_description {
                Some(d) => format!("It answered {error}: {d}"),
                None => format!("It answered {error}."),
            },
            "Start again from the sign-in page.",
        ));
    }
    if let Some(iss) = &q.iss
        && iss.trim_end_matches('/') != oidc.settings().issuer.trim_end_matches('/')
    {
        tracing::warn!(iss = %iss, "sign-in answer from another issuer");
        return finish(expired());
    }
    let (Some(code), Some(flow_state)) = (&q.code, &q.state) else {
        return Err(Error::BadRequest(
            "the identity provider's answer has no code or state".into(),
        ));
    };
    let flow = cookie(&headers, FLOW_COOKIE).unwrap_or("");
    let identity = match oidc
        .finish(
            &state.secret[..],
            flow,
            flow_state,
            code,
            Utc::now().timestamp(),
        )
        .await
    {
        None => return finish(expired()),
        Some(Err(e)) => {
            tracing::warn!(error = %e, "sign-in through the identity provider failed");
            return finish(refused(
                StatusCode::UNAUTHORIZED,
                "The sign-in could not be verified",
                "The identity provider's answer could not be checked, so you are not signed in."
                    .into(),
                "Start again from the sign-in page; if it goes on, tell an administrator (the server's log says why).",
            ));
        }
        Some(Ok(identity)) => identity,
    };
    let user = match account_for(&state, &identity).await? {
        Ok(user) => user,
        Err(page) => return finish(page),
    };
    tracing::info!(user_id = user.id, via = "oidc", "signed in");
    finish(start_session(&state, user.id).await?)
}

fn expired() -> Response {
    refused(
        StatusCode::FORBIDDEN,
        "This sign-in expired",
        "The answer from the identity provider does not belong to a sign-in started in this browser in the last ten minutes.".into(),
        "Start again from the sign-in page.",
    )
}

/// The account an identity opens (see the module's doc), or the page that
/// says why there is none.
async fn account_for<S: Storage + 'static>(
    state: &AppState<S>,
    identity: &Identity,
) -> Result<Result<User, Response>, Error> {
    let Some(email) = identity.email.clone().filter(|e| e.contains('@')) else {
        tracing::warn!(subject = %identity.subject, "identity without an email");
        return Ok(Err(refused(
            StatusCode::FORBIDDEN,
            "Your account has no email address",
            "The identity provider did not say which email address you sign in with, and accounts here are matched by email.".into(),
            "Ask your administrator to release the email claim (scope \"email\") to this application.",
        )));
    };
    if identity.email_verified == Some(false) {
        return Ok(Err(refused(
            StatusCode::FORBIDDEN,
            "Your email address is not verified",
            format!("The identity provider says {email} is not verified."),
            "Verify it with your identity provider, then sign in again.",
        )));
    }
    if let Some(user) = state.store.user_by_email(email.clone()).await? {
        return Ok(Ok(user));
    }
    let snapshot = state.snapshot();
    let Some(person) = snapshot
        .by_email
        .get(&email)
        .and_then(|&i| snapshot.people.get(i))
    else {
        tracing::info!(email = %email, "sign-in refused: not on the people list");
        return Ok(Err(refused(
            StatusCode::FORBIDDEN,
            "You are not on this team's people list",
            format!(
                "{email} signed in with the identity provider, but it is not on the people list of this workspace and has no account here."
            ),
            "Ask an administrator to add you to the people list (people.csv) or to create an account for this email.",
        )));
    };
    let primary = person.email.clone();
    if let Some(user) = state.store.user_by_email(primary.clone()).await? {
        return Ok(Ok(user));
    }
    let user = state
        .store
        .create_user(NewUser {
            email: primary,
            role: Role::Member,
            teams: Vec::new(),
            password_hash: None,
            now: Utc::now(),
        })
        .await?;
    tracing::info!(
        user_id = user.id,
        "account created at first sign-in through the identity provider"
    );
    Ok(Ok(user))
}
