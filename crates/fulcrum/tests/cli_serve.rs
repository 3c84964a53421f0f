//! `fulcrum serve` in a real browser: a small demo workspace is imported,
//! an administrator and a member (a person of the demo) are added with
//! `fulcrum user add`, the server runs as a child process, and Debian's
//! headless Chromium, driven through chromedriver's W3C WebDriver API,
//! signs in through the form, reads the member's team dashboard and own
//! week, signs out, is refused a wrong password, switches the
//! administrator's dashboard to another team (htmx, in place) and reads
//! the user list; a lead starts an experiment for their team from the
//! dashboard (written to fulcrum.toml, judged with its chart on the
//! recomputed dashboard) and ends another one. Every page must load
//! nothing from outside the server and log no console error or warning.
//!
//! Needs the packages `chromium` and `chromium-driver`; without them the
//! test fails with a message naming them (it is never skipped).

#![allow(clippy::unwrap_used)] // Test helpers: a panic is a failed test with its location.

mod common;

use common::browser::{Chromium, ELEMENT, Killed, served_address};
use serde_json::json;
use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const ADMIN: &str = "admin@fulcrum.test";
const ADMIN_PASSWORD: &str = "admin password 0123";
const MEMBER_PASSWORD: &str = "member password 4567";
const LEAD: &str = "lead@fulcrum.test";
const LEAD_PASSWORD: &str = "lead password 8901";

fn fulcrum(dir: &Path, args: &[&str], stdin: Option<&str>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_fulcrum"))
        .current_dir(dir)
        .env("FULCRUM_REPORT_KEY", "000102030405060708090a0b0c0d0e0f")
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

#[test]
fn a_member_and_an_admin_use_the_server_in_chromium() {
    let root = Path::new(env!("CARGO_TARGET_TMPDIR")).join("cli-serve");
    let _ = std::fs::remove_dir_all(&root);
    std::fs::create_dir_all(&root).unwrap();
    ok(&fulcrum(
        &root,
        &["demo", "--out", "demo", "--people", "16", "--weeks", "6"],
        None,
    ));
    let demo = root.join("demo");
    ok(&fulcrum(&demo, &["import"], None));

    // The member is the first person of the demo; the other teams are
    // what they must not see.
    let people = std::fs::read_to_string(demo.join("people.csv")).unwrap();
    let rows: Vec<Vec<&str>> = people
        .lines()
        .skip(1)
        .map(|l| l.split(',').collect())
        .collect();
    let (member, member_name, team) = (rows[0][0], rows[0][1], rows[0][2]);
    let mut others: Vec<&str> = rows.iter().map(|r| r[2]).filter(|t| *t != team).collect();
    others.sort_unstable();
    others.dedup();
    assert!(!others.is_empty(), "the demo has one team only: {people}");

    let added = ok(&fulcrum(
        &demo,
        &["user", "add", ADMIN, "--role", "admin", "--password-stdin"],
        Some(&format!("{ADMIN_PASSWORD}\n")),
    ));
    assert!(
        added.starts_with(&format!("added {ADMIN} (admin)")),
        "{added}"
    );
    assert!(!added.contains(ADMIN_PASSWORD), "{added}");
    let added = ok(&fulcrum(
        &demo,
        &[
            "user",
            "add",
            member,
            "--role",
            "member",
            "--password-stdin",
        ],
        Some(&format!("{MEMBER_PASSWORD}\n")),
    ));
    assert!(
        added.starts_with(&format!("added {member} (member)")),
        "{added}"
    );

    // The lead leads a team the demo plants no experiment on, so a new
    // one cannot overlap.
    let declared: toml::Table =
        toml::from_str(&std::fs::read_to_string(demo.join("fulcrum.toml")).unwrap()).unwrap();
    let busy: Vec<&str> = declared
        .get("experiment")
        .and_then(|e| e.as_array())
        .map(|list| list.iter().filter_map(|e| e["team"].as_str()).collect())
        .unwrap_or_default();
    let lead_team = others
        .iter()
        .copied()
        .find(|t| !busy.contains(t))
        .unwrap_or_else(|| panic!("every team has an experiment: {busy:?}"));
    ok(&fulcrum(
        &demo,
        &[
            "user",
            "add",
            LEAD,
            "--role",
            "lead",
            "--team",
            lead_team,
            "--password-stdin",
        ],
        Some(&format!("{LEAD_PASSWORD}\n")),
    ));

    let log = Arc::new(Mutex::new(Vec::new()));
    // In its guard before anything can fail.
    let mut server = Killed(
        Command::new(env!("CARGO_BIN_EXE_fulcrum"))
            .current_dir(&demo)
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
    let addr = served_address(&mut server.0, Arc::clone(&log));
    let origin = format!("http://{addr}");
    assert!(origin.starts_with("http://127.0.0.1:"), "{origin}");

    let chromium = Chromium::start(&root.join("profile"));
    let browser = &chromium.browser;

    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        // A page without a session leads to the sign-in form.
        browser.go(&format!("{origin}/dashboard"));
        browser.wait_for_path(&origin, "/signin");

        // The member signs in and sees their own team only.
        browser.sign_in(&origin, member, MEMBER_PASSWORD);
        assert_eq!(
            browser.js("return document.title;", json!([])),
            "Dashboard · Fulcrum"
        );
        assert_eq!(browser.text("h1"), "Dashboard");
        assert_eq!(
            browser.text("#report h2.team-title"),
            format!("Team {team}")
        );
        assert_eq!(browser.count("h2.team-title"), 1);
        assert!(
            browser.count("#report article.finding, #report table") > 0,
            "no finding and no signal table in the member's report"
        );
        assert_eq!(browser.count("select#team"), 0, "a member has one team");
        let body = browser.text("body");
        assert!(body.contains(&format!("{member} (member)")), "{body}");
        for other in &others {
            assert!(
                !body.contains(&format!("Team {other}"))
                    && !body.contains(&format!("team-{other}")),
                "the member's dashboard shows team {other}"
            );
            let html = browser
                .js("return document.documentElement.outerHTML;", json!([]))
                .as_str()
                .unwrap()
                .to_owned();
            assert!(
                !html.contains(&format!(">{other}<"))
                    && !html.contains(&format!("id=\"team-{other}\"")),
                "the member's page names team {other}"
            );
        }
        browser.assert_local_only(&origin);
        browser.assert_no_console_errors("/dashboard");

        // Their own week.
        browser.go(&format!("{origin}/me"));
        browser.wait_for_path(&origin, "/me");
        assert_eq!(
            browser.js("return document.title;", json!([])),
            "My week · Fulcrum"
        );
        let me = browser.text("main");
        assert!(me.contains(&format!("{member_name} · team {team}")), "{me}");
        assert!(me.contains("Your weeks"), "{me}");
        // A chart of their own weeks; the numbers in a table below it.
        let charts = browser.count("main svg.chart");
        assert!(charts >= 3, "{charts} charts on /me: {me}");
        let weeks = browser.count("main table tbody tr th[scope=row]");
        assert!(weeks >= 5, "{weeks} week rows on /me: {me}");
        let filled = browser
            .js(
                "return [...document.querySelectorAll('main table td.num')].filter(td => td.textContent.trim() !== '').length;",
                json!([]),
            )
            .as_u64()
            .unwrap();
        assert!(filled > 0, "no signal value on /me: {me}");
        browser.assert_local_only(&origin);
        browser.assert_no_console_errors("/me");

        // Signing out ends the session: the dashboard sends back to sign-in.
        browser.sign_out(&origin);
        browser.go(&format!("{origin}/dashboard"));
        browser.wait_for_path(&origin, "/signin");
        assert_eq!(browser.text("h1"), "Sign in to Fulcrum");

        // A wrong password is refused on the page.
        browser.go(&format!("{origin}/signin"));
        browser.wait_for_path(&origin, "/signin");
        let input = browser.labelled("Email");
        browser.type_into(&input, member);
        let input = browser.labelled("Password");
        browser.type_into(&input, "not the password at all");
        let submit = browser.find("main form button[type=submit]");
        browser.click(&submit);
        let deadline = Instant::now() + Duration::from_secs(10);
        while browser.count("p.error") == 0 {
            assert!(Instant::now() < deadline, "no error after a wrong password");
            std::thread::sleep(Duration::from_millis(50));
        }
        assert_eq!(browser.text("p.error"), "The email or password is wrong.");
        // The 401 of the refused sign-in is the one console message allowed.
        let console = browser.console();
        assert!(
            console.iter().all(|(_, m)| m.contains("401")),
            "{console:#?}"
        );

        // The administrator lists both accounts and may switch teams.
        browser.sign_in(&origin, ADMIN, ADMIN_PASSWORD);
        assert!(browser.count("select#team option") as usize > others.len());
        // On a 420 px wide phone, the evidence tables of the findings
        // fold into rows instead of running off the screen (on the first
        // team with findings).
        browser.call(
            "POST",
            "/window/rect",
            Some(json!({"width": 420, "height": 900})),
        );
        let names: Vec<String> = serde_json::from_value(browser.js(
            "return [...document.querySelectorAll('select#team option')].map(o => o.value);",
            json!([]),
        ))
        .unwrap();
        let mut tables = 0;
        for name in &names {
            browser.go(&format!("{origin}/dashboard?team={name}"));
            browser.wait_for_path(&origin, &format!("/dashboard?team={name}"));
            tables = browser.count("table.evidence");
            if tables > 0 {
                break;
            }
        }
        assert!(tables > 0, "no team with an evidence table: {names:?}");
        browser.js(
            "document.querySelectorAll('details').forEach(d => d.open = true);",
            json!([]),
        );
        let wide = browser.js(
            "const w = document.documentElement.clientWidth; return [...document.querySelectorAll('table.evidence')].filter(t => t.getBoundingClientRect().right > w + 1 || t.scrollWidth > t.clientWidth + 1).length;",
            json!([]),
        );
        assert_eq!(wide, 0, "evidence tables overflow at 420 px");
        browser.call(
            "POST",
            "/window/rect",
            Some(json!({"width": 1280, "height": 900})),
        );
        browser.go(&format!("{origin}/dashboard"));
        browser.wait_for_path(&origin, "/dashboard");
        // Choosing another team swaps the report in place (htmx, under the
        // page's Content-Security-Policy): the page's own state survives.
        let shown = browser.text("#report h2.team-title");
        let other = browser
            .js(
                "const s = document.querySelector('select#team'); return [...s.options].map(o => o.value).filter(v => v !== s.value).pop();",
                json!([]),
            )
            .as_str()
            .unwrap()
            .to_owned();
        assert_ne!(shown, format!("Team {other}"));
        browser.js("window.fulcrumTestMarker = 42;", json!([]));
        let option = browser.find(&format!("select#team option[value=\"{other}\"]"));
        browser.click(&option);
        // htmx pushes the team's URL once the swap has settled.
        let (want, want_url) = (
            format!("Team {other}"),
            format!("{origin}/dashboard?team={other}"),
        );
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let (title, url) = (browser.text("#report h2.team-title"), browser.url());
            if title == want && url == want_url {
                break;
            }
            assert!(
                Instant::now() < deadline,
                "after choosing {other}: {title:?} at {url}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        assert_eq!(
            browser.js("return window.fulcrumTestMarker;", json!([])),
            42,
            "choosing a team reloaded the whole page"
        );
        assert_eq!(browser.count("h1"), 1);
        browser.assert_local_only(&origin);
        browser.assert_no_console_errors("/dashboard?team=");
        browser.go(&format!("{origin}/admin/users"));
        browser.wait_for_path(&origin, "/admin/users");
        assert_eq!(
            browser.js("return document.title;", json!([])),
            "Users · Fulcrum"
        );
        let accounts = browser.js(
            "return [...document.querySelectorAll('main table tbody th[scope=row]')].map(th => th.innerText.trim());",
            json!([]),
        );
        let mut accounts: Vec<&str> = accounts
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap())
            .collect();
        accounts.sort_unstable();
        let mut want = vec![ADMIN, member, LEAD];
        want.sort_unstable();
        assert_eq!(accounts, want);
        browser.assert_local_only(&origin);
        browser.assert_no_console_errors("/admin/users");
        browser.sign_out(&origin);

        // The lead starts an experiment for their team: weeks 4 and 5 of
        // the demo's six (from 2026-09-21), against another team.
        browser.sign_in(&origin, LEAD, LEAD_PASSWORD);
        assert_eq!(
            browser.text("#report h2.team-title"),
            format!("Team {lead_team}")
        );
        assert_eq!(
            browser.text("#experiments-manage h2"),
            "Start or end an experiment"
        );
        let start = browser.labelled("First day of the change");
        browser.js(
            "arguments[0].value = '2026-09-21';",
            json!([{ ELEMENT: start }]),
        );
        let weeks = browser.labelled("Weeks to run it");
        browser.type_into(&weeks, "2");
        let control = browser.labelled("Control teams (comma-separated)");
        browser.type_into(&control, team);
        let submit = browser.find("#experiments-manage form button[type=submit]");
        browser.click(&submit);
        browser.wait_for_path(
            &origin,
            &format!("/dashboard?team={lead_team}&done=experiment-started#experiments"),
        );
        let id = format!("{lead_team}-2026-09-21");
        let toml = std::fs::read_to_string(demo.join("fulcrum.toml")).unwrap();
        assert!(
            toml.contains(&format!("id = \"{id}\""))
                && toml.contains("start = 2026-09-21")
                && toml.contains(&format!("control = [\"{team}\"]")),
            "{toml}"
        );
        let article = format!("#experiments article#x-{id}");
        assert_eq!(browser.count(&article), 1, "no {article} on the dashboard");
        let judged = browser.text(&article);
        assert!(
            judged.contains("focus_hours") || judged.contains("focus hours"),
            "{judged}"
        );
        assert_eq!(
            browser.count(&format!("{article} svg")),
            1,
            "no before/after chart for {id}: {judged}"
        );
        assert!(
            browser
                .text("#report p.notice")
                .contains("added to fulcrum.toml")
        );

        // A second one that started last week is running: "End now"
        // writes today's date as its end.
        let today = chrono::Utc::now().date_naive();
        let last_monday = today
            - chrono::Duration::days(i64::from(
                chrono::Datelike::weekday(&today).num_days_from_monday(),
            ))
            - chrono::Duration::days(7);
        let start = browser.labelled("First day of the change");
        browser.js(
            "arguments[0].value = arguments[1];",
            json!([{ ELEMENT: start }, last_monday.to_string()]),
        );
        let submit = browser.find("#experiments-manage form button[type=submit]");
        browser.click(&submit);
        browser.wait_for_path(
            &origin,
            &format!("/dashboard?team={lead_team}&done=experiment-started#experiments"),
        );
        let running = format!("{lead_team}-{last_monday}");
        // The redirect goes to the same address as the first one, so wait
        // for the new experiment's form rather than for the address.
        let end_form = format!(
            "#experiments-manage form[action=\"/dashboard/experiments/{running}/end\"] button"
        );
        let deadline = Instant::now() + Duration::from_secs(20);
        while browser.count(&end_form) == 0 {
            assert!(
                Instant::now() < deadline,
                "no End now for {running}: {}",
                browser.text("#report")
            );
            std::thread::sleep(Duration::from_millis(100));
        }
        let end = browser.find(&format!(
            "#experiments-manage form[action=\"/dashboard/experiments/{running}/end\"] button"
        ));
        browser.click(&end);
        browser.wait_for_path(
            &origin,
            &format!("/dashboard?team={lead_team}&done=experiment-ended#experiments"),
        );
        let toml = std::fs::read_to_string(demo.join("fulcrum.toml")).unwrap();
        assert!(toml.contains(&format!("ended = {today}")), "{toml}");
        assert_eq!(
            browser.count(&format!(
                "form[action=\"/dashboard/experiments/{running}/end\"]"
            )),
            0,
            "an ended experiment still offers End now"
        );
        browser.assert_local_only(&origin);
        browser.assert_no_console_errors("/dashboard (experiments)");
        browser.sign_out(&origin);
    }));
    drop(chromium);
    drop(server);
    if let Err(panic) = result {
        eprintln!("fulcrum serve log:\n{}", log.lock().unwrap().join("\n"));
        std::panic::resume_unwind(panic);
    }
    // Nothing secret reached the server's log.
    let log = log.lock().unwrap().join("\n");
    assert!(log.contains("path=/dashboard status=200"), "{log}");
    for secret in [ADMIN_PASSWORD, MEMBER_PASSWORD, "fulcrum_session="] {
        assert!(!log.contains(secret), "{secret} in the log");
    }
}
