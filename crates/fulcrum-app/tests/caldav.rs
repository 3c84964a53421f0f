//! CalDAV sources against real servers: Radicale and Xandikos (from pip,
//! `scripts/requirements-test.txt`), each started by the test on a free
//! port with temporary storage and loaded with the project's fixtures, one
//! resource per UID as CalDAV clients store them.
//!
//! - `radicale_*_store_gives_the_files_report`: the golden workspace's ten
//!   calendars (Google and Outlook dialects) synced into SQLite and into
//!   PostgreSQL give the report of the same files; an unchanged account
//!   costs one request; an edit, a deletion and a new event arrive through
//!   `sync-collection`, exactly those, and the report still equals the
//!   files'.
//! - `xandikos_sync_*`: the Google, Outlook and Apple samples on Xandikos:
//!   the same story, and the incremental store equals a fresh full sync.
//! - wrong password, server down, unknown calendar: a located problem, and
//!   the store keeps what it had.

#![allow(clippy::unwrap_used)] // Tests: a panic is a failed test with its location.

use base64::Engine as _;
use fulcrum_app::report::{Computed, ReportRequest, compute_report};
use fulcrum_app::stored::{ImportSummary, compute_from_store, import_workspace};
use fulcrum_store::{Storage, Store};
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, Instant};

static NEXT: AtomicU32 = AtomicU32::new(0);

fn temp_dir(what: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "fulcrum-caldav-{what}-{}-{}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::SeqCst)
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../test_data")
}

// ---- servers ------------------------------------------------------------------

/// A CalDAV server process, killed and its storage removed on drop.
struct Server {
    child: Child,
    port: u16,
    dir: PathBuf,
    /// Username and password (Radicale); Xandikos has no authentication.
    login: Option<(String, String)>,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn wait_until_up(child: &mut Child, port: u16, name: &str) {
    let start = Instant::now();
    while start.elapsed() < Duration::from_secs(60) {
        if TcpStream::connect(("127.0.0.1", port)).is_ok() {
            return;
        }
        if let Some(status) = child.try_wait().unwrap() {
            panic!(
                "{name} exited at start ({status}); install it with pip (scripts/requirements-test.txt)"
            );
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    panic!("{name} did not listen on port {port} within 60 s");
}

/// Radicale with one account, `harbor` / `s3cret`.
fn radicale() -> Server {
    let dir = temp_dir("radicale");
    std::fs::write(dir.join("users"), "harbor:s3cret\n").unwrap();
    let port = free_port();
    let mut child = Command::new("python3")
        .args(["-m", "radicale", "--config", ""])
        .arg("--server-hosts")
        .arg(format!("127.0.0.1:{port}"))
        .arg("--storage-filesystem-folder")
        .arg(dir.join("collections"))
        .args([
            "--auth-type",
            "htpasswd",
            "--auth-htpasswd-encryption",
            "plain",
        ])
        .arg("--auth-htpasswd-filename")
        .arg(dir.join("users"))
        .args(["--auth-delay", "0", "--rights-type", "owner_only"])
        .args(["--logging-level", "warning"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("python3 must be installed, with radicale (scripts/requirements-test.txt)");
    wait_until_up(&mut child, port, "radicale");
    let server = Server {
        child,
        port,
        dir,
        login: Some(("harbor".into(), "s3cret".into())),
    };
    // The principal collection exists once its owner has asked for it.
    let (status, _) = server.http("PROPFIND", "/harbor/", &[("Depth", "0")], "");
    assert_eq!(status, 207);
    server
}

/// Xandikos, principal `/user/`, calendars under `/user/calendars/`.
fn xandikos() -> Server {
    let dir = temp_dir("xandikos");
    let port = free_port();
    let mut child = Command::new("xandikos")
        .arg("serve")
        .arg("-d")
        .arg(dir.join("data"))
        .arg("--state-dir")
        .arg(dir.join("state"))
        .args(["--autocreate", "-l", "127.0.0.1", "-p"])
        .arg(port.to_string())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("xandikos must be installed (scripts/requirements-test.txt)");
    wait_until_up(&mut child, port, "xandikos");
    Server {
        child,
        port,
        dir,
        login: None,
    }
}

impl Server {
    fn url(&self) -> String {
        format!("http://127.0.0.1:{}/", self.port)
    }

    /// One HTTP/1.1 request; the status and the body.
    fn http(
        &self,
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
        body: &str,
    ) -> (u16, String) {
        let mut stream = TcpStream::connect(("127.0.0.1", self.port)).unwrap();
        let mut req = format!(
            "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{}\r\nConnection: close\r\nContent-Length: {}\r\n",
            self.port,
            body.len()
        );
        if let Some((u, p)) = &self.login {
            let token = base64::engine::general_purpose::STANDARD.encode(format!("{u}:{p}"));
            req.push_str(&format!("Authorization: Basic {token}\r\n"));
        }
        for (k, v) in headers {
            req.push_str(&format!("{k}: {v}\r\n"));
        }
        req.push_str("\r\n");
        req.push_str(body);
        stream.write_all(req.as_bytes()).unwrap();
        let mut answer = Vec::new();
        stream.read_to_end(&mut answer).unwrap();
        let text = String::from_utf8_lossy(&answer).into_owned();
        let status = text
            .split_whitespace()
            .nth(1)
            .and_then(|s| s.parse().ok())
            .unwrap_or(0);
        let body = text
            .split_once("\r\n\r\n")
            .map(|(_, b)| b.to_owned())
            .unwrap_or_default();
        (status, body)
    }

    /// The collection path of calendar `name` of the account.
    fn calendar_path(&self, name: &str) -> String {
        match &self.login {
            Some((user, _)) => format!("/{user}/{name}/"),
            None => format!("/user/calendars/{name}/"),
        }
    }

    fn mkcalendar(&self, name: &str, display: &str) {
        let body = format!(
            "<?xml version=\"1.0\" encoding=\"utf-8\"?>\
             <c:mkcalendar xmlns:d=\"DAV:\" xmlns:c=\"urn:ietf:params:xml:ns:caldav\">\
             <d:set><d:prop><d:displayname>{display}</d:displayname></d:prop></d:set>\
             </c:mkcalendar>"
        );
        let (status, text) = self.http(
            "MKCALENDAR",
            &self.calendar_path(name),
            &[("Content-Type", "application/xml")],
            &body,
        );
        assert_eq!(status, 201, "MKCALENDAR {name}: {text}");
    }

    fn put(&self, calendar: &str, resource: &Resource) {
        let path = format!("{}{}", self.calendar_path(calendar), resource.file);
        let (status, text) = self.http(
            "PUT",
            &path,
            &[("Content-Type", "text/calendar; charset=utf-8")],
            &resource.text,
        );
        assert!(matches!(status, 201 | 204), "PUT {path}: {status} {text}");
    }

    fn delete(&self, calendar: &str, file: &str) {
        let path = format!("{}{file}", self.calendar_path(calendar));
        let (status, text) = self.http("DELETE", &path, &[], "");
        assert!(
            matches!(status, 200 | 204),
            "DELETE {path}: {status} {text}"
        );
    }
}

// ---- calendars as resources ---------------------------------------------------------

/// One calendar object resource: the events of one UID, with the
/// calendar's own properties and time zones.
#[derive(Debug, Clone)]
struct Resource {
    uid: String,
    file: String,
    text: String,
}

/// A calendar file split into resources, one per UID (in file order), as a
/// CalDAV client stores a calendar.
fn split(text: &str) -> (String, Vec<Resource>) {
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    let mut head = String::new();
    let mut zones = String::new();
    let mut events: Vec<(String, String)> = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let l = lines[i];
        let name = l.trim_end();
        if name == "BEGIN:VTIMEZONE" || name == "BEGIN:VEVENT" {
            let end = name.replace("BEGIN", "END");
            let mut block = String::new();
            while i < lines.len() {
                block.push_str(lines[i]);
                if lines[i].trim_end() == end {
                    break;
                }
                i += 1;
            }
            if name == "BEGIN:VTIMEZONE" {
                zones.push_str(&block);
            } else {
                let uid = block
                    .lines()
                    .find_map(|l| l.strip_prefix("UID:"))
                    .unwrap()
                    .trim()
                    .to_owned();
                events.push((uid, block));
            }
        } else if name != "BEGIN:VCALENDAR"
            && name != "END:VCALENDAR"
            && !name.starts_with("METHOD")
        {
            head.push_str(l);
        }
        i += 1;
    }
    let mut out: Vec<Resource> = Vec::new();
    for (uid, block) in events {
        match out.iter_mut().find(|r| r.uid == uid) {
            Some(r) => r.text.push_str(&block),
            None => out.push(Resource {
                file: format!("{}.ics", out.len() + 1),
                uid,
                text: block,
            }),
        }
    }
    let prefix = format!("BEGIN:VCALENDAR\r\n{head}{zones}");
    for r in &mut out {
        r.text = format!("{prefix}{}END:VCALENDAR\r\n", r.text);
    }
    (prefix, out)
}

/// The calendar file the resources make (what an export of the same
/// calendar would hold).
fn join(prefix: &str, resources: &[Resource]) -> String {
    let mut out = prefix.to_owned();
    for r in resources {
        let body = r.text.strip_prefix(prefix).unwrap();
        out.push_str(body.strip_suffix("END:VCALENDAR\r\n").unwrap());
    }
    out.push_str("END:VCALENDAR\r\n");
    out
}

/// A one-off timed event (no RRULE, no RECURRENCE-ID, not cancelled).
fn is_one_off(r: &Resource) -> bool {
    let event = &r.text[r.text.find("BEGIN:VEVENT").unwrap()..];
    event.matches("BEGIN:VEVENT").count() == 1
        && !event.contains("\nRRULE")
        && !event.contains("\nRECURRENCE-ID")
        && !event.contains("STATUS:CANCELLED")
        && !event.contains("VALUE=DATE")
}

/// The event with another title.
fn retitled(text: &str) -> String {
    text.split_inclusive('\n')
        .map(|l| {
            if l.starts_with("SUMMARY:") {
                "SUMMARY:Release go/no-go (moved to the wiki)\r\n".to_owned()
            } else {
                l.to_owned()
            }
        })
        .collect()
}

/// A new one-off meeting in the calendar of `prefix`, organized by `who`,
/// stamped on its own day (so the calendar's export time stays).
fn new_meeting(prefix: &str, who: &str, day: &str) -> Resource {
    let uid = format!("new-meeting-{day}@fulcrum.test");
    let text = format!(
        "{prefix}BEGIN:VEVENT\r\nDTSTART:{day}T130000Z\r\nDTEND:{day}T140000Z\r\n\
         DTSTAMP:{day}T000000Z\r\nORGANIZER:mailto:{who}\r\nUID:{uid}\r\n\
         ATTENDEE;PARTSTAT=ACCEPTED:mailto:{who}\r\nSUMMARY:Incident review\r\n\
         STATUS:CONFIRMED\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    );
    Resource {
        uid,
        file: "new.ics".to_owned(),
        text,
    }
}

// ---- workspaces -------------------------------------------------------------------

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let p = e.unwrap().path();
        let target = to.join(p.file_name().unwrap());
        if p.is_dir() {
            copy_dir(&p, &target);
        } else {
            std::fs::copy(&p, &target).unwrap();
        }
    }
}

/// One calendar of a story: its name on the server, owner, and resources.
struct Cal {
    name: String,
    owner: String,
    prefix: String,
    resources: Vec<Resource>,
}

/// The `[[sources.caldav]]` entry for `server` with these calendars, the
/// password in a file beside fulcrum.toml.
fn caldav_entry(root: &Path, server: &Server, cals: &[Cal], password: Option<&str>) -> String {
    let choices: Vec<String> = cals
        .iter()
        .map(|c| format!("{{ calendar = \"{}\", owner = \"{}\" }}", c.name, c.owner))
        .collect();
    let mut entry = format!("\n[[sources.caldav]]\nurl = \"{}\"\n", server.url());
    if let Some(pw) = password {
        std::fs::write(root.join("caldav-password"), format!("{pw}\n")).unwrap();
        entry.push_str("username = \"harbor\"\npassword_file = \"caldav-password\"\n");
    }
    entry.push_str(&format!("calendars = [{}]\n", choices.join(", ")));
    entry
}

/// The golden workspace twice: `files` reads the calendars from files,
/// `live` from the server (same people, chat, rows and policy).
fn golden_on(server: &Server) -> (PathBuf, PathBuf, Vec<Cal>) {
    let golden = fixtures().join("golden");
    let files = temp_dir("files");
    let live = temp_dir("live");
    copy_dir(&golden, &files);
    copy_dir(&golden, &live);
    std::fs::remove_dir_all(live.join("calendars")).unwrap();
    let mut cals = Vec::new();
    let mut names: Vec<PathBuf> = std::fs::read_dir(golden.join("calendars"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    names.sort();
    for path in names {
        let stem = path.file_stem().unwrap().to_string_lossy().into_owned();
        let owner = if stem.contains('@') {
            stem.clone()
        } else {
            format!("{stem}@harbor.example")
        };
        let name = stem.replace('@', "-at-").replace('.', "-");
        let (prefix, resources) = split(&std::fs::read_to_string(&path).unwrap());
        server.mkcalendar(&name, &stem);
        for r in &resources {
            server.put(&name, r);
        }
        // The file an export would give: the same events, as the server
        // holds them.
        std::fs::write(path_in(&files, &stem), join(&prefix, &resources)).unwrap();
        cals.push(Cal {
            name,
            owner,
            prefix,
            resources,
        });
    }
    // One report key for both, so meeting titles hash alike in examples.
    for root in [&files, &live] {
        std::fs::create_dir_all(root.join(".fulcrum")).unwrap();
        std::fs::write(
            root.join(".fulcrum").join("report.key"),
            "000102030405060708090a0b0c0d0e0f\n",
        )
        .unwrap();
    }
    let toml = std::fs::read_to_string(live.join("fulcrum.toml"))
        .unwrap()
        .replace("calendars = [\"calendars/*.ics\"]", "calendars = []");
    let entry = caldav_entry(&live, server, &cals, Some("s3cret"));
    std::fs::write(live.join("fulcrum.toml"), toml + &entry).unwrap();
    (files, live, cals)
}

fn path_in(files: &Path, stem: &str) -> PathBuf {
    files.join("calendars").join(format!("{stem}.ics"))
}

fn request(root: &Path) -> ReportRequest {
    let date = |s: &str| chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
    ReportRequest {
        root: root.to_owned(),
        from: Some(date("2025-02-03")),
        to: Some(date("2025-02-16")),
        limits: fulcrum_chat::Limits::default(),
    }
}

fn same(files: &Computed, stored: &Computed) {
    assert_eq!(files.window, stored.window);
    assert_eq!(files.inputs.occurrences, stored.inputs.occurrences);
    assert_eq!(files.inputs.calendars_owned, stored.inputs.calendars_owned);
    assert!(files.inputs.occurrences > 100, "{:?}", files.inputs);
    assert_eq!(files.people, stored.people);
    assert_eq!(files.signals, stored.signals);
    assert_eq!(files.assessments, stored.assessments);
    assert_eq!(files.activity, stored.activity);
}

fn caldav_lines(s: &ImportSummary) -> Vec<&fulcrum_app::stored::ImportLine> {
    s.lines.iter().filter(|l| l.kind == "caldav").collect()
}

fn no_errors(s: &ImportSummary) {
    let errors: Vec<_> = s
        .problems
        .iter()
        .filter(|p| p.severity == fulcrum_model::diagnostic::Severity::Error)
        .collect();
    assert!(errors.is_empty(), "{errors:?}");
}

/// A fresh PostgreSQL database on the server of FULCRUM_TEST_DATABASE_URL.
fn postgres() -> String {
    let admin = std::env::var("FULCRUM_TEST_DATABASE_URL").expect(
        "set FULCRUM_TEST_DATABASE_URL to a PostgreSQL URL whose role may create databases \
         (scripts/test does this)",
    );
    let name = format!(
        "fulcrum_caldav_{}_{}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::SeqCst)
    );
    let status = Command::new("psql")
        .args([&admin, "-q", "-c", &format!("CREATE DATABASE {name}")])
        .status()
        .expect("psql (the PostgreSQL client) must be installed");
    assert!(status.success(), "cannot create database {name}");
    let base = admin.rsplit_once('/').unwrap().0;
    format!("{base}/{name}")
}

// ---- stories ------------------------------------------------------------------------

/// The golden calendars on Radicale, synced into the store at `url`.
async fn golden_story(url: &str) {
    let server = radicale();
    let (files, live, mut cals) = golden_on(&server);
    let store = Store::open(url).await.unwrap();
    let limits = fulcrum_chat::Limits::default();

    // First sync: discovery (principal, home), the listing, then one
    // initial sync-collection per calendar with every resource's data.
    let first = import_workspace(&store, &live, &limits).await.unwrap();
    no_errors(&first);
    let lines = caldav_lines(&first);
    assert_eq!(lines.len(), 10, "{:?}", first.lines);
    assert!(
        lines
            .iter()
            .all(|l| l.outcome.added > 0 && !l.outcome.unchanged)
    );
    assert_eq!(first.caldav.len(), 1);
    assert_eq!(first.caldav[0].requests, 3 + 10, "{:?}", first.caldav);
    let from_files = compute_report(&request(&files), &mut |_| {}).unwrap();
    let from_store = compute_from_store(&store, &request(&live), &mut |_| {})
        .await
        .unwrap();
    same(&from_files, &from_store);

    // A report from files on the live workspace says where its calendars
    // are instead.
    let live_files = compute_report(&request(&live), &mut |_| {}).unwrap();
    assert!(
        live_files
            .problems
            .iter()
            .any(|p| p.message.contains("not read from files")
                && p.help
                    .as_deref()
                    .is_some_and(|h| h.contains("fulcrum import"))),
        "{:?}",
        live_files.problems
    );

    // Unchanged: one request (the listing from the stored home), nothing
    // written.
    let again = import_workspace(&store, &live, &limits).await.unwrap();
    no_errors(&again);
    assert_eq!(again.caldav[0].requests, 1, "{:?}", again.caldav);
    assert!(caldav_lines(&again).iter().all(|l| l.outcome.unchanged));

    // An edit (Ana's first one-off retitled), a deletion (Ben's
    // first one-off) and a new event (in Chen's calendar).
    let edit = cals[0]
        .resources
        .iter()
        .position(|r| is_one_off(r) && r.text.contains("\nDTSTART:2025"))
        .unwrap();
    let text = retitled(&cals[0].resources[edit].text);
    cals[0].resources[edit].text = text;
    server.put(&cals[0].name, &cals[0].resources[edit]);
    let gone = cals[1].resources.iter().position(is_one_off).unwrap();
    let removed = cals[1].resources.remove(gone);
    server.delete(&cals[1].name, &removed.file);
    let added = new_meeting(&cals[2].prefix, &cals[2].owner, "20250212");
    server.put(&cals[2].name, &added);
    cals[2].resources.push(added);
    for (stem, cal) in [
        "ana@harbor.example",
        "ben@harbor.example",
        "chen@harbor.example",
    ]
    .iter()
    .zip(&cals)
    {
        std::fs::write(path_in(&files, stem), join(&cal.prefix, &cal.resources)).unwrap();
    }

    // Exactly those arrive: the listing, then one sync report for each of
    // the three calendars that changed.
    let third = import_workspace(&store, &live, &limits).await.unwrap();
    no_errors(&third);
    assert_eq!(third.caldav[0].requests, 1 + 3, "{:?}", third.caldav);
    let lines = caldav_lines(&third);
    let outcome = |i: usize| {
        let l = lines
            .iter()
            .find(|l| l.source.ends_with(&format!("/{}/", cals[i].name)))
            .unwrap();
        (l.outcome.added, l.outcome.changed, l.outcome.removed)
    };
    assert_eq!(outcome(0), (0, 1, 0));
    assert_eq!(outcome(1), (0, 0, 1));
    assert_eq!(outcome(2), (1, 0, 0));
    assert_eq!(lines.iter().filter(|l| l.outcome.unchanged).count(), 7);
    let from_files = compute_report(&request(&files), &mut |_| {}).unwrap();
    let from_store = compute_from_store(&store, &request(&live), &mut |_| {})
        .await
        .unwrap();
    same(&from_files, &from_store);

    // A wrong password: said, located, and the store keeps its records.
    std::fs::write(live.join("caldav-password"), "wrong\n").unwrap();
    let refused = import_workspace(&store, &live, &limits).await.unwrap();
    let problem = refused
        .problems
        .iter()
        .find(|p| p.message.contains("refused the credentials"))
        .unwrap_or_else(|| panic!("{:?}", refused.problems));
    assert!(problem.source.contains("fulcrum.toml:"), "{problem:?}");
    assert!(problem.message.contains("401"), "{problem:?}");
    assert!(problem.help.as_deref().unwrap().contains("caldav-password"));
    let after = compute_from_store(&store, &request(&live), &mut |_| {})
        .await
        .unwrap();
    same(&from_files, &after);

    // The server down: said, and nothing lost.
    std::fs::write(live.join("caldav-password"), "s3cret\n").unwrap();
    drop(server);
    let down = import_workspace(&store, &live, &limits).await.unwrap();
    let problem = down
        .problems
        .iter()
        .find(|p| p.message.contains("cannot reach"))
        .unwrap_or_else(|| panic!("{:?}", down.problems));
    assert!(problem.help.as_deref().unwrap().contains("server is up"));
    let after = compute_from_store(&store, &request(&live), &mut |_| {})
        .await
        .unwrap();
    same(&from_files, &after);
    store.close().await;
    let _ = std::fs::remove_dir_all(&files);
    let _ = std::fs::remove_dir_all(&live);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn radicale_sqlite_store_gives_the_files_report() {
    let dir = temp_dir("db");
    golden_story(&format!("sqlite://{}", dir.join("fulcrum.db").display())).await;
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn radicale_postgres_store_gives_the_files_report() {
    golden_story(&postgres()).await;
}

/// Every occurrence of every stored calendar, as comparable text.
async fn stored_occurrences(store: &Store) -> Vec<String> {
    let far = chrono::DateTime::<chrono::Utc>::MAX_UTC;
    let mut out: Vec<String> = store
        .calendars(chrono::DateTime::<chrono::Utc>::MIN_UTC, far)
        .await
        .unwrap()
        .into_iter()
        .flat_map(|c| {
            let source = c.source.clone();
            c.occurrences
                .into_iter()
                .map(move |o| format!("{source} {o:?}"))
        })
        .collect();
    out.sort();
    out
}

/// The Google, Outlook and Apple samples on Xandikos (no sync tokens
/// asked of it beyond what it offers): first sync, an edit, a deletion and
/// a new event, an unchanged sync; the store then equals a fresh full sync.
async fn samples_story(store_url: &str) {
    let server = xandikos();
    let root = temp_dir("samples");
    std::fs::write(
        root.join("people.csv"),
        "email,name,team,tz\nana@example.com,Ana,core,Europe/Berlin\n\
         ben@example.com,Ben,core,America/New_York\ndev@example.com,Dev,core,America/Los_Angeles\n",
    )
    .unwrap();
    let mut cals = Vec::new();
    for (file, owner) in [
        ("sample-google.ics", "ana@example.com"),
        ("sample-outlook.ics", "ben@example.com"),
        ("sample-apple.ics", "dev@example.com"),
    ] {
        let name = file.trim_end_matches(".ics").to_owned();
        let (prefix, resources) =
            split(&std::fs::read_to_string(fixtures().join("ics").join(file)).unwrap());
        server.mkcalendar(&name, &name);
        for r in &resources {
            server.put(&name, r);
        }
        cals.push(Cal {
            name,
            owner: owner.to_owned(),
            prefix,
            resources,
        });
    }
    let toml = format!(
        "[team]\nname = \"core\"\npeople_csv = \"people.csv\"\n{}",
        caldav_entry(&root, &server, &cals, None)
    );
    std::fs::write(root.join("fulcrum.toml"), toml).unwrap();
    let store = Store::open(store_url).await.unwrap();
    let limits = fulcrum_chat::Limits::default();
    let first = import_workspace(&store, &root, &limits).await.unwrap();
    no_errors(&first);
    let lines = caldav_lines(&first);
    assert_eq!(lines.len(), 3, "{:?}", first.lines);
    assert!(lines.iter().all(|l| l.outcome.added > 0), "{lines:?}");
    let requests_first = first.caldav[0].requests;

    let again = import_workspace(&store, &root, &limits).await.unwrap();
    no_errors(&again);
    assert!(
        caldav_lines(&again).iter().all(|l| l.outcome.unchanged),
        "{:?}",
        again.lines
    );
    assert_eq!(
        again.caldav[0].requests, 1,
        "first sync took {requests_first}"
    );

    // Apple: a one-off moved a day later (a new start is a new key: one
    // occurrence removed, one added); Google: a deletion; Outlook: a new
    // meeting.
    let apple = cals[2]
        .resources
        .iter()
        .position(|r| r.text.contains("Quarterly planning"))
        .unwrap();
    let text = cals[2].resources[apple]
        .text
        .replace("20240117T1", "20240118T1");
    cals[2].resources[apple].text = text;
    server.put(&cals[2].name, &cals[2].resources[apple]);
    let gone = cals[0].resources.iter().position(is_one_off).unwrap();
    let removed = cals[0].resources.remove(gone);
    server.delete(&cals[0].name, &removed.file);
    let added = new_meeting(&cals[1].prefix, "ben@example.com", "20240124");
    server.put(&cals[1].name, &added);

    let third = import_workspace(&store, &root, &limits).await.unwrap();
    no_errors(&third);
    let lines = caldav_lines(&third);
    let outcome = |name: &str| {
        let l = lines
            .iter()
            .find(|l| l.source.ends_with(&format!("/{name}/")))
            .unwrap();
        (l.outcome.added, l.outcome.changed, l.outcome.removed)
    };
    assert_eq!(outcome("sample-apple"), (1, 0, 1));
    assert_eq!(outcome("sample-google").2, 1);
    assert_eq!(outcome("sample-google").0, 0);
    assert_eq!(outcome("sample-outlook"), (1, 0, 0));
    // The listing, then per changed calendar one sync report, and a
    // multiget where something was added or changed (Xandikos sends no
    // calendar data in sync reports).
    assert_eq!(
        third.caldav[0].requests,
        1 + 1 + 2 + 2,
        "{:?}",
        third.caldav
    );

    // The incremental store holds what a fresh full sync gives.
    let fresh = Store::open("sqlite::memory:").await.unwrap();
    let full = import_workspace(&fresh, &root, &limits).await.unwrap();
    no_errors(&full);
    assert_eq!(
        stored_occurrences(&store).await,
        stored_occurrences(&fresh).await
    );
    store.close().await;
    fresh.close().await;
    drop(server);
    let _ = std::fs::remove_dir_all(&root);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn xandikos_sync_on_sqlite_equals_a_full_sync() {
    let dir = temp_dir("db");
    samples_story(&format!("sqlite://{}", dir.join("fulcrum.db").display())).await;
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn xandikos_sync_on_postgres_equals_a_full_sync() {
    samples_story(&postgres()).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unknown_calendar_is_named_with_those_there() {
    let server = radicale();
    server.mkcalendar("office", "Work");
    let root = temp_dir("unknown");
    let cals = [Cal {
        name: "Holidays".into(),
        owner: "ana@example.com".into(),
        prefix: String::new(),
        resources: Vec::new(),
    }];
    let toml = format!(
        "[[people]]\nemail = \"ana@example.com\"\n{}",
        caldav_entry(&root, &server, &cals, Some("s3cret"))
    );
    std::fs::write(root.join("fulcrum.toml"), toml).unwrap();
    let store = Store::open("sqlite::memory:").await.unwrap();
    let s = import_workspace(&store, &root, &fulcrum_chat::Limits::default())
        .await
        .unwrap();
    let p = s
        .problems
        .iter()
        .find(|p| p.message.contains("no calendar \"Holidays\""))
        .unwrap_or_else(|| panic!("{:?}", s.problems));
    assert!(p.message.contains("\"Work\" (/harbor/office/)"), "{p:?}");
    store.close().await;
    let _ = std::fs::remove_dir_all(&root);
}
