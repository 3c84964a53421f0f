//! The workflow signals (docs/SIGNALS.md, "Workflow signals") from a real
//! store, on SQLite and on PostgreSQL: the workspace of
//! `test_data/workflow_signals` (Ana in New York, Ben in UTC in team
//! `core`; Cid alone in `ops`; one calendar meeting), the team server's
//! objects written into the store as the server writes them, then `report
//! --store` over the two weeks of 2 to 15 November 2026. Every expected value
//! is worked out by hand below from the spec; conformance.rs checks that
//! each workflow signal id is asserted here, as the file-based cases cannot
//! hold server objects.
//!
//! Clocks: everyone works Mon-Fri 09:00-17:00 on their own zone; New York is
//! UTC-5 all through (daylight time ended on 1 November). Week 1 is
//! 2026-W45 (2-8 November), week 2 is 2026-W46 (9-15 November).

#![allow(clippy::unwrap_used)] // Tests: a panic is a failed test with its location.

mod common;

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use fulcrum_analysis::findings::FindingId;
use fulcrum_analysis::{SignalId, TeamValue, Unknown, Value};
use fulcrum_app::report::{Computed, ReportRequest, compute_report};
use fulcrum_app::stored::{compute_from_store, import_workspace};
use fulcrum_model::pulse::{PulseAnswer, PulseResponse};
use fulcrum_model::workflow::{
    Answer, AnswerBy, Ask, AskState, Cadence, Decision, DecisionState, Incident, IncidentReview,
    MeetingRecord, MeetingRef, Outcome, Recipient, Resolution, Severity, Update, UpdateAnswer,
};
use fulcrum_store::{Storage, Store, WorkflowItem};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU32, Ordering};

static NEXT: AtomicU32 = AtomicU32::new(0);

const ANA: &str = "ana@acme.example";
const BEN: &str = "ben@acme.example";

fn at(y: i32, mo: u32, d: u32, h: u32, mi: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, mo, d, h, mi, 0).unwrap()
}

/// A copy of the fixture workspace in a folder of its own.
fn workspace() -> PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "fulcrum-written-{}-{}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::SeqCst)
    ));
    let _ = std::fs::remove_dir_all(&dir);
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../test_data/workflow_signals");
    std::fs::create_dir_all(dir.join("calendars")).unwrap();
    for f in [
        "fulcrum.toml",
        "people.csv",
        "calendars/ana@acme.example.ics",
    ] {
        std::fs::copy(src.join(f), dir.join(f)).unwrap();
    }
    dir
}

fn request(root: &Path) -> ReportRequest {
    ReportRequest {
        root: root.to_owned(),
        from: Some(NaiveDate::from_ymd_opt(2026, 11, 2).unwrap()),
        to: Some(NaiveDate::from_ymd_opt(2026, 11, 15).unwrap()),
        limits: fulcrum_chat::Limits::default(),
    }
}

fn ask(
    to: Recipient,
    asked_at: DateTime<Utc>,
    due: Option<DateTime<Utc>>,
    state: AskState,
) -> WorkflowItem {
    WorkflowItem::Ask(Ask {
        team: "core".to_owned(),
        author: "cid@acme.example".to_owned(),
        to,
        context: "The release notes need a date.".to_owned(),
        needed: "Which date do we announce?".to_owned(),
        respond_in: "this ask".to_owned(),
        answer_by: due.map(AnswerBy::Deadline),
        due,
        asked_at,
        state,
    })
}

fn answered(by: &str, when: DateTime<Utc>) -> AskState {
    AskState::Answered(Answer {
        by: by.to_owned(),
        text: "The 20th.".to_owned(),
        at: when,
    })
}

fn decision(author: &str, opened: DateTime<Utc>, state: DecisionState) -> WorkflowItem {
    WorkflowItem::Decision(Decision {
        team: "core".to_owned(),
        author: author.to_owned(),
        title: "Ship on the 20th".to_owned(),
        context: "Options: the 20th or the 27th.".to_owned(),
        decision_type: None,
        who_decides: author.to_owned(),
        opened_at: opened,
        closes_at: opened + chrono::Duration::days(7),
        stances: Vec::new(),
        state,
    })
}

fn closed(by: &str, when: DateTime<Utc>) -> DecisionState {
    DecisionState::Closed(Outcome {
        text: "The 20th.".to_owned(),
        review_on: None,
        by: by.to_owned(),
        at: when,
    })
}

fn incident(resolved: DateTime<Utc>, reviewed: Option<DateTime<Utc>>) -> WorkflowItem {
    WorkflowItem::Incident(Incident {
        team: "core".to_owned(),
        author: BEN.to_owned(),
        title: "Sign-in fails".to_owned(),
        severity: Severity::Sev2,
        description: "Call in the incident room.".to_owned(),
        opened_at: resolved - chrono::Duration::hours(1),
        resolved: Some(Resolution {
            by: BEN.to_owned(),
            at: resolved,
        }),
        review: reviewed.map(|at| IncidentReview {
            timeline: "10:00 alert, 11:00 fixed.".to_owned(),
            cause: "An expired certificate.".to_owned(),
            follow_ups: "Alert on expiry.".to_owned(),
            by: BEN.to_owned(),
            at,
        }),
    })
}

fn update(author: &str, period: (i32, u32, u32), written: DateTime<Utc>) -> WorkflowItem {
    WorkflowItem::Update(Update {
        team: "core".to_owned(),
        author: author.to_owned(),
        cadence: Cadence::Weekly,
        period: NaiveDate::from_ymd_opt(period.0, period.1, period.2).unwrap(),
        answers: vec![UpdateAnswer {
            question: "status".to_owned(),
            text: "On track.".to_owned(),
        }],
        written_at: written,
    })
}

fn pulse(author: &str, scores: [u8; 2]) -> WorkflowItem {
    WorkflowItem::Pulse(PulseResponse {
        team: "core".to_owned(),
        author: author.to_owned(),
        week: NaiveDate::from_ymd_opt(2026, 11, 2).unwrap(),
        answers: ["pace", "clarity"]
            .iter()
            .zip(scores)
            .map(|(q, score)| PulseAnswer {
                question: (*q).to_owned(),
                score,
            })
            .collect(),
        answered_at: at(2026, 11, 6, 16, 0),
    })
}

/// Writes the objects of the story; returns nothing but fails loudly.
async fn seed<S: Storage>(store: &S) {
    let now = at(2026, 11, 16, 12, 0);
    let mut items = vec![
        // Ask 1, to Ben (UTC), Mon 2 Nov 15:00, due Thu 5 Nov 15:00,
        // answered Tue 3 Nov 10:00: Mon 15-17 (2 h) + Tue 09-10 (1 h) = 3 h
        // on Ben's clock; on time. Week 1.
        ask(
            Recipient::Person(BEN.to_owned()),
            at(2026, 11, 2, 15, 0),
            Some(at(2026, 11, 5, 15, 0)),
            answered(BEN, at(2026, 11, 3, 10, 0)),
        ),
        // Ask 2, to Ana (New York), Fri 6 Nov 20:00 UTC = 15:00 in New
        // York (week 1 on her clock), due Mon 9 Nov 20:00 UTC, answered Tue
        // 10 Nov 14:00 UTC = 09:00 New York: Fri 15-17 (2 h) + Mon 09-17
        // (8 h) + Tue 09:00 (0 h) = 10 h; late.
        ask(
            Recipient::Person(ANA.to_owned()),
            at(2026, 11, 6, 20, 0),
            Some(at(2026, 11, 9, 20, 0)),
            answered(ANA, at(2026, 11, 10, 14, 0)),
        ),
        // Ask 3, to the team, Wed 4 Nov 12:00 UTC, due 14:00 the same day,
        // never answered: late (its time has passed), no latency. Week 1
        // (the [team] zone, UTC).
        ask(
            Recipient::Team,
            at(2026, 11, 4, 12, 0),
            Some(at(2026, 11, 4, 14, 0)),
            AskState::Open,
        ),
        // Ask 4, to Ben, Tue 10 Nov, due in 2099: pending, not judged.
        ask(
            Recipient::Person(BEN.to_owned()),
            at(2026, 11, 10, 9, 0),
            Some(at(2099, 1, 1, 0, 0)),
            AskState::Open,
        ),
        // Ask 5, withdrawn: left out (though late and answered never).
        ask(
            Recipient::Person(BEN.to_owned()),
            at(2026, 11, 11, 9, 0),
            Some(at(2026, 11, 11, 10, 0)),
            AskState::Withdrawn {
                at: at(2026, 11, 11, 9, 30),
            },
        ),
        // Ask 6, to the team, Thu 12 Nov 16:00 UTC = 11:00 New York,
        // answered by Ana Fri 13 Nov 15:00 UTC = 10:00 New York, on her
        // clock (who answered an ask to the team): Thu 11-17 (6 h) + Fri
        // 09-10 (1 h) = 7 h. No answer-by time: no breach judged. Week 2.
        ask(
            Recipient::Team,
            at(2026, 11, 12, 16, 0),
            None,
            answered(ANA, at(2026, 11, 13, 15, 0)),
        ),
        // Decision 1, by Ana, opened Mon 2 Nov 14:00 UTC = 09:00 New York,
        // closed Wed 4 Nov 22:00 UTC = 17:00 New York: 3 x 8 h = 24 h;
        // async. Week 1.
        decision(
            ANA,
            at(2026, 11, 2, 14, 0),
            closed(ANA, at(2026, 11, 4, 22, 0)),
        ),
        // Decision 2, by Ben, Thu 5 Nov 09:00 to 11:30 UTC: 2.5 h, taken in
        // the planning meeting (its record lists it, below). Week 1.
        decision(
            BEN,
            at(2026, 11, 5, 9, 0),
            closed(BEN, at(2026, 11, 5, 11, 30)),
        ),
        // Decision 3, still open: no latency, not in the share.
        decision(BEN, at(2026, 11, 10, 9, 0), DecisionState::Open),
        // Incident 1, resolved Fri 6 Nov 16:00 UTC: 5 business days of the
        // [team] clock (40 h) = Fri 16-17 (1 h) + Mon-Thu (32 h) + next Fri
        // 09-16 (7 h): due Fri 13 Nov 16:00 (week 2); reviewed Thu 12 Nov:
        // on time.
        incident(at(2026, 11, 6, 16, 0), Some(at(2026, 11, 12, 10, 0))),
        // Incident 2, resolved Mon 2 Nov 10:00: Mon 10-17 (7 h) + Tue-Fri
        // (32 h) + next Mon 09-10 (1 h): due Mon 9 Nov 10:00 (week 2),
        // never reviewed: late.
        incident(at(2026, 11, 2, 10, 0), None),
        // Updates (weekly): Ana and Ben for the week of 2 Nov, Ben alone
        // for the week of 9 Nov. Each is due on Monday morning of its week
        // on the writer's clock, long before "now".
        update(ANA, (2026, 11, 2), at(2026, 11, 2, 15, 0)),
        update(BEN, (2026, 11, 2), at(2026, 11, 2, 9, 30)),
        update(BEN, (2026, 11, 9), at(2026, 11, 9, 9, 30)),
        // Pulse, week of 2 Nov: Ana 4 and 5 (her morale 4.5), Ben 2 and 3
        // (2.5): the team's morale is the mean of the two, 3.5.
        pulse(ANA, [4, 5]),
        pulse(BEN, [2, 3]),
    ];
    let mut ids = Vec::new();
    for item in items.drain(..) {
        ids.push(store.create_workflow_item(item, now).await.unwrap().id);
    }
    // The planning meeting's record (the calendar event plan-1, Tue 3 Nov
    // 15:00 UTC), with its desired outcome and summary, taking decision 2.
    let decision_2 = ids[7];
    assert!(matches!(
        store.workflow_item(decision_2).await.unwrap().unwrap().item,
        WorkflowItem::Decision(_)
    ));
    let record = WorkflowItem::Meeting(MeetingRecord {
        team: "core".to_owned(),
        author: ANA.to_owned(),
        title: "Planning".to_owned(),
        meeting: Some(MeetingRef {
            uid: "plan-1@acme.example".to_owned(),
            occurrence: None,
        }),
        held_at: at(2026, 11, 3, 15, 0),
        desired_outcome: "A release date.".to_owned(),
        agenda: String::new(),
        pre_read: String::new(),
        timebox_minutes: Some(30),
        attendees: vec![ANA.to_owned(), BEN.to_owned()],
        summary: "We ship on the 20th.".to_owned(),
        decisions: vec![decision_2],
        action_items: Vec::new(),
    });
    store.create_workflow_item(record, now).await.unwrap();
}

/// The team-week value of `id`.
fn value(c: &Computed, team: &str, week: usize, id: SignalId) -> Result<f64, Unknown> {
    let t = c.signals.teams.iter().find(|t| t.team == team).unwrap();
    let s = t.weeks[week].signals.iter().find(|s| s.id == id).unwrap();
    match &s.value {
        Ok(TeamValue::Value(Value::Number(x))) => Ok(*x),
        Ok(TeamValue::Value(Value::Ratio(r))) => Ok(r.part / r.whole),
        Ok(other) => panic!("{id:?}: unexpected value {other:?}"),
        Err(e) => Err(*e),
    }
}

fn close(got: Result<f64, Unknown>, want: f64, what: &str) {
    let got = got.unwrap_or_else(|e| panic!("{what}: unknown ({e:?}), want {want}"));
    assert!((got - want).abs() < 1e-9, "{what}: got {got}, want {want}");
}

async fn story(url: &str) {
    let root = workspace();
    let store = Store::open(url).await.unwrap();
    import_workspace(&store, &root, &fulcrum_chat::Limits::default())
        .await
        .unwrap();
    seed(&store).await;
    let c = compute_from_store(&store, &request(&root), &mut |_| {})
        .await
        .unwrap();
    assert_eq!(c.signals.weeks.len(), 2, "{:?}", c.signals.weeks);
    use SignalId::*;

    // Asks. Week 1: latencies 3 h and 10 h -> median 6.5; breaches: ask 2
    // and ask 3 of the three judged -> 2/3. Week 2: latency 7 h; nothing
    // judged (pending, withdrawn, no answer-by time).
    close(
        value(&c, "core", 0, WrittenAskLatency),
        6.5,
        "latency week 1",
    );
    close(
        value(&c, "core", 0, WrittenAskBreachRate),
        2.0 / 3.0,
        "breach week 1",
    );
    close(
        value(&c, "core", 1, WrittenAskLatency),
        7.0,
        "latency week 2",
    );
    assert_eq!(
        value(&c, "core", 1, WrittenAskBreachRate),
        Err(Unknown::NoDenominator)
    );
    // A team without any written ask: unknown, not 0.
    assert_eq!(
        value(&c, "ops", 0, WrittenAskBreachRate),
        Err(Unknown::NoSource)
    );

    // Updates: week 1 both written (2/2); week 2 Ben's only (1/2). Ops
    // never wrote one: no source.
    close(value(&c, "core", 0, UpdateCoverage), 1.0, "updates week 1");
    close(value(&c, "core", 1, UpdateCoverage), 0.5, "updates week 2");
    assert_eq!(value(&c, "ops", 1, UpdateCoverage), Err(Unknown::NoSource));

    // Proposals closed in week 1: 24 h and 2.5 h -> median 13.25; one of
    // the two async. None closed in week 2.
    close(
        value(&c, "core", 0, DecisionLatency),
        13.25,
        "decision latency",
    );
    close(
        value(&c, "core", 0, AsyncDecisionShare),
        0.5,
        "async decisions",
    );
    assert_eq!(
        value(&c, "core", 1, AsyncDecisionShare),
        Err(Unknown::NoDenominator)
    );

    // Incident reviews due in week 2: one on time of two; none in week 1.
    close(
        value(&c, "core", 1, IncidentReviewsOnTime),
        0.5,
        "reviews week 2",
    );
    assert_eq!(
        value(&c, "core", 0, IncidentReviewsOnTime),
        Err(Unknown::NoDenominator)
    );

    // The planning meeting states no outcome and links no notes in its
    // invite; its record has both.
    close(
        value(&c, "core", 0, HygieneOutcome),
        1.0,
        "outcome from record",
    );
    close(
        value(&c, "core", 0, HygieneSummary),
        1.0,
        "summary from record",
    );
    let files = compute_report(&request(&root), &mut |_| {}).unwrap();
    close(
        value(&files, "core", 0, HygieneOutcome),
        0.0,
        "outcome from files",
    );
    close(
        value(&files, "core", 0, HygieneSummary),
        0.0,
        "summary from files",
    );
    assert_eq!(
        value(&files, "core", 0, WrittenAskBreachRate),
        Err(Unknown::NoSource)
    );
    assert_eq!(c.inputs.workflow_objects, 17);

    // Morale from the pulse answered on the server: (4.5 + 2.5) / 2.
    close(value(&c, "core", 0, Morale), 3.5, "morale week 1");
    assert_eq!(value(&c, "core", 1, Morale), Err(Unknown::NoAnswers));

    // slow_async judges the written asks (2/3 over the 20% default: week
    // 1 alone has a value), not the chat's guess (no chat here).
    let core = c.assessments.iter().find(|a| a.team == "core").unwrap();
    let slow = core
        .findings
        .iter()
        .find(|f| f.id == FindingId::SlowAsync)
        .expect("slow_async on the written asks");
    let judged: Vec<SignalId> = slow.checks.iter().map(|k| k.spec.signal).collect();
    assert_eq!(judged, vec![WrittenAskBreachRate]);
    // From the files alone, neither signal has data: not assessed.
    let core = files.assessments.iter().find(|a| a.team == "core").unwrap();
    assert!(core.findings.iter().all(|f| f.id != FindingId::SlowAsync));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn workflow_signals_from_a_sqlite_store() {
    let root = workspace();
    let url = format!("sqlite:{}", root.join("store.db").display());
    story(&url).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn workflow_signals_from_a_postgres_store() {
    story(&common::fresh_postgres("fulcrum_written")).await;
}
