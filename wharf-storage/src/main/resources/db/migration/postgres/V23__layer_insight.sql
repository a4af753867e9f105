-- Layer insight (docs/layer-insight.md); see the sqlite migration of the same version.
CREATE TABLE layer_insight (
    layer_digest   TEXT COLLATE "C" NOT NULL PRIMARY KEY,
    format         INTEGER NOT NULL,
    status         TEXT NOT NULL,
    detail         TEXT,
    entries        BIGINT NOT NULL,
    file_bytes     BIGINT NOT NULL,
    shadowed_bytes BIGINT NOT NULL,
    chunks         INTEGER NOT NULL,
    computed_at    BIGINT NOT NULL
);

CREATE TABLE layer_insight_chunk (
    layer_digest TEXT COLLATE "C" NOT NULL REFERENCES layer_insight (layer_digest) ON DELETE CASCADE,
    seq          INTEGER NOT NULL,
    first_path   TEXT COLLATE "C" NOT NULL,
    last_path    TEXT COLLATE "C" NOT NULL,
    data         BYTEA NOT NULL,
    PRIMARY KEY (layer_digest, seq)
);

CREATE TABLE insight_request (
    repository_id BIGINT NOT NULL,
    digest        TEXT COLLATE "C" NOT NULL,
    requested_at  BIGINT NOT NULL,
    PRIMARY KEY (repository_id, digest),
    FOREIGN KEY (repository_id, digest) REFERENCES manifest (repository_id, digest) ON DELETE CASCADE
);
CREATE INDEX insight_request_by_age ON insight_request (requested_at);
