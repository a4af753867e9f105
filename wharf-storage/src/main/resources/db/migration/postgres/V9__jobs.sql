-- Background jobs and their leases (docs/jobs.md); see the sqlite migration of the same version.
CREATE TABLE job (
    name             TEXT COLLATE "C" NOT NULL PRIMARY KEY,
    interval_ms      BIGINT NOT NULL,
    owner            TEXT COLLATE "C",
    lease_expires_at BIGINT,
    last_started_at  BIGINT,
    last_ended_at    BIGINT,
    last_outcome     TEXT,
    last_message     TEXT,
    counters         TEXT NOT NULL DEFAULT '{}',
    next_due_at      BIGINT,
    run_requested_at BIGINT
);
