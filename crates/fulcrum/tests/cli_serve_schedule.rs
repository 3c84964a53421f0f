//! `fulcrum serve` run as a service would run it: configured from the
//! environment only (`FULCRUM_WORKSPACE`, `FULCRUM_DATABASE_URL`,
//! `FULCRUM_LISTEN`), importing on the schedule of `[store] import_every`,
//! logging each run, and still serving after an import that fails.

#![allow(clippy::unwrap_used)] // Test helpers: a panic is a failed test with its location.

mod serve_child;

use serve_child::{Browser, Server};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::Duration;

fn fulcrum(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_fulcrum"));
    cmd.current_dir(dir)
        .env("FULCRUM_REPORT_KEY", "000102030405060708090a0b0c0d0e0f")
        .args(args);
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.output().unwrap()
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

/// A small demo workspace in a fresh folder.
fn demo(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    ok(&fulcrum(
        &dir,
        &["demo", "--out", "ws", "--people", "10", "--weeks", "3"],
        &[],
    ));
    dir
}

fn is_success(line: &str) -> bool {
    line.contains("scheduled import") && !line.contains("failed") && !line.contains("skipped")
}

#[test]
fn serve_imports_on_schedule_and_survives_a_failed_import() {
    let dir = demo("serve-schedule");
    let ws = dir.join("ws");
    let toml = ws.join("fulcrum.toml");
    let good = std::fs::read_to_string(&toml).unwrap();
    assert!(!good.contains("[store]"), "the demo sets [store] itself");
    std::fs::write(&toml, format!("{good}\n[store]\nimport_every = \"1s\"\n")).unwrap();
    // Everything from the environment: no path, address or URL on the
    // command line, so none shows in `ps`.
    let db = dir.join("elsewhere.db");
    let url = format!("sqlite://{}", db.display());
    let env = [
        ("FULCRUM_WORKSPACE", ws.to_str().unwrap()),
        ("FULCRUM_DATABASE_URL", url.as_str()),
    ];
    let mut server = Server::start(&dir, &["--insecure-cookies"], &env);
    server.wait_for_log("imports scheduled", Duration::from_secs(10));
    // The first import runs right away, the next a second later.
    server.wait_until("two scheduled imports", Duration::from_secs(120), |lines| {
        lines.iter().filter(|l| is_success(l)).count() >= 2
    });
    assert!(db.is_file(), "FULCRUM_DATABASE_URL was not used");
    assert!(
        !ws.join(".fulcrum/fulcrum.db").exists(),
        "the default store was created although FULCRUM_DATABASE_URL names another"
    );
    // The store filled by the schedule is the one `fulcrum user` and
    // `fulcrum report --store` see through the same variables.
    let added = fulcrum(
        &dir,
        &["user", "add", "ops@example.com", "--role", "admin"],
        &env,
    );
    ok(&added);
    assert!(ok(&fulcrum(&dir, &["user", "list"], &env)).contains("ops@example.com"));
    ok(&fulcrum(
        &dir,
        &["report", "ws", "--store", "--format", "json"],
        &env,
    ));

    // A broken workspace: the next imports fail, are logged, and the server
    // goes on answering.
    std::fs::write(&toml, "this is not [toml").unwrap();
    let failed = server.wait_for_log("scheduled import failed", Duration::from_secs(60));
    assert!(failed.contains("fulcrum.toml"), "{failed}");
    let mut browser = Browser::default();
    let health = browser.get(&format!("http://127.0.0.1:{}/healthz", server.port));
    assert_eq!(health.status, 200, "{}", server.log_text());
    assert!(server.running());
    // Mended: the schedule picks it up again.
    std::fs::write(&toml, &good).unwrap();
    let successes = server.count_lines(is_success);
    server.wait_until(
        "a scheduled import after the failure",
        Duration::from_secs(60),
        |lines| lines.iter().filter(|l| is_success(l)).count() > successes,
    );
    assert!(server.running());
}

#[test]
fn without_a_schedule_nothing_is_imported_and_off_overrides_the_file() {
    let dir = demo("serve-no-schedule");
    let ws = dir.join("ws");
    let toml = ws.join("fulcrum.toml");
    let good = std::fs::read_to_string(&toml).unwrap();
    std::fs::write(&toml, format!("{good}\n[store]\nimport_every = \"1s\"\n")).unwrap();
    let env = [("FULCRUM_WORKSPACE", ws.to_str().unwrap())];
    let server = Server::start(&dir, &["--insecure-cookies", "--import-every", "off"], &env);
    std::thread::sleep(Duration::from_millis(2500));
    assert_eq!(server.count_lines(|l| l.contains("scheduled import")), 0);
    assert_eq!(server.count_lines(|l| l.contains("imports scheduled")), 0);
    drop(server);
    // A bad interval is refused before anything starts.
    let out = fulcrum(&dir, &["serve", "--import-every", "often"], &env);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("\"6h\""), "{err}");
}

#[test]
fn a_database_password_in_the_environment_never_shows() {
    let dir = demo("serve-env-secret");
    let env = [
        ("FULCRUM_WORKSPACE", "ws"),
        (
            "FULCRUM_DATABASE_URL",
            "postgres://fulcrum:s3cret-pw@127.0.0.1:1/nothing",
        ),
    ];
    // Not in --help (clap would print the value of a variable otherwise)...
    for args in [
        &["serve", "--help"][..],
        &["import", "--help"],
        &["user", "list", "--help"],
    ] {
        let help = ok(&fulcrum(&dir, args, &env));
        assert!(help.contains("FULCRUM_DATABASE_URL"), "{args:?}: {help}");
        assert!(!help.contains("s3cret-pw"), "{args:?}: {help}");
    }
    // ...nor in the error when the database cannot be reached.
    let out = fulcrum(&dir, &["import"], &env);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("cannot open the store") && !err.contains("s3cret-pw"),
        "{err}"
    );
    // A report from the files is no mistake with the variable set.
    ok(&fulcrum(&dir, &["report", "ws", "--format", "json"], &env));
    // --database on the command line without --store still is.
    let out = fulcrum(&dir, &["report", "ws", "--database", "x.db"], &[]);
    assert_eq!(out.status.code(), Some(2));
}
