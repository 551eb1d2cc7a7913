-- Resonans schema, version 7 (SQLite): the closed loop (docs/closed-loop.md).
-- None of these tables is analysed data: writing them never advances the
-- data version. A case belongs to its response: erasing the customer's
-- responses erases their cases, notes and pending notifications.

-- Rule sets as loaded; the one with the largest id is current.
CREATE TABLE loop_rules (
    id        INTEGER PRIMARY KEY,
    json      TEXT NOT NULL,
    loaded_at INTEGER NOT NULL,   -- UTC seconds
    actor     TEXT NOT NULL
);
-- How far rules have been applied: the largest response id examined.
CREATE TABLE loop_state (
    id      INTEGER PRIMARY KEY CHECK (id = 1),
    applied INTEGER NOT NULL
);

CREATE TABLE cases (
    id            INTEGER PRIMARY KEY,
    response_id   INTEGER NOT NULL UNIQUE
                  REFERENCES responses(id) ON DELETE CASCADE,
    customer_id   INTEGER REFERENCES customers(id) ON DELETE CASCADE,
    touchpoint_id INTEGER NOT NULL REFERENCES touchpoints(id),
    rule          TEXT NOT NULL,
    team          TEXT NOT NULL,
    assignee      TEXT,
    theme         TEXT,
    priority      INTEGER NOT NULL CHECK (priority BETWEEN 0 AND 3),
    status        INTEGER NOT NULL CHECK (status BETWEEN 0 AND 4),
    sla_hours     REAL NOT NULL,
    opened        INTEGER NOT NULL,   -- UTC seconds
    due           INTEGER NOT NULL,
    first_contact INTEGER,
    resolved      INTEGER,
    closed        INTEGER,
    escalation    INTEGER NOT NULL DEFAULT 0,
    escalated     INTEGER,
    recovery_survey      TEXT,
    recovery_sent        INTEGER,
    recovery_response_id INTEGER REFERENCES responses(id) ON DELETE SET NULL
);
CREATE INDEX cases_team ON cases(team, status);
CREATE INDEX cases_due ON cases(status, due);
CREATE INDEX cases_customer ON cases(customer_id);

CREATE TABLE case_notes (
    id      INTEGER PRIMARY KEY,
    case_id INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    ts      INTEGER NOT NULL,
    actor   TEXT NOT NULL,
    text    TEXT NOT NULL
);
CREATE INDEX case_notes_case ON case_notes(case_id);

-- Notifications waiting to go out, sent, or dead (the dead-letter list).
CREATE TABLE outbox (
    id         INTEGER PRIMARY KEY,
    case_id    INTEGER REFERENCES cases(id) ON DELETE CASCADE,
    kind       TEXT NOT NULL CHECK (kind IN ('webhook', 'chat', 'email')),
    target     TEXT NOT NULL,
    event      TEXT NOT NULL,
    payload    TEXT NOT NULL,
    subject    TEXT,
    state      INTEGER NOT NULL DEFAULT 0 CHECK (state BETWEEN 0 AND 2),
    attempts   INTEGER NOT NULL DEFAULT 0,
    created    INTEGER NOT NULL,
    next_at    INTEGER NOT NULL,
    sent_at    INTEGER,
    last_error TEXT
);
-- what is due, per kind in time order: the sender reads a kind at a time
CREATE INDEX outbox_due ON outbox(state, kind, next_at);

-- Improvements marked done: the outer loop's before and after.
CREATE TABLE improvements (
    id            INTEGER PRIMARY KEY,
    theme         TEXT,
    touchpoint_id INTEGER NOT NULL REFERENCES touchpoints(id),
    title         TEXT NOT NULL,
    done_at       INTEGER NOT NULL,
    actor         TEXT NOT NULL
);
