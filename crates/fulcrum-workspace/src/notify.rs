//! `[notify]`: the reminder digests sent over SMTP, and `[serve]
//! public_url`, the address the digests and calendar feeds link to.
//!
//! The SMTP password is never written in `fulcrum.toml`: `password_env`
//! names an environment variable and `password_file` a file that holds it.
//! This module only checks what is written; reading the secret and
//! talking to the server is the server's job.

use crate::caldav::SecretAt;
use crate::error::{ConfigError, line_of};
use serde::Deserialize;
use toml::Spanned;

/// The SMTP submission port (STARTTLS) when `port` is not given.
pub const DEFAULT_SMTP_PORT: u16 = 587;

/// `[notify]`, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotifyConfig {
    /// The SMTP server's host name.
    pub host: String,
    /// Its port (default [`DEFAULT_SMTP_PORT`]).
    pub port: u16,
    /// The sender address of the digests.
    pub from: String,
    /// The account signing in, when the server wants one.
    pub username: Option<String>,
    /// Where the password is read from (given whenever `username` is).
    pub password: Option<SecretAt>,
    /// Upgrade the connection with STARTTLS (default true; off only for a
    /// server on this machine).
    pub starttls: bool,
    /// Send the daily digests (default true); `false` keeps the settings
    /// for `fulcrum notify send` without sending on a schedule.
    pub digest: bool,
}

/// `[notify]` as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawNotify {
    host: Option<Spanned<String>>,
    port: Option<Spanned<i64>>,
    from: Option<Spanned<String>>,
    username: Option<Spanned<String>>,
    starttls: Option<Spanned<bool>>,
    password_env: Option<Spanned<String>>,
    password_file: Option<Spanned<String>>,
    /// Refused with a message saying where the password goes instead.
    password: Option<Spanned<toml::Value>>,
    digest: Option<bool>,
}

/// `[serve]` as written.
#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawServe {
    public_url: Option<Spanned<String>>,
}

/// True for the host names of this machine.
fn is_local_host(host: &str) -> bool {
    matches!(
        host.trim().to_ascii_lowercase().as_str(),
        "localhost" | "127.0.0.1" | "::1" | "[::1]"
    )
}

/// Collects located errors in one file.
struct Errors<'t> {
    file: &'t str,
    text: &'t str,
    list: Vec<ConfigError>,
}

impl Errors<'_> {
    fn at<T>(&mut self, spanned: &Spanned<T>, key: &str, message: impl Into<String>) {
        self.list.push(ConfigError {
            file: self.file.to_owned(),
            line: Some(line_of(self.text, spanned.span().start)),
            key: Some(key.to_owned()),
            message: message.into(),
        });
    }
}

/// Checks `[notify]`; problems are located at their key.
pub(crate) fn resolve(
    raw: &Spanned<RawNotify>,
    file: &str,
    text: &str,
) -> (Option<NotifyConfig>, Vec<ConfigError>) {
    let mut e = Errors {
        file,
        text,
        list: Vec::new(),
    };
    let n = raw.get_ref();
    if let Some(p) = &n.password {
        e.at(
            p,
            "notify.password",
            "the SMTP password never goes in fulcrum.toml: name an environment variable with password_env = \"NAME\" or a file with password_file = \"path\"",
        );
    }
    let host = match &n.host {
        Some(h) if !h.get_ref().trim().is_empty() && !h.get_ref().contains(['/', ' ']) => {
            Some(h.get_ref().trim().to_owned())
        }
        Some(h) => {
            e.at(
                h,
                "notify.host",
                format!(
                    "{:?} is not a host name (e.g. \"smtp.example.com\")",
                    h.get_ref()
                ),
            );
            None
        }
        None => {
            e.at(
                raw,
                "notify.host",
                "missing: the SMTP server, e.g. host = \"smtp.example.com\"",
            );
            None
        }
    };
    let port = match &n.port {
        None => DEFAULT_SMTP_PORT,
        Some(p) => match u16::try_from(*p.get_ref()) {
            Ok(port) if port > 0 => port,
            _ => {
                e.at(p, "notify.port", "must be a port number from 1 to 65535");
                DEFAULT_SMTP_PORT
            }
        },
    };
    let from = match &n.from {
        Some(f) if is_address(f.get_ref()) => Some(f.get_ref().trim().to_owned()),
        Some(f) => {
            e.at(
                f,
                "notify.from",
                format!(
                    "{:?} is not an email address (e.g. \"fulcrum@example.com\")",
                    f.get_ref()
                ),
            );
            None
        }
        None => {
            e.at(
                raw,
                "notify.from",
                "missing: the sender address, e.g. from = \"fulcrum@example.com\"",
            );
            None
        }
    };
    let starttls = n.starttls.as_ref().is_none_or(|s| *s.get_ref());
    if let (Some(s), Some(h)) = (&n.starttls, &host)
        && !*s.get_ref()
        && !is_local_host(h)
    {
        e.at(
            s,
            "notify.starttls",
            format!(
                "starttls = false sends the password and the digests unencrypted: allowed only for a server on this machine (localhost or 127.0.0.1), not {h:?}"
            ),
        );
    }
    let username = n
        .username
        .as_ref()
        .map(|u| u.get_ref().trim().to_owned())
        .filter(|u| !u.is_empty());
    let password = match (&n.password_env, &n.password_file) {
        (Some(env), None) => Some(SecretAt::Env(env.get_ref().trim().to_owned())),
        (None, Some(f)) => Some(SecretAt::File(f.get_ref().trim().to_owned())),
        (Some(_), Some(f)) => {
            e.at(
                f,
                "notify.password_file",
                "give password_env or password_file, not both",
            );
            None
        }
        (None, None) => None,
    };
    if let (Some(u), None, None, None) = (&n.username, &password, &n.password_env, &n.password) {
        e.at(
            u,
            "notify.username",
            "a username needs its password: password_env = \"NAME\" (an environment variable) or password_file = \"path\"",
        );
    }
    if let (None, Some(_)) = (&username, &password) {
        let at = n.password_env.as_ref().or(n.password_file.as_ref());
        if let Some(at) = at {
            e.at(
                at,
                "notify.username",
                "a password is named but no username: add username = \"...\"",
            );
        }
    }
    let config = match (host, from) {
        (Some(host), Some(from)) if e.list.is_empty() => Some(NotifyConfig {
            host,
            port,
            from,
            username,
            password,
            starttls,
            digest: n.digest.unwrap_or(true),
        }),
        _ => None,
    };
    (config, e.list)
}

/// `[serve] public_url`, checked: an `https://` URL (plain `http://` only
/// on this machine), without a trailing slash.
pub(crate) fn resolve_serve(
    raw: &RawServe,
    file: &str,
    text: &str,
) -> (Option<String>, Vec<ConfigError>) {
    let mut e = Errors {
        file,
        text,
        list: Vec::new(),
    };
    let url = raw.public_url.as_ref().and_then(|u| {
        let t = u.get_ref().trim();
        let local = t
            .strip_prefix("http://")
            .map(|rest| rest.split(['/', ':']).next().unwrap_or_default())
            .is_some_and(is_local_host);
        if (t.starts_with("https://") || local) && !t.contains(' ') {
            Some(t.trim_end_matches('/').to_owned())
        } else {
            e.at(
                u,
                "serve.public_url",
                format!(
                    "{t:?} is not an https:// URL (plain http:// only on localhost), e.g. \"https://fulcrum.example.com\""
                ),
            );
            None
        }
    });
    (url, e.list)
}

/// A bare address or `Name <address>`.
fn is_address(text: &str) -> bool {
    let t = text.trim();
    let addr = match t.find('<') {
        Some(i) if t.ends_with('>') => &t[i + 1..t.len() - 1],
        _ => t,
    };
    match addr.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && !domain.is_empty()
                && !domain.contains('@')
                && !addr.contains(char::is_whitespace)
        }
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use crate::config::parse_workspace;
    use crate::{ConfigErrors, SecretAt};

    fn err(text: &str) -> ConfigErrors {
        parse_workspace(text, "fulcrum.toml").unwrap_err()
    }

    #[test]
    fn notify_is_read_with_its_defaults() {
        let ws = parse_workspace(
            "[notify]\nhost = \"smtp.example.com\"\nfrom = \"fulcrum@example.com\"\nusername = \"fulcrum\"\npassword_env = \"SMTP_PASSWORD\"\n",
            "fulcrum.toml",
        )
        .unwrap();
        let n = ws.notify.unwrap();
        assert_eq!(n.host, "smtp.example.com");
        assert_eq!(n.port, 587);
        assert!(n.starttls);
        assert!(n.digest);
        assert_eq!(n.username.as_deref(), Some("fulcrum"));
        assert_eq!(n.password, Some(SecretAt::Env("SMTP_PASSWORD".into())));
        assert_eq!(parse_workspace("", "fulcrum.toml").unwrap().notify, None);
        // Plain SMTP to a server on this machine, no account.
        let ws = parse_workspace(
            "[notify]\nhost = \"127.0.0.1\"\nport = 2525\nfrom = \"Fulcrum <fulcrum@example.com>\"\nstarttls = false\ndigest = false\n",
            "fulcrum.toml",
        )
        .unwrap();
        let n = ws.notify.unwrap();
        assert_eq!((n.port, n.starttls, n.digest), (2525, false, false));
        assert_eq!(n.password, None);
    }

    #[test]
    fn notify_mistakes_are_located() {
        // A password in the file: line 4, key notify.password.
        let e = err(
            "[notify]\nhost = \"smtp.example.com\"\nfrom = \"f@example.com\"\npassword = \"hunter2\"\n",
        );
        assert_eq!(e.0.len(), 1, "{e}");
        assert_eq!(e.0[0].line, Some(4));
        assert_eq!(e.0[0].key.as_deref(), Some("notify.password"));
        assert!(e.0[0].message.contains("password_env"), "{e}");
        assert!(!e.to_string().contains("hunter2"), "{e}");
        // Plain SMTP to another machine: line 4.
        let e = err(
            "[notify]\nhost = \"smtp.example.com\"\nfrom = \"f@example.com\"\nstarttls = false\n",
        );
        assert_eq!(e.0[0].line, Some(4));
        assert_eq!(e.0[0].key.as_deref(), Some("notify.starttls"));
        // A username without a password: line 4.
        let e = err(
            "[notify]\nhost = \"smtp.example.com\"\nfrom = \"f@example.com\"\nusername = \"u\"\n",
        );
        assert_eq!(e.0[0].line, Some(4));
        assert_eq!(e.0[0].key.as_deref(), Some("notify.username"));
        // Missing host and a bad port and sender.
        let e = err("[notify]\nport = 70000\nfrom = \"nobody\"\n");
        let keys: Vec<_> = e.0.iter().filter_map(|x| x.key.as_deref()).collect();
        assert_eq!(keys, ["notify.host", "notify.port", "notify.from"], "{e}");
        // Both password keys.
        let e = err(
            "[notify]\nhost = \"h.example.com\"\nfrom = \"f@example.com\"\nusername = \"u\"\npassword_env = \"P\"\npassword_file = \"p.txt\"\n",
        );
        assert_eq!(e.0[0].line, Some(6));
    }

    #[test]
    fn public_url_is_https_or_local() {
        let ws = parse_workspace(
            "[serve]\npublic_url = \"https://fulcrum.example.com/\"\n",
            "fulcrum.toml",
        )
        .unwrap();
        assert_eq!(
            ws.serve.public_url.as_deref(),
            Some("https://fulcrum.example.com")
        );
        let ws = parse_workspace(
            "[serve]\npublic_url = \"http://127.0.0.1:8080\"\n",
            "fulcrum.toml",
        )
        .unwrap();
        assert_eq!(
            ws.serve.public_url.as_deref(),
            Some("http://127.0.0.1:8080")
        );
        let e = err("\n[serve]\npublic_url = \"http://fulcrum.example.com\"\n");
        assert_eq!(e.0[0].line, Some(3));
        assert_eq!(e.0[0].key.as_deref(), Some("serve.public_url"));
    }
}
