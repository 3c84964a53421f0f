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
