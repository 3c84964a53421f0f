//! Each person's private calendar feed of their deadlines:
//! `GET /feeds/{token}/deadlines.ics` (no session: the token in the URL is
//! the credential, so any calendar can subscribe; an unknown or revoked
//! token is 404), created with `POST /me/feed` (the URL is shown once;
//! only the token's hash is stored; one active feed per person, a new one
//! replaces the old) and revoked with `POST /me/feed/revoke`.
//!
//! The events are what waits on the person (the same [`my_waits`] as `/me`
//! and the digest) that has a time: answer-by times of asks, proposals'
//! closing times, action items' due dates, incident reviews' due times.
//! Times are UTC; UIDs are stable, so a calendar updates an event rather
//! than adding a second one.

use super::chrome::{CsrfForm, Nav, nav, render};
use super::waits::{MyWaits, my_waits};
use crate::auth::{new_token, sha256_hex};
use crate::error::Error;
use crate::http::{ApiPath, FormBody, PageAuth, Viewer, check_form_csrf};
use crate::notify::link;
use crate::state::AppState;
use askama::Template;
use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use chrono::{DateTime, Duration, Utc};
use fulcrum_app::dashboard::PersonSnapshot;
use fulcrum_report::ics_write::{IcsEvent, stable_uid, write_calendar};
use fulcrum_store::Storage;

/// The events of a person's feed.
pub(crate) fn feed_events(waits: &MyWaits, base: Option<&str>) -> Vec<IcsEvent> {
    let mut out = Vec::new();
    for section in waits.sections() {
        let label = section.label;
        for r in section.rows {
            let Some(due) = MyWaits::due_of(r) else {
                continue;
            };
            out.push(IcsEvent {
                uid: stable_uid(&[label, &r.href, &r.what], "fulcrum"),
                start: due,
                end: due + Duration::minutes(15),
                summary: format!("{label}: {}", r.what),
                description: (!r.late.is_empty()).then(|| r.late.to_owned()),
                categories: vec!["Fulcrum".to_owned()],
                busy: false,
                url: base.map(|b| link(Some(b), &r.href)),
            });
        }
    }
    out
}

/// The viewer on the people list, or 404.
fn on_the_list<'s>(
    snap: &'s fulcrum_app::dashboard::Snapshot,
    email: &str,
) -> Result<&'s PersonSnapshot, Error> {
    snap.person(email).ok_or_else(|| {
        Error::NotFound("your email is not on the workspace's people list".to_owned())
    })
}

/// Creates the viewer's feed token (replacing theirs) and returns the
/// feed's URL, to show once.
pub(crate) async fn create_feed<S: Storage + 'static>(
    state: &AppState<S>,
    viewer: &Viewer,
) -> Result<String, Error> {
    let snap = state.snapshot();
    let p = on_the_list(&snap, &viewer.user.email)?;
    let token = new_token();
    state
        .store
        .set_feed_token(p.email.clone(), sha256_hex(&token), Utc::now())
        .await?;
    Ok(link(
        state.config.public_url.as_deref(),
        &format!("/feeds/{token}/deadlines.ics"),
    ))
}

/// Revokes the viewer's feed; 404 when they have none.
pub(crate) async fn revoke_feed<S: Storage + 'static>(
    state: &AppState<S>,
    viewer: &Viewer,
) -> Result<(), Error> {
    if state
        .store
        .revoke_feed_token(viewer.user.email.clone())
        .await?
    {
        Ok(())
    } else {
        Err(Error::NotFound("you have no calendar feed".to_owned()))
    }
}

/// When the viewer's active feed was created, for `/me`.
pub(crate) async fn feed_since<S: Storage + 'static>(
    state: &AppState<S>,
    email: &str,
) -> Result<Option<DateTime<Utc>>, Error> {
    Ok(state.store.feed_token_created(email.to_owned()).await?)
}

/// `GET /feeds/{token}/deadlines.ics`: the token's person's deadlines.
pub async fn deadlines<S: Storage + 'static>(
    State(state): State<AppState<S>>,
    ApiPath(token): ApiPath<String>,
) -> Result<Response, Error> {
    let gone = || Error::NotFound("no such calendar feed".to_owned());
    if token.len() > 128 {
        return Err(gone());
    }
    let email = state
        .store
        .feed_token_person(sha256_hex(&token))
        .await?
        .ok_or_else(gone)?;
    let snap = state.snapshot();
    let p = snap.person(&email).ok_or_else(gone)?;
    let now = Utc::now();
    let waits = my_waits(&state, &snap, &p.team, &p.email, *p.clock.tz(), now).await?;
    let events = feed_events(&waits, state.config.public_url.as_deref());
    let mut body = Vec::with_capacity(512 + 400 * events.len());
    write_calendar(&mut body, "Fulcrum deadlines", now, &events)
        .map_err(|e| Error::Internal(format!("ics: {e}")))?;
    let mut res = (StatusCode::OK, body).into_response();
    let h = res.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/calendar; charset=utf-8"),
    );
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(res)
}

#[derive(Template)]
#[template(path = "feed.html")]
struct FeedPage {
    nav: Option<Nav>,
    url: String,
}

/// `POST /me/feed`: a new private feed URL, shown once.
pub async fn create<S: Storage + 'static>(
    State(state): State<AppState<S>>,
    PageAuth(viewer): PageAuth,
    FormBody(form): FormBody<CsrfForm>,
) -> Result<Response, Error> {
    check_form_csrf(&viewer, &form.csrf)?;
    let url = create_feed(&state, &viewer).await?;
    Ok(render(
        StatusCode::OK,
        &FeedPage {
            nav: nav(&viewer, "me"),
            url,
        },
    ))
}

/// `POST /me/feed/revoke`: the feed URL stops working.
pub async fn revoke<S: Storage + 'static>(
    State(state): State<AppState<S>>,
    PageAuth(viewer): PageAuth,
    FormBody(form): FormBody<CsrfForm>,
) -> Result<Response, Error> {
    check_form_csrf(&viewer, &form.csrf)?;
    revoke_feed(&state, &viewer).await?;
    Ok(Redirect::to("/me").into_response())
}
