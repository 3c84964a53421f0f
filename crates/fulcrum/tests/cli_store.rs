//! `fulcrum import`, `fulcrum report --store` and `fulcrum forget` end to
//! end on the default demo workspace with its default SQLite store: the
//! report from the store is the report from the files, byte for byte in
//! JSON; a second import changes nothing; forgetting a person says what
//! went and takes them out of the report.

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

fn ok(o: &Output) -> String {
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8(o.stdout.clone()).unwrap()
}

fn workspace(name: &str) -> PathBuf {
    workspace_of(name, "16")
}

/// A demo of `people` people over six weeks.
fn workspace_of(name: &str, people: &str) -> PathBuf {
    let root = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&root);
    std::fs::create_dir_all(&root).unwrap();
    ok(&fulcrum(
        &root,
        &["demo", "--out", "demo", "--people", people, "--weeks", "6"],
    ));
    root.join("demo")
}

#[test]
fn import_then_report_from_the_store_equals_the_files() {
    let demo = workspace("cli-store");
    let first = ok(&fulcrum(&demo, &["import"]));
    // One line per source, each with what it added; then the total.
    let calendars = std::fs::read_dir(demo.join("calendars")).unwrap().count();
    assert_eq!(
        first.lines().filter(|l| l.starts_with("calendar ")).count(),
        calendars,
        "{first}"
    );
    assert!(first.lines().filter(|l| l.contains(" added,")).count() > calendars);
    assert!(!first.contains("unchanged"), "{first}");
    assert!(demo.join(".fulcrum/fulcrum.db").is_file());

    let again = ok(&fulcrum(&demo, &["import"]));
    let sources: Vec<&str> = again.lines().filter(|l| l.contains(": ")).collect();
    assert!(sources.len() > calendars);
    assert!(
        sources.iter().all(|l| l.ends_with(": unchanged")),
        "{again}"
    );

    let files = ok(&fulcrum(&demo, &["report", "--format", "json"]));
    let stored = ok(&fulcrum(&demo, &["report", "--store", "--format", "json"]));
    let (files, stored): (serde_json::Value, serde_json::Value) = (
        serde_json::from_str(&files).unwrap(),
        serde_json::from_str(&stored).unwrap(),
    );
    // Everything but the inputs' provenance (files read vs stored exports).
    for key in ["window", "teams", "privacy", "coverage"] {
        assert_eq!(files.get(key), stored.get(key), "{key}");
    }
    assert!(files["teams"].as_array().unwrap().len() >= 2);
}

#[test]
fn forget_says_what_it_removed() {
    let demo = workspace("cli-forget");
    ok(&fulcrum(&demo, &["import"]));
    let people = std::fs::read_to_string(demo.join("people.csv")).unwrap();
    let email = people.lines().nth(1).unwrap().split(',').next().unwrap();
    let out = ok(&fulcrum(&demo, &["forget", "--person", email]));
    assert!(out.starts_with(&format!("forgot {email}:")), "{out}");
    let count = |what: &str| -> u64 {
        out.lines()
            .find(|l| l.contains(what))
            .and_then(|l| l.split_whitespace().next())
            .unwrap()
            .parse()
            .unwrap()
    };
    assert_eq!(count("calendar(s) they owned"), 1, "{out}");
    assert!(count("message(s) they wrote") > 0, "{out}");
    // Forgetting again finds nothing left.
    let again = ok(&fulcrum(&demo, &["forget", "--person", email]));
    assert!(
        again
            .lines()
            .skip(1)
            .all(|l| l.split_whitespace().next() == Some("0")),
        "{again}"
    );
}

#[test]
fn store_flags_without_a_store_are_clear() {
    let demo = workspace("cli-store-empty");
    // --database needs --store.
    let out = fulcrum(&demo, &["report", "--database", "x.db"]);
    assert_eq!(out.status.code(), Some(2));
    // An unreachable PostgreSQL is named, without its password.
    let out = fulcrum(
        &demo,
        &[
            "import",
            "--database",
            "postgres://ana:s3cret@127.0.0.1:1/nothing",
        ],
    );
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("cannot open the store"), "{err}");
    assert!(!err.contains("s3cret"), "{err}");
    // A report from a store never imported into: exit 2, a pointer to
    // `fulcrum import`, and no database file created.
    let out = fulcrum(&demo, &["report", "--store"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("run `fulcrum import` first"), "{err}");
    assert!(!demo.join(".fulcrum/fulcrum.db").exists());
    // A store that exists (an account was added) but was never imported
    // into says the same.
    let out = fulcrum(
        &demo,
        &["user", "add", "admin@example.org", "--role", "admin"],
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(demo.join(".fulcrum/fulcrum.db").exists());
    let out = fulcrum(&demo, &["report", "--store"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("holds nothing yet: run `fulcrum import` first"),
        "{err}"
    );
}

#[test]
fn retention_drops_old_records_and_keeps_aggregates() {
    // 48 people: teams of at least the minimum group size, so there are
    // aggregates to keep.
    let demo = workspace_of("cli-retention", "48");
    // The demo's six weeks start on 31 August 2026: with a 30-day limit
    // every week of it is older than the limit from December 2026 on, and
    // most of it already in November 2026.
    let toml = demo.join("fulcrum.toml");
    let text = std::fs::read_to_string(&toml).unwrap();
    std::fs::write(&toml, format!("{text}\n[store]\nretention_days = 30\n")).unwrap();
    let out = ok(&fulcrum(&demo, &["import"]));
    let line = out
        .lines()
        .find(|l| l.starts_with("retention (30 days): dropped "))
        .unwrap_or_else(|| panic!("{out}"));
    let numbers: Vec<u64> = line
        .split(|c: char| !c.is_ascii_digit())
        .filter_map(|w| w.parse().ok())
        .collect();
    // [30, occurrences, messages, rows]
    assert_eq!(numbers.len(), 4, "{line}");
    assert!(numbers[1] > 0 && numbers[2] > 0, "{line}");
    let kept: u64 = out
        .lines()
        .find(|l| l.contains("weekly team aggregate(s) written"))
        .and_then(|l| l.split("; ").nth(1))
        .and_then(|l| l.split_whitespace().next())
        .and_then(|n| n.parse().ok())
        .unwrap();
    assert!(kept > 0, "{out}");
}

#[test]
fn an_interrupted_import_is_reported_until_one_finishes() {
    let demo = workspace("cli-store-killed");
    // `None`: there is no store yet, or it holds nothing (exit 2 saying
    // so), which only a kill before the first import recorded its run can
    // leave (a busy machine can be that slow).
    let report_warning = |demo: &Path| -> Option<bool> {
        let out = fulcrum(demo, &["report", "--store", "--format", "json"]);
        let said = String::from_utf8_lossy(&out.stderr);
        if out.status.code() == Some(2)
            && (said.contains("holds nothing yet: run `fulcrum import` first")
                || said.contains("no store at"))
        {
            return None;
        }
        let text = ok(&out);
        let json: serde_json::Value = serde_json::from_str(&text).unwrap();
        let in_json = json["problems"]
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p["message"].as_str().unwrap().contains("did not finish"));
        let in_terminal = ok(&fulcrum(demo, &["report", "--store"])).contains("did not finish");
        assert_eq!(in_json, in_terminal, "the JSON and the terminal agree");
        Some(in_json)
    };
    // Killed (SIGKILL: no cleanup runs) at points spread over the import.
    let (mut killed, mut stored) = (0, false);
    for delay_ms in [30u64, 120, 250, 500, 900] {
        let mut child = Command::new(env!("CARGO_BIN_EXE_fulcrum"))
            .current_dir(&demo)
            .arg("import")
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(std::time::Duration::from_millis(delay_ms));
        let finished = child.try_wait().unwrap().is_some();
        if !finished {
            child.kill().unwrap();
        }
        child.wait().unwrap();
        // A kill before the run was recorded leaves the previous run's
        // state; only a kill after it must warn. The store's own record
        // says which: a warning exactly when the newest run is open.
        let Some(warned) = report_warning(&demo) else {
            assert!(
                !stored && !finished,
                "the store held something before this kill ({delay_ms} ms), and now nothing"
            );
            continue;
        };
        stored = true;
        if finished {
            assert!(!warned, "a finished import ({delay_ms} ms) is not reported");
        } else if warned {
            killed += 1;
        }
    }
    assert!(killed >= 1, "at least one kill landed mid-import");
    // A whole import clears the warning, and leaves no write-ahead log.
    ok(&fulcrum(&demo, &["import"]));
    assert_eq!(report_warning(&demo), Some(false));
    let wal = demo.join(".fulcrum/fulcrum.db-wal");
    assert!(
        std::fs::metadata(&wal).map_or(true, |m| m.len() == 0),
        "the write-ahead log is merged after an import"
    );
}
