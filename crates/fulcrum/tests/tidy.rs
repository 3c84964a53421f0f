//! Project policy checked as a test, not left to review: every Rust file
//! opens with a `//!` comment saying what it is for, and no file names a
//! machine path.

use std::path::{Path, PathBuf};

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default();
        if path.is_dir() {
            if name != "target" && !name.starts_with('.') {
                rust_files(&path, out);
            }
        } else if name.ends_with(".rs") {
            out.push(path);
        }
    }
}

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

#[test]
fn every_rust_file_opens_with_a_module_doc() {
    let mut files = Vec::new();
    rust_files(&root().join("crates"), &mut files);
    rust_files(&root().join("fuzz/fuzz_targets"), &mut files);
    assert!(files.len() > 50, "found only {} files", files.len());
    let missing: Vec<String> = files
        .iter()
        .filter(|f| {
            let text = std::fs::read_to_string(f).unwrap_or_default();
            let first = text
                .lines()
                .find(|l| !l.trim().is_empty())
                .unwrap_or_default();
            !first.starts_with("//!")
        })
        .map(|f| f.display().to_string())
        .collect();
    assert!(
        missing.is_empty(),
        "files without a `//!` doc: {missing:#?}"
    );
}

#[test]
fn no_file_names_a_machine_path() {
    let mut files = Vec::new();
    rust_files(&root().join("crates"), &mut files);
    for doc in ["README.md", "ARCHITECTURE.md"] {
        files.push(root().join(doc));
    }
    if let Ok(entries) = std::fs::read_dir(root().join("docs")) {
        files.extend(entries.flatten().map(|e| e.path()));
    }
    // Built from pieces so that this file does not match itself.
    let needles = [
        ["/wo", "rk/"].concat(),
        ["/ro", "ot/"].concat(),
        ["/ho", "me/"].concat(),
    ];
    let offending: Vec<String> = files
        .iter()
        .filter(|f| {
            let text = std::fs::read_to_string(f).unwrap_or_default();
            needles.iter().any(|n| text.contains(n.as_str()))
        })
        .map(|f| f.display().to_string())
        .collect();
    assert!(offending.is_empty(), "machine paths in: {offending:#?}");
}

#[test]
fn ingest_model_analysis_and_report_crates_do_no_io() {
    // Architecture invariant: only fulcrum-app (and the CLI and the server)
    // open files, sockets or read the clock; the other libraries take bytes
    // and values, so they can be tested, fuzzed and run in parallel freely.
    let pure = [
        "fulcrum-model",
        "fulcrum-ics",
        "fulcrum-chat",
        "fulcrum-rows",
        "fulcrum-workspace",
        "fulcrum-analysis",
        "fulcrum-report",
        "fulcrum-demo",
        "fulcrum-experiments",
    ];
    // Built from pieces so that this file does not match itself.
    let needles = [
        ["std::", "fs"].concat(),
        ["std::", "net"].concat(),
        ["File::", "open"].concat(),
        ["File::", "create"].concat(),
        ["Tcp", "Stream"].concat(),
        ["SystemTime::", "now"].concat(),
        ["Utc::", "now"].concat(),
        ["Local::", "now"].concat(),
    ];
    let mut checked = 0;
    let mut offending = Vec::new();
    for krate in pure {
        let mut files = Vec::new();
        rust_files(&root().join("crates").join(krate).join("src"), &mut files);
        assert!(!files.is_empty(), "{krate} has no sources");
        for f in files {
            checked += 1;
            let text = std::fs::read_to_string(&f).unwrap_or_default();
            for n in &needles {
                if text.contains(n.as_str()) {
                    offending.push(format!("{}: {n}", f.display()));
                }
            }
        }
    }
    assert!(checked > 40, "checked only {checked} files");
    assert!(offending.is_empty(), "I/O outside the app: {offending:#?}");
}
