//! `fulcrum rotate`'s output: the rotation as a table, CSV, or ICS events
//! naming the facilitator in each occurrence's description.

use crate::ics_write::{IcsEvent, stable_uid, write_calendar};
use chrono::{DateTime, Utc};
use fulcrum_analysis::rotate::Assignment;
use std::io::{self, Write};

/// The rotation of one series.
#[derive(Debug, Clone)]
pub struct RotationView<'a> {
    /// The series' title.
    pub title: &'a str,
    /// The series' UID.
    pub uid: &'a str,
    /// Candidates: name and email.
    pub candidates: &'a [(String, String)],
    /// Past facilitations per candidate.
    pub history: &'a [u32],
    /// The assignments, in time order.
    pub assignments: &'a [Assignment],
}

fn who(v: &RotationView<'_>, a: &Assignment) -> String {
    a.facilitator
        .map(|i| v.candidates[i].0.clone())
        .unwrap_or_else(|| "(nobody working then)".into())
}

/// A table for people to read.
pub fn write_table(v: &RotationView<'_>, out: &mut impl Write) -> io::Result<()> {
    writeln!(out, "facilitation rotation for {:?} ({})", v.title, v.uid)?;
    writeln!(out, "{:<22} facilitator", "occurrence (UTC)")?;
    for a in v.assignments {
        writeln!(
            out,
            "{:<22} {}",
            a.occurrence.start.format("%a %Y-%m-%d %H:%M"),
            who(v, a)
        )?;
    }
    writeln!(out)?;
    writeln!(
        out,
        "{:<24} {:>7} {:>8} {:>6}",
        "candidate", "history", "assigned", "total"
    )?;
    for (i, (name, _)) in v.candidates.iter().enumerate() {
        let n = v
            .assignments
            .iter()
            .filter(|a| a.facilitator == Some(i))
            .count() as u32;
        writeln!(
            out,
            "{:<24} {:>7} {:>8} {:>6}",
            name,
            v.history[i],
            n,
            v.history[i] + n
        )?;
    }
    Ok(())
}

/// CSV: `start_utc,end_utc,facilitator,email`.
pub fn write_csv(v: &RotationView<'_>, out: &mut impl Write) -> io::Result<()> {
    writeln!(out, "start_utc,end_utc,facilitator,email")?;
    for a in v.assignments {
        let (name, email) = a
            .facilitator
            .map(|i| v.candidates[i].clone())
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
        })
        .collect();
    write_calendar(out, &format!("Facilitation: {}", v.title), now, &events)
}
