-- IAM roles and virtual MFA devices (see the sqlite migration of the same version); names compare without regard
-- to case through the wharf_nocase collation of V6.

CREATE TABLE iam_role (
    account              TEXT COLLATE "C" NOT NULL REFERENCES iam_account (id),
    name                 TEXT COLLATE wharf_nocase NOT NULL,
    trust_policy         TEXT   NOT NULL,
    max_session_seconds  BIGINT NOT NULL,
    created_at           BIGINT NOT NULL,
    PRIMARY KEY (account, name)
);

CREATE TABLE iam_role_policy (
    account   TEXT COLLATE "C" NOT NULL,
    role_name TEXT COLLATE wharf_nocase NOT NULL,
    name      TEXT COLLATE "C" NOT NULL,
    document  TEXT NOT NULL,
    PRIMARY KEY (account, role_name, name),
    FOREIGN KEY (account, role_name) REFERENCES iam_role (account, name) ON DELETE CASCADE
);

CREATE TABLE iam_mfa_device (
    account        TEXT COLLATE "C" NOT NULL,
    user_name      TEXT COLLATE wharf_nocase NOT NULL,
    secret         BYTEA  NOT NULL,
    last_used_step BIGINT NOT NULL,
    created_at     BIGINT NOT NULL,
    PRIMARY KEY (account, user_name),
    FOREIGN KEY (account, user_name) REFERENCES iam_user (account, name) ON DELETE CASCADE
);

CREATE TABLE iam_oidc_provider (
    account    TEXT COLLATE "C" NOT NULL REFERENCES iam_account (id),
    issuer_key TEXT COLLATE "C" NOT NULL,
    issuer     TEXT   NOT NULL,
    client_ids TEXT   NOT NULL,
    jwks_url   TEXT   NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (account, issuer_key)
);
