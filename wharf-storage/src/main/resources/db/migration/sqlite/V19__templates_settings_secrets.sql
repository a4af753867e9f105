-- Issue 12 (docs/creation-templates.md). Repository creation templates per account: the prefix (ROOT or a name
-- prefix) and the template's content as JSON (io.wharf.core.template.TemplateJson), so new fields need no migration.
CREATE TABLE creation_template (
    account    TEXT    NOT NULL,
    prefix     TEXT    NOT NULL,
    content    TEXT    NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (account, prefix)
);

-- ECR account settings (GetAccountSetting/PutAccountSetting); a setting never put has its default.
CREATE TABLE account_setting (
    account    TEXT    NOT NULL,
    name       TEXT    NOT NULL,
    value      TEXT    NOT NULL,
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (account, name)
);

-- Named secrets of an account (pull-through credentials), sealed by the server: never stored in the clear.
CREATE TABLE account_secret (
    account     TEXT    NOT NULL,
    name        TEXT    NOT NULL,
    description TEXT,
    sealed      BLOB    NOT NULL,
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL,
    PRIMARY KEY (account, name)
);
