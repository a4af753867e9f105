package io.wharf.core.spi;

import io.wharf.core.model.RepositoryName;
import java.util.Objects;

/**
 * What one repository holds. Manifests are stored per repository (in the metadata database), blobs once per
 * registry and linked into every repository that may serve them: a blob shared by two repositories counts in
 * both one's and the other's {@code blobBytes}, and in neither's {@code exclusiveBytes}.
 *
 * @param images         manifests (images, indexes, referrers), tagged or not
 * @param tags           tags
 * @param manifestBytes  the manifests' sizes summed
 * @param blobs          distinct blobs linked to the repository
 * @param blobBytes      their sizes summed
 * @param exclusiveBytes bytes of the blobs no other repository links: what deleting the repository frees
 *                       once garbage collection has run
 */
public record RepositoryUsage(long repositoryId, RepositoryName name, long images, long tags, long manifestBytes,
                              long blobs, long blobBytes, long exclusiveBytes) {

    public RepositoryUsage {
        Objects.requireNonNull(name, "name");
    }

    /** Manifests and linked blobs: what pulling every image of the repository moves at most. */
    public long logicalBytes() {
        return manifestBytes + blobBytes;
    }
}
