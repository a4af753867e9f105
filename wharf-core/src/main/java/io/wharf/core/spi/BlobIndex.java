package io.wharf.core.spi;

import io.wharf.core.model.Digest;
import java.time.Instant;
import java.util.Collection;
import java.util.OptionalLong;
import java.util.Set;

/** Which verified blobs exist (globally) and which repository may serve which of them. */
public interface BlobIndex {

    /**
     * Records a verified blob and links it to the repository, in one transaction. Idempotent. When the
     * repository no longer exists the blob is still recorded (its bytes are committed) but not linked: false.
     */
    boolean addBlob(long repositoryId, Digest digest, long size, Instant now);

    /** Size of a blob known anywhere in the registry (used to mount without copying). */
    OptionalLong blobSize(Digest digest);

    /** Size of the blob when the repository may serve it, else empty. */
    OptionalLong linkedBlobSize(long repositoryId, Digest digest);

    /** Links an existing blob to a repository (cross-repository mount). False when the blob or the repository is unknown. */
    boolean linkBlob(long repositoryId, Digest digest, Instant now);

    /** Removes the repository's link; the bytes stay for garbage collection. False when not linked. */
    boolean unlinkBlob(long repositoryId, Digest digest);

    /** The subset of {@code digests} the repository does not hold as blobs. */
    Set<Digest> missingBlobs(long repositoryId, Collection<Digest> digests);
}
