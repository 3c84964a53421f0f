//! The demo's files are what they claim to be, for readers other than the
//! generator: Python's icalendar (and recurring-ical-events) reads every
//! calendar and expands it to the same occurrences as fulcrum-ics; the
//! Slack ZIP passes `python3 -m zipfile -t` and `unzip -t`; fulcrum.toml
//! and people.csv parse with fulcrum-workspace and every chat account
//! resolves to its person. And the same seed gives the same bytes.
//!
//! The Python packages come from `scripts/requirements-test.txt` (installed
//! by `scripts/test`); without them these tests fail.

#![allow(clippy::unwrap_used)] // Tests: a panic is a failed test with its location.

mod common;

use chrono::{Datelike, NaiveDate};
use common::*;
use fulcrum_demo::{DemoOptions, MemorySink, generate};
use fulcrum_ics::{Bound, ExpandOptions, read_calendar};
use fulcrum_model::CalTime;
use fulcrum_model::identity::{Resolved, SourceUser};
use serde_json::Value;
use std::collections::BTreeMap;
use std::io::{Cursor, Read};
use std::path::{Path, PathBuf};
use std::process::Command;

/// Writes the default demo's files under the target's temporary folder.
fn on_disk(tag: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("fulcrum-demo-{tag}"));
    let _ = std::fs::remove_dir_all(&dir);
    for (path, bytes) in &default_demo().0 {
        let p = dir.join(path);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, bytes).unwrap();
    }
    dir
}

fn fmt(t: &CalTime) -> String {
    match t {
        CalTime::Zoned { utc, .. } => utc.format("%Y-%m-%dT%H:%M:%SZ").to_string(),
        CalTime::Date(d) => d.format("%Y-%m-%d").to_string(),
        CalTime::Floating(f) => f.format("%Y-%m-%dT%H:%M:%S").to_string(),
    }
}

#[test]
fn python_icalendar_reads_every_calendar_and_expands_it_as_we_do() {
    let dir = on_disk("python");
    let truth = default_demo().truth();
    let (from, to) = (
        truth["start"].as_str().unwrap(),
        truth["end_exclusive"].as_str().unwrap(),
    );
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir.join("calendars"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    assert_eq!(files.len(), truth["people"].as_u64().unwrap() as usize);
    let out = Command::new("python3")
        .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/read_with_python.py"))
        .args([from, to])
        .args(&files)
        .output()
        .expect("python3 must be installed (see scripts/requirements-test.txt)");
    assert!(
        out.status.success(),
        "Python could not read the calendars:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    let mut python: BTreeMap<String, (usize, Vec<String>)> = BTreeMap::new();
    let mut current = String::new();
    for line in text.lines() {
        if let Some(rest) = line.strip_prefix("== ") {
            let (path, n) = rest.rsplit_once(' ').unwrap();
            current = path.to_owned();
            python.insert(current.clone(), (n.parse().unwrap(), Vec::new()));
        } else {
            python.get_mut(&current).unwrap().1.push(line.to_owned());
        }
    }
    assert_eq!(python.len(), files.len());
    let d = |s: &str| Bound::date(NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap());
    let mut total = 0;
    for f in &files {
        let bytes = std::fs::read(f).unwrap();
        let mut cal = read_calendar(&bytes, &f.display().to_string());
        let mut opts = ExpandOptions::window(d(from), d(to));
        // recurring-ical-events keeps cancelled instances.
        opts.include_cancelled = true;
        let mut ours: Vec<String> = cal
            .expand(&opts)
            .iter()
            .map(|o| format!("{} {} {}", o.uid, fmt(&o.start), fmt(&o.end)))
            .collect();
        ours.sort();
        let (events, theirs) = &python[&f.display().to_string()];
        assert_eq!(cal.events().len(), *events, "{}: VEVENT count", f.display());
        assert_eq!(
            &ours,
            theirs,
            "{}: occurrences differ from Python's",
            f.display()
        );
        assert!(
            cal.diagnostics().is_empty(),
            "{}: {:?}",
            f.display(),
            cal.diagnostics()
        );
        total += ours.len();
    }
    assert!(total > 5000, "only {total} occurrences in the default demo");
}

#[test]
fn the_slack_zip_passes_standard_tools_and_has_fixed_timestamps() {
    let dir = on_disk("zip");
    let zip_path = dir.join("chat/slack-export.zip");
    let out = Command::new("python3")
        .args(["-m", "zipfile", "-t"])
        .arg(&zip_path)
        .output()
        .expect("python3 must be installed");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("Done testing"));
    // Info-ZIP's unzip, where installed (Debian and most CI images have it).
    match Command::new("unzip").arg("-tq").arg(&zip_path).output() {
        Ok(out) => assert!(
            out.status.success(),
            "unzip -t: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ),
        Err(e) => eprintln!("unzip not installed ({e}); checked with python3 -m zipfile only"),
    }
    let bytes = std::fs::read(&zip_path).unwrap();
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
    let truth = default_demo().truth();
    let export =
        chrono::DateTime::parse_from_rfc3339(truth["export_time"].as_str().unwrap()).unwrap();
    let mut names = Vec::new();
    for i in 0..zip.len() {
        let f = zip.by_index(i).unwrap();
        let t = f.last_modified().unwrap();
        assert_eq!(
            (
                i32::from(t.year()),
                u32::from(t.month()),
                u32::from(t.day())
            ),
            (export.year(), export.month(), export.day()),
            "{:?}",
            f.name()
        );
        names.push(f.name().unwrap().into_owned());
    }
    for meta in [
        "users.json",
        "channels.json",
        "groups.json",
        "dms.json",
        "mpims.json",
    ] {
        assert!(names.iter().any(|n| n == meta), "{meta} missing");
    }
    // The real layout: a folder per conversation of YYYY-MM-DD.json files.
    let day_files = names
        .iter()
        .filter(|n| {
            n.split_once('/')
                .is_some_and(|(_, f)| f.len() == 15 && f.ends_with(".json"))
        })
        .count();
    assert!(day_files > 1000, "{day_files} day files");
    let mut users = String::new();
    zip.by_name("users.json")
        .unwrap()
        .read_to_string(&mut users)
        .unwrap();
    assert!(
        users.starts_with("[\n    {"),
        "pretty-printed with four spaces, as Slack writes"
    );
}

#[test]
fn same_seed_same_bytes_other_seed_other_bytes() {
    let small = DemoOptions {
        people: 16,
        weeks: 3,
        ..DemoOptions::default()
    };
    let run = |o: &DemoOptions| {
        let mut sink = MemorySink::default();
        generate(o, &mut sink).unwrap();
        sink.files()
    };
    let a = run(&small);
    let b = run(&small);
    assert_eq!(a.keys().collect::<Vec<_>>(), b.keys().collect::<Vec<_>>());
    for (path, bytes) in &a {
        assert!(
            bytes == &b[path],
            "{path} differs between two runs with the same seed"
        );
    }
    let c = run(&DemoOptions {
        seed: small.seed + 1,
        ..small.clone()
    });
    assert_ne!(a["chat/slack-export.zip"], c["chat/slack-export.zip"]);
    assert_ne!(a["people.csv"], c["people.csv"]);
    // The default demo too (the one the other tests read).
    let default = run(&DemoOptions::default());
    for (path, bytes) in &default_demo().0 {
        assert!(
            bytes == &default[path],
            "{path} differs between two default runs"
        );
    }
}

#[test]
fn the_workspace_parses_and_every_chat_account_resolves() {
    let files = default_demo();
    let ws =
        fulcrum_workspace::parse_workspace(files.text("fulcrum.toml"), "fulcrum.toml").unwrap();
    let people =
        fulcrum_workspace::parse_people_csv(files.text("people.csv"), "people.csv", &ws.team)
            .unwrap();
    let truth = files.truth();
    assert_eq!(people.len() as u64, truth["people"].as_u64().unwrap());
    assert!(people.iter().all(|p| p.tz.is_some()));
    // The sources point at what was written.
    assert_eq!(ws.sources.calendars, ["calendars/*.ics"]);
    assert_eq!(
        ws.sources.chat,
        ["chat/slack-export.zip", "chat/mattermost.jsonl"]
    );
    assert_eq!(ws.sources.work_items, ["work_items.csv"]);
    assert_eq!(ws.sources.pulse, ["pulse.csv"]);
    for p in [
        "chat/slack-export.zip",
        "chat/mattermost.jsonl",
        "work_items.csv",
        "pulse.csv",
    ] {
        assert!(
            files.0.contains_key(p),
            "{p} is a source but was not written"
        );
    }
    let calendars = files
        .0
        .keys()
        .filter(|k| k.starts_with("calendars/") && k.ends_with(".ics"))
        .count();
    assert_eq!(calendars, people.len());
    // Working hours differ by person, and some people work part time.
    let mut hours: Vec<String> = people
        .iter()
        .map(|p| format!("{:?}", p.working_hours))
        .collect();
    hours.sort();
    hours.dedup();
    assert!(hours.len() >= 4, "{} distinct working hours", hours.len());
    let zones: std::collections::BTreeSet<String> = people
        .iter()
        .map(|p| p.tz.unwrap().name().to_owned())
        .collect();
    assert!(zones.len() >= 4, "{zones:?}");

    // Chat accounts as the exports list them.
    let mut seen: Vec<SourceUser> = Vec::new();
    let mut zip =
        zip::ZipArchive::new(Cursor::new(files.0["chat/slack-export.zip"].as_slice())).unwrap();
    let mut text = String::new();
    zip.by_name("users.json")
        .unwrap()
        .read_to_string(&mut text)
        .unwrap();
    let users: Value = serde_json::from_str(&text).unwrap();
    for u in users.as_array().unwrap() {
        seen.push(SourceUser {
            source: "slack".to_owned(),
            id: u["id"].as_str().unwrap().to_owned(),
            email: u["profile"]["email"].as_str().map(str::to_owned),
            username: u["name"].as_str().map(str::to_owned),
            is_bot: u["is_bot"].as_bool().unwrap_or(false),
            deleted: u["deleted"].as_bool().unwrap_or(false),
            ..SourceUser::default()
        });
    }
    let without_email = seen
        .iter()
        .filter(|u| !u.is_bot && !u.deleted && u.email.is_none())
        .count();
    assert!(
        without_email > 0,
        "some Slack profiles hide their email, so aliases matter"
    );
    for line in files.text("chat/mattermost.jsonl").lines() {
        let v: Value = serde_json::from_str(line).unwrap();
        if v["type"] == "user" {
            seen.push(SourceUser {
                source: "mattermost".to_owned(),
                id: v["user"]["username"].as_str().unwrap().to_owned(),
                username: v["user"]["username"].as_str().map(str::to_owned),
                ..SourceUser::default()
            });
        }
    }
    assert!(seen.iter().any(|u| u.source == "mattermost"));
    let directory = fulcrum_workspace::Directory::build(&ws.team, &people, &seen).unwrap();
    for u in &seen {
        let got = directory.resolve_user(u);
        let expected_person = !u.is_bot && !u.deleted;
        match got {
            Resolved::Person(_) => assert!(expected_person, "{u:?} resolved to a person"),
            Resolved::Bot => assert!(u.is_bot, "{u:?}"),
            // The deactivated former employee: in the domain, not listed.
            Resolved::Unlisted => assert!(u.deleted, "{u:?}"),
            other => panic!("{u:?} resolved to {other:?}"),
        }
    }
    // Every attendee address in the calendars is a listed person, the
    // everyone@ list, a meeting room or an external guest.
    let world = World::read(files);
    for meets in world.calendars.values() {
        for m in meets {
            for (e, _) in &m.attendees {
                let r = directory.resolve_address(e);
                let ok = matches!(r, Resolved::Person(_))
                    || e.starts_with("everyone@")
                    || matches!(r, Resolved::External);
                assert!(ok, "{e} in {} resolved to {r:?}", m.title);
            }
        }
    }
}

#[test]
fn the_chat_exports_hold_every_feature_the_issue_lists() {
    let files = default_demo();
    let world = World::read(files);
    let chat = read_chat(files, &world);
    let count = |f: &dyn Fn(&ChatMsg) -> bool| chat.iter().filter(|m| f(m)).count();
    let mut zip =
        zip::ZipArchive::new(Cursor::new(files.0["chat/slack-export.zip"].as_slice())).unwrap();
    let mut read = |name: &str| -> Value {
        let mut s = String::new();
        zip.by_name(name).unwrap().read_to_string(&mut s).unwrap();
        serde_json::from_str(&s).unwrap()
    };
    let groups = read("groups.json");
    let mpims = read("mpims.json");
    let private = groups[0]["name"].as_str().unwrap().to_owned();
    let group_dm = mpims[0]["name"].as_str().unwrap().to_owned();
    let in_conv =
        |c: &str| count(&|m: &ChatMsg| m.conv == format!("slack:{c}") && m.author.is_some());
    assert!(
        in_conv(&private) > 0,
        "messages in the private channel {private}"
    );
    assert!(
        in_conv(&group_dm) > 0,
        "messages in the group DM {group_dm}"
    );
    assert!(count(&|m: &ChatMsg| m.dm_members.len() == 2) > 1000, "DMs");
    assert!(
        count(&|m: &ChatMsg| m.subtype == "huddle_thread") > 20,
        "huddles"
    );
    assert!(
        count(&|m: &ChatMsg| m.subtype == "bot_message") > 50,
        "bot messages"
    );
    assert!(
        count(&|m: &ChatMsg| m.subtype == "channel_join") > 5,
        "joins"
    );
    assert!(
        count(&|m: &ChatMsg| !m.mentions.is_empty()) > 200,
        "mentions"
    );
    assert!(
        count(&|m: &ChatMsg| m.text.to_lowercase().contains("jump on a huddle")) > 0,
        "huddle phrases"
    );
    // Replies in a later day file than their parent.
    let later = chat
        .iter()
        .filter(|m| m.conv.starts_with("slack:"))
        .filter_map(|m| {
            let parent = m.thread.as_ref()?;
            let secs: i64 = parent.split('.').next()?.parse().ok()?;
            let parent_day = chrono::DateTime::from_timestamp(secs, 0)?.date_naive();
            (m.at.date_naive() > parent_day).then_some(())
        })
        .count();
    assert!(
        later > 100,
        "only {later} replies on a later day than their parent"
    );
    // Mattermost: channel posts with replies, DMs, the group DM, a bot.
    let mm = files.text("chat/mattermost.jsonl");
    assert!(mm.lines().next().unwrap().contains("\"version\":1"));
    assert!(count(&|m: &ChatMsg| m.conv.starts_with("mm:dm:") && m.dm_members.len() == 2) > 100);
    assert!(count(&|m: &ChatMsg| m.conv.starts_with("mm:") && m.thread.is_some()) > 100);
    assert!(mm.contains("\"from_bot\":\"true\""));
}
