-- Uploads of the S3 blob store; see the sqlite migration of the same version.
CREATE TABLE s3_upload (
    id          TEXT COLLATE "C" NOT NULL PRIMARY KEY,
    part_size   BIGINT NOT NULL,
    length      BIGINT NOT NULL,
    modified_at BIGINT NOT NULL
);
CREATE TABLE s3_upload_part (
    upload_id   TEXT COLLATE "C" NOT NULL,
    part_number INTEGER NOT NULL,
    size        BIGINT NOT NULL,
    etag        TEXT NOT NULL,
    PRIMARY KEY (upload_id, part_number)
);
