-- IAM roles with their trust policies and inline policies, and users' virtual MFA devices (issue 15). Role and user
-- names compare without regard to case, as in IAM (NOCASE, as in V6). Temporary credentials are not stored: a
-- session token is sealed and self-contained (docs/security.md).

CREATE TABLE iam_role (
    account              TEXT    NOT NULL REFERENCES iam_account (id),
    name                 TEXT    NOT NULL COLLATE NOCASE,
    trust_policy         TEXT    NOT NULL,
    max_session_seconds  INTEGER NOT NULL,
    created_at           INTEGER NOT NULL,
    PRIMARY KEY (account, name)
);

CREATE TABLE iam_role_policy (
    account   TEXT NOT NULL,
    role_name TEXT NOT NULL COLLATE NOCASE,
    name      TEXT NOT NULL,
    document  TEXT NOT NULL,
    PRIMARY KEY (account, role_name, name),
    FOREIGN KEY (account, role_name) REFERENCES iam_role (account, name) ON DELETE CASCADE
);

-- secret: the TOTP secret sealed (AES-GCM, as access-key secrets); last_used_step: the latest time step whose code
-- was accepted, advanced by compare-and-set so that a code is usable once.
CREATE TABLE iam_mfa_device (
    account        TEXT    NOT NULL,
    user_name      TEXT    NOT NULL COLLATE NOCASE,
    secret         BLOB    NOT NULL,
    last_used_step INTEGER NOT NULL,
    created_at     INTEGER NOT NULL,
    PRIMARY KEY (account, user_name),
    FOREIGN KEY (account, user_name) REFERENCES iam_user (account, name) ON DELETE CASCADE
);

-- OpenID Connect providers trusted for AssumeRoleWithWebIdentity: issuer_key is the issuer without https:// (IAM's
-- ARN and condition-key form); client_ids one per line.
CREATE TABLE iam_oidc_provider (
    account    TEXT    NOT NULL REFERENCES iam_account (id),
    issuer_key TEXT    NOT NULL,
    issuer     TEXT    NOT NULL,
    client_ids TEXT    NOT NULL,
    jwks_url   TEXT    NOT NULL,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (account, issuer_key)
);
