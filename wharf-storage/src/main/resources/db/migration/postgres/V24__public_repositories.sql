-- Public repositories and catalog data; see the sqlite migration of the same version.
CREATE TABLE repository_catalog (
    repository_id     BIGINT  PRIMARY KEY REFERENCES repository (id) ON DELETE CASCADE,
    is_public         INTEGER NOT NULL DEFAULT 0,
    description       TEXT,
    about_text        TEXT,
    usage_text        TEXT,
    architectures     TEXT    NOT NULL DEFAULT '',
    operating_systems TEXT    NOT NULL DEFAULT '',
    logo              BYTEA,
    logo_media_type   TEXT,
    updated_at        BIGINT  NOT NULL
);
CREATE INDEX repository_catalog_public ON repository_catalog (is_public, repository_id);
CREATE INDEX tag_by_update ON tag (repository_id, updated_at);
