//! Located problems found while reading a calendar.
//!
//! Nothing in ingest panics or gives up on a whole file because of one bad
//! component: each problem becomes a [`Diagnostic`] with the file, the line
//! and what to do, and the reader goes on with the rest.

use std::sync::Arc;

pub use fulcrum_model::diagnostic::{Diagnostic, Severity};

/// Collects diagnostics for one file.
#[derive(Debug, Clone)]
pub struct Diagnostics {
    file: Arc<str>,
    items: Vec<Diagnostic>,
    /// How many were dropped after the cap was reached.
    suppressed: usize,
}

/// A file with millions of broken lines must not fill memory with messages.
const MAX_DIAGNOSTICS_PER_FILE: usize = 1000;

impl Diagnostics {
    /// An empty collector for `file`.
    pub fn new(file: Arc<str>) -> Self {
        Diagnostics {
            file,
            items: Vec::new(),
            suppressed: 0,
        }
    }

    /// The file name diagnostics are about.
    pub fn file(&self) -> &Arc<str> {
        &self.file
    }

    /// Records a note (read as it is, worth knowing).
    pub fn note(&mut self, line: Option<u32>, message: impl Into<String>, help: Option<&str>) {
        self.push(Severity::Note, line, message.into(), help);
    }

    /// Records a warning.
    pub fn warn(&mut self, line: Option<u32>, message: impl Into<String>, help: Option<&str>) {
        self.push(Severity::Warning, line, message.into(), help);
    }

    /// Records an error (something was skipped).
    pub fn error(&mut self, line: Option<u32>, message: impl Into<String>, help: Option<&str>) {
        self.push(Severity::Error, line, message.into(), help);
    }

    fn push(&mut self, severity: Severity, line: Option<u32>, message: String, help: Option<&str>) {
        if self.items.len() >= MAX_DIAGNOSTICS_PER_FILE {
            self.suppressed += 1;
            return;
        }
        self.items.push(Diagnostic {
            severity,
            source: self.file.clone(),
            entry: None,
            line,
            message,
            help: help.map(str::to_owned),
        });
    }

    /// Appends every diagnostic of `other`.
    pub fn extend(&mut self, other: Diagnostics) {
        self.suppressed += other.suppressed;
        for d in other.items {
            if self.items.len() >= MAX_DIAGNOSTICS_PER_FILE {
                self.suppressed += 1;
            } else {
                self.items.push(d);
            }
        }
    }

    /// The diagnostics, with a last one saying how many were not kept.
    pub fn into_vec(mut self) -> Vec<Diagnostic> {
        if self.suppressed > 0 {
            let n = self.suppressed;
            self.suppressed = 0;
            self.items.push(Diagnostic::warning(
                self.file.clone(),
                format!("{n} more problems in this file were not listed"),
            ));
        }
        self.items
    }

    /// The diagnostics collected so far.
    pub fn as_slice(&self) -> &[Diagnostic] {
        &self.items
    }
}
