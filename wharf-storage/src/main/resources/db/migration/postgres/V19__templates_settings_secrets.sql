-- Creation templates, account settings and sealed secrets (see the sqlite migration of the same version).
CREATE TABLE creation_template (
    account    TEXT COLLATE "C" NOT NULL,
    prefix     TEXT COLLATE "C" NOT NULL,
    content    TEXT   NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (account, prefix)
);

CREATE TABLE account_setting (
    account    TEXT COLLATE "C" NOT NULL,
    name       TEXT COLLATE "C" NOT NULL,
    value      TEXT   NOT NULL,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (account, name)
);

CREATE TABLE account_secret (
    account     TEXT COLLATE "C" NOT NULL,
    name        TEXT COLLATE "C" NOT NULL,
    description TEXT,
    sealed      BYTEA  NOT NULL,
    created_at  BIGINT NOT NULL,
    updated_at  BIGINT NOT NULL,
    PRIMARY KEY (account, name)
);
