package io.wharf.core.service;

import io.wharf.core.error.LimitExceededException;
import io.wharf.core.error.NameUnknownException;
import io.wharf.core.event.RegistryEvent;
import io.wharf.core.model.RepositorySettings;
import io.wharf.core.spi.DocumentKind;
import io.wharf.core.spi.MetadataStore;
import io.wharf.core.spi.Repository;
import io.wharf.core.spi.RepositoryIndex;
import io.wharf.core.spi.UnitOfWork;
import java.time.Clock;
import java.time.Instant;
import io.wharf.core.template.AppliedFor;
import io.wharf.core.template.CreationTemplate;
import io.wharf.core.template.TemplateService;
import java.util.Map;
import java.util.Optional;

/**
 * Resolves repository names to rows, and creates the repositories the registry creates itself (pushes, replication,
 * pull-through), applying the matching creation template. Pushes create repositories as OCI registries do unless
 * create-on-push is off and no CREATE_ON_PUSH template covers the name (ECR's behaviour: NAME_UNKNOWN).
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

    /**
     * Inside a unit of work: the repository, created on push (with its event) when missing and allowed: when
     * create-on-push is on or a CREATE_ON_PUSH template covers the name, and always for a replicated push (then
     * for {@link AppliedFor#REPLICATION}).
     */
    Repository forWrite(UnitOfWork unit, RepoKey key) {
        Optional<Repository> found = unit.findRepository(key.account(), key.name());
        if (found.isPresent()) {
            return found.get();
        }
        AppliedFor reason = PushContext.REPLICATED_FROM.isBound() ? AppliedFor.REPLICATION : AppliedFor.CREATE_ON_PUSH;
        Optional<CreationTemplate> template = TemplateService.matching(meta.templates(), key.account(), key.name(), reason);
        if (reason == AppliedFor.CREATE_ON_PUSH && !createOnPush && template.isEmpty()) {
            throw unknown(key);
        }
        return create(unit, key, template);
    }

    /** Inside a unit of work: the repository, created from the template matching {@code reason} when missing. */
    Repository createImplicitly(UnitOfWork unit, RepoKey key, AppliedFor reason) {
        Optional<Repository> found = unit.findRepository(key.account(), key.name());
        if (found.isPresent()) {
            return found.get();
        }
        return create(unit, key, TemplateService.matching(meta.templates(), key.account(), key.name(), reason));
    }

    /**
     * Creates the repository with what the template sets (tag mutability, encryption, resource tags, repository and
     * lifecycle policies), all in the caller's transaction with the quota check and the event.
     */
    private Repository create(UnitOfWork unit, RepoKey key, Optional<CreationTemplate> template) {
        requireRoomForRepository(unit, key.account());
        Instant now = clock.instant();
        RepositorySettings settings = template.map(t -> new RepositorySettings(t.tagMutability(), false, t.encryption()))
                .orElse(RepositorySettings.DEFAULTS);
        Map<String, String> tags = template.<Map<String, String>>map(CreationTemplate::resourceTags).orElse(Map.of());
        Optional<Repository> created = unit.createRepository(key.account(), key.name(), settings, tags, now);
        if (created.isEmpty()) {
            return require(unit, key); // a concurrent creator got there first within our snapshot's rules
        }
        template.ifPresent(t -> applyDocuments(created.get(), t, now));
        unit.emit(new RegistryEvent.RepositoryCreated(key.account(), key.name()), now);
        return created.get();
    }

    /** Joins the caller's transaction (the store's documents do). */
    private void applyDocuments(Repository repo, CreationTemplate t, Instant now) {
        if (t.repositoryPolicy() != null) {
            meta.putRepositoryDocument(repo.id(), DocumentKind.REPOSITORY_POLICY, t.repositoryPolicy(), now);
        }
        if (t.lifecyclePolicy() != null) {
            meta.putRepositoryDocument(repo.id(), DocumentKind.LIFECYCLE_POLICY, t.lifecyclePolicy(), now);
        }
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
