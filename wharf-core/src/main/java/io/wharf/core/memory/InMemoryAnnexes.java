package io.wharf.core.memory;

import io.wharf.core.spi.DocumentKind;
import io.wharf.core.spi.StoredDocument;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Resource tags and documents of {@link InMemoryMetadataStore}, which calls these under its own
 * monitor (so they need none here).
 */
final class InMemoryAnnexes {
    private final Map<Long, TreeMap<String, String>> resourceTags = new HashMap<>();
    /** Documents keyed by scope ("r:<id>:" or "a:<account>:") and kind. */
    private final Map<String, StoredDocument> documents = new HashMap<>();

    SortedMap<String, String> resourceTags(long repositoryId) {
        return new TreeMap<>(resourceTags.getOrDefault(repositoryId, new TreeMap<>()));
    }

    void putResourceTags(long repositoryId, Map<String, String> add) {
        resourceTags.computeIfAbsent(repositoryId, id -> new TreeMap<>()).putAll(add);
    }

    void removeResourceTags(long repositoryId, Collection<String> keys) {
        resourceTags.getOrDefault(repositoryId, new TreeMap<>()).keySet().removeAll(keys);
    }

    Optional<StoredDocument> repositoryDocument(long repositoryId, DocumentKind kind) {
        return Optional.ofNullable(documents.get(repo(repositoryId) + kind));
    }

    void putRepositoryDocument(long repositoryId, DocumentKind kind, String text, Instant now) {
        documents.put(repo(repositoryId) + kind, new StoredDocument(text, now));
    }

    boolean deleteRepositoryDocument(long repositoryId, DocumentKind kind) {
        return documents.remove(repo(repositoryId) + kind) != null;
    }

    Optional<StoredDocument> accountDocument(String account, DocumentKind kind) {
        return Optional.ofNullable(documents.get(account(account) + kind));
    }

    void putAccountDocument(String account, DocumentKind kind, String text, Instant now) {
        documents.put(account(account) + kind, new StoredDocument(text, now));
    }

    boolean deleteAccountDocument(String account, DocumentKind kind) {
        return documents.remove(account(account) + kind) != null;
    }

    /** Everything of a deleted repository. */
    void forget(long repositoryId) {
        resourceTags.remove(repositoryId);
        documents.keySet().removeIf(k -> k.startsWith(repo(repositoryId)));
    }

    private static String repo(long id) {
        return "r:" + id + ":";
    }

    private static String account(String account) {
        return "a:" + account + ":";
    }
}
