-- Layer insight (docs/layer-insight.md): one record per layer digest, shared by every image that has the layer,
-- its entries in path-ordered chunks (compressed, opaque to the store, each bounded); and the queue of images
-- whose layers the insight job still has to read, gone with their manifest.
CREATE TABLE layer_insight (
    layer_digest   TEXT    NOT NULL PRIMARY KEY,
    format         INTEGER NOT NULL,
    status         TEXT    NOT NULL,   -- COMPLETE | TOO_LARGE | UNREADABLE
    detail         TEXT,
    entries        INTEGER NOT NULL,
    file_bytes     INTEGER NOT NULL,
    shadowed_bytes INTEGER NOT NULL,
    chunks         INTEGER NOT NULL,
    computed_at    INTEGER NOT NULL
);

CREATE TABLE layer_insight_chunk (
    layer_digest TEXT    NOT NULL REFERENCES layer_insight (layer_digest) ON DELETE CASCADE,
    seq          INTEGER NOT NULL,
    first_path   TEXT    NOT NULL,
    last_path    TEXT    NOT NULL,
    data         BLOB    NOT NULL,
    PRIMARY KEY (layer_digest, seq)
);

CREATE TABLE insight_request (
    repository_id INTEGER NOT NULL,
    digest        TEXT    NOT NULL,
    requested_at  INTEGER NOT NULL,
    PRIMARY KEY (repository_id, digest),
    FOREIGN KEY (repository_id, digest) REFERENCES manifest (repository_id, digest) ON DELETE CASCADE
);
CREATE INDEX insight_request_by_age ON insight_request (requested_at);
