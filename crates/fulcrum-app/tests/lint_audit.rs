//! `fulcrum lint` and `fulcrum audit` on small fixtures
//! (`test_data/ics/lint/`, `test_data/ics/audit/`), expectations worked out
//! by hand from the fixtures' times and attendees.

use chrono::NaiveDate;
use fulcrum_analysis::audit::Recommendation;
use fulcrum_analysis::lint::Severity;
use fulcrum_app::audit::audit_meetings;
use fulcrum_app::lint::{MeetingsError, MeetingsRequest, RuleFilter, lint_meetings, load_meetings};
use std::path::PathBuf;

fn data(rel: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../test_data/ics")
        .join(rel)
}

fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("date")
}

fn request(inputs: Vec<PathBuf>, from: &str, to: &str) -> MeetingsRequest {
    MeetingsRequest {
        inputs,
        cwd: std::env::temp_dir(),
        from: Some(day(from)),
        to: Some(day(to)),
        person: None,
        today: day("2024-10-01"),
    }
}

#[test]
fn lint_plain_file_finds_each_rule_once_where_it_belongs() {
    let loaded = load_meetings(&request(
        vec![data("lint/checklist.ics")],
        "2024-09-02",
        "2024-09-08",
    ))
    .expect("loads");
    let outcome = lint_meetings(&loaded, &RuleFilter::default()).expect("rules");
    let got: Vec<(u32, &str, &str)> = outcome
        .findings
        .iter()
        .map(|f| (f.line.unwrap_or(0), f.rule, f.message.as_str()))
        .collect();
    assert_eq!(
        got,
        vec![
            (4, "missing_outcome", "no desired outcome stated"),
            (
                4,
                "missing_preread",
                "decision meeting without a pre-read link"
            ),
            (4, "over_timebox", "60 min, over the 50 min timebox"),
            (
                15,
                "series_without_end",
                "recurring series with no end date"
            ),
            (26, "too_many_invitees", "10 invitees, over the limit of 8"),
            (
                65,
                "back_to_back",
                "meeting 3 in a row without a 5 min break for ana@acme.com, bo@acme.com"
            ),
            (83, "on_focus_block", "on a focus block of bo@acme.com"),
        ]
    );
    // Vendor decision, weekly sync (one instance in the window), all hands,
    // three chained meetings, review; the focus block is solo and the
    // cancelled meeting is left out.
    assert_eq!(outcome.meetings, 7);
    assert_eq!(outcome.series, 1);
    assert_eq!(outcome.skipped.len(), 2, "{:?}", outcome.skipped);
    assert!(outcome.skipped[0].starts_with("outside_working_hours"));
    assert!(
        outcome
            .findings
            .iter()
            .all(|f| f.severity == Severity::Warning || f.rule == "back_to_back")
    );
}

#[test]
fn lint_counts_a_meeting_once_across_calendars() {
    let f = data("lint/checklist.ics");
    let loaded =
        load_meetings(&request(vec![f.clone(), f], "2024-09-02", "2024-09-08")).expect("loads");
    let outcome = lint_meetings(&loaded, &RuleFilter::default()).expect("rules");
    assert_eq!(outcome.meetings, 7);
    assert_eq!(outcome.findings.len(), 7);
}

#[test]
fn lint_series_rule_fires_once_for_many_instances() {
    // Four weeks hold four instances of the weekly sync: one finding.
    let loaded = load_meetings(&request(
        vec![data("lint/checklist.ics")],
        "2024-09-02",
        "2024-09-29",
    ))
    .expect("loads");
    let outcome = lint_meetings(&loaded, &RuleFilter::default()).expect("rules");
    let series: Vec<_> = outcome
        .findings
        .iter()
        .filter(|f| f.rule == "series_without_end")
        .collect();
    assert_eq!(series.len(), 1);
    assert_eq!(outcome.meetings, 10);
}

#[test]
fn lint_clean_file_has_no_findings() {
    let loaded = load_meetings(&request(
        vec![data("lint/clean.ics")],
        "2024-09-02",
        "2024-09-08",
    ))
    .expect("loads");
    let outcome = lint_meetings(&loaded, &RuleFilter::default()).expect("rules");
    assert!(outcome.findings.is_empty(), "{:?}", outcome.findings);
    assert_eq!(outcome.meetings, 1);
}

#[test]
fn lint_workspace_checks_working_hours_overlap_and_policy_levels() {
    let loaded =
        load_meetings(&request(vec![data("lint/ws")], "2024-09-09", "2024-09-15")).expect("loads");
    assert_eq!(loaded.calendars[0].0, Some(0), "ana.ics is ana's");
    let outcome = lint_meetings(&loaded, &RuleFilter::default()).expect("rules");
    let got: Vec<(u32, &str, Severity, &str)> = outcome
        .findings
        .iter()
        .map(|f| (f.line.unwrap_or(0), f.rule, f.severity, f.message.as_str()))
        .collect();
    // bo works 09:00-17:00 New York = 13:00-21:00 UTC; ana and cy 09-17 UTC,
    // so the team's overlap is 13:00-17:00 UTC.
    assert_eq!(
        got,
        vec![
            (
                4,
                "outside_working_hours",
                Severity::Warning,
                "outside the working hours of bo@acme.com"
            ),
            (
                14,
                "outside_overlap",
                Severity::Note,
                "outside team core's overlap window (shared working hours)"
            ),
            (
                24,
                "over_timebox",
                Severity::Error,
                "60 min, over the 50 min timebox"
            ),
        ]
    );
    assert!(outcome.skipped.is_empty());
}

#[test]
fn bad_input_is_an_error() {
    let empty = load_meetings(&request(
        vec![data("lint/clean.ics")],
        "2024-09-08",
        "2024-09-02",
    ));
    assert!(matches!(empty, Err(MeetingsError::Report(_))), "{empty:?}");

    let mut req = request(vec![data("lint/ws")], "2024-09-09", "2024-09-15");
    req.person = Some("nobody@acme.com".into());
    assert!(matches!(
        load_meetings(&req),
        Err(MeetingsError::UnknownPerson(_))
    ));

    let missing = load_meetings(&request(
        vec![data("lint/nope.ics")],
        "2024-09-02",
        "2024-09-08",
    ));
    assert!(matches!(missing, Err(MeetingsError::NothingRead(_))));
}

#[test]
fn person_filter_keeps_their_meetings() {
    let mut req = request(vec![data("lint/ws")], "2024-09-09", "2024-09-15");
    req.person = Some("cy@acme.com".into());
    let loaded = load_meetings(&req).expect("loads");
    let outcome = lint_meetings(&loaded, &RuleFilter::default()).expect("rules");
    // cy attends the pairing and the team meeting, not the early call.
    assert_eq!(outcome.meetings, 2);
}

#[test]
fn audit_plain_file_by_hand() {
    let loaded = load_meetings(&request(
        vec![data("audit/series.ics")],
        "2024-09-02",
        "2024-09-23",
    ))
    .expect("loads");
    let audits = audit_meetings(&loaded, None).expect("audit");
    assert_eq!(audits.len(), 2, "the one-off is not audited");

    // Weekly status: 4 instances (30, 30, 60 override, 30 min). Three
    // instances with ana, bo, dee (cy declined) = 3 x 0.5 h x 3 = 4.5, the
    // override with all four = 1 h x 4 = 4: 8.5 person-hours.
    let s = &audits[0];
    assert_eq!(&*s.uid, "status-1");
    assert_eq!(s.occurrences, 4);
    assert_eq!(s.usual_minutes, 30);
    assert_eq!(s.overruns, 1);
    assert!((s.person_hours - 8.5).abs() < 1e-9);
    assert_eq!(s.cost, None);
    // cy declined 3 of 4; bo and dee none: 3 / 12.
    assert!((s.decline_rate - 0.25).abs() < 1e-9);
    assert_eq!(s.attendees.len(), 3);
    assert_eq!(s.agenda_share, 0.0);
    assert!(s.has_end);
    assert_eq!(s.sequence, 2);
    assert_eq!(
        s.last_changed.map(|t| t.to_rfc3339()),
        Some("2024-09-15T12:00:00+00:00".to_owned())
    );
    assert_eq!(s.source.as_ref().map(|x| x.line), Some(4));
    assert_eq!(s.recommendation, Recommendation::MakeAsync);
    assert_eq!(s.reasons.len(), 2, "{:?}", s.reasons);
    assert!(s.reasons[1].starts_with("1 of 4 instances ran longer"));

    // Planning: Tuesdays 3, 10, 17 Sep, 45 min, ana and bo = 3 x 0.75 x 2.
    let p = &audits[1];
    assert_eq!(&*p.uid, "planning-1");
    assert_eq!(p.occurrences, 3);
    assert!((p.person_hours - 4.5).abs() < 1e-9);
    assert!((p.decline_rate - 0.5).abs() < 1e-9);
    assert!(!p.has_end);
    assert_eq!(p.recommendation, Recommendation::Cancel);
    assert_eq!(
        p.reasons,
        vec![
            "50% of invitations declined (cancel at 50%)".to_owned(),
            "no end date: review it each quarter".to_owned()
        ]
    );
}

#[test]
fn audit_cost_from_hourly_rate() {
    let dir = std::env::temp_dir().join(format!("fulcrum-audit-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("dir");
    std::fs::write(
        dir.join("fulcrum.toml"),
        "[[people]]\nemail = \"ana@acme.com\"\n\n[sources]\ncalendars = [\"*.ics\"]\n\n[policy.meetings]\nhourly_rate = 100\n",
    )
    .expect("toml");
    std::fs::copy(data("audit/series.ics"), dir.join("ana.ics")).expect("copy");
    let loaded =
        load_meetings(&request(vec![dir.clone()], "2024-09-02", "2024-09-23")).expect("loads");
    let audits = audit_meetings(&loaded, None).expect("audit");
    let _ = std::fs::remove_dir_all(&dir);
    assert_eq!(audits[0].cost.map(|c| c.round()), Some(850.0));
    assert_eq!(audits[1].cost.map(|c| c.round()), Some(450.0));
}

#[test]
fn decision_from_the_description_needs_a_preread() {
    // Both descriptions ask to approve; only the second links a proposal.
    let loaded = load_meetings(&request(
        vec![data("lint/decision.ics")],
        "2024-09-02",
        "2024-09-08",
    ))
    .expect("loads");
    let outcome = lint_meetings(&loaded, &RuleFilter::default()).expect("rules");
    let got: Vec<(u32, &str)> = outcome
        .findings
        .iter()
        .map(|f| (f.line.unwrap_or(0), f.rule))
        .collect();
    assert_eq!(got, vec![(4, "missing_preread")]);
}

fn files_only(inputs: Vec<PathBuf>, today: &str) -> MeetingsRequest {
    MeetingsRequest {
        from: None,
        to: None,
        today: day(today),
        ..request(inputs, "2024-01-01", "2024-01-01")
    }
}

#[test]
fn lint_of_an_upcoming_invite_checks_every_event_in_the_file() {
    // Today is 10 January 2025; the invite is for 3 February and the retro
    // runs the four Tuesdays 4 to 25 February. The old default (13 weeks up
    // to today) checked none of them; files are now read whole.
    let loaded =
        load_meetings(&files_only(vec![data("lint/invite.ics")], "2025-01-10")).expect("loads");
    assert_eq!(
        (loaded.window.from, loaded.window.to),
        (day("2025-02-03"), day("2025-02-25"))
    );
    assert_eq!(loaded.window_rule, "every event in the files");
    let outcome = lint_meetings(&loaded, &RuleFilter::default()).expect("rules");
    // Kickoff: no outcome, no agenda, 60 min > 50. Retro: outcome stated,
    // no agenda on any of its four instances: one finding for the series.
    let got: Vec<(&str, &str, u32)> = outcome
        .findings
        .iter()
        .map(|f| (&*f.uid, f.rule, f.occurrences))
        .collect();
    assert_eq!(
        got,
        [
            ("invite-1", "missing_agenda", 1),
            ("invite-1", "missing_outcome", 1),
            ("invite-1", "over_timebox", 1),
            ("retro-1", "missing_agenda", 4),
        ]
    );
    let retro = &outcome.findings[3];
    assert_eq!(retro.last.naive_local().to_string(), "2025-02-25 10:00:00");
    assert_eq!(
        (outcome.meetings, outcome.series, outcome.one_offs),
        (5, 1, 1)
    );
}

#[test]
fn lint_rule_filters_keep_or_drop_rules_and_refuse_unknown_ids() {
    let loaded =
        load_meetings(&files_only(vec![data("lint/invite.ics")], "2025-01-10")).expect("loads");
    let only_agenda = RuleFilter {
        only: vec!["missing_agenda".into()],
        allow: vec![],
    };
    let outcome = lint_meetings(&loaded, &only_agenda).expect("rules");
    assert!(outcome.findings.iter().all(|f| f.rule == "missing_agenda"));
    assert_eq!(outcome.findings.len(), 2);
    // Only the asked rule: no note about skipped working-hours rules.
    assert!(outcome.skipped.is_empty(), "{:?}", outcome.skipped);
    let allow = RuleFilter {
        only: vec![],
        allow: vec!["missing_agenda".into(), "over_timebox".into()],
    };
    let outcome = lint_meetings(&loaded, &allow).expect("rules");
    let rules: Vec<&str> = outcome.findings.iter().map(|f| f.rule).collect();
    assert_eq!(rules, ["missing_outcome"]);
    let bad = RuleFilter {
        only: vec!["no_agenda".into()],
        allow: vec![],
    };
    let err = lint_meetings(&loaded, &bad).unwrap_err().to_string();
    assert!(
        err.starts_with("--rule \"no_agenda\": no such rule (rules: missing_outcome, "),
        "{err}"
    );
}
