-- Resonans schema, version 1 (SQLite). See docs/data-model.md.
CREATE TABLE journeys (
    id        INTEGER PRIMARY KEY,
    key       TEXT NOT NULL UNIQUE,
    name      TEXT NOT NULL,
    lifecycle TEXT NOT NULL
              CHECK (lifecycle IN ('attract','onboard','use','renew','leave'))
);
CREATE TABLE stages (
    id         INTEGER PRIMARY KEY,
    journey_id INTEGER NOT NULL REFERENCES journeys(id),
    key        TEXT NOT NULL,
    name       TEXT NOT NULL,
    position   INTEGER NOT NULL,
    UNIQUE (journey_id, key)
);
CREATE TABLE channels (
    id  INTEGER PRIMARY KEY,
    key TEXT NOT NULL UNIQUE
);
CREATE TABLE touchpoints (
    id              INTEGER PRIMARY KEY,
    stage_id        INTEGER NOT NULL REFERENCES stages(id),
    key             TEXT NOT NULL UNIQUE,
    name            TEXT NOT NULL,
    channel_id      INTEGER NOT NULL REFERENCES channels(id),
    owner_team      TEXT,
    moment_of_truth INTEGER NOT NULL DEFAULT 0 CHECK (moment_of_truth IN (0,1)),
    physical        INTEGER NOT NULL DEFAULT 0 CHECK (physical IN (0,1))
);
CREATE TABLE surveys (
    id            INTEGER PRIMARY KEY,
    key           TEXT NOT NULL UNIQUE,
    name          TEXT NOT NULL,
    touchpoint_id INTEGER REFERENCES touchpoints(id)
);
CREATE TABLE questions (
    id        INTEGER PRIMARY KEY,
    survey_id INTEGER NOT NULL REFERENCES surveys(id),
    key       TEXT NOT NULL,
    kind      TEXT NOT NULL,
    prompt_sv TEXT,
    prompt_en TEXT,
    position  INTEGER NOT NULL,
    UNIQUE (survey_id, key)
);
CREATE TABLE customers (
    id      INTEGER PRIMARY KEY,
    ext_id  TEXT NOT NULL UNIQUE,
    segment TEXT,
    attrs   TEXT NOT NULL DEFAULT '{}'
);
CREATE TABLE employees (
    id     INTEGER PRIMARY KEY,
    ext_id TEXT NOT NULL UNIQUE,
    name   TEXT,
    team   TEXT
);
CREATE TABLE responses (
    id            INTEGER PRIMARY KEY,
    ext_id        TEXT NOT NULL,
    customer_id   INTEGER REFERENCES customers(id),
    employee_id   INTEGER REFERENCES employees(id),
    kind          INTEGER NOT NULL DEFAULT 0 CHECK (kind IN (0,1)),
    touchpoint_id INTEGER NOT NULL REFERENCES touchpoints(id),
    channel_id    INTEGER NOT NULL REFERENCES channels(id),
    language      TEXT,
    ts            INTEGER NOT NULL,
    tz_min        INTEGER NOT NULL,
    nps           INTEGER CHECK (nps BETWEEN 0 AND 10),
    csat          INTEGER CHECK (csat BETWEEN 1 AND 5),
    ces           INTEGER CHECK (ces BETWEEN 1 AND 7)
);
-- A named index, not a UNIQUE constraint, so that a first bulk load into
-- the empty table can build it once at the end (store_sqlite.c). There is
-- deliberately no index on customer_id: per-customer work (erasure) is a
-- rare full scan, and the index cost a third of every import.
CREATE UNIQUE INDEX responses_ext ON responses(ext_id);
CREATE TABLE answers (
    response_id INTEGER NOT NULL REFERENCES responses(id) ON DELETE CASCADE,
    question    TEXT NOT NULL,
    kind        TEXT NOT NULL
                CHECK (kind IN ('rating','gap','text','choice','triad','dyad','story')),
    v1 REAL, v2 REAL, v3 REAL,
    text  TEXT,
    title TEXT,
    PRIMARY KEY (response_id, question)
) WITHOUT ROWID;
CREATE TABLE events (
    id            INTEGER PRIMARY KEY,
    ext_id        TEXT NOT NULL UNIQUE,
    customer_id   INTEGER NOT NULL REFERENCES customers(id),
    activity      TEXT NOT NULL,
    touchpoint_id INTEGER REFERENCES touchpoints(id),
    channel_id    INTEGER REFERENCES channels(id),
    ts            INTEGER NOT NULL,
    tz_min        INTEGER NOT NULL,
    attrs         TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX events_customer_ts ON events(customer_id, ts);
