-- Public repositories and catalog data (docs/public-repositories.md): a repository without a row is private and has
-- no catalog data. Lists are newline-separated; the logo is the image's bytes (at most 512,000, checked before).
CREATE TABLE repository_catalog (
    repository_id     INTEGER PRIMARY KEY REFERENCES repository (id) ON DELETE CASCADE,
    is_public         INTEGER NOT NULL DEFAULT 0,
    description       TEXT,
    about_text        TEXT,
    usage_text        TEXT,
    architectures     TEXT    NOT NULL DEFAULT '',
    operating_systems TEXT    NOT NULL DEFAULT '',
    logo              BLOB,
    logo_media_type   TEXT,
    updated_at        INTEGER NOT NULL
);
CREATE INDEX repository_catalog_public ON repository_catalog (is_public, repository_id);
-- the gallery lists a repository's most recently written tags
CREATE INDEX tag_by_update ON tag (repository_id, updated_at);
