-- Each `fulcrum import` run: when it started, what it set out to import,
-- and when it finished. A run without `finished_at_us` was interrupted
-- (or is still running): reports say so.
CREATE TABLE import_runs (
    id INTEGER PRIMARY KEY,
    started_at_us INTEGER NOT NULL,
    finished_at_us INTEGER,
    planned TEXT NOT NULL,
    summary TEXT
);
