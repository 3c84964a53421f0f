//! The hand-written Mattermost bulk export of `test_data/chat/mattermost`,
//! field names from Mattermost's import data types (`import_types.go`).

// Helpers outside #[test] functions unwrap too: a panic is a failed test
// with a clear location (clippy.toml allows it inside tests).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::*;
use fulcrum_chat::Limits;
use fulcrum_chat::mattermost::read_mattermost_jsonl;
use fulcrum_model::chat::{ConversationKind, ExportSummary, ThreadRole};
use std::io::BufReader;

/// Worked out from export.jsonl (17 lines):
/// users: 3 `user` lines + 1 `bot` line = 4.
/// messages: town-square post + 2 replies (3), system_join_channel (1),
///   from_bot post (1), launch post (1), DM post + 1 reply (2), group DM post
///   (1) = 9 = people 7 + bot 1 + system 1. The post without create_at is
///   skipped (1).
/// threads: the town-square post and the DM post have replies = 2; replies 3.
/// asks: ana -> @bo (1); bo -> @ana.r in launch (1); DM ana -> bo "quick
///   question" opens it (1), bo's reply "sure" 10 min later neither opens
///   an exchange nor asks (0); group DM cy -> @ana.r (1) = 4.
fn check(s: &ExportSummary) {
    assert_eq!(s.platform.as_str(), "mattermost");
    assert_eq!(s.users, 4);
    assert_eq!(
        (
            s.messages,
            s.people_messages,
            s.bot_messages,
            s.system_messages
        ),
        (9, 7, 1, 1)
    );
    assert_eq!((s.threads, s.replies, s.asks, s.skipped), (2, 3, 4, 1));
    let convs: Vec<(&str, ConversationKind, u64)> = s
        .conversations
        .iter()
        .map(|c| (c.id.as_str(), c.kind, c.messages))
        .collect();
    assert_eq!(
        convs,
        [
            ("acme/town-square", ConversationKind::Channel, 5),
            ("acme/launch", ConversationKind::Private, 1),
            ("ana.r,bo", ConversationKind::Dm, 2),
            ("ana.r,bo,cy", ConversationKind::GroupDm, 1),
        ]
    );
    // The skipped post is located by line: it is line 16.
    assert!(
        s.diagnostics
            .iter()
            .any(|d| d.entry.ends_with("export.jsonl:16")),
        "{:#?}",
        s.diagnostics
    );
}

#[test]
fn jsonl_file() {
    let file = std::fs::File::open(fixture("mattermost/export.jsonl")).unwrap();
    let mut b = fulcrum_chat::SummaryBuilder::new();
    let report = read_mattermost_jsonl(
        &mut BufReader::new(file),
        "export.jsonl",
        &Limits::default(),
        &mut b,
    );
    check(&b.finish("export.jsonl", report));
}

#[test]
fn mmctl_zip_with_attachments() {
    let jsonl = std::fs::read(fixture("mattermost/export.jsonl")).unwrap();
    let files = vec![
        (
            "data/emoji/shipit.png".to_owned(),
            b"\x89PNG not really".to_vec(),
        ),
        ("export.jsonl".to_owned(), jsonl),
    ];
    check(&summarize_zip(zip_bytes(&files), &Limits::default()));
}

#[test]
fn replies_point_to_their_post_and_text_is_gone() {
    let file = std::fs::File::open(fixture("mattermost/export.jsonl")).unwrap();
    let mut sink = Vec::new();
    let report = read_mattermost_jsonl(
        &mut BufReader::new(file),
        "export.jsonl",
        &Limits::default(),
        &mut sink,
    );
    let call = sink.iter().find(|m| m.flags.call_request).unwrap();
    assert_eq!(
        call.thread,
        ThreadRole::Reply {
            parent: "1715000000000".into()
        }
    );
    assert_eq!(call.at.timestamp_millis(), 1_715_150_000_000);
    let decision = sink.iter().find(|m| m.flags.decision).unwrap();
    assert!(decision.edited);
    assert_eq!(decision.mentions.users, ["ana.r"]);
    let ana = report.users.iter().find(|u| u.id == "ana.r").unwrap();
    assert_eq!(ana.email.as_deref(), Some("ana.r@acme.com"));
    assert_eq!(ana.display_name.as_deref(), Some("Ana Ribeiro"));
    let all = format!("{sink:?}");
    assert!(!all.contains("review the plan") && !all.contains("quick question"));
}
