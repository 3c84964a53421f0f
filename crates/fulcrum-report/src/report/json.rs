//! The report as JSON: the versioned schema documented in `docs/report.md`.
//! An unknown value is `null` with a `reason`, never 0; `people` is present
//! only when individuals are allowed.

use super::{
    Cell, ExampleView, ExperimentView, FindingView, PersonView, Report, SignalCell, TeamView,
    WeekView,
};
use fulcrum_model::diagnostic::Diagnostic;
use serde::{Serialize, Serializer};
use serde_json::{Map, Value, json};
use std::collections::BTreeMap;
use std::io::{self, Write};

fn number(x: f64) -> Value {
    // Rounded to 6 decimals: enough for any share or hour, and stable;
    // adding 0.0 writes a negative zero (an empty float sum) as 0.0.
    let r = (x * 1e6).round() / 1e6 + 0.0;
    serde_json::Number::from_f64(r).map_or(Value::Null, Value::Number)
}

fn opt(x: Option<f64>) -> Value {
    x.map_or(Value::Null, number)
}

/// A cell: `{"value": x|null, "reason": null|"...", "members_with_data": n, ...details}`.
pub fn cell(c: &Cell) -> Value {
    let mut m = Map::new();
    m.insert("value".into(), opt(c.value));
    m.insert(
        "reason".into(),
        c.reason
            .map_or(Value::Null, |r| Value::String(r.to_owned())),
    );
    if let Some(n) = c.members_with_data {
        m.insert("members_with_data".into(), json!(n));
    }
    for d in &c.details {
        m.insert(d.key.to_owned(), number(d.value));
    }
    Value::Object(m)
}

fn signals(cells: &[SignalCell]) -> Value {
    Value::Object(
        cells
            .iter()
            .map(|c| (c.signal.as_str().to_owned(), cell(&c.cell)))
            .collect(),
    )
}

/// A team's or a person's week: `{"week": "2026-W37", "members_away": 0,
/// "signals": {...}}` (`"away": false` for a person).
fn week(w: &WeekView) -> Value {
    let mut m = Map::new();
    m.insert("week".into(), Value::String(w.week.to_string()));
    match w.away {
        super::Away::Members(n) => m.insert("members_away".into(), json!(n)),
        super::Away::Person(away) => m.insert("away".into(), json!(away)),
    };
    m.insert("signals".into(), signals(&w.cells));
    Value::Object(m)
}

fn example(e: &ExampleView) -> Value {
    json!({
        "at": e.at, "zone": e.zone, "week": e.week, "when": e.when,
        "place": e.place, "detail": e.detail,
    })
}

fn finding(f: &FindingView) -> Value {
    json!({
        "id": f.id,
        "team": f.team,
        "severity": f.severity.as_str(),
        "title": f.title,
        "pattern": f.pattern,
        "summary": f.summary,
        "evidence": {
            "checks": f.checks.iter().map(|c| json!({
                "signal": c.signal.as_str(),
                "threshold_key": c.threshold_key,
                "op": c.op,
                "threshold": number(c.threshold),
                "value": opt(c.value),
                "first_half": opt(c.first_half),
                "second_half": opt(c.second_half),
                "weeks_past": c.weeks_past,
                "weeks_with_data": c.weeks_with_data,
                "weeks_suppressed": c.weeks_suppressed,
                "fired": c.fired,
                "severity": c.severity.map(|s| s.as_str()),
                "text": c.text,
            })).collect::<Vec<_>>(),
            "context": f.context.iter().map(|c| json!({"signal": c.signal.as_str(), "value": opt(c.value)})).collect::<Vec<_>>(),
            "examples": f.examples.iter().map(example).collect::<Vec<_>>(),
            "top_organizer": f.top_organizer,
        },
        "moves": f.moves.iter().map(|m| json!({"name": m.name, "why": m.why})).collect::<Vec<_>>(),
        "experiment": {
            "change": f.experiment.change,
            "weeks": f.experiment.weeks,
            "watch": f.experiment.watch.iter().map(|s| s.as_str()).collect::<Vec<_>>(),
            "answered_by": f.answered_by.as_ref().map(|a| json!({
                "id": a.id, "state": a.state, "verdict": a.verdict,
            })),
            "series": f.rotate_series.as_ref().map(|s| json!({
                "label": s.label, "short_id": s.short_id,
            })),
        },
    })
}

/// An experiment: a subset of `fulcrum experiment show --format json`
/// (docs/report.md says which fields, and that the command has the rest).
fn experiment(e: &ExperimentView) -> Value {
    let ev = e.evaluation.as_ref();
    json!({
        "id": e.spec.id,
        "team": e.spec.team,
        "change": e.spec.change,
        "finding": e.spec.finding.map(|f| f.as_str()),
        "state": e.state.as_str(),
        "ended": e.spec.ended.map(|d| d.to_string()),
        "windows": {
            "baseline": {"from": e.spec.baseline_dates().0.to_string(), "to": e.spec.baseline_dates().1.to_string()},
            "treatment": {"from": e.spec.treatment_dates().0.to_string(), "to": e.spec.treatment_dates().1.to_string()},
        },
        "in_window": ev.is_some(),
        "note": if ev.is_some() { Value::Null } else { Value::String(e.pointer()) },
        "control": ev.map(|x| x.control.clone()),
        "method": ev.map(|x| x.method.as_str()),
        "confidence": ev.map(|x| x.confidence),
        "primary": ev.map_or(Value::Null, crate::experiment::primary_json),
        "weeks": ev.map_or(Value::Null, crate::experiment::weeks_json),
        "verdict": e.verdict(),
        "reasons": ev.map(|x| x.reasons.clone()),
    })
}

fn team(t: &TeamView) -> Value {
    json!({
        "team": t.name,
        "members": t.members,
        "verdict": match t.verdict {
            fulcrum_analysis::findings::Verdict::Findings => "findings",
            fulcrum_analysis::findings::Verdict::NoFindings => "no_findings",
            fulcrum_analysis::findings::Verdict::NotAssessed => "not_assessed",
        },
        "verdict_text": t.verdict_text,
        "trends": t.trends.iter().map(|tr| json!({
            "signal": tr.id.as_str(),
            "value": opt(tr.value),
            "first_half": opt(tr.first_half),
            "second_half": opt(tr.second_half),
            "trend": tr.trend.as_str(),
            "weeks_with_data": tr.weeks_with_data,
            "weeks_suppressed": tr.weeks_suppressed,
        })).collect::<Vec<_>>(),
        "weeks": t.weeks.iter().map(week).collect::<Vec<_>>(),
        "overlap": t.overlap.as_ref().map(|o| json!({
            "week": o.week.to_string(),
            "hours_per_day": number(o.hours_per_day),
            "windows_utc": o.windows.iter().map(|w| json!({"weekday": w.weekday, "start_minute": w.start_minute, "end_minute": w.end_minute})).collect::<Vec<_>>(),
        })),
    })
}

/// The report as one JSON value (for callers that keep it, like the
/// dashboard); [`write`] streams the same document instead.
pub fn to_value(r: &Report) -> Value {
    let mut top = Map::new();
    for (key, part) in parts(r) {
        let value = match part {
            Part::Value(v) => v,
            Part::Teams(teams) => Value::Array(teams.iter().map(team).collect()),
            Part::People(people) => Value::Array(people.iter().map(person).collect()),
        };
        top.insert(key.to_owned(), value);
    }
    Value::Object(top)
}

/// One top-level member of the document: small ones built whole, the
/// per-team and per-person lists built one element at a time.
enum Part<'a> {
    Value(Value),
    Teams(&'a [TeamView]),
    People(&'a [PersonView]),
}

impl Serialize for Part<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Part::Value(v) => v.serialize(s),
            Part::Teams(teams) => s.collect_seq(teams.iter().map(team)),
            Part::People(people) => s.collect_seq(people.iter().map(person)),
        }
    }
}

/// The document's members in key order (the order a JSON object of
/// `serde_json` keeps), so streaming and [`to_value`] write the same bytes.
fn parts(r: &Report) -> BTreeMap<&'static str, Part<'_>> {
    let mut top = BTreeMap::new();
    top.insert("version", Part::Value(json!(r.version)));
    top.insert("title", Part::Value(json!(r.title)));
    top.insert(
        "window",
        Part::Value(json!({
            "from": r.window.from.to_string(),
            "to": r.window.to.to_string(),
            "weeks": r.window.weeks.iter().map(ToString::to_string).collect::<Vec<_>>(),
            "rule": r.window.rule,
        })),
    );
    top.insert(
        "privacy",
        Part::Value(json!({
            "min_group_size": r.min_group_size,
            "individuals": r.privacy.individuals,
            "pseudonymized": r.privacy.pseudonymized,
            "warning": r.privacy.warning,
            "notes": r.privacy.notes,
        })),
    );
    top.insert(
        "thresholds",
        Part::Value(Value::Object(
            r.thresholds
                .iter()
                .map(|t| (t.key.to_owned(), number(t.value)))
                .collect(),
        )),
    );
    top.insert(
        "coverage",
        Part::Value(Value::Array(
            r.coverage
                .iter()
                .map(|c| {
                    json!({
                        "key": c.key, "part": c.part, "whole": c.whole,
                        "share": if c.whole > 0 { number(c.part as f64 / c.whole as f64) } else { Value::Null },
                        "text": c.text,
                    })
                })
                .collect(),
        )),
    );
    top.insert(
        "inputs",
        Part::Value(Value::Object(
            r.inputs
                .iter()
                .map(|(k, v)| (k.clone(), Value::String(v.clone())))
                .collect(),
        )),
    );
    top.insert(
        "problems",
        Part::Value(Value::Array(r.problems.iter().map(diagnostic).collect())),
    );
    top.insert(
        "findings",
        Part::Value(Value::Array(r.findings.iter().map(finding).collect())),
    );
    top.insert(
        "experiments",
        Part::Value(Value::Array(r.experiments.iter().map(experiment).collect())),
    );
    top.insert("teams", Part::Teams(&r.teams));
    if let Some(people) = &r.people {
        top.insert("people", Part::People(people));
    }
    top
}

/// A located problem, as every JSON output writes one.
pub fn diagnostic(d: &Diagnostic) -> Value {
    json!({
        "severity": d.severity.as_str(),
        "source": &*d.source,
        "entry": d.entry,
        "line": d.line,
        "message": d.message,
        "help": d.help,
    })
}

fn person(p: &PersonView) -> Value {
    json!({
        "name": p.name,
        "email": p.email,
        "team": p.team,
        "weeks": p.weeks.iter().map(week).collect::<Vec<_>>(),
    })
}

/// Writes the report as pretty JSON and a newline.
pub fn write(r: &Report, out: &mut dyn Write) -> io::Result<()> {
    // Streamed: a big organisation's document is tens of megabytes, and a
    // whole `Value` tree of it costs several times that.
    serde_json::to_writer_pretty(&mut *out, &parts(r)).map_err(io::Error::from)?;
    out.write_all(b"\n")
}
