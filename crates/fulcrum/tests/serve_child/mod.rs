//! `fulcrum serve` as a child process for the deployment tests: started
//! with the environment a service manager would give it, its log collected
//! line by line, killed when dropped; and a plain HTTP/1.1 client with a
//! cookie jar for walking through sign-in redirects by hand.

#![allow(clippy::unwrap_used, dead_code)]

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// A port nobody listens on right now.
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// A running `fulcrum serve`, killed (and reaped) when dropped.
pub struct Server {
    child: Child,
    /// Its log so far, one line per entry.
    pub log: Arc<Mutex<Vec<String>>>,
    /// Its port on 127.0.0.1.
    pub port: u16,
}

impl Server {
    /// Starts `fulcrum serve ARGS` in `dir` with `env` (and nothing on the
    /// command line that the environment can say), and waits until it
    /// serves.
    pub fn start(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Server {
        Server::start_on(free_port(), dir, args, env)
    }

    /// [`Server::start`] on a given port.
    pub fn start_on(port: u16, dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Server {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_fulcrum"));
        cmd.current_dir(dir)
            .arg("serve")
            .args(args)
            .env("FULCRUM_LISTEN", format!("127.0.0.1:{port}"))
            .env("FULCRUM_REPORT_KEY", "000102030405060708090a0b0c0d0e0f")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped());
        for (k, v) in env {
            cmd.env(k, v);
        }
        let mut child = cmd.spawn().unwrap();
        let stderr = child.stderr.take().unwrap();
        let log = Arc::new(Mutex::new(Vec::new()));
        let lines = log.clone();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                lines.lock().unwrap().push(line);
            }
        });
        let server = Server { child, log, port };
        server.wait_for_log("serving on http://", Duration::from_secs(120));
        server
    }

    /// The log as one text.
    pub fn log_text(&self) -> String {
        self.log.lock().unwrap().join("\n")
    }

    /// Waits until a log line contains `needle`; returns that line.
    pub fn wait_for_log(&self, needle: &str, timeout: Duration) -> String {
        let mut found = String::new();
        self.wait_until(needle, timeout, |lines| {
            lines
                .iter()
                .find(|l| l.contains(needle))
                .map(|l| found = l.clone())
                .is_some()
        });
        found
    }

    /// Waits until `test` holds of the log so far.
    pub fn wait_until(
        &self,
        what: &str,
        timeout: Duration,
        mut test: impl FnMut(&[String]) -> bool,
    ) {
        let deadline = Instant::now() + timeout;
        loop {
            // A copy, so that `test` may look at the server too.
            let lines = self.log.lock().unwrap().clone();
            if test(&lines) {
                return;
            }
            assert!(
                Instant::now() < deadline,
                "not within {timeout:?}: {what}\n{}",
                lines.join("\n")
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Lines matching `test` so far.
    pub fn count_lines(&self, test: impl Fn(&str) -> bool) -> usize {
        self.log.lock().unwrap().iter().filter(|l| test(l)).count()
    }

    /// True while the process runs.
    pub fn running(&mut self) -> bool {
        self.child.try_wait().unwrap().is_none()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A response.
#[derive(Debug)]
pub struct Reply {
    /// The status code.
    pub status: u16,
    /// Headers, names lower-cased, in order.
    pub headers: Vec<(String, String)>,
    /// The body as text.
    pub body: String,
}

impl Reply {
    /// The first header `name` (lower-case).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// A client that keeps cookies, as a browser does for one host (cookies
/// are not told apart by port, in browsers either), and follows no
/// redirect by itself.
#[derive(Debug, Default)]
pub struct Browser {
    /// Cookies by name.
    pub cookies: BTreeMap<String, String>,
}

impl Browser {
    /// `GET url`.
    pub fn get(&mut self, url: &str) -> Reply {
        self.send("GET", url, None)
    }

    /// `POST url` with a urlencoded form.
    pub fn post_form(&mut self, url: &str, fields: &[(&str, &str)]) -> Reply {
        let body = fields
            .iter()
            .map(|(k, v)| format!("{}={}", urlencode(k), urlencode(v)))
            .collect::<Vec<_>>()
            .join("&");
        self.send("POST", url, Some(body))
    }

    /// Follows redirects from `reply` (GET after each), at most ten, and
    /// returns the last reply and its URL.
    pub fn follow(&mut self, mut url: String, mut reply: Reply) -> (String, Reply) {
        for _ in 0..10 {
            if !(300..400).contains(&reply.status) {
                return (url, reply);
            }
            let location = reply.header("location").unwrap().to_owned();
            url = resolve(&url, &location);
            reply = self.get(&url);
        }
        panic!("more than ten redirects, last to {url}");
    }

    fn send(&mut self, method: &str, url: &str, form: Option<String>) -> Reply {
        let rest = url.strip_prefix("http://").unwrap();
        let (authority, path) = match rest.find('/') {
            Some(i) => (&rest[..i], &rest[i..]),
            None => (rest, "/"),
        };
        let mut stream = TcpStream::connect(authority).unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(60)))
            .unwrap();
        let cookie = self
            .cookies
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("; ");
        let mut request = format!(
            "{method} {path} HTTP/1.1\r\nHost: {authority}\r\nConnection: close\r\nAccept: text/html\r\n"
        );
        if !cookie.is_empty() {
            request.push_str(&format!("Cookie: {cookie}\r\n"));
        }
        let body = form.unwrap_or_default();
        if method == "POST" {
            request.push_str(&format!(
                "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\nOrigin: http://{authority}\r\n",
                body.len()
            ));
        }
        request.push_str("\r\n");
        request.push_str(&body);
        stream.write_all(request.as_bytes()).unwrap();
        let mut raw = Vec::new();
        stream.read_to_end(&mut raw).unwrap();
        let split = raw
            .windows(4)
            .position(|w| w == b"\r\n\r\n")
            .expect("a response header");
        let head = String::from_utf8_lossy(&raw[..split]).into_owned();
        let mut body = raw[split + 4..].to_vec();
        let mut lines = head.lines();
        let status: u16 = lines
            .next()
            .unwrap()
            .split_whitespace()
            .nth(1)
            .unwrap()
            .parse()
            .unwrap();
        let headers: Vec<(String, String)> = lines
            .filter_map(|l| l.split_once(':'))
            .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_owned()))
            .collect();
        if headers
            .iter()
            .any(|(n, v)| n == "transfer-encoding" && v.contains("chunked"))
        {
            body = dechunk(&body);
        }
        for (_, v) in headers.iter().filter(|(n, _)| n == "set-cookie") {
            let pair = v.split(';').next().unwrap_or_default();
            if let Some((name, value)) = pair.split_once('=') {
                let deleted = v.to_ascii_lowercase().contains("max-age=0")
                    || v.to_ascii_lowercase().contains("expires=thu, 01 jan 1970");
                if deleted || value.is_empty() {
                    self.cookies.remove(name.trim());
                } else {
                    self.cookies
                        .insert(name.trim().to_owned(), value.trim().to_owned());
                }
            }
        }
        Reply {
            status,
            headers,
            body: String::from_utf8_lossy(&body).into_owned(),
        }
    }
}

fn dechunk(mut data: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    loop {
        let Some(end) = data.windows(2).position(|w| w == b"\r\n") else {
            return out;
        };
        let size_text = String::from_utf8_lossy(&data[..end]);
        let size =
            usize::from_str_radix(size_text.split(';').next().unwrap().trim(), 16).unwrap_or(0);
        if size == 0 {
            return out;
        }
        out.extend_from_slice(&data[end + 2..end + 2 + size]);
        data = &data[end + 2 + size + 2..];
    }
}

/// `location` resolved against `base` (absolute URLs, absolute paths).
pub fn resolve(base: &str, location: &str) -> String {
    if location.starts_with("http://") || location.starts_with("https://") {
        return location.to_owned();
    }
    let rest = base.strip_prefix("http://").unwrap();
    let authority = rest.split('/').next().unwrap();
    assert!(location.starts_with('/'), "relative location {location:?}");
    format!("http://{authority}{location}")
}

/// Percent-encoding for form fields and query values.
pub fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                char::from(b).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// The value of a query parameter of `url`, decoded.
pub fn query_param(url: &str, name: &str) -> Option<String> {
    let query = url.split_once('?')?.1;
    query.split('&').find_map(|pair| {
        let (k, v) = pair.split_once('=')?;
        (k == name).then(|| urldecode(v))
    })
}

fn urldecode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' if i + 2 < bytes.len() => {
                let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap();
                out.push(u8::from_str_radix(hex, 16).unwrap());
                i += 3;
            }
            b'+' => {
                out.push(b' ');
                i += 1;
            }
            b => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8(out).unwrap()
}
