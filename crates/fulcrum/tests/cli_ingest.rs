//! Bad inputs every command meets sooner or later, each a regression test
//! named after what it fixed: what reaches the user is a located problem
//! with what to do, never a silent change of the figures nor a bare OS
//! error.

#![allow(clippy::unwrap_used)] // Test helpers: a panic is a failed test with its location.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn fulcrum(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_fulcrum"))
        .current_dir(dir)
        .env("FULCRUM_REPORT_KEY", "000102030405060708090a0b0c0d0e0f")
        .args(args)
        .output()
        .unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// A copy of the moves fixture (Ana, Bo and Cy of acme.com, calendars in
/// June 2025) in a fresh folder named `name`.
fn moves_workspace(name: &str) -> PathBuf {
    let root = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("cli-ingest")
        .join(name);
    let _ = std::fs::remove_dir_all(&root);
    std::fs::create_dir_all(root.join("calendars")).unwrap();
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../test_data/moves");
    for f in ["ana.ics", "bo.ics"] {
        std::fs::copy(
            fixture.join("calendars").join(f),
            root.join("calendars").join(f),
        )
        .unwrap();
    }
    std::fs::copy(fixture.join("fulcrum.toml"), root.join("fulcrum.toml")).unwrap();
    root
}

fn json_problems(out: &Output) -> Vec<serde_json::Value> {
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    v["problems"].as_array().unwrap().clone()
}

/// Cy's calendar: one meeting a second, a minute each, from Monday 2 June
/// 2025 09:00Z, the VEVENT on line 3.
const SECONDLY: &str = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:tick@acme.com\r\n\
DTSTAMP:20250601T000000Z\r\nDTSTART:20250602T090000Z\r\nDURATION:PT1M\r\nRRULE:FREQ=SECONDLY\r\n\
ORGANIZER:mailto:cy@acme.com\r\nSUMMARY:Tick\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";

#[test]
fn occurrence_cap_is_a_located_problem_in_every_command() {
    let root = moves_workspace("cap");
    std::fs::write(root.join("calendars/cy@acme.com.ics"), SECONDLY).unwrap();
    let is_cap = |p: &serde_json::Value| {
        p["message"]
            .as_str()
            .is_some_and(|m| m.contains("more than 100000 occurrences in the window"))
    };
    let check = |p: &serde_json::Value| {
        assert_eq!(p["severity"], "error", "{p}");
        assert_eq!(p["line"], 3, "{p}");
        assert!(
            p["source"].as_str().unwrap().ends_with("cy@acme.com.ics"),
            "{p}"
        );
    };
    // The report, over a week that starts two days after DTSTART.
    let out = fulcrum(
        &root,
        &[
            "report",
            ".",
            "--from",
            "2025-06-04",
            "--to",
            "2025-06-10",
            "--format",
            "json",
        ],
    );
    let problems = json_problems(&out);
    let capped: Vec<_> = problems.iter().filter(|p| is_cap(p)).collect();
    assert_eq!(capped.len(), 1, "{problems:#?}");
    check(capped[0]);

    // `ics expand` over a later window: the cap counts inside it, so the
    // first 100,000 of the window's instances are there.
    let out = fulcrum(
        &root,
        &[
            "ics",
            "expand",
            "calendars/cy@acme.com.ics",
            "--from",
            "2025-06-05",
            "--to",
            "2025-06-10",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(text(&out.stdout).lines().count(), 100_000);
    assert!(
        text(&out.stderr).contains("more than 100000 occurrences in the window"),
        "{}",
        text(&out.stderr)
    );

    // `lint` of the workspace.
    let out = fulcrum(
        &root,
        &[
            "lint",
            ".",
            "--from",
            "2025-06-04",
            "--to",
            "2025-06-10",
            "--format",
            "json",
        ],
    );
    let all = text(&out.stdout) + &text(&out.stderr);
    assert!(all.contains("more than 100000 occurrences"), "{all}");

    // `focus`, of the workspace and of the one file.
    for args in [
        &["focus", "."][..],
        &["focus", "--ics", "calendars/cy@acme.com.ics", "--tz", "UTC"][..],
    ] {
        let out = fulcrum(
            &root,
            &[args, &["--from", "2025-06-04", "--to", "2025-06-06"]].concat(),
        );
        assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
        let all = text(&out.stdout) + &text(&out.stderr);
        assert!(all.contains("more than 100000 occurrences"), "{all}");
        assert!(all.contains("cy@acme.com.ics:3"), "{all}");
    }
}

#[test]
fn utf16_calendar_is_read_not_dropped() {
    let root = moves_workspace("utf16");
    // Cy's calendar as a Windows tool writes it: UTF-16 little-endian,
    // no byte order mark. One meeting on Tuesday 3 June 2025.
    let ics = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:u16@acme.com\r\n\
DTSTAMP:20250601T000000Z\r\nDTSTART:20250603T140000Z\r\nDTEND:20250603T150000Z\r\n\
ORGANIZER:mailto:cy@acme.com\r\nATTENDEE:mailto:ana@acme.com\r\nSUMMARY:Review\r\n\
END:VEVENT\r\nEND:VCALENDAR\r\n";
    let bytes: Vec<u8> = ics.encode_utf16().flat_map(u16::to_le_bytes).collect();
    std::fs::write(root.join("calendars/cy@acme.com.ics"), bytes).unwrap();
    let out = fulcrum(
        &root,
        &[
            "report",
            ".",
            "--from",
            "2025-06-02",
            "--to",
            "2025-06-08",
            "--format",
            "json",
        ],
    );
    let problems = json_problems(&out);
    assert!(
        !problems
            .iter()
            .any(|p| p["source"].as_str().unwrap().contains("cy@acme.com")),
        "{problems:#?}"
    );
    let out = fulcrum(
        &root,
        &[
            "ics",
            "expand",
            "calendars/cy@acme.com.ics",
            "--from",
            "2025-06-02",
            "--to",
            "2025-06-08",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert_eq!(stdout.lines().count(), 1, "{stdout}");
    assert!(stdout.contains("2025-06-03T14:00:00+00:00"), "{stdout}");
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("note: the file is UTF-16 (little-endian, without a byte order mark)"),
        "{stderr}"
    );
}

/// An empty folder, fresh.
fn empty_folder(name: &str) -> PathBuf {
    let root = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("cli-ingest")
        .join(name);
    let _ = std::fs::remove_dir_all(&root);
    std::fs::create_dir_all(&root).unwrap();
    root
}

#[test]
fn folder_without_fulcrum_toml_points_at_fulcrum_init() {
    let root = empty_folder("no-toml");
    for command in ["report", "lint", "audit"] {
        let out = fulcrum(&root, &[command, "."]);
        assert_eq!(out.status.code(), Some(2), "{command}");
        let stderr = text(&out.stderr);
        assert!(
            stderr.contains(". holds no fulcrum.toml: run `fulcrum init .` to write one"),
            "{command}: {stderr}"
        );
        assert!(!stderr.contains("os error"), "{command}: {stderr}");
        assert_eq!(
            stderr.matches("fulcrum.toml").count(),
            1,
            "{command}: {stderr}"
        );
    }
}

#[test]
fn empty_fulcrum_toml_is_an_error_naming_what_is_missing() {
    let root = empty_folder("empty-toml");
    std::fs::write(root.join("fulcrum.toml"), "").unwrap();
    let out = fulcrum(&root, &["report", "."]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("no people: add [[people]] entries"),
        "{stderr}"
    );
    assert!(stderr.contains("`fulcrum init`"), "{stderr}");
}

/// `import` agrees with `report` on an empty `fulcrum.toml`: the same
/// error, the same exit code, and nothing stored.
#[cfg(feature = "store")]
#[test]
fn empty_fulcrum_toml_fails_import_as_it_fails_report() {
    let root = empty_folder("empty-toml-import");
    std::fs::write(root.join("fulcrum.toml"), "").unwrap();
    let report = fulcrum(&root, &["report", "."]);
    let import = fulcrum(&root, &["import", "."]);
    assert_eq!(import.status.code(), report.status.code());
    assert_eq!(import.status.code(), Some(2));
    let stderr = text(&import.stderr);
    assert!(
        stderr.contains("no people: add [[people]] entries"),
        "{stderr}"
    );
}

#[test]
fn slack_export_without_users_json_is_a_problem_in_the_report() {
    let root = moves_workspace("no-users-json");
    let export = root.join("chat/slack");
    std::fs::create_dir_all(export.join("general")).unwrap();
    std::fs::write(
        export.join("channels.json"),
        r#"[{"id":"C1","name":"general","members":[]}]"#,
    )
    .unwrap();
    std::fs::write(
        export.join("general/2025-06-03.json"),
        r#"[{"type":"message","user":"U0TRACKER","bot_id":"B0TRACKER","text":"PROJ-1 closed","ts":"1748941200.000100"},
            {"type":"message","subtype":"bot_message","bot_id":"B0DEPLOY","text":"deployed","ts":"1748941300.000100"}]"#,
    )
    .unwrap();
    let toml = std::fs::read_to_string(root.join("fulcrum.toml"))
        .unwrap()
        .replace(
            "calendars = [\"calendars/*.ics\"]",
            "calendars = [\"calendars/*.ics\"]\nchat = [\"chat/slack\"]",
        );
    std::fs::write(root.join("fulcrum.toml"), toml).unwrap();
    let out = fulcrum(
        &root,
        &[
            "report",
            ".",
            "--from",
            "2025-06-02",
            "--to",
            "2025-06-08",
            "--format",
            "json",
        ],
    );
    let problems = json_problems(&out);
    let warning = problems
        .iter()
        .find(|p| p["message"].as_str().unwrap().contains("has no users.json"))
        .unwrap_or_else(|| panic!("{problems:#?}"));
    assert_eq!(warning["severity"], "warning");
    assert!(
        warning["source"].as_str().unwrap().ends_with("chat/slack"),
        "{warning}"
    );
}
