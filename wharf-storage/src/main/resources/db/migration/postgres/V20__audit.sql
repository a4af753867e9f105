-- The audit trail (see the sqlite migration of the same version).
CREATE TABLE audit_event (
    event_id      TEXT COLLATE "C" NOT NULL PRIMARY KEY,
    event_time    BIGINT  NOT NULL,
    account       TEXT COLLATE "C" NOT NULL,
    event_name    TEXT COLLATE "C" NOT NULL,
    principal_arn TEXT COLLATE "C",
    user_name     TEXT COLLATE "C",
    root_account  TEXT COLLATE "C",
    access_key_id TEXT COLLATE "C",
    repository    TEXT COLLATE "C",
    read_only     INTEGER NOT NULL,
    record        TEXT    NOT NULL
);
CREATE INDEX audit_event_by_time ON audit_event (event_time, event_id);
CREATE INDEX audit_event_by_name ON audit_event (event_name, event_time);
CREATE INDEX audit_event_by_principal ON audit_event (principal_arn, event_time);
CREATE INDEX audit_event_by_user ON audit_event (user_name, event_time);
CREATE INDEX audit_event_by_repository ON audit_event (repository, event_time);
