package io.wharf.core.service;

import io.wharf.core.error.PolicyNotFoundException;
import io.wharf.core.error.RepositoryAlreadyExistsException;
import io.wharf.core.error.RepositoryNotEmptyException;
import io.wharf.core.error.TooManyTagsException;
import io.wharf.core.event.RegistryEvent;
import io.wharf.core.model.RepositoryName;
import io.wharf.core.model.RepositorySettings;
import io.wharf.core.model.TagMutabilityPolicy;
import io.wharf.core.spi.DocumentKind;
import io.wharf.core.spi.MetadataStore;
import io.wharf.core.spi.Repository;
import io.wharf.core.spi.StoredDocument;
import io.wharf.core.spi.UnitOfWork;
import io.wharf.core.template.AppliedFor;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.UnaryOperator;

/** Explicit repository management: creation with settings, description, deletion, resource tags, documents. */
public final class RepositoryService {
    private final MetadataStore meta;
    private final Repositories repositories;
    private final Quotas quotas;
    private final Clock clock;

    RepositoryService(MetadataStore meta, Repositories repositories, Quotas quotas, Clock clock) {
        this.meta = meta;
        this.repositories = repositories;
        this.quotas = quotas;
        this.clock = clock;
    }

    /** The quota check, the insert and its event are one unit of work. */
    public Repository create(RepoKey key, RepositorySettings settings, Map<String, String> tags) {
        requireTagRoom(key, tags.size());
        return meta.inTransaction("create a repository", unit -> {
            repositories.requireRoomForRepository(unit, key.account());
            Instant now = clock.instant();
            Repository created = unit.createRepository(key.account(), key.name(), settings, tags, now)
                    .orElseThrow(() -> new RepositoryAlreadyExistsException("The repository with name '" + key.name()
                            + "' already exists in the registry with id '" + key.account() + "'", key.name().value()));
            unit.emit(new RegistryEvent.RepositoryCreated(key.account(), key.name()), now);
            return created;
        });
    }

    /**
     * Inside a unit of work: the repository, created by the registry itself when missing, from the creation template
     * applied for {@code reason} whose prefix is the longest covering the name (ROOT last): tag mutability and
     * exclusions, encryption, resource tags, repository and lifecycle policies. Quota checked and
     * {@code RepositoryCreated} emitted in the same transaction.
     */
    public Repository createImplicitly(UnitOfWork unit, RepoKey key, AppliedFor reason) {
        return repositories.createImplicitly(unit, key, reason);
    }

    public Repository get(RepoKey key) {
        return repositories.require(key);
    }

    /** The named repositories, in the order asked; the first missing one fails the whole call. */
    public List<Repository> describe(String account, List<RepositoryName> names) {
        List<Repository> found = new ArrayList<>(names.size());
        names.forEach(n -> found.add(repositories.require(new RepoKey(account, n))));
        return found;
    }

    public ListingService.Page<Repository> page(String account, RepositoryName after, int size) {
        List<Repository> fetched = meta.describeRepositories(account, after, size + 1);
        return fetched.size() > size ? new ListingService.Page<>(fetched.subList(0, size), true)
                : new ListingService.Page<>(fetched, false);
    }

    /** As {@link #page}, in reverse name order, strictly before {@code before} (null: from the end). */
    public ListingService.Page<Repository> pageDescending(String account, RepositoryName before, int size) {
        List<Repository> fetched = meta.describeRepositoriesDescending(account, before, size + 1);
        return fetched.size() > size ? new ListingService.Page<>(fetched.subList(0, size), true)
                : new ListingService.Page<>(fetched, false);
    }

    /** Deletes the repository; with images in it only when {@code force}. Returns what was deleted. */
    public Repository delete(RepoKey key, boolean force) {
        return meta.inTransaction("delete a repository", unit -> {
            Repository repo = Repositories.require(unit, key);
            if (!force && unit.countImages(repo.id()) > 0) {
                throw new RepositoryNotEmptyException("The repository with name '" + key.name() + "' in registry with id '"
                        + key.account() + "' cannot be deleted because it still contains images", key.name().value());
            }
            unit.deleteRepository(repo.id());
            unit.emit(new RegistryEvent.RepositoryDeleted(key.account(), key.name()), clock.instant());
            return repo;
        });
    }

    public Repository setTagMutability(RepoKey key, TagMutabilityPolicy policy) {
        return update(key, s -> s.withTagMutability(policy));
    }

    public Repository setScanOnPush(RepoKey key, boolean scanOnPush) {
        return update(key, s -> s.withScanOnPush(scanOnPush));
    }

    /** Read, change and write in one unit of work: concurrent changes of different settings all stay. */
    private Repository update(RepoKey key, UnaryOperator<RepositorySettings> change) {
        return meta.inTransaction("update repository settings", unit -> {
            Repository repo = Repositories.require(unit, key);
            if (!unit.updateRepositorySettings(repo.id(), change.apply(repo.settings()), clock.instant())) {
                throw Repositories.unknown(key);
            }
            return Repositories.require(unit, key);
        });
    }

    // ---- resource tags

    public SortedMap<String, String> resourceTags(RepoKey key) {
        return meta.resourceTags(repositories.require(key).id());
    }

    /** Merges: keys not mentioned stay, mentioned keys are overwritten. */
    public void tag(RepoKey key, Map<String, String> tags) {
        meta.inTransaction("tag a repository", unit -> { // the quota is checked against what is written
            Repository repo = Repositories.require(unit, key);
            SortedMap<String, String> merged = new TreeMap<>(unit.resourceTags(repo.id()));
            merged.putAll(tags);
            requireTagRoom(key, merged.size());
            if (!unit.putResourceTags(repo.id(), tags)) {
                throw Repositories.unknown(key); // deleted meanwhile
            }
            return null;
        });
    }

    public void untag(RepoKey key, Collection<String> keys) {
        meta.removeResourceTags(repositories.require(key).id(), keys);
    }

    private void requireTagRoom(RepoKey key, int count) {
        if (count > quotas.resourceTagsPerRepository()) {
            throw new TooManyTagsException("A resource can have at most " + quotas.resourceTagsPerRepository()
                    + " tags", key.name().value());
        }
    }

    // ---- documents

    public StoredDocument document(RepoKey key, DocumentKind kind) {
        return meta.repositoryDocument(repositories.require(key).id(), kind).orElseThrow(() -> notFound(key, kind));
    }

    public void putDocument(RepoKey key, DocumentKind kind, String text) {
        if (!meta.putRepositoryDocument(repositories.require(key).id(), kind, text, clock.instant())) {
            throw Repositories.unknown(key); // deleted meanwhile
        }
    }

    /** Removes and returns the document. */
    public StoredDocument deleteDocument(RepoKey key, DocumentKind kind) {
        Repository repo = repositories.require(key);
        StoredDocument doc = meta.repositoryDocument(repo.id(), kind).orElseThrow(() -> notFound(key, kind));
        meta.deleteRepositoryDocument(repo.id(), kind);
        return doc;
    }

    public java.util.Optional<StoredDocument> accountDocument(String account, DocumentKind kind) {
        return meta.accountDocument(account, kind);
    }

    public void putAccountDocument(String account, DocumentKind kind, String text) {
        meta.putAccountDocument(account, kind, text, clock.instant());
    }

    /** Removes and returns the registry policy. */
    public StoredDocument deleteRegistryPolicy(String account) {
        StoredDocument doc = meta.accountDocument(account, DocumentKind.REGISTRY_POLICY)
                .orElseThrow(() -> registryPolicyNotFound(account));
        meta.deleteAccountDocument(account, DocumentKind.REGISTRY_POLICY);
        return doc;
    }

    public StoredDocument registryPolicy(String account) {
        return meta.accountDocument(account, DocumentKind.REGISTRY_POLICY).orElseThrow(() -> registryPolicyNotFound(account));
    }

    private static PolicyNotFoundException registryPolicyNotFound(String account) {
        return new PolicyNotFoundException(PolicyNotFoundException.Kind.REGISTRY_POLICY,
                "Registry policy does not exist in the registry with id '" + account + "'", account);
    }

    private static PolicyNotFoundException notFound(RepoKey key, DocumentKind kind) {
        boolean lifecycle = kind == DocumentKind.LIFECYCLE_POLICY;
        return new PolicyNotFoundException(lifecycle ? PolicyNotFoundException.Kind.LIFECYCLE_POLICY
                : PolicyNotFoundException.Kind.REPOSITORY_POLICY,
                (lifecycle ? "Lifecycle" : "Repository") + " policy does not exist for the repository with name '"
                        + key.name() + "' in the registry with id '" + key.account() + "'", key.name().value());
    }
}
