-- Identities (see the sqlite migration of the same version). IAM user names compare without regard to
-- case: SQLite's NOCASE becomes a nondeterministic ICU collation (case-insensitive, accents significant).
CREATE COLLATION wharf_nocase (provider = icu, locale = 'und-u-ks-level2', deterministic = false);

CREATE TABLE iam_account (
    id         TEXT COLLATE "C" PRIMARY KEY,
    created_at BIGINT NOT NULL
);

CREATE TABLE iam_user (
    account    TEXT COLLATE "C" NOT NULL REFERENCES iam_account (id),
    name       TEXT COLLATE wharf_nocase NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (account, name)
);

CREATE TABLE iam_access_key (
    id         TEXT COLLATE "C" PRIMARY KEY,
    account    TEXT COLLATE "C" NOT NULL REFERENCES iam_account (id),
    user_name  TEXT COLLATE wharf_nocase,
    secret     BYTEA  NOT NULL,
    status     TEXT   NOT NULL,
    created_at BIGINT NOT NULL,
    FOREIGN KEY (account, user_name) REFERENCES iam_user (account, name) ON DELETE CASCADE
);
CREATE INDEX iam_access_key_by_owner ON iam_access_key (account, user_name);

CREATE TABLE iam_user_policy (
    account   TEXT COLLATE "C" NOT NULL,
    user_name TEXT COLLATE wharf_nocase NOT NULL,
    name      TEXT COLLATE "C" NOT NULL,
    document  TEXT NOT NULL,
    PRIMARY KEY (account, user_name, name),
    FOREIGN KEY (account, user_name) REFERENCES iam_user (account, name) ON DELETE CASCADE
);
