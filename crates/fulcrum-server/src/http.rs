//! What every request passes through: [`finish`] (request id, body limit,
//! error rendering, security headers, one log line), cookies, and the
//! extractors that authenticate ([`ApiAuth`], [`PageAuth`]) and validate
//! ([`ApiJson`], [`FormBody`], [`ApiQuery`], [`ApiPath`]) with this crate's
//! [`Error`] as their rejection.

use crate::auth::{constant_time_eq, new_request_id, sha256_hex};
use crate::error::{Error, ErrorInfo};
use crate::state::AppState;
use axum::body::Body;
use axum::extract::{FromRequest, FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use fulcrum_store::{Storage, User};
use serde::de::DeserializeOwned;
use std::time::Instant;

/// The session cookie: 32 random bytes in hex; the store keeps its hash.
pub const SESSION_COOKIE: &str = "fulcrum_session";
/// The sign-in form's CSRF cookie (double submit, before a session exists).
pub const SIGNIN_CSRF_COOKIE: &str = "fulcrum_signin";
/// The header cookie-authenticated API calls that change something send
/// the session's CSRF token in.
pub const CSRF_HEADER: &str = "x-csrf-token";

/// The request's id, for logs and error pages.
#[derive(Debug, Clone)]
pub struct RequestId(pub String);

/// The Content-Security-Policy of every response: nothing but this origin,
/// no inline script or style, no framing.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/// True for paths whose errors are JSON.
fn is_api_path(path: &str) -> bool {
    path.starts_with("/api/")
        || path == "/api"
        || path == "/openapi.json"
        || path == "/healthz"
        || path == "/readyz"
}

/// The outermost middleware: gives the request an id, refuses a declared
/// body over the limit (413), renders errors (JSON under `/api`, HTML
/// elsewhere; internal errors logged with the id and shown only as
/// "internal error (request id ...)"), sets the security headers, and
/// writes one log line (method, path without the query, status, latency,
/// request id; never a header, cookie or body).
pub async fn finish<S: Storage + 'static>(
    State(state): State<AppState<S>>,
    mut req: Request,
    next: Next,
) -> Response {
    let started = Instant::now();
    let id = new_request_id();
    let method = req.method().clone();
    let path = req.uri().path().to_owned();
    let logged = logged_path(&path);
    req.extensions_mut().insert(RequestId(id.clone()));
    let limit = state.config.body_limit;
    let declared = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    let mut res = if declared.is_some_and(|n| n > limit as u64) {
        Error::PayloadTooLarge(limit).into_response()
    } else {
        next.run(req).await
    };

    let status = res.status();
    let mut info = res.extensions_mut().remove::<ErrorInfo>();
    if info.is_none()
        && (status.is_client_error() || status.is_server_error())
        && !res.headers().contains_key(header::CONTENT_TYPE)
    {
        // axum's own responses (405 from a method router) come bare.
        info = Some(Error::from_status(status, String::new()).info());
    }
    if let Some(mut info) = info {
        if let Some(detail) = info.internal.take() {
            tracing::error!(request_id = %id, method = %method, path = %logged, error = %detail, "internal error");
            info.message = format!("internal error (request id {id})");
        }
        if info.code == "payload_too_large" {
            info.message = format!("request body too large (limit {limit} bytes)");
        }
        if info.message.is_empty() {
            info.message = status.canonical_reason().unwrap_or("error").to_lowercase();
        }
        let (body, content_type) = if is_api_path(&path) {
            (
                serde_json::json!({"error": {"code": info.code, "message": info.message}})
                    .to_string(),
                "application/json",
            )
        } else {
            (
                crate::pages::chrome::error_page(status, &info.message, &id),
                "text/html; charset=utf-8",
            )
        };
        res.headers_mut().remove(header::CONTENT_LENGTH);
        res.headers_mut()
            .insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
        *res.body_mut() = Body::from(body);
    }

    let h = res.headers_mut();
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CONTENT_SECURITY_POLICY),
    );
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    h.insert(
        "permissions-policy",
        HeaderValue::from_static(
            "camera=(), microphone=(), geolocation=(), payment=(), usb=(), browsing-topics=()",
        ),
    );
    h.insert(
        "cross-origin-opener-policy",
        HeaderValue::from_static("same-origin"),
    );
    if state.config.secure_cookies {
        h.insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=31536000"),
        );
    }
    // Static assets may be cached; everything else (pages and API answers
    // that depend on who asks) must not be.
    if !(path.starts_with("/static/") && status == StatusCode::OK) {
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    if let Ok(v) = HeaderValue::from_str(&id) {
        h.insert("x-request-id", v);
    }
    tracing::info!(
        method = %method,
        path = %logged,
        status = res.status().as_u16(),
        latency_ms = format_args!("{:.2}", started.elapsed().as_secs_f64() * 1000.0),
        request_id = %id,
        "request"
    );
    res
}

/// A path as logged: a calendar feed's token (its only credential) is
/// replaced by `-`, so the log never holds one.
fn logged_path(path: &str) -> std::borrow::Cow<'_, str> {
    match path
        .strip_prefix("/feeds/")
        .and_then(|rest| rest.split_once('/'))
    {
        Some((_, tail)) => format!("/feeds/-/{tail}").into(),
        None => path.into(),
    }
}

/// The value of cookie `name`, if the request sent it.
pub fn cookie<'h>(headers: &'h HeaderMap, name: &str) -> Option<&'h str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.trim())
}

/// A `Set-Cookie` value: HttpOnly, SameSite=Lax, Path=/, Secure unless
/// turned off; `max_age` 0 deletes the cookie.
pub fn set_cookie(name: &str, value: &str, max_age: u64, secure: bool) -> HeaderValue {
    let text = format!(
        "{name}={value}; Path=/; Max-Age={max_age}; HttpOnly; SameSite=Lax{}",
        if secure { "; Secure" } else { "" }
    );
    HeaderValue::from_str(&text).unwrap_or_else(|_| HeaderValue::from_static("invalid=; Max-Age=0"))
}

/// How a request was authenticated.
#[derive(Debug, Clone)]
pub enum Via {
    /// The session cookie.
    Session {
        /// The session id's hash.
        id_hash: String,
        /// The session's CSRF token.
        csrf: String,
    },
    /// An API token.
    Token,
}

/// The signed-in account.
#[derive(Debug, Clone)]
pub struct Viewer {
    /// The account.
    pub user: User,
    /// How.
    pub via: Via,
}

impl Viewer {
    /// The session's CSRF token (empty for token callers, who need none).
    pub fn csrf(&self) -> &str {
        match &self.via {
            Via::Session { csrf, .. } => csrf,
            Via::Token => "",
        }
    }
}

/// The account of the session cookie, if it names a live session.
pub async fn session_viewer<S: Storage + 'static>(
    state: &AppState<S>,
    headers: &HeaderMap,
) -> Result<Option<Viewer>, Error> {
    let Some(id) = cookie(headers, SESSION_COOKIE).filter(|v| !v.is_empty()) else {
        return Ok(None);
    };
    let id_hash = sha256_hex(id);
    Ok(state
        .store
        .session(id_hash.clone(), chrono::Utc::now())
        .await?
        .map(|(session, user)| Viewer {
            user,
            via: Via::Session {
                id_hash,
                csrf: session.csrf,
            },
        }))
}

/// The account of an `Authorization: Bearer` token (an error when the
/// header is there but the token is not valid), else of the session.
pub async fn api_viewer<S: Storage + 'static>(
    state: &AppState<S>,
    headers: &HeaderMap,
) -> Result<Option<Viewer>, Error> {
    if let Some(auth) = headers.get(header::AUTHORIZATION) {
        // The scheme is case-insensitive (RFC 9110, section 11.1).
        let token = auth
            .to_str()
            .ok()
            .and_then(|v| v.trim_start().split_once(' '))
            .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
            .map(|(_, token)| token.trim())
            .filter(|t| !t.is_empty())
            .ok_or_else(|| {
                Error::Unauthorized("the Authorization header must be `Bearer <token>`".into())
            })?;
        return match state
            .store
            .token(sha256_hex(token), chrono::Utc::now())
            .await?
        {
            Some((_, user)) => Ok(Some(Viewer {
                user,
                via: Via::Token,
            })),
            None => Err(Error::Unauthorized(
                "the API token is unknown or revoked".into(),
            )),
        };
    }
    session_viewer(state, headers).await
}

/// An API caller: by token, or by session cookie. A cookie-authenticated
/// call that changes something (not GET, HEAD or OPTIONS) must carry the
/// session's CSRF token in `X-CSRF-Token`.
#[derive(Debug, Clone)]
pub struct ApiAuth(pub Viewer);

impl<S: Storage + 'static> FromRequestParts<AppState<S>> for ApiAuth {
    type Rejection = Error;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState<S>,
    ) -> Result<Self, Self::Rejection> {
        let viewer = api_viewer(state, &parts.headers).await?.ok_or_else(|| {
            Error::Unauthorized(
                "sign in, or send an API token as `Authorization: Bearer <token>`".into(),
            )
        })?;
        if let Via::Session { csrf, .. } = &viewer.via
            && !matches!(parts.method, Method::GET | Method::HEAD | Method::OPTIONS)
        {
            let sent = parts
                .headers
                .get(CSRF_HEADER)
                .and_then(|v| v.to_str().ok())
                .unwrap_or("");
            if !constant_time_eq(sent, csrf) {
                return Err(Error::Forbidden(
                    "missing or wrong X-CSRF-Token header (GET /api/v1/me gives the session's token)"
                        .into(),
                ));
            }
        }
        Ok(ApiAuth(viewer))
    }
}

/// A page visitor with a session; anyone else is sent to `/signin`.
#[derive(Debug, Clone)]
pub struct PageAuth(pub Viewer);

impl<S: Storage + 'static> FromRequestParts<AppState<S>> for PageAuth {
    type Rejection = Response;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState<S>,
    ) -> Result<Self, Self::Rejection> {
        match session_viewer(state, &parts.headers).await {
            Ok(Some(v)) => Ok(PageAuth(v)),
            Ok(None) => Err(Redirect::to("/signin").into_response()),
            Err(e) => Err(e.into_response()),
        }
    }
}

/// Checks a form's CSRF field against the session's token.
pub fn check_form_csrf(viewer: &Viewer, sent: &str) -> Result<(), Error> {
    if constant_time_eq(sent, viewer.csrf()) && !sent.is_empty() {
        Ok(())
    } else {
        Err(Error::Forbidden(
            "the form's security token is missing or stale: reload the page and try again".into(),
        ))
    }
}

/// A JSON body (`Content-Type: application/json`): 415 otherwise, 413 over
/// the limit, 400 for bad syntax, 422 for a body that does not fit (unknown
/// or missing fields, wrong types).
#[derive(Debug)]
pub struct ApiJson<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for ApiJson<T> {
    type Rejection = Error;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        match axum::Json::<T>::from_request(req, state).await {
            Ok(axum::Json(v)) => Ok(ApiJson(v)),
            Err(r) => Err(Error::from_status(r.status(), r.body_text())),
        }
    }
}

/// A URL-encoded form body, with the same rules as [`ApiJson`].
#[derive(Debug)]
pub struct FormBody<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for FormBody<T> {
    type Rejection = Error;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        match axum::Form::<T>::from_request(req, state).await {
            Ok(axum::Form(v)) => Ok(FormBody(v)),
            Err(r) => Err(Error::from_status(r.status(), r.body_text())),
        }
    }
}

/// Query parameters; a bad one is 400.
#[derive(Debug)]
pub struct ApiQuery<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequestParts<S> for ApiQuery<T> {
    type Rejection = Error;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        match axum::extract::Query::<T>::from_request_parts(parts, state).await {
            Ok(axum::extract::Query(v)) => Ok(ApiQuery(v)),
            Err(r) => Err(Error::BadRequest(r.body_text())),
        }
    }
}

/// Path parameters; a bad one is 400.
#[derive(Debug)]
pub struct ApiPath<T>(pub T);

impl<T: DeserializeOwned + Send, S: Send + Sync> FromRequestParts<S> for ApiPath<T> {
    type Rejection = Error;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        match axum::extract::Path::<T>::from_request_parts(parts, state).await {
            Ok(axum::extract::Path(v)) => Ok(ApiPath(v)),
            Err(r) => Err(Error::BadRequest(r.body_text())),
        }
    }
}

/// The client's address (the TCP peer), for the sign-in rate limit;
/// "unknown" in-process. Forwarded-for headers are not trusted: behind a
/// reverse proxy every client shares the proxy's address and its limit.
#[derive(Debug, Clone)]
pub struct ClientAddr(pub String);

impl<S: Send + Sync> FromRequestParts<S> for ClientAddr {
    type Rejection = Error;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(ClientAddr(
            parts
                .extensions
                .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
                .map_or_else(|| "unknown".to_owned(), |c| c.0.ip().to_string()),
        ))
    }
}
