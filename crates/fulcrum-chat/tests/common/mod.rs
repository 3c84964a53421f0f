//! Helpers shared by the integration tests: fixtures from `test_data/chat`
//! as in-memory folders or ZIPs, and the shared corpora.

#![allow(dead_code)]
// Test helpers may unwrap: a panic is a failed test with its location.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use fulcrum_chat::{ChatSink, Limits, MemorySource, SummaryBuilder, ZipSource};
use fulcrum_model::chat::{ChatMessage, Conversation, ExportSummary};
use std::io::{Cursor, Write};
use std::path::{Path, PathBuf};

/// `test_data/chat/<name>` of the repository.
pub fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../test_data/chat")
        .join(name)
}

/// A corpus file under `../shared/corpora/` beside the repository; fails
/// (never skips) when it is missing.
pub fn corpus(rel: &str) -> PathBuf {
    let path = Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/corpora"
    ))
    .join(rel);
    assert!(
        path.exists(),
        "corpus file {} is missing: the tests need ../shared/corpora beside the repository",
        path.display()
    );
    path
}

/// Every file below `dir` as `(relative name, bytes)`, sorted by name.
pub fn files_of(dir: &Path) -> Vec<(String, Vec<u8>)> {
    fn walk(dir: &Path, prefix: &str, out: &mut Vec<(String, Vec<u8>)>) {
        for e in std::fs::read_dir(dir).unwrap() {
            let e = e.unwrap();
            let name = format!("{prefix}{}", e.file_name().to_str().unwrap());
            if e.file_type().unwrap().is_dir() {
                walk(&e.path(), &format!("{name}/"), out);
            } else {
                out.push((name, std::fs::read(e.path()).unwrap()));
            }
        }
    }
    let mut out = Vec::new();
    walk(dir, "", &mut out);
    out.sort();
    out
}

/// A folder fixture as an in-memory entry source.
pub fn memory_source(dir: &Path) -> MemorySource {
    let mut src = MemorySource::new();
    for (name, bytes) in files_of(dir) {
        src.add(name, bytes);
    }
    src
}

/// A ZIP (deflated, with directory entries) of `(name, bytes)` pairs.
pub fn zip_bytes(files: &[(String, Vec<u8>)]) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    let mut dirs: Vec<String> = Vec::new();
    for (name, bytes) in files {
        if let Some((dir, _)) = name.rsplit_once('/') {
            let dir = format!("{dir}/");
            if !dirs.contains(&dir) {
                w.add_directory(dir.as_str(), opts).unwrap();
                dirs.push(dir);
            }
        }
        w.start_file(name.as_str(), opts).unwrap();
        w.write_all(bytes).unwrap();
    }
    w.finish().unwrap().into_inner()
}

/// Collects messages with their conversation.
#[derive(Default)]
pub struct Collect(pub Vec<(Conversation, ChatMessage)>);

impl ChatSink for Collect {
    fn message(&mut self, _: usize, c: &Conversation, m: ChatMessage) {
        self.0.push((c.clone(), m));
    }
}

/// Summarizes an entry source.
pub fn summarize(source: &mut dyn fulcrum_chat::EntrySource, limits: &Limits) -> ExportSummary {
    let mut b = SummaryBuilder::new();
    let report = fulcrum_chat::read_export(source, limits, &mut b).expect("a recognised export");
    b.finish("test", report)
}

/// Summarizes ZIP bytes.
pub fn summarize_zip(bytes: Vec<u8>, limits: &Limits) -> ExportSummary {
    let copy = bytes.clone();
    let mut src: ZipSource<Cursor<Vec<u8>>> =
        fulcrum_chat::open_zip(Cursor::new(bytes), || Ok(Cursor::new(copy)), *limits).unwrap();
    summarize(&mut src, limits)
}
