package io.wharf.core.spi;

import io.wharf.core.model.Digest;
import io.wharf.core.model.Manifest;
import io.wharf.core.model.Tag;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Manifests of a repository, their references, and the subject index behind the referrers API. */
public interface ManifestIndex {

    /**
     * Stores the manifest with its references (blobs and child manifests) and, when {@code tag} is
     * not null, points the tag at it: all in one transaction. Storing an existing manifest again
     * keeps its first push time.
     */
    default void putManifest(long repositoryId, Manifest manifest, Tag tag, Instant now) {
        putManifest(repositoryId, manifest, tag, now, true);
    }

    /**
     * As {@link #putManifest(long, Manifest, Tag, Instant)}, but when {@code tagMayMove} is false and the
     * tag points at another manifest, writes nothing and answers {@link TagOutcome#REFUSED}. The check
     * and the write are one transaction.
     */
    TagOutcome putManifest(long repositoryId, Manifest manifest, Tag tag, Instant now, boolean tagMayMove);

    Optional<StoredManifest> findManifest(long repositoryId, Digest digest);

    /** Deletes the manifest, its references and every tag pointing at it. False when absent. */
    boolean deleteManifest(long repositoryId, Digest digest);

    /** Manifests of the repository whose subject is {@code subject}, ordered by digest. */
    List<StoredManifest> referrers(long repositoryId, Digest subject);

    /** The subset of {@code digests} that are not manifests of the repository. */
    Set<Digest> missingManifests(long repositoryId, Collection<Digest> digests);
}
