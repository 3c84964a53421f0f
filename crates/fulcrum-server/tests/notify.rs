//! Reminders against real third-party tools: the daily digest sent to a
//! real SMTP server (Python's `aiosmtpd`, started here, writing what it
//! receives to a Maildir), and the calendar feed read back with Python's
//! `icalendar` (both in scripts/requirements-test.txt). Missing tools fail
//! the test with how to install them; nothing is skipped.

#![allow(clippy::unwrap_used)]

mod common;

use axum::http::{Method, StatusCode};
use chrono::{DateTime, TimeZone, Utc};
use common::*;
use fulcrum_model::workflow::{Ask, AskState, Recipient};
use fulcrum_server::ServerConfig;
use fulcrum_server::notify::{SmtpSettings, send_due_digests};
use fulcrum_store::{Storage, WorkflowItem};
use std::process::{Child, Command, Stdio};

const INSTALL: &str = "install the test tools: pip install -r scripts/requirements-test.txt";

fn utc(d: u32, h: u32, m: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 12, d, h, m, 0).unwrap()
}

/// An `aiosmtpd` server on a free port, stopped when dropped.
struct Smtp {
    child: Child,
    port: u16,
    maildir: std::path::PathBuf,
}

impl Drop for Smtp {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

async fn start_smtp(dir: &std::path::Path) -> Smtp {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let maildir = dir.join("maildir");
    let child = Command::new("python3")
        .args(["-m", "aiosmtpd", "-n", "-l"])
        .arg(format!("127.0.0.1:{port}"))
        .args(["-c", "aiosmtpd.handlers.Mailbox"])
        .arg(&maildir)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot run python3 ({e}): {INSTALL}"));
    let mut smtp = Smtp {
        child,
        port,
        maildir,
    };
    for _ in 0..100 {
        if tokio::net::TcpStream::connect(("127.0.0.1", port))
            .await
            .is_ok()
        {
            return smtp;
        }
        if let Some(status) = smtp.child.try_wait().unwrap() {
            let mut err = String::new();
            use std::io::Read;
            smtp.child
                .stderr
                .take()
                .unwrap()
                .read_to_string(&mut err)
                .unwrap();
            panic!("aiosmtpd exited ({status}): {err}\n{INSTALL}");
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("aiosmtpd did not listen on {port}: {INSTALL}");
}

/// The messages the server received, as text.
fn received(smtp: &Smtp) -> Vec<String> {
    let new = smtp.maildir.join("new");
    let Ok(entries) = std::fs::read_dir(&new) else {
        return Vec::new();
    };
    entries
        .map(|e| std::fs::read_to_string(e.unwrap().path()).unwrap())
        .collect()
}

/// An open ask to Tess (team tiny, Europe/Berlin, Mon-Fri 09:00-17:00),
/// due Tuesday 8 December 2026 15:30 UTC.
async fn ask_to_tess(h: &Harness) -> i64 {
    let now = utc(4, 10, 0);
    h.state
        .store
        .create_workflow_item(
            WorkflowItem::Ask(Ask {
                team: "tiny".into(),
                author: TINY[1].0.into(),
                to: Recipient::Person(TINY[0].0.into()),
                context: "The release notes need a last look.".into(),
                needed: "Approve the release notes".into(),
                respond_in: "the release doc".into(),
                answer_by: None,
                due: Some(utc(8, 15, 30)),
                asked_at: now,
                state: AskState::Open,
            }),
            now,
        )
        .await
        .unwrap()
        .id
}

fn config() -> ServerConfig {
    ServerConfig {
        secure_cookies: false,
        public_url: Some("https://fulcrum.example.com".into()),
        ..ServerConfig::default()
    }
}

#[tokio::test]
async fn one_digest_in_the_persons_morning_over_real_smtp() {
    let h = harness_with(config()).await;
    let id = ask_to_tess(&h).await;
    let smtp = start_smtp(&h.dir.0).await;
    let state = h.state.clone().with_smtp(SmtpSettings {
        host: "127.0.0.1".into(),
        port: smtp.port,
        from: "Fulcrum <fulcrum@example.com>".into(),
        login: None,
        starttls: false,
        digest: true,
    });
    // Berlin is UTC+1 in December. Monday 7 December 07:30 UTC is 08:30
    // in Berlin: before Tess's working day, nothing is sent.
    let run = send_due_digests(&state, utc(7, 7, 30)).await.unwrap();
    assert!(run.due.is_empty(), "{run:?}");
    assert!(received(&smtp).is_empty());
    // 08:05 UTC is 09:05 in Berlin: her morning, one digest, to her only
    // (no one else has anything waiting).
    let run = send_due_digests(&state, utc(7, 8, 5)).await.unwrap();
    assert_eq!(run.sent, [TINY[0].0], "{run:?}");
    assert!(run.failed.is_empty(), "{run:?}");
    let mail = received(&smtp);
    assert_eq!(mail.len(), 1);
    let m = &mail[0];
    assert!(m.contains(&format!("To: {}", TINY[0].0)), "{m}");
    assert!(
        m.contains("Subject: Fulcrum: 1 thing waits on you (Mon 2026-12-07)"),
        "{m}"
    );
    let body: Vec<&str> = m.lines().map(str::trim_end).collect();
    assert!(body.contains(&"Asks waiting on you"), "{m}");
    // Due 15:30 UTC = 16:30 in Berlin, on Tuesday 8 December.
    assert!(
        body.contains(&"- Approve the release notes (due Tue 2026-12-08 16:30 Europe/Berlin)"),
        "{m}"
    );
    assert!(
        body.contains(&format!("  https://fulcrum.example.com/asks/{id}").as_str()),
        "{m}"
    );
    // Later the same day: nothing more (recorded in the store).
    let run = send_due_digests(&state, utc(7, 14, 0)).await.unwrap();
    assert!(run.due.is_empty(), "{run:?}");
    // Saturday 12 December, 11:00 in Berlin: no working day.
    let run = send_due_digests(&state, utc(12, 10, 0)).await.unwrap();
    assert!(run.due.is_empty(), "{run:?}");
    // Tuesday 8, 18:30 in Berlin: after her hours.
    let run = send_due_digests(&state, utc(8, 17, 30)).await.unwrap();
    assert!(run.due.is_empty(), "{run:?}");
    assert_eq!(received(&smtp).len(), 1);
    // The record survives a restart: a new state over the same store
    // sends nothing more on Monday.
    let again = fulcrum_server::AppState::new(
        fulcrum_store::Store::open(&h.url).await.unwrap(),
        (*h.state.snapshot()).clone(),
        h.state.hooks.clone(),
        config(),
    )
    .with_smtp(SmtpSettings {
        host: "127.0.0.1".into(),
        port: smtp.port,
        from: "fulcrum@example.com".into(),
        login: None,
        starttls: false,
        digest: true,
    });
    let run = send_due_digests(&again, utc(7, 9, 0)).await.unwrap();
    assert!(run.due.is_empty(), "{run:?}");
    // A server that is down: the failure is reported, nothing recorded,
    // and the next tick tries again.
    drop(smtp);
    let run = send_due_digests(&again, utc(8, 8, 5)).await.unwrap();
    assert_eq!(run.sent.len(), 0);
    assert_eq!(run.failed.len(), 1, "{run:?}");
    assert!(
        !h.state
            .store
            .digest_sent(
                TINY[0].0.into(),
                chrono::NaiveDate::from_ymd_opt(2026, 12, 8).unwrap()
            )
            .await
            .unwrap()
    );
}

#[tokio::test]
async fn the_calendar_feed_reads_in_icalendar_and_dies_when_revoked() {
    let h = harness_with(config()).await;
    let id = ask_to_tess(&h).await;
    let tess = sign_in(&h.app, TINY[0].0, PASSWORD).await;
    let made = send(
        &h.app,
        request(Method::POST, "/api/v1/me/feed", &tess, &Payload::None),
    )
    .await;
    assert_eq!(made.status, StatusCode::CREATED, "{}", made.body);
    let url = made.json()["url"].as_str().unwrap().to_owned();
    let path = url
        .strip_prefix("https://fulcrum.example.com")
        .unwrap()
        .to_owned();
    assert!(path.starts_with("/feeds/") && path.ends_with("/deadlines.ics"));
    // Only the hash is stored.
    let token = path.split('/').nth(2).unwrap();
    assert!(
        !std::fs::read(&h.db_path)
            .unwrap()
            .windows(token.len())
            .any(|w| w == token.as_bytes())
    );
    let feed = send(
        &h.app,
        request(Method::GET, &path, &As::Anonymous, &Payload::None),
    )
    .await;
    assert_eq!(feed.status, StatusCode::OK);
    let file = h.dir.0.join("feed.ics");
    std::fs::write(&file, &feed.body).unwrap();
    let script = r#"
import sys, icalendar
cal = icalendar.Calendar.from_ical(open(sys.argv[1], 'rb').read())
for e in cal.walk('VEVENT'):
    print(e['UID'], e.decoded('DTSTART').isoformat(), str(e['SUMMARY']), str(e['URL']), sep='|')
"#;
    let out = Command::new("python3")
        .arg("-c")
        .arg(script)
        .arg(&file)
        .output()
        .unwrap_or_else(|e| panic!("cannot run python3 ({e}): {INSTALL}"));
    assert!(
        out.status.success(),
        "python icalendar rejected the feed: {}\n{INSTALL}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    let events: Vec<Vec<&str>> = text.lines().map(|l| l.split('|').collect()).collect();
    assert_eq!(events.len(), 1, "{text}");
    let e = &events[0];
    // The answer-by time as given, in UTC.
    assert_eq!(e[1], "2026-12-08T15:30:00+00:00");
    assert_eq!(e[2], "Answer: Approve the release notes");
    assert_eq!(e[3], format!("https://fulcrum.example.com/asks/{id}"));
    // The UID is the same on the next fetch (a calendar updates the event).
    let again = send(
        &h.app,
        request(Method::GET, &path, &As::Anonymous, &Payload::None),
    )
    .await;
    assert!(again.body.contains(&format!("UID:{}", e[0])));
    // Someone else's feed is not reachable by guessing: a wrong token is 404.
    let wrong = send(
        &h.app,
        request(
            Method::GET,
            "/feeds/nope/deadlines.ics",
            &As::Anonymous,
            &Payload::None,
        ),
    )
    .await;
    assert_eq!(wrong.status, StatusCode::NOT_FOUND);
    // Revoked: the URL is dead; revoking again is 404.
    let gone = send(
        &h.app,
        request(Method::DELETE, "/api/v1/me/feed", &tess, &Payload::None),
    )
    .await;
    assert_eq!(gone.status, StatusCode::NO_CONTENT);
    let dead = send(
        &h.app,
        request(Method::GET, &path, &As::Anonymous, &Payload::None),
    )
    .await;
    assert_eq!(dead.status, StatusCode::NOT_FOUND);
    let twice = send(
        &h.app,
        request(Method::DELETE, "/api/v1/me/feed", &tess, &Payload::None),
    )
    .await;
    assert_eq!(twice.status, StatusCode::NOT_FOUND);
}
