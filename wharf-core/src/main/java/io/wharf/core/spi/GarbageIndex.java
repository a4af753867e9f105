package io.wharf.core.spi;

import io.wharf.core.model.Digest;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The garbage collector's review queue (docs/gc.md). A blob is queued whenever it may have lost its last
 * reference (its last link or manifest reference went) or may never get one (it was uploaded, linked or
 * mounted, or pushed again): the store does that itself, in the transaction of the change. A queued review
 * has no time until the collector {@link #scheduleReviews schedules} it, a grace period after it first saw
 * it; every new event on the blob clears the time again, so a review falls due only once the blob has been
 * left alone for the whole grace period.
 */
public interface GarbageIndex {

    /** What one {@link #collect} did. {@code deleted}: the blob rows it removed, whose files may now go. */
    record Collected(List<StoredBlob> deleted, int unlinked, int kept) {
    }

    /**
     * Gives every review without a time the time {@code reviewAfter} supplies, asked once the store holds its write
     * lock: an event committed while this waited for it gets a time after its own. Returns how many it scheduled.
     */
    int scheduleReviews(Supplier<Instant> reviewAfter);

    /** {@link #scheduleReviews(Supplier)} with a fixed time. */
    default int scheduleReviews(Instant reviewAfter) {
        return scheduleReviews(() -> reviewAfter);
    }

    /** Up to {@code limit} digests whose review is due at {@code now}, in digest order after {@code after} (null: first). */
    List<Digest> dueReviews(Instant now, Digest after, int limit);

    /**
     * Reviews each digest that is still due at {@code now}, in one transaction with its checks: removes the
     * repository links that no manifest of their repository references, and when no manifest anywhere
     * references the blob, its row. The reviews go; a digest no longer due (pushed, linked or looked at
     * since it was listed) is left for later.
     */
    Collected collect(Collection<Digest> digests, Instant now);

    /** What {@link #collect} would delete among the reviews due at {@code now}, without changing anything. */
    List<StoredBlob> collectable(Instant now, Digest after, int limit);

    /** A blob a repository may serve: its size, and when its review falls due (null: none scheduled). */
    record LinkedBlob(long size, Instant reviewAfter) {
    }

    /**
     * The blob when the repository may serve it, with its review time, read together: the one read of a blob
     * {@code HEAD} or {@code GET} that no review due soon makes longer. Empty when the repository does not hold it.
     */
    Optional<LinkedBlob> linkedBlob(long repositoryId, Digest digest);

    /**
     * Clears the time of the blob's review when it falls due before {@code dueBefore}: a client that has just
     * been told the blob exists is about to reference it (the HEAD before a manifest push). True when it did.
     */
    boolean postponeReview(Digest digest, Instant dueBefore);

    /** Reviews waiting for a time, scheduled but not yet due, and due at {@code now}. */
    record ReviewCounts(long unscheduled, long pending, long due) {
    }

    ReviewCounts reviewCounts(Instant now);

    /** The subset of {@code digests} that have no blob row: their files are orphans. */
    Set<Digest> unrecordedBlobs(Collection<Digest> digests);
}
