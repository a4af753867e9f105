-- Web console sessions (docs/console.md): the SHA-256 of the cookie's id, never the id; instants in epoch ms.
CREATE TABLE console_session (
    id_hash       TEXT PRIMARY KEY,
    account       TEXT   NOT NULL,
    principal_arn TEXT   NOT NULL,
    csrf_token    TEXT   NOT NULL,
    created_at    INTEGER NOT NULL,
    last_seen_at  INTEGER NOT NULL,
    expires_at    INTEGER NOT NULL
);
CREATE INDEX console_session_expiry ON console_session (expires_at);
