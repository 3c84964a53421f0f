//! The router in-process (`tower::ServiceExt::oneshot`) over a real SQLite
//! store and a snapshot of a small demo workspace: every endpoint for every
//! role, privacy, CSRF, the sign-in rate limit, the body limit, strict
//! JSON, security headers, tokens at rest, sign-out and pagination.

#![allow(clippy::unwrap_used)]

mod common;

use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use common::*;
use fulcrum_store::Storage;
use serde_json::json;

const GET: Method = Method::GET;
const POST: Method = Method::POST;
const PATCH: Method = Method::PATCH;
const DELETE: Method = Method::DELETE;

/// One row of the matrix: expected status as anonymous, member, lead,
/// admin by session, admin by token (run in that order).
struct Row {
    method: Method,
    path: String,
    payload: Payload,
    expect: [u16; 5],
}

fn row(method: Method, path: impl Into<String>, payload: Payload, expect: [u16; 5]) -> Row {
    Row {
        method,
        path: path.into(),
        payload,
        expect,
    }
}

fn form(s: &str) -> Payload {
    Payload::Form(s.to_owned())
}

#[tokio::test]
async fn role_matrix_every_endpoint_every_role() {
    let h = harness().await;
    let app = &h.app;
    let store = &h.state.store;
    let hash = auth_hash();
    let mk = |email: &str| fulcrum_store::NewUser {
        email: email.into(),
        role: fulcrum_store::Role::Member,
        teams: vec![],
        password_hash: Some(hash.clone()),
        now: chrono::Utc::now(),
    };
    let victim_page = store.create_user(mk("victim.page@x.io")).await.unwrap().id;
    let victim_api = store.create_user(mk("victim.api@x.io")).await.unwrap().id;
    let target = store.create_user(mk("target@x.io")).await.unwrap().id;
    let asks = put_asks(&h).await;

    let who = [
        As::Anonymous,
        sign_in(app, &h.member.email, PASSWORD).await,
        sign_in(app, &h.lead.email, PASSWORD).await,
        sign_in(app, ADMIN, PASSWORD).await,
        token_for(&h.state, &h.admin, "matrix").await,
    ];
    let rows = matrix(victim_page, victim_api, target, &asks);

    // Every operation of the OpenAPI document is in the matrix.
    let doc: serde_json::Value = serde_json::from_str(
        &send(
            app,
            request(GET, "/openapi.json", &As::Anonymous, &Payload::None),
        )
        .await
        .body,
    )
    .unwrap();
    for (path, ops) in doc["paths"].as_object().unwrap() {
        for method in ops
            .as_object()
            .unwrap()
            .keys()
            .filter(|k| *k != "parameters")
        {
            let m = Method::from_bytes(method.to_uppercase().as_bytes()).unwrap();
            let covered = rows
                .iter()
                .any(|r| r.method == m && same_route(path, r.path.split('?').next().unwrap()));
            assert!(covered, "{method} {path} is not in the matrix");
        }
    }

    let names = [
        "anonymous",
        "member",
        "lead",
        "admin session",
        "admin token",
    ];
    let mut failures = Vec::new();
    for r in &rows {
        for (i, w) in who.iter().enumerate() {
            let res = send(app, request(r.method.clone(), &r.path, w, &r.payload)).await;
            if res.status.as_u16() != r.expect[i] {
                failures.push(format!(
                    "{} {} as {}: {} (expected {}): {}",
                    r.method,
                    r.path,
                    names[i],
                    res.status.as_u16(),
                    r.expect[i],
                    res.body.chars().take(200).collect::<String>()
                ));
            }
            if res.status.as_u16() == 303 {
                let to = res.header("location");
                assert!(
                    to == "/signin"
                        || to.starts_with("/dashboard")
                        || to.starts_with("/asks/")
                        || to.starts_with("/decisions/")
                        || to.starts_with("/meetings/")
                        || to.starts_with("/incidents/")
                        || to.starts_with("/pulse?team=")
                        || to.starts_with("/updates/")
                        || to.starts_with("/admin/users")
                        || to == "/tokens"
                        || to == "/me",
                    "{} {}: to {to}",
                    r.method,
                    r.path
                );
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
    // The effects happened.
    assert!(store.user_by_id(victim_page).await.unwrap().is_none());
    assert!(store.user_by_id(victim_api).await.unwrap().is_none());
    let t = store.user_by_id(target).await.unwrap().unwrap();
    assert_eq!(
        (t.role, t.teams.clone()),
        (fulcrum_store::Role::Lead, vec!["mobile".to_owned()])
    );
    assert!(
        store
            .user_by_email("new.page@x.io".into())
            .await
            .unwrap()
            .is_some()
    );
    assert_eq!(h.imports.load(std::sync::atomic::Ordering::SeqCst), 1);
    // Exactly the permitted experiment edits reached the app: the lead's
    // and the administrator's start on search, the administrator's on
    // payments, and both ends.
    let edits = h.edits.lock().unwrap().clone();
    let teams: Vec<&str> = edits
        .iter()
        .map(|e| match e {
            fulcrum_server::ExperimentEdit::New { team, .. }
            | fulcrum_server::ExperimentEdit::End { team, .. } => team.as_str(),
        })
        .collect();
    assert_eq!(
        teams,
        ["search", "search", "payments", "search", "search"],
        "{edits:?}"
    );
    assert!(matches!(
        &edits[0],
        fulcrum_server::ExperimentEdit::New { weeks: Some(4), control, .. } if control == &["payments".to_owned()]
    ));
}

/// The asks the role matrix reads and changes.
#[derive(Default)]
struct Asks {
    /// The member's, to their team (payments); they withdraw it.
    payments: i64,
    /// The lead's, to the team they lead (search); the administrator
    /// answers it.
    search: i64,
    /// The administrator's, to the member; the member answers it.
    to_member: i64,
    /// The administrator's, to search; they withdraw it.
    admin_search: i64,
    /// The member's proposal in payments: they take a stance and withdraw it.
    decision_payments: i64,
    /// The lead's proposal in search: they close it.
    decision_search: i64,
    /// The administrator's proposal in payments: bad stances and closes,
    /// then withdrawn.
    decision_admin: i64,
    /// The member's meeting record in payments: they write its summary.
    meeting_payments: i64,
    /// The lead's meeting record in search: they write its summary by API.
    meeting_search: i64,
    /// The member's open incident in payments: they resolve it and write
    /// its review.
    incident_payments: i64,
    /// The lead's open incident in search: they resolve and review it by
    /// API.
    incident_search: i64,
    /// The administrator's incident in payments, resolved ten days ago
    /// without its review (the review form shows).
    incident_resolved: i64,
    /// The member's written update of their current period in payments,
    /// with a blocker; they edit it from version 1.
    update_payments: i64,
    /// A search person's written update of their current period.
    update_search: i64,
}

/// Stores the asks of [`Asks`] at version 1.
async fn put_asks(h: &Harness) -> Asks {
    use fulcrum_model::workflow::{
        Ask, AskState, Decision, DecisionState, Incident, MeetingRecord, Recipient, Resolution,
        Severity,
    };
    use fulcrum_store::WorkflowItem;
    let now = chrono::Utc::now();
    let incident = |team: &str, author: &str, resolved: bool| {
        let opened_at = now - chrono::Duration::days(11);
        WorkflowItem::Incident(Incident {
            team: team.into(),
            author: author.into(),
            title: "Refunds fail for every card".into(),
            severity: Severity::Sev1,
            description: "Call in the huddle.".into(),
            opened_at,
            resolved: resolved.then(|| Resolution {
                by: author.into(),
                at: now - chrono::Duration::days(10),
            }),
            review: None,
        })
    };
    let meeting = |team: &str, author: &str| {
        WorkflowItem::Meeting(MeetingRecord {
            team: team.into(),
            author: author.into(),
            title: "Refunds review".into(),
            meeting: None,
            held_at: now,
            desired_outcome: "Retry or queue".into(),
            agenda: String::new(),
            pre_read: String::new(),
            timebox_minutes: Some(30),
            attendees: vec![author.into()],
            summary: String::new(),
            decisions: Vec::new(),
            action_items: Vec::new(),
        })
    };
    let decision = |team: &str, author: &str| {
        WorkflowItem::Decision(Decision {
            team: team.into(),
            author: author.into(),
            title: "Move refunds to the queue".into(),
            context: "Options: retry nightly; the queue.".into(),
            decision_type: None,
            who_decides: author.into(),
            opened_at: now,
            closes_at: now + chrono::Duration::days(2),
            stances: Vec::new(),
            state: DecisionState::Open,
        })
    };
    let ask = |team: &str, author: &str, to: Recipient| {
        WorkflowItem::Ask(Ask {
            team: team.into(),
            author: author.into(),
            to,
            context: "The refund job failed twice; logs in the runbook.".into(),
            needed: "Retry or queue?".into(),
            respond_in: "the refunds doc".into(),
            answer_by: None,
            due: None,
            asked_at: now,
            state: AskState::Open,
        })
    };
    let update = |team: &str, author: &str| {
        let input = fulcrum_app::workflow::UpdateInput {
            answers: vec![
                ("status".into(), "Refund retries shipped.".into()),
                ("blockers".into(), "Waiting on the sandbox".into()),
            ],
        };
        WorkflowItem::Update(
            fulcrum_app::workflow::new_update(
                h.state.snapshot().as_ref(),
                author,
                team,
                &input,
                now,
            )
            .unwrap(),
        )
    };
    let search_person = person_of("search").0;
    let store = &h.state.store;
    let put = async |item| store.create_workflow_item(item, now).await.unwrap().id;
    Asks {
        payments: put(ask("payments", &h.member.email, Recipient::Team)).await,
        search: put(ask("search", &h.lead.email, Recipient::Team)).await,
        to_member: put(ask(
            "payments",
            ADMIN,
            Recipient::Person(h.member.email.clone()),
        ))
        .await,
        admin_search: put(ask("search", ADMIN, Recipient::Team)).await,
        decision_payments: put(decision("payments", &h.member.email)).await,
        decision_search: put(decision("search", &h.lead.email)).await,
        decision_admin: put(decision("payments", ADMIN)).await,
        meeting_payments: put(meeting("payments", &h.member.email)).await,
        meeting_search: put(meeting("search", &h.lead.email)).await,
        incident_payments: put(incident("payments", &h.member.email, false)).await,
        incident_search: put(incident("search", &h.lead.email, false)).await,
        incident_resolved: put(incident("payments", ADMIN, true)).await,
        update_payments: put(update("payments", &h.member.email)).await,
        update_search: put(update("search", &search_person)).await,
    }
}

/// The role matrix: every endpoint, with the status each caller gets.
/// `victim_page` and `victim_api` are accounts the administrator deletes
/// (by form and by API), `target` one they change; `asks` are read,
/// answered and withdrawn.
fn matrix(victim_page: i64, victim_api: i64, target: i64, asks: &Asks) -> Vec<Row> {
    let none = || Payload::None;
    let ask_form = |team: &str| {
        form(&format!(
            "team={team}&context=The+refund+job+failed+twice%3B+logs+in+the+runbook.&needed=Retry+or+queue%3F&sla=normal&respond_in=the+doc"
        ))
    };
    let Asks {
        payments,
        search,
        to_member,
        admin_search,
        decision_payments,
        decision_search,
        decision_admin,
        meeting_payments,
        meeting_search,
        incident_payments,
        incident_search,
        incident_resolved: _,
        update_payments,
        update_search,
    } = *asks;
    let pace = fulcrum_model::pulse::DEFAULT_PULSE_QUESTIONS[0];
    let pulse = |score: i64, version: Option<i64>| {
        let mut body = json!({"answers": [{"question": pace, "score": score}]});
        if let Some(v) = version {
            body["version"] = json!(v);
        }
        Payload::Json(body)
    };
    vec![
        // The pulse: whoever sees the team sees its aggregates; only a
        // member of the team on the people list answers it (not the
        // administrator, who is on no team, nor the lead of another team);
        // a second answer in the week names the version it changes.
        row(GET, "/pulse", none(), [303, 200, 200, 200, 303]),
        row(GET, "/pulse?team=search", none(), [303, 403, 200, 200, 303]),
        row(GET, "/pulse?team=nope", none(), [303, 404, 404, 404, 303]),
        row(
            POST,
            "/pulse",
            form("team=payments&q1=9"),
            [303, 422, 403, 403, 303],
        ),
        row(
            POST,
            "/pulse",
            form("team=payments&q1=4"),
            [303, 303, 403, 403, 303],
        ),
        row(
            POST,
            "/pulse",
            form("team=payments&q1=5"),
            [303, 409, 403, 403, 303],
        ),
        row(
            POST,
            "/pulse",
            form("team=payments&q1=5&version=1"),
            [303, 303, 403, 403, 303],
        ),
        row(
            GET,
            "/api/v1/teams/payments/pulse",
            none(),
            [401, 200, 403, 200, 200],
        ),
        row(
            GET,
            "/api/v1/teams/search/pulse",
            none(),
            [401, 403, 200, 200, 200],
        ),
        row(
            GET,
            "/api/v1/teams/nope/pulse",
            none(),
            [401, 404, 404, 404, 404],
        ),
        row(GET, "/api/v1/me/pulse", none(), [401, 200, 200, 404, 404]),
        row(
            POST,
            "/api/v1/teams/platform/pulse",
            pulse(3, None),
            [401, 403, 201, 403, 403],
        ),
        row(
            POST,
            "/api/v1/teams/platform/pulse",
            pulse(2, None),
            [401, 403, 409, 403, 403],
        ),
        row(
            POST,
            "/api/v1/teams/platform/pulse",
            pulse(2, Some(1)),
            [401, 403, 200, 403, 403],
        ),
        row(
            POST,
            "/api/v1/teams/payments/pulse",
            pulse(6, Some(2)),
            [401, 422, 403, 403, 403],
        ),
        // Written updates: whoever sees the team reads its round; only a
        // person of the team on the people list writes, their own
        // (the lead is on the list in platform; the administrator is not
        // on it), version-checked.
        row(GET, "/updates", none(), [303, 200, 200, 200, 303]),
        row(
            GET,
            "/updates?team=search",
            none(),
            [303, 403, 200, 200, 303],
        ),
        row(
            GET,
            "/updates?team=payments&period=2026-11-30",
            none(),
            [303, 200, 403, 200, 303],
        ),
        row(
            GET,
            "/updates?period=someday",
            none(),
            [303, 400, 400, 400, 303],
        ),
        row(GET, "/updates/new", none(), [303, 200, 200, 403, 303]),
        row(
            GET,
            "/updates/new?team=payments",
            none(),
            [303, 200, 403, 403, 303],
        ),
        row(
            GET,
            "/updates/new?team=search",
            none(),
            [303, 403, 403, 403, 303],
        ),
        row(
            POST,
            "/updates",
            form("team=payments&version=1&answer.status=Shipped&answer.blockers=The+sandbox"),
            [303, 303, 403, 403, 303],
        ),
        // The same version again: someone changed it in between.
        row(
            POST,
            "/updates",
            form("team=payments&version=1&answer.status=Shipped"),
            [303, 409, 403, 403, 303],
        ),
        row(
            POST,
            "/updates",
            form("team=payments&version=2&answer.status=+&answer.blockers="),
            [303, 422, 403, 403, 303],
        ),
        row(
            POST,
            "/updates",
            form("team=search&answer.status=Shipped"),
            [303, 403, 403, 403, 303],
        ),
        row(
            GET,
            format!("/updates/{update_payments}"),
            none(),
            [303, 200, 404, 200, 303],
        ),
        row(
            GET,
            format!("/updates/{update_search}"),
            none(),
            [303, 404, 200, 200, 303],
        ),
        // An id of another kind is no update.
        row(
            GET,
            format!("/updates/{payments}"),
            none(),
            [303, 404, 404, 404, 303],
        ),
        row(GET, "/updates/999999", none(), [303, 404, 404, 404, 303]),
        row(
            GET,
            "/api/v1/teams/payments/updates",
            none(),
            [401, 200, 403, 200, 200],
        ),
        row(
            GET,
            "/api/v1/teams/search/updates?period=2026-11-30",
            none(),
            [401, 403, 200, 200, 200],
        ),
        row(
            GET,
            "/api/v1/teams/nope/updates",
            none(),
            [401, 404, 404, 404, 404],
        ),
        row(
            POST,
            "/api/v1/teams/platform/updates",
            Payload::Json(json!({"answers": {"status": "Migrations done."}})),
            [401, 403, 201, 403, 403],
        ),
        // Written already: a second one without its version is refused.
        row(
            POST,
            "/api/v1/teams/platform/updates",
            Payload::Json(json!({"answers": {"status": "Migrations done."}})),
            [401, 403, 409, 403, 403],
        ),
        row(
            POST,
            "/api/v1/teams/platform/updates",
            Payload::Json(json!({"answers": {"status": "x"}, "mood": 5})),
            [401, 422, 422, 422, 422],
        ),
        row(
            GET,
            format!("/api/v1/updates/{update_search}"),
            none(),
            [401, 404, 200, 200, 200],
        ),
        row(
            GET,
            "/api/v1/updates/999999",
            none(),
            [401, 404, 404, 404, 404],
        ),
        // What waits on whom: the same visibility as the lists it gathers.
        row(GET, "/waits", none(), [303, 200, 200, 200, 303]),
        row(GET, "/waits?team=search", none(), [303, 403, 200, 200, 303]),
        row(
            GET,
            "/waits?team=payments",
            none(),
            [303, 200, 403, 200, 303],
        ),
        row(GET, "/waits?team=nope", none(), [303, 404, 404, 404, 303]),
        row(
            GET,
            "/api/v1/teams/search/waits",
            none(),
            [401, 403, 200, 200, 200],
        ),
        row(
            GET,
            "/api/v1/teams/payments/waits",
            none(),
            [401, 200, 403, 200, 200],
        ),
        row(
            GET,
            "/api/v1/teams/nope/waits",
            none(),
            [401, 404, 404, 404, 404],
        ),
        row(GET, "/api/v1/me/waits", none(), [401, 200, 200, 404, 404]),
        // Incidents: the same visibility; whoever sees the team resolves
        // it and writes its review, version-checked.
        row(GET, "/incidents", none(), [303, 200, 200, 200, 303]),
        row(
            GET,
            "/incidents?team=search&state=resolved",
            none(),
            [303, 403, 200, 200, 303],
        ),
        row(
            GET,
            "/incidents?state=lost",
            none(),
            [303, 400, 400, 400, 303],
        ),
        row(GET, "/incidents/new", none(), [303, 200, 200, 200, 303]),
        row(
            POST,
            "/incidents",
            form("team=payments&title=Refunds+down&severity=sev1&description=Huddle+now"),
            [303, 303, 403, 303, 303],
        ),
        row(
            POST,
            "/incidents",
            form("team=payments&title=Refunds+down&severity=critical"),
            [303, 422, 403, 422, 303],
        ),
        row(
            GET,
            format!("/incidents/{incident_payments}"),
            none(),
            [303, 200, 404, 200, 303],
        ),
        row(
            GET,
            format!("/incidents/{incident_search}"),
            none(),
            [303, 404, 200, 200, 303],
        ),
        row(GET, "/incidents/999999", none(), [303, 404, 404, 404, 303]),
        // A review before it is resolved is refused.
        row(
            POST,
            format!("/incidents/{incident_payments}/review"),
            form("version=1&timeline=10%3A00+alert&cause=A+certificate&follow_ups=An+alert"),
            [303, 409, 404, 409, 303],
        ),
        row(
            POST,
            format!("/incidents/{incident_payments}/resolve"),
            form("version=1"),
            [303, 303, 404, 409, 303],
        ),
        row(
            POST,
            format!("/incidents/{incident_payments}/review"),
            form("version=2&timeline=10%3A00+alert&cause=A+certificate&follow_ups=An+alert"),
            [303, 303, 404, 409, 303],
        ),
        row(
            GET,
            "/api/v1/teams/payments/incidents?state=open",
            none(),
            [401, 200, 403, 200, 200],
        ),
        row(
            POST,
            "/api/v1/teams/search/incidents",
            Payload::Json(json!({"title": "Search is down", "severity": "sev2"})),
            [401, 403, 201, 201, 201],
        ),
        row(
            POST,
            "/api/v1/teams/search/incidents",
            Payload::Json(json!({"title": "Search is down", "severity": "sev2", "pager": true})),
            [401, 422, 422, 422, 422],
        ),
        row(
            GET,
            format!("/api/v1/incidents/{incident_search}"),
            none(),
            [401, 404, 200, 200, 200],
        ),
        row(
            POST,
            format!("/api/v1/incidents/{incident_search}/resolve"),
            Payload::Json(json!({"version": 1})),
            [401, 404, 200, 409, 409],
        ),
        row(
            POST,
            format!("/api/v1/incidents/{incident_search}/review"),
            Payload::Json(json!({"version": 2, "timeline": "t", "cause": "c", "follow_ups": "f"})),
            [401, 404, 200, 409, 409],
        ),
        row(
            GET,
            "/api/v1/incidents/999999",
            none(),
            [401, 404, 404, 404, 404],
        ),
        // Meeting records: the same visibility; whoever sees the team keeps
        // the minutes, version-checked.
        row(GET, "/meetings", none(), [303, 200, 200, 200, 303]),
        row(
            GET,
            "/meetings?team=search&state=open",
            none(),
            [303, 403, 200, 200, 303],
        ),
        row(
            GET,
            "/meetings?state=lost",
            none(),
            [303, 400, 400, 400, 303],
        ),
        row(GET, "/meetings/new", none(), [303, 200, 200, 200, 303]),
        // The calendar meetings to pick from: the team's, a range of at
        // most 28 days (2026-09-01 to 2026-12-01 is 91).
        row(
            GET,
            "/meetings/new?team=search&from=2026-09-01&to=2026-12-01",
            none(),
            [303, 403, 422, 422, 303],
        ),
        row(
            GET,
            "/meetings/new?team=payments&meeting=uid-1&occurrence=2026-12-07T10%3A00%3A00Z&decisions=1",
            none(),
            [303, 200, 403, 200, 303],
        ),
        row(
            POST,
            "/meetings",
            form(
                "team=payments&title=Refunds+review&held_at=2026-12-07T10%3A00&action_items=Move+the+job+%7C+x%40y.io",
            ),
            [303, 303, 403, 303, 303],
        ),
        row(
            POST,
            "/meetings",
            form("team=payments&title=Refunds+review&held_at=soon"),
            [303, 422, 403, 422, 303],
        ),
        row(
            GET,
            format!("/meetings/{meeting_payments}"),
            none(),
            [303, 200, 404, 200, 303],
        ),
        row(
            GET,
            format!("/meetings/{meeting_search}"),
            none(),
            [303, 404, 200, 200, 303],
        ),
        row(GET, "/meetings/999999", none(), [303, 404, 404, 404, 303]),
        row(
            POST,
            format!("/meetings/{meeting_payments}"),
            form("version=1&title=Refunds+review&held_at=2026-12-07T10%3A00&summary=Queue+it."),
            [303, 303, 404, 409, 303],
        ),
        row(
            GET,
            "/api/v1/teams/payments/meetings?state=open",
            none(),
            [401, 200, 403, 200, 200],
        ),
        row(
            GET,
            "/api/v1/teams/payments/meetings/calendar",
            none(),
            [401, 200, 403, 200, 200],
        ),
        row(
            GET,
            "/api/v1/teams/search/meetings/calendar?from=soon",
            none(),
            [401, 403, 422, 422, 422],
        ),
        row(
            GET,
            "/api/v1/teams/nowhere/meetings/calendar",
            none(),
            [401, 404, 404, 404, 404],
        ),
        row(
            POST,
            "/api/v1/teams/search/meetings",
            Payload::Json(json!({"title": "Vendor sync", "held_at": "2026-12-07T10:00:00Z"})),
            [401, 403, 201, 201, 201],
        ),
        row(
            GET,
            format!("/api/v1/meetings/{meeting_search}"),
            none(),
            [401, 404, 200, 200, 200],
        ),
        row(
            PATCH,
            format!("/api/v1/meetings/{meeting_search}"),
            Payload::Json(json!({"version": 1, "summary": "Vendor A."})),
            [401, 404, 200, 409, 409],
        ),
        row(
            GET,
            "/api/v1/meetings/999999",
            none(),
            [401, 404, 404, 404, 404],
        ),
        // Proposals: the same visibility; stances by whoever sees the team,
        // closed by its author or the team's leads, withdrawn by its author.
        row(GET, "/decisions", none(), [303, 200, 200, 200, 303]),
        row(
            GET,
            "/decisions?team=search&state=open",
            none(),
            [303, 403, 200, 200, 303],
        ),
        row(
            GET,
            "/decisions?state=lost",
            none(),
            [303, 400, 400, 400, 303],
        ),
        row(GET, "/decisions/new", none(), [303, 200, 200, 200, 303]),
        row(
            POST,
            "/decisions",
            form("team=payments&title=Queue+refunds&decision_type=architecture"),
            [303, 303, 403, 303, 303],
        ),
        row(
            POST,
            "/decisions",
            form("team=payments&title=Queue+refunds&decision_type=whim"),
            [303, 422, 403, 422, 303],
        ),
        row(
            GET,
            format!("/decisions/{decision_payments}"),
            none(),
            [303, 200, 404, 200, 303],
        ),
        row(
            GET,
            format!("/decisions/{decision_search}"),
            none(),
            [303, 404, 200, 200, 303],
        ),
        row(GET, "/decisions/999999", none(), [303, 404, 404, 404, 303]),
        // The member's stance makes version 2: the administrator's, made
        // from version 1, is refused.
        row(
            POST,
            format!("/decisions/{decision_payments}/stance"),
            form("version=1&position=agree"),
            [303, 303, 404, 409, 303],
        ),
        row(
            POST,
            format!("/decisions/{decision_search}/close"),
            form("version=1&outcome=Queue+it.&review_on=2099-01-01"),
            [303, 404, 303, 409, 303],
        ),
        row(
            POST,
            format!("/decisions/{decision_payments}/withdraw"),
            form("version=2"),
            [303, 303, 404, 403, 303],
        ),
        row(
            GET,
            "/api/v1/teams/payments/decisions?state=open",
            none(),
            [401, 200, 403, 200, 200],
        ),
        row(
            POST,
            "/api/v1/teams/search/decisions",
            Payload::Json(json!({"title": "Pick a vendor", "decision_type": "vendor-choice"})),
            [401, 403, 201, 201, 201],
        ),
        row(
            GET,
            format!("/api/v1/decisions/{decision_search}"),
            none(),
            [401, 404, 200, 200, 200],
        ),
        row(
            GET,
            "/api/v1/decisions/999999",
            none(),
            [401, 404, 404, 404, 404],
        ),
        row(
            POST,
            format!("/api/v1/decisions/{decision_admin}/stance"),
            Payload::Json(json!({"version": 1, "position": "block"})),
            [401, 422, 404, 422, 422],
        ),
        row(
            POST,
            format!("/api/v1/decisions/{decision_admin}/close"),
            Payload::Json(json!({"version": 1, "outcome": "Done.", "review_on": "2020-01-01"})),
            [401, 403, 404, 422, 422],
        ),
        row(
            POST,
            format!("/api/v1/decisions/{decision_admin}/withdraw"),
            Payload::Json(json!({"version": 1})),
            [401, 403, 404, 200, 409],
        ),
        // Asks: the teams the caller sees; another team's ask is "not
        // found"; answered by its recipient, withdrawn by its author.
        row(GET, "/asks", none(), [303, 200, 200, 200, 303]),
        row(
            GET,
            "/asks?team=search&state=open&mine=1",
            none(),
            [303, 403, 200, 200, 303],
        ),
        row(GET, "/asks?team=nope", none(), [303, 404, 404, 404, 303]),
        row(GET, "/asks?state=lost", none(), [303, 400, 400, 400, 303]),
        row(GET, "/asks/new", none(), [303, 200, 200, 200, 303]),
        row(
            GET,
            "/asks/new?team=payments",
            none(),
            [303, 200, 403, 200, 303],
        ),
        row(
            POST,
            "/asks",
            ask_form("payments"),
            [303, 303, 403, 303, 303],
        ),
        row(POST, "/asks", ask_form("search"), [303, 403, 303, 303, 303]),
        // Checked after the role: a bad SLA class is 422 for those who may.
        row(
            POST,
            "/asks",
            form("team=payments&needed=x&sla=someday"),
            [303, 422, 403, 422, 303],
        ),
        row(
            GET,
            format!("/asks/{payments}"),
            none(),
            [303, 200, 404, 200, 303],
        ),
        row(
            GET,
            format!("/asks/{search}"),
            none(),
            [303, 404, 200, 200, 303],
        ),
        row(GET, "/asks/999999", none(), [303, 404, 404, 404, 303]),
        // The lead wrote it; the administrator sees search and answers.
        row(
            POST,
            format!("/asks/{search}/answer"),
            form("version=1&answer=Queue+it."),
            [303, 404, 403, 303, 303],
        ),
        // The member withdraws their own; then it is no longer open.
        row(
            POST,
            format!("/asks/{payments}/withdraw"),
            form("version=1"),
            [303, 303, 404, 403, 303],
        ),
        row(
            GET,
            "/api/v1/teams/payments/asks",
            none(),
            [401, 200, 403, 200, 200],
        ),
        row(
            GET,
            "/api/v1/teams/search/asks?state=open&mine=true",
            none(),
            [401, 403, 200, 200, 200],
        ),
        row(
            GET,
            "/api/v1/teams/nope/asks",
            none(),
            [401, 404, 404, 404, 404],
        ),
        row(
            POST,
            "/api/v1/teams/payments/asks",
            Payload::Json(json!({"needed": "Retry or queue?", "sla": "urgent"})),
            [401, 201, 403, 201, 201],
        ),
        row(
            POST,
            "/api/v1/teams/search/asks",
            Payload::Json(json!({"needed": "Retry or queue?", "to": "nobody@x.io"})),
            [401, 403, 422, 422, 422],
        ),
        row(
            GET,
            "/api/v1/teams/payments/workflow",
            none(),
            [401, 200, 403, 200, 200],
        ),
        row(
            GET,
            format!("/api/v1/asks/{to_member}"),
            none(),
            [401, 200, 404, 200, 200],
        ),
        row(
            GET,
            "/api/v1/asks/999999",
            none(),
            [401, 404, 404, 404, 404],
        ),
        row(
            POST,
            format!("/api/v1/asks/{to_member}/answer"),
            Payload::Json(json!({"version": 1, "text": "The queue."})),
            [401, 200, 404, 403, 403],
        ),
        row(
            POST,
            format!("/api/v1/asks/{admin_search}/withdraw"),
            Payload::Json(json!({"version": 1})),
            // The token call repeats the session's: no longer open.
            [401, 404, 403, 200, 409],
        ),
        // Pages.
        row(GET, "/", none(), [303, 303, 303, 303, 303]),
        row(GET, "/signin", none(), [200, 303, 303, 303, 200]),
        // No [auth.oidc] in this harness: no such sign-in.
        row(GET, "/signin/oidc", none(), [404; 5]),
        row(
            GET,
            "/signin/oidc/callback?code=c&state=s",
            none(),
            [404; 5],
        ),
        // No sign-in cookie: the form's CSRF pair is incomplete.
        row(
            POST,
            "/signin",
            form("email=a%40b.io&password=whatever"),
            [403; 5],
        ),
        row(GET, "/dashboard", none(), [303, 200, 200, 200, 303]),
        row(
            GET,
            "/dashboard?team=payments",
            none(),
            [303, 200, 403, 200, 303],
        ),
        row(
            GET,
            "/dashboard?team=search",
            none(),
            [303, 403, 200, 200, 303],
        ),
        row(
            GET,
            "/dashboard?team=nope",
            none(),
            [303, 404, 404, 404, 303],
        ),
        // Experiments: the team's leads and administrators only; the
        // member's own team (payments) is not theirs to change.
        row(
            POST,
            "/dashboard/experiments",
            form("team=search&start=2026-10-12&weeks=4&control=payments"),
            [303, 403, 303, 303, 303],
        ),
        row(
            POST,
            "/dashboard/experiments",
            form("team=payments&start=2026-10-12"),
            [303, 403, 403, 303, 303],
        ),
        row(
            POST,
            "/dashboard/experiments",
            form("team=nope&start=2026-10-12"),
            [303, 404, 404, 404, 303],
        ),
        // Checked after the role: a bad date is 422 for those who may.
        row(
            POST,
            "/dashboard/experiments",
            form("team=search&start=soon"),
            [303, 403, 422, 422, 303],
        ),
        row(
            POST,
            "/dashboard/experiments/async-standup/end",
            form("team=search"),
            [303, 403, 303, 303, 303],
        ),
        row(GET, "/me", none(), [303, 200, 200, 200, 303]),
        // The signed-in person's own focus blocks; the administrator is not
        // on the people list.
        row(GET, "/me/focus.ics", none(), [303, 200, 200, 404, 303]),
        // The viewer's private calendar feed: people on the list only (the
        // administrator is not); the feed itself needs no session, and an
        // unknown token is 404 for everyone.
        row(POST, "/me/feed", form(""), [303, 200, 200, 404, 303]),
        row(POST, "/me/feed/revoke", form(""), [303, 303, 303, 404, 303]),
        row(GET, "/feeds/nope/deadlines.ics", none(), [404; 5]),
        row(GET, "/tokens", none(), [303, 200, 200, 200, 303]),
        row(
            POST,
            "/tokens",
            form("name=matrix"),
            [303, 200, 200, 200, 303],
        ),
        row(
            POST,
            "/tokens/999999/revoke",
            form(""),
            [303, 404, 404, 404, 303],
        ),
        row(GET, "/admin/users", none(), [303, 403, 403, 200, 303]),
        row(
            POST,
            "/admin/users",
            form("email=new.page%40x.io&role=member&teams=a&password=twelve+chars+at+least"),
            [303, 403, 403, 303, 303],
        ),
        row(
            POST,
            format!("/admin/users/{target}"),
            form("role=lead&teams=search"),
            [303, 403, 403, 303, 303],
        ),
        row(
            POST,
            format!("/admin/users/{victim_page}/delete"),
            form(""),
            [303, 403, 403, 303, 303],
        ),
        row(GET, "/admin/imports", none(), [303, 403, 403, 200, 303]),
        row(POST, "/admin/imports", form(""), [303, 403, 403, 200, 303]),
        row(GET, "/static/app.css", none(), [200; 5]),
        row(GET, "/static/htmx.min.js", none(), [200; 5]),
        row(GET, "/static/nope.js", none(), [404; 5]),
        row(GET, "/healthz", none(), [200; 5]),
        row(GET, "/readyz", none(), [200; 5]),
        row(GET, "/openapi.json", none(), [200; 5]),
        row(GET, "/nowhere", none(), [404; 5]),
        // API.
        row(GET, "/api/v1/me", none(), [401, 200, 200, 200, 200]),
        row(GET, "/api/v1/me/week", none(), [401, 200, 200, 404, 404]),
        row(POST, "/api/v1/me/feed", none(), [401, 201, 201, 404, 404]),
        row(DELETE, "/api/v1/me/feed", none(), [401, 204, 204, 404, 404]),
        row(GET, "/api/v1/teams", none(), [401, 200, 200, 200, 200]),
        row(
            GET,
            "/api/v1/teams/payments/report",
            none(),
            [401, 200, 403, 200, 200],
        ),
        row(
            GET,
            "/api/v1/teams/search/report",
            none(),
            [401, 403, 200, 200, 200],
        ),
        row(
            GET,
            "/api/v1/teams/nope/report",
            none(),
            [401, 404, 404, 404, 404],
        ),
        row(
            GET,
            "/api/v1/teams/payments/history",
            none(),
            [401, 200, 403, 200, 200],
        ),
        row(
            GET,
            "/api/v1/teams/search/history",
            none(),
            [401, 403, 200, 200, 200],
        ),
        row(
            GET,
            "/api/v1/teams/nope/history",
            none(),
            [401, 404, 404, 404, 404],
        ),
        row(GET, "/api/v1/users", none(), [401, 403, 403, 200, 200]),
        row(
            POST,
            "/api/v1/users",
            Payload::Json(
                json!({"email": "new.api@x.io", "role": "member", "password": "twelve chars at least"}),
            ),
            // The token call repeats the session's: the email exists.
            [401, 403, 403, 201, 409],
        ),
        row(
            GET,
            format!("/api/v1/users/{target}"),
            none(),
            [401, 403, 403, 200, 200],
        ),
        row(
            PATCH,
            format!("/api/v1/users/{target}"),
            Payload::Json(json!({"teams": ["mobile"]})),
            [401, 403, 403, 200, 200],
        ),
        row(
            DELETE,
            format!("/api/v1/users/{victim_api}"),
            none(),
            [401, 403, 403, 204, 404],
        ),
        row(
            GET,
            "/api/v1/users/999999",
            none(),
            [401, 403, 403, 404, 404],
        ),
        row(GET, "/api/v1/tokens", none(), [401, 200, 200, 200, 200]),
        row(
            POST,
            "/api/v1/tokens",
            Payload::Json(json!({"name": "m"})),
            // A token cannot mint tokens.
            [401, 201, 201, 201, 403],
        ),
        row(
            DELETE,
            "/api/v1/tokens/999999",
            none(),
            [401, 404, 404, 404, 404],
        ),
        row(GET, "/api/v1/sources", none(), [401, 403, 403, 200, 200]),
        row(Method::PUT, "/api/v1/me", none(), [405; 5]),
        row(GET, "/api/v1/nowhere", none(), [404; 5]),
        // Last: it ends the sessions.
        row(POST, "/signout", form(""), [303; 5]),
    ]
}

/// Every route of the router's table (the list `fulcrum_server::router`
/// is built from) has a row in the role matrix: a route added without one
/// fails here.
#[test]
fn every_route_is_in_the_role_matrix() {
    let rows = matrix(1, 2, 3, &Asks::default());
    let missing: Vec<String> = fulcrum_server::routes::table::<fulcrum_store::Store>()
        .iter()
        .filter(|route| {
            !rows.iter().any(|r| {
                r.method == route.method
                    && same_route(route.path, r.path.split('?').next().unwrap())
            })
        })
        .map(|route| format!("{} {}", route.method, route.path))
        .collect();
    assert!(
        missing.is_empty(),
        "routes without a row in the role matrix: {}",
        missing.join(", ")
    );
}

fn auth_hash() -> String {
    fulcrum_server::auth::hash_password(PASSWORD).unwrap()
}

/// `/api/v1/users/{id}` matches `/api/v1/users/12`.
fn same_route(template: &str, path: &str) -> bool {
    let a: Vec<&str> = template.split('/').collect();
    let b: Vec<&str> = path.split('/').collect();
    a.len() == b.len()
        && a.iter()
            .zip(&b)
            .all(|(x, y)| x == y || (x.starts_with('{') && x.ends_with('}')))
}

/// Every response a member or a lead can get, scanned for anyone else's
/// email or name.
#[tokio::test]
async fn members_and_leads_never_see_another_persons_data() {
    let h = harness().await;
    let app = &h.app;
    let fx = fixture();
    put_history(&h).await;
    let pulse_week = put_pulses(&h).await;
    let cases = [
        (h.member.clone(), vec!["payments"]),
        (h.lead.clone(), vec!["platform", "search"]),
        (h.tiny.clone(), vec!["tiny"]),
    ];
    for (user, teams) in cases {
        let session = sign_in(app, &user.email, PASSWORD).await;
        let token = token_for(&h.state, &user, "privacy").await;
        let mut paths = vec![
            "/dashboard".to_owned(),
            "/me".to_owned(),
            "/me/focus.ics".to_owned(),
            "/tokens".to_owned(),
            "/api/v1/me".to_owned(),
            "/api/v1/me/week".to_owned(),
            "/api/v1/teams".to_owned(),
            "/api/v1/tokens".to_owned(),
            "/asks".to_owned(),
            "/decisions".to_owned(),
            "/meetings".to_owned(),
            "/incidents".to_owned(),
            "/waits".to_owned(),
            "/api/v1/me/waits".to_owned(),
            "/updates".to_owned(),
            "/pulse".to_owned(),
            "/api/v1/me/pulse".to_owned(),
        ];
        // Their own calendar feed, fetched without a session.
        let feed = send(
            app,
            request(POST, "/api/v1/me/feed", &token, &Payload::None),
        )
        .await;
        assert_eq!(feed.status, StatusCode::CREATED, "{}", feed.body);
        paths.push(feed.json()["url"].as_str().unwrap().to_owned());
        for t in &teams {
            paths.push(format!("/pulse?team={t}"));
            paths.push(format!("/api/v1/teams/{t}/pulse"));
            paths.push(format!("/updates?team={t}"));
            paths.push(format!("/api/v1/teams/{t}/updates"));
            paths.push(format!("/waits?team={t}"));
            paths.push(format!("/api/v1/teams/{t}/waits"));
            paths.push(format!("/incidents?team={t}"));
            paths.push(format!("/api/v1/teams/{t}/incidents"));
            paths.push(format!("/meetings?team={t}"));
            paths.push(format!("/api/v1/teams/{t}/meetings"));
            paths.push(format!("/api/v1/teams/{t}/meetings/calendar"));
            paths.push(format!("/meetings/new?team={t}"));
            paths.push(format!("/asks?team={t}"));
            paths.push(format!("/decisions?team={t}"));
            paths.push(format!("/api/v1/teams/{t}/decisions"));
            paths.push(format!("/api/v1/teams/{t}/asks"));
            paths.push(format!("/api/v1/teams/{t}/workflow"));
            paths.push(format!("/dashboard?team={t}"));
            paths.push(format!("/api/v1/teams/{t}/report"));
            paths.push(format!("/api/v1/teams/{t}/history"));
        }
        let mut scanned = 0;
        for path in &paths {
            for w in [&session, &token] {
                let res = send(app, request(GET, path, w, &Payload::None)).await;
                if matches!(w, As::Token(_)) && !path.starts_with("/api/") {
                    continue;
                }
                assert_eq!(res.status, StatusCode::OK, "{path} as {}", user.email);
                // The round of written updates names each person of the
                // team by email (who wrote, who is missing: the team's
                // working text, WORKFLOW.md); nobody of another team, and
                // no one's name or analysis data.
                let round = path.starts_with("/updates") || path.ends_with("/updates");
                for (email, name, team) in &fx.people {
                    if *email == user.email {
                        continue;
                    }
                    assert!(
                        !res.body.contains(name.as_str()),
                        "{path} shows {name} to {}",
                        user.email
                    );
                    if round && teams.contains(&team.as_str()) {
                        continue;
                    }
                    assert!(
                        !res.body.contains(email.as_str()),
                        "{path} shows {email} to {}",
                        user.email
                    );
                    let local = email.split('@').next().unwrap();
                    assert!(
                        !res.body.contains(local),
                        "{path} shows {local} to {}",
                        user.email
                    );
                }
                scanned += res.body.len();
            }
        }
        // The scan saw real content: the own team's report and own week.
        let dash = send(app, request(GET, "/dashboard", &session, &Payload::None)).await;
        assert!(
            dash.body.contains(&format!("Team {}", teams[0])),
            "{}",
            user.email
        );
        assert!(dash.body.contains("id=\"findings\""));
        let week = send(app, request(GET, "/api/v1/me/week", &token, &Payload::None))
            .await
            .json();
        assert_eq!(week["email"], user.email.as_str());
        assert_eq!(
            week["weeks"].as_array().unwrap().len(),
            fx.snapshot.weeks.len()
        );
        assert!(scanned > 50_000, "scanned only {scanned} bytes");
    }
    // The lead's view of the pulse of search (the team they lead, five
    // answers: the minimum) is the aggregate only: scores 1, 2, 3, 4, 5,
    // mean 15 / 5 = 3; no response, author or score of anyone. Their own
    // team platform has four answers besides theirs, under the minimum:
    // nothing of that week shows.
    let lead = token_for(&h.state, &h.lead, "pulse").await;
    let get = async |path: &str| send(app, request(GET, path, &lead, &Payload::None)).await;
    let search = get("/api/v1/teams/search/pulse").await;
    let v = search.json();
    assert_eq!(v["weeks"][0]["week"], pulse_week.to_string());
    let q = &v["weeks"][0]["questions"][0];
    assert_eq!(
        (&q["respondents"], &q["mean"], &q["distribution"]),
        (&json!(5), &json!(3.0), &json!([1, 1, 1, 1, 1]))
    );
    let platform = get("/api/v1/teams/platform/pulse").await.json();
    assert_eq!(platform["weeks"], json!([]), "{platform}");
    for path in [
        "/api/v1/teams/search/pulse",
        "/api/v1/teams/platform/pulse",
        "/api/v1/teams/search/workflow",
        "/api/v1/teams/platform/workflow",
    ] {
        let body = get(path).await.body;
        for key in ["\"author\"", "\"score\"", "\"answers\"", "\"answered_at\""] {
            assert!(!body.contains(key), "{path} holds {key}: {body}");
        }
    }
    let lead_session = sign_in(app, &h.lead.email, PASSWORD).await;
    let page = send(
        app,
        request(GET, "/pulse?team=search", &lead_session, &Payload::None),
    )
    .await
    .body;
    assert!(page.contains("<td>3.00</td>"), "{page}");
    assert!(page.contains("<td>1 / 1 / 1 / 1 / 1</td>"));
    assert!(!page.contains("id=\"pulse-mine\"") && !page.contains("name=\"q1\""));
    let page = send(
        app,
        request(GET, "/pulse?team=platform", &lead_session, &Payload::None),
    )
    .await
    .body;
    assert!(!page.contains(&format!("<td>{pulse_week}</td>")), "{page}");
    assert!(page.contains("Nothing to show yet"), "{page}");

    // A team report as JSON holds no per-person rows at all.
    let admin = token_for(&h.state, &h.admin, "x").await;
    let r = send(
        app,
        request(GET, "/api/v1/teams/payments/report", &admin, &Payload::None),
    )
    .await
    .json();
    assert!(r.get("people").is_none());
    assert_eq!(r["privacy"]["individuals"], "none");
}

/// Pulse answers of one week: the five people of `search` score 1 to 5;
/// four of `platform` other than the lead score 5. Returns the week.
async fn put_pulses(h: &Harness) -> chrono::NaiveDate {
    use fulcrum_model::pulse::{DEFAULT_PULSE_QUESTIONS, PulseAnswer, PulseResponse};
    let week = date(2026, 11, 16);
    let fx = fixture();
    let mut put = Vec::new();
    let search = fx.people.iter().filter(|p| p.2 == "search");
    let platform = fx
        .people
        .iter()
        .filter(|p| p.2 == "platform" && p.0 != h.lead.email);
    for ((email, _, team), score) in search.zip(1u8..).chain(platform.take(4).map(|p| (p, 5))) {
        put.push(PulseResponse {
            team: team.clone(),
            author: email.clone(),
            week,
            answers: vec![PulseAnswer {
                question: DEFAULT_PULSE_QUESTIONS[0].to_owned(),
                score,
            }],
            answered_at: chrono::Utc::now(),
        });
    }
    assert_eq!(put.len(), 9);
    for p in put {
        h.state
            .store
            .create_workflow_item(fulcrum_store::WorkflowItem::Pulse(p), chrono::Utc::now())
            .await
            .unwrap();
    }
    week
}

/// The calendar meetings to pick from, over a week of the demo's imported
/// calendars: no one's name ever; another team's email only as an attendee
/// of a meeting the viewer is on (their own calendar); a title only of
/// such a meeting.
#[tokio::test]
async fn the_meeting_picker_shows_others_only_on_the_viewers_own_meetings() {
    let h = harness().await;
    let app = &h.app;
    let fx = fixture();
    fulcrum_app::stored::import_workspace(
        &*h.state.store,
        &fx.root,
        &fulcrum_chat::Limits::default(),
    )
    .await
    .unwrap();
    let range = "from=2026-09-07&to=2026-09-13";
    let cases = [
        (h.member.clone(), vec!["payments"]),
        (h.lead.clone(), vec!["platform", "search"]),
    ];
    let mut on_their_own = 0;
    let mut not_on = 0;
    for (user, teams) in cases {
        let session = sign_in(app, &user.email, PASSWORD).await;
        let token = token_for(&h.state, &user, "picker").await;
        for t in &teams {
            let api = send(
                app,
                request(
                    GET,
                    &format!("/api/v1/teams/{t}/meetings/calendar?{range}"),
                    &token,
                    &Payload::None,
                ),
            )
            .await;
            assert_eq!(api.status, StatusCode::OK);
            let page = send(
                app,
                request(
                    GET,
                    &format!("/meetings/new?team={t}&{range}"),
                    &session,
                    &Payload::None,
                ),
            )
            .await;
            assert_eq!(page.status, StatusCode::OK);
            let items = api.json()["items"].as_array().unwrap().clone();
            assert!(!items.is_empty(), "{t}");
            // Who the viewer meets: the attendees of their own meetings.
            let mut met = std::collections::BTreeSet::new();
            for m in &items {
                if m["viewer_attends"] == true {
                    on_their_own += 1;
                    for a in m["attendees"].as_array().unwrap() {
                        met.insert(a.as_str().unwrap().to_owned());
                    }
                } else {
                    not_on += 1;
                    assert_eq!(m["title"], serde_json::Value::Null, "{m}");
                    assert_eq!(m["attendees"], json!([]), "{m}");
                }
            }
            for body in [&api.body, &page.body] {
                for (email, name, team) in &fx.people {
                    assert!(!body.contains(name.as_str()), "{t} shows {name}");
                    if *email == user.email || team == t || met.contains(email) {
                        continue;
                    }
                    assert!(!body.contains(email.as_str()), "{t} shows {email}");
                }
            }
        }
    }
    assert!(on_their_own > 0 && not_on > 0, "{on_their_own} {not_on}");
}

fn date(y: i32, m: u32, d: u32) -> chrono::NaiveDate {
    chrono::NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

/// Monday of a week more than 104 weeks before the demo's window: in the
/// API's history, not in the dashboard's table.
const OLD_WEEK: (i32, u32, u32) = (2024, 6, 3);

/// Weekly aggregates of `payments` (the member's team) and `search` (the
/// lead's), as `fulcrum import` stores them.
async fn put_history(h: &Harness) {
    let agg = |team: &str, week, signal: &str, value, members| fulcrum_store::Aggregate {
        team: team.into(),
        week,
        signal: signal.into(),
        value,
        members,
    };
    let (y, m, d) = OLD_WEEK;
    h.state
        .store
        .put_aggregates(vec![
            agg("payments", date(2026, 8, 31), "meeting_share", 0.41, 7),
            agg("payments", date(2026, 8, 31), "focus_hours", 12.34, 7),
            agg("payments", date(2026, 8, 31), "sla_breach_rate", 0.08, 6),
            agg("payments", date(2026, 9, 7), "meeting_share", 0.39, 7),
            agg("payments", date(2026, 9, 7), "response_latency", 3.5, 7),
            // Fewer members with data than the minimum group size: never shown.
            agg("payments", date(2026, 9, 7), "messages_sent", 12.0, 3),
            agg("payments", date(y, m, d), "meeting_share", 0.3, 7),
            agg("search", date(2026, 8, 31), "meeting_share", 0.77, 8),
            agg("search", date(2026, 9, 7), "focus_hours", 9.87, 8),
        ])
        .await
        .unwrap();
}

/// The `<section id="history">` of a dashboard page.
fn history_section(html: &str) -> &str {
    let start = html
        .find("<section id=\"history\"")
        .unwrap_or_else(|| panic!("no history section: {html}"));
    let end = start + html[start..].find("</section>").unwrap();
    &html[start..end]
}

#[tokio::test]
async fn team_history_reads_stored_aggregates() {
    let h = harness().await;
    let app = &h.app;
    assert_eq!(fixture().snapshot.min_group_size, 5);
    // The old week is more than 104 weeks before the window's last week.
    let (y, m, d) = OLD_WEEK;
    assert!(
        fulcrum_server::history::table_since(fixture().snapshot.window.to) > date(y, m, d),
        "{:?}",
        fixture().snapshot.window
    );
    // Before any import: empty, on both surfaces.
    let member = sign_in(app, &h.member.email, PASSWORD).await;
    let none = send(
        app,
        request(
            GET,
            "/api/v1/teams/payments/history",
            &member,
            &Payload::None,
        ),
    )
    .await;
    assert_eq!(none.json(), json!({"team": "payments", "weeks": []}));
    let dash = send(app, request(GET, "/dashboard", &member, &Payload::None)).await;
    assert!(
        history_section(&dash.body).contains("No stored history yet: run an import."),
        "{}",
        history_section(&dash.body)
    );

    put_history(&h).await;
    // Retention drops raw records only: the aggregates stay.
    h.state
        .store
        .apply_retention(chrono::Utc::now())
        .await
        .unwrap();
    // The dashboard keeps its table for a while; the new snapshot after an
    // import drops it.
    let dash = send(app, request(GET, "/dashboard", &member, &Payload::None)).await;
    assert!(history_section(&dash.body).contains("No stored history yet"));
    h.state.refresh().await.unwrap();
    let expected = json!({"team": "payments", "weeks": [
        {"week": "2024-W23", "monday": "2024-06-03", "signals": {
            "meeting_share": {"value": 0.3, "members": 7},
        }},
        {"week": "2026-W36", "monday": "2026-08-31", "signals": {
            "meeting_share": {"value": 0.41, "members": 7},
            "focus_hours": {"value": 12.34, "members": 7},
            "sla_breach_rate": {"value": 0.08, "members": 6},
        }},
        {"week": "2026-W37", "monday": "2026-09-07", "signals": {
            "meeting_share": {"value": 0.39, "members": 7},
            "response_latency": {"value": 3.5, "members": 7},
        }},
    ]});
    let token = token_for(&h.state, &h.member, "history").await;
    for who in [&member, &token] {
        let res = send(
            app,
            request(GET, "/api/v1/teams/payments/history", who, &Payload::None),
        )
        .await;
        assert_eq!(res.status, StatusCode::OK);
        assert_eq!(res.header("content-type"), "application/json");
        assert_eq!(res.json(), expected);
        // Another team: 403, nothing of it in the answer.
        let other = send(
            app,
            request(GET, "/api/v1/teams/search/history", who, &Payload::None),
        )
        .await;
        assert_eq!(other.status, StatusCode::FORBIDDEN);
        assert_eq!(other.json()["error"]["code"], "forbidden");
        assert!(!other.body.contains("0.77"), "{}", other.body);
    }
    let lead = token_for(&h.state, &h.lead, "history").await;
    let search = send(
        app,
        request(GET, "/api/v1/teams/search/history", &lead, &Payload::None),
    )
    .await
    .json();
    assert_eq!(
        search["weeks"][0],
        json!({"week": "2026-W36", "monday": "2026-08-31", "signals": {
            "meeting_share": {"value": 0.77, "members": 8},
        }})
    );

    // The dashboard: a table of the key signals, newest week first,
    // formatted like the report, without the week older than 104 weeks.
    for path in ["/dashboard", "/dashboard?team=payments"] {
        let dash = send(app, request(GET, path, &member, &Payload::None)).await;
        assert_eq!(dash.status, StatusCode::OK);
        let section = history_section(&dash.body);
        assert!(
            section.contains("<h2 id=\"history-title\">History</h2>"),
            "{section}"
        );
        assert!(section.contains("<table>\n<caption>Team payments: stored weekly values"));
        assert!(section.contains(
            "<thead><tr><th scope=\"col\">week</th><th scope=\"col\"><code>meeting_share</code></th>\
             <th scope=\"col\"><code>focus_hours</code></th><th scope=\"col\"><code>sla_breach_rate</code></th>\
             <th scope=\"col\"><code>response_latency</code></th></tr></thead>"
        ), "{section}");
        let w37 = section
            .find(
                "<tr><th scope=\"row\">2026-W37</th><td class=\"num\">39%</td><td class=\"num\">n/a</td>\
                 <td class=\"num\">n/a</td><td class=\"num\">3.5 h</td></tr>",
            )
            .unwrap_or_else(|| panic!("{section}"));
        let w36 = section
            .find(
                "<tr><th scope=\"row\">2026-W36</th><td class=\"num\">41%</td><td class=\"num\">12.3 h</td>\
                 <td class=\"num\">8%</td><td class=\"num\">n/a</td></tr>",
            )
            .unwrap_or_else(|| panic!("{section}"));
        assert!(w37 < w36, "newest first: {section}");
        assert_eq!(
            section.matches("<tr><th scope=\"row\">").count(),
            2,
            "{section}"
        );
        for absent in [
            "2024-W23",
            "messages_sent",
            "77%",
            "9.9 h",
            "No stored history",
        ] {
            assert!(!section.contains(absent), "{absent}: {section}");
        }
    }
    // htmx swapping the team in place gets its history too.
    let lead_session = sign_in(app, &h.lead.email, PASSWORD).await;
    let mut req = request(GET, "/dashboard?team=search", &lead_session, &Payload::None);
    req.headers_mut()
        .insert("hx-request", "true".parse().unwrap());
    let part = send(app, req).await;
    let section = history_section(&part.body);
    assert!(section.contains("<td class=\"num\">77%</td>"), "{section}");
    assert!(
        section.contains("<td class=\"num\">9.9 h</td>"),
        "{section}"
    );
    // A visible team without stored history, and a team too small to show.
    let platform = send(
        app,
        request(GET, "/dashboard", &lead_session, &Payload::None),
    )
    .await;
    assert!(platform.body.contains("Team platform"));
    assert!(history_section(&platform.body).contains("No stored history yet: run an import."));
    let tiny = sign_in(app, &h.tiny.email, PASSWORD).await;
    let tiny_page = send(app, request(GET, "/dashboard", &tiny, &Payload::None)).await;
    let section = history_section(&tiny_page.body);
    assert!(
        section.contains("too small to show") && !section.contains("<table"),
        "{section}"
    );
    // Another team's dashboard is 403 with no history of it.
    let other = send(
        app,
        request(GET, "/dashboard?team=search", &member, &Payload::None),
    )
    .await;
    assert_eq!(other.status, StatusCode::FORBIDDEN);
    assert!(!other.body.contains("id=\"history\""));
}

#[tokio::test]
async fn tiny_team_is_too_small_to_show() {
    let h = harness().await;
    let s = sign_in(&h.app, &h.tiny.email, PASSWORD).await;
    let res = send(&h.app, request(GET, "/dashboard", &s, &Payload::None)).await;
    assert_eq!(res.status, StatusCode::OK);
    assert!(res.body.contains("too small to show"), "{}", res.body);
    let teams = send(&h.app, request(GET, "/api/v1/teams", &s, &Payload::None))
        .await
        .json();
    assert_eq!(
        teams["items"],
        json!([{"name": "tiny", "members": 2, "too_small": true}])
    );
    let report = send(
        &h.app,
        request(GET, "/api/v1/teams/tiny/report", &s, &Payload::None),
    )
    .await
    .json();
    let team = &report["teams"][0];
    assert_eq!(team["team"], "tiny");
    assert_eq!(team["verdict"], "not_assessed");
    // Suppressed, never 0.
    for tr in team["trends"].as_array().unwrap() {
        assert!(tr["value"].is_null(), "{tr}");
    }
}

#[tokio::test]
async fn csrf_is_checked_on_forms_and_cookie_api_calls() {
    let h = harness().await;
    let app = &h.app;
    let s = sign_in(app, &h.member.email, PASSWORD).await;
    let As::Session { cookie, csrf } = &s else {
        unreachable!()
    };
    let post = |body: String| {
        Request::post("/tokens")
            .header(header::COOKIE, format!("fulcrum_session={cookie}"))
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(body))
            .unwrap()
    };
    for body in [
        "name=x".to_owned(),
        "name=x&csrf=".to_owned(),
        "name=x&csrf=0000".to_owned(),
    ] {
        let res = send(app, post(body.clone())).await;
        assert_eq!(res.status, StatusCode::FORBIDDEN, "{body}");
        assert!(res.body.contains("security token"), "{}", res.body);
    }
    assert_eq!(
        send(app, post(format!("name=x&csrf={csrf}"))).await.status,
        StatusCode::OK
    );
    // The API with the cookie: the header is needed for changes.
    let api = |token: Option<&str>| {
        let mut b = Request::post("/api/v1/tokens")
            .header(header::COOKIE, format!("fulcrum_session={cookie}"))
            .header(header::CONTENT_TYPE, "application/json");
        if let Some(t) = token {
            b = b.header("x-csrf-token", t);
        }
        b.body(Body::from(r#"{"name":"x"}"#)).unwrap()
    };
    let res = send(app, api(None)).await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
    assert_eq!(res.json()["error"]["code"], "forbidden");
    assert_eq!(
        send(app, api(Some("nope"))).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(send(app, api(Some(csrf))).await.status, StatusCode::CREATED);
    // Sign-in: the form's token must match its cookie.
    let form = send(app, Request::get("/signin").body(Body::empty()).unwrap()).await;
    let pre = form.cookie("fulcrum_signin").unwrap();
    let signin = |cookie: &str, field: &str| {
        Request::post("/signin")
            .header(header::COOKIE, format!("fulcrum_signin={cookie}"))
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(format!(
                "email={}&password={}&csrf={field}",
                urlencode(&h.member.email),
                urlencode(PASSWORD)
            )))
            .unwrap()
    };
    assert_eq!(
        send(app, signin(&pre, "wrong")).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        send(app, signin("wrong", &pre)).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        send(app, signin(&pre, &pre)).await.status,
        StatusCode::SEE_OTHER
    );
}

#[tokio::test]
async fn sixth_failed_sign_in_is_429_with_retry_after() {
    let h = harness().await;
    let app = &h.app;
    let form = send(app, Request::get("/signin").body(Body::empty()).unwrap()).await;
    let pre = form.cookie("fulcrum_signin").unwrap();
    let attempt = |password: &str| {
        Request::post("/signin")
            .header(header::COOKIE, format!("fulcrum_signin={pre}"))
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(format!(
                "email={}&password={}&csrf={pre}",
                urlencode(&h.member.email),
                urlencode(password)
            )))
            .unwrap()
    };
    for i in 0..5 {
        let res = send(app, attempt("wrong password!")).await;
        assert_eq!(res.status, StatusCode::UNAUTHORIZED, "attempt {i}");
        assert!(res.body.contains("The email or password is wrong."));
        assert!(res.cookie("fulcrum_session").is_none());
    }
    // Even the right password waits now.
    let res = send(app, attempt(PASSWORD)).await;
    assert_eq!(res.status, StatusCode::TOO_MANY_REQUESTS, "{}", res.body);
    let wait: u64 = res.header("retry-after").parse().unwrap();
    assert!((1..=900).contains(&wait), "{wait}");
    assert!(res.header("content-type").starts_with("text/html"));
    // An unknown email gets the same message as a wrong password.
    let res = send(
        app,
        Request::post("/signin")
            .header(header::COOKIE, format!("fulcrum_signin={pre}"))
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(format!(
                "email=nobody%40x.io&password=x&csrf={pre}"
            )))
            .unwrap(),
    )
    .await;
    // The address is limited too (in-process every request shares "unknown").
    assert_eq!(res.status, StatusCode::TOO_MANY_REQUESTS);
}

#[tokio::test]
async fn unknown_email_and_wrong_password_look_the_same() {
    let h = harness().await;
    let app = &h.app;
    let mut bodies = Vec::new();
    for email in [h.member.email.as_str(), "nobody@x.io"] {
        let form = send(app, Request::get("/signin").body(Body::empty()).unwrap()).await;
        let pre = form.cookie("fulcrum_signin").unwrap();
        let res = send(
            app,
            Request::post("/signin")
                .header(header::COOKIE, format!("fulcrum_signin={pre}"))
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .body(Body::from(format!(
                    "email={}&password=wrong&csrf={pre}",
                    urlencode(email)
                )))
                .unwrap(),
        )
        .await;
        assert_eq!(res.status, StatusCode::UNAUTHORIZED);
        // Mask the parts that differ by design: the email typed and the new token.
        let body = res.body.replace(email, "EMAIL");
        let csrf = form_csrf(&body);
        bodies.push(body.replace(&csrf, "CSRF"));
    }
    assert_eq!(bodies[0], bodies[1]);
}

#[tokio::test]
async fn bodies_over_the_limit_get_413() {
    let h = harness().await;
    let t = token_for(&h.state, &h.member, "x").await;
    let big = json!({"name": "x".repeat(70 * 1024)});
    let res = send(
        &h.app,
        request(POST, "/api/v1/tokens", &t, &Payload::Json(big.clone())),
    )
    .await;
    assert_eq!(res.status, StatusCode::PAYLOAD_TOO_LARGE, "{}", res.body);
    assert_eq!(res.json()["error"]["code"], "payload_too_large");
    // Declared length over the limit: refused before anything is read.
    let mut req = request(POST, "/api/v1/tokens", &t, &Payload::Json(big));
    req.headers_mut()
        .insert(header::CONTENT_LENGTH, (70 * 1024 + 12).into());
    assert_eq!(
        send(&h.app, req).await.status,
        StatusCode::PAYLOAD_TOO_LARGE
    );
    // A page form too, as an HTML page.
    let s = sign_in(&h.app, &h.member.email, PASSWORD).await;
    let res = send(
        &h.app,
        request(
            POST,
            "/tokens",
            &s,
            &Payload::Form(format!("name={}", "y".repeat(70 * 1024))),
        ),
    )
    .await;
    assert_eq!(res.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(res.header("content-type").starts_with("text/html"));
}

#[tokio::test]
async fn strict_json_input() {
    let h = harness().await;
    let t = token_for(&h.state, &h.admin, "x").await;
    let call = |method: Method, path: &str, body: &str, ct: &str| {
        let As::Token(tok) = &t else { unreachable!() };
        Request::builder()
            .method(method)
            .uri(path)
            .header(header::AUTHORIZATION, format!("Bearer {tok}"))
            .header(header::CONTENT_TYPE, ct)
            .body(Body::from(body.to_owned()))
            .unwrap()
    };
    let cases: &[(Method, &str, &str, &str, u16, &str)] = &[
        (
            POST,
            "/api/v1/tokens",
            "{\"name\":",
            "application/json",
            400,
            "bad_request",
        ),
        (
            POST,
            "/api/v1/tokens",
            "{\"name\":\"a\",\"admin\":true}",
            "application/json",
            422,
            "unknown field",
        ),
        (
            POST,
            "/api/v1/tokens",
            "{}",
            "application/json",
            422,
            "missing field",
        ),
        (
            POST,
            "/api/v1/tokens",
            "{\"name\":3}",
            "application/json",
            422,
            "invalid type",
        ),
        (
            POST,
            "/api/v1/tokens",
            "{\"name\":\"\"}",
            "application/json",
            403,
            "cannot create tokens",
        ),
        (
            POST,
            "/api/v1/tokens",
            "name=a",
            "application/x-www-form-urlencoded",
            415,
            "unsupported_media_type",
        ),
        (
            POST,
            "/api/v1/users",
            r#"{"email":"not-an-email","role":"member","password":"twelve chars at least"}"#,
            "application/json",
            422,
            "not a valid email",
        ),
        (
            POST,
            "/api/v1/users",
            r#"{"email":"ok@x.io","role":"owner","password":"twelve chars at least"}"#,
            "application/json",
            422,
            "not a role",
        ),
        (
            POST,
            "/api/v1/users",
            r#"{"email":"ok@x.io","role":"member","password":"short"}"#,
            "application/json",
            422,
            "12 to 1024",
        ),
        (
            PATCH,
            "/api/v1/users/1",
            r#"{"role":null}"#,
            "application/json",
            422,
            "role must be a string",
        ),
        (
            PATCH,
            "/api/v1/users/1",
            r#"{"teams":"a"}"#,
            "application/json",
            422,
            "array of strings",
        ),
        (
            GET,
            "/api/v1/users?limit=0",
            "",
            "application/json",
            400,
            "between 1 and 500",
        ),
        (
            GET,
            "/api/v1/users?limit=501",
            "",
            "application/json",
            400,
            "between 1 and 500",
        ),
        (
            GET,
            "/api/v1/users?limit=abc",
            "",
            "application/json",
            400,
            "bad_request",
        ),
        (
            GET,
            "/api/v1/users/abc",
            "",
            "application/json",
            400,
            "bad_request",
        ),
    ];
    for (m, path, body, ct, status, needle) in cases {
        let res = send(&h.app, call(m.clone(), path, body, ct)).await;
        assert_eq!(
            res.status.as_u16(),
            *status,
            "{m} {path} {body}: {}",
            res.body
        );
        assert!(res.body.contains(needle), "{m} {path} {body}: {}", res.body);
        let v = res.json();
        assert!(
            v["error"]["code"].is_string() && v["error"]["message"].is_string(),
            "{v}"
        );
        assert_eq!(v.as_object().unwrap().len(), 1);
    }
    // The admin cannot lock themselves out.
    let me = h.admin.id;
    let res = send(
        &h.app,
        call(
            PATCH,
            &format!("/api/v1/users/{me}"),
            r#"{"role":"member"}"#,
            "application/json",
        ),
    )
    .await;
    assert_eq!(res.status, StatusCode::CONFLICT);
    let res = send(
        &h.app,
        call(
            DELETE,
            &format!("/api/v1/users/{me}"),
            "",
            "application/json",
        ),
    )
    .await;
    assert_eq!(res.status, StatusCode::CONFLICT);
}

#[tokio::test]
async fn security_headers_on_every_response() {
    let h = harness().await;
    let s = sign_in(&h.app, &h.member.email, PASSWORD).await;
    let t = token_for(&h.state, &h.member, "x").await;
    let cases = [
        ("/signin", As::Anonymous),
        ("/dashboard", s.clone()),
        ("/dashboard", As::Anonymous),
        ("/me", s.clone()),
        ("/static/app.css", As::Anonymous),
        ("/api/v1/me", t.clone()),
        ("/api/v1/me", As::Anonymous),
        ("/api/v1/nope", t.clone()),
        ("/healthz", As::Anonymous),
    ];
    for (path, who) in cases {
        let res = send(&h.app, request(GET, path, &who, &Payload::None)).await;
        let csp = res.header("content-security-policy");
        assert!(
            csp.contains("default-src 'self'") && csp.contains("frame-ancestors 'none'"),
            "{path}: {csp}"
        );
        assert!(!csp.contains("unsafe-inline"));
        assert_eq!(res.header("x-content-type-options"), "nosniff", "{path}");
        assert_eq!(res.header("x-frame-options"), "DENY", "{path}");
        assert_eq!(res.header("referrer-policy"), "no-referrer", "{path}");
        assert!(
            res.header("permissions-policy").contains("camera=()"),
            "{path}"
        );
        assert_eq!(res.header("x-request-id").len(), 16, "{path}");
        if path.starts_with("/static/") {
            assert!(res.header("cache-control").contains("max-age"), "{path}");
        } else {
            assert_eq!(res.header("cache-control"), "no-store", "{path}");
        }
    }
    // Pages load nothing from elsewhere and run no inline script.
    let page = send(&h.app, request(GET, "/dashboard", &s, &Payload::None))
        .await
        .body;
    assert!(
        !page.contains("http://") && !page.contains("https://"),
        "external reference"
    );
    assert!(!page.contains("<script>") && !page.contains("style=\""));
    assert!(page.contains("<script src=\"/static/htmx.min.js\""));
    assert!(page.contains("name=\"viewport\"") && page.contains("class=\"skip\""));
    // Cookies: HttpOnly, SameSite, Path=/; Secure unless turned off.
    let secure = harness_with(fulcrum_server::ServerConfig::default()).await;
    let form = send(
        &secure.app,
        Request::get("/signin").body(Body::empty()).unwrap(),
    )
    .await;
    let set = form.header("set-cookie");
    for part in ["HttpOnly", "SameSite=Lax", "Path=/", "Secure"] {
        assert!(set.contains(part), "{set}");
    }
    assert!(form.header("strict-transport-security").contains("max-age"));
    let insecure = send(&h.app, Request::get("/signin").body(Body::empty()).unwrap()).await;
    assert!(!insecure.header("set-cookie").contains("Secure"));
}

#[tokio::test]
async fn every_input_on_every_page_has_a_label() {
    let h = harness().await;
    let s = sign_in(&h.app, ADMIN, PASSWORD).await;
    let asks = put_asks(&h).await;
    let member = sign_in(&h.app, &h.member.email, PASSWORD).await;
    for (path, who) in [
        ("/dashboard".to_owned(), &s),
        ("/me".to_owned(), &s),
        ("/tokens".to_owned(), &s),
        ("/admin/users".to_owned(), &s),
        ("/admin/imports".to_owned(), &s),
        ("/asks".to_owned(), &s),
        ("/asks/new?team=payments".to_owned(), &s),
        ("/decisions".to_owned(), &s),
        ("/decisions/new?team=payments".to_owned(), &s),
        // With its stance and close forms.
        (format!("/decisions/{}", asks.decision_admin), &s),
        ("/meetings".to_owned(), &s),
        ("/meetings/new?team=payments".to_owned(), &s),
        // Filled in from a meeting picked (not in the store: its UID).
        (
            "/meetings/new?team=payments&meeting=uid-1&occurrence=2026-12-07T10%3A00%3A00Z&decisions=1"
                .to_owned(),
            &s,
        ),
        (format!("/meetings/{}", asks.meeting_payments), &s),
        ("/incidents".to_owned(), &s),
        ("/waits".to_owned(), &s),
        ("/waits?team=payments".to_owned(), &member),
        // With its form of radio buttons.
        ("/pulse?team=payments".to_owned(), &member),
        ("/incidents/new?team=payments".to_owned(), &s),
        // With its review form.
        (format!("/incidents/{}", asks.incident_resolved), &s),
        // With its answer form.
        (format!("/asks/{}", asks.to_member), &member),
        ("/updates".to_owned(), &s),
        ("/updates?team=payments".to_owned(), &member),
        // One textarea per question, filled with the update written.
        ("/updates/new?team=payments".to_owned(), &member),
        (format!("/updates/{}", asks.update_payments), &member),
    ] {
        let path = path.as_str();
        let page = send(&h.app, request(GET, path, who, &Payload::None))
            .await
            .body;
        check_labels(path, &page);
    }
    let signin = send(&h.app, Request::get("/signin").body(Body::empty()).unwrap())
        .await
        .body;
    check_labels("/signin", &signin);
    // The calendar feed's address, shown once.
    let feed = send(&h.app, request(POST, "/me/feed", &member, &form(""))).await;
    assert_eq!(feed.status, StatusCode::OK);
    check_labels("/me/feed", &feed.body);
}

/// Each visible `<input>`, `<select>` and `<textarea>` has an id a `<label
/// for>` names.
fn check_labels(path: &str, page: &str) {
    let mut checked = 0;
    for tag in ["<input ", "<select ", "<textarea "] {
        for (at, _) in page.match_indices(tag) {
            let end = at + page[at..].find('>').unwrap();
            let el = &page[at..end];
            if el.contains("type=\"hidden\"") {
                continue;
            }
            let id = el.split("id=\"").nth(1).and_then(|r| r.split('"').next());
            let id = id.unwrap_or_else(|| panic!("{path}: no id on {el}"));
            assert!(
                page.contains(&format!("<label for=\"{id}\"")),
                "{path}: no label for {id}"
            );
            checked += 1;
        }
    }
    // An update's page has no form: its edit is a link to the form.
    let no_form = path.starts_with("/updates/") && !path.starts_with("/updates/new");
    assert!(
        checked > 0 || no_form || ["/me", "/dashboard", "/admin/imports"].contains(&path),
        "{path}: no input checked"
    );
}

#[tokio::test]
async fn tokens_are_hashed_at_rest_and_revoked_tokens_fail() {
    let h = harness().await;
    let s = sign_in(&h.app, &h.member.email, PASSWORD).await;
    let res = send(
        &h.app,
        request(
            POST,
            "/api/v1/tokens",
            &s,
            &Payload::Json(json!({"name": "ci"})),
        ),
    )
    .await;
    assert_eq!(res.status, StatusCode::CREATED);
    let created = res.json();
    let token = created["token"].as_str().unwrap().to_owned();
    let id = created["id"].as_i64().unwrap();
    let bearer = As::Token(token.clone());
    assert_eq!(
        send(&h.app, request(GET, "/api/v1/me", &bearer, &Payload::None))
            .await
            .status,
        StatusCode::OK
    );
    // The listing never shows the token again.
    let list = send(
        &h.app,
        request(GET, "/api/v1/tokens", &bearer, &Payload::None),
    )
    .await;
    assert!(!list.body.contains(&token));
    assert_eq!(list.json()["items"][0]["name"], "ci");
    // At rest: only the hash (read the database files whole).
    let mut bytes = Vec::new();
    for entry in std::fs::read_dir(&h.dir.0).unwrap() {
        bytes.extend(std::fs::read(entry.unwrap().path()).unwrap());
    }
    let text = String::from_utf8_lossy(&bytes);
    assert!(!text.contains(&token), "the plain token is in the database");
    assert!(
        text.contains(&fulcrum_server::auth::sha256_hex(&token)),
        "the hash is not stored"
    );
    let session_cookie = match &s {
        As::Session { cookie, .. } => cookie.clone(),
        _ => unreachable!(),
    };
    assert!(
        !text.contains(&session_cookie),
        "the plain session id is in the database"
    );
    // Another member cannot revoke it.
    let other = token_for(&h.state, &h.tiny, "t").await;
    let res = send(
        &h.app,
        request(
            DELETE,
            &format!("/api/v1/tokens/{id}"),
            &other,
            &Payload::None,
        ),
    )
    .await;
    assert_eq!(res.status, StatusCode::NOT_FOUND);
    // Its owner can; then it is refused.
    let res = send(
        &h.app,
        request(
            DELETE,
            &format!("/api/v1/tokens/{id}"),
            &bearer,
            &Payload::None,
        ),
    )
    .await;
    assert_eq!(res.status, StatusCode::NO_CONTENT);
    let res = send(&h.app, request(GET, "/api/v1/me", &bearer, &Payload::None)).await;
    assert_eq!(res.status, StatusCode::UNAUTHORIZED);
    assert_eq!(res.json()["error"]["code"], "unauthorized");
    assert_eq!(res.header("www-authenticate"), "Bearer");
    let res = send(
        &h.app,
        request(
            GET,
            "/api/v1/me",
            &As::Token("fulcrum_nope".into()),
            &Payload::None,
        ),
    )
    .await;
    assert_eq!(res.status, StatusCode::UNAUTHORIZED);
    // Through the page: created, shown once, revoked.
    let page = send(
        &h.app,
        request(POST, "/tokens", &s, &Payload::Form("name=page".into())),
    )
    .await;
    assert_eq!(page.status, StatusCode::OK);
    let shown = page
        .body
        .split("readonly value=\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .to_owned();
    assert!(shown.starts_with("fulcrum_"));
    let again = send(&h.app, request(GET, "/tokens", &s, &Payload::None)).await;
    assert!(!again.body.contains(&shown));
    let list = send(
        &h.app,
        request(
            GET,
            "/api/v1/tokens",
            &As::Token(shown.clone()),
            &Payload::None,
        ),
    )
    .await
    .json();
    let page_id = list["items"][0]["id"].as_i64().unwrap();
    let res = send(
        &h.app,
        request(
            POST,
            &format!("/tokens/{page_id}/revoke"),
            &s,
            &Payload::Form(String::new()),
        ),
    )
    .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    assert_eq!(
        send(
            &h.app,
            request(GET, "/api/v1/me", &As::Token(shown), &Payload::None)
        )
        .await
        .status,
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn signing_out_ends_the_session() {
    let h = harness().await;
    let s = sign_in(&h.app, &h.member.email, PASSWORD).await;
    assert_eq!(
        send(&h.app, request(GET, "/dashboard", &s, &Payload::None))
            .await
            .status,
        StatusCode::OK
    );
    let res = send(
        &h.app,
        request(POST, "/signout", &s, &Payload::Form(String::new())),
    )
    .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    assert_eq!(res.header("location"), "/signin");
    assert!(res.header("set-cookie").contains("Max-Age=0"));
    // The old cookie opens nothing any more.
    let res = send(&h.app, request(GET, "/dashboard", &s, &Payload::None)).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    assert_eq!(res.header("location"), "/signin");
    let res = send(&h.app, request(GET, "/api/v1/me", &s, &Payload::None)).await;
    assert_eq!(res.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn lists_are_paged() {
    let h = harness().await;
    let t = token_for(&h.state, &h.admin, "x").await;
    for i in 0..6 {
        h.state
            .store
            .create_user(fulcrum_store::NewUser {
                email: format!("paged{i}@x.io"),
                role: fulcrum_store::Role::Member,
                teams: vec![],
                password_hash: None,
                now: chrono::Utc::now(),
            })
            .await
            .unwrap();
    }
    // 4 harness accounts + 6 = 10, by email.
    let mut seen = Vec::new();
    let mut offset = Some(0);
    let mut pages = 0;
    while let Some(o) = offset {
        let v = send(
            &h.app,
            request(
                GET,
                &format!("/api/v1/users?offset={o}&limit=4"),
                &t,
                &Payload::None,
            ),
        )
        .await
        .json();
        assert_eq!(
            (v["offset"].as_u64(), v["limit"].as_u64()),
            (Some(o), Some(4))
        );
        for u in v["items"].as_array().unwrap() {
            seen.push(u["email"].as_str().unwrap().to_owned());
            assert!(u.get("password_hash").is_none());
        }
        offset = v["next_offset"].as_u64();
        pages += 1;
        assert!(pages < 10);
    }
    assert_eq!(pages, 3);
    assert_eq!(seen.len(), 10);
    let mut sorted = seen.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(sorted, seen, "ordered by email, no repeats");
    // Teams: exact next_offset.
    let v = send(
        &h.app,
        request(GET, "/api/v1/teams?limit=2", &t, &Payload::None),
    )
    .await
    .json();
    assert_eq!(v["items"].as_array().unwrap().len(), 2);
    assert_eq!(v["next_offset"], 2);
    let v = send(
        &h.app,
        request(GET, "/api/v1/teams?offset=4&limit=2", &t, &Payload::None),
    )
    .await
    .json();
    assert_eq!(v["items"].as_array().unwrap().len(), 1);
    assert_eq!(v["next_offset"], serde_json::Value::Null);
}

#[tokio::test]
async fn my_week_has_own_signals_and_focus_blocks() {
    let h = harness().await;
    let s = sign_in(&h.app, &h.member.email, PASSWORD).await;
    let page = send(&h.app, request(GET, "/me", &s, &Payload::None)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Focus blocks planned for"));
    // A chart of the person's own weeks, titled in words; the numbers
    // below have headers in words too, never snake_case ids.
    assert!(page.body.contains(r#"<svg class="chart""#), "{}", page.body);
    assert!(
        page.body
            .contains(r#"aria-label="Meeting hours by week for you"#)
    );
    assert!(!page.body.contains("meeting_hours") && !page.body.contains("focus_hours"));
    assert!(page.body.contains(r#"href="/me/focus.ics""#));
    let week = send(&h.app, request(GET, "/api/v1/me/week", &s, &Payload::None))
        .await
        .json();
    let focus = &week["focus"];
    assert!(focus.is_object(), "{week}");
    // Planned for the current or next week, never one that is over.
    let today = chrono::Utc::now().date_naive();
    let (from, _) = fulcrum_app::dashboard::focus_dates(today);
    let this = fulcrum_analysis::Week::of_date(today).to_string();
    let next = fulcrum_analysis::Week::of_date(today + chrono::Duration::days(7)).to_string();
    let planned_week = focus["week"].as_str().unwrap();
    assert!(planned_week == this || planned_week == next, "{focus}");
    let blocks = focus["blocks"].as_array().unwrap();
    let planned: i64 = blocks.iter().map(|b| b["minutes"].as_i64().unwrap()).sum();
    assert_eq!(planned, focus["planned_minutes"].as_i64().unwrap());
    assert!(planned > 0, "no focus planned: {focus}");
    for b in blocks {
        assert!(
            b["date"].as_str().unwrap() >= from.to_string().as_str(),
            "{b}"
        );
    }
    assert!(week["weeks"][0]["signals"]["meeting_hours"].is_object());

    // The same blocks as a calendar to import: the signed-in person's only.
    let ics = send(&h.app, request(GET, "/me/focus.ics", &s, &Payload::None)).await;
    assert_eq!(ics.status, StatusCode::OK);
    assert!(ics.header("content-type").starts_with("text/calendar"));
    assert!(ics.header("content-disposition").contains("focus.ics"));
    assert!(ics.body.starts_with("BEGIN:VCALENDAR\r\n"));
    assert_eq!(ics.body.matches("BEGIN:VEVENT").count(), blocks.len());
    for b in blocks {
        let start = b["start_utc"].as_str().unwrap().replace(['-', ':'], "");
        assert!(ics.body.contains(&format!("DTSTART:{start}")), "{start}");
    }
    let admin = sign_in(&h.app, ADMIN, PASSWORD).await;
    let none = send(
        &h.app,
        request(GET, "/me/focus.ics", &admin, &Payload::None),
    )
    .await;
    assert_eq!(none.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn the_dashboard_overview_shows_the_teams_the_viewer_may_see() {
    let h = harness().await;
    let fx = fixture();
    let overview = |body: &str| -> Option<String> {
        let i = body.find(r#"<section id="teams-overview">"#)?;
        let rest = &body[i..];
        Some(rest[..rest.find("</section>").unwrap()].to_owned())
    };
    let rows = |o: &str| -> Vec<String> {
        o.split(r#"<tr><th scope="row">"#)
            .skip(1)
            .map(|r| r[..r.find("</th>").unwrap()].to_owned())
            .collect()
    };
    // The administrator: every team, above the team selector.
    let s = sign_in(&h.app, ADMIN, PASSWORD).await;
    let page = send(&h.app, request(GET, "/dashboard", &s, &Payload::None)).await;
    let o = overview(&page.body).expect("an overview for the administrator");
    let all: Vec<String> = fx.snapshot.teams.iter().map(|t| t.name.clone()).collect();
    assert_eq!(rows(&o), all, "{o}");
    assert!(page.body.find("teams-overview") < page.body.find(r#"<select id="team""#));
    assert!(o.contains(r#"class="scale""#) && !o.contains("<script"));
    // A lead: their teams only, no other team named in it.
    let s = sign_in(&h.app, &h.lead.email, PASSWORD).await;
    let page = send(&h.app, request(GET, "/dashboard", &s, &Payload::None)).await;
    let o = overview(&page.body).expect("an overview for a lead of two teams");
    assert_eq!(rows(&o), ["platform", "search"], "{o}");
    assert!(!o.contains("payments"));
    // A member sees one team: no overview of several.
    let s = sign_in(&h.app, &h.member.email, PASSWORD).await;
    let page = send(&h.app, request(GET, "/dashboard", &s, &Payload::None)).await;
    assert!(overview(&page.body).is_none());
}

#[tokio::test]
async fn htmx_gets_only_the_report_part() {
    let h = harness().await;
    let s = sign_in(&h.app, &h.lead.email, PASSWORD).await;
    let mut req = request(GET, "/dashboard?team=search", &s, &Payload::None);
    req.headers_mut()
        .insert("hx-request", "true".parse().unwrap());
    let res = send(&h.app, req).await;
    assert_eq!(res.status, StatusCode::OK);
    assert!(
        res.body.trim_start().starts_with("<div id=\"report\""),
        "{}",
        &res.body[..100]
    );
    assert!(res.body.contains("Team search") && !res.body.contains("<html"));
    assert_eq!(res.header("vary"), "HX-Request");
}

#[tokio::test]
async fn imports_run_the_hooks_and_errors_render_by_surface() {
    let h = harness().await;
    let s = sign_in(&h.app, ADMIN, PASSWORD).await;
    let res = send(
        &h.app,
        request(POST, "/admin/imports", &s, &Payload::Form(String::new())),
    )
    .await;
    assert_eq!(res.status, StatusCode::OK);
    assert!(
        res.body
            .contains("import 1: 0 files changed; dashboard recomputed"),
        "{}",
        res.body
    );
    // API errors are JSON, page errors HTML.
    let res = send(
        &h.app,
        request(GET, "/api/v1/users/42424242", &s, &Payload::None),
    )
    .await;
    assert_eq!(
        res.json(),
        json!({"error": {"code": "not_found", "message": "no user 42424242"}})
    );
    let res = send(&h.app, request(PATCH, "/dashboard", &s, &Payload::None)).await;
    assert_eq!(res.status, StatusCode::METHOD_NOT_ALLOWED);
    assert!(res.header("content-type").starts_with("text/html"));
    let res = send(
        &h.app,
        request(Method::PUT, "/api/v1/tokens", &s, &Payload::None),
    )
    .await;
    assert_eq!(res.status, StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(res.json()["error"]["code"], "method_not_allowed");
    // A store failure is an internal error: logged, shown only with its id.
    let t = token_for(&h.state, &h.member, "x").await;
    h.state.store.close().await;
    let res = send(&h.app, request(GET, "/api/v1/me", &t, &Payload::None)).await;
    assert_eq!(res.status, StatusCode::INTERNAL_SERVER_ERROR);
    let id = res.header("x-request-id").to_owned();
    assert_eq!(
        res.json(),
        json!({"error": {"code": "internal", "message": format!("internal error (request id {id})")}})
    );
}

#[tokio::test]
async fn openapi_document_is_valid_json_with_strict_bodies() {
    let h = harness().await;
    let res = send(
        &h.app,
        request(GET, "/openapi.json", &As::Anonymous, &Payload::None),
    )
    .await;
    assert_eq!(res.header("content-type"), "application/json");
    let doc = res.json();
    assert_eq!(doc["openapi"], "3.0.3");
    for name in [
        "NewUser",
        "UserPatch",
        "NewToken",
        "NewAsk",
        "AskAnswer",
        "AskWithdraw",
        "NewDecision",
        "DecisionStance",
        "DecisionClose",
        "DecisionWithdraw",
        "NewMeeting",
        "MeetingPatch",
        "NewIncident",
        "IncidentResolve",
        "IncidentReview",
        "WriteUpdate",
        "NewPulse",
    ] {
        assert_eq!(
            doc["components"]["schemas"][name]["additionalProperties"], false,
            "{name}"
        );
    }
    assert_eq!(
        doc["components"]["schemas"]["NewUser"]["properties"]["email"]["format"],
        "email"
    );
    // Every $ref resolves.
    let text = doc.to_string();
    for part in text.split("\"$ref\":\"#/").skip(1) {
        let pointer = format!("/{}", part.split('"').next().unwrap());
        assert!(doc.pointer(&pointer).is_some(), "{pointer}");
    }
    let health = send(
        &h.app,
        request(GET, "/healthz", &As::Anonymous, &Payload::None),
    )
    .await;
    assert_eq!(health.json(), json!({"status": "ok"}));
}

/// A log sink for one test thread.
#[derive(Clone, Default)]
struct Captured(std::sync::Arc<std::sync::Mutex<Vec<u8>>>);

impl std::io::Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test]
async fn one_log_line_per_request_without_secrets() {
    let h = harness().await;
    let sink = Captured::default();
    let writer = sink.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_writer(move || writer.clone())
        .with_ansi(false)
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);
    let s = sign_in(&h.app, &h.member.email, PASSWORD).await;
    let t = token_for(&h.state, &h.member, "log").await;
    send(
        &h.app,
        request(GET, "/dashboard?team=payments", &s, &Payload::None),
    )
    .await;
    send(&h.app, request(GET, "/api/v1/me", &t, &Payload::None)).await;
    // A calendar feed: its token is its only credential.
    let feed = send(&h.app, request(POST, "/api/v1/me/feed", &t, &Payload::None))
        .await
        .json();
    let feed_url = feed["url"].as_str().unwrap().to_owned();
    let feed_token = feed_url.split('/').nth(2).unwrap().to_owned();
    let got = send(
        &h.app,
        request(GET, &feed_url, &As::Anonymous, &Payload::None),
    )
    .await;
    assert_eq!(got.status, StatusCode::OK);
    let log = String::from_utf8(sink.0.lock().unwrap().clone()).unwrap();
    let lines: Vec<&str> = log
        .lines()
        .filter(|l| l.contains(" request ") || l.ends_with(" request"))
        .collect();
    // GET /signin, POST /signin, GET /api/v1/me (CSRF), the dashboard,
    // /api/v1/me, POST /api/v1/me/feed, the feed.
    assert_eq!(lines.len(), 7, "{log}");
    assert!(
        lines
            .iter()
            .any(|l| l.contains("path=/feeds/-/deadlines.ics")),
        "{log}"
    );
    let dash = lines
        .iter()
        .find(|l| l.contains("path=/dashboard"))
        .unwrap();
    for field in ["method=GET", "status=200", "latency_ms=", "request_id="] {
        assert!(dash.contains(field), "{dash}");
    }
    assert!(!log.contains("team=payments"), "the query is logged: {log}");
    let As::Session { cookie, csrf } = &s else {
        unreachable!()
    };
    let As::Token(token) = &t else { unreachable!() };
    for secret in [
        PASSWORD,
        cookie.as_str(),
        csrf.as_str(),
        token.as_str(),
        feed_token.as_str(),
        &urlencode(PASSWORD),
    ] {
        assert!(!log.contains(secret), "a secret is in the log: {log}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_token_cannot_mint_tokens_and_a_session_can() {
    let h = harness().await;
    let token = token_for(&h.state, &h.member, "script").await;
    let res = send(
        &h.app,
        request(
            POST,
            "/api/v1/tokens",
            &token,
            &Payload::Json(json!({"name": "offspring"})),
        ),
    )
    .await;
    assert_eq!(res.status, StatusCode::FORBIDDEN, "{}", res.body);
    assert!(res.body.contains("cannot create tokens"), "{}", res.body);
    let session = sign_in(&h.app, &h.member.email, PASSWORD).await;
    let empty = send(
        &h.app,
        request(
            POST,
            "/api/v1/tokens",
            &session,
            &Payload::Json(json!({"name": ""})),
        ),
    )
    .await;
    assert_eq!(
        empty.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        empty.body
    );
    assert!(empty.body.contains("token name"), "{}", empty.body);
    let made = send(
        &h.app,
        request(
            POST,
            "/api/v1/tokens",
            &session,
            &Payload::Json(json!({"name": "ok"})),
        ),
    )
    .await;
    assert_eq!(made.status, StatusCode::CREATED, "{}", made.body);
}

/// The status `/api/v1/me` gives `who`.
async fn me_status(h: &Harness, who: &As) -> StatusCode {
    send(&h.app, request(GET, "/api/v1/me", who, &Payload::None))
        .await
        .status
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_password_reset_or_role_change_ends_sessions_and_tokens() {
    let h = harness().await;
    let admin = sign_in(&h.app, ADMIN, PASSWORD).await;
    let member_session = sign_in(&h.app, &h.member.email, PASSWORD).await;
    let member_token = token_for(&h.state, &h.member, "script").await;
    let lead_session = sign_in(&h.app, &h.lead.email, PASSWORD).await;
    let lead_token = token_for(&h.state, &h.lead, "script").await;
    for who in [&member_session, &member_token, &lead_session, &lead_token] {
        assert_eq!(me_status(&h, who).await, StatusCode::OK);
    }
    // Teams only: access stays.
    let teams = send(
        &h.app,
        request(
            PATCH,
            &format!("/api/v1/users/{}", h.lead.id),
            &admin,
            &Payload::Json(json!({"teams": ["search", "payments"]})),
        ),
    )
    .await;
    assert_eq!(teams.status, StatusCode::OK, "{}", teams.body);
    assert_eq!(me_status(&h, &lead_session).await, StatusCode::OK);
    assert_eq!(me_status(&h, &lead_token).await, StatusCode::OK);
    // A new password for the member: their session and token end.
    let reset = send(
        &h.app,
        request(
            PATCH,
            &format!("/api/v1/users/{}", h.member.id),
            &admin,
            &Payload::Json(json!({"password": "a brand new password"})),
        ),
    )
    .await;
    assert_eq!(reset.status, StatusCode::OK, "{}", reset.body);
    assert_eq!(
        me_status(&h, &member_session).await,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(me_status(&h, &member_token).await, StatusCode::UNAUTHORIZED);
    // Another role for the lead: theirs end too.
    let demote = send(
        &h.app,
        request(
            PATCH,
            &format!("/api/v1/users/{}", h.lead.id),
            &admin,
            &Payload::Json(json!({"role": "member"})),
        ),
    )
    .await;
    assert_eq!(demote.status, StatusCode::OK, "{}", demote.body);
    assert_eq!(me_status(&h, &lead_session).await, StatusCode::UNAUTHORIZED);
    assert_eq!(me_status(&h, &lead_token).await, StatusCode::UNAUTHORIZED);
    // The administrator who made the changes is still signed in, and the
    // member signs in with the new password.
    assert_eq!(me_status(&h, &admin).await, StatusCode::OK);
    let again = sign_in(&h.app, &h.member.email, "a brand new password").await;
    assert_eq!(me_status(&h, &again).await, StatusCode::OK);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_bearer_scheme_is_case_insensitive() {
    let h = harness().await;
    let As::Token(token) = token_for(&h.state, &h.member, "script").await else {
        unreachable!()
    };
    for scheme in ["Bearer", "bearer", "BEARER", "bEaReR"] {
        let res = send(
            &h.app,
            Request::get("/api/v1/me")
                .header(header::AUTHORIZATION, format!("{scheme} {token}"))
                .body(Body::empty())
                .unwrap(),
        )
        .await;
        assert_eq!(res.status, StatusCode::OK, "{scheme}: {}", res.body);
    }
    let basic = send(
        &h.app,
        Request::get("/api/v1/me")
            .header(header::AUTHORIZATION, format!("Basic {token}"))
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(basic.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sign_in_csrf_pair_the_client_chose_is_refused() {
    let h = harness().await;
    let forged = "0123456789abcdef0123456789abcdef.feedface";
    for value in ["attacker-chosen", forged] {
        let res = send(
            &h.app,
            Request::post("/signin")
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .header(header::COOKIE, format!("fulcrum_signin={value}"))
                .body(Body::from(format!(
                    "email={}&password={}&csrf={value}",
                    urlencode(ADMIN),
                    urlencode(PASSWORD)
                )))
                .unwrap(),
        )
        .await;
        assert_eq!(res.status, StatusCode::FORBIDDEN, "{value}: {}", res.body);
        assert!(res.cookie("fulcrum_session").is_none());
    }
    // The server's own pair still works.
    let ok = sign_in(&h.app, ADMIN, PASSWORD).await;
    assert_eq!(me_status(&h, &ok).await, StatusCode::OK);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn readiness_checks_the_store_and_liveness_does_not() {
    let h = harness().await;
    let get = |path: &str| Request::get(path).body(Body::empty()).unwrap();
    let ready = send(&h.app, get("/readyz")).await;
    assert_eq!(ready.status, StatusCode::OK, "{}", ready.body);
    assert_eq!(ready.json()["status"], "ready");
    h.state.store.close().await;
    let down = send(&h.app, get("/readyz")).await;
    assert_eq!(
        down.status,
        StatusCode::SERVICE_UNAVAILABLE,
        "{}",
        down.body
    );
    assert_eq!(down.json()["status"], "unavailable");
    let live = send(&h.app, get("/healthz")).await;
    assert_eq!(live.status, StatusCode::OK);
}
