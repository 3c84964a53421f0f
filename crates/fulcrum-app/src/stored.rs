//! The store's use cases: `fulcrum import` (every source of a workspace
//! into the store), `fulcrum report --store` (the same computation as
//! `fulcrum report`, from stored records), `fulcrum forget` and retention.
//!
//! What is stored per source is what the report consumes after reading:
//! - a calendar: its occurrences expanded over a window that covers its
//!   data (from 13 weeks before its first one-off event to `horizon_weeks`
//!   after its export), its owner's email, its data span and its problem
//!   count;
//! - a chat export: its user directory, conversations and messages (no
//!   text);
//! - work-item and pulse files: their rows.
//!
//! Computing from the store then runs the one analysis
//! ([`crate::report::analyse`]) on those records, so both paths give the
//! same signals (a test checks it on the demo).

use crate::chat::read_export;
use crate::ics::{DataSpan, error_count, no_owner, parse_calendar_file, read_file, read_problems};
use crate::report::{
    ChatFeed, Computed, Gathered, Inputs, Progress, ReportError, ReportRequest, analyse, by_list,
    calendar_owner, choose_window, params_of,
};
use crate::sources::PersonCalendars;
use crate::workspace::{LoadedWorkspace, WorkspaceError, load_workspace, source_paths};
use chrono::{DateTime, Duration, Utc};
use fulcrum_analysis::Week;
use fulcrum_chat::{ChatSink, Limits};
use fulcrum_ics::{Bound, ExpandOptions};
use fulcrum_model::chat::{ChatMessage, ChatPlatform, Conversation};
use fulcrum_model::diagnostic::Diagnostic;
use fulcrum_model::identity::SourceUser;
use fulcrum_model::{Occurrence, Person};
use fulcrum_rows::{PulseRow, WorkItemRow, read_pulse, read_work_items};
use fulcrum_store::{
    Aggregate, CalendarImport, ChatImport, ForgetReport, ImportOutcome, NewImportRun, PersonKeys,
    RetentionReport, Row, RowKind, RowsImport, Storage, StoreError, StoredChat,
};
use fulcrum_workspace::Directory;
use rayon::prelude::*;
use std::collections::HashMap;
use std::path::Path;

/// Weeks of recurring meetings stored past a calendar's export, by default.
pub const DEFAULT_HORIZON_WEEKS: u32 = 26;

/// Weeks stored before a calendar's first one-off event.
const LEAD_WEEKS: i64 = 13;

/// Why a store use case failed.
#[derive(Debug, thiserror::Error)]
pub enum StoredError {
    /// The workspace could not be loaded.
    #[error(transparent)]
    Workspace(#[from] WorkspaceError),
    /// The report could not be computed.
    #[error(transparent)]
    Report(#[from] ReportError),
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// `forget` was given an address nobody has.
    #[error("{0}: not on the people list and not in any stored chat directory")]
    UnknownPerson(String),
}

/// The store's URL for a workspace: `--database`, else `[store] url`, else
/// the SQLite file `.fulcrum/fulcrum.db` in the workspace.
pub fn database_url(root: &Path, given: Option<&str>, ws: Option<&LoadedWorkspace>) -> String {
    if let Some(url) = given {
        return url.to_owned();
    }
    if let Some(url) = ws.and_then(|w| w.workspace.store.url.clone()) {
        return url;
    }
    format!(
        "sqlite://{}",
        root.join(".fulcrum").join("fulcrum.db").display()
    )
}

/// A fingerprint of bytes: FNV-1a (64 bits) and the length. Used only to
/// recognise the same export imported twice.
#[derive(Debug, Clone, Copy)]
struct Fingerprint {
    hash: u64,
    len: u64,
}

impl Fingerprint {
    fn new() -> Self {
        Fingerprint {
            hash: 0xcbf2_9ce4_8422_2325,
            len: 0,
        }
    }

    fn update(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.hash ^= u64::from(*b);
            self.hash = self.hash.wrapping_mul(0x0000_0100_0000_01b3);
        }
        self.len += bytes.len() as u64;
    }

    fn text(&self) -> String {
        format!("fnv1a64:{:016x}:{}", self.hash, self.len)
    }
}

/// The fingerprint of bytes already read: the same as [`fingerprint`] of
/// the file they came from.
fn fingerprint_bytes(bytes: &[u8]) -> String {
    let mut fp = Fingerprint::new();
    fp.update(bytes);
    fp.text()
}

/// The fingerprint of a file, or of a folder's files (relative names and
/// contents, in name order; a lone file's own name adds nothing).
fn fingerprint(path: &Path) -> std::io::Result<String> {
    let mut fp = Fingerprint::new();
    let mut files = Vec::new();
    if path.is_dir() {
        let mut stack = vec![path.to_owned()];
        while let Some(dir) = stack.pop() {
            for entry in std::fs::read_dir(&dir)? {
                let p = entry?.path();
                if p.is_dir() {
                    stack.push(p);
                } else {
                    files.push(p);
                }
            }
        }
        files.sort();
    } else {
        files.push(path.to_owned());
    }
    let mut buf = vec![0u8; 1 << 16];
    for f in files {
        if let Ok(rel) = f.strip_prefix(path) {
            fp.update(rel.to_string_lossy().as_bytes());
        }
        let mut file = std::fs::File::open(&f)?;
        loop {
            let n = std::io::Read::read(&mut file, &mut buf)?;
            if n == 0 {
                break;
            }
            if let Some(chunk) = buf.get(..n) {
                fp.update(chunk);
            }
        }
    }
    Ok(fp.text())
}

/// A source's name in the store: its path relative to the workspace.
fn source_name(root: &Path, path: &Path) -> String {
    path.strip_prefix(root)
        .unwrap_or(path)
        .to_string_lossy()
        .into_owned()
}

/// What `fulcrum import` did to one source.
#[derive(Debug, Clone)]
pub struct ImportLine {
    /// `calendar`, `chat`, `work_items` or `pulse`.
    pub kind: &'static str,
    /// The source (relative to the workspace).
    pub source: String,
    /// What the store did.
    pub outcome: ImportOutcome,
}

/// What `fulcrum import` did.
#[derive(Debug, Clone, Default)]
pub struct ImportSummary {
    /// One line per source imported.
    pub lines: Vec<ImportLine>,
    /// Sources not imported, and problems inside imported ones; each names
    /// its file.
    pub problems: Vec<Diagnostic>,
    /// Weekly team aggregates written.
    pub aggregates: usize,
    /// What retention dropped, when `[store] retention_days` is set.
    pub retention: Option<(u32, RetentionReport)>,
    /// What each `[[sources.caldav]]` entry's sync cost, in file order.
    pub caldav: Vec<crate::caldav::CalDavSynced>,
}

/// Collects one export's messages and conversations for the store.
#[derive(Default)]
struct Collect {
    messages: Vec<ChatMessage>,
}

impl ChatSink for Collect {
    fn message(&mut self, _index: usize, _conversation: &Conversation, message: ChatMessage) {
        self.messages.push(message);
    }
}

/// How far an import is, for a progress bar.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImportProgress {
    /// Sources read and stored so far (calendars, then chat exports, then
    /// work-item and pulse files), of all.
    Sources {
        /// Sources handled (stored, unchanged or skipped).
        done: usize,
        /// Of.
        total: usize,
        /// What is being read now: `calendar`, `chat`, `work_items`, `pulse`.
        kind: &'static str,
    },
    /// Computing the weekly team aggregates from the store.
    Aggregates,
}

/// Loads every source of the workspace at `root` into `store`. Each source
/// is one transaction: a bad file is reported and skipped, never left half
/// imported. Then weekly team aggregates are refreshed and retention is
/// applied.
pub async fn import_workspace<S: Storage>(
    store: &S,
    root: &Path,
    limits: &Limits,
) -> Result<ImportSummary, StoredError> {
    import_workspace_with_progress(store, root, limits, &mut |_| {}).await
}

/// [`import_workspace`], telling `progress` how far it is (the CLI draws it
/// as a progress bar).
pub async fn import_workspace_with_progress<S: Storage>(
    store: &S,
    root: &Path,
    limits: &Limits,
    progress: &mut (dyn FnMut(ImportProgress) + Send),
) -> Result<ImportSummary, StoredError> {
    let ws = crate::workspace::load_workspace_with_people(root)?;
    let w = &ws.workspace;
    let mut summary = ImportSummary::default();
    let glob = |patterns: &[String], what: &str, problems: &mut Vec<Diagnostic>| {
        source_paths(&ws.root, patterns, what, problems)
    };
    let calendars = glob(&w.sources.calendars, "calendars", &mut summary.problems)?;
    let chats = glob(&w.sources.chat, "chat", &mut summary.problems)?;
    let work = glob(&w.sources.work_items, "work_items", &mut summary.problems)?;
    let pulse = glob(&w.sources.pulse, "pulse", &mut summary.problems)?;
    let directory = Directory::build(&w.team, &w.people, &[])
        .map_err(|e| StoredError::Workspace(WorkspaceError::Config(e)))?;
    let people = directory.people().to_vec();
    let horizon = i64::from(w.store.horizon_weeks.unwrap_or(DEFAULT_HORIZON_WEEKS));
    let now = Utc::now();
    // Recorded first and completed last: a run that stops in between (killed,
    // crashed, a lost connection) stays visible as unfinished.
    let mut planned = planned_sources(calendars.len(), chats.len(), work.len(), pulse.len());
    if !w.sources.caldav.is_empty() {
        let n = w.sources.caldav.len();
        planned.push_str(&format!(
            ", {n} CalDAV {}",
            if n == 1 { "account" } else { "accounts" }
        ));
    }
    let run = store
        .start_import_run(NewImportRun {
            started_at: now,
            planned: planned.clone(),
        })
        .await?;

    let total = calendars.len() + chats.len() + work.len() + pulse.len();
    let mut done = 0;
    let mut tell = |done: &mut usize, kind: &'static str| {
        progress(ImportProgress::Sources {
            done: *done,
            total,
            kind,
        });
        *done += 1;
    };

    // Calendars are read and expanded in parallel a batch at a time, and
    // stored one at a time in file order.
    let batch = 8 * rayon::current_num_threads();
    for chunk in calendars.chunks(batch) {
        let read: Vec<Result<CalendarImport, Diagnostic>> = chunk
            .par_iter()
            .map(|path| calendar_import(&ws.root, path, &people, &directory, horizon, now))
            .collect();
        for import in read {
            tell(&mut done, "calendar");
            let import = match import {
                Ok(import) => import,
                Err(problem) => {
                    summary.problems.push(problem);
                    continue;
                }
            };
            let source = import.source.clone();
            if import.problems > 0 {
                summary
                    .problems
                    .push(read_problems(&import.file, import.problems as usize));
            }
            if import.owner.is_none() {
                summary.problems.push(no_owner(
                    &import.file,
                    "stored, but left out of reports until it can be given to someone",
                ));
            }
            let outcome = store.import_calendar(import).await?;
            summary.lines.push(ImportLine {
                kind: "calendar",
                source,
                outcome,
            });
        }
    }

    // Live calendars: what changed on each CalDAV server since the last
    // import (every import, and so every scheduled one, syncs).
    let settings = crate::caldav::SyncSettings {
        root: &ws.root,
        horizon_weeks: horizon,
        now,
    };
    crate::caldav::sync_all(store, &w.sources.caldav, &settings, &mut summary).await?;

    for path in &chats {
        tell(&mut done, "chat");
        let fp = match fingerprint(path) {
            Ok(fp) => fp,
            Err(e) => {
                summary.problems.push(Diagnostic::error(
                    path.display().to_string(),
                    format!("{e}; export skipped"),
                ));
                continue;
            }
        };
        let mut sink = Collect::default();
        let report = match read_export(path, limits, &mut sink) {
            Ok(r) => r,
            Err(e) => {
                summary.problems.push(e.diagnostic());
                continue;
            }
        };
        if report.skipped > 0 {
            summary.problems.push(crate::report::chat_skipped(
                &path.display().to_string(),
                report.skipped,
            ));
        }
        if report.no_user_directory {
            summary.problems.push(crate::report::no_user_directory(
                &path.display().to_string(),
            ));
        }
        let source = source_name(&ws.root, path);
        let import = ChatImport {
            source: source.clone(),
            file: path.display().to_string(),
            fingerprint: fp,
            platform: platform_name(report.platform).to_owned(),
            users: report.users,
            conversations: report.conversations,
            messages: sink.messages,
            skipped: report.skipped,
        };
        let outcome = store.import_chat(import).await?;
        summary.lines.push(ImportLine {
            kind: "chat",
            source,
            outcome,
        });
    }

    for (kind, paths) in [(RowKind::WorkItem, &work), (RowKind::Pulse, &pulse)] {
        for path in paths {
            tell(
                &mut done,
                match kind {
                    RowKind::WorkItem => "work_items",
                    RowKind::Pulse => "pulse",
                },
            );
            let (text, fp) = match std::fs::read_to_string(path) {
                Ok(text) => {
                    let fp = fingerprint_bytes(text.as_bytes());
                    (text, fp)
                }
                Err(e) => {
                    summary.problems.push(crate::report::io_problem(path, &e));
                    continue;
                }
            };
            let name = path.display().to_string();
            let rows: Vec<Row> = match kind {
                RowKind::WorkItem => {
                    let (rows, p) = read_work_items(&text, &name);
                    summary.problems.extend(p);
                    rows.into_iter()
                        .map(|r| Row {
                            who: r.who,
                            at: r.closed_at,
                            score: None,
                        })
                        .collect()
                }
                RowKind::Pulse => {
                    let (rows, p) = read_pulse(&text, &name);
                    summary.problems.extend(p);
                    rows.into_iter()
                        .map(|r| Row {
                            who: r.who,
                            at: r.week_start.and_time(chrono::NaiveTime::MIN).and_utc(),
                            score: Some(r.score),
                        })
                        .collect()
                }
            };
            let source = source_name(&ws.root, path);
            let outcome = store
                .import_rows(RowsImport {
                    kind,
                    source: source.clone(),
                    file: name,
                    fingerprint: fp,
                    rows,
                })
                .await?;
            summary.lines.push(ImportLine {
                kind: match kind {
                    RowKind::WorkItem => "work_items",
                    RowKind::Pulse => "pulse",
                },
                source,
                outcome,
            });
        }
    }

    // Aggregates of the default window, then retention (which keeps them).
    progress(ImportProgress::Aggregates);
    let req = ReportRequest {
        root: ws.root.clone(),
        from: None,
        to: None,
        limits: *limits,
    };
    if let Ok(computed) = compute_from_store(store, &req, &mut |_| {}).await {
        let rows = aggregates_of(&computed);
        summary.aggregates = rows.len();
        store.put_aggregates(rows).await?;
    }
    if let Some(days) = w.store.retention_days {
        let before = now - Duration::days(i64::from(days));
        summary.retention = Some((days, store.apply_retention(before).await?));
    }
    let done = format!(
        "{} of {planned} imported, {} problem(s)",
        summary.lines.len(),
        summary.problems.len()
    );
    store.finish_import_run(run, Utc::now(), done).await?;
    Ok(summary)
}

/// What an import sets out to do, in words: "3 calendars, 1 chat export,
/// 0 work-item files, 1 pulse file".
fn planned_sources(calendars: usize, chats: usize, work: usize, pulse: usize) -> String {
    let n = |count: usize, one: &str, many: &str| {
        format!("{count} {}", if count == 1 { one } else { many })
    };
    [
        n(calendars, "calendar", "calendars"),
        n(chats, "chat export", "chat exports"),
        n(work, "work-item file", "work-item files"),
        n(pulse, "pulse file", "pulse files"),
    ]
    .join(", ")
}

/// A warning when the store's newest import run never finished: its
/// sources past the point where it stopped are missing or stale.
pub async fn unfinished_import<S: Storage>(store: &S) -> Result<Option<Diagnostic>, StoredError> {
    let Some(run) = store.last_import_run().await? else {
        return Ok(None);
    };
    if run.finished_at.is_some() {
        return Ok(None);
    }
    Ok(Some(
        Diagnostic::warning(
            "store",
            format!(
                "the last import, started {} UTC, did not finish (it set out to import {}); \
                 sources after the point where it stopped may be missing or out of date",
                run.started_at.format("%Y-%m-%d %H:%M"),
                run.planned
            ),
        )
        .with_help("run `fulcrum import` again (unless one is running now)"),
    ))
}

fn platform_name(p: ChatPlatform) -> &'static str {
    match p {
        ChatPlatform::Slack => "slack",
        ChatPlatform::Mattermost => "mattermost",
    }
}

/// Reads one calendar file into an import: owner, data span, occurrences
/// over the stored window. Err: the file could not be read (a problem line).
fn calendar_import(
    root: &Path,
    path: &Path,
    people: &[Person],
    directory: &Directory,
    horizon_weeks: i64,
    now: DateTime<Utc>,
) -> Result<CalendarImport, Diagnostic> {
    let skipped = |u: crate::ics::Unreadable| u.diagnostic("file skipped");
    let bytes = read_file(path).map_err(skipped)?;
    let fp = fingerprint_bytes(&bytes);
    let mut cal = parse_calendar_file(path, &bytes).map_err(skipped)?;
    drop(bytes);
    let mut span = DataSpan::default();
    span.observe(&cal);
    let owner = calendar_owner(path, people, directory, cal.events())
        .and_then(|i| people.get(i))
        .map(|p| p.email.clone());
    let exported = span.exported().unwrap_or(now).date_naive();
    let (from, to) = expansion_window(span.bounds(), exported, horizon_weeks);
    let opts = ExpandOptions::window(
        Bound::Instant(from.fixed_offset()),
        Bound::Instant(to.fixed_offset()),
    );
    let occurrences = without_lines(cal.expand(&opts));
    let problems = error_count(&cal);
    let (data_first, data_last) = span.bounds().unzip();
    Ok(CalendarImport {
        source: source_name(root, path),
        file: path.display().to_string(),
        fingerprint: fp,
        owner,
        data_first,
        data_last,
        problems: u32::try_from(problems).unwrap_or(u32::MAX),
        expanded_from: from,
        expanded_to: to,
        occurrences,
    })
}

/// The window a calendar's occurrences are stored for: from `LEAD_WEEKS`
/// before its first day with data to `horizon_weeks` past the later of its
/// last day with data and `latest` (its export time's day; for a live
/// CalDAV calendar, today when later).
pub(crate) fn expansion_window(
    bounds: Option<(chrono::NaiveDate, chrono::NaiveDate)>,
    latest: chrono::NaiveDate,
    horizon_weeks: i64,
) -> (DateTime<Utc>, DateTime<Utc>) {
    let (first, last) = match bounds {
        Some((f, l)) => (f, l.max(latest)),
        None => (latest, latest),
    };
    let from = (first - Duration::weeks(LEAD_WEEKS))
        .and_time(chrono::NaiveTime::MIN)
        .and_utc();
    let to = (last + Duration::weeks(horizon_weeks))
        .and_time(chrono::NaiveTime::MIN)
        .and_utc();
    (from, to)
}

/// Occurrences with the line of their VEVENT dropped from their source
/// reference (the file stays): a newer export moves lines without changing
/// events, and the store's diff must not count that as a change. Details
/// shared by a series stay shared.
pub(crate) fn without_lines(occurrences: Vec<Occurrence>) -> Vec<Occurrence> {
    use fulcrum_model::EventDetails;
    use std::sync::Arc;
    // Keyed by the shared details' address; the original is kept in the
    // value so the address cannot be reused while the map lives.
    let mut done: HashMap<*const EventDetails, (Arc<EventDetails>, Arc<EventDetails>)> =
        HashMap::new();
    occurrences
        .into_iter()
        .map(|mut o| {
            if o.details.source.as_ref().is_some_and(|s| s.line != 0) {
                let (_, new) = done.entry(Arc::as_ptr(&o.details)).or_insert_with(|| {
                    let mut d = (*o.details).clone();
                    if let Some(s) = d.source.as_mut() {
                        s.line = 0;
                    }
                    (o.details.clone(), Arc::new(d))
                });
                o.details = new.clone();
            }
            o
        })
        .collect()
}

/// The team-week aggregates of a computed report that may be kept: values
/// the privacy rule let through (teams-weeks with at least the minimum
/// group size of members with data).
pub fn aggregates_of(c: &Computed) -> Vec<Aggregate> {
    let mut out = Vec::new();
    for team in &c.signals.teams {
        for tw in &team.weeks {
            for s in &tw.signals {
                let Ok(v) = &s.value else { continue };
                if s.members_with_data < c.min_group_size {
                    continue;
                }
                if let Some(value) = v.headline(s.id) {
                    out.push(Aggregate {
                        team: team.team.clone(),
                        week: tw.week.monday(),
                        signal: s.id.as_str().to_owned(),
                        value,
                        members: s.members_with_data,
                    });
                }
            }
        }
    }
    out
}

/// Chat replayed from the store, one platform at a time.
struct StoredFeed {
    chats: Vec<StoredChat>,
}

impl ChatFeed for StoredFeed {
    fn exports(&self) -> Vec<String> {
        self.chats
            .iter()
            .map(|c| format!("store: {} ({})", c.platform, c.sources.join(", ")))
            .collect()
    }

    fn read(
        &mut self,
        i: usize,
        sink: &mut dyn ChatSink,
    ) -> Result<(Vec<SourceUser>, u64), Diagnostic> {
        let Some(chat) = self.chats.get_mut(i) else {
            return Err(Diagnostic::error(
                "store",
                format!("no stored chat number {i}"),
            ));
        };
        let index: HashMap<&str, usize> = chat
            .conversations
            .iter()
            .enumerate()
            .map(|(i, c)| (&*c.id, i))
            .collect();
        let messages = std::mem::take(&mut chat.messages);
        let mut orphans = 0u64;
        for m in messages {
            match index.get(&*m.conversation) {
                Some(&ci) => sink.message(ci, &chat.conversations[ci], m),
                None => orphans += 1,
            }
        }
        Ok((std::mem::take(&mut chat.users), chat.skipped + orphans))
    }
}

/// Computes the report from the store: the same steps as
/// [`crate::report::compute_report`], with records in place of files.
pub async fn compute_from_store<S: Storage>(
    store: &S,
    req: &ReportRequest,
    progress: &mut (dyn FnMut(Progress) + Send),
) -> Result<Computed, StoredError> {
    let ws = load_workspace(&req.root)?;
    let w = &ws.workspace;
    if w.people.is_empty() {
        return Err(ReportError::NoPeople(req.root.join(crate::workspace::WORKSPACE_FILE)).into());
    }
    let mut problems: Vec<Diagnostic> = unfinished_import(store).await?.into_iter().collect();
    let mut inputs = Inputs {
        people: w.people.len(),
        ..Inputs::default()
    };
    let chats = store.chats(None, None).await?;
    let seen: Vec<SourceUser> = if w.people.iter().any(|p| p.tz.is_none()) {
        chats.iter().flat_map(|c| c.users.iter().cloned()).collect()
    } else {
        Vec::new()
    };
    let directory = Directory::build(&w.team, &w.people, &seen)
        .map_err(|e| StoredError::Workspace(WorkspaceError::Config(e)))?;
    let people: Vec<Person> = directory.people().to_vec();
    let params = params_of(&w.policy);

    // The span of the data: stored calendars' spans, rows' dates.
    let epoch = DateTime::<Utc>::UNIX_EPOCH;
    let metas = store.calendars(epoch, epoch).await?;
    let mut span = DataSpan::default();
    for m in &metas {
        for d in m.data_first.into_iter().chain(m.data_last) {
            span.see(d);
        }
    }
    inputs.calendar_files = metas.len();
    let work_rows: Vec<WorkItemRow> = store
        .rows(RowKind::WorkItem)
        .await?
        .into_iter()
        .map(|r| WorkItemRow {
            who: r.row.who,
            closed_at: r.row.at,
        })
        .collect();
    let mut pulse_rows: Vec<PulseRow> = store
        .rows(RowKind::Pulse)
        .await?
        .into_iter()
        .map(|r| PulseRow {
            who: r.row.who,
            week_start: Week::of_date(r.row.at.date_naive()).monday(),
            score: r.row.score.unwrap_or(0.0),
        })
        .collect();
    // The team server's workflow objects (asks, updates, proposals,
    // meeting records, incidents, pulse): exact where chat is guessed.
    let objects = store.export_workflow(None).await?;
    crate::written::add_stored_pulse(&mut pulse_rows, &objects);
    // They are data too: a team writing on the server has data that week.
    for o in &objects {
        span.see(o.created_at.date_naive());
        span.see(o.updated_at.date_naive());
    }
    for r in &work_rows {
        span.see(r.closed_at.date_naive());
    }
    for r in &pulse_rows {
        span.see(r.week_start);
    }
    let (window, window_rule) =
        choose_window(req.from, req.to, span.bounds(), Utc::now().date_naive())?;

    // Occurrences of the window, by the expander's own rule.
    let bounds = window.instant_bounds();
    let opts = ExpandOptions::window(
        Bound::Instant(bounds.start.fixed_offset()),
        Bound::Instant(bounds.end.fixed_offset()),
    );
    let slack = Duration::days(2);
    let stored = store
        .calendars(bounds.start - slack, bounds.end + slack)
        .await?;
    let mut owned: Vec<Option<Vec<Occurrence>>> = vec![None; people.len()];
    for cal in stored {
        let owner = cal.owner.as_deref().and_then(|e| by_list(&directory, e));
        let Some(owner) = owner else {
            problems.push(no_owner(&cal.file, "file skipped"));
            continue;
        };
        if cal.expanded_from > bounds.start || cal.expanded_to < bounds.end {
            problems.push(
                Diagnostic::warning(
                    cal.file.as_str(),
                    format!(
                        "the store holds this calendar from {} to {}; the window {} to {} reaches past that",
                        cal.expanded_from.date_naive(),
                        cal.expanded_to.date_naive(),
                        window.from,
                        window.to
                    ),
                )
                .with_help("raise [store] horizon_weeks and import again"),
            );
        }
        let occ: Vec<Occurrence> = cal
            .occurrences
            .into_iter()
            .filter(|o| opts.keeps(&o.start, &o.end))
            .collect();
        inputs.calendars_owned += 1;
        owned[owner].get_or_insert_with(Vec::new).extend(occ);
        if cal.problems > 0 {
            problems.push(read_problems(&cal.file, cal.problems as usize));
        }
    }
    inputs.workflow_objects = objects.len() as u64;
    let workflow = (!objects.is_empty())
        .then(|| crate::written::workflow_facts(&objects, &directory, w, Utc::now()));
    drop(objects);
    let gathered = Gathered {
        ws,
        directory,
        people,
        params,
        window,
        window_rule,
        data_end: span.bounds().map(|(_, last)| last),
        calendars: PersonCalendars::ready(owned),
        inputs,
        problems,
        timings: Vec::new(),
        work_present: !work_rows.is_empty(),
        work_rows,
        pulse_present: !pulse_rows.is_empty(),
        pulse_rows,
        workflow,
    };
    let mut feed = StoredFeed { chats };
    Ok(analyse(gathered, &mut feed, progress))
}

/// The keys that name a person in stored records: the people list's email
/// and aliases of the person with this address, or the address alone when
/// the list does not have it.
pub fn person_keys(ws: &LoadedWorkspace, email: &str) -> Result<PersonKeys, StoredError> {
    let w = &ws.workspace;
    let directory = Directory::build(&w.team, &w.people, &[])
        .map_err(|e| StoredError::Workspace(WorkspaceError::Config(e)))?;
    let email = email.trim().to_lowercase();
    match by_list(&directory, &email).and_then(|i| directory.people().get(i)) {
        Some(p) => Ok(PersonKeys {
            email: p.email.to_lowercase(),
            aliases: p.aliases.iter().map(|a| a.to_lowercase()).collect(),
        }),
        None => Ok(PersonKeys {
            email,
            aliases: Vec::new(),
        }),
    }
}

/// `fulcrum forget --person EMAIL`: erases the person's records from the
/// store.
pub async fn forget_person<S: Storage>(
    store: &S,
    root: &Path,
    email: &str,
) -> Result<ForgetReport, StoredError> {
    let ws = load_workspace(root)?;
    let keys = person_keys(&ws, email)?;
    Ok(store.forget(keys).await?)
}

/// The people's own calendars from the store over `from..=to` (with the
/// two days of slack [`crate::focus::expand_options`] gives), as
/// [`crate::focus::load`] reads them from files.
pub async fn focus_calendars<S: Storage>(
    store: &S,
    computed: &Computed,
    from: chrono::NaiveDate,
    to: chrono::NaiveDate,
) -> Result<crate::focus::Loaded, StoredError> {
    let opts = crate::focus::expand_options(from, to);
    let at = |d: chrono::NaiveDate| d.and_time(chrono::NaiveTime::MIN).and_utc();
    let w = &computed.workspace.workspace;
    let directory = Directory::build(&w.team, &w.people, &[])
        .map_err(|e| StoredError::Workspace(WorkspaceError::Config(e)))?;
    let people = computed.people.clone();
    let mut calendars: Vec<Option<Vec<Occurrence>>> = vec![None; people.len()];
    let mut problems = Vec::new();
    for cal in store
        .calendars(at(from) - Duration::days(4), at(to) + Duration::days(5))
        .await?
    {
        let Some(owner) = cal.owner.as_deref().and_then(|e| by_list(&directory, e)) else {
            problems.push(no_owner(&cal.file, "left out"));
            continue;
        };
        let Some(slot) = calendars.get_mut(owner) else {
            continue;
        };
        slot.get_or_insert_with(Vec::new).extend(
            cal.occurrences
                .into_iter()
                .filter(|o| opts.keeps(&o.start, &o.end)),
        );
    }
    Ok(crate::focus::Loaded {
        people,
        calendars,
        policy: w.policy.clone(),
        problems,
    })
}

/// What the server shows, from the store: the report of the default window
/// and each person's focus blocks for the current or next week.
pub async fn snapshot_from_store<S: Storage>(
    store: &S,
    root: &Path,
    now: DateTime<Utc>,
) -> Result<crate::dashboard::Snapshot, StoredError> {
    let req = ReportRequest {
        root: root.to_owned(),
        from: None,
        to: None,
        limits: Limits::default(),
    };
    let computed = compute_from_store(store, &req, &mut |_| {}).await?;
    let (from, to) = crate::dashboard::focus_dates(now.date_naive());
    let calendars = focus_calendars(store, &computed, from, to).await?;
    Ok(crate::dashboard::Snapshot::from_computed_with_calendars(
        &computed, &calendars, now,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fingerprints_of_a_file_and_of_its_bytes_agree() {
        // FNV-1a 64 of "a": 0xaf63dc4c8601ec8c (the published test vector).
        assert_eq!(fingerprint_bytes(b"a"), "fnv1a64:af63dc4c8601ec8c:1");
        let path = std::env::temp_dir().join(format!("fulcrum-fp-{}.ics", std::process::id()));
        std::fs::write(&path, b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n").unwrap();
        let from_file = fingerprint(&path).unwrap();
        let _ = std::fs::remove_file(&path);
        assert_eq!(
            from_file,
            fingerprint_bytes(b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n")
        );
    }
}
