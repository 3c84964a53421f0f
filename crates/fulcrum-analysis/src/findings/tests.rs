//! Tests of the finding rule on hand-built team weeks (values worked out by
//! hand from the rule in the module docs).

use super::*;
use crate::Coverage;
use crate::signal::{Burden, Ratio};
use crate::team::{Aggregate, TeamSignal, TeamWeek};

fn week(n: u32) -> crate::Week {
    crate::Week {
        year: 2026,
        week: n,
    }
}

fn median_value(median: f64, members: u32) -> Result<TeamValue, Unknown> {
    Ok(TeamValue::Aggregate(Aggregate {
        median: Some(median),
        mean: Some(median),
        p90: Some(median),
        total: median * f64::from(members),
        pooled: None,
        latency: None,
    }))
}

fn suppressed(members: u32) -> Result<TeamValue, Unknown> {
    Err(Unknown::Suppressed {
        members_with_data: members,
        min_group_size: 5,
    })
}

/// A team whose week `i` holds `values[i]` for each listed signal.
fn team(name: &str, signals: &[(SignalId, Vec<Result<TeamValue, Unknown>>)]) -> TeamWeeks {
    let n = signals.first().map_or(0, |s| s.1.len());
    TeamWeeks {
        team: name.to_owned(),
        members: (0..5).collect(),
        weeks: (0..n)
            .map(|i| TeamWeek {
                members_away: 0,
                week: week(36 + i as u32),
                signals: signals
                    .iter()
                    .map(|(id, v)| TeamSignal {
                        id: *id,
                        members_with_data: 5,
                        value: v[i].clone(),
                    })
                    .collect(),
            })
            .collect(),
    }
}

fn signals(teams: Vec<TeamWeeks>) -> Signals {
    let n = teams.first().map_or(0, |t| t.weeks.len());
    Signals {
        weeks: (0..n).map(|i| week(36 + i as u32)).collect(),
        people: Vec::new(),
        teams,
        coverage: Coverage::default(),
        escalations: Vec::new(),
        pulse: Vec::new(),
    }
}

#[test]
fn severity_rule() {
    // Far (>= 50% past) and steady (>= 75% of weeks): high.
    assert_eq!(Severity::of(0.5, 0.75), Severity::High);
    // Steady only, or far only, or 25% past: medium.
    assert_eq!(Severity::of(0.1, 1.0), Severity::Medium);
    assert_eq!(Severity::of(0.6, 0.5), Severity::Medium);
    assert_eq!(Severity::of(0.25, 0.5), Severity::Medium);
    // Just past, in half the weeks: low.
    assert_eq!(Severity::of(0.1, 0.5), Severity::Low);
}

#[test]
fn small_blockers_fire_on_the_median_of_weeks() {
    // short_meetings medians 2, 4, 5, 4: window median (4 + 4) / 2 = 4 >= 3;
    // past it in 3 of 4 weeks (75%); excess (4 - 3) / 3 = 33%: medium.
    let t = team(
        "alpha",
        &[(
            SignalId::ShortMeetings,
            vec![
                median_value(2.0, 5),
                median_value(4.0, 5),
                median_value(5.0, 5),
                median_value(4.0, 5),
            ],
        )],
    );
    let s = signals(vec![t]);
    let a = evaluate(&s, &Thresholds::default(), &Examples::default());
    assert_eq!(a[0].verdict(), Verdict::Findings);
    let f = &a[0].findings[0];
    assert_eq!(f.id, FindingId::MeetingsClearSmallBlockers);
    assert_eq!(f.checks[0].window.median, Some(4.0));
    assert_eq!(f.checks[0].weeks_past, 3);
    // First half (weeks 1-2): median of 2 and 4 = 3; second half: 4.5.
    assert_eq!(f.checks[0].window.first_half, Some(3.0));
    assert_eq!(f.checks[0].window.second_half, Some(4.5));
    assert_eq!(f.severity, Severity::Medium);
    // Week examples fill in: the weeks furthest past, in week order
    // (W38 with 5, then W37 and W39 with 4: the earlier week wins the tie).
    let weeks: Vec<String> = f
        .examples
        .iter()
        .map(|e| match &e.when {
            When::Week(w) => w.to_string(),
            When::At { .. } => String::new(),
        })
        .collect();
    assert_eq!(weeks, ["2026-W37", "2026-W38", "2026-W39"]);
}

#[test]
fn a_policy_threshold_changes_the_outcome() {
    let t = team(
        "alpha",
        &[(SignalId::ShortMeetings, vec![median_value(4.0, 5); 2])],
    );
    let s = signals(vec![t]);
    let (strict, unknown) = Thresholds::with([("short_meetings_per_week", 5.0), ("nope", 1.0)]);
    assert_eq!(unknown, ["nope"]);
    let a = evaluate(&s, &strict, &Examples::default());
    assert_eq!(a[0].verdict(), Verdict::NoFindings);
}

#[test]
fn healthy_team_is_told_and_suppressed_team_is_not_assessed() {
    let healthy = team(
        "healthy",
        &[
            (SignalId::ShortMeetings, vec![median_value(1.0, 5); 3]),
            (SignalId::FocusHours, vec![median_value(20.0, 5); 3]),
        ],
    );
    let small = team(
        "small",
        &[(SignalId::ShortMeetings, vec![suppressed(3); 3])],
    );
    let s = signals(vec![healthy, small]);
    let a = evaluate(&s, &Thresholds::default(), &Examples::default());
    assert_eq!(a[0].verdict(), Verdict::NoFindings);
    assert!(a[0].findings.is_empty());
    assert!(a[0].checked.contains(&FindingId::FragmentedDeepWork));
    assert_eq!(a[1].verdict(), Verdict::NotAssessed);
    // The suppressed weeks are counted, not read as zeros.
    assert!(
        a[1].unchecked
            .contains(&(FindingId::MeetingsClearSmallBlockers, 3))
    );
}

#[test]
fn tz_burden_needs_an_hour_of_after_hours_meetings() {
    let burden = |gini: f64, max_hours: f64| {
        Ok(TeamValue::Value(Value::Burden(Burden {
            gini,
            total_hours: max_hours,
            max_hours,
            members: 5,
            lorenz: [0.0; 4],
        })))
    };
    // A Gini of 0.8 over half an hour is not a burden: counted as 0.
    let t = team("a", &[(SignalId::TzBurden, vec![burden(0.8, 0.5); 2])]);
    let a = evaluate(
        &signals(vec![t]),
        &Thresholds::default(),
        &Examples::default(),
    );
    assert!(a[0].findings.is_empty());
    let t = team("b", &[(SignalId::TzBurden, vec![burden(0.8, 3.0); 2])]);
    let a = evaluate(
        &signals(vec![t]),
        &Thresholds::default(),
        &Examples::default(),
    );
    assert_eq!(a[0].findings[0].id, FindingId::UnfairTzBurden);
    // 0.8 vs 0.5: 60% past, both weeks: high.
    assert_eq!(a[0].findings[0].severity, Severity::High);
}

#[test]
fn fragmented_fires_on_either_check_and_time_findings_rank_first() {
    let share = |part: f64, whole: f64| Ok(TeamValue::Value(Value::Ratio(Ratio::new(part, whole))));
    let t = team(
        "a",
        &[
            (SignalId::FocusHours, vec![median_value(12.0, 5); 2]),
            (SignalId::Fragmentation, vec![median_value(0.8, 5); 2]),
            // hygiene_agenda 1 of 4 = 25% < 50%: 50% past, both weeks: high.
            (SignalId::HygieneAgenda, vec![share(1.0, 4.0); 2]),
        ],
    );
    let a = evaluate(
        &signals(vec![t]),
        &Thresholds::default(),
        &Examples::default(),
    );
    let ids: Vec<FindingId> = a[0].findings.iter().map(|f| f.id).collect();
    // Fragmentation 0.8 vs 0.5 is 60% past in both weeks: high, like the
    // hygiene finding, but a finding about time comes first.
    assert_eq!(
        ids,
        [
            FindingId::FragmentedDeepWork,
            FindingId::MeetingsWithoutArtifacts
        ]
    );
    let f = &a[0].findings[0];
    assert!(!f.checks[0].fired && f.checks[1].fired);
}

#[test]
fn values_are_formatted_by_unit() {
    assert_eq!(format_value(SignalId::MeetingShare, 0.456), "46%");
    assert_eq!(format_value(SignalId::FocusHours, 7.25), "7.2 h");
    assert_eq!(format_value(SignalId::ShortMeetings, 4.0), "4");
    assert_eq!(format_value(SignalId::ShortMeetings, 3.5), "3.5");
    assert_eq!(format_value(SignalId::TzBurden, 0.5), "0.50");
}
