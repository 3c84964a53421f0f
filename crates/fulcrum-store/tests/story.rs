//! The store's story, written once and told to both backends: SQLite in a
//! fresh temporary file and PostgreSQL in a fresh database per test.
//!
//! PostgreSQL comes from `FULCRUM_TEST_DATABASE_URL`, a URL whose role may
//! `CREATE DATABASE`; each test creates `fulcrum_t_<pid>_<n>` through it and
//! drops it at the end, so tests run in parallel. Without the variable the
//! PostgreSQL tests fail: they are never skipped silently.
#![allow(clippy::unwrap_used)]

use chrono::{DateTime, Duration, FixedOffset, NaiveDate, TimeZone, Utc};
use fulcrum_model::chat::{
    ChatMessage, Conversation, ConversationKind, Mentions, MessageFlags, MessageKind, SystemEvent,
    ThreadRole,
};
use fulcrum_model::identity::SourceUser;
use fulcrum_model::workflow::{
    ActionItem, Answer, AnswerBy, Ask, AskState, Cadence, Decision, DecisionState, Incident,
    IncidentReview, MeetingRecord, MeetingRef, Outcome, Position, Recipient, Resolution, Severity,
    Stance, Update, UpdateAnswer,
};
use fulcrum_model::{
    Attendee, CalTime, DescriptionFlags, EventDetails, EventStatus, Occurrence, PartStat,
    Participant, SeriesInfo, SourceRef, Transparency,
};
use fulcrum_store::{
    Aggregate, CalendarImport, ChatImport, ForgetReport, ImportOutcome, NewImportRun, NewSession,
    NewToken, NewUser, Page, PersonKeys, RetentionReport, Role, Row, RowKind, RowsImport,
    SourceKind, Storage, Store, StoreError, StoredCalendar, StoredChat, UserChange, WorkflowFilter,
    WorkflowItem, WorkflowKind,
};
use sqlx::{AnyConnection, Connection, Row as _};
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};

// ---- the two backends ------------------------------------------------------

/// One test's database, and how to get rid of it.
#[derive(Clone)]
struct TestDb {
    backend: &'static str,
    /// What `Store::open` is given.
    url: String,
    /// What a raw sqlx connection is given.
    raw_url: String,
    cleanup: Cleanup,
}

#[derive(Clone)]
enum Cleanup {
    Folder(PathBuf),
    Database { admin_url: String, name: String },
}

static COUNTER: AtomicU32 = AtomicU32::new(0);

fn postgres_base_url() -> String {
    std::env::var("FULCRUM_TEST_DATABASE_URL").unwrap_or_else(|_| {
        panic!(
            "set FULCRUM_TEST_DATABASE_URL to a PostgreSQL URL whose role may CREATE DATABASE \
             (e.g. postgres://fulcrum:fulcrum@127.0.0.1:5432/fulcrum_test); scripts/test does this"
        )
    })
}

/// `url` naming database `name` instead of its own.
fn with_database(url: &str, name: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((b, q)) => (b, Some(q)),
        None => (url, None),
    };
    let scheme_end = base.find("://").unwrap() + 3;
    let path_start = base[scheme_end..]
        .find('/')
        .map_or(base.len(), |i| scheme_end + i);
    let mut out = format!("{}/{name}", &base[..path_start]);
    if let Some(q) = query {
        out.push('?');
        out.push_str(q);
    }
    out
}

impl TestDb {
    async fn create(backend: &'static str) -> TestDb {
        sqlx::any::install_default_drivers();
        let n = COUNTER.fetch_add(1, Ordering::SeqCst);
        match backend {
            "sqlite" => {
                let folder = std::env::temp_dir()
                    .join(format!("fulcrum-store-test-{}-{n}", std::process::id()));
                let _ = std::fs::remove_dir_all(&folder);
                // A folder that does not exist yet: the store creates it.
                let file = folder.join("nested").join("store.db");
                TestDb {
                    backend,
                    url: file.display().to_string(),
                    raw_url: format!("sqlite:{}?mode=rw", file.display()),
                    cleanup: Cleanup::Folder(folder),
                }
            }
            _ => {
                let admin_url = postgres_base_url();
                let name = format!("fulcrum_t_{}_{n}", std::process::id());
                let mut admin = AnyConnection::connect(&admin_url).await.unwrap();
                sqlx::raw_sql(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                    .execute(&mut admin)
                    .await
                    .unwrap();
                sqlx::raw_sql(&format!("CREATE DATABASE {name}"))
                    .execute(&mut admin)
                    .await
                    .unwrap();
                admin.close().await.unwrap();
                let url = with_database(&admin_url, &name);
                TestDb {
                    backend,
                    raw_url: url.clone(),
                    url,
                    cleanup: Cleanup::Database { admin_url, name },
                }
            }
        }
    }

    async fn open(&self) -> Store {
        let store = Store::open(&self.url).await.unwrap();
        assert_eq!(store.backend_name(), self.backend);
        store
    }

    async fn raw(&self) -> AnyConnection {
        AnyConnection::connect(&self.raw_url).await.unwrap()
    }

    /// Runs statements on a connection of its own.
    async fn execute(&self, statements: &[&str]) {
        let mut conn = self.raw().await;
        for sql in statements {
            sqlx::query(sql).execute(&mut conn).await.unwrap();
        }
        conn.close().await.unwrap();
    }

    async fn count(&self, sql: &str) -> i64 {
        let mut conn = self.raw().await;
        let row = sqlx::query(sql).fetch_one(&mut conn).await.unwrap();
        let n: i64 = row.try_get(0).unwrap();
        conn.close().await.unwrap();
        n
    }

    /// Every (table, column) holding text.
    async fn text_columns(&self) -> Vec<(String, String)> {
        let mut conn = self.raw().await;
        let mut out = Vec::new();
        if self.backend == "sqlite" {
            let tables: Vec<String> =
                sqlx::query("SELECT name FROM sqlite_master WHERE type = 'table'")
                    .fetch_all(&mut conn)
                    .await
                    .unwrap()
                    .iter()
                    .map(|r| r.try_get(0).unwrap())
                    .collect();
            for t in tables {
                let sql = format!("SELECT name FROM pragma_table_info('{t}') WHERE type = 'TEXT'");
                for r in sqlx::query(&sql).fetch_all(&mut conn).await.unwrap() {
                    out.push((t.clone(), r.try_get(0).unwrap()));
                }
            }
        } else {
            for r in sqlx::query(
                "SELECT table_name::text, column_name::text FROM information_schema.columns \
                 WHERE table_schema = 'public' AND data_type = 'text'",
            )
            .fetch_all(&mut conn)
            .await
            .unwrap()
            {
                out.push((r.try_get(0).unwrap(), r.try_get(1).unwrap()));
            }
        }
        conn.close().await.unwrap();
        out
    }

    /// Every stored text value that contains one of `needles`
    /// (case-insensitively), as `table.column: value`; and how many columns
    /// were read.
    async fn find_text(&self, needles: &[&str]) -> (usize, Vec<String>) {
        let columns = self.text_columns().await;
        let mut conn = self.raw().await;
        let mut hits = Vec::new();
        for (table, column) in &columns {
            let sql = format!("SELECT {column} FROM {table}");
            for r in sqlx::query(&sql).fetch_all(&mut conn).await.unwrap() {
                let value: Option<String> = r.try_get(0).unwrap();
                let Some(value) = value else { continue };
                let lower = value.to_lowercase();
                if needles.iter().any(|n| lower.contains(&n.to_lowercase())) {
                    hits.push(format!("{table}.{column}: {value}"));
                }
            }
        }
        conn.close().await.unwrap();
        (columns.len(), hits)
    }

    async fn destroy(&self) {
        match &self.cleanup {
            Cleanup::Folder(folder) => {
                let _ = std::fs::remove_dir_all(folder);
            }
            Cleanup::Database { admin_url, name } => {
                // The story is over: a database that cannot be dropped yet
                // (a server process of another role, such as autovacuum,
                // still on it) is retried, then left with a message, but
                // does not fail the story.
                let mut admin = AnyConnection::connect(admin_url).await.unwrap();
                for attempt in 1..=10 {
                    match sqlx::raw_sql(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                        .execute(&mut admin)
                        .await
                    {
                        Ok(_) => break,
                        Err(e) if attempt == 10 => {
                            eprintln!("test database {name} left behind: {e}");
                        }
                        Err(_) => tokio::time::sleep(std::time::Duration::from_millis(300)).await,
                    }
                }
                admin.close().await.unwrap();
            }
        }
    }
}

/// Runs one story on a fresh database of `backend`, and drops the database
/// whether the story passed or not.
async fn run<F, Fut>(backend: &'static str, story: F)
where
    F: FnOnce(TestDb) -> Fut,
    Fut: Future<Output = ()> + Send + 'static,
{
    let db = TestDb::create(backend).await;
    let result = tokio::spawn(story(db.clone())).await;
    db.destroy().await;
    if let Err(e) = result {
        match e.try_into_panic() {
            Ok(panic) => std::panic::resume_unwind(panic),
            Err(e) => panic!("{e}"),
        }
    }
}

macro_rules! stories {
    ($($story:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $story() {
                    crate::run("sqlite", crate::$story).await;
                }
            )*
        }

        mod postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $story() {
                    crate::run("postgres", crate::$story).await;
                }
            )*
        }
    };
}

stories!(
    migrations_apply_once,
    same_calendar_twice_is_unchanged,
    newer_export_changes_removes_and_adds,
    failed_import_leaves_the_store_as_it_was,
    chat_export_appends_and_dedups,
    sources_list_provenance,
    rows_are_replaced_per_source,
    values_round_trip_through_the_store,
    calendars_filter_by_window,
    forget_removes_every_trace,
    retention_drops_raw_records_and_keeps_aggregates,
    aggregates_replace_team_weeks,
    accounts_sessions_and_tokens,
    many_messages_import_quickly,
    first_opens_at_once_migrate_once,
    a_reset_or_role_change_ends_sessions_and_tokens,
    import_runs_record_start_and_finish,
    workflow_objects_round_trip_and_list_per_team,
    concurrent_workflow_edits_are_refused_not_lost,
    incidents_are_versioned_exported_and_forgotten,
    updates_are_found_by_author_edited_and_forgotten,
    pulse_responses_round_trip_and_are_forgotten,
    reminders_are_recorded_once_and_forgotten,
);
/// The days a digest was sent are recorded once per person and local day;
/// a feed token is one per person, found by its hash, replaced, revoked;
/// `forget` removes both.
async fn reminders_are_recorded_once_and_forgotten(db: TestDb) {
    let store = db.open().await;
    let now = utc(2026, 12, 7, 8, 5);
    let day = chrono::NaiveDate::from_ymd_opt(2026, 12, 7).unwrap();
    let ada = "Ada@Example.com".to_owned();
    assert!(!store.digest_sent(ada.clone(), day).await.unwrap());
    assert!(
        store
            .record_digest_sent(ada.clone(), day, now)
            .await
            .unwrap()
    );
    // The same day again (a second server, a retry): not recorded twice.
    assert!(
        !store
            .record_digest_sent("ada@example.com".into(), day, now)
            .await
            .unwrap()
    );
    assert!(
        store
            .digest_sent("ADA@example.com".into(), day)
            .await
            .unwrap()
    );
    assert!(
        !store
            .digest_sent(ada.clone(), day.succ_opt().unwrap())
            .await
            .unwrap()
    );
    // Feed tokens: one per person, the newest wins.
    store
        .set_feed_token(ada.clone(), "hash-1".into(), now)
        .await
        .unwrap();
    assert_eq!(
        store
            .feed_token_person("hash-1".into())
            .await
            .unwrap()
            .as_deref(),
        Some("ada@example.com")
    );
    store
        .set_feed_token(ada.clone(), "hash-2".into(), now)
        .await
        .unwrap();
    assert_eq!(
        store.feed_token_person("hash-1".into()).await.unwrap(),
        None
    );
    assert_eq!(
        store.feed_token_created(ada.clone()).await.unwrap(),
        Some(now)
    );
    assert!(store.revoke_feed_token(ada.clone()).await.unwrap());
    assert!(!store.revoke_feed_token(ada.clone()).await.unwrap());
    assert_eq!(
        store.feed_token_person("hash-2".into()).await.unwrap(),
        None
    );
    // Forget: the sent day and a new token go (2 rows), Bob's stay.
    store
        .set_feed_token(ada.clone(), "hash-3".into(), now)
        .await
        .unwrap();
    store
        .set_feed_token("bob@example.com".into(), "hash-b".into(), now)
        .await
        .unwrap();
    let report = store
        .forget(PersonKeys {
            email: ada.clone(),
            aliases: Vec::new(),
        })
        .await
        .unwrap();
    assert_eq!(report.reminders, 2);
    assert!(!store.digest_sent(ada.clone(), day).await.unwrap());
    assert_eq!(
        store.feed_token_person("hash-3".into()).await.unwrap(),
        None
    );
    assert_eq!(
        store
            .feed_token_person("hash-b".into())
            .await
            .unwrap()
            .as_deref(),
        Some("bob@example.com")
    );
    store.close().await;
}

/// Several processes opening a new database at the same moment (two
/// `fulcrum import`s, a server starting): every open succeeds and each
/// migration is applied exactly once.
async fn first_opens_at_once_migrate_once(db: TestDb) {
    let opens: Vec<_> = (0..6)
        .map(|_| {
            let url = db.url.clone();
            tokio::spawn(async move { Store::open(&url).await })
        })
        .collect();
    let mut applied = Vec::new();
    for open in opens {
        let store = open
            .await
            .unwrap()
            .unwrap_or_else(|e| panic!("a concurrent first open failed: {e}"));
        applied.extend_from_slice(store.migrations_applied());
        store.close().await;
    }
    applied.sort_unstable();
    assert_eq!(
        applied,
        vec![1, 2, 3, 4, 5],
        "each migration applied by exactly one open"
    );
    assert_eq!(db.count("SELECT count(*) FROM schema_version").await, 5);
}

async fn a_reset_or_role_change_ends_sessions_and_tokens(db: TestDb) {
    let store = db.open().await;
    let now = Utc::now();
    let user = store
        .create_user(NewUser {
            email: "ana@example.org".into(),
            role: Role::Lead,
            teams: vec!["search".into()],
            password_hash: Some("$argon2id$old".into()),
            now,
        })
        .await
        .unwrap();
    let session = |id: &str| NewSession {
        id_hash: id.into(),
        user_id: user.id,
        csrf: "c".into(),
        created_at: now,
        expires_at: now + Duration::hours(1),
    };
    let token = |hash: &str| NewToken {
        user_id: user.id,
        name: hash.into(),
        hash: hash.into(),
        created_at: now,
    };
    let live = |store: &Store, s: &'static str, t: &'static str| {
        let store = store.clone();
        async move {
            (
                store.session(s.into(), now).await.unwrap().is_some(),
                store.token(t.into(), now).await.unwrap().is_some(),
            )
        }
    };
    store.create_session(session("s1")).await.unwrap();
    store.create_token(token("t1")).await.unwrap();
    // Teams only, and the same role again: access stays.
    store
        .update_user(
            user.id,
            UserChange {
                teams: Some(vec!["payments".into()]),
                role: Some(Role::Lead),
                ..UserChange::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(live(&store, "s1", "t1").await, (true, true));
    // A new password: both end.
    store
        .update_user(
            user.id,
            UserChange {
                password_hash: Some("$argon2id$new".into()),
                ..UserChange::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(live(&store, "s1", "t1").await, (false, false));
    // Another role: the new ones end too.
    store.create_session(session("s2")).await.unwrap();
    store.create_token(token("t2")).await.unwrap();
    assert_eq!(live(&store, "s2", "t2").await, (true, true));
    store
        .update_user(
            user.id,
            UserChange {
                role: Some(Role::Member),
                ..UserChange::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(live(&store, "s2", "t2").await, (false, false));
    store.close().await;
}

async fn import_runs_record_start_and_finish(db: TestDb) {
    let store = db.open().await;
    assert_eq!(store.last_import_run().await.unwrap(), None);
    let t0 = utc(2026, 3, 2, 9, 0);
    let first = store
        .start_import_run(NewImportRun {
            started_at: t0,
            planned: "2 calendars".into(),
        })
        .await
        .unwrap();
    let run = store.last_import_run().await.unwrap().unwrap();
    assert_eq!((run.id, run.started_at, run.finished_at), (first, t0, None));
    store
        .finish_import_run(first, t0 + Duration::minutes(1), "2 of 2 calendars".into())
        .await
        .unwrap();
    let run = store.last_import_run().await.unwrap().unwrap();
    assert_eq!(run.finished_at, Some(t0 + Duration::minutes(1)));
    assert_eq!(run.summary.as_deref(), Some("2 of 2 calendars"));
    // A newer run that never finishes is the one reported.
    let second = store
        .start_import_run(NewImportRun {
            started_at: t0 + Duration::hours(1),
            planned: "3 calendars".into(),
        })
        .await
        .unwrap();
    let run = store.last_import_run().await.unwrap().unwrap();
    assert_eq!((run.id, run.finished_at), (second, None));
    assert_eq!(run.planned, "3 calendars");
    store.close().await;
}

// ---- values ------------------------------------------------------------------

fn utc(y: i32, mo: u32, d: u32, h: u32, mi: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, mo, d, h, mi, 0).unwrap()
}

fn z(t: DateTime<Utc>) -> CalTime {
    CalTime::zoned(t, FixedOffset::east_opt(0).unwrap())
}

fn date(y: i32, mo: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, mo, d).unwrap()
}

fn details(summary: &str) -> Arc<EventDetails> {
    Arc::new(EventDetails {
        summary: summary.to_owned(),
        ..EventDetails::default()
    })
}

fn participant(email: &str) -> Participant {
    Participant {
        email: email.to_owned(),
        name: None,
    }
}

fn attendee(email: &str) -> Attendee {
    Attendee {
        who: participant(email),
        partstat: PartStat::Accepted,
        role: fulcrum_model::Role::Required,
        is_resource: false,
        is_group: false,
    }
}

fn meeting(summary: &str, organizer: &str, attendees: &[&str]) -> Arc<EventDetails> {
    Arc::new(EventDetails {
        summary: summary.to_owned(),
        organizer: Some(participant(organizer)),
        attendees: attendees.iter().map(|a| attendee(a)).collect(),
        ..EventDetails::default()
    })
}

fn one_off(uid: &str, start: DateTime<Utc>, minutes: i64, d: &Arc<EventDetails>) -> Occurrence {
    Occurrence {
        uid: Arc::from(uid),
        recurrence_id: None,
        start: z(start),
        end: z(start + Duration::minutes(minutes)),
        details: d.clone(),
    }
}

fn instance(uid: &str, start: DateTime<Utc>, minutes: i64, d: &Arc<EventDetails>) -> Occurrence {
    Occurrence {
        recurrence_id: Some(z(start)),
        ..one_off(uid, start, minutes, d)
    }
}

fn calendar(
    source: &str,
    fingerprint: &str,
    owner: Option<&str>,
    occurrences: Vec<Occurrence>,
) -> CalendarImport {
    CalendarImport {
        source: source.to_owned(),
        file: format!("workspace/{source}"),
        fingerprint: fingerprint.to_owned(),
        owner: owner.map(str::to_owned),
        data_first: Some(date(2024, 1, 1)),
        data_last: Some(date(2024, 3, 31)),
        problems: 2,
        expanded_from: utc(2024, 1, 1, 0, 0),
        expanded_to: utc(2024, 4, 1, 0, 0),
        occurrences,
    }
}

fn message(conversation: &str, id: &str, at: DateTime<Utc>, author: &str) -> ChatMessage {
    ChatMessage {
        id: Arc::from(id),
        at,
        conversation: Arc::from(conversation),
        author: Some(Arc::from(author)),
        kind: MessageKind::Person,
        thread: ThreadRole::Standalone,
        broadcast: false,
        reply_count: 0,
        reply_users: 0,
        mentions: Mentions::default(),
        huddle: false,
        edited: false,
        text_chars: 12,
        flags: MessageFlags::default(),
    }
}

fn mentioning(mut m: ChatMessage, users: &[&str]) -> ChatMessage {
    m.mentions.users = users.iter().map(|u| (*u).to_owned()).collect();
    m
}

fn chat_user(platform: &str, id: &str, email: &str, username: &str) -> SourceUser {
    SourceUser {
        source: platform.to_owned(),
        id: id.to_owned(),
        email: Some(email.to_owned()),
        username: Some(username.to_owned()),
        display_name: Some(username.to_uppercase()),
        tz: None,
        is_bot: false,
        deleted: false,
    }
}

fn conversation(id: &str, kind: ConversationKind, members: &[&str]) -> Conversation {
    Conversation {
        id: Arc::from(id),
        name: id.to_owned(),
        kind,
        members: members.iter().map(|m| (*m).to_owned()).collect(),
    }
}

fn chat(
    source: &str,
    fingerprint: &str,
    platform: &str,
    users: Vec<SourceUser>,
    conversations: Vec<Conversation>,
    messages: Vec<ChatMessage>,
    skipped: u64,
) -> ChatImport {
    ChatImport {
        source: source.to_owned(),
        file: format!("workspace/{source}"),
        fingerprint: fingerprint.to_owned(),
        platform: platform.to_owned(),
        users,
        conversations,
        messages,
        skipped,
    }
}

fn rows_import(
    kind: RowKind,
    source: &str,
    fingerprint: &str,
    rows: &[(&str, DateTime<Utc>, Option<f64>)],
) -> RowsImport {
    RowsImport {
        kind,
        source: source.to_owned(),
        file: format!("workspace/{source}"),
        fingerprint: fingerprint.to_owned(),
        rows: rows
            .iter()
            .map(|(who, at, score)| Row {
                who: (*who).to_owned(),
                at: *at,
                score: *score,
            })
            .collect(),
    }
}

fn outcome(source_id: i64, added: u64, changed: u64, removed: u64, kept: u64) -> ImportOutcome {
    ImportOutcome {
        source_id,
        unchanged: false,
        added,
        changed,
        removed,
        kept,
    }
}

fn unchanged(source_id: i64, kept: u64) -> ImportOutcome {
    ImportOutcome {
        source_id,
        unchanged: true,
        kept,
        ..ImportOutcome::default()
    }
}

/// (uid, summary, start) of each occurrence.
fn summary(c: &StoredCalendar) -> Vec<(String, String, CalTime)> {
    c.occurrences
        .iter()
        .map(|o| (o.uid.to_string(), o.details.summary.clone(), o.start))
        .collect()
}

fn everything() -> (DateTime<Utc>, DateTime<Utc>) {
    (utc(1990, 1, 1, 0, 0), utc(2100, 1, 1, 0, 0))
}

/// The comparable parts of a stored chat.
type ChatView = (
    String,
    Vec<String>,
    Vec<SourceUser>,
    Vec<Conversation>,
    Vec<ChatMessage>,
    u64,
);

fn view(c: &StoredChat) -> ChatView {
    (
        c.platform.clone(),
        c.sources.clone(),
        c.users.clone(),
        c.conversations.clone(),
        c.messages.clone(),
        c.skipped,
    )
}

type CalendarView = (
    String,
    String,
    Option<String>,
    Option<NaiveDate>,
    Option<NaiveDate>,
    u32,
    Vec<Occurrence>,
);

fn calendar_view(c: &StoredCalendar) -> CalendarView {
    (
        c.source.clone(),
        c.file.clone(),
        c.owner.clone(),
        c.data_first,
        c.data_last,
        c.problems,
        c.occurrences.clone(),
    )
}

// ---- stories -------------------------------------------------------------------

async fn migrations_apply_once(db: TestDb) {
    let store = db.open().await;
    assert_eq!(store.migrations_applied(), &[1, 2, 3, 4, 5]);
    assert_eq!(store.schema_version().await.unwrap(), 5);
    store.close().await;
    let recorded = db
        .count("SELECT max(applied_at_us) FROM schema_version")
        .await;

    // Re-opening applies nothing: the version is recorded once, at the
    // time of the first open.
    let store = db.open().await;
    assert!(store.migrations_applied().is_empty());
    assert_eq!(store.schema_version().await.unwrap(), 5);
    assert_eq!(db.count("SELECT count(*) FROM schema_version").await, 5);
    assert_eq!(
        db.count("SELECT max(applied_at_us) FROM schema_version")
            .await,
        recorded
    );
    store.close().await;
}

fn bob_v1() -> CalendarImport {
    let standup = meeting(
        "Standup",
        "bob@example.com",
        &["bob@example.com", "carol@example.com"],
    );
    calendar(
        "cal/bob.ics",
        "fp-1",
        Some("bob@example.com"),
        vec![
            instance("standup", utc(2024, 1, 8, 9, 0), 15, &standup),
            one_off("lunch", utc(2024, 1, 8, 12, 0), 60, &details("Lunch")),
            one_off("review", utc(2024, 1, 8, 14, 0), 60, &details("Review")),
            instance("standup", utc(2024, 1, 9, 9, 0), 15, &standup),
        ],
    )
}

/// The newer export: review changed, lunch deleted, retro added.
fn bob_v2(extra: Option<Occurrence>) -> CalendarImport {
    let standup = meeting(
        "Standup",
        "bob@example.com",
        &["bob@example.com", "carol@example.com"],
    );
    let mut occurrences = vec![
        instance("standup", utc(2024, 1, 8, 9, 0), 15, &standup),
        one_off(
            "review",
            utc(2024, 1, 8, 14, 0),
            60,
            &details("Review (moved room)"),
        ),
        instance("standup", utc(2024, 1, 9, 9, 0), 15, &standup),
        one_off("retro", utc(2024, 1, 10, 16, 0), 45, &details("Retro")),
    ];
    occurrences.extend(extra);
    calendar("cal/bob.ics", "fp-2", Some("bob@example.com"), occurrences)
}

async fn same_calendar_twice_is_unchanged(db: TestDb) {
    let store = db.open().await;
    let first = store.import_calendar(bob_v1()).await.unwrap();
    assert_eq!(first, outcome(first.source_id, 4, 0, 0, 0));
    let sources = store.sources(Page::default()).await.unwrap();
    let calendars = store
        .calendars(everything().0, everything().1)
        .await
        .unwrap();

    let second = store.import_calendar(bob_v1()).await.unwrap();
    assert_eq!(second, unchanged(first.source_id, 4));
    // Nothing was written: not even the import time.
    assert_eq!(store.sources(Page::default()).await.unwrap(), sources);
    assert_eq!(sources.len(), 1);
    assert_eq!(sources[0].records, 4);
    let again = store
        .calendars(everything().0, everything().1)
        .await
        .unwrap();
    assert_eq!(again.len(), 1);
    assert_eq!(calendar_view(&again[0]), calendar_view(&calendars[0]));
}

async fn newer_export_changes_removes_and_adds(db: TestDb) {
    let store = db.open().await;
    let first = store.import_calendar(bob_v1()).await.unwrap();
    let second = store.import_calendar(bob_v2(None)).await.unwrap();
    // Both standups kept, review changed, lunch removed, retro added.
    assert_eq!(second, outcome(first.source_id, 1, 1, 1, 2));

    let calendars = store
        .calendars(utc(2024, 1, 1, 0, 0), utc(2024, 2, 1, 0, 0))
        .await
        .unwrap();
    assert_eq!(calendars.len(), 1);
    let c = &calendars[0];
    assert_eq!(c.source, "cal/bob.ics");
    assert_eq!(c.file, "workspace/cal/bob.ics");
    assert_eq!(c.owner.as_deref(), Some("bob@example.com"));
    assert_eq!(
        (c.data_first, c.data_last),
        (Some(date(2024, 1, 1)), Some(date(2024, 3, 31)))
    );
    assert_eq!(c.problems, 2);
    assert_eq!(
        (c.expanded_from, c.expanded_to),
        (utc(2024, 1, 1, 0, 0), utc(2024, 4, 1, 0, 0))
    );
    assert_eq!(
        summary(c),
        vec![
            (
                "standup".to_owned(),
                "Standup".to_owned(),
                z(utc(2024, 1, 8, 9, 0))
            ),
            (
                "review".to_owned(),
                "Review (moved room)".to_owned(),
                z(utc(2024, 1, 8, 14, 0))
            ),
            (
                "standup".to_owned(),
                "Standup".to_owned(),
                z(utc(2024, 1, 9, 9, 0))
            ),
            (
                "retro".to_owned(),
                "Retro".to_owned(),
                z(utc(2024, 1, 10, 16, 0))
            ),
        ]
    );
    // The two standups share their details again.
    assert!(Arc::ptr_eq(
        &c.occurrences[0].details,
        &c.occurrences[2].details
    ));
    // Details no occurrence points at are gone: standup, the new review, retro.
    assert_eq!(db.count("SELECT count(*) FROM events").await, 3);
    let sources = store.sources(Page::default()).await.unwrap();
    assert_eq!(sources[0].fingerprint, "fp-2");
    assert_eq!(sources[0].records, 4);
}

async fn failed_import_leaves_the_store_as_it_was(db: TestDb) {
    let store = db.open().await;
    store.import_calendar(bob_v1()).await.unwrap();
    let slack_jan = chat(
        "chat/slack-jan.zip",
        "s-1",
        "slack",
        vec![chat_user("slack", "U1", "ada@example.com", "ada")],
        vec![conversation("C1", ConversationKind::Channel, &["U1"])],
        vec![message("C1", "1.0", utc(2024, 1, 2, 9, 0), "U1")],
        0,
    );
    store.import_chat(slack_jan).await.unwrap();
    let sources = store.sources(Page::default()).await.unwrap();
    let calendars = store
        .calendars(everything().0, everything().1)
        .await
        .unwrap();
    let chats = store.chats(None, None).await.unwrap();

    // Inserting an event or a message with the id `boom` fails: after the
    // import has already updated its source, deleted and replaced rows.
    if db.backend == "sqlite" {
        db.execute(&[
            "CREATE TRIGGER boom_event BEFORE INSERT ON events WHEN NEW.uid = 'boom' \
             BEGIN SELECT RAISE(ABORT, 'boom'); END",
            "CREATE TRIGGER boom_message BEFORE INSERT ON messages WHEN NEW.message_id = 'boom' \
             BEGIN SELECT RAISE(ABORT, 'boom'); END",
        ])
        .await;
    } else {
        db.execute(&[
            "CREATE FUNCTION boom_event() RETURNS trigger AS $$ BEGIN \
               IF NEW.uid = 'boom' THEN RAISE EXCEPTION 'boom'; END IF; RETURN NEW; END $$ \
             LANGUAGE plpgsql",
            "CREATE TRIGGER boom_event BEFORE INSERT ON events \
             FOR EACH ROW EXECUTE FUNCTION boom_event()",
            "CREATE FUNCTION boom_message() RETURNS trigger AS $$ BEGIN \
               IF NEW.message_id = 'boom' THEN RAISE EXCEPTION 'boom'; END IF; RETURN NEW; END $$ \
             LANGUAGE plpgsql",
            "CREATE TRIGGER boom_message BEFORE INSERT ON messages \
             FOR EACH ROW EXECUTE FUNCTION boom_message()",
        ])
        .await;
    }
    let boom = one_off("boom", utc(2024, 1, 11, 9, 0), 30, &details("Boom"));
    let err = store.import_calendar(bob_v2(Some(boom))).await.unwrap_err();
    assert!(matches!(err, StoreError::Database(_)), "{err:?}");
    let slack_feb = chat(
        "chat/slack-feb.zip",
        "s-2",
        "slack",
        vec![chat_user("slack", "U1", "ada@example.com", "ada-renamed")],
        vec![conversation("C1", ConversationKind::Channel, &["U1", "U2"])],
        vec![
            message("C1", "2.0", utc(2024, 2, 2, 9, 0), "U1"),
            message("C1", "boom", utc(2024, 2, 2, 9, 5), "U1"),
        ],
        0,
    );
    let err = store.import_chat(slack_feb).await.unwrap_err();
    assert!(matches!(err, StoreError::Database(_)), "{err:?}");

    assert_eq!(store.sources(Page::default()).await.unwrap(), sources);
    let after = store
        .calendars(everything().0, everything().1)
        .await
        .unwrap();
    assert_eq!(
        after.iter().map(calendar_view).collect::<Vec<_>>(),
        calendars.iter().map(calendar_view).collect::<Vec<_>>()
    );
    let after = store.chats(None, None).await.unwrap();
    assert_eq!(
        after.iter().map(view).collect::<Vec<_>>(),
        chats.iter().map(view).collect::<Vec<_>>()
    );

    // The store still works: the same export without the bad event imports.
    let retry = store.import_calendar(bob_v2(None)).await.unwrap();
    assert_eq!(retry, outcome(retry.source_id, 1, 1, 1, 2));
}

fn slack_users_jan() -> Vec<SourceUser> {
    let mut ada = chat_user("slack", "U1", "ada@example.com", "ada");
    ada.tz = Some(chrono_tz::Europe::London);
    vec![ada, chat_user("slack", "U2", "bob@example.com", "bob")]
}

async fn chat_export_appends_and_dedups(db: TestDb) {
    let store = db.open().await;
    let m1 = message(
        "C1",
        "1704103200.000100",
        utc(2024, 1, 1, 10, 0) + Duration::microseconds(100),
        "U1",
    );
    let mut m2 = message("C1", "1704106800.000200", utc(2024, 1, 1, 11, 0), "U2");
    m2.thread = ThreadRole::Parent;
    m2.reply_count = 1;
    m2.reply_users = 1;
    let mut m3 = message("C1", "1704107000.000300", utc(2024, 1, 1, 11, 3), "U1");
    m3.thread = ThreadRole::Reply {
        parent: Arc::from("1704106800.000200"),
    };
    let jan = chat(
        "chat/slack-jan.zip",
        "s-1",
        "slack",
        slack_users_jan(),
        vec![conversation("C1", ConversationKind::Channel, &["U1", "U2"])],
        vec![m1.clone(), m2.clone(), m3.clone()],
        1,
    );
    let first = store.import_chat(jan).await.unwrap();
    assert_eq!(first, outcome(first.source_id, 3, 0, 0, 0));

    // The February export overlaps: m2 has another reply now (changed), m3
    // is the same (kept), m4 and m5 are new; m1 is not in it (not removed).
    let mut m2b = m2.clone();
    m2b.reply_count = 2;
    m2b.reply_users = 2;
    let mut m4 = message("C1", "1706778000.000400", utc(2024, 2, 1, 9, 0), "U3");
    m4.thread = ThreadRole::Reply {
        parent: Arc::from("1704106800.000200"),
    };
    let m5 = message("C2", "1706864400.000500", utc(2024, 2, 2, 9, 0), "U3");
    let mut users = slack_users_jan();
    users[0].display_name = Some("Ada L.".to_owned());
    users.push(chat_user("slack", "U3", "carol@example.com", "carol"));
    let feb = chat(
        "chat/slack-feb.zip",
        "s-2",
        "slack",
        users.clone(),
        vec![
            conversation("C1", ConversationKind::Channel, &["U1", "U2", "U3"]),
            conversation("C2", ConversationKind::Private, &["U3"]),
        ],
        vec![m2b.clone(), m3.clone(), m4.clone(), m5.clone()],
        2,
    );
    let second = store.import_chat(feb.clone()).await.unwrap();
    assert_eq!(second, outcome(second.source_id, 2, 1, 0, 1));
    assert_ne!(second.source_id, first.source_id);
    assert_eq!(
        store.import_chat(feb).await.unwrap(),
        unchanged(second.source_id, 2)
    );

    let chats = store.chats(None, None).await.unwrap();
    assert_eq!(chats.len(), 1);
    let c = &chats[0];
    assert_eq!(c.platform, "slack");
    assert_eq!(c.sources, vec!["chat/slack-jan.zip", "chat/slack-feb.zip"]);
    assert_eq!(c.users, users);
    assert_eq!(
        c.conversations,
        vec![
            conversation("C1", ConversationKind::Channel, &["U1", "U2", "U3"]),
            conversation("C2", ConversationKind::Private, &["U3"]),
        ]
    );
    assert_eq!(c.messages, vec![m1, m2b.clone(), m3.clone(), m4, m5]);
    assert_eq!(c.skipped, 3);

    // A window: [11:00 on Jan 1, Feb 1) holds m2 and m3.
    let window = store
        .chats(Some(utc(2024, 1, 1, 11, 0)), Some(utc(2024, 2, 1, 0, 0)))
        .await
        .unwrap();
    assert_eq!(window[0].messages, vec![m2b, m3]);

    // Provenance: a message belongs to the export that first brought it.
    let sources = store.sources(Page::default()).await.unwrap();
    let records: Vec<(&str, u64)> = sources
        .iter()
        .map(|s| (s.source.as_str(), s.records))
        .collect();
    assert_eq!(
        records,
        vec![("chat/slack-feb.zip", 2), ("chat/slack-jan.zip", 3)]
    );
}

/// id, kind, source, file, fingerprint, records, owner.
type SourceView<'a> = (
    i64,
    SourceKind,
    &'a str,
    &'a str,
    &'a str,
    u64,
    Option<&'a str>,
);

async fn sources_list_provenance(db: TestDb) {
    let store = db.open().await;
    let calendar = store.import_calendar(bob_v1()).await.unwrap();
    let chat = store
        .import_chat(chat(
            "chat/mm.jsonl",
            "m-1",
            "mattermost",
            vec![chat_user("mattermost", "ada", "ada@example.com", "ada")],
            vec![conversation(
                "team/town-square",
                ConversationKind::Channel,
                &[],
            )],
            vec![message(
                "team/town-square",
                "1704103200000",
                utc(2024, 1, 1, 10, 0),
                "ada",
            )],
            0,
        ))
        .await
        .unwrap();
    let work = store
        .import_rows(rows_import(
            RowKind::WorkItem,
            "tasks/closed.csv",
            "w-1",
            &[
                ("ada@example.com", utc(2024, 1, 2, 10, 0), None),
                ("bob@example.com", utc(2024, 1, 3, 10, 0), None),
            ],
        ))
        .await
        .unwrap();
    let pulse = store
        .import_rows(rows_import(
            RowKind::Pulse,
            "pulse/answers.csv",
            "p-1",
            &[("ada@example.com", utc(2024, 1, 1, 0, 0), Some(4.0))],
        ))
        .await
        .unwrap();

    let all = store.sources(Page::default()).await.unwrap();
    let seen: Vec<SourceView<'_>> = all
        .iter()
        .map(|s| {
            (
                s.id,
                s.kind,
                s.source.as_str(),
                s.file.as_str(),
                s.fingerprint.as_str(),
                s.records,
                s.owner.as_deref(),
            )
        })
        .collect();
    assert_eq!(
        seen,
        vec![
            (
                pulse.source_id,
                SourceKind::Pulse,
                "pulse/answers.csv",
                "workspace/pulse/answers.csv",
                "p-1",
                1,
                None
            ),
            (
                work.source_id,
                SourceKind::WorkItems,
                "tasks/closed.csv",
                "workspace/tasks/closed.csv",
                "w-1",
                2,
                None
            ),
            (
                chat.source_id,
                SourceKind::Chat,
                "chat/mm.jsonl",
                "workspace/chat/mm.jsonl",
                "m-1",
                1,
                None
            ),
            (
                calendar.source_id,
                SourceKind::Calendar,
                "cal/bob.ics",
                "workspace/cal/bob.ics",
                "fp-1",
                4,
                Some("bob@example.com"),
            ),
        ]
    );
    assert!(all.windows(2).all(|w| w[0].imported_at >= w[1].imported_at));

    // Pages.
    let page = store
        .sources(Page {
            offset: 1,
            limit: 2,
        })
        .await
        .unwrap();
    assert_eq!(
        page.iter().map(|s| s.id).collect::<Vec<_>>(),
        vec![work.source_id, chat.source_id]
    );
    let huge = store
        .sources(Page {
            offset: 0,
            limit: 1_000_000,
        })
        .await
        .unwrap();
    assert_eq!(huge.len(), 4);
    assert!(
        store
            .sources(Page {
                offset: 4,
                limit: 10
            })
            .await
            .unwrap()
            .is_empty()
    );
}

async fn rows_are_replaced_per_source(db: TestDb) {
    let store = db.open().await;
    let first = store
        .import_rows(rows_import(
            RowKind::WorkItem,
            "tasks/closed.csv",
            "w-1",
            &[
                ("ada@example.com", utc(2024, 1, 2, 10, 0), None),
                ("bob@example.com", utc(2024, 1, 3, 10, 0), None),
                ("ada@example.com", utc(2024, 1, 4, 10, 0), None),
            ],
        ))
        .await
        .unwrap();
    assert_eq!(first, outcome(first.source_id, 3, 0, 0, 0));
    // The newer file keeps two rows, drops one and adds one.
    let rows = [
        ("ada@example.com", utc(2024, 1, 2, 10, 0), None),
        ("bob@example.com", utc(2024, 1, 3, 10, 0), None),
        ("carol@example.com", utc(2024, 1, 5, 10, 0), None),
    ];
    let second = store
        .import_rows(rows_import(
            RowKind::WorkItem,
            "tasks/closed.csv",
            "w-2",
            &rows,
        ))
        .await
        .unwrap();
    assert_eq!(second, outcome(first.source_id, 1, 0, 1, 2));
    let again = store
        .import_rows(rows_import(
            RowKind::WorkItem,
            "tasks/closed.csv",
            "w-2",
            &rows,
        ))
        .await
        .unwrap();
    assert_eq!(again, unchanged(first.source_id, 3));
    // A duplicated row counts twice.
    let pulse = store
        .import_rows(rows_import(
            RowKind::Pulse,
            "pulse.csv",
            "p-1",
            &[
                ("ada@example.com", utc(2024, 1, 1, 0, 0), Some(4.0)),
                ("ada@example.com", utc(2024, 1, 1, 0, 0), Some(4.0)),
                ("bob@example.com", utc(2024, 1, 1, 0, 0), Some(2.5)),
            ],
        ))
        .await
        .unwrap();
    assert_eq!(pulse, outcome(pulse.source_id, 3, 0, 0, 0));
    let pulse2 = store
        .import_rows(rows_import(
            RowKind::Pulse,
            "pulse.csv",
            "p-2",
            &[
                ("ada@example.com", utc(2024, 1, 1, 0, 0), Some(4.0)),
                ("bob@example.com", utc(2024, 1, 1, 0, 0), Some(3.0)),
            ],
        ))
        .await
        .unwrap();
    assert_eq!(pulse2, outcome(pulse.source_id, 1, 0, 2, 1));

    let work = store.rows(RowKind::WorkItem).await.unwrap();
    let seen: Vec<(&str, DateTime<Utc>, Option<f64>, &str)> = work
        .iter()
        .map(|r| (r.row.who.as_str(), r.row.at, r.row.score, r.source.as_str()))
        .collect();
    assert_eq!(
        seen,
        vec![
            (
                "ada@example.com",
                utc(2024, 1, 2, 10, 0),
                None,
                "tasks/closed.csv"
            ),
            (
                "bob@example.com",
                utc(2024, 1, 3, 10, 0),
                None,
                "tasks/closed.csv"
            ),
            (
                "carol@example.com",
                utc(2024, 1, 5, 10, 0),
                None,
                "tasks/closed.csv"
            ),
        ]
    );
    let pulse = store.rows(RowKind::Pulse).await.unwrap();
    let scores: Vec<Option<f64>> = pulse.iter().map(|r| r.row.score).collect();
    assert_eq!(scores, vec![Some(4.0), Some(3.0)]);
}

fn full_details() -> EventDetails {
    EventDetails {
        summary: "Planning — Q2 ✓".to_owned(),
        status: EventStatus::Tentative,
        transparency: Transparency::Transparent,
        organizer: Some(Participant {
            email: "ada@example.com".to_owned(),
            name: Some("Ada \"A\" Lovelace".to_owned()),
        }),
        attendees: vec![
            Attendee {
                who: participant("bob@example.com"),
                partstat: PartStat::NeedsAction,
                role: fulcrum_model::Role::Chair,
                is_resource: false,
                is_group: false,
            },
            Attendee {
                who: Participant {
                    email: "carol@example.com".to_owned(),
                    name: Some("Carol".to_owned()),
                },
                partstat: PartStat::Declined,
                role: fulcrum_model::Role::Optional,
                is_resource: false,
                is_group: false,
            },
            Attendee {
                who: participant("room@example.com"),
                partstat: PartStat::Tentative,
                role: fulcrum_model::Role::NonParticipant,
                is_resource: true,
                is_group: false,
            },
            Attendee {
                who: participant("dan@example.com"),
                partstat: PartStat::Delegated,
                role: fulcrum_model::Role::Required,
                is_resource: false,
                is_group: false,
            },
            attendee("erin@example.com"),
        ],
        created: Some(utc(2023, 12, 1, 8, 0)),
        dtstamp: Some(utc(2024, 1, 1, 0, 0) + Duration::nanoseconds(123_456_789)),
        last_modified: Some(utc(2023, 12, 24, 23, 59)),
        sequence: 7,
        categories: vec!["Planning".to_owned(), "Team, all".to_owned()],
        description: DescriptionFlags {
            present: true,
            has_agenda: true,
            has_outcome: false,
            has_preread_link: true,
            has_notes_link: false,
            decision: true,
        },
        out_of_office: false,
        urgent: true,
        series: SeriesInfo {
            in_series: true,
            series_ends: true,
        },
        tzid: Some("Asia/Kathmandu".to_owned()),
        source: Some(SourceRef {
            file: Arc::from("cal/all.ics"),
            line: 42,
        }),
    }
}

async fn values_round_trip_through_the_store(db: TestDb) {
    let store = db.open().await;
    let full = Arc::new(full_details());
    let other = Arc::new(EventDetails {
        status: EventStatus::Cancelled,
        out_of_office: true,
        description: DescriptionFlags {
            has_outcome: true,
            has_notes_link: true,
            ..DescriptionFlags::default()
        },
        ..EventDetails::default()
    });
    let floating = NaiveDate::from_ymd_opt(2024, 3, 1)
        .unwrap()
        .and_hms_nano_opt(9, 0, 0, 123_456_789)
        .unwrap();
    // In the order the store returns them: by start.
    let occurrences = vec![
        Occurrence {
            uid: Arc::from("all-day"),
            recurrence_id: None,
            start: CalTime::Date(date(2024, 3, 1)),
            end: CalTime::Date(date(2024, 3, 2)),
            details: other.clone(),
        },
        Occurrence {
            uid: Arc::from("floating"),
            recurrence_id: Some(CalTime::Floating(floating)),
            start: CalTime::Floating(floating),
            end: CalTime::Floating(floating + Duration::hours(1)),
            details: other.clone(),
        },
        Occurrence {
            uid: Arc::from("series"),
            recurrence_id: Some(CalTime::zoned(
                utc(2024, 3, 1, 10, 0),
                FixedOffset::east_opt(5 * 3600 + 45 * 60).unwrap(),
            )),
            start: CalTime::zoned(
                utc(2024, 3, 1, 10, 0) + Duration::nanoseconds(1),
                FixedOffset::east_opt(5 * 3600 + 45 * 60).unwrap(),
            ),
            end: CalTime::zoned(
                utc(2024, 3, 1, 11, 0),
                FixedOffset::west_opt(3 * 3600 + 1800).unwrap(),
            ),
            details: full.clone(),
        },
        Occurrence {
            uid: Arc::from("series"),
            recurrence_id: Some(CalTime::Date(date(2024, 3, 2))),
            start: CalTime::zoned(
                utc(2024, 3, 2, 10, 0),
                FixedOffset::west_opt(3 * 3600 + 1800).unwrap(),
            ),
            end: CalTime::zoned(
                utc(2024, 3, 2, 11, 0),
                FixedOffset::west_opt(3 * 3600 + 1800).unwrap(),
            ),
            details: full.clone(),
        },
        Occurrence {
            uid: Arc::from("lmt"),
            recurrence_id: None,
            start: CalTime::zoned(
                utc(2024, 3, 3, 12, 0),
                FixedOffset::east_opt(-17_762).unwrap(),
            ),
            end: CalTime::zoned(
                utc(2024, 3, 3, 12, 0),
                FixedOffset::east_opt(-17_762).unwrap(),
            ),
            details: Arc::new(EventDetails {
                transparency: Transparency::Opaque,
                status: EventStatus::Confirmed,
                ..full_details()
            }),
        },
    ];
    store
        .import_calendar(calendar("cal/all.ics", "a-1", None, occurrences.clone()))
        .await
        .unwrap();
    let calendars = store
        .calendars(everything().0, everything().1)
        .await
        .unwrap();
    assert_eq!(calendars[0].occurrences, occurrences);
    assert_eq!(calendars[0].owner, None);
    // The instances of the series share one value again.
    let read = &calendars[0].occurrences;
    assert!(Arc::ptr_eq(&read[2].details, &read[3].details));

    // Chat: every message kind and thread role, every conversation kind,
    // users with and without a zone.
    let systems = [
        SystemEvent::Join,
        SystemEvent::Leave,
        SystemEvent::Topic,
        SystemEvent::Purpose,
        SystemEvent::Rename,
        SystemEvent::Archive,
        SystemEvent::Pin,
        SystemEvent::Integration,
        SystemEvent::Deleted,
        SystemEvent::Other,
    ];
    let mut kinds = vec![MessageKind::Person, MessageKind::Bot];
    kinds.extend(systems.map(MessageKind::System));
    let threads = [
        ThreadRole::Standalone,
        ThreadRole::Parent,
        ThreadRole::Reply {
            parent: Arc::from("1700000000.000001"),
        },
    ];
    let mut messages = Vec::new();
    let mut n = 0;
    for kind in kinds {
        for thread in threads.clone() {
            n += 1;
            let at = DateTime::from_timestamp(1_700_000_000 + n * 60, 123_456_789).unwrap();
            messages.push(ChatMessage {
                id: Arc::from(format!("{}.{n:06}", 1_700_000_000 + n * 60)),
                at,
                conversation: Arc::from("C1"),
                author: if n % 5 == 0 {
                    None
                } else {
                    Some(Arc::from("U1"))
                },
                kind,
                thread,
                broadcast: n % 2 == 0,
                reply_count: n as u32,
                reply_users: (n / 2) as u32,
                mentions: Mentions {
                    users: if n % 3 == 0 {
                        vec!["U2".to_owned(), "U3".to_owned()]
                    } else {
                        Vec::new()
                    },
                    here: n % 4 == 0,
                    channel: n % 4 == 1,
                },
                huddle: n % 7 == 0,
                edited: n % 2 == 1,
                text_chars: 10 * n as u32,
                flags: MessageFlags {
                    urgent: n % 2 == 0,
                    call_request: n % 3 == 0,
                    decision: n % 5 == 0,
                    question: n % 4 == 0,
                    ack: n % 9 == 0,
                },
            });
        }
    }
    let users = vec![
        SourceUser {
            source: "slack".to_owned(),
            id: "U1".to_owned(),
            email: Some("ada@example.com".to_owned()),
            username: Some("ada".to_owned()),
            display_name: Some("Ada Lovelace".to_owned()),
            tz: Some(chrono_tz::America::Argentina::Buenos_Aires),
            is_bot: false,
            deleted: true,
        },
        SourceUser {
            source: "slack".to_owned(),
            id: "U2".to_owned(),
            email: None,
            username: None,
            display_name: None,
            tz: None,
            is_bot: true,
            deleted: false,
        },
    ];
    let conversations = vec![
        conversation("C1", ConversationKind::Channel, &["U1", "U2"]),
        conversation("D1", ConversationKind::Dm, &["U1", "U2"]),
        conversation("G1", ConversationKind::Private, &[]),
        conversation("M1", ConversationKind::GroupDm, &["U1", "U2", "U3"]),
    ];
    store
        .import_chat(chat(
            "chat/slack.zip",
            "s-1",
            "slack",
            users.clone(),
            conversations.clone(),
            messages.clone(),
            0,
        ))
        .await
        .unwrap();
    let chats = store.chats(None, None).await.unwrap();
    assert_eq!(chats.len(), 1);
    assert_eq!(chats[0].users, users);
    assert_eq!(chats[0].conversations, conversations);
    assert_eq!(chats[0].messages, messages);
}

async fn calendars_filter_by_window(db: TestDb) {
    let store = db.open().await;
    let d = details("x");
    let zero = |uid: &str, at: DateTime<Utc>| one_off(uid, at, 0, &d);
    let mut all_day = one_off("all-day", utc(2024, 1, 2, 0, 0), 0, &d);
    all_day.start = CalTime::Date(date(2024, 1, 2));
    all_day.end = CalTime::Date(date(2024, 1, 3));
    // 10:30 at +02:00 is 08:30Z: outside a 10:00Z-11:00Z window.
    let mut east = one_off("east", utc(2024, 1, 1, 8, 30), 60, &d);
    east.start = CalTime::zoned(utc(2024, 1, 1, 8, 30), FixedOffset::east_opt(7200).unwrap());
    store
        .import_calendar(calendar(
            "cal/w.ics",
            "w-1",
            None,
            vec![
                one_off("before", utc(2024, 1, 1, 9, 0), 60, &d),
                one_off("inside", utc(2024, 1, 1, 10, 0), 60, &d),
                one_off("across", utc(2024, 1, 1, 10, 30), 60, &d),
                zero("zero-start", utc(2024, 1, 1, 10, 0)),
                zero("zero-end", utc(2024, 1, 1, 11, 0)),
                one_off("after", utc(2024, 1, 1, 11, 0), 60, &d),
                east,
                all_day,
            ],
        ))
        .await
        .unwrap();
    let uids = |c: &[StoredCalendar]| -> Vec<String> {
        c[0].occurrences.iter().map(|o| o.uid.to_string()).collect()
    };
    let window = store
        .calendars(utc(2024, 1, 1, 10, 0), utc(2024, 1, 1, 11, 0))
        .await
        .unwrap();
    // Sorted by start, then uid.
    assert_eq!(uids(&window), vec!["inside", "zero-start", "across"]);
    let day2 = store
        .calendars(utc(2024, 1, 2, 12, 0), utc(2024, 1, 2, 13, 0))
        .await
        .unwrap();
    assert_eq!(uids(&day2), vec!["all-day"]);
    // A calendar with nothing in the window is still listed.
    let empty = store
        .calendars(utc(2025, 1, 1, 0, 0), utc(2025, 2, 1, 0, 0))
        .await
        .unwrap();
    assert_eq!(empty.len(), 1);
    assert!(empty[0].occurrences.is_empty());
    let all = store
        .calendars(everything().0, everything().1)
        .await
        .unwrap();
    assert_eq!(
        uids(&all),
        vec![
            "east",
            "before",
            "inside",
            "zero-start",
            "across",
            "after",
            "zero-end",
            "all-day"
        ]
    );
}

async fn forget_removes_every_trace(db: TestDb) {
    let store = db.open().await;
    let now = utc(2024, 3, 1, 12, 0);
    // Her calendar, and Bob's with her in a series and in an override.
    let focus = meeting("Focus", "ada@example.com", &[]);
    store
        .import_calendar(calendar(
            "cal/ada.ics",
            "a-1",
            Some("Ada@Example.com"),
            vec![
                one_off("ada-focus-1", utc(2024, 1, 8, 9, 0), 120, &focus),
                one_off("ada-focus-2", utc(2024, 1, 9, 9, 0), 120, &focus),
            ],
        ))
        .await
        .unwrap();
    let planning = meeting(
        "Planning",
        "ada@example.com",
        &["ada@example.com", "bob@example.com", "carol@example.com"],
    );
    let moved = meeting(
        "Planning (moved)",
        "bob@example.com",
        &["ADA@example.com", "bob@example.com"],
    );
    let one_on_one = meeting(
        "1:1",
        "bob@example.com",
        &["bob@example.com", "carol@example.com"],
    );
    store
        .import_calendar(calendar(
            "cal/bob.ics",
            "b-1",
            Some("bob@example.com"),
            vec![
                instance("planning", utc(2024, 1, 8, 10, 0), 60, &planning),
                instance("planning", utc(2024, 1, 15, 10, 0), 60, &planning),
                instance("planning", utc(2024, 1, 22, 11, 0), 60, &moved),
                one_off("bob-1on1", utc(2024, 1, 9, 15, 0), 30, &one_on_one),
            ],
        ))
        .await
        .unwrap();

    // Slack: her account, a channel, a DM, her messages and mentions of her.
    store
        .import_chat(chat(
            "chat/slack.zip",
            "s-1",
            "slack",
            vec![
                chat_user("slack", "UADA01", "ada@example.com", "ada.l"),
                chat_user("slack", "UBOB01", "bob@example.com", "bob"),
                chat_user("slack", "UCAROL1", "carol@example.com", "carol"),
            ],
            vec![
                conversation(
                    "C1",
                    ConversationKind::Channel,
                    &["UADA01", "UBOB01", "UCAROL1"],
                ),
                conversation("D1", ConversationKind::Dm, &["UADA01", "UBOB01"]),
            ],
            vec![
                message("C1", "1.1", utc(2024, 1, 8, 9, 0), "UADA01"),
                message("D1", "1.2", utc(2024, 1, 8, 9, 1), "UADA01"),
                mentioning(
                    message("C1", "1.3", utc(2024, 1, 8, 9, 2), "UBOB01"),
                    &["UADA01", "UCAROL1"],
                ),
                mentioning(
                    message("C1", "1.4", utc(2024, 1, 8, 9, 3), "UCAROL1"),
                    &["UADA01"],
                ),
                message("D1", "1.5", utc(2024, 1, 8, 9, 4), "UBOB01"),
            ],
            0,
        ))
        .await
        .unwrap();
    // Mattermost: a DM whose id is made of the usernames.
    let mut dm = conversation("ada.l,bob", ConversationKind::Dm, &["ada.l", "bob"]);
    dm.name = "ada.l, bob".to_owned();
    store
        .import_chat(chat(
            "chat/mm.jsonl",
            "m-1",
            "mattermost",
            vec![
                chat_user("mattermost", "ada.l", "ada@example.com", "ada.l"),
                chat_user("mattermost", "bob", "bob@example.com", "bob"),
            ],
            vec![dm],
            vec![
                message(
                    "ada.l,bob",
                    "1704103200000",
                    utc(2024, 1, 1, 10, 0),
                    "ada.l",
                ),
                mentioning(
                    message("ada.l,bob", "1704103300000", utc(2024, 1, 1, 10, 1), "bob"),
                    &["ada.l"],
                ),
            ],
            0,
        ))
        .await
        .unwrap();
    store
        .import_rows(rows_import(
            RowKind::WorkItem,
            "work.csv",
            "w-1",
            &[
                ("ada@example.com", utc(2024, 1, 2, 10, 0), None),
                ("bob@example.com", utc(2024, 1, 3, 10, 0), None),
                ("Ada@Example.com", utc(2024, 1, 4, 10, 0), None),
            ],
        ))
        .await
        .unwrap();
    store
        .import_rows(rows_import(
            RowKind::Pulse,
            "pulse.csv",
            "p-1",
            &[("ADA@example.com", utc(2024, 1, 1, 0, 0), Some(4.0))],
        ))
        .await
        .unwrap();
    let ada = store
        .create_user(NewUser {
            email: "ada@example.com".to_owned(),
            role: Role::Admin,
            teams: vec!["core".to_owned()],
            password_hash: Some("$argon2id$ada".to_owned()),
            now,
        })
        .await
        .unwrap();
    let bob = store
        .create_user(NewUser {
            email: "bob@example.com".to_owned(),
            role: Role::Member,
            teams: Vec::new(),
            password_hash: None,
            now,
        })
        .await
        .unwrap();
    store
        .create_session(NewSession {
            id_hash: "session-ada".to_owned(),
            user_id: ada.id,
            csrf: "csrf".to_owned(),
            created_at: now,
            expires_at: now + Duration::hours(1),
        })
        .await
        .unwrap();
    store
        .create_token(NewToken {
            user_id: ada.id,
            name: "laptop".to_owned(),
            hash: "token-ada".to_owned(),
            created_at: now,
        })
        .await
        .unwrap();

    // Workflow: an ask she wrote, an ask to her that she answered, a
    // proposal of Bob's with her stance and outcome, an ask of Bob's to the
    // team that stays as it is.
    let mut asks_her = ask("payments", "bob@example.com", Some("ada@example.com"), now);
    store
        .create_workflow_item(
            WorkflowItem::Ask(ask(
                "payments",
                "Ada@Example.com",
                Some("bob@example.com"),
                now,
            )),
            now,
        )
        .await
        .unwrap();
    asks_her.state = AskState::Answered(Answer {
        by: "ada@example.com".to_owned(),
        text: "Ada's answer".to_owned(),
        at: now,
    });
    let answered = store
        .create_workflow_item(WorkflowItem::Ask(asks_her), now)
        .await
        .unwrap();
    let mut proposal = decision("payments", "bob@example.com", now);
    proposal.stances = vec![
        stance("ada@example.com", Position::Block, "Ada's reason", now),
        stance("carol@example.com", Position::Agree, "", now),
    ];
    proposal.state = DecisionState::Closed(Outcome {
        text: "Ada's outcome".to_owned(),
        review_on: Some(date(2024, 6, 1)),
        by: "ada@example.com".to_owned(),
        at: now,
    });
    let proposal = store
        .create_workflow_item(WorkflowItem::Decision(proposal), now)
        .await
        .unwrap();
    let untouched = store
        .create_workflow_item(
            WorkflowItem::Ask(ask("payments", "bob@example.com", None, now)),
            now,
        )
        .await
        .unwrap();
    let mut minutes = meeting_record("payments", "bob@example.com", now);
    minutes.attendees.push("ada@example.com".to_owned());
    minutes.action_items[0].owner = "ADA@example.com".to_owned();
    let minutes = store
        .create_workflow_item(WorkflowItem::Meeting(minutes), now)
        .await
        .unwrap();

    let report = store
        .forget(PersonKeys {
            email: "Ada@Example.com".to_owned(),
            aliases: Vec::new(),
        })
        .await
        .unwrap();
    assert_eq!(
        report,
        ForgetReport {
            calendars: 1,
            occurrences: 2,
            // Planning: organizer and attendee; the moved instance: attendee.
            attendee_entries: 3,
            // Found by her email on both platforms.
            chat_users: 2,
            // Two on Slack, one on Mattermost.
            messages: 3,
            mentions: 3,
            // C1, D1 and the Mattermost DM.
            memberships: 3,
            rows: 3,
            accounts: 1,
            // The ask she wrote.
            workflow_items: 1,
            // Recipient and answer of Bob's ask; her stance and outcome;
            // her place among the attendees of Bob's meeting and as the
            // owner of its action item.
            workflow_entries: 6,
            reminders: 0,
        }
    );
    // Her entries are erased, and what the others wrote stays.
    let WorkflowItem::Ask(a) = store
        .workflow_item(answered.id)
        .await
        .unwrap()
        .unwrap()
        .item
    else {
        panic!("not an ask")
    };
    assert_eq!(a.to, Recipient::Team);
    assert_eq!(
        a.state,
        AskState::Answered(Answer {
            by: fulcrum_store::FORGOTTEN.to_owned(),
            text: String::new(),
            at: now,
        })
    );
    assert_eq!(a.context, ask("", "", None, now).context);
    let d = store.workflow_item(proposal.id).await.unwrap().unwrap();
    assert_eq!(d.version, 2, "forgetting is a change like any other");
    let WorkflowItem::Decision(d) = d.item else {
        panic!("not a decision")
    };
    assert_eq!(d.stances.len(), 1);
    assert_eq!(d.stances[0].person, "carol@example.com");
    assert!(
        matches!(&d.state, DecisionState::Closed(o) if o.text.is_empty() && o.by == "forgotten")
    );
    assert_eq!(
        store
            .workflow_item(untouched.id)
            .await
            .unwrap()
            .unwrap()
            .version,
        1
    );
    let WorkflowItem::Meeting(m) = store.workflow_item(minutes.id).await.unwrap().unwrap().item
    else {
        panic!("not a meeting record")
    };
    assert_eq!(m.attendees, ["bob@example.com", "carol@example.com"]);
    assert_eq!(m.action_items[0].owner, "");
    assert_eq!(m.action_items[0].text, "Move the job to the queue");
    assert_eq!(store.export_workflow(None).await.unwrap().len(), 4);

    // Nothing that names her is left, in any text column of any table.
    let (columns, hits) = db
        .find_text(&["ada@example.com", "uada01", "ada.l", "Ada's"])
        .await;
    assert!(columns > 30, "only {columns} text columns scanned");
    assert!(hits.is_empty(), "{hits:#?}");

    // What others own stays, without her.
    let calendars = store
        .calendars(everything().0, everything().1)
        .await
        .unwrap();
    assert_eq!(calendars.len(), 1);
    let bob_cal = &calendars[0];
    assert_eq!(bob_cal.occurrences.len(), 4);
    assert_eq!(bob_cal.occurrences[0].details.organizer, None);
    let emails = |o: &Occurrence| {
        o.details
            .attendees
            .iter()
            .map(|a| a.who.email.clone())
            .collect::<Vec<_>>()
    };
    assert_eq!(
        emails(&bob_cal.occurrences[0]),
        vec!["bob@example.com", "carol@example.com"]
    );
    assert_eq!(emails(&bob_cal.occurrences[3]), vec!["bob@example.com"]);
    let chats = store.chats(None, None).await.unwrap();
    let slack = chats.iter().find(|c| c.platform == "slack").unwrap();
    let ids: Vec<(&str, &str, Vec<String>)> = slack
        .messages
        .iter()
        .map(|m| (&*m.conversation, &*m.id, m.mentions.users.clone()))
        .collect();
    assert_eq!(
        ids,
        vec![
            ("C1", "1.3", vec!["UCAROL1".to_owned()]),
            ("C1", "1.4", Vec::new()),
            ("D1", "1.5", Vec::new()),
        ]
    );
    assert_eq!(slack.conversations[0].members, vec!["UBOB01", "UCAROL1"]);
    assert_eq!(
        slack
            .users
            .iter()
            .map(|u| u.id.as_str())
            .collect::<Vec<_>>(),
        vec!["UBOB01", "UCAROL1"]
    );
    let mm = chats.iter().find(|c| c.platform == "mattermost").unwrap();
    let renamed = &mm.conversations[0];
    assert!(
        renamed.id.starts_with("forgotten-") && renamed.id.ends_with(",bob"),
        "{renamed:?}"
    );
    assert_eq!(renamed.members, vec!["bob"]);
    assert_eq!(mm.messages.len(), 1);
    assert_eq!(mm.messages[0].conversation, renamed.id);
    assert!(mm.messages[0].mentions.users.is_empty());
    assert_eq!(store.rows(RowKind::WorkItem).await.unwrap().len(), 1);
    assert!(store.rows(RowKind::Pulse).await.unwrap().is_empty());
    assert!(
        store
            .session("session-ada".to_owned(), now)
            .await
            .unwrap()
            .is_none()
    );
    assert!(
        store
            .token("token-ada".to_owned(), now)
            .await
            .unwrap()
            .is_none()
    );
    assert!(store.user_by_id(bob.id).await.unwrap().is_some());
    assert_eq!(db.count("SELECT count(*) FROM sessions").await, 0);
    assert_eq!(db.count("SELECT count(*) FROM api_tokens").await, 0);

    // Forgetting again finds nothing.
    let again = store
        .forget(PersonKeys {
            email: "ada@example.com".to_owned(),
            aliases: vec!["UADA01".to_owned(), "ada.l".to_owned()],
        })
        .await
        .unwrap();
    assert_eq!(again, ForgetReport::default());
}

async fn retention_drops_raw_records_and_keeps_aggregates(db: TestDb) {
    let store = db.open().await;
    let cutoff = utc(2024, 2, 1, 0, 0);
    let old = details("Old");
    let edge = details("Edge");
    let new = details("New");
    store
        .import_calendar(calendar(
            "cal/r.ics",
            "r-1",
            None,
            vec![
                one_off("old", utc(2024, 1, 5, 9, 0), 60, &old),
                // Ends exactly at the limit: not before it, kept.
                one_off("edge", utc(2024, 1, 31, 23, 0), 60, &edge),
                one_off("across", utc(2024, 1, 31, 23, 30), 60, &edge),
                one_off("new", utc(2024, 2, 5, 9, 0), 60, &new),
            ],
        ))
        .await
        .unwrap();
    store
        .import_chat(chat(
            "chat/r.zip",
            "c-1",
            "slack",
            Vec::new(),
            vec![conversation("C1", ConversationKind::Channel, &[])],
            vec![
                message("C1", "1", utc(2024, 1, 1, 9, 0), "U1"),
                message("C1", "2", utc(2024, 1, 31, 23, 59), "U1"),
                message("C1", "3", cutoff, "U1"),
            ],
            0,
        ))
        .await
        .unwrap();
    store
        .import_rows(rows_import(
            RowKind::WorkItem,
            "work.csv",
            "w-1",
            &[
                ("ada@example.com", utc(2024, 1, 2, 10, 0), None),
                ("ada@example.com", cutoff, None),
                ("ada@example.com", utc(2024, 2, 2, 10, 0), None),
            ],
        ))
        .await
        .unwrap();
    let aggregates = vec![Aggregate {
        team: "core".to_owned(),
        week: date(2024, 1, 1),
        signal: "meeting_share".to_owned(),
        value: 0.25,
        members: 5,
    }];
    store.put_aggregates(aggregates.clone()).await.unwrap();

    let report = store.apply_retention(cutoff).await.unwrap();
    assert_eq!(
        report,
        RetentionReport {
            occurrences: 1,
            messages: 2,
            rows: 1,
        }
    );
    let calendars = store
        .calendars(everything().0, everything().1)
        .await
        .unwrap();
    let uids: Vec<&str> = calendars[0].occurrences.iter().map(|o| &*o.uid).collect();
    assert_eq!(uids, vec!["edge", "across", "new"]);
    // The old event's details went with its last occurrence (edge, across
    // and new are three events: two uids share one details value).
    assert_eq!(db.count("SELECT count(*) FROM events").await, 3);
    let chats = store.chats(None, None).await.unwrap();
    assert_eq!(
        chats[0].messages.iter().map(|m| &*m.id).collect::<Vec<_>>(),
        vec!["3"]
    );
    assert_eq!(store.rows(RowKind::WorkItem).await.unwrap().len(), 2);
    assert_eq!(store.aggregates(None).await.unwrap(), aggregates);
    assert_eq!(
        store.apply_retention(cutoff).await.unwrap(),
        RetentionReport::default()
    );
}

fn aggregate(team: &str, week: NaiveDate, signal: &str, value: f64) -> Aggregate {
    Aggregate {
        team: team.to_owned(),
        week,
        signal: signal.to_owned(),
        value,
        members: 6,
    }
}

async fn aggregates_replace_team_weeks(db: TestDb) {
    let store = db.open().await;
    let (w1, w2) = (date(2024, 1, 1), date(2024, 1, 8));
    store
        .put_aggregates(vec![
            aggregate("core", w2, "meeting_share", 0.3),
            aggregate("core", w1, "meeting_share", 0.2),
            aggregate("core", w1, "focus_hours", 12.5),
            aggregate("apps", w1, "meeting_share", 0.4),
        ])
        .await
        .unwrap();
    // Week 1 of core again, without focus hours.
    store
        .put_aggregates(vec![aggregate("core", w1, "meeting_share", 0.25)])
        .await
        .unwrap();
    assert_eq!(
        store.aggregates(None).await.unwrap(),
        vec![
            aggregate("apps", w1, "meeting_share", 0.4),
            aggregate("core", w1, "meeting_share", 0.25),
            aggregate("core", w2, "meeting_share", 0.3),
        ]
    );
    assert_eq!(
        store.aggregates(Some("core".to_owned())).await.unwrap(),
        vec![
            aggregate("core", w1, "meeting_share", 0.25),
            aggregate("core", w2, "meeting_share", 0.3),
        ]
    );
    assert!(
        store
            .aggregates(Some("nobody".to_owned()))
            .await
            .unwrap()
            .is_empty()
    );
}

async fn accounts_sessions_and_tokens(db: TestDb) {
    let store = db.open().await;
    let now = utc(2024, 3, 1, 12, 0);
    let new_user = |email: &str| NewUser {
        email: email.to_owned(),
        role: Role::Member,
        teams: vec!["core".to_owned()],
        password_hash: Some("$argon2id$v=19$hash".to_owned()),
        now,
    };
    let ada = store
        .create_user(new_user("Ada@Example.COM"))
        .await
        .unwrap();
    assert_eq!(ada.email, "ada@example.com");
    assert_eq!(ada.created_at, now);
    let err = store
        .create_user(new_user("ada@example.com"))
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::Conflict(_)), "{err:?}");
    assert_eq!(
        store
            .user_by_email("ADA@example.com".to_owned())
            .await
            .unwrap(),
        Some(ada.clone())
    );
    assert_eq!(store.user_by_id(ada.id).await.unwrap(), Some(ada.clone()));
    assert_eq!(store.user_by_id(ada.id + 1000).await.unwrap(), None);
    let carol = store
        .create_user(new_user("carol@example.com"))
        .await
        .unwrap();
    let bob = store
        .create_user(new_user("bob@example.com"))
        .await
        .unwrap();

    // Update: the role and teams change, the password hash stays.
    let lead = store
        .update_user(
            ada.id,
            UserChange {
                role: Some(Role::Lead),
                teams: Some(vec!["core".to_owned(), "apps".to_owned()]),
                password_hash: None,
            },
        )
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (lead.role, lead.teams.clone()),
        (Role::Lead, vec!["core".to_owned(), "apps".to_owned()])
    );
    assert_eq!(lead.password_hash, ada.password_hash);
    assert_eq!(store.user_by_id(ada.id).await.unwrap(), Some(lead.clone()));
    assert_eq!(
        store.update_user(-1, UserChange::default()).await.unwrap(),
        None
    );

    // Ordered by email, paged.
    let emails =
        |users: Vec<fulcrum_store::User>| users.into_iter().map(|u| u.email).collect::<Vec<_>>();
    assert_eq!(
        emails(store.users(Page::default()).await.unwrap()),
        vec!["ada@example.com", "bob@example.com", "carol@example.com"]
    );
    assert_eq!(
        emails(
            store
                .users(Page {
                    offset: 1,
                    limit: 1
                })
                .await
                .unwrap()
        ),
        vec!["bob@example.com"]
    );

    // Sessions: expiry, logout, and the sweep of expired ones.
    let session = |id: &str, user_id: i64, expires_at: DateTime<Utc>| NewSession {
        id_hash: id.to_owned(),
        user_id,
        csrf: format!("csrf-{id}"),
        created_at: now - Duration::hours(2),
        expires_at,
    };
    let live = session("live", ada.id, now + Duration::hours(1));
    store.create_session(live.clone()).await.unwrap();
    store
        .create_session(session("expired", bob.id, now - Duration::minutes(1)))
        .await
        .unwrap();
    store
        .create_session(session("other", carol.id, now + Duration::hours(1)))
        .await
        .unwrap();
    assert_eq!(
        store.session("live".to_owned(), now).await.unwrap(),
        Some((live.clone(), lead.clone()))
    );
    assert_eq!(
        store.session("expired".to_owned(), now).await.unwrap(),
        None
    );
    assert_eq!(
        store
            .session("live".to_owned(), now + Duration::hours(2))
            .await
            .unwrap(),
        None
    );
    store.delete_session("live".to_owned(), now).await.unwrap();
    assert_eq!(store.session("live".to_owned(), now).await.unwrap(), None);
    assert_eq!(db.count("SELECT count(*) FROM sessions").await, 1);

    // Tokens: lookup by hash records the use, newest first, paged, revoked.
    let mut tokens = Vec::new();
    for (i, name) in ["ci", "laptop", "phone"].into_iter().enumerate() {
        tokens.push(
            store
                .create_token(NewToken {
                    user_id: ada.id,
                    name: name.to_owned(),
                    hash: format!("hash-{name}"),
                    created_at: now + Duration::minutes(i as i64),
                })
                .await
                .unwrap(),
        );
    }
    let err = store
        .create_token(NewToken {
            user_id: bob.id,
            name: "copy".to_owned(),
            hash: "hash-ci".to_owned(),
            created_at: now,
        })
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::Conflict(_)), "{err:?}");
    let used_at = now + Duration::hours(3);
    let (ci, owner) = store
        .token("hash-ci".to_owned(), used_at)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(ci.last_used_at, Some(used_at));
    // Used again 30 s later: the use is recorded at most once a minute, so
    // the time stays; 61 s after the first use it moves.
    let (again, _) = store
        .token("hash-ci".to_owned(), used_at + Duration::seconds(30))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(again.last_used_at, Some(used_at));
    let later = used_at + Duration::seconds(61);
    let (again, _) = store
        .token("hash-ci".to_owned(), later)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(again.last_used_at, Some(later));
    let ci = again;
    assert_eq!(ci.name, "ci");
    assert_eq!(owner, lead);
    assert_eq!(
        store.token("hash-none".to_owned(), used_at).await.unwrap(),
        None
    );
    let names = |t: Vec<fulcrum_store::ApiToken>| t.into_iter().map(|t| t.name).collect::<Vec<_>>();
    assert_eq!(
        names(
            store
                .tokens(
                    Some(ada.id),
                    Page {
                        offset: 0,
                        limit: 2
                    }
                )
                .await
                .unwrap()
        ),
        vec!["phone", "laptop"]
    );
    let last = store
        .tokens(
            Some(ada.id),
            Page {
                offset: 2,
                limit: 2,
            },
        )
        .await
        .unwrap();
    assert_eq!(last, vec![ci.clone()]);
    assert!(store.revoke_token(tokens[1].id, used_at).await.unwrap());
    assert!(!store.revoke_token(tokens[1].id, used_at).await.unwrap());
    assert!(!store.revoke_token(-1, used_at).await.unwrap());
    assert_eq!(
        store
            .token("hash-laptop".to_owned(), used_at)
            .await
            .unwrap(),
        None
    );
    let all = store.tokens(None, Page::default()).await.unwrap();
    assert_eq!(all[1].revoked_at, Some(used_at));
    assert_eq!(all.len(), 3);
    assert!(
        store
            .tokens(Some(bob.id), Page::default())
            .await
            .unwrap()
            .is_empty()
    );

    // Deleting an account takes its sessions and tokens along.
    store
        .create_session(session("again", ada.id, now + Duration::hours(1)))
        .await
        .unwrap();
    assert!(store.delete_user(ada.id).await.unwrap());
    assert!(!store.delete_user(ada.id).await.unwrap());
    assert_eq!(
        store
            .user_by_email("ada@example.com".to_owned())
            .await
            .unwrap(),
        None
    );
    assert_eq!(store.session("again".to_owned(), now).await.unwrap(), None);
    assert!(
        store
            .tokens(Some(ada.id), Page::default())
            .await
            .unwrap()
            .is_empty()
    );
    assert_eq!(db.count("SELECT count(*) FROM api_tokens").await, 0);
    assert_eq!(db.count("SELECT count(*) FROM sessions").await, 1);
}

async fn many_messages_import_quickly(db: TestDb) {
    let store = db.open().await;
    let n: i64 = 100_000;
    let messages: Vec<ChatMessage> = (0..n)
        .map(|i| {
            let m = message(
                &format!("C{}", i % 50),
                &format!("{}.{:06}", 1_700_000_000 + i, i),
                DateTime::from_timestamp(1_700_000_000 + i, 0).unwrap(),
                &format!("U{}", i % 300),
            );
            if i % 10 == 0 {
                mentioning(m, &["U1", "U2"])
            } else {
                m
            }
        })
        .collect();
    let started = std::time::Instant::now();
    let outcome = store
        .import_chat(chat(
            "chat/big.zip",
            "b-1",
            "slack",
            Vec::new(),
            Vec::new(),
            messages.clone(),
            0,
        ))
        .await
        .unwrap();
    let first = started.elapsed();
    assert_eq!(outcome.added, n as u64);
    // A later export with the same messages: all kept.
    let started = std::time::Instant::now();
    let again = store
        .import_chat(chat(
            "chat/big-2.zip",
            "b-2",
            "slack",
            Vec::new(),
            Vec::new(),
            messages,
            0,
        ))
        .await
        .unwrap();
    let second = started.elapsed();
    assert_eq!((again.added, again.kept), (0, n as u64));
    eprintln!(
        "{}: 100k messages imported in {first:?}, re-imported in {second:?}",
        db.backend
    );
    assert!(first.as_secs() < 60, "{first:?}");
    assert_eq!(
        db.count("SELECT count(*) FROM message_mentions").await,
        n / 10 * 2
    );
}

// ---- opening ---------------------------------------------------------------------

#[tokio::test]
async fn open_errors_hide_passwords() {
    let err = Store::open("postgres://fulcrum:s3cret-pw@127.0.0.1:1/nothing")
        .await
        .err()
        .unwrap();
    let text = err.to_string();
    assert!(matches!(err, StoreError::Connect { .. }), "{err:?}");
    assert!(!text.contains("s3cret-pw"), "{text}");
    assert!(text.contains("fulcrum:***@127.0.0.1:1"), "{text}");
    let err = Store::open("mysql://u:pw@host/db").await.err().unwrap();
    assert!(err.to_string().contains("u:***@host"), "{err}");
}

#[tokio::test]
async fn in_memory_sqlite_keeps_its_data_for_the_life_of_the_store() {
    let store = Store::open("sqlite::memory:").await.unwrap();
    assert_eq!(store.backend_name(), "sqlite");
    store.import_calendar(bob_v1()).await.unwrap();
    // Several calls, possibly on several tasks: one database all along.
    let (a, b) = tokio::join!(
        store.sources(Page::default()),
        store.calendars(everything().0, everything().1)
    );
    assert_eq!(a.unwrap()[0].records, 4);
    assert_eq!(b.unwrap()[0].occurrences.len(), 4);
}

#[tokio::test]
async fn sqlite_url_forms_open_the_same_file() {
    let folder = std::env::temp_dir().join(format!("fulcrum-store-url-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&folder);
    let file = folder.join("a b").join("store.db");
    let store = Store::open(&format!("sqlite://{}", file.display()))
        .await
        .unwrap();
    store.import_calendar(bob_v1()).await.unwrap();
    store.close().await;
    let store = Store::open(&file.display().to_string()).await.unwrap();
    assert!(store.migrations_applied().is_empty());
    assert_eq!(store.sources(Page::default()).await.unwrap().len(), 1);
    store.close().await;
    std::fs::remove_dir_all(&folder).unwrap();
}

// ---- the async workflow --------------------------------------------------------

fn ask(team: &str, author: &str, to: Option<&str>, at: DateTime<Utc>) -> Ask {
    Ask {
        team: team.to_owned(),
        author: author.to_owned(),
        to: to.map_or(Recipient::Team, |p| Recipient::Person(p.to_owned())),
        context: "The refund job failed twice; logs in the runbook.".to_owned(),
        needed: "Retry nightly, or move it to the queue? I suggest the queue.".to_owned(),
        respond_in: "the refunds doc".to_owned(),
        answer_by: Some(AnswerBy::Sla("normal".to_owned())),
        due: Some(at + Duration::hours(24)),
        asked_at: at,
        state: AskState::Open,
    }
}

fn decision(team: &str, author: &str, at: DateTime<Utc>) -> Decision {
    Decision {
        team: team.to_owned(),
        author: author.to_owned(),
        title: "Move refunds to the queue".to_owned(),
        context: "Options: nightly retry; the queue.".to_owned(),
        decision_type: Some("reversible".to_owned()),
        who_decides: author.to_owned(),
        opened_at: at,
        closes_at: at + Duration::days(2),
        stances: Vec::new(),
        state: DecisionState::Open,
    }
}

fn meeting_record(team: &str, author: &str, at: DateTime<Utc>) -> MeetingRecord {
    MeetingRecord {
        team: team.to_owned(),
        author: author.to_owned(),
        title: "Refunds review".to_owned(),
        meeting: Some(MeetingRef {
            uid: "refunds-weekly@example.com".to_owned(),
            occurrence: Some(at + Duration::hours(2)),
        }),
        held_at: at + Duration::hours(2),
        desired_outcome: "Retry or queue".to_owned(),
        agenda: "1. Failures\n2. Options".to_owned(),
        pre_read: "the refunds doc".to_owned(),
        timebox_minutes: Some(30),
        attendees: vec![author.to_owned(), "carol@example.com".to_owned()],
        summary: String::new(),
        decisions: Vec::new(),
        action_items: vec![ActionItem {
            text: "Move the job to the queue".to_owned(),
            owner: "bob@example.com".to_owned(),
            due: Some(date(2025, 1, 10)),
            done: false,
        }],
    }
}

fn stance(person: &str, position: Position, reason: &str, at: DateTime<Utc>) -> Stance {
    Stance {
        person: person.to_owned(),
        position,
        reason: reason.to_owned(),
        at,
    }
}

/// Every kind and state of object (asks, proposals, meeting records) comes
/// back `==` to what was written
/// (times to the nanosecond, text with its line breaks and non-ASCII),
/// lists are per team, filtered and paged, and the export holds every
/// object of the team, oldest first.
async fn workflow_objects_round_trip_and_list_per_team(db: TestDb) {
    let store = db.open().await;
    let now = Utc.timestamp_opt(1_733_400_000, 123_456_789).unwrap();
    let mut answered = ask("payments", "ana@x.io", Some("bo@x.io"), now);
    answered.context = "Zeile 1\nZeile 2: Grüße, 東京, \"quotes\" and 'apostrophes'".to_owned();
    answered.answer_by = Some(AnswerBy::Deadline(now + Duration::minutes(90)));
    answered.state = AskState::Answered(Answer {
        by: "bo@x.io".to_owned(),
        text: "The queue.".to_owned(),
        at: now + Duration::minutes(5),
    });
    let mut withdrawn = ask("payments", "bo@x.io", None, now);
    withdrawn.answer_by = None;
    withdrawn.due = None;
    withdrawn.state = AskState::Withdrawn { at: now };
    let open = ask("payments", "cy@x.io", Some("Ana@X.io"), now);
    let mut closed = decision("payments", "ana@x.io", now);
    closed.stances = vec![
        stance("bo@x.io", Position::Disagree, "cost", now),
        stance("cy@x.io", Position::Abstain, "", now),
    ];
    closed.state = DecisionState::Closed(Outcome {
        text: "The queue, from January.".to_owned(),
        review_on: Some(date(2025, 3, 1)),
        by: "ana@x.io".to_owned(),
        at: now + Duration::days(2),
    });
    let mut written = Vec::new();
    for item in [
        WorkflowItem::Ask(answered),
        WorkflowItem::Ask(withdrawn),
        WorkflowItem::Ask(open),
        WorkflowItem::Decision(closed),
        WorkflowItem::Decision(decision("search", "di@x.io", now)),
        WorkflowItem::Meeting(meeting_record("search", "di@x.io", now)),
        WorkflowItem::Meeting(MeetingRecord {
            meeting: None,
            timebox_minutes: None,
            summary: "Vendor A.\nReview in March.".to_owned(),
            decisions: vec![7, 9],
            action_items: Vec::new(),
            ..meeting_record("search", "di@x.io", now)
        }),
    ] {
        let s = store.create_workflow_item(item.clone(), now).await.unwrap();
        assert_eq!(
            (s.version, s.created_at, s.updated_at),
            (1, s.created_at, s.created_at)
        );
        assert_eq!(s.item, item);
        written.push(s);
    }
    for w in &written {
        assert_eq!(store.workflow_item(w.id).await.unwrap().as_ref(), Some(w));
    }
    assert_eq!(store.workflow_item(999_999).await.unwrap(), None);

    let ids = |items: Vec<fulcrum_store::StoredWorkflowItem>| -> Vec<i64> {
        items.iter().map(|i| i.id).collect()
    };
    let id = |i: usize| written[i].id;
    let all = Page::default();
    // Each list is also worked out in memory from the export, with the
    // rule the server's cache lists by (`WorkflowFilter::page_of`): the
    // two must agree.
    let list = |filter: WorkflowFilter, page: Page| {
        let store = &store;
        async move {
            let sql = store
                .workflow_items("payments".into(), filter.clone(), page)
                .await
                .unwrap();
            let export = store
                .export_workflow(Some("payments".into()))
                .await
                .unwrap();
            assert_eq!(sql, filter.page_of(&export, page), "{filter:?} {page:?}");
            ids(sql)
        }
    };
    // Newest first, this team only.
    assert_eq!(
        list(WorkflowFilter::default(), all).await,
        [id(3), id(2), id(1), id(0)]
    );
    assert_eq!(
        list(
            WorkflowFilter {
                kind: Some(WorkflowKind::Ask),
                ..WorkflowFilter::default()
            },
            all
        )
        .await,
        [id(2), id(1), id(0)]
    );
    assert_eq!(
        list(
            WorkflowFilter {
                state: Some("open".into()),
                ..WorkflowFilter::default()
            },
            all
        )
        .await,
        [id(2)]
    );
    // Waiting on Ana: the ask to her (any case) and her proposal.
    assert_eq!(
        list(
            WorkflowFilter {
                waits_on: Some("ANA@x.io".into()),
                ..WorkflowFilter::default()
            },
            all
        )
        .await,
        [id(3), id(2)]
    );
    assert_eq!(
        list(
            WorkflowFilter {
                author: Some("bo@x.io".into()),
                ..WorkflowFilter::default()
            },
            all
        )
        .await,
        [id(1)]
    );
    assert_eq!(
        list(
            WorkflowFilter::default(),
            Page {
                offset: 1,
                limit: 2
            }
        )
        .await,
        [id(2), id(1)]
    );
    assert!(
        store
            .workflow_items("nobody".into(), WorkflowFilter::default(), all)
            .await
            .unwrap()
            .is_empty()
    );
    let export = store
        .export_workflow(Some("payments".into()))
        .await
        .unwrap();
    assert_eq!(export, written[..4].to_vec());
    assert_eq!(store.export_workflow(None).await.unwrap(), written);
    store.close().await;
}

/// Two people edit the same object from the same version: the first change
/// is kept, the second is refused with the version now stored, and nothing
/// of it is written; redone on the new version it succeeds.
async fn concurrent_workflow_edits_are_refused_not_lost(db: TestDb) {
    let store = db.open().await;
    let now = utc(2026, 12, 4, 10, 0);
    let created = store
        .create_workflow_item(
            WorkflowItem::Decision(decision("payments", "ana@x.io", now)),
            now,
        )
        .await
        .unwrap();
    let WorkflowItem::Decision(base) = created.item.clone() else {
        panic!("not a decision")
    };
    let mut first = base.clone();
    first
        .take_stance(stance("bo@x.io", Position::Agree, "", now))
        .unwrap();
    let mut second = base.clone();
    second
        .take_stance(stance("cy@x.io", Position::Block, "no budget", now))
        .unwrap();

    let later = now + Duration::minutes(3);
    // The stamp: one object of version 1, written at `now`.
    let stamp = |team: &'static str| {
        let store = &store;
        async move { store.workflow_stamp(team.into()).await.unwrap() }
    };
    let before = stamp("payments").await;
    assert_eq!(
        before,
        fulcrum_store::WorkflowStamp {
            count: 1,
            max_id: created.id,
            versions: 1,
            updated_at_us: now.timestamp_micros(),
        }
    );
    assert_eq!(
        stamp("nobody").await,
        fulcrum_store::WorkflowStamp::default()
    );
    let v2 = store
        .update_workflow_item(created.id, 1, WorkflowItem::Decision(first.clone()), later)
        .await
        .unwrap()
        .unwrap();
    assert_eq!((v2.version, v2.created_at, v2.updated_at), (2, now, later));
    // A change moves the stamp (the version sum and the latest change).
    let after = stamp("payments").await;
    assert_eq!((after.count, after.versions), (1, 2));
    assert_eq!(after.updated_at_us, later.timestamp_micros());
    let err = store
        .update_workflow_item(created.id, 1, WorkflowItem::Decision(second), later)
        .await
        .unwrap_err();
    // A refused change moves nothing.
    assert_eq!(stamp("payments").await, after);
    assert!(
        matches!(&err, StoreError::Stale { current: 2, .. }),
        "{err:?}"
    );
    assert_eq!(
        err.to_string(),
        format!(
            "decision {} was changed by someone else (now version 2); reload it and try again",
            created.id
        )
    );
    assert_eq!(store.workflow_item(created.id).await.unwrap().unwrap(), v2);

    // Redone on what is stored now, both stances are kept.
    let mut redo = first;
    redo.take_stance(stance("cy@x.io", Position::Block, "no budget", now))
        .unwrap();
    let v3 = store
        .update_workflow_item(created.id, 2, WorkflowItem::Decision(redo), later)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(v3.version, 3);
    let WorkflowItem::Decision(d) = v3.item else {
        panic!("not a decision")
    };
    assert_eq!(d.tally().agree + d.tally().block, 2);
    // Closing it moves it out of the open list and its waiting.
    let mut closed = d;
    closed
        .close(Outcome {
            text: "Not this quarter.".into(),
            review_on: None,
            by: "ana@x.io".into(),
            at: later,
        })
        .unwrap();
    store
        .update_workflow_item(created.id, 3, WorkflowItem::Decision(closed), later)
        .await
        .unwrap()
        .unwrap();
    let open = store
        .workflow_items(
            "payments".into(),
            WorkflowFilter {
                state: Some("open".into()),
                ..WorkflowFilter::default()
            },
            Page::default(),
        )
        .await
        .unwrap();
    assert!(open.is_empty());
    // Another team's or another kind's id is not this object.
    let other_team = WorkflowItem::Decision(decision("search", "ana@x.io", now));
    assert_eq!(
        store
            .update_workflow_item(created.id, 4, other_team, later)
            .await
            .unwrap(),
        None
    );
    let as_ask = WorkflowItem::Ask(ask("payments", "ana@x.io", None, now));
    assert_eq!(
        store
            .update_workflow_item(created.id, 4, as_ask, later)
            .await
            .unwrap(),
        None
    );
    assert_eq!(
        store
            .workflow_item(created.id)
            .await
            .unwrap()
            .unwrap()
            .version,
        4
    );
    store.close().await;
}

fn incident(team: &str, author: &str, at: DateTime<Utc>) -> Incident {
    Incident {
        team: team.to_owned(),
        author: author.to_owned(),
        title: "Refunds fail for every card".to_owned(),
        severity: Severity::Sev1,
        description: "Call in the incident huddle.\nStatus page updated.".to_owned(),
        opened_at: at,
        resolved: None,
        review: None,
    }
}

/// An incident is created, listed by kind and state, resolved and reviewed
/// under the version check (a change from an older version is refused),
/// exported whole, and `forget` erases the person: the incident she opened
/// is removed, and her review of another's incident loses its text.
async fn incidents_are_versioned_exported_and_forgotten(db: TestDb) {
    let store = db.open().await;
    let now = Utc.timestamp_opt(1_733_400_000, 123_456_789).unwrap();
    let hers = store
        .create_workflow_item(
            WorkflowItem::Incident(incident("payments", "ada@example.com", now)),
            now,
        )
        .await
        .unwrap();
    let created = store
        .create_workflow_item(
            WorkflowItem::Incident(Incident {
                severity: Severity::Sev3,
                ..incident("payments", "bob@example.com", now)
            }),
            now,
        )
        .await
        .unwrap();
    store
        .create_workflow_item(
            WorkflowItem::Ask(ask("payments", "bob@example.com", None, now)),
            now,
        )
        .await
        .unwrap();
    let incidents = |state: Option<&str>| {
        let store = &store;
        let state = state.map(str::to_owned);
        async move {
            store
                .workflow_items(
                    "payments".into(),
                    WorkflowFilter {
                        kind: Some(WorkflowKind::Incident),
                        state,
                        ..WorkflowFilter::default()
                    },
                    Page::default(),
                )
                .await
                .unwrap()
                .iter()
                .map(|i| i.id)
                .collect::<Vec<_>>()
        }
    };
    assert_eq!(incidents(None).await, [created.id, hers.id]);
    assert_eq!(incidents(Some("open")).await, [created.id, hers.id]);

    // Resolved by Bob, version 1 -> 2; a second change from version 1 is
    // refused and changes nothing.
    let WorkflowItem::Incident(mut i) = created.item.clone() else {
        panic!("not an incident")
    };
    let resolved_at = now + Duration::hours(2);
    i.resolve(Resolution {
        by: "bob@example.com".to_owned(),
        at: resolved_at,
    })
    .unwrap();
    let v2 = store
        .update_workflow_item(
            created.id,
            1,
            WorkflowItem::Incident(i.clone()),
            resolved_at,
        )
        .await
        .unwrap()
        .unwrap();
    assert_eq!(v2.version, 2);
    assert_eq!(incidents(Some("resolved")).await, [created.id]);
    let err = store
        .update_workflow_item(
            created.id,
            1,
            WorkflowItem::Incident(incident("payments", "bob@example.com", now)),
            resolved_at,
        )
        .await
        .unwrap_err();
    assert!(
        matches!(&err, StoreError::Stale { current: 2, .. }),
        "{err:?}"
    );
    assert_eq!(
        err.to_string(),
        format!(
            "incident {} was changed by someone else (now version 2); reload it and try again",
            created.id
        )
    );
    assert_eq!(store.workflow_item(created.id).await.unwrap().unwrap(), v2);

    // Ada writes the review of Bob's incident.
    i.write_review(IncidentReview {
        timeline: "10:00 alerts; 12:00 certificate renewed".to_owned(),
        cause: "An expired certificate, ada@example.com's renewal script".to_owned(),
        follow_ups: "Alert 30 days before expiry".to_owned(),
        by: "ada@example.com".to_owned(),
        at: resolved_at + Duration::days(1),
    })
    .unwrap();
    let v3 = store
        .update_workflow_item(created.id, 2, WorkflowItem::Incident(i.clone()), now)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(v3.item, WorkflowItem::Incident(i.clone()));
    assert_eq!(incidents(Some("reviewed")).await, [created.id]);
    let export = store
        .export_workflow(Some("payments".into()))
        .await
        .unwrap();
    assert_eq!(export.len(), 3);
    assert_eq!(
        export[0],
        store.workflow_item(hers.id).await.unwrap().unwrap()
    );
    assert_eq!(export[1], v3);

    let report = store
        .forget(PersonKeys {
            email: "Ada@Example.com".to_owned(),
            aliases: Vec::new(),
        })
        .await
        .unwrap();
    // The incident she opened; her review of Bob's.
    assert_eq!((report.workflow_items, report.workflow_entries), (1, 1));
    assert_eq!(store.workflow_item(hers.id).await.unwrap(), None);
    let WorkflowItem::Incident(kept) = store.workflow_item(created.id).await.unwrap().unwrap().item
    else {
        panic!("not an incident")
    };
    assert_eq!(kept.resolved, i.resolved, "Bob's resolution stays");
    let review = kept.review.expect("the review stays, without her");
    assert_eq!(
        (
            review.by.as_str(),
            review.timeline.as_str(),
            review.cause.as_str(),
            review.follow_ups.as_str()
        ),
        (fulcrum_store::FORGOTTEN, "", "", "")
    );
    let (_, hits) = db.find_text(&["ada@example.com"]).await;
    assert!(hits.is_empty(), "{hits:#?}");
    store.close().await;
}

fn written_update(author: &str, blockers: &str, at: DateTime<Utc>) -> Update {
    Update {
        team: "payments".to_owned(),
        author: author.to_owned(),
        cadence: Cadence::Weekly,
        period: chrono::NaiveDate::from_ymd_opt(2024, 12, 2).unwrap(),
        answers: vec![
            UpdateAnswer {
                question: "status".to_owned(),
                text: format!("{author}: refund retries shipped"),
            },
            UpdateAnswer {
                question: "blockers".to_owned(),
                text: blockers.to_owned(),
            },
        ],
        written_at: at,
    }
}

/// A written update is created, found again by its author (the one of
/// their period that a second one edits), edited under the version check
/// (a change from an older version is refused), exported whole, and
/// `forget` removes the updates the person wrote and keeps the others'.
async fn updates_are_found_by_author_edited_and_forgotten(db: TestDb) {
    let store = db.open().await;
    let now = Utc.timestamp_opt(1_733_130_000, 250_000_000).unwrap();
    let hers = store
        .create_workflow_item(
            WorkflowItem::Update(written_update("ada@example.com", "", now)),
            now,
        )
        .await
        .unwrap();
    let his = store
        .create_workflow_item(
            WorkflowItem::Update(written_update("bob@example.com", "The bank's sandbox", now)),
            now,
        )
        .await
        .unwrap();
    assert_eq!(hers.item.state(), "written");
    let by = |author: &str| {
        let store = &store;
        let author = author.to_owned();
        async move {
            store
                .workflow_items(
                    "payments".into(),
                    WorkflowFilter {
                        kind: Some(WorkflowKind::Update),
                        author: Some(author),
                        ..WorkflowFilter::default()
                    },
                    Page::default(),
                )
                .await
                .unwrap()
                .iter()
                .map(|i| i.id)
                .collect::<Vec<_>>()
        }
    };
    assert_eq!(by("ada@example.com").await, [hers.id]);
    assert_eq!(by("bob@example.com").await, [his.id]);

    // Ada edits hers in the same period: version 1 -> 2; a second change
    // from version 1 is refused and changes nothing.
    let WorkflowItem::Update(mut u) = hers.item.clone() else {
        panic!("not an update")
    };
    let later = now + Duration::hours(3);
    let questions = ["status", "blockers", "decisions"].map(String::from);
    u.edit(
        vec![UpdateAnswer {
            question: "blockers".to_owned(),
            text: "Waiting on the security review".to_owned(),
        }],
        later,
        &questions,
    )
    .unwrap();
    let v2 = store
        .update_workflow_item(hers.id, 1, WorkflowItem::Update(u.clone()), later)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (v2.version, &v2.item),
        (2, &WorkflowItem::Update(u.clone()))
    );
    let err = store
        .update_workflow_item(
            hers.id,
            1,
            WorkflowItem::Update(written_update("ada@example.com", "", now)),
            later,
        )
        .await
        .unwrap_err();
    assert!(
        matches!(&err, StoreError::Stale { current: 2, .. }),
        "{err:?}"
    );
    assert_eq!(store.workflow_item(hers.id).await.unwrap().unwrap(), v2);
    let export = store
        .export_workflow(Some("payments".into()))
        .await
        .unwrap();
    assert_eq!(export.len(), 2);
    assert!(export.contains(&v2), "{export:#?}");

    let report = store
        .forget(PersonKeys {
            email: "Ada@Example.com".to_owned(),
            aliases: Vec::new(),
        })
        .await
        .unwrap();
    assert_eq!((report.workflow_items, report.workflow_entries), (1, 0));
    assert_eq!(store.workflow_item(hers.id).await.unwrap(), None);
    assert_eq!(store.workflow_item(his.id).await.unwrap().unwrap(), his);
    let (_, hits) = db.find_text(&["ada@example.com", "security review"]).await;
    assert!(hits.is_empty(), "{hits:#?}");
    store.close().await;
}

/// A pulse response is stored whole (kind `pulse`, state `answered`, no
/// due time), found by its author, and `forget` removes the person's
/// responses and keeps the others'.
async fn pulse_responses_round_trip_and_are_forgotten(db: TestDb) {
    use fulcrum_model::pulse::{PulseAnswer, PulseResponse};
    let store = db.open().await;
    let now = Utc.timestamp_opt(1_733_130_000, 250_000_000).unwrap();
    let pulse = |author: &str, score: u8| {
        WorkflowItem::Pulse(PulseResponse {
            team: "payments".to_owned(),
            author: author.to_owned(),
            week: chrono::NaiveDate::from_ymd_opt(2024, 12, 2).unwrap(),
            answers: vec![PulseAnswer {
                question: "pace".to_owned(),
                score,
            }],
            answered_at: now,
        })
    };
    let hers = store
        .create_workflow_item(pulse("ada@example.com", 2), now)
        .await
        .unwrap();
    let his = store
        .create_workflow_item(pulse("bob@example.com", 5), now)
        .await
        .unwrap();
    assert_eq!(hers.item, pulse("ada@example.com", 2));
    assert_eq!(
        (hers.item.state(), hers.item.due(), hers.item.is_personal()),
        ("answered", None, true)
    );
    assert_eq!(
        db.count("SELECT COUNT(*) FROM workflow_items WHERE kind = 'pulse' AND due_at_us IS NULL")
            .await,
        2
    );
    let mine = store
        .workflow_items(
            "payments".into(),
            WorkflowFilter {
                kind: Some(WorkflowKind::Pulse),
                author: Some("Ada@Example.com".into()),
                ..WorkflowFilter::default()
            },
            Page::default(),
        )
        .await
        .unwrap();
    assert_eq!(mine, std::slice::from_ref(&hers));
    let report = store
        .forget(PersonKeys {
            email: "ada@example.com".to_owned(),
            aliases: Vec::new(),
        })
        .await
        .unwrap();
    assert_eq!((report.workflow_items, report.workflow_entries), (1, 0));
    assert_eq!(store.workflow_item(hers.id).await.unwrap(), None);
    assert_eq!(store.workflow_item(his.id).await.unwrap().unwrap(), his);
    let (_, hits) = db.find_text(&["ada@example.com"]).await;
    assert!(hits.is_empty(), "{hits:#?}");
    store.close().await;
}
