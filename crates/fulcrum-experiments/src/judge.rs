//! The verdict of EXPERIMENTS.md's table and its reasons in words a team
//! lead reads ("focus hours rose by 3.1 h a week (90% interval 1.8 to
//! 4.4), the control teams' changed by 0.2 h; morale and throughput
//! held").

use crate::panel::Windows;
use crate::{Basis, Measure, Role, Settings, SignalResult, State};
use fulcrum_analysis::{Better, Unit};
use fulcrum_workspace::ExperimentSpec;

/// The verdict.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// The primary moved the expected way by at least `min_effect`, no
    /// guardrail harmed.
    Worked,
    /// The primary moved the wrong way, or a guardrail was harmed.
    Harmful,
    /// Neither: the minimum detectable effect says what could have been seen.
    NoDetectableEffect,
    /// The treatment window is not complete.
    TooEarly,
    /// Too few people or weeks to judge.
    NotEnoughData,
}

impl Verdict {
    /// As the spec writes it.
    pub fn as_str(&self) -> &'static str {
        match self {
            Verdict::Worked => "worked",
            Verdict::Harmful => "harmful",
            Verdict::NoDetectableEffect => "no detectable effect",
            Verdict::TooEarly => "too early",
            Verdict::NotEnoughData => "not enough data",
        }
    }
}

/// A number in a measure's unit, in words: shares as percentage points,
/// hours and counts per week.
pub fn amount(m: Measure, basis: Basis, x: f64) -> String {
    let x = x.abs();
    let per = match basis {
        Basis::People => " a week",
        Basis::Weeks => " a week (team)",
    };
    match m.unit() {
        Unit::Hours => format!("{x:.1} h{per}"),
        Unit::HoursMedianP90 => format!("{x:.1} h"),
        Unit::HoursPerDay => format!("{x:.1} h a day"),
        Unit::Percent | Unit::CountAndPercent => format!("{:.1} percentage points", x * 100.0),
        Unit::Score => format!("{x:.2} points"),
        Unit::Items => format!("{x:.1} items{per}"),
        Unit::GiniAndHours => format!("{x:.2}"),
        Unit::Count => format!("{x:.1}{per}"),
        Unit::Cost => format!("{x:.0} (cost){per}"),
    }
}

/// A plain number in the measure's display unit (shares in percent).
pub fn shown(m: Measure, x: f64) -> f64 {
    match m.unit() {
        Unit::Percent | Unit::CountAndPercent => x * 100.0,
        _ => x,
    }
}

fn moved(x: f64) -> &'static str {
    if x > 0.0 {
        "rose"
    } else if x < 0.0 {
        "fell"
    } else {
        "did not move"
    }
}

fn interval(r: &SignalResult, confidence: f64) -> String {
    match r.estimate {
        Some(e) => format!(
            "{:.0}% interval {:.1} to {:.1}",
            confidence * 100.0,
            shown(r.measure, e.low),
            shown(r.measure, e.high)
        ),
        None => String::new(),
    }
}

/// The bad side of a guardrail: +1 when up is bad, -1 when down is bad.
fn bad_sign(r: &SignalResult) -> f64 {
    let better = match r.measure {
        Measure::Signal(s) => s.better(),
        Measure::MoraleFavourable => Some(Better::Higher),
    };
    match better {
        Some(Better::Lower) => 1.0,
        _ => -1.0,
    }
}

/// True when a guardrail's interval lies entirely on its bad side beyond
/// its tolerance.
pub fn harmed(r: &SignalResult) -> bool {
    let (Some(e), Some(tol)) = (r.estimate, r.tolerance) else {
        return false;
    };
    let s = bad_sign(r);
    (s * e.low).min(s * e.high) > tol
}

/// The verdict and its reasons.
pub fn judge(
    spec: &ExperimentSpec,
    results: &[SignalResult],
    state: State,
    settings: &Settings,
    windows: &Windows,
    control: &[String],
) -> (Verdict, Vec<String>) {
    let c = settings.confidence;
    let mut reasons = Vec::new();
    let Some(primary) = results.iter().find(|r| r.role == Role::Primary) else {
        return (Verdict::NotEnoughData, vec!["no primary signal".to_owned()]);
    };
    let name = primary.measure.words();
    let guardrails: Vec<&SignalResult> = results
        .iter()
        .filter(|r| r.role == Role::Guardrail)
        .collect();
    let harmed_list: Vec<&SignalResult> =
        guardrails.iter().copied().filter(|r| harmed(r)).collect();
    let held: Vec<String> = guardrails
        .iter()
        .filter(|r| r.estimate.is_some() && !harmed(r))
        .map(|r| r.measure.words())
        .collect();
    let unjudged: Vec<String> = guardrails
        .iter()
        .filter(|r| r.estimate.is_none())
        .map(|r| r.measure.words())
        .collect();
    let guardrail_line = || {
        let mut parts = Vec::new();
        if !held.is_empty() {
            parts.push(format!("{} held", join(&held)));
        }
        if !unjudged.is_empty() {
            parts.push(format!("{} could not be judged", join(&unjudged)));
        }
        parts.join("; ")
    };

    if state != State::Done {
        let (_, to) = spec.treatment_dates();
        let as_of = settings
            .data_end
            .map_or(settings.today, |d| d.min(settings.today));
        reasons.push(match state {
            State::Planned => format!("the change starts on {}: nothing to judge yet", spec.start),
            _ => format!(
                "the treatment window runs to {to} and the data reaches {as_of}: the numbers below are interim, and looking before the end makes chance effects look real (peeking), so there is no verdict yet"
            ),
        });
        return (Verdict::TooEarly, reasons);
    }
    let short_window = match primary.basis {
        Basis::Weeks => primary.estimate.is_none(),
        Basis::People => windows.baseline.len() < 2 || windows.treatment.len() < 2,
    };
    if primary.estimate.is_none() || short_window {
        reasons.push(match &primary.no_estimate {
            Some(why) => format!("{name}: {why}"),
            None if short_window => {
                "fewer than 2 weeks in a window: lengthen the baseline or the treatment".to_owned()
            }
            None => format!("{name} could not be estimated"),
        });
        return (Verdict::NotEnoughData, reasons);
    }
    let Some(e) = primary.estimate else {
        return (Verdict::NotEnoughData, reasons);
    };
    let s = spec.expect.sign();
    let control_words = match (control.is_empty(), primary.control_change) {
        (true, _) => ", before/after without a control team (weaker evidence)".to_owned(),
        (false, Some(cc)) if cc.abs() < 1e-9 => ", the control teams' did not move".to_owned(),
        (false, Some(cc)) => format!(
            ", while the control teams' {} by {}",
            moved(cc),
            amount(primary.measure, primary.basis, cc)
        ),
        (false, None) => String::new(),
    };
    let headline = format!(
        "{name} {} by {} ({}){control_words}",
        moved(e.effect),
        amount(primary.measure, primary.basis, e.effect),
        interval(primary, c)
    );
    let wrong_side = (s * e.low).max(s * e.high) < 0.0;
    let right_side = (s * e.low).min(s * e.high) > 0.0;
    if wrong_side || !harmed_list.is_empty() {
        if wrong_side {
            reasons.push(format!(
                "{headline}: the wrong way (expected to {})",
                spec.expect.as_str()
            ));
        }
        for r in &harmed_list {
            let e = r.estimate.map_or(0.0, |e| e.effect);
            reasons.push(format!(
                "{} {} by {} ({}), past its tolerance of {}",
                r.measure.words(),
                moved(e),
                amount(r.measure, r.basis, e),
                interval(r, c),
                amount(r.measure, r.basis, r.tolerance.unwrap_or(0.0))
            ));
        }
        return (Verdict::Harmful, reasons);
    }
    let guard = guardrail_line();
    if right_side && s * e.effect >= spec.min_effect {
        reasons.push(if guard.is_empty() {
            headline
        } else {
            format!("{headline}; {guard}")
        });
        return (Verdict::Worked, reasons);
    }
    if right_side {
        reasons.push(format!(
            "{headline}: the expected way, but less than the {} worth having (min_effect)",
            amount(primary.measure, primary.basis, spec.min_effect)
        ));
    } else {
        reasons.push(format!("{headline}: the interval holds zero"));
    }
    reasons.push(format!(
        "this data could only have detected a change of {} or more (80% power)",
        amount(primary.measure, primary.basis, e.mde)
    ));
    if !guard.is_empty() {
        reasons.push(guard);
    }
    (Verdict::NoDetectableEffect, reasons)
}

fn join(xs: &[String]) -> String {
    match xs {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}
