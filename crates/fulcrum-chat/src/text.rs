//! What Fulcrum takes from a message's text while it is in memory: mentions,
//! length and five flags (urgent, call request, decision, question,
//! acknowledgement). The text itself is never kept.
//!
//! The word lists are documented in `docs/chat.md`; keep the two in step.
//! Matching is ASCII case-insensitive and respects word boundaries ("asap"
//! matches "ASAP!" but not "asapology"), with straight and curly apostrophes
//! and no apostrophe all accepted ("let's", "let’s", "lets"). A phrase
//! starting with `:` or `#` may follow any character.

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

/// Request phrases: with a question mark, what makes a message ask
/// something (SIGNALS.md: "a question or request directed at a person").
pub const REQUEST_PHRASES: &[&str] = &[
    "can you",
    "could you",
    "would you",
    "will you",
    "can u",
    "are you able",
    "do you have",
    "do you know",
    "please",
    "pls",
    "plz",
    "let me know",
    "lmk",
    "any update",
    "any updates",
    "any news",
    "thoughts",
    "wdyt",
    "what do you think",
    "need you to",
    "would you mind",
    "mind taking",
    "take a look",
    "have a look",
    "when can",
    "when will",
];

/// Words a message that only acknowledges or closes is made of ("Thanks!",
/// "ok, on it", "got it, thank you"): such a message is never an ask. A
/// message is an acknowledgement when it has no question mark, at most
/// [`ACK_MAX_BYTES`] bytes, at least one of these words or
/// [`ACK_SYMBOLS`], and nothing else but punctuation and spaces.
pub const ACK_WORDS: &[&str] = &[
    "thanks",
    "thank",
    "you",
    "thx",
    "ty",
    "tysm",
    "tx",
    "ta",
    "cheers",
    "appreciated",
    "appreciate",
    "it",
    "much",
    "a",
    "lot",
    "so",
    "many",
    "very",
    "ok",
    "okay",
    "k",
    "kk",
    "got",
    "gotcha",
    "on",
    "will",
    "do",
    "sounds",
    "good",
    "great",
    "cool",
    "perfect",
    "nice",
    "awesome",
    "amazing",
    "done",
    "np",
    "no",
    "problem",
    "worries",
    "noted",
    "sure",
    "yep",
    "yes",
    "yeah",
    "yup",
    "lgtm",
    "ack",
    "roger",
    "that",
    "makes",
    "sense",
    "all",
    "good",
    "welcome",
    "you're",
    "youre",
    "the",
    "same",
    "to",
    "again",
];

/// Emoji and shortcodes that acknowledge on their own.
pub const ACK_SYMBOLS: &[&str] = &[
    "👍",
    "🙏",
    "👌",
    "✅",
    "🙌",
    "🎉",
    "💯",
    ":+1:",
    ":thumbsup:",
    ":pray:",
    ":ok_hand:",
    ":white_check_mark:",
    ":heavy_check_mark:",
    ":raised_hands:",
    ":tada:",
    ":100:",
];

/// The longest text read as an acknowledgement: longer messages say more.
pub const ACK_MAX_BYTES: usize = 60;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Class {
    Urgent,
    Call,
    Decision,
    Request,
}

/// One phrase, lower-cased, with its class and whether its first and last
/// bytes are word characters (only then must a non-word character, or the
/// start or end of the text, be next to it on that side).
struct Phrase {
    bytes: Vec<u8>,
    /// The first (up to) eight bytes with bit 0x20 set in each, and the mask
    /// of those bytes: a quick test before the full comparison.
    prefix: u64,
    mask: u64,
    class: Class,
    start_boundary: bool,
    end_boundary: bool,
}

/// Up to eight bytes from `bytes`, little-endian, zero-padded, each with bit
/// 0x20 set (ASCII letters become lower case; other bytes may collide, which
/// only costs a full comparison).
fn folded8(bytes: &[u8]) -> u64 {
    let word = match bytes.first_chunk::<8>() {
        Some(chunk) => *chunk,
        None => {
            let mut word = [0u8; 8];
            for (w, b) in word.iter_mut().zip(bytes) {
                *w = *b;
            }
            word
        }
    };
    u64::from_le_bytes(word) | 0x2020_2020_2020_2020
}

/// The phrases, grouped by a hash of their first three bytes. At each
/// position where a phrase may start, an 8 KiB bit table of first-two-byte
/// pairs rules most positions out; otherwise the next three bytes are hashed
/// into a 4 KiB table that says which group of phrases may start there, if
/// any; only those phrases are compared, first on eight bytes at once. Both
/// tables stay in the L1 cache. Several times faster here than a general
/// multi-pattern automaton.
struct Matcher {
    /// Bit set for each first-two-bytes pair (bit 0x20 set in both) that
    /// starts a phrase: a quick filter before hashing three bytes.
    pairs: [u64; 1024],
    /// For each slot: 0 when no phrase starts that way, else 1 + the index
    /// of its group in `groups`.
    slots: Vec<u8>,
    groups: Vec<Vec<Phrase>>,
}

/// Word bytes: ASCII letters and digits, `_`, and every byte of a non-ASCII
/// character.
const WORD: [bool; 256] = {
    let mut table = [false; 256];
    let mut i = 0;
    while i < 256 {
        let b = i as u8;
        table[i] = b.is_ascii_alphanumeric() || b == b'_' || b >= 0x80;
        i += 1;
    }
    table
};

fn is_word_byte(b: u8) -> bool {
    WORD[usize::from(b)]
}

fn pair_index(a: u8, b: u8) -> usize {
    (usize::from(a | 0x20) << 8) | usize::from(b | 0x20)
}

/// Size of the slot table: small enough to stay in the L1 cache.
const SLOTS: usize = 4096;

/// The table slot of a phrase start: its first two bytes and the third
/// when that is a word byte (any non-word third byte reads as 0, so a
/// two-byte phrase such as "p0" has one slot). Bytes are ASCII-lower-cased
/// by setting bit 0x20.
fn slot(a: u8, b: u8, c: u8) -> usize {
    // Without a branch: whether the third byte is a word byte is as good as
    // random, and a mispredicted branch here cost more than the rest.
    let keep_third = 0u32.wrapping_sub(u32::from(is_word_byte(c)));
    let c = u32::from(c | 0x20) & keep_third;
    let k = u32::from(a | 0x20) | (u32::from(b | 0x20) << 8) | (c << 16);
    (k.wrapping_mul(0x9E37_79B1) >> 20) as usize
}

fn matcher() -> &'static Matcher {
    static MATCHER: OnceLock<Matcher> = OnceLock::new();
    MATCHER.get_or_init(|| {
        let mut groups: Vec<Vec<Phrase>> = Vec::new();
        let mut slots = vec![0u8; SLOTS];
        let mut pairs = [0u64; 1024];
        for (class, list) in [
            (Class::Urgent, URGENT_WORDS),
            (Class::Call, CALL_PHRASES),
            (Class::Decision, DECISION_MARKERS),
            (Class::Request, REQUEST_PHRASES),
        ] {
            for word in list {
                let mut variants = vec![(*word).to_owned()];
                if word.contains('\'') {
                    variants.push(word.replace('\'', "\u{2019}"));
                    variants.push(word.replace('\'', ""));
                }
                for v in variants {
                    let bytes = v.to_ascii_lowercase().into_bytes();
                    let (Some(&first), Some(&second)) = (bytes.first(), bytes.get(1)) else {
                        continue;
                    };
                    // A two-byte phrase ("p0") is followed by a non-word
                    // byte or by the end of the text, both read as 0.
                    let key = slot(first, second, bytes.get(2).copied().unwrap_or(0));
                    let pair = pair_index(first, second);
                    pairs[pair / 64] |= 1 << (pair % 64);
                    let end_boundary = bytes.last().copied().is_some_and(is_word_byte);
                    let start_boundary = is_word_byte(first);
                    let n = bytes.len().min(8);
                    let mask = if n == 8 {
                        u64::MAX
                    } else {
                        (1u64 << (8 * n)) - 1
                    };
                    let prefix = folded8(&bytes) & mask;
                    if slots[key] == 0 {
                        groups.push(Vec::new());
                        // A few hundred phrases and variants at most.
                        slots[key] = u8::try_from(groups.len()).unwrap_or(u8::MAX);
                    }
                    if let Some(group) = groups.get_mut(usize::from(slots[key]) - 1) {
                        group.push(Phrase {
                            bytes,
                            prefix,
                            mask,
                            class,
                            start_boundary,
                            end_boundary,
                        });
                    }
                }
            }
        }
        Matcher {
            pairs,
            slots,
            groups,
        }
    })
}

const LO: u64 = 0x0101_0101_0101_0101;
const HI: u64 = 0x8080_8080_8080_8080;

/// For each byte of `x` (7-bit values with the high bit cleared), the high
/// bit set when the byte is at least `k` (`k` at most 0x80). Setting every
/// high bit first means the subtraction never borrows across bytes.
fn at_least(v: u64, k: u64) -> u64 {
    ((v | HI) - LO * k) & HI
}

/// For each byte of `x`, the high bit set when it is not a word byte.
fn non_word_bytes(x: u64) -> u64 {
    let v = x & !HI;
    let digit = at_least(v, 0x30) & !at_least(v, 0x3A);
    let upper = at_least(v, 0x41) & !at_least(v, 0x5B);
    let lower = at_least(v, 0x61) & !at_least(v, 0x7B);
    let underscore = at_least(v, 0x5F) & !at_least(v, 0x60);
    let non_ascii = x & HI;
    !(digit | upper | lower | underscore | non_ascii) & HI
}

/// For each byte of `x`, the high bit set when it equals `b`.
fn bytes_equal(x: u64, b: u8) -> u64 {
    let y = x ^ (LO * u64::from(b));
    // Zero bytes of y: the classic "has zero byte" test, exact per byte.
    !(((y & !HI) + !HI) | y) & HI
}

/// The flags a text sets.
///
/// Phrases may start at a word start (after a non-word byte, or at the
/// start of the text) or at a `:` or `#`. Those positions are found eight
/// bytes at a time with bit arithmetic (no branch per byte: word boundaries
/// come every few bytes and would be mispredicted); at each, the next three
/// bytes pick a group of phrases from the table, usually none.
pub fn flags(text: &str) -> MessageFlags {
    let mut flags = MessageFlags::default();
    let m = matcher();
    let bytes = text.as_bytes();
    let n = bytes.len();
    flags.question = memchr::memchr(b'?', bytes).is_some();
    flags.ack = !flags.question && is_ack(text);
    if n < 2 {
        return flags;
    }
    // The start of the text counts as following a non-word byte.
    let mut carry: u64 = 1;
    let mut base = 0;
    while base < n - 1 {
        let chunk = folded_chunk(&bytes[base..]);
        let non_word = non_word_bytes(chunk);
        // A candidate is a byte after a non-word byte (shift the flags up
        // by one byte, bringing in the last flag of the previous chunk) or
        // a ':' or '#' itself.
        let after = (non_word >> 7 << 8) | carry;
        let special = (bytes_equal(chunk, b':') | bytes_equal(chunk, b'#')) >> 7;
        let mut candidates = after | special;
        carry = (non_word >> 63) & 1;
        while candidates != 0 {
            let i = base + (candidates.trailing_zeros() / 8) as usize;
            candidates &= candidates - 1;
            if i + 1 >= n {
                break;
            }
            let pair = pair_index(bytes[i], bytes[i + 1]);
            if m.pairs[pair / 64] & (1 << (pair % 64)) == 0 {
                continue;
            }
            let third = bytes.get(i + 2).copied().unwrap_or(0);
            let group = m.slots[slot(bytes[i], bytes[i + 1], third)];
            if group == 0 {
                continue;
            }
            check_group(m, usize::from(group) - 1, bytes, i, &mut flags);
        }
        if flags.urgent && flags.call_request && flags.decision && flags.question {
            break;
        }
        base += 8;
    }
    flags
}

/// Eight bytes from `bytes`, little-endian, zero-padded (zero is a non-word
/// byte and no phrase starts there).
fn folded_chunk(bytes: &[u8]) -> u64 {
    match bytes.first_chunk::<8>() {
        Some(chunk) => u64::from_le_bytes(*chunk),
        None => {
            let mut word = [0u8; 8];
            for (w, b) in word.iter_mut().zip(bytes) {
                *w = *b;
            }
            u64::from_le_bytes(word)
        }
    }
}

fn check_group(m: &Matcher, group: usize, bytes: &[u8], i: usize, flags: &mut MessageFlags) {
    let n = bytes.len();
    let here = folded8(&bytes[i..]);
    for p in &m.groups[group] {
        let end = i + p.bytes.len();
        if here & p.mask == p.prefix
            && end <= n
            && (!p.start_boundary || i == 0 || !is_word_byte(bytes[i - 1]))
            && bytes[i..end].eq_ignore_ascii_case(&p.bytes)
            && (!p.end_boundary || end == n || !is_word_byte(bytes[end]))
        {
            match p.class {
                Class::Urgent => flags.urgent = true,
                Class::Call => flags.call_request = true,
                Class::Decision => flags.decision = true,
                Class::Request => flags.question = true,
            }
        }
    }
}

/// True when `text` only acknowledges or closes (see [`ACK_WORDS`]): every
/// word is an acknowledgement word, every other piece punctuation, space, a
/// mention (`<@U123>`, `@name`) or an acknowledgement symbol, and there is
/// at least one word or symbol. The caller has ruled out a question mark.
fn is_ack(text: &str) -> bool {
    if text.len() > ACK_MAX_BYTES {
        return false;
    }
    let mut rest = text;
    let mut seen = false;
    while !rest.is_empty() {
        let trimmed = rest.trim_start_matches(|c: char| {
            c.is_whitespace() || matches!(c, '.' | ',' | '!' | '-' | '~' | '…' | '\u{fe0f}')
        });
        if trimmed.is_empty() {
            break;
        }
        rest = trimmed;
        if let Some(symbol) = ACK_SYMBOLS.iter().find(|s| rest.starts_with(**s)) {
            rest = &rest[symbol.len()..];
            seen = true;
            continue;
        }
        // A mention names whom the thanks go to: neither an ack word nor
        // something else.
        if rest.starts_with("<@") {
            match rest.find('>') {
                Some(end) => {
                    rest = &rest[end + 1..];
                    continue;
                }
                None => return false,
            }
        }
        if let Some(name) = rest.strip_prefix('@') {
            let len = name
                .find(|c: char| !(c.is_alphanumeric() || matches!(c, '.' | '_' | '-')))
                .unwrap_or(name.len());
            rest = &name[len..];
            continue;
        }
        let len = rest
            .find(|c: char| !(c.is_alphanumeric() || c == '\'' || c == '’'))
            .unwrap_or(rest.len());
        if len == 0 {
            // Anything else (a digit-free symbol, a link, code): more than
            // an acknowledgement.
            return false;
        }
        let word = rest[..len].to_lowercase().replace('’', "'");
        if !ACK_WORDS.contains(&word.as_str()) {
            return false;
        }
        seen = true;
        rest = &rest[len..];
    }
    seen
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
        let Some(kind) = bytes.get(start + 1) else {
            break;
        };
        if *kind != b'@' && *kind != b'!' {
            continue;
        }
        let Some(close) = memchr::memchr(b'>', &bytes[start..]) else {
            break;
        };
        let inner = &text[start + 2..start + close];
        let token = inner.split('|').next().unwrap_or("");
        if *kind == b'@' {
            let valid = !token.is_empty()
                && token.len() <= 32
                && token
                    .bytes()
                    .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit());
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
    fn questions_and_requests_ask_something() {
        for asks in [
            "do you know who owns billing?",
            "Could you review my PR when you get a chance",
            "Please send the numbers by Friday",
            "lmk when it's deployed",
            "any update on the migration",
            "<@U123> can you take a look",
        ] {
            let f = flags(asks);
            assert!(f.question && !f.ack, "{asks}: {f:?}");
        }
        for says in [
            "Done, left two comments.",
            "Not yet, aiming for Thursday.",
            "FYI the deploy finished",
            // "can" and "you" apart are not the phrase.
            "you can ship it",
        ] {
            assert!(!flags(says).question, "{says}");
        }
    }

    #[test]
    fn acknowledgements_close_and_are_never_questions() {
        for closes in [
            "Thanks!",
            "thank you 🙏",
            "Perfect, thanks.",
            "👍",
            "Great, thanks a lot",
            "On it.",
            "ok",
            "Got it, thx",
            "sounds good :+1:",
            "thanks <@U0AB12>!",
            "thanks @ana.lopez",
            "You\u{2019}re welcome",
            "LGTM",
        ] {
            let f = flags(closes);
            assert!(f.ack && !f.question, "{closes}: {f:?}");
        }
        for more in [
            "ok?",
            "Thanks! Can you also check the staging config?",
            "thanks, see https://example.org/x",
            "Sure, will look after lunch.",
            "ok, deploying 42 now",
            "",
            "!!!",
            // Too long to be only an acknowledgement.
            "thanks thanks thanks thanks thanks thanks thanks thanks thanks thanks",
        ] {
            assert!(!flags(more).ack, "{more}");
        }
    }

    #[test]
    fn decision_markers() {
        assert!(flags("Decision: ship on Friday").decision);
        assert!(flags("we decided to wait").decision);
        // "undecided" has "decided" inside a word: not a marker.
        assert!(!flags("still undecided").decision);
        // Phrases starting with '#' or ':' need no boundary before them.
        assert!(flags("shipping it#decision").decision);
        assert!(flags("prod down:rotating_light:").urgent);
        assert!(flags("WE'LL GO WITH option B").decision);
        assert_eq!(
            flags("Urgent: let's meet, decision: yes"),
            MessageFlags {
                urgent: true,
                call_request: true,
                decision: true,
                question: false,
                ack: false,
            }
        );
    }

    #[test]
    fn slack_mentions_forms() {
        let m = slack_mentions(
            "hi <@U024BE7LH> and <@W123|bob>, <@U024BE7LH> again <!here> <http://x>",
        );
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
    fn bit_tricks_agree_with_the_byte_table() {
        // Every byte value, in every lane: the SWAR tests give the same
        // answer as the plain table and comparisons.
        for b in 0..=255u8 {
            for lane in 0..8 {
                let x = u64::from(b) << (8 * lane) | 0x4141_4141_4141_4141 & !(0xFF << (8 * lane));
                let bit = 1u64 << (8 * lane + 7);
                assert_eq!(
                    non_word_bytes(x) & bit != 0,
                    !is_word_byte(b),
                    "byte {b:#x} lane {lane}"
                );
                assert_eq!(bytes_equal(x, b':') & bit != 0, b == b':', "byte {b:#x}");
            }
        }
    }

    #[test]
    fn phrases_at_chunk_edges_and_text_ends() {
        // Phrases placed at every offset: across the 8-byte chunk edges.
        for pad in 0..17 {
            let text = format!("{}asap", "x ".repeat(pad));
            assert!(flags(&text).urgent, "{text:?}");
            let text = format!("{}(p0) {}", ".".repeat(pad), "y".repeat(pad));
            assert!(flags(&text).urgent, "{text:?}");
            let text = format!("{}xp0", " ".repeat(pad));
            assert!(!flags(&text).urgent, "{text:?}");
        }
        assert!(flags("p0").urgent);
        assert!(!flags("p").urgent);
        assert!(flags("héllo, asap").urgent);
        assert!(!flags("éasap").urgent);
    }

    #[test]
    fn char_count_counts_characters_not_bytes() {
        assert_eq!(char_count("héllo"), 5);
    }
}
