//! The one HTTP error type. Each variant maps to a status code and a
//! stable `code` in one match; the response carries an [`ErrorInfo`] that
//! [`crate::http::finish`] renders as `{"error":{"code":..,"message":..}}`
//! under `/api` and as a small HTML page elsewhere. Internal errors are
//! logged with the request id; the client sees only "internal error
//! (request id ...)".

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use fulcrum_store::StoreError;

/// Why a request failed.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Malformed input (syntax, bad query parameter).
    #[error("{0}")]
    BadRequest(String),
    /// Not signed in, or a bad token.
    #[error("{0}")]
    Unauthorized(String),
    /// Signed in but not allowed, or a missing CSRF token.
    #[error("{0}")]
    Forbidden(String),
    /// No such thing (or not one the caller may know of).
    #[error("{0}")]
    NotFound(String),
    /// The path exists, the method does not.
    #[error("method not allowed")]
    MethodNotAllowed,
    /// The change conflicts with what exists.
    #[error("{0}")]
    Conflict(String),
    /// The body is over the limit.
    #[error("request body too large (limit {0} bytes)")]
    PayloadTooLarge(usize),
    /// The body is not of the expected type.
    #[error("{0}")]
    UnsupportedMediaType(String),
    /// Well-formed input that breaks a rule (an invalid email, an unknown
    /// field, a role that does not exist).
    #[error("{0}")]
    Unprocessable(String),
    /// Too many failed sign-ins.
    #[error("too many failed sign-ins; try again in {retry_after} s")]
    TooManyRequests {
        /// Seconds to wait.
        retry_after: u64,
    },
    /// The server or its store is busy (a burst of load, a long write on
    /// SQLite's single writer): retry after `retry_after` seconds.
    #[error("{message}")]
    Unavailable {
        /// What is busy.
        message: String,
        /// Seconds to wait.
        retry_after: u64,
    },
    /// A bug or a store failure: logged, not shown.
    #[error("internal error: {0}")]
    Internal(String),
}

/// What [`crate::http::finish`] needs to render an error.
#[derive(Debug, Clone)]
pub struct ErrorInfo {
    /// Stable code (`forbidden`, ...).
    pub code: &'static str,
    /// A message for the client.
    pub message: String,
    /// For internal errors: the detail to log (never shown).
    pub internal: Option<String>,
}

impl Error {
    /// The status code.
    pub fn status(&self) -> StatusCode {
        self.parts().0
    }

    /// The stable code.
    pub fn code(&self) -> &'static str {
        self.parts().1
    }

    fn parts(&self) -> (StatusCode, &'static str) {
        match self {
            Error::BadRequest(_) => (StatusCode::BAD_REQUEST, "bad_request"),
            Error::Unauthorized(_) => (StatusCode::UNAUTHORIZED, "unauthorized"),
            Error::Forbidden(_) => (StatusCode::FORBIDDEN, "forbidden"),
            Error::NotFound(_) => (StatusCode::NOT_FOUND, "not_found"),
            Error::MethodNotAllowed => (StatusCode::METHOD_NOT_ALLOWED, "method_not_allowed"),
            Error::Conflict(_) => (StatusCode::CONFLICT, "conflict"),
            Error::PayloadTooLarge(_) => (StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large"),
            Error::UnsupportedMediaType(_) => {
                (StatusCode::UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type")
            }
            Error::Unprocessable(_) => (StatusCode::UNPROCESSABLE_ENTITY, "unprocessable"),
            Error::TooManyRequests { .. } => (StatusCode::TOO_MANY_REQUESTS, "too_many_requests"),
            Error::Unavailable { .. } => (StatusCode::SERVICE_UNAVAILABLE, "unavailable"),
            Error::Internal(_) => (StatusCode::INTERNAL_SERVER_ERROR, "internal"),
        }
    }

    /// The error a bare status stands for (axum's own 404 and 405, an
    /// extractor's rejection), with `message` when it says more.
    pub fn from_status(status: StatusCode, message: String) -> Error {
        match status {
            StatusCode::BAD_REQUEST => Error::BadRequest(message),
            StatusCode::UNAUTHORIZED => Error::Unauthorized(message),
            StatusCode::FORBIDDEN => Error::Forbidden(message),
            StatusCode::NOT_FOUND => Error::NotFound(message),
            StatusCode::METHOD_NOT_ALLOWED => Error::MethodNotAllowed,
            StatusCode::CONFLICT => Error::Conflict(message),
            StatusCode::PAYLOAD_TOO_LARGE => Error::PayloadTooLarge(0),
            StatusCode::UNSUPPORTED_MEDIA_TYPE => Error::UnsupportedMediaType(message),
            StatusCode::UNPROCESSABLE_ENTITY => Error::Unprocessable(message),
            s if s.is_client_error() => Error::BadRequest(message),
            _ => Error::Internal(message),
        }
    }

    /// What to render.
    pub fn info(&self) -> ErrorInfo {
        let (message, internal) = match self {
            Error::Internal(detail) => (String::new(), Some(detail.clone())),
            Error::PayloadTooLarge(0) => ("request body too large".to_owned(), None),
            other => (other.to_string(), None),
        };
        ErrorInfo {
            code: self.code(),
            message,
            internal,
        }
    }
}

impl From<StoreError> for Error {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::Conflict(what) => Error::Conflict(format!("{what} already exists")),
            stale @ StoreError::Stale { .. } => Error::Conflict(stale.to_string()),
            StoreError::Busy(why) => {
                tracing::warn!(reason = %why, "store busy: answered 503");
                Error::Unavailable {
                    message: "the store is busy; try again in a moment".into(),
                    retry_after: 2,
                }
            }
            other => Error::Internal(other.to_string()),
        }
    }
}

impl IntoResponse for Error {
    fn into_response(self) -> Response {
        let mut res = self.status().into_response();
        if let Error::TooManyRequests { retry_after } | Error::Unavailable { retry_after, .. } =
            &self
            && let Ok(v) = HeaderValue::from_str(&retry_after.to_string())
        {
            res.headers_mut().insert(header::RETRY_AFTER, v);
        }
        if let Error::Unauthorized(_) = &self {
            res.headers_mut()
                .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        }
        res.extensions_mut().insert(self.info());
        res
    }
}
