//! Row exports: closed work items from a tracker and pulse answers, read
//! from CSV. Pure: text and a name for messages in; rows plus located
//! located [`Diagnostic`]s out. The app opens the files.

use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};
pub use fulcrum_model::diagnostic::{Diagnostic, Severity};

/// A closed work item as read from a tracker export.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkItemRow {
    /// Who closed it (the assignee's address).
    pub who: String,
    /// When.
    pub closed_at: DateTime<Utc>,
}

/// Reads a work-item CSV: a header row naming an assignee column
/// (`assignee`, `assignee_email`, `email`, `owner`) and a completion column
/// (`completed`, `completed_at`, `closed`, `closed_at`, `resolved`), RFC 3339
/// times or `YYYY-MM-DD` dates. Rows without a completion time are open
/// items: not throughput, left out and counted in one note; unreadable rows
/// are problems (`file:line`).
pub fn read_work_items(text: &str, name: &str) -> (Vec<WorkItemRow>, Vec<Diagnostic>) {
    let mut rows = Vec::new();
    let mut problems = Vec::new();
    let (mut reader, headers) = match open(text, name) {
        Ok(table) => table,
        Err(problem) => return (rows, vec![problem]),
    };
    let col = |names: &[&str]| headers.iter().position(|h| names.contains(&h.as_str()));
    let (Some(who), Some(done)) = (
        col(&["assignee", "assignee_email", "email", "owner"]),
        col(&[
            "completed",
            "completed_at",
            "closed",
            "closed_at",
            "resolved",
            "resolved_at",
        ]),
    ) else {
        return (
            rows,
            vec![
                Diagnostic::error(
                    name,
                    "no assignee or completion column; file skipped",
                )
                .at_line(1)
                .with_help(
                    "name an assignee column (assignee, email) and a completion column (completed, closed_at) in the header",
                ),
            ],
        );
    };
    let mut open_items = 0usize;
    for (i, record) in reader.records().enumerate() {
        let line = i + 2;
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                problems.push(
                    Diagnostic::error(name, format!("unreadable row ({e}); row skipped"))
                        .at_line(line as u32),
                );
                continue;
            }
        };
        let closed = record.get(done).unwrap_or("").trim();
        if closed.is_empty() {
            open_items += 1;
            continue;
        }
        let Some(at) = parse_instant(closed) else {
            problems.push(
                Diagnostic::error(name, format!("{closed:?} is not a time; row skipped"))
                    .at_line(line as u32)
                    .with_help("write times like 2026-09-01T10:00:00Z or dates like 2026-09-01"),
            );
            continue;
        };
        rows.push(WorkItemRow {
            who: record.get(who).unwrap_or("").trim().to_owned(),
            closed_at: at,
        });
    }
    if open_items > 0 {
        problems.push(
            Diagnostic::note(
                name,
                format!(
                    "{open_items} open work item(s) (no completion time) left out: throughput counts closed items"
                ),
            ),
        );
    }
    (rows, problems)
}

fn parse_instant(s: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(s)
        .map(|t| t.with_timezone(&Utc))
        .ok()
        .or_else(|| {
            NaiveDate::parse_from_str(s, "%Y-%m-%d")
                .ok()
                .map(|d| d.and_time(chrono::NaiveTime::MIN).and_utc())
        })
}

/// A pulse answer as read.
#[derive(Debug, Clone, PartialEq)]
pub struct PulseRow {
    /// Who answered.
    pub who: String,
    /// The Monday of the ISO week it is about.
    pub week_start: NaiveDate,
    /// The score, 1 to 5.
    pub score: f64,
}

/// Reads a pulse CSV: columns `email`, `score` and `week_start` (or `week`,
/// a date in the week). Scores outside 1-5 and unreadable rows are problems.
pub fn read_pulse(text: &str, name: &str) -> (Vec<PulseRow>, Vec<Diagnostic>) {
    let mut rows = Vec::new();
    let mut problems = Vec::new();
    let (mut reader, headers) = match open(text, name) {
        Ok(table) => table,
        Err(problem) => return (rows, vec![problem]),
    };
    let col = |names: &[&str]| headers.iter().position(|h| names.contains(&h.as_str()));
    let (Some(who), Some(score), Some(week)) = (
        col(&["email", "respondent"]),
        col(&["score", "answer"]),
        col(&["week_start", "week", "date"]),
    ) else {
        return (
            rows,
            vec![
                Diagnostic::error(name, "no email, score or week_start column; file skipped")
                    .at_line(1)
                    .with_help("name the columns email, score and week_start in the header"),
            ],
        );
    };
    for (i, record) in reader.records().enumerate() {
        let line = i + 2;
        let Ok(record) = record else {
            problems
                .push(Diagnostic::error(name, "unreadable row; row skipped").at_line(line as u32));
            continue;
        };
        let s = record.get(score).unwrap_or("").trim();
        let w = record.get(week).unwrap_or("").trim();
        let (Ok(s), Some(d)) = (s.parse::<f64>(), parse_instant(w)) else {
            problems.push(
                Diagnostic::error(name, "no readable score or week date; row skipped")
                    .at_line(line as u32)
                    .with_help("give a score from 1 to 5 and a date like 2026-09-01"),
            );
            continue;
        };
        if !(1.0..=5.0).contains(&s) {
            problems.push(
                Diagnostic::error(name, format!("score {s} is outside 1-5; row skipped"))
                    .at_line(line as u32),
            );
            continue;
        }
        rows.push(PulseRow {
            who: record.get(who).unwrap_or("").trim().to_owned(),
            week_start: monday_of(d.date_naive()),
            score: s,
        });
    }
    (rows, problems)
}

/// A CSV reader over `text` (rows may differ in length) and its header
/// row's names, trimmed and lower-cased.
fn open<'t>(text: &'t str, name: &str) -> Result<(csv::Reader<&'t [u8]>, Vec<String>), Diagnostic> {
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(text.as_bytes());
    match reader.headers() {
        Ok(h) => {
            let names = h.iter().map(|s| s.trim().to_lowercase()).collect();
            Ok((reader, names))
        }
        Err(e) => {
            Err(Diagnostic::error(name, format!("no header row ({e}); file skipped")).at_line(1))
        }
    }
}

/// The Monday of `d`'s ISO week.
fn monday_of(d: NaiveDate) -> NaiveDate {
    d - Duration::days(i64::from(d.weekday().num_days_from_monday()))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)] // A panic is a failed test with its location.
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn work_items_and_pulse_rows() {
        let csv = "ID,Title,Assignee,Completed\nA-1,\"Fix, quickly\",ana@x.io,2026-09-01T10:00:00Z\nA-2,open,bo@x.io,\nA-3,bad,bo@x.io,yesterday\n";
        let (rows, problems) = read_work_items(csv, "w.csv");
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0].who, "ana@x.io");
        assert_eq!(rows[0].closed_at.to_rfc3339(), "2026-09-01T10:00:00+00:00");
        // The bad row, then the open item counted, not lost silently.
        assert_eq!(problems.len(), 2);
        assert_eq!(problems[0].location(), "w.csv:4", "{problems:?}");
        assert_eq!(problems[0].severity, Severity::Error);
        assert_eq!(problems[1].severity, Severity::Note);
        assert!(
            problems[1].message.starts_with("1 open work item"),
            "{problems:?}"
        );
        let pulse = "week_start,email,score\n2026-09-02,ana@x.io,4\n2026-09-02,bo@x.io,7\n";
        let (rows, problems) = read_pulse(pulse, "p.csv");
        assert_eq!(rows.len(), 1);
        // 2026-09-02 is a Wednesday of ISO week 36.
        assert_eq!(rows[0].week_start, d("2026-08-31"));
        assert_eq!(problems[0].location(), "p.csv:3");
        assert!(problems[0].message.contains("outside 1-5"), "{problems:?}");
    }

    #[test]
    fn a_pulse_week_is_its_iso_monday() {
        // 2027-01-03 is a Sunday of ISO week 2026-W53, whose Monday is 28 December.
        assert_eq!(monday_of(d("2027-01-03")), d("2026-12-28"));
        assert_eq!(monday_of(d("2026-12-28")), d("2026-12-28"));
    }
}
