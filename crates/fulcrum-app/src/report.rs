//! `fulcrum report`: load the workspace, read every source, compute the
//! signals, the findings and the activity histograms.
//!
//! The pipeline:
//! 1. Load `fulcrum.toml` and `people.csv`; build the identity
//!    [`Directory`] (chat exports are read once beforehand only when some
//!    person has no time zone on the list, as the identity rules take
//!    zones from the exports).
//! 2. A first pass over the calendar files (in parallel, keeping only each
//!    file's data span and owner: [`crate::sources`]), work items and pulse
//!    answers; choose the window ([`choose_window`]).
//! 3. [`calendar_pass`]: batches of people in parallel, each person's files
//!    read, expanded over the window and turned into meetings and weekly
//!    signals ([`Analysis::prepare_calendar`]), then folded in list order
//!    ([`Analysis::add_calendar`], [`CalendarScan::add_person`]) and dropped.
//! 4. Stream each chat export into the analysis and the [`ChatScan`]. A
//!    message whose author or @mentions do not resolve by the people list's
//!    emails and aliases is held back (metadata only) and replayed once the
//!    export's user directory is known, so an account matched by its
//!    profile email still counts.
//! 5. Work items and pulse answers; [`Analysis::finish`]; findings.

use crate::chat::read_export_pipelined;
use crate::sources::{PersonCalendars, in_file_order, plan_calendars};
use crate::workspace::{LoadedWorkspace, WorkspaceError, load_workspace_with_people, source_paths};
use chrono::{Duration, NaiveDate, Utc};
use fulcrum_analysis::findings::activity::{CalendarScan, finish};
use fulcrum_analysis::findings::hash::HashKey;
use fulcrum_analysis::findings::{Activity, ChatScan, TeamAssessment, Thresholds, evaluate};
use fulcrum_analysis::{Analysis, Params, PulseAnswer, Signals, Week, Window, WorkItem};
use fulcrum_chat::{ChatSink, Limits};
use fulcrum_ics::{Bound, ExpandOptions};
use fulcrum_model::Person;
use fulcrum_model::chat::{ChatMessage, Conversation, ConversationKind};
use fulcrum_model::diagnostic::Diagnostic;
use fulcrum_model::fxhash::FxHashMap;
use fulcrum_model::identity::Resolved;
use fulcrum_rows::{PulseRow, WorkItemRow, read_pulse, read_work_items};
use fulcrum_workspace::{Directory, Policy};
use rayon::prelude::*;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// The default window length when the command line gives no start.
pub const DEFAULT_WEEKS: i64 = 13;

/// What to compute.
#[derive(Debug, Clone)]
pub struct ReportRequest {
    /// The workspace folder.
    pub root: PathBuf,
    /// First day (its whole ISO week is computed).
    pub from: Option<NaiveDate>,
    /// Last day (its whole ISO week is computed).
    pub to: Option<NaiveDate>,
    /// Chat reader limits.
    pub limits: Limits,
}

/// Progress of the reading, for a progress line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Progress {
    /// People whose calendars are read and computed so far, of all.
    Calendars {
        /// Done.
        done: usize,
        /// Of.
        total: usize,
    },
    /// Messages read from a chat export so far.
    Chat {
        /// The export.
        export: String,
        /// Messages so far.
        messages: u64,
    },
    /// Computing signals and findings.
    Computing,
}

/// Why the report could not be computed.
#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    /// The workspace could not be loaded.
    #[error(transparent)]
    Workspace(#[from] WorkspaceError),
    /// The people list is empty.
    #[error("{0}: no people: add [[people]] entries or a people.csv ([team] people_csv)")]
    NoPeople(PathBuf),
    /// The window is empty or reversed.
    #[error("--from {from} is after --to {to}")]
    Window {
        /// First day.
        from: NaiveDate,
        /// Last day.
        to: NaiveDate,
    },
}

/// What the sources held, for the report's "inputs" section.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Inputs {
    /// People on the list.
    pub people: usize,
    /// Calendar files read.
    pub calendar_files: usize,
    /// Calendar files given to a person.
    pub calendars_owned: usize,
    /// Occurrences in the window.
    pub occurrences: usize,
    /// Chat exports read.
    pub chat_exports: usize,
    /// Chat messages read.
    pub messages: u64,
    /// Work items closed (rows with a completion time).
    pub work_items: u64,
    /// Pulse answers.
    pub pulse_answers: u64,
    /// The team server's workflow objects read (a report from the store).
    pub workflow_objects: u64,
}

impl Inputs {
    /// The report's "inputs" lines: counts only, no path or file name.
    pub fn lines(&self) -> Vec<(String, String)> {
        vec![
            ("people".to_owned(), self.people.to_string()),
            (
                "calendars".to_owned(),
                format!(
                    "{} files read, {} given to a person; {} occurrences in the window",
                    self.calendar_files, self.calendars_owned, self.occurrences
                ),
            ),
            (
                "chat".to_owned(),
                format!(
                    "{} exports, {} messages (text never kept)",
                    self.chat_exports, self.messages
                ),
            ),
            ("work items closed".to_owned(), self.work_items.to_string()),
            ("pulse answers".to_owned(), self.pulse_answers.to_string()),
        ]
        .into_iter()
        .chain((self.workflow_objects > 0).then(|| {
            (
                "workflow objects".to_owned(),
                format!(
                    "{} asks, updates, proposals, meeting records and incidents of the team server",
                    self.workflow_objects
                ),
            )
        }))
        .collect()
    }
}

/// Everything `fulcrum report` renders.
#[derive(Debug)]
pub struct Computed {
    /// The workspace.
    pub workspace: LoadedWorkspace,
    /// The people (time zones resolved), in the analysis' order.
    pub people: Vec<Person>,
    /// The window.
    pub window: Window,
    /// How the window was chosen, in words.
    pub window_rule: String,
    /// The last day with data, when the sources are dated: later weeks hold
    /// only plans.
    pub data_end: Option<NaiveDate>,
    /// The signals.
    pub signals: Signals,
    /// The findings per team.
    pub assessments: Vec<TeamAssessment>,
    /// Hour-of-week histograms.
    pub activity: Activity,
    /// The thresholds in force.
    pub thresholds: Thresholds,
    /// The minimum group size.
    pub min_group_size: u32,
    /// The workspace's key for title hashes and pseudonyms.
    pub key: HashKey,
    /// Where the key came from, in words.
    pub key_source: String,
    /// What was read.
    pub inputs: Inputs,
    /// Problems, each naming its file, line or entry.
    pub problems: Vec<Diagnostic>,
    /// Seconds spent per stage, in order (for benchmarks).
    pub timings: Vec<(&'static str, f64)>,
}

/// The signal parameters of a policy.
pub fn params_of(policy: &Policy) -> Params {
    Params {
        min_group_size: policy.min_group_size,
        count_tentative: policy.meetings.count_tentative,
        focus_min_block_minutes: policy.focus.min_block_minutes,
        short_meeting_minutes: policy.meetings.short_minutes,
        short_notice_hours: policy.meetings.short_notice_hours,
        timebox_minutes: policy.meetings.max_minutes,
        max_attendees: policy.meetings.max_attendees,
        async_minutes_per_message: policy.chat.async_minutes_per_message,
        unanswered_after_business_days: policy.chat.unanswered_after_business_days,
        exchange_gap_hours: policy.chat.exchange_gap_hours,
        huddle_minutes: policy.chat.huddle_minutes,
        urgent_sla_hours: policy.sla_hours.get("urgent").copied().unwrap_or(2.0),
        normal_sla_hours: policy.sla_hours.get("normal").copied().unwrap_or(24.0),
        urgent_channels: policy.chat.urgent_channels.clone(),
        hourly_rate: policy
            .meetings
            .hourly_rate
            .unwrap_or(Params::default().hourly_rate),
        ..Params::default()
    }
}

/// The finding thresholds of a policy.
pub fn thresholds_of(policy: &Policy) -> Thresholds {
    Thresholds::with(policy.thresholds.iter().map(|(k, v)| (k.as_str(), *v))).0
}

/// The window: the given days; without them, the span of the data (timed
/// one-off calendar events before the calendars were exported, completed
/// work items, pulse weeks; chat dates when none of these is dated) but at
/// most its last [`DEFAULT_WEEKS`] ISO
/// weeks; with no data at all, the [`DEFAULT_WEEKS`] ISO weeks up to
/// `today`. With only `--from`, up to the end of the data (or `today`);
/// with only `--to`, the [`DEFAULT_WEEKS`] ISO weeks up to it.
pub fn choose_window(
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
    span: Option<(NaiveDate, NaiveDate)>,
    today: NaiveDate,
) -> Result<(Window, String), ReportError> {
    // The DEFAULT_WEEKS whole ISO weeks ending with the week of `last`.
    let back = |last: NaiveDate| Week::of_date(last).monday() - Duration::weeks(DEFAULT_WEEKS - 1);
    let (from, to, rule) = match (from, to, span) {
        (Some(f), Some(t), _) => (f, t, "as given".to_owned()),
        (Some(f), None, Some((_, last))) => (
            f,
            last.max(f),
            "from the given day to the end of the data".to_owned(),
        ),
        (Some(f), None, None) => (f, today.max(f), "from the given day to today".to_owned()),
        (None, Some(t), _) => (
            back(t),
            t,
            format!("the {DEFAULT_WEEKS} weeks up to the given day"),
        ),
        (None, None, Some((first, last))) => {
            let start = first.max(back(last));
            let rule = if start > first {
                format!("the last {DEFAULT_WEEKS} weeks of the data")
            } else {
                "the span of the data".to_owned()
            };
            (start, last, rule)
        }
        (None, None, None) => (
            back(today),
            today,
            format!("no dated data: the {DEFAULT_WEEKS} weeks up to today"),
        ),
    };
    if from > to {
        return Err(ReportError::Window { from, to });
    }
    Ok((Window { from, to }, rule))
}

/// The one person a calendar file is named after (its name without `.ics`
/// equal to an email, an alias or an email's local part), if exactly one
/// person fits; the first of [`calendar_owner`]'s rules, which needs no
/// parsing.
pub fn owner_by_name(path: &Path, people: &[Person]) -> Option<usize> {
    let stem = path.file_stem()?.to_str()?.to_lowercase();
    // Every file is matched against every person: an ASCII alias is
    // compared without lower-casing a copy of it (`stem` has no upper-case
    // ASCII letter, so ignoring ASCII case is the same comparison).
    let alias_is_stem = |a: &str| {
        if a.is_ascii() {
            a.eq_ignore_ascii_case(&stem)
        } else {
            a.to_lowercase() == stem
        }
    };
    let mut by_name = people.iter().enumerate().filter(|(_, p)| {
        p.email == stem
            || p.email.split('@').next() == Some(stem.as_str())
            || p.aliases.iter().any(|a| alias_is_stem(a))
    });
    match (by_name.next(), by_name.next()) {
        (Some((one, _)), None) => Some(one),
        _ => None,
    }
}

/// The person a calendar file belongs to: the file name (without `.ics`)
/// equal to an email, an alias or an email's local part of exactly one
/// person; otherwise the listed person who appears (as organizer or
/// attendee) in the most of its events, when that is at least half of
/// them.
pub fn calendar_owner(
    path: &Path,
    people: &[Person],
    directory: &Directory,
    events: &[fulcrum_ics::event::EventComponent],
) -> Option<usize> {
    if let Some(one) = owner_by_name(path, people) {
        return Some(one);
    }
    let mut counts: HashMap<usize, usize> = HashMap::new();
    for e in events {
        let mut seen: Vec<usize> = e
            .details
            .organizer
            .iter()
            .map(|o| o.email.as_str())
            .chain(e.details.attendees.iter().map(|a| a.who.email.as_str()))
            .filter_map(|a| match directory.resolve_address(a) {
                Resolved::Person(i) => Some(i),
                _ => None,
            })
            .collect();
        seen.sort_unstable();
        seen.dedup();
        for i in seen {
            *counts.entry(i).or_default() += 1;
        }
    }
    counts
        .into_iter()
        .max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(&a.0)))
        .filter(|(_, n)| *n * 2 >= events.len() && *n > 0)
        .map(|(i, _)| i)
}

/// Reads (or creates) the workspace's key: `FULCRUM_REPORT_KEY` (32 hex
/// digits) when set; else `.fulcrum/report.key` in the workspace, created
/// with 16 random bytes from the operating system on first use; when it
/// cannot be written, a key derived from the workspace's `fulcrum.toml`
/// (stable while the file does not change; said so in the report).
pub fn workspace_key(root: &Path) -> (HashKey, String) {
    fn parse_hex(s: &str) -> Option<[u8; 16]> {
        let s = s.trim();
        if s.len() != 32 {
            return None;
        }
        let mut out = [0u8; 16];
        for (i, b) in out.iter_mut().enumerate() {
            *b = u8::from_str_radix(s.get(2 * i..2 * i + 2)?, 16).ok()?;
        }
        Some(out)
    }
    if let Ok(v) = std::env::var("FULCRUM_REPORT_KEY")
        && let Some(k) = parse_hex(&v)
    {
        return (
            HashKey(k),
            "the FULCRUM_REPORT_KEY environment variable".to_owned(),
        );
    }
    let path = root.join(".fulcrum").join("report.key");
    if let Ok(text) = std::fs::read_to_string(&path)
        && let Some(k) = parse_hex(&text)
    {
        return (HashKey(k), path.display().to_string());
    }
    let mut fresh = [0u8; 16];
    let random = std::fs::File::open("/dev/urandom")
        .and_then(|mut f| std::io::Read::read_exact(&mut f, &mut fresh))
        .is_ok();
    if random {
        let hex: String = fresh.iter().map(|b| format!("{b:02x}")).collect();
        let written = std::fs::create_dir_all(root.join(".fulcrum"))
            .and_then(|()| std::fs::write(&path, format!("{hex}\n")));
        if written.is_ok() {
            return (HashKey(fresh), format!("{} (created)", path.display()));
        }
    }
    let text = std::fs::read(root.join(crate::workspace::WORKSPACE_FILE)).unwrap_or_default();
    let base = HashKey(*b"fulcrum-report-k");
    let (a, b) = (base.hash(&text), base.hash(&[&text[..], b"2"].concat()));
    let mut k = [0u8; 16];
    k[..8].copy_from_slice(&a.to_le_bytes());
    k[8..].copy_from_slice(&b.to_le_bytes());
    (
        HashKey(k),
        format!(
            "derived from fulcrum.toml ({} could not be written)",
            path.display()
        ),
    )
}

/// A message held back until its export's user directory is known.
struct Held {
    conversation: usize,
    message: ChatMessage,
}

/// Feeds one export's messages to the analysis and the chat scan.
struct ReportSink<'a> {
    analysis: &'a mut Analysis,
    scan: &'a mut ChatScan,
    directory: &'a CachedList<'a>,
    held: Vec<Held>,
    /// Conversations with a message held back.
    held_in: std::collections::HashSet<usize>,
    conversations: Vec<Conversation>,
    dm_resolved: HashMap<usize, bool>,
    /// Accounts of the export's user directory, by id, as far as the reader
    /// told them before the messages ([`ChatSink::users`]).
    early: FxHashMap<String, usize>,
    messages: u64,
    export: String,
    progress: &'a mut dyn FnMut(Progress),
    /// The chat read range ([`ChatRange`]): messages dated outside it are
    /// not read.
    range: ChatRange,
    /// A message dated after the range was seen: the chat data goes on
    /// after it.
    after_range: bool,
}

/// The UTC dates of chat a report reads: the window's weeks widened by
/// `Params::chat_margin_days` on each side (SIGNALS.md, "chat read
/// range"). Files and stored messages give the same report because both
/// pass through this one filter in [`ReportSink`]; the readers' own date
/// prefilter ([`Limits::dates`]) is one day wider, so a day file named in
/// another zone than UTC loses nothing.
#[derive(Debug, Clone, Copy)]
pub(crate) struct ChatRange {
    first: NaiveDate,
    last: NaiveDate,
}

impl ChatRange {
    pub(crate) fn of(window: &Window, params: &Params) -> ChatRange {
        let (first, last) = window.chat_dates(params.chat_margin_days);
        ChatRange { first, last }
    }

    /// What the readers are told to leave out before inflating or parsing.
    fn prefilter(&self) -> fulcrum_chat::DateRange {
        fulcrum_chat::DateRange::new(
            self.first - Duration::days(1),
            self.last + Duration::days(1),
        )
    }

    /// Where the chat data ends for the report when it goes on after the
    /// range: the end of its last day, UTC.
    fn end(&self) -> chrono::DateTime<Utc> {
        (self.last + Duration::days(1))
            .and_time(chrono::NaiveTime::MIN)
            .and_utc()
    }
}

/// [`by_list`] with a cache: chat repeats the same few thousand ids
/// millions of times, and the directory lower-cases every key it looks up.
struct CachedList<'d> {
    directory: &'d Directory,
    cache: std::cell::RefCell<FxHashMap<Box<str>, Option<usize>>>,
}

impl CachedList<'_> {
    fn get(&self, key: &str) -> Option<usize> {
        if let Some(hit) = self.cache.borrow().get(key) {
            return *hit;
        }
        let found = by_list(self.directory, key);
        self.cache.borrow_mut().insert(key.into(), found);
        found
    }
}

/// The person an address or alias names, by the people list alone.
pub(crate) fn by_list(directory: &Directory, key: &str) -> Option<usize> {
    match directory.resolve_address(key) {
        Resolved::Person(i) => Some(i),
        _ => None,
    }
}

impl ChatSink for ReportSink<'_> {
    fn users(&mut self, users: &[fulcrum_model::identity::SourceUser]) {
        for u in users {
            if let Resolved::Person(i) = self.directory.directory.resolve_user(u) {
                self.early.insert(u.id.clone(), i);
            }
        }
    }

    fn message(&mut self, index: usize, conversation: &Conversation, message: ChatMessage) {
        let date = message.at.date_naive();
        if date > self.range.last {
            self.after_range = true;
            return;
        }
        if date < self.range.first {
            return;
        }
        self.messages += 1;
        if self.messages.is_multiple_of(20_000) {
            (self.progress)(Progress::Chat {
                export: self.export.clone(),
                messages: self.messages,
            });
        }
        let dir = self.directory;
        let early = &self.early;
        let resolves = |k: &str| dir.get(k).is_some() || early.contains_key(k);
        let dm_ok = conversation.kind != ConversationKind::Dm
            || *self
                .dm_resolved
                .entry(index)
                .or_insert_with(|| conversation.members.iter().all(|m| resolves(m)));
        let ok = dm_ok
            && message.author.as_deref().is_none_or(resolves)
            && message.mentions.users.iter().all(|u| resolves(u));
        if ok {
            let users = |k: &str| dir.get(k).or_else(|| early.get(k).copied());
            self.analysis.add_message(conversation, &message, &users);
            self.scan.add_message(conversation, &message, &users);
        } else {
            if self.conversations.len() <= index {
                self.conversations.resize_with(index + 1, || Conversation {
                    id: "".into(),
                    name: String::new(),
                    kind: ConversationKind::Channel,
                    members: Vec::new(),
                });
            }
            if self.conversations[index].id.is_empty() {
                self.conversations[index] = conversation.clone();
            }
            self.held_in.insert(index);
            self.held.push(Held {
                conversation: index,
                message,
            });
        }
    }

    fn conversation_done(&mut self, index: usize, conversation: &Conversation) {
        // Readers say a conversation is done only once they have told the
        // export's whole user directory ([`ChatSink::conversation_done`]):
        // its held messages resolve now as they would at the end.
        if self.held_in.remove(&index) {
            let (mine, rest): (Vec<Held>, Vec<Held>) = std::mem::take(&mut self.held)
                .into_iter()
                .partition(|h| h.conversation == index);
            self.held = rest;
            let dir = self.directory;
            let early = &self.early;
            let users = |k: &str| dir.get(k).or_else(|| early.get(k).copied());
            for h in &mine {
                self.analysis.add_message(conversation, &h.message, &users);
                self.scan.add_message(conversation, &h.message, &users);
            }
        }
        self.analysis.end_conversation(conversation);
    }
}

/// Computes everything the report shows. `progress` is told how reading goes.
pub fn compute_report(
    req: &ReportRequest,
    progress: &mut dyn FnMut(Progress),
) -> Result<Computed, ReportError> {
    let mut timings: Vec<(&'static str, f64)> = Vec::new();
    let mut clock = std::time::Instant::now();
    let mut lap = |name: &'static str, timings: &mut Vec<(&'static str, f64)>| {
        timings.push((name, clock.elapsed().as_secs_f64()));
        clock = std::time::Instant::now();
    };
    let ws = load_workspace_with_people(&req.root)?;
    let w = &ws.workspace;
    let mut problems: Vec<Diagnostic> = Vec::new();
    let mut inputs = Inputs {
        people: w.people.len(),
        ..Inputs::default()
    };
    let glob = |patterns: &[String], what: &str, problems: &mut Vec<Diagnostic>| {
        source_paths(&ws.root, patterns, what, problems)
    };
    let calendar_paths = glob(&w.sources.calendars, "calendars", &mut problems)?;
    problems.extend(crate::sources::caldav_not_read(&w.sources.caldav));
    let chat_paths = glob(&w.sources.chat, "chat", &mut problems)?;
    let work_paths = glob(&w.sources.work_items, "work_items", &mut problems)?;
    let pulse_paths = glob(&w.sources.pulse, "pulse", &mut problems)?;

    // Identities. Zones come from chat exports only for people the list
    // leaves without one; read the user directories first only then.
    let seen = if w.people.iter().any(|p| p.tz.is_none()) {
        let mut users = Vec::new();
        for p in &chat_paths {
            if let Ok(u) = crate::chat::export_users(p, &req.limits) {
                users.extend(u);
            }
        }
        users
    } else {
        Vec::new()
    };
    let directory = Directory::build(&w.team, &w.people, &seen)
        .map_err(|e| ReportError::Workspace(WorkspaceError::Config(e)))?;
    let people: Vec<Person> = directory.people().to_vec();
    let params = params_of(&w.policy);

    // Calendars, work items and pulse first: their dates choose the window.
    // The calendars' first pass keeps only their spans and owners.
    let plan = plan_calendars(&calendar_paths, &people, &directory);
    let mut span = plan.span.clone();
    problems.extend(plan.unreadable.iter().map(|u| u.diagnostic("file skipped")));
    inputs.calendar_files = plan.files_read;
    inputs.calendars_owned = plan.files_owned;
    let mut work_rows = Vec::new();
    for path in &work_paths {
        match std::fs::read_to_string(path) {
            Ok(text) => {
                let (rows, p) = read_work_items(&text, &path.display().to_string());
                problems.extend(p);
                work_rows.extend(rows);
            }
            Err(e) => problems.push(io_problem(path, &e)),
        }
    }
    for r in &work_rows {
        span.see(r.closed_at.date_naive());
    }
    let mut pulse_rows = Vec::new();
    for path in &pulse_paths {
        match std::fs::read_to_string(path) {
            Ok(text) => {
                let (rows, p) = read_pulse(&text, &path.display().to_string());
                problems.extend(p);
                pulse_rows.extend(rows);
            }
            Err(e) => problems.push(io_problem(path, &e)),
        }
    }
    for r in &pulse_rows {
        span.see(r.week_start);
    }
    // Chat dates decide the span only when nothing else is dated: a chat
    // export's last day file often falls after the calendars' export (a
    // Sunday evening in one zone is Monday in UTC), and would move the
    // window onto a nearly empty week.
    if span.bounds().is_none() {
        for path in &chat_paths {
            if let Ok(Some((first, last))) = crate::chat::export_dates(path, &req.limits) {
                span.see(first);
                span.see(last);
            }
        }
    }
    lap("parse calendars, work items, pulse", &mut timings);
    let (window, window_rule) =
        choose_window(req.from, req.to, span.bounds(), Utc::now().date_naive())?;

    // Each person's calendar is read and expanded over the window in
    // `analyse`, one person at a time.
    let bounds = window.instant_bounds();
    let opts = ExpandOptions::window(
        Bound::Instant(bounds.start.fixed_offset()),
        Bound::Instant(bounds.end.fixed_offset()),
    );
    let calendars = plan.into_calendars(opts);
    // Day files and Mattermost threads outside the chat read range are left
    // out before they are inflated or parsed.
    let mut limits = req.limits;
    let range = ChatRange::of(&window, &params).prefilter();
    limits.dates = Some(limits.dates.map_or(range, |d| {
        fulcrum_chat::DateRange::new(d.first.max(range.first), d.last.min(range.last))
    }));
    let mut feed = FileChat {
        paths: &chat_paths,
        limits,
        problems: Vec::new(),
        after_range: false,
    };
    let gathered = Gathered {
        ws,
        directory,
        people,
        params,
        window,
        window_rule,
        data_end: span.bounds().map(|(_, last)| last),
        calendars,
        inputs,
        problems,
        timings,
        work_rows,
        work_present: !work_paths.is_empty(),
        pulse_rows,
        pulse_present: !pulse_paths.is_empty(),
        workflow: None,
    };
    Ok(analyse(gathered, &mut feed, progress))
}

/// A note saying which weeks team values left people out because they were
/// away (holidays, leave), if any.
fn away_note(signals: &fulcrum_analysis::Signals) -> Option<Diagnostic> {
    let away: u32 = signals
        .teams
        .iter()
        .flat_map(|t| &t.weeks)
        .map(|w| w.members_away)
        .sum();
    if away == 0 {
        return None;
    }
    let whole: Vec<String> = signals
        .teams
        .iter()
        .flat_map(|t| {
            t.weeks
                .iter()
                .filter(|w| {
                    w.signals
                        .first()
                        .is_some_and(|s| s.value == Err(fulcrum_analysis::Unknown::TeamAway))
                })
                .map(move |w| format!("{} {}", t.team, w.week))
        })
        .collect();
    let mut message = format!(
        "{away} person-week(s) of people away most of the week (working time under half of their usual week) were left out of team values"
    );
    if !whole.is_empty() {
        message.push_str(&format!(
            "; {} team-week(s) with half the team or more away were left out of findings: {}",
            whole.len(),
            whole.join(", ")
        ));
    }
    Some(Diagnostic::note("people", message))
}

/// A file that could not be read.
pub(crate) fn io_problem(path: &Path, e: &std::io::Error) -> Diagnostic {
    Diagnostic::error(path.display().to_string(), format!("{e}; file skipped"))
}

/// Records a chat reader skipped in an export.
pub(crate) fn chat_skipped(export: &str, skipped: u64) -> Diagnostic {
    Diagnostic::warning(export, format!("{skipped} record(s) skipped"))
        .with_help(format!("see `fulcrum chat summary {export}` for each one"))
}

/// Records that an export had no user directory (a Slack export without
/// `users.json`): people are told from bots by the messages alone.
pub(crate) fn no_user_directory(export: &str) -> Diagnostic {
    Diagnostic::warning(
        export,
        "the Slack export has no users.json: authors are known by id only, and bots only by \
         their messages' bot_id or subtype; people's names and time zones are not known",
    )
    .with_help("export again with the member list (a standard Slack export includes users.json)")
}

/// Where chat messages come from: export files, or the store.
pub(crate) trait ChatFeed {
    /// The exports, by name.
    fn exports(&self) -> Vec<String>;
    /// Streams export `i` into `sink`; returns its user directory and the
    /// records its reader skipped.
    fn read(
        &mut self,
        i: usize,
        sink: &mut dyn ChatSink,
    ) -> Result<(Vec<fulcrum_model::identity::SourceUser>, u64), Diagnostic>;
    /// Problems of the export last read that are not records skipped (a
    /// missing user directory); none by default.
    fn take_problems(&mut self) -> Vec<Diagnostic> {
        Vec::new()
    }
    /// True when an export held messages dated after the range its reader
    /// was told to read, left out unread; none by default.
    fn left_out_after_range(&self) -> bool {
        false
    }
}

/// Chat read from export files.
struct FileChat<'a> {
    paths: &'a [PathBuf],
    limits: Limits,
    /// See [`ChatFeed::take_problems`].
    problems: Vec<Diagnostic>,
    /// See [`ChatFeed::left_out_after_range`].
    after_range: bool,
}

impl ChatFeed for FileChat<'_> {
    fn exports(&self) -> Vec<String> {
        self.paths.iter().map(|p| p.display().to_string()).collect()
    }

    fn read(
        &mut self,
        i: usize,
        sink: &mut dyn ChatSink,
    ) -> Result<(Vec<fulcrum_model::identity::SourceUser>, u64), Diagnostic> {
        let path = &self.paths[i];
        let report = read_export_pipelined(path, &self.limits, sink).map_err(|e| e.diagnostic())?;
        if let (Some(range), Some(held)) = (self.limits.dates, report.dates)
            && held.last > range.last
        {
            self.after_range = true;
        }
        if report.no_user_directory {
            self.problems
                .push(no_user_directory(&path.display().to_string()));
        }
        Ok((report.users, report.skipped))
    }

    fn take_problems(&mut self) -> Vec<Diagnostic> {
        std::mem::take(&mut self.problems)
    }

    fn left_out_after_range(&self) -> bool {
        self.after_range
    }
}

/// Everything gathered before the signals are computed, whatever the
/// source (files or the store).
pub(crate) struct Gathered {
    pub(crate) ws: LoadedWorkspace,
    pub(crate) directory: Directory,
    pub(crate) people: Vec<Person>,
    pub(crate) params: Params,
    pub(crate) window: Window,
    pub(crate) window_rule: String,
    /// The last day with data: later weeks are plans, judged on nothing.
    pub(crate) data_end: Option<NaiveDate>,
    /// Each person's calendar over the window, read in `analyse`.
    pub(crate) calendars: PersonCalendars,
    pub(crate) inputs: Inputs,
    pub(crate) problems: Vec<Diagnostic>,
    pub(crate) timings: Vec<(&'static str, f64)>,
    pub(crate) work_rows: Vec<WorkItemRow>,
    pub(crate) work_present: bool,
    pub(crate) pulse_rows: Vec<PulseRow>,
    pub(crate) pulse_present: bool,
    /// The team server's workflow objects, when read from the store.
    pub(crate) workflow: Option<fulcrum_analysis::written::WorkflowFacts>,
}

/// Computes signals, findings and histograms from what was gathered, with
/// chat streamed from `feed`.
pub(crate) fn analyse(
    g: Gathered,
    feed: &mut dyn ChatFeed,
    progress: &mut dyn FnMut(Progress),
) -> Computed {
    let Gathered {
        ws,
        directory,
        people,
        params,
        window,
        window_rule,
        data_end,
        mut calendars,
        mut inputs,
        mut problems,
        mut timings,
        work_rows,
        work_present,
        pulse_rows,
        pulse_present,
        workflow,
    } = g;
    let mut clock = std::time::Instant::now();
    let mut lap = |name: &'static str, timings: &mut Vec<(&'static str, f64)>| {
        timings.push((name, clock.elapsed().as_secs_f64()));
        clock = std::time::Instant::now();
    };
    let addresses = |k: &str| by_list(&directory, k);
    let (key, key_source) = workspace_key(&ws.root);
    let (mut analysis, calendar_scan, calendar_notes) = calendar_pass(
        &people,
        &mut calendars,
        window,
        &params,
        &addresses,
        &key,
        progress,
    );
    drop(calendars);
    inputs.occurrences += calendar_notes.occurrences;
    problems.extend(calendar_notes.lines);
    lap("calendars: read, expand, signals, histograms", &mut timings);

    // Chat, streamed.
    let mut scan = ChatScan::new(&people, window);
    let cached = CachedList {
        directory: &directory,
        cache: Default::default(),
    };
    let range = ChatRange::of(&window, &params);
    let mut after_range = false;
    for (i, export) in feed.exports().into_iter().enumerate() {
        let mut sink = ReportSink {
            analysis: &mut analysis,
            scan: &mut scan,
            directory: &cached,
            held: Vec::new(),
            held_in: Default::default(),
            conversations: Vec::new(),
            dm_resolved: HashMap::new(),
            early: FxHashMap::default(),
            messages: 0,
            export: export.clone(),
            progress,
            range,
            after_range: false,
        };
        let report = feed.read(i, &mut sink);
        problems.extend(feed.take_problems());
        let ReportSink {
            held,
            conversations,
            messages,
            after_range: after,
            ..
        } = sink;
        after_range |= after;
        match report {
            Ok((export_users, skipped)) => {
                inputs.chat_exports += 1;
                inputs.messages += messages;
                if skipped > 0 {
                    problems.push(chat_skipped(&export, skipped));
                }
                // Accounts of this export by id, resolved by the identity rules.
                let by_id: HashMap<&str, usize> = export_users
                    .iter()
                    .filter_map(|u| match directory.resolve_user(u) {
                        Resolved::Person(i) => Some((u.id.as_str(), i)),
                        _ => None,
                    })
                    .collect();
                for &person in by_id.values() {
                    analysis.add_chat_account(person);
                }
                let users = |k: &str| cached.get(k).or_else(|| by_id.get(k).copied());
                for h in &held {
                    let c = &conversations[h.conversation];
                    analysis.add_message(c, &h.message, &users);
                    scan.add_message(c, &h.message, &users);
                }
            }
            Err(e) => problems.push(e),
        }
    }

    if after_range || feed.left_out_after_range() {
        // The chat data goes on after the range: for the report it ends
        // there (an ask's limit is judged by then, later replies unseen).
        analysis.set_chat_horizon(range.end());
    }
    lap("chat", &mut timings);
    // Work items and pulse.
    inputs.work_items = work_rows.len() as u64;
    if work_present {
        analysis.add_work_items(work_rows.iter().map(|r| WorkItem {
            person: by_list(&directory, &r.who).unwrap_or(usize::MAX),
            closed_at: r.closed_at,
        }));
    }
    inputs.pulse_answers = pulse_rows.len() as u64;
    if pulse_present {
        let mut unknown = 0;
        let answers: Vec<PulseAnswer> = pulse_rows
            .iter()
            .filter_map(|r| {
                let p = by_list(&directory, &r.who);
                if p.is_none() {
                    unknown += 1;
                }
                Some(PulseAnswer {
                    person: p?,
                    week: Week::of_date(r.week_start),
                    score: r.score,
                })
            })
            .collect();
        if unknown > 0 {
            problems.push(
                Diagnostic::warning(
                    "pulse",
                    format!("{unknown} answer(s) by people not on the list were left out"),
                )
                .with_help("add the people to the list, or an alias for their address"),
            );
        }
        analysis.add_pulse(answers);
    }
    if let Some(facts) = workflow {
        analysis.add_workflow(facts);
    }
    (progress)(Progress::Computing);
    let mut signals = analysis.finish();
    if let Some(last) = data_end {
        let later = signals.mark_after_data(last);
        if let (Some(first), Some(end)) = (later.first(), later.last()) {
            problems.push(
                Diagnostic::warning(
                    "window",
                    format!(
                        "{} week(s) of the window ({first} to {end}) start after the data ends on {last}: \
                         calendars hold only plans for them, so no team value or finding is judged on them",
                        later.len()
                    ),
                )
                .with_help(format!("end the window at the data (--to {last}), or export again later")),
            );
        }
    }
    if let Some(note) = away_note(&signals) {
        problems.push(note);
    }
    let (activity, examples) = finish(calendar_scan, scan, &signals);
    let thresholds = thresholds_of(&ws.workspace.policy);
    let assessments = evaluate(&signals, &thresholds, &examples);
    lap("finish signals, findings", &mut timings);
    Computed {
        min_group_size: params.min_group_size,
        workspace: ws,
        people,
        window,
        window_rule,
        data_end,
        signals,
        assessments,
        activity,
        thresholds,
        key,
        key_source,
        inputs,
        problems,
        timings,
    }
}

/// People per thread in one batch of [`calendar_pass`]: enough to keep
/// every thread busy when calendars differ in size, few enough that a
/// batch's calendars stay small.
const PEOPLE_PER_THREAD: usize = 32;

/// What [`calendar_pass`] read besides the signals.
struct CalendarNotes {
    /// Occurrences in the window.
    occurrences: usize,
    /// Problems of the calendar files, in file order.
    lines: Vec<Diagnostic>,
}

/// Reads each person's calendar and computes its signals and histograms:
/// batches of people in parallel (read, parse, expand, classify meetings,
/// weekly signals), then folded into the analysis and the scan in list
/// order, so the result is the same on any number of threads. A batch's
/// calendars are dropped once folded.
fn calendar_pass(
    people: &[Person],
    calendars: &mut PersonCalendars,
    window: Window,
    params: &Params,
    addresses: &(dyn Fn(&str) -> Option<usize> + Sync),
    key: &HashKey,
    progress: &mut dyn FnMut(Progress),
) -> (Analysis, CalendarScan, CalendarNotes) {
    let zones: Vec<chrono_tz::Tz> = people.iter().map(|p| p.tz).collect();
    let mut analysis = Analysis::begin(window, params.clone());
    let mut scan = CalendarScan::begin(&window);
    let mut notes = calendars.take_notes();
    let mut occurrences = 0;
    let batch = PEOPLE_PER_THREAD * rayon::current_num_threads();
    for start in (0..people.len()).step_by(batch) {
        let end = (start + batch).min(people.len());
        (progress)(Progress::Calendars {
            done: start,
            total: people.len(),
        });
        let jobs: Vec<_> = (start..end).zip(calendars.jobs(start..end)).collect();
        let analysis_ref = &analysis;
        let prepared: Vec<_> = jobs
            .into_par_iter()
            .map(|(index, job)| {
                let taken = job.take();
                let count = taken.occurrences.as_ref().map_or(0, Vec::len);
                let prepared = analysis_ref.prepare_calendar(
                    index,
                    &people[index],
                    taken.occurrences.as_deref(),
                    false,
                    &zones,
                    &|k: &str| addresses(k),
                );
                (prepared, count, taken.notes)
            })
            .collect();
        for (index, (prepared, count, file_notes)) in (start..end).zip(prepared) {
            occurrences += count;
            notes.extend(file_notes);
            let meetings = analysis.add_calendar(prepared);
            scan.add_person(&people[index], meetings.as_ref(), &window, params, key);
        }
    }
    let lines = in_file_order(notes);
    (analysis, scan, CalendarNotes { occurrences, lines })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn a_file_named_after_one_persons_email_local_part_or_alias_is_theirs() {
        let person = |email: &str, aliases: &[&str]| Person {
            email: email.into(),
            name: email.into(),
            team: "t".into(),
            tz: chrono_tz::UTC,
            working_hours: Default::default(),
            aliases: aliases.iter().map(|a| a.to_string()).collect(),
        };
        let people = [
            person("ana@acme.com", &["U024BE7LH", "Ana.Lima"]),
            person("bo@acme.com", &["Ærin"]),
            person("cy@acme.com", &["shared"]),
            person("di@other.com", &["SHARED"]),
        ];
        let owner = |name: &str| owner_by_name(Path::new(name), &people);
        assert_eq!(owner("ana@acme.com.ics"), Some(0));
        assert_eq!(owner("ana.ics"), Some(0));
        // Aliases match whatever their case or the file name's.
        assert_eq!(owner("u024be7lh.ics"), Some(0));
        assert_eq!(owner("ANA.LIMA.ics"), Some(0));
        assert_eq!(owner("ærin.ics"), Some(1));
        assert_eq!(owner("ÆRIN.ics"), Some(1));
        // Two people share the name: nobody's.
        assert_eq!(owner("shared.ics"), None);
        assert_eq!(owner("eve.ics"), None);
    }

    #[test]
    fn window_defaults() {
        let today = d("2026-12-31");
        // Data span of 20 weeks: the last 13 ISO weeks of it: the week of
        // Sunday 24 May (Monday 18 May) and the 12 before (from Monday 23 Feb).
        let (w, rule) =
            choose_window(None, None, Some((d("2026-01-05"), d("2026-05-24"))), today).unwrap();
        assert_eq!((w.from, w.to), (d("2026-02-23"), d("2026-05-24")));
        assert_eq!(rule, "the last 13 weeks of the data");
        // Ending on a Friday: still 13 whole weeks, not 14.
        let (w, _) =
            choose_window(None, None, Some((d("2026-01-05"), d("2026-05-22"))), today).unwrap();
        assert_eq!((w.from, w.weeks().len()), (d("2026-02-23"), 13));
        // A short span is taken whole.
        let (w, _) =
            choose_window(None, None, Some((d("2026-09-01"), d("2026-09-20"))), today).unwrap();
        assert_eq!((w.from, w.to), (d("2026-09-01"), d("2026-09-20")));
        // No data: the 13 ISO weeks up to today (Thursday 31 December 2026
        // is in 2026-W53, whose Monday is 28 December; 12 weeks earlier is 5 October).
        let (w, _) = choose_window(None, None, None, today).unwrap();
        assert_eq!((w.from, w.to), (d("2026-10-05"), today));
        assert_eq!(w.weeks().len(), 13);
        assert!(choose_window(Some(d("2026-02-01")), Some(d("2026-01-01")), None, today).is_err());
    }

    #[test]
    fn chat_is_read_over_the_window_and_fourteen_days_each_side() {
        // 2026-W10 to 2026-W12: Monday 2 March to Sunday 22 March.
        let window = Window {
            from: d("2026-03-04"),
            to: d("2026-03-20"),
        };
        let range = ChatRange::of(&window, &Params::default());
        assert_eq!(
            (range.first, range.last),
            (d("2026-02-16"), d("2026-04-05"))
        );
        // The readers' prefilter is a day wider, for day files named in
        // another zone than UTC.
        let pre = range.prefilter();
        assert_eq!((pre.first, pre.last), (d("2026-02-15"), d("2026-04-06")));
        assert_eq!(range.end().to_rfc3339(), "2026-04-06T00:00:00+00:00");
    }

    #[test]
    fn policy_thresholds_reach_the_findings() {
        let mut policy = fulcrum_workspace::config::default_policy();
        policy.thresholds.insert("meeting_share".into(), 0.3);
        assert_eq!(thresholds_of(&policy).get("meeting_share"), Some(0.3));
        assert_eq!(params_of(&policy).normal_sla_hours, 24.0);
    }
}
