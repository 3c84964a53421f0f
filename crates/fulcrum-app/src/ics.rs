//! Reading calendar files and expanding them over a window.

use chrono::{DateTime, NaiveDate, Utc};
use fulcrum_ics::{
    Bound, Calendar, Diagnostic, ExpandOptions, ParseStats, SpanFacts, read_calendar,
    sort_occurrences,
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

/// The days the events of some calendars occur on, first to last, read
/// on each event's own wall clock: what `lint FILE.ics` and `ics expand`
/// look at when no dates are given. Every event counts, future ones too
/// (an invite for next month is what a user lints); a series with no end
/// counts up to a year after the latest start written in the files, so an
/// open-ended weekly meeting gives a year of instances, not infinitely many.
/// `None` when the calendars hold no event.
pub fn files_span<'a>(
    calendars: impl Iterator<Item = &'a mut Calendar>,
) -> Option<(NaiveDate, NaiveDate)> {
    let mut calendars: Vec<&mut Calendar> = calendars.collect();
    let starts = calendars
        .iter()
        .flat_map(|c| c.events())
        .flat_map(|e| std::iter::once(&e.dtstart).chain(e.recurrence_id.as_ref()))
        .map(|t| t.naive().date());
    let (first, latest) = starts.fold(None, |acc: Option<(NaiveDate, NaiveDate)>, d| {
        Some(acc.map_or((d, d), |(f, l)| (f.min(d), l.max(d))))
    })?;
    let horizon = latest + chrono::Duration::days(366);
    let opts = ExpandOptions::window(Bound::date(first), Bound::date(horizon));
    let mut span: Option<(NaiveDate, NaiveDate)> = None;
    for cal in &mut calendars {
        for o in cal.expand(&opts) {
            let d = o.start.naive_local().date();
            span = Some(span.map_or((d, d), |(f, l)| (f.min(d), l.max(d))));
        }
    }
    // Only cancelled or otherwise empty events: their own dates.
    Some(span.unwrap_or((first, latest)))
}

/// [`files_span`] of the files that can be read (the others are left to
/// the caller's own reading to report).
pub fn span_of_files(paths: &[PathBuf]) -> Option<(NaiveDate, NaiveDate)> {
    let mut calendars: Vec<Calendar> = paths
        .iter()
        .filter_map(|p| read_calendar_file(p).ok())
        .collect();
    files_span(calendars.iter_mut())
}

/// Reads and parses one calendar file. Fails when the file cannot be read
/// or holds no iCalendar data at all; a file with problems inside is read,
/// its problems in [`Calendar::diagnostics`].
pub fn read_calendar_file(path: &Path) -> Result<Calendar, Unreadable> {
    parse_calendar_file(path, &read_file(path)?)
}

/// The error diagnostics of a calendar (warnings not counted).
pub fn error_count(cal: &Calendar) -> usize {
    cal.diagnostics()
        .iter()
        .filter(|d| d.severity == fulcrum_ics::Severity::Error)
        .count()
}

/// The problem of a calendar file read with `errors` errors, pointing at
/// `fulcrum ics expand` for the details.
pub fn read_problems(file: &str, errors: usize) -> Diagnostic {
    Diagnostic::warning(
        file,
        format!("{errors} problem(s) while reading; the rest of the file was used"),
    )
    .with_help(format!("see `fulcrum ics expand {file}` for each one"))
}

/// The problems of a calendar read and expanded, for the commands that do
/// not list each one: every series cut at the occurrence cap, at its line
/// (it changes what the report counts, so it is named), then how many
/// other errors there were, pointing at `fulcrum ics expand`.
pub fn calendar_problems(file: &str, cal: &Calendar) -> Vec<Diagnostic> {
    let mut problems: Vec<Diagnostic> = cal
        .capped_series()
        .map(|d| {
            let mut d = d.clone();
            d.source = file.into();
            d
        })
        .collect();
    let others = error_count(cal).saturating_sub(problems.len());
    if others > 0 {
        problems.push(read_problems(file, others));
    }
    problems
}

/// The problem of a calendar file no listed person owns; `then` says what
/// was done with it.
pub fn no_owner(file: &str, then: &str) -> Diagnostic {
    Diagnostic::error(file, format!("cannot tell whose calendar this is; {then}"))
        .with_help("name the file after the person's email or alias")
}

impl Unreadable {
    /// As a diagnostic; `then` says what was done (`file skipped`).
    pub fn diagnostic(&self, then: &str) -> Diagnostic {
        Diagnostic::error(
            self.path.display().to_string(),
            format!("{}; {then}", self.reason),
        )
    }
}

/// The bytes of a file, or why they cannot be read.
pub fn read_file(path: &Path) -> Result<Vec<u8>, Unreadable> {
    std::fs::read(path).map_err(|e| Unreadable {
        path: path.to_owned(),
        reason: e.to_string(),
    })
}

/// Parses the bytes [`read_file`] read from `path`, as
/// [`read_calendar_file`] does (for callers that need the bytes too).
pub fn parse_calendar_file(path: &Path, bytes: &[u8]) -> Result<Calendar, Unreadable> {
    let cal = read_calendar(bytes, &display(path));
    if cal.stats().is_empty() {
        return Err(no_calendar_data(path));
    }
    Ok(cal)
}

/// Why a file with no calendar component at all is not read.
pub fn no_calendar_data(path: &Path) -> Unreadable {
    Unreadable {
        path: path.to_owned(),
        reason: "no iCalendar data found (no BEGIN:VCALENDAR or BEGIN:VEVENT)".into(),
    }
}

/// What calendars say about the span of their data: the days one-off
/// events start on, before the calendar's own export time (its latest
/// DTSTAMP). Events on or after the day a calendar was exported are plans,
/// not data; each calendar is judged by its own export time, so a span does
/// not depend on which other calendars are read with it (the store keeps
/// one span per calendar and gets the same answer).
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct DataSpan {
    first: Option<NaiveDate>,
    last: Option<NaiveDate>,
    exported: Option<DateTime<Utc>>,
}

impl DataSpan {
    /// Notes the events of one calendar.
    pub fn observe(&mut self, cal: &Calendar) {
        self.observe_facts(&cal.span_facts());
    }

    /// Notes one calendar from its prescan: the same as [`DataSpan::observe`]
    /// on the parsed calendar, without parsing it.
    pub fn observe_facts(&mut self, facts: &SpanFacts) {
        self.take(facts.bounds(), facts.exported);
    }

    /// Takes in another span (of other calendars).
    pub fn merge(&mut self, other: &DataSpan) {
        self.take(other.bounds(), other.exported);
    }

    fn take(&mut self, bounds: Option<(NaiveDate, NaiveDate)>, exported: Option<DateTime<Utc>>) {
        if let Some((first, last)) = bounds {
            self.see(first);
            self.see(last);
        }
        if let Some(x) = exported {
            self.exported = Some(self.exported.map_or(x, |y| y.max(x)));
        }
    }

    /// Notes a day with data.
    pub fn see(&mut self, d: NaiveDate) {
        self.first = Some(self.first.map_or(d, |f| f.min(d)));
        self.last = Some(self.last.map_or(d, |l| l.max(d)));
    }

    /// The first and last days with data.
    pub fn bounds(&self) -> Option<(NaiveDate, NaiveDate)> {
        self.first.zip(self.last)
    }

    /// The latest export time seen.
    pub fn exported(&self) -> Option<DateTime<Utc>> {
        self.exported
    }
}

fn display(path: &Path) -> String {
    path.display().to_string()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)] // A panic is a failed test with its location.
    use super::*;

    fn ics_files(dir: &Path, out: &mut Vec<PathBuf>) {
        for entry in std::fs::read_dir(dir).unwrap().flatten() {
            let path = entry.path();
            if path.is_dir() {
                ics_files(&path, out);
            } else if path.extension().is_some_and(|e| e == "ics") {
                out.push(path);
            }
        }
    }

    #[test]
    fn the_prescan_gives_the_span_of_the_full_parse() {
        // The report chooses its window from the prescan; the store and
        // lint from parsed calendars. Both must give the same span.
        // Our fixtures and the icalendar project's test calendars (the
        // corpora beside the project; CI fails when they are missing).
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
        let mut files = Vec::new();
        ics_files(&root.join("test_data"), &mut files);
        ics_files(&root.join("../shared/corpora"), &mut files);
        assert!(files.len() > 100, "found only {} files", files.len());
        let mut with_days = 0;
        for path in &files {
            let bytes = std::fs::read(path).unwrap();
            let (mut parsed, mut scanned) = (DataSpan::default(), DataSpan::default());
            parsed.observe(&read_calendar(&bytes, "x.ics"));
            scanned.observe_facts(&fulcrum_ics::scan_span(&bytes));
            assert_eq!(parsed, scanned, "{}", path.display());
            with_days += usize::from(parsed.bounds().is_some());
        }
        assert!(with_days > 5, "only {with_days} files with one-off days");
    }
}
