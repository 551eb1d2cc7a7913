-- Resonans schema, version 3 (SQLite): response attributes, segment
-- history, touchpoint aliases and comments left unscored.
-- See docs/data-model.md.

-- Per-response metadata from attr:NAME columns (store, agent, order
-- value): a JSON object of numbers and strings, NULL when there is none.
ALTER TABLE responses ADD COLUMN attrs TEXT;

-- From `since` (UTC seconds; -2^63 for "since the start of the data") the
-- customer's segment was `segment` (NULL = none). customers.segment stays
-- the current one, so readers that need only that do not join.
CREATE TABLE customer_segments (
    customer_id INTEGER NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
    since       INTEGER NOT NULL,
    segment     TEXT,
    PRIMARY KEY (customer_id, since)
) WITHOUT ROWID;
INSERT INTO customer_segments(customer_id, since, segment)
    SELECT id, -9223372036854775807 - 1, segment FROM customers
    WHERE segment IS NOT NULL;

-- Other names a touchpoint goes by in exports ("Felanmälan app"), in the
-- order they were given. Matching is case-insensitive in the importer.
CREATE TABLE touchpoint_aliases (
    touchpoint_id INTEGER NOT NULL REFERENCES touchpoints(id)
                  ON DELETE CASCADE,
    alias         TEXT NOT NULL,
    position      INTEGER NOT NULL,
    PRIMARY KEY (touchpoint_id, alias)
) WITHOUT ROWID;

-- A comment in a language the pipeline does not read is stored with its
-- language and no sentiment: score and label become nullable (both or
-- neither). SQLite cannot alter a column or a CHECK, so the table is
-- rebuilt; nothing references it, so the rename is safe with foreign
-- keys on.
CREATE TABLE comment_analysis_v3 (
    response_id  INTEGER NOT NULL REFERENCES responses(id) ON DELETE CASCADE,
    question     TEXT NOT NULL,
    language     TEXT NOT NULL,
    lang_conf    REAL NOT NULL CHECK (lang_conf BETWEEN 0 AND 1),
    score        REAL CHECK (score IS NULL OR score BETWEEN -1 AND 1),
    label        TEXT
                 CHECK (label IS NULL OR
                        label IN ('positive','negative','neutral','mixed')),
    -- bit mask of the kinds of personal data redacted (src/text/pii.h)
    redactions   INTEGER NOT NULL DEFAULT 0,
    n_redactions INTEGER NOT NULL DEFAULT 0,
    explanation  TEXT,
    PRIMARY KEY (response_id, question),
    CHECK ((score IS NULL) = (label IS NULL))
) WITHOUT ROWID;
INSERT INTO comment_analysis_v3(response_id, question, language, lang_conf,
                                score, label, redactions, n_redactions,
                                explanation)
    SELECT response_id, question, language, lang_conf, score, label,
           redactions, n_redactions, explanation
    FROM comment_analysis;
DROP TABLE comment_analysis;
ALTER TABLE comment_analysis_v3 RENAME TO comment_analysis;
