-- Background jobs and their leases (docs/jobs.md). One row per job; a run holds the row's lease
-- (owner + lease_expires_at, epoch ms) and every change of ownership is a compare-and-set on them.
CREATE TABLE job (
    name             TEXT    NOT NULL PRIMARY KEY,
    interval_ms      INTEGER NOT NULL,          -- 0: runs only on request
    owner            TEXT,                      -- node id of the running scheduler; NULL: idle
    lease_expires_at INTEGER,
    last_started_at  INTEGER,
    last_ended_at    INTEGER,
    last_outcome     TEXT,                      -- OK | FAILED | CANCELLED
    last_message     TEXT,
    counters         TEXT    NOT NULL DEFAULT '{}', -- JSON object of progress counters
    next_due_at      INTEGER,
    run_requested_at INTEGER                    -- a pending run-now request (wharf jobs run, POST …/run)
);
