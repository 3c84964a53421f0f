//! Reading calendar files and expanding them over a window.

use fulcrum_ics::{Diagnostic, ExpandOptions, ParseStats, read_calendar, sort_occurrences};
use fulcrum_model::Occurrence;
use std::path::{Path, PathBuf};

/// A file that could not be read at all.
#[derive(Debug, thiserror::Error)]
#[error("{path}: {reason}")]
pub struct Unreadable {
    /// The file.
    pub path: PathBuf,
    /// Why.
    pub reason: String,
}

/// What expanding a set of files gave.
#[derive(Debug, Default)]
pub struct Expanded {
    /// Occurrences of every file, sorted by start, UID, recurrence id.
    pub occurrences: Vec<Occurrence>,
    /// Problems, located.
    pub diagnostics: Vec<Diagnostic>,
    /// Files that could not be read at all.
    pub unreadable: Vec<Unreadable>,
    /// Summed counts of what the files held.
    pub stats: ParseStats,
}

/// Reads each file and expands it over the window. A file that cannot be
/// opened, or holds no iCalendar data, is listed in `unreadable`; the others
/// are still expanded.
pub fn expand_files(paths: &[PathBuf], opts: &ExpandOptions) -> Expanded {
    let mut result = Expanded::default();
    for path in paths {
        let bytes = match std::fs::read(path) {
            Ok(b) => b,
            Err(e) => {
                result.unreadable.push(Unreadable {
                    path: path.clone(),
                    reason: e.to_string(),
                });
                continue;
            }
        };
        let mut cal = read_calendar(&bytes, &display(path));
        let st = cal.stats();
        if st.is_empty() {
            result.unreadable.push(Unreadable {
                path: path.clone(),
                reason: "no iCalendar data found (no BEGIN:VCALENDAR or BEGIN:VEVENT)".into(),
            });
            continue;
        }
        result.occurrences.extend(cal.expand(opts));
        result.stats.calendars += st.calendars;
        result.stats.events_seen += st.events_seen;
        result.stats.events_skipped += st.events_skipped;
        result.stats.vtimezones += st.vtimezones;
        result.stats.other_components += st.other_components;
        result.diagnostics.extend(cal.into_diagnostics());
    }
    sort_occurrences(&mut result.occurrences);
    result
}

fn display(path: &Path) -> String {
    path.display().to_string()
}
