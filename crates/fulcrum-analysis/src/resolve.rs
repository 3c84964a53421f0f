//! Who an address or chat account is: the index of a person in the list
//! given to the analysis.
//!
//! Identity resolution proper lives in `fulcrum-workspace` (its `Directory`);
//! the app passes it in as a [`Resolver`] (any `Fn(&str) -> Option<usize>`
//! is one). [`PeopleIndex`] is the plain version over emails and aliases, for
//! callers that have nothing better and for tests.

use fulcrum_model::Person;
use std::collections::HashMap;

/// Maps a calendar address or chat user id to a person's index.
pub trait Resolver {
    /// The index of the person `key` names, if any.
    fn person(&self, key: &str) -> Option<usize>;
}

impl<F: Fn(&str) -> Option<usize>> Resolver for F {
    fn person(&self, key: &str) -> Option<usize> {
        self(key)
    }
}

/// Exact, case-insensitive matching of emails and aliases (`mailto:`
/// ignored), as the workspace's rule 2 does.
#[derive(Debug, Clone, Default)]
pub struct PeopleIndex {
    keys: HashMap<String, usize>,
}

/// A key as [`PeopleIndex`] compares it: trimmed, without `mailto:`, lower case.
pub fn normalize(key: &str) -> String {
    let k = key.trim();
    let k = if k.len() >= 7 && k[..7].eq_ignore_ascii_case("mailto:") {
        &k[7..]
    } else {
        k
    };
    k.to_lowercase()
}

impl PeopleIndex {
    /// The index of `people` by email and alias; the first person wins a
    /// shared key (the workspace rejects shared keys before this).
    pub fn new(people: &[Person]) -> Self {
        let mut keys = HashMap::new();
        for (i, p) in people.iter().enumerate() {
            for key in std::iter::once(&p.email).chain(&p.aliases) {
                keys.entry(normalize(key)).or_insert(i);
            }
        }
        PeopleIndex { keys }
    }
}

impl Resolver for PeopleIndex {
    fn person(&self, key: &str) -> Option<usize> {
        self.keys.get(&normalize(key)).copied()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails_and_aliases_ignoring_case_and_mailto() {
        let ana = Person {
            email: "ana@acme.com".into(),
            name: "Ana".into(),
            team: "t".into(),
            tz: chrono_tz::UTC,
            working_hours: Default::default(),
            aliases: vec!["U024BE7LH".into()],
        };
        let idx = PeopleIndex::new(&[ana]);
        assert_eq!(idx.person("MAILTO:Ana@acme.com"), Some(0));
        assert_eq!(idx.person("u024be7lh"), Some(0));
        assert_eq!(idx.person("bo@acme.com"), None);
        let f = |k: &str| (k == "x").then_some(3);
        assert_eq!(f.person("x"), Some(3));
    }
}
