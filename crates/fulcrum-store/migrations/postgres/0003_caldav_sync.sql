-- CalDAV sync state. One row per CalDAV calendar, beside its `sources`
-- row: where it was found (the calendar home, so the next sync skips
-- discovery), the server's sync token (RFC 6578) and collection tag, and
-- the account entry it belongs to.
CREATE TABLE caldav_calendars (
    source_id BIGINT PRIMARY KEY REFERENCES sources (id) ON DELETE CASCADE,
    account TEXT NOT NULL,
    home TEXT NOT NULL,
    display_name TEXT,
    sync_token TEXT,
    ctag TEXT,
    synced_at_us BIGINT NOT NULL
);
CREATE INDEX caldav_calendars_account ON caldav_calendars (account);

-- One row per calendar object resource (one event with its overrides):
-- its ETag, the UIDs it holds (JSON array), and what it adds to the
-- calendar's data span (latest DTSTAMP, days of one-off events as day
-- numbers in a JSON array) and problem count, so an incremental sync can
-- recompute the calendar's span without fetching what did not change.
CREATE TABLE caldav_resources (
    source_id BIGINT NOT NULL REFERENCES sources (id) ON DELETE CASCADE,
    href TEXT NOT NULL,
    etag TEXT,
    uids TEXT NOT NULL,
    exported_us BIGINT,
    days TEXT NOT NULL,
    problems BIGINT NOT NULL,
    PRIMARY KEY (source_id, href)
);
