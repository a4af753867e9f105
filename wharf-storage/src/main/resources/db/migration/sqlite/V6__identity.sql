-- Identities: accounts, IAM users, access keys, inline user policies (the iam_ prefix keeps them apart
-- from the registry's own tables). User names compare without regard to case, as in IAM, hence NOCASE
-- on every column that holds one (SQLite matches a foreign key with the parent column's collation).

CREATE TABLE iam_account (
    id         TEXT    PRIMARY KEY,
    created_at INTEGER NOT NULL
);

CREATE TABLE iam_user (
    account    TEXT    NOT NULL REFERENCES iam_account (id),
    name       TEXT    NOT NULL COLLATE NOCASE,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (account, name)
);

-- user_name NULL: a key of the account root (the composite foreign key is not checked then).
-- secret holds the secret encrypted (AES-GCM, key in <data>/keys/), never in plain text.
CREATE TABLE iam_access_key (
    id         TEXT    PRIMARY KEY,
    account    TEXT    NOT NULL REFERENCES iam_account (id),
    user_name  TEXT    COLLATE NOCASE,
    secret     BLOB    NOT NULL,
    status     TEXT    NOT NULL,
    created_at INTEGER NOT NULL,
    FOREIGN KEY (account, user_name) REFERENCES iam_user (account, name) ON DELETE CASCADE
);
CREATE INDEX iam_access_key_by_owner ON iam_access_key (account, user_name);

CREATE TABLE iam_user_policy (
    account   TEXT NOT NULL,
    user_name TEXT NOT NULL COLLATE NOCASE,
    name      TEXT NOT NULL,
    document  TEXT NOT NULL,
    PRIMARY KEY (account, user_name, name),
    FOREIGN KEY (account, user_name) REFERENCES iam_user (account, name) ON DELETE CASCADE
);
