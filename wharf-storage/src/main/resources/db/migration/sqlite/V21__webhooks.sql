-- Webhooks (docs/webhooks.md): subscriptions, and one delivery per (subscription, event envelope) claimed by
-- compare-and-set on state + owner + lease (epoch ms), gone with its subscription.
CREATE TABLE webhook_subscription (
    id              TEXT    PRIMARY KEY,
    account         TEXT    NOT NULL,
    url             TEXT    NOT NULL,
    repository      TEXT,               -- null: every repository; "team/*": a prefix
    event_types     TEXT    NOT NULL,   -- JSON array; empty: every event
    secret          TEXT    NOT NULL,
    enabled         INTEGER NOT NULL,
    created_at      INTEGER NOT NULL,
    last_attempt_at INTEGER,
    last_status     INTEGER,
    last_error      TEXT
);
CREATE INDEX webhook_subscription_account ON webhook_subscription (account, created_at);

CREATE TABLE webhook_delivery (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    subscription_id  TEXT    NOT NULL REFERENCES webhook_subscription (id) ON DELETE CASCADE,
    event_id         TEXT    NOT NULL,
    detail_type      TEXT    NOT NULL,
    repository       TEXT    NOT NULL,
    body             TEXT    NOT NULL,
    state            TEXT    NOT NULL,   -- PENDING | DELIVERED | DEAD
    attempts         INTEGER NOT NULL DEFAULT 0,
    due_at           INTEGER NOT NULL,
    owner            TEXT,
    lease_expires_at INTEGER,
    last_attempt_at  INTEGER,
    last_status      INTEGER,
    last_error       TEXT,
    created_at       INTEGER NOT NULL,
    UNIQUE (subscription_id, event_id)
);
CREATE INDEX webhook_delivery_due ON webhook_delivery (state, due_at);
CREATE INDEX webhook_delivery_done ON webhook_delivery (state, last_attempt_at);
