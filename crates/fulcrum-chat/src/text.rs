//! What Fulcrum takes from a message's text while it is in memory: mentions,
//! length and three flags. The text itself is never kept.
//!
//! The word lists are documented in `docs/chat.md`; keep the two in step.
//! Matching is ASCII case-insensitive and respects word boundaries ("asap"
//! matches "ASAP!" but not "asapology"), with straight and curly apostrophes
//! and no apostrophe all accepted ("let's", "let’s", "lets").

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
use fulcrum_model::chat::{Mentions, MessageFlags};
use std::sync::OnceLock;

/// Urgency words (SIGNALS.md: a message with "urgent"/"asap"/"blocker" is urgent).
pub const URGENT_WORDS: &[&str] = &[
    "urgent",
    "urgently",
    "asap",
    "a.s.a.p",
    "blocker",
    "blockers",
    "blocking us",
    "emergency",
    "right away",
    "immediately",
    "time-sensitive",
    "time sensitive",
    "p0",
    "sev1",
    "sev-1",
    ":rotating_light:",
];

/// Phrases asking to move a conversation to a call, huddle or meeting.
pub const CALL_PHRASES: &[&str] = &[
    "jump on a call",
    "hop on a call",
    "get on a call",
    "jump on a quick call",
    "hop on a quick call",
    "quick call",
    "call me",
    "give me a call",
    "jump on zoom",
    "hop on zoom",
    "jump on a huddle",
    "hop on a huddle",
    "start a huddle",
    "let's huddle",
    "let's meet",
    "let us meet",
    "let's sync",
    "quick sync",
    "can we sync",
    "let's talk live",
    "take this offline",
    "set up a meeting",
    "schedule a meeting",
];

/// Decision markers.
pub const DECISION_MARKERS: &[&str] = &[
    "decided",
    "decision:",
    "decision is",
    "final decision",
    "#decision",
    "agreed:",
    "resolution:",
    "we'll go with",
    "we will go with",
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Class {
    Urgent,
    Call,
    Decision,
}

struct Matcher {
    automaton: AhoCorasick,
    /// For each pattern: its class and whether its first and last bytes are
    /// word characters (only then is a boundary required on that side).
    meta: Vec<(Class, bool, bool)>,
}

fn is_word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b >= 0x80
}

/// The shared automaton; `None` only if building it failed, which for these
/// constant patterns does not happen (then no flag is ever set).
fn matcher() -> Option<&'static Matcher> {
    static MATCHER: OnceLock<Option<Matcher>> = OnceLock::new();
    MATCHER
        .get_or_init(|| {
            let mut patterns: Vec<String> = Vec::new();
            let mut meta = Vec::new();
            for (class, list) in [
                (Class::Urgent, URGENT_WORDS),
                (Class::Call, CALL_PHRASES),
                (Class::Decision, DECISION_MARKERS),
            ] {
                for word in list {
                    let mut variants = vec![(*word).to_owned()];
                    if word.contains('\'') {
                        variants.push(word.replace('\'', "\u{2019}"));
                        variants.push(word.replace('\'', ""));
                    }
                    for v in variants {
                        let bytes = v.as_bytes();
                        let first = bytes.first().copied().is_some_and(is_word_byte);
                        let last = bytes.last().copied().is_some_and(is_word_byte);
                        meta.push((class, first, last));
                        patterns.push(v);
                    }
                }
            }
            let automaton = AhoCorasickBuilder::new()
                .ascii_case_insensitive(true)
                .match_kind(MatchKind::Standard)
                .build(&patterns)
                .ok()?;
            Some(Matcher { automaton, meta })
        })
        .as_ref()
}

/// The flags a text sets.
pub fn flags(text: &str) -> MessageFlags {
    let mut flags = MessageFlags::default();
    let Some(m) = matcher() else { return flags };
    let bytes = text.as_bytes();
    for found in m.automaton.find_overlapping_iter(text) {
        let Some(&(class, need_start, need_end)) = m.meta.get(found.pattern().as_usize()) else {
            continue;
        };
        let start_ok = !need_start || found.start() == 0 || !is_word_byte(bytes[found.start() - 1]);
        let end_ok = !need_end || found.end() == bytes.len() || !is_word_byte(bytes[found.end()]);
        if start_ok && end_ok {
            match class {
                Class::Urgent => flags.urgent = true,
                Class::Call => flags.call_request = true,
                Class::Decision => flags.decision = true,
            }
            if flags.urgent && flags.call_request && flags.decision {
                break;
            }
        }
    }
    flags
}

/// Slack mentions: `<@U123>`, `<@U123|name>`, `<!here>`, `<!channel>`,
/// `<!everyone>`, `<!group>` (each `|label` form too).
pub fn slack_mentions(text: &str) -> Mentions {
    let mut mentions = Mentions::default();
    let bytes = text.as_bytes();
    let mut from = 0;
    while let Some(pos) = memchr::memchr(b'<', &bytes[from..]) {
        let start = from + pos;
        from = start + 1;
        let Some(kind) = bytes.get(start + 1) else { break };
        if *kind != b'@' && *kind != b'!' {
            continue;
        }
        let Some(close) = memchr::memchr(b'>', &bytes[start..]) else { break };
        let inner = &text[start + 2..start + close];
        let token = inner.split('|').next().unwrap_or("");
        if *kind == b'@' {
            let valid = !token.is_empty()
                && token.len() <= 32
                && token.bytes().all(|b| b.is_ascii_uppercase() || b.is_ascii_digit());
            if valid && !mentions.users.iter().any(|u| u == token) {
                mentions.users.push(token.to_owned());
            }
        } else {
            match token {
                "here" => mentions.here = true,
                "channel" | "everyone" | "group" => mentions.channel = true,
                _ => {}
            }
        }
        from = start + close + 1;
    }
    mentions
}

/// Mattermost mentions: `@username` (lower-cased, trailing `.`/`-`/`_`
/// dropped), `@here`, `@channel`, `@all`. An `@` inside a word (an email
/// address) is not a mention.
pub fn mattermost_mentions(text: &str) -> Mentions {
    let mut mentions = Mentions::default();
    let bytes = text.as_bytes();
    for at in memchr::memchr_iter(b'@', bytes) {
        if at > 0 && is_word_byte(bytes[at - 1]) {
            continue;
        }
        let rest = &bytes[at + 1..];
        let len = rest
            .iter()
            .take_while(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'_'))
            .count();
        let name = text[at + 1..at + 1 + len].trim_end_matches(['.', '-', '_']);
        if name.is_empty() {
            continue;
        }
        let name = name.to_ascii_lowercase();
        match name.as_str() {
            "here" => mentions.here = true,
            "channel" | "all" => mentions.channel = true,
            _ => {
                if !mentions.users.contains(&name) {
                    mentions.users.push(name);
                }
            }
        }
    }
    mentions
}

/// Length of a text in characters, saturating at `u32::MAX`.
pub fn char_count(text: &str) -> u32 {
    u32::try_from(text.chars().count()).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urgency_respects_word_boundaries_and_case() {
        assert!(flags("Need this ASAP!").urgent);
        assert!(flags("this is a blocker for the release").urgent);
        assert!(!flags("asapology is not a word").urgent);
        assert!(!flags("unblockers").urgent);
        assert!(!flags("plain message").urgent);
    }

    #[test]
    fn call_phrases_accept_apostrophe_variants() {
        assert!(flags("Let's meet at 3").call_request);
        assert!(flags("let\u{2019}s meet at 3").call_request);
        assert!(flags("lets meet at 3").call_request);
        assert!(flags("can we jump on a call?").call_request);
        assert!(!flags("the meeting notes").call_request);
    }

    #[test]
    fn decision_markers() {
        assert!(flags("Decision: ship on Friday").decision);
        assert!(flags("we decided to wait").decision);
        // "undecided" has "decided" inside a word: not a marker.
        assert!(!flags("still undecided").decision);
    }

    #[test]
    fn slack_mentions_forms() {
        let m = slack_mentions("hi <@U024BE7LH> and <@W123|bob>, <@U024BE7LH> again <!here> <http://x>");
        assert_eq!(m.users, ["U024BE7LH", "W123"]);
        assert!(m.here);
        assert!(!m.channel);
        assert!(slack_mentions("<!channel|channel> look").channel);
        assert!(slack_mentions("<!everyone>").channel);
        // Unterminated and malformed forms are ignored, never a panic.
        assert_eq!(slack_mentions("<@U1 <@ <! <").users, Vec::<String>::new());
        assert_eq!(slack_mentions("<@lower>").users, Vec::<String>::new());
    }

    #[test]
    fn mattermost_mentions_forms() {
        let m = mattermost_mentions("@Ana.R can you look? cc @bob. mail ana@acme.com @here");
        assert_eq!(m.users, ["ana.r", "bob"]);
        assert!(m.here);
        assert!(mattermost_mentions("@all hands").channel);
    }

    #[test]
    fn char_count_counts_characters_not_bytes() {
        assert_eq!(char_count("héllo"), 5);
    }
}
