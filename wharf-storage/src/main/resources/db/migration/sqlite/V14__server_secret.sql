-- Secrets every node of a deployment shares (issue 10): the registry-token signing key, sealed with the
-- configured sealing key. Rows are inserted once (the first of concurrent creators wins) and never updated.
CREATE TABLE server_secret (
    name       TEXT PRIMARY KEY,
    sealed     BLOB    NOT NULL,
    created_at INTEGER NOT NULL
);
