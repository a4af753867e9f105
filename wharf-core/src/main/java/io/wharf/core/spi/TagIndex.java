package io.wharf.core.spi;

import io.wharf.core.model.Digest;
import io.wharf.core.model.Tag;
import java.util.List;
import java.util.Optional;

/** Tags of a repository. Tags are moved only through {@link ManifestIndex#putManifest}. */
public interface TagIndex {

    Optional<Digest> resolveTag(long repositoryId, Tag tag);

    /** Tags in lexical order, strictly after {@code after} (null: from the start), at most {@code limit}. */
    List<Tag> listTags(long repositoryId, Tag after, int limit);

    /** False when the tag did not exist. */
    boolean deleteTag(long repositoryId, Tag tag);
}
