-- The async workflow's objects (asks, proposals): the team's own working
-- text, kept whole as JSON in `payload` (see `codec`), with the columns
-- lists filter and sort on beside it. `version` starts at 1 and grows by
-- one with each change; a change made against an older version is refused.
-- `waits_on_key` is the person the object waits on (an ask's recipient, a
-- proposal's author), lower-cased; NULL for an ask to the whole team.
CREATE TABLE workflow_items (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,
    team TEXT NOT NULL,
    author_key TEXT NOT NULL,
    waits_on_key TEXT,
    state TEXT NOT NULL,
    due_at_us INTEGER,
    created_at_us INTEGER NOT NULL,
    updated_at_us INTEGER NOT NULL,
    version INTEGER NOT NULL,
    payload TEXT NOT NULL
);
CREATE INDEX workflow_items_team ON workflow_items (team, kind, state, id);
CREATE INDEX workflow_items_waits_on ON workflow_items (waits_on_key, state);

-- Everyone an object names (author, recipient, who answered, who took a
-- stance, who closed it), lower-cased: `forget` finds a person's entries
-- here.
CREATE TABLE workflow_people (
    item_id INTEGER NOT NULL REFERENCES workflow_items (id) ON DELETE CASCADE,
    person_key TEXT NOT NULL,
    PRIMARY KEY (item_id, person_key)
);
CREATE INDEX workflow_people_person ON workflow_people (person_key);
