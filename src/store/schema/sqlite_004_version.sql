-- Resonans schema, version 4 (SQLite): the data version.
-- See docs/colstore.md ("The snapshot").

-- One row. `data` grows with every committed change; `rewrite` is the
-- data version of the last change that was not only new responses,
-- customers, employees or channels (journeys, customer updates, the
-- taxonomy), and `events` that of the last change to events. A column
-- store snapshot made at data version V is current when data = V, can be
-- brought up to date by reading the new rows when rewrite <= V, and is
-- rebuilt otherwise. `uuid` tells this database from a copy's ancestor.
CREATE TABLE store_version (
    id      INTEGER PRIMARY KEY CHECK (id = 1),
    uuid    BLOB NOT NULL,
    data    INTEGER NOT NULL,
    rewrite INTEGER NOT NULL,
    events  INTEGER NOT NULL
);
INSERT INTO store_version(id, uuid, data, rewrite, events)
    VALUES (1, randomblob(16), 1, 1, 1);
