//! Fuzz target: the Slack day-file reader.
//!
//! `read_day_file` must never panic, whatever the bytes; every element it
//! does not return as a message is counted in `skipped`.

#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let day = fulcrum_chat::slack::read_day_file("general/2024-05-06.json", data);
    // Messages and skipped elements never exceed what the bytes could hold.
    assert!(day.messages.len() as u64 + day.skipped <= data.len() as u64 + 1);
    for m in &day.messages {
        assert!(!m.id.is_empty());
    }
});
