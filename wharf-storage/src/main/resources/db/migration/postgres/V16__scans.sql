-- Image scans (docs/scanning.md); see the sqlite migration of the same version.
CREATE TABLE scan (
    repository_id        BIGINT NOT NULL,
    digest               TEXT COLLATE "C" NOT NULL,
    status               TEXT NOT NULL,
    description          TEXT,
    scan_type            TEXT NOT NULL,
    trigger_kind         TEXT NOT NULL,
    continuous           INTEGER NOT NULL DEFAULT 0,
    requested_at         BIGINT NOT NULL,
    started_at           BIGINT,
    completed_at         BIGINT,
    advisory_generation  BIGINT NOT NULL DEFAULT 0,
    source_updated_at    BIGINT,
    owner                TEXT,
    lease_expires_at     BIGINT,
    attempts             INTEGER NOT NULL DEFAULT 0,
    manual_window_start  BIGINT,
    manual_count         INTEGER NOT NULL DEFAULT 0,
    severity_counts      TEXT NOT NULL DEFAULT '{}',
    inventory            BYTEA,
    findings             BYTEA,
    version              BIGINT NOT NULL,
    PRIMARY KEY (repository_id, digest),
    FOREIGN KEY (repository_id, digest) REFERENCES manifest (repository_id, digest) ON DELETE CASCADE
);
CREATE INDEX scan_open ON scan (status, requested_at);

CREATE TABLE scan_layer (
    diff_id    TEXT COLLATE "C" NOT NULL,
    cache_key  TEXT COLLATE "C" NOT NULL,
    analysis   BYTEA NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (diff_id, cache_key)
);
CREATE INDEX scan_layer_by_age ON scan_layer (created_at);
