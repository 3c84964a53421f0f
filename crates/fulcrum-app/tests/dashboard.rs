//! The web app's snapshot shows each team its own experiments, judged as
//! the report judges them: on the default demo, which plants experiments on
//! some teams, the treated team's page has the experiment and its chart and
//! a team without one has none.

#![allow(clippy::unwrap_used)] // Test code: a panic is a failed test with its location.

use chrono::{NaiveDate, TimeZone, Utc};
use fulcrum_app::dashboard::Snapshot;
use fulcrum_app::report::{ReportRequest, compute_report};
use fulcrum_demo::DemoOptions;

#[test]
fn each_team_sees_its_own_experiments_on_the_dashboard() {
    let dir = std::env::temp_dir().join(format!("fulcrum-dashboard-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    fulcrum_app::demo::write_demo(&dir, &DemoOptions::default(), false).unwrap();
    let truth: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("truth.json")).unwrap()).unwrap();
    let planted = truth["experiments"].as_array().unwrap();
    assert!(!planted.is_empty(), "the default demo plants experiments");
    let computed = compute_report(
        &ReportRequest {
            root: dir.clone(),
            from: None,
            to: None,
            limits: fulcrum_chat::Limits::default(),
        },
        &mut |_| {},
    )
    .unwrap();
    // Two weeks after the data: every planted experiment has ended.
    let end = NaiveDate::parse_from_str(truth["end_exclusive"].as_str().unwrap(), "%Y-%m-%d")
        .unwrap()
        + chrono::Duration::weeks(2);
    let at = Utc.from_utc_datetime(&end.and_hms_opt(9, 0, 0).unwrap());
    let snapshot = Snapshot::from_computed(&computed, at);
    let treated: Vec<&str> = planted
        .iter()
        .map(|e| e["team"].as_str().unwrap())
        .collect();
    for e in planted {
        let (id, team) = (e["id"].as_str().unwrap(), e["team"].as_str().unwrap());
        let t = snapshot.teams.iter().find(|t| t.name == team).unwrap();
        assert!(t.json.contains(&format!("\"id\":\"{id}\"")), "{team}: {id}");
        assert!(
            t.html.contains(&format!("id=\"x-{id}\"")),
            "{team}: the chart of {id}"
        );
        // Another team's experiment is not on this team's page.
        for other in planted.iter().filter(|o| o["team"] != team) {
            let other = other["id"].as_str().unwrap();
            assert!(
                !t.html.contains(&format!("id=\"x-{other}\"")),
                "{team}: {other}"
            );
        }
    }
    let untreated = snapshot
        .teams
        .iter()
        .find(|t| !treated.contains(&t.name.as_str()))
        .unwrap();
    assert!(!untreated.html.contains("id=\"x-"), "{}", untreated.name);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn an_ask_to_someone_away_is_due_after_their_days_off() {
    // The default demo books vacations in people's own calendars. The
    // server's snapshot reads those calendars, so a person's clock has no
    // working time on a day off, and an ask's answer-by time skips it.
    let dir = std::env::temp_dir().join(format!("fulcrum-dashboard-away-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    fulcrum_app::demo::write_demo(&dir, &DemoOptions::default(), false).unwrap();
    let computed = compute_report(
        &ReportRequest {
            root: dir.clone(),
            from: None,
            to: None,
            limits: fulcrum_chat::Limits::default(),
        },
        &mut |_| {},
    )
    .unwrap();
    let (from, to) = (computed.window.from, computed.window.to);
    let loaded = fulcrum_app::focus::load(&dir, from, to).unwrap();
    let at = Utc.from_utc_datetime(&to.and_hms_opt(9, 0, 0).unwrap());
    let snapshot = Snapshot::from_computed_with_calendars(&computed, &loaded, at);
    // A weekday off inside the window whose day before is a working day.
    let (person, day) = snapshot
        .people
        .iter()
        .find_map(|p| {
            p.clock
                .away_days()
                .iter()
                .copied()
                .find(|d| {
                    *d > from
                        && *d <= to
                        && p.clock.working_on(*d).is_empty()
                        && !p.clock.working_on(d.pred_opt().unwrap()).is_empty()
                })
                .map(|d| (p, d))
        })
        .expect("the demo books a weekday off after a working day");
    // Without its days off the same clock works that day.
    let template = fulcrum_analysis::WorkClock::new(
        *person.clock.tz(),
        person.clock.hours().clone(),
        Default::default(),
    );
    assert!(
        !template.working_on(day).is_empty(),
        "{} {day}",
        person.email
    );
    // Asked one hour before the end of the day before with a 2-hour SLA:
    // one hour that day, the other on the first working day after the time
    // off, never on the day off itself.
    let before = person.clock.working_on(day.pred_opt().unwrap());
    let asked = before.last().unwrap().end - chrono::Duration::hours(1);
    let sla = std::collections::BTreeMap::from([("urgent".to_owned(), 2.0)]);
    let due = fulcrum_analysis::workflow::answer_by(
        asked,
        Some(&fulcrum_model::workflow::AnswerBy::Sla("urgent".to_owned())),
        &sla,
        &person.clock,
    )
    .unwrap()
    .unwrap();
    let due_day = due.with_timezone(person.clock.tz()).date_naive();
    assert!(
        due_day > day,
        "{}: due {due} on {due_day}, away {day}",
        person.email
    );
    assert!(!person.clock.away_days().contains(&due_day));
    let first_back = person.clock.working_on(due_day);
    assert_eq!(
        due,
        first_back[0].start + chrono::Duration::hours(1),
        "{}",
        person.email
    );
    let _ = std::fs::remove_dir_all(&dir);
}
