-- Pull-through cache (docs/pull-through.md); see the sqlite migration of the same version.
CREATE TABLE pull_through_rule (
    account            TEXT COLLATE "C" NOT NULL,
    prefix             TEXT COLLATE "C" NOT NULL,
    upstream_url       TEXT   NOT NULL,
    upstream_registry  TEXT   NOT NULL,
    credential_arn     TEXT,
    custom_role_arn    TEXT,
    upstream_prefix    TEXT,
    created_at         BIGINT NOT NULL,
    updated_at         BIGINT NOT NULL,
    PRIMARY KEY (account, prefix)
);

CREATE TABLE pull_through_tag (
    account     TEXT COLLATE "C" NOT NULL,
    repository  TEXT COLLATE "C" NOT NULL,
    tag         TEXT COLLATE "C" NOT NULL,
    checked_at  BIGINT NOT NULL,
    PRIMARY KEY (account, repository, tag)
);
