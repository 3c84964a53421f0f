//! The report for a terminal: what a lead reads in one screen. Findings
//! first (most severe first, two lines each: the evidence and the experiment
//! to try), teams without findings said so, then a compact table of key
//! signals per team with trend arrows (second half of the window against
//! the first). ANSI colour only when asked (the CLI asks when stdout is a
//! terminal); plain text otherwise.

use super::{KEY_SIGNALS, Report, Trend, show};
use fulcrum_analysis::SignalId;
use fulcrum_analysis::findings::{Severity, Verdict};
use std::io::{self, Write};

/// Rendering options.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct TermOptions {
    /// Use ANSI colours.
    pub color: bool,
}

fn paint(on: bool, code: &str, text: &str) -> String {
    if on {
        format!("\x1b[{code}m{text}\x1b[0m")
    } else {
        text.to_owned()
    }
}

fn short_name(id: SignalId) -> &'static str {
    match id {
        SignalId::MeetingShare => "meet%",
        SignalId::FocusHours => "focus h",
        SignalId::ShortMeetings => "short",
        SignalId::ShortNoticeMeetings => "notice%",
        SignalId::CrossTzAsks => "xtz%",
        SignalId::SlaBreachRate => "sla%",
        SignalId::ThreadEscalations => "escal",
        SignalId::OrganizerConcentration => "org%",
        other => other.as_str(),
    }
}

fn compact(id: SignalId, v: Option<f64>) -> String {
    match v {
        None => "-".to_owned(),
        Some(v) => match id.unit() {
            fulcrum_analysis::Unit::Percent | fulcrum_analysis::Unit::CountAndPercent => {
                format!("{:.0}", v * 100.0)
            }
            _ => format!("{v:.1}"),
        },
    }
}

/// The EXPERIMENTS section: one line each (id, team, state, verdict, the
/// primary's effect with its interval), nothing when none is declared.
fn experiments(r: &Report, out: &mut dyn Write, c: bool) -> io::Result<()> {
    if r.experiments.is_empty() {
        return Ok(());
    }
    writeln!(out)?;
    writeln!(
        out,
        "{} ({}; the primary's effect, treated against control; `fulcrum experiment show ID` explains one)",
        paint(c, "1", "EXPERIMENTS"),
        r.experiments.len()
    )?;
    let id_width = r
        .experiments
        .iter()
        .map(|e| e.spec.id.chars().count())
        .max()
        .unwrap_or(2);
    let team_width = r
        .experiments
        .iter()
        .map(|e| e.spec.team.chars().count())
        .max()
        .unwrap_or(4);
    for e in &r.experiments {
        let rest = match (e.verdict(), e.effect_text()) {
            (Some(v), Some(effect)) => {
                let code = match v {
                    "worked" => "32",
                    "harmful" => "1;31",
                    _ => "2",
                };
                format!("{} {effect}", paint(c, code, &format!("{v:<20}")))
            }
            _ => e.pointer(),
        };
        writeln!(
            out,
            "  {:<id_width$} {:<team_width$} {:<8} {rest}",
            e.spec.id,
            e.spec.team,
            e.state.as_str()
        )?;
    }
    Ok(())
}

/// Writes the summary.
pub fn write(r: &Report, out: &mut dyn Write, opts: TermOptions) -> io::Result<()> {
    let c = opts.color;
    writeln!(
        out,
        "{} {}: {} to {} ({} ISO weeks; {})",
        paint(c, "1", "Fulcrum report"),
        r.title,
        r.window.from,
        r.window.to,
        r.window.weeks.len(),
        r.window.rule
    )?;
    if let Some(w) = &r.privacy.warning {
        writeln!(out, "{}", paint(c, "1;31", w))?;
    }
    writeln!(
        out,
        "Team values need {}+ members with data; findings compare the median of the team's weekly values with the policy thresholds.",
        r.min_group_size
    )?;
    writeln!(out)?;
    let teams_with = r
        .teams
        .iter()
        .filter(|t| t.verdict == Verdict::Findings)
        .count();
    writeln!(
        out,
        "{} ({} in {} of {} teams)",
        paint(c, "1", "FINDINGS"),
        r.findings.len(),
        teams_with,
        r.teams.len()
    )?;
    let name_width = r
        .teams
        .iter()
        .map(|t| t.name.chars().count())
        .max()
        .unwrap_or(4)
        .clamp(4, 24);
    let id_width = r.findings.iter().map(|f| f.id.len()).max().unwrap_or(0);
    // Teams in order of their most severe finding; one line per finding,
    // then the experiment of the team's most severe finding.
    let mut order: Vec<&str> = Vec::new();
    for f in &r.findings {
        if !order.contains(&f.team.as_str()) {
            order.push(&f.team);
        }
    }
    for team in order {
        let mine: Vec<&super::FindingView> = r.findings.iter().filter(|f| f.team == team).collect();
        for (i, f) in mine.iter().enumerate() {
            let (code, label) = match f.severity {
                Severity::High => ("1;31", "HIGH  "),
                Severity::Medium => ("33", "MEDIUM"),
                Severity::Low => ("36", "LOW   "),
            };
            let shown: String = if i == 0 {
                team.chars().take(name_width).collect()
            } else {
                String::new()
            };
            let check = f
                .checks
                .iter()
                .filter(|c| c.fired)
                .max_by_key(|c| c.severity)
                .map(|c| {
                    format!(
                        "{} {} ({} {}), {} of {} weeks",
                        c.signal.as_str(),
                        show(c.signal, c.value),
                        c.op,
                        show(c.signal, Some(c.threshold)),
                        c.weeks_past,
                        c.weeks_with_data
                    )
                })
                .unwrap_or_default();
            writeln!(
                out,
                "  {} {} {:<id_width$}  {}",
                paint(c, "1", &format!("{shown:<name_width$}")),
                paint(c, code, label),
                f.id,
                check
            )?;
        }
        if let Some(top) = mine.first() {
            // The experiment that answers the top finding, else one that
            // answers another finding of the team (named with it).
            let running = match &top.answered_by {
                Some(a) => format!(" ({})", a.text()),
                None => mine
                    .iter()
                    .find_map(|f| {
                        let a = f.answered_by.as_ref()?;
                        Some(format!(" ({}, on {})", a.text(), f.id))
                    })
                    .unwrap_or_default(),
            };
            writeln!(
                out,
                "  {:<name_width$} {} {} ({} weeks){running}",
                "",
                paint(c, "2", "try first:"),
                top.experiment.change,
                top.experiment.weeks
            )?;
        }
    }
    for t in &r.teams {
        match t.verdict {
            Verdict::NoFindings => writeln!(
                out,
                "  {} {} {}",
                paint(c, "1", &format!("{:<name_width$}", t.name)),
                paint(c, "32", "OK    "),
                t.verdict_text
            )?,
            Verdict::NotAssessed => writeln!(
                out,
                "  {:<name_width$} {} {}",
                t.name,
                paint(c, "2", "--    "),
                t.verdict_text
            )?,
            Verdict::Findings => {}
        }
    }
    experiments(r, out, c)?;
    writeln!(out)?;
    writeln!(
        out,
        "{} (median over the window's weeks; %: shares; arrow: second half vs first half)",
        paint(c, "1", "KEY SIGNALS")
    )?;
    let mut head = format!("  {:<name_width$}", "team");
    for id in KEY_SIGNALS {
        head.push_str(&format!(" {:>8}", short_name(*id)));
    }
    writeln!(out, "{}", paint(c, "2", &head))?;
    for t in &r.teams {
        let name: String = t.name.chars().take(name_width).collect();
        let mut line = format!("  {name:<name_width$}");
        for tr in &t.trends {
            let arrow = if tr.trend == Trend::Unknown {
                " "
            } else {
                tr.trend.arrow()
            };
            let text = if tr.value.is_none() && tr.weeks_suppressed > 0 {
                "supp".to_owned()
            } else {
                compact(tr.id, tr.value)
            };
            line.push_str(&format!(" {text:>7}{arrow}"));
        }
        writeln!(out, "{line}")?;
    }
    let legend: Vec<String> = KEY_SIGNALS
        .iter()
        .map(|id| format!("{} = {}", short_name(*id), id.as_str()))
        .collect();
    writeln!(out, "  {}", paint(c, "2", &legend.join(", ")))?;
    if r.teams.iter().any(|t| {
        t.trends
            .iter()
            .any(|tr| tr.value.is_none() && tr.weeks_suppressed > 0)
    }) {
        writeln!(
            out,
            "  supp = suppressed: fewer than {} members with data",
            r.min_group_size
        )?;
    }
    if !r.problems.is_empty() {
        writeln!(out)?;
        writeln!(
            out,
            "{} ({})",
            paint(c, "1", "PROBLEMS READING THE SOURCES"),
            r.problems.len()
        )?;
        for p in r.problems.iter().take(5) {
            // rustc-style: what, then where, then what to do.
            for line in p.rustc_style().lines() {
                writeln!(out, "  {line}")?;
            }
        }
        if r.problems.len() > 5 {
            writeln!(
                out,
                "  ... and {} more (--format json lists them all)",
                r.problems.len() - 5
            )?;
        }
    }
    if let Some(people) = &r.people {
        writeln!(out)?;
        writeln!(
            out,
            "{}",
            paint(c, "1", "PEOPLE (median over the window's weeks)")
        )?;
        for p in people {
            let mut line = format!("  {} <{}> ({})", p.name, p.email, p.team);
            for id in [
                SignalId::MeetingHours,
                SignalId::FocusHours,
                SignalId::AfterHoursMessages,
            ] {
                let v: Vec<f64> = p.weeks.iter().filter_map(|w| w.cell(id)?.value).collect();
                line.push_str(&format!(
                    "; {} {}",
                    id.as_str(),
                    show(id, fulcrum_analysis::stats::median(&v))
                ));
            }
            writeln!(out, "{line}")?;
        }
    }
    Ok(())
}
