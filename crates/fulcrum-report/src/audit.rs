//! `fulcrum audit`'s output: a terminal table, CSV (one row per series) and
//! JSON.

use fulcrum_analysis::audit::SeriesAudit;
use serde_json::json;
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
        "{:<32} {:>5} {:>8}{} {:>5} {:>8} {:>7} {:>6} {:>6} {:>4}  {:<10}",
        "SERIES",
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
            "{:<32} {:>5} {:>8}{} {:>5} {:>7.0}% {:>7} {:>5.0}% {:>5.0}% {:>4}  {:<10}",
            truncate(&a.summary, 32),
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
            "{} ({}): {}",
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

fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_owned()
    }
}

/// Writes one CSV row per series.
pub fn write_csv(out: &mut impl Write, audits: &[SeriesAudit]) -> io::Result<()> {
    writeln!(
        out,
        "uid,summary,organizer,file,line,occurrences,usual_minutes,overruns,person_hours,cost,attendees,decline_rate,agenda_share,outcome_share,has_end,last_changed,sequence,recommendation,reasons"
    )?;
    for a in audits {
        let row = [
            a.uid.to_string(),
            a.summary.clone(),
            a.organizer.clone().unwrap_or_default(),
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
        let line: Vec<String> = row.iter().map(|f| csv_field(f)).collect();
        writeln!(out, "{}", line.join(","))?;
    }
    Ok(())
}

/// Writes a JSON array, one object per series (attendees with their counts).
pub fn write_json(out: &mut impl Write, audits: &[SeriesAudit]) -> io::Result<()> {
    let items: Vec<serde_json::Value> = audits
        .iter()
        .map(|a| {
            json!({
                "uid": &*a.uid,
                "summary": a.summary,
                "organizer": a.organizer,
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
    serde_json::to_writer_pretty(&mut *out, &items).map_err(io::Error::from)?;
    writeln!(out)
}
