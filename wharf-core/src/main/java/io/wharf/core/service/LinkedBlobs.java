package io.wharf.core.service;

import io.wharf.core.model.Digest;
import io.wharf.core.spi.BlobIndex;
import io.wharf.core.spi.GarbageIndex;
import java.time.Clock;
import java.util.OptionalLong;

/**
 * "Does this repository hold the blob?" as a client asks before it pushes: a yes makes the client skip the
 * upload and reference the blob in a manifest soon after, so a blob the garbage collector would review within
 * {@link GarbageCollector#REVIEW_WINDOW} gets its review postponed before the yes is given.
 */
final class LinkedBlobs {
    private final BlobIndex blobs;
    private final GarbageIndex garbage;
    private final Clock clock;

    LinkedBlobs(BlobIndex blobs, GarbageIndex garbage, Clock clock) {
        this.blobs = blobs;
        this.garbage = garbage;
        this.clock = clock;
    }

    /**
     * The blob's size when the repository may serve it, after any review due soon was postponed. Read again after
     * the postponement whatever it found: a collection that committed just before it took the link and the review
     * row with it, so "nothing was postponed" does not mean "nothing changed".
     */
    OptionalLong size(long repositoryId, Digest digest) {
        if (blobs.linkedBlobSize(repositoryId, digest).isEmpty()) {
            return OptionalLong.empty();
        }
        garbage.postponeReview(digest, clock.instant().plus(GarbageCollector.REVIEW_WINDOW));
        return blobs.linkedBlobSize(repositoryId, digest);
    }
}
