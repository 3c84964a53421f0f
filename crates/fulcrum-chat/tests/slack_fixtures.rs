//! The hand-made Slack exports of `test_data/chat` (see its README): a full
//! export with threads across days, DMs, group DMs, mentions, a huddle, a
//! bot, a broadcast exported twice and a corrupt day file; and an Enterprise
//! Grid export. Expected values are worked out from the fixture files.

// Helpers outside #[test] functions unwrap too: a panic is a failed test
// with a clear location (clippy.toml allows it inside tests).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::*;
use fulcrum_chat::{Limits, read_export};
use fulcrum_model::chat::{ConversationKind, ExportSummary, MessageKind, SystemEvent, ThreadRole};

/// The expected summary of `slack-full`, worked out by hand:
///
/// general/2024-05-06.json: 6 entries; one has no `ts` (skipped) -> 5
///   messages: parent (ana), reply (bo), channel_join (system), bot_message
///   (bot), `<!here>` note (ana).
/// general/2024-05-08.json: 5 entries; the second copy of the broadcast
///   (same ts 1715150100.000700) is a duplicate (skipped) -> 4 messages:
///   reply (cy), broadcast reply (ana), huddle (bo), thanks (bo).
/// general/2024-05-09.json: cut mid-way: 1 message read, the rest skipped (1).
///   general: 5 + 4 + 1 = 10 messages, people 10 - 1 system - 1 bot = 8.
/// secret-proj: 2 people messages. D01AB: 3. mpdm: 2.
/// messages 10 + 2 + 3 + 2 = 17 = people 15 + bot 1 + system 1.
/// threads: one parent (1715000000.000100) with replies bo, cy, ana -> 1 thread, 3 replies.
/// asks: general parent ana -> bo (1); thanks bo -> ana once, U09GHOST not a user (1);
///   secret-proj ana -> bo (1; "@ana" is not a Slack mention); DM: ana's
///   "got a minute?" opens it (1 to bo), bo's turn "sure" then "<@U01ANA>
///   what is it about?" asks back (1 to ana): 2; mpdm: "hi all" none,
///   cy -> ana (1). Total 6.
/// skipped: no ts (1) + duplicate (1) + broken file (1) = 3.
fn check_full(s: &ExportSummary) {
    check_full_in(s, "");
}

/// As [`check_full`], for an export whose entries sit under `prefix`.
fn check_full_in(s: &ExportSummary, prefix: &str) {
    assert_eq!(s.users, 4);
    assert_eq!(s.messages, 17);
    assert_eq!(s.people_messages, 15);
    assert_eq!(s.bot_messages, 1);
    assert_eq!(s.system_messages, 1);
    assert_eq!(s.threads, 1);
    assert_eq!(s.replies, 3);
    assert_eq!(s.asks, 6);
    assert_eq!(s.skipped, 3);
    let convs: Vec<(&str, &str, ConversationKind, u64, u64)> = s
        .conversations
        .iter()
        .map(|c| {
            (
                c.id.as_str(),
                c.name.as_str(),
                c.kind,
                c.messages,
                c.people_messages,
            )
        })
        .collect();
    assert_eq!(
        convs,
        [
            ("C01GEN", "general", ConversationKind::Channel, 10, 8),
            ("G01SEC", "secret-proj", ConversationKind::Private, 2, 2),
            ("D01AB", "D01AB", ConversationKind::Dm, 3, 3),
            (
                "G02MP",
                "mpdm-ana--bo--cy-1",
                ConversationKind::GroupDm,
                2,
                2
            ),
        ]
    );
    let general = &s.conversations[0];
    assert_eq!((general.threads, general.replies), (1, 3));
    let diag = |entry: &str, needle: &str| {
        let entry = if entry.is_empty() {
            String::new()
        } else {
            format!("{prefix}{entry}")
        };
        s.diagnostics
            .iter()
            .any(|d| d.entry == entry && d.message.contains(needle))
    };
    assert!(
        diag("general/2024-05-06.json", "message has no ts"),
        "{:#?}",
        s.diagnostics
    );
    assert!(diag(
        "general/2024-05-08.json",
        "duplicate of message ts 1715150100.000700"
    ));
    assert!(diag("general/2024-05-09.json", "1 messages read before it"));
    assert!(diag("", "U09GHOST"));
}

#[test]
fn full_export_as_folder() {
    let mut src = memory_source(&fixture("slack-full"));
    check_full(&summarize(&mut src, &Limits::default()));
}

#[test]
fn full_export_as_zip_gives_the_same_summary() {
    let zip = zip_bytes(&files_of(&fixture("slack-full")));
    check_full(&summarize_zip(zip, &Limits::default()));
}

#[test]
fn export_inside_a_top_folder() {
    let files: Vec<_> = files_of(&fixture("slack-full"))
        .into_iter()
        .map(|(n, b)| (format!("Acme Slack export May 2024/{n}"), b))
        .collect();
    check_full_in(
        &summarize_zip(zip_bytes(&files), &Limits::default()),
        "Acme Slack export May 2024/",
    );
}

#[test]
fn message_metadata_is_extracted() {
    let mut src = memory_source(&fixture("slack-full"));
    let mut sink = Collect::default();
    read_export(&mut src, &Limits::default(), &mut sink).unwrap();
    let by_ts = |ts: &str| &sink.0.iter().find(|(_, m)| &*m.id == ts).unwrap().1;

    let parent = by_ts("1715000000.000100");
    assert_eq!(parent.thread, ThreadRole::Parent);
    assert_eq!((parent.reply_count, parent.reply_users), (3, 3));
    assert!(parent.flags.urgent);
    assert_eq!(parent.mentions.users, ["U02BO"]);
    assert_eq!(parent.at.timestamp(), 1_715_000_000);
    assert_eq!(parent.at.timestamp_subsec_micros(), 100);

    // A reply sitting in a later day file still points at its parent.
    let late = by_ts("1715150000.000600");
    assert_eq!(
        late.thread,
        ThreadRole::Reply {
            parent: "1715000000.000100".into()
        }
    );
    assert!(late.flags.call_request);

    let broadcast = by_ts("1715150100.000700");
    assert!(broadcast.broadcast && broadcast.flags.decision);
    assert_eq!(
        sink.0
            .iter()
            .filter(|(_, m)| &*m.id == "1715150100.000700")
            .count(),
        1
    );

    let huddle = by_ts("1715160000.000800");
    assert!(huddle.huddle);
    assert_eq!(huddle.kind, MessageKind::Person);

    let thanks = by_ts("1715170000.000900");
    assert!(thanks.edited);
    assert_eq!(thanks.mentions.users, ["U01ANA", "U09GHOST"]);

    let here = by_ts("1715014400.000500");
    assert!(here.mentions.here && here.mentions.users.is_empty());

    assert_eq!(
        by_ts("1715007200.000300").kind,
        MessageKind::System(SystemEvent::Join)
    );
    assert_eq!(by_ts("1715010800.000400").kind, MessageKind::Bot);
    assert_eq!(by_ts("1715010800.000400").author, None);
}

#[test]
fn no_message_text_survives_the_parse() {
    let mut src = memory_source(&fixture("slack-full"));
    let mut sink = Collect::default();
    let report = read_export(&mut src, &Limits::default(), &mut sink).unwrap();
    let everything = format!("{:?} {:?} {:?}", sink.0, report.users, report.conversations);
    for phrase in [
        "review the deploy plan",
        "going in circles",
        "we ship on Friday",
        "standup notes",
        "what is it about",
    ] {
        assert!(
            !everything.contains(phrase),
            "message text {phrase:?} was kept"
        );
    }
}

#[test]
fn users_json_gives_emails_and_time_zones() {
    let mut src = memory_source(&fixture("slack-full"));
    let report = read_export(&mut src, &Limits::default(), &mut Vec::new()).unwrap();
    let ana = report.users.iter().find(|u| u.id == "U01ANA").unwrap();
    assert_eq!(ana.email.as_deref(), Some("ana@acme.com"));
    assert_eq!(ana.tz, Some(chrono_tz::Europe::Lisbon));
    let cy = report.users.iter().find(|u| u.id == "U03CY").unwrap();
    assert_eq!(cy.tz, None);
    assert!(
        report
            .users
            .iter()
            .find(|u| u.id == "B01BOT")
            .unwrap()
            .is_bot
    );
}

#[test]
fn enterprise_grid_org_users() {
    // org_users.json: 2 users; the channel folder is named by id (C0GRID);
    // dana mentions eve (a deactivated person is still a person): 1 ask.
    let mut src = memory_source(&fixture("slack-grid"));
    let s = summarize(&mut src, &Limits::default());
    assert_eq!(
        (s.users, s.messages, s.people_messages, s.asks),
        (2, 2, 2, 1)
    );
    assert_eq!(s.conversations[0].name, "grid-general");
    assert!(s.diagnostics.is_empty(), "{:#?}", s.diagnostics);
}

#[test]
fn zip_bomb_entry_is_skipped_and_the_rest_read() {
    let mut files = files_of(&fixture("slack-grid"));
    // 16 MiB of spaces then "[]": valid JSON, but it deflates more than 200:1.
    let mut bomb = vec![b' '; 16 << 20];
    bomb.extend_from_slice(b"[]");
    files.push(("C0GRID/2024-05-07.json".into(), bomb));
    let s = summarize_zip(zip_bytes(&files), &Limits::default());
    assert_eq!(s.messages, 2);
    assert_eq!(s.skipped, 1);
    assert!(
        s.diagnostics
            .iter()
            .any(|d| d.entry == "C0GRID/2024-05-07.json" && d.message.contains("ZIP bomb"))
    );
    // Raising the limit reads it (an empty day).
    let zip = zip_bytes(&files);
    let s = summarize_zip(
        zip,
        &Limits {
            max_ratio: 100_000,
            ..Limits::default()
        },
    );
    assert_eq!((s.messages, s.skipped), (2, 0));
}

#[test]
fn truncated_zip_reads_the_entries_before_the_cut() {
    // Metadata first, then a day file of 2000 messages, as the last entry.
    let mut files: Vec<(String, Vec<u8>)> = files_of(&fixture("slack-grid"))
        .into_iter()
        .filter(|(n, _)| !n.starts_with("C0GRID/"))
        .collect();
    let day: Vec<String> = (0..2000)
        .map(|i| {
            format!(
                r#"{{"type":"message","user":"W01DANA","text":"note {i} {}","ts":"{}.000100"}}"#,
                i * 7919 % 10007,
                1_715_000_000 + i
            )
        })
        .collect();
    files.push((
        "C0GRID/2024-05-06.json".into(),
        format!("[{}]", day.join(",")).into_bytes(),
    ));
    let mut zip = zip_bytes(&files);
    // Cut in the middle of the last entry's compressed data: the central
    // directory and the end of the day file are lost.
    let last = zip.windows(4).rposition(|w| w == b"PK\x03\x04").unwrap();
    let central = zip.windows(4).position(|w| w == b"PK\x01\x02").unwrap();
    zip.truncate((last + central) / 2);
    let s = summarize_zip(zip, &Limits::default());
    assert_eq!(s.users, 2);
    // Part of the day file was inflated before the cut: some messages, not all.
    assert!(s.messages > 0 && s.messages < 2000, "{}", s.messages);
    assert!(s.skipped >= 1);
    assert!(
        s.diagnostics
            .iter()
            .any(|d| d.message.contains("central directory")),
        "{:#?}",
        s.diagnostics
    );
    assert!(
        s.diagnostics
            .iter()
            .any(|d| d.entry == "C0GRID/2024-05-06.json"),
        "{:#?}",
        s.diagnostics
    );
}

#[test]
fn day_file_that_is_not_json() {
    let mut files = files_of(&fixture("slack-grid"));
    files.push((
        "C0GRID/2024-05-08.json".into(),
        b"<html>502 Bad Gateway</html>".to_vec(),
    ));
    let s = summarize_zip(zip_bytes(&files), &Limits::default());
    assert_eq!((s.messages, s.skipped), (2, 1));
    assert!(
        s.diagnostics
            .iter()
            .any(|d| d.entry == "C0GRID/2024-05-08.json" && d.message.contains("not valid JSON"))
    );
}

#[test]
fn big_day_files_are_streamed_with_the_same_result() {
    // With an in-memory limit of 64 bytes every day file takes the streaming
    // path (metadata has its own limit); the summary must not change.
    let limits = Limits {
        max_entry_in_memory: 64,
        ..Limits::default()
    };
    let mut src = memory_source(&fixture("slack-full"));
    check_full(&summarize(&mut src, &limits));
    let zip = zip_bytes(&files_of(&fixture("slack-full")));
    check_full(&summarize_zip(zip, &limits));
}

#[test]
fn total_size_limit_stops_reading_and_counts_the_rest() {
    let files = files_of(&fixture("slack-full"));
    let metadata: u64 = files
        .iter()
        .filter(|(n, _)| !n.contains('/'))
        .map(|(_, b)| b.len() as u64)
        .sum();
    // Room for the metadata and a little more: the day files cannot all fit.
    let limits = Limits {
        max_total_bytes: metadata + 200,
        ..Limits::default()
    };
    let s = summarize_zip(zip_bytes(&files), &limits);
    assert_eq!(s.users, 4);
    assert!(s.messages < 17, "{}", s.messages);
    assert!(
        s.diagnostics
            .iter()
            .any(|d| d.message.contains("--max-uncompressed-gb")),
        "{:#?}",
        s.diagnostics
    );
    assert!(s.diagnostics.iter().any(|d| {
        d.message
            .contains("day files were not read after the size limit")
    }));
}

#[test]
fn day_files_in_a_top_folder_without_metadata() {
    // Only the day files of slack-full, under one top folder: still a Slack
    // export; conversations are guessed from folder names, authors unknown.
    let files: Vec<_> = files_of(&fixture("slack-full"))
        .into_iter()
        .filter(|(n, _)| n.contains('/'))
        .map(|(n, b)| (format!("top/{n}"), b))
        .collect();
    let s = summarize_zip(zip_bytes(&files), &Limits::default());
    // The same 17 messages (see check_full), no user directory.
    assert_eq!((s.users, s.messages), (0, 17));
    let dm = s.conversations.iter().find(|c| c.id == "D01AB").unwrap();
    assert_eq!(dm.kind, ConversationKind::Dm);
    assert!(
        s.diagnostics
            .iter()
            .any(|d| d.message.contains("no users.json"))
    );
}

#[test]
fn oversized_users_json_is_refused_without_being_inflated() {
    // users.json whose ZIP header says 900 MB (as a 900 MB directory
    // compressed 43:1 into a 21 MB ZIP would): over the 256 MiB a
    // metadata file may have, refused by its declared size before a byte
    // of it is inflated. The day files are still read.
    let files: Vec<(String, Vec<u8>)> = files_of(&fixture("slack-full"));
    let mut zip = zip_bytes(&files);
    let central = zip
        .windows(4)
        .enumerate()
        .filter(|(_, w)| *w == b"PK\x01\x02")
        .map(|(i, _)| i)
        .find(|&i| zip[i + 46..].starts_with(b"users.json"))
        .unwrap();
    zip[central + 24..central + 28].copy_from_slice(&900_000_000u32.to_le_bytes());
    let s = summarize_zip(zip, &Limits::default());
    assert!(s.messages > 0);
    let d = s
        .diagnostics
        .iter()
        .find(|d| d.entry == "users.json")
        .unwrap_or_else(|| panic!("{:#?}", s.diagnostics));
    assert_eq!(
        d.message,
        "inflates to 858.3 MiB, more than the 256 MiB a metadata file may have; the file was not used"
    );
    assert_eq!(Limits::default().max_metadata_bytes, 256 << 20);
    assert_eq!(Limits::default().max_line_bytes, 64 << 20);
}

#[test]
fn export_without_users_json_counts_bot_posts_as_bots() {
    // No users.json: an app's post carries its bot user's id and a
    // `bot_id` (as Slack writes integrations); a person's post has no
    // `bot_id`; a `bot_message` has a `bot_id` and no user. Two bots, one
    // person, whatever the directory does not say.
    let mut source = fulcrum_chat::MemorySource::new();
    source.add(
        "channels.json",
        br#"[{"id":"C1","name":"general","members":[]}]"#.to_vec(),
    );
    source.add(
        "general/2024-05-06.json",
        br#"[
          {"type":"message","user":"U0TRACKER","bot_id":"B0TRACKER","app_id":"A1","text":"PROJ-1 closed","ts":"1715000000.000100"},
          {"type":"message","user":"U0ANA","text":"thanks","ts":"1715000100.000100"},
          {"type":"message","subtype":"bot_message","bot_id":"B0DEPLOY","username":"deploybot","text":"deployed","ts":"1715000200.000100"}
        ]"#
        .to_vec(),
    );
    let mut messages: Vec<fulcrum_model::chat::ChatMessage> = Vec::new();
    let report = fulcrum_chat::read_export(&mut source, &Limits::default(), &mut messages).unwrap();
    let kinds: Vec<_> = messages.iter().map(|m| m.kind).collect();
    use fulcrum_model::chat::MessageKind;
    assert_eq!(
        kinds,
        [MessageKind::Bot, MessageKind::Person, MessageKind::Bot]
    );
    assert!(report.no_user_directory);
    // With a directory that lists the author as a person, the same post
    // stays a person's (a person posting through an app).
    let mut source = fulcrum_chat::MemorySource::new();
    source.add("users.json", br#"[{"id":"U0ANA","name":"ana"}]"#.to_vec());
    source.add(
        "general/2024-05-06.json",
        br#"[{"type":"message","user":"U0ANA","bot_id":"B0APP","text":"via app","ts":"1715000000.000100"}]"#
            .to_vec(),
    );
    let mut messages: Vec<fulcrum_model::chat::ChatMessage> = Vec::new();
    let report = fulcrum_chat::read_export(&mut source, &Limits::default(), &mut messages).unwrap();
    assert_eq!(messages[0].kind, MessageKind::Person);
    assert!(!report.no_user_directory);
}
