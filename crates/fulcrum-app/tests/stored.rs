//! The store's use cases end to end on a small demo workspace, on SQLite
//! and on PostgreSQL: `report --store` gives the same signals, findings and
//! histograms as computing from the files; importing the same sources twice
//! adds nothing; a newer calendar export replaces and removes; `forget`
//! takes a person out of what the report sees.

#![allow(clippy::unwrap_used)] // Tests: a panic is a failed test with its location.

mod common;

use fulcrum_app::report::{Computed, ReportRequest, compute_report};
use fulcrum_app::stored::{compute_from_store, forget_person, import_workspace};
use fulcrum_demo::DemoOptions;
use fulcrum_store::{Storage, Store};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU32, Ordering};

static NEXT: AtomicU32 = AtomicU32::new(0);

/// A fresh demo workspace (10 people, 4 weeks) in its own folder.
fn demo() -> PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "fulcrum-stored-{}-{}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::SeqCst)
    ));
    let _ = std::fs::remove_dir_all(&dir);
    let opts = DemoOptions {
        people: 10,
        weeks: 4,
        ..DemoOptions::default()
    };
    fulcrum_app::demo::write_demo(&dir, &opts, false).unwrap();
    dir
}

fn request(root: &Path) -> ReportRequest {
    ReportRequest {
        root: root.to_owned(),
        from: None,
        to: None,
        limits: fulcrum_chat::Limits::default(),
    }
}

/// A fresh PostgreSQL database on the server of FULCRUM_TEST_DATABASE_URL.
async fn postgres() -> String {
    common::fresh_postgres("fulcrum_app")
}

fn same(files: &Computed, stored: &Computed) {
    assert_eq!(files.window, stored.window);
    assert_eq!(files.window_rule, stored.window_rule);
    assert_eq!(files.inputs.occurrences, stored.inputs.occurrences);
    assert_eq!(files.inputs.messages, stored.inputs.messages);
    assert_eq!(files.inputs.calendars_owned, stored.inputs.calendars_owned);
    assert_eq!(files.inputs.work_items, stored.inputs.work_items);
    assert_eq!(files.inputs.pulse_answers, stored.inputs.pulse_answers);
    assert!(files.inputs.occurrences > 100, "{:?}", files.inputs);
    assert!(files.inputs.messages > 100, "{:?}", files.inputs);
    assert_eq!(files.people, stored.people);
    assert_eq!(files.signals, stored.signals);
    assert_eq!(files.assessments, stored.assessments);
    assert_eq!(files.activity, stored.activity);
}

async fn story(url: &str) {
    let root = demo();
    let store = Store::open(url).await.unwrap();
    let limits = fulcrum_chat::Limits::default();
    let first = import_workspace(&store, &root, &limits).await.unwrap();
    // A demo this small has no Mattermost team: its glob matches nothing;
    // the open work items are counted in a note, not lost.
    assert!(
        first.problems.iter().all(|p| {
            p.message.contains("matches no file")
                || (p.severity == fulcrum_model::diagnostic::Severity::Note
                    && p.message.contains("open work item"))
        }),
        "{:?}",
        first.problems
    );
    // 10 calendars, the Slack export, work items, pulse.
    assert!(first.lines.iter().filter(|l| l.kind == "calendar").count() == 10);
    assert!(first.lines.iter().all(|l| !l.outcome.unchanged));
    assert!(
        first.lines.iter().all(|l| l.outcome.added > 0),
        "{:?}",
        first.lines
    );
    assert!(first.aggregates > 0);

    let files = compute_report(&request(&root), &mut |_| {}).unwrap();
    let stored = compute_from_store(&store, &request(&root), &mut |_| {})
        .await
        .unwrap();
    same(&files, &stored);

    // The same export twice adds nothing.
    let again = import_workspace(&store, &root, &limits).await.unwrap();
    assert_eq!(again.lines.len(), first.lines.len());
    for l in &again.lines {
        assert!(l.outcome.unchanged, "{l:?}");
        assert_eq!(
            (l.outcome.added, l.outcome.changed, l.outcome.removed),
            (0, 0, 0)
        );
    }
    let stored = compute_from_store(&store, &request(&root), &mut |_| {})
        .await
        .unwrap();
    same(&files, &stored);

    // A newer export of one calendar without its first one-off event: that
    // event is removed, and the report from the store follows the files.
    let cal_dir = root.join("calendars");
    let mut cals: Vec<_> = std::fs::read_dir(&cal_dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    cals.sort();
    let path = &cals[0];
    let text = std::fs::read_to_string(path).unwrap();
    let (removed_uid, newer) = drop_first_one_off(&text);
    std::fs::write(path, newer).unwrap();
    let third = import_workspace(&store, &root, &limits).await.unwrap();
    let changed: Vec<_> = third
        .lines
        .iter()
        .filter(|l| !l.outcome.unchanged)
        .collect();
    assert_eq!(changed.len(), 1, "{changed:?}");
    assert_eq!(changed[0].outcome.removed, 1, "{removed_uid}: {changed:?}");
    assert_eq!(
        (changed[0].outcome.added, changed[0].outcome.changed),
        (0, 0)
    );
    let files = compute_report(&request(&root), &mut |_| {}).unwrap();
    let stored = compute_from_store(&store, &request(&root), &mut |_| {})
        .await
        .unwrap();
    same(&files, &stored);

    // Forget the first person: their calendar goes, and nothing in the
    // store's report is theirs any more.
    let email = files.people[0].email.clone();
    let report = forget_person(&store, &root, &email).await.unwrap();
    assert_eq!(report.calendars, 1, "{report:?}");
    assert!(report.occurrences > 0 && report.messages > 0, "{report:?}");
    let after = compute_from_store(&store, &request(&root), &mut |_| {})
        .await
        .unwrap();
    assert_eq!(
        after.inputs.calendars_owned,
        files.inputs.calendars_owned - 1
    );
    assert!(after.inputs.messages < files.inputs.messages);
    let sources = store.sources(fulcrum_store::Page::default()).await.unwrap();
    assert!(
        sources
            .iter()
            .all(|s| s.owner.as_deref() != Some(email.as_str()))
    );
    let _ = std::fs::remove_dir_all(&root);
}

/// Removes a one-off VEVENT (no RRULE, not an override, not cancelled)
/// whose start day is strictly between the first and last one-off days of
/// the file, so the calendar's data span (and the stored window) stays;
/// returns its UID and the new text.
fn drop_first_one_off(text: &str) -> (String, String) {
    // The events, as line ranges.
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    let mut events: Vec<(usize, usize)> = Vec::new();
    let mut begin = None;
    for (i, l) in lines.iter().enumerate() {
        if l.starts_with("BEGIN:VEVENT") {
            begin = Some(i);
        } else if l.starts_with("END:VEVENT")
            && let Some(b) = begin.take()
        {
            events.push((b, i));
        }
    }
    let one_off_day = |&(b, e): &(usize, usize)| -> Option<String> {
        let block = &lines[b..=e];
        let plain = !block.iter().any(|l| {
            l.starts_with("RRULE")
                || l.starts_with("RECURRENCE-ID")
                || l.starts_with("STATUS:CANCELLED")
        });
        let start = block.iter().find(|l| l.starts_with("DTSTART"))?;
        let value = start.trim_end().rsplit(':').next()?;
        (plain && value.len() > 8).then(|| value[..8].to_owned())
    };
    let days: Vec<String> = events.iter().filter_map(one_off_day).collect();
    let (min, max) = (days.iter().min().unwrap(), days.iter().max().unwrap());
    let pick = events
        .iter()
        .find(|ev| one_off_day(ev).is_some_and(|d| &d > min && &d < max))
        .copied()
        .expect("the demo calendar has one-off events on several days");
    let uid = lines[pick.0..=pick.1]
        .iter()
        .find_map(|l| l.strip_prefix("UID:"))
        .unwrap()
        .trim()
        .to_owned();
    let mut out = String::new();
    for (i, l) in lines.iter().enumerate() {
        if i < pick.0 || i > pick.1 {
            out.push_str(l);
        }
    }
    (uid, out)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_store_gives_the_files_report() {
    let root = std::env::temp_dir().join(format!(
        "fulcrum-stored-db-{}-{}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::SeqCst)
    ));
    std::fs::create_dir_all(&root).unwrap();
    story(&format!("sqlite://{}", root.join("fulcrum.db").display())).await;
    let _ = std::fs::remove_dir_all(&root);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_store_gives_the_files_report() {
    let url = postgres().await;
    story(&url).await;
}
