//! `fulcrum lint`'s output: rustc-like text, or a JSON array of findings.

use fulcrum_analysis::lint::{Finding, LintOutcome};
use serde_json::json;
use std::io::{self, Write};

fn location(f: &Finding) -> String {
    match (&f.file, f.line) {
        (Some(file), Some(line)) => format!("{file}:{line}"),
        (Some(file), None) => file.to_string(),
        _ => "<unknown>".to_owned(),
    }
}

/// Writes findings as rustc does:
///
/// ```text
/// warning[missing_agenda]: no agenda (series)
///   --> calendars/ana.ics:12
///    = meeting: 2024-09-02 09:00 "Weekly sync" (uid sync-1)
///    = help: add an agenda to the description ("Agenda:" or a list of topics)
/// ```
///
/// then the rules skipped and a summary line.
pub fn write_text(out: &mut impl Write, outcome: &LintOutcome) -> io::Result<()> {
    for f in &outcome.findings {
        writeln!(out, "{}[{}]: {}", f.severity.as_str(), f.rule, f.message)?;
        writeln!(out, "  --> {}", location(f))?;
        writeln!(
            out,
            "   = meeting: {} {:?} (uid {})",
            f.start.naive_local().format("%Y-%m-%d %H:%M"),
            f.summary,
            f.uid
        )?;
        writeln!(out, "   = help: {}", f.help)?;
        writeln!(out)?;
    }
    for s in &outcome.skipped {
        writeln!(out, "note: rule skipped: {s}")?;
    }
    let count = |sev: &str| {
        outcome
            .findings
            .iter()
            .filter(|f| f.severity.as_str() == sev)
            .count()
    };
    writeln!(
        out,
        "{} meeting(s) in {} series and one-offs checked: {} error(s), {} warning(s), {} note(s)",
        outcome.meetings,
        outcome.series,
        count("error"),
        count("warning"),
        count("note"),
    )
}

/// Writes a JSON array, one object per finding with `rule`, `severity`,
/// `file`, `line`, `uid`, `start`, `summary`, `message`, `help`.
pub fn write_json(out: &mut impl Write, outcome: &LintOutcome) -> io::Result<()> {
    let items: Vec<serde_json::Value> = outcome
        .findings
        .iter()
        .map(|f| {
            json!({
                "rule": f.rule,
                "severity": f.severity.as_str(),
                "file": f.file.as_deref(),
                "line": f.line,
                "uid": &*f.uid,
                "start": f.start.to_string(),
                "summary": f.summary,
                "message": f.message,
                "help": f.help,
            })
        })
        .collect();
    serde_json::to_writer_pretty(&mut *out, &items).map_err(io::Error::from)?;
    writeln!(out)
}
