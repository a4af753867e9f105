package io.wharf.core.memory;

import io.wharf.core.model.Digest;
import io.wharf.core.spi.GarbageIndex.Collected;
import io.wharf.core.spi.GarbageIndex.ReviewCounts;
import io.wharf.core.spi.StoredBlob;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The review queue of {@link InMemoryMetadataStore}: what the JDBC store's triggers and queries do, on its maps.
 * Not thread-safe by itself: the store calls it under its own monitor.
 */
final class InMemoryGarbage {

    /** Which manifests reference a blob, answered by the store. */
    interface References {
        boolean inRepository(long repositoryId, Digest blob);

        boolean anywhere(Digest blob);
    }

    /** A null time: queued, not yet scheduled. */
    private final Map<Digest, Instant> reviews = new HashMap<>();
    private final Map<Digest, Long> blobs;
    private final Map<Long, Set<Digest>> links;
    private final References references;

    InMemoryGarbage(Map<Digest, Long> blobs, Map<Long, Set<Digest>> links, References references) {
        this.blobs = blobs;
        this.links = links;
        this.references = references;
    }

    void queue(Digest digest) {
        reviews.put(digest, null);
    }

    /** A blob in use again waits a whole grace period from now, if it was waiting at all. */
    void touch(Digest digest) {
        if (reviews.get(digest) != null) {
            reviews.put(digest, null);
        }
    }

    int schedule(Instant reviewAfter) {
        int scheduled = 0;
        for (Map.Entry<Digest, Instant> e : reviews.entrySet()) {
            if (e.getValue() == null) {
                e.setValue(reviewAfter);
                scheduled++;
            }
        }
        return scheduled;
    }

    List<Digest> due(Instant now, Digest after, int limit) {
        return reviews.keySet().stream().filter(d -> isDue(d, now) && (after == null || d.compareTo(after) > 0))
                .sorted().limit(limit).toList();
    }

    Collected collect(Collection<Digest> digests, Instant now) {
        List<StoredBlob> deleted = new ArrayList<>();
        int unlinked = 0;
        int kept = 0;
        for (Digest d : digests) {
            if (!isDue(d, now)) {
                continue;
            }
            for (Map.Entry<Long, Set<Digest>> link : links.entrySet()) {
                if (!references.inRepository(link.getKey(), d) && link.getValue().remove(d)) {
                    unlinked++;
                }
            }
            if (references.anywhere(d)) {
                kept++;
            } else if (blobs.containsKey(d)) {
                deleted.add(new StoredBlob(d, blobs.remove(d)));
            }
            reviews.remove(d);
        }
        return new Collected(deleted, unlinked, kept);
    }

    List<StoredBlob> collectable(Instant now, Digest after, int limit) {
        return due(now, after, Integer.MAX_VALUE).stream()
                .filter(d -> blobs.containsKey(d) && !references.anywhere(d))
                .limit(limit).map(d -> new StoredBlob(d, blobs.get(d))).toList();
    }

    /** When the blob's review falls due; null when none is scheduled. */
    Instant reviewAfter(Digest digest) {
        return reviews.get(digest);
    }

    boolean postpone(Digest digest, Instant dueBefore) {
        Instant at = reviews.get(digest);
        if (at == null || !at.isBefore(dueBefore)) {
            return false;
        }
        reviews.put(digest, null);
        return true;
    }

    ReviewCounts counts(Instant now) {
        long unscheduled = reviews.values().stream().filter(Objects::isNull).count();
        long due = reviews.keySet().stream().filter(d -> isDue(d, now)).count();
        return new ReviewCounts(unscheduled, reviews.size() - unscheduled - due, due);
    }

    private boolean isDue(Digest digest, Instant now) {
        Instant at = reviews.get(digest);
        return at != null && !at.isAfter(now);
    }
}
