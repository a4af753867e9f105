package io.wharf.core.lifecycle;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * What the evaluator needs to know about one image (one manifest digest) of a repository.
 *
 * @param tags              the image's tags; empty for an untagged image
 * @param lastPulledAt      ECR's {@code lastRecordedPullTime}; null if never pulled
 * @param transitionedAt    when the image was last archived ({@code lastArchivedAt}); null if never
 * @param referencedByIndex true while some manifest list / index in the repository refers to it: such an image
 *                          is counted like any other but never expired or archived before its index
 * @param lastActivatedAt   when the image was last restored from archive ({@code lastActivatedAt}); null if
 *                          never. A restored image counts as new for {@code imageCountMoreThan}, and its
 *                          restore stands in for a pull for {@code sinceImagePulled}
 */
public record ImageFacts(String digest, List<String> tags, Instant pushedAt, Instant lastPulledAt,
                         StorageClass storageClass, Instant transitionedAt, boolean referencedByIndex,
                         Instant lastActivatedAt) {

    public ImageFacts {
        Objects.requireNonNull(digest, "digest");
        Objects.requireNonNull(pushedAt, "pushedAt");
        Objects.requireNonNull(storageClass, "storageClass");
        tags = tags == null ? List.of() : List.copyOf(tags);
    }

    /** An image that was never restored from archive. */
    public ImageFacts(String digest, List<String> tags, Instant pushedAt, Instant lastPulledAt,
                      StorageClass storageClass, Instant transitionedAt, boolean referencedByIndex) {
        this(digest, tags, pushedAt, lastPulledAt, storageClass, transitionedAt, referencedByIndex, null);
    }
}
