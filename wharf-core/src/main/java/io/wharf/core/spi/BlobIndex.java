package io.wharf.core.spi;

import io.wharf.core.model.Digest;
import io.wharf.core.model.RepositoryName;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;

/** Which verified blobs exist (globally) and which repository may serve which of them. */
public interface BlobIndex {

    /**
     * Records a verified blob and links it to the repository, in one transaction. Idempotent. When the
     * repository no longer exists the blob is still recorded (its bytes are committed) but not linked: false.
     */
    boolean addBlob(long repositoryId, Digest digest, long size, Instant now);

    /**
     * Size of a blob known anywhere in the registry, linked or not. Bookkeeping only (garbage
     * collection, integrity checks): whether a caller may have a blob is decided by its links.
     */
    OptionalLong blobSize(Digest digest);

    /** Size of the blob when the repository may serve it, else empty. */
    OptionalLong linkedBlobSize(long repositoryId, Digest digest);

    /**
     * Links a blob the source repository may serve into the target (a cross-repository mount), in one
     * statement with that check. False when the source does not hold it (never had it, or unlinked it) or the target is gone.
     */
    boolean linkBlob(long sourceRepositoryId, long targetRepositoryId, Digest digest, Instant now);

    /**
     * Up to {@code limit} repositories of the account that may serve the blob, by name: the candidates
     * of an automatic mount, each still to be authorized for the caller.
     */
    List<RepositoryName> repositoriesHolding(String account, Digest digest, int limit);

    /** Removes the repository's link; the bytes stay for garbage collection. False when not linked. */
    boolean unlinkBlob(long repositoryId, Digest digest);

    /** The subset of {@code digests} the repository does not hold as blobs. */
    Set<Digest> missingBlobs(long repositoryId, Collection<Digest> digests);

    /** Every recorded blob, in digest order, after {@code after} (null: from the start); for the scrub and fsck. */
    List<StoredBlob> listBlobs(Digest after, int limit);
}
