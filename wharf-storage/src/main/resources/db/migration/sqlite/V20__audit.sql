-- Issue 13 (docs/audit.md). The audit trail: one row per audited call, the CloudTrail-shaped record as JSON in
-- `record` (io.wharf.core.audit.AuditJson) and the fields lookups filter on beside it. Append-only but for the
-- retention job; ids are random UUIDs, so the nodes of a cluster append without coordination.
CREATE TABLE audit_event (
    event_id      TEXT    NOT NULL PRIMARY KEY,
    event_time    INTEGER NOT NULL,            -- epoch ms
    account       TEXT    NOT NULL,            -- recipientAccountId
    event_name    TEXT    NOT NULL,
    principal_arn TEXT,                        -- null: not authenticated
    user_name     TEXT,                        -- an IAM user's name
    root_account  TEXT,                        -- the account of a root caller
    access_key_id TEXT,
    repository    TEXT,
    read_only     INTEGER NOT NULL,
    record        TEXT    NOT NULL
);
CREATE INDEX audit_event_by_time ON audit_event (event_time, event_id);
CREATE INDEX audit_event_by_name ON audit_event (event_name, event_time);
CREATE INDEX audit_event_by_principal ON audit_event (principal_arn, event_time);
CREATE INDEX audit_event_by_user ON audit_event (user_name, event_time);
CREATE INDEX audit_event_by_repository ON audit_event (repository, event_time);
