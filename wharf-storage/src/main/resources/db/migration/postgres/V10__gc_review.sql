-- Online garbage collection (docs/gc.md); see the sqlite migration of the same version. SQLite's
-- triggers become trigger functions: each queues the blob's digest for review in the changing transaction.
CREATE TABLE gc_blob_review (
    digest       TEXT COLLATE "C" PRIMARY KEY,
    review_after BIGINT
);
CREATE INDEX gc_blob_review_due ON gc_blob_review (review_after) WHERE review_after IS NOT NULL;

CREATE INDEX manifest_ref_by_blob ON manifest_ref (child_digest) WHERE kind = 'blob';

CREATE FUNCTION gc_review(d TEXT) RETURNS void LANGUAGE sql AS $$
    INSERT INTO gc_blob_review (digest, review_after) VALUES (d, NULL)
        ON CONFLICT (digest) DO UPDATE SET review_after = NULL;
$$;

CREATE FUNCTION gc_review_new_digest() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM gc_review(NEW.digest);
    RETURN NULL;
END
$$;

CREATE FUNCTION gc_review_old_digest() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM gc_review(OLD.digest);
    RETURN NULL;
END
$$;

CREATE FUNCTION gc_review_old_child() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM gc_review(OLD.child_digest);
    RETURN NULL;
END
$$;

CREATE TRIGGER gc_review_new_blob AFTER INSERT ON blob
    FOR EACH ROW EXECUTE FUNCTION gc_review_new_digest();
CREATE TRIGGER gc_review_linked_blob AFTER INSERT ON repository_blob
    FOR EACH ROW EXECUTE FUNCTION gc_review_new_digest();
CREATE TRIGGER gc_review_unlinked_blob AFTER DELETE ON repository_blob
    FOR EACH ROW EXECUTE FUNCTION gc_review_old_digest();
CREATE TRIGGER gc_review_unreferenced_blob AFTER DELETE ON manifest_ref
    FOR EACH ROW WHEN (OLD.kind = 'blob') EXECUTE FUNCTION gc_review_old_child();

INSERT INTO gc_blob_review (digest, review_after) SELECT digest, NULL FROM blob
    ON CONFLICT (digest) DO NOTHING;
