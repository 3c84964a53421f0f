//! Slack export metadata: `users.json` / `org_users.json` (Enterprise Grid),
//! `channels.json`, `groups.json` (private channels), `dms.json` and
//! `mpims.json` (group DMs).
//!
//! These files are small next to the day files and their fields vary across
//! Slack's plans and years, so they are read as generic JSON values and each
//! element is checked on its own: a malformed element is reported and the
//! others are kept.

use chrono_tz::Tz;
use fulcrum_model::chat::{Conversation, ConversationKind};
use fulcrum_model::identity::SourceUser;
use serde::de::{Deserializer as _, SeqAccess, Visitor};
use serde_json::Value;
use std::fmt;
use std::sync::Arc;

/// Problems found in one metadata file, as messages (the caller adds the entry).
pub(crate) type Problems = Vec<String>;

fn str_field<'a>(v: &'a Value, key: &str) -> Option<&'a str> {
    v.get(key).and_then(Value::as_str).filter(|s| !s.is_empty())
}

fn bool_field(v: &Value, key: &str) -> bool {
    v.get(key).and_then(Value::as_bool).unwrap_or(false)
}

/// Calls `f` with each element of the JSON array in `bytes` as it is
/// parsed (one element in memory at a time, not the whole file as values).
/// A file that is not an array, or breaks part way, gives a problem; the
/// elements before the break are kept.
fn for_each_element(
    bytes: &[u8],
    what: &str,
    problems: &mut Problems,
    mut f: impl FnMut(usize, Value),
) {
    struct Elements<'f, F>(&'f mut F, usize);
    impl<'de, F: FnMut(usize, Value)> Visitor<'de> for Elements<'_, F> {
        type Value = usize;
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("a JSON array")
        }
        fn visit_seq<A: SeqAccess<'de>>(mut self, mut seq: A) -> Result<usize, A::Error> {
            while let Some(item) = seq.next_element::<Value>()? {
                (self.0)(self.1, item);
                self.1 += 1;
            }
            Ok(self.1)
        }
    }
    let mut count = 0;
    let mut counting = |i: usize, v: Value| {
        count = i + 1;
        f(i, v);
    };
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let result = de
        .deserialize_seq(Elements(&mut counting, 0))
        .and_then(|_| de.end());
    if let Err(e) = result {
        if count == 0 && !e.is_eof() && !e.is_syntax() {
            problems.push(format!(
                "expected a JSON array of {what}; the file was not used"
            ));
        } else {
            problems.push(format!(
                "not valid JSON ({e}); {count} {what} read before the error, the rest not used"
            ));
        }
    }
}

/// Reads `users.json` or `org_users.json`.
pub(crate) fn parse_users(bytes: &[u8], problems: &mut Problems) -> Vec<SourceUser> {
    let mut users = Vec::new();
    let mut bad_tz: Vec<String> = Vec::new();
    let mut bad_items: Vec<String> = Vec::new();
    for_each_element(bytes, "users", problems, |i, item| {
        let Some(id) = str_field(&item, "id") else {
            bad_items.push(format!("user number {} has no id; skipped", i + 1));
            return;
        };
        let profile = item.get("profile");
        let email = profile
            .and_then(|p| str_field(p, "email"))
            .map(str::to_lowercase);
        let display_name = str_field(&item, "real_name")
            .or_else(|| profile.and_then(|p| str_field(p, "real_name")))
            .or_else(|| profile.and_then(|p| str_field(p, "display_name")))
            .map(str::to_owned);
        let tz = match str_field(&item, "tz") {
            Some(name) => match name.parse::<Tz>() {
                Ok(tz) => Some(tz),
                Err(_) => {
                    if bad_tz.len() < 5 {
                        bad_tz.push(format!("{id}: {name:?}"));
                    }
                    None
                }
            },
            None => None,
        };
        let is_bot = bool_field(&item, "is_bot")
            || bool_field(&item, "is_app_user")
                && profile.is_some_and(|p| p.get("bot_id").is_some());
        users.push(SourceUser {
            source: "slack".to_owned(),
            id: id.to_owned(),
            email,
            username: str_field(&item, "name").map(str::to_owned),
            display_name,
            tz,
            is_bot: is_bot || id == super::day::SLACKBOT,
            deleted: bool_field(&item, "deleted"),
        });
    });
    problems.extend(bad_items);
    if !bad_tz.is_empty() {
        problems.push(format!(
            "time zones that are not IANA names were ignored ({})",
            bad_tz.join(", ")
        ));
    }
    users
}

/// Which metadata file a conversation list came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ListKind {
    Channels,
    Groups,
    Dms,
    Mpims,
}

/// Reads one of the conversation lists.
pub(crate) fn parse_conversations(
    bytes: &[u8],
    list: ListKind,
    problems: &mut Problems,
) -> Vec<Conversation> {
    let mut out = Vec::new();
    let mut bad_items: Vec<String> = Vec::new();
    for_each_element(bytes, "conversations", problems, |i, item| {
        let id = str_field(&item, "id");
        let name = str_field(&item, "name");
        let Some(key) = id.or(name) else {
            bad_items.push(format!(
                "conversation number {} has neither id nor name; skipped",
                i + 1
            ));
            return;
        };
        let members: Vec<String> = item
            .get("members")
            .and_then(Value::as_array)
            .map(|m| {
                m.iter()
                    .filter_map(Value::as_str)
                    .map(str::to_owned)
                    .collect()
            })
            .unwrap_or_default();
        let kind = match list {
            ListKind::Dms => ConversationKind::Dm,
            ListKind::Mpims => ConversationKind::GroupDm,
            ListKind::Groups => ConversationKind::Private,
            ListKind::Channels if bool_field(&item, "is_mpim") => ConversationKind::GroupDm,
            ListKind::Channels if bool_field(&item, "is_im") => ConversationKind::Dm,
            ListKind::Channels if bool_field(&item, "is_private") => ConversationKind::Private,
            ListKind::Channels => ConversationKind::Channel,
        };
        out.push(Conversation {
            id: Arc::from(key),
            name: name.unwrap_or(key).to_owned(),
            kind,
            members,
        });
    });
    problems.extend(bad_items);
    out
}

/// A conversation known only from its folder: the kind is guessed from the
/// name (upper-case `D…` ids are DMs, `mpdm-…` names are group DMs,
/// anything else a channel).
pub(crate) fn guess_conversation(folder: &str) -> Conversation {
    // Slack channel names are lower case, so an upper-case folder name is
    // an id; DM ids start with 'D'.
    let looks_like_dm_id = folder.len() >= 3
        && folder.starts_with('D')
        && folder
            .bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit());
    let kind = if looks_like_dm_id {
        ConversationKind::Dm
    } else if folder.starts_with("mpdm-") {
        ConversationKind::GroupDm
    } else {
        ConversationKind::Channel
    };
    Conversation {
        id: Arc::from(folder),
        name: folder.to_owned(),
        kind,
        members: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn users_keep_email_tz_and_bot_flags() {
        let json = br#"[
          {"id":"U1","name":"ana","real_name":"Ana R","tz":"Europe/Lisbon","profile":{"email":"Ana@Acme.com"}},
          {"id":"U2","name":"bot","is_bot":true,"tz":null,"profile":{}},
          {"id":"U3","name":"x","tz":"Mars/Olympus","deleted":true},
          {"name":"no id"},
          "junk"
        ]"#;
        let mut problems = Vec::new();
        let users = parse_users(json, &mut problems);
        assert_eq!(users.len(), 3);
        assert_eq!(users[0].email.as_deref(), Some("ana@acme.com"));
        assert_eq!(users[0].tz, Some(chrono_tz::Europe::Lisbon));
        assert!(users[1].is_bot && users[1].tz.is_none());
        assert!(users[2].deleted && users[2].tz.is_none());
        // "no id", "junk" (also no id), and the bad time zone line.
        assert_eq!(problems.len(), 3);
    }

    #[test]
    fn truncated_or_wrong_metadata_keeps_what_came_first() {
        let mut problems = Vec::new();
        let users = parse_users(br#"[{"id":"U1"},{"id":"U2"},{"id":"U3","na"#, &mut problems);
        assert_eq!(users.len(), 2);
        assert!(
            problems[0].contains("2 users read before the error"),
            "{problems:?}"
        );
        let mut problems = Vec::new();
        assert!(parse_users(br#"{"id":"U1"}"#, &mut problems).is_empty());
        assert!(
            problems[0].contains("expected a JSON array of users"),
            "{problems:?}"
        );
    }

    #[test]
    fn conversation_kinds() {
        let mut p = Vec::new();
        let c = parse_conversations(
            br#"[{"id":"C1","name":"general","members":["U1","U2"]},{"id":"C2","name":"x","is_private":true}]"#,
            ListKind::Channels,
            &mut p,
        );
        assert_eq!(c[0].kind, ConversationKind::Channel);
        assert_eq!(c[0].members, ["U1", "U2"]);
        assert_eq!(c[1].kind, ConversationKind::Private);
        let d = parse_conversations(
            br#"[{"id":"D1","members":["U1","U2"]}]"#,
            ListKind::Dms,
            &mut p,
        );
        assert_eq!(
            (d[0].kind, d[0].name.as_str()),
            (ConversationKind::Dm, "D1")
        );
        assert!(p.is_empty());
        assert_eq!(guess_conversation("D024BE91L").kind, ConversationKind::Dm);
        assert_eq!(
            guess_conversation("mpdm-a--b--c-1").kind,
            ConversationKind::GroupDm
        );
        assert_eq!(guess_conversation("random").kind, ConversationKind::Channel);
    }
}
