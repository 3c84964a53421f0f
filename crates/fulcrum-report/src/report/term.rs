//! The report for a terminal: what a lead reads in one screen. Findings
//! first (most severe first, two lines each: the evidence and the experiment
//! to try), teams without findings said so, then a compact table of key
//! signals per team with trend arrows (second half of the window against
//! the first). ANSI colour only when asked (the CLI asks when stdout is a
//! terminal); plain text otherwise.
//!
//! By default the summary keeps to one screen however many teams there
//! are: the worst teams first, at most [`SCREEN_TEAMS`] of them with at most
//! [`SCREEN_FINDINGS`] findings each, the calm teams counted, a line saying
//! how many were left out; [`TermOptions::all`] lists everything.

use super::{KEY_SIGNALS, Report, Trend, show};
use fulcrum_analysis::SignalId;
use fulcrum_analysis::findings::{Severity, Verdict};
use std::io::{self, Write};

/// Rendering options.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct TermOptions {
    /// Use ANSI colours.
    pub color: bool,
    /// Every team, finding and experiment (`fulcrum report --all`), not one
    /// screen's worth.
    pub all: bool,
}

/// Teams with findings shown without `--all` (worst first), and rows of
/// the key-signal table.
pub const SCREEN_TEAMS: usize = 6;

/// Findings shown per team without `--all`, when all of them would not
/// fit.
pub const SCREEN_FINDINGS: usize = 2;

/// Experiments listed without `--all`.
pub const SCREEN_EXPERIMENTS: usize = 4;

/// Problems listed without `--all` (`--format json` lists them all).
pub const SCREEN_PROBLEMS: usize = 3;

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
fn experiments(r: &Report, out: &mut dyn Write, c: bool, all: bool) -> io::Result<()> {
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
    let shown = if all {
        r.experiments.len()
    } else {
        SCREEN_EXPERIMENTS
    };
    for e in r.experiments.iter().take(shown) {
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
    if r.experiments.len() > shown {
        writeln!(
            out,
            "  ... and {} more (--all lists them)",
            r.experiments.len() - shown
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
    let teams_shown = if opts.all { order.len() } else { SCREEN_TEAMS };
    let teams_left = order.len().saturating_sub(teams_shown);
    let findings_left: usize = order
        .iter()
        .skip(teams_shown)
        .map(|t| r.findings.iter().filter(|f| f.team == *t).count())
        .sum();
    let fits = order.len() <= SCREEN_TEAMS && r.findings.len() <= SCREEN_TEAMS * SCREEN_FINDINGS;
    let shown_order: Vec<&str> = order.iter().take(teams_shown).copied().collect();
    for team in shown_order.iter().copied() {
        let mine: Vec<&super::FindingView> = r.findings.iter().filter(|f| f.team == team).collect();
        // Findings are cut per team only when listing them all would
        // not fit one screen.
        let per_team = if opts.all || fits {
            mine.len()
        } else {
            SCREEN_FINDINGS
        };
        for (i, f) in mine.iter().take(per_team).enumerate() {
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
        if mine.len() > per_team {
            let rest: Vec<&str> = mine.iter().skip(per_team).map(|f| f.id).collect();
            writeln!(
                out,
                "  {:<name_width$} {} more: {}",
                "",
                rest.len(),
                rest.join(", ")
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
                top.try_first(),
                top.experiment.weeks
            )?;
        }
    }
    if teams_left > 0 {
        writeln!(
            out,
            "  ... and {findings_left} finding(s) in {teams_left} more team(s) (--all lists them)"
        )?;
    }
    let calm = r
        .teams
        .iter()
        .filter(|t| t.verdict != Verdict::Findings)
        .count();
    if !opts.all && calm > SCREEN_TEAMS.saturating_sub(shown_order.len()).max(2) {
        let ok = r
            .teams
            .iter()
            .filter(|t| t.verdict == Verdict::NoFindings)
            .count();
        writeln!(
            out,
            "  {} {ok} team(s) with no findings, {} not assessed (--all lists them)",
            paint(c, "32", "OK    "),
            calm - ok
        )?;
    }
    let list_calm = opts.all || calm <= SCREEN_TEAMS.saturating_sub(shown_order.len()).max(2);
    for t in r.teams.iter().filter(|_| list_calm) {
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
    experiments(r, out, c, opts.all)?;
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
    // Without --all: the teams shown above, worst first, then others in
    // the report's order, up to one screen's worth of rows.
    let rows: Vec<&super::TeamView> = if opts.all {
        r.teams.iter().collect()
    } else {
        let mut rows: Vec<&super::TeamView> = shown_order
            .iter()
            .filter_map(|name| r.teams.iter().find(|t| t.name == *name))
            .collect();
        for t in &r.teams {
            if rows.len() >= SCREEN_TEAMS {
                break;
            }
            if !rows.iter().any(|x| x.name == t.name) {
                rows.push(t);
            }
        }
        rows
    };
    for t in rows.iter().copied() {
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
            // Green when the trend is better for the team, red when worse.
            let arrow = match super::trend_is_good(tr.id, tr.trend) {
                Some(true) => paint(c, "32", arrow),
                Some(false) => paint(c, "31", arrow),
                None => arrow.to_owned(),
            };
            line.push_str(&format!(" {text:>7}{arrow}"));
        }
        writeln!(out, "{line}")?;
    }
    if rows.len() < r.teams.len() {
        writeln!(
            out,
            "  ... and {} more team(s) (--all lists them)",
            r.teams.len() - rows.len()
        )?;
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
        let shown = if opts.all {
            r.problems.len()
        } else {
            SCREEN_PROBLEMS
        };
        for p in r.problems.iter().take(shown) {
            // rustc-style: what, then where, then what to do.
            for line in p.rustc_style().lines() {
                writeln!(out, "  {line}")?;
            }
        }
        if r.problems.len() > shown {
            writeln!(
                out,
                "  ... and {} more (--all or --format json lists them all)",
                r.problems.len() - shown
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
