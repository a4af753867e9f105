package io.wharf.core.memory;

import io.wharf.core.model.Descriptor;
import io.wharf.core.model.Digest;
import io.wharf.core.model.Manifest;
import io.wharf.core.model.RepositoryName;
import io.wharf.core.model.Tag;
import io.wharf.core.spi.MetadataStore;
import io.wharf.core.spi.Repository;
import io.wharf.core.spi.StoredManifest;
import io.wharf.core.spi.UploadSession;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.NavigableSet;
import java.util.TreeMap;

/**
 * Metadata on the heap, for fast unit tests of the domain services. One monitor guards all state:
 * every method is then trivially atomic, which is what the JDBC stores get from transactions.
 */
public final class InMemoryMetadataStore implements MetadataStore {

    /** A stored manifest plus its references, kept for the garbage collector to come. */
    private record Entry(StoredManifest manifest, Set<Digest> blobRefs, Set<Digest> manifestRefs) {
    }

    private final Map<String, TreeMap<RepositoryName, Repository>> repositories = new HashMap<>();
    private final Map<Digest, Long> blobs = new HashMap<>();
    private final Map<Long, Set<Digest>> links = new HashMap<>();
    private final Map<Long, TreeMap<Digest, Entry>> manifests = new HashMap<>();
    private final Map<Long, TreeMap<Tag, Digest>> tags = new HashMap<>();
    private final Map<String, UploadSession> uploads = new HashMap<>();
    private long nextRepositoryId = 1;

    // ---- RepositoryIndex

    @Override
    public synchronized Optional<Repository> findRepository(String account, RepositoryName name) {
        return Optional.ofNullable(repositoriesOf(account).get(name));
    }

    @Override
    public synchronized Repository createRepository(String account, RepositoryName name, Instant now) {
        return repositoriesOf(account).computeIfAbsent(name, n -> new Repository(nextRepositoryId++, account, n, now));
    }

    @Override
    public synchronized List<RepositoryName> listRepositories(String account, RepositoryName after, int limit) {
        return page(repositoriesOf(account).navigableKeySet(), after, limit);
    }

    // ---- BlobIndex

    @Override
    public synchronized void addBlob(long repositoryId, Digest digest, long size, Instant now) {
        blobs.putIfAbsent(digest, size);
        linksOf(repositoryId).add(digest);
    }

    @Override
    public synchronized OptionalLong blobSize(Digest digest) {
        Long size = blobs.get(digest);
        return size == null ? OptionalLong.empty() : OptionalLong.of(size);
    }

    @Override
    public synchronized OptionalLong linkedBlobSize(long repositoryId, Digest digest) {
        return linksOf(repositoryId).contains(digest) ? blobSize(digest) : OptionalLong.empty();
    }

    @Override
    public synchronized boolean linkBlob(long repositoryId, Digest digest, Instant now) {
        if (!blobs.containsKey(digest)) {
            return false;
        }
        linksOf(repositoryId).add(digest);
        return true;
    }

    @Override
    public synchronized boolean unlinkBlob(long repositoryId, Digest digest) {
        return linksOf(repositoryId).remove(digest);
    }

    @Override
    public synchronized Set<Digest> missingBlobs(long repositoryId, Collection<Digest> digests) {
        Set<Digest> missing = new LinkedHashSet<>(digests);
        missing.removeAll(linksOf(repositoryId));
        return missing;
    }

    // ---- ManifestIndex

    @Override
    public synchronized void putManifest(long repositoryId, Manifest manifest, Tag tag, Instant now) {
        manifestsOf(repositoryId).computeIfAbsent(manifest.digest(), d -> newEntry(manifest, now));
        if (tag != null) {
            tagsOf(repositoryId).put(tag, manifest.digest());
        }
    }

    @Override
    public synchronized Optional<StoredManifest> findManifest(long repositoryId, Digest digest) {
        return Optional.ofNullable(manifestsOf(repositoryId).get(digest)).map(Entry::manifest);
    }

    @Override
    public synchronized boolean deleteManifest(long repositoryId, Digest digest) {
        if (manifestsOf(repositoryId).remove(digest) == null) {
            return false;
        }
        tagsOf(repositoryId).values().removeIf(digest::equals);
        return true;
    }

    @Override
    public synchronized List<StoredManifest> referrers(long repositoryId, Digest subject) {
        // the TreeMap iterates in digest order, which is the order the contract asks for
        return manifestsOf(repositoryId).values().stream()
                .map(Entry::manifest)
                .filter(m -> subject.equals(m.subject()))
                .toList();
    }

    @Override
    public synchronized Set<Digest> missingManifests(long repositoryId, Collection<Digest> digests) {
        Set<Digest> missing = new LinkedHashSet<>(digests);
        missing.removeAll(manifestsOf(repositoryId).keySet());
        return missing;
    }

    // ---- TagIndex

    @Override
    public synchronized Optional<Digest> resolveTag(long repositoryId, Tag tag) {
        return Optional.ofNullable(tagsOf(repositoryId).get(tag));
    }

    @Override
    public synchronized List<Tag> listTags(long repositoryId, Tag after, int limit) {
        return page(tagsOf(repositoryId).navigableKeySet(), after, limit);
    }

    @Override
    public synchronized boolean deleteTag(long repositoryId, Tag tag) {
        return tagsOf(repositoryId).remove(tag) != null;
    }

    // ---- UploadIndex

    @Override
    public synchronized void createUpload(UploadSession session) {
        if (uploads.putIfAbsent(session.id(), session) != null) {
            throw new IllegalStateException("upload " + session.id() + " already exists");
        }
    }

    @Override
    public synchronized Optional<UploadSession> findUpload(String id) {
        return Optional.ofNullable(uploads.get(id));
    }

    @Override
    public synchronized void updateUpload(String id, long offset, Instant expiresAt) {
        uploads.computeIfPresent(id, (k, s) -> new UploadSession(k, s.repositoryId(), offset, s.startedAt(), expiresAt));
    }

    @Override
    public synchronized void deleteUpload(String id) {
        uploads.remove(id);
    }

    @Override
    public synchronized List<UploadSession> expiredUploads(Instant now, int limit) {
        return uploads.values().stream()
                .filter(s -> s.expiresAt().isBefore(now))
                .sorted((a, b) -> a.expiresAt().compareTo(b.expiresAt()))
                .limit(limit)
                .toList();
    }

    // ---- lifecycle

    @Override
    public boolean isHealthy() {
        return true;
    }

    @Override
    public void close() {
        // nothing to release
    }

    // ---- helpers

    private static Entry newEntry(Manifest m, Instant now) {
        Digest subject = m.subject() == null ? null : m.subject().digest();
        StoredManifest stored = new StoredManifest(m.digest(), m.mediaType(), m.effectiveArtifactType(), subject,
                m.content().clone(), now);
        return new Entry(stored, digestsOf(m.blobs()), digestsOf(m.manifests()));
    }

    private static Set<Digest> digestsOf(List<Descriptor> descriptors) {
        Set<Digest> out = new HashSet<>();
        descriptors.forEach(d -> out.add(d.digest()));
        return Set.copyOf(out);
    }

    private static <K> List<K> page(NavigableSet<K> sorted, K after, int limit) {
        NavigableSet<K> tail = after == null ? sorted : sorted.tailSet(after, false);
        return tail.stream().limit(Math.max(limit, 0)).toList();
    }

    private TreeMap<RepositoryName, Repository> repositoriesOf(String account) {
        return repositories.computeIfAbsent(account, a -> new TreeMap<>());
    }

    private Set<Digest> linksOf(long repositoryId) {
        return links.computeIfAbsent(repositoryId, id -> new HashSet<>());
    }

    private TreeMap<Digest, Entry> manifestsOf(long repositoryId) {
        return manifests.computeIfAbsent(repositoryId, id -> new TreeMap<>());
    }

    private TreeMap<Tag, Digest> tagsOf(long repositoryId) {
        return tags.computeIfAbsent(repositoryId, id -> new TreeMap<>());
    }
}
