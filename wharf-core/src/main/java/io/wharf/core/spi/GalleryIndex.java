package io.wharf.core.spi;

import io.wharf.core.gallery.CatalogData;
import io.wharf.core.model.Digest;
import io.wharf.core.model.RepositoryName;
import io.wharf.core.model.Tag;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Which repositories are public, and every repository's catalog data (docs/public-repositories.md). A repository
 * without a row is private and has no catalog data. Called inside a unit of work, each method joins it.
 */
public interface GalleryIndex {

    /** A repository's visibility and catalog data, as last written at {@code updatedAt}. */
    record Listing(boolean isPublic, CatalogData catalog, Instant updatedAt) {
    }

    /** A public repository with its catalog data: one gallery entry. */
    record PublicRepository(Repository repository, CatalogData catalog) {
    }

    /** A tag and the image it points at, with when it was last written. */
    record RecentTag(Tag tag, Digest digest, Instant updatedAt) {
    }

    Optional<Listing> listing(long repositoryId);

    /** Makes the repository public or private, keeping its catalog data. False when the repository is gone. */
    boolean setPublic(long repositoryId, boolean isPublic, Instant now);

    /** Replaces the catalog data, keeping the visibility. False when the repository is gone. */
    boolean putCatalogData(long repositoryId, CatalogData catalog, Instant now);

    /** False for a private or missing repository. */
    boolean isPublic(String account, RepositoryName name);

    /**
     * The account's public repositories in name order, strictly after {@code after} (null: from the start), at most
     * {@code limit}, whose name, description, about text, architectures or operating systems contain every one of
     * {@code terms} (lower case; compared without regard to case; none: every public repository).
     */
    List<PublicRepository> searchPublic(String account, List<String> terms, RepositoryName after, int limit);

    /** The repository's tags, most recently written first, at most {@code limit}. */
    default List<RecentTag> recentTags(long repositoryId, int limit) {
        return recentTags(repositoryId, null, limit);
    }

    /**
     * A keyset page of the repository's tags, most recently written first and then by name: those strictly after
     * {@code after} in that order (null: from the first), at most {@code limit}.
     */
    List<RecentTag> recentTags(long repositoryId, RecentTag after, int limit);
}
