-- Wharf metadata, SQLite flavour. Instants are epoch milliseconds (INTEGER).
-- Text columns use SQLite's default BINARY collation: tag and repository pagination must follow
-- byte order (the PostgreSQL migrations need COLLATE "C" on those columns for the same order).

-- AUTOINCREMENT so that an id is never reused after a repository is deleted: stale references
-- (uploads, caches, events) to a deleted repository must not resolve to a new one.
CREATE TABLE repository (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    account    TEXT    NOT NULL,
    name       TEXT    NOT NULL,
    created_at INTEGER NOT NULL,
    UNIQUE (account, name)
);

-- Global and deduplicated: a row exists only once the bytes were verified and committed.
CREATE TABLE blob (
    digest     TEXT    PRIMARY KEY,
    size       INTEGER NOT NULL,
    created_at INTEGER NOT NULL
);

-- Which repository may serve which blob; a cross-repository mount inserts a row.
CREATE TABLE repository_blob (
    repository_id INTEGER NOT NULL REFERENCES repository (id) ON DELETE CASCADE,
    digest        TEXT    NOT NULL REFERENCES blob (digest),
    created_at    INTEGER NOT NULL,
    PRIMARY KEY (repository_id, digest)
);
-- garbage collection asks "does any repository still link this blob?"
CREATE INDEX repository_blob_by_digest ON repository_blob (digest);

CREATE TABLE manifest (
    repository_id  INTEGER NOT NULL REFERENCES repository (id) ON DELETE CASCADE,
    digest         TEXT    NOT NULL,
    media_type     TEXT    NOT NULL,
    artifact_type  TEXT,
    subject_digest TEXT,
    size           INTEGER NOT NULL,
    content        BLOB    NOT NULL,
    pushed_at      INTEGER NOT NULL,
    last_pulled_at INTEGER,
    PRIMARY KEY (repository_id, digest)
);
-- the referrers API: manifests of a repository by subject, in digest order
CREATE INDEX manifest_by_subject ON manifest (repository_id, subject_digest, digest)
    WHERE subject_digest IS NOT NULL;

-- What a manifest references: kind 'blob' (config, layers) or 'manifest' (index children).
-- The store deletes references and tags explicitly with their manifest; the cascades are there so
-- that deleting a whole repository (repository -> manifest -> these) is one statement.
CREATE TABLE manifest_ref (
    repository_id INTEGER NOT NULL,
    parent_digest TEXT    NOT NULL,
    child_digest  TEXT    NOT NULL,
    kind          TEXT    NOT NULL CHECK (kind IN ('blob', 'manifest')),
    PRIMARY KEY (repository_id, parent_digest, child_digest),
    FOREIGN KEY (repository_id, parent_digest) REFERENCES manifest (repository_id, digest) ON DELETE CASCADE
);
-- deletion and garbage collection ask "is this digest still referenced in the repository?"
CREATE INDEX manifest_ref_by_child ON manifest_ref (repository_id, child_digest);

CREATE TABLE tag (
    repository_id INTEGER NOT NULL,
    name          TEXT    NOT NULL,
    digest        TEXT    NOT NULL,
    updated_at    INTEGER NOT NULL,
    PRIMARY KEY (repository_id, name),
    FOREIGN KEY (repository_id, digest) REFERENCES manifest (repository_id, digest) ON DELETE CASCADE
);
-- deleting a manifest removes its tags; ECR lists the tags of an image
CREATE INDEX tag_by_digest ON tag (repository_id, digest);

-- byte_offset, not "offset": OFFSET is reserved in PostgreSQL.
CREATE TABLE upload (
    id            TEXT    PRIMARY KEY,
    repository_id INTEGER NOT NULL REFERENCES repository (id) ON DELETE CASCADE,
    byte_offset   INTEGER NOT NULL,
    started_at    INTEGER NOT NULL,
    expires_at    INTEGER NOT NULL
);
CREATE INDEX upload_by_expiry ON upload (expires_at);
