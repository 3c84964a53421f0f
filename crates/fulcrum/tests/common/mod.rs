//! Helpers more than one CLI test file needs.

#![allow(clippy::unwrap_used, dead_code)] // Test helpers; not every file uses each one.

pub mod browser;
pub mod smtp;

use std::path::Path;

/// Copies the folder `from` to `to`, recursively (a fixture workspace the
/// test may then change).
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}
