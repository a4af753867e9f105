package io.wharf.core.spi;

import io.wharf.core.model.RepositoryName;
import java.util.List;
import java.util.Optional;

/**
 * How much the registry stores, per repository and in total. Read-only and computed from the metadata when
 * asked (aggregate queries over the indexed tables, nothing maintained beside them), so it is always current:
 * an image deleted a moment ago no longer counts. Each answer is one consistent snapshot.
 */
public interface UsageIndex {

    /** The repository's usage; empty when it does not exist. */
    Optional<RepositoryUsage> repositoryUsage(long repositoryId);

    /** The usage of the account's repositories in name order, strictly after {@code after} (null: from the start). */
    List<RepositoryUsage> repositoryUsages(String account, RepositoryName after, int limit);

    /** The whole store: every account's repositories, every recorded blob (linked or not), every manifest. */
    RegistryUsage registryUsage();
}
