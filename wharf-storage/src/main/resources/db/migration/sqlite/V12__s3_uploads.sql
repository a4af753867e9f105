-- Uploads of the S3 blob store (docs/storage.md, "S3 blob store"): the bytes are part objects in the bucket, part n
-- holding bytes [(n-1)·part_size, n·part_size) and the last one possibly shorter; the database says how many bytes
-- count and which object version (ETag) each part is, so that any node continues any upload.
CREATE TABLE s3_upload (
    id          TEXT    NOT NULL PRIMARY KEY,
    part_size   INTEGER NOT NULL,  -- fixed when the upload starts, whatever a node configures later
    length      INTEGER NOT NULL,  -- bytes stored; parts past it hold unacknowledged bytes
    modified_at INTEGER NOT NULL   -- epoch ms of the last write, for the upload sweep
);
CREATE TABLE s3_upload_part (
    upload_id   TEXT    NOT NULL,
    part_number INTEGER NOT NULL,
    size        INTEGER NOT NULL,
    etag        TEXT    NOT NULL,
    PRIMARY KEY (upload_id, part_number)
);
