package io.wharf.core.spi;

import io.wharf.core.model.Digest;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Images (manifests with their tags) as the ECR API lists and describes them. */
public interface ImageIndex {

    /** Images in digest order strictly after {@code after} (null: from the start), at most {@code limit}. */
    List<ImageRecord> listImages(long repositoryId, TagStatus status, Digest after, int limit);

    /** One entry per tag plus one per untagged image, in {@link ImageTagRef} order, strictly after {@code after}. */
    List<ImageTagRef> listImageTags(long repositoryId, TagStatus status, ImageTagRef after, int limit);

    /** As {@link #listImages} with status ANY, without the manifests' bytes. */
    List<ImageSummary> summarizeImages(long repositoryId, Digest after, int limit);

    /** Every manifest of the repository that some index (manifest list) of the repository lists. */
    Set<Digest> indexChildren(long repositoryId);

    Optional<ImageRecord> findImage(long repositoryId, Digest digest);

    /** How many manifests the repository holds; exact inside a transaction. Read on every push: must not scan. */
    long countImages(long repositoryId);

    /** Index manifests of the repository that list {@code child} among their manifests. */
    Set<Digest> parentsOf(long repositoryId, Digest child);

    /** Whether any manifest of the repository references the blob (as config or layer). */
    boolean isBlobReferenced(long repositoryId, Digest blob);

    /** Sets the manifest's last pull time. */
    void recordPull(long repositoryId, Digest digest, Instant now);
}
