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
    let root = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&root);
    std::fs::create_dir_all(&root).unwrap();
    ok(&fulcrum(
        &root,
        &["demo", "--out", "demo", "--people", "16", "--weeks", "6"],
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
}
