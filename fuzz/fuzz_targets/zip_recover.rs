//! Fuzz target: recovering a ZIP from its local headers.
//!
//! `ZipSource::recover` walks whatever bytes it is given as if they were a
//! ZIP whose central directory is lost. It must never panic, never list
//! more entries than the bytes could hold headers for, and never read an
//! entry past the limits.

#![no_main]

use fulcrum_chat::{EntrySource, Limits, ZipSource};
use libfuzzer_sys::fuzz_target;
use std::io::Cursor;

fuzz_target!(|data: &[u8]| {
    let limits = Limits {
        max_total_bytes: 4 << 20,
        ..Limits::default()
    };
    let Ok(mut source) = ZipSource::recover(Cursor::new(data), limits, "fuzz") else {
        return;
    };
    // Every entry takes a 30-byte local header at least.
    assert!(source.entries().len() <= data.len() / 30 + 1);
    for i in 0..source.entries().len() {
        let mut buf = Vec::new();
        let _ = source.read_entry(i, &mut buf, 1 << 20);
        assert!(buf.len() <= (1 << 20) + 1);
    }
});
