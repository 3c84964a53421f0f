//! `fulcrum report` end to end on the default demo workspace: every pattern
//! planted in `truth.json` is found in its team, nothing fires that it
//! does not list (`findings` and `also_fires`), and the healthy team gets
//! no findings; the formats and privacy flags; and the HTML page in a real
//! browser (headless Chromium): it renders, holds its charts, logs no
//! console message and sends no request off the page.

#![allow(clippy::unwrap_used)] // Test helpers: a panic is a failed test with its location.

mod common;

use common::copy_dir;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;

fn fulcrum(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_fulcrum"))
        .current_dir(dir)
        .env("FULCRUM_REPORT_KEY", "000102030405060708090a0b0c0d0e0f")
        .args(args)
        .output()
        .unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// The default demo workspace, written once for every test of this file.
fn demo() -> &'static Path {
    static DEMO: OnceLock<PathBuf> = OnceLock::new();
    DEMO.get_or_init(|| {
        let root = Path::new(env!("CARGO_TARGET_TMPDIR")).join("cli-report");
        let _ = std::fs::remove_dir_all(&root);
        std::fs::create_dir_all(&root).unwrap();
        let out = fulcrum(&root, &["demo", "--out", "demo"]);
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        root.join("demo")
    })
}

fn json_report(args: &[&str]) -> serde_json::Value {
    let dir = demo();
    let mut all = vec!["report", ".", "--format", "json"];
    all.extend_from_slice(args);
    let out = fulcrum(dir, &all);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn every_planted_pattern_is_found_and_the_healthy_team_has_none() {
    let report = json_report(&[]);
    let truth: serde_json::Value =
        serde_json::from_slice(&std::fs::read(demo().join("truth.json")).unwrap()).unwrap();
    let teams = truth["teams"].as_array().unwrap();
    assert_eq!(teams.len(), 8);
    let findings = report["findings"].as_array().unwrap();
    let fired = |team: &str| -> Vec<&str> {
        findings
            .iter()
            .filter(|f| f["team"] == team)
            .map(|f| f["id"].as_str().unwrap())
            .collect()
    };
    let mut healthy = 0;
    for t in teams {
        let name = t["team"].as_str().unwrap();
        let expected: Vec<&str> = t["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f.as_str().unwrap())
            .collect();
        // Findings truth.json says follow from the pattern may fire too;
        // nothing else may.
        let also: Vec<&str> = t["also_fires"]
            .as_array()
            .map(|a| a.iter().filter_map(|x| x["finding"].as_str()).collect())
            .unwrap_or_default();
        let got = fired(name);
        for id in &expected {
            assert!(
                got.contains(id),
                "{name}: planted {id} not found; fired {got:?}"
            );
        }
        for id in &got {
            assert!(
                expected.contains(id) || also.contains(id),
                "{name}: {id} fired but truth.json neither plants nor expects it"
            );
        }
        if t["pattern"] == "healthy" {
            healthy += 1;
            assert!(got.is_empty(), "healthy team {name} got findings {got:?}");
            let team = report["teams"]
                .as_array()
                .unwrap()
                .iter()
                .find(|x| x["team"] == name)
                .unwrap();
            assert_eq!(team["verdict"], "no_findings");
        }
    }
    assert_eq!(healthy, 1);
    // Every finding carries evidence, examples, moves and an experiment.
    for f in findings {
        assert!(!f["evidence"]["checks"].as_array().unwrap().is_empty());
        assert!(
            !f["evidence"]["examples"].as_array().unwrap().is_empty(),
            "{}",
            f["id"]
        );
        assert!(!f["moves"].as_array().unwrap().is_empty());
        assert!(f["experiment"]["weeks"].as_u64().unwrap() >= 2);
    }
    // The demo's window: its 13 weeks from Monday 2026-08-31.
    assert_eq!(report["window"]["from"], "2026-08-31");
    assert_eq!(report["window"]["weeks"].as_array().unwrap().len(), 13);
    assert!(report.get("people").is_none());
}

#[test]
fn escalation_examples_name_the_channel_never_the_text() {
    let report = json_report(&["--team", "search"]);
    let f = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["id"] == "threads_end_in_sudden_meetings")
        .unwrap();
    let example = &f["evidence"]["examples"][0];
    assert_eq!(example["place"], "#search");
    assert!(
        example["detail"]
            .as_str()
            .unwrap()
            .starts_with("thread of ")
    );
    // Only the asked team.
    assert_eq!(report["teams"].as_array().unwrap().len(), 1);
}

#[test]
fn privacy_flags() {
    let truth: serde_json::Value =
        serde_json::from_slice(&std::fs::read(demo().join("truth.json")).unwrap()).unwrap();
    let lead = truth["teams"][0]["lead"].as_str().unwrap().to_owned();
    let own = json_report(&["--person", &lead]);
    let people = own["people"].as_array().unwrap();
    assert_eq!(people.len(), 1);
    assert_eq!(people[0]["email"], lead.as_str());
    assert_eq!(own["privacy"]["individuals"], "self");
    assert!(own["privacy"]["warning"].is_null());

    let all = json_report(&["--individuals", "--pseudonymize"]);
    assert_eq!(all["privacy"]["individuals"], "all");
    assert!(
        all["privacy"]["warning"]
            .as_str()
            .unwrap()
            .starts_with("WARNING")
    );
    assert_eq!(all["people"].as_array().unwrap().len(), 60);
    let text = all.to_string();
    assert!(!text.contains("lumenlabs.example"), "an email leaked");
    assert!(!text.contains(&lead));
    // The same key gives the same pseudonyms on the next run.
    let again = json_report(&["--individuals", "--pseudonymize"]);
    assert_eq!(all["people"][0]["email"], again["people"][0]["email"]);
    assert!(
        all["people"][0]["email"]
            .as_str()
            .unwrap()
            .starts_with("person-")
    );

    let out = fulcrum(
        demo(),
        &["report", ".", "--person", "nobody@nowhere.example"],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("nobody@nowhere.example"));
}

#[test]
fn term_output_is_plain_when_piped_and_csv_has_a_row_per_team_week() {
    let out = fulcrum(demo(), &["report"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = String::from_utf8(out.stdout.clone()).unwrap();
    assert!(
        text.starts_with("Fulcrum report lumen-labs: 2026-08-31"),
        "{text}"
    );
    assert!(!text.contains('\x1b'));
    assert!(text.find("FINDINGS").unwrap() < text.find("KEY SIGNALS").unwrap());
    // No progress line on a stderr that is not a terminal.
    assert!(!stderr(&out).contains("reading calendars"));

    let out = fulcrum(demo(), &["report", "--format", "csv"]);
    let csv = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<&str> = csv.lines().collect();
    assert!(lines[0].starts_with("scope,team,person,week,meeting_hours,"));
    assert_eq!(lines.len(), 1 + 8 * 13);
    assert!(lines.iter().skip(1).all(|l| l.starts_with("team,")));
}

/// Chromium: `FULCRUM_CHROMIUM`, or `chromium` / `chromium-browser` on the PATH.
fn chromium() -> PathBuf {
    if let Some(p) = std::env::var_os("FULCRUM_CHROMIUM") {
        return PathBuf::from(p);
    }
    for name in ["chromium", "chromium-browser"] {
        for dir in std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default()) {
            let p = dir.join(name);
            if p.is_file() {
                return p;
            }
        }
    }
    panic!(
        "chromium not found: the HTML report is checked in a real browser. Install it \
         (`apt-get install -y chromium`, as .ci/run does) or set FULCRUM_CHROMIUM to its path"
    );
}

/// What the browser saw: the DOM, console messages, and requests the page
/// made to anything but `file:` and `data:` URLs.
struct Visit {
    dom: String,
    console: Vec<String>,
    requests: Vec<String>,
}

fn visit(page: &Path, tag: &str) -> Visit {
    let tmp = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("chromium-{tag}"));
    let _ = std::fs::remove_dir_all(&tmp);
    std::fs::create_dir_all(&tmp).unwrap();
    let netlog = tmp.join("net.json");
    let out = Command::new(chromium())
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--enable-logging=stderr",
            "--v=0",
        ])
        .arg(format!("--user-data-dir={}", tmp.join("profile").display()))
        .arg(format!("--log-net-log={}", netlog.display()))
        .arg("--dump-dom")
        .arg(format!("file://{}", page.display()))
        .output()
        .unwrap();
    assert!(out.status.success(), "chromium failed: {}", stderr(&out));
    let console = stderr(&out)
        .lines()
        .filter(|l| l.contains(":CONSOLE"))
        .map(str::to_owned)
        .collect();
    // Requests the page made: URL_REQUEST_START_JOB events whose network
    // isolation key is the page's own site (file://). The browser's own
    // background requests have other keys and are not the page's doing.
    let log: serde_json::Value = serde_json::from_slice(&std::fs::read(&netlog).unwrap()).unwrap();
    let requests = log["events"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|e| {
            let p = &e["params"];
            let url = p["url"].as_str()?;
            let key = p["network_isolation_key"].as_str()?;
            (p["method"].is_string()
                && key.starts_with("file://")
                && !url.starts_with("file:")
                && !url.starts_with("data:"))
            .then(|| url.to_owned())
        })
        .collect();
    Visit {
        dom: String::from_utf8_lossy(&out.stdout).into_owned(),
        console,
        requests,
    }
}

#[test]
fn html_report_renders_in_a_real_browser_without_errors_or_requests() {
    let dir = demo();
    let page = dir.join("report.html");
    let out = fulcrum(dir, &["report", "--format", "html", "--out", "report.html"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let v = visit(&page, "report");
    assert!(v.dom.contains("<h1>Fulcrum report: lumen-labs</h1>"));
    // Trend charts (8 per team), heatmaps and histograms rendered as SVG.
    let charts = v.dom.matches("<svg class=\"chart\"").count();
    assert!(charts >= 8 * 8, "{charts} charts");
    assert!(v.dom.contains("Meetings by hour of the week"));
    assert!(v.dom.contains("id=\"glossary\""));
    assert!(v.console.is_empty(), "console messages: {:?}", v.console);
    assert!(
        v.requests.is_empty(),
        "requests left the page: {:?}",
        v.requests
    );

    // The checks themselves work: a page that logs an error and loads an
    // image from the network is caught.
    let bad = dir.join("bad.html");
    std::fs::write(
        &bad,
        "<!DOCTYPE html><html><body><img src=\"http://example.invalid/x.png\" alt=\"\">\
         <script>console.error('boom')</script></body></html>",
    )
    .unwrap();
    let v = visit(&bad, "control");
    assert!(
        v.console.iter().any(|l| l.contains("boom")),
        "{:?}",
        v.console
    );
    assert_eq!(v.requests, ["http://example.invalid/x.png"]);
}

#[test]
fn the_same_workspace_gives_byte_identical_reports() {
    // Regression: examples that tied were once picked in hash-map order, so
    // two runs could show different examples.
    let dir = demo();
    let run = || {
        let out = fulcrum(dir, &["report", ".", "--format", "json"]);
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        out.stdout
    };
    let (a, b, c) = (run(), run(), run());
    assert!(!a.is_empty());
    assert!(a == b && b == c, "three runs of the same report differ");
}

#[test]
fn the_report_is_the_same_on_one_thread_and_on_many() {
    // Calendars are read and computed in batches of people on a thread
    // pool and folded in list order; one thread (two batches of 32 for the
    // demo's 60 people) and three threads (one batch) must agree to the byte.
    let dir = demo();
    let run = |jobs: &str| {
        let out = fulcrum(dir, &["--jobs", jobs, "report", ".", "--format", "json"]);
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        out.stdout
    };
    let one = run("1");
    assert!(one.len() > 1000);
    assert!(one == run("3"), "one thread and three threads differ");
    assert!(one == run("2"), "one thread and two threads differ");
    let zero = fulcrum(dir, &["--jobs", "0", "report", "."]);
    assert_eq!(zero.status.code(), Some(2));
    assert!(stderr(&zero).contains("--jobs 0"), "{}", stderr(&zero));
}

#[test]
fn problems_are_located_objects_in_json_and_rustc_style_in_the_terminal() {
    // The moves fixture plus three planted problems: a calendar nobody on
    // the list owns, a work-item row whose completion is not a time (line
    // 3), and a [sources] pattern that matches nothing.
    let root = Path::new(env!("CARGO_TARGET_TMPDIR")).join("cli-report-problems");
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
    std::fs::write(
        root.join("calendars/mystery.ics"),
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:m1\r\nDTSTAMP:20250601T000000Z\r\nDTSTART:20250602T090000Z\r\nDTEND:20250602T100000Z\r\nSUMMARY:x\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n",
    )
    .unwrap();
    std::fs::write(
        root.join("work_items.csv"),
        "id,assignee,completed\n1,ana@acme.com,2025-06-02T10:00:00Z\n2,bo@acme.com,last tuesday\n",
    )
    .unwrap();
    let toml = std::fs::read_to_string(fixture.join("fulcrum.toml"))
        .unwrap()
        .replace(
            "calendars = [\"calendars/*.ics\"]",
            "calendars = [\"calendars/*.ics\"]\nwork_items = [\"work_items.csv\"]\npulse = [\"pulse/*.csv\"]",
        );
    std::fs::write(root.join("fulcrum.toml"), toml).unwrap();
    let args = ["report", ".", "--from", "2025-06-02", "--to", "2025-06-08"];
    let out = fulcrum(&root, &[&args[..], &["--format", "json"]].concat());
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["version"], 2);
    let problems = v["problems"].as_array().unwrap();
    let find = |source: &str| {
        problems
            .iter()
            .find(|p| p["source"].as_str().is_some_and(|s| s.ends_with(source)))
            .unwrap_or_else(|| panic!("no problem about {source}: {problems:#?}"))
    };
    let glob = find("fulcrum.toml");
    assert_eq!(glob["severity"], "warning");
    assert!(
        glob["message"].as_str().unwrap().contains("pulse/*.csv"),
        "{glob}"
    );
    let row = find("work_items.csv");
    assert_eq!(row["severity"], "error");
    assert_eq!(row["line"], 3);
    assert_eq!(row["entry"], serde_json::Value::Null);
    assert!(
        row["message"].as_str().unwrap().contains("row skipped"),
        "{row}"
    );
    assert!(
        row["help"].as_str().unwrap().contains("2026-09-01"),
        "{row}"
    );
    let owner = find("mystery.ics");
    assert_eq!(owner["severity"], "error");
    assert!(
        owner["message"]
            .as_str()
            .unwrap()
            .contains("whose calendar"),
        "{owner}"
    );
    assert_eq!(problems.len(), 3, "{problems:#?}");

    let term = fulcrum(&root, &args);
    assert_eq!(term.status.code(), Some(0), "{}", stderr(&term));
    let text = String::from_utf8_lossy(&term.stdout);
    assert!(text.contains("PROBLEMS READING THE SOURCES (3)"), "{text}");
    // What, then where, then what to do, each on its own line.
    assert!(
        text.contains("  error: \"last tuesday\" is not a time; row skipped\n    --> ./work_items.csv:3\n    = help: write times like"),
        "{text}"
    );
}

#[test]
fn a_reader_that_goes_away_is_not_an_error() {
    // Regression: `report --format json | head -1` printed "error: Broken
    // pipe" and exited 2, because the JSON writer's error hid the I/O kind.
    use std::io::Read;
    let mut child = Command::new(env!("CARGO_BIN_EXE_fulcrum"))
        .current_dir(demo())
        .env("FULCRUM_REPORT_KEY", "000102030405060708090a0b0c0d0e0f")
        .args(["report", ".", "--format", "json"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = [0u8; 16];
    child.stdout.take().unwrap().read_exact(&mut first).unwrap();
    // The pipe is closed here, with a megabyte of JSON still to write.
    let out = child.wait_with_output().unwrap();
    assert_eq!(&first[..1], b"{");
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(out.stderr.is_empty(), "{}", stderr(&out));
}

#[test]
fn a_chat_only_workspace_gets_the_window_of_its_chat() {
    // Regression: with no calendar, work items or pulse, the window was the
    // 13 weeks up to today, whatever the chat export held. The Slack
    // fixture's day files run from Monday 6 to Thursday 9 May 2024.
    let root = Path::new(env!("CARGO_TARGET_TMPDIR")).join("cli-report-chat-only");
    let _ = std::fs::remove_dir_all(&root);
    let slack = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../test_data/chat/slack-full");
    copy_dir(&slack, &root.join("chat/slack"));
    let toml = "[team]\nname = \"chat-only\"\ntz = \"Europe/Berlin\"\nworking_hours = \"Mon-Fri 09:00-17:00\"\n\n[sources]\nchat = [\"chat/slack\"]\n\n[[people]]\nemail = \"ana@acme.com\"\nname = \"Ana\"\n\n[[people]]\nemail = \"bo@acme.com\"\nname = \"Bo\"\n";
    std::fs::write(root.join("fulcrum.toml"), toml).unwrap();
    let out = fulcrum(&root, &["report", ".", "--format", "json"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["window"]["from"], "2024-05-06", "{}", v["window"]);
    assert_eq!(v["window"]["to"], "2024-05-09", "{}", v["window"]);
    assert_eq!(v["window"]["rule"], "the span of the data");
    assert_eq!(v["window"]["weeks"], serde_json::json!(["2024-W19"]));
    assert!(
        v["inputs"]["chat"]
            .as_str()
            .unwrap()
            .starts_with("1 exports"),
        "{}",
        v["inputs"]
    );
}

#[test]
fn weeks_after_the_data_are_plans_and_judge_nothing() {
    // The demo's recurring series run on past the export; a window after
    // the data holds only them.
    let last = json_report(&[])["window"]["to"]
        .as_str()
        .unwrap()
        .to_owned();
    let last = chrono::NaiveDate::parse_from_str(&last, "%Y-%m-%d").unwrap();
    let from = (last + chrono::Duration::weeks(4)).to_string();
    let to = (last + chrono::Duration::weeks(16)).to_string();
    let r = json_report(&["--from", &from, "--to", &to]);
    assert_eq!(
        r["findings"].as_array().unwrap().len(),
        0,
        "{}",
        r["findings"]
    );
    for team in r["teams"].as_array().unwrap() {
        assert_eq!(team["verdict"], "not_assessed", "{}", team["team"]);
        assert!(
            team["verdict_text"]
                .as_str()
                .unwrap()
                .contains("after the data ends"),
            "{}",
            team["verdict_text"]
        );
        for week in team["weeks"].as_array().unwrap() {
            assert_eq!(week["signals"]["meeting_share"]["reason"], "after_data");
        }
    }
    let warned = r["problems"].as_array().unwrap().iter().any(|p| {
        p["severity"] == "warning"
            && p["message"]
                .as_str()
                .unwrap()
                .contains("after the data ends")
    });
    assert!(warned, "{}", r["problems"]);
}
