//! `ZipSource` against the `zip` crate's own reader, the way exports were
//! read before the archive kept one decompressor and read its own central
//! directory: the same entries, the same bytes, the same messages, on the
//! fixtures of `test_data/chat`, the real exports of `../shared/corpora`
//! and generated archives (ZIP64, directories, a prefix, CP437 names).

// Helpers outside #[test] functions unwrap too: a panic is a failed test
// with a clear location (clippy.toml allows it inside tests).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::*;
use fulcrum_chat::archive::EntryInfo;
use fulcrum_chat::{EntrySource, Limits, ReadReport, ZipSource, open_zip, read_export};
use std::io::{self, Cursor, Read, Write};
use zip::write::SimpleFileOptions;

/// The old path: entries listed by `zip::ZipArchive`, each opened with the
/// crate's reader (a decompressor of its own per entry), under the same
/// limits as the app passes.
struct ZipCrateSource {
    archive: zip::ZipArchive<Cursor<Vec<u8>>>,
    entries: Vec<EntryInfo>,
    indices: Vec<usize>,
}

impl ZipCrateSource {
    fn new(bytes: Vec<u8>) -> Self {
        let archive = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
        let mut entries = Vec::new();
        let mut indices = Vec::new();
        for i in 0..archive.len() {
            let file = archive.by_index_data(i).unwrap();
            if file.is_dir() {
                continue;
            }
            let name = match file.name() {
                Ok(n) => n.into_owned(),
                Err(_) => String::from_utf8_lossy(file.name_raw()).into_owned(),
            };
            entries.push(EntryInfo {
                name: name.trim_start_matches('/').to_owned(),
                size: file.size(),
                compressed_size: file.compressed_size(),
            });
            indices.push(i);
        }
        ZipCrateSource {
            archive,
            entries,
            indices,
        }
    }
}

impl EntrySource for ZipCrateSource {
    fn entries(&self) -> &[EntryInfo] {
        &self.entries
    }

    fn open(&mut self, index: usize) -> io::Result<Box<dyn Read + '_>> {
        let file = self
            .archive
            .by_index(self.indices[index])
            .map_err(io::Error::other)?;
        Ok(Box::new(file))
    }
}

fn zip_source(bytes: &[u8]) -> ZipSource<Cursor<Vec<u8>>> {
    let copy = bytes.to_vec();
    open_zip(
        Cursor::new(bytes.to_vec()),
        || Ok(Cursor::new(copy)),
        Limits::default(),
    )
    .unwrap()
}

/// Every message of an export, with what the reader reported besides.
fn read_all(source: &mut dyn EntrySource) -> (String, ReadReport) {
    let mut sink = Collect::default();
    let report = read_export(source, &Limits::default(), &mut sink).unwrap();
    (format!("{:?}", sink.0), report)
}

/// The archives to compare: fixtures zipped as the tests zip them, and the
/// real exports.
fn archives() -> Vec<(String, Vec<u8>)> {
    let full = files_of(&fixture("slack-full"));
    let in_folder: Vec<_> = full
        .iter()
        .map(|(n, b)| (format!("Acme export/{n}"), b.clone()))
        .collect();
    let mut grid = files_of(&fixture("slack-grid"));
    grid.push((
        "C0GRID/2024-05-08.json".into(),
        b"<html>502 Bad Gateway</html>".to_vec(),
    ));
    let mattermost = vec![
        ("data/emoji/shipit.png".to_owned(), b"\x89PNG".to_vec()),
        (
            "export.jsonl".to_owned(),
            std::fs::read(fixture("mattermost/export.jsonl")).unwrap(),
        ),
    ];
    let mut out = vec![
        ("slack-full".to_owned(), zip_bytes(&full)),
        ("slack-full in a folder".to_owned(), zip_bytes(&in_folder)),
        ("slack-grid".to_owned(), zip_bytes(&grid)),
        ("mattermost".to_owned(), zip_bytes(&mattermost)),
    ];
    for rel in [
        "slack/slack-export-viewer_testarchive.zip",
        "slack/houstondatavis_slack_export.zip",
    ] {
        out.push((rel.to_owned(), std::fs::read(corpus(rel)).unwrap()));
    }
    out
}

#[test]
fn same_messages_and_counts_as_the_zip_crate_reader() {
    for (what, bytes) in archives() {
        let (new_messages, new) = read_all(&mut zip_source(&bytes));
        let (old_messages, old) = read_all(&mut ZipCrateSource::new(bytes));
        assert!(!new_messages.is_empty() || what == "none", "{what}");
        assert_eq!(new_messages, old_messages, "{what}");
        assert_eq!(
            (new.skipped, new.entries_read, new.bytes_read),
            (old.skipped, old.entries_read, old.bytes_read),
            "{what}"
        );
        assert_eq!(
            format!("{:?}", new.conversations),
            format!("{:?}", old.conversations),
            "{what}"
        );
    }
}

#[test]
fn same_entries_and_bytes_as_the_zip_crate_reader() {
    for (what, bytes) in archives() {
        let mut new = zip_source(&bytes);
        let mut old = ZipCrateSource::new(bytes);
        assert_eq!(new.entries(), old.entries(), "{what}");
        for i in 0..old.entries().len() {
            let mut want = Vec::new();
            old.open(i).unwrap().read_to_end(&mut want).unwrap();
            let mut got = Vec::new();
            new.read_entry(i, &mut got, 64 << 20).unwrap();
            assert_eq!(got, want, "{what}: {}", old.entries()[i].name);
        }
    }
}

/// A generated archive the fast directory reader and the `zip` crate must
/// list alike.
fn listing_matches(what: &str, bytes: Vec<u8>) {
    let new = zip_source(&bytes);
    let old = ZipCrateSource::new(bytes);
    assert!(new.listing_problems().is_empty(), "{what}");
    assert_eq!(new.entries(), old.entries(), "{what}");
}

#[test]
fn central_directory_listing_matches_the_zip_crate() {
    // Stored and deflated entries, ZIP64 extra fields, directories, a
    // leading '/', UTF-8 names, an archive comment.
    let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
    w.set_comment("exported by a test").unwrap();
    for i in 0..50u32 {
        let opts = SimpleFileOptions::default()
            .compression_method(if i % 2 == 0 {
                zip::CompressionMethod::Stored
            } else {
                zip::CompressionMethod::Deflated
            })
            .large_file(i % 3 == 0);
        if i % 10 == 0 {
            w.add_directory(format!("dir{i}/"), opts).unwrap();
        }
        let name = match i % 4 {
            0 => format!("/lead/{i}.json"),
            1 => format!("café-{i}/2024-05-06.json"),
            _ => format!("c{i}/2024-05-06.json"),
        };
        w.start_file(name, opts).unwrap();
        w.write_all(format!("[{i}]").repeat(i as usize).as_bytes())
            .unwrap();
    }
    listing_matches("mixed", w.finish().unwrap().into_inner());
}

#[test]
fn zip64_directory_of_more_than_65535_entries_matches_the_zip_crate() {
    let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let opts = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    for i in 0..70_000u32 {
        w.start_file(format!("c{}/{i}.json", i % 100), opts)
            .unwrap();
    }
    let bytes = w.finish().unwrap().into_inner();
    assert!(
        bytes.windows(4).any(|s| s == b"PK\x06\x06"),
        "a ZIP64 end record"
    );
    listing_matches("70,000 entries", bytes);
}

#[test]
fn archives_the_fast_reader_declines_are_read_by_the_zip_crate() {
    let files = vec![("general/2024-05-06.json".to_owned(), b"[]".to_vec())];
    // Bytes before the archive (a self-extractor's stub): every offset in
    // the directory is shifted.
    let mut prefixed = b"#!/bin/sh\nexit 0\n".to_vec();
    prefixed.extend(zip_bytes(&files));
    let mut src = zip_source(&prefixed);
    let mut day = Vec::new();
    src.read_entry(0, &mut day, 1 << 20).unwrap();
    assert_eq!(day, b"[]");
    listing_matches("prefixed", prefixed);

    // A name in CP437 (no UTF-8 flag, not UTF-8): 0x82 is 'é'.
    let mut bytes = zip_bytes(&[("caf_/2024-05-06.json".to_owned(), b"[]".to_vec())]);
    let names: Vec<usize> = (0..bytes.len() - 4)
        .filter(|&i| &bytes[i..i + 4] == b"caf_")
        .collect();
    for at in names {
        bytes[at + 3] = 0x82;
    }
    let src = zip_source(&bytes);
    assert_eq!(src.entries()[0].name, "café/2024-05-06.json");
    listing_matches("cp437", bytes);
}

#[test]
fn damaged_bytes_anywhere_give_errors_not_panics() {
    // Every byte of a small export (headers, directory, end records, data)
    // set to 0x00, then to 0xff: whatever the reader makes of it, it must
    // not panic, and whatever it reads stays within the limits.
    let files = [
        (
            "users.json".to_owned(),
            br#"[{"id":"U1","name":"ana"}]"#.to_vec(),
        ),
        (
            "general/2024-05-06.json".to_owned(),
            br#"[{"type":"message","user":"U1","text":"hi <@U1>","ts":"1715000000.000100"}]"#
                .repeat(3),
        ),
    ];
    let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for (i, (name, body)) in files.iter().enumerate() {
        let opts = SimpleFileOptions::default().large_file(i == 1);
        w.start_file(name.as_str(), opts).unwrap();
        w.write_all(body).unwrap();
    }
    let clean = w.finish().unwrap().into_inner();
    let limits = Limits {
        max_total_bytes: 1 << 20,
        ..Limits::default()
    };
    for at in 0..clean.len() {
        for value in [0x00, 0xff] {
            let mut bytes = clean.clone();
            bytes[at] = value;
            let copy = bytes.clone();
            let Ok(mut src) = open_zip(Cursor::new(bytes), || Ok(Cursor::new(copy)), limits) else {
                continue;
            };
            for i in 0..src.entries().len() {
                let mut buf = Vec::new();
                let _ = src.read_entry(i, &mut buf, 1 << 20);
                assert!(buf.len() <= (1 << 20) + 1);
                if let Ok(mut r) = src.open(i) {
                    let _ = r.read_to_end(&mut Vec::new());
                }
            }
            let _ = read_export(&mut src, &limits, &mut Vec::new());
        }
    }
}
