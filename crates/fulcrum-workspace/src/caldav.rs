//! `[[sources.caldav]]`: live calendars on a CalDAV server.
//!
//! Each entry names a server (or principal) URL, who signs in, where the
//! secret is kept, which calendars to read and whose they are. Secrets are
//! never written in `fulcrum.toml`: an entry names an environment variable
//! or a file that holds a password, an app password or a bearer token. This
//! module only checks and resolves what is written; reading the secret and
//! talking to the server is `fulcrum-app`'s job.

use crate::error::{ConfigError, line_of};
use serde::Deserialize;
use toml::Spanned;

/// One `[[sources.caldav]]` entry, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CalDavSource {
    /// The server or principal URL (`http://` or `https://`).
    pub url: String,
    /// The account signing in (Basic authentication with a password).
    pub username: Option<String>,
    /// Where the secret is kept, when the server needs one.
    pub secret: Option<Secret>,
    /// The calendars to read; every calendar of the account when empty.
    pub calendars: Vec<CalendarChoice>,
    /// Whose calendars these are, unless a choice says otherwise: `owner`,
    /// else the username when it is an email address (else the
    /// principal's own address, learnt from the server).
    pub owner: Option<String>,
    /// Where the entry was written: `fulcrum.toml:12`.
    pub origin: String,
}

/// How a [`CalDavSource`] proves who it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Secret {
    /// A password or app password, sent with the username (HTTP Basic).
    Password(SecretAt),
    /// A bearer token (OAuth access token), sent as `Authorization: Bearer`.
    Token(SecretAt),
}

/// Where a secret is read from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SecretAt {
    /// An environment variable's name.
    Env(String),
    /// A file's path (relative to the workspace root unless absolute); its
    /// content, without a trailing line break, is the secret.
    File(String),
}

/// One calendar to read: a display name or a path on the server, with its
/// owner when it is not the entry's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CalendarChoice {
    /// A display name (`Work`) or a path (`/calendars/ana/office/`); a path
    /// is anything with a `/`.
    pub calendar: String,
    /// Whose calendar it is, when not the entry's owner.
    pub owner: Option<String>,
}

/// An entry as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawCalDav {
    url: Spanned<String>,
    username: Option<Spanned<String>>,
    password_env: Option<Spanned<String>>,
    password_file: Option<Spanned<String>>,
    token_env: Option<Spanned<String>>,
    token_file: Option<Spanned<String>>,
    calendars: Option<Spanned<Vec<RawChoice>>>,
    owner: Option<Spanned<String>>,
}

/// A calendar as written: a name or path, or a table with an owner.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum RawChoice {
    Name(String),
    WithOwner(RawChoiceTable),
}

/// `{ calendar = "...", owner = "..." }`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawChoiceTable {
    calendar: String,
    owner: Option<String>,
}

/// Checks the entries; problems are located at their key.
pub(crate) fn resolve(
    raw: &[RawCalDav],
    file: &str,
    text: &str,
) -> (Vec<CalDavSource>, Vec<ConfigError>) {
    let mut errors = Vec::new();
    let at = |errors: &mut Vec<ConfigError>,
              span: std::ops::Range<usize>,
              key: String,
              message: String| {
        errors.push(ConfigError {
            file: file.to_owned(),
            line: Some(line_of(text, span.start)),
            key: Some(key),
            message,
        });
    };
    let mut out = Vec::new();
    for (i, r) in raw.iter().enumerate() {
        let key = |field: &str| format!("sources.caldav[{i}].{field}");
        let url = r.url.get_ref().trim().to_owned();
        let mut ok = true;
        if !(url.starts_with("https://") || url.starts_with("http://")) || url.contains(' ') {
            at(
                &mut errors,
                r.url.span(),
                key("url"),
                format!("{url:?} is not an http:// or https:// URL"),
            );
            ok = false;
        } else if url.split('/').nth(2).is_some_and(|host| host.contains('@')) {
            at(
                &mut errors,
                r.url.span(),
                key("url"),
                "holds credentials; give `username` and `password_env` or `password_file` instead"
                    .to_owned(),
            );
            ok = false;
        }
        let given: Vec<(&str, &Spanned<String>)> = [
            ("password_env", &r.password_env),
            ("password_file", &r.password_file),
            ("token_env", &r.token_env),
            ("token_file", &r.token_file),
        ]
        .into_iter()
        .filter_map(|(name, v)| v.as_ref().map(|v| (name, v)))
        .collect();
        let secret = match given.as_slice() {
            [] => None,
            [(name, v)] => {
                let value = v.get_ref().trim().to_owned();
                if value.is_empty() {
                    at(
                        &mut errors,
                        v.span(),
                        key(name),
                        "must not be empty".to_owned(),
                    );
                    ok = false;
                }
                let place = if name.ends_with("_env") {
                    SecretAt::Env(value)
                } else {
                    SecretAt::File(value)
                };
                Some(if name.starts_with("password") {
                    Secret::Password(place)
                } else {
                    Secret::Token(place)
                })
            }
            [_, (name, v), ..] => {
                at(
                    &mut errors,
                    v.span(),
                    key(name),
                    "give one of password_env, password_file, token_env and token_file".to_owned(),
                );
                ok = false;
                None
            }
        };
        let username = r.username.as_ref().map(|u| u.get_ref().trim().to_owned());
        if let (Some(Secret::Password(_)), None) = (&secret, &username) {
            at(
                &mut errors,
                r.url.span(),
                key("username"),
                "a password needs a username".to_owned(),
            );
            ok = false;
        }
        let mut email = |v: &str, span: std::ops::Range<usize>, k: String| {
            let v = v.trim().to_lowercase();
            if v.contains('@') {
                Some(v)
            } else {
                at(
                    &mut errors,
                    span,
                    k,
                    format!("{v:?} is not an email address"),
                );
                None
            }
        };
        let owner = match &r.owner {
            Some(o) => {
                let e = email(o.get_ref(), o.span(), key("owner"));
                ok &= e.is_some();
                e
            }
            None => username
                .as_deref()
                .filter(|u| u.contains('@'))
                .map(str::to_lowercase),
        };
        let mut calendars = Vec::new();
        let (choices, span) = match &r.calendars {
            Some(c) => (c.get_ref().as_slice(), c.span()),
            None => (&[][..], r.url.span()),
        };
        let mut unnamed = None;
        for (j, c) in choices.iter().enumerate() {
            let k = format!("sources.caldav[{i}].calendars[{j}]");
            let (calendar, owner) = match c {
                RawChoice::Name(n) => (n.trim().to_owned(), None),
                RawChoice::WithOwner(RawChoiceTable { calendar, owner }) => {
                    let owner = match owner {
                        Some(o) => {
                            let e = email(o, span.clone(), format!("{k}.owner"));
                            ok &= e.is_some();
                            e
                        }
                        None => None,
                    };
                    (calendar.trim().to_owned(), owner)
                }
            };
            if calendar.is_empty() {
                unnamed.get_or_insert(k);
                continue;
            }
            calendars.push(CalendarChoice { calendar, owner });
        }
        if let Some(k) = unnamed {
            at(&mut errors, span, k, "must name a calendar".to_owned());
            ok = false;
        }
        if ok {
            out.push(CalDavSource {
                url,
                username,
                secret,
                calendars,
                owner,
                origin: format!("{file}:{}", line_of(text, r.url.span().start)),
            });
        }
    }
    (out, errors)
}

impl CalDavSource {
    /// How the entry is named in messages: its URL and account.
    pub fn label(&self) -> String {
        match &self.username {
            Some(u) => format!("CalDAV {} ({u})", self.url),
            None => format!("CalDAV {}", self.url),
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::parse_workspace;

    #[test]
    fn entries_resolve_with_owner_defaults_and_per_calendar_owners() {
        let text = r#"
[[sources.caldav]]
url = "https://dav.example.org/"
username = "Ana@Example.org"
password_env = "FULCRUM_CALDAV_PASSWORD"
calendars = ["Work", { calendar = "/calendars/ana/team/", owner = "bo@example.org" }]

[[sources.caldav]]
url = "https://caldav.example.com/dav/"
token_file = "secrets/caldav-token"
owner = "cy@example.org"
"#;
        let ws = parse_workspace(text, "fulcrum.toml").unwrap();
        let [a, b] = ws.sources.caldav.as_slice() else {
            panic!("{:?}", ws.sources.caldav)
        };
        assert_eq!(a.owner.as_deref(), Some("ana@example.org"));
        assert_eq!(a.origin, "fulcrum.toml:3");
        assert_eq!(
            a.secret,
            Some(super::Secret::Password(super::SecretAt::Env(
                "FULCRUM_CALDAV_PASSWORD".into()
            )))
        );
        assert_eq!(a.calendars[0].calendar, "Work");
        assert_eq!(a.calendars[1].owner.as_deref(), Some("bo@example.org"));
        assert_eq!(b.username, None);
        assert_eq!(
            b.secret,
            Some(super::Secret::Token(super::SecretAt::File(
                "secrets/caldav-token".into()
            )))
        );
        assert_eq!(b.owner.as_deref(), Some("cy@example.org"));
    }

    #[test]
    fn mistakes_are_located() {
        let text = r#"
[[sources.caldav]]
url = "https://ana:secret@dav.example.org/"

[[sources.caldav]]
url = "dav.example.org"
password_env = "X"

[[sources.caldav]]
url = "https://dav.example.org/"
username = "ana"
password_env = "X"
password_file = "y"
owner = "ana"
"#;
        let errors = parse_workspace(text, "fulcrum.toml").unwrap_err().0;
        let shown: Vec<String> = errors.iter().map(|e| e.to_string()).collect();
        assert_eq!(
            shown,
            [
                "fulcrum.toml:3: `sources.caldav[0].url`: holds credentials; give `username` and `password_env` or `password_file` instead",
                "fulcrum.toml:6: `sources.caldav[1].url`: \"dav.example.org\" is not an http:// or https:// URL",
                "fulcrum.toml:6: `sources.caldav[1].username`: a password needs a username",
                "fulcrum.toml:13: `sources.caldav[2].password_file`: give one of password_env, password_file, token_env and token_file",
                "fulcrum.toml:14: `sources.caldav[2].owner`: \"ana\" is not an email address",
            ]
        );
    }
}
