//! Shared set-up of the server tests: a small demo workspace computed once
//! per test binary (with a team of two added, below the minimum group
//! size), a real SQLite store in a temporary folder per test, accounts for
//! each role, and helpers to send requests in-process and sign in through
//! the real forms.

#![allow(clippy::unwrap_used, clippy::expect_used, dead_code)]

use axum::Router;
use axum::body::Body;
use axum::http::{HeaderMap, Method, Request, StatusCode, header};
use fulcrum_app::dashboard::Snapshot;
use fulcrum_server::{AppState, ExperimentEdit, Hooks, ServerConfig, auth};
use fulcrum_store::{NewUser, Role, Storage, Store, User};
use http_body_util::BodyExt;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, OnceLock};
use tower::ServiceExt;

/// A folder removed when dropped.
pub struct TempDir(pub PathBuf);

impl TempDir {
    pub fn new(tag: &str) -> TempDir {
        static N: AtomicUsize = AtomicUsize::new(0);
        let dir = std::env::temp_dir().join(format!(
            "fulcrum-server-{tag}-{}-{}",
            std::process::id(),
            N.fetch_add(1, Ordering::Relaxed)
        ));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        TempDir(dir)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// The people added to the demo as a team smaller than the minimum group size.
pub const TINY: [(&str, &str); 2] = [
    ("tess.tiny@lumenlabs.example", "Tess Tinyteam"),
    ("tom.tiny@lumenlabs.example", "Tom Tinyteam"),
];

/// The demo workspace (20 people in 4 teams of 5, 3 weeks, plus the team
/// `tiny` of two), written and computed once per test binary.
pub struct Fixture {
    _dir: TempDir,
    pub root: PathBuf,
    pub snapshot: Snapshot,
    /// (email, name, team) of everyone on the people list.
    pub people: Vec<(String, String, String)>,
}

pub fn fixture() -> &'static Fixture {
    static FIXTURE: OnceLock<Fixture> = OnceLock::new();
    FIXTURE.get_or_init(|| {
        let dir = TempDir::new("demo");
        let root = dir.0.join("ws");
        let options = fulcrum_demo::DemoOptions {
            people: 20,
            weeks: 3,
            start: fulcrum_demo::DemoOptions::default_start(),
            seed: fulcrum_demo::DemoOptions::DEFAULT_SEED,
            ..fulcrum_demo::DemoOptions::default()
        };
        fulcrum_app::demo::write_demo(&root, &options, false).unwrap();
        let csv = root.join("people.csv");
        let mut text = std::fs::read_to_string(&csv).unwrap();
        for (email, name) in TINY {
            text.push_str(&format!(
                "{email},{name},tiny,Europe/Berlin,Mon-Fri 09:00-17:00,\n"
            ));
        }
        std::fs::write(&csv, text).unwrap();
        let snapshot = compute_snapshot(&root);
        let people = snapshot
            .people
            .iter()
            .map(|p| (p.email.clone(), p.name.clone(), p.team.clone()))
            .collect();
        Fixture {
            _dir: dir,
            root,
            snapshot,
            people,
        }
    })
}

/// What `fulcrum serve` computes from workspace files.
pub fn compute_snapshot(root: &Path) -> Snapshot {
    let req = fulcrum_app::report::ReportRequest {
        root: root.to_owned(),
        from: None,
        to: None,
        limits: fulcrum_chat::Limits::default(),
    };
    let computed = fulcrum_app::report::compute_report(&req, &mut |_| {}).unwrap();
    let now = chrono::Utc::now();
    let (from, to) = fulcrum_app::dashboard::focus_dates(now.date_naive());
    let calendars = fulcrum_app::focus::load(root, from, to).unwrap();
    Snapshot::from_computed_with_calendars(&computed, &calendars, now)
}

/// The first person of `team` on the people list.
pub fn person_of(team: &str) -> (String, String) {
    let p = fixture()
        .people
        .iter()
        .find(|p| p.2 == team)
        .unwrap_or_else(|| panic!("no team {team}"));
    (p.0.clone(), p.1.clone())
}

pub const PASSWORD: &str = "a long test password";
pub const ADMIN: &str = "admin@fulcrum.test";

/// A server over a fresh SQLite store, with accounts:
/// - `member`: the first person of `payments`;
/// - `lead`: the first person of `platform`, leading `search`;
/// - `admin`: not on the people list;
/// - `tiny`: a member of the team of two.
pub struct Harness {
    pub dir: TempDir,
    pub db_path: PathBuf,
    /// The store's URL (an SQLite file in `dir`, or a PostgreSQL database).
    pub url: String,
    pub state: AppState<Store>,
    pub app: Router,
    pub member: User,
    pub lead: User,
    pub admin: User,
    pub tiny: User,
    pub imports: Arc<AtomicUsize>,
    /// The experiment edits the server passed to the app's hook.
    pub edits: Arc<std::sync::Mutex<Vec<ExperimentEdit>>>,
}

pub async fn harness() -> Harness {
    harness_with(ServerConfig {
        secure_cookies: false,
        ..ServerConfig::default()
    })
    .await
}

pub async fn harness_with(config: ServerConfig) -> Harness {
    harness_full(config, None).await
}

/// A harness whose import hook is `import` (the default counts calls).
pub async fn harness_full(
    config: ServerConfig,
    import: Option<fulcrum_server::ImportHook>,
) -> Harness {
    harness_on(Backend::Sqlite, config, import).await
}

/// The store a harness runs on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    /// A fresh SQLite file in the harness's folder.
    Sqlite,
    /// A fresh database on the PostgreSQL server of
    /// `FULCRUM_TEST_DATABASE_URL` (the test fails without it: never
    /// skipped silently).
    Postgres,
}

/// A fresh, empty PostgreSQL database; returns its URL. Dropped with the
/// server's other test databases when the cluster is recycled: the name
/// carries the process id so parallel tests never meet.
pub async fn fresh_postgres_database() -> String {
    use sqlx::Connection;
    static N: AtomicUsize = AtomicUsize::new(0);
    sqlx::any::install_default_drivers();
    let admin_url = std::env::var("FULCRUM_TEST_DATABASE_URL").expect(
        "set FULCRUM_TEST_DATABASE_URL to a PostgreSQL URL whose role may CREATE DATABASE \
         (scripts/test does this)",
    );
    let name = format!(
        "fulcrum_srv_{}_{}",
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed)
    );
    let mut admin = sqlx::AnyConnection::connect(&admin_url).await.unwrap();
    sqlx::raw_sql(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        .execute(&mut admin)
        .await
        .unwrap();
    sqlx::raw_sql(&format!("CREATE DATABASE {name}"))
        .execute(&mut admin)
        .await
        .unwrap();
    admin.close().await.unwrap();
    let (base, query) = match admin_url.split_once('?') {
        Some((b, q)) => (b, format!("?{q}")),
        None => (admin_url.as_str(), String::new()),
    };
    let slash = base.rfind('/').unwrap();
    format!("{}/{name}{query}", &base[..slash])
}

/// A harness on `backend`.
pub async fn harness_on(
    backend: Backend,
    config: ServerConfig,
    import: Option<fulcrum_server::ImportHook>,
) -> Harness {
    let fx = fixture();
    let dir = TempDir::new("db");
    let db_path = dir.0.join("fulcrum.db");
    let url = match backend {
        Backend::Sqlite => format!("sqlite://{}", db_path.display()),
        Backend::Postgres => fresh_postgres_database().await,
    };
    let store = Store::open(&url).await.unwrap();
    // One hash for every test account: argon2 is slow on purpose.
    static HASH: OnceLock<String> = OnceLock::new();
    let hash = HASH
        .get_or_init(|| auth::hash_password(PASSWORD).unwrap())
        .clone();
    let add = |email: String, role: Role, teams: Vec<String>| NewUser {
        email,
        role,
        teams,
        password_hash: Some(hash.clone()),
        now: chrono::Utc::now(),
    };
    let member = store
        .create_user(add(person_of("payments").0, Role::Member, vec![]))
        .await
        .unwrap();
    let lead = store
        .create_user(add(
            person_of("platform").0,
            Role::Lead,
            vec!["search".into()],
        ))
        .await
        .unwrap();
    let admin = store
        .create_user(add(ADMIN.into(), Role::Admin, vec![]))
        .await
        .unwrap();
    let tiny = store
        .create_user(add(TINY[0].0.into(), Role::Member, vec![]))
        .await
        .unwrap();
    let imports = Arc::new(AtomicUsize::new(0));
    let counter = imports.clone();
    let edits: Arc<std::sync::Mutex<Vec<ExperimentEdit>>> = Arc::default();
    let recorded = edits.clone();
    let snapshot = fx.snapshot.clone();
    let hooks = Hooks {
        refresh: Arc::new(move || {
            let s = snapshot.clone();
            Box::pin(async move { Ok(s) })
        }),
        import: import.unwrap_or_else(|| {
            Arc::new(move || {
                let n = counter.fetch_add(1, Ordering::SeqCst) + 1;
                Box::pin(async move { Ok(format!("import {n}: 0 files changed")) })
            })
        }),
        // The app's side (writing fulcrum.toml) is tested in the fulcrum
        // crate; here the edits the server lets through are recorded.
        experiments: Some(Arc::new(move |edit: ExperimentEdit| {
            let recorded = recorded.clone();
            Box::pin(async move {
                recorded.lock().unwrap().push(edit);
                Ok("recorded".to_owned())
            })
        })),
    };
    let state = AppState::new(store, fx.snapshot.clone(), hooks, config);
    let app = fulcrum_server::router(state.clone());
    Harness {
        dir,
        db_path,
        url,
        state,
        app,
        member,
        lead,
        admin,
        tiny,
        imports,
        edits,
    }
}

/// A response, read whole.
pub struct Reply {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: String,
}

impl Reply {
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }

    pub fn header(&self, name: &str) -> &str {
        self.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
    }

    /// The value a `Set-Cookie` header gives cookie `name`.
    pub fn cookie(&self, name: &str) -> Option<String> {
        self.headers
            .get_all(header::SET_COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .find_map(|v| {
                let first = v.split(';').next()?;
                let (k, val) = first.split_once('=')?;
                (k == name).then(|| val.to_owned())
            })
    }
}

/// Sends one request to the router in-process.
pub async fn send(app: &Router, req: Request<Body>) -> Reply {
    let res = app.clone().oneshot(req).await.unwrap();
    let status = res.status();
    let headers = res.headers().clone();
    let bytes = res.into_body().collect().await.unwrap().to_bytes();
    Reply {
        status,
        headers,
        body: String::from_utf8_lossy(&bytes).into_owned(),
    }
}

/// Who sends a request.
#[derive(Clone, Debug)]
pub enum As {
    Anonymous,
    /// A session: the cookie value and its CSRF token.
    Session {
        cookie: String,
        csrf: String,
    },
    /// An API token.
    Token(String),
}

/// What a request carries.
#[derive(Clone, Debug)]
pub enum Payload {
    None,
    /// A form; `csrf=` of the session is added.
    Form(String),
    Json(serde_json::Value),
}

/// Builds a request as `who`: the session cookie (with `X-CSRF-Token` on
/// API changes and `csrf=` in forms) or the bearer token.
pub fn request(method: Method, path: &str, who: &As, payload: &Payload) -> Request<Body> {
    let mut b = Request::builder().method(method.clone()).uri(path);
    let mut csrf = String::new();
    match who {
        As::Anonymous => {}
        As::Session { cookie, csrf: c } => {
            b = b.header(header::COOKIE, format!("fulcrum_session={cookie}"));
            csrf = c.clone();
            if path.starts_with("/api/") && method != Method::GET {
                b = b.header("x-csrf-token", c);
            }
        }
        As::Token(t) => b = b.header(header::AUTHORIZATION, format!("Bearer {t}")),
    }
    let body = match payload {
        Payload::None => Body::empty(),
        Payload::Form(f) => {
            b = b.header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
            let sep = if f.is_empty() { "" } else { "&" };
            Body::from(format!("csrf={csrf}{sep}{f}"))
        }
        Payload::Json(v) => {
            b = b.header(header::CONTENT_TYPE, "application/json");
            Body::from(v.to_string())
        }
    };
    b.body(body).unwrap()
}

/// The value of the hidden `csrf` field of a page.
pub fn form_csrf(html: &str) -> String {
    let at = html.find("name=\"csrf\" value=\"").expect("a csrf field");
    let rest = &html[at + "name=\"csrf\" value=\"".len()..];
    rest[..rest.find('"').unwrap()].to_owned()
}

/// Signs in through the real forms; returns the session.
pub async fn sign_in(app: &Router, email: &str, password: &str) -> As {
    let form = send(app, Request::get("/signin").body(Body::empty()).unwrap()).await;
    assert_eq!(form.status, StatusCode::OK);
    let pre = form.cookie("fulcrum_signin").expect("the sign-in cookie");
    let csrf = form_csrf(&form.body);
    let res = send(
        app,
        Request::post("/signin")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::COOKIE, format!("fulcrum_signin={pre}"))
            .body(Body::from(format!(
                "email={}&password={}&csrf={csrf}",
                urlencode(email),
                urlencode(password)
            )))
            .unwrap(),
    )
    .await;
    assert_eq!(
        res.status,
        StatusCode::SEE_OTHER,
        "sign-in of {email}: {}",
        res.body
    );
    let cookie = res.cookie("fulcrum_session").expect("a session cookie");
    let me = send(
        app,
        request(
            Method::GET,
            "/api/v1/me",
            &As::Session {
                cookie: cookie.clone(),
                csrf: String::new(),
            },
            &Payload::None,
        ),
    )
    .await;
    let csrf = me.json()["csrf_token"].as_str().unwrap().to_owned();
    As::Session { cookie, csrf }
}

/// Creates an API token for `user` straight in the store.
pub async fn token_for(state: &AppState<Store>, user: &User, name: &str) -> As {
    let token = auth::new_token();
    state
        .store
        .create_token(fulcrum_store::NewToken {
            user_id: user.id,
            name: name.into(),
            hash: auth::sha256_hex(&token),
            created_at: chrono::Utc::now(),
        })
        .await
        .unwrap();
    As::Token(token)
}

pub fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                char::from(b).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}
