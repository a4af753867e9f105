package io.wharf.core.spi;

import java.util.Collection;
import java.util.SortedMap;

/** Key/value resource tags of repositories (ECR TagResource), not to be confused with image tags. */
public interface ResourceTagIndex {

    /** The repository's tags, by key. */
    SortedMap<String, String> resourceTags(long repositoryId);

    /** Adds or overwrites the given keys; others stay. False (nothing written) when the repository is gone. */
    boolean putResourceTags(long repositoryId, java.util.Map<String, String> tags);

    /** Removes the given keys; unknown keys are ignored. */
    void removeResourceTags(long repositoryId, Collection<String> keys);
}
