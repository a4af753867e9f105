package io.wharf.core.service;

import io.wharf.core.error.LimitExceededException;
import io.wharf.core.error.NameUnknownException;
import io.wharf.core.spi.MetadataStore;
import io.wharf.core.spi.Repository;
import java.time.Clock;

/**
 * Resolves repository names to rows. Pushes create repositories implicitly, as OCI registries do,
 * unless create-on-push is off (ECR's behaviour: a push to a missing repository is NAME_UNKNOWN).
 */
final class Repositories {
    private final MetadataStore meta;
    private final Clock clock;
    private final Quotas quotas;
    private final boolean createOnPush;

    Repositories(MetadataStore meta, Clock clock, Quotas quotas, boolean createOnPush) {
        this.meta = meta;
        this.clock = clock;
        this.quotas = quotas;
        this.createOnPush = createOnPush;
    }

    Repository require(RepoKey key) {
        return meta.findRepository(key.account(), key.name()).orElseThrow(() -> unknown(key));
    }

    Repository forWrite(RepoKey key) {
        return meta.findRepository(key.account(), key.name()).orElseGet(() -> createOnPush(key));
    }

    private Repository createOnPush(RepoKey key) {
        if (!createOnPush) {
            throw unknown(key);
        }
        requireRoomForRepository(key.account());
        return meta.createRepository(key.account(), key.name(), clock.instant());
    }

    void requireRoomForRepository(String account) {
        if (meta.countRepositories(account) >= quotas.repositoriesPerRegistry()) {
            throw new LimitExceededException("The maximum number of repositories (" + quotas.repositoriesPerRegistry()
                    + ") in the registry with id '" + account + "' has been reached", account);
        }
    }

    static NameUnknownException unknown(RepoKey key) {
        return new NameUnknownException("repository name not known to registry", key.name().value());
    }
}
