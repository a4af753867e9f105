-- Online garbage collection (docs/gc.md). The review queue holds every blob that may have lost its last
-- reference or may never get one; the triggers below queue it in the transaction of the change, whatever
-- path made it (an API delete, a lifecycle expiry, a repository delete cascading, an upload, a mount).
-- review_after (epoch ms) is NULL until the collector schedules the review a grace period after it first
-- saw it; every new event on the blob sets it back to NULL, so a review falls due only after a whole grace
-- period without one. The collector re-checks each due review in the transaction that deletes.
CREATE TABLE gc_blob_review (
    digest       TEXT    PRIMARY KEY,
    review_after INTEGER
);
CREATE INDEX gc_blob_review_due ON gc_blob_review (review_after) WHERE review_after IS NOT NULL;

-- "does any manifest of any repository still reference this blob?"
CREATE INDEX manifest_ref_by_blob ON manifest_ref (child_digest) WHERE kind = 'blob';

CREATE TRIGGER gc_review_new_blob AFTER INSERT ON blob BEGIN
    INSERT INTO gc_blob_review (digest, review_after) VALUES (NEW.digest, NULL)
        ON CONFLICT (digest) DO UPDATE SET review_after = NULL;
END;

CREATE TRIGGER gc_review_linked_blob AFTER INSERT ON repository_blob BEGIN
    INSERT INTO gc_blob_review (digest, review_after) VALUES (NEW.digest, NULL)
        ON CONFLICT (digest) DO UPDATE SET review_after = NULL;
END;

CREATE TRIGGER gc_review_unlinked_blob AFTER DELETE ON repository_blob BEGIN
    INSERT INTO gc_blob_review (digest, review_after) VALUES (OLD.digest, NULL)
        ON CONFLICT (digest) DO UPDATE SET review_after = NULL;
END;

CREATE TRIGGER gc_review_unreferenced_blob AFTER DELETE ON manifest_ref WHEN OLD.kind = 'blob' BEGIN
    INSERT INTO gc_blob_review (digest, review_after) VALUES (OLD.child_digest, NULL)
        ON CONFLICT (digest) DO UPDATE SET review_after = NULL;
END;

-- Garbage left by versions before this one is found too: every known blob gets a review.
INSERT INTO gc_blob_review (digest, review_after) SELECT digest, NULL FROM blob WHERE true
    ON CONFLICT (digest) DO NOTHING;
