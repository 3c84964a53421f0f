//! Did the change work? An experiment's panels, estimates, checks and
//! verdict, from the report's own signals (`docs/experiments.md`).
//!
//! Pure: [`evaluate`] takes the [`Signals`] computed over the experiment's
//! weeks, its declaration and the day it is judged on, and returns an
//! [`Evaluation`]: who counted and who was left out, each signal's
//! baseline, treatment, effect, interval and minimum detectable effect,
//! the pre-trend and placebo checks, the verdict and its reasons in words.
//! No I/O, no clock: the caller says what "today" is.
//!
//! Modules: [`panel`] (weekly values per person or team-week, exclusions),
//! [`estimate`] (before/after, difference in differences, two-way cluster
//! bootstrap, MDE), [`judge`] (verdicts and
//! reasons), [`stats`], [`rng`].

pub mod estimate;
pub mod judge;
pub mod panel;
pub mod rng;
pub mod stats;

use chrono::{Duration, NaiveDate};
use estimate::{Estimate, SEED, Weekly, person_estimate_weekly, week_estimate};
use fulcrum_analysis::{Scope, SignalId, Signals, Unit, Week};
use fulcrum_workspace::ExperimentSpec;
pub use judge::Verdict;
use panel::{
    Exclusions, PersonSeries, WeekSeries, Windows, mean_known, person_panel, pulse_values,
    signal_value, week_panel,
};

/// How an experiment is judged.
#[derive(Debug, Clone, PartialEq)]
pub struct Settings {
    /// Interval level, e.g. 0.9.
    pub confidence: f64,
    /// The minimum group size (`[policy] min_group_size`).
    pub min_group_size: u32,
    /// The day it is judged on.
    pub today: NaiveDate,
    /// The last day with data, when known.
    pub data_end: Option<NaiveDate>,
}

/// Where the experiment stands in time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum State {
    /// Not started.
    Planned,
    /// Started; the treatment window is not complete (in time or in the data).
    Running,
    /// The treatment window is complete.
    Done,
}

impl State {
    /// `planned`, `running`, `done`.
    pub fn as_str(&self) -> &'static str {
        match self {
            State::Planned => "planned",
            State::Running => "running",
            State::Done => "done",
        }
    }
}

/// The estimator used.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    /// No control team: weaker evidence.
    BeforeAfter,
    /// Control teams: each person's change, treated minus control.
    DiffInDiff,
}

impl Method {
    /// Stable id for JSON.
    pub fn as_str(&self) -> &'static str {
        match self {
            Method::BeforeAfter => "before_after",
            Method::DiffInDiff => "diff_in_diff",
        }
    }

    /// In words.
    pub fn words(&self) -> &'static str {
        match self {
            Method::BeforeAfter => "before/after, no control: weaker evidence",
            Method::DiffInDiff => {
                "difference in differences against the control teams, each person against their own baseline"
            }
        }
    }
}

/// A result's role.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// The signal that decides.
    Primary,
    /// Must not be harmed.
    Guardrail,
    /// Shown, not judged.
    Secondary,
}

impl Role {
    /// `primary`, `guardrail`, `secondary`.
    pub fn as_str(&self) -> &'static str {
        match self {
            Role::Primary => "primary",
            Role::Guardrail => "guardrail",
            Role::Secondary => "secondary",
        }
    }
}

/// What a result is measured on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Basis {
    /// Person-weeks: `n` is people.
    People,
    /// Team-weeks: `n` is weeks.
    Weeks,
}

impl Basis {
    /// `people` or `weeks`.
    pub fn as_str(&self) -> &'static str {
        match self {
            Basis::People => "people",
            Basis::Weeks => "weeks",
        }
    }
}

/// What a result is about: a signal, or the favourable share of morale.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Measure {
    /// A signal of SIGNALS.md.
    Signal(SignalId),
    /// The share of pulse answers of 4 or 5.
    MoraleFavourable,
}

impl Measure {
    /// Stable id.
    pub fn id(&self) -> &'static str {
        match self {
            Measure::Signal(s) => s.as_str(),
            Measure::MoraleFavourable => "morale_favourable",
        }
    }

    /// Its unit, as SIGNALS.md writes it (`%` for the favourable share).
    pub fn unit(&self) -> Unit {
        match self {
            Measure::Signal(s) => s.unit(),
            Measure::MoraleFavourable => Unit::Percent,
        }
    }

    /// In words.
    pub fn words(&self) -> String {
        match self {
            Measure::Signal(s) => s.words(),
            Measure::MoraleFavourable => "favourable morale answers (4-5)".to_owned(),
        }
    }
}

/// One signal's result.
#[derive(Debug, Clone, PartialEq)]
pub struct SignalResult {
    /// What.
    pub measure: Measure,
    /// Its role.
    pub role: Role,
    /// People or weeks.
    pub basis: Basis,
    /// The treated group's baseline mean.
    pub baseline: Option<f64>,
    /// The treated group's treatment mean.
    pub treatment: Option<f64>,
    /// The control groups' change over the same weeks, when there are controls.
    pub control_change: Option<f64>,
    /// The effect with its interval; `None` when it cannot be estimated.
    pub estimate: Option<Estimate>,
    /// Treated people (or treated weeks: baseline + treatment).
    pub n: usize,
    /// Control people (or control weeks).
    pub n_control: usize,
    /// Why there is no estimate, when there is none ("too small to evaluate").
    pub no_estimate: Option<String>,
    /// The tolerance used for a guardrail, in its unit.
    pub tolerance: Option<f64>,
}

/// The pre-trend check.
#[derive(Debug, Clone, PartialEq)]
pub struct Pretrend {
    /// True when the placebo effect's interval holds zero.
    pub ok: bool,
    /// In words.
    pub detail: String,
}

/// The placebo test over control teams.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Placebo {
    /// Rank of the real effect on the expected side (1 = largest).
    pub rank: usize,
    /// Of how many effects (the real one and one per control team).
    pub of: usize,
}

/// An exclusion line: what, how many.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Excluded {
    /// Stable reason id.
    pub reason: &'static str,
    /// How many.
    pub count: u32,
    /// What the count is of, in words.
    pub detail: String,
}

/// One week of the primary's event study.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct WeekGap {
    /// The week.
    pub week: Week,
    /// Treated mean.
    pub treated: Option<f64>,
    /// Control mean.
    pub control: Option<f64>,
    /// The lowest of the control teams' weekly values (each team's mean
    /// for a person-week signal), for the control band of a chart. A
    /// control team enters the band only in weeks where at least
    /// `min_group_size` of its people have a value, so no band edge is a
    /// small group's mean.
    pub control_low: Option<f64>,
    /// The highest of the control teams' weekly values (see `control_low`).
    pub control_high: Option<f64>,
}

/// Everything `fulcrum experiment show` prints.
#[derive(Debug, Clone, PartialEq)]
pub struct Evaluation {
    /// The declaration.
    pub spec: ExperimentSpec,
    /// Control teams used.
    pub control: Vec<String>,
    /// Lines on control teams left out.
    pub control_notes: Vec<String>,
    /// Baseline first and last day.
    pub baseline: (NaiveDate, NaiveDate),
    /// Treatment first and last day.
    pub treatment: (NaiveDate, NaiveDate),
    /// Where it stands.
    pub state: State,
    /// Treated people counted (for the primary).
    pub treated_people: usize,
    /// Control people counted (for the primary).
    pub control_people: usize,
    /// Left out, counted (for the primary).
    pub excluded: Vec<Excluded>,
    /// The estimator.
    pub method: Method,
    /// Interval level.
    pub confidence: f64,
    /// Results: primary first, then guardrails, then secondary.
    pub results: Vec<SignalResult>,
    /// Pre-trend check (primary).
    pub pretrend: Option<Pretrend>,
    /// Placebo test (primary; two or more control teams).
    pub placebo: Option<Placebo>,
    /// Without control: what extending the baseline's slope would give.
    pub baseline_trend: Option<String>,
    /// Week by week means of the primary.
    pub weeks: Vec<WeekGap>,
    /// The verdict.
    pub verdict: Verdict,
    /// Why, in words.
    pub reasons: Vec<String>,
}

/// The control teams an experiment can use: a control team running its
/// own experiment during this one's weeks (baseline start to treatment
/// end) is left out, with a line.
pub fn usable_controls(
    spec: &ExperimentSpec,
    all: &[ExperimentSpec],
) -> (Vec<String>, Vec<String>) {
    let (from, to) = (spec.baseline_dates().0, spec.treatment_dates().1);
    let mut used = Vec::new();
    let mut notes = Vec::new();
    for c in &spec.control {
        let busy = all.iter().find(|o| {
            o.id != spec.id && &o.team == c && {
                let (a, b) = o.running();
                a <= to && from <= b
            }
        });
        match busy {
            Some(o) => notes.push(format!(
                "control team {c:?} runs its own experiment {:?} ({} to {}) during these weeks: left out as control",
                o.id,
                o.running().0,
                o.running().1
            )),
            None => used.push(c.clone()),
        }
    }
    (used, notes)
}

/// The measures judged, with their roles: the primary, the guardrails,
/// the finding's watch signals, and the favourable share of morale next to
/// morale.
fn measures(spec: &ExperimentSpec) -> Vec<(Measure, Role)> {
    let mut out: Vec<(Measure, Role)> = vec![(Measure::Signal(spec.primary), Role::Primary)];
    for g in &spec.guardrails {
        if !out.iter().any(|(m, _)| *m == Measure::Signal(*g)) {
            out.push((Measure::Signal(*g), Role::Guardrail));
        }
    }
    if let Some(f) = spec.finding {
        for w in f.experiment().watch {
            if !out.iter().any(|(m, _)| *m == Measure::Signal(*w)) {
                out.push((Measure::Signal(*w), Role::Secondary));
            }
        }
    }
    if out
        .iter()
        .any(|(m, _)| *m == Measure::Signal(SignalId::Morale))
    {
        out.push((Measure::MoraleFavourable, Role::Secondary));
    }
    out
}

/// A panel of one measure for the groups.
enum Built {
    People(Vec<PersonSeries>),
    Weeks(Vec<WeekSeries>),
}

fn build(signals: &Signals, teams: &[&str], windows: &Windows, m: Measure) -> (Built, Exclusions) {
    let pulse = |favourable: bool| {
        let by = pulse_values(signals, favourable);
        let weeks = signals.weeks.clone();
        move |p: &fulcrum_analysis::PersonWeeks, w: usize| by.get(&(p.person, weeks[w])).copied()
    };
    match m {
        Measure::Signal(SignalId::Morale) => {
            let (p, e) = person_panel(signals, teams, windows, &pulse(false));
            (Built::People(p), e)
        }
        Measure::MoraleFavourable => {
            let (p, e) = person_panel(signals, teams, windows, &pulse(true));
            (Built::People(p), e)
        }
        Measure::Signal(id) if id.scope() == Scope::Person => {
            let (p, e) = person_panel(signals, teams, windows, &signal_value(id));
            (Built::People(p), e)
        }
        Measure::Signal(id) => {
            let (w, e) = week_panel(signals, teams, windows, id);
            (Built::Weeks(w), e)
        }
    }
}

/// A seed per measure, so each has its own bootstrap stream.
/// The bootstrap seed of a measure: [`SEED`] mixed with an FNV-1a hash of
/// its id, so a signal keeps its stream when signals are added to the
/// spec (a position in `SignalId::ALL` would move).
fn seed_of(m: Measure, salt: u64) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in m.id().bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    SEED ^ h ^ salt
}

/// Weekly gaps of team-week series: treated minus the mean of the control
/// groups that week (the treated value alone without control).
fn gaps(series: &[WeekSeries], groups: &[usize], control: &[usize]) -> (Vec<f64>, Vec<f64>) {
    let gap = |pick: fn(&WeekSeries) -> &Vec<Option<f64>>, i: usize| -> Option<f64> {
        let t: Vec<f64> = groups.iter().filter_map(|&g| pick(&series[g])[i]).collect();
        let t = stats::mean(&t)?;
        if control.is_empty() {
            return Some(t);
        }
        let c: Vec<f64> = control
            .iter()
            .filter_map(|&g| pick(&series[g])[i])
            .collect();
        Some(t - stats::mean(&c)?)
    };
    let n_b = series.first().map_or(0, |s| s.baseline.len());
    let n_t = series.first().map_or(0, |s| s.treatment.len());
    (
        (0..n_b).filter_map(|i| gap(|s| &s.baseline, i)).collect(),
        (0..n_t).filter_map(|i| gap(|s| &s.treatment, i)).collect(),
    )
}

/// The weekly values of the people of `groups` who have a value in both
/// windows (those [`pairs`] keeps).
fn weekly(series: &[PersonSeries], groups: &[usize]) -> Vec<Weekly> {
    series
        .iter()
        .filter(|s| groups.contains(&s.group) && s.means().is_some())
        .map(|s| (s.baseline.clone(), s.treatment.clone()))
        .collect()
}

fn pairs(series: &[PersonSeries], groups: &[usize]) -> Vec<(f64, f64)> {
    series
        .iter()
        .filter(|s| groups.contains(&s.group))
        .filter_map(PersonSeries::means)
        .collect()
}

/// Judges one experiment on the signals computed over its weeks.
pub fn evaluate(
    spec: &ExperimentSpec,
    all: &[ExperimentSpec],
    signals: &Signals,
    settings: &Settings,
) -> Evaluation {
    let (control, control_notes) = usable_controls(spec, all);
    let windows = Windows {
        baseline: spec.baseline(),
        treatment: spec.treatment(),
    };
    let mut teams: Vec<&str> = vec![spec.team.as_str()];
    teams.extend(control.iter().map(String::as_str));
    let control_groups: Vec<usize> = (1..teams.len()).collect();
    let method = if control.is_empty() {
        Method::BeforeAfter
    } else {
        Method::DiffInDiff
    };
    let c = settings.confidence;
    let min = settings.min_group_size as usize;

    let mut results = Vec::new();
    let mut primary_exclusions = Exclusions::default();
    let (mut treated_people, mut control_people) = (0, 0);
    let mut pretrend = None;
    let mut placebo = None;
    let mut baseline_trend = None;
    let mut weeks = Vec::new();
    for (m, role) in measures(spec) {
        let (built, ex) = build(signals, &teams, &windows, m);
        let seed = seed_of(m, 0);
        let mut r = SignalResult {
            measure: m,
            role,
            basis: Basis::People,
            baseline: None,
            treatment: None,
            control_change: None,
            estimate: None,
            n: 0,
            n_control: 0,
            no_estimate: None,
            tolerance: None,
        };
        match &built {
            Built::People(series) => {
                let t = pairs(series, &[0]);
                let cp = pairs(series, &control_groups);
                r.n = t.len();
                r.n_control = cp.len();
                r.baseline = stats::mean(&t.iter().map(|p| p.0).collect::<Vec<_>>());
                r.treatment = stats::mean(&t.iter().map(|p| p.1).collect::<Vec<_>>());
                r.control_change = stats::mean(&cp.iter().map(|p| p.1 - p.0).collect::<Vec<_>>());
                if t.len() < min || (!control.is_empty() && cp.len() < min) {
                    r.no_estimate = Some(too_small(t.len(), cp.len(), min, !control.is_empty()));
                    r.baseline = None;
                    r.treatment = None;
                    r.control_change = None;
                } else {
                    r.estimate = person_estimate_weekly(
                        &weekly(series, &[0]),
                        &weekly(series, &control_groups),
                        c,
                        seed,
                    );
                }
            }
            Built::Weeks(series) => {
                r.basis = Basis::Weeks;
                let (b, a) = gaps(series, &[0], &control_groups);
                let (tb, ta) = gaps(series, &[0], &[]);
                r.n = b.len() + a.len();
                r.baseline = stats::mean(&tb);
                r.treatment = stats::mean(&ta);
                if !control.is_empty() {
                    let (cb, ca) = gaps(series, &control_groups, &[]);
                    r.n_control = cb.len() + ca.len();
                    r.control_change = estimate::week_effect(&cb, &ca);
                }
                if b.len() < 2 || a.len() < 2 {
                    r.no_estimate = Some(format!(
                        "fewer than 2 weeks with a value in a window ({} baseline, {} treatment)",
                        b.len(),
                        a.len()
                    ));
                } else {
                    r.estimate = week_estimate(&b, &a, c, seed);
                }
            }
        }
        if role == Role::Guardrail {
            r.tolerance = Some(
                spec.tolerance
                    .get(&match m {
                        Measure::Signal(s) => s,
                        Measure::MoraleFavourable => SignalId::Morale,
                    })
                    .copied()
                    .unwrap_or_else(|| 0.1 * r.baseline.unwrap_or(0.0).abs()),
            );
        }
        if role == Role::Primary {
            primary_exclusions = ex;
            let people_panel = matches!(built, Built::People(_));
            if people_panel {
                treated_people = r.n;
                control_people = r.n_control;
            }
            weeks = event_study(&built, &windows, &control_groups, min);
            if r.estimate.is_some() {
                pretrend = pretrend_check(&built, &control_groups, c, seed_of(m, 1), spec);
                placebo = placebo_rank(&built, &control_groups, spec, r.estimate.map(|e| e.effect));
                if method == Method::BeforeAfter {
                    baseline_trend =
                        trend_line(&weeks, &windows, spec, r.estimate.map(|e| e.effect));
                }
            }
        }
        results.push(r);
    }
    let state = state_of(spec, settings);
    let (verdict, mut reasons) = judge::judge(spec, &results, state, settings, &windows, &control);
    // The spec's table does not look at the pre-trend; a careful reader
    // would, so a verdict built on groups that were already drifting apart
    // says so.
    if matches!(verdict, Verdict::Worked | Verdict::Harmful)
        && let Some(p) = pretrend.as_ref().filter(|p| !p.ok)
    {
        reasons.push(format!("read with care: {}", p.detail));
    }
    Evaluation {
        spec: spec.clone(),
        control,
        control_notes,
        baseline: spec.baseline_dates(),
        treatment: spec.treatment_dates(),
        state,
        treated_people,
        control_people,
        excluded: exclusions(&primary_exclusions),
        method,
        confidence: c,
        results,
        pretrend,
        placebo,
        baseline_trend,
        weeks,
        verdict,
        reasons,
    }
}

fn too_small(t: usize, c: usize, min: usize, with_control: bool) -> String {
    if t < min {
        format!(
            "too small to evaluate: {t} treated people with data in both windows, under the minimum group size of {min}"
        )
    } else if with_control {
        format!(
            "too small to evaluate: {c} control people with data in both windows, under the minimum group size of {min}"
        )
    } else {
        "too small to evaluate".to_owned()
    }
}

/// Planned before the start; done when the data (and today) reach the
/// Friday of the last treatment week; running in between.
pub fn state_of(spec: &ExperimentSpec, settings: &Settings) -> State {
    let as_of = settings
        .data_end
        .map_or(settings.today, |d| d.min(settings.today));
    if settings.today < spec.start {
        State::Planned
    } else if as_of >= spec.treatment_dates().1 - Duration::days(2) {
        State::Done
    } else {
        State::Running
    }
}

fn exclusions(e: &Exclusions) -> Vec<Excluded> {
    let line = |reason, count, detail: &str| Excluded {
        reason,
        count,
        detail: detail.to_owned(),
    };
    [
        line(
            "joined",
            e.joiners,
            "people with data in the treatment window only (joined, or their source starts later)",
        ),
        line(
            "left",
            e.leavers,
            "people with data in the baseline window only (left)",
        ),
        line("no_data", e.no_data, "people with no data in either window"),
        line("away", e.weeks_away, "person-weeks away most of the week"),
        line(
            "team_away",
            e.team_weeks_away,
            "team-weeks with half the team or more away",
        ),
        line(
            "after_data",
            e.weeks_after_data,
            "team-weeks after the data ends",
        ),
        line(
            "suppressed",
            e.weeks_suppressed,
            "team-weeks withheld: too few members with data",
        ),
    ]
    .into_iter()
    .filter(|x| x.count > 0)
    .collect()
}

/// Week by week means of the primary: treated and control, each only when
/// at least `min` people (of a person-week signal) have a value that week.
fn event_study(built: &Built, windows: &Windows, control: &[usize], min: usize) -> Vec<WeekGap> {
    let all: Vec<Week> = windows
        .baseline
        .iter()
        .chain(&windows.treatment)
        .copied()
        .collect();
    let nb = windows.baseline.len();
    let values = |groups: &[usize], i: usize| -> Vec<f64> {
        let pick = |v: &Vec<Option<f64>>, j: usize| v.get(j).copied().flatten();
        let xs: Vec<f64> = match built {
            Built::People(s) => s
                .iter()
                .filter(|p| groups.contains(&p.group) && p.means().is_some())
                .filter_map(|p| {
                    if i < nb {
                        pick(&p.baseline, i)
                    } else {
                        pick(&p.treatment, i - nb)
                    }
                })
                .collect(),
            Built::Weeks(s) => groups
                .iter()
                .filter_map(|&g| {
                    if i < nb {
                        pick(&s[g].baseline, i)
                    } else {
                        pick(&s[g].treatment, i - nb)
                    }
                })
                .collect(),
        };
        xs
    };
    // A group's weekly mean only when enough of its people have a value
    // that week: the privacy rule of the analysis (team-week values are
    // already withheld below the group size).
    let value = |groups: &[usize], i: usize| {
        let xs = values(groups, i);
        let enough = match built {
            Built::People(_) => xs.len() >= min.max(1),
            Built::Weeks(_) => !xs.is_empty(),
        };
        if enough { stats::mean(&xs) } else { None }
    };
    // Each control team's weekly value, for the band.
    let team_values =
        |i: usize| -> Vec<f64> { control.iter().filter_map(|&g| value(&[g], i)).collect() };
    all.iter()
        .enumerate()
        .map(|(i, w)| {
            let band = team_values(i);
            WeekGap {
                week: *w,
                treated: value(&[0], i),
                control: if control.is_empty() {
                    None
                } else {
                    value(control, i)
                },
                control_low: band.iter().copied().reduce(f64::min),
                control_high: band.iter().copied().reduce(f64::max),
            }
        })
        .collect()
}

/// The placebo start in the middle of the baseline: the same estimator
/// with the first half of the baseline as "before" and the second as
/// "after". Its interval should hold zero.
fn pretrend_check(
    built: &Built,
    control: &[usize],
    confidence: f64,
    seed: u64,
    spec: &ExperimentSpec,
) -> Option<Pretrend> {
    let nb = spec.baseline_weeks as usize;
    if nb < 2 {
        return Some(Pretrend {
            ok: false,
            detail: "not checked: the baseline has fewer than 2 weeks".to_owned(),
        });
    }
    let half = nb / 2;
    let est = match built {
        Built::People(series) => {
            let split = |groups: &[usize]| -> Vec<Weekly> {
                series
                    .iter()
                    .filter(|s| groups.contains(&s.group))
                    .filter(|s| {
                        mean_known(&s.baseline[..half]).is_some()
                            && mean_known(&s.baseline[half..]).is_some()
                    })
                    .map(|s| (s.baseline[..half].to_vec(), s.baseline[half..].to_vec()))
                    .collect()
            };
            person_estimate_weekly(&split(&[0]), &split(control), confidence, seed)?
        }
        Built::Weeks(series) => {
            let (b, _) = gaps(series, &[0], control);
            if b.len() < 2 {
                return None;
            }
            let h = b.len() / 2;
            week_estimate(&b[..h], &b[h..], confidence, seed)?
        }
    };
    let ok = est.low <= 0.0 && 0.0 <= est.high;
    let against = if control.is_empty() {
        "the baseline's first half"
    } else {
        "the control teams"
    };
    let detail = format!(
        "a pretend start in the middle of the baseline gives {:+.2} ({:.0}% interval {:.2} to {:.2}) against {against}: {}",
        est.effect,
        confidence * 100.0,
        est.low,
        est.high,
        if ok {
            "no change before the change, as it should be"
        } else {
            "the groups already drifted apart before the change, so the effect may be part trend"
        }
    );
    Some(Pretrend { ok, detail })
}

/// Each control team in turn treated as if it had changed (the other
/// control teams as its control): where the real effect ranks among them
/// on the expected side. Needs two or more control teams.
fn placebo_rank(
    built: &Built,
    control: &[usize],
    spec: &ExperimentSpec,
    real: Option<f64>,
) -> Option<Placebo> {
    let real = real?;
    if control.len() < 2 {
        return None;
    }
    let s = spec.expect.sign();
    let placebos: Vec<f64> = control
        .iter()
        .filter_map(|&g| {
            let others: Vec<usize> = control.iter().copied().filter(|&o| o != g).collect();
            match built {
                Built::People(series) => {
                    estimate::person_effect(&pairs(series, &[g]), &pairs(series, &others))
                }
                Built::Weeks(series) => {
                    let (b, a) = gaps(series, &[g], &others);
                    estimate::week_effect(&b, &a)
                }
            }
        })
        .collect();
    let rank = 1 + placebos.iter().filter(|p| s * **p >= s * real).count();
    Some(Placebo {
        rank,
        of: placebos.len() + 1,
    })
}

/// Without control: would extending the baseline's slope explain the
/// change? The treated weekly means over the baseline, fitted by least
/// squares, carried from the baseline's middle to the treatment's.
fn trend_line(
    weeks: &[WeekGap],
    windows: &Windows,
    spec: &ExperimentSpec,
    effect: Option<f64>,
) -> Option<String> {
    let effect = effect?;
    let (x, y): (Vec<f64>, Vec<f64>) = weeks
        .iter()
        .take(windows.baseline.len())
        .filter_map(|g| Some((windows.position(g.week), g.treated?)))
        .unzip();
    let slope = stats::slope(&x, &y)?;
    let mid =
        |ws: &[Week]| stats::mean(&ws.iter().map(|w| windows.position(*w)).collect::<Vec<_>>());
    let projected = slope * (mid(&windows.treatment)? - mid(&windows.baseline)?);
    let explains = projected * effect > 0.0 && projected.abs() >= 0.5 * effect.abs();
    let name = spec.primary.words();
    Some(if explains {
        format!(
            "{name} was already moving {:+.2} a week during the baseline; extending that slope gives {projected:+.2} of the {effect:+.2} change, so the change may be the trend going on",
            slope
        )
    } else {
        format!(
            "the baseline's own slope ({slope:+.2} a week) would give {projected:+.2}, which does not explain the {effect:+.2} change"
        )
    })
}
