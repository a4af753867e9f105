-- Usage counters (docs/usage.md): kept by triggers in the transaction of every write that changes them, so that
-- every path (push, mount, tag move, delete, repository delete and its cascades, garbage collection, imports)
-- keeps them without Java code of its own, and a usage query reads a row instead of aggregating tables.
-- SQLite has one writer at a time: a trigger's reads see every committed change.

CREATE TABLE repository_usage (
    -- no foreign key: the link triggers of a repository delete's cascade update it while the repository row
    -- is already gone (PostgreSQL checks the key on that update); a trigger deletes it with the repository
    repository_id   INTEGER PRIMARY KEY,
    images          INTEGER NOT NULL DEFAULT 0,
    tags            INTEGER NOT NULL DEFAULT 0,
    manifest_bytes  INTEGER NOT NULL DEFAULT 0,
    blobs           INTEGER NOT NULL DEFAULT 0,
    blob_bytes      INTEGER NOT NULL DEFAULT 0,
    exclusive_bytes INTEGER NOT NULL DEFAULT 0,
    -- quota warnings already sent for the current crossing (1) or not (0)
    images_warned   INTEGER NOT NULL DEFAULT 0,
    bytes_warned    INTEGER NOT NULL DEFAULT 0
);

-- The blob store's totals in 16 shards by the digest's last character, so that concurrent blob writes of a
-- PostgreSQL cluster do not all wait on one row; a total is the sum of 16 rows.
CREATE TABLE registry_usage (
    shard          INTEGER PRIMARY KEY,
    blobs          INTEGER NOT NULL DEFAULT 0,
    blob_bytes     INTEGER NOT NULL DEFAULT 0,
    unlinked_blobs INTEGER NOT NULL DEFAULT 0,
    unlinked_bytes INTEGER NOT NULL DEFAULT 0
);
WITH RECURSIVE s(n) AS (SELECT 0 UNION ALL SELECT n + 1 FROM s WHERE n < 15)
INSERT INTO registry_usage (shard) SELECT n FROM s;

-- Pulls (successful manifest GETs) and bytes pulled (blob GETs), per repository and UTC day (epoch day).
CREATE TABLE repository_pulls (
    repository_id INTEGER NOT NULL REFERENCES repository (id) ON DELETE CASCADE,
    day           INTEGER NOT NULL,
    pulls         INTEGER NOT NULL,
    bytes         INTEGER NOT NULL,
    PRIMARY KEY (repository_id, day)
);

CREATE TRIGGER usage_repository_insert AFTER INSERT ON repository BEGIN
    INSERT INTO repository_usage (repository_id) VALUES (NEW.id);
END;

CREATE TRIGGER usage_repository_delete AFTER DELETE ON repository BEGIN
    DELETE FROM repository_usage WHERE repository_id = OLD.id;
END;

CREATE TRIGGER usage_manifest_insert AFTER INSERT ON manifest BEGIN
    UPDATE repository_usage SET images = images + 1, manifest_bytes = manifest_bytes + NEW.size
    WHERE repository_id = NEW.repository_id;
END;
CREATE TRIGGER usage_manifest_delete AFTER DELETE ON manifest BEGIN
    UPDATE repository_usage SET images = images - 1, manifest_bytes = manifest_bytes - OLD.size
    WHERE repository_id = OLD.repository_id;
END;
CREATE TRIGGER usage_manifest_size AFTER UPDATE OF size ON manifest BEGIN
    UPDATE repository_usage SET manifest_bytes = manifest_bytes - OLD.size + NEW.size
    WHERE repository_id = NEW.repository_id;
END;

CREATE TRIGGER usage_tag_insert AFTER INSERT ON tag BEGIN
    UPDATE repository_usage SET tags = tags + 1 WHERE repository_id = NEW.repository_id;
END;
CREATE TRIGGER usage_tag_delete AFTER DELETE ON tag BEGIN
    UPDATE repository_usage SET tags = tags - 1 WHERE repository_id = OLD.repository_id;
END;

CREATE TRIGGER usage_blob_insert AFTER INSERT ON blob BEGIN
    UPDATE registry_usage SET blobs = blobs + 1, blob_bytes = blob_bytes + NEW.size,
        unlinked_blobs = unlinked_blobs + 1, unlinked_bytes = unlinked_bytes + NEW.size
    WHERE shard = unicode(substr(NEW.digest, -1)) % 16;
END;
-- a linked blob cannot be deleted (repository_blob references it): a deleted blob was unlinked
CREATE TRIGGER usage_blob_delete AFTER DELETE ON blob BEGIN
    UPDATE registry_usage SET blobs = blobs - 1, blob_bytes = blob_bytes - OLD.size,
        unlinked_blobs = unlinked_blobs - 1, unlinked_bytes = unlinked_bytes - OLD.size
    WHERE shard = unicode(substr(OLD.digest, -1)) % 16;
END;

-- A link: the repository's blobs grow; a blob with no other link becomes exclusive to it (and no longer
-- unlinked); a blob that had exactly one other link stops being exclusive to that one.
CREATE TRIGGER usage_link_insert AFTER INSERT ON repository_blob BEGIN
    UPDATE repository_usage SET blobs = blobs + 1,
        blob_bytes = blob_bytes + (SELECT size FROM blob WHERE digest = NEW.digest)
    WHERE repository_id = NEW.repository_id;
    UPDATE repository_usage SET exclusive_bytes = exclusive_bytes + (SELECT size FROM blob WHERE digest = NEW.digest)
    WHERE repository_id = NEW.repository_id AND NOT EXISTS (SELECT 1 FROM repository_blob o
        WHERE o.digest = NEW.digest AND o.repository_id <> NEW.repository_id);
    UPDATE registry_usage SET unlinked_blobs = unlinked_blobs - 1,
        unlinked_bytes = unlinked_bytes - (SELECT size FROM blob WHERE digest = NEW.digest)
    WHERE shard = unicode(substr(NEW.digest, -1)) % 16 AND NOT EXISTS (SELECT 1 FROM repository_blob o
        WHERE o.digest = NEW.digest AND o.repository_id <> NEW.repository_id);
    UPDATE repository_usage SET exclusive_bytes = exclusive_bytes - (SELECT size FROM blob WHERE digest = NEW.digest)
    WHERE repository_id = (SELECT o.repository_id FROM repository_blob o
        WHERE o.digest = NEW.digest AND o.repository_id <> NEW.repository_id)
      AND (SELECT COUNT(*) FROM (SELECT 1 FROM repository_blob o WHERE o.digest = NEW.digest LIMIT 3)) = 2;
END;

-- BEFORE, so that "the other links" are counted row by row even when one statement removes several.
CREATE TRIGGER usage_link_delete BEFORE DELETE ON repository_blob BEGIN
    UPDATE repository_usage SET blobs = blobs - 1,
        blob_bytes = blob_bytes - (SELECT size FROM blob WHERE digest = OLD.digest)
    WHERE repository_id = OLD.repository_id;
    UPDATE repository_usage SET exclusive_bytes = exclusive_bytes - (SELECT size FROM blob WHERE digest = OLD.digest)
    WHERE repository_id = OLD.repository_id AND NOT EXISTS (SELECT 1 FROM repository_blob o
        WHERE o.digest = OLD.digest AND o.repository_id <> OLD.repository_id);
    UPDATE registry_usage SET unlinked_blobs = unlinked_blobs + 1,
        unlinked_bytes = unlinked_bytes + (SELECT size FROM blob WHERE digest = OLD.digest)
    WHERE shard = unicode(substr(OLD.digest, -1)) % 16 AND NOT EXISTS (SELECT 1 FROM repository_blob o
        WHERE o.digest = OLD.digest AND o.repository_id <> OLD.repository_id);
    UPDATE repository_usage SET exclusive_bytes = exclusive_bytes + (SELECT size FROM blob WHERE digest = OLD.digest)
    WHERE repository_id = (SELECT o.repository_id FROM repository_blob o
        WHERE o.digest = OLD.digest AND o.repository_id <> OLD.repository_id)
      AND (SELECT COUNT(*) FROM (SELECT 1 FROM repository_blob o WHERE o.digest = OLD.digest LIMIT 3)) = 2;
END;

-- The counters of what exists already.
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
    blobs = (SELECT COUNT(*) FROM blob b WHERE unicode(substr(b.digest, -1)) % 16 = shard),
    blob_bytes = (SELECT COALESCE(SUM(size), 0) FROM blob b WHERE unicode(substr(b.digest, -1)) % 16 = shard),
    unlinked_blobs = (SELECT COUNT(*) FROM blob b WHERE unicode(substr(b.digest, -1)) % 16 = shard
        AND NOT EXISTS (SELECT 1 FROM repository_blob rb WHERE rb.digest = b.digest)),
    unlinked_bytes = (SELECT COALESCE(SUM(size), 0) FROM blob b WHERE unicode(substr(b.digest, -1)) % 16 = shard
        AND NOT EXISTS (SELECT 1 FROM repository_blob rb WHERE rb.digest = b.digest));
