package io.wharf.core.service;

import io.wharf.core.error.LimitExceededException;
import io.wharf.core.error.NameUnknownException;
import io.wharf.core.event.RegistryEvent;
import io.wharf.core.spi.MetadataStore;
import io.wharf.core.spi.Repository;
import io.wharf.core.spi.RepositoryIndex;
import io.wharf.core.spi.UnitOfWork;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

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
        return require(meta, key);
    }

    /** Inside a unit of work: the repository as the transaction sees it. */
    static Repository require(RepositoryIndex index, RepoKey key) {
        return index.findRepository(key.account(), key.name()).orElseThrow(() -> unknown(key));
    }

    Repository forWrite(RepoKey key) {
        return meta.findRepository(key.account(), key.name())
                .orElseGet(() -> meta.inTransaction("create a repository on push", unit -> forWrite(unit, key)));
    }

    /** Inside a unit of work: the repository, created on push (with its event) when missing and allowed. */
    Repository forWrite(UnitOfWork unit, RepoKey key) {
        Optional<Repository> found = unit.findRepository(key.account(), key.name());
        if (found.isPresent()) {
            return found.get();
        }
        if (!createOnPush) {
            throw unknown(key);
        }
        requireRoomForRepository(unit, key.account());
        Instant now = clock.instant();
        Repository created = unit.createRepository(key.account(), key.name(), now);
        unit.emit(new RegistryEvent.RepositoryCreated(key.account(), key.name()), now);
        return created;
    }

    void requireRoomForRepository(RepositoryIndex index, String account) {
        if (index.countRepositories(account) >= quotas.repositoriesPerRegistry()) {
            throw new LimitExceededException("The maximum number of repositories (" + quotas.repositoriesPerRegistry()
                    + ") in the registry with id '" + account + "' has been reached", account);
        }
    }

    static NameUnknownException unknown(RepoKey key) {
        return new NameUnknownException("repository name not known to registry", key.name().value());
    }
}
