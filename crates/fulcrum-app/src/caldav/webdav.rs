//! WebDAV and CalDAV requests over HTTP: PROPFIND, the `sync-collection`
//! REPORT (RFC 6578) and `calendar-multiget` (RFC 4791), with the
//! multistatus answers read into plain values.
//!
//! Hand-written on hyper rather than through a CalDAV client crate: the
//! sync needs a handful of requests, each with exactly the properties it
//! uses (sync tokens and collection tags in the calendar listing, calendar
//! data inside the sync report), and the count of requests is part of what
//! the tests check. Every request is counted, redirects included.

use base64::Engine as _;
use http_body_util::{BodyExt, Full, Limited};
use hyper::body::Bytes;
use hyper::{Method, Request, StatusCode, Uri};
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioExecutor;
use std::time::Duration;

/// The largest answer read (a full sync of a big calendar is one answer).
const MAX_BODY: usize = 512 << 20;

/// Redirects followed per request (`/.well-known/caldav` is one).
const MAX_REDIRECTS: usize = 5;

/// How the client proves who it is.
#[derive(Clone)]
pub enum Auth {
    /// HTTP Basic with a username and a password or app password.
    Basic {
        /// The account.
        username: String,
        /// The secret.
        password: String,
    },
    /// `Authorization: Bearer`.
    Bearer(String),
    /// Nothing (a server on a trusted network).
    None,
}

impl std::fmt::Debug for Auth {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never print a secret.
        match self {
            Auth::Basic { username, .. } => write!(f, "Basic({username}, ***)"),
            Auth::Bearer(_) => write!(f, "Bearer(***)"),
            Auth::None => write!(f, "None"),
        }
    }
}

/// Why a request failed.
#[derive(Debug, thiserror::Error)]
pub enum DavError {
    /// No answer: the host is unknown, refuses connections, or timed out.
    #[error("cannot reach {url}: {reason}")]
    Unreachable {
        /// The URL asked.
        url: String,
        /// What went wrong.
        reason: String,
    },
    /// 401 or 403: the credentials were refused.
    #[error("{url} refused the credentials ({status})")]
    Refused {
        /// The URL asked.
        url: String,
        /// 401 or 403.
        status: u16,
    },
    /// 404 or 410.
    #[error("{url} is not on the server ({status})")]
    NotFound {
        /// The URL asked.
        url: String,
        /// 404 or 410.
        status: u16,
    },
    /// Any other status that is not success.
    #[error("{method} {url} answered {status}")]
    Status {
        /// The method.
        method: String,
        /// The URL asked.
        url: String,
        /// The status.
        status: u16,
    },
    /// The answer could not be read as a WebDAV multistatus.
    #[error("{url} answered something that is not a WebDAV multistatus: {reason}")]
    Malformed {
        /// The URL asked.
        url: String,
        /// What was wrong.
        reason: String,
    },
}

/// The properties of one resource that the sync reads.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Props {
    /// `resourcetype` holds `collection`.
    pub collection: bool,
    /// `resourcetype` holds CalDAV's `calendar`.
    pub calendar: bool,
    /// `displayname`.
    pub display_name: Option<String>,
    /// `sync-token` (RFC 6578).
    pub sync_token: Option<String>,
    /// `getctag` (calendarserver.org).
    pub ctag: Option<String>,
    /// `getetag`.
    pub etag: Option<String>,
    /// `calendar-data`.
    pub calendar_data: Option<String>,
    /// `current-user-principal`'s href.
    pub principal: Option<String>,
    /// `calendar-home-set`'s first href.
    pub home: Option<String>,
    /// `calendar-user-address-set`'s hrefs.
    pub addresses: Vec<String>,
    /// `supported-calendar-component-set`'s names, when given.
    pub components: Option<Vec<String>>,
}

/// One `response` of a multistatus.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// Its href, as a path.
    pub href: String,
    /// The status of the response itself (a deleted member in a sync
    /// report: 404), when given.
    pub status: Option<u16>,
    /// The properties found (from the 2xx propstats).
    pub props: Props,
}

/// A multistatus answer.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Multistatus {
    /// The responses, in the order the server gave them.
    pub entries: Vec<Entry>,
    /// The new sync token of a sync report.
    pub sync_token: Option<String>,
    /// The report was cut short (RFC 6578 3.6: the collection itself
    /// answered 507): ask again from `sync_token`.
    pub truncated: bool,
}

/// A WebDAV client for one account: one connection pool, one
/// `Authorization` header, a request counter.
pub struct DavClient {
    http: Client<hyper_rustls::HttpsConnector<HttpConnector>, Full<Bytes>>,
    authorization: Option<String>,
    timeout: Duration,
    requests: u32,
}

/// The TLS connector: the system's roots, or Mozilla's when the system has
/// none (a minimal container).
fn connector() -> Result<hyper_rustls::HttpsConnector<HttpConnector>, String> {
    // ring rather than aws-lc-rs: it builds with a C compiler alone (no
    // cmake), which CI machines and packagers have. rustls 0.23.48 marks it
    // deprecated for lacking post-quantum key exchange; classical TLS 1.3
    // and 1.2 are what CalDAV servers speak today.
    #[allow(deprecated)]
    let provider = std::sync::Arc::new(rustls::crypto::ring::default_provider());
    let mut http = HttpConnector::new();
    http.enforce_http(false);
    http.set_connect_timeout(Some(Duration::from_secs(10)));
    let builder = match hyper_rustls::HttpsConnectorBuilder::new()
        .with_provider_and_native_roots(provider.clone())
    {
        Ok(b) => b,
        Err(_) => hyper_rustls::HttpsConnectorBuilder::new()
            .with_provider_and_webpki_roots(provider)
            .map_err(|e| format!("cannot set up TLS: {e}"))?,
    };
    Ok(builder.https_or_http().enable_http1().wrap_connector(http))
}

impl DavClient {
    /// A client signing in with `auth`; each request gives up after
    /// `timeout`.
    pub fn new(auth: Auth, timeout: Duration) -> Result<DavClient, String> {
        let authorization = match auth {
            Auth::Basic { username, password } => Some(format!(
                "Basic {}",
                base64::engine::general_purpose::STANDARD.encode(format!("{username}:{password}"))
            )),
            Auth::Bearer(token) => Some(format!("Bearer {token}")),
            Auth::None => None,
        };
        Ok(DavClient {
            http: Client::builder(TokioExecutor::new()).build(connector()?),
            authorization,
            timeout,
            requests: 0,
        })
    }

    /// Requests sent so far (each redirect is one more).
    pub fn requests(&self) -> u32 {
        self.requests
    }

    /// Sends one request and reads its answer, following redirects.
    /// Returns the final URL, the status and the body.
    async fn send(
        &mut self,
        method: &str,
        url: &str,
        depth: &str,
        body: String,
    ) -> Result<(String, StatusCode, Bytes), DavError> {
        let mut url = url.to_owned();
        for _ in 0..=MAX_REDIRECTS {
            let unreachable = |reason: String| DavError::Unreachable {
                url: url.clone(),
                reason,
            };
            let uri: Uri = url
                .parse()
                .map_err(|e: hyper::http::uri::InvalidUri| unreachable(e.to_string()))?;
            let mut req = Request::builder()
                .method(Method::from_bytes(method.as_bytes()).unwrap_or(Method::GET))
                .uri(uri)
                .header("Content-Type", "application/xml; charset=utf-8")
                .header("Depth", depth)
                .header("User-Agent", concat!("fulcrum/", env!("CARGO_PKG_VERSION")));
            if let Some(a) = &self.authorization {
                req = req.header("Authorization", a);
            }
            let req = req
                .body(Full::new(Bytes::from(body.clone())))
                .map_err(|e| unreachable(e.to_string()))?;
            self.requests += 1;
            let answer = tokio::time::timeout(self.timeout, async {
                let resp = self.http.request(req).await.map_err(|e| {
                    // The innermost cause says what happened ("connection
                    // refused", "dns error").
                    let mut cause: &dyn std::error::Error = &e;
                    while let Some(next) = cause.source() {
                        cause = next;
                    }
                    cause.to_string()
                })?;
                let status = resp.status();
                let location = resp
                    .headers()
                    .get("Location")
                    .and_then(|l| l.to_str().ok())
                    .map(str::to_owned);
                let body = Limited::new(resp.into_body(), MAX_BODY)
                    .collect()
                    .await
                    .map_err(|e| e.to_string())?
                    .to_bytes();
                Ok::<_, String>((status, location, body))
            })
            .await
            .map_err(|_| unreachable(format!("no answer within {} s", self.timeout.as_secs())))?
            .map_err(unreachable)?;
            let (status, location, bytes) = answer;
            if status.is_redirection()
                && let Some(location) = location
            {
                url = resolve(&url, &location);
                continue;
            }
            return Ok((url, status, bytes));
        }
        Err(DavError::Unreachable {
            url,
            reason: format!("more than {MAX_REDIRECTS} redirects"),
        })
    }

    /// A request whose answer must be a 207 multistatus.
    async fn multistatus(
        &mut self,
        method: &str,
        url: &str,
        depth: &str,
        body: String,
    ) -> Result<Multistatus, DavError> {
        let (url, status, bytes) = self.send(method, url, depth, body).await?;
        match status.as_u16() {
            207 => {}
            s @ (401 | 403) => return Err(DavError::Refused { url, status: s }),
            s @ (404 | 410) => return Err(DavError::NotFound { url, status: s }),
            s => {
                return Err(DavError::Status {
                    method: method.to_owned(),
                    url,
                    status: s,
                });
            }
        }
        let text = std::str::from_utf8(&bytes).map_err(|e| DavError::Malformed {
            url: url.clone(),
            reason: e.to_string(),
        })?;
        parse_multistatus(text).map_err(|reason| DavError::Malformed { url, reason })
    }

    /// PROPFIND with the given `<prop>` children.
    pub async fn propfind(
        &mut self,
        url: &str,
        depth: &str,
        props: &str,
    ) -> Result<Multistatus, DavError> {
        let body = format!(
            "<?xml version=\"1.0\" encoding=\"utf-8\"?>\
             <d:propfind xmlns:d=\"DAV:\" xmlns:c=\"urn:ietf:params:xml:ns:caldav\" \
             xmlns:cs=\"http://calendarserver.org/ns/\"><d:prop>{props}</d:prop></d:propfind>"
        );
        self.multistatus("PROPFIND", url, depth, body).await
    }

    /// The `sync-collection` REPORT from `token` (the initial sync when
    /// `None`), asking for each changed member's ETag and calendar data.
    pub async fn sync_collection(
        &mut self,
        url: &str,
        token: Option<&str>,
    ) -> Result<Multistatus, DavError> {
        let token = match token {
            Some(t) => format!("<d:sync-token>{}</d:sync-token>", escape(t)),
            None => "<d:sync-token/>".to_owned(),
        };
        let body = format!(
            "<?xml version=\"1.0\" encoding=\"utf-8\"?>\
             <d:sync-collection xmlns:d=\"DAV:\" xmlns:c=\"urn:ietf:params:xml:ns:caldav\">\
             {token}<d:sync-level>1</d:sync-level>\
             <d:prop><d:getetag/><c:calendar-data/></d:prop></d:sync-collection>"
        );
        self.multistatus("REPORT", url, "0", body).await
    }

    /// `calendar-multiget` of the given hrefs: their ETags and data.
    pub async fn multiget(&mut self, url: &str, hrefs: &[String]) -> Result<Multistatus, DavError> {
        let hrefs: String = hrefs
            .iter()
            .map(|h| format!("<d:href>{}</d:href>", escape(h)))
            .collect();
        let body = format!(
            "<?xml version=\"1.0\" encoding=\"utf-8\"?>\
             <c:calendar-multiget xmlns:d=\"DAV:\" xmlns:c=\"urn:ietf:params:xml:ns:caldav\">\
             <d:prop><d:getetag/><c:calendar-data/></d:prop>{hrefs}</c:calendar-multiget>"
        );
        self.multistatus("REPORT", url, "1", body).await
    }
}

/// Text for an XML element.
fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// `href` (absolute URL, absolute path or relative path) resolved against
/// the URL `base`.
pub fn resolve(base: &str, href: &str) -> String {
    if href.starts_with("http://") || href.starts_with("https://") {
        return href.to_owned();
    }
    let origin_end = base
        .find("://")
        .map(|i| i + 3)
        .and_then(|start| base[start..].find('/').map(|j| start + j))
        .unwrap_or(base.len());
    let origin = &base[..origin_end];
    if href.starts_with('/') {
        return format!("{origin}{href}");
    }
    let path = &base[origin_end..];
    let dir = match path.rfind('/') {
        Some(i) => &path[..=i],
        None => "/",
    };
    format!("{origin}{dir}{href}")
}

/// The path of an href (an absolute URL's path, else the href itself).
pub fn path_of(href: &str) -> String {
    if let Some(rest) = href
        .strip_prefix("http://")
        .or_else(|| href.strip_prefix("https://"))
    {
        return match rest.find('/') {
            Some(i) => rest[i..].to_owned(),
            None => "/".to_owned(),
        };
    }
    href.to_owned()
}

const DAV: &str = "DAV:";
const CALDAV: &str = "urn:ietf:params:xml:ns:caldav";
const CALSERVER: &str = "http://calendarserver.org/ns/";

/// The status code of a `DAV:status` text (`HTTP/1.1 404 Not Found`).
fn status_code(text: &str) -> Option<u16> {
    text.split_whitespace().nth(1)?.parse().ok()
}

/// Reads a multistatus body.
pub fn parse_multistatus(text: &str) -> Result<Multistatus, String> {
    let doc = roxmltree::Document::parse(text).map_err(|e| e.to_string())?;
    let root = doc.root_element();
    if !root.has_tag_name((DAV, "multistatus")) {
        return Err(format!("the root element is {:?}", root.tag_name().name()));
    }
    let mut out = Multistatus::default();
    let text_of = |n: roxmltree::Node<'_, '_>| -> String {
        n.descendants()
            .filter(|d| d.is_text())
            .filter_map(|d| d.text())
            .collect::<String>()
            .trim()
            .to_owned()
    };
    for child in root.children().filter(|n| n.is_element()) {
        if child.has_tag_name((DAV, "sync-token")) {
            out.sync_token = Some(text_of(child)).filter(|t| !t.is_empty());
            continue;
        }
        if !child.has_tag_name((DAV, "response")) {
            continue;
        }
        let mut entry = Entry {
            href: String::new(),
            status: None,
            props: Props::default(),
        };
        for part in child.children().filter(|n| n.is_element()) {
            match part.tag_name().name() {
                "href" if part.tag_name().namespace() == Some(DAV) && entry.href.is_empty() => {
                    entry.href = path_of(&text_of(part));
                }
                "status" if part.tag_name().namespace() == Some(DAV) => {
                    entry.status = status_code(&text_of(part));
                }
                "propstat" if part.tag_name().namespace() == Some(DAV) => {
                    let ok = part
                        .children()
                        .find(|n| n.has_tag_name((DAV, "status")))
                        .and_then(|s| status_code(&text_of(s)))
                        .is_none_or(|s| (200..300).contains(&s));
                    if !ok {
                        continue;
                    }
                    for prop in part.children().filter(|n| n.has_tag_name((DAV, "prop"))) {
                        for p in prop.children().filter(|n| n.is_element()) {
                            read_prop(p, &mut entry.props, &text_of);
                        }
                    }
                }
                _ => {}
            }
        }
        if entry.href.is_empty() {
            continue;
        }
        out.entries.push(entry);
    }
    Ok(out)
}

/// One property into `props`.
fn read_prop(
    p: roxmltree::Node<'_, '_>,
    props: &mut Props,
    text_of: &dyn Fn(roxmltree::Node<'_, '_>) -> String,
) {
    let hrefs = |p: roxmltree::Node<'_, '_>| -> Vec<String> {
        p.children()
            .filter(|n| n.has_tag_name((DAV, "href")))
            .map(text_of)
            .filter(|h| !h.is_empty())
            .collect()
    };
    let name = p.tag_name().name();
    match p.tag_name().namespace() {
        Some(DAV) => match name {
            "resourcetype" => {
                for t in p.children().filter(|n| n.is_element()) {
                    props.collection |= t.has_tag_name((DAV, "collection"));
                    props.calendar |= t.has_tag_name((CALDAV, "calendar"));
                }
            }
            "displayname" => props.display_name = Some(text_of(p)).filter(|t| !t.is_empty()),
            "sync-token" => props.sync_token = Some(text_of(p)).filter(|t| !t.is_empty()),
            "getetag" => props.etag = Some(text_of(p)).filter(|t| !t.is_empty()),
            "current-user-principal" => props.principal = hrefs(p).into_iter().next(),
            _ => {}
        },
        Some(CALDAV) => match name {
            // Calendar data is the text as sent: CR and LF are kept, so
            // the reader's lines and folds are the server's.
            "calendar-data" => {
                props.calendar_data = Some(
                    p.descendants()
                        .filter(|d| d.is_text())
                        .filter_map(|d| d.text())
                        .collect(),
                );
            }
            "calendar-home-set" => props.home = hrefs(p).into_iter().next(),
            "calendar-user-address-set" => props.addresses = hrefs(p),
            "supported-calendar-component-set" => {
                props.components = Some(
                    p.children()
                        .filter(|n| n.has_tag_name((CALDAV, "comp")))
                        .filter_map(|n| n.attribute("name"))
                        .map(str::to_uppercase)
                        .collect(),
                );
            }
            _ => {}
        },
        Some(CALSERVER) if name == "getctag" => {
            props.ctag = Some(text_of(p)).filter(|t| !t.is_empty());
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)] // A panic is a failed test with its location.
    use super::*;

    #[test]
    fn hrefs_resolve_against_the_url_they_came_from() {
        let base = "https://dav.example.org/dav/calendars/ana/";
        assert_eq!(
            resolve(base, "/principals/ana/"),
            "https://dav.example.org/principals/ana/"
        );
        assert_eq!(
            resolve(base, "office/"),
            "https://dav.example.org/dav/calendars/ana/office/"
        );
        assert_eq!(resolve(base, "http://x.test/a"), "http://x.test/a");
        assert_eq!(path_of("https://x.test/a/b.ics"), "/a/b.ics");
        assert_eq!(path_of("/a/b.ics"), "/a/b.ics");
    }

    #[test]
    fn a_sync_report_gives_changes_deletions_and_the_new_token() {
        let text = r#"<?xml version="1.0" encoding="utf-8"?>
<d:multistatus xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:caldav">
  <d:response>
    <d:href>/cal/ana/office/a.ics</d:href>
    <d:propstat><d:prop><d:getetag>"1"</d:getetag>
      <c:calendar-data>BEGIN:VCALENDAR&#13;
END:VCALENDAR&#13;
</c:calendar-data></d:prop><d:status>HTTP/1.1 200 OK</d:status></d:propstat>
  </d:response>
  <d:response><d:href>https://dav.example.org/cal/ana/office/b.ics</d:href>
    <d:status>HTTP/1.1 404 Not Found</d:status></d:response>
  <d:sync-token>http://radicale.org/ns/sync/abc</d:sync-token>
</d:multistatus>"#;
        let m = parse_multistatus(text).unwrap();
        assert_eq!(
            m.sync_token.as_deref(),
            Some("http://radicale.org/ns/sync/abc")
        );
        assert_eq!(m.entries.len(), 2);
        assert_eq!(m.entries[0].props.etag.as_deref(), Some("\"1\""));
        assert_eq!(
            m.entries[0].props.calendar_data.as_deref(),
            Some("BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n")
        );
        assert_eq!(m.entries[1].href, "/cal/ana/office/b.ics");
        assert_eq!(m.entries[1].status, Some(404));
        assert!(parse_multistatus("<html/>").is_err());
    }
}
