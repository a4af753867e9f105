-- Replication (docs/replication.md); see the sqlite migration of the same version.
CREATE TABLE replication_configuration (
    account    TEXT COLLATE "C" PRIMARY KEY,
    document   TEXT NOT NULL,
    updated_at BIGINT NOT NULL
);

CREATE TABLE replication_task (
    repository_id    BIGINT NOT NULL,
    digest           TEXT COLLATE "C" NOT NULL,
    region           TEXT COLLATE "C" NOT NULL,
    registry_id      TEXT COLLATE "C" NOT NULL,
    status           TEXT NOT NULL,
    failure          TEXT,
    attempts         INTEGER NOT NULL DEFAULT 0,
    due_at           BIGINT NOT NULL,
    owner            TEXT,
    lease_expires_at BIGINT,
    backfill         BIGINT NOT NULL DEFAULT 0,
    updated_at       BIGINT NOT NULL,
    PRIMARY KEY (repository_id, digest, region, registry_id),
    FOREIGN KEY (repository_id, digest) REFERENCES manifest (repository_id, digest) ON DELETE CASCADE
);
CREATE INDEX replication_task_open ON replication_task (status, due_at);
CREATE INDEX replication_task_backfill ON replication_task (backfill);

CREATE TABLE replication_backfill (
    id          BIGINT PRIMARY KEY,
    account     TEXT COLLATE "C" NOT NULL,
    state       TEXT NOT NULL,
    created_at  BIGINT NOT NULL,
    finished_at BIGINT,
    after_name  TEXT COLLATE "C",
    images      BIGINT NOT NULL DEFAULT 0,
    queued      BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX replication_backfill_state ON replication_backfill (state, id);

-- Images that came here by replication (from "<region>/<account>"): a backfill never sends them onward.
CREATE TABLE replication_origin (
    repository_id BIGINT NOT NULL,
    digest        TEXT COLLATE "C" NOT NULL,
    source        TEXT    NOT NULL,
    recorded_at   BIGINT NOT NULL,
    PRIMARY KEY (repository_id, digest),
    FOREIGN KEY (repository_id, digest) REFERENCES manifest (repository_id, digest) ON DELETE CASCADE
);
