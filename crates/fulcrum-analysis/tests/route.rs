//! The decision router with hand-worked expectations: each attribute rule
//! on its own and in combination, contradictions between attributes and a
//! type's policy, refusals, and deadlines on the business-hours clock
//! (over a weekend, out of hours, across a DST change) and the wall clock.

#![allow(clippy::unwrap_used)] // Tests: a panic is a failed test with its location.

use chrono::{DateTime, Duration, TimeZone, Utc};
use chrono_tz::Tz;
use fulcrum_analysis::WorkClock;
use fulcrum_analysis::route::{
    Attributes, DeadlineClock, DecisionType, Mode, Route, RouteError, RoutePolicy, RouteRequest,
    Urgency, add_business_time, closest, route,
};
use fulcrum_model::WorkingHours;
use std::collections::BTreeSet;

fn t(name: &str, mode: Mode, format: &str, sla: &str) -> (String, DecisionType) {
    (
        name.to_owned(),
        DecisionType {
            mode,
            format: format.to_owned(),
            sla: sla.to_owned(),
            who_decides: format!("the {name} owner"),
            respond_in: format!("the {name} thread"),
        },
    )
}

/// A small policy: the SLA classes of the defaults and three types.
fn policy() -> RoutePolicy {
    RoutePolicy {
        sla_hours: [("urgent".to_owned(), 2.0), ("normal".to_owned(), 24.0)].into(),
        types: [
            t("incident", Mode::Sync, "call", "urgent"),
            t("status", Mode::Async, "written update", "normal"),
            t("architecture", Mode::Async, "rfc", "normal"),
            t("vendor-choice", Mode::Async, "written proposal", "normal"),
        ]
        .into(),
    }
}

fn utc(y: i32, mo: u32, d: u32, h: u32, mi: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, mo, d, h, mi, 0).unwrap()
}

/// Friday 2026-03-06 16:00 UTC.
fn friday_4pm() -> DateTime<Utc> {
    utc(2026, 3, 6, 16, 0)
}

fn nine_to_five(tz: Tz) -> WorkClock {
    WorkClock::new(tz, WorkingHours::standard(), BTreeSet::new())
}

fn by_attributes(a: Attributes) -> Route {
    route(
        &policy(),
        &RouteRequest {
            decision_type: None,
            attributes: a,
            asked_at: friday_4pm(),
        },
        None,
    )
    .unwrap()
}

fn by_type(name: &str, a: Attributes) -> Result<Route, RouteError> {
    route(
        &policy(),
        &RouteRequest {
            decision_type: Some(name.to_owned()),
            attributes: a,
            asked_at: friday_4pm(),
        },
        None,
    )
}

fn rules(r: &Route) -> Vec<&str> {
    r.why.iter().map(|w| w.rule.as_str()).collect()
}

// ---- each attribute rule on its own ----

#[test]
fn crisis_rule_urgent_and_irreversible_goes_sync_now() {
    let r = by_attributes(Attributes {
        urgency: Some(Urgency::High),
        reversible: Some(false),
        ..Attributes::default()
    });
    assert_eq!(r.mode, Mode::Sync);
    assert_eq!(r.sla, "urgent");
    assert!(r.format.starts_with("call now"), "{}", r.format);
    assert_eq!(rules(&r), ["crisis", "crisis-outcome"]);
    // 2 h on the wall clock: 18:00 the same Friday.
    assert_eq!(r.deadline, utc(2026, 3, 6, 18, 0));
}

#[test]
fn urgent_reversible_goes_async_with_the_urgent_sla() {
    let r = by_attributes(Attributes {
        urgency: Some(Urgency::High),
        reversible: Some(true),
        ..Attributes::default()
    });
    assert_eq!((r.mode, r.sla.as_str()), (Mode::Async, "urgent"));
    assert_eq!(rules(&r), ["urgent-reversible"]);
}

#[test]
fn urgent_without_reversibility_gets_the_urgent_sla_not_a_meeting() {
    let r = by_attributes(Attributes {
        urgency: Some(Urgency::High),
        ..Attributes::default()
    });
    assert_eq!((r.mode, r.sla.as_str()), (Mode::Async, "urgent"));
    assert_eq!(rules(&r), ["urgent"]);
    assert!(r.why[0].text.contains("--reversible no"));
}

#[test]
fn wide_audience_fires_at_three_zones_or_seven_stakeholders() {
    for a in [
        Attributes {
            time_zones: Some(3),
            stakeholders: Some(3),
            ..Attributes::default()
        },
        Attributes {
            stakeholders: Some(7),
            ..Attributes::default()
        },
    ] {
        let r = by_attributes(a);
        assert_eq!(r.mode, Mode::Async);
        assert_eq!(r.format, "written proposal with comment period");
        assert_eq!(rules(&r), ["wide-audience"]);
    }
    // Boundaries: 6 stakeholders in 2 zones is not wide; nothing else fires.
    let r = by_attributes(Attributes {
        stakeholders: Some(6),
        time_zones: Some(2),
        ..Attributes::default()
    });
    assert_eq!(rules(&r), ["default-async"]);
}

#[test]
fn novel_and_irreversible_gets_a_meeting_with_pre_read() {
    let r = by_attributes(Attributes {
        novel: Some(true),
        reversible: Some(false),
        ..Attributes::default()
    });
    assert_eq!(
        (r.mode, r.format.as_str()),
        (Mode::Sync, "meeting with pre-read")
    );
    assert_eq!(rules(&r), ["novel-irreversible"]);
}

#[test]
fn reversible_low_stakes_is_decide_and_inform() {
    let r = by_attributes(Attributes {
        reversible: Some(true),
        novel: Some(false),
        stakeholders: Some(4),
        time_zones: Some(2),
        urgency: Some(Urgency::Low),
    });
    assert_eq!(
        (r.mode, r.format.as_str()),
        (Mode::Async, "async update: decide and inform")
    );
    assert_eq!(rules(&r), ["reversible-low-stakes"]);
}

#[test]
fn no_rule_fires_then_async_is_the_default() {
    let r = by_attributes(Attributes {
        urgency: Some(Urgency::Normal),
        ..Attributes::default()
    });
    assert_eq!((r.mode, r.sla.as_str()), (Mode::Async, "normal"));
    assert_eq!(rules(&r), ["default-async"]);
}

// ---- combinations ----

#[test]
fn novel_irreversible_with_a_wide_audience_goes_written_first() {
    let r = by_attributes(Attributes {
        novel: Some(true),
        reversible: Some(false),
        time_zones: Some(4),
        stakeholders: Some(10),
        urgency: Some(Urgency::Normal),
    });
    assert_eq!(r.mode, Mode::Async);
    assert_eq!(r.format, "written proposal with comment period");
    assert_eq!(
        rules(&r),
        [
            "wide-audience",
            "novel-irreversible",
            "novel-irreversible+wide-audience"
        ]
    );
}

#[test]
fn a_crisis_stays_sync_however_wide_the_audience() {
    // The wide-audience rule needs "not urgent", so only the crisis fires.
    let r = by_attributes(Attributes {
        urgency: Some(Urgency::High),
        reversible: Some(false),
        novel: Some(true),
        time_zones: Some(5),
        stakeholders: Some(20),
    });
    assert_eq!(r.mode, Mode::Sync);
    assert_eq!(rules(&r), ["crisis", "crisis-outcome"]);
}

#[test]
fn reversible_but_novel_or_wide_is_not_low_stakes() {
    let novel = by_attributes(Attributes {
        reversible: Some(true),
        novel: Some(true),
        ..Attributes::default()
    });
    assert_eq!(rules(&novel), ["default-async"]);
    let wide = by_attributes(Attributes {
        reversible: Some(true),
        stakeholders: Some(12),
        ..Attributes::default()
    });
    assert_eq!(rules(&wide), ["wide-audience"]);
}

// ---- types and contradictions ----

#[test]
fn a_type_is_answered_by_the_policy() {
    let r = by_type("vendor-choice", Attributes::default()).unwrap();
    assert_eq!(
        (r.mode, r.format.as_str()),
        (Mode::Async, "written proposal")
    );
    assert_eq!(r.who_decides, "the vendor-choice owner");
    assert_eq!(rules(&r), ["policy"]);
    assert!(r.conflicts.is_empty());
}

#[test]
fn urgent_status_keeps_the_policy_route_and_warns() {
    let r = by_type(
        "status",
        Attributes {
            urgency: Some(Urgency::High),
            ..Attributes::default()
        },
    )
    .unwrap();
    // The policy's route, never the attributes' one.
    assert_eq!((r.mode, r.sla.as_str()), (Mode::Async, "normal"));
    assert_eq!(r.conflicts.len(), 1);
    let c = &r.conflicts[0];
    assert!(
        c.message
            .contains("--urgency high conflicts with type `status`")
    );
    assert!(c.message.contains("24 h"), "{}", c.message);
    assert!(c.what_to_do.contains("[policy.decisions.status]"));
}

#[test]
fn a_low_urgency_incident_keeps_the_crisis_route_and_warns() {
    let r = by_type(
        "incident",
        Attributes {
            urgency: Some(Urgency::Low),
            ..Attributes::default()
        },
    )
    .unwrap();
    assert_eq!((r.mode, r.sla.as_str()), (Mode::Sync, "urgent"));
    assert_eq!(r.conflicts.len(), 1);
    assert!(
        r.conflicts[0]
            .message
            .contains("--urgency low conflicts with type `incident`")
    );
    assert!(r.conflicts[0].what_to_do.contains("not a crisis"));
    // "Normal" urgency can wait for a normal answer: not a crisis either.
    let normal = by_type(
        "incident",
        Attributes {
            urgency: Some(Urgency::Normal),
            ..Attributes::default()
        },
    )
    .unwrap();
    assert!(
        normal.conflicts[0]
            .message
            .contains("--urgency normal conflicts")
    );
}

#[test]
fn attributes_that_route_the_other_mode_warn() {
    let r = by_type(
        "architecture",
        Attributes {
            novel: Some(true),
            reversible: Some(false),
            ..Attributes::default()
        },
    )
    .unwrap();
    assert_eq!(r.mode, Mode::Async);
    assert_eq!(r.conflicts.len(), 1);
    assert!(r.conflicts[0].message.contains("rule `novel-irreversible`"));
}

#[test]
fn consistent_attributes_do_not_warn() {
    let high_incident = by_type(
        "incident",
        Attributes {
            urgency: Some(Urgency::High),
            ..Attributes::default()
        },
    )
    .unwrap();
    assert!(high_incident.conflicts.is_empty());
    let wide_vendor = by_type(
        "vendor-choice",
        Attributes {
            time_zones: Some(4),
            stakeholders: Some(9),
            ..Attributes::default()
        },
    )
    .unwrap();
    assert!(wide_vendor.conflicts.is_empty());
}

#[test]
fn unknown_type_lists_the_known_ones_and_the_closest() {
    let err = by_type("vendor", Attributes::default()).unwrap_err();
    let RouteError::UnknownType {
        given,
        known,
        closest,
    } = &err
    else {
        panic!("{err:?}")
    };
    assert_eq!(given, "vendor");
    assert_eq!(
        known,
        &["architecture", "incident", "status", "vendor-choice"]
    );
    assert_eq!(closest.as_deref(), Some("vendor-choice"));
    assert!(err.to_string().contains("did you mean \"vendor-choice\""));
    // Nothing near: no guess.
    let far = by_type("budget", Attributes::default()).unwrap_err();
    assert!(matches!(far, RouteError::UnknownType { closest: None, .. }));
}

#[test]
fn closest_takes_typos_and_words() {
    let known: Vec<String> = ["incident", "status", "vendor-choice"]
        .map(str::to_owned)
        .into();
    assert_eq!(closest("incidnet", &known).as_deref(), Some("incident"));
    assert_eq!(
        closest("vendor_choice", &known).as_deref(),
        Some("vendor-choice")
    );
    assert_eq!(closest("choice", &known).as_deref(), Some("vendor-choice"));
    assert_eq!(closest("hiring", &known), None);
}

#[test]
fn contradictory_or_empty_requests_are_refused() {
    let refused = |a: Attributes| {
        let r = route(
            &policy(),
            &RouteRequest {
                decision_type: None,
                attributes: a,
                asked_at: friday_4pm(),
            },
            None,
        );
        match r {
            Err(RouteError::Invalid(why)) => why,
            other => panic!("{other:?}"),
        }
    };
    assert!(refused(Attributes::default()).contains("nothing to route"));
    assert!(
        refused(Attributes {
            stakeholders: Some(2),
            time_zones: Some(5),
            ..Attributes::default()
        })
        .contains("2 people cannot work in 5 time zones")
    );
    assert!(
        refused(Attributes {
            stakeholders: Some(0),
            ..Attributes::default()
        })
        .contains("--stakeholders 0")
    );
    assert!(
        refused(Attributes {
            time_zones: Some(0),
            ..Attributes::default()
        })
        .contains("--time-zones 0")
    );
}

// ---- deadlines ----

fn status_at(asked_at: DateTime<Utc>, clock: Option<(&WorkClock, &str)>) -> Route {
    route(
        &policy(),
        &RouteRequest {
            decision_type: Some("status".to_owned()),
            attributes: Attributes::default(),
            asked_at,
        },
        clock,
    )
    .unwrap()
}

#[test]
fn friday_4pm_plus_24_business_hours_is_wednesday_4pm() {
    // Friday 16-17 = 1 h, Monday 8 h, Tuesday 8 h (17 h), Wednesday 09-16 = 7 h.
    let clock = nine_to_five(Tz::UTC);
    let r = status_at(friday_4pm(), Some((&clock, "team")));
    assert_eq!(r.deadline, utc(2026, 3, 11, 16, 0));
    assert_eq!(r.clock, DeadlineClock::Business("team".to_owned()));
    assert!(
        r.ask.deadline.starts_with("Wed 2026-03-11 16:00 UTC"),
        "{}",
        r.ask.deadline
    );
}

#[test]
fn without_working_hours_the_wall_clock_is_used_and_said() {
    let r = status_at(friday_4pm(), None);
    assert_eq!(r.deadline, utc(2026, 3, 7, 16, 0));
    assert!(matches!(r.clock, DeadlineClock::Wall(_)));
}

#[test]
fn asked_out_of_hours_counts_from_the_next_working_time() {
    let clock = nine_to_five(Tz::UTC);
    // Friday 18:00: Monday 8 + Tuesday 8 + Wednesday 8 = Wednesday 17:00.
    let r = status_at(utc(2026, 3, 6, 18, 0), Some((&clock, "team")));
    assert_eq!(r.deadline, utc(2026, 3, 11, 17, 0));
    // Saturday 10:00 plus 2 business hours: Monday 11:00.
    let at = add_business_time(&clock, utc(2026, 3, 7, 10, 0), Duration::hours(2));
    assert_eq!(at, Some(utc(2026, 3, 9, 11, 0)));
}

#[test]
fn business_deadline_across_a_dst_change_keeps_the_local_hours() {
    // New York, Friday 2026-03-06 16:00 EST (21:00 UTC); DST starts Sunday
    // 2026-03-08. Friday 1 h, Monday 8, Tuesday 8, Wednesday 09:00-16:00
    // EDT = 7 h: Wednesday 16:00 EDT = 20:00 UTC.
    let clock = nine_to_five(chrono_tz::America::New_York);
    let r = status_at(utc(2026, 3, 6, 21, 0), Some((&clock, "team")));
    assert_eq!(r.deadline, utc(2026, 3, 11, 20, 0));
    assert!(
        r.ask
            .deadline
            .starts_with("Wed 2026-03-11 16:00 America/New_York")
    );
}

#[test]
fn a_crisis_runs_on_the_wall_clock_even_with_working_hours() {
    let clock = nine_to_five(Tz::UTC);
    let saturday = utc(2026, 3, 7, 10, 0);
    let r = route(
        &policy(),
        &RouteRequest {
            decision_type: Some("incident".to_owned()),
            attributes: Attributes::default(),
            asked_at: saturday,
        },
        Some((&clock, "team")),
    )
    .unwrap();
    assert_eq!(r.deadline, utc(2026, 3, 7, 12, 0));
    assert!(matches!(r.clock, DeadlineClock::Wall(_)));
}

#[test]
fn a_clock_with_no_working_days_falls_back_to_the_wall_clock() {
    let none = WorkClock::new(
        Tz::UTC,
        WorkingHours {
            days: Default::default(),
        },
        BTreeSet::new(),
    );
    let r = status_at(friday_4pm(), Some((&none, "nobody")));
    assert_eq!(r.deadline, utc(2026, 3, 7, 16, 0));
    assert!(matches!(r.clock, DeadlineClock::Wall(ref why) if why.contains("no working time")));
}

#[test]
fn every_rule_is_documented_in_moves_md() {
    let doc = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/moves.md"),
    )
    .unwrap();
    let section = &doc[doc.find("\n## route\n").unwrap() + 1..];
    // Only this section: up to the next one, if another move follows.
    let section = &section[..section[3..].find("\n## ").map_or(section.len(), |i| i + 3)];
    for rule in fulcrum_analysis::route::RULES
        .iter()
        .chain([&fulcrum_analysis::route::DEFAULT_RULE])
    {
        assert!(
            section.contains(&format!("| `{}` |", rule.id)),
            "rule {} is missing from docs/moves.md",
            rule.id
        );
    }
}
