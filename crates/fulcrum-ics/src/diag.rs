//! Located problems found while reading a calendar.
//!
//! Nothing in ingest panics or gives up on a whole file because of one bad
//! component: each problem becomes a [`Diagnostic`] with the file, the line
//! and what to do, and the reader goes on with the rest.

use std::fmt;
use std::sync::Arc;

/// How bad a problem is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// The data was read, with an assumption worth knowing about.
    Warning,
    /// Something was skipped.
    Error,
}

impl Severity {
    /// Lower-case name, as printed.
    pub fn as_str(&self) -> &'static str {
        match self {
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

/// One located problem.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// The file or entry the problem is in.
    pub file: Arc<str>,
    /// 1-based line, when known.
    pub line: Option<u32>,
    /// How bad it is.
    pub severity: Severity,
    /// What is wrong, in one sentence.
    pub message: String,
    /// What the user can do about it.
    pub help: Option<String>,
}

impl fmt::Display for Diagnostic {
    /// `file:line: warning: message` and, on a second line, `help: ...`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(line) => write!(f, "{}:{}: ", self.file, line)?,
            None => write!(f, "{}: ", self.file)?,
        }
        write!(f, "{}: {}", self.severity.as_str(), self.message)?;
        if let Some(help) = &self.help {
            write!(f, "\n  help: {help}")?;
        }
        Ok(())
    }
}

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
            file: self.file.clone(),
            line,
            severity,
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
            self.items.push(Diagnostic {
                file: self.file.clone(),
                line: None,
                severity: Severity::Warning,
                message: format!("{n} more problems in this file were not listed"),
                help: None,
            });
        }
        self.items
    }

    /// The diagnostics collected so far.
    pub fn as_slice(&self) -> &[Diagnostic] {
        &self.items
    }
}
