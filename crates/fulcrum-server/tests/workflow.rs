//! The async workflow end to end, in-process over a real store (SQLite, and
//! PostgreSQL for the two stories of writing and deciding): a
//! member writes an ask to a teammate through the form (coached first), the
//! teammate answers it through theirs, a stale answer is refused; the JSON
//! API names each bad field; another team's asks are unreachable and
//! invisible; a lead opens a proposal, two members take stances, the lead
//! closes it with an outcome; a member opens an incident, resolves it, sees
//! its review overdue once its due time has passed, and writes the review;
//! the team's "what waits on whom" page and each member's "what waits on
//! you" list the open objects in order, to their team only; a member
//! writes their weekly update with a blocker, which leads the round and
//! shows as a blocker on the team's page, teammates without one show
//! missing past their own morning, a stale edit is refused, and another
//! team reaches none of it.

#![allow(clippy::unwrap_used)]

mod common;

use axum::http::{Method, StatusCode};
use common::*;
use fulcrum_server::auth;
use fulcrum_store::{NewUser, Role, Storage};
use serde_json::json;

const GET: Method = Method::GET;
const POST: Method = Method::POST;

fn form(s: &str) -> Payload {
    Payload::Form(s.to_owned())
}

/// The `n`-th person of `team` on the people list.
fn nth_of(team: &str, n: usize) -> (String, String) {
    let p = fixture()
        .people
        .iter()
        .filter(|p| p.2 == team)
        .nth(n)
        .unwrap();
    (p.0.clone(), p.1.clone())
}

/// An account for a person of the people list, signed in.
async fn teammate(h: &Harness, email: &str) -> As {
    h.state
        .store
        .create_user(NewUser {
            email: email.to_owned(),
            role: Role::Member,
            teams: vec![],
            password_hash: Some(auth::hash_password(PASSWORD).unwrap()),
            now: chrono::Utc::now(),
        })
        .await
        .unwrap();
    sign_in(&h.app, email, PASSWORD).await
}

/// The id in a `Location: /asks/{id}`.
fn ask_id(location: &str) -> i64 {
    location.strip_prefix("/asks/").unwrap().parse().unwrap()
}

#[tokio::test]
async fn a_member_asks_a_teammate_who_answers() {
    ask_story(harness().await).await;
}

#[tokio::test]
async fn a_member_asks_a_teammate_who_answers_on_postgres() {
    let config = fulcrum_server::ServerConfig {
        secure_cookies: false,
        ..fulcrum_server::ServerConfig::default()
    };
    ask_story(harness_on(Backend::Postgres, config, None).await).await;
}

async fn ask_story(h: Harness) {
    let app = &h.app;
    let member = sign_in(app, &h.member.email, PASSWORD).await;
    let (bo, _) = nth_of("payments", 1);
    let to = urlencode(&bo);

    // The form lists the teammates, not the writer, and no other team.
    let page = send(app, request(GET, "/asks/new", &member, &Payload::None)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains(&format!("value=\"{bo}\"")));
    assert!(!page.body.contains(&format!("value=\"{}\"", h.member.email)));
    assert!(!page.body.contains(&nth_of("search", 0).0));

    // Context missing: coached, not sent.
    let thin =
        format!("team=payments&to={to}&needed=Retry+or+queue%3F&sla=normal&respond_in=the+doc");
    let res = send(app, request(POST, "/asks", &member, &form(&thin))).await;
    assert_eq!(res.status, StatusCode::OK);
    assert!(res.body.contains("this ask lacks"), "{}", res.body);
    assert!(res.body.contains("no context"));
    assert!(!res.body.contains("no answer-by time"));
    assert!(res.body.contains("name=\"send_anyway\""));
    assert!(res.body.contains("Retry or queue?"), "what was typed stays");
    let listed = h
        .state
        .store
        .export_workflow(Some("payments".into()))
        .await
        .unwrap();
    assert!(listed.is_empty(), "coaching sends nothing");

    // A field that breaks a rule: 422, the form again, the field named.
    let bad = format!("team=payments&to={to}&needed=x&sla=normal&deadline=2027-01-04T10%3A00");
    let res = send(app, request(POST, "/asks", &member, &form(&bad))).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        res.body.contains(
            "href=\"#ask-deadline\">deadline</a>: give an SLA class or a deadline, not both"
        ),
        "{}",
        res.body
    );

    // Sent as it is.
    let res = send(
        app,
        request(
            POST,
            "/asks",
            &member,
            &form(&format!("{thin}&send_anyway=1")),
        ),
    )
    .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let id = ask_id(res.header("location"));
    let api = send(
        app,
        request(GET, &format!("/api/v1/asks/{id}"), &member, &Payload::None),
    )
    .await
    .json();
    assert_eq!(api["to"], bo.as_str());
    assert_eq!(api["state"], "open");
    assert_eq!(api["version"], 1);
    assert_eq!(api["sla"], "normal");
    assert_eq!(api["overdue"], false);
    assert_eq!(api["coaching"][0]["field"], "context");
    let due = chrono::DateTime::parse_from_rfc3339(api["due"].as_str().unwrap()).unwrap();
    // 24 business hours are at least three calendar days away.
    assert!(due.with_timezone(&chrono::Utc) - chrono::Utc::now() > chrono::Duration::hours(48));

    // The writer sees it without an answer form; it waits on Bo.
    let view = send(
        app,
        request(GET, &format!("/asks/{id}"), &member, &Payload::None),
    )
    .await;
    assert!(view.body.contains("Withdraw this ask"));
    assert!(!view.body.contains("Your answer"));
    let bo_session = teammate(&h, &bo).await;
    let mine = send(
        app,
        request(GET, "/asks?mine=1", &bo_session, &Payload::None),
    )
    .await;
    assert!(mine.body.contains(&format!("href=\"/asks/{id}\"")));
    let members_own = send(app, request(GET, "/asks?mine=1", &member, &Payload::None)).await;
    assert!(!members_own.body.contains(&format!("href=\"/asks/{id}\"")));

    // Bo answers from the page's version.
    let view = send(
        app,
        request(GET, &format!("/asks/{id}"), &bo_session, &Payload::None),
    )
    .await;
    assert!(view.body.contains("Your answer"));
    assert!(view.body.contains("name=\"version\" value=\"1\""));
    let res = send(
        app,
        request(
            POST,
            &format!("/asks/{id}/answer"),
            &bo_session,
            &form("version=1&answer=The+queue%2C+from+Monday."),
        ),
    )
    .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let view = send(
        app,
        request(GET, &format!("/asks/{id}"), &member, &Payload::None),
    )
    .await;
    assert!(view.body.contains("The queue, from Monday."));
    assert!(view.body.contains("<strong>answered</strong>"));
    assert!(!view.body.contains("Withdraw this ask"));

    // A second answer made from the old version: refused, the first kept.
    let res = send(
        app,
        request(
            POST,
            &format!("/asks/{id}/answer"),
            &bo_session,
            &form("version=1&answer=Actually+retry."),
        ),
    )
    .await;
    assert_eq!(res.status, StatusCode::CONFLICT);
    let api = send(
        app,
        request(GET, &format!("/api/v1/asks/{id}"), &member, &Payload::None),
    )
    .await
    .json();
    assert_eq!(api["answer"]["text"], "The queue, from Monday.");
    assert_eq!(api["answer"]["by"], bo.as_str());
    assert_eq!(api["version"], 2);
    let answered = send(
        app,
        request(GET, "/asks?state=answered", &member, &Payload::None),
    )
    .await;
    assert!(answered.body.contains(&format!("href=\"/asks/{id}\"")));
    let open = send(
        app,
        request(GET, "/asks?state=open", &member, &Payload::None),
    )
    .await;
    assert!(!open.body.contains(&format!("href=\"/asks/{id}\"")));

    // Forms need the session's CSRF token.
    let As::Session { cookie, .. } = &member else {
        unreachable!()
    };
    let res = send(
        app,
        axum::http::Request::post("/asks")
            .header("cookie", format!("fulcrum_session={cookie}"))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(axum::body::Body::from(format!("{thin}&send_anyway=1")))
            .unwrap(),
    )
    .await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn the_api_names_each_bad_field_and_refuses_stale_changes() {
    let h = harness().await;
    let app = &h.app;
    let token = token_for(&h.state, &h.member, "asks").await;
    let post = |body: serde_json::Value| {
        request(
            POST,
            "/api/v1/teams/payments/asks",
            &token,
            &Payload::Json(body),
        )
    };
    let res = send(app, post(json!({"needed": "x", "sla": "someday"}))).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        res.json()["error"]["message"],
        "sla: \"someday\" is not an SLA class of the team's policy; use one of: normal, urgent"
    );
    let res = send(
        app,
        post(json!({"needed": "x", "to": nth_of("search", 0).0, "respond_in": "a\nb"})),
    )
    .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    let message = res.json()["error"]["message"].as_str().unwrap().to_owned();
    assert!(message.starts_with("to: "), "{message}");
    assert!(
        message.contains("; respond_in: must be one line"),
        "{message}"
    );
    let res = send(app, post(json!({"needed": "x".repeat(4001)}))).await;
    assert_eq!(
        res.json()["error"]["message"],
        "needed: 4001 characters; at most 4000 are allowed"
    );
    assert_eq!(
        send(app, post(json!({"needed": "x", "priority": 1})))
            .await
            .status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "unknown fields are refused"
    );

    // To the team, with a deadline: anyone of the team but its author answers.
    let res = send(
        app,
        post(json!({"needed": "Who takes the pager?", "deadline": "2099-01-05T09:00:00Z"})),
    )
    .await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.body);
    let ask = res.json();
    let id = ask["id"].as_i64().unwrap();
    assert_eq!(res.header("location"), format!("/api/v1/asks/{id}"));
    assert_eq!(ask["to"], serde_json::Value::Null);
    assert_eq!(ask["due"], "2099-01-05T09:00:00Z");
    assert_eq!(ask["deadline"], "2099-01-05T09:00:00Z");
    let answer = |who: &As, version: i64, text: &str| {
        request(
            POST,
            &format!("/api/v1/asks/{id}/answer"),
            who,
            &Payload::Json(json!({"version": version, "text": text})),
        )
    };
    assert_eq!(
        send(app, answer(&token, 1, "me")).await.status,
        StatusCode::FORBIDDEN,
        "not its author"
    );
    let other = teammate(&h, &nth_of("payments", 2).0).await;
    assert_eq!(
        send(app, answer(&other, 1, "  ")).await.status,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    assert_eq!(
        send(app, answer(&other, 1, "I do.")).await.status,
        StatusCode::OK
    );
    let res = send(app, answer(&other, 1, "I do, again.")).await;
    assert_eq!(res.status, StatusCode::CONFLICT);
    assert_eq!(
        res.json()["error"]["message"],
        format!("ask {id} was changed by someone else (now version 2); reload it and try again")
    );
    let res = send(app, answer(&other, 2, "I do, again.")).await;
    assert_eq!(res.status, StatusCode::CONFLICT);
    assert_eq!(
        res.json()["error"]["message"],
        "the ask is answered; only an open ask can be answered"
    );
    let export = send(
        app,
        request(
            GET,
            "/api/v1/teams/payments/workflow",
            &token,
            &Payload::None,
        ),
    )
    .await
    .json();
    assert_eq!(export["objects"].as_array().unwrap().len(), 1);
    assert_eq!(export["objects"][0]["kind"], "ask");
    assert_eq!(export["objects"][0]["answer"]["text"], "I do.");
}

/// A member reaches nothing of another team's asks: not by id (404, as for
/// an id that does not exist), not in any list or export, not through a
/// change.
#[tokio::test]
async fn another_teams_asks_are_unreachable_and_invisible() {
    let h = harness().await;
    let app = &h.app;
    let lead = token_for(&h.state, &h.lead, "lead").await;
    let secret = "Confidential: the search reorg plan";
    let (searcher, searcher_name) = nth_of("search", 1);
    let res = send(
        app,
        request(
            POST,
            "/api/v1/teams/search/asks",
            &lead,
            &Payload::Json(json!({"needed": secret, "to": searcher, "sla": "urgent"})),
        ),
    )
    .await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.body);
    let id = res.json()["id"].as_i64().unwrap();
    // One of the member's own team, so that the lists are not empty.
    let member_token = token_for(&h.state, &h.member, "m").await;
    let own = send(
        app,
        request(
            POST,
            "/api/v1/teams/payments/asks",
            &member_token,
            &Payload::Json(json!({"needed": "Who reviews the refunds PR?"})),
        ),
    )
    .await;
    assert_eq!(own.status, StatusCode::CREATED);

    let session = sign_in(app, &h.member.email, PASSWORD).await;
    for path in [
        "/asks",
        "/asks?state=open",
        "/asks?mine=1",
        "/asks/new",
        "/api/v1/teams/payments/asks",
        "/api/v1/teams/payments/asks?mine=true",
        "/api/v1/teams/payments/workflow",
    ] {
        for who in [&session, &member_token] {
            if matches!(who, As::Token(_)) && !path.starts_with("/api/") {
                continue;
            }
            let res = send(app, request(GET, path, who, &Payload::None)).await;
            assert_eq!(res.status, StatusCode::OK, "{path}");
            for hidden in [
                secret,
                searcher.as_str(),
                searcher_name.as_str(),
                h.lead.email.as_str(),
            ] {
                assert!(!res.body.contains(hidden), "{path} shows {hidden}");
            }
        }
    }
    let lists = send(app, request(GET, "/asks", &session, &Payload::None)).await;
    assert!(lists.body.contains("Who reviews the refunds PR?"));
    for (method, path, payload) in [
        (GET, format!("/asks/{id}"), Payload::None),
        (GET, format!("/api/v1/asks/{id}"), Payload::None),
        (
            POST,
            format!("/asks/{id}/answer"),
            form("version=1&answer=x"),
        ),
        (POST, format!("/asks/{id}/withdraw"), form("version=1")),
        (
            POST,
            format!("/api/v1/asks/{id}/answer"),
            Payload::Json(json!({"version": 1, "text": "x"})),
        ),
        (
            POST,
            format!("/api/v1/asks/{id}/withdraw"),
            Payload::Json(json!({"version": 1})),
        ),
    ] {
        let who = if path.starts_with("/api/") {
            &member_token
        } else {
            &session
        };
        let res = send(app, request(method.clone(), &path, who, &payload)).await;
        assert_eq!(res.status, StatusCode::NOT_FOUND, "{method} {path}");
        assert!(!res.body.contains(secret));
    }
    // Untouched.
    let stored = h.state.store.workflow_item(id).await.unwrap().unwrap();
    assert_eq!(stored.version, 1);
}

#[tokio::test]
async fn a_lead_opens_a_proposal_two_members_take_stances_the_lead_closes_it() {
    decision_story(harness().await).await;
}

#[tokio::test]
async fn a_lead_opens_a_proposal_two_members_take_stances_the_lead_closes_it_on_postgres() {
    let config = fulcrum_server::ServerConfig {
        secure_cookies: false,
        ..fulcrum_server::ServerConfig::default()
    };
    decision_story(harness_on(Backend::Postgres, config, None).await).await;
}

async fn decision_story(h: Harness) {
    let app = &h.app;
    let lead = sign_in(app, &h.lead.email, PASSWORD).await;
    // Search, the team the lead leads: a type of the default policy, no
    // closing time typed: the router's deadline for it.
    let res = send(
        app,
        request(
            POST,
            "/decisions",
            &lead,
            &form("team=search&title=Pick+the+search+vendor&context=Options%3A+A%2C+B.&decision_type=vendor-choice"),
        ),
    )
    .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let id: i64 = res
        .header("location")
        .strip_prefix("/decisions/")
        .unwrap()
        .parse()
        .unwrap();
    let api = |who: &As| request(GET, &format!("/api/v1/decisions/{id}"), who, &Payload::None);
    let d = send(app, api(&lead)).await.json();
    assert_eq!(d["who_decides"], "the budget owner");
    assert_eq!(d["state"], "open");
    let opened = chrono::DateTime::parse_from_rfc3339(d["opened_at"].as_str().unwrap()).unwrap();
    let closes = chrono::DateTime::parse_from_rfc3339(d["closes_at"].as_str().unwrap()).unwrap();
    // 24 business hours: at least three calendar days.
    assert!(
        closes - opened >= chrono::Duration::hours(48),
        "{opened} {closes}"
    );

    let (a, _) = nth_of("search", 1);
    let (b, _) = nth_of("search", 2);
    let a_session = teammate(&h, &a).await;
    let b_session = teammate(&h, &b).await;
    let stance =
        |who: &As, body: &str| request(POST, &format!("/decisions/{id}/stance"), who, &form(body));
    assert_eq!(
        send(
            app,
            stance(&a_session, "version=1&position=agree&reason=Cheaper.")
        )
        .await
        .status,
        StatusCode::SEE_OTHER
    );
    let res = send(app, stance(&b_session, "version=2&position=block")).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        res.body.contains("reason: a block needs a reason"),
        "{}",
        res.body
    );
    let res = send(app, stance(&b_session, "version=2&position=veto&reason=x")).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        send(
            app,
            stance(
                &b_session,
                "version=2&position=block&reason=No+budget+until+March."
            )
        )
        .await
        .status,
        StatusCode::SEE_OTHER
    );
    // A member may not close it; the lead closes it from the page's version.
    let close =
        |who: &As, body: &str| request(POST, &format!("/decisions/{id}/close"), who, &form(body));
    assert_eq!(
        send(app, close(&a_session, "version=3&outcome=Vendor+A."))
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    let page = send(
        app,
        request(GET, &format!("/decisions/{id}"), &lead, &Payload::None),
    )
    .await;
    assert!(page.body.contains("name=\"version\" value=\"3\""));
    assert!(
        page.body
            .contains("1 agree, 0 abstain, 0 disagree, 1 block")
    );
    assert!(page.body.contains("No budget until March."));
    assert!(page.body.contains("Close with this outcome"));
    assert_eq!(
        send(
            app,
            close(
                &lead,
                "version=3&outcome=Vendor+A%2C+from+April.&review_on=2099-06-01"
            )
        )
        .await
        .status,
        StatusCode::SEE_OTHER
    );
    let d = send(app, api(&a_session)).await.json();
    assert_eq!(d["state"], "closed");
    assert_eq!(d["outcome"]["text"], "Vendor A, from April.");
    assert_eq!(d["outcome"]["review_on"], "2099-06-01");
    assert_eq!(d["outcome"]["by"], h.lead.email.as_str());
    assert_eq!(
        d["tally"],
        json!({"agree": 1, "abstain": 0, "disagree": 0, "block": 1})
    );
    assert_eq!(d["version"], 4);
    // Closed: no more stances.
    assert_eq!(
        send(app, stance(&a_session, "version=4&position=abstain"))
            .await
            .status,
        StatusCode::CONFLICT
    );
    let closed = send(
        app,
        request(
            GET,
            "/decisions?team=search&state=closed",
            &lead,
            &Payload::None,
        ),
    )
    .await;
    assert!(closed.body.contains(&format!("href=\"/decisions/{id}\"")));
    // The member of another team reaches none of it.
    let member = sign_in(app, &h.member.email, PASSWORD).await;
    assert_eq!(send(app, api(&member)).await.status, StatusCode::NOT_FOUND);
    let theirs = send(app, request(GET, "/decisions", &member, &Payload::None)).await;
    assert!(!theirs.body.contains("Pick the search vendor"));
    // The export holds it with its stances.
    let export = send(
        app,
        request(GET, "/api/v1/teams/search/workflow", &lead, &Payload::None),
    )
    .await
    .json();
    assert_eq!(export["objects"][0]["kind"], "decision");
    assert_eq!(export["objects"][0]["stances"].as_array().unwrap().len(), 2);
}

#[tokio::test]
async fn a_meeting_record_gets_its_checklist_summary_and_action_items() {
    let h = harness().await;
    let app = &h.app;
    let member = sign_in(app, &h.member.email, PASSWORD).await;
    // Held a week ago, 90 minutes against the 50 of the default timebox, no
    // agenda; one action item line is bad.
    let held = (chrono::Utc::now() - chrono::Duration::days(7))
        .format("%Y-%m-%dT%H:%M:%SZ")
        .to_string();
    let base = format!(
        "team=payments&title=Refunds+review&held_at={}&desired_outcome=Retry+or+queue&pre_read=the+doc&timebox_minutes=90&attendees=a%40x.io%0Ab%40x.io",
        urlencode(&held)
    );
    let res = send(
        app,
        request(
            POST,
            "/meetings",
            &member,
            &form(&format!(
                "{base}&action_items=Move+the+job+%7C+bo%40x.io+%7C+soon"
            )),
        ),
    )
    .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        res.body
            .contains("line 1: &#34;soon&#34; is not a date (YYYY-MM-DD)")
            || res
                .body
                .contains("line 1: &quot;soon&quot; is not a date (YYYY-MM-DD)"),
        "{}",
        res.body
    );
    let res = send(
        app,
        request(
            POST,
            "/meetings",
            &member,
            &form(&format!(
                "{base}&action_items=Move+the+job+%7C+bo%40x.io+%7C+2026-12-11"
            )),
        ),
    )
    .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let id: i64 = res
        .header("location")
        .strip_prefix("/meetings/")
        .unwrap()
        .parse()
        .unwrap();
    let token = token_for(&h.state, &h.member, "m").await;
    let api = |who: &As| request(GET, &format!("/api/v1/meetings/{id}"), who, &Payload::None);
    let m = send(app, api(&token)).await.json();
    let unmet: Vec<&str> = m["checklist"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["met"] == false)
        .map(|c| c["rule"].as_str().unwrap())
        .collect();
    assert_eq!(unmet, ["missing_agenda", "over_timebox"]);
    assert_eq!(m["summary_missing"], true, "a week old without a summary");
    assert_eq!(m["action_items"][0]["owner"], "bo@x.io");
    let list = send(app, request(GET, "/meetings", &member, &Payload::None)).await;
    assert!(list.body.contains("summary missing"));

    // The summary, from the page's version, with a decision of the team.
    let decision = send(
        app,
        request(
            POST,
            "/api/v1/teams/payments/decisions",
            &token,
            &Payload::Json(json!({"title": "Queue refunds", "closes_at": "2099-01-01T00:00:00Z"})),
        ),
    )
    .await
    .json()["id"]
        .as_i64()
        .unwrap();
    let lead = token_for(&h.state, &h.lead, "l").await;
    let elsewhere = send(
        app,
        request(
            POST,
            "/api/v1/teams/search/decisions",
            &lead,
            &Payload::Json(json!({"title": "Search vendor", "closes_at": "2099-01-01T00:00:00Z"})),
        ),
    )
    .await
    .json()["id"]
        .as_i64()
        .unwrap();
    let page = send(
        app,
        request(GET, &format!("/meetings/{id}"), &member, &Payload::None),
    )
    .await;
    assert!(page.body.contains("name=\"version\" value=\"1\""));
    assert!(page.body.contains("Move the job | bo@x.io | 2026-12-11"));
    let edit = |decisions: i64, version: i64| {
        form(&format!(
            "{base}&version={version}&summary=Queue+it+from+Monday.&decisions={decisions}&action_items=Move+the+job+%7C+bo%40x.io+%7C+2026-12-11+%7C+done"
        ))
    };
    let res = send(
        app,
        request(
            POST,
            &format!("/meetings/{id}"),
            &member,
            &edit(elsewhere, 1),
        ),
    )
    .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        res.body
            .contains(&format!("{elsewhere} is not a proposal of team payments"))
    );
    let res = send(
        app,
        request(
            POST,
            &format!("/meetings/{id}"),
            &member,
            &edit(decision, 1),
        ),
    )
    .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let m = send(app, api(&token)).await.json();
    assert_eq!(m["summary"], "Queue it from Monday.");
    assert_eq!(m["state"], "summarized");
    assert_eq!(m["summary_missing"], false);
    assert_eq!(m["decisions"], json!([decision]));
    assert_eq!(m["action_items"][0]["done"], true);
    assert_eq!(m["version"], 2);
    // The same edit from the old version: refused; by API, from the new one.
    assert_eq!(
        send(
            app,
            request(
                POST,
                &format!("/meetings/{id}"),
                &member,
                &edit(decision, 1)
            )
        )
        .await
        .status,
        StatusCode::CONFLICT
    );
    let patch = |version: i64| {
        request(
            Method::PATCH,
            &format!("/api/v1/meetings/{id}"),
            &token,
            &Payload::Json(json!({"version": version, "agenda": "1. Failures\n2. Options"})),
        )
    };
    assert_eq!(send(app, patch(1)).await.status, StatusCode::CONFLICT);
    let m = send(app, patch(2)).await.json();
    assert_eq!(m["agenda"], "1. Failures\n2. Options");
    assert_eq!(
        m["summary"], "Queue it from Monday.",
        "fields not given stay"
    );
    let view = send(
        app,
        request(GET, &format!("/meetings/{id}"), &member, &Payload::None),
    )
    .await;
    assert!(
        view.body
            .contains(&format!("href=\"/decisions/{decision}\""))
    );
    // Another team's member reaches none of it.
    assert_eq!(send(app, api(&lead)).await.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn an_incident_is_opened_resolved_shown_review_overdue_then_reviewed() {
    incident_story(harness().await).await;
}

#[tokio::test]
async fn an_incident_is_opened_resolved_shown_review_overdue_then_reviewed_on_postgres() {
    let config = fulcrum_server::ServerConfig {
        secure_cookies: false,
        ..fulcrum_server::ServerConfig::default()
    };
    incident_story(harness_on(Backend::Postgres, config, None).await).await;
}

async fn incident_story(h: Harness) {
    use chrono::TimeZone;
    use fulcrum_store::WorkflowItem;
    let app = &h.app;
    let member = sign_in(app, &h.member.email, PASSWORD).await;
    // A severity outside the fixed set is named with the allowed ones.
    let res = send(
        app,
        request(
            POST,
            "/incidents",
            &member,
            &form("team=payments&title=Refunds+fail&severity=critical"),
        ),
    )
    .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        res.body
            .contains("is not a severity; use one of: sev1, sev2, sev3"),
        "{}",
        res.body
    );
    let res = send(
        app,
        request(
            POST,
            "/incidents",
            &member,
            &form("team=payments&title=Refunds+fail&severity=sev1&description=Huddle+now"),
        ),
    )
    .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let id: i64 = res
        .header("location")
        .strip_prefix("/incidents/")
        .unwrap()
        .parse()
        .unwrap();
    let token = token_for(&h.state, &h.member, "i").await;
    let api = |who: &As| request(GET, &format!("/api/v1/incidents/{id}"), who, &Payload::None);
    let i = send(app, api(&token)).await.json();
    assert_eq!(
        (
            &i["state"],
            &i["severity"],
            &i["review_due"],
            &i["review_overdue"]
        ),
        (&json!("open"), &json!("sev1"), &json!(null), &json!(false))
    );

    // Resolved through the page, from the version it shows.
    let page = send(
        app,
        request(GET, &format!("/incidents/{id}"), &member, &Payload::None),
    )
    .await;
    assert!(page.body.contains("name=\"version\" value=\"1\""));
    assert!(page.body.contains("Mark as resolved"));
    let res = send(
        app,
        request(
            POST,
            &format!("/incidents/{id}/resolve"),
            &member,
            &form("version=1"),
        ),
    )
    .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let i = send(app, api(&token)).await.json();
    assert_eq!(i["state"], "resolved");
    assert_eq!(i["resolved"]["by"], h.member.email.as_str());
    assert_eq!(i["review_overdue"], false, "just resolved: due in 5 days");

    // Resolved on Friday 27 November 2020 at 16:00 UTC instead: on the
    // team's Mon-Fri 09:00-17:00 UTC clock, 5 business days of 8 h are 1 h
    // that Friday, 8 h Monday to Thursday, and 7 h on Friday 4 December:
    // due then at 16:00, long past.
    let stored = h.state.store.workflow_item(id).await.unwrap().unwrap();
    let WorkflowItem::Incident(mut backdated) = stored.item else {
        panic!("not an incident")
    };
    backdated.opened_at = chrono::Utc
        .with_ymd_and_hms(2020, 11, 27, 10, 0, 0)
        .unwrap();
    backdated.resolved.as_mut().unwrap().at = chrono::Utc
        .with_ymd_and_hms(2020, 11, 27, 16, 0, 0)
        .unwrap();
    h.state
        .store
        .update_workflow_item(
            id,
            stored.version,
            WorkflowItem::Incident(backdated),
            chrono::Utc::now(),
        )
        .await
        .unwrap()
        .unwrap();
    let i = send(app, api(&token)).await.json();
    assert_eq!(i["review_due"], "2020-12-04T16:00:00Z");
    assert_eq!(i["review_overdue"], true);
    assert_eq!(i["version"], 3);
    let list = send(
        app,
        request(GET, "/incidents?state=resolved", &member, &Payload::None),
    )
    .await;
    assert!(list.body.contains("review overdue"), "{}", list.body);
    let view = send(
        app,
        request(GET, &format!("/incidents/{id}"), &member, &Payload::None),
    )
    .await;
    assert!(view.body.contains("review overdue"));
    assert!(view.body.contains("Save the review"));

    // The review by API: a blank part is named, an old version refused.
    let review = |version: i64, cause: &str| {
        request(
            POST,
            &format!("/api/v1/incidents/{id}/review"),
            &token,
            &Payload::Json(json!({
                "version": version,
                "timeline": "16:00 alerts\n16:40 certificate renewed",
                "cause": cause,
                "follow_ups": "Alert 30 days before expiry",
            })),
        )
    };
    let res = send(app, review(3, " ")).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.body.contains("cause"), "{}", res.body);
    assert_eq!(send(app, review(2, "x")).await.status, StatusCode::CONFLICT);
    let res = send(app, review(3, "An expired certificate")).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    let i = res.json();
    assert_eq!(i["state"], "reviewed");
    assert_eq!(i["review_overdue"], false, "reviewed: never overdue");
    assert_eq!(i["review"]["cause"], "An expired certificate");
    assert_eq!(i["review"]["by"], h.member.email.as_str());
    let list = send(app, request(GET, "/incidents", &member, &Payload::None)).await;
    assert!(!list.body.contains("review overdue"));
    let reviewed = send(
        app,
        request(GET, "/incidents?state=reviewed", &member, &Payload::None),
    )
    .await;
    assert!(reviewed.body.contains(&format!("href=\"/incidents/{id}\"")));

    // In the team's export; another team's lead reaches none of it.
    let export = send(
        app,
        request(
            GET,
            "/api/v1/teams/payments/workflow",
            &token,
            &Payload::None,
        ),
    )
    .await
    .json();
    assert!(
        export["objects"]
            .as_array()
            .unwrap()
            .iter()
            .any(|o| o["kind"] == "incident" && o["id"] == id)
    );
    let lead = token_for(&h.state, &h.lead, "l").await;
    assert_eq!(send(app, api(&lead)).await.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn the_team_page_and_each_home_show_what_waits_on_whom() {
    waits_story(harness().await).await;
}

#[tokio::test]
async fn the_team_page_and_each_home_show_what_waits_on_whom_on_postgres() {
    let config = fulcrum_server::ServerConfig {
        secure_cookies: false,
        ..fulcrum_server::ServerConfig::default()
    };
    waits_story(harness_on(Backend::Postgres, config, None).await).await;
}

/// The offset of `needle` in `page`, which must contain it.
fn at(page: &str, needle: &str) -> usize {
    page.find(needle)
        .unwrap_or_else(|| panic!("{needle:?} not in {page}"))
}

async fn waits_story(h: Harness) {
    use fulcrum_store::WorkflowItem;
    let app = &h.app;
    let member = sign_in(app, &h.member.email, PASSWORD).await;
    let (bo, _) = nth_of("payments", 1);
    let bo_session = teammate(&h, &bo).await;
    let (other, _) = nth_of("search", 1);
    let other_session = teammate(&h, &other).await;
    let now = chrono::Utc::now();

    // An ask from the member to Bo, made overdue (answer-by two days ago).
    let ask = |to: &str, needed: &str| {
        form(&format!(
            "team=payments&to={}&context=The+refund+job+failed+twice.&needed={needed}&sla=normal&respond_in=the+doc&send_anyway=1",
            urlencode(to)
        ))
    };
    let res = send(
        app,
        request(POST, "/asks", &member, &ask(&bo, "Retry+or+queue%3F")),
    )
    .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let to_bo = ask_id(res.header("location"));
    let stored = h.state.store.workflow_item(to_bo).await.unwrap().unwrap();
    let WorkflowItem::Ask(mut late) = stored.item else {
        panic!("not an ask")
    };
    late.due = Some(now - chrono::Duration::days(2));
    h.state
        .store
        .update_workflow_item(to_bo, stored.version, WorkflowItem::Ask(late), now)
        .await
        .unwrap()
        .unwrap();
    // An ask from Bo to the member, not yet due.
    let res = send(
        app,
        request(
            POST,
            "/asks",
            &bo_session,
            &ask(&h.member.email, "Ship+on+Friday%3F"),
        ),
    )
    .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);

    // A proposal by Bo that closes tomorrow.
    let res = send(
        app,
        request(
            POST,
            "/decisions",
            &bo_session,
            &form("team=payments&title=Drop+the+nightly+batch&context=Options%3A+keep%2C+drop.&decision_type=vendor-choice"),
        ),
    )
    .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let proposal: i64 = res
        .header("location")
        .strip_prefix("/decisions/")
        .unwrap()
        .parse()
        .unwrap();
    let stored = h
        .state
        .store
        .workflow_item(proposal)
        .await
        .unwrap()
        .unwrap();
    let WorkflowItem::Decision(mut soon) = stored.item else {
        panic!("not a proposal")
    };
    soon.closes_at = now + chrono::Duration::days(1);
    h.state
        .store
        .update_workflow_item(proposal, stored.version, WorkflowItem::Decision(soon), now)
        .await
        .unwrap()
        .unwrap();

    // A meeting held a week ago, no summary, one action item for the member.
    let held = (now - chrono::Duration::days(7))
        .format("%Y-%m-%dT%H:%M:%SZ")
        .to_string();
    let res = send(
        app,
        request(
            POST,
            "/meetings",
            &member,
            &form(&format!(
                "team=payments&title=Refunds+review&held_at={}&desired_outcome=Retry+or+queue&agenda=the+job&pre_read=the+doc&timebox_minutes=30&attendees=a%40x.io&action_items=Move+the+job+%7C+{}+%7C+2026-12-11",
                urlencode(&held),
                urlencode(&h.member.email)
            )),
        ),
    )
    .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);

    // The team page: each list labelled, the overdue ask first, then the
    // one not due; then the proposal, then the meeting.
    let page = send(app, request(GET, "/waits", &member, &Payload::None)).await;
    assert_eq!(page.status, StatusCode::OK);
    let body = &page.body;
    for label in [
        "Open asks",
        "Blockers from the latest updates",
        "Proposals closing soon",
        "Meetings missing a summary",
        "Incident reviews overdue",
    ] {
        assert!(body.contains(&format!(">{label}</h2>")), "{label}");
    }
    let overdue = at(body, "Retry or queue?");
    let later = at(body, "Ship on Friday?");
    let closing = at(body, "Drop the nightly batch");
    let summary = at(body, "Refunds review");
    assert!(overdue < later, "overdue ask first");
    assert!(later < closing && closing < summary, "sections in order");
    assert!(body[overdue..later].contains("overdue"));
    assert!(!body[later..closing].contains(">overdue<"));
    assert!(body[summary..].contains("summary missing"));
    assert!(body.contains(&format!("href=\"/asks/{to_bo}\"")));
    assert!(body.contains(&format!("href=\"/decisions/{proposal}\"")));
    // Its JSON twin: the same order, the derived late state, UTC times.
    let token = token_for(&h.state, &h.member, "waits").await;
    let w = send(
        app,
        request(GET, "/api/v1/teams/payments/waits", &token, &Payload::None),
    )
    .await
    .json();
    assert_eq!(w["asks"][0]["href"], format!("/asks/{to_bo}"));
    assert_eq!(w["asks"][0]["late"], "overdue");
    assert_eq!(w["asks"][0]["who"], bo.as_str());
    assert_eq!(w["asks"][1]["late"], serde_json::Value::Null);
    assert_eq!(w["proposals"][0]["href"], format!("/decisions/{proposal}"));
    assert_eq!(w["meetings"][0]["late"], "summary missing");
    let mine = send(
        app,
        request(GET, "/api/v1/me/waits", &token, &Payload::None),
    )
    .await
    .json();
    assert_eq!(mine["asks"].as_array().unwrap().len(), 1);
    assert_eq!(mine["asks"][0]["who"], h.member.email.as_str());
    assert_eq!(mine["actions"].as_array().unwrap().len(), 1);
    // The dashboard links to it.
    let dash = send(app, request(GET, "/dashboard", &member, &Payload::None)).await;
    assert!(dash.body.contains("href=\"/waits?team=payments\""));

    // The member's home: the ask to them, not the one to Bo; the proposal
    // they have taken no stance on; their action item.
    let me = send(app, request(GET, "/me", &member, &Payload::None)).await;
    assert_eq!(me.status, StatusCode::OK);
    assert!(me.body.contains("What waits on you"));
    assert!(me.body.contains("Ship on Friday?"), "{}", me.body);
    assert!(!me.body.contains("Retry or queue?"), "an ask to a teammate");
    assert!(me.body.contains("Drop the nightly batch"));
    assert!(me.body.contains("Move the job"));
    // Bo's home: the other way round, and no action item.
    let bos = send(app, request(GET, "/me", &bo_session, &Payload::None)).await;
    assert!(bos.body.contains("Retry or queue?"));
    assert!(!bos.body.contains("Ship on Friday?"));
    assert!(!bos.body.contains("Move the job"));
    // Once the member takes a stance, the proposal no longer waits on them.
    let res = send(
        app,
        request(
            POST,
            &format!("/decisions/{proposal}/stance"),
            &member,
            &form("version=2&position=agree&reason=Cheaper."),
        ),
    )
    .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let me = send(app, request(GET, "/me", &member, &Payload::None)).await;
    assert!(!me.body.contains("Drop the nightly batch"));

    // A member of another team sees none of it, and not the team's page.
    for path in ["/waits", "/me"] {
        let res = send(app, request(GET, path, &other_session, &Payload::None)).await;
        assert_eq!(res.status, StatusCode::OK, "{path}");
        for text in [
            "Retry or queue?",
            "Ship on Friday?",
            "Drop the nightly batch",
            "Refunds review",
            "Move the job",
        ] {
            assert!(!res.body.contains(text), "{path} shows {text}");
        }
    }
    let res = send(
        app,
        request(GET, "/waits?team=payments", &other_session, &Payload::None),
    )
    .await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
    let res = send(
        app,
        request(
            GET,
            "/api/v1/teams/payments/waits",
            &other_session,
            &Payload::None,
        ),
    )
    .await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn a_member_writes_a_weekly_update_with_a_blocker() {
    update_story(harness().await).await;
}

#[tokio::test]
async fn a_member_writes_a_weekly_update_with_a_blocker_on_postgres() {
    let config = fulcrum_server::ServerConfig {
        secure_cookies: false,
        ..fulcrum_server::ServerConfig::default()
    };
    update_story(harness_on(Backend::Postgres, config, None).await).await;
}

/// A person of `team` other than `not` whose row of the people list reads
/// `zone` and `hours`.
fn person_in(team: &str, not: &str, zone: &str, hours: &str) -> String {
    let csv = std::fs::read_to_string(fixture().root.join("people.csv")).unwrap();
    csv.lines()
        .map(|l| l.split(',').collect::<Vec<_>>())
        .find(|f| f.len() > 4 && f[2] == team && f[0] != not && f[3] == zone && f[4] == hours)
        .map(|f| f[0].to_owned())
        .unwrap_or_else(|| panic!("no one of {team} in {zone} working {hours}"))
}

async fn update_story(h: Harness) {
    let app = &h.app;
    let member = sign_in(app, &h.member.email, PASSWORD).await;
    let token = token_for(&h.state, &h.member, "updates").await;

    // Before anyone in the team has written an update, the team does not
    // keep the habit: nobody's home (nor digest, nor feed) reminds them.
    let mine = send(
        app,
        request(GET, "/api/v1/me/waits", &token, &Payload::None),
    )
    .await
    .json();
    assert_eq!(mine["update"], json!([]));

    // The form: one textarea per question of the template, labelled by it.
    let form_page = send(
        app,
        request(GET, "/updates/new?team=payments", &member, &Payload::None),
    )
    .await;
    assert_eq!(form_page.status, StatusCode::OK);
    for (i, q) in ["status", "blockers", "decisions"].iter().enumerate() {
        assert!(
            form_page
                .body
                .contains(&format!("<label for=\"u-{i}\">{q}</label>")),
            "{q}"
        );
        assert!(form_page.body.contains(&format!("name=\"answer.{q}\"")));
    }
    // An answer too long is named by its question, the form shown again
    // with what was typed.
    let long = "x".repeat(4001);
    let res = send(
        app,
        request(
            POST,
            "/updates",
            &member,
            &form(&format!(
                "team=payments&version=&answer.status=Typed+text&answer.blockers={long}"
            )),
        ),
    )
    .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        res.body
            .contains("4001 characters; at most 4000 are allowed"),
        "{}",
        res.body
    );
    assert!(res.body.contains(">Typed text</textarea>"));

    // Written with a blocker.
    let res = send(
        app,
        request(
            POST,
            "/updates",
            &member,
            &form("team=payments&version=&answer.status=Refund+retries+shipped.&answer.blockers=Waiting+on+the+bank+sandbox&answer.decisions="),
        ),
    )
    .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let id: i64 = res
        .header("location")
        .strip_prefix("/updates/")
        .unwrap()
        .parse()
        .unwrap();
    let view = send(
        app,
        request(GET, &format!("/updates/{id}"), &member, &Payload::None),
    )
    .await;
    assert!(view.body.contains("Refund retries shipped."));
    assert!(view.body.contains("blocked"));

    // It leads the current round, blockers first; every teammate follows.
    let (bo, _) = nth_of("payments", 1);
    let round = send(
        app,
        request(
            GET,
            "/api/v1/teams/payments/updates",
            &token,
            &Payload::None,
        ),
    )
    .await
    .json();
    let rows = round["round"].as_array().unwrap();
    assert_eq!(rows.len(), 5, "the five people of payments");
    assert_eq!(rows[0]["person"], h.member.email.as_str());
    assert_eq!(rows[0]["state"], "written");
    assert_eq!(rows[0]["update"]["id"], id);
    assert_eq!(rows[0]["update"]["has_blockers"], true);
    assert_eq!(rows[0]["update"]["period"], rows[0]["period"]);
    assert!(rows[1..].iter().all(|r| r["state"] != "written"));
    let page = send(
        app,
        request(GET, "/updates?team=payments", &member, &Payload::None),
    )
    .await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(at(&page.body, "Waiting on the bank sandbox") < at(&page.body, &bo));

    // The round of the week of Monday 2 March 2026, long past: nobody
    // wrote one. A teammate in New York working Mon-Fri 09:00-17:00 was
    // due that Monday at 09:00 New York time, still UTC-5 (daylight time
    // starts on 8 March): 14:00 UTC; past it and not written, missing.
    let ny = person_in(
        "payments",
        &h.member.email,
        "America/New_York",
        "Mon-Fri 09:00-17:00",
    );
    let before = send(
        app,
        request(
            GET,
            "/api/v1/teams/payments/updates?period=2026-03-04",
            &token,
            &Payload::None,
        ),
    )
    .await
    .json();
    // Once the member has written one, the team keeps the habit: the
    // teammate's home says their update of this period waits on them.
    // (The first teammate without an account but Bo, who signs in later,
    // gets one.)
    let csv = std::fs::read_to_string(fixture().root.join("people.csv")).unwrap();
    let mut account = None;
    for line in csv.lines().skip(1) {
        let f: Vec<&str> = line.split(',').collect();
        if f.len() < 3 || f[2] != "payments" || f[0] == h.member.email || f[0] == bo {
            continue;
        }
        if let Ok(user) = h
            .state
            .store
            .create_user(NewUser {
                email: f[0].to_owned(),
                role: Role::Member,
                teams: vec![],
                password_hash: None,
                now: chrono::Utc::now(),
            })
            .await
        {
            account = Some(user);
            break;
        }
    }
    let account = account.expect("a teammate without an account");
    let theirs_home = token_for(&h.state, &account, "home").await;
    let waits = send(
        app,
        request(GET, "/api/v1/me/waits", &theirs_home, &Payload::None),
    )
    .await
    .json();
    let what = waits["update"][0]["what"]
        .as_str()
        .unwrap_or_else(|| panic!("{waits}"));
    assert!(what.starts_with("Your update for the week of "), "{what}");
    assert_eq!(waits["update"][0]["href"], "/updates/new?team=payments");
    assert_eq!(before["period"], "2026-03-02", "a date names its week");
    let theirs = before["round"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["person"] == ny.as_str())
        .unwrap();
    assert_eq!(theirs["period"], "2026-03-02");
    assert_eq!(theirs["due"], "2026-03-02T14:00:00Z");
    assert_eq!(theirs["state"], "missing");
    assert_eq!(theirs["missing"], true);
    let page = send(
        app,
        request(
            GET,
            "/updates?team=payments&period=2026-03-02",
            &member,
            &Payload::None,
        ),
    )
    .await;
    assert!(page.body.contains(">missing</strong>"));
    assert!(
        !page.body.contains("Waiting on the bank"),
        "not that week's"
    );

    // A blocker on the team's "what waits on whom", linked, with its author.
    let waits = send(
        app,
        request(GET, "/waits?team=payments", &member, &Payload::None),
    )
    .await;
    let blockers = at(&waits.body, ">Blockers from the latest updates</h2>");
    let proposals = at(&waits.body, ">Proposals closing soon</h2>");
    let item = at(&waits.body, "Waiting on the bank sandbox");
    assert!(blockers < item && item < proposals);
    assert!(waits.body[blockers..proposals].contains(&format!("href=\"/updates/{id}\"")));
    let w = send(
        app,
        request(GET, "/api/v1/teams/payments/waits", &token, &Payload::None),
    )
    .await
    .json();
    assert_eq!(w["blockers"][0]["href"], format!("/updates/{id}"));
    assert_eq!(w["blockers"][0]["who"], h.member.email.as_str());
    assert_eq!(w["blockers"][0]["what"], "Waiting on the bank sandbox");
    // Written: nothing waits on the member's home for it any more.
    let mine = send(
        app,
        request(GET, "/api/v1/me/waits", &token, &Payload::None),
    )
    .await
    .json();
    assert_eq!(mine["update"], json!([]));

    // Edited from the version the form shows; the same version again is
    // stale.
    let form_page = send(
        app,
        request(GET, "/updates/new?team=payments", &member, &Payload::None),
    )
    .await;
    assert!(
        form_page.body.contains("name=\"version\" value=\"1\""),
        "{}",
        form_page.body
    );
    assert!(
        form_page
            .body
            .contains(">Refund retries shipped.</textarea>")
    );
    let edit = |version: &str, blockers: &str| {
        form(&format!(
            "team=payments&version={version}&answer.status=Refund+retries+shipped.&answer.blockers={blockers}"
        ))
    };
    let res = send(app, request(POST, "/updates", &member, &edit("1", ""))).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    assert_eq!(
        res.header("location"),
        format!("/updates/{id}"),
        "the same one"
    );
    let res = send(app, request(POST, "/updates", &member, &edit("1", "Again"))).await;
    assert_eq!(res.status, StatusCode::CONFLICT, "{}", res.body);
    let u = send(
        app,
        request(
            GET,
            &format!("/api/v1/updates/{id}"),
            &token,
            &Payload::None,
        ),
    )
    .await
    .json();
    assert_eq!(u["version"], 2);
    assert_eq!(u["has_blockers"], false, "the edit cleared the blocker");
    let w = send(
        app,
        request(GET, "/api/v1/teams/payments/waits", &token, &Payload::None),
    )
    .await
    .json();
    assert_eq!(w["blockers"], json!([]));

    // A member of another team: "not found" by id, page and API; their
    // own team's round does not show it.
    let (other, _) = nth_of("search", 1);
    let other_session = teammate(&h, &other).await;
    let res = send(
        app,
        request(
            GET,
            &format!("/updates/{id}"),
            &other_session,
            &Payload::None,
        ),
    )
    .await;
    assert_eq!(res.status, StatusCode::NOT_FOUND);
    let res = send(
        app,
        request(
            GET,
            &format!("/api/v1/updates/{id}"),
            &other_session,
            &Payload::None,
        ),
    )
    .await;
    assert_eq!(res.status, StatusCode::NOT_FOUND);
    let res = send(
        app,
        request(GET, "/updates", &other_session, &Payload::None),
    )
    .await;
    assert!(!res.body.contains("Refund retries shipped."));
    // Nor may they write in payments.
    let res = send(
        app,
        request(
            POST,
            "/updates",
            &other_session,
            &form("team=payments&answer.status=Hi"),
        ),
    )
    .await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);

    // The JSON API round trip, for Bo: a located 422 for an over-long
    // answer, then written (201), then edited with its version (200).
    let bo_session = teammate(&h, &bo).await;
    let bo_user = h
        .state
        .store
        .user_by_email(bo.clone())
        .await
        .unwrap()
        .unwrap();
    let bo_token = token_for(&h.state, &bo_user, "bo").await;
    drop(bo_session);
    let post = |body: serde_json::Value| {
        request(
            POST,
            "/api/v1/teams/payments/updates",
            &bo_token,
            &Payload::Json(body),
        )
    };
    let res = send(app, post(json!({"answers": {"status": "x".repeat(4001)}}))).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        res.json()["error"]["message"],
        "answers: \"status\": 4001 characters; at most 4000 are allowed"
    );
    let res = send(
        app,
        post(json!({"answers": {"status": "Ledger export done.", "mood": "fine"}})),
    )
    .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        res.json()["error"]["message"],
        "answers: \"mood\" is not a question of the team's update; use one of: status, blockers, decisions"
    );
    let res = send(
        app,
        post(json!({"answers": {"status": "Ledger export done.", "blockers": "Access to prod"}})),
    )
    .await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.body);
    let bo_update = res.json();
    let bo_id = bo_update["id"].as_i64().unwrap();
    assert_eq!(res.header("location"), format!("/api/v1/updates/{bo_id}"));
    assert_eq!(bo_update["author"], bo.as_str());
    assert_eq!(
        bo_update["answers"],
        json!([
            {"question": "status", "text": "Ledger export done."},
            {"question": "blockers", "text": "Access to prod"},
            {"question": "decisions", "text": ""},
        ])
    );
    let res = send(app, post(json!({"answers": {"status": "Done."}}))).await;
    assert_eq!(
        res.status,
        StatusCode::CONFLICT,
        "written: edit it by version"
    );
    let res = send(
        app,
        post(json!({"answers": {"status": "Done."}, "version": 1})),
    )
    .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    assert_eq!(res.json()["version"], 2);
    assert_eq!(res.json()["id"], bo_id);
    // Bo's blocker is gone with the edit; the member's round shows Bo's
    // update written, after no one with blockers.
    let round = send(
        app,
        request(
            GET,
            "/api/v1/teams/payments/updates",
            &token,
            &Payload::None,
        ),
    )
    .await
    .json();
    let written: Vec<&str> = round["round"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["state"] == "written")
        .map(|r| r["person"].as_str().unwrap())
        .collect();
    let mut expected = vec![h.member.email.as_str(), bo.as_str()];
    expected.sort();
    assert_eq!(written, expected, "no blockers: by email");
}

#[tokio::test]
async fn the_pulse_shows_a_team_only_groups_of_the_minimum_size() {
    pulse_story(harness().await).await;
}

#[tokio::test]
async fn the_pulse_shows_a_team_only_groups_of_the_minimum_size_on_postgres() {
    let config = fulcrum_server::ServerConfig {
        secure_cookies: false,
        ..fulcrum_server::ServerConfig::default()
    };
    pulse_story(harness_on(Backend::Postgres, config, None).await).await;
}

/// With `min_group_size = 3`: two members answer and the team sees
/// nothing; a third answers and the mean shows; each sees their own
/// answers only; an edit from a stale version is refused; forgetting one
/// member removes their answer and the week falls below the minimum again.
async fn pulse_story(h: Harness) {
    let app = &h.app;
    // The workspace of this story: a minimum group of 3, and the three
    // people of payments on one clock (the `[team]` one), so that their
    // weeks agree whenever the story runs.
    let mut snap = (*h.state.snapshot()).clone();
    snap.min_group_size = 3;
    let (ana_email, bo_email, cy_email) = (
        h.member.email.clone(),
        nth_of("payments", 1).0,
        nth_of("payments", 2).0,
    );
    assert_eq!(nth_of("payments", 0).0, ana_email);
    for p in snap.people.iter_mut() {
        if [&ana_email, &bo_email, &cy_email].contains(&&p.email) {
            p.clock = snap.team_clock.clone();
        }
    }
    h.state.set_snapshot(snap);
    let pace = fulcrum_model::pulse::DEFAULT_PULSE_QUESTIONS[0];
    let ana = sign_in(app, &ana_email, PASSWORD).await;
    let bo = teammate(&h, &bo_email).await;
    let cy = teammate(&h, &cy_email).await;
    let answer = |who: &As, score: i64, version: Option<i64>| {
        let mut body = json!({"answers": [{"question": pace, "score": score}]});
        if let Some(v) = version {
            body["version"] = json!(v);
        }
        request(
            POST,
            "/api/v1/teams/payments/pulse",
            who,
            &Payload::Json(body),
        )
    };
    let team_pulse = async || {
        send(
            app,
            request(GET, "/api/v1/teams/payments/pulse", &ana, &Payload::None),
        )
        .await
        .json()
    };
    let page = async |who: &As| {
        send(
            app,
            request(GET, "/pulse?team=payments", who, &Payload::None),
        )
        .await
        .body
    };

    // The form: one question, five labelled radio buttons.
    let form_page = page(&ana).await;
    assert!(form_page.contains(pace), "{form_page}");
    for s in 1..=5 {
        assert!(form_page.contains(&format!("<label for=\"p1-{s}\">")));
    }
    // Ana answers through the form (4), Bo by API (2): two, below 3.
    let res = send(
        app,
        request(POST, "/pulse", &ana, &form("team=payments&q1=4")),
    )
    .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    assert_eq!(res.header("location"), "/pulse?team=payments");
    let res = send(app, answer(&bo, 2, None)).await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.body);
    let v = team_pulse().await;
    assert_eq!((&v["min_group_size"], &v["weeks"]), (&json!(3), &json!([])));
    assert!(page(&ana).await.contains("Nothing to show yet"));

    // Cy answers 5: three people. Mean (4 + 2 + 5) / 3 = 11 / 3 = 3.67;
    // one 2, one 4, one 5.
    let res = send(app, answer(&cy, 5, None)).await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.body);
    let week = res.json()["week"].as_str().unwrap().to_owned();
    let v = team_pulse().await;
    assert_eq!(v["weeks"][0]["week"], week.as_str());
    let q = &v["weeks"][0]["questions"][0];
    assert_eq!(
        (
            &q["question"],
            &q["respondents"],
            &q["mean"],
            &q["distribution"]
        ),
        (
            &json!(pace),
            &json!(3),
            &json!(3.67),
            &json!([0, 1, 0, 1, 1])
        )
    );
    let shown = page(&bo).await;
    assert!(shown.contains("<td>3.67</td>"), "{shown}");
    assert!(shown.contains("<td>0 / 1 / 0 / 1 / 1</td>"));

    // Each sees their own answers, and nobody else's.
    let mine = send(app, request(GET, "/api/v1/me/pulse", &ana, &Payload::None)).await;
    let v = mine.json();
    let responses = v["responses"].as_array().unwrap();
    assert_eq!(responses.len(), 1);
    assert_eq!(
        (
            &responses[0]["author"],
            &responses[0]["answers"][0]["score"]
        ),
        (&json!(ana_email), &json!(4))
    );
    assert_eq!(responses[0]["version"], 1);
    for other in [&bo_email, &cy_email] {
        assert!(!mine.body.contains(other.as_str()), "{}", mine.body);
    }
    let own_page = page(&ana).await;
    assert!(own_page.contains("id=\"pulse-mine\""));
    assert!(
        own_page.contains("<td>1: 4</td><td>4.00</td>"),
        "{own_page}"
    );
    assert!(own_page.contains("name=\"version\" value=\"1\""));
    assert!(own_page.contains("id=\"p1-4\" name=\"q1\" value=\"4\" required checked"));
    let bos = send(app, request(GET, "/api/v1/me/pulse", &bo, &Payload::None)).await;
    assert_eq!(bos.json()["responses"][0]["answers"][0]["score"], 2);
    assert!(!bos.body.contains(ana_email.as_str()));

    // A second answer this week edits the first: without the version, or
    // from a stale one, it is refused; from version 1 it is saved. Mean
    // (5 + 2 + 5) / 3 = 4.
    let res = send(
        app,
        request(POST, "/pulse", &ana, &form("team=payments&q1=5")),
    )
    .await;
    assert_eq!(res.status, StatusCode::CONFLICT, "{}", res.body);
    let res = send(
        app,
        request(POST, "/pulse", &ana, &form("team=payments&q1=5&version=7")),
    )
    .await;
    assert_eq!(res.status, StatusCode::CONFLICT, "{}", res.body);
    let res = send(app, answer(&ana, 9, Some(1))).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        res.body.contains("question 1: a score of 9; choose 1 to 5"),
        "{}",
        res.body
    );
    let res = send(app, answer(&ana, 5, Some(1))).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    assert_eq!(res.json()["version"], 2);
    assert_eq!(
        send(app, answer(&ana, 3, Some(1))).await.status,
        StatusCode::CONFLICT
    );
    let v = team_pulse().await;
    assert_eq!(v["weeks"][0]["questions"][0]["respondents"], 3);
    assert_eq!(v["weeks"][0]["questions"][0]["mean"], 4.0);

    // The team's export holds the aggregates, never a response.
    let export = send(
        app,
        request(GET, "/api/v1/teams/payments/workflow", &bo, &Payload::None),
    )
    .await;
    let x = export.json();
    assert!(
        x["objects"]
            .as_array()
            .unwrap()
            .iter()
            .all(|o| o["kind"] != "pulse")
    );
    assert_eq!(x["pulse"]["weeks"][0]["questions"][0]["mean"], 4.0);
    for other in [&ana_email, &cy_email] {
        assert!(!export.body.contains(other.as_str()));
    }

    // Forgetting Bo removes his answer: two left, below the minimum.
    let report = h
        .state
        .store
        .forget(fulcrum_store::PersonKeys {
            email: bo_email.clone(),
            aliases: Vec::new(),
        })
        .await
        .unwrap();
    assert_eq!(report.workflow_items, 1);
    // (`fulcrum forget` runs beside the server: the server sees the change
    // once its copy of the team's objects is older than `FRESH`.)
    tokio::time::sleep(
        fulcrum_server::workflow_cache::FRESH + std::time::Duration::from_millis(100),
    )
    .await;
    let v = team_pulse().await;
    assert_eq!(v["weeks"], json!([]));
    assert!(page(&ana).await.contains("Nothing to show yet"));
    let mine = send(app, request(GET, "/api/v1/me/pulse", &cy, &Payload::None)).await;
    assert_eq!(mine.json()["responses"][0]["answers"][0]["score"], 5);
}

#[tokio::test]
async fn a_proposal_routed_as_sync_links_the_record_picked_from_the_calendar() {
    linked_story(harness().await).await;
}

#[tokio::test]
async fn a_proposal_routed_as_sync_links_the_record_picked_from_the_calendar_on_postgres() {
    let config = fulcrum_server::ServerConfig {
        secure_cookies: false,
        ..fulcrum_server::ServerConfig::default()
    };
    linked_story(harness_on(Backend::Postgres, config, None).await).await;
}

/// The demo's weekly sync of team platform, organized by Maximilian Meyer:
/// the instance of Monday 7 September 2026 in Miriam Hoffmann's calendar
/// file (`calendars/miriam.hoffmann.ics`) is
/// `DTSTART;TZID=Europe/Berlin:20260907T100000`, `DTEND` 10:45, with
/// Julia Schäfer and Jack Cooper accepting and Freya Bennett declining.
const SYNC_UID: &str = "234b6ckukim3ng5u7qu4js469c@google.com";

async fn linked_story(h: Harness) {
    let app = &h.app;
    // The workspace's calendars in the store, as `fulcrum import` puts them.
    fulcrum_app::stored::import_workspace(
        &*h.state.store,
        &fixture().root,
        &fulcrum_chat::Limits::default(),
    )
    .await
    .unwrap();
    // The policy routes `vendor-choice` as sync, as these lines of
    // fulcrum.toml would:
    //   [policy.decisions.vendor-choice]
    //   mode = "sync"
    //   format = "meeting with pre-read"
    //   sla = "normal"
    //   who_decides = "the budget owner"
    let mut snap = fixture().snapshot.clone();
    snap.route_policy.types.insert(
        "vendor-choice".into(),
        fulcrum_analysis::route::DecisionType {
            mode: fulcrum_analysis::route::Mode::Sync,
            format: "meeting with pre-read".into(),
            sla: "normal".into(),
            who_decides: "the budget owner".into(),
            respond_in: "comments on the pre-read, then the meeting".into(),
        },
    );
    h.state.set_snapshot(snap);
    // The lead is Miriam Hoffmann, of platform (Europe/Berlin).
    assert_eq!(h.lead.email, "miriam.hoffmann@lumenlabs.example");
    let lead = sign_in(app, &h.lead.email, PASSWORD).await;
    let open = |t: &str| {
        form(&format!(
            "team=platform&title=Pick+the+vendor&context=Options%3A+A%2C+B.&decision_type={t}"
        ))
    };
    let res = send(
        app,
        request(POST, "/decisions", &lead, &open("vendor-choice")),
    )
    .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let id: i64 = res
        .header("location")
        .strip_prefix("/decisions/")
        .unwrap()
        .parse()
        .unwrap();

    // The route: its type's mode and format under the policy; the record
    // form linked, with the proposal among its decisions.
    let view = send(
        app,
        request(GET, &format!("/decisions/{id}"), &lead, &Payload::None),
    )
    .await;
    assert!(
        view.body
            .contains("route says: decide in a meeting: meeting with pre-read"),
        "{}",
        view.body
    );
    let record_form = format!("/meetings/new?team=platform&#38;decisions={id}");
    assert!(
        view.body.contains(&format!(
            "href=\"{record_form}\">Record the meeting that decides it"
        )),
        "{}",
        view.body
    );
    let api = |who: &As| request(GET, &format!("/api/v1/decisions/{id}"), who, &Payload::None);
    let d = send(app, api(&lead)).await.json();
    assert_eq!(
        d["route"],
        json!({"mode": "sync", "format": "meeting with pre-read"})
    );
    assert_eq!(d["meeting_records"], json!([]));
    // An async type says so, and offers no record.
    let res = send(
        app,
        request(POST, "/decisions", &lead, &open("architecture")),
    )
    .await;
    let written = send(
        app,
        request(GET, res.header("location"), &lead, &Payload::None),
    )
    .await;
    assert!(written.body.contains("route says: decide in writing: rfc"));
    assert!(!written.body.contains("Record the meeting that decides it"));

    // The record form offers the team's meetings of Monday 7 September on
    // the lead's clock (Berlin, UTC+2: 2026-09-06T22:00Z to
    // 2026-09-07T22:00Z); the weekly sync is one, 10:00 Berlin time.
    let range = "from=2026-09-07&to=2026-09-07";
    let picker = send(
        app,
        request(
            GET,
            &format!("/meetings/new?team=platform&decisions={id}&{range}"),
            &lead,
            &Payload::None,
        ),
    )
    .await;
    assert_eq!(picker.status, StatusCode::OK);
    // 10:00 CEST is 08:00Z.
    let pick = format!(
        "/meetings/new?team=platform&#38;from=2026-09-07&#38;to=2026-09-07&#38;meeting={}&#38;occurrence=2026-09-07T08%3A00%3A00Z&#38;decisions={id}",
        urlencode(SYNC_UID)
    );
    assert!(
        picker.body.contains(&format!(
            "<a href=\"{pick}\">Weekly sync</a> · Mon 2026-09-07 10:00 Europe/Berlin · 45 min · organized by maximilian.meyer@lumenlabs.example · in a series"
        )),
        "{}",
        picker.body
    );
    // The API lists the same meeting: the occurrence is the instance's
    // start; the attendees the organizer and those who did not decline.
    let token = token_for(&h.state, &h.lead, "picker").await;
    let listed = send(
        app,
        request(
            GET,
            &format!("/api/v1/teams/platform/meetings/calendar?{range}"),
            &token,
            &Payload::None,
        ),
    )
    .await
    .json();
    assert_eq!(listed["from"], "2026-09-06T22:00:00Z");
    assert_eq!(listed["to"], "2026-09-07T22:00:00Z");
    let items = listed["items"].as_array().unwrap();
    let starts: Vec<&str> = items.iter().map(|m| m["start"].as_str().unwrap()).collect();
    let mut sorted = starts.clone();
    sorted.sort_unstable_by(|a, b| b.cmp(a));
    assert_eq!(starts, sorted, "the most recent first");
    let sync = items
        .iter()
        .find(|m| m["uid"] == SYNC_UID)
        .expect("the weekly sync is offered");
    assert_eq!(sync["start"], "2026-09-07T08:00:00Z");
    assert_eq!(sync["end"], "2026-09-07T08:45:00Z");
    assert_eq!(sync["minutes"], 45);
    assert_eq!(sync["occurrence"], "2026-09-07T08:00:00Z");
    assert_eq!(sync["title"], "Weekly sync");
    assert_eq!(
        sync["attendees"],
        json!([
            "maximilian.meyer@lumenlabs.example",
            "miriam.hoffmann@lumenlabs.example",
            "julia.schaefer@lumenlabs.example",
            "jack.cooper@lumenlabs.example"
        ])
    );

    // Picking it fills in the form: UID, the occurrence and the time on
    // the lead's clock, the title, the attendees, the proposal.
    let filled = send(
        app,
        request(GET, &pick.replace("&#38;", "&"), &lead, &Payload::None),
    )
    .await;
    assert_eq!(filled.status, StatusCode::OK);
    for field in [
        format!("name=\"meeting_uid\" type=\"text\" maxlength=\"1000\" value=\"{SYNC_UID}\""),
        "name=\"occurrence\" type=\"datetime-local\" value=\"2026-09-07T10:00\"".to_owned(),
        "name=\"held_at\" type=\"datetime-local\" required value=\"2026-09-07T10:00\"".to_owned(),
        "value=\"Weekly sync\"".to_owned(),
        format!("name=\"decisions\" type=\"text\" value=\"{id}\""),
        "maximilian.meyer@lumenlabs.example\nmiriam.hoffmann@lumenlabs.example\njulia.schaefer@lumenlabs.example\njack.cooper@lumenlabs.example".to_owned(),
        "name=\"timebox_minutes\" type=\"number\" min=\"1\" max=\"600\" value=\"45\"".to_owned(),
    ] {
        assert!(filled.body.contains(&field), "{field}: {}", filled.body);
    }
    // Kept as filled in.
    let keep = format!(
        "team=platform&title=Weekly+sync&meeting_uid={}&occurrence=2026-09-07T10%3A00&held_at=2026-09-07T10%3A00&timebox_minutes=45&decisions={id}&attendees=maximilian.meyer%40lumenlabs.example%0Amiriam.hoffmann%40lumenlabs.example",
        urlencode(SYNC_UID)
    );
    let res = send(app, request(POST, "/meetings", &lead, &form(&keep))).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let record: i64 = res
        .header("location")
        .strip_prefix("/meetings/")
        .unwrap()
        .parse()
        .unwrap();
    let m = send(
        app,
        request(
            GET,
            &format!("/api/v1/meetings/{record}"),
            &lead,
            &Payload::None,
        ),
    )
    .await
    .json();
    assert_eq!(m["meeting_uid"], SYNC_UID);
    assert_eq!(m["occurrence"], "2026-09-07T08:00:00Z");
    assert_eq!(m["held_at"], "2026-09-07T08:00:00Z");

    // Both directions link.
    let view = send(
        app,
        request(GET, &format!("/decisions/{id}"), &lead, &Payload::None),
    )
    .await;
    assert!(
        view.body.contains(&format!(
            "<a href=\"/meetings/{record}\">Meeting record {record}: Weekly sync</a> · held Mon 2026-09-07 10:00 Europe/Berlin"
        )),
        "{}",
        view.body
    );
    let record_page = send(
        app,
        request(GET, &format!("/meetings/{record}"), &lead, &Payload::None),
    )
    .await;
    assert!(
        record_page
            .body
            .contains(&format!("href=\"/decisions/{id}\""))
    );
    let d = send(app, api(&lead)).await.json();
    assert_eq!(d["meeting_records"], json!([record]));
    let listed = send(
        app,
        request(
            GET,
            "/api/v1/teams/platform/decisions",
            &token,
            &Payload::None,
        ),
    )
    .await
    .json();
    let row = listed["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["id"] == id)
        .unwrap();
    assert_eq!(row["meeting_records"], json!([record]));

    // Search, which the lead leads: its meetings of that week she is not
    // on show by time and length, never by title or attendees.
    let theirs = send(
        app,
        request(
            GET,
            "/api/v1/teams/search/meetings/calendar?from=2026-09-07&to=2026-09-13",
            &token,
            &Payload::None,
        ),
    )
    .await
    .json();
    let theirs = theirs["items"].as_array().unwrap();
    let not_on: Vec<_> = theirs
        .iter()
        .filter(|m| m["viewer_attends"] == false)
        .collect();
    assert!(!not_on.is_empty());
    for m in not_on {
        assert_eq!(m["title"], serde_json::Value::Null, "{m}");
        assert_eq!(m["attendees"], json!([]), "{m}");
    }

    // A member of another team reaches none of it.
    let member = sign_in(app, &h.member.email, PASSWORD).await;
    let other = send(
        app,
        request(
            GET,
            &format!("/meetings/new?team=platform&{range}"),
            &member,
            &Payload::None,
        ),
    )
    .await;
    assert_eq!(other.status, StatusCode::FORBIDDEN);
    assert!(!other.body.contains(SYNC_UID));
    let other_token = token_for(&h.state, &h.member, "other").await;
    let other = send(
        app,
        request(
            GET,
            &format!("/api/v1/teams/platform/meetings/calendar?{range}"),
            &other_token,
            &Payload::None,
        ),
    )
    .await;
    assert_eq!(other.status, StatusCode::FORBIDDEN);
    let other = send(app, api(&member)).await;
    assert_eq!(other.status, StatusCode::NOT_FOUND);
}

/// The server keeps each team's objects in memory between requests; a
/// change made outside it (another server on the same database, the CLI)
/// moves the team's stamp, which the server checks once its objects are
/// older than `FRESH`: the change shows then.
#[tokio::test]
async fn an_object_written_outside_the_server_shows_at_once() {
    let h = harness().await;
    let token = token_for(&h.state, &h.member, "cache").await;
    let count = || async {
        send(
            &h.app,
            request(GET, "/api/v1/teams/payments/asks", &token, &Payload::None),
        )
        .await
        .json()["items"]
            .as_array()
            .map_or(0, Vec::len)
    };
    let before = count().await;
    let now = chrono::Utc::now();
    let ask = fulcrum_model::workflow::Ask {
        team: "payments".to_owned(),
        author: h.member.email.clone(),
        to: fulcrum_model::workflow::Recipient::Team,
        context: "Written by another process.".to_owned(),
        needed: "Does it show?".to_owned(),
        respond_in: String::new(),
        answer_by: None,
        due: None,
        asked_at: now,
        state: fulcrum_model::workflow::AskState::Open,
    };
    // The same store, not through the server.
    let store = fulcrum_store::Store::open(&h.url).await.unwrap();
    let stored = store
        .create_workflow_item(fulcrum_store::WorkflowItem::Ask(ask.clone()), now)
        .await
        .unwrap();
    let fresh = fulcrum_server::workflow_cache::FRESH + std::time::Duration::from_millis(100);
    tokio::time::sleep(fresh).await;
    assert_eq!(count().await, before + 1);
    // And a change: withdrawn behind its back, it leaves the open list.
    let mut withdrawn = ask;
    withdrawn.withdraw(now).unwrap();
    store
        .update_workflow_item(
            stored.id,
            stored.version,
            fulcrum_store::WorkflowItem::Ask(withdrawn),
            now,
        )
        .await
        .unwrap()
        .unwrap();
    tokio::time::sleep(fresh).await;
    let open = send(
        &h.app,
        request(
            GET,
            "/api/v1/teams/payments/asks?state=open",
            &token,
            &Payload::None,
        ),
    )
    .await
    .json();
    assert!(
        open["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|a| a["id"] != stored.id),
        "{open}"
    );
}
