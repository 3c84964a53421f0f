//! The report as one self-contained HTML page: inline CSS and SVG only (no
//! script, font, image or stylesheet is fetched; nothing leaves the page),
//! readable on a phone (viewport meta, responsive grid) and printed
//! (`@media print`), with headings, table headers and labelled charts.
//!
//! Sections: findings (evidence, examples, moves, the experiment), teams
//! (key signals with trends, weekly trend charts, hour-of-week heatmaps of
//! meetings and after-hours messages, overlap windows, the distribution of
//! meeting load), people (only when allowed), coverage and inputs, and a
//! glossary generated from `docs/SIGNALS.md`.

use super::glossary;
use super::svg::{
    BeforeAfter, LorenzCurve, before_after, esc, heatmap, histogram, line_chart, lorenz_chart,
    overlap_bars,
};
use super::{
    ExperimentView, FindingView, KEY_SIGNALS, Report, Standing, TeamView, TrendView, measure_unit,
    show, signal_title, trend_is_good,
};
use fulcrum_analysis::SignalId;
use fulcrum_analysis::findings::{Severity, Verdict};
use std::io::{self, Write};

const CSS: &str = r#"
:root{--fg:#1b1e23;--muted:#4a5058;--line:#d0d5db;--bg:#fff;--accent:#1c5fa8}
*{box-sizing:border-box}
body{margin:0;font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--fg);background:var(--bg)}
header,main,nav{max-width:1100px;margin:0 auto;padding:0 16px}
header{padding-top:16px}
h1{font-size:1.6em;margin:.4em 0}
h2{font-size:1.3em;border-bottom:2px solid var(--line);padding-bottom:4px;margin-top:2em}
h3{font-size:1.1em;margin:1.2em 0 .4em}
h4{font-size:1em;margin:.9em 0 .3em;color:var(--muted)}
a{color:var(--accent)}
p.meta{color:var(--muted);margin:.2em 0}
p.warning{background:#ffe3e3;color:#8a1010;padding:8px 12px;border-radius:4px;font-weight:600}
nav ul{list-style:none;padding:0;display:flex;flex-wrap:wrap;gap:12px}
table{border-collapse:collapse;width:100%;margin:.4em 0;font-size:.92em}
th,td{border-bottom:1px solid var(--line);padding:4px 6px;text-align:left;vertical-align:top}
th{background:#f1f3f5}
td.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
.scroll{overflow-x:auto}
article.finding{border:1px solid var(--line);border-left:6px solid #868e96;border-radius:4px;padding:4px 14px 10px;margin:14px 0;break-inside:avoid}
article.sev-high{border-left-color:#c92a2a}
article.sev-medium{border-left-color:#e8590c}
article.sev-low{border-left-color:#1c7ed6}
.badge{display:inline-block;font-size:.8em;padding:1px 8px;border-radius:10px;font-weight:600;vertical-align:middle}
.b-high{background:#ffe3e3;color:#8a1010}
.b-medium{background:#fff0d9;color:#7a3b00}
.b-low{background:#e3f0ff;color:#0b4f8a}
.b-ok{background:#e6f7ea;color:#1e5e2b}
.b-na{background:#f1f3f5;color:#4a5058}
.charts{display:grid;grid-template-columns:repeat(auto-fill,minmax(260px,1fr));gap:8px}
svg.chart{max-width:100%;height:auto;background:#fff}
svg .t{font-size:11px;font-weight:600;fill:#1b1e23}
svg .s{font-size:9px;fill:#4a5058}
svg .axis{stroke:#868e96;stroke-width:1}
svg .thr{stroke:#c92a2a;stroke-width:1;stroke-dasharray:4 3}
svg .line{fill:none;stroke:#1c5fa8;stroke-width:2}
svg .line2{fill:none;stroke:#c2410c;stroke-width:2;stroke-dasharray:6 2}
svg .dot{fill:#1c5fa8}
svg .band{fill:#adb5bd;fill-opacity:.5;stroke:none}
svg .grid{stroke:#e9ecef;stroke-width:1}
svg .start{stroke:#1b1e23;stroke-width:1;stroke-dasharray:3 3}
article.experiment{border:1px solid var(--line);border-radius:4px;padding:4px 14px 10px;margin:14px 0;break-inside:avoid}
.b-worked{background:#e6f7ea;color:#1e5e2b}
.b-harmful{background:#ffe3e3;color:#8a1010}
.pair{display:flex;flex-wrap:wrap;gap:16px}
dl.glossary dt{font-weight:600;margin-top:.6em}
dl.glossary dd{margin:0 0 0 1em}
code{font-size:.92em;background:#f1f3f5;padding:0 3px;border-radius:3px}
table.heat td{text-align:center;white-space:nowrap;font-variant-numeric:tabular-nums}
table.heat th{font-size:.85em}
.st-clear{background:#d3f9d8}
.st-near{background:#fff3bf}
.st-past{background:#ffd8a8}
.st-far-past{background:#ffa8a8}
.st-unknown{background:#f1f3f5;color:#4a5058}
.scale{display:flex;flex-wrap:wrap;gap:6px 14px;list-style:none;padding:0;margin:.4em 0;font-size:.88em}
.scale li::before{content:"";display:inline-block;width:14px;height:14px;margin-right:5px;vertical-align:-2px;border:1px solid #adb5bd}
.scale li.st-clear,.scale li.st-near,.scale li.st-past,.scale li.st-far-past,.scale li.st-unknown{background:none;color:inherit}
.scale li.st-clear::before{background:#d3f9d8}
.scale li.st-near::before{background:#fff3bf}
.scale li.st-past::before{background:#ffd8a8}
.scale li.st-far-past::before{background:#ffa8a8}
.scale li.st-unknown::before{background:#f1f3f5}
.tr-good{color:#155724;font-weight:700}
.tr-bad{color:#8a1010;font-weight:700}
.tr-flat{color:#4a5058}
.vh{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
details.finding,details.team{border:1px solid var(--line);border-radius:4px;margin:10px 0;padding:0 14px}
details.finding{border-left:6px solid #868e96}
details.sev-high{border-left-color:#c92a2a}
details.sev-medium{border-left-color:#e8590c}
details.sev-low{border-left-color:#1c7ed6}
details>summary{cursor:pointer;padding:6px 0}
details>summary h3{display:inline;font-size:1.05em;margin:0}
details>summary p.meta{margin:.1em 0 0 1.1em}
details[open]{padding-bottom:10px}
svg .legend{font-size:9px;fill:#1b1e23}
@media (max-width:600px){body{font-size:14px}th,td{padding:3px}}
@media (max-width:480px){table.evidence thead{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)}table.evidence,table.evidence tbody,table.evidence tr,table.evidence th,table.evidence td{display:block;width:100%}table.evidence tr{border-bottom:2px solid var(--line);padding:4px 0}table.evidence td{border:0;text-align:left;white-space:normal;padding:1px 3px}table.evidence td::before{content:attr(data-label) ": ";color:var(--muted)}}
@media print{details::details-content{content-visibility:visible;display:contents}nav{display:none}body{font-size:11pt}a{color:inherit;text-decoration:none}section.team{break-before:page}article.finding,svg{break-inside:avoid}*{-webkit-print-color-adjust:exact;print-color-adjust:exact}}
"#;

fn slug(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect()
}

/// Markdown code spans to `<code>`, the rest escaped.
fn md(s: &str) -> String {
    let mut out = String::new();
    for (i, part) in s.split('`').enumerate() {
        if i % 2 == 1 {
            out.push_str(&format!("<code>{}</code>", esc(part)));
        } else {
            out.push_str(&esc(part));
        }
    }
    out
}

fn badge(sev: Severity) -> String {
    format!(r#"<span class="badge b-{0}">{0}</span>"#, sev.as_str())
}

fn finding(out: &mut String, f: &FindingView) {
    let sev = f.severity.as_str();
    out.push_str(&format!(
        r#"<details class="finding sev-{sev}" id="f-{}-{}"><summary><h3>{}: {} {}</h3><p class="meta">{}</p></summary><p>{} <code>{}</code></p>"#,
        slug(&f.team),
        f.id,
        esc(&f.team),
        esc(f.title),
        badge(f.severity),
        esc(&f.summary),
        esc(f.pattern),
        f.id
    ));
    out.push_str(r#"<h4>Evidence</h4><div class="scroll"><table class="evidence"><thead><tr><th scope="col">signal</th><th scope="col">team value (median of weeks)</th><th scope="col">threshold</th><th scope="col">weeks past it</th><th scope="col">first half → second half</th><th scope="col">fires</th></tr></thead><tbody>"#);
    for c in &f.checks {
        out.push_str(&format!(
            r#"<tr><th scope="row">{}</th><td class="num" data-label="team value">{}</td><td class="num" data-label="threshold">{} {}</td><td class="num" data-label="weeks past it">{} of {}{}</td><td class="num" data-label="first half → second half">{} → {}</td><td data-label="fires">{}</td></tr>"#,
            esc(&signal_title(c.signal)),
            esc(&show(c.signal, c.value)),
            esc(c.op),
            esc(&show(c.signal, Some(c.threshold))),
            c.weeks_past,
            c.weeks_with_data,
            if c.weeks_suppressed > 0 { format!(" ({} suppressed)", c.weeks_suppressed) } else { String::new() },
            esc(&show(c.signal, c.first_half)),
            esc(&show(c.signal, c.second_half)),
            c.severity.map_or("no".to_owned(), |s| format!("yes, {}", s.as_str()))
        ));
    }
    out.push_str("</tbody></table></div>");
    if !f.context.is_empty() {
        let ctx: Vec<String> = f.context.iter().map(|c| esc(&c.text)).collect();
        out.push_str(&format!(
            "<p class=\"meta\">Context: {}</p>",
            ctx.join("; ")
        ));
    }
    if let Some(t) = &f.top_organizer {
        out.push_str(&format!("<p class=\"meta\">Top organizer: {}</p>", esc(t)));
    }
    if !f.examples.is_empty() {
        out.push_str("<h4>Examples</h4><ul>");
        for e in &f.examples {
            out.push_str(&format!(
                "<li>{}, {}: {}</li>",
                esc(&e.when),
                esc(&e.place),
                esc(&e.detail)
            ));
        }
        out.push_str("</ul>");
    }
    out.push_str("<h4>Moves that fit</h4><ul>");
    for m in f.moves {
        out.push_str(&format!(
            "<li><strong>{}</strong>: {}</li>",
            esc(m.name),
            esc(m.why)
        ));
    }
    out.push_str("</ul>");
    let watch: Vec<String> = f
        .experiment
        .watch
        .iter()
        .map(|s| format!("<code>{}</code>", s.as_str()))
        .collect();
    let running = f.answered_by.as_ref().map_or(String::new(), |a| {
        format!(r##" <a href="#x-{}">{}</a>."##, slug(&a.id), md(&a.text()))
    });
    out.push_str(&format!(
        "<h4>Try first</h4><p>{} For {} weeks, compared with the {} weeks before; watch {}.{running}</p></details>",
        md(&f.try_first()),
        f.experiment.weeks,
        f.experiment.weeks,
        watch.join(", ")
    ));
}

fn capital(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map_or_else(String::new, |f| f.to_uppercase().chain(c).collect())
}

/// The before/after chart of a judged experiment's primary, if any week
/// has a value. Shared with `fulcrum experiment show --format html`.
pub fn experiment_chart(e: &fulcrum_experiments::Evaluation) -> Option<String> {
    let m = fulcrum_experiments::Measure::Signal(e.spec.primary);
    let shown = |v: Option<f64>| v.map(|x| fulcrum_experiments::judge::shown(m, x));
    if e.weeks.iter().all(|w| w.treated.is_none()) {
        return None;
    }
    let weeks: Vec<_> = e.weeks.iter().map(|w| w.week).collect();
    let treated: Vec<Option<f64>> = e.weeks.iter().map(|w| shown(w.treated)).collect();
    let band: Vec<(Option<f64>, Option<f64>)> = if e.control.is_empty() {
        Vec::new()
    } else {
        e.weeks
            .iter()
            .map(|w| (shown(w.control_low), shown(w.control_high)))
            .collect()
    };
    let title = if e.control.is_empty() {
        format!(
            "{} of {} by week, before and after the change",
            capital(&e.spec.primary.words()),
            e.spec.team
        )
    } else {
        format!(
            "{} of {} by week against the control teams",
            capital(&e.spec.primary.words()),
            e.spec.team
        )
    };
    let unit = match e.spec.primary.scope() {
        fulcrum_analysis::Scope::Person => format!("{}, team mean", measure_unit(m)),
        _ => measure_unit(m).to_owned(),
    };
    Some(before_after(&BeforeAfter {
        title: &title,
        unit: &unit,
        weeks: &weeks,
        treated: &treated,
        band: &band,
        start: e.spec.baseline().len(),
        start_label: &e.spec.start.to_string(),
        team: &e.spec.team,
    }))
}

fn experiment(out: &mut String, e: &ExperimentView) {
    let verdict = e.verdict();
    let badge = match verdict {
        Some(v) => format!(
            r#" <span class="badge b-{}">{}</span>"#,
            match v {
                "worked" => "worked",
                "harmful" => "harmful",
                _ => "na",
            },
            esc(v)
        ),
        None => String::new(),
    };
    out.push_str(&format!(
        r#"<article class="experiment" id="x-{}"><h3>{} ({}, {}){badge}</h3>"#,
        slug(&e.spec.id),
        esc(&e.spec.id),
        esc(&e.spec.team),
        e.state.as_str()
    ));
    if let Some(c) = &e.spec.change {
        out.push_str(&format!("<p>{}</p>", esc(c)));
    }
    let (b, t) = (e.spec.baseline_dates(), e.spec.treatment_dates());
    out.push_str(&format!(
        r#"<p class="meta">Baseline {} to {}, treatment {} to {}.</p>"#,
        b.0, b.1, t.0, t.1
    ));
    let Some(ev) = &e.evaluation else {
        out.push_str(&format!("<p>{}</p></article>", md(&e.pointer())));
        return;
    };
    if let Some(effect) = e.effect_text() {
        out.push_str(&format!(
            "<p><strong>Primary:</strong> {} ({}).</p>",
            esc(&effect),
            esc(ev.method.words())
        ));
    }
    if !ev.reasons.is_empty() {
        out.push_str("<ul>");
        for r in &ev.reasons {
            out.push_str(&format!("<li>{}</li>", md(r)));
        }
        out.push_str("</ul>");
    }
    if let Some(chart) = experiment_chart(ev) {
        out.push_str(&chart);
    }
    out.push_str(&format!(
        r#"<p class="meta">Every signal, the checks and who counted: <code>fulcrum experiment show {}</code>.</p></article>"#,
        esc(&e.spec.id)
    ));
}

fn team_section(out: &mut String, r: &Report, t: &TeamView) {
    let (cls, label) = match t.verdict {
        Verdict::Findings => ("b-high", "findings"),
        Verdict::NoFindings => ("b-ok", "no findings"),
        Verdict::NotAssessed => ("b-na", "not assessed"),
    };
    out.push_str(&format!(
        r#"<details class="team" id="team-{}"><summary><h3>{} <span class="badge {cls}">{label}</span></h3><p class="meta">{} members. {}</p></summary>"#,
        slug(&t.name),
        esc(&t.name),
        t.members,
        esc(&t.verdict_text)
    ));
    out.push_str("<h4>Weekly trends</h4><div class=\"charts\">");
    for tr in &t.trends {
        out.push_str(&line_chart(
            &t.name,
            tr.id,
            &r.window.weeks,
            &tr.weekly,
            tr.threshold,
        ));
    }
    out.push_str("</div>");
    out.push_str("<div class=\"pair\">");
    match &t.activity.meeting_hours {
        Some(cells) => {
            out.push_str("<div><h4>Meetings by hour of the week (person-hours per week, local time)</h4>");
            out.push_str(&heatmap(
                &format!("Meeting person-hours per week of {} by local hour of the week", t.name),
                cells,
                "person-hours",
            ));
            out.push_str("</div>");
        }
        None => out.push_str(&format!(
            "<p class=\"meta\">Meeting heatmap withheld: {} members with a calendar (minimum {}).</p>",
            t.activity.people_with_calendar, r.min_group_size
        )),
    }
    match &t.activity.after_hours_messages {
        Some(cells) => {
            out.push_str("<div><h4>After-hours messages by hour of the week (per week, sender's local time)</h4>");
            out.push_str(&heatmap(
                &format!("After-hours messages per week of {} by local hour of the week", t.name),
                cells,
                "messages",
            ));
            out.push_str("</div>");
        }
        None => out.push_str(&format!(
            "<p class=\"meta\">After-hours heatmap withheld: {} members wrote messages (minimum {}).</p>",
            t.activity.people_in_chat, r.min_group_size
        )),
    }
    out.push_str("</div><div class=\"pair\">");
    if let Some(o) = &t.overlap {
        out.push_str(&format!(
            "<div><h4>Overlap windows ({}, UTC): {:.1} h per working day</h4>",
            o.week, o.hours_per_day
        ));
        out.push_str(&overlap_bars(&t.name, o));
        out.push_str("</div>");
    }
    match &t.meeting_load {
        Some(load) => {
            out.push_str("<div><h4>Meeting load across members (mean hours per week; no names)</h4>");
            out.push_str(&histogram(
                &format!("Distribution of mean weekly meeting hours across members of {}", t.name),
                load,
            ));
            out.push_str("</div>");
        }
        None => out.push_str(&format!(
            "<p class=\"meta\">Meeting-load distribution withheld: fewer than {} members with a calendar.</p>",
            r.min_group_size
        )),
    }
    out.push_str("</div>");
    meeting_quality(out, t);
    written_workflow(out, t);
    out.push_str("</details>");
}

/// The "meeting quality" block of a team: the share of meeting time by
/// meeting type, urgent meeting hours and the fairness of meeting load, each
/// the median of the team's weekly values (weeks withheld or unknown stay
/// out, so privacy is the cells' own).
fn meeting_quality(out: &mut String, t: &TeamView) {
    const ROWS: &[(SignalId, &str)] = &[
        (
            SignalId::LargeLongMeetingShare,
            "Large and long (over 1 h, 9 or more invitees)",
        ),
        (
            SignalId::SmallShortMeetingShare,
            "Small and short (30 min or less, 4 or fewer invitees)",
        ),
        (
            SignalId::DecisionSizedMeetingShare,
            "Decision-sized (1 h or less, 3 to 8 invitees)",
        ),
        (
            SignalId::UrgentMeetingHours,
            "Urgent meetings (hours per person-week)",
        ),
        (
            SignalId::MeetingLoadGini,
            "Meeting load Gini (0: equal; near 1: one person)",
        ),
        (
            SignalId::LowQualityMeetingShare,
            "Low quality: conflicting, multitasked or without a stated outcome",
        ),
        (
            SignalId::LowQualityMeetingHours,
            "Low-quality meeting time (hours per person-week)",
        ),
        (
            SignalId::LowQualityMeetingCost,
            "Its cost per person-week, at the policy's hourly rate",
        ),
        (
            SignalId::MultitaskingHours,
            "Multitasked meetings: chat sent during them (hours per person-week)",
        ),
    ];
    let rows = median_rows(t, ROWS);
    if rows.is_empty() {
        out.push_str(
            "<p class=\"meta\">Meeting quality: no team values (withheld or no meetings).</p>",
        );
        return;
    }
    median_table(out, "Meeting quality", "meeting time by type", &rows);
    out.push_str("<p class=\"meta\">Shares of meeting time; the types may overlap, so they need not add up to 100%, and low quality counts a meeting once whatever its reasons.</p>");
    lorenz(out, t);
}

/// The rows of `rows` (signal, label) that have a median over the team's
/// weekly values (weeks withheld or unknown stay out), with that median.
fn median_rows<'a>(t: &TeamView, rows: &[(SignalId, &'a str)]) -> Vec<(&'a str, SignalId, f64)> {
    rows.iter()
        .filter_map(|&(id, label)| {
            let values: Vec<f64> = t
                .weeks
                .iter()
                .filter_map(|w| w.cells.iter().find(|c| c.signal == id))
                .filter_map(|c| c.cell.value)
                .collect();
            fulcrum_analysis::stats::median(&values).map(|v| (label, id, v))
        })
        .collect()
}

/// A block's table of [`median_rows`] under `title`, its first column
/// headed `column`.
fn median_table(out: &mut String, title: &str, column: &str, rows: &[(&str, SignalId, f64)]) {
    out.push_str(&format!(
        "<h4>{} (median of the team's weeks)</h4><table class=\"quality\"><thead><tr><th scope=\"col\">{}</th><th scope=\"col\">value</th></tr></thead><tbody>",
        esc(title),
        esc(column)
    ));
    for &(label, id, v) in rows {
        out.push_str(&format!(
            "<tr><th scope=\"row\">{}</th><td class=\"num\">{}</td></tr>",
            esc(label),
            esc(&show(id, Some(v)))
        ));
    }
    out.push_str("</tbody></table>");
}

/// The "written workflow" block of a team: the workflow signals read from
/// the team server's objects, each the median of the team's weekly values;
/// nothing at all for a team without such objects (a report from files).
fn written_workflow(out: &mut String, t: &TeamView) {
    const ROWS: &[(SignalId, &str)] = &[
        (
            SignalId::WrittenAskLatency,
            "Written asks: time to an answer (business hours)",
        ),
        (
            SignalId::WrittenAskBreachRate,
            "Written asks answered after their answer-by time, or not at all",
        ),
        (SignalId::UpdateCoverage, "Written updates in, of those due"),
        (
            SignalId::DecisionLatency,
            "Proposals: time to an outcome (business hours)",
        ),
        (
            SignalId::AsyncDecisionShare,
            "Proposals decided without a meeting",
        ),
        (
            SignalId::IncidentReviewsOnTime,
            "Incident reviews written by their due time",
        ),
    ];
    let rows = median_rows(t, ROWS);
    if rows.is_empty() {
        return;
    }
    median_table(out, "Written workflow", "from the team server", &rows);
    out.push_str("<p class=\"meta\">Exact: read from the asks, updates, proposals and incidents written on the team server, where the chat signals (response latency, SLA breaches) are guessed from messages.</p>");
}

/// The Lorenz curves of the team's latest week with a meeting load Gini:
/// meeting hours, and after-hours meeting hours when known.
fn lorenz(out: &mut String, t: &TeamView) {
    let curve = |w: &super::WeekView, id: SignalId, name: &'static str| {
        let cell = &w.cells.iter().find(|c| c.signal == id)?.cell;
        let gini = cell.value?;
        let detail = |key: &str| cell.details.iter().find(|d| d.key == key).map(|d| d.value);
        Some(LorenzCurve {
            name,
            points: [
                detail("lorenz_20")?,
                detail("lorenz_40")?,
                detail("lorenz_60")?,
                detail("lorenz_80")?,
            ],
            gini: detail("gini").unwrap_or(gini),
        })
    };
    let Some((week, meetings)) = t
        .weeks
        .iter()
        .rev()
        .find_map(|w| Some((w, curve(w, SignalId::MeetingLoadGini, "meeting hours")?)))
    else {
        return;
    };
    let mut curves = vec![meetings];
    curves.extend(curve(week, SignalId::TzBurden, "after hours"));
    out.push_str("<div class=\"charts\">");
    out.push_str(&lorenz_chart(&t.name, &week.week.to_string(), &curves));
    out.push_str("</div>");
}

/// Writes the page.
pub fn write(r: &Report, w: &mut dyn Write) -> io::Result<()> {
    let mut out = String::with_capacity(1 << 16);
    out.push_str(&format!(
        r#"<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><meta name="generator" content="fulcrum report, schema {}"><title>Fulcrum report: {}</title><style>{CSS}</style></head><body>"#,
        r.version,
        esc(&r.title)
    ));
    let first = r
        .window
        .weeks
        .first()
        .map(ToString::to_string)
        .unwrap_or_default();
    let last = r
        .window
        .weeks
        .last()
        .map(ToString::to_string)
        .unwrap_or_default();
    out.push_str(&format!(
        r#"<header><h1>Fulcrum report: {}</h1><p class="meta">{} to {} ({} ISO weeks: {first} to {last}; {}).</p>"#,
        esc(&r.title),
        r.window.from,
        r.window.to,
        r.window.weeks.len(),
        esc(&r.window.rule)
    ));
    if let Some(warning) = &r.privacy.warning {
        out.push_str(&format!(
            r#"<p class="warning" role="alert">{}</p>"#,
            esc(warning)
        ));
    }
    for n in &r.privacy.notes {
        out.push_str(&format!(r#"<p class="meta">{}</p>"#, esc(n)));
    }
    if r.privacy.pseudonymized {
        out.push_str(
            r#"<p class="meta">Names and emails are pseudonyms (a keyed hash of the email).</p>"#,
        );
    }
    out.push_str("</header>");
    out.push_str(r##"<nav aria-label="Contents"><ul><li><a href="#overview">Overview</a></li><li><a href="#findings">Findings</a></li>"##);
    if !r.experiments.is_empty() {
        out.push_str(r##"<li><a href="#experiments">Experiments</a></li>"##);
    }
    out.push_str(r##"<li><a href="#teams">Teams</a></li>"##);
    if r.people.is_some() {
        out.push_str(r##"<li><a href="#people">People</a></li>"##);
    }
    out.push_str(r##"<li><a href="#coverage">Coverage</a></li><li><a href="#glossary">Glossary</a></li></ul></nav><main>"##);

    body_sections(&mut out, r);

    // Glossary from the spec.
    out.push_str(r#"<section id="glossary"><h2>Glossary</h2><p>From the project's signal spec (<code>docs/SIGNALS.md</code>).</p>"#);
    let entries = glossary::entries();
    let mut section = "";
    for e in &entries {
        if e.section != section {
            if !section.is_empty() {
                out.push_str("</dl>");
            }
            section = &e.section;
            out.push_str(&format!("<h3>{}</h3><dl class=\"glossary\">", esc(section)));
        }
        match e.columns.as_slice() {
            [unit, def] if e.section != "Findings" => out.push_str(&format!(
                "<dt id=\"g-{}\"><code>{}</code> ({})</dt><dd>{}</dd>",
                slug(&e.name),
                esc(&e.name),
                md(unit),
                md(def)
            )),
            [fires, moves] => out.push_str(&format!(
                "<dt>{}</dt><dd>Fires on {}. Moves: {}.</dd>",
                esc(&e.name),
                md(fires),
                md(moves)
            )),
            other => out.push_str(&format!(
                "<dt>{}</dt><dd>{}</dd>",
                esc(&e.name),
                md(&other.join(" | "))
            )),
        }
    }
    if !section.is_empty() {
        out.push_str("</dl>");
    }
    out.push_str("</section></main></body></html>\n");
    w.write_all(out.as_bytes())
}

/// The report's sections between the page header and the glossary:
/// findings, teams, people (when allowed), coverage and inputs. Shared by
/// [`write`] and [`write_fragment`], so both show the same thing.
fn body_sections(out: &mut String, r: &Report) {
    overview(out, &[r], "overview", true);

    // Findings.
    out.push_str(&format!(
        r#"<section id="findings"><h2>Findings</h2><p>{} finding(s) in {} of {} teams. Each check compares the median of the team's weekly values over the window with the policy threshold; severity grows with how far past it and for how many weeks.</p>"#,
        r.findings.len(),
        r.teams.iter().filter(|t| t.verdict == Verdict::Findings).count(),
        r.teams.len()
    ));
    for f in &r.findings {
        finding(out, f);
    }
    let calm: Vec<&TeamView> = r
        .teams
        .iter()
        .filter(|t| t.verdict != Verdict::Findings)
        .collect();
    if !calm.is_empty() {
        out.push_str("<ul>");
        for t in calm {
            out.push_str(&format!(
                "<li><strong>{}</strong>: {}</li>",
                esc(&t.name),
                esc(&t.verdict_text)
            ));
        }
        out.push_str("</ul>");
    }
    out.push_str("</section>");

    // Experiments, when the workspace declares some.
    if !r.experiments.is_empty() {
        out.push_str(r#"<section id="experiments"><h2>Experiments</h2><p>Each experiment's primary signal: the effect on the treated team with its interval, judged on this report's own signals. The chart sets the treated team's weekly value against the band of its control teams' weekly values (lowest to highest); the dashed line marks the change.</p>"#);
        for e in &r.experiments {
            experiment(out, e);
        }
        out.push_str("</section>");
    }

    // Teams: one collapsible section each (the overview has the table).
    out.push_str(r#"<section id="teams"><h2>Teams</h2><p>Weekly trend charts, hour-of-week heatmaps, overlap windows and the spread of meeting load, one team at a time.</p>"#);
    for t in &r.teams {
        team_section(out, r, t);
    }
    out.push_str("</section>");

    // People, only when allowed.
    if let Some(people) = &r.people {
        out.push_str(r#"<section id="people"><h2>People</h2>"#);
        let ids = [
            SignalId::MeetingHours,
            SignalId::FocusHours,
            SignalId::Fragmentation,
            SignalId::AfterHoursMessages,
            SignalId::ResponseLatency,
        ];
        for p in people {
            out.push_str(&format!(
                r#"<h3>{} &lt;{}&gt; ({})</h3><div class="scroll"><table><thead><tr><th scope="col">week</th>"#,
                esc(&p.name),
                esc(&p.email),
                esc(&p.team)
            ));
            for id in ids {
                out.push_str(&format!(
                    "<th scope=\"col\"><code>{}</code></th>",
                    id.as_str()
                ));
            }
            out.push_str("</tr></thead><tbody>");
            for w in &p.weeks {
                out.push_str(&format!("<tr><th scope=\"row\">{}</th>", w.week));
                for id in ids {
                    let text = match w.cell(id) {
                        Some(c) if c.value.is_some() => show(id, c.value),
                        Some(c) => c.reason.unwrap_or("unknown").replace('_', " "),
                        None => String::new(),
                    };
                    out.push_str(&format!("<td class=\"num\">{}</td>", esc(&text)));
                }
                out.push_str("</tr>");
            }
            out.push_str("</tbody></table></div>");
        }
        out.push_str("</section>");
    }

    // Coverage, inputs, problems.
    out.push_str(r#"<section id="coverage"><h2>Coverage and inputs</h2><div class="scroll"><table><thead><tr><th scope="col">input</th><th scope="col">read</th></tr></thead><tbody>"#);
    for (k, v) in &r.inputs {
        out.push_str(&format!(
            "<tr><th scope=\"row\">{}</th><td>{}</td></tr>",
            esc(k),
            esc(v)
        ));
    }
    out.push_str("</tbody></table></div><ul>");
    for c in &r.coverage {
        out.push_str(&format!("<li>{}</li>", esc(&c.text)));
    }
    out.push_str("</ul>");
    if !r.problems.is_empty() {
        out.push_str(&format!(
            "<h3>Problems reading the sources ({})</h3><ul>",
            r.problems.len()
        ));
        for p in &r.problems {
            out.push_str(&format!(
                "<li>{}: {} <code>{}</code>",
                esc(p.severity.as_str()),
                esc(&p.message),
                esc(&p.location())
            ));
            if let Some(help) = &p.help {
                out.push_str(&format!("<br>{}", esc(help)));
            }
            out.push_str("</li>");
        }
        out.push_str("</ul>");
    }
    out.push_str("<h3>Thresholds in force</h3><ul>");
    for t in &r.thresholds {
        out.push_str(&format!("<li><code>{}</code> = {}</li>", t.key, t.value));
    }
    out.push_str("</ul></section>");
}

/// The cell of a key signal in the overview: its window median, coloured
/// by where it stands against the finding threshold, and the trend arrow
/// coloured by whether it is good news for the team.
fn overview_cell(tr: &TrendView) -> String {
    let standing = Standing::of(tr.id, tr.value, tr.threshold);
    let text = if tr.value.is_none() && tr.weeks_suppressed > 0 {
        "suppressed".to_owned()
    } else {
        show(tr.id, tr.value)
    };
    format!(
        r#"<td class="st-{}">{}{}<span class="vh">: {}</span></td>"#,
        standing.as_str(),
        esc(&text),
        trend_mark(tr),
        standing.words()
    )
}

/// A trend arrow coloured by the signal's better side, with its meaning in
/// words for screen readers.
fn trend_mark(tr: &TrendView) -> String {
    if tr.trend == super::Trend::Unknown {
        return String::new();
    }
    let (class, words) = match trend_is_good(tr.id, tr.trend) {
        Some(true) => ("tr-good", "better"),
        Some(false) => ("tr-bad", "worse"),
        None => ("tr-flat", "no better or worse side"),
    };
    let words = if tr.trend == super::Trend::Flat {
        "flat".to_owned()
    } else {
        format!("{}, {words}", tr.trend.as_str())
    };
    format!(
        r#" <span class="{class}" aria-hidden="true">{}</span><span class="vh"> (trend {words})</span>"#,
        tr.trend.arrow()
    )
}

/// The overview: a team by key-signal heatmap coloured by the distance to
/// each finding threshold (with its scale), the findings per team, and the
/// experiments running or to run. Several reports (one team each on the
/// server's dashboard) make one table; `links` points rows at the sections
/// of the same page.
fn overview(out: &mut String, reports: &[&Report], id: &str, links: bool) {
    let teams: Vec<(&Report, &TeamView)> = reports
        .iter()
        .flat_map(|r| r.teams.iter().map(move |t| (*r, t)))
        .collect();
    let with = teams
        .iter()
        .filter(|(_, t)| t.verdict == Verdict::Findings)
        .count();
    let findings: usize = reports.iter().map(|r| r.findings.len()).sum();
    out.push_str(&format!(
        r#"<section id="{id}"><h2>Overview</h2><p>{findings} finding(s) in {with} of {} teams. Each cell is the median of the team's weekly values over the window, coloured by where it stands against the finding threshold; the arrow compares the second half of the window with the first, green when that is better for the team and red when worse.</p><ul class="scale" aria-label="Colour scale">"#,
        teams.len()
    ));
    for st in Standing::ALL {
        out.push_str(&format!(
            r#"<li class="st-{}">{}</li>"#,
            st.as_str(),
            st.words()
        ));
    }
    out.push_str(r#"</ul><div class="scroll"><table class="heat"><caption class="vh">Teams by key signal: window medians against the finding thresholds</caption><thead><tr><th scope="col">team</th><th scope="col">findings</th>"#);
    for id in KEY_SIGNALS {
        out.push_str(&format!(
            r#"<th scope="col">{}</th>"#,
            esc(&signal_title(*id))
        ));
    }
    out.push_str("</tr></thead><tbody>");
    for (r, t) in &teams {
        let name = if links {
            format!(
                r##"<a href="#team-{}">{}</a>"##,
                slug(&t.name),
                esc(&t.name)
            )
        } else {
            esc(&t.name)
        };
        let mine: Vec<&FindingView> = r.findings.iter().filter(|f| f.team == t.name).collect();
        let counts = if mine.is_empty() {
            match t.verdict {
                Verdict::NotAssessed => "not assessed".to_owned(),
                _ => "none".to_owned(),
            }
        } else {
            [Severity::High, Severity::Medium, Severity::Low]
                .iter()
                .filter_map(|sev| {
                    let n = mine.iter().filter(|f| f.severity == *sev).count();
                    (n > 0).then(|| {
                        format!(r#"<span class="badge b-{0}">{n} {0}</span>"#, sev.as_str())
                    })
                })
                .collect::<Vec<_>>()
                .join(" ")
        };
        let counts = match (links, mine.first()) {
            (true, Some(f)) => format!(r##"<a href="#f-{}-{}">{counts}</a>"##, slug(&f.team), f.id),
            _ => counts,
        };
        out.push_str(&format!(
            r#"<tr><th scope="row">{name}</th><td>{counts}</td>"#
        ));
        for tr in &t.trends {
            out.push_str(&overview_cell(tr));
        }
        out.push_str("</tr>");
    }
    out.push_str("</tbody></table></div>");

    // Experiments: the declared ones not yet over, then what to try for
    // each team's top finding that no experiment answers yet.
    let declared: Vec<&ExperimentView> = reports.iter().flat_map(|r| &r.experiments).collect();
    let to_try: Vec<&FindingView> = teams
        .iter()
        .filter_map(|(r, t)| r.findings.iter().find(|f| f.team == t.name))
        .filter(|f| f.answered_by.is_none())
        .collect();
    if !declared.is_empty() || !to_try.is_empty() {
        out.push_str(r#"<h3>Experiments</h3><ul class="experiments">"#);
        for e in &declared {
            let verdict = e
                .verdict()
                .map_or_else(String::new, |v| format!(": {}", esc(v)));
            let id = if links {
                format!(
                    r##"<a href="#x-{}">{}</a>"##,
                    slug(&e.spec.id),
                    esc(&e.spec.id)
                )
            } else {
                esc(&e.spec.id)
            };
            out.push_str(&format!(
                "<li><strong>{}</strong> ({}): {id}{verdict}</li>",
                e.state.as_str(),
                esc(&e.spec.team)
            ));
        }
        for f in &to_try {
            out.push_str(&format!(
                "<li><strong>to run</strong> ({}, on {}): {}</li>",
                esc(&f.team),
                esc(f.title),
                md(&f.try_first())
            ));
        }
        out.push_str("</ul>");
    }
    out.push_str("</section>");
}

/// Writes the overview of several reports (one or more teams each) as one
/// table, in a section with the id `teams-overview` (so it can sit on a
/// page next to a report fragment's own `overview`): the team dashboard of
/// `fulcrum serve` shows it for the teams a viewer may see. Aggregates
/// only: what the reports hold.
pub fn write_overview(reports: &[&Report], w: &mut dyn Write) -> io::Result<()> {
    let mut out = String::with_capacity(1 << 12);
    overview(&mut out, reports, "teams-overview", false);
    w.write_all(out.as_bytes())
}

/// The report's stylesheet, for pages that link it as a file instead of
/// inlining it (a Content-Security-Policy without `'unsafe-inline'`).
pub const STYLE: &str = CSS;

/// Writes the report's sections without the page around them (no
/// `<html>`, header, navigation or glossary): findings, teams, people (when
/// the view model holds them), coverage and inputs, with their charts. For
/// pages that embed the report, such as the team dashboard of `fulcrum
/// serve`; style it with [`STYLE`].
pub fn write_fragment(r: &Report, w: &mut dyn Write) -> io::Result<()> {
    let mut out = String::with_capacity(1 << 16);
    body_sections(&mut out, r);
    w.write_all(out.as_bytes())
}
