//! A chat export cut short, as a failed download leaves it: the entries
//! whose data lies before the cut are read, the rest reported.
//!
//! The demo writes its Slack export as a stream (each entry's sizes in a
//! data descriptor after its data), as most ZIP writers do; a cut copy has
//! no central directory, so its entries can only be found by their local
//! headers.

// Helpers outside #[test] functions unwrap too: a panic is a failed test
// with a clear location.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use fulcrum_chat::{Limits, MemorySource};
use fulcrum_demo::workspace::paths;
use fulcrum_demo::{DemoOptions, MemorySink, generate};
use fulcrum_model::chat::ChatMessage;
use std::io::{Cursor, Read};
use std::path::PathBuf;

/// One entry of the intact archive: its name, bytes, and the offset its
/// stored data (with a stored entry's descriptor) ends at.
struct Entry {
    name: String,
    bytes: Vec<u8>,
    end: u64,
    is_dir: bool,
}

/// The demo's Slack export (a small organisation, a few weeks).
fn demo_slack_export() -> Vec<u8> {
    let options = DemoOptions {
        people: 12,
        weeks: 3,
        start: DemoOptions::default_start(),
        seed: 7,
        ..DemoOptions::default()
    };
    let mut sink = MemorySink::default();
    generate(&options, &mut sink).unwrap();
    sink.get(paths::SLACK).unwrap()
}

/// The entries as the zip crate reads them from the intact archive's
/// central directory: a reader other than the one under test.
fn entries_of(zip: &[u8]) -> Vec<Entry> {
    let mut archive = zip::ZipArchive::new(Cursor::new(zip)).unwrap();
    (0..archive.len())
        .map(|i| {
            let mut file = archive.by_index(i).unwrap();
            let h = usize::try_from(file.header_start()).unwrap();
            let u16_at = |at: usize| u64::from(u16::from_le_bytes([zip[at], zip[at + 1]]));
            let stored_with_descriptor = u16_at(h + 6) & 8 != 0 && u16_at(h + 8) == 0;
            let end = file.header_start()
                + 30
                + u16_at(h + 26)
                + u16_at(h + 28)
                + file.compressed_size()
                + if stored_with_descriptor { 16 } else { 0 };
            let mut bytes = Vec::new();
            file.read_to_end(&mut bytes).unwrap();
            Entry {
                name: file.name().unwrap().into_owned(),
                is_dir: file.is_dir(),
                bytes,
                end,
            }
        })
        .collect()
}

/// Messages the chat reader finds in the entries that lie wholly before
/// `cut`, handed to it from memory.
fn expected_messages(entries: &[Entry], cut: u64) -> usize {
    let mut source = MemorySource::new();
    for e in entries.iter().filter(|e| e.end <= cut && !e.is_dir) {
        source.add(e.name.clone(), e.bytes.clone());
    }
    let mut messages: Vec<ChatMessage> = Vec::new();
    fulcrum_chat::read_export(&mut source, &Limits::default(), &mut messages);
    messages.len()
}

fn scratch(name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("chat_recovery");
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name)
}

#[test]
fn truncated_zip_with_data_descriptors_recovers_the_messages_before_the_cut() {
    let zip = demo_slack_export();
    // The demo streams: its first entry has flag bit 3 set.
    assert_ne!(u16::from_le_bytes([zip[6], zip[7]]) & 8, 0);
    let entries = entries_of(&zip);
    let all = expected_messages(&entries, u64::MAX);
    assert!(all > 1000, "{all}");
    let directory = zip.windows(4).position(|w| w == b"PK\x01\x02").unwrap() as u64;
    let last_day = entries.iter().rev().find(|e| !e.is_dir).unwrap();
    let middle = entries[entries.len() / 2].end;
    let cuts = [
        // Just before the central directory: every entry is whole.
        directory,
        // In the middle of the central directory.
        directory + 100,
        // Mid-entry: a few bytes short of an entry's end.
        middle - 3,
        // Right after an entry.
        middle,
        // Inside the last entry.
        last_day.end - 10,
        // A third of the way.
        zip.len() as u64 / 3,
    ];
    for (k, cut) in cuts.into_iter().enumerate() {
        let path = scratch(&format!("cut-{k}.zip"));
        std::fs::write(&path, &zip[..usize::try_from(cut).unwrap()]).unwrap();
        let mut messages: Vec<ChatMessage> = Vec::new();
        let report = fulcrum_app::chat::read_export(&path, &Limits::default(), &mut messages)
            .unwrap_or_else(|e| panic!("cut at {cut}: {e}"));
        // The entries wholly before the cut give their messages; the one
        // cut through gives those of its part before the cut, at most all
        // of its own.
        let expected = expected_messages(&entries, cut);
        let cut_through = entries.iter().find(|e| e.end > cut && !e.is_dir);
        let at_most = expected
            + cut_through.map_or(0, |e| {
                let mut one = MemorySource::new();
                one.add(e.name.clone(), e.bytes.clone());
                let mut messages: Vec<ChatMessage> = Vec::new();
                fulcrum_chat::read_export(&mut one, &Limits::default(), &mut messages);
                messages.len()
            });
        assert!(
            (expected..=at_most).contains(&messages.len()),
            "cut at {cut}: {} messages, expected {expected} to {at_most}",
            messages.len()
        );
        // Cut at an entry's end, nothing of the next is there.
        if cut == middle || cut >= directory {
            assert_eq!(messages.len(), expected, "cut at {cut}");
        }
        if cut >= directory {
            assert_eq!(messages.len(), all, "cut at {cut}");
        }
        let whole = entries.iter().filter(|e| e.end <= cut && !e.is_dir).count();
        let diagnostics = report.diagnostics.finish();
        let summary = diagnostics
            .iter()
            .find(|d| d.message.contains("central directory"))
            .unwrap_or_else(|| panic!("cut at {cut}: {diagnostics:?}"));
        assert!(
            summary
                .message
                .contains(&format!("{whole} entries were recovered whole")),
            "cut at {cut}: {}",
            summary.message
        );
        if cut < directory {
            assert!(summary.message.contains("lost"), "{}", summary.message);
        }
        std::fs::remove_file(&path).unwrap();
    }
}
