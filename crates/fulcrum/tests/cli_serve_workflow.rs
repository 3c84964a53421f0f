//! The async workflow end to end, with the real `fulcrum` binary, a real
//! store (a SQLite file), a real SMTP server (`aiosmtpd`) and a real
//! browser (headless Chromium over WebDriver): people of one team write
//! and answer an ask, take stances on a proposal its lead closes, keep a
//! meeting record of a calendar meeting picked from the store; the
//! morning digest of the one ask left open reaches its recipient; the
//! team's page, the report from the store and the dashboard show what
//! was written; the pages fit a phone and label every input; no page
//! logs a console error.
//!
//! Needs `chromium`, `chromium-driver` and `aiosmtpd`
//! (scripts/requirements-test.txt); without them the test fails naming
//! them (it is never skipped).

#![allow(clippy::unwrap_used)] // Test helpers: a panic is a failed test with its location.

mod common;

use chrono::{Datelike, Duration as Days, NaiveDate, NaiveTime, TimeZone, Utc, Weekday};
use chrono_tz::Tz;
use common::browser::{Browser, Chromium, Killed, served_address};
use common::smtp::Smtp;
use serde_json::{Value, json};
use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::sync::{Arc, Mutex};

const PASSWORD: &str = "workflow password 2468";
const ASK: &str = "Approve the new refund limits";
const OPEN_ASK: &str = "Confirm the on-call rota for January";
const ANSWER: &str = "Approved, with the limits of the pre-read.";
const PROPOSAL: &str = "Replace the Thursday standup with written updates";
const REASON: &str = "Standups catch blockers early";
const OUTCOME: &str = "Written updates from next week; we look again in a month.";
const SUMMARY: &str = "We agreed the refund limits and who writes the runbook.";

fn fulcrum(dir: &Path, args: &[&str], stdin: Option<&str>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_fulcrum"))
        .current_dir(dir)
        .env("FULCRUM_REPORT_KEY", "000102030405060708090a0b0c0d0e0f")
        .env_remove("FULCRUM_DATABASE_URL")
        .env_remove("FULCRUM_WORKSPACE")
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut input = child.stdin.take().unwrap();
    if let Some(text) = stdin {
        input.write_all(text.as_bytes()).unwrap();
    }
    drop(input);
    child.wait_with_output().unwrap()
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

/// `fulcrum serve` of the workspace on a free port; its origin.
fn serve(ws: &Path, log: &Arc<Mutex<Vec<String>>>) -> (Killed, String) {
    let mut server = Killed(
        Command::new(env!("CARGO_BIN_EXE_fulcrum"))
            .current_dir(ws)
            .env("FULCRUM_REPORT_KEY", "000102030405060708090a0b0c0d0e0f")
            .env_remove("FULCRUM_DATABASE_URL")
            .env_remove("FULCRUM_WORKSPACE")
            .args([
                "serve",
                ".",
                "--listen",
                "127.0.0.1:0",
                "--insecure-cookies",
            ])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap(),
    );
    let addr = served_address(&mut server.0, Arc::clone(log));
    (server, format!("http://{addr}"))
}

/// A row of people.csv.
#[derive(Clone, Debug)]
struct Person {
    email: String,
    team: String,
    tz: Tz,
    hours: String,
}

fn people(ws: &Path) -> Vec<Person> {
    std::fs::read_to_string(ws.join("people.csv"))
        .unwrap()
        .lines()
        .skip(1)
        .map(|l| {
            let f: Vec<&str> = l.split(',').collect();
            Person {
                email: f[0].to_owned(),
                team: f[2].to_owned(),
                tz: f[3].parse().unwrap(),
                hours: f[4].to_owned(),
            }
        })
        .collect()
}

/// The working days and the start of the working day of `Mon-Fri
/// 09:00-17:00` (the first range of a split day: `Mon-Fri 08:30-12:30
/// 13:30-17:30` starts at 08:30).
fn working_mornings(hours: &str) -> (Vec<Weekday>, NaiveTime) {
    let (days, ranges) = hours.split_once(' ').unwrap();
    let (first, last) = days.split_once('-').unwrap();
    let (first, last): (Weekday, Weekday) = (first.parse().unwrap(), last.parse().unwrap());
    let mut list = vec![first];
    let mut d = first;
    while d != last {
        d = d.succ();
        list.push(d);
    }
    let start = ranges.split_once('-').unwrap().0;
    (list, NaiveTime::parse_from_str(start, "%H:%M").unwrap())
}

/// The local dates an all-day event of this calendar covers: a day the
/// person may be away (a holiday, out of office), which the digest skips.
/// Every all-day event counts here, a superset of the days away, so the
/// morning chosen is one the person works.
fn all_day_dates(ics: &str) -> Vec<NaiveDate> {
    let mut out = Vec::new();
    let mut start = None;
    for line in ics.lines() {
        let line = line.trim_end();
        if let Some(d) = line.strip_prefix("DTSTART;VALUE=DATE:") {
            start = NaiveDate::parse_from_str(d, "%Y%m%d").ok();
        } else if let Some(d) = line.strip_prefix("DTEND;VALUE=DATE:") {
            if let (Some(s), Ok(e)) = (start.take(), NaiveDate::parse_from_str(d, "%Y%m%d")) {
                out.extend(s.iter_days().take_while(|x| *x < e));
            }
        } else if line == "END:VEVENT" {
            out.extend(start.take());
        }
    }
    out
}

/// The value of `name` in a link's query, percent-decoded.
fn query_param(href: &str, name: &str) -> String {
    let query = href.split_once('?').map_or("", |(_, q)| q);
    let raw = query
        .split('&')
        .find_map(|kv| kv.strip_prefix(&format!("{name}=")))
        .unwrap_or_else(|| panic!("no {name} in {href}"));
    let bytes = raw.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' => {
                out.push(u8::from_str_radix(&raw[i + 1..i + 3], 16).unwrap());
                i += 3;
            }
            b'+' => {
                out.push(b' ');
                i += 1;
            }
            c => {
                out.push(c);
                i += 1;
            }
        }
    }
    String::from_utf8(out).unwrap()
}

/// Whether an event with this UID in the workspace's calendars links
/// anything (`http://`, `https://`, `www.`): a link among notes words is
/// a notes link, which `hygiene_summary` counts without a record.
fn invite_has_link(ws: &Path, uid: &str) -> bool {
    let uid_line = format!("UID:{uid}");
    std::fs::read_dir(ws.join("calendars")).unwrap().any(|f| {
        let ics = std::fs::read_to_string(f.unwrap().path()).unwrap_or_default();
        // Folded lines joined (RFC 5545: CRLF and one space).
        let ics = ics.replace("\r\n ", "").replace("\n ", "");
        ics.split("BEGIN:VEVENT").any(|event| {
            event.lines().any(|l| l.trim_end() == uid_line)
                && ["http://", "https://", "www."]
                    .iter()
                    .any(|m| event.contains(m))
        })
    })
}

/// The report's value of `signal` for `team` in ISO week `week`.
fn signal(report: &Value, team: &str, week: &str, signal: &str) -> Value {
    let t = report["teams"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["team"] == team)
        .unwrap_or_else(|| panic!("no team {team} in the report"));
    let w = t["weeks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|w| w["week"] == week)
        .unwrap_or_else(|| panic!("no week {week} for {team}: {}", t["weeks"]));
    w["signals"][signal].clone()
}

fn report(ws: &Path, from: NaiveDate, to: NaiveDate) -> Value {
    let out = ok(&fulcrum(
        ws,
        &[
            "report",
            ".",
            "--store",
            "--format",
            "json",
            "--from",
            &from.to_string(),
            "--to",
            &to.to_string(),
        ],
        None,
    ));
    serde_json::from_str(&out).unwrap()
}

/// Submits the form whose `action` is `action` with its submit button.
fn submit(browser: &Browser, action: &str) {
    let button = browser.find(&format!(
        "form[action=\"{action}\"] button[type=submit]:not([name=send_anyway])"
    ));
    browser.click(&button);
}

/// Waits until the page is `/PREFIX/N` (a created object) and returns N.
fn wait_for_created(browser: &Browser, origin: &str, prefix: &str) -> u64 {
    let want = format!("{origin}{prefix}/");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    loop {
        let url = browser.url();
        if let Some(id) = url.strip_prefix(&want).and_then(|r| r.parse().ok()) {
            browser.wait_for_path(origin, &format!("{prefix}/{id}"));
            return id;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "not created, still at {url}: {}",
            browser.text("main")
        );
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
}

fn open(browser: &Browser, origin: &str, path: &str) {
    browser.go(&format!("{origin}{path}"));
    browser.wait_for_path(origin, path);
}

#[test]
fn a_team_works_in_writing_through_the_server_in_chromium() {
    let root = Path::new(env!("CARGO_TARGET_TMPDIR")).join("cli-serve-workflow");
    let _ = std::fs::remove_dir_all(&root);
    std::fs::create_dir_all(&root).unwrap();
    let now = Utc::now();

    // The demo's two weeks end with this one, so the picker (14 days
    // around now) offers this week's meetings and the report from the
    // store has calendars for it. "This week" is the team's: a local date
    // is at most 12 h behind UTC and 14 h ahead, so it is the date of
    // now + 14 h or the day before, and the two weeks ending with the
    // week of now + 14 h hold it whatever the team's zone.
    let latest = (now + Days::hours(14)).date_naive();
    let this_monday = latest - Days::days(i64::from(latest.weekday().num_days_from_monday()));
    let start = this_monday - Days::days(7);
    ok(&fulcrum(
        &root,
        &[
            "demo",
            "--out",
            "ws",
            "--people",
            "16",
            "--weeks",
            "2",
            "--start",
            &start.to_string(),
        ],
        None,
    ));
    let ws = root.join("ws");

    // A, B and the lead L: people of the first person's team in the same
    // zone (so "this week" is the same week for the three of them); C:
    // someone of another team.
    let everyone = people(&ws);
    let first = everyone[0].clone();
    let mates: Vec<&Person> = everyone
        .iter()
        .filter(|p| p.team == first.team && p.tz == first.tz)
        .collect();
    assert!(mates.len() >= 3, "{mates:?}");
    let (a, b, l) = (mates[0], mates[1], mates[2]);
    let c = everyone.iter().find(|p| p.team != first.team).unwrap();
    let team = first.team.as_str();
    let zone = first.tz;
    let team_emails: Vec<&str> = everyone
        .iter()
        .filter(|p| p.team == team)
        .map(|p| p.email.as_str())
        .collect();

    let smtp = Smtp::start(&root);
    // Team aggregates for groups of one; the digest settings, with the
    // server's own schedule off (`digest = false`): the test sends the
    // digest at a chosen time with `fulcrum notify send`, and the schedule
    // is tested in crates/fulcrum-server/tests/notify.rs.
    let toml = std::fs::read_to_string(ws.join("fulcrum.toml")).unwrap();
    assert!(toml.contains("min_group_size = 5"), "{toml}");
    std::fs::write(
        ws.join("fulcrum.toml"),
        format!(
            "{}\n[notify]\nhost = \"127.0.0.1\"\nport = {}\nstarttls = false\nfrom = \"Fulcrum <fulcrum@lumenlabs.example>\"\ndigest = false\n",
            toml.replace("min_group_size = 5", "min_group_size = 1"),
            smtp.port
        ),
    )
    .unwrap();
    ok(&fulcrum(&ws, &["import"], None));

    // This week on the team's clock, and the report of it before anything
    // is written: the meeting record's summary must add to it.
    let local_today = now.with_timezone(&zone).date_naive();
    let week_monday =
        local_today - Days::days(i64::from(local_today.weekday().num_days_from_monday()));
    let week_sunday = week_monday + Days::days(6);
    let week = format!(
        "{}-W{:02}",
        week_monday.iso_week().year(),
        week_monday.iso_week().week()
    );
    assert!(
        start <= week_monday && week_monday <= this_monday,
        "{week} is not among the demo's weeks from {start}"
    );
    let before = report(&ws, week_monday, week_sunday);
    let hygiene_before = signal(&before, team, &week, "hygiene_summary");
    assert!(
        signal(&before, team, &week, "written_ask_latency")["value"].is_null(),
        "an ask latency before any ask"
    );

    for (who, role) in [(a, "member"), (b, "member"), (c, "member")] {
        ok(&fulcrum(
            &ws,
            &[
                "user",
                "add",
                &who.email,
                "--role",
                role,
                "--password-stdin",
            ],
            Some(&format!("{PASSWORD}\n")),
        ));
    }
    ok(&fulcrum(
        &ws,
        &[
            "user",
            "add",
            &l.email,
            "--role",
            "lead",
            "--team",
            team,
            "--password-stdin",
        ],
        Some(&format!("{PASSWORD}\n")),
    ));

    let log = Arc::new(Mutex::new(Vec::new()));
    let (server, origin) = serve(&ws, &log);
    let chromium = Chromium::start(&root.join("profile"));
    let browser = &chromium.browser;
    let mut server = Some(server);

    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        // A writes an ask to B through the coaching form, `normal` SLA.
        browser.sign_in(&origin, &a.email, PASSWORD);
        open(browser, &origin, &format!("/asks/new?team={team}"));
        browser.select(&browser.labelled("To"), &b.email);
        browser.type_into(
            &browser.labelled("Context"),
            "Refunds above 500 EUR wait a day for approval.",
        );
        browser.type_into(&browser.labelled("Decision or answer needed"), ASK);
        browser.select(&browser.labelled("SLA class"), "normal");
        browser.type_into(&browser.labelled("Where to respond"), "the refunds doc");
        browser.assert_no_console_errors("/asks/new");
        submit(browser, "/asks");
        let ask = wait_for_created(browser, &origin, "/asks");
        let page = browser.text("main");
        assert!(page.contains(&format!("Ask {ask} · team {team}")), "{page}");
        assert!(
            page.contains(&format!("to {}", b.email)) && page.contains("open"),
            "{page}"
        );
        assert!(page.contains(ASK), "{page}");
        browser.assert_no_console_errors("/asks/ID");
        browser.sign_out(&origin);

        // B finds it on their home, opens it and answers it.
        browser.sign_in(&origin, &b.email, PASSWORD);
        open(browser, &origin, "/me");
        let waits = browser.text("section[aria-labelledby=waits-me-asks]");
        assert!(waits.contains(ASK), "{waits}");
        let link = browser.find(&format!(
            "section[aria-labelledby=waits-me-asks] a[href=\"/asks/{ask}\"]"
        ));
        browser.click(&link);
        browser.wait_for_path(&origin, &format!("/asks/{ask}"));
        browser.type_into(&browser.labelled("Your answer"), ANSWER);
        submit(browser, &format!("/asks/{ask}/answer"));
        let page = browser.wait_for_text("main", ANSWER);
        assert!(page.contains("answered"), "{page}");
        assert_eq!(
            browser.count("form[action$=\"/answer\"]"),
            0,
            "an answered ask still offers its answer form"
        );
        // Off B's home once answered.
        open(browser, &origin, "/me");
        let waits = browser.text("section[aria-labelledby=waits-me-asks]");
        assert!(!waits.contains(ASK), "{waits}");
        browser.assert_no_console_errors("/me (B)");
        browser.sign_out(&origin);

        // L opens a proposal.
        browser.sign_in(&origin, &l.email, PASSWORD);
        open(browser, &origin, &format!("/decisions/new?team={team}"));
        browser.type_into(&browser.labelled("Proposal (one line)"), PROPOSAL);
        browser.type_into(
            &browser.labelled("Context and options"),
            "Option 1: keep it. Option 2: a written update by Thursday noon.",
        );
        // Its type sets the closing time (the type's SLA from now) and
        // its route.
        browser.select(
            &browser.labelled("Decision type (from the team's policy)"),
            "architecture",
        );
        submit(browser, "/decisions");
        let proposal = wait_for_created(browser, &origin, "/decisions");
        assert_eq!(browser.text("h1"), PROPOSAL);
        let page = browser.text("main");
        assert!(page.contains("route says: decide in writing"), "{page}");
        browser.assert_no_console_errors("/decisions/new");
        browser.sign_out(&origin);

        // A agrees; B disagrees, with a reason.
        let path = format!("/decisions/{proposal}");
        for (who, position, reason) in [(a, "agree", ""), (b, "disagree", REASON)] {
            browser.sign_in(&origin, &who.email, PASSWORD);
            open(browser, &origin, &path);
            browser.select(&browser.labelled("Your stance"), position);
            if !reason.is_empty() {
                browser.type_into(&browser.labelled("Reason (needed for a block)"), reason);
            }
            submit(browser, &format!("{path}/stance"));
            let row = browser.wait_for_text("main table", &who.email);
            let mine = row.lines().find(|r| r.contains(&who.email)).unwrap();
            assert!(mine.contains(position), "{row}");
            assert!(mine.contains(reason), "{row}");
            browser.assert_no_console_errors("/decisions/ID (stance)");
            browser.sign_out(&origin);
        }

        // L closes it with an outcome.
        browser.sign_in(&origin, &l.email, PASSWORD);
        open(browser, &origin, &path);
        let tally = browser.text("main");
        assert!(tally.contains(REASON), "{tally}");
        browser.type_into(&browser.labelled("Outcome"), OUTCOME);
        submit(browser, &format!("{path}/close"));
        let page = browser.wait_for_text("main", OUTCOME);
        assert_eq!(
            browser.count("form[action$=\"/stance\"], form[action$=\"/close\"]"),
            0,
            "a closed proposal still takes stances: {page}"
        );
        browser.assert_no_console_errors("/decisions/ID (closed)");

        // L keeps a record of a meeting of this week that someone of the
        // team organized and L is on, picked from the calendar.
        open(browser, &origin, &format!("/meetings/new?team={team}"));
        let rows: Vec<(String, String)> = serde_json::from_value(browser.js(
            "return [...document.querySelectorAll('ul.picker li')].map(li => [li.innerText, li.querySelector('a').getAttribute('href')]);",
            json!([]),
        ))
        .unwrap();
        assert!(
            !rows.is_empty(),
            "the picker offers no meeting: {}",
            browser.text("main")
        );
        let (row, href) = rows
            .iter()
            .find(|(text, href)| {
                let organizer = text.rsplit("organized by ").next().unwrap().trim();
                let organizer = organizer.split(' ').next().unwrap();
                let date = text
                    .split(" · ")
                    .nth(1)
                    .and_then(|s| s.split(' ').nth(1))
                    .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok());
                // One L is on, so its title is shown to them, and whose
                // invite links nothing (so no notes link counts it as
                // summarized already).
                !text.starts_with("a meeting you are not on")
                    && team_emails.contains(&organizer)
                    && date.is_some_and(|d| week_monday <= d && d <= week_sunday)
                    && !invite_has_link(&ws, &query_param(href, "meeting"))
            })
            .unwrap_or_else(|| {
                panic!("no meeting of this week organized in {team} without a link: {rows:#?}")
            });
        let pick = browser.find(&format!(
            "ul.picker a[href=\"{}\"]",
            href.replace('"', "\\\"")
        ));
        browser.click(&pick);
        let status = browser.wait_for_text("#pick p[role=status]", "Filled in from the calendar");
        let title = row.split(" · ").next().unwrap().to_owned();
        assert!(status.contains(&title), "{status} / {row}");
        assert_ne!(
            browser.js(
                "return document.getElementById('m-meeting_uid').value;",
                json!([])
            ),
            "",
            "picking filled in no UID"
        );
        browser.assert_no_console_errors("/meetings/new (picked)");
        submit(browser, "/meetings");
        let record = wait_for_created(browser, &origin, "/meetings");
        assert_eq!(browser.text("h1"), title);
        assert_eq!(
            browser.count("main h2 + p.text"),
            0,
            "a summary before it was written"
        );
        // Then its summary.
        browser.type_into(&browser.labelled("Summary"), SUMMARY);
        submit(browser, &format!("/meetings/{record}"));
        browser.wait_for_path(&origin, &format!("/meetings/{record}"));
        let page = browser.wait_for_text("main", SUMMARY);
        assert!(!page.contains("summary missing"), "{page}");
        browser.assert_no_console_errors("/meetings/ID");
        browser.sign_out(&origin);

        // B's next working morning on B's clock: the first start of a
        // working day after now, on a working weekday without an all-day
        // event in B's calendar.
        let (days, morning) = working_mornings(&b.hours);
        let away = all_day_dates(
            &std::fs::read_to_string(
                ws.join("calendars")
                    .join(format!("{}.ics", b.email.split('@').next().unwrap())),
            )
            .unwrap_or_default(),
        );
        let b_today = now.with_timezone(&b.tz).date_naive();
        let (b_day, t) = b_today
            .iter_days()
            .filter(|d| days.contains(&d.weekday()) && !away.contains(d))
            .map(|d| {
                let t = b.tz.from_local_datetime(&d.and_time(morning)).unwrap();
                (d, t.with_timezone(&Utc))
            })
            .find(|(_, t)| *t > now)
            .unwrap();

        // A leaves one more ask open to B: a deadline a week after that
        // morning, at 15:00 on B's clock (typed without an offset: the
        // recipient's local time).
        let due_day = b_day + Days::days(7);
        let due_label = format!("{} 15:00 {}", due_day.format("%a %Y-%m-%d"), b.tz.name());
        browser.sign_in(&origin, &a.email, PASSWORD);
        open(browser, &origin, &format!("/asks/new?team={team}"));
        browser.select(&browser.labelled("To"), &b.email);
        browser.type_into(
            &browser.labelled("Context"),
            "The January rota has two gaps.",
        );
        browser.type_into(&browser.labelled("Decision or answer needed"), OPEN_ASK);
        // No SLA class (the form preselects one): the deadline instead.
        browser.select(&browser.labelled("SLA class"), "");
        browser.set_value(
            &browser.labelled("or a deadline (the recipient's local time)"),
            &format!("{due_day}T15:00"),
        );
        browser.type_into(&browser.labelled("Where to respond"), "the rota sheet");
        submit(browser, "/asks");
        let open_ask = wait_for_created(browser, &origin, "/asks");
        // A is in B's zone: the page shows the due time on A's clock,
        // which is B's here.
        let page = browser.text("main");
        assert!(page.contains(&due_label), "{due_label} / {page}");

        // The team's page: the open ask, waiting on B.
        open(browser, &origin, &format!("/waits?team={team}"));
        let item = browser
            .js(
                "return [...document.querySelectorAll('main li')].map(li => li.innerText).find(t => t.includes(arguments[0])) || '';",
                json!([OPEN_ASK]),
            )
            .as_str()
            .unwrap()
            .to_owned();
        assert!(
            item.contains(&format!("waits on {}", b.email)),
            "{item:?}: {}",
            browser.text("main")
        );
        assert!(item.contains(&due_label), "{item}");
        // The answered ask waits on nobody.
        assert!(!browser.text("main").contains(ASK));
        browser.assert_no_console_errors("/waits");

        // On a 420 px wide phone the workflow's pages do not scroll
        // sideways and every input has its label.
        browser.call(
            "POST",
            "/window/rect",
            Some(json!({"width": 420, "height": 900})),
        );
        for page in [
            "/me".to_owned(),
            format!("/asks/new?team={team}"),
            format!("/decisions/{proposal}"),
            format!("/updates?team={team}"),
            // And the other pages of the story.
            format!("/asks/{open_ask}"),
            format!("/waits?team={team}"),
            format!("/meetings/new?team={team}"),
            format!("/meetings/{record}"),
        ] {
            open(browser, &origin, &page);
            browser.assert_fits_and_labelled(&page);
            browser.assert_local_only(&origin);
            browser.assert_no_console_errors(&page);
        }
        browser.call(
            "POST",
            "/window/rect",
            Some(json!({"width": 1280, "height": 900})),
        );
        browser.sign_out(&origin);

        // C, of another team, does not see the proposal: "not found".
        browser.sign_in(&origin, &c.email, PASSWORD);
        browser.go(&format!("{origin}{path}"));
        let page = browser.wait_for_text("main", "404 Not Found");
        assert!(
            page.contains(&format!(
                "no ask, proposal or meeting record {proposal} of your teams"
            )),
            "{page}"
        );
        assert!(!page.contains(PROPOSAL), "{page}");
        let console = browser.console();
        assert!(
            console.iter().all(|(_, m)| m.contains("404")),
            "{console:#?}"
        );
        open(browser, &origin, "/dashboard");
        browser.sign_out(&origin);

        // The morning digest: exactly one message, to B, naming the open
        // ask and its due time on B's clock.
        let sent = ok(&fulcrum(
            &ws,
            &[
                "notify",
                "send",
                "--workspace",
                ".",
                "--now",
                &t.to_rfc3339(),
            ],
            None,
        ));
        assert!(sent.contains("1 sent, 0 failed"), "{sent}");
        let mail = smtp.received();
        assert_eq!(mail.len(), 1, "{mail:#?}");
        let m = &mail[0];
        assert!(m.contains(&format!("To: {}", b.email)), "{m}");
        // One thing waits on B: the open ask (the first one is answered,
        // the proposal closed, no action item, no update habit yet).
        assert!(
            m.contains(&format!(
                "Subject: Fulcrum: 1 thing waits on you ({})",
                b_day.format("%a %Y-%m-%d")
            )),
            "{m}"
        );
        let text = common::smtp::body(m);
        let body: Vec<&str> = text.lines().map(str::trim_end).collect();
        let line = format!("- {OPEN_ASK} (due {due_label})");
        assert!(body.contains(&line.as_str()), "{line}\n{text}");
        assert!(
            body.contains(&format!("  /asks/{open_ask}").as_str()),
            "{m}"
        );
        assert!(!m.contains(ASK), "{m}");

        // The report from the store, this week on the team's clock.
        let after = report(&ws, week_monday, week_sunday);
        // One ask answered within the test's minutes: its latency is at
        // most those minutes of business time (0 outside B's hours).
        let latency = signal(&after, team, &week, "written_ask_latency");
        let hours = latency["value"]
            .as_f64()
            .unwrap_or_else(|| panic!("{latency}"));
        assert!((0.0..0.05).contains(&hours), "{latency}");
        // Of the asks whose outcome is known, the answered one was on
        // time (the open one is not due yet, so it is left out): 0 / 1.
        let breach = signal(&after, team, &week, "written_ask_breach_rate");
        assert_eq!(breach["value"].as_f64(), Some(0.0), "{breach}");
        // One proposal closed this week, listed by no meeting record:
        // 1 / 1 decided without a meeting.
        let share = signal(&after, team, &week, "async_decision_share");
        assert_eq!(share["value"].as_f64(), Some(1.0), "{share}");
        let latency = signal(&after, team, &week, "decision_latency");
        assert!(latency["value"].as_f64().is_some(), "{latency}");
        // The record's summary counts for its calendar meeting, whose
        // invite had no notes link: of the same meetings the team
        // organized that week (`whole`), one more has a summary (`part`):
        // part / whole becomes (part + 1) / whole.
        let hygiene_after = signal(&after, team, &week, "hygiene_summary");
        let (part, whole) = (
            hygiene_before["part"]
                .as_f64()
                .unwrap_or_else(|| panic!("{hygiene_before}")),
            hygiene_before["whole"].as_f64().unwrap(),
        );
        assert!(whole >= 1.0, "{hygiene_before}");
        assert_eq!(
            hygiene_after["whole"].as_f64(),
            Some(whole),
            "{hygiene_after}"
        );
        assert_eq!(
            hygiene_after["part"].as_f64(),
            Some(part + 1.0),
            "{hygiene_after}"
        );
        let want = (part + 1.0) / whole;
        let is = hygiene_after["value"].as_f64().unwrap();
        assert!(
            (is - want).abs() < 1e-6,
            "{hygiene_before} -> {hygiene_after}"
        );

        // The dashboard after a restart (the snapshot is read from the
        // store at start): the team's section has the written workflow.
        drop(server.take());
        let (again, origin) = serve(&ws, &log);
        server = Some(again);
        browser.sign_in(&origin, &l.email, PASSWORD);
        // The team's section is folded: open it as a person would.
        let summary = browser.find(&format!("details#team-{team} > summary"));
        browser.click(&summary);
        let section = browser.wait_for_text(&format!("details#team-{team}"), "Written workflow");
        assert!(
            section.contains("Proposals decided without a meeting"),
            "{section}"
        );
        browser.assert_local_only(&origin);
        browser.assert_no_console_errors("/dashboard");
        browser.sign_out(&origin);
    }));
    drop(chromium);
    drop(server);
    if let Err(panic) = result {
        eprintln!("fulcrum serve log:\n{}", log.lock().unwrap().join("\n"));
        std::panic::resume_unwind(panic);
    }
    let log = log.lock().unwrap().join("\n");
    assert!(!log.contains(PASSWORD), "a password in the log");
}

#[test]
fn working_mornings_read_the_people_list_hours() {
    // Monday to Friday from 09:00; a split day starts with its first range.
    let (days, t) = working_mornings("Mon-Fri 09:00-17:00");
    assert_eq!(
        days,
        [
            Weekday::Mon,
            Weekday::Tue,
            Weekday::Wed,
            Weekday::Thu,
            Weekday::Fri
        ]
    );
    assert_eq!(t, NaiveTime::from_hms_opt(9, 0, 0).unwrap());
    let (days, t) = working_mornings("Mon-Thu 08:30-12:30 13:30-17:30");
    assert_eq!(days.len(), 4);
    assert_eq!(t, NaiveTime::from_hms_opt(8, 30, 0).unwrap());
}
