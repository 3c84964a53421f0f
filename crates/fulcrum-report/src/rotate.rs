//! `fulcrum rotate`'s output: the rotation as a table, CSV, or ICS events
//! naming the facilitator in each occurrence's description.

use crate::ics_write::{IcsEvent, stable_uid, write_calendar};
use chrono::{DateTime, Offset, Utc};
use chrono_tz::Tz;
use fulcrum_analysis::rotate::Assignment;
use std::io::{self, Write};

/// One candidate facilitator as the renderers show them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CandidateView {
    /// Display name.
    pub name: String,
    /// Email.
    pub email: String,
    /// Their zone: each assignment is shown in it too.
    pub tz: Tz,
}

/// The rotation of one series.
#[derive(Debug, Clone)]
pub struct RotationView<'a> {
    /// The series' title.
    pub title: &'a str,
    /// The series' UID.
    pub uid: &'a str,
    /// The series' short id.
    pub short_id: &'a str,
    /// The zone the series is shown in (its organizer's).
    pub tz: Tz,
    /// Candidates.
    pub candidates: &'a [CandidateView],
    /// Past facilitations per candidate.
    pub history: &'a [u32],
    /// The assignments, in time order.
    pub assignments: &'a [Assignment],
}

/// Why an occurrence has no facilitator, or `None` when it has one.
fn nobody(v: &RotationView<'_>, a: &Assignment) -> Option<String> {
    if a.facilitator.is_some() {
        return None;
    }
    Some(if a.team_away(v.candidates.len()) {
        format!(
            "nobody: {} of {} away (holiday?); the meeting is unlikely to take place",
            a.away,
            v.candidates.len()
        )
    } else {
        "nobody: no candidate is working then".to_owned()
    })
}

fn who(v: &RotationView<'_>, a: &Assignment) -> String {
    match a.facilitator {
        Some(i) => v.candidates[i].name.clone(),
        None => nobody(v, a).unwrap_or_default(),
    }
}

/// A table for people to read: each occurrence in the series' zone and in
/// UTC, the facilitator with the time on their own clock when their zone
/// differs.
pub fn write_table(v: &RotationView<'_>, out: &mut impl Write) -> io::Result<()> {
    writeln!(
        out,
        "facilitation rotation for {:?} (id {})",
        v.title, v.short_id
    )?;
    let header = format!("occurrence ({})", short_zone(v.tz));
    let width = header.len().max(20);
    writeln!(out, "{header:<width$}  {:<5}  facilitator", "UTC")?;
    for a in v.assignments {
        let local = a.occurrence.start.with_timezone(&v.tz);
        let facilitator = match a.facilitator {
            Some(i) => {
                let c = &v.candidates[i];
                let theirs = a.occurrence.start.with_timezone(&c.tz);
                if theirs.offset().fix() == local.offset().fix() {
                    c.name.clone()
                } else {
                    format!("{} ({} {})", c.name, theirs.format("%H:%M"), c.tz.name())
                }
            }
            None => nobody(v, a).unwrap_or_default(),
        };
        writeln!(
            out,
            "{:<width$}  {:<5}  {}",
            local.format("%a %Y-%m-%d %H:%M").to_string(),
            a.occurrence.start.format("%H:%M"),
            facilitator
        )?;
    }
    writeln!(out, "(times in {}; UTC alongside)", v.tz.name())?;
    writeln!(out)?;
    writeln!(
        out,
        "{:<24} {:>7} {:>8} {:>6}",
        "candidate", "history", "assigned", "total"
    )?;
    for (i, c) in v.candidates.iter().enumerate() {
        let n = v
            .assignments
            .iter()
            .filter(|a| a.facilitator == Some(i))
            .count() as u32;
        writeln!(
            out,
            "{:<24} {:>7} {:>8} {:>6}",
            c.name,
            v.history[i],
            n,
            v.history[i] + n
        )?;
    }
    Ok(())
}

/// The last part of a zone name ("Los_Angeles" of America/Los_Angeles),
/// for a column header.
fn short_zone(tz: Tz) -> String {
    tz.name()
        .rsplit('/')
        .next()
        .unwrap_or(tz.name())
        .replace('_', " ")
}

/// The rotation as the tools' JSON object (`docs/moves.md`, "JSON").
pub fn to_json(v: &RotationView<'_>) -> serde_json::Value {
    let assignments: Vec<serde_json::Value> = v
        .assignments
        .iter()
        .map(|a| {
            let c = a.facilitator.map(|i| &v.candidates[i]);
            serde_json::json!({
                "start_utc": a.occurrence.start.to_rfc3339(),
                "end_utc": a.occurrence.end.to_rfc3339(),
                "start_local": a.occurrence.start.with_timezone(&v.tz).to_rfc3339(),
                "facilitator": c.map(|c| serde_json::json!({
                    "name": c.name,
                    "email": c.email,
                    "tz": c.tz.name(),
                    "start_local": a.occurrence.start.with_timezone(&c.tz).to_rfc3339(),
                })),
                "away": a.away,
                "team_away": a.team_away(v.candidates.len()),
                "why_nobody": nobody(v, a),
            })
        })
        .collect();
    serde_json::json!({
        "series": {"id": v.short_id, "uid": v.uid, "title": v.title, "tz": v.tz.name()},
        "candidates": v.candidates.iter().enumerate().map(|(i, c)| serde_json::json!({
            "name": c.name,
            "email": c.email,
            "tz": c.tz.name(),
            "history": v.history[i],
            "assigned": v.assignments.iter().filter(|a| a.facilitator == Some(i)).count(),
        })).collect::<Vec<_>>(),
        "assignments": assignments,
    })
}

/// CSV: `start_utc,end_utc,facilitator,email`.
pub fn write_csv(v: &RotationView<'_>, out: &mut impl Write) -> io::Result<()> {
    writeln!(out, "start_utc,end_utc,facilitator,email")?;
    for a in v.assignments {
        let (name, email) = a
            .facilitator
            .map(|i| (v.candidates[i].name.clone(), v.candidates[i].email.clone()))
            .unwrap_or_default();
        let quote = |s: &str| format!("\"{}\"", s.replace('"', "\"\""));
        writeln!(
            out,
            "{},{},{},{}",
            a.occurrence.start.to_rfc3339(),
            a.occurrence.end.to_rfc3339(),
            quote(&name),
            quote(&email)
        )?;
    }
    Ok(())
}

/// ICS: one free (TRANSPARENT) event per occurrence naming the facilitator,
/// with a UID stable per series and start.
pub fn write_ics(v: &RotationView<'_>, now: DateTime<Utc>, out: &mut impl Write) -> io::Result<()> {
    let events: Vec<IcsEvent> = v
        .assignments
        .iter()
        .map(|a| IcsEvent {
            uid: stable_uid(
                &[v.uid, "facilitator", &a.occurrence.start.to_rfc3339()],
                "fulcrum.rotate",
            ),
            start: a.occurrence.start,
            end: a.occurrence.end,
            summary: format!("Facilitator: {} ({})", who(v, a), v.title),
            description: Some(format!(
                "Facilitator of {}: {}.\nPlanned by fulcrum rotate.",
                v.title,
                who(v, a)
            )),
            categories: vec!["Facilitation".into()],
            busy: false,
            url: None,
        })
        .collect();
    write_calendar(out, &format!("Facilitation: {}", v.title), now, &events)
}
