//! One located problem, whatever read it: a calendar line, a chat export's
//! entry, a CSV row, a workspace source. Every reader and use case reports
//! problems as [`Diagnostic`]s, so the terminal shows them one way
//! (rustc-style: severity and message, then where, then what to do) and
//! every JSON output carries the same object.

use std::fmt;
use std::sync::Arc;

/// How bad a problem is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// The data was read as it is; something about it worth knowing (a
    /// calendar decoded from UTF-16).
    Note,
    /// The data was read, with an assumption worth knowing about.
    Warning,
    /// Something was skipped.
    Error,
}

impl Severity {
    /// Lower-case name, as printed.
    pub fn as_str(&self) -> &'static str {
        match self {
            Severity::Note => "note",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

/// One located problem: what was wrong, where, and what to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// How bad it is.
    pub severity: Severity,
    /// The source it is in: a file or export as the user named it, or a
    /// source kind (`pulse`) when no one file is to blame.
    pub source: Arc<str>,
    /// The entry inside the source (a day file of a chat export), if any.
    pub entry: Option<String>,
    /// 1-based line (of the entry when there is one), when known.
    pub line: Option<u32>,
    /// What is wrong and what was done about it, in one sentence.
    pub message: String,
    /// What the user can do about it.
    pub help: Option<String>,
}

impl Diagnostic {
    /// An error (something was skipped) in `source`.
    pub fn error(source: impl Into<Arc<str>>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            source: source.into(),
            entry: None,
            line: None,
            message: message.into(),
            help: None,
        }
    }

    /// A warning (read, with an assumption) about `source`.
    pub fn warning(source: impl Into<Arc<str>>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(source, message)
        }
    }

    /// A note (read as it is, worth knowing) about `source`.
    pub fn note(source: impl Into<Arc<str>>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Note,
            ..Diagnostic::error(source, message)
        }
    }

    /// The same, at `line`.
    pub fn at_line(mut self, line: u32) -> Self {
        self.line = Some(line);
        self
    }

    /// The same, in `entry` of the source.
    pub fn in_entry(mut self, entry: impl Into<String>) -> Self {
        self.entry = Some(entry.into());
        self
    }

    /// The same, with what to do.
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// Where it is: `source`, `source:line`, `source: entry` or
    /// `source: entry:line`.
    pub fn location(&self) -> String {
        let mut out = self.source.to_string();
        if let Some(entry) = &self.entry {
            out.push_str(": ");
            out.push_str(entry);
        }
        if let Some(line) = self.line {
            out.push(':');
            out.push_str(&line.to_string());
        }
        out
    }

    /// rustc-style lines for a terminal: `severity: message`, then
    /// `  --> location`, then `  = help: ...` when there is help.
    pub fn rustc_style(&self) -> String {
        let mut out = format!(
            "{}: {}\n  --> {}",
            self.severity.as_str(),
            self.message,
            self.location()
        );
        if let Some(help) = &self.help {
            out.push_str("\n  = help: ");
            out.push_str(help);
        }
        out
    }
}

impl fmt::Display for Diagnostic {
    /// One line, as in a log: `location: severity: message` and, on a
    /// second line, `  help: ...`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: {}: {}",
            self.location(),
            self.severity.as_str(),
            self.message
        )?;
        if let Some(help) = &self.help {
            write!(f, "\n  help: {help}")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locations_and_renderings() {
        let d = Diagnostic::error("calendars/ana.ics", "RRULE is not valid; event skipped")
            .at_line(12)
            .with_help("re-export the calendar");
        assert_eq!(d.location(), "calendars/ana.ics:12");
        assert_eq!(
            d.to_string(),
            "calendars/ana.ics:12: error: RRULE is not valid; event skipped\n  help: re-export the calendar"
        );
        assert_eq!(
            d.rustc_style(),
            "error: RRULE is not valid; event skipped\n  --> calendars/ana.ics:12\n  = help: re-export the calendar"
        );
        let e = Diagnostic::warning("chat/slack.zip", "message without ts; skipped")
            .in_entry("general/2026-09-01.json");
        assert_eq!(e.location(), "chat/slack.zip: general/2026-09-01.json");
        assert_eq!(e.severity, Severity::Warning);
        assert_eq!(
            e.rustc_style(),
            "warning: message without ts; skipped\n  --> chat/slack.zip: general/2026-09-01.json"
        );
    }
}
