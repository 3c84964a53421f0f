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
use serde_json::Value;
use std::sync::Arc;

/// Problems found in one metadata file, as messages (the caller adds the entry).
pub(crate) type Problems = Vec<String>;

fn str_field<'a>(v: &'a Value, key: &str) -> Option<&'a str> {
    v.get(key).and_then(Value::as_str).filter(|s| !s.is_empty())
}

fn bool_field(v: &Value, key: &str) -> bool {
    v.get(key).and_then(Value::as_bool).unwrap_or(false)
}

fn elements(bytes: &[u8], what: &str, problems: &mut Problems) -> Vec<Value> {
    match serde_json::from_slice::<Value>(bytes) {
        Ok(Value::Array(items)) => items,
        Ok(_) => {
            problems.push(format!(
                "expected a JSON array of {what}; the file was not used"
            ));
            Vec::new()
        }
        Err(e) => {
            problems.push(format!("not valid JSON ({e}); the file was not used"));
            Vec::new()
        }
    }
}

/// Reads `users.json` or `org_users.json`.
pub(crate) fn parse_users(bytes: &[u8], problems: &mut Problems) -> Vec<SourceUser> {
    let mut users = Vec::new();
    let mut bad_tz: Vec<String> = Vec::new();
    for (i, item) in elements(bytes, "users", problems).into_iter().enumerate() {
        let Some(id) = str_field(&item, "id") else {
            problems.push(format!("user number {} has no id; skipped", i + 1));
            continue;
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
    }
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
    for (i, item) in elements(bytes, "conversations", problems)
        .into_iter()
        .enumerate()
    {
        let id = str_field(&item, "id");
        let name = str_field(&item, "name");
        let Some(key) = id.or(name) else {
            problems.push(format!(
                "conversation number {} has neither id nor name; skipped",
                i + 1
            ));
            continue;
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
    }
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
