-- Image scans (docs/scanning.md): one row per (repository, manifest), gone with its manifest. Every change is a
-- compare-and-set on version; a node claims a scan with owner + lease_expires_at (epoch ms).
CREATE TABLE scan (
    repository_id        INTEGER NOT NULL,
    digest               TEXT    NOT NULL,
    status               TEXT    NOT NULL,   -- PENDING | IN_PROGRESS | COMPLETE | FAILED | UNSUPPORTED_IMAGE | ACTIVE
    description          TEXT,
    scan_type            TEXT    NOT NULL,   -- BASIC | ENHANCED
    trigger_kind         TEXT    NOT NULL,   -- MANUAL | SCAN_ON_PUSH | CONTINUOUS
    continuous           INTEGER NOT NULL DEFAULT 0,
    requested_at         INTEGER NOT NULL,
    started_at           INTEGER,
    completed_at         INTEGER,
    advisory_generation  INTEGER NOT NULL DEFAULT 0,
    source_updated_at    INTEGER,
    owner                TEXT,
    lease_expires_at     INTEGER,
    attempts             INTEGER NOT NULL DEFAULT 0,
    manual_window_start  INTEGER,
    manual_count         INTEGER NOT NULL DEFAULT 0,
    severity_counts      TEXT    NOT NULL DEFAULT '{}',
    inventory            BLOB,                -- compressed JSON, opaque to the store
    findings             BLOB,
    version              INTEGER NOT NULL,
    PRIMARY KEY (repository_id, digest),
    FOREIGN KEY (repository_id, digest) REFERENCES manifest (repository_id, digest) ON DELETE CASCADE
);
CREATE INDEX scan_open ON scan (status, requested_at);

-- The per-layer analysis cache by uncompressed digest and analyzer version key.
CREATE TABLE scan_layer (
    diff_id    TEXT    NOT NULL,
    cache_key  TEXT    NOT NULL,
    analysis   BLOB    NOT NULL,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (diff_id, cache_key)
);
CREATE INDEX scan_layer_by_age ON scan_layer (created_at);
