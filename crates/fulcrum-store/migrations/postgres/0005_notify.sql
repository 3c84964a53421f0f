-- Reminders. `notify_sent`: the days a person's digest went out, on their
-- own calendar (`local_date` is YYYY-MM-DD in their time zone), so a
-- restart does not send a day's digest twice. `feed_tokens`: each
-- person's private calendar feed, at most one (the token is stored only
-- as its SHA-256 hash; revoking deletes the row). Both keyed by the
-- person's lower-cased email; `forget` deletes their rows.
CREATE TABLE notify_sent (
    person_key TEXT NOT NULL,
    local_date TEXT NOT NULL,
    sent_at_us BIGINT NOT NULL,
    PRIMARY KEY (person_key, local_date)
);

CREATE TABLE feed_tokens (
    person_key TEXT PRIMARY KEY,
    hash TEXT NOT NULL UNIQUE,
    created_at_us BIGINT NOT NULL
);
