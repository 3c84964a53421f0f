//! Sign-in through the organisation's identity provider, end to end:
//! `fulcrum serve` with `[auth.oidc]` against a real OpenID Connect
//! provider (the certified `oidc-provider` package from npm, run with
//! Node.js from `tests/fixtures/oidc/provider.mjs`, installed there by
//! `scripts/test`). A person on the people list signs in at the provider
//! (authorization code flow with PKCE, state and nonce) and lands on their
//! dashboard with an account made for them; a callback this browser did
//! not start, or a replayed one, is refused; an email that is not on the
//! people list gets a page that says so; passwords still work; and an ID
//! token signed with a key the provider does not publish is refused.
//!
//! Needs `node` and the fixture's `node_modules`; without them the test
//! fails with a message saying how to install them (it is never skipped).

#![allow(clippy::unwrap_used)] // Test helpers: a panic is a failed test with its location.

mod serve_child;

use serve_child::{Browser, Server, free_port, query_param, resolve};
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::Duration;

const CLIENT_ID: &str = "fulcrum-test";
const CLIENT_SECRET: &str = "a client secret of the test provider";
const PERSON_PASSWORD: &str = "idp password of a person";

fn fixture_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/oidc")
}

fn fulcrum(dir: &Path, args: &[&str], stdin: Option<&str>) -> Output {
    use std::io::Write;
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

/// The provider, killed when dropped.
struct Provider {
    child: Child,
    issuer: String,
}

impl Drop for Provider {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start_provider(redirect_uri: &str, accounts: &serde_json::Value, wrong_key: bool) -> Provider {
    let dir = fixture_dir();
    assert!(
        dir.join("node_modules/oidc-provider").is_dir(),
        "the test provider is not installed: run `npm ci --prefix crates/fulcrum/tests/fixtures/oidc` (scripts/test does)"
    );
    let port = free_port();
    let mut child = Command::new("node")
        .arg("provider.mjs")
        .current_dir(&dir)
        .env("PORT", port.to_string())
        .env("CLIENT_ID", CLIENT_ID)
        .env("CLIENT_SECRET", CLIENT_SECRET)
        .env("REDIRECT_URI", redirect_uri)
        .env("ACCOUNTS", accounts.to_string())
        .env("PUBLISH_WRONG_KEY", if wrong_key { "1" } else { "0" })
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("Node.js (Debian's nodejs) runs the test provider");
    let stdout = child.stdout.take().unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if let Some(issuer) = line.strip_prefix("ready ") {
                let _ = tx.send(issuer.to_owned());
            }
        }
    });
    let issuer = rx
        .recv_timeout(Duration::from_secs(60))
        .expect("the test provider did not start within 60 s");
    Provider { child, issuer }
}

/// A demo workspace, imported, with `[auth.oidc]` pointing at `issuer`;
/// returns the workspace and the email of a person on its people list.
fn workspace(name: &str) -> (PathBuf, String) {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    ok(&fulcrum(
        &dir,
        &["demo", "--out", "ws", "--people", "10", "--weeks", "3"],
        None,
    ));
    let ws = dir.join("ws");
    ok(&fulcrum(&ws, &["import"], None));
    let people = std::fs::read_to_string(ws.join("people.csv")).unwrap();
    let email = people
        .lines()
        .nth(1)
        .unwrap()
        .split(',')
        .next()
        .unwrap()
        .to_owned();
    (ws, email)
}

fn configure(ws: &Path, issuer: &str, redirect_uri: &str) {
    let toml = ws.join("fulcrum.toml");
    let text = std::fs::read_to_string(&toml).unwrap();
    let text = text.split("\n[auth.oidc]").next().unwrap().to_owned();
    std::fs::write(
        &toml,
        format!(
            "{text}\n[auth.oidc]\nissuer = \"{issuer}\"\nclient_id = \"{CLIENT_ID}\"\nredirect_url = \"{redirect_uri}\"\nlabel = \"Sign in with Test IdP\"\n"
        ),
    )
    .unwrap();
}

fn serve(ws: &Path, port: u16) -> Server {
    Server::start_on(
        port,
        ws,
        &["--insecure-cookies"],
        &[("FULCRUM_OIDC_CLIENT_SECRET", CLIENT_SECRET)],
    )
}

/// Signs in at the provider as `login` from `/signin/oidc`, and returns the
/// callback URL the provider sends the browser back to (not yet visited).
fn through_the_provider(browser: &mut Browser, base: &str, login: &str, password: &str) -> String {
    let start = browser.get(&format!("{base}/signin/oidc"));
    assert_eq!(start.status, 303, "{}", start.body);
    let authorize = start.header("location").unwrap().to_owned();
    // The authorization request: code flow, PKCE S256, state and nonce.
    assert_eq!(
        query_param(&authorize, "response_type").as_deref(),
        Some("code")
    );
    assert_eq!(
        query_param(&authorize, "client_id").as_deref(),
        Some(CLIENT_ID)
    );
    assert_eq!(
        query_param(&authorize, "code_challenge_method").as_deref(),
        Some("S256")
    );
    assert!(query_param(&authorize, "code_challenge").is_some_and(|c| c.len() >= 43));
    assert!(query_param(&authorize, "state").is_some_and(|s| s.len() >= 16));
    assert!(query_param(&authorize, "nonce").is_some_and(|s| s.len() >= 16));
    assert!(query_param(&authorize, "scope").unwrap().contains("email"));
    assert!(browser.cookies.contains_key("fulcrum_oidc"));
    // At the provider: its login form, a wrong password, then the right one.
    let first = browser.get(&authorize);
    let (form_url, form) = browser.follow(authorize.clone(), first);
    assert_eq!(form.status, 200, "{}", form.body);
    assert!(form.body.contains("name=\"password\""), "{}", form.body);
    let action = form
        .body
        .split("action=\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap();
    let action = resolve(&form_url, action);
    let wrong = browser.post_form(&action, &[("login", login), ("password", "not it")]);
    assert_eq!(wrong.status, 401);
    let mut reply = browser.post_form(&action, &[("login", login), ("password", password)]);
    let mut url = action;
    // Redirects within the provider (consent is granted by the fixture)
    // until it sends the browser back to fulcrum.
    for _ in 0..10 {
        assert_eq!(
            reply.status / 100,
            3,
            "{url}: {} {}",
            reply.status,
            reply.body
        );
        let next = resolve(&url, reply.header("location").unwrap());
        if next.starts_with(base) {
            return next;
        }
        url = next;
        reply = browser.get(&url);
    }
    panic!("the provider never sent the browser back to {base}");
}

#[test]
fn people_sign_in_through_the_identity_provider() {
    let (ws, email) = workspace("oidc-sign-in");
    let port = free_port();
    let base = format!("http://127.0.0.1:{port}");
    let redirect_uri = format!("{base}/signin/oidc/callback");
    let accounts = serde_json::json!([
        {"login": "person", "password": PERSON_PASSWORD, "email": email.to_uppercase(), "email_verified": true},
        {"login": "stranger", "password": "stranger password", "email": "stranger@elsewhere.example", "email_verified": true},
        {"login": "unverified", "password": "unverified password", "email": email, "email_verified": false},
    ]);
    let provider = start_provider(&redirect_uri, &accounts, false);
    configure(&ws, &provider.issuer, &redirect_uri);
    let server = serve(&ws, port);
    server.wait_for_log(
        "sign-in through the identity provider offered",
        Duration::from_secs(5),
    );

    // The sign-in page offers the provider next to the password form.
    let mut browser = Browser::default();
    let page = browser.get(&format!("{base}/signin"));
    assert!(
        page.body.contains("href=\"/signin/oidc\"") && page.body.contains("Sign in with Test IdP")
    );

    let callback = through_the_provider(&mut browser, &base, "person", PERSON_PASSWORD);
    assert!(callback.starts_with(&redirect_uri), "{callback}");
    // A browser that did not start this sign-in cannot finish it (no
    // login CSRF): same URL, no flow cookie.
    let mut other = Browser::default();
    let refused = other.get(&callback);
    assert_eq!(refused.status, 403, "{}", refused.body);
    assert!(refused.body.contains("expired"), "{}", refused.body);
    assert!(!other.cookies.contains_key("fulcrum_session"));
    // A changed state is refused too, and ends the flow.
    let state = query_param(&callback, "state").unwrap();
    let mut tampered_browser = Browser {
        cookies: browser.cookies.clone(),
    };
    let tampered = tampered_browser.get(&callback.replace(&state, &format!("{state}x")));
    assert_eq!(tampered.status, 403);
    // So is an answer that names another issuer (RFC 9207's mix-up
    // defence).
    let mut mixed_up = Browser {
        cookies: browser.cookies.clone(),
    };
    let iss = query_param(&callback, "iss").expect("oidc-provider sends iss");
    let other_issuer = serve_child::urlencode("http://127.0.0.1:1");
    let mixed = mixed_up.get(&callback.replace(&serve_child::urlencode(&iss), &other_issuer));
    assert_eq!(mixed.status, 403, "{}", mixed.body);
    // The browser that started it signs in and sees its dashboard.
    let signed_in = browser.get(&callback);
    assert_eq!(
        signed_in.status,
        303,
        "{}\n{}",
        signed_in.body,
        server.log_text()
    );
    assert_eq!(signed_in.header("location"), Some("/dashboard"));
    assert!(browser.cookies.contains_key("fulcrum_session"));
    assert!(
        !browser.cookies.contains_key("fulcrum_oidc"),
        "the flow cookie outlived the flow"
    );
    let dashboard = browser.get(&format!("{base}/dashboard"));
    assert_eq!(dashboard.status, 200, "{}", dashboard.body);
    assert!(dashboard.body.contains(&email), "{}", dashboard.body);
    let me = browser.get(&format!("{base}/me"));
    assert_eq!(me.status, 200, "{}", me.body);
    // The account was made at first sign-in, as a member without a password.
    let users = ok(&fulcrum(&ws, &["user", "list"], None));
    let line = users
        .lines()
        .find(|l| l.starts_with(&email))
        .unwrap_or_else(|| panic!("{users}"));
    assert!(line.contains("member"), "{line}");
    // The same answer again (a replay, or the back button) is refused.
    let replay = browser.get(&callback);
    assert_eq!(replay.status, 403, "{}", replay.body);

    // Signed in again later: the same account, not a second one.
    let mut again = Browser::default();
    let callback = through_the_provider(&mut again, &base, "person", PERSON_PASSWORD);
    assert_eq!(again.get(&callback).status, 303);
    let users = ok(&fulcrum(&ws, &["user", "list"], None));
    assert_eq!(
        users.lines().filter(|l| l.starts_with(&email)).count(),
        1,
        "{users}"
    );

    // Someone the provider knows but the people list does not: a clear page.
    let mut stranger = Browser::default();
    let callback = through_the_provider(&mut stranger, &base, "stranger", "stranger password");
    let page = stranger.get(&callback);
    assert_eq!(page.status, 403, "{}", page.body);
    assert!(
        page.body.contains("stranger@elsewhere.example"),
        "{}",
        page.body
    );
    assert!(
        page.body.contains("not on the people list"),
        "{}",
        page.body
    );
    assert!(!stranger.cookies.contains_key("fulcrum_session"));
    // An address the provider has not verified opens nothing.
    let mut unverified = Browser::default();
    let callback =
        through_the_provider(&mut unverified, &base, "unverified", "unverified password");
    let page = unverified.get(&callback);
    assert_eq!(page.status, 403, "{}", page.body);
    assert!(page.body.contains("not verified"), "{}", page.body);

    // Passwords remain: an account added with one signs in with the form.
    ok(&fulcrum(
        &ws,
        &[
            "user",
            "add",
            "admin@fulcrum.test",
            "--role",
            "admin",
            "--password-stdin",
        ],
        Some("an admin password 123\n"),
    ));
    let mut admin = Browser::default();
    let form = admin.get(&format!("{base}/signin"));
    let csrf = form
        .body
        .split("name=\"csrf\" value=\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap();
    let res = admin.post_form(
        &format!("{base}/signin"),
        &[
            ("csrf", csrf),
            ("email", "admin@fulcrum.test"),
            ("password", "an admin password 123"),
        ],
    );
    assert_eq!(res.status, 303, "{}", res.body);
    assert_eq!(res.header("location"), Some("/dashboard"));
}

#[test]
fn an_id_token_that_does_not_verify_is_refused() {
    let (ws, email) = workspace("oidc-wrong-key");
    let port = free_port();
    let base = format!("http://127.0.0.1:{port}");
    let redirect_uri = format!("{base}/signin/oidc/callback");
    let accounts = serde_json::json!([
        {"login": "person", "password": PERSON_PASSWORD, "email": email, "email_verified": true},
    ]);
    // The provider signs ID tokens with one key and publishes another.
    let provider = start_provider(&redirect_uri, &accounts, true);
    configure(&ws, &provider.issuer, &redirect_uri);
    let server = serve(&ws, port);
    let mut browser = Browser::default();
    let callback = through_the_provider(&mut browser, &base, "person", PERSON_PASSWORD);
    let page = browser.get(&callback);
    assert_eq!(page.status, 401, "{}", page.body);
    assert!(page.body.contains("could not be verified"), "{}", page.body);
    assert!(!browser.cookies.contains_key("fulcrum_session"));
    let line = server.wait_for_log(
        "sign-in through the identity provider failed",
        Duration::from_secs(5),
    );
    assert!(line.to_lowercase().contains("signature"), "{line}");
    let users = ok(&fulcrum(&ws, &["user", "list"], None));
    assert!(!users.contains(&email), "{users}");
}

#[test]
fn a_client_secret_is_required_and_never_read_from_the_toml() {
    let (ws, _) = workspace("oidc-config");
    configure(
        &ws,
        "http://127.0.0.1:1",
        "http://127.0.0.1:2/signin/oidc/callback",
    );
    // No secret in the environment: serve refuses to start, saying where
    // the secret goes.
    let out = fulcrum(&ws, &["serve", "--listen", "127.0.0.1:0"], None);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("FULCRUM_OIDC_CLIENT_SECRET"), "{err}");
    // A secret written in fulcrum.toml is an error at its line.
    let toml = ws.join("fulcrum.toml");
    let text = std::fs::read_to_string(&toml).unwrap();
    std::fs::write(&toml, format!("{text}client_secret = \"written here\"\n")).unwrap();
    let out = fulcrum(&ws, &["report", "--format", "json"], None);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("auth.oidc.client_secret") && !err.contains("written here"),
        "{err}"
    );
}
