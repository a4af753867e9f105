-- Replication (docs/replication.md): each account's configuration (ECR's JSON), one task per (image, destination)
-- claimed by compare-and-set on status + owner + lease (epoch ms) and gone with its manifest, and backfills.
CREATE TABLE replication_configuration (
    account    TEXT    PRIMARY KEY,
    document   TEXT    NOT NULL,
    updated_at INTEGER NOT NULL
);

CREATE TABLE replication_task (
    repository_id    INTEGER NOT NULL,
    digest           TEXT    NOT NULL,
    region           TEXT    NOT NULL,
    registry_id      TEXT    NOT NULL,
    status           TEXT    NOT NULL,   -- IN_PROGRESS | COMPLETE | FAILED
    failure          TEXT,
    attempts         INTEGER NOT NULL DEFAULT 0,
    due_at           INTEGER NOT NULL,
    owner            TEXT,
    lease_expires_at INTEGER,
    backfill         INTEGER NOT NULL DEFAULT 0,
    updated_at       INTEGER NOT NULL,
    PRIMARY KEY (repository_id, digest, region, registry_id),
    FOREIGN KEY (repository_id, digest) REFERENCES manifest (repository_id, digest) ON DELETE CASCADE
);
CREATE INDEX replication_task_open ON replication_task (status, due_at);
CREATE INDEX replication_task_backfill ON replication_task (backfill);

CREATE TABLE replication_backfill (
    id          INTEGER PRIMARY KEY,
    account     TEXT    NOT NULL,
    state       TEXT    NOT NULL,   -- RUNNING | DONE
    created_at  INTEGER NOT NULL,
    finished_at INTEGER,
    after_name  TEXT,               -- the last repository handled, by name
    images      INTEGER NOT NULL DEFAULT 0,
    queued      INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX replication_backfill_state ON replication_backfill (state, id);

-- Images that came here by replication (from "<region>/<account>"): a backfill never sends them onward.
CREATE TABLE replication_origin (
    repository_id INTEGER NOT NULL,
    digest        TEXT    NOT NULL,
    source        TEXT    NOT NULL,
    recorded_at   INTEGER NOT NULL,
    PRIMARY KEY (repository_id, digest),
    FOREIGN KEY (repository_id, digest) REFERENCES manifest (repository_id, digest) ON DELETE CASCADE
);
