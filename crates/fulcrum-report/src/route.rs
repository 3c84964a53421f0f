//! `fulcrum route`'s output: the route of one decision as text or JSON,
//! and the refusal (unknown type) as JSON. The JSON shape is documented in
//! `docs/moves.md`, section "route".

use chrono::SecondsFormat;
use fulcrum_analysis::route::{DeadlineClock, Route, RouteError};
use serde_json::{Value, json};
use std::io::{self, Write};

/// Writes a route for a person to read.
pub fn write_text(route: &Route, out: &mut impl Write) -> io::Result<()> {
    let local = route.deadline.with_timezone(&route.tz);
    match &route.decision_type {
        Some(t) => writeln!(out, "decision type: {t}")?,
        None => writeln!(out, "decision type: (routed by attributes)")?,
    }
    writeln!(out, "mode:          {}", route.mode.as_str())?;
    writeln!(out, "format:        {}", route.format)?;
    writeln!(
        out,
        "SLA:           {} ({} h)",
        route.sla,
        fulcrum_analysis::route::hours_text(route.sla_hours)
    )?;
    writeln!(out, "who decides:   {}", route.who_decides)?;
    writeln!(
        out,
        "deadline:      {} {} ({})",
        local.format("%a %Y-%m-%d %H:%M"),
        route.tz.name(),
        clock_text(&route.clock)
    )?;
    writeln!(out)?;
    writeln!(out, "the ask:")?;
    writeln!(out, "  Context:          {}", route.ask.context)?;
    writeln!(out, "  Decision needed:  {}", route.ask.decision_needed)?;
    writeln!(out, "  Deadline:         {}", route.ask.deadline)?;
    writeln!(out, "  Where to respond: {}", route.ask.where_to_respond)?;
    writeln!(out)?;
    writeln!(out, "why:")?;
    for r in &route.why {
        writeln!(out, "  - [{}] {}", r.rule, r.text)?;
    }
    for c in &route.conflicts {
        writeln!(out)?;
        writeln!(out, "warning: {}", c.message)?;
        writeln!(out, "  what to do: {}", c.what_to_do)?;
    }
    Ok(())
}

fn clock_text(clock: &DeadlineClock) -> String {
    match clock {
        DeadlineClock::Business(whose) => format!("business-hours clock: {whose}"),
        DeadlineClock::Wall(why) => format!("wall clock: {why}"),
    }
}

/// The JSON value of a route (see `docs/moves.md`); `policy` says where
/// the policy came from.
pub fn to_json(route: &Route, policy: &str) -> Value {
    let (kind, note) = match &route.clock {
        DeadlineClock::Business(w) => ("business", w),
        DeadlineClock::Wall(w) => ("wall", w),
    };
    json!({
        "policy": policy,
        "type": route.decision_type,
        "mode": route.mode.as_str(),
        "format": route.format,
        "sla": { "class": route.sla, "hours": route.sla_hours },
        "who_decides": route.who_decides,
        "respond_in": route.respond_in,
        "asked_at": route.asked_at.to_rfc3339_opts(SecondsFormat::Secs, true),
        "deadline": route
            .deadline
            .with_timezone(&route.tz)
            .to_rfc3339_opts(SecondsFormat::Secs, true),
        "deadline_utc": route.deadline.to_rfc3339_opts(SecondsFormat::Secs, true),
        "time_zone": route.tz.name(),
        "clock": { "kind": kind, "note": note },
        "ask": {
            "context": route.ask.context,
            "decision_needed": route.ask.decision_needed,
            "deadline": route.ask.deadline,
            "where_to_respond": route.ask.where_to_respond,
        },
        "why": route
            .why
            .iter()
            .map(|r| json!({ "rule": r.rule, "text": r.text }))
            .collect::<Vec<_>>(),
        "warnings": route
            .conflicts
            .iter()
            .map(|c| json!({ "message": c.message, "what_to_do": c.what_to_do }))
            .collect::<Vec<_>>(),
    })
}

/// Writes a route as the tools' JSON object (`docs/moves.md`, "JSON
/// output").
pub fn write_json(route: &Route, policy: &str, out: &mut impl Write) -> io::Result<()> {
    let doc = crate::tool_json::envelope("route", None, &[], to_json(route, policy));
    crate::tool_json::write(out, &doc)
}

/// Writes a refusal as a JSON object: `error`, and for an unknown type
/// `known_types` and `closest`.
pub fn write_error_json(error: &RouteError, out: &mut impl Write) -> io::Result<()> {
    let value = match error {
        RouteError::UnknownType {
            given,
            known,
            closest,
        } => json!({
            "error": error.to_string(),
            "unknown_type": given,
            "known_types": known,
            "closest": closest,
        }),
        RouteError::Invalid(_) => json!({ "error": error.to_string() }),
    };
    crate::tool_json::write(out, &crate::tool_json::envelope("route", None, &[], value))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)] // Tests: a panic is a failed test with its location.

    use super::*;
    use chrono::{TimeZone, Utc};
    use fulcrum_analysis::route::{Ask, Conflict, Mode, Reason};

    fn sample() -> Route {
        Route {
            decision_type: Some("status".to_owned()),
            mode: Mode::Async,
            format: "written update".to_owned(),
            sla: "normal".to_owned(),
            sla_hours: 24.0,
            who_decides: "the owner of the work".to_owned(),
            respond_in: "a reply in the update's thread".to_owned(),
            asked_at: Utc.with_ymd_and_hms(2026, 3, 6, 21, 0, 0).unwrap(),
            deadline: Utc.with_ymd_and_hms(2026, 3, 11, 20, 0, 0).unwrap(),
            clock: DeadlineClock::Business("[team] working hours (America/New_York)".to_owned()),
            tz: chrono_tz::America::New_York,
            ask: Ask {
                context: "<context>".to_owned(),
                decision_needed: "<question>".to_owned(),
                deadline: "Wed".to_owned(),
                where_to_respond: "the thread".to_owned(),
            },
            why: vec![Reason {
                rule: "policy".to_owned(),
                text: "the policy says so".to_owned(),
            }],
            conflicts: vec![Conflict {
                message: "--urgency high conflicts".to_owned(),
                what_to_do: "change the type".to_owned(),
            }],
        }
    }

    #[test]
    fn text_shows_local_deadline_clock_ask_why_and_warning() {
        let mut out = Vec::new();
        write_text(&sample(), &mut out).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(text.contains("decision type: status\n"), "{text}");
        assert!(
            text.contains(
                "deadline:      Wed 2026-03-11 16:00 America/New_York (business-hours clock: [team] working hours (America/New_York))"
            ),
            "{text}"
        );
        assert!(text.contains("  Where to respond: the thread\n"), "{text}");
        assert!(text.contains("  - [policy] the policy says so\n"), "{text}");
        assert!(
            text.ends_with("warning: --urgency high conflicts\n  what to do: change the type\n"),
            "{text}"
        );
    }

    #[test]
    fn json_deadline_is_local_with_its_offset_and_in_utc() {
        let v = to_json(&sample(), "fulcrum.toml");
        assert_eq!(v["deadline"], "2026-03-11T16:00:00-04:00");
        assert_eq!(v["deadline_utc"], "2026-03-11T20:00:00Z");
        assert_eq!(v["clock"]["kind"], "business");
        assert_eq!(v["warnings"][0]["what_to_do"], "change the type");
    }

    #[test]
    fn unknown_type_json_names_known_and_closest() {
        let mut out = Vec::new();
        let e = RouteError::UnknownType {
            given: "vendr".to_owned(),
            known: vec!["status".to_owned(), "vendor-choice".to_owned()],
            closest: Some("vendor-choice".to_owned()),
        };
        write_error_json(&e, &mut out).unwrap();
        let v: Value = serde_json::from_slice(&out).unwrap();
        assert_eq!(v["closest"], "vendor-choice");
        assert_eq!(v["known_types"][1], "vendor-choice");
        assert!(
            v["error"]
                .as_str()
                .unwrap()
                .contains("unknown decision type")
        );
    }
}
