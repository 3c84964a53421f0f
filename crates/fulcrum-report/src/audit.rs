//! `fulcrum audit`'s output: a terminal table, CSV (one row per series) and
//! JSON.

use crate::tool_json::{WindowJson, envelope};
use fulcrum_analysis::audit::SeriesAudit;
use fulcrum_model::diagnostic::Diagnostic;
use fulcrum_model::series_short_id;
use serde_json::{Value, json};
use std::io::{self, Write};

fn location(a: &SeriesAudit) -> String {
    a.source
        .as_ref()
        .map_or_else(String::new, |s| format!("{}:{}", s.file, s.line))
}

fn hours(x: f64) -> String {
    format!("{x:.1}")
}

fn truncate(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_owned()
    } else {
        let mut t: String = s.chars().take(n - 1).collect();
        t.push('~');
        t
    }
}

/// Writes a table sorted as given (by cost), then each series' reasons.
pub fn write_text(out: &mut impl Write, audits: &[SeriesAudit]) -> io::Result<()> {
    if audits.is_empty() {
        return writeln!(out, "no recurring meetings in the window");
    }
    let with_cost = audits.iter().any(|a| a.cost.is_some());
    writeln!(
        out,
        "{:<8}  {:<32} {:<20} {:<10} {:>5} {:>8}{} {:>5} {:>8} {:>7} {:>6} {:>6} {:>4}  {:<10}",
        "ID",
        "SERIES",
        "ORGANIZER",
        "TEAM",
        "INST",
        "PERS-H",
        if with_cost { "     COST" } else { "" },
        "PPL",
        "DECLINE",
        "OVERRUN",
        "AGENDA",
        "OUTCOM",
        "END",
        "ADVICE"
    )?;
    for a in audits {
        let cost = match (with_cost, a.cost) {
            (true, Some(c)) => format!(" {c:>8.0}"),
            (true, None) => format!(" {:>8}", "-"),
            _ => String::new(),
        };
        writeln!(
            out,
            "{:<8}  {:<32} {:<20} {:<10} {:>5} {:>8}{} {:>5} {:>7.0}% {:>7} {:>5.0}% {:>5.0}% {:>4}  {:<10}",
            series_short_id(&a.uid),
            truncate(&a.summary, 32),
            truncate(&organizer(a), 20),
            truncate(a.team.as_deref().unwrap_or("-"), 10),
            a.occurrences,
            hours(a.person_hours),
            cost,
            a.attendees.len(),
            a.decline_rate * 100.0,
            a.overruns,
            a.agenda_share * 100.0,
            a.outcome_share * 100.0,
            if a.has_end { "yes" } else { "no" },
            a.recommendation.as_str()
        )?;
    }
    writeln!(out)?;
    for a in audits {
        writeln!(
            out,
            "{} {} ({}): {}",
            series_short_id(&a.uid),
            a.summary,
            location(a),
            a.recommendation.as_str()
        )?;
        let changed = a.last_changed.map_or_else(
            || "unknown".to_owned(),
            |t| t.format("%Y-%m-%d").to_string(),
        );
        writeln!(
            out,
            "  usually {} min; last changed {changed} (sequence {})",
            a.usual_minutes, a.sequence
        )?;
        for r in &a.reasons {
            writeln!(out, "  - {r}")?;
        }
    }
    Ok(())
}

/// The organizer's name, else their address, else "-".
fn organizer(a: &SeriesAudit) -> String {
    a.organizer_name
        .clone()
        .or_else(|| a.organizer.clone())
        .unwrap_or_else(|| "-".to_owned())
}

/// Writes one CSV row per series.
pub fn write_csv(out: &mut impl Write, audits: &[SeriesAudit]) -> io::Result<()> {
    writeln!(
        out,
        "id,uid,summary,organizer,organizer_name,team,file,line,occurrences,usual_minutes,overruns,person_hours,cost,attendees,decline_rate,agenda_share,outcome_share,has_end,last_changed,sequence,recommendation,reasons"
    )?;
    for a in audits {
        let row = [
            series_short_id(&a.uid),
            a.uid.to_string(),
            a.summary.clone(),
            a.organizer.clone().unwrap_or_default(),
            a.organizer_name.clone().unwrap_or_default(),
            a.team.clone().unwrap_or_default(),
            a.source
                .as_ref()
                .map_or_else(String::new, |s| s.file.to_string()),
            a.source
                .as_ref()
                .map_or_else(String::new, |s| s.line.to_string()),
            a.occurrences.to_string(),
            a.usual_minutes.to_string(),
            a.overruns.to_string(),
            format!("{:.2}", a.person_hours),
            a.cost.map_or_else(String::new, |c| format!("{c:.2}")),
            a.attendees.len().to_string(),
            format!("{:.3}", a.decline_rate),
            format!("{:.3}", a.agenda_share),
            format!("{:.3}", a.outcome_share),
            a.has_end.to_string(),
            a.last_changed.map_or_else(String::new, |t| t.to_rfc3339()),
            a.sequence.to_string(),
            a.recommendation.as_str().to_owned(),
            a.reasons.join("; "),
        ];
        let line: Vec<String> = row.iter().map(|f| crate::report::csv::field(f)).collect();
        writeln!(out, "{}", line.join(","))?;
    }
    Ok(())
}

/// The tools' JSON object (`docs/moves.md`, "JSON output"): `series`, one
/// object per series (attendees with their counts).
pub fn to_json(audits: &[SeriesAudit], window: WindowJson<'_>, problems: &[Diagnostic]) -> Value {
    let items: Vec<serde_json::Value> = audits
        .iter()
        .map(|a| {
            json!({
                "id": series_short_id(&a.uid),
                "uid": &*a.uid,
                "summary": a.summary,
                "organizer": a.organizer,
                "organizer_name": a.organizer_name,
                "team": a.team,
                "file": a.source.as_ref().map(|s| s.file.to_string()),
                "line": a.source.as_ref().map(|s| s.line),
                "occurrences": a.occurrences,
                "usual_minutes": a.usual_minutes,
                "overruns": a.overruns,
                "person_hours": a.person_hours,
                "cost": a.cost,
                "attendees": a.attendees.iter().map(|x| json!({
                    "address": x.address,
                    "invited": x.invited,
                    "declined": x.declined,
                })).collect::<Vec<_>>(),
                "decline_rate": a.decline_rate,
                "agenda_share": a.agenda_share,
                "outcome_share": a.outcome_share,
                "has_end": a.has_end,
                "last_changed": a.last_changed.map(|t| t.to_rfc3339()),
                "sequence": a.sequence,
                "recommendation": a.recommendation.as_str(),
                "reasons": a.reasons,
            })
        })
        .collect();
    envelope("audit", Some(window), problems, json!({ "series": items }))
}
