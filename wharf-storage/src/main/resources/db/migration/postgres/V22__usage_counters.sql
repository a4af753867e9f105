-- Usage counters kept by triggers (see the sqlite migration of the same version, and docs/usage.md).
-- Concurrency: counter updates are increments (row-locked until commit, never lost). Whether a blob is exclusive
-- to one repository depends on its other links, which concurrent transactions may change: the link triggers first
-- lock the blob's row (FOR NO KEY UPDATE, which foreign-key checks do not wait for), so that link changes of one
-- digest run one after the other, each reading the committed links of the others (READ COMMITTED gives each
-- statement of a function a fresh snapshot).

CREATE TABLE repository_usage (
    -- no foreign key: the link triggers of a repository delete's cascade update it while the repository row
    -- is already gone (PostgreSQL checks the key on that update); a trigger deletes it with the repository
    repository_id   BIGINT PRIMARY KEY,
    images          BIGINT NOT NULL DEFAULT 0,
    tags            BIGINT NOT NULL DEFAULT 0,
    manifest_bytes  BIGINT NOT NULL DEFAULT 0,
    blobs           BIGINT NOT NULL DEFAULT 0,
    blob_bytes      BIGINT NOT NULL DEFAULT 0,
    exclusive_bytes BIGINT NOT NULL DEFAULT 0,
    images_warned   INTEGER NOT NULL DEFAULT 0,
    bytes_warned    INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE registry_usage (
    shard          INTEGER PRIMARY KEY,
    blobs          BIGINT NOT NULL DEFAULT 0,
    blob_bytes     BIGINT NOT NULL DEFAULT 0,
    unlinked_blobs BIGINT NOT NULL DEFAULT 0,
    unlinked_bytes BIGINT NOT NULL DEFAULT 0
);
INSERT INTO registry_usage (shard) SELECT generate_series(0, 15);

CREATE TABLE repository_pulls (
    repository_id BIGINT NOT NULL REFERENCES repository (id) ON DELETE CASCADE,
    day           INTEGER NOT NULL,
    pulls         BIGINT NOT NULL,
    bytes         BIGINT NOT NULL,
    PRIMARY KEY (repository_id, day)
);

CREATE FUNCTION usage_shard(digest TEXT) RETURNS INTEGER LANGUAGE sql IMMUTABLE AS
    $$ SELECT ascii(right(digest, 1)) % 16 $$;

CREATE FUNCTION usage_repository() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO repository_usage (repository_id) VALUES (NEW.id);
    ELSE
        DELETE FROM repository_usage WHERE repository_id = OLD.id;
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER usage_repository AFTER INSERT OR DELETE ON repository FOR EACH ROW EXECUTE FUNCTION usage_repository();

CREATE FUNCTION usage_manifest() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        UPDATE repository_usage SET images = images + 1, manifest_bytes = manifest_bytes + NEW.size
        WHERE repository_id = NEW.repository_id;
    END IF;
    IF TG_OP IN ('DELETE', 'UPDATE') THEN
        UPDATE repository_usage SET images = images - 1, manifest_bytes = manifest_bytes - OLD.size
        WHERE repository_id = OLD.repository_id;
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER usage_manifest AFTER INSERT OR DELETE OR UPDATE OF size ON manifest
    FOR EACH ROW EXECUTE FUNCTION usage_manifest();

CREATE FUNCTION usage_tag() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        UPDATE repository_usage SET tags = tags + 1 WHERE repository_id = NEW.repository_id;
    ELSE
        UPDATE repository_usage SET tags = tags - 1 WHERE repository_id = OLD.repository_id;
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER usage_tag AFTER INSERT OR DELETE ON tag FOR EACH ROW EXECUTE FUNCTION usage_tag();

-- a linked blob cannot be deleted (repository_blob references it): a deleted blob was unlinked
CREATE FUNCTION usage_blob() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        UPDATE registry_usage SET blobs = blobs + 1, blob_bytes = blob_bytes + NEW.size,
            unlinked_blobs = unlinked_blobs + 1, unlinked_bytes = unlinked_bytes + NEW.size
        WHERE shard = usage_shard(NEW.digest);
    ELSE
        UPDATE registry_usage SET blobs = blobs - 1, blob_bytes = blob_bytes - OLD.size,
            unlinked_blobs = unlinked_blobs - 1, unlinked_bytes = unlinked_bytes - OLD.size
        WHERE shard = usage_shard(OLD.digest);
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER usage_blob AFTER INSERT OR DELETE ON blob FOR EACH ROW EXECUTE FUNCTION usage_blob();

-- One link added (sign 1, after the insert) or about to be removed (sign -1, before the delete: the other links
-- are then counted row by row even when one statement removes several, as garbage collection does).
CREATE FUNCTION usage_link_change(repo BIGINT, dgst TEXT, sign INTEGER) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    sz     BIGINT;
    others BIGINT[];
BEGIN
    SELECT size INTO sz FROM blob WHERE digest = dgst FOR NO KEY UPDATE;
    SELECT array_agg(repository_id) INTO others FROM (SELECT repository_id FROM repository_blob
        WHERE digest = dgst AND repository_id <> repo LIMIT 2) o;
    UPDATE repository_usage SET blobs = blobs + sign, blob_bytes = blob_bytes + sign * sz,
        exclusive_bytes = exclusive_bytes + CASE WHEN others IS NULL THEN sign * sz ELSE 0 END
    WHERE repository_id = repo;
    IF others IS NULL THEN
        UPDATE registry_usage SET unlinked_blobs = unlinked_blobs - sign, unlinked_bytes = unlinked_bytes - sign * sz
        WHERE shard = usage_shard(dgst);
    ELSIF cardinality(others) = 1 THEN
        UPDATE repository_usage SET exclusive_bytes = exclusive_bytes - sign * sz WHERE repository_id = others[1];
    END IF;
END $$;

CREATE FUNCTION usage_link_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM usage_link_change(NEW.repository_id, NEW.digest, 1);
    RETURN NULL;
END $$;
CREATE TRIGGER usage_link_insert AFTER INSERT ON repository_blob FOR EACH ROW EXECUTE FUNCTION usage_link_insert();

CREATE FUNCTION usage_link_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM usage_link_change(OLD.repository_id, OLD.digest, -1);
    RETURN OLD;
END $$;
CREATE TRIGGER usage_link_delete BEFORE DELETE ON repository_blob FOR EACH ROW EXECUTE FUNCTION usage_link_delete();

INSERT INTO repository_usage (repository_id, images, tags, manifest_bytes, blobs, blob_bytes, exclusive_bytes)
SELECT r.id,
       (SELECT COUNT(*) FROM manifest m WHERE m.repository_id = r.id),
       (SELECT COUNT(*) FROM tag t WHERE t.repository_id = r.id),
       (SELECT COALESCE(SUM(size), 0) FROM manifest m WHERE m.repository_id = r.id),
       (SELECT COUNT(*) FROM repository_blob rb WHERE rb.repository_id = r.id),
       (SELECT COALESCE(SUM(b.size), 0) FROM repository_blob rb JOIN blob b ON b.digest = rb.digest
        WHERE rb.repository_id = r.id),
       (SELECT COALESCE(SUM(b.size), 0) FROM repository_blob rb JOIN blob b ON b.digest = rb.digest
        WHERE rb.repository_id = r.id AND NOT EXISTS (SELECT 1 FROM repository_blob o
            WHERE o.digest = rb.digest AND o.repository_id <> rb.repository_id))
FROM repository r;
UPDATE registry_usage SET
    blobs = (SELECT COUNT(*) FROM blob b WHERE usage_shard(b.digest) = shard),
    blob_bytes = (SELECT COALESCE(SUM(size), 0) FROM blob b WHERE usage_shard(b.digest) = shard),
    unlinked_blobs = (SELECT COUNT(*) FROM blob b WHERE usage_shard(b.digest) = shard
        AND NOT EXISTS (SELECT 1 FROM repository_blob rb WHERE rb.digest = b.digest)),
    unlinked_bytes = (SELECT COALESCE(SUM(size), 0) FROM blob b WHERE usage_shard(b.digest) = shard
        AND NOT EXISTS (SELECT 1 FROM repository_blob rb WHERE rb.digest = b.digest));
