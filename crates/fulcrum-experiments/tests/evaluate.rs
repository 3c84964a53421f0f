//! Hand-made panels whose effects are worked out by hand (the arithmetic
//! is in the comments), one per estimator and check, and every verdict
//! reached.

#![allow(clippy::unwrap_used)] // Test code: a panic is a failed test with its location.

use chrono::NaiveDate;
use fulcrum_analysis::{
    CalendarWeek, Coverage, PersonWeek, PersonWeeks, PulseAnswer, Sensitivity, SignalId, Signals,
    TeamSignal, TeamValue, TeamWeek, TeamWeeks, Unknown, Value, Week,
};
use fulcrum_experiments::{Method, Role, Settings, State, Verdict, evaluate};
use fulcrum_workspace::{Expect, ExperimentSpec};
use std::collections::BTreeMap;

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

/// 2026-W38 to W45: baseline W38-W41, treatment W42-W45 for a start on
/// Monday 12 October 2026 (W42) with 4 weeks each.
fn weeks() -> Vec<Week> {
    (38..=45)
        .map(|w| Week {
            year: 2026,
            week: w,
        })
        .collect()
}

/// One person: focus hours and after-hours meeting hours per week (`None`:
/// no calendar that week), away flags.
struct P {
    team: &'static str,
    focus: Vec<Option<f64>>,
    after: Vec<f64>,
    away: Vec<bool>,
}

fn person(team: &'static str, focus: Vec<Option<f64>>) -> P {
    P {
        team,
        after: vec![0.0; focus.len()],
        away: vec![false; focus.len()],
        focus,
    }
}

/// Baseline value `b` in each of the 4 baseline weeks and `b + change` in
/// each treatment week, with +0.5 / -0.5 alternating noise that averages
/// out within each window.
fn steady(team: &'static str, b: f64, change: f64) -> P {
    let noise = [0.5, -0.5, 0.5, -0.5];
    let mut v: Vec<Option<f64>> = noise.iter().map(|n| Some(b + n)).collect();
    v.extend(noise.iter().map(|n| Some(b + change + n)));
    person(team, v)
}

/// A team's weekly throughput (`None`: half the team away that week).
struct T {
    team: &'static str,
    throughput: Vec<Option<f64>>,
}

fn signals(people: &[P], teams: &[T], pulse: Vec<PulseAnswer>) -> Signals {
    let ws = weeks();
    Signals {
        weeks: ws.clone(),
        people: people
            .iter()
            .enumerate()
            .map(|(i, p)| PersonWeeks {
                person: i,
                email: format!("p{i}@acme.example"),
                team: p.team.to_owned(),
                sensitivity: Sensitivity::Individual,
                weeks: ws
                    .iter()
                    .enumerate()
                    .map(|(w, week)| PersonWeek {
                        week: *week,
                        calendar: p.focus[w]
                            .map(|f| CalendarWeek {
                                working_hours: 40.0,
                                focus_hours: f,
                                after_hours_meeting_hours: p.after[w],
                                ..CalendarWeek::default()
                            })
                            .ok_or(Unknown::NoCalendar),
                        chat: Err(Unknown::NoChat),
                        uninterrupted_hours: Err(Unknown::NoChat),
                        interrupted_hours: Err(Unknown::NoChat),
                        meeting_quality: Err(Unknown::NoChat),
                        flexibility: Err(Unknown::NoActivity),
                        sync_share: Err(Unknown::NoChat),
                        away: p.away[w],
                    })
                    .collect(),
            })
            .collect(),
        teams: teams
            .iter()
            .map(|t| TeamWeeks {
                team: t.team.to_owned(),
                members: Vec::new(),
                weeks: ws
                    .iter()
                    .enumerate()
                    .map(|(w, week)| TeamWeek {
                        week: *week,
                        signals: vec![TeamSignal {
                            id: SignalId::Throughput,
                            members_with_data: 5,
                            value: t.throughput[w]
                                .map(|x| TeamValue::Value(Value::Number(x)))
                                .ok_or(Unknown::TeamAway),
                        }],
                        members_away: u32::from(t.throughput[w].is_none()) * 3,
                    })
                    .collect(),
            })
            .collect(),
        coverage: Coverage::default(),
        escalations: Vec::new(),
        pulse,
    }
}

fn flat_teams(names: &[&'static str]) -> Vec<T> {
    names
        .iter()
        .map(|n| T {
            team: n,
            throughput: [10.0, 12.0, 10.0, 12.0, 10.0, 12.0, 10.0, 12.0]
                .map(Some)
                .to_vec(),
        })
        .collect()
}

fn spec(control: &[&str], primary: SignalId, guardrails: &[SignalId]) -> ExperimentSpec {
    ExperimentSpec {
        id: "async-standup".into(),
        team: "data".into(),
        change: None,
        move_id: None,
        finding: None,
        start: d("2026-10-12"),
        weeks: 4,
        ended: None,
        baseline_weeks: 4,
        washout_weeks: 0,
        control: control.iter().map(|c| c.to_string()).collect(),
        primary,
        expect: Expect::improving(primary.better().unwrap()),
        min_effect: 1.0,
        guardrails: guardrails.to_vec(),
        tolerance: BTreeMap::new(),
        line: 1,
    }
}

fn settings() -> Settings {
    Settings {
        confidence: 0.9,
        min_group_size: 5,
        today: d("2026-12-01"),
        data_end: Some(d("2026-11-20")),
    }
}

/// Treated people with baselines 10..14 whose change is
/// `effect + 0.5 * (b - 12)`, and control teams with the same baselines
/// and change `0.5 * (b - 12)`.
fn with_control(effect: f64) -> Vec<P> {
    let mut people = Vec::new();
    for team in ["data", "web", "search"] {
        for i in 0..5 {
            let b = 10.0 + f64::from(i);
            let e = if team == "data" { effect } else { 0.0 };
            people.push(steady(team, b, e + 0.5 * (b - 12.0)));
        }
    }
    people
}

const GUARDS: &[SignalId] = &[SignalId::Throughput, SignalId::AfterHoursMeetingHours];

#[test]
fn worked_difference_in_differences_with_placebo_and_pretrend() {
    // Person changes d = 3 + 0.5 (b - 12) treated, 0.5 (b - 12) control,
    // baselines 10..14 in both groups: mean change 3 + 0.5 * 0 = 3
    // treated, 0 control, so tau = 3 - 0 = 3. Resamples of people move
    // the means of (b - 12) (-2..2, times 0.5: at most 1 either way), and
    // resamples of weeks the +-0.5 weekly noise: the interval holds 3
    // and stays above 1.
    let s = signals(
        &with_control(3.0),
        &flat_teams(&["data", "web", "search"]),
        vec![],
    );
    let e = evaluate(
        &spec(&["web", "search"], SignalId::FocusHours, GUARDS),
        &[],
        &s,
        &settings(),
    );
    assert_eq!(e.method, Method::DiffInDiff);
    assert_eq!(e.state, State::Done);
    assert_eq!((e.treated_people, e.control_people), (5, 10));
    let p = &e.results[0];
    assert_eq!(p.role, Role::Primary);
    let est = p.estimate.unwrap();
    assert!((est.effect - 3.0).abs() < 1e-9, "{est:?}");
    assert!(
        1.0 < est.low && est.low < 3.0 && 3.0 < est.high && est.high < 5.0,
        "{est:?}"
    );
    // Treated baseline mean (10 + ... + 14) / 5 = 12; treatment mean 12 + 3 = 15.
    assert!((p.baseline.unwrap() - 12.0).abs() < 1e-9);
    assert!((p.treatment.unwrap() - 15.0).abs() < 1e-9);
    // Placebo: web against search (and search against web) gives 0; the
    // real 3 ranks first of 3.
    assert_eq!(e.placebo.map(|p| (p.rank, p.of)), Some((1, 3)));
    // Pre-trend: each baseline half averages b (+0.5 - 0.5 = 0): 0 change.
    assert!(e.pretrend.as_ref().unwrap().ok, "{:?}", e.pretrend);
    assert_eq!(e.verdict, Verdict::Worked, "{:?}", e.reasons);
    assert!(
        e.reasons[0].starts_with("focus hours rose by 3.0 h a week (90% interval ")
            && e.reasons[0].ends_with(
                "the control teams' did not move; throughput and after hours meeting hours held"
            ),
        "{}",
        e.reasons[0]
    );
}

#[test]
fn before_after_without_control_and_the_baseline_trend() {
    // No control: the mean change of the treated, 3 + 0.5 * mean(b - 12) = 3.
    let people: Vec<P> = with_control(3.0)
        .into_iter()
        .filter(|p| p.team == "data")
        .collect();
    let s = signals(&people, &flat_teams(&["data"]), vec![]);
    let e = evaluate(
        &spec(&[], SignalId::FocusHours, GUARDS),
        &[],
        &s,
        &settings(),
    );
    assert_eq!(e.method, Method::BeforeAfter);
    assert!((e.results[0].estimate.unwrap().effect - 3.0).abs() < 1e-9);
    // Weekly baseline means 12.5, 11.5, 12.5, 11.5 at positions 0..3:
    // dx = -1.5, -0.5, 0.5, 1.5 and dy = 0.5, -0.5, 0.5, -0.5, so
    // slope = sum(dx * dy) / sum(dx^2) = (-0.75 + 0.25 + 0.25 - 0.75) / 5 = -0.2;
    // from the baseline's middle (1.5) to the treatment's (5.5) that is
    // -0.8: no explanation of +3.
    let trend = e.baseline_trend.unwrap();
    assert!(
        trend.contains("(-0.20 a week) would give -0.80, which does not explain"),
        "{trend}"
    );
    assert_eq!(e.verdict, Verdict::Worked);
    assert!(
        e.reasons[0].contains("before/after without a control team"),
        "{:?}",
        e.reasons
    );

    // A team already rising by 1 h a week: baseline 10, 11, 12, 13 (mean
    // 11.5), treatment 14..17 (mean 15.5): change 4, all of it the slope
    // (1 a week over the 4 weeks between the windows' middles).
    let rising: Vec<P> = (0..5)
        .map(|i| {
            person(
                "data",
                (0..8)
                    .map(|w| Some(10.0 + f64::from(i) + f64::from(w)))
                    .collect(),
            )
        })
        .collect();
    let s = signals(&rising, &flat_teams(&["data"]), vec![]);
    let e = evaluate(
        &spec(&[], SignalId::FocusHours, GUARDS),
        &[],
        &s,
        &settings(),
    );
    assert!((e.results[0].estimate.unwrap().effect - 4.0).abs() < 1e-9);
    assert!(
        e.baseline_trend
            .unwrap()
            .contains("extending that slope gives +4.00 of the +4.00 change")
    );
}

#[test]
fn a_harmed_guardrail_makes_it_harmful() {
    // The primary works (+3) but the treated people's after-hours meeting
    // hours go from 0 to 2 a week; the control's stay 0. Effect 2, interval
    // 2 to 2; the default tolerance is a tenth of the baseline, 0.
    let mut people = with_control(3.0);
    for p in people.iter_mut().filter(|p| p.team == "data") {
        p.after = vec![0.0, 0.0, 0.0, 0.0, 2.0, 2.0, 2.0, 2.0];
    }
    let s = signals(&people, &flat_teams(&["data", "web", "search"]), vec![]);
    let e = evaluate(
        &spec(&["web", "search"], SignalId::FocusHours, GUARDS),
        &[],
        &s,
        &settings(),
    );
    let g = e
        .results
        .iter()
        .find(|r| r.measure.id() == "after_hours_meeting_hours")
        .unwrap();
    assert!((g.estimate.unwrap().effect - 2.0).abs() < 1e-9);
    assert_eq!(e.verdict, Verdict::Harmful);
    assert_eq!(
        e.reasons,
        [
            "after hours meeting hours rose by 2.0 h a week (90% interval 2.0 to 2.0), past its tolerance of 0.0 h a week"
        ]
    );
}

#[test]
fn the_wrong_way_is_harmful() {
    // Treated change -3 + 0.5 (b - 12): tau = -3 for a signal expected to rise.
    let s = signals(
        &with_control(-3.0),
        &flat_teams(&["data", "web", "search"]),
        vec![],
    );
    let e = evaluate(
        &spec(&["web", "search"], SignalId::FocusHours, GUARDS),
        &[],
        &s,
        &settings(),
    );
    assert_eq!(e.verdict, Verdict::Harmful);
    assert!(
        e.reasons[0].starts_with("focus hours fell by 3.0 h a week"),
        "{:?}",
        e.reasons
    );
    assert_eq!(e.placebo.map(|p| p.rank), Some(3));
}

#[test]
fn no_detectable_effect_states_the_mde() {
    // Treated changes 1, -1, 0.5, -0.5, 0 and control changes -1, 1, -0.5,
    // 0.5, 0 against the same baselines 10..14: both means 0, and the
    // covariate (b - 12 = -2..2) is uncorrelated with the changes in the
    // pooled data (sum of (b - 12) * d = -1.5 + 1.5 = 0), so tau = 0.
    let changes = [1.0, -1.0, 0.5, -0.5, 0.0];
    let mut people = Vec::new();
    for (team, sign) in [("data", 1.0), ("web", -1.0), ("search", -1.0)] {
        for (i, c) in changes.iter().enumerate() {
            people.push(steady(team, 10.0 + i as f64, sign * c));
        }
    }
    let s = signals(&people, &flat_teams(&["data", "web", "search"]), vec![]);
    let e = evaluate(
        &spec(&["web", "search"], SignalId::FocusHours, GUARDS),
        &[],
        &s,
        &settings(),
    );
    let est = e.results[0].estimate.unwrap();
    assert!(
        est.effect.abs() < 1e-9 && est.low < 0.0 && est.high > 0.0,
        "{est:?}"
    );
    assert_eq!(e.verdict, Verdict::NoDetectableEffect);
    assert!(
        e.reasons[1].starts_with("this data could only have detected a change of "),
        "{:?}",
        e.reasons
    );
    assert!(est.mde > 0.0);
}

#[test]
fn too_early_while_the_window_runs() {
    let s = signals(
        &with_control(3.0),
        &flat_teams(&["data", "web", "search"]),
        vec![],
    );
    let mut at = settings();
    at.data_end = Some(d("2026-10-28"));
    let e = evaluate(
        &spec(&["web", "search"], SignalId::FocusHours, GUARDS),
        &[],
        &s,
        &at,
    );
    assert_eq!((e.state, e.verdict), (State::Running, Verdict::TooEarly));
    // Interim numbers are still there.
    assert!(e.results[0].estimate.is_some());
    assert!(e.reasons[0].contains("peeking"));
}

#[test]
fn a_small_group_gets_no_number() {
    // Three treated people under the minimum group size of 5.
    let people: Vec<P> = (0..3)
        .map(|i| steady("data", 10.0 + f64::from(i), 3.0))
        .collect();
    let s = signals(&people, &flat_teams(&["data"]), vec![]);
    let e = evaluate(
        &spec(&[], SignalId::FocusHours, GUARDS),
        &[],
        &s,
        &settings(),
    );
    let p = &e.results[0];
    assert_eq!((p.estimate, p.baseline), (None, None));
    assert!(
        p.no_estimate
            .as_deref()
            .unwrap()
            .starts_with("too small to evaluate: 3 treated people")
    );
    assert_eq!(e.verdict, Verdict::NotEnoughData);
}

#[test]
fn team_week_signals_are_estimated_on_weeks() {
    // Throughput as primary: treated 10, 12, 10, 12 then 14, 16, 14, 16;
    // both controls 10, 12, 10, 12 throughout. Weekly gaps 0 in the
    // baseline, 4 in the treatment: effect 4 - 0 = 4 on n = 8 weeks.
    let mut teams = flat_teams(&["data", "web", "search"]);
    for w in 4..8 {
        teams[0].throughput[w] = teams[0].throughput[w].map(|x| x + 4.0);
    }
    let s = signals(&with_control(0.0), &teams, vec![]);
    let e = evaluate(
        &spec(
            &["web", "search"],
            SignalId::Throughput,
            &[SignalId::FocusHours],
        ),
        &[],
        &s,
        &settings(),
    );
    let p = &e.results[0];
    assert_eq!((p.basis.as_str(), p.n, p.n_control), ("weeks", 8, 8));
    let est = p.estimate.unwrap();
    assert!((est.effect - 4.0).abs() < 1e-9 && (est.low - 4.0).abs() < 1e-9);
    assert_eq!(e.verdict, Verdict::Worked, "{:?}", e.reasons);
}

#[test]
fn exclusions_are_counted() {
    let mut people = with_control(3.0);
    // A joiner (no calendar in the baseline), a leaver (none in the
    // treatment), one person-week away.
    people[0].focus[..4].fill(None);
    people[1].focus[4..].fill(None);
    people[2].away[5] = true;
    let mut teams = flat_teams(&["data", "web", "search"]);
    // Half the treated team away in week W39.
    teams[0].throughput[1] = None;
    let s = signals(&people, &teams, vec![]);
    let mut at = settings();
    at.min_group_size = 2;
    let e = evaluate(
        &spec(&["web", "search"], SignalId::FocusHours, GUARDS),
        &[],
        &s,
        &at,
    );
    let got: Vec<(&str, u32)> = e.excluded.iter().map(|x| (x.reason, x.count)).collect();
    assert_eq!(
        got,
        [("joined", 1), ("left", 1), ("away", 1), ("team_away", 1)]
    );
    assert_eq!(e.treated_people, 3);
}

#[test]
fn morale_mean_change_and_favourable_share() {
    // Five people answer 3 in each baseline week and 4 in each treatment
    // week: the mean rises by 1 point and the favourable share (4-5) from
    // 0 to 1, i.e. by 100 percentage points.
    let people: Vec<P> = (0..5)
        .map(|i| steady("data", 10.0 + f64::from(i), 0.0))
        .collect();
    let pulse: Vec<PulseAnswer> = (0..5)
        .flat_map(|p| {
            weeks()
                .into_iter()
                .enumerate()
                .map(move |(w, week)| PulseAnswer {
                    person: p,
                    week,
                    score: if w < 4 { 3.0 } else { 4.0 },
                })
        })
        .collect();
    let s = signals(&people, &flat_teams(&["data"]), pulse);
    let e = evaluate(
        &spec(&[], SignalId::Morale, &[SignalId::FocusHours]),
        &[],
        &s,
        &settings(),
    );
    assert!((e.results[0].estimate.unwrap().effect - 1.0).abs() < 1e-9);
    let fav = e
        .results
        .iter()
        .find(|r| r.measure.id() == "morale_favourable")
        .unwrap();
    assert_eq!(fav.role, Role::Secondary);
    assert!((fav.estimate.unwrap().effect - 1.0).abs() < 1e-9);
    assert_eq!(e.verdict, Verdict::Worked);
}

#[test]
fn a_control_team_running_its_own_experiment_is_left_out() {
    let main = spec(&["web", "search"], SignalId::FocusHours, GUARDS);
    let mut other = spec(&[], SignalId::MeetingHours, GUARDS);
    other.id = "web-mornings".into();
    other.team = "web".into();
    other.start = d("2026-10-19");
    let s = signals(
        &with_control(3.0),
        &flat_teams(&["data", "web", "search"]),
        vec![],
    );
    let e = evaluate(&main, &[main.clone(), other], &s, &settings());
    assert_eq!(e.control, ["search"]);
    assert!(
        e.control_notes[0]
            .starts_with("control team \"web\" runs its own experiment \"web-mornings\"")
    );
    // One control team left: no placebo ranking.
    assert_eq!(e.placebo, None);
}
