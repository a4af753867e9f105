-- Secrets every node of a deployment shares (see the sqlite migration of the same version).
CREATE TABLE server_secret (
    name       TEXT COLLATE "C" PRIMARY KEY,
    sealed     BYTEA  NOT NULL,
    created_at BIGINT NOT NULL
);
