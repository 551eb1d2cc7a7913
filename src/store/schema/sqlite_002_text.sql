-- Resonans schema, version 2 (SQLite): text analysis of comments.
-- See docs/text-analytics.md. The answer's text is stored already
-- redacted; what was redacted is kept here as kinds, never as text.
CREATE TABLE comment_analysis (
    response_id  INTEGER NOT NULL REFERENCES responses(id) ON DELETE CASCADE,
    question     TEXT NOT NULL,
    language     TEXT NOT NULL,
    lang_conf    REAL NOT NULL CHECK (lang_conf BETWEEN 0 AND 1),
    score        REAL NOT NULL CHECK (score BETWEEN -1 AND 1),
    label        TEXT NOT NULL
                 CHECK (label IN ('positive','negative','neutral','mixed')),
    -- bit mask of the kinds of personal data redacted (src/text/pii.h)
    redactions   INTEGER NOT NULL DEFAULT 0,
    n_redactions INTEGER NOT NULL DEFAULT 0,
    explanation  TEXT,
    PRIMARY KEY (response_id, question)
) WITHOUT ROWID;
-- One row per theme a comment mentions; a sub-theme's parent has its own
-- row. No index on theme: filters scan it whole, which is cheaper than
-- keeping an index up to date on every import.
CREATE TABLE theme_mentions (
    response_id INTEGER NOT NULL REFERENCES responses(id) ON DELETE CASCADE,
    question    TEXT NOT NULL,
    theme       TEXT NOT NULL,
    sentiment   REAL NOT NULL CHECK (sentiment BETWEEN -1 AND 1),
    PRIMARY KEY (response_id, question, theme)
) WITHOUT ROWID;
-- The organisation's own theme taxonomy (data/text/README-themes.md),
-- added to the built-in one or replacing it. One row at most.
CREATE TABLE taxonomy (
    id        INTEGER PRIMARY KEY CHECK (id = 1),
    name      TEXT NOT NULL,
    source    TEXT NOT NULL,
    replaces  INTEGER NOT NULL DEFAULT 0 CHECK (replaces IN (0,1)),
    loaded_at INTEGER NOT NULL
);
