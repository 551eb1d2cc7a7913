-- Resonans schema, version 6 (SQLite): users and access (docs/access.md).
-- None of these tables is analysed data: writing them never advances the
-- data version (store_version), so a login does not make the column
-- store's snapshot stale. The audit log is the table of version 5.

-- People who log in to the server. pw_hash is libsodium's
-- crypto_pwhash_str text (Argon2id, salt and limits included); NULL means
-- no password, and no login. An owner's touchpoints are the
-- comma-separated keys of the touchpoints they own (NULL for others).
CREATE TABLE users (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE
                CHECK (length(name) BETWEEN 1 AND 64),
    role        TEXT NOT NULL CHECK (role IN ('admin', 'analyst', 'owner')),
    pw_hash     TEXT,
    touchpoints TEXT,
    created     INTEGER NOT NULL,   -- UTC seconds
    disabled    INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1))
);

-- Login sessions, by the BLAKE2b-256 hash of the cookie's token: the
-- token itself is never stored, so a copy of the database logs nobody in.
CREATE TABLE sessions (
    hash    BLOB PRIMARY KEY CHECK (length(hash) = 32),
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created INTEGER NOT NULL,
    expires INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX sessions_user ON sessions(user_id);
CREATE INDEX sessions_expires ON sessions(expires);

-- API tokens for programs, by the hash of the secret (shown once).
-- scopes: a subset of "read,write,admin"; expires 0 = never.
CREATE TABLE api_tokens (
    id      INTEGER PRIMARY KEY,
    hash    BLOB NOT NULL UNIQUE CHECK (length(hash) = 32),
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    name    TEXT NOT NULL,
    scopes  TEXT NOT NULL,
    created INTEGER NOT NULL,
    expires INTEGER NOT NULL DEFAULT 0,
    revoked INTEGER NOT NULL DEFAULT 0 CHECK (revoked IN (0, 1))
);

-- Named random keys (CSRF, signed survey links), made on first use.
CREATE TABLE secrets (
    name  TEXT PRIMARY KEY,
    value BLOB NOT NULL
) WITHOUT ROWID;

-- Survey definitions: JSON text, validated by src/survey before storing.
CREATE TABLE survey_defs (
    key     TEXT PRIMARY KEY,
    json    TEXT NOT NULL,
    updated INTEGER NOT NULL    -- UTC seconds
) WITHOUT ROWID;
