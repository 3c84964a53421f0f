//! `GET /static/{file}`: the files embedded in the binary from `assets/`
//! (the stylesheet, htmx, the icon; also `openapi.json`, which the API
//! serves).

use crate::error::Error;
use axum::http::header;
use axum::response::{IntoResponse, Response};
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

/// `GET /static/{file}`: `app.css`, `icon.svg` and `htmx.min.js`.
pub async fn file(
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
