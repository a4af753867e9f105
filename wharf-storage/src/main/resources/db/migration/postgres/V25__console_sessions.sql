-- Web console sessions (docs/console.md): the SHA-256 of the cookie's id, never the id; instants in epoch ms.
CREATE TABLE console_session (
    id_hash       TEXT COLLATE "C" PRIMARY KEY,
    account       TEXT   NOT NULL,
    principal_arn TEXT   NOT NULL,
    csrf_token    TEXT   NOT NULL,
    created_at    BIGINT NOT NULL,
    last_seen_at  BIGINT NOT NULL,
    expires_at    BIGINT NOT NULL
);
CREATE INDEX console_session_expiry ON console_session (expires_at);
