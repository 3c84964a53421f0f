-- Fulcrum store, SQLite, version 1: the whole schema.
--
-- Instants are microseconds since 1970-01-01T00:00:00Z (columns ending in
-- _us), dates are day numbers from 0001-01-01 (num_days_from_ce), flags are
-- 0/1 integers. Whole model values are JSON text (see src/codec.rs).
-- Columns ending in _key hold a lower-cased email, alias or chat id so that
-- `forget` finds every record that names a person.

CREATE TABLE sources (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,
    source TEXT NOT NULL,
    file TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    imported_at_us INTEGER NOT NULL,
    owner TEXT,
    owner_key TEXT,
    data_first INTEGER,
    data_last INTEGER,
    problems INTEGER NOT NULL DEFAULT 0,
    expanded_from_us INTEGER,
    expanded_to_us INTEGER,
    platform TEXT,
    skipped INTEGER NOT NULL DEFAULT 0,
    UNIQUE (kind, source)
);
CREATE INDEX sources_owner_key ON sources (owner_key);
CREATE INDEX sources_imported ON sources (imported_at_us);

-- One row per distinct EventDetails of a calendar: the master of a series
-- and each override with other details.
CREATE TABLE events (
    id INTEGER PRIMARY KEY,
    source_id INTEGER NOT NULL REFERENCES sources (id) ON DELETE CASCADE,
    uid TEXT NOT NULL,
    details TEXT NOT NULL
);
CREATE INDEX events_source ON events (source_id, uid);

-- Organizer and attendee addresses of an event, for `forget`.
CREATE TABLE event_people (
    event_id INTEGER NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    person_key TEXT NOT NULL
);
CREATE INDEX event_people_key ON event_people (person_key);
CREATE INDEX event_people_event ON event_people (event_id);

CREATE TABLE occurrences (
    id INTEGER PRIMARY KEY,
    source_id INTEGER NOT NULL REFERENCES sources (id) ON DELETE CASCADE,
    event_id INTEGER NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    occ_key TEXT NOT NULL,
    recurrence_id TEXT,
    start_time TEXT NOT NULL,
    end_time TEXT NOT NULL,
    start_us INTEGER NOT NULL,
    end_us INTEGER NOT NULL,
    UNIQUE (source_id, occ_key)
);
CREATE INDEX occurrences_window ON occurrences (start_us, end_us);
CREATE INDEX occurrences_end ON occurrences (end_us);
CREATE INDEX occurrences_event ON occurrences (event_id);

CREATE TABLE chat_users (
    id INTEGER PRIMARY KEY,
    platform TEXT NOT NULL,
    user_id TEXT NOT NULL,
    source_id INTEGER NOT NULL REFERENCES sources (id) ON DELETE CASCADE,
    id_key TEXT NOT NULL,
    username_key TEXT,
    email_key TEXT,
    payload TEXT NOT NULL,
    UNIQUE (platform, user_id)
);
CREATE INDEX chat_users_id_key ON chat_users (id_key);
CREATE INDEX chat_users_username_key ON chat_users (username_key);
CREATE INDEX chat_users_email_key ON chat_users (email_key);

CREATE TABLE conversations (
    id INTEGER PRIMARY KEY,
    platform TEXT NOT NULL,
    conversation TEXT NOT NULL,
    payload TEXT NOT NULL,
    UNIQUE (platform, conversation)
);

CREATE TABLE conversation_members (
    conversation_id INTEGER NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
    person_key TEXT NOT NULL
);
CREATE INDEX conversation_members_key ON conversation_members (person_key);
CREATE INDEX conversation_members_conversation ON conversation_members (conversation_id);

CREATE TABLE messages (
    id INTEGER PRIMARY KEY,
    platform TEXT NOT NULL,
    conversation TEXT NOT NULL,
    message_id TEXT NOT NULL,
    source_id INTEGER NOT NULL REFERENCES sources (id) ON DELETE CASCADE,
    at_us INTEGER NOT NULL,
    author_key TEXT,
    payload_hash INTEGER NOT NULL,
    payload TEXT NOT NULL,
    UNIQUE (platform, conversation, message_id)
);
CREATE INDEX messages_at ON messages (at_us);
CREATE INDEX messages_author_key ON messages (author_key);
CREATE INDEX messages_source ON messages (source_id);

-- Users a message mentions, for `forget`.
CREATE TABLE message_mentions (
    message_id INTEGER NOT NULL REFERENCES messages (id) ON DELETE CASCADE,
    person_key TEXT NOT NULL
);
CREATE INDEX message_mentions_key ON message_mentions (person_key);
CREATE INDEX message_mentions_message ON message_mentions (message_id);

-- Work-item completions and pulse answers.
CREATE TABLE work_rows (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,
    source_id INTEGER NOT NULL REFERENCES sources (id) ON DELETE CASCADE,
    who TEXT NOT NULL,
    who_key TEXT NOT NULL,
    at_us INTEGER NOT NULL,
    -- A pulse score; 0 with has_score = 0 for a work item. (A nullable real
    -- column would be bound as a typed NULL whose type differs from a value's
    -- under the Any driver, which breaks cached statements on PostgreSQL.)
    has_score INTEGER NOT NULL,
    score REAL NOT NULL
);
CREATE INDEX work_rows_source ON work_rows (source_id);
CREATE INDEX work_rows_kind ON work_rows (kind);
CREATE INDEX work_rows_who_key ON work_rows (who_key);
CREATE INDEX work_rows_at ON work_rows (at_us);

CREATE TABLE aggregates (
    id INTEGER PRIMARY KEY,
    team TEXT NOT NULL,
    week INTEGER NOT NULL,
    signal TEXT NOT NULL,
    value REAL NOT NULL,
    members INTEGER NOT NULL,
    UNIQUE (team, week, signal)
);

CREATE TABLE users (
    id INTEGER PRIMARY KEY,
    email TEXT NOT NULL UNIQUE,
    role TEXT NOT NULL,
    teams TEXT NOT NULL,
    password_hash TEXT,
    created_at_us INTEGER NOT NULL
);

CREATE TABLE sessions (
    id_hash TEXT PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    csrf TEXT NOT NULL,
    created_at_us INTEGER NOT NULL,
    expires_at_us INTEGER NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);
CREATE INDEX sessions_expires ON sessions (expires_at_us);

CREATE TABLE api_tokens (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    hash TEXT NOT NULL UNIQUE,
    created_at_us INTEGER NOT NULL,
    last_used_at_us INTEGER,
    revoked_at_us INTEGER
);
CREATE INDEX api_tokens_user ON api_tokens (user_id, created_at_us);
