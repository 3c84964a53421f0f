//! The experiments the demo plants, for `fulcrum experiment` to judge
//! (`docs/experiments.md`), with staggered starts:
//!
//! - `async-standup` (the healthy team, from week `W/2 + 1`): the daily
//!   standup ends and everyone posts a written update; focus time,
//!   throughput and morale rise. Control teams: every team of the first
//!   department that plants no experiment.
//! - `working-hours-note` (the late-night team, from week `W/2`, six weeks
//!   at most): a declared change that changes nothing. Its true effects
//!   are zero; it must not be called `worked` or `harmful`.
//! - `evening-blockers-check` (the small-blockers team, from week
//!   `W/2 + 2`): every weekday at 18:30 on the lead's clock the team meets
//!   for 45 minutes to collect the day's blockers. The quick unblock
//!   meetings go on as before (the primary, `short_meetings`, does not
//!   move) and after-hours meeting time rises: a harmed guardrail.
//!
//! Each is planted on the first team of its archetype (the first
//! department) and only when the weeks allow two weeks in each window
//! (`W >= 6` for the last two). The true effect on the treated of each
//! primary and guardrail is computed by [`crate::key::experiment_truth`]:
//! the treated team's weeks generated twice from the same seed, with and
//! without the change.

use crate::archetype::Archetype;
use crate::org::Org;

/// Which change.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Standup replaced by written updates (a known effect).
    AsyncStandup,
    /// Declared, changes nothing.
    NoChange,
    /// A daily after-hours meeting (harms a guardrail).
    EveningCheck,
}

/// One planted experiment, as `fulcrum.toml` declares it.
#[derive(Debug, Clone, PartialEq)]
pub struct Planted {
    /// Which change.
    pub kind: Kind,
    /// The `[[experiment]]` id.
    pub id: &'static str,
    /// The treated team (index).
    pub team: usize,
    /// First treatment week (1-based); `start` is its Monday.
    pub start_week: u32,
    /// Treatment weeks.
    pub weeks: u32,
    /// Baseline weeks (the whole weeks before `start`).
    pub baseline_weeks: u32,
    /// Control teams (indices).
    pub control: Vec<usize>,
    /// The change, in words.
    pub change: &'static str,
    /// The primary signal.
    pub primary: &'static str,
    /// `increase` or `decrease`.
    pub expect: &'static str,
    /// The smallest effect worth having.
    pub min_effect: f64,
    /// The guardrails.
    pub guardrails: &'static [&'static str],
    /// The verdict the data should support.
    pub verdict: &'static str,
}

/// Guardrails of every planted experiment: those the answer key computes
/// a true effect for.
pub const GUARDRAILS: &[&str] = &["morale", "throughput", "after_hours_meeting_hours"];

fn first_team(org: &Org, a: Archetype) -> Option<usize> {
    org.teams
        .iter()
        .find(|t| t.department == 0 && t.archetype == a)
        .map(|t| t.index)
}

/// The evening check's team and first week, when planted.
pub fn evening_check(org: &Org) -> Option<(usize, u32)> {
    if org.weeks < 6 {
        return None;
    }
    Some((
        first_team(org, Archetype::SmallBlockers)?,
        org.weeks / 2 + 2,
    ))
}

/// The experiments planted in `org`, in order of their ids' declaration.
pub fn planted(org: &Org) -> Vec<Planted> {
    let healthy = org
        .experiment_week
        .and_then(|w| Some((first_team(org, Archetype::Healthy)?, w)));
    let null = (org.weeks >= 6)
        .then(|| Some((first_team(org, Archetype::LateNightPings)?, org.weeks / 2)))
        .flatten();
    let evening = org.evening_check;
    let treated: Vec<usize> = [healthy, null, evening]
        .iter()
        .flatten()
        .map(|(t, _)| *t)
        .collect();
    let control: Vec<usize> = org
        .teams
        .iter()
        .filter(|t| t.department == 0 && !treated.contains(&t.index))
        .map(|t| t.index)
        .collect();
    let window = |start: u32, most: u32| {
        let weeks = (org.weeks + 1 - start).min(most);
        (start, weeks, (start - 1).min(8))
    };
    let mut out = Vec::new();
    if let Some((team, w)) = healthy {
        let (start_week, weeks, baseline_weeks) = window(w, 52);
        out.push(Planted {
            kind: Kind::AsyncStandup,
            id: "async-standup",
            team,
            start_week,
            weeks,
            baseline_weeks,
            control: control.clone(),
            change: "Replace the daily standup with a written update each morning",
            primary: "focus_hours",
            expect: "increase",
            min_effect: 1.0,
            guardrails: GUARDRAILS,
            verdict: "worked",
        });
    }
    if let Some((team, w)) = null {
        let (start_week, weeks, baseline_weeks) = window(w, 6);
        out.push(Planted {
            kind: Kind::NoChange,
            id: "working-hours-note",
            team,
            start_week,
            weeks,
            baseline_weeks,
            control: control.clone(),
            change: "Everyone writes their working hours in their chat profile (in the demo nothing changes: a null experiment)",
            primary: "focus_hours",
            expect: "increase",
            min_effect: 1.0,
            guardrails: GUARDRAILS,
            verdict: "no detectable effect",
        });
    }
    if let Some((team, w)) = evening {
        let (start_week, weeks, baseline_weeks) = window(w, 52);
        out.push(Planted {
            kind: Kind::EveningCheck,
            id: "evening-blockers-check",
            team,
            start_week,
            weeks,
            baseline_weeks,
            control,
            change: "Collect the day's blockers in a 45-minute call at 18:30 every weekday instead of quick unblock meetings",
            primary: "short_meetings",
            expect: "decrease",
            min_effect: 1.0,
            guardrails: GUARDRAILS,
            verdict: "harmful",
        });
    }
    out
}

/// The organisation without `kind`'s change: the counterfactual the true
/// effects are measured against (the same seed, the same streams).
pub fn without(org: &Org, kind: Kind) -> Org {
    let mut o = org.clone();
    match kind {
        Kind::AsyncStandup => o.experiment_week = None,
        Kind::NoChange => {}
        Kind::EveningCheck => o.evening_check = None,
    }
    o
}

/// The `[[experiment]]` tables of `fulcrum.toml`.
pub fn toml(org: &Org) -> String {
    let mut s = String::new();
    for p in planted(org) {
        let start = org.start + chrono::Duration::days(7 * i64::from(p.start_week - 1));
        let quote = |v: &[String]| {
            v.iter()
                .map(|x| format!("\"{x}\""))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let control: Vec<String> = p
            .control
            .iter()
            .map(|&t| org.teams[t].slug.clone())
            .collect();
        let guardrails: Vec<String> = p.guardrails.iter().map(|g| (*g).to_owned()).collect();
        s.push_str(&format!(
            "\n# Planted: expected verdict \"{verdict}\" (truth.json's `experiments` has the true effects).\n\
             [[experiment]]\n\
             id = \"{id}\"\n\
             team = \"{team}\"\n\
             change = \"{change}\"\n\
             start = {start}\n\
             weeks = {weeks}\n\
             baseline_weeks = {baseline}\n\
             control = [{control}]\n\
             primary = \"{primary}\"\n\
             expect = \"{expect}\"\n\
             min_effect = {min_effect:.1}\n\
             guardrails = [{guardrails}]\n",
            verdict = p.verdict,
            id = p.id,
            team = org.teams[p.team].slug,
            change = p.change,
            weeks = p.weeks,
            baseline = p.baseline_weeks,
            control = quote(&control),
            primary = p.primary,
            expect = p.expect,
            min_effect = p.min_effect,
            guardrails = quote(&guardrails),
        ));
    }
    s
}
