-- Policies and configurations kept verbatim: per repository (repository policy, lifecycle policy)
-- and per account (registry policy, registry scanning configuration).
CREATE TABLE repository_document (
    repository_id INTEGER NOT NULL REFERENCES repository (id) ON DELETE CASCADE,
    kind          TEXT    NOT NULL,
    content       TEXT    NOT NULL,
    updated_at    INTEGER NOT NULL,
    PRIMARY KEY (repository_id, kind)
);

CREATE TABLE account_document (
    account    TEXT    NOT NULL,
    kind       TEXT    NOT NULL,
    content    TEXT    NOT NULL,
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (account, kind)
);
