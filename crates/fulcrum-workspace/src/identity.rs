//! Identity resolution: one person per human across calendars and chat.
//!
//! Rules (documented in `docs/workspace.md`):
//! 1. Bot and app accounts resolve to [`Resolved::Bot`].
//! 2. A key matches a person when it equals, ignoring case, the person's
//!    email or one of their aliases. The keys tried for a chat account are
//!    its id (Slack user id, Mattermost username), its email (Slack
//!    `profile.email`, Mattermost `email`) and its username; for a calendar
//!    address, the address without `mailto:`.
//! 3. No match, but an email: an address in one of the organisation's
//!    domains is [`Resolved::Unlisted`] (counted and reported, kept out of
//!    team aggregates); any other address is [`Resolved::External`].
//! 4. No match and no email: [`Resolved::Unknown`], reported.
//!
//! A person's time zone comes from the people list; when the list gives
//! none, from the first account of theirs that a source lists with a valid
//! IANA zone (Slack `users.json` `tz`), and the roster says so; failing
//! both, from `[team] tz`.

use crate::config::{PersonSpec, Team};
use crate::error::{ConfigError, ConfigErrors};
use chrono_tz::Tz;
use fulcrum_model::Person;
use fulcrum_model::fxhash::FxHashMap;
use fulcrum_model::identity::{Resolved, SourceUser};
use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};

/// Where a person's time zone came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TzOrigin {
    /// The people list.
    Listed,
    /// A source's account (e.g. `slack U024BE7LH`).
    Source {
        /// `slack`, `mattermost`, ...
        source: String,
        /// The account id.
        account: String,
    },
    /// `[team] tz`: nothing else gave one.
    TeamDefault,
}

/// The people, their keys, and the organisation's domains.
#[derive(Debug, Clone)]
pub struct Directory {
    people: Vec<Person>,
    tz_origin: Vec<TzOrigin>,
    /// Fx-hashed: every attendee of every occurrence is looked up here.
    keys: FxHashMap<String, usize>,
    domains: Vec<String>,
}

/// The key an address or id is looked up by: without `mailto:` and
/// surrounding space, lower-cased. Borrowed when it already is (most
/// addresses are), since lookups outnumber people by far.
fn normalize_address(address: &str) -> Cow<'_, str> {
    let a = address.trim();
    let a = a
        .strip_prefix("mailto:")
        .or_else(|| a.strip_prefix("MAILTO:"))
        .or_else(|| a.strip_prefix("Mailto:"))
        .unwrap_or(a);
    if a.bytes().all(|b| b.is_ascii() && !b.is_ascii_uppercase()) {
        Cow::Borrowed(a)
    } else {
        Cow::Owned(a.to_lowercase())
    }
}

fn domain_of(email: &str) -> Option<&str> {
    email
        .rsplit_once('@')
        .map(|(_, d)| d)
        .filter(|d| !d.is_empty())
}

impl Directory {
    /// Builds the directory from the people list. `seen` are accounts read
    /// from sources, used to fill in missing time zones. Two people sharing
    /// an email or alias is an error.
    pub fn build(
        team: &Team,
        specs: &[PersonSpec],
        seen: &[SourceUser],
    ) -> Result<Self, ConfigErrors> {
        let mut keys: FxHashMap<String, usize> = FxHashMap::default();
        let mut errors = Vec::new();
        for (i, spec) in specs.iter().enumerate() {
            for (k, key) in std::iter::once(&spec.email)
                .chain(&spec.aliases)
                .enumerate()
            {
                let key = normalize_address(key).into_owned();
                match keys.get(&key) {
                    Some(&j) if j != i => {
                        let (file, line) = split_origin(&spec.origin);
                        // The column the second mention is in: the email
                        // comes first, then the aliases.
                        let column = if k == 0 { "email" } else { "aliases" };
                        let message = if k == 0 && normalize_address(&specs[j].email) == key {
                            format!(
                                "{key:?} is listed twice ({} and {}); list each person once",
                                specs[j].origin, spec.origin
                            )
                        } else {
                            format!(
                                "{key:?} belongs to both {} ({}) and {} ({}); an identity must name one person",
                                specs[j].email, specs[j].origin, spec.email, spec.origin
                            )
                        };
                        errors.push(ConfigError {
                            file,
                            line,
                            key: Some(column.to_owned()),
                            message,
                        });
                    }
                    Some(_) => {}
                    None => {
                        keys.insert(key, i);
                    }
                }
            }
        }
        if !errors.is_empty() {
            return Err(ConfigErrors(errors));
        }
        let domains: Vec<String> = if team.domains.is_empty() {
            let mut d: Vec<String> = specs
                .iter()
                .filter_map(|s| domain_of(&s.email))
                .map(str::to_owned)
                .collect();
            d.sort();
            d.dedup();
            d
        } else {
            team.domains.clone()
        };
        let mut directory = Directory {
            people: Vec::new(),
            tz_origin: Vec::new(),
            keys,
            domains,
        };
        // Time zones from sources, for people the list leaves without one.
        let mut from_source: HashMap<usize, (Tz, String, String)> = HashMap::new();
        for user in seen {
            if let (Some(tz), Resolved::Person(i)) = (user.tz, directory.resolve_user(user)) {
                from_source
                    .entry(i)
                    .or_insert((tz, user.source.clone(), user.id.clone()));
            }
        }
        for (i, spec) in specs.iter().enumerate() {
            let (tz, origin) = match (spec.tz, from_source.remove(&i)) {
                (Some(tz), _) => (tz, TzOrigin::Listed),
                (None, Some((tz, source, account))) => (tz, TzOrigin::Source { source, account }),
                (None, None) => (team.tz, TzOrigin::TeamDefault),
            };
            directory.people.push(Person {
                email: spec.email.clone(),
                name: spec.name.clone(),
                team: spec.team.clone(),
                tz,
                working_hours: spec.working_hours.clone(),
                aliases: spec.aliases.clone(),
            });
            directory.tz_origin.push(origin);
        }
        Ok(directory)
    }

    /// The people, in list order ([`Resolved::Person`] indexes this).
    pub fn people(&self) -> &[Person] {
        &self.people
    }

    /// Where each person's time zone came from (same order as [`Directory::people`]).
    pub fn tz_origins(&self) -> &[TzOrigin] {
        &self.tz_origin
    }

    /// The organisation's domains (given, or taken from the people's emails).
    pub fn domains(&self) -> &[String] {
        &self.domains
    }

    fn key(&self, key: &str) -> Option<usize> {
        self.keys.get(normalize_address(key).as_ref()).copied()
    }

    fn by_domain(&self, email: &str) -> Resolved {
        match domain_of(email) {
            Some(d) if self.domains.iter().any(|o| o == d) => Resolved::Unlisted,
            Some(_) => Resolved::External,
            None => Resolved::Unknown,
        }
    }

    /// Resolves a calendar address (`mailto:` and case are ignored).
    pub fn resolve_address(&self, address: &str) -> Resolved {
        let email = normalize_address(address);
        // The key is normalized once more, as `key` does: that changes only
        // a key that still has a `mailto:` or space at either end
        // ("mailto:mailto:ana@..."), so the common case skips it.
        let again = email.starts_with("mailto:")
            || email.starts_with(char::is_whitespace)
            || email.ends_with(char::is_whitespace);
        let found = if again {
            self.key(&email)
        } else {
            self.keys.get(email.as_ref()).copied()
        };
        match found {
            Some(i) => Resolved::Person(i),
            None => self.by_domain(&email),
        }
    }

    /// Resolves a chat account.
    pub fn resolve_user(&self, user: &SourceUser) -> Resolved {
        if user.is_bot {
            return Resolved::Bot;
        }
        let candidates = [
            Some(user.id.as_str()),
            user.email.as_deref(),
            user.username.as_deref(),
        ];
        if let Some(i) = candidates.into_iter().flatten().find_map(|k| self.key(k)) {
            return Resolved::Person(i);
        }
        match &user.email {
            Some(email) => self.by_domain(email),
            None => Resolved::Unknown,
        }
    }

    /// Resolves every account and sums up the outcome.
    pub fn report(&self, users: &[SourceUser]) -> IdentityReport {
        let mut report = IdentityReport::default();
        let mut matched = vec![false; self.people.len()];
        for user in users {
            let label = format!(
                "{} {}",
                user.source,
                user.email.as_deref().unwrap_or(&user.id)
            );
            let bucket = match self.resolve_user(user) {
                Resolved::Person(i) => {
                    if let Some(m) = matched.get_mut(i) {
                        *m = true;
                    }
                    report.accounts_matched += 1;
                    continue;
                }
                Resolved::Bot => &mut report.bots,
                Resolved::Unlisted => &mut report.unlisted,
                Resolved::External => &mut report.external,
                Resolved::Unknown => &mut report.unknown,
            };
            bucket.count += 1;
            if bucket.examples.len() < IdentityReport::EXAMPLES {
                bucket.examples.push(label);
            }
        }
        for (i, person) in self.people.iter().enumerate() {
            if matched[i] {
                report.people_seen += 1;
            } else {
                report.people_not_seen.push(person.email.clone());
            }
            if let TzOrigin::Source { source, account } = &self.tz_origin[i] {
                report.tz_from_sources.insert(
                    person.email.clone(),
                    format!(
                        "{} (from {source} account {account}; the people list gives none)",
                        person.tz.name()
                    ),
                );
            } else if self.tz_origin[i] == TzOrigin::TeamDefault {
                report.tz_defaulted.push(person.email.clone());
            }
        }
        report
    }
}

fn split_origin(origin: &str) -> (String, Option<u32>) {
    match origin.rsplit_once(':') {
        Some((file, line)) => (file.to_owned(), line.parse().ok()),
        None => (origin.to_owned(), None),
    }
}

/// A count and a few examples.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Counted {
    /// How many.
    pub count: u64,
    /// Up to [`IdentityReport::EXAMPLES`] of them, as `source address-or-id`.
    pub examples: Vec<String>,
}

/// How the accounts of the sources resolved.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct IdentityReport {
    /// Accounts that resolved to a listed person.
    pub accounts_matched: u64,
    /// Listed people with at least one account.
    pub people_seen: u64,
    /// Listed people with no account in the sources.
    pub people_not_seen: Vec<String>,
    /// In-domain accounts not on the people list.
    pub unlisted: Counted,
    /// Accounts outside the organisation's domains.
    pub external: Counted,
    /// Bot and app accounts.
    pub bots: Counted,
    /// Accounts with no email and no alias match.
    pub unknown: Counted,
    /// People whose time zone was taken from a source, with a note saying so.
    pub tz_from_sources: BTreeMap<String, String>,
    /// People whose time zone is the `[team] tz` default.
    pub tz_defaulted: Vec<String>,
}

impl IdentityReport {
    /// Examples kept per bucket.
    pub const EXAMPLES: usize = 5;
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::parse_workspace;

    fn slack(id: &str, email: Option<&str>, tz: Option<Tz>) -> SourceUser {
        SourceUser {
            source: "slack".into(),
            id: id.into(),
            email: email.map(str::to_owned),
            tz,
            ..SourceUser::default()
        }
    }

    fn directory(seen: &[SourceUser]) -> Directory {
        let ws = parse_workspace(
            r#"[team]
domains = ["acme.com"]
[[people]]
email = "ana@acme.com"
aliases = ["U024BE7LH", "ana.r@acme.com"]
[[people]]
email = "bo@acme.com"
tz = "America/Chicago"
"#,
            "fulcrum.toml",
        )
        .unwrap();
        Directory::build(&ws.team, &ws.people, seen).unwrap()
    }

    #[test]
    fn one_person_across_sources() {
        let d = directory(&[]);
        // The documented example: U024BE7LH, ana@acme.com on the calendar and
        // ana.r@acme.com in Mattermost are one person.
        assert_eq!(
            d.resolve_user(&slack("U024BE7LH", None, None)),
            Resolved::Person(0)
        );
        assert_eq!(
            d.resolve_address("mailto:ANA@acme.com"),
            Resolved::Person(0)
        );
        let mm = SourceUser {
            source: "mattermost".into(),
            id: "ana.r".into(),
            email: Some("ana.r@acme.com".into()),
            ..SourceUser::default()
        };
        assert_eq!(d.resolve_user(&mm), Resolved::Person(0));
        assert_eq!(d.resolve_address("carla@acme.com"), Resolved::Unlisted);
        assert_eq!(
            d.resolve_address("MAILTO:vendor@example.org"),
            Resolved::External
        );
        assert_eq!(d.resolve_user(&slack("U9", None, None)), Resolved::Unknown);
        let bot = SourceUser {
            is_bot: true,
            ..slack("B1", Some("ana@acme.com"), None)
        };
        assert_eq!(d.resolve_user(&bot), Resolved::Bot);
    }

    #[test]
    fn time_zone_from_a_source_when_the_list_has_none() {
        let seen = [
            slack("U024BE7LH", None, Some(chrono_tz::Europe::Lisbon)),
            slack("U2", Some("bo@acme.com"), Some(chrono_tz::Asia::Tokyo)),
        ];
        let d = directory(&seen);
        assert_eq!(d.people()[0].tz, chrono_tz::Europe::Lisbon);
        assert_eq!(
            d.tz_origins()[0],
            TzOrigin::Source {
                source: "slack".into(),
                account: "U024BE7LH".into()
            }
        );
        // Bo's list entry wins over the source.
        assert_eq!(d.people()[1].tz, chrono_tz::America::Chicago);
        let r = d.report(&seen);
        assert_eq!((r.accounts_matched, r.people_seen), (2, 2));
        assert!(
            r.tz_from_sources["ana@acme.com"]
                .starts_with("Europe/Lisbon (from slack account U024BE7LH")
        );
    }

    #[test]
    fn report_counts_unlisted_external_and_unknown() {
        let d = directory(&[]);
        let seen = [
            slack("U1", Some("carla@acme.com"), None),
            slack("U2", Some("dan@acme.com"), None),
            slack("U3", Some("eve@partner.io"), None),
            slack("U4", None, None),
            slack("U024BE7LH", None, None),
        ];
        let r = d.report(&seen);
        assert_eq!(r.unlisted.count, 2);
        assert_eq!(
            r.unlisted.examples,
            ["slack carla@acme.com", "slack dan@acme.com"]
        );
        assert_eq!(
            (r.external.count, r.unknown.count, r.accounts_matched),
            (1, 1, 1)
        );
        // Neither Ana nor Bo has a source time zone: Ana falls back to UTC.
        assert_eq!(r.tz_defaulted, ["ana@acme.com"]);
        assert_eq!(r.people_not_seen, ["bo@acme.com"]);
    }

    #[test]
    fn shared_alias_is_an_error() {
        let ws = parse_workspace(
            "[[people]]\nemail = \"a@x.com\"\naliases = [\"U1\"]\n[[people]]\nemail = \"b@x.com\"\naliases = [\"u1\"]\n",
            "fulcrum.toml",
        )
        .unwrap();
        let err = Directory::build(&ws.team, &ws.people, &[]).unwrap_err();
        // Lines: 1 [[people]], 2 a's email, 3 aliases, 4 [[people]], 5 b's
        // email: the error points at the second person's entry.
        assert_eq!(err.0[0].line, Some(5));
        assert!(err.0[0].message.contains("\"u1\" belongs to both a@x.com"));
    }

    #[test]
    fn duplicate_email_is_reported_against_the_email_column() {
        let text = "email,aliases\nana@x.com,U1\nbo@x.com,\nAna@x.com,\n";
        let people =
            crate::people::parse_people_csv(text, "people.csv", &crate::config::default_team())
                .unwrap();
        let err = Directory::build(&crate::config::default_team(), &people, &[]).unwrap_err();
        assert_eq!(err.0.len(), 1);
        assert_eq!(err.0[0].line, Some(4));
        assert_eq!(err.0[0].key.as_deref(), Some("email"));
        assert!(
            err.0[0].message.contains("\"ana@x.com\" is listed twice"),
            "{}",
            err.0[0].message
        );
    }
}
