//! `fulcrum experiment list` and `show`: the terminal view, the JSON
//! object (schema version [`SCHEMA_VERSION`], `docs/experiments.md`) and
//! one HTML page with the report's before/after chart.
//!
//! Aggregates only: an evaluation holds group means and counts, never a
//! person's values, so there is nothing for privacy to remove here; a
//! group under the minimum size already carries no number.

use fulcrum_experiments::judge::shown;
use fulcrum_experiments::{Evaluation, SignalResult};
use serde_json::{Value, json};
use std::io::{self, Write};

/// The version of the JSON object of `experiment show --format json`.
pub const SCHEMA_VERSION: u32 = 1;

fn num(x: Option<f64>) -> Value {
    x.filter(|v| v.is_finite())
        .map_or(Value::Null, |v| json!((v * 1e6).round() / 1e6 + 0.0))
}

fn result_json(r: &SignalResult) -> Value {
    let e = r.estimate;
    json!({
        "signal": r.measure.id(),
        "role": r.role.as_str(),
        "unit": r.measure.unit().as_str(),
        "basis": r.basis.as_str(),
        "baseline": num(r.baseline),
        "treatment": num(r.treatment),
        "control_change": num(r.control_change),
        "effect": num(e.map(|e| e.effect)),
        "low": num(e.map(|e| e.low)),
        "high": num(e.map(|e| e.high)),
        "mde": num(e.map(|e| e.mde)),
        "n": r.n,
        "n_control": r.n_control,
        "tolerance": num(r.tolerance),
        "note": r.no_estimate,
    })
}

/// The primary's week-by-week means, with the control teams' band.
pub fn weeks_json(e: &Evaluation) -> Value {
    Value::Array(
        e.weeks
            .iter()
            .map(|w| {
                json!({
                    "week": w.week.to_string(),
                    "treated": num(w.treated),
                    "control": num(w.control),
                    "control_low": num(w.control_low),
                    "control_high": num(w.control_high),
                })
            })
            .collect(),
    )
}

/// The JSON object of the primary's result (`results[0]` of [`to_json`]).
pub fn primary_json(e: &Evaluation) -> Value {
    e.results
        .iter()
        .find(|r| r.role == fulcrum_experiments::Role::Primary)
        .map_or(Value::Null, result_json)
}

/// The JSON object of one evaluation.
pub fn to_json(e: &Evaluation) -> Value {
    json!({
        "version": SCHEMA_VERSION,
        "id": e.spec.id,
        "team": e.spec.team,
        "change": e.spec.change,
        "control": e.control,
        "control_left_out": e.control_notes,
        "state": e.state.as_str(),
        "ended": e.spec.ended.map(|d| d.to_string()),
        "windows": {
            "baseline": {"from": e.baseline.0.to_string(), "to": e.baseline.1.to_string()},
            "treatment": {"from": e.treatment.0.to_string(), "to": e.treatment.1.to_string()},
        },
        "people": {
            "treated": e.treated_people,
            "control": e.control_people,
            "excluded": e.excluded.iter().map(|x| json!({"reason": x.reason, "count": x.count, "detail": x.detail})).collect::<Vec<_>>(),
        },
        "method": e.method.as_str(),
        "confidence": e.confidence,
        "primary": {"signal": e.spec.primary.as_str(), "expect": e.spec.expect.as_str(), "min_effect": e.spec.min_effect},
        "results": e.results.iter().map(result_json).collect::<Vec<_>>(),
        "pretrend": e.pretrend.as_ref().map(|p| json!({"ok": p.ok, "detail": p.detail})),
        "placebo": e.placebo.map(|p| json!({"rank": p.rank, "of": p.of})),
        "baseline_trend": e.baseline_trend,
        "weeks": weeks_json(e),
        "verdict": e.verdict.as_str(),
        "reasons": e.reasons,
    })
}

/// Writes the JSON object, pretty-printed, with a final newline.
pub fn write_json(out: &mut dyn Write, e: &Evaluation) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, &to_json(e))?;
    writeln!(out)
}

fn cell(x: Option<f64>) -> String {
    x.map_or_else(|| "-".to_owned(), |v| format!("{v:.2}"))
}

/// The terminal view of one evaluation.
pub fn write_term(out: &mut dyn Write, e: &Evaluation) -> io::Result<()> {
    let s = &e.spec;
    writeln!(
        out,
        "experiment {} (team {}): {}",
        s.id,
        s.team,
        e.verdict.as_str()
    )?;
    if let Some(c) = &s.change {
        writeln!(out, "  change     {c}")?;
    }
    writeln!(
        out,
        "  windows    baseline {} to {}, treatment {} to {} ({})",
        e.baseline.0,
        e.baseline.1,
        e.treatment.0,
        e.treatment.1,
        e.state.as_str()
    )?;
    if let Some(end) = s.ended {
        writeln!(
            out,
            "  ended      early, on {end}: the treatment keeps the whole weeks before it"
        )?;
    }
    writeln!(
        out,
        "  primary    {} expected to {} by at least {}",
        s.primary.as_str(),
        s.expect.as_str(),
        s.min_effect
    )?;
    writeln!(out, "  method     {}", e.method.words())?;
    let controls = if e.control.is_empty() {
        "none".to_owned()
    } else {
        e.control.join(", ")
    };
    writeln!(out, "  control    {controls}")?;
    for n in &e.control_notes {
        writeln!(out, "             {n}")?;
    }
    writeln!(
        out,
        "  people     {} treated, {} control (with {} in both windows)",
        e.treated_people,
        e.control_people,
        s.primary.as_str()
    )?;
    for x in &e.excluded {
        writeln!(out, "  left out   {} {}", x.count, x.detail)?;
    }
    writeln!(out)?;
    writeln!(
        out,
        "  {:<36} {:<9} {:>9} {:>9} {:>9} {:>19} {:>8} {:>9}",
        "signal",
        "role",
        "baseline",
        "treatment",
        "effect",
        format!("{:.0}% interval", e.confidence * 100.0),
        "mde",
        "n"
    )?;
    for r in &e.results {
        let m = r.measure;
        let f = |x: Option<f64>| cell(x.map(|v| shown(m, v)));
        let est = r.estimate;
        let interval = match est {
            Some(x) => format!("{:.2} to {:.2}", shown(m, x.low), shown(m, x.high)),
            None => "-".to_owned(),
        };
        let n = match r.basis {
            fulcrum_experiments::Basis::People => format!("{}p", r.n),
            fulcrum_experiments::Basis::Weeks => format!("{}wk", r.n),
        };
        writeln!(
            out,
            "  {:<36} {:<9} {:>9} {:>9} {:>9} {:>19} {:>8} {:>9}",
            format!("{} ({})", m.id(), m.unit().as_str()),
            r.role.as_str(),
            f(r.baseline),
            f(r.treatment),
            f(est.map(|x| x.effect)),
            interval,
            f(est.map(|x| x.mde)),
            n
        )?;
        if let Some(why) = &r.no_estimate {
            writeln!(out, "  {:<36} {why}", "")?;
        }
    }
    writeln!(
        out,
        "  (shares in percentage points; n in people, or in weeks for team-week signals: p = people, wk = weeks)"
    )?;
    writeln!(out)?;
    if let Some(p) = &e.pretrend {
        writeln!(
            out,
            "  pre-trend  {}: {}",
            if p.ok { "ok" } else { "check" },
            p.detail
        )?;
    }
    match e.placebo {
        Some(p) => writeln!(
            out,
            "  placebo    the real effect ranks {} of {} (each control team treated as if it had changed)",
            p.rank, p.of
        )?,
        None if e.control.len() == 1 => writeln!(
            out,
            "  placebo    not run: it needs two or more control teams"
        )?,
        None => {}
    }
    if let Some(t) = &e.baseline_trend {
        writeln!(out, "  trend      {t}")?;
    }
    if !e.weeks.is_empty() {
        let row: Vec<String> = e
            .weeks
            .iter()
            .map(|w| {
                let gap = match (w.treated, w.control) {
                    (Some(t), Some(c)) => format!("{:+.1}", shown(s_primary(e), t - c)),
                    (Some(t), None) => format!("{:.1}", shown(s_primary(e), t)),
                    _ => "-".to_owned(),
                };
                format!("W{:02} {gap}", w.week.week)
            })
            .collect();
        let what = if e.control.is_empty() {
            "treated mean"
        } else {
            "treated minus control"
        };
        writeln!(out, "  by week    {what}: {}", row.join("  "))?;
    }
    writeln!(out)?;
    writeln!(out, "verdict: {}", e.verdict.as_str())?;
    for r in &e.reasons {
        writeln!(out, "  - {r}")?;
    }
    Ok(())
}

fn s_primary(e: &Evaluation) -> fulcrum_experiments::Measure {
    fulcrum_experiments::Measure::Signal(e.spec.primary)
}

/// `experiment list`: id, team, dates, state, verdict.
pub fn write_list(out: &mut dyn Write, list: &[Evaluation]) -> io::Result<()> {
    writeln!(
        out,
        "{:<24} {:<14} {:<12} {:<25} {:<8} verdict",
        "id", "team", "start", "treatment", "state"
    )?;
    for e in list {
        writeln!(
            out,
            "{:<24} {:<14} {:<12} {:<25} {:<8} {}",
            e.spec.id,
            e.spec.team,
            e.spec.start.to_string(),
            format!("{} to {}", e.treatment.0, e.treatment.1),
            e.state.as_str(),
            e.verdict.as_str()
        )?;
    }
    Ok(())
}

/// `experiment list --format csv`: one row per experiment and signal
/// result (primary, guardrails, secondaries), with the experiment's state
/// and verdict repeated on each row, so a spreadsheet can filter and chart
/// them. Numbers are rounded to 6 decimals; an empty cell is unknown (the
/// `note` says why), never 0.
pub fn write_csv(out: &mut dyn Write, list: &[Evaluation]) -> io::Result<()> {
    use crate::report::csv::{field, number};
    let cell = |x: Option<f64>| x.filter(|v| v.is_finite()).map(number).unwrap_or_default();
    writeln!(
        out,
        "id,team,start,treatment_from,treatment_to,ended,state,method,verdict,signal,role,unit,basis,baseline,treatment,control_change,effect,low,high,mde,n,n_control,tolerance,note"
    )?;
    for e in list {
        for r in &e.results {
            let est = r.estimate;
            let line = [
                field(&e.spec.id),
                field(&e.spec.team),
                e.spec.start.to_string(),
                e.treatment.0.to_string(),
                e.treatment.1.to_string(),
                e.spec.ended.map(|d| d.to_string()).unwrap_or_default(),
                e.state.as_str().to_owned(),
                e.method.as_str().to_owned(),
                field(e.verdict.as_str()),
                r.measure.id().to_owned(),
                r.role.as_str().to_owned(),
                field(r.measure.unit().as_str()),
                r.basis.as_str().to_owned(),
                cell(r.baseline),
                cell(r.treatment),
                cell(r.control_change),
                cell(est.map(|x| x.effect)),
                cell(est.map(|x| x.low)),
                cell(est.map(|x| x.high)),
                cell(est.map(|x| x.mde)),
                r.n.to_string(),
                r.n_control.to_string(),
                cell(r.tolerance),
                field(r.no_estimate.as_deref().unwrap_or("")),
            ];
            writeln!(out, "{}", line.join(","))?;
        }
    }
    Ok(())
}

/// One self-contained HTML page of an evaluation: the report's stylesheet
/// and its before/after chart ([`crate::report::html::experiment_chart`]),
/// every result in a table, the checks, the verdict and its reasons. No
/// script; styled by classes only.
pub fn write_html(out: &mut dyn Write, e: &Evaluation) -> io::Result<()> {
    use crate::report::svg::esc;
    let s = &e.spec;
    let mut h = String::with_capacity(1 << 14);
    h.push_str(&format!(
        r#"<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><meta name="generator" content="fulcrum experiment show, schema {SCHEMA_VERSION}"><title>Experiment {id}</title><style>{css}</style></head><body><header><h1>Experiment {id} (team {team}): {verdict}</h1>"#,
        id = esc(&s.id),
        team = esc(&s.team),
        verdict = esc(e.verdict.as_str()),
        css = crate::report::html::STYLE
    ));
    if let Some(c) = &s.change {
        h.push_str(&format!("<p>{}</p>", esc(c)));
    }
    h.push_str(&format!(
        r#"<p class="meta">Baseline {} to {}, treatment {} to {} ({}). Method: {}. Control teams: {}.</p></header><main>"#,
        e.baseline.0,
        e.baseline.1,
        e.treatment.0,
        e.treatment.1,
        e.state.as_str(),
        esc(e.method.words()),
        if e.control.is_empty() {
            "none".to_owned()
        } else {
            esc(&e.control.join(", "))
        }
    ));
    h.push_str(&format!(
        "<section><h2>Verdict: {}</h2><ul>",
        esc(e.verdict.as_str())
    ));
    for r in &e.reasons {
        h.push_str(&format!("<li>{}</li>", esc(r)));
    }
    h.push_str("</ul>");
    if let Some(chart) = crate::report::html::experiment_chart(e) {
        h.push_str(&chart);
    }
    h.push_str("</section>");
    h.push_str(&format!(
        r#"<section><h2>Signals</h2><div class="scroll"><table><thead><tr><th scope="col">signal</th><th scope="col">role</th><th scope="col">baseline</th><th scope="col">treatment</th><th scope="col">effect</th><th scope="col">{:.0}% interval</th><th scope="col">mde</th><th scope="col">n</th></tr></thead><tbody>"#,
        e.confidence * 100.0
    ));
    for r in &e.results {
        let m = r.measure;
        let f = |x: Option<f64>| cell(x.map(|v| shown(m, v)));
        let est = r.estimate;
        let interval = est.map_or_else(
            || "-".to_owned(),
            |x| format!("{:.2} to {:.2}", shown(m, x.low), shown(m, x.high)),
        );
        let n = match r.basis {
            fulcrum_experiments::Basis::People => format!("{} people", r.n),
            fulcrum_experiments::Basis::Weeks => format!("{} weeks", r.n),
        };
        h.push_str(&format!(
            r#"<tr><th scope="row"><code>{}</code> ({})</th><td>{}</td><td class="num">{}</td><td class="num">{}</td><td class="num">{}</td><td class="num">{}</td><td class="num">{}</td><td class="num">{}</td></tr>"#,
            m.id(),
            esc(crate::report::measure_unit(m)),
            r.role.as_str(),
            f(r.baseline),
            f(r.treatment),
            f(est.map(|x| x.effect)),
            interval,
            f(est.map(|x| x.mde)),
            n
        ));
        if let Some(why) = &r.no_estimate {
            h.push_str(&format!(
                r#"<tr><td></td><td colspan="7">{}</td></tr>"#,
                esc(why)
            ));
        }
    }
    h.push_str("</tbody></table></div><p class=\"meta\">Shares in percentage points.</p></section><section><h2>Checks and who counted</h2><ul>");
    h.push_str(&format!(
        "<li>{} treated, {} control people with the primary in both windows.</li>",
        e.treated_people, e.control_people
    ));
    for x in &e.excluded {
        h.push_str(&format!(
            "<li>Left out: {} {}.</li>",
            x.count,
            esc(&x.detail)
        ));
    }
    for n in &e.control_notes {
        h.push_str(&format!("<li>{}</li>", esc(n)));
    }
    if let Some(p) = &e.pretrend {
        h.push_str(&format!(
            "<li>Pre-trend {}: {}</li>",
            if p.ok { "ok" } else { "check" },
            esc(&p.detail)
        ));
    }
    if let Some(p) = e.placebo {
        h.push_str(&format!(
            "<li>Placebo: the real effect ranks {} of {} (each control team treated as if it had changed).</li>",
            p.rank, p.of
        ));
    }
    if let Some(t) = &e.baseline_trend {
        h.push_str(&format!("<li>Trend: {}</li>", esc(t)));
    }
    h.push_str("</ul></section></main></body></html>\n");
    out.write_all(h.as_bytes())
}
