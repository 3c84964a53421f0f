//! The durable store: what `fulcrum import` loads and what `fulcrum report
//! --store` and `fulcrum serve` read.
//!
//! One trait, [`Storage`], with one implementation per backend: SQLite
//! (embedded default, a file such as `.fulcrum/fulcrum.db`) and PostgreSQL
//! (shared deployments, chosen by a `postgres://` URL). Each backend has its
//! own versioned migrations, applied when the store is opened.
//!
//! What is stored is metadata only: calendar occurrences with their event
//! details (the description already reduced to flags), chat messages without
//! text, work-item completions and pulse answers, each with its provenance
//! (the source file it came from); accounts, sessions and API tokens of the
//! server (secrets only as hashes); weekly team aggregates that outlive
//! the raw records under a retention limit; and the async workflow's
//! objects (asks, proposals, meeting records), whose text is the team's own working text and
//! is kept whole, unlike chat text, which is never stored.
//!
//! [`Store::open`] chooses the backend from a URL once, at start-up, and
//! applies the migrations the database lacks; callers then speak only
//! [`Storage`]. `docs/store.md` describes the schema, the import semantics,
//! `forget` and retention, and how the tests find PostgreSQL.

mod backend;
mod codec;
mod core;
mod open;
mod sql;
pub mod types;

pub use core::FORGOTTEN;
pub use open::{PostgresStore, SqliteStore, Store, mask_url};
pub use types::*;

/// The store's interface. Every method is one transaction: a failure
/// leaves the store as it was.
pub trait Storage: Send + Sync {
    /// Imports one calendar file. The calendar is identified by
    /// `import.source`: a newer export of the same calendar replaces changed
    /// occurrences and removes deleted ones; the same export twice (same
    /// fingerprint) changes nothing.
    fn import_calendar(
        &self,
        import: CalendarImport,
    ) -> impl Future<Output = Result<ImportOutcome, StoreError>> + Send;

    /// The sync state of the CalDAV calendars stored for one
    /// `[[sources.caldav]]` entry (`account`), sorted by calendar URL.
    fn caldav_state(
        &self,
        account: String,
    ) -> impl Future<Output = Result<Vec<CalDavState>, StoreError>> + Send;

    /// Applies one CalDAV calendar's sync with its new sync state, in one
    /// transaction: with `full`, the calendar is replaced as a newer export
    /// would replace it; otherwise only the occurrences of the UIDs of the
    /// changed and removed resources are compared, added, replaced or
    /// removed, and the rest stays as stored.
    fn import_caldav(
        &self,
        import: CalDavImport,
    ) -> impl Future<Output = Result<ImportOutcome, StoreError>> + Send;

    /// Imports one chat export: users and conversations are upserted,
    /// messages already stored (same platform, conversation and message id)
    /// are updated in place, new ones appended.
    fn import_chat(
        &self,
        import: ChatImport,
    ) -> impl Future<Output = Result<ImportOutcome, StoreError>> + Send;

    /// Imports one work-item or pulse file: its rows replace the rows the
    /// same source had.
    fn import_rows(
        &self,
        import: RowsImport,
    ) -> impl Future<Output = Result<ImportOutcome, StoreError>> + Send;

    /// The sources imported so far, newest first, a page at a time.
    fn sources(
        &self,
        page: Page,
    ) -> impl Future<Output = Result<Vec<SourceInfo>, StoreError>> + Send;

    /// Every stored calendar with its occurrences that overlap `[from, to)`.
    fn calendars(
        &self,
        from: chrono::DateTime<chrono::Utc>,
        to: chrono::DateTime<chrono::Utc>,
    ) -> impl Future<Output = Result<Vec<StoredCalendar>, StoreError>> + Send;

    /// Every chat source with its users and conversations, and the messages
    /// posted in `[from, to)` (all of them when `None`), in a stable order.
    fn chats(
        &self,
        from: Option<chrono::DateTime<chrono::Utc>>,
        to: Option<chrono::DateTime<chrono::Utc>>,
    ) -> impl Future<Output = Result<Vec<StoredChat>, StoreError>> + Send;

    /// Every stored work-item or pulse row.
    fn rows(
        &self,
        kind: RowKind,
    ) -> impl Future<Output = Result<Vec<StoredRow>, StoreError>> + Send;

    /// Erases everything about one person (right to erasure) and says what
    /// was removed.
    fn forget(
        &self,
        person: PersonKeys,
    ) -> impl Future<Output = Result<ForgetReport, StoreError>> + Send;

    /// Drops raw records (occurrences, messages, rows) that ended before
    /// `before`; aggregates stay.
    fn apply_retention(
        &self,
        before: chrono::DateTime<chrono::Utc>,
    ) -> impl Future<Output = Result<RetentionReport, StoreError>> + Send;

    /// Replaces the stored weekly team aggregates of the given weeks.
    fn put_aggregates(
        &self,
        rows: Vec<Aggregate>,
    ) -> impl Future<Output = Result<(), StoreError>> + Send;

    /// Stored weekly team aggregates of one team (all teams when `None`),
    /// oldest week first.
    fn aggregates(
        &self,
        team: Option<String>,
    ) -> impl Future<Output = Result<Vec<Aggregate>, StoreError>> + Send;

    // ---- accounts -------------------------------------------------------

    /// Creates an account; an existing email is an error
    /// ([`StoreError::Conflict`]).
    fn create_user(&self, user: NewUser) -> impl Future<Output = Result<User, StoreError>> + Send;

    /// The account with this email (case-insensitive).
    fn user_by_email(
        &self,
        email: String,
    ) -> impl Future<Output = Result<Option<User>, StoreError>> + Send;

    /// The account with this id.
    fn user_by_id(&self, id: i64) -> impl Future<Output = Result<Option<User>, StoreError>> + Send;

    /// Accounts ordered by email, a page at a time.
    fn users(&self, page: Page) -> impl Future<Output = Result<Vec<User>, StoreError>> + Send;

    /// Changes an account's role, teams or password hash (fields left `None`
    /// stay). A new password or a different role ends the account's
    /// sessions and revokes its API tokens in the same transaction: whoever
    /// held them must sign in again under the new rules.
    fn update_user(
        &self,
        id: i64,
        change: UserChange,
    ) -> impl Future<Output = Result<Option<User>, StoreError>> + Send;

    /// Deletes an account with its sessions and tokens.
    fn delete_user(&self, id: i64) -> impl Future<Output = Result<bool, StoreError>> + Send;

    /// Stores a session (its id only as a hash).
    fn create_session(
        &self,
        session: NewSession,
    ) -> impl Future<Output = Result<(), StoreError>> + Send;

    /// The unexpired session with this id hash, with its account.
    fn session(
        &self,
        id_hash: String,
        now: chrono::DateTime<chrono::Utc>,
    ) -> impl Future<Output = Result<Option<(Session, User)>, StoreError>> + Send;

    /// Deletes a session (logout); expired sessions are swept too.
    fn delete_session(
        &self,
        id_hash: String,
        now: chrono::DateTime<chrono::Utc>,
    ) -> impl Future<Output = Result<(), StoreError>> + Send;

    /// Stores an API token (only its hash).
    fn create_token(
        &self,
        token: NewToken,
    ) -> impl Future<Output = Result<ApiToken, StoreError>> + Send;

    /// The unrevoked token with this hash, with its account; records its use.
    fn token(
        &self,
        hash: String,
        now: chrono::DateTime<chrono::Utc>,
    ) -> impl Future<Output = Result<Option<(ApiToken, User)>, StoreError>> + Send;

    /// An account's tokens (all accounts' when `None`), newest first.
    fn tokens(
        &self,
        user: Option<i64>,
        page: Page,
    ) -> impl Future<Output = Result<Vec<ApiToken>, StoreError>> + Send;

    /// Revokes a token; false when there was none (or it was revoked).
    fn revoke_token(
        &self,
        id: i64,
        now: chrono::DateTime<chrono::Utc>,
    ) -> impl Future<Output = Result<bool, StoreError>> + Send;

    // ---- the async workflow ---------------------------------------------

    /// Stores a new workflow object (version 1) created at `now`.
    fn create_workflow_item(
        &self,
        item: WorkflowItem,
        now: chrono::DateTime<chrono::Utc>,
    ) -> impl Future<Output = Result<StoredWorkflowItem, StoreError>> + Send;

    /// The workflow object with this id, of any team (callers check that
    /// the viewer may see its team).
    fn workflow_item(
        &self,
        id: i64,
    ) -> impl Future<Output = Result<Option<StoredWorkflowItem>, StoreError>> + Send;

    /// A team's workflow objects that pass `filter`, newest first, a page
    /// at a time.
    fn workflow_items(
        &self,
        team: String,
        filter: WorkflowFilter,
        page: Page,
    ) -> impl Future<Output = Result<Vec<StoredWorkflowItem>, StoreError>> + Send;

    /// Replaces object `id` with `item` if its stored version is still
    /// `version`, and adds one to the version. `None` when there is no
    /// object `id` of the item's kind and team (kind and team never
    /// change); [`StoreError::Stale`] when someone else changed it since
    /// `version` was read: nothing is written, so no edit is silently lost.
    fn update_workflow_item(
        &self,
        id: i64,
        version: i64,
        item: WorkflowItem,
        now: chrono::DateTime<chrono::Utc>,
    ) -> impl Future<Output = Result<Option<StoredWorkflowItem>, StoreError>> + Send;

    /// The [`WorkflowStamp`] of a team's workflow objects (one small query).
    fn workflow_stamp(
        &self,
        team: String,
    ) -> impl Future<Output = Result<WorkflowStamp, StoreError>> + Send;

    /// Every workflow object of one team (all teams when `None`), oldest
    /// first: the export.
    fn export_workflow(
        &self,
        team: Option<String>,
    ) -> impl Future<Output = Result<Vec<StoredWorkflowItem>, StoreError>> + Send;

    // ---- reminders ------------------------------------------------------

    /// Whether `person`'s digest of their local day `day` was sent.
    fn digest_sent(
        &self,
        person: String,
        day: chrono::NaiveDate,
    ) -> impl Future<Output = Result<bool, StoreError>> + Send;

    /// Records that `person`'s digest of their local day `day` was sent;
    /// false when it was recorded already.
    fn record_digest_sent(
        &self,
        person: String,
        day: chrono::NaiveDate,
        sent_at: chrono::DateTime<chrono::Utc>,
    ) -> impl Future<Output = Result<bool, StoreError>> + Send;

    /// Stores `person`'s calendar feed token (only its hash), replacing the
    /// one they had: one active feed per person.
    fn set_feed_token(
        &self,
        person: String,
        hash: String,
        now: chrono::DateTime<chrono::Utc>,
    ) -> impl Future<Output = Result<(), StoreError>> + Send;

    /// The person (lower-cased email) whose feed token has this hash.
    fn feed_token_person(
        &self,
        hash: String,
    ) -> impl Future<Output = Result<Option<String>, StoreError>> + Send;

    /// When `person`'s active feed token was created, if they have one.
    fn feed_token_created(
        &self,
        person: String,
    ) -> impl Future<Output = Result<Option<chrono::DateTime<chrono::Utc>>, StoreError>> + Send;

    /// Revokes `person`'s feed token; false when they had none.
    fn revoke_feed_token(
        &self,
        person: String,
    ) -> impl Future<Output = Result<bool, StoreError>> + Send;

    // ---- health and import runs -----------------------------------------

    /// One cheap query: the store is reachable and answers (readiness).
    fn ping(&self) -> impl Future<Output = Result<(), StoreError>> + Send;

    /// Records that an import run started; returns its id.
    fn start_import_run(
        &self,
        run: NewImportRun,
    ) -> impl Future<Output = Result<i64, StoreError>> + Send;

    /// Records that import run `id` finished, with what it did.
    fn finish_import_run(
        &self,
        id: i64,
        finished_at: chrono::DateTime<chrono::Utc>,
        summary: String,
    ) -> impl Future<Output = Result<(), StoreError>> + Send;

    /// The newest import run, if any.
    fn last_import_run(&self)
    -> impl Future<Output = Result<Option<ImportRun>, StoreError>> + Send;
}
