//! Calendar sources as a stream of people: which files are whose, the data
//! span they give the window, and each person's occurrences over the window,
//! read when that person's turn comes.
//!
//! Reading happens in two passes over the calendar files:
//!
//! 1. [`plan_calendars`], in parallel over files: each file's data span
//!    ([`DataSpan`]) and its owner. Nothing of a parsed calendar is kept, so
//!    memory does not grow with the history on disk.
//! 2. [`PersonCalendars::take`], in parallel over people (see
//!    `report::analyse`): a person's files are parsed again and expanded over
//!    the window only, and the parsed calendar is dropped straight away.
//!
//! Problems keep the order of the files they are about, whatever order the
//! threads finish in.

use crate::ics::{DataSpan, Unreadable, calendar_problems, no_calendar_data, no_owner};
use crate::report::{calendar_owner, owner_by_name};
use fulcrum_ics::{ExpandOptions, read_calendar, read_calendar_for, scan_span};
use fulcrum_model::diagnostic::Diagnostic;
use fulcrum_model::{Occurrence, Person};
use fulcrum_workspace::Directory;
use rayon::prelude::*;
use std::path::{Path, PathBuf};

/// What the first pass learned of the calendar files.
#[derive(Debug, Default)]
pub struct CalendarPlan {
    /// The files read, in the order given.
    files: Vec<PathBuf>,
    /// Per person (index into the people list), their files (indexes into
    /// `files`), in file order.
    by_person: Vec<Vec<usize>>,
    /// The data span of every file read.
    pub span: DataSpan,
    /// Files that could not be read at all, with why (file order).
    pub unreadable: Vec<Unreadable>,
    /// Problems that belong with a file, by file index (no owner).
    notes: Vec<(usize, Diagnostic)>,
    /// Files read.
    pub files_read: usize,
    /// Files given to a person.
    pub files_owned: usize,
}

/// One file's facts from the first pass.
struct FileFacts {
    span: DataSpan,
    owner: Option<usize>,
}

/// Reads every file once for its data span ([`scan_span`]: the lines that
/// matter, without building events) and its owner ([`owner_by_name`], or
/// [`calendar_owner`] over a full parse for a file not named after its
/// owner), in parallel, keeping neither bytes nor events.
pub fn plan_calendars(paths: &[PathBuf], people: &[Person], directory: &Directory) -> CalendarPlan {
    let facts: Vec<Result<FileFacts, Unreadable>> = paths
        .par_iter()
        .map(|path| with_file_bytes(path, |bytes| file_facts(path, bytes, people, directory)))
        .collect();
    let mut plan = CalendarPlan {
        by_person: vec![Vec::new(); people.len()],
        ..CalendarPlan::default()
    };
    for (path, facts) in paths.iter().zip(facts) {
        match facts {
            Ok(facts) => {
                let index = plan.files.len();
                plan.files.push(path.clone());
                plan.files_read += 1;
                plan.span.merge(&facts.span);
                match facts.owner {
                    Some(owner) => {
                        plan.by_person[owner].push(index);
                        plan.files_owned += 1;
                    }
                    None => plan
                        .notes
                        .push((index, no_owner(&display(path), "file skipped"))),
                }
            }
            Err(u) => plan.unreadable.push(u),
        }
    }
    plan
}

/// One file's span and owner, from its bytes.
fn file_facts(
    path: &Path,
    bytes: &[u8],
    people: &[Person],
    directory: &Directory,
) -> Result<FileFacts, Unreadable> {
    let facts = scan_span(bytes);
    if !facts.has_components {
        return Err(no_calendar_data(path));
    }
    let mut span = DataSpan::default();
    span.observe_facts(&facts);
    // Only a file not named after its owner is parsed in this pass.
    let owner = owner_by_name(path, people).or_else(|| {
        let cal = read_calendar(bytes, &display(path));
        calendar_owner(path, people, directory, cal.events())
    });
    Ok(FileFacts { span, owner })
}

thread_local! {
    /// The bytes of the file a thread reads, kept between files: calendars
    /// are read whole and dropped at once, and a fresh buffer per file cost
    /// the kernel a page-zeroing per page read.
    static FILE_BUFFER: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// Calls `f` with the bytes of the file at `path`, read into this thread's
/// reused buffer.
fn with_file_bytes<T>(
    path: &Path,
    f: impl FnOnce(&[u8]) -> Result<T, Unreadable>,
) -> Result<T, Unreadable> {
    FILE_BUFFER.with_borrow_mut(|buf| {
        buf.clear();
        std::fs::File::open(path)
            .and_then(|mut file| std::io::Read::read_to_end(&mut file, buf))
            .map_err(|e| Unreadable {
                path: path.to_owned(),
                reason: e.to_string(),
            })?;
        let out = f(buf);
        // A rare huge file should not stay held by the thread.
        if buf.capacity() > 64 << 20 {
            *buf = Vec::new();
        }
        out
    })
}

impl CalendarPlan {
    /// The people's calendars over a window, to be taken one person at a
    /// time.
    pub fn into_calendars(self, opts: ExpandOptions) -> PersonCalendars {
        let people = self
            .by_person
            .into_iter()
            .map(|files| {
                if files.is_empty() {
                    PersonSource::Ready(None)
                } else {
                    PersonSource::Files(files)
                }
            })
            .collect();
        PersonCalendars {
            people,
            files: self.files,
            opts: Some(opts),
            notes: self.notes,
        }
    }
}

/// Where one person's occurrences come from.
#[derive(Debug)]
enum PersonSource {
    /// Already in memory (from the store), `None` without a calendar.
    Ready(Option<Vec<Occurrence>>),
    /// Files to read and expand (indexes into the plan's files).
    Files(Vec<usize>),
}

/// Every person's calendar over the window, each taken once.
#[derive(Debug)]
pub struct PersonCalendars {
    people: Vec<PersonSource>,
    files: Vec<PathBuf>,
    opts: Option<ExpandOptions>,
    notes: Vec<(usize, Diagnostic)>,
}

/// One person's calendar as taken.
#[derive(Debug, Default)]
pub struct TakenCalendar {
    /// The occurrences over the window, `None` without a calendar.
    pub occurrences: Option<Vec<Occurrence>>,
    /// Problems of the person's files, by file index.
    pub notes: Vec<(usize, Diagnostic)>,
}

impl PersonCalendars {
    /// Calendars already expanded (read from the store), one entry per
    /// person.
    pub fn ready(owned: Vec<Option<Vec<Occurrence>>>) -> PersonCalendars {
        PersonCalendars {
            people: owned.into_iter().map(PersonSource::Ready).collect(),
            files: Vec::new(),
            opts: None,
            notes: Vec::new(),
        }
    }

    /// Moves out what the people of `range` need, one job each in order,
    /// for [`PersonJob::take`] on any thread.
    pub fn jobs(&mut self, range: std::ops::Range<usize>) -> Vec<PersonJob<'_>> {
        let sources: Vec<PersonSource> = range
            .map(|i| std::mem::replace(&mut self.people[i], PersonSource::Ready(None)))
            .collect();
        let (files, opts) = (&self.files[..], self.opts.as_ref());
        sources
            .into_iter()
            .map(|source| PersonJob {
                source,
                files,
                opts,
            })
            .collect()
    }

    /// Problems that the first pass found, by file index.
    pub fn take_notes(&mut self) -> Vec<(usize, Diagnostic)> {
        std::mem::take(&mut self.notes)
    }

    /// Every person's calendar at once (read in parallel), with the
    /// problems of both passes in file order; for the moves, whose ranges
    /// are short.
    pub fn take_all(mut self) -> (Vec<Option<Vec<Occurrence>>>, Vec<Diagnostic>) {
        let mut notes = self.take_notes();
        let taken: Vec<TakenCalendar> = self
            .jobs(0..self.people.len())
            .into_par_iter()
            .map(PersonJob::take)
            .collect();
        let calendars = taken
            .into_iter()
            .map(|t| {
                notes.extend(t.notes);
                t.occurrences
            })
            .collect();
        (calendars, in_file_order(notes))
    }
}

/// Problems noted by file index, in the order of the files, whatever order
/// the threads noted them in.
pub fn in_file_order(mut notes: Vec<(usize, Diagnostic)>) -> Vec<Diagnostic> {
    notes.sort_by_key(|(file, _)| *file);
    notes.into_iter().map(|(_, problem)| problem).collect()
}

/// One person's share of the work, free to move to another thread.
#[derive(Debug)]
pub struct PersonJob<'a> {
    source: PersonSource,
    files: &'a [PathBuf],
    opts: Option<&'a ExpandOptions>,
}

impl PersonJob<'_> {
    /// Reads, parses and expands the person's files (in file order), or
    /// hands over what was already in memory.
    pub fn take(self) -> TakenCalendar {
        let files = match self.source {
            PersonSource::Ready(occurrences) => {
                return TakenCalendar {
                    occurrences,
                    notes: Vec::new(),
                };
            }
            PersonSource::Files(files) => files,
        };
        let mut occurrences = Vec::new();
        let mut notes = Vec::new();
        for index in files {
            let path = &self.files[index];
            // Over a window, only the events that may matter in it are
            // built: the same occurrences and problems as a full read.
            let read = with_file_bytes(path, |bytes| {
                Ok(match self.opts {
                    Some(opts) => read_calendar_for(bytes, &display(path), opts),
                    None => read_calendar(bytes, &display(path)),
                })
            });
            let mut cal = match read {
                Ok(cal) => cal,
                Err(u) => {
                    notes.push((index, u.diagnostic("file skipped")));
                    continue;
                }
            };
            if let Some(opts) = self.opts {
                occurrences.extend(cal.expand(opts));
            }
            for problem in calendar_problems(&display(path), &cal) {
                notes.push((index, problem));
            }
        }
        TakenCalendar {
            occurrences: Some(occurrences),
            notes,
        }
    }
}

fn display(path: &Path) -> String {
    path.display().to_string()
}

/// The notes of a report read from files on a workspace with CalDAV
/// sources: those calendars live on a server and reach reports through
/// the store. A report does not fetch them itself: `fulcrum import` syncs
/// only what changed and keeps the sync state, so reading through the
/// store is cheaper and gives every report the same data (see
/// `docs/workspace.md`).
pub fn caldav_not_read(sources: &[fulcrum_workspace::CalDavSource]) -> Vec<Diagnostic> {
    sources
        .iter()
        .map(|s| {
            Diagnostic::warning(
                format!("{} ({})", s.label(), s.origin),
                "CalDAV calendars are not read from files; this report leaves them out",
            )
            .with_help(
                "run `fulcrum import` to sync them into the store, then `fulcrum report --store`",
            )
        })
        .collect()
}
