//! The two real Slack exports of `../shared/corpora/slack` (see its README).
//! The tests fail, never skip, when the folder is missing.
//!
//! Facts from the corpus README: slack-export-viewer's test archive has 4
//! users, 2 channels, 158 messages; the Houston Data Visualization export
//! has 71 users, 16 channels, 1,382 messages. The README's day-file counts
//! (18 and 380) do not match the archives: their ZIP listings (`unzip -l`)
//! hold 17 and 375 `<channel>/<date>.json` entries (9 + 8, and 124 + 51 +
//! ... per channel); 380 is the number of all non-directory entries of the
//! Houston ZIP (375 day files + .LICENSE, README.md, channels.json,
//! integration_logs.json, users.json). The tests assert the listing.
//!
//! Subtype counts come from reading the JSON with an independent Python
//! script (json.load of every day file, counting `subtype`):
//! testarchive: bot_message 94, channel_join 8, bot_add 3, file_share 3,
//!   file_comment 1, none 49;
//! Houston: channel_join 320, channel_purpose 13, channel_archive 9,
//!   channel_leave 3, channel_name 2, channel_topic 2, pinned_item 1,
//!   bot_add 1, file_share 61, file_comment 6, none 964.
//! Asks were counted by the same script: distinct `<@U…>` ids per
//! non-bot, non-system message, other than its author, that are users.

// Helpers outside #[test] functions unwrap too: a panic is a failed test
// with a clear location (clippy.toml allows it inside tests).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::*;
use fulcrum_chat::{Limits, read_export};

fn summary_of(rel: &str) -> fulcrum_model::chat::ExportSummary {
    let bytes = std::fs::read(corpus(rel)).unwrap();
    summarize_zip(bytes, &Limits::default())
}

fn day_files(rel: &str) -> u64 {
    let bytes = std::fs::read(corpus(rel)).unwrap();
    let copy = bytes.clone();
    let mut src = fulcrum_chat::open_zip(
        std::io::Cursor::new(bytes),
        || Ok(std::io::Cursor::new(copy)),
        Limits::default(),
    )
    .unwrap();
    let report = read_export(&mut src, &Limits::default(), &mut Vec::new()).unwrap();
    // Entries read = metadata files read + day files read.
    report.entries_read
}

#[test]
fn slack_export_viewer_testarchive() {
    let s = summary_of("slack/slack-export-viewer_testarchive.zip");
    assert_eq!(s.users, 4);
    assert_eq!(s.conversations.len(), 2);
    assert_eq!(s.messages, 158);
    // bots: the 94 bot_message entries; system: channel_join 8 + bot_add 3.
    assert_eq!(s.bot_messages, 94);
    assert_eq!(s.system_messages, 11);
    // 158 - 94 - 11 = 53 (the 49 plain, 3 file_share, 1 file_comment).
    assert_eq!(s.people_messages, 53);
    assert_eq!((s.threads, s.replies, s.skipped), (0, 0, 0));
    assert_eq!(s.asks, 14);
    // channels.json + users.json + 17 day files.
    assert_eq!(
        day_files("slack/slack-export-viewer_testarchive.zip"),
        2 + 17
    );
}

#[test]
fn houston_data_vis_export() {
    let s = summary_of("slack/houstondatavis_slack_export.zip");
    assert_eq!(s.users, 71);
    assert_eq!(s.conversations.len(), 16);
    assert_eq!(s.messages, 1382);
    // 320 + 13 + 9 + 3 + 2 + 2 + 1 + 1 = 351 system messages; no bots.
    assert_eq!(s.system_messages, 351);
    assert_eq!(s.bot_messages, 0);
    assert_eq!(s.people_messages, 1382 - 351);
    // Exported before Slack had threads.
    assert_eq!((s.threads, s.replies, s.skipped), (0, 0, 0));
    // No DMs: 155 mentions of other listed people, less the 11 that only
    // acknowledge ("thanks <@U..>!"), which are never asks. The 11 were
    // counted independently with a Python reading of the day files and the
    // acknowledgement rule of docs/chat.md.
    assert_eq!(s.asks, 144);
    assert_eq!(day_files("slack/houstondatavis_slack_export.zip"), 2 + 375);
    // The README and licence at the ZIP root are reported, not read.
    assert!(
        s.diagnostics
            .iter()
            .any(|d| d.message.contains(".LICENSE, README.md")),
        "{:#?}",
        s.diagnostics
    );
    let general = s
        .conversations
        .iter()
        .find(|c| c.name == "general")
        .unwrap();
    assert_eq!(general.kind.as_str(), "channel");
}
