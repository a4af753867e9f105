package io.wharf.core.spi;

import io.wharf.core.model.Digest;

/**
 * Mutual exclusion, per digest, between putting a blob's file in place with its row and deleting a file whose
 * row the garbage collector removed: without it an upload could store the file, the collector delete it, and
 * the upload's row then name a missing file. One process: {@code LocalBlobLocks}; several processes sharing a
 * store need the database's locks (PostgreSQL advisory locks).
 */
public interface BlobLocks {

    /** Runs {@code work} while no other holder of {@code digest}'s lock runs. */
    void run(Digest digest, Runnable work);
}
