//! The JSON API under `/api/v1`, described by `/openapi.json`
//! (`assets/openapi.json`). Callers authenticate with `Authorization:
//! Bearer <token>` or the session cookie (then changes need the
//! `X-CSRF-Token` header). Lists take `?offset=&limit=` (limit 1-500,
//! default 50) and answer `{"items": [...], "offset", "limit",
//! "next_offset"}`; `next_offset` is null when the page was not full.
//! Request bodies are strict: unknown fields are refused. The routes are
//! listed in [`crate::routes`] with the pages'.

use crate::auth::{hash_off_thread, new_token, sha256_hex};
use crate::error::Error;
use crate::history;
use crate::http::{ApiAuth, ApiJson, ApiPath, ApiQuery, Via};
use crate::pages::assets::Assets;
use crate::policy::{self, may_revoke, not_self, visible_teams};
use crate::state::AppState;
use crate::workflow::{
    self, AskChange, DecisionChange, IncidentChange, StoredAsk, StoredDecision, StoredIncident,
    StoredMeeting,
};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::{Json, extract::State};
use fulcrum_app::dashboard::PersonSnapshot;
use fulcrum_app::workflow::{AskInput, DecisionInput, IncidentInput, MeetingInput, review_date};
use fulcrum_report::report::json::cell;
use fulcrum_store::{ApiToken, NewToken, NewUser, Page, SourceInfo, Storage, User, UserChange};
use serde::{Deserialize, Deserializer};
use serde_json::{Value, json};

/// `GET /healthz`: 200 `{"status":"ok"}`, no authentication.
pub async fn healthz() -> Json<Value> {
    Json(json!({"status": "ok"}))
}

/// `GET /readyz`: 200 `{"status":"ready"}` when the store answers a
/// query within [`READY_TIMEOUT`], else 503 `{"status":"unavailable"}`.
/// No authentication. `/healthz` stays the liveness check: it answers
/// while the process runs, whatever the store does.
pub async fn readyz<S: Storage + 'static>(State(state): State<AppState<S>>) -> Response {
    match tokio::time::timeout(READY_TIMEOUT, state.store.ping()).await {
        Ok(Ok(())) => Json(json!({"status": "ready"})).into_response(),
        Ok(Err(e)) => {
            tracing::warn!(error = %e, "readiness: the store failed");
            unavailable("the store does not answer")
        }
        Err(_) => {
            tracing::warn!("readiness: the store did not answer in time");
            unavailable("the store did not answer in time")
        }
    }
}

/// How long `/readyz` waits for the store.
pub const READY_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(2);

fn unavailable(reason: &str) -> Response {
    (
        StatusCode::SERVICE_UNAVAILABLE,
        Json(json!({"status": "unavailable", "reason": reason})),
    )
        .into_response()
}

/// `GET /openapi.json`: the API's description.
pub async fn openapi() -> Response {
    match Assets::get("openapi.json") {
        Some(f) => (
            [(header::CONTENT_TYPE, "application/json")],
            f.data.into_owned(),
        )
            .into_response(),
        None => Error::Internal("openapi.json is not embedded".into()).into_response(),
    }
}

/// `?offset=&limit=`.
#[derive(Debug, Deserialize)]
pub struct Paging {
    #[serde(default)]
    offset: u32,
    limit: Option<u32>,
}

impl Paging {
    /// The store's page: limit 1-500 (default 50), else 400.
    fn page(&self) -> Result<Page, Error> {
        let limit = self.limit.unwrap_or(Page::default().limit);
        if !(1..=Page::MAX_LIMIT).contains(&limit) {
            return Err(Error::BadRequest(format!(
                "limit must be between 1 and {}, not {limit}",
                Page::MAX_LIMIT
            )));
        }
        Ok(Page {
            offset: self.offset,
            limit,
        })
    }
}

/// A list answer.
fn list(items: Vec<Value>, page: Page, more: bool) -> Json<Value> {
    let next = more.then(|| page.offset.saturating_add(page.limit));
    Json(json!({
        "items": items,
        "offset": page.offset,
        "limit": page.limit,
        "next_offset": next,
    }))
}

fn time(t: chrono::DateTime<chrono::Utc>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

/// An account as JSON (never its password hash).
pub fn user_json(u: &User) -> Value {
    json!({
        "id": u.id,
        "email": u.email,
        "role": u.role.as_str(),
        "teams": u.teams,
        "created_at": time(u.created_at),
    })
}

/// A token as JSON (never its hash).
pub fn token_json(t: &ApiToken) -> Value {
    json!({
        "id": t.id,
        "name": t.name,
        "created_at": time(t.created_at),
        "last_used_at": t.last_used_at.map(time),
        "revoked_at": t.revoked_at.map(time),
    })
}

fn source_json(s: &SourceInfo) -> Value {
    json!({
        "id": s.id,
        "kind": s.kind.as_str(),
        "source": s.source,
        "file": s.file,
        "fingerprint": s.fingerprint,
        "imported_at": time(s.imported_at),
        "records": s.records,
        "owner": s.owner,
    })
}

/// A person's own week as JSON: every person signal of every week, and the
/// planned focus blocks.
pub fn week_json(p: &PersonSnapshot, focus_note: Option<&str>) -> Value {
    let weeks: Vec<Value> = p
        .weeks
        .iter()
        .map(|(week, cells)| {
            let signals: serde_json::Map<String, Value> = cells
                .iter()
                .map(|(id, c)| (id.as_str().to_owned(), cell(c)))
                .collect();
            json!({"week": week.to_string(), "signals": signals})
        })
        .collect();
    let focus = p.focus.as_ref().map(|f| {
        json!({
            "week": f.week.to_string(),
            "zone": f.zone,
            "planned_minutes": f.planned_minutes,
            "working_days": f.working_days,
            "min_block_minutes": f.min_block_minutes,
            "per_day_minutes": f.per_day_minutes,
            "days_without_room": f.days_without_room.iter().map(ToString::to_string).collect::<Vec<_>>(),
            "blocks": f.blocks.iter().map(|b| json!({
                "date": b.date.to_string(),
                "start": b.start,
                "end": b.end,
                "minutes": b.minutes,
                "start_utc": b.start_utc,
                "end_utc": b.end_utc,
            })).collect::<Vec<_>>(),
        })
    });
    json!({
        "email": p.email,
        "name": p.name,
        "team": p.team,
        "zone": p.zone,
        "weeks": weeks,
        "focus": focus,
        "focus_note": if p.focus.is_none() { focus_note } else { None },
    })
}

/// `GET /api/v1/me`: the caller's account, their place on the people list,
/// and (for a session) the CSRF token changes need.
pub async fn me<S: Storage + 'static>(
    State(state): State<AppState<S>>,
    ApiAuth(viewer): ApiAuth,
) -> Json<Value> {
    let snap = state.snapshot();
    let mut v = user_json(&viewer.user);
    let person = snap
        .person(&viewer.user.email)
        .map(|p| json!({"name": p.name, "team": p.team}));
    v["person"] = person.unwrap_or(Value::Null);
    v["csrf_token"] = match &viewer.via {
        Via::Session { csrf, .. } => Value::String(csrf.clone()),
        Via::Token => Value::Null,
    };
    Json(v)
}

/// `GET /api/v1/me/week`: the caller's own week (404 when they are not on
/// the people list).
pub async fn my_week<S: Storage + 'static>(
    State(state): State<AppState<S>>,
    ApiAuth(viewer): ApiAuth,
) -> Result<Json<Value>, Error> {
    let snap = state.snapshot();
    let p = snap.person(&viewer.user.email).ok_or_else(|| {
        Error::NotFound("your email is not on the workspace's people list".into())
    })?;
    Ok(Json(week_json(p, snap.focus_note.as_deref())))
}

/// `GET /api/v1/teams`: the teams the caller may see.
pub async fn teams<S: Storage + 'static>(
    State(state): State<AppState<S>>,
    ApiAuth(viewer): ApiAuth,
    ApiQuery(q): ApiQuery<Paging>,
) -> Result<Json<Value>, Error> {
    let page = q.page()?;
    let snap = state.snapshot();
    let all = visible_teams(&viewer.user, &snap);
    let items: Vec<Value> = all
        .iter()
        .skip(page.offset as usize)
        .take(page.limit as usize)
        .map(|t| json!({"name": t.name, "members": t.members, "too_small": t.too_small}))
        .collect();
    let more = (page.offset as usize).saturating_add(page.limit as usize) < all.len();
    Ok(list(items, page, more))
}

/// `GET /api/v1/teams/{team}/report`: the report JSON of one team
/// (aggregates only): 404 for an unknown team, 403 for one the caller may
/// not see.
pub async fn team_report<S: Storage + 'static>(
    State(state): State<AppState<S>>,
    ApiAuth(viewer): ApiAuth,
    ApiPath(team): ApiPath<String>,
) -> Result<Response, Error> {
    let snap = state.snapshot();
    let t = policy::team_for(&viewer.user, &snap, &team)?;
    Ok(([(header::CONTENT_TYPE, "application/json")], t.json.clone()).into_response())
}

/// `GET /api/v1/teams/{team}/history`: the team's stored weekly aggregates
/// (every stored week, oldest first), read from the store, not the
/// snapshot; the same visibility rule as the report (404 for an unknown
/// team, 403 for one the caller may not see).
pub async fn team_history<S: Storage + 'static>(
    State(state): State<AppState<S>>,
    ApiAuth(viewer): ApiAuth,
    ApiPath(team): ApiPath<String>,
) -> Result<Json<Value>, Error> {
    let snap = state.snapshot();
    let t = policy::team_for(&viewer.user, &snap, &team)?;
    let rows = state.store.aggregates(Some(t.name.clone())).await?;
    let weeks = history::weeks(rows, snap.min_group_size);
    Ok(Json(history::json(&t.name, &weeks)))
}

/// `GET /api/v1/users` (admin).
pub async fn users<S: Storage + 'static>(
    State(state): State<AppState<S>>,
    ApiAuth(viewer): ApiAuth,
    ApiQuery(q): ApiQuery<Paging>,
) -> Result<Json<Value>, Error> {
    policy::require_admin(&viewer.user)?;
    let page = q.page()?;
    let rows = state.store.users(page).await?;
    let more = rows.len() as u32 == page.limit;
    Ok(list(rows.iter().map(user_json).collect(), page, more))
}

/// `POST /api/v1/users`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewUserBody {
    email: String,
    role: String,
    #[serde(default)]
    teams: Vec<String>,
    password: String,
}

/// `POST /api/v1/users` (admin): 201 with the account; 409 when the email
/// exists.
pub async fn create_user<S: Storage + 'static>(
    State(state): State<AppState<S>>,
    ApiAuth(viewer): ApiAuth,
    ApiJson(body): ApiJson<NewUserBody>,
) -> Result<Response, Error> {
    policy::require_admin(&viewer.user)?;
    let email = policy::email(&body.email)?;
    let role = policy::role(&body.role)?;
    let teams = policy::teams(&body.teams)?;
    let hash = hash_off_thread(
        &state.password_checks,
        policy::password(&body.password)?.to_owned(),
    )
    .await?;
    let user = state
        .store
        .create_user(NewUser {
            email,
            role,
            teams,
            password_hash: Some(hash),
            now: chrono::Utc::now(),
        })
        .await?;
    tracing::info!(by = viewer.user.id, user_id = user.id, "user created");
    let mut res = (StatusCode::CREATED, Json(user_json(&user))).into_response();
    if let Ok(v) = HeaderValue::from_str(&format!("/api/v1/users/{}", user.id)) {
        res.headers_mut().insert(header::LOCATION, v);
    }
    Ok(res)
}

/// `GET /api/v1/users/{id}` (admin).
pub async fn user<S: Storage + 'static>(
    State(state): State<AppState<S>>,
    ApiAuth(viewer): ApiAuth,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<Value>, Error> {
    policy::require_admin(&viewer.user)?;
    let u = state
        .store
        .user_by_id(id)
        .await?
        .ok_or_else(|| Error::NotFound(format!("no user {id}")))?;
    Ok(Json(user_json(&u)))
}

/// Keeps an explicit `null` apart from an absent field.
fn present<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Value>, D::Error> {
    Value::deserialize(d).map(Some)
}

/// `PATCH /api/v1/users/{id}`: fields left out stay as they are.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UserPatch {
    #[serde(default, deserialize_with = "present")]
    role: Option<Value>,
    #[serde(default, deserialize_with = "present")]
    teams: Option<Value>,
    #[serde(default, deserialize_with = "present")]
    password: Option<Value>,
}

fn string_field(v: Value, name: &str) -> Result<String, Error> {
    match v {
        Value::String(s) => Ok(s),
        _ => Err(Error::Unprocessable(format!("{name} must be a string"))),
    }
}

/// `PATCH /api/v1/users/{id}` (admin): changes role, teams or password.
pub async fn update_user<S: Storage + 'static>(
    State(state): State<AppState<S>>,
    ApiAuth(viewer): ApiAuth,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<UserPatch>,
) -> Result<Json<Value>, Error> {
    policy::require_admin(&viewer.user)?;
    let role = body
        .role
        .map(|v| string_field(v, "role").and_then(|s| policy::role(&s)))
        .transpose()?;
    if role.is_some_and(|r| r != fulcrum_store::Role::Admin) {
        not_self(&viewer, id, "demote")?;
    }
    let teams = body
        .teams
        .map(|v| {
            let items: Vec<String> = serde_json::from_value(v)
                .map_err(|_| Error::Unprocessable("teams must be an array of strings".into()))?;
            policy::teams(&items)
        })
        .transpose()?;
    let password_hash = match body.password {
        Some(v) => {
            let p = string_field(v, "password")?;
            Some(hash_off_thread(&state.password_checks, policy::password(&p)?.to_owned()).await?)
        }
        None => None,
    };
    let u = state
        .store
        .update_user(
            id,
            UserChange {
                role,
                teams,
                password_hash,
            },
        )
        .await?
        .ok_or_else(|| Error::NotFound(format!("no user {id}")))?;
    Ok(Json(user_json(&u)))
}

/// `DELETE /api/v1/users/{id}` (admin): 204; not one's own account.
pub async fn delete_user<S: Storage + 'static>(
    State(state): State<AppState<S>>,
    ApiAuth(viewer): ApiAuth,
    ApiPath(id): ApiPath<i64>,
) -> Result<StatusCode, Error> {
    policy::require_admin(&viewer.user)?;
    not_self(&viewer, id, "delete")?;
    if state.store.delete_user(id).await? {
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(Error::NotFound(format!("no user {id}")))
    }
}

/// `GET /api/v1/tokens`: the caller's own tokens, newest first.
pub async fn tokens<S: Storage + 'static>(
    State(state): State<AppState<S>>,
    ApiAuth(viewer): ApiAuth,
    ApiQuery(q): ApiQuery<Paging>,
) -> Result<Json<Value>, Error> {
    let page = q.page()?;
    let rows = state.store.tokens(Some(viewer.user.id), page).await?;
    let more = rows.len() as u32 == page.limit;
    Ok(list(rows.iter().map(token_json).collect(), page, more))
}

/// `POST /api/v1/tokens`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TokenBody {
    name: String,
}

/// `POST /api/v1/tokens`: 201 with the token, shown this once.
pub async fn create_token<S: Storage + 'static>(
    State(state): State<AppState<S>>,
    ApiAuth(viewer): ApiAuth,
    ApiJson(body): ApiJson<TokenBody>,
) -> Result<Response, Error> {
    if let Via::Token = viewer.via {
        // A token that could mint tokens would outlive its own revocation
        // through its offspring.
        return Err(Error::Forbidden(
            "an API token cannot create tokens: create them while signed in (the Tokens page)"
                .into(),
        ));
    }
    let name = policy::token_name(&body.name)?;
    let token = new_token();
    let t = state
        .store
        .create_token(NewToken {
            user_id: viewer.user.id,
            name,
            hash: sha256_hex(&token),
            created_at: chrono::Utc::now(),
        })
        .await?;
    let mut v = token_json(&t);
    v["token"] = Value::String(token);
    Ok((StatusCode::CREATED, Json(v)).into_response())
}

/// `DELETE /api/v1/tokens/{id}`: revokes one of the caller's tokens (an
/// administrator: any); 404 for an unknown, foreign or revoked token.
pub async fn revoke_token<S: Storage + 'static>(
    State(state): State<AppState<S>>,
    ApiAuth(viewer): ApiAuth,
    ApiPath(id): ApiPath<i64>,
) -> Result<StatusCode, Error> {
    may_revoke(&state, &viewer, id).await?;
    if state.store.revoke_token(id, chrono::Utc::now()).await? {
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(Error::NotFound(format!("no active token {id}")))
    }
}

/// `GET /api/v1/sources` (admin): imported sources, newest first.
pub async fn sources<S: Storage + 'static>(
    State(state): State<AppState<S>>,
    ApiAuth(viewer): ApiAuth,
    ApiQuery(q): ApiQuery<Paging>,
) -> Result<Json<Value>, Error> {
    policy::require_admin(&viewer.user)?;
    let page = q.page()?;
    let rows = state.store.sources(page).await?;
    let more = rows.len() as u32 == page.limit;
    Ok(list(rows.iter().map(source_json).collect(), page, more))
}

// ---- the async workflow: asks ------------------------------------------------

/// `?state=&mine=&offset=&limit=` of an ask list.
#[derive(Debug, Deserialize)]
pub struct AskListQuery {
    #[serde(default)]
    state: String,
    #[serde(default)]
    mine: bool,
    #[serde(default)]
    offset: u32,
    limit: Option<u32>,
}

/// `GET /api/v1/teams/{team}/asks`: the team's asks, newest first,
/// filtered by `state` (open, answered, withdrawn) and `mine` (waiting on
/// the caller); 404 for an unknown team, 403 for one the caller may not
/// see.
pub async fn team_asks<S: Storage + 'static>(
    State(state): State<AppState<S>>,
    ApiAuth(viewer): ApiAuth,
    ApiPath(team): ApiPath<String>,
    ApiQuery(q): ApiQuery<AskListQuery>,
) -> Result<Json<Value>, Error> {
    let page = Paging {
        offset: q.offset,
        limit: q.limit,
    }
    .page()?;
    let team = policy::team_for(&viewer.user, &state.snapshot(), &team)?
        .name
        .clone();
    let filter = workflow::ask_filter(&q.state, q.mine.then_some(viewer.user.email.as_str()))?;
    let rows = state.workflow_items(team, filter, page).await?;
    let more = rows.len() as u32 == page.limit;
    let now = chrono::Utc::now();
    let items = rows
        .into_iter()
        .filter_map(StoredAsk::of)
        .map(|a| workflow::ask_json(&a, now))
        .collect();
    Ok(list(items, page, more))
}

/// `POST /api/v1/teams/{team}/asks`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewAskBody {
    #[serde(default)]
    to: Option<String>,
    #[serde(default)]
    context: String,
    #[serde(default)]
    needed: String,
    #[serde(default)]
    respond_in: String,
    #[serde(default)]
    sla: Option<String>,
    #[serde(default)]
    deadline: Option<String>,
}

/// `POST /api/v1/teams/{team}/asks`: 201 with the ask (its `coaching`
/// lists the parts of a clear ask it lacks); 422 naming each bad field.
pub async fn create_ask<S: Storage + 'static>(
    State(state): State<AppState<S>>,
    ApiAuth(viewer): ApiAuth,
    ApiPath(team): ApiPath<String>,
    ApiJson(body): ApiJson<NewAskBody>,
) -> Result<Response, Error> {
    let input = AskInput {
        to: body.to.unwrap_or_default(),
        context: body.context,
        needed: body.needed,
        respond_in: body.respond_in,
        sla: body.sla.unwrap_or_default(),
        deadline: body.deadline.unwrap_or_default(),
    };
    let a = workflow::create_ask(&state, &viewer, &team, &input).await?;
    let mut res = (
        StatusCode::CREATED,
        Json(workflow::ask_json(&a, chrono::Utc::now())),
    )
        .into_response();
    if let Ok(v) = HeaderValue::from_str(&format!("/api/v1/asks/{}", a.id)) {
        res.headers_mut().insert(header::LOCATION, v);
    }
    Ok(res)
}

/// `GET /api/v1/asks/{id}`: 404 unless the caller sees the ask's team.
pub async fn ask<S: Storage + 'static>(
    State(state): State<AppState<S>>,
    ApiAuth(viewer): ApiAuth,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<Value>, Error> {
    let a = workflow::ask(&state, &viewer, id).await?;
    Ok(Json(workflow::ask_json(&a, chrono::Utc::now())))
}

/// `POST /api/v1/asks/{id}/answer`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AnswerBody {
    version: i64,
    text: String,
}

/// `POST /api/v1/asks/{id}/answer`: the recipient answers; 409 when the
/// ask is no longer open or changed since `version`.
pub async fn answer_ask<S: Storage + 'static>(
    State(state): State<AppState<S>>,
    ApiAuth(viewer): ApiAuth,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<AnswerBody>,
) -> Result<Json<Value>, Error> {
    let a = workflow::change_ask(
        &state,
        &viewer,
        id,
        body.version,
        AskChange::Answer(body.text),
    )
    .await?;
    Ok(Json(workflow::ask_json(&a, chrono::Utc::now())))
}

/// The body of `POST /api/v1/asks/{id}/withdraw` (and of the other changes
/// that take only a version, such as resolving an incident).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WithdrawBody {
    version: i64,
}

/// `POST /api/v1/asks/{id}/withdraw`: the author takes the ask back.
pub async fn withdraw_ask<S: Storage + 'static>(
    State(state): State<AppState<S>>,
    ApiAuth(viewer): ApiAuth,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<WithdrawBody>,
) -> Result<Json<Value>, Error> {
    let a = workflow::change_ask(&state, &viewer, id, body.version, AskChange::Withdraw).await?;
    Ok(Json(workflow::ask_json(&a, chrono::Utc::now())))
}

/// `GET /api/v1/teams/{team}/workflow`: every workflow object of the team,
/// oldest first, as JSON (the export).
pub async fn team_workflow<S: Storage + 'static>(
    State(state): State<AppState<S>>,
    ApiAuth(viewer): ApiAuth,
    ApiPath(team): ApiPath<String>,
) -> Result<Json<Value>, Error> {
    let snap = state.snapshot();
    let team = policy::team_for(&viewer.user, &snap, &team)?.name.clone();
    let items = state.store.export_workflow(Some(team.clone())).await?;
    let now = chrono::Utc::now();
    // Pulse responses are personal: the export holds their aggregates
    // only (each person exports their own through /api/v1/me/pulse).
    let objects: Vec<Value> = items
        .into_iter()
        .filter(|item| !item.item.is_personal())
        .map(|item| workflow::item_json(item, now))
        .collect();
    let pulse = workflow::team_pulse(&state, &snap, &team).await?;
    Ok(Json(json!({
        "team": team,
        "exported_at": time(now),
        "objects": objects,
        "pulse": workflow::pulse_summary_json(&pulse, snap.min_group_size),
    })))
}

// ---- the async workflow: proposals -------------------------------------------

/// `?state=&offset=&limit=` of a workflow list filtered by state
/// (proposals, meeting records, incidents).
#[derive(Debug, Deserialize)]
pub struct StateListQuery {
    #[serde(default)]
    state: String,
    #[serde(default)]
    offset: u32,
    limit: Option<u32>,
}

/// `GET /api/v1/teams/{team}/decisions`: the team's proposals, newest
/// first, filtered by `state` (open, closed, withdrawn).
pub async fn team_decisions<S: Storage + 'static>(
    State(state): State<AppState<S>>,
    ApiAuth(viewer): ApiAuth,
    ApiPath(team): ApiPath<String>,
    ApiQuery(q): ApiQuery<StateListQuery>,
) -> Result<Json<Value>, Error> {
    let page = Paging {
        offset: q.offset,
        limit: q.limit,
    }
    .page()?;
    let team = policy::team_for(&viewer.user, &state.snapshot(), &team)?
        .name
        .clone();
    let filter = workflow::decision_filter(&q.state)?;
    let records = workflow::records_by_decision(&state, &team).await?;
    let rows = state.workflow_items(team, filter, page).await?;
    let more = rows.len() as u32 == page.limit;
    let snap = state.snapshot();
    let items = rows
        .into_iter()
        .filter_map(StoredDecision::of)
        .map(|d| {
            let linked = records.get(&d.id).map_or(&[][..], Vec::as_slice);
            workflow::decision_json_linked(d.id, d.version, &d.decision, &snap, linked)
        })
        .collect();
    Ok(list(items, page, more))
}

/// `POST /api/v1/teams/{team}/decisions`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewDecisionBody {
    title: String,
    #[serde(default)]
    context: String,
    #[serde(default)]
    decision_type: Option<String>,
    #[serde(default)]
    who_decides: Option<String>,
    #[serde(default)]
    closes_at: Option<String>,
}

/// `POST /api/v1/teams/{team}/decisions`: 201 with the proposal; 422
/// naming each bad field.
pub async fn create_decision<S: Storage + 'static>(
    State(state): State<AppState<S>>,
    ApiAuth(viewer): ApiAuth,
    ApiPath(team): ApiPath<String>,
    ApiJson(body): ApiJson<NewDecisionBody>,
) -> Result<Response, Error> {
    let input = DecisionInput {
        title: body.title,
        context: body.context,
        decision_type: body.decision_type.unwrap_or_default(),
        who_decides: body.who_decides.unwrap_or_default(),
        closes_at: body.closes_at.unwrap_or_default(),
    };
    let d = workflow::create_decision(&state, &viewer, &team, &input).await?;
    let mut res = (
        StatusCode::CREATED,
        Json(workflow::decision_json_of(&state, &d).await?),
    )
        .into_response();
    if let Ok(v) = HeaderValue::from_str(&format!("/api/v1/decisions/{}", d.id)) {
        res.headers_mut().insert(header::LOCATION, v);
    }
    Ok(res)
}

/// `GET /api/v1/decisions/{id}`: 404 unless the caller sees its team.
pub async fn decision<S: Storage + 'static>(
    State(state): State<AppState<S>>,
    ApiAuth(viewer): ApiAuth,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<Value>, Error> {
    let d = workflow::decision(&state, &viewer, id).await?;
    Ok(Json(workflow::decision_json_of(&state, &d).await?))
}

/// `POST /api/v1/decisions/{id}/stance`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StanceBody {
    version: i64,
    position: String,
    #[serde(default)]
    reason: String,
}

/// `POST /api/v1/decisions/{id}/stance`: the caller's stance (a later one
/// replaces theirs); 409 when closed or changed since `version`.
pub async fn decision_stance<S: Storage + 'static>(
    State(state): State<AppState<S>>,
    ApiAuth(viewer): ApiAuth,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<StanceBody>,
) -> Result<Json<Value>, Error> {
    let position = crate::pages::decisions::position(&body.position)?;
    let d = workflow::change_decision(
        &state,
        &viewer,
        id,
        body.version,
        DecisionChange::Stance(position, body.reason),
    )
    .await?;
    Ok(Json(workflow::decision_json_of(&state, &d).await?))
}

/// `POST /api/v1/decisions/{id}/close`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CloseBody {
    version: i64,
    outcome: String,
    #[serde(default)]
    review_on: Option<String>,
}

/// `POST /api/v1/decisions/{id}/close`: its author or the team's leads
/// and administrators write the outcome.
pub async fn close_decision<S: Storage + 'static>(
    State(state): State<AppState<S>>,
    ApiAuth(viewer): ApiAuth,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<CloseBody>,
) -> Result<Json<Value>, Error> {
    let review = review_date(body.review_on.as_deref().unwrap_or(""))
        .map_err(|p| policy::field_problems(&[p]))?;
    let d = workflow::change_decision(
        &state,
        &viewer,
        id,
        body.version,
        DecisionChange::Close(body.outcome, review),
    )
    .await?;
    Ok(Json(workflow::decision_json_of(&state, &d).await?))
}

/// `POST /api/v1/decisions/{id}/withdraw`: its author takes it back.
pub async fn withdraw_decision<S: Storage + 'static>(
    State(state): State<AppState<S>>,
    ApiAuth(viewer): ApiAuth,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<WithdrawBody>,
) -> Result<Json<Value>, Error> {
    let d = workflow::change_decision(&state, &viewer, id, body.version, DecisionChange::Withdraw)
        .await?;
    Ok(Json(workflow::decision_json_of(&state, &d).await?))
}

// ---- the async workflow: meeting records -----------------------------------------

/// `GET /api/v1/teams/{team}/meetings`: the team's meeting records,
/// newest first, filtered by `state` (open: without a summary, summarized).
pub async fn team_meetings<S: Storage + 'static>(
    State(state): State<AppState<S>>,
    ApiAuth(viewer): ApiAuth,
    ApiPath(team): ApiPath<String>,
    ApiQuery(q): ApiQuery<StateListQuery>,
) -> Result<Json<Value>, Error> {
    let page = Paging {
        offset: q.offset,
        limit: q.limit,
    }
    .page()?;
    let snap = state.snapshot();
    let team = policy::team_for(&viewer.user, &snap, &team)?.name.clone();
    let filter = workflow::meeting_filter(&q.state)?;
    let rows = state.workflow_items(team, filter, page).await?;
    let more = rows.len() as u32 == page.limit;
    let now = chrono::Utc::now();
    let items = rows
        .into_iter()
        .filter_map(StoredMeeting::of)
        .map(|m| workflow::meeting_json(m.id, m.version, &m.record, Some(&snap), now))
        .collect();
    Ok(list(items, page, more))
}

/// `?from=&to=` of the calendar meetings to pick from.
#[derive(Debug, Deserialize)]
pub struct PickQuery {
    #[serde(default)]
    from: String,
    #[serde(default)]
    to: String,
}

/// `GET /api/v1/teams/{team}/meetings/calendar`: the calendar meetings of
/// the team's members a record can be attached to, in `[from, to)` (by
/// default 14 days either side of now; at most 28 days), the most recent
/// first, at most 200; titles and attendees only of the meetings the caller
/// is on.
pub async fn team_calendar_meetings<S: Storage + 'static>(
    State(state): State<AppState<S>>,
    ApiAuth(viewer): ApiAuth,
    ApiPath(team): ApiPath<String>,
    ApiQuery(q): ApiQuery<PickQuery>,
) -> Result<Json<Value>, Error> {
    let snap = state.snapshot();
    let team = policy::team_for(&viewer.user, &snap, &team)?.name.clone();
    let (from, to) = workflow::pick_range_of(&snap, &viewer, &q.from, &q.to)?;
    let meetings = workflow::calendar_meetings(&state, &viewer, &team, from, to).await?;
    let rfc =
        |t: chrono::DateTime<chrono::Utc>| t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    Ok(Json(json!({
        "team": team,
        "from": rfc(from),
        "to": rfc(to),
        "items": meetings.iter().map(workflow::calendar_meeting_json).collect::<Vec<_>>(),
    })))
}

/// An action item in a body.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ActionItemBody {
    text: String,
    #[serde(default)]
    owner: Option<String>,
    #[serde(default)]
    due: Option<String>,
    #[serde(default)]
    done: bool,
}

fn action_items(
    items: Vec<ActionItemBody>,
) -> Result<Vec<fulcrum_model::workflow::ActionItem>, Error> {
    items
        .into_iter()
        .enumerate()
        .map(|(n, i)| {
            let due = match i.due.as_deref().map(str::trim) {
                None | Some("") => None,
                Some(d) => Some(chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").map_err(
                    |_| {
                        Error::Unprocessable(format!(
                            "action_items[{n}].due: {d:?} is not a date (YYYY-MM-DD)"
                        ))
                    },
                )?),
            };
            Ok(fulcrum_model::workflow::ActionItem {
                text: i.text.trim().to_owned(),
                owner: i.owner.unwrap_or_default().trim().to_lowercase(),
                due,
                done: i.done,
            })
        })
        .collect()
}

/// `POST /api/v1/teams/{team}/meetings` and the fields of a `PATCH`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MeetingBody {
    /// Required on `PATCH`: the version the change was made from.
    #[serde(default)]
    version: Option<i64>,
    #[serde(default)]
    title: Option<String>,
    #[serde(default)]
    held_at: Option<String>,
    #[serde(default)]
    meeting_uid: Option<String>,
    #[serde(default)]
    occurrence: Option<String>,
    #[serde(default)]
    desired_outcome: Option<String>,
    #[serde(default)]
    agenda: Option<String>,
    #[serde(default)]
    pre_read: Option<String>,
    #[serde(default)]
    timebox_minutes: Option<u32>,
    #[serde(default)]
    attendees: Option<Vec<String>>,
    #[serde(default)]
    summary: Option<String>,
    #[serde(default)]
    decisions: Option<Vec<i64>>,
    #[serde(default)]
    action_items: Option<Vec<ActionItemBody>>,
}

impl MeetingBody {
    /// `base` with the fields this body gives replaced.
    fn onto(self, mut base: MeetingInput) -> Result<MeetingInput, Error> {
        macro_rules! take {
            ($($f:ident),*) => { $( if let Some(v) = self.$f { base.$f = v; } )* };
        }
        take!(
            title,
            held_at,
            meeting_uid,
            occurrence,
            desired_outcome,
            agenda,
            pre_read,
            attendees,
            summary,
            decisions
        );
        if let Some(t) = self.timebox_minutes {
            base.timebox_minutes = t.to_string();
        }
        if let Some(items) = self.action_items {
            base.action_items = action_items(items)?;
        }
        Ok(base)
    }
}

/// `POST /api/v1/teams/{team}/meetings`: 201 with the record; 422 naming
/// each bad field.
pub async fn create_meeting<S: Storage + 'static>(
    State(state): State<AppState<S>>,
    ApiAuth(viewer): ApiAuth,
    ApiPath(team): ApiPath<String>,
    ApiJson(body): ApiJson<MeetingBody>,
) -> Result<Response, Error> {
    if body.version.is_some() {
        return Err(Error::Unprocessable(
            "version: a new record has none".into(),
        ));
    }
    let input = body.onto(MeetingInput::default())?;
    let m = workflow::create_meeting(&state, &viewer, &team, &input).await?;
    let snap = state.snapshot();
    let mut res = (
        StatusCode::CREATED,
        Json(workflow::meeting_json(
            m.id,
            m.version,
            &m.record,
            Some(&snap),
            chrono::Utc::now(),
        )),
    )
        .into_response();
    if let Ok(v) = HeaderValue::from_str(&format!("/api/v1/meetings/{}", m.id)) {
        res.headers_mut().insert(header::LOCATION, v);
    }
    Ok(res)
}

/// `GET /api/v1/meetings/{id}`: 404 unless the caller sees its team.
pub async fn meeting<S: Storage + 'static>(
    State(state): State<AppState<S>>,
    ApiAuth(viewer): ApiAuth,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<Value>, Error> {
    let m = workflow::meeting(&state, &viewer, id).await?;
    Ok(Json(workflow::meeting_json(
        m.id,
        m.version,
        &m.record,
        Some(&state.snapshot()),
        chrono::Utc::now(),
    )))
}

/// `PATCH /api/v1/meetings/{id}`: the fields given replace the record's
/// (whoever sees its team keeps the minutes); `version` is required: 409
/// when the record changed since.
pub async fn update_meeting<S: Storage + 'static>(
    State(state): State<AppState<S>>,
    ApiAuth(viewer): ApiAuth,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<MeetingBody>,
) -> Result<Json<Value>, Error> {
    let version = body
        .version
        .ok_or_else(|| Error::Unprocessable("version: required".into()))?;
    let current = workflow::meeting(&state, &viewer, id).await?;
    let input = body.onto(workflow::meeting_input(&current.record))?;
    let m = workflow::update_meeting(&state, &viewer, id, version, &input).await?;
    Ok(Json(workflow::meeting_json(
        m.id,
        m.version,
        &m.record,
        Some(&state.snapshot()),
        chrono::Utc::now(),
    )))
}

// ---- the async workflow: incidents -----------------------------------------------

fn incident_json(i: &StoredIncident, snap: &fulcrum_app::dashboard::Snapshot) -> Value {
    workflow::incident_json(i.id, i.version, &i.incident, Some(snap), chrono::Utc::now())
}

/// `GET /api/v1/teams/{team}/incidents`: the team's incidents, newest
/// first, filtered by `state` (open, resolved, reviewed).
pub async fn team_incidents<S: Storage + 'static>(
    State(state): State<AppState<S>>,
    ApiAuth(viewer): ApiAuth,
    ApiPath(team): ApiPath<String>,
    ApiQuery(q): ApiQuery<StateListQuery>,
) -> Result<Json<Value>, Error> {
    let page = Paging {
        offset: q.offset,
        limit: q.limit,
    }
    .page()?;
    let snap = state.snapshot();
    let team = policy::team_for(&viewer.user, &snap, &team)?.name.clone();
    let filter = workflow::incident_filter(&q.state)?;
    let rows = state.workflow_items(team, filter, page).await?;
    let more = rows.len() as u32 == page.limit;
    let items = rows
        .into_iter()
        .filter_map(StoredIncident::of)
        .map(|i| incident_json(&i, &snap))
        .collect();
    Ok(list(items, page, more))
}

/// `POST /api/v1/teams/{team}/incidents`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewIncidentBody {
    title: String,
    severity: String,
    #[serde(default)]
    description: String,
}

/// `POST /api/v1/teams/{team}/incidents`: 201 with the incident; 422
/// naming each bad field.
pub async fn create_incident<S: Storage + 'static>(
    State(state): State<AppState<S>>,
    ApiAuth(viewer): ApiAuth,
    ApiPath(team): ApiPath<String>,
    ApiJson(body): ApiJson<NewIncidentBody>,
) -> Result<Response, Error> {
    let input = IncidentInput {
        title: body.title,
        severity: body.severity,
        description: body.description,
    };
    let i = workflow::create_incident(&state, &viewer, &team, &input).await?;
    let mut res = (
        StatusCode::CREATED,
        Json(incident_json(&i, &state.snapshot())),
    )
        .into_response();
    if let Ok(v) = HeaderValue::from_str(&format!("/api/v1/incidents/{}", i.id)) {
        res.headers_mut().insert(header::LOCATION, v);
    }
    Ok(res)
}

/// `GET /api/v1/incidents/{id}`: 404 unless the caller sees its team.
pub async fn incident<S: Storage + 'static>(
    State(state): State<AppState<S>>,
    ApiAuth(viewer): ApiAuth,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<Value>, Error> {
    let i = workflow::incident(&state, &viewer, id).await?;
    Ok(Json(incident_json(&i, &state.snapshot())))
}

/// `POST /api/v1/incidents/{id}/resolve`: 409 when it is already resolved
/// or changed since `version`.
pub async fn resolve_incident<S: Storage + 'static>(
    State(state): State<AppState<S>>,
    ApiAuth(viewer): ApiAuth,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<WithdrawBody>,
) -> Result<Json<Value>, Error> {
    let i = workflow::change_incident(&state, &viewer, id, body.version, IncidentChange::Resolve)
        .await?;
    Ok(Json(incident_json(&i, &state.snapshot())))
}

/// `POST /api/v1/incidents/{id}/review`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReviewBody {
    version: i64,
    timeline: String,
    cause: String,
    follow_ups: String,
}

/// `POST /api/v1/incidents/{id}/review`: the written review of a resolved
/// incident (a later one replaces it); 409 while it is open, 422 naming
/// each blank part.
pub async fn review_incident<S: Storage + 'static>(
    State(state): State<AppState<S>>,
    ApiAuth(viewer): ApiAuth,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<ReviewBody>,
) -> Result<Json<Value>, Error> {
    let i = workflow::change_incident(
        &state,
        &viewer,
        id,
        body.version,
        IncidentChange::Review {
            timeline: body.timeline,
            cause: body.cause,
            follow_ups: body.follow_ups,
        },
    )
    .await?;
    Ok(Json(incident_json(&i, &state.snapshot())))
}

// ---- the async workflow: written updates ----------------------------------------

/// `?period=YYYY-MM-DD` of a round (blank: the current one).
#[derive(Debug, Deserialize)]
pub struct RoundQuery {
    #[serde(default)]
    period: String,
}

/// `GET /api/v1/teams/{team}/updates`: the team's round (each person's
/// current period, or the period of `?period=` for everyone), blockers
/// first, then the other written ones, the missing, those not yet due;
/// each with its period, due time (UTC), state and update.
pub async fn team_updates<S: Storage + 'static>(
    State(state): State<AppState<S>>,
    ApiAuth(viewer): ApiAuth,
    ApiPath(team): ApiPath<String>,
    ApiQuery(q): ApiQuery<RoundQuery>,
) -> Result<Json<Value>, Error> {
    let snap = state.snapshot();
    let team = policy::team_for(&viewer.user, &snap, &team)?.name.clone();
    let period = crate::pages::updates::period_query(&q.period)?;
    let cadence = snap.update_rules.cadence;
    let rows = workflow::round(&state, &team, period, chrono::Utc::now()).await?;
    Ok(Json(json!({
        "team": team,
        "cadence": cadence.as_str(),
        "questions": snap.update_rules.questions,
        "period": period.map(|p| cadence.period_of(p).to_string()),
        "round": workflow::round_json(&rows),
    })))
}

/// `POST /api/v1/teams/{team}/updates`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UpdateBody {
    answers: std::collections::BTreeMap<String, String>,
    version: Option<i64>,
}

/// `POST /api/v1/teams/{team}/updates`: writes the caller's update of
/// their current period (201), or with `version` edits it (200); 403 for
/// anyone but a person of the team on the people list, 409 for a stale
/// or missing version, 422 naming each bad answer.
pub async fn write_update<S: Storage + 'static>(
    State(state): State<AppState<S>>,
    ApiAuth(viewer): ApiAuth,
    ApiPath(team): ApiPath<String>,
    ApiJson(body): ApiJson<UpdateBody>,
) -> Result<Response, Error> {
    let input = fulcrum_app::workflow::UpdateInput {
        answers: body.answers.into_iter().collect(),
    };
    let (u, created) = workflow::write_update(&state, &viewer, &team, &input, body.version).await?;
    let v = workflow::update_json(u.id, u.version, &u.update);
    if !created {
        return Ok(Json(v).into_response());
    }
    let mut res = (StatusCode::CREATED, Json(v)).into_response();
    if let Ok(v) = HeaderValue::from_str(&format!("/api/v1/updates/{}", u.id)) {
        res.headers_mut().insert(header::LOCATION, v);
    }
    Ok(res)
}

/// `GET /api/v1/updates/{id}`: 404 unless the caller sees its team.
pub async fn update<S: Storage + 'static>(
    State(state): State<AppState<S>>,
    ApiAuth(viewer): ApiAuth,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<Value>, Error> {
    let u = workflow::update(&state, &viewer, id).await?;
    let mut v = workflow::update_json(u.id, u.version, &u.update);
    v["due"] = workflow::update_due(&state.snapshot(), &u.update)
        .map_or(Value::Null, |t| Value::String(time(t)));
    Ok(Json(v))
}

// ---- what waits on whom ---------------------------------------------------------

/// `GET /api/v1/teams/{team}/waits`: what waits on whom in a team the
/// caller sees (the `/waits` page as JSON, times in UTC).
pub async fn team_waits<S: Storage + 'static>(
    State(state): State<AppState<S>>,
    ApiAuth(viewer): ApiAuth,
    ApiPath(team): ApiPath<String>,
) -> Result<Json<Value>, Error> {
    let snap = state.snapshot();
    let team = policy::team_for(&viewer.user, &snap, &team)?.name.clone();
    let waits = crate::pages::waits::team_waits(
        &state,
        &snap,
        &team,
        chrono_tz::Tz::UTC,
        chrono::Utc::now(),
    )
    .await?;
    Ok(Json(waits.json(&team)))
}

/// `GET /api/v1/me/waits`: what waits on the caller in their team (404
/// when they are not on the people list).
pub async fn my_waits<S: Storage + 'static>(
    State(state): State<AppState<S>>,
    ApiAuth(viewer): ApiAuth,
) -> Result<Json<Value>, Error> {
    let snap = state.snapshot();
    let p = snap.person(&viewer.user.email).ok_or_else(|| {
        Error::NotFound("your email is not on the workspace's people list".into())
    })?;
    let waits = crate::pages::waits::my_waits(
        &state,
        &snap,
        &p.team,
        &viewer.user.email,
        chrono_tz::Tz::UTC,
        chrono::Utc::now(),
    )
    .await?;
    Ok(Json(waits.json(&p.team)))
}

// ---- the pulse ------------------------------------------------------------------

/// `GET /api/v1/teams/{team}/pulse`: the team's pulse by week, newest
/// first: per question, respondents, mean and distribution, only where at
/// least `[policy] min_group_size` people answered. Never who answered.
pub async fn team_pulse<S: Storage + 'static>(
    State(state): State<AppState<S>>,
    ApiAuth(viewer): ApiAuth,
    ApiPath(team): ApiPath<String>,
) -> Result<Json<Value>, Error> {
    let snap = state.snapshot();
    let team = policy::team_for(&viewer.user, &snap, &team)?.name.clone();
    let weeks = workflow::team_pulse(&state, &snap, &team).await?;
    let mut v = workflow::pulse_summary_json(&weeks, snap.min_group_size);
    v["team"] = Value::String(team);
    v["questions"] = json!(snap.pulse_rules.questions);
    Ok(Json(v))
}

/// `GET /api/v1/me/pulse`: the caller's own pulse answers in their team,
/// newest week first, with this week's questions and week (404 when they
/// are not on the people list).
pub async fn my_pulse<S: Storage + 'static>(
    State(state): State<AppState<S>>,
    ApiAuth(viewer): ApiAuth,
) -> Result<Json<Value>, Error> {
    let snap = state.snapshot();
    let p = snap.person(&viewer.user.email).ok_or_else(|| {
        Error::NotFound("your email is not on the workspace's people list".into())
    })?;
    let own = workflow::own_pulses(&state, &viewer, &p.team).await?;
    let week = fulcrum_app::pulse::pulse_week(&snap, &viewer.user.email, chrono::Utc::now());
    Ok(Json(json!({
        "email": viewer.user.email,
        "team": p.team,
        "week": week.to_string(),
        "questions": snap.pulse_rules.questions,
        "responses": own
            .iter()
            .map(|r| workflow::pulse_json(r.id, r.version, &r.response))
            .collect::<Vec<_>>(),
    })))
}

/// One score of `POST /api/v1/teams/{team}/pulse`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PulseScoreBody {
    question: String,
    score: i64,
}

/// `POST /api/v1/teams/{team}/pulse`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PulseBody {
    /// The version of this week's response, to edit it.
    version: Option<i64>,
    answers: Vec<PulseScoreBody>,
}

/// `POST /api/v1/teams/{team}/pulse`: the caller answers their team's
/// pulse for their current week: 201 with the new response, or 200 when
/// it edits this week's (from `version`; 409 when it is missing or
/// stale); 422 naming each bad score; 403 unless the caller is a member
/// of the team on the people list.
pub async fn answer_pulse<S: Storage + 'static>(
    State(state): State<AppState<S>>,
    ApiAuth(viewer): ApiAuth,
    ApiPath(team): ApiPath<String>,
    ApiJson(body): ApiJson<PulseBody>,
) -> Result<Response, Error> {
    let input = fulcrum_app::pulse::PulseInput {
        scores: body
            .answers
            .into_iter()
            .map(|a| (a.question, a.score.to_string()))
            .collect(),
    };
    let (p, created) = workflow::answer_pulse(&state, &viewer, &team, &input, body.version).await?;
    let status = if created {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    Ok((
        status,
        Json(workflow::pulse_json(p.id, p.version, &p.response)),
    )
        .into_response())
}

/// `POST /api/v1/me/feed`: a new private calendar feed of the caller's
/// deadlines; its URL (holding the token) is returned this once.
pub async fn create_my_feed<S: Storage + 'static>(
    State(state): State<AppState<S>>,
    ApiAuth(viewer): ApiAuth,
) -> Result<Response, Error> {
    let url = crate::pages::feed::create_feed(&state, &viewer).await?;
    Ok((StatusCode::CREATED, Json(json!({ "url": url }))).into_response())
}

/// `DELETE /api/v1/me/feed`: revokes the caller's calendar feed (404 when
/// they have none).
pub async fn revoke_my_feed<S: Storage + 'static>(
    State(state): State<AppState<S>>,
    ApiAuth(viewer): ApiAuth,
) -> Result<StatusCode, Error> {
    crate::pages::feed::revoke_feed(&state, &viewer).await?;
    Ok(StatusCode::NO_CONTENT)
}
