//! Reading calendar files and expanding them over a window.

use chrono::{DateTime, NaiveDate, Utc};
use fulcrum_ics::{
    Calendar, Diagnostic, ExpandOptions, ParseStats, read_calendar, sort_occurrences,
};
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
        let mut cal = match read_calendar_file(path) {
            Ok(cal) => cal,
            Err(u) => {
                result.unreadable.push(u);
                continue;
            }
        };
        let st = cal.stats();
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

/// Reads and parses one calendar file. Fails when the file cannot be read
/// or holds no iCalendar data at all; a file with problems inside is read,
/// its problems in [`Calendar::diagnostics`].
pub fn read_calendar_file(path: &Path) -> Result<Calendar, Unreadable> {
    let bytes = std::fs::read(path).map_err(|e| Unreadable {
        path: path.to_owned(),
        reason: e.to_string(),
    })?;
    let cal = read_calendar(&bytes, &display(path));
    if cal.stats().is_empty() {
        return Err(Unreadable {
            path: path.to_owned(),
            reason: "no iCalendar data found (no BEGIN:VCALENDAR or BEGIN:VEVENT)".into(),
        });
    }
    Ok(cal)
}

/// What calendars say about the span of their data: the days one-off
/// events start on, and the export time (the latest DTSTAMP). Events on or
/// after the export day are plans, not data.
#[derive(Debug, Default)]
pub struct DataSpan {
    dates: Vec<NaiveDate>,
    exported: Option<DateTime<Utc>>,
}

impl DataSpan {
    /// Notes the events of one calendar.
    pub fn observe(&mut self, cal: &Calendar) {
        for e in cal.events() {
            if !e.is_recurring() && !e.dtstart.is_date() {
                self.dates.push(e.dtstart.naive().date());
            }
            if let Some(stamp) = e.details.dtstamp {
                self.exported = Some(self.exported.map_or(stamp, |x| x.max(stamp)));
            }
        }
    }

    /// The dates of one-off events before the export day.
    pub fn data_dates(&self) -> impl Iterator<Item = NaiveDate> + '_ {
        self.dates
            .iter()
            .copied()
            .filter(|d| self.exported.is_none_or(|x| *d < x.date_naive()))
    }
}

fn display(path: &Path) -> String {
    path.display().to_string()
}
