-- Domain events, written in the same transaction as the change each describes. AUTOINCREMENT: a
-- sequence number is never reused, even after retention deleted the highest ones, so cursors stay valid.
CREATE TABLE event_outbox (
    sequence    INTEGER PRIMARY KEY AUTOINCREMENT,
    occurred_at INTEGER NOT NULL,
    account     TEXT    NOT NULL,
    repository  TEXT    NOT NULL,
    type        TEXT    NOT NULL,
    payload     TEXT    NOT NULL
);
-- retention deletes by age
CREATE INDEX event_outbox_by_time ON event_outbox (occurred_at);

-- The last sequence number each subscriber has handled.
CREATE TABLE event_cursor (
    subscriber    TEXT    PRIMARY KEY,
    last_sequence INTEGER NOT NULL,
    updated_at    INTEGER NOT NULL
);
