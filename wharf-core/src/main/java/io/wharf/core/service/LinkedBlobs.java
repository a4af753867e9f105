package io.wharf.core.service;

import io.wharf.core.model.Digest;
import io.wharf.core.spi.BlobIndex;
import io.wharf.core.spi.GarbageIndex;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
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
     * The blob's size when the repository may serve it, after any review due soon was postponed. One read answers
     * the common case: the link and its review time read together, the review not due within the window (a review
     * without a time is scheduled a whole grace period after the collector's next run). Otherwise the review is
     * postponed and the link read again, whatever the postponement found: a collection that committed in between
     * took the link and the review row with it.
     */
    OptionalLong size(long repositoryId, Digest digest) {
        Optional<GarbageIndex.LinkedBlob> linked = garbage.linkedBlob(repositoryId, digest);
        if (linked.isEmpty()) {
            return OptionalLong.empty();
        }
        Instant dueBefore = clock.instant().plus(GarbageCollector.REVIEW_WINDOW);
        Instant reviewAfter = linked.get().reviewAfter();
        if (reviewAfter == null || !reviewAfter.isBefore(dueBefore)) {
            return OptionalLong.of(linked.get().size());
        }
        garbage.postponeReview(digest, dueBefore);
        return blobs.linkedBlobSize(repositoryId, digest);
    }
}
