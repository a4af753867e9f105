-- Imported vulnerability advisories (issue 11). One row per advisory id with its normalized document (the
-- scanner's JSON form, opaque to the store); the (ecosystem, name) keys it names, for lookups by package; one
-- state row (written by the first import that changes something: an empty database has no rows, as
-- wharf migrate expects of its target) whose generation grows with every import that changed something; and the files a watched
-- directory imported (path, size, mtime, sha256), so that each version of a file is imported once.
CREATE TABLE advisory (
    id       TEXT COLLATE "C" PRIMARY KEY,
    modified BIGINT,
    document TEXT NOT NULL
);
CREATE TABLE advisory_key (
    ecosystem   TEXT COLLATE "C" NOT NULL,
    name        TEXT COLLATE "C" NOT NULL,
    advisory_id TEXT COLLATE "C" NOT NULL REFERENCES advisory (id) ON DELETE CASCADE,
    PRIMARY KEY (ecosystem, name, advisory_id)
);
CREATE INDEX advisory_key_by_advisory ON advisory_key (advisory_id);
CREATE INDEX advisory_by_modified ON advisory (modified);
CREATE TABLE advisory_state (
    id          INTEGER PRIMARY KEY CHECK (id = 1),
    generation  BIGINT NOT NULL,
    imported_at BIGINT
);
CREATE TABLE advisory_source_file (
    path        TEXT COLLATE "C" PRIMARY KEY,
    size        BIGINT NOT NULL,
    modified_at BIGINT NOT NULL,
    sha256      TEXT NOT NULL
);
