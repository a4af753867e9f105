-- Policies and configurations kept verbatim, per repository and per account.
CREATE TABLE repository_document (
    repository_id BIGINT NOT NULL REFERENCES repository (id) ON DELETE CASCADE,
    kind          TEXT COLLATE "C" NOT NULL,
    content       TEXT   NOT NULL,
    updated_at    BIGINT NOT NULL,
    PRIMARY KEY (repository_id, kind)
);

CREATE TABLE account_document (
    account    TEXT COLLATE "C" NOT NULL,
    kind       TEXT COLLATE "C" NOT NULL,
    content    TEXT   NOT NULL,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (account, kind)
);
