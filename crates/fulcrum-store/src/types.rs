//! The values that cross the [`crate::Storage`] trait: imports, stored
//! records, accounts. Plain data; no SQL here.

use chrono::{DateTime, NaiveDate, Utc};
use fulcrum_model::Occurrence;
use fulcrum_model::chat::{ChatMessage, Conversation};
use fulcrum_model::identity::SourceUser;

/// Why a store operation failed.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The database could not be opened or reached.
    #[error("cannot open the store {url}: {message}")]
    Connect {
        /// The URL, with any password replaced by `***`.
        url: String,
        /// What went wrong.
        message: String,
    },
    /// A migration failed.
    #[error("store migration {version} failed: {message}")]
    Migrate {
        /// The migration's version.
        version: i64,
        /// What went wrong.
        message: String,
    },
    /// The record exists already (an account's email, say).
    #[error("{0} already exists")]
    Conflict(String),
    /// A stored value could not be read back.
    #[error("stored record {what} is unreadable: {message}")]
    Corrupt {
        /// Which record.
        what: String,
        /// What went wrong.
        message: String,
    },
    /// Every connection stayed busy for the acquire timeout (a burst of
    /// load, or a long write holding SQLite's lock): retry shortly.
    #[error("the store is busy: {0}")]
    Busy(String),
    /// A change was made against a version that is no longer the stored
    /// one: someone else changed the record in between. Nothing was
    /// written; read it again and redo the change.
    #[error("{what} was changed by someone else (now version {current}); reload it and try again")]
    Stale {
        /// Which record.
        what: String,
        /// The stored version.
        current: i64,
    },
    /// Any other database error.
    #[error("store: {0}")]
    Database(String),
}

/// A page of a list that grows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Page {
    /// Rows to skip.
    pub offset: u32,
    /// Rows to return (at most [`Page::MAX_LIMIT`]).
    pub limit: u32,
}

impl Page {
    /// The largest page.
    pub const MAX_LIMIT: u32 = 500;
}

impl Default for Page {
    fn default() -> Self {
        Page {
            offset: 0,
            limit: 50,
        }
    }
}

/// The kind of a source.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SourceKind {
    /// A calendar file.
    Calendar,
    /// A chat export.
    Chat,
    /// A work-item CSV.
    WorkItems,
    /// A pulse CSV.
    Pulse,
}

impl SourceKind {
    /// The name stored and shown: `calendar`, `chat`, `work_items`, `pulse`.
    pub fn as_str(self) -> &'static str {
        match self {
            SourceKind::Calendar => "calendar",
            SourceKind::Chat => "chat",
            SourceKind::WorkItems => "work_items",
            SourceKind::Pulse => "pulse",
        }
    }
}

/// One calendar file to import.
#[derive(Debug, Clone)]
pub struct CalendarImport {
    /// The calendar's identity: its path relative to the workspace. A newer
    /// export under the same name replaces the older one.
    pub source: String,
    /// The file as read (for provenance).
    pub file: String,
    /// A hash of the file's bytes: the same export twice is recognised.
    pub fingerprint: String,
    /// The owner's email, when the calendar could be given to a person.
    pub owner: Option<String>,
    /// First day with data (one-off timed events before the export time).
    pub data_first: Option<NaiveDate>,
    /// Last day with data.
    pub data_last: Option<NaiveDate>,
    /// Error diagnostics while reading.
    pub problems: u32,
    /// The window the occurrences were expanded over.
    pub expanded_from: DateTime<Utc>,
    /// End of that window (exclusive).
    pub expanded_to: DateTime<Utc>,
    /// The occurrences (cancelled ones excluded), sorted.
    pub occurrences: Vec<Occurrence>,
}

/// What an import did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ImportOutcome {
    /// The source's id in the store.
    pub source_id: i64,
    /// The same fingerprint was imported before: nothing was done.
    pub unchanged: bool,
    /// Records added.
    pub added: u64,
    /// Records replaced by a changed version.
    pub changed: u64,
    /// Records removed (deleted from a newer export).
    pub removed: u64,
    /// Records that were already stored as they are.
    pub kept: u64,
}

/// One chat export to import.
#[derive(Debug, Clone)]
pub struct ChatImport {
    /// The export's identity (its path relative to the workspace).
    pub source: String,
    /// The file or folder as read.
    pub file: String,
    /// A hash of the export's bytes.
    pub fingerprint: String,
    /// `slack` or `mattermost`: messages are keyed by platform,
    /// conversation and message id, so a later export appends.
    pub platform: String,
    /// The export's user directory.
    pub users: Vec<SourceUser>,
    /// Its conversations.
    pub conversations: Vec<Conversation>,
    /// Its messages (no text).
    pub messages: Vec<ChatMessage>,
    /// Records the reader skipped.
    pub skipped: u64,
}

/// The kind of a row source.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RowKind {
    /// A closed work item: who closed it and when.
    WorkItem,
    /// A pulse answer: who, the Monday of the week (00:00 UTC), the score.
    Pulse,
}

/// A work-item or pulse row.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    /// Who (an address as written in the file).
    pub who: String,
    /// When (work item: closed; pulse: the week's Monday, 00:00 UTC).
    pub at: DateTime<Utc>,
    /// The pulse score (1-5); `None` for work items.
    pub score: Option<f64>,
}

/// One work-item or pulse file to import.
#[derive(Debug, Clone)]
pub struct RowsImport {
    /// Work items or pulse.
    pub kind: RowKind,
    /// The file's identity (its path relative to the workspace).
    pub source: String,
    /// The file as read.
    pub file: String,
    /// A hash of the file's bytes.
    pub fingerprint: String,
    /// Its rows.
    pub rows: Vec<Row>,
}

/// A stored row with its provenance.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredRow {
    /// The row.
    pub row: Row,
    /// The source it came from.
    pub source: String,
}

/// An imported source, for provenance and the admin page.
#[derive(Debug, Clone, PartialEq)]
pub struct SourceInfo {
    /// Its id.
    pub id: i64,
    /// Its kind.
    pub kind: SourceKind,
    /// Its identity.
    pub source: String,
    /// The file last imported for it.
    pub file: String,
    /// That file's fingerprint.
    pub fingerprint: String,
    /// When it was last imported.
    pub imported_at: DateTime<Utc>,
    /// Records it holds now.
    pub records: u64,
    /// Calendar owner, if any.
    pub owner: Option<String>,
}

/// A stored calendar with its occurrences in a window.
#[derive(Debug, Clone)]
pub struct StoredCalendar {
    /// Its identity.
    pub source: String,
    /// The file last imported for it.
    pub file: String,
    /// The owner's email.
    pub owner: Option<String>,
    /// First day with data.
    pub data_first: Option<NaiveDate>,
    /// Last day with data.
    pub data_last: Option<NaiveDate>,
    /// Error diagnostics while reading.
    pub problems: u32,
    /// The window the occurrences were expanded over at import.
    pub expanded_from: DateTime<Utc>,
    /// Its end.
    pub expanded_to: DateTime<Utc>,
    /// Occurrences overlapping the requested window, sorted by start
    /// instant, uid, recurrence id.
    pub occurrences: Vec<Occurrence>,
}

/// The stored chat of one platform.
#[derive(Debug, Clone)]
pub struct StoredChat {
    /// `slack` or `mattermost`.
    pub platform: String,
    /// The exports imported, oldest first.
    pub sources: Vec<String>,
    /// Users (latest export's version of each).
    pub users: Vec<SourceUser>,
    /// Conversations.
    pub conversations: Vec<Conversation>,
    /// Messages, ordered by conversation then time then id.
    pub messages: Vec<ChatMessage>,
    /// Records the readers skipped, summed over the exports.
    pub skipped: u64,
}

/// The keys that name one person in the records: their email and every
/// alias (other emails, chat user ids, usernames). Matched
/// case-insensitively.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PersonKeys {
    /// The primary email.
    pub email: String,
    /// Other keys.
    pub aliases: Vec<String>,
}

/// What [`crate::Storage::forget`] removed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ForgetReport {
    /// Calendars they owned, removed with their occurrences.
    pub calendars: u64,
    /// Occurrences removed with those calendars.
    pub occurrences: u64,
    /// Organizer and attendee entries removed from other calendars' events.
    pub attendee_entries: u64,
    /// Chat accounts removed from user directories.
    pub chat_users: u64,
    /// Messages they wrote, removed.
    pub messages: u64,
    /// Mentions of them removed from other messages.
    pub mentions: u64,
    /// Conversation memberships removed.
    pub memberships: u64,
    /// Work-item and pulse rows removed.
    pub rows: u64,
    /// Server accounts removed (with their sessions and tokens).
    pub accounts: u64,
    /// Workflow objects they wrote (asks, proposals, meeting records,
    /// incidents, written updates), removed.
    pub workflow_items: u64,
    /// Their entries in others' workflow objects, erased: answers,
    /// stances, outcomes they wrote, and asks addressed to them.
    pub workflow_entries: u64,
    /// Reminder records removed: the days their digest was sent and their
    /// calendar feed token.
    pub reminders: u64,
}

/// What [`crate::Storage::apply_retention`] dropped.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RetentionReport {
    /// Occurrences that ended before the limit.
    pub occurrences: u64,
    /// Messages posted before the limit.
    pub messages: u64,
    /// Work-item and pulse rows before the limit.
    pub rows: u64,
}

/// One weekly team aggregate (only for groups of at least the minimum
/// group size; the store does not check that, the caller does).
#[derive(Debug, Clone, PartialEq)]
pub struct Aggregate {
    /// The team.
    pub team: String,
    /// The Monday of the ISO week.
    pub week: NaiveDate,
    /// The signal id (`meeting_share`, ...).
    pub signal: String,
    /// Its value.
    pub value: f64,
    /// Members with data that week.
    pub members: u32,
}

/// A server role.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Role {
    /// Sees their own week and their team's aggregates.
    Member,
    /// Sees their teams' aggregates.
    Lead,
    /// Manages users and sources.
    Admin,
}

impl Role {
    /// `member`, `lead` or `admin`.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Member => "member",
            Role::Lead => "lead",
            Role::Admin => "admin",
        }
    }

    /// Reads `member`, `lead` or `admin`.
    pub fn parse(s: &str) -> Option<Role> {
        match s {
            "member" => Some(Role::Member),
            "lead" => Some(Role::Lead),
            "admin" => Some(Role::Admin),
            _ => None,
        }
    }
}

/// An account to create.
#[derive(Debug, Clone)]
pub struct NewUser {
    /// Email (stored lower-cased; unique).
    pub email: String,
    /// Role.
    pub role: Role,
    /// Teams a lead leads (for members: informational; their team comes
    /// from the people list).
    pub teams: Vec<String>,
    /// The argon2 PHC string; `None` until a password is set.
    pub password_hash: Option<String>,
    /// Creation time.
    pub now: DateTime<Utc>,
}

/// An account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    /// Id.
    pub id: i64,
    /// Email, lower-cased.
    pub email: String,
    /// Role.
    pub role: Role,
    /// Teams (see [`NewUser::teams`]).
    pub teams: Vec<String>,
    /// The argon2 PHC string.
    pub password_hash: Option<String>,
    /// Created.
    pub created_at: DateTime<Utc>,
}

/// A change to an account; `None` fields stay as they are.
#[derive(Debug, Clone, Default)]
pub struct UserChange {
    /// New role.
    pub role: Option<Role>,
    /// New teams.
    pub teams: Option<Vec<String>>,
    /// New password hash.
    pub password_hash: Option<String>,
}

/// A session to store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewSession {
    /// A hash of the session id (the id itself is only in the cookie).
    pub id_hash: String,
    /// The account.
    pub user_id: i64,
    /// The session's CSRF token.
    pub csrf: String,
    /// Created.
    pub created_at: DateTime<Utc>,
    /// Expires.
    pub expires_at: DateTime<Utc>,
}

/// A stored session.
pub type Session = NewSession;

/// An API token to store.
#[derive(Debug, Clone)]
pub struct NewToken {
    /// The account it acts as.
    pub user_id: i64,
    /// A name to recognise it by.
    pub name: String,
    /// A hash of the token (the token itself is shown once).
    pub hash: String,
    /// Created.
    pub created_at: DateTime<Utc>,
}

/// A stored API token (without its hash).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiToken {
    /// Id.
    pub id: i64,
    /// The account.
    pub user_id: i64,
    /// Its name.
    pub name: String,
    /// Created.
    pub created_at: DateTime<Utc>,
    /// Last used.
    pub last_used_at: Option<DateTime<Utc>>,
    /// Revoked.
    pub revoked_at: Option<DateTime<Utc>>,
}

/// An import run as it starts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewImportRun {
    /// When it started.
    pub started_at: DateTime<Utc>,
    /// What it set out to import, in words ("12 calendars, 1 chat export").
    pub planned: String,
}

/// One `fulcrum import` run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportRun {
    /// Its id.
    pub id: i64,
    /// When it started.
    pub started_at: DateTime<Utc>,
    /// When it finished; `None` for a run interrupted (killed, crashed, a
    /// lost connection) or still running.
    pub finished_at: Option<DateTime<Utc>>,
    /// What it set out to import.
    pub planned: String,
    /// What it did, once finished.
    pub summary: Option<String>,
}

/// One calendar object resource of a CalDAV calendar (one event with its
/// overrides), as far as the sync needs to remember it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CalDavResource {
    /// Its path on the server.
    pub href: String,
    /// Its ETag when it was read (compared when the server has no sync
    /// tokens).
    pub etag: Option<String>,
    /// The UIDs it holds (one in a well-formed resource).
    pub uids: Vec<String>,
    /// Its latest `DTSTAMP`: the calendar's export time is the latest of
    /// its resources'.
    pub exported: Option<DateTime<Utc>>,
    /// Days its one-off timed events start on (the calendar's data span
    /// keeps those before the calendar's export time).
    pub days: Vec<NaiveDate>,
    /// Error diagnostics while reading it.
    pub problems: u32,
}

/// What the store remembers of one CalDAV calendar between syncs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CalDavState {
    /// The calendar's URL: its source name in the store.
    pub calendar: String,
    /// The calendar home it was found under.
    pub home: String,
    /// Its display name when it was last synced.
    pub display_name: Option<String>,
    /// The server's sync token (RFC 6578) after the last sync.
    pub sync_token: Option<String>,
    /// The collection tag (`getctag`) after the last sync.
    pub ctag: Option<String>,
    /// The window its occurrences were expanded over.
    pub expanded_from: DateTime<Utc>,
    /// Its end.
    pub expanded_to: DateTime<Utc>,
    /// Its resources.
    pub resources: Vec<CalDavResource>,
}

/// A resource read in a sync, with its occurrences.
#[derive(Debug, Clone)]
pub struct CalDavChange {
    /// The resource.
    pub resource: CalDavResource,
    /// Its occurrences over the calendar's window (cancelled ones
    /// excluded).
    pub occurrences: Vec<Occurrence>,
}

/// One CalDAV calendar's sync, applied in one transaction with its new
/// sync state: either everything the calendar holds (`full`) or what
/// changed since the stored sync token or ETags.
#[derive(Debug, Clone)]
pub struct CalDavImport {
    /// The `[[sources.caldav]]` entry it belongs to (its URL and account).
    pub account: String,
    /// The calendar's URL: its source name.
    pub calendar: String,
    /// The calendar home it was found under.
    pub home: String,
    /// Its display name.
    pub display_name: Option<String>,
    /// The owner's email.
    pub owner: Option<String>,
    /// The sync token to resume from next time.
    pub sync_token: Option<String>,
    /// The collection tag now.
    pub ctag: Option<String>,
    /// True when `changed` is every resource of the calendar: stored
    /// resources not in it are removed.
    pub full: bool,
    /// Resources new or changed since the last sync.
    pub changed: Vec<CalDavChange>,
    /// Hrefs of resources deleted since the last sync.
    pub removed: Vec<String>,
    /// First day with data of the calendar after this sync.
    pub data_first: Option<NaiveDate>,
    /// Last day with data.
    pub data_last: Option<NaiveDate>,
    /// Error diagnostics of all its resources.
    pub problems: u32,
    /// The window occurrences are expanded over.
    pub expanded_from: DateTime<Utc>,
    /// Its end (exclusive).
    pub expanded_to: DateTime<Utc>,
}

// ---- the async workflow ------------------------------------------------------

/// A workflow object: the team's own working text, stored whole (unlike
/// chat text, which is never stored).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WorkflowItem {
    /// An ask.
    Ask(fulcrum_model::workflow::Ask),
    /// A proposal to decide.
    Decision(fulcrum_model::workflow::Decision),
    /// The record of a meeting.
    Meeting(fulcrum_model::workflow::MeetingRecord),
    /// An incident.
    Incident(fulcrum_model::workflow::Incident),
    /// A written update.
    Update(fulcrum_model::workflow::Update),
    /// One person's pulse answers for one week (personal: never in a
    /// team's export, see [`WorkflowItem::is_personal`]).
    Pulse(fulcrum_model::pulse::PulseResponse),
}

/// The kind of a [`WorkflowItem`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum WorkflowKind {
    /// [`WorkflowItem::Ask`].
    Ask,
    /// [`WorkflowItem::Decision`].
    Decision,
    /// [`WorkflowItem::Meeting`].
    Meeting,
    /// [`WorkflowItem::Incident`].
    Incident,
    /// [`WorkflowItem::Update`].
    Update,
    /// [`WorkflowItem::Pulse`].
    Pulse,
}

impl WorkflowKind {
    /// `ask`, `decision`, `meeting`, `incident`, `update` or `pulse`, as
    /// stored.
    pub fn as_str(&self) -> &'static str {
        match self {
            WorkflowKind::Ask => "ask",
            WorkflowKind::Decision => "decision",
            WorkflowKind::Meeting => "meeting",
            WorkflowKind::Incident => "incident",
            WorkflowKind::Update => "update",
            WorkflowKind::Pulse => "pulse",
        }
    }

    /// Reads [`WorkflowKind::as_str`].
    pub fn parse(s: &str) -> Option<WorkflowKind> {
        match s {
            "ask" => Some(WorkflowKind::Ask),
            "decision" => Some(WorkflowKind::Decision),
            "meeting" => Some(WorkflowKind::Meeting),
            "incident" => Some(WorkflowKind::Incident),
            "update" => Some(WorkflowKind::Update),
            "pulse" => Some(WorkflowKind::Pulse),
            _ => None,
        }
    }
}

impl WorkflowItem {
    /// Its kind.
    pub fn kind(&self) -> WorkflowKind {
        match self {
            WorkflowItem::Ask(_) => WorkflowKind::Ask,
            WorkflowItem::Decision(_) => WorkflowKind::Decision,
            WorkflowItem::Meeting(_) => WorkflowKind::Meeting,
            WorkflowItem::Incident(_) => WorkflowKind::Incident,
            WorkflowItem::Update(_) => WorkflowKind::Update,
            WorkflowItem::Pulse(_) => WorkflowKind::Pulse,
        }
    }

    /// True for an object only its author may see (a pulse response):
    /// the team sees it only inside aggregates, never whole, by id or in
    /// an export.
    pub fn is_personal(&self) -> bool {
        matches!(self, WorkflowItem::Pulse(_))
    }

    /// The team it belongs to.
    pub fn team(&self) -> &str {
        match self {
            WorkflowItem::Ask(a) => &a.team,
            WorkflowItem::Decision(d) => &d.team,
            WorkflowItem::Meeting(m) => &m.team,
            WorkflowItem::Incident(i) => &i.team,
            WorkflowItem::Update(u) => &u.team,
            WorkflowItem::Pulse(p) => &p.team,
        }
    }

    /// Who wrote it.
    pub fn author(&self) -> &str {
        match self {
            WorkflowItem::Ask(a) => &a.author,
            WorkflowItem::Decision(d) => &d.author,
            WorkflowItem::Meeting(m) => &m.author,
            WorkflowItem::Incident(i) => &i.author,
            WorkflowItem::Update(u) => &u.author,
            WorkflowItem::Pulse(p) => &p.author,
        }
    }

    /// Its state as stored and filtered on (`open`, `answered`, `closed`,
    /// `withdrawn`, `summarized`, `resolved`, `reviewed`; an update is
    /// `written`, a pulse response `answered`).
    pub fn state(&self) -> &'static str {
        match self {
            WorkflowItem::Ask(a) => a.state.as_str(),
            WorkflowItem::Decision(d) => d.state.as_str(),
            WorkflowItem::Meeting(m) => m.state(),
            WorkflowItem::Incident(i) => i.state(),
            WorkflowItem::Update(_) => "written",
            WorkflowItem::Pulse(_) => "answered",
        }
    }

    /// The time it waits for: an ask's answer-by time, a proposal's closing
    /// time, the time a meeting is held, the time an incident was resolved
    /// (its review counts from there) or, while open, opened; nothing for
    /// a written update (its due time is its author's own morning, derived
    /// where it is shown) or a pulse response.
    pub fn due(&self) -> Option<DateTime<Utc>> {
        match self {
            WorkflowItem::Ask(a) => a.due,
            WorkflowItem::Decision(d) => Some(d.closes_at),
            WorkflowItem::Meeting(m) => Some(m.held_at),
            WorkflowItem::Incident(i) => Some(i.resolved.as_ref().map_or(i.opened_at, |r| r.at)),
            WorkflowItem::Update(_) | WorkflowItem::Pulse(_) => None,
        }
    }

    /// The person it waits on: an ask's recipient (none for an ask to the
    /// team), a proposal's author, a meeting record's author (its summary),
    /// an incident's author (its resolution and review); nobody for a
    /// written update or a pulse response.
    pub fn waits_on(&self) -> Option<&str> {
        match self {
            WorkflowItem::Ask(a) => match &a.to {
                fulcrum_model::workflow::Recipient::Person(p) => Some(p),
                fulcrum_model::workflow::Recipient::Team => None,
            },
            WorkflowItem::Decision(d) => Some(&d.author),
            WorkflowItem::Meeting(m) => Some(&m.author),
            WorkflowItem::Incident(i) => Some(&i.author),
            WorkflowItem::Update(_) | WorkflowItem::Pulse(_) => None,
        }
    }

    /// Everyone it names (author, recipient, who answered, who took a
    /// stance, who closed it, attendees, action item owners, who resolved
    /// or reviewed an incident): the keys
    /// `forget` finds it by.
    pub fn people(&self) -> Vec<&str> {
        use fulcrum_model::workflow::{AskState, DecisionState, Recipient};
        let mut out = vec![self.author()];
        match self {
            WorkflowItem::Ask(a) => {
                if let Recipient::Person(p) = &a.to {
                    out.push(p);
                }
                if let AskState::Answered(ans) = &a.state {
                    out.push(&ans.by);
                }
            }
            WorkflowItem::Decision(d) => {
                out.extend(d.stances.iter().map(|s| s.person.as_str()));
                if let DecisionState::Closed(o) = &d.state {
                    out.push(&o.by);
                }
            }
            WorkflowItem::Meeting(m) => {
                out.extend(m.attendees.iter().map(String::as_str));
                out.extend(
                    m.action_items
                        .iter()
                        .map(|i| i.owner.as_str())
                        .filter(|o| !o.is_empty()),
                );
            }
            WorkflowItem::Incident(i) => {
                if let Some(r) = &i.resolved {
                    out.push(&r.by);
                }
                if let Some(r) = &i.review {
                    out.push(&r.by);
                }
            }
            // Only its author, already named.
            WorkflowItem::Update(_) | WorkflowItem::Pulse(_) => {}
        }
        out
    }
}

/// A workflow object as stored: its id, its version (each change adds
/// one), and when it was created and last changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredWorkflowItem {
    /// The id, stable for the object's life (its URL).
    pub id: i64,
    /// 1 when created, one more after each change.
    pub version: i64,
    /// When it was created.
    pub created_at: DateTime<Utc>,
    /// When it last changed.
    pub updated_at: DateTime<Utc>,
    /// The object.
    pub item: WorkflowItem,
}

/// A cheap fingerprint of a team's workflow objects: any object written,
/// changed or removed changes it (a new object raises the count and the
/// largest id, a change the sum of versions, a removal the count). A
/// reader that keeps the objects in memory reads them again only when it
/// changes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct WorkflowStamp {
    /// How many objects.
    pub count: i64,
    /// The largest id.
    pub max_id: i64,
    /// The sum of their versions.
    pub versions: i64,
    /// The latest change (microseconds since the epoch).
    pub updated_at_us: i64,
}

impl WorkflowFilter {
    /// Whether `item` passes: the rule the store's `workflow_items` applies
    /// in SQL, for objects already in memory (its kind, its derived state,
    /// who it waits on and who wrote it, people compared lower-cased).
    pub fn passes(&self, item: &WorkflowItem) -> bool {
        let key = |s: &str| s.trim().to_lowercase();
        self.kind.is_none_or(|k| item.kind() == k)
            && self.state.as_deref().is_none_or(|s| item.state() == s)
            && self
                .waits_on
                .as_deref()
                .is_none_or(|w| item.waits_on().is_some_and(|x| key(x) == key(w)))
            && self
                .author
                .as_deref()
                .is_none_or(|a| key(item.author()) == key(a))
    }

    /// The objects of `items` (oldest first, as the export gives them) that
    /// pass, newest first, one page: what `workflow_items` answers.
    pub fn page_of(&self, items: &[StoredWorkflowItem], page: Page) -> Vec<StoredWorkflowItem> {
        let limit = page.limit.min(Page::MAX_LIMIT) as usize;
        items
            .iter()
            .rev()
            .filter(|s| self.passes(&s.item))
            .skip(page.offset as usize)
            .take(limit)
            .cloned()
            .collect()
    }
}

/// Which workflow objects of a team to list. Unset fields do not filter.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WorkflowFilter {
    /// Only this kind.
    pub kind: Option<WorkflowKind>,
    /// Only in this state (`open`, `answered`, `closed`, `withdrawn`).
    pub state: Option<String>,
    /// Only those waiting on this person ([`WorkflowItem::waits_on`]).
    pub waits_on: Option<String>,
    /// Only those written by this person.
    pub author: Option<String>,
}
