-- Each `fulcrum import` run: when it started, what it set out to import,
-- and when it finished. A run without `finished_at_us` was interrupted
-- (or is still running): reports say so.
CREATE TABLE import_runs (
    id BIGSERIAL PRIMARY KEY,
    started_at_us BIGINT NOT NULL,
    finished_at_us BIGINT,
    planned TEXT NOT NULL,
    summary TEXT
);
