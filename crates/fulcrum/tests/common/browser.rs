//! A real browser for the server's end-to-end tests: headless Chromium
//! driven through chromedriver's W3C WebDriver API, with the checks every
//! page must pass (nothing loaded from outside the server, no console
//! error, labelled inputs, no horizontal scroll), and the child processes
//! those tests start, killed when dropped.

use serde_json::{Value, json};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex, mpsc};
use std::time::{Duration, Instant};

pub const CHROMIUM: &str = "/usr/bin/chromium";
/// The W3C key of an element reference.
pub const ELEMENT: &str = "element-6066-11e4-a52e-4f735466cecf";

/// A child process killed (and reaped) when dropped, also on a panic.
pub struct Killed(pub Child);

impl Drop for Killed {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// A port nobody listens on right now.
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// `name` found in a folder of `PATH`.
pub fn on_path(name: &str) -> Option<PathBuf> {
    std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|d| d.join(name))
            .find(|p| p.is_file())
    })
}

/// One HTTP/1.1 request with a JSON body over a fresh connection; the
/// status and the body (by `Content-Length`, or chunked). chromedriver
/// keeps connections open, so the body is read by its length, not to the
/// end of the stream.
pub fn http(port: u16, method: &str, path: &str, body: Option<&Value>) -> (u16, String) {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(120)))
        .unwrap();
    let body = body.map(Value::to_string).unwrap_or_default();
    let request = format!(
        "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    stream.write_all(request.as_bytes()).unwrap();
    let mut reader = BufReader::new(stream);
    let mut line = String::new();
    reader.read_line(&mut line).unwrap();
    let status: u16 = line
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("bad status line {line:?} from {method} {path}"));
    let (mut length, mut chunked) = (None, false);
    loop {
        line.clear();
        reader.read_line(&mut line).unwrap();
        let header = line.trim_end();
        if header.is_empty() {
            break;
        }
        if let Some((name, value)) = header.split_once(':') {
            let (name, value) = (name.trim().to_ascii_lowercase(), value.trim());
            if name == "content-length" {
                length = Some(value.parse::<usize>().unwrap());
            } else if name == "transfer-encoding" && value.to_ascii_lowercase().contains("chunked")
            {
                chunked = true;
            }
        }
    }
    let mut out = Vec::new();
    if chunked {
        loop {
            line.clear();
            reader.read_line(&mut line).unwrap();
            let size = usize::from_str_radix(line.split(';').next().unwrap().trim(), 16).unwrap();
            if size == 0 {
                break;
            }
            let mut chunk = vec![0; size + 2];
            reader.read_exact(&mut chunk).unwrap();
            out.extend_from_slice(&chunk[..size]);
        }
    } else if let Some(n) = length {
        out.resize(n, 0);
        reader.read_exact(&mut out).unwrap();
    } else {
        reader.read_to_end(&mut out).unwrap();
    }
    (status, String::from_utf8(out).unwrap())
}

/// A WebDriver session of headless Chromium; deleted (closing the
/// browser) when dropped.
pub struct Browser {
    port: u16,
    session: String,
}

impl Browser {
    pub fn start(driver_port: u16, profile: &Path) -> Browser {
        let caps = json!({
            "capabilities": {"alwaysMatch": {
                "browserName": "chrome",
                "goog:chromeOptions": {
                    "binary": CHROMIUM,
                    "args": [
                        "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic",
                        "--no-first-run", "--disable-background-networking",
                        "--disable-component-update", "--disable-sync",
                        "--disable-dev-shm-usage", "--window-size=1280,900",
                        format!("--user-data-dir={}", profile.display()),
                    ],
                },
                "goog:loggingPrefs": {"browser": "ALL"},
            }}
        });
        let (status, body) = http(driver_port, "POST", "/session", Some(&caps));
        assert_eq!(status, 200, "chromedriver could not start Chromium: {body}");
        let v: Value = serde_json::from_str(&body).unwrap();
        let session = v["value"]["sessionId"].as_str().unwrap().to_owned();
        Browser {
            port: driver_port,
            session,
        }
    }

    /// A WebDriver command; its `value`, or a panic with the error.
    pub fn call(&self, method: &str, path: &str, body: Option<Value>) -> Value {
        let path = format!("/session/{}{path}", self.session);
        let body = body.or_else(|| (method == "POST").then(|| json!({})));
        let (status, text) = http(self.port, method, &path, body.as_ref());
        assert_eq!(status, 200, "{method} {path}: {text}");
        let mut v: Value = serde_json::from_str(&text).unwrap();
        v["value"].take()
    }

    pub fn go(&self, url: &str) {
        self.call("POST", "/url", Some(json!({ "url": url })));
    }

    pub fn url(&self) -> String {
        self.call("GET", "/url", None).as_str().unwrap().to_owned()
    }

    pub fn js(&self, script: &str, args: Value) -> Value {
        self.call(
            "POST",
            "/execute/sync",
            Some(json!({"script": script, "args": args})),
        )
    }

    pub fn text(&self, selector: &str) -> String {
        self.js(
            "const e = document.querySelector(arguments[0]); return e ? e.innerText : null;",
            json!([selector]),
        )
        .as_str()
        .unwrap_or_else(|| panic!("no {selector} on {}", self.url()))
        .to_owned()
    }

    pub fn count(&self, selector: &str) -> u64 {
        self.js(
            "return document.querySelectorAll(arguments[0]).length;",
            json!([selector]),
        )
        .as_u64()
        .unwrap()
    }

    /// The form control a `<label>` with this text is for.
    pub fn labelled(&self, label: &str) -> String {
        let v = self.js(
            "const l = [...document.querySelectorAll('label')].find(l => l.textContent.trim() === arguments[0]); return l ? l.control : null;",
            json!([label]),
        );
        v[ELEMENT]
            .as_str()
            .unwrap_or_else(|| panic!("no control labelled {label:?} on {}: {v}", self.url()))
            .to_owned()
    }

    pub fn find(&self, css: &str) -> String {
        let v = self.call(
            "POST",
            "/element",
            Some(json!({"using": "css selector", "value": css})),
        );
        v[ELEMENT].as_str().unwrap().to_owned()
    }

    pub fn type_into(&self, element: &str, text: &str) {
        self.call(
            "POST",
            &format!("/element/{element}/value"),
            Some(json!({ "text": text })),
        );
    }

    pub fn click(&self, element: &str) {
        self.call("POST", &format!("/element/{element}/click"), None);
    }

    /// Waits until the page's path is `path` (10 s at most).
    pub fn wait_for_path(&self, origin: &str, path: &str) {
        let want = format!("{origin}{path}");
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let url = self.url();
            let ready = self.js("return document.readyState;", json!([]));
            if url == want && ready == "complete" {
                return;
            }
            if Instant::now() >= deadline {
                let main = self.js(
                    "const m = document.querySelector('main'); return m ? m.innerText : '';",
                    json!([]),
                );
                panic!("waited for {want}, still at {url} ({ready}): {main}");
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Every resource the page loaded comes from `origin`, and there was at
    /// least the style sheet.
    pub fn assert_local_only(&self, origin: &str) {
        let names = self.js(
            "return [location.href, ...performance.getEntriesByType('resource').map(e => e.name)];",
            json!([]),
        );
        let names: Vec<&str> = names
            .as_array()
            .unwrap()
            .iter()
            .map(|n| n.as_str().unwrap())
            .collect();
        assert!(
            names.iter().any(|n| n.ends_with("/static/app.css")),
            "{names:?}"
        );
        let foreign: Vec<&&str> = names
            .iter()
            .filter(|n| !n.starts_with(&format!("{origin}/")))
            .collect();
        assert!(foreign.is_empty(), "requests outside {origin}: {foreign:?}");
    }

    /// The browser's console messages since the last call.
    pub fn console(&self) -> Vec<(String, String)> {
        let v = self.call("POST", "/se/log", Some(json!({"type": "browser"})));
        v.as_array()
            .unwrap()
            .iter()
            .map(|e| {
                (
                    e["level"].as_str().unwrap_or_default().to_owned(),
                    e["message"].as_str().unwrap_or_default().to_owned(),
                )
            })
            .collect()
    }

    pub fn assert_no_console_errors(&self, page: &str) {
        let errors: Vec<(String, String)> = self
            .console()
            .into_iter()
            .filter(|(level, _)| level == "SEVERE" || level == "WARNING")
            .collect();
        assert!(errors.is_empty(), "console on {page}: {errors:#?}");
    }

    /// The visible form controls no `<label>` names (each by its id or
    /// name), the rule of the server's own label test, on the page as
    /// rendered.
    pub fn unlabelled(&self) -> Vec<String> {
        let v = self.js(
            "return [...document.querySelectorAll('input, select, textarea')].filter(e => e.type !== 'hidden' && e.labels.length === 0).map(e => e.id || e.name || e.outerHTML);",
            json!([]),
        );
        serde_json::from_value(v).unwrap()
    }

    /// Fails when the page scrolls sideways at the window's width, or when
    /// a visible form control has no label.
    pub fn assert_fits_and_labelled(&self, page: &str) {
        let (scroll, inner) = (
            self.js("return document.documentElement.scrollWidth;", json!([])),
            self.js("return window.innerWidth;", json!([])),
        );
        let wide = self.js(
            "const w = window.innerWidth; return [...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > w + 1).map(e => e.tagName + (e.id ? '#' + e.id : '') + (e.className ? '.' + e.className : '')).slice(0, 10);",
            json!([]),
        );
        assert!(
            scroll.as_u64().unwrap() <= inner.as_u64().unwrap(),
            "{page} scrolls sideways: scrollWidth {scroll} > innerWidth {inner}; past the edge: {wide}"
        );
        let unlabelled = self.unlabelled();
        assert!(unlabelled.is_empty(), "{page}: no label for {unlabelled:?}");
    }

    /// Waits until the text of `selector` contains `needle` (10 s at most);
    /// returns that text.
    pub fn wait_for_text(&self, selector: &str, needle: &str) -> String {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let text = self
                .js(
                    "const e = document.querySelector(arguments[0]); return e ? e.innerText : '';",
                    json!([selector]),
                )
                .as_str()
                .unwrap_or_default()
                .to_owned();
            if text.contains(needle) {
                return text;
            }
            assert!(
                Instant::now() < deadline,
                "no {needle:?} in {selector} on {}: {text}",
                self.url()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Sets a control's value by script (a date or time input, whose typed
    /// form depends on the browser's locale).
    pub fn set_value(&self, element: &str, value: &str) {
        self.js(
            "arguments[0].value = arguments[1];",
            json!([{ ELEMENT: element }, value]),
        );
    }

    /// Chooses the option with this value in a `<select>`.
    pub fn select(&self, element: &str, value: &str) {
        let chosen = self.js(
            "const s = arguments[0]; s.value = arguments[1]; s.dispatchEvent(new Event('change', {bubbles: true})); return s.value;",
            json!([{ ELEMENT: element }, value]),
        );
        assert_eq!(chosen, value, "no option {value:?} on {}", self.url());
    }

    pub fn sign_in(&self, origin: &str, email: &str, password: &str) {
        self.go(&format!("{origin}/signin"));
        self.wait_for_path(origin, "/signin");
        assert_eq!(
            self.js("return document.title;", json!([])),
            "Sign in · Fulcrum"
        );
        let email_input = self.labelled("Email");
        self.type_into(&email_input, email);
        let password_input = self.labelled("Password");
        self.type_into(&password_input, password);
        let submit = self.find("main form button[type=submit]");
        self.click(&submit);
        self.wait_for_path(origin, "/dashboard");
    }

    pub fn sign_out(&self, origin: &str) {
        let button = self.find("form.signout button[type=submit]");
        self.click(&button);
        self.wait_for_path(origin, "/signin");
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = http(
            self.port,
            "DELETE",
            &format!("/session/{}", self.session),
            None,
        );
    }
}

/// The server's address from its log line `serving on http://ADDR`; the
/// rest of its log is kept (and printed when the test fails).
pub fn served_address(child: &mut Child, log: Arc<Mutex<Vec<String>>>) -> String {
    let stderr = child.stderr.take().unwrap();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            if let Some(rest) = line.split("serving on http://").nth(1) {
                let _ = tx.send(rest.split_whitespace().next().unwrap_or("").to_owned());
            }
            log.lock().unwrap().push(line);
        }
    });
    rx.recv_timeout(Duration::from_secs(120))
        .expect("fulcrum serve did not log `serving on http://...` within 120 s")
}

pub fn wait_for_driver(port: u16) {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        if TcpStream::connect(("127.0.0.1", port)).is_ok() {
            let (status, body) = http(port, "GET", "/status", None);
            if status == 200 && body.contains("\"ready\":true") {
                return;
            }
        }
        assert!(
            Instant::now() < deadline,
            "chromedriver did not get ready on port {port} within 30 s"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// chromedriver and headless Chromium, ready: the driver is killed and the
/// browser closed when dropped (the browser first). Fails naming the
/// Debian packages when either is missing; it is never skipped.
pub struct Chromium {
    pub browser: Browser,
    _driver: Killed,
}

impl Chromium {
    /// Starts both, with the browser's profile in `profile`.
    pub fn start(profile: &Path) -> Chromium {
        assert!(
            Path::new(CHROMIUM).is_file(),
            "{CHROMIUM} is missing: install the Debian package `chromium` (apt-get install chromium)"
        );
        let chromedriver = on_path("chromedriver").unwrap_or_else(|| {
            panic!(
                "chromedriver is not on PATH: install the Debian package `chromium-driver` (apt-get install chromium-driver)"
            )
        });
        let driver_port = free_port();
        let driver = Killed(
            Command::new(&chromedriver)
                .arg(format!("--port={driver_port}"))
                .stdin(Stdio::null())
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .unwrap_or_else(|e| panic!("cannot start {}: {e}", chromedriver.display())),
        );
        wait_for_driver(driver_port);
        Chromium {
            browser: Browser::start(driver_port, profile),
            _driver: driver,
        }
    }
}
