-- Pull-through cache (docs/pull-through.md): rules per account keyed by their repository prefix, and when each
-- cached tag was last confirmed with its upstream (epoch ms). Tag rows carry names, not ids: a row outliving its
-- repository is harmless (it is only read for a tag the repository holds).
-- upstream_prefix is NULL when the rule was created without one (it maps like ROOT; describing it returns nothing).
CREATE TABLE pull_through_rule (
    account            TEXT    NOT NULL,
    prefix             TEXT    NOT NULL,
    upstream_url       TEXT    NOT NULL,
    upstream_registry  TEXT    NOT NULL,
    credential_arn     TEXT,
    custom_role_arn    TEXT,
    upstream_prefix    TEXT,
    created_at         INTEGER NOT NULL,
    updated_at         INTEGER NOT NULL,
    PRIMARY KEY (account, prefix)
);

CREATE TABLE pull_through_tag (
    account     TEXT    NOT NULL,
    repository  TEXT    NOT NULL,
    tag         TEXT    NOT NULL,
    checked_at  INTEGER NOT NULL,
    PRIMARY KEY (account, repository, tag)
);
