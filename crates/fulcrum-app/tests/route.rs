//! `fulcrum route` through the app: every default decision type with its
//! hand-worked route, and the policy overrides and business clocks of the
//! `test_data/route/fulcrum.toml` fixture.

#![allow(clippy::unwrap_used)] // Tests: a panic is a failed test with its location.

use chrono::{DateTime, TimeZone, Utc};
use fulcrum_app::route::{
    Attributes, DeadlineClock, Mode, Route, RouteAppError, RouteError, RouteRequest, route_decision,
};
use std::path::{Path, PathBuf};

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../test_data/route")
}

fn utc(y: i32, mo: u32, d: u32, h: u32, mi: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, mo, d, h, mi, 0).unwrap()
}

/// Friday 2026-03-06 16:00 UTC.
fn request(decision_type: &str) -> RouteRequest {
    RouteRequest {
        decision_type: Some(decision_type.to_owned()),
        attributes: Attributes::default(),
        asked_at: utc(2026, 3, 6, 16, 0),
    }
}

fn routed(root: Option<&Path>, person: Option<&str>, decision_type: &str) -> Route {
    route_decision(root, person, &request(decision_type)).unwrap()
}

#[test]
fn every_default_type_routes_as_documented() {
    // Without a workspace: the default policy and the wall clock, so a
    // normal SLA (24 h) ends Saturday 16:00 and the urgent one (2 h)
    // Friday 18:00.
    let saturday = utc(2026, 3, 7, 16, 0);
    let cases = [
        (
            "architecture",
            Mode::Async,
            "rfc",
            "normal",
            "the tech lead",
            saturday,
        ),
        (
            "design-review",
            Mode::Async,
            "written proposal with comment period",
            "normal",
            "the design owner",
            saturday,
        ),
        (
            "hiring",
            Mode::Sync,
            "meeting with pre-read (scorecards written before it)",
            "normal",
            "the hiring manager",
            saturday,
        ),
        (
            "incident",
            Mode::Sync,
            "call",
            "urgent",
            "the incident commander",
            utc(2026, 3, 6, 18, 0),
        ),
        (
            "status",
            Mode::Async,
            "written update",
            "normal",
            "the owner of the work",
            saturday,
        ),
        (
            "strategy",
            Mode::Sync,
            "meeting with pre-read",
            "normal",
            "the team lead",
            saturday,
        ),
        (
            "vendor-choice",
            Mode::Async,
            "written proposal with comment period",
            "normal",
            "the budget owner",
            saturday,
        ),
    ];
    for (name, mode, format, sla, who, deadline) in cases {
        let r = routed(None, None, name);
        assert_eq!(
            (
                r.mode,
                r.format.as_str(),
                r.sla.as_str(),
                r.who_decides.as_str()
            ),
            (mode, format, sla, who),
            "{name}"
        );
        assert_eq!(r.deadline, deadline, "{name}");
        assert!(matches!(r.clock, DeadlineClock::Wall(_)), "{name}");
        assert!(r.conflicts.is_empty(), "{name}");
        assert!(!r.ask.where_to_respond.is_empty(), "{name}");
    }
    // The incident is the one crisis: it carries the "document afterwards" reason.
    let incident = routed(None, None, "incident");
    assert!(incident.why.iter().any(|w| w.rule == "crisis-outcome"));
}

#[test]
fn the_fixture_overrides_types_and_sla_classes() {
    let root = fixture();
    // status: async, its own format, the `slow` class (40 h) on the team's
    // Mon-Thu 08:00-16:00 Berlin clock. Asked Friday 17:00 CET (a day off):
    // Mon-Thu 4 x 8 h = 32 h, next Monday 8 h = 40 h: Monday 2026-03-16
    // 16:00 CET = 15:00 UTC.
    let status = routed(Some(&root), None, "status");
    assert_eq!(
        (status.mode, status.format.as_str(), status.sla.as_str()),
        (Mode::Async, "weekly written update", "slow")
    );
    assert_eq!(status.sla_hours, 40.0);
    assert_eq!(status.who_decides, "the project owner");
    assert_eq!(status.respond_in, "#platform-status");
    assert_eq!(status.deadline, utc(2026, 3, 16, 15, 0));
    assert_eq!(
        status.clock,
        DeadlineClock::Business("[team] working hours (Europe/Berlin)".to_owned())
    );

    // roadmap: only a mode given, so a meeting with the normal class (16 h
    // here) and the default decider: Monday 8 h + Tuesday 8 h, Tuesday
    // 2026-03-10 16:00 CET = 15:00 UTC.
    let roadmap = routed(Some(&root), None, "roadmap");
    assert_eq!(
        (roadmap.mode, roadmap.format.as_str()),
        (Mode::Sync, "meeting")
    );
    assert_eq!(roadmap.who_decides, "the decision owner");
    assert_eq!(roadmap.deadline, utc(2026, 3, 10, 15, 0));

    // outage: sync with the urgent class (1 h): a crisis, on the wall clock.
    let outage = routed(Some(&root), None, "outage");
    assert_eq!(outage.deadline, utc(2026, 3, 6, 17, 0));
    assert!(matches!(outage.clock, DeadlineClock::Wall(_)));
}

#[test]
fn a_person_clock_counts_their_own_hours() {
    // Ana: New York, Mon-Fri 10:00-18:00. Asked Friday 11:00 EST: Friday
    // 7 h, Monday 8 h (EDT from Sunday), Tuesday 1 h: Tuesday 11:00 EDT =
    // 15:00 UTC.
    let root = fixture();
    for who in ["ana@acme.com", "U024BE7LH"] {
        let r = routed(Some(&root), Some(who), "roadmap");
        assert_eq!(r.deadline, utc(2026, 3, 10, 15, 0), "{who}");
        assert_eq!(r.tz, chrono_tz::America::New_York);
    }
    let err = route_decision(Some(&root), Some("zoe@acme.com"), &request("roadmap")).unwrap_err();
    assert!(matches!(err, RouteAppError::UnknownPerson(_)));
    let err = route_decision(None, Some("ana@acme.com"), &request("status")).unwrap_err();
    assert!(matches!(err, RouteAppError::PersonWithoutWorkspace));
}

#[test]
fn a_policy_with_its_own_types_drops_the_defaults() {
    let err = route_decision(Some(&fixture()), None, &request("architecture")).unwrap_err();
    let RouteAppError::Route(RouteError::UnknownType { known, .. }) = err else {
        panic!("{err:?}")
    };
    assert_eq!(known, ["outage", "roadmap", "status"]);
}
