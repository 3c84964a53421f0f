//! `fulcrum lint`'s output: rustc-like text with a summary by rule, or the
//! tools' JSON object.

use crate::tool_json::{WindowJson, envelope};
use fulcrum_analysis::lint::{Finding, LintOutcome, Severity};
use fulcrum_model::diagnostic::Diagnostic;
use fulcrum_model::series_short_id;
use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::io::{self, Write};

fn location(f: &Finding) -> String {
    match (&f.file, f.line) {
        (Some(file), Some(line)) => format!("{file}:{line}"),
        (Some(file), None) => file.to_string(),
        _ => "<unknown>".to_owned(),
    }
}

/// "1 meeting", "2 meetings".
fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// Per rule: severity, findings (series and one-offs), instances.
fn by_rule(outcome: &LintOutcome) -> BTreeMap<&'static str, (Severity, usize, u64)> {
    let mut rules: BTreeMap<&'static str, (Severity, usize, u64)> = BTreeMap::new();
    for f in &outcome.findings {
        let e = rules.entry(f.rule).or_insert((f.severity, 0, 0));
        e.1 += 1;
        e.2 += u64::from(f.occurrences);
    }
    rules
}

/// The line that ends the text output, e.g. "10 meetings checked (4
/// occurrences of 1 series, 6 one-offs): 0 errors, 6 warnings, 1 note".
pub fn summary_line(outcome: &LintOutcome) -> String {
    let of_severity = |sev: Severity| {
        outcome
            .findings
            .iter()
            .filter(|f| f.severity == sev)
            .count()
    };
    let in_series = outcome.meetings - outcome.one_offs;
    let mut parts = Vec::new();
    if outcome.series > 0 {
        parts.push(format!(
            "{} of {}",
            count(in_series, "occurrence", "occurrences"),
            count(outcome.series, "series", "series")
        ));
    }
    if outcome.one_offs > 0 {
        parts.push(count(outcome.one_offs, "one-off", "one-offs"));
    }
    let what = if parts.is_empty() {
        String::new()
    } else {
        format!(" ({})", parts.join(", "))
    };
    format!(
        "{} checked{what}: {}, {}, {}",
        count(outcome.meetings, "meeting", "meetings"),
        count(of_severity(Severity::Error), "error", "errors"),
        count(of_severity(Severity::Warning), "warning", "warnings"),
        count(of_severity(Severity::Note), "note", "notes"),
    )
}

/// Writes findings as rustc does, one per series (or one-off) and rule:
///
/// ```text
/// warning[missing_agenda]: no agenda (series)
///   --> calendars/ana.ics:12
///    = meeting: 2024-09-02 09:00 "Weekly sync" (id 1f3a9c07)
///    = occurrences: 13, the last on 2024-11-25 09:00
///    = help: add an agenda to the description ("Agenda:" or a list of topics)
/// ```
///
/// then the rules skipped, the findings by rule and a summary line.
pub fn write_text(out: &mut impl Write, outcome: &LintOutcome) -> io::Result<()> {
    for f in &outcome.findings {
        writeln!(out, "{}[{}]: {}", f.severity.as_str(), f.rule, f.message)?;
        writeln!(out, "  --> {}", location(f))?;
        writeln!(
            out,
            "   = meeting: {} {:?} (id {})",
            f.start.naive_local().format("%Y-%m-%d %H:%M"),
            f.summary,
            series_short_id(&f.uid)
        )?;
        if f.occurrences > 1 {
            writeln!(
                out,
                "   = occurrences: {}, the last on {}",
                f.occurrences,
                f.last.naive_local().format("%Y-%m-%d %H:%M")
            )?;
        }
        writeln!(out, "   = help: {}", f.help)?;
        writeln!(out)?;
    }
    for s in &outcome.skipped {
        writeln!(out, "note: rule skipped: {s}")?;
    }
    if outcome.meetings == 0 {
        writeln!(
            out,
            "note: no event in the window is a meeting (a meeting has two or more participants and is not cancelled, free, all-day or 12 h or longer)"
        )?;
    }
    let rules = by_rule(outcome);
    if !rules.is_empty() {
        let width = rules.keys().map(|r| r.len()).max().unwrap_or(0);
        writeln!(out, "by rule:")?;
        for (rule, (severity, findings, occurrences)) in &rules {
            writeln!(
                out,
                "  {rule:width$}  {:<7}  {}, {}",
                severity.as_str(),
                count(*findings, "finding", "findings"),
                count(*occurrences as usize, "occurrence", "occurrences"),
            )?;
        }
    }
    writeln!(out, "{}", summary_line(outcome))
}

/// The tools' JSON object (`docs/moves.md`, "JSON output"): `findings`
/// (one per series or one-off and rule), `by_rule`, `skipped` and the
/// counts.
pub fn to_json(outcome: &LintOutcome, window: WindowJson<'_>, problems: &[Diagnostic]) -> Value {
    let findings: Vec<Value> = outcome
        .findings
        .iter()
        .map(|f| {
            json!({
                "rule": f.rule,
                "severity": f.severity.as_str(),
                "file": f.file.as_deref(),
                "line": f.line,
                "uid": &*f.uid,
                "id": series_short_id(&f.uid),
                "in_series": f.in_series,
                "start": f.start.to_string(),
                "last": f.last.to_string(),
                "occurrences": f.occurrences,
                "summary": f.summary,
                "message": f.message,
                "help": f.help,
            })
        })
        .collect();
    let by_rule: Vec<Value> = by_rule(outcome)
        .into_iter()
        .map(|(rule, (severity, findings, occurrences))| {
            json!({"rule": rule, "severity": severity.as_str(), "findings": findings, "occurrences": occurrences})
        })
        .collect();
    envelope(
        "lint",
        Some(window),
        problems,
        json!({
            "meetings": outcome.meetings,
            "series": outcome.series,
            "one_offs": outcome.one_offs,
            "findings": findings,
            "by_rule": by_rule,
            "skipped": outcome.skipped,
        }),
    )
}
