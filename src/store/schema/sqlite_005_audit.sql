-- Resonans schema, version 5 (SQLite): the audit log.
-- Who did what to personal data, and when (docs/privacy.md). An erased
-- customer is named by a keyed hash of their id, never the id itself, so
-- the log proves an erasure without keeping what it erased.
CREATE TABLE audit (
    id      INTEGER PRIMARY KEY,
    ts      INTEGER NOT NULL,   -- UTC seconds
    actor   TEXT NOT NULL,      -- who (the OS user on the CLI)
    action  TEXT NOT NULL,      -- 'customer.erase', ...
    subject TEXT NOT NULL,      -- e.g. the hash of the customer's id
    detail  TEXT NOT NULL DEFAULT '{}'  -- JSON: counts removed
);
