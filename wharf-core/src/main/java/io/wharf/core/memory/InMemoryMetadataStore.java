package io.wharf.core.memory;

import io.wharf.core.event.RegistryEvent;
import io.wharf.core.event.StoredEvent;
import io.wharf.core.model.Descriptor;
import io.wharf.core.model.Digest;
import io.wharf.core.model.Manifest;
import io.wharf.core.model.RepositoryName;
import io.wharf.core.model.RepositorySettings;
import io.wharf.core.model.Tag;
import io.wharf.core.spi.DocumentKind;
import io.wharf.core.spi.ImageRecord;
import io.wharf.core.spi.ImageSummary;
import io.wharf.core.spi.ImageTagRef;
import io.wharf.core.spi.JobLease;
import io.wharf.core.spi.JobRecord;
import io.wharf.core.spi.AdvisoryIndex;
import io.wharf.core.spi.MetadataStore;
import io.wharf.core.spi.ScanIndex;
import io.wharf.core.spi.AccountUsage;
import io.wharf.core.spi.DailyPulls;
import io.wharf.core.spi.PullTally;
import io.wharf.core.spi.QuotaKind;
import io.wharf.core.spi.RegistryUsage;
import io.wharf.core.spi.UsageDrift;
import io.wharf.core.spi.Repository;
import io.wharf.core.spi.RepositoryUsage;
import io.wharf.core.spi.StoredDocument;
import io.wharf.core.spi.StoredBlob;
import io.wharf.core.spi.StoredManifest;
import io.wharf.core.spi.TagOutcome;
import io.wharf.core.spi.TagStatus;
import io.wharf.core.spi.UploadAdmission;
import io.wharf.core.spi.UploadCheckpoint;
import io.wharf.core.spi.UploadParts;
import io.wharf.core.spi.UploadSession;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
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
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Metadata on the heap, for fast unit tests of the domain services. One monitor guards all state:
 * every method is then trivially atomic, which is what the JDBC stores get from transactions, and a unit of
 * work holds it throughout.
 */
public final class InMemoryMetadataStore implements MetadataStore {

    /** A stored manifest plus its references (the garbage collector's question: is a blob still referenced?). */
    private record Entry(StoredManifest manifest, Set<Digest> blobRefs, Set<Digest> manifestRefs) {
    }

    private final Map<String, TreeMap<RepositoryName, Repository>> repositories = new HashMap<>();
    private final Map<Digest, Long> blobs = new HashMap<>();
    private final Map<Long, Set<Digest>> links = new HashMap<>();
    private final Map<Long, TreeMap<Digest, Entry>> manifests = new HashMap<>();
    private final Map<Long, TreeMap<Tag, Digest>> tags = new HashMap<>();
    private final Map<String, UploadSession> uploads = new HashMap<>();
    private final Map<String, byte[]> hashStates = new HashMap<>();
    private final Map<Long, TreeMap<LocalDate, long[]>> pulls = new HashMap<>();
    private final Set<String> quotaWarned = new HashSet<>();
    private final Map<String, UploadParts> parts = new HashMap<>();
    private final InMemoryAnnexes annexes = new InMemoryAnnexes();
    private final InMemoryAdvisories advisories = new InMemoryAdvisories();
    private final InMemoryReplication replication = new InMemoryReplication(this, (repositoryId, digest) -> manifestsOf(repositoryId).containsKey(digest), this::byId);
    private final InMemoryPullThrough pullThrough = new InMemoryPullThrough();
    private final InMemoryWebhooks webhooks = new InMemoryWebhooks(this);
    private final InMemoryTemplates templates = new InMemoryTemplates();
    private final InMemoryGallery gallery = new InMemoryGallery(this);
    private final InMemorySecrets secrets = new InMemorySecrets();
    private final InMemoryConsoleSessions consoleSessions = new InMemoryConsoleSessions();
    private final InMemoryAudit audit = new InMemoryAudit();
    private final InMemoryScans scans = new InMemoryScans(this, (repositoryId, digest) -> manifestsOf(repositoryId).containsKey(digest), this::byId);
    private final InMemoryInsights insights = new InMemoryInsights(
            (repositoryId, digest) -> findManifest(repositoryId, digest).isPresent(),
            digest -> blobSize(digest).isPresent(), this::byIdLocked);
    private final InMemoryEvents events = new InMemoryEvents();
    private final InMemoryGarbage garbage = new InMemoryGarbage(blobs, links, new InMemoryGarbage.References() {
        @Override
        public boolean inRepository(long repositoryId, Digest blob) {
            return isReferencedIn(repositoryId, blob);
        }

        @Override
        public boolean anywhere(Digest blob) {
            return isReferenced(blob);
        }
    });
    private volatile Runnable eventsWritten = () -> { };
    /** Its own monitor: job leases share no state with the rest. */
    private final InMemoryJobLeases jobs = new InMemoryJobLeases();
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
    public synchronized Optional<Repository> createRepository(String account, RepositoryName name,
                                                              RepositorySettings settings, Map<String, String> tags,
                                                              Instant now) {
        if (repositoriesOf(account).containsKey(name)) {
            return Optional.empty();
        }
        Repository created = new Repository(nextRepositoryId++, account, name, now, settings);
        repositoriesOf(account).put(name, created);
        annexes.putResourceTags(created.id(), tags);
        return Optional.of(created);
    }

    @Override
    public synchronized List<Repository> describeRepositories(String account, RepositoryName after, int limit) {
        return page(repositoriesOf(account).navigableKeySet(), after, limit).stream()
                .map(repositoriesOf(account)::get).toList();
    }

    @Override
    public synchronized List<Repository> describeRepositoriesDescending(String account, RepositoryName before, int limit) {
        var names = repositoriesOf(account).navigableKeySet().descendingSet();
        var view = before == null ? names : names.tailSet(before, false);
        return view.stream().limit(Math.max(limit, 0)).map(repositoriesOf(account)::get).toList();
    }

    @Override
    public synchronized long countRepositories(String account) {
        return repositoriesOf(account).size();
    }

    @Override
    public synchronized boolean updateRepositorySettings(long repositoryId, RepositorySettings settings, Instant now) {
        Optional<Repository> found = byId(repositoryId);
        found.ifPresent(r -> repositoriesOf(r.account()).put(r.name(), new Repository(r.id(), r.account(), r.name(),
                r.createdAt(), settings, r.settings().scanOnPush() != settings.scanOnPush() ? now : r.scanOnPushChangedAt())));
        return found.isPresent();
    }

    @Override
    public synchronized boolean deleteRepository(long repositoryId) {
        Optional<Repository> found = byId(repositoryId);
        found.ifPresent(r -> {
            repositoriesOf(r.account()).remove(r.name());
            linksOf(repositoryId).forEach(this::queueReview);
            manifestsOf(repositoryId).values().forEach(e -> e.blobRefs().forEach(this::queueReview));
            links.remove(repositoryId);
            manifests.remove(repositoryId);
            scans.forgetRepository(repositoryId);
            tags.remove(repositoryId);
            uploads.values().removeIf(u -> u.repositoryId() == repositoryId);
            parts.keySet().retainAll(uploads.keySet());
            hashStates.keySet().retainAll(uploads.keySet());
            annexes.forget(repositoryId);
            gallery.forget(r);
        });
        return found.isPresent();
    }

    private synchronized Optional<Repository> byIdLocked(long id) {
        return byId(id);
    }

    private Optional<Repository> byId(long id) {
        return repositories.values().stream().flatMap(m -> m.values().stream()).filter(r -> r.id() == id).findFirst();
    }

    @Override
    public synchronized List<Repository> repositoriesWithDocument(DocumentKind kind) {
        return repositories.values().stream().flatMap(m -> m.values().stream())
                .filter(r -> annexes.repositoryDocument(r.id(), kind).isPresent())
                .sorted(java.util.Comparator.comparingLong(Repository::id)).toList();
    }

    @Override
    public synchronized List<RepositoryName> listRepositories(String account, RepositoryName after, int limit) {
        return page(repositoriesOf(account).navigableKeySet(), after, limit);
    }

    // ---- BlobIndex

    @Override
    public synchronized boolean addBlob(long repositoryId, Digest digest, long size, Instant now) {
        if (blobs.putIfAbsent(digest, size) == null) {
            queueReview(digest);
        }
        touchReview(digest);
        if (byId(repositoryId).isEmpty()) {
            return false;
        }
        if (linksOf(repositoryId).add(digest)) {
            queueReview(digest);
        }
        return true;
    }

    @Override
    public synchronized List<StoredBlob> listBlobs(Digest after, int limit) {
        return blobs.entrySet().stream()
                .filter(e -> after == null || e.getKey().compareTo(after) > 0)
                .sorted(Map.Entry.comparingByKey())
                .limit(limit)
                .map(e -> new StoredBlob(e.getKey(), e.getValue()))
                .toList();
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
    public synchronized boolean linkBlob(long sourceRepositoryId, long targetRepositoryId, Digest digest, Instant now) {
        if (!linksOf(sourceRepositoryId).contains(digest) || byId(targetRepositoryId).isEmpty()) {
            return false;
        }
        if (linksOf(targetRepositoryId).add(digest)) {
            queueReview(digest);
        }
        touchReview(digest);
        return true;
    }

    @Override
    public synchronized List<RepositoryName> repositoriesHolding(String account, Digest digest, int limit) {
        return repositories.getOrDefault(account, new TreeMap<>()).values().stream()
                .filter(r -> linksOf(r.id()).contains(digest))
                .map(Repository::name)
                .limit(limit)
                .toList();
    }

    @Override
    public synchronized boolean unlinkBlob(long repositoryId, Digest digest) {
        boolean removed = linksOf(repositoryId).remove(digest);
        if (removed) {
            queueReview(digest);
        }
        return removed;
    }

    @Override
    public synchronized Set<Digest> missingBlobs(long repositoryId, Collection<Digest> digests) {
        Set<Digest> missing = new LinkedHashSet<>(digests);
        missing.removeAll(linksOf(repositoryId));
        return missing;
    }

    // ---- GarbageIndex: the queue and its checks live in InMemoryGarbage, under this store's monitor

    private void queueReview(Digest digest) {
        garbage.queue(digest);
    }

    private void touchReview(Digest digest) {
        garbage.touch(digest);
    }

    private boolean isReferencedIn(long repositoryId, Digest blob) {
        return manifestsOf(repositoryId).values().stream().anyMatch(e -> e.blobRefs().contains(blob));
    }

    private boolean isReferenced(Digest blob) {
        return manifests.keySet().stream().anyMatch(id -> isReferencedIn(id, blob));
    }

    @Override
    public synchronized int scheduleReviews(java.util.function.Supplier<Instant> reviewAfter) {
        return garbage.schedule(reviewAfter.get());
    }

    @Override
    public synchronized List<Digest> dueReviews(Instant now, Digest after, int limit) {
        return garbage.due(now, after, limit);
    }

    @Override
    public synchronized Collected collect(Collection<Digest> digests, Instant now) {
        return garbage.collect(digests, now);
    }

    @Override
    public synchronized List<StoredBlob> collectable(Instant now, Digest after, int limit) {
        return garbage.collectable(now, after, limit);
    }

    @Override
    public synchronized Optional<LinkedBlob> linkedBlob(long repositoryId, Digest digest) {
        return linksOf(repositoryId).contains(digest)
                ? Optional.of(new LinkedBlob(blobs.get(digest), garbage.reviewAfter(digest))) : Optional.empty();
    }

    @Override
    public synchronized boolean postponeReview(Digest digest, Instant dueBefore) {
        return garbage.postpone(digest, dueBefore);
    }

    @Override
    public synchronized ReviewCounts reviewCounts(Instant now) {
        return garbage.counts(now);
    }

    @Override
    public synchronized Set<Digest> unrecordedBlobs(Collection<Digest> digests) {
        Set<Digest> unrecorded = new HashSet<>(digests);
        unrecorded.removeAll(blobs.keySet());
        return unrecorded;
    }

    // ---- ManifestIndex

    @Override
    public synchronized TagOutcome putManifest(long repositoryId, Manifest manifest, Tag tag, Instant now,
                                               boolean tagMayMove) {
        if (byId(repositoryId).isEmpty()) {
            return TagOutcome.REPOSITORY_UNKNOWN;
        }
        Digest current = tag == null ? null : tagsOf(repositoryId).get(tag);
        TagOutcome outcome = tag == null ? TagOutcome.NONE
                : current == null ? TagOutcome.CREATED
                : current.equals(manifest.digest()) ? TagOutcome.UNCHANGED
                : tagMayMove ? TagOutcome.MOVED : TagOutcome.REFUSED;
        if (outcome == TagOutcome.REFUSED) {
            return outcome;
        }
        manifestsOf(repositoryId).computeIfAbsent(manifest.digest(), d -> newEntry(manifest, now));
        if (tag != null) {
            tagsOf(repositoryId).put(tag, manifest.digest());
        }
        return outcome;
    }

    @Override
    public synchronized Optional<StoredManifest> findManifest(long repositoryId, Digest digest) {
        return Optional.ofNullable(manifestsOf(repositoryId).get(digest)).map(Entry::manifest);
    }

    @Override
    public synchronized boolean deleteManifest(long repositoryId, Digest digest) {
        Entry removed = manifestsOf(repositoryId).remove(digest);
        if (removed == null) {
            return false;
        }
        scans.forget(repositoryId, digest);
        removed.blobRefs().forEach(this::queueReview);
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

    // ---- ImageIndex

    @Override
    public synchronized List<ImageRecord> listImages(long repositoryId, TagStatus status, Digest after, int limit) {
        NavigableSet<Digest> digests = manifestsOf(repositoryId).navigableKeySet();
        return (after == null ? digests : digests.tailSet(after, false)).stream()
                .map(d -> findImage(repositoryId, d).orElseThrow())
                .filter(i -> matches(status, i.tags().isEmpty()))
                .limit(Math.max(limit, 0)).toList();
    }

    @Override
    public synchronized List<ImageTagRef> listImageTags(long repositoryId, TagStatus status, ImageTagRef after, int limit) {
        TreeSet<ImageTagRef> refs = new TreeSet<>();
        for (Digest d : manifestsOf(repositoryId).keySet()) {
            List<Tag> tagged = tagsPointingAt(repositoryId, d);
            if (tagged.isEmpty() && status != TagStatus.TAGGED) {
                refs.add(new ImageTagRef(d, null));
            }
            if (status != TagStatus.UNTAGGED) {
                tagged.forEach(t -> refs.add(new ImageTagRef(d, t)));
            }
        }
        return page(refs, after, limit);
    }

    @Override
    public synchronized Optional<ImageRecord> findImage(long repositoryId, Digest digest) {
        return findManifest(repositoryId, digest).map(m -> new ImageRecord(m, tagsPointingAt(repositoryId, digest)));
    }

    @Override
    public synchronized long countImages(long repositoryId) {
        return manifestsOf(repositoryId).size();
    }

    @Override
    public synchronized List<ImageSummary> summarizeImages(long repositoryId, Digest after, int limit) {
        return listImages(repositoryId, TagStatus.ANY, after, limit).stream().map(i -> new ImageSummary(
                i.manifest().digest(), i.manifest().subject(), i.manifest().pushedAt(), i.manifest().lastPulledAt(),
                i.tags())).toList();
    }

    @Override
    public synchronized Set<Digest> indexChildren(long repositoryId) {
        Set<Digest> children = new TreeSet<>();
        manifestsOf(repositoryId).values().forEach(e -> children.addAll(e.manifestRefs()));
        return children;
    }

    @Override
    public synchronized Set<Digest> parentsOf(long repositoryId, Digest child) {
        Set<Digest> parents = new TreeSet<>();
        manifestsOf(repositoryId).forEach((d, e) -> {
            if (e.manifestRefs().contains(child)) {
                parents.add(d);
            }
        });
        return parents;
    }

    @Override
    public synchronized boolean isBlobReferenced(long repositoryId, Digest blob) {
        return manifestsOf(repositoryId).values().stream().anyMatch(e -> e.blobRefs().contains(blob));
    }

    @Override
    public synchronized void recordPull(long repositoryId, Digest digest, Instant now) {
        manifestsOf(repositoryId).computeIfPresent(digest, (d, e) -> {
            StoredManifest m = e.manifest();
            return new Entry(new StoredManifest(m.digest(), m.mediaType(), m.artifactType(), m.subject(), m.content(),
                    m.pushedAt(), now), e.blobRefs(), e.manifestRefs());
        });
    }

    private List<Tag> tagsPointingAt(long repositoryId, Digest digest) {
        return tagsOf(repositoryId).entrySet().stream().filter(t -> t.getValue().equals(digest)).map(Map.Entry::getKey).toList();
    }

    private static boolean matches(TagStatus status, boolean untagged) {
        return status == TagStatus.ANY || (status == TagStatus.UNTAGGED) == untagged;
    }

    // ---- UsageIndex

    @Override
    public synchronized Optional<RepositoryUsage> repositoryUsage(long repositoryId) {
        return byId(repositoryId).map(this::usage);
    }

    @Override
    public synchronized List<RepositoryUsage> repositoryUsages(String account, RepositoryName after, int limit) {
        return describeRepositories(account, after, limit).stream().map(this::usage).toList();
    }

    @Override
    public synchronized RegistryUsage registryUsage() {
        Set<Digest> linked = new HashSet<>();
        links.values().forEach(linked::addAll);
        List<Long> unlinked = blobs.entrySet().stream().filter(e -> !linked.contains(e.getKey()))
                .map(Map.Entry::getValue).toList();
        List<StoredManifest> all = manifests.values().stream().flatMap(m -> m.values().stream()).map(Entry::manifest).toList();
        return new RegistryUsage(repositories.values().stream().mapToLong(Map::size).sum(), all.size(),
                all.stream().mapToLong(StoredManifest::size).sum(), blobs.size(), sum(blobs.values()),
                unlinked.size(), sum(unlinked));
    }

    @Override
    public synchronized AccountUsage accountUsage(String account) {
        List<RepositoryUsage> all = repositoryUsages(account, null, Integer.MAX_VALUE);
        return new AccountUsage(account, all.size(), all.stream().mapToLong(RepositoryUsage::images).sum(),
                all.stream().mapToLong(RepositoryUsage::tags).sum(), all.stream().mapToLong(RepositoryUsage::manifestBytes).sum(),
                all.stream().mapToLong(RepositoryUsage::blobBytes).sum(), all.stream().mapToLong(RepositoryUsage::exclusiveBytes).sum());
    }

    @Override
    public synchronized List<io.wharf.core.spi.AccountRepositoryUsage> largestRepositories(int limit) {
        return repositories.values().stream().flatMap(m -> m.values().stream())
                .map(r -> new io.wharf.core.spi.AccountRepositoryUsage(r.account(), usage(r)))
                .sorted(java.util.Comparator.comparingLong((io.wharf.core.spi.AccountRepositoryUsage u) -> u.usage().logicalBytes())
                        .reversed().thenComparing(u -> u.usage().name().value()))
                .limit(Math.max(limit, 0)).toList();
    }

    @Override
    public synchronized void addPulls(Collection<PullTally> tallies) {
        for (PullTally t : tallies) {
            findRepository(t.account(), t.repository()).ifPresent(r -> pulls.computeIfAbsent(r.id(), k -> new TreeMap<>())
                    .merge(t.day(), new long[] {t.pulls(), t.bytes()}, (a, b) -> new long[] {a[0] + b[0], a[1] + b[1]}));
        }
    }

    @Override
    public synchronized List<DailyPulls> pulls(long repositoryId, LocalDate from) {
        if (byId(repositoryId).isEmpty()) {
            return List.of();
        }
        return pulls.getOrDefault(repositoryId, new TreeMap<>()).tailMap(from).entrySet().stream()
                .map(e -> new DailyPulls(e.getKey(), e.getValue()[0], e.getValue()[1])).toList();
    }

    @Override
    public synchronized List<DailyPulls> accountPulls(String account, LocalDate from) {
        TreeMap<LocalDate, DailyPulls> sum = new TreeMap<>();
        for (Repository r : repositories.getOrDefault(account, new TreeMap<>()).values()) {
            for (DailyPulls d : pulls(r.id(), from)) {
                sum.merge(d.day(), d, (a, b) -> new DailyPulls(a.day(), a.pulls() + b.pulls(), a.bytes() + b.bytes()));
            }
        }
        return List.copyOf(sum.values());
    }

    @Override
    public synchronized boolean markQuota(long repositoryId, QuotaKind kind, boolean over) {
        if (byId(repositoryId).isEmpty()) {
            return false;
        }
        String key = repositoryId + "/" + kind;
        return over ? quotaWarned.add(key) : quotaWarned.remove(key);
    }

    /** Nothing is kept beside the maps: every answer is a recount. */
    @Override
    public List<UsageDrift> recountUsage(boolean repair) {
        return List.of();
    }

    private RepositoryUsage usage(Repository r) {
        Collection<Entry> images = manifestsOf(r.id()).values();
        Set<Digest> mine = linksOf(r.id());
        List<Long> exclusive = mine.stream().filter(d -> links.entrySet().stream()
                .noneMatch(l -> l.getKey() != r.id() && l.getValue().contains(d))).map(blobs::get).toList();
        return new RepositoryUsage(r.id(), r.name(), images.size(), tagsOf(r.id()).size(),
                images.stream().mapToLong(e -> e.manifest().size()).sum(), mine.size(),
                sum(mine.stream().map(blobs::get).toList()), sum(exclusive));
    }

    private static long sum(Collection<Long> sizes) {
        return sizes.stream().mapToLong(Long::longValue).sum();
    }

    // ---- ResourceTagIndex, DocumentIndex: small per-repository and per-account maps

    @Override
    public synchronized SortedMap<String, String> resourceTags(long repositoryId) {
        return annexes.resourceTags(repositoryId);
    }

    @Override
    public synchronized boolean putResourceTags(long repositoryId, Map<String, String> add) {
        if (byId(repositoryId).isEmpty()) {
            return false;
        }
        annexes.putResourceTags(repositoryId, add);
        return true;
    }

    @Override
    public synchronized void removeResourceTags(long repositoryId, Collection<String> keys) {
        annexes.removeResourceTags(repositoryId, keys);
    }

    @Override
    public synchronized Optional<StoredDocument> repositoryDocument(long repositoryId, DocumentKind kind) {
        return annexes.repositoryDocument(repositoryId, kind);
    }

    @Override
    public synchronized boolean putRepositoryDocument(long repositoryId, DocumentKind kind, String text, Instant now) {
        if (byId(repositoryId).isEmpty()) {
            return false;
        }
        annexes.putRepositoryDocument(repositoryId, kind, text, now);
        return true;
    }

    @Override
    public synchronized boolean deleteRepositoryDocument(long repositoryId, DocumentKind kind) {
        return annexes.deleteRepositoryDocument(repositoryId, kind);
    }

    @Override
    public synchronized Optional<StoredDocument> accountDocument(String account, DocumentKind kind) {
        return annexes.accountDocument(account, kind);
    }

    @Override
    public synchronized void putAccountDocument(String account, DocumentKind kind, String text, Instant now) {
        annexes.putAccountDocument(account, kind, text, now);
    }

    @Override
    public synchronized boolean deleteAccountDocument(String account, DocumentKind kind) {
        return annexes.deleteAccountDocument(account, kind);
    }

    // ---- UploadIndex

    @Override
    public synchronized UploadAdmission createUpload(UploadSession session, int maxOpenPerOwner, int maxOpen) {
        if (byId(session.repositoryId()).isEmpty()) {
            return UploadAdmission.REPOSITORY_UNKNOWN;
        }
        List<UploadSession> open = uploads.values().stream()
                .filter(u -> u.expiresAt().isAfter(session.startedAt())).toList();
        if (open.stream().filter(u -> u.owner().equals(session.owner())).count() >= maxOpenPerOwner) {
            return UploadAdmission.OWNER_LIMIT;
        }
        if (open.size() >= maxOpen) {
            return UploadAdmission.REGISTRY_LIMIT;
        }
        if (uploads.putIfAbsent(session.id(), session) != null) {
            throw new IllegalStateException("upload " + session.id() + " already exists");
        }
        return UploadAdmission.OPENED;
    }

    @Override
    public synchronized Optional<UploadSession> findUpload(String id) {
        return Optional.ofNullable(uploads.get(id));
    }

    @Override
    public synchronized boolean updateUpload(String id, long expectedOffset, long newOffset, Instant expiresAt,
                                             byte[] hashState) {
        UploadSession s = uploads.get(id);
        if (s == null || s.offset() != expectedOffset) {
            return false;
        }
        uploads.put(id, new UploadSession(id, s.repositoryId(), newOffset, s.startedAt(), expiresAt, s.owner()));
        hashStates.put(id, hashState == null ? null : hashState.clone());
        return true;
    }

    @Override
    public synchronized Optional<UploadCheckpoint> uploadCheckpoint(String id) {
        UploadSession s = uploads.get(id);
        byte[] state = hashStates.get(id);
        return s == null ? Optional.empty() : Optional.of(new UploadCheckpoint(s.offset(), state == null ? null : state.clone()));
    }

    @Override
    public synchronized void deleteUpload(String id) {
        uploads.remove(id);
        parts.remove(id);
        hashStates.remove(id);
    }

    @Override
    public synchronized UploadParts uploadParts(String id) {
        return parts.getOrDefault(id, UploadParts.NONE);
    }

    @Override
    public synchronized void putUploadParts(String id, UploadParts p) {
        if (uploads.containsKey(id)) {
            parts.put(id, p);
        }
    }

    @Override
    public synchronized long openUploads(Instant now) {
        return uploads.values().stream().filter(u -> u.expiresAt().isAfter(now)).count();
    }

    @Override
    public synchronized List<UploadSession> expiredUploads(Instant now, int limit) {
        return uploads.values().stream()
                .filter(s -> s.expiresAt().isBefore(now))
                .sorted((a, b) -> a.expiresAt().compareTo(b.expiresAt()))
                .limit(limit)
                .toList();
    }

    // ---- Transactions, EventLog

    @Override
    public <T> T inTransaction(String what, Work<T> work) {
        T result;
        synchronized (this) {
            long mark = events.mark();
            try {
                result = work.run(this);
            } catch (RuntimeException | Error e) {
                events.discardFrom(mark); // its events go with it; its other writes came after its checks
                throw e;
            }
        }
        eventsWritten.run();
        return result;
    }

    @Override
    public synchronized void emit(RegistryEvent event, Instant at) {
        events.append(event, at);
    }

    @Override
    public synchronized List<StoredEvent> eventsAfter(long sequence, int limit) {
        return events.after(sequence, limit);
    }

    @Override
    public synchronized long lastSequence() {
        return events.last();
    }

    @Override
    public synchronized OptionalLong cursor(String subscriber) {
        return events.cursor(subscriber);
    }

    @Override
    public synchronized boolean saveCursor(String subscriber, long sequence) {
        return events.saveCursor(subscriber, sequence);
    }

    @Override
    public synchronized boolean holdCursor(String subscriber, String holder, Instant now, Instant until) {
        return events.holdCursor(subscriber, holder, now, until);
    }

    @Override
    public synchronized void releaseCursor(String subscriber, String holder) {
        events.releaseCursor(subscriber, holder);
    }

    @Override
    public synchronized int deleteEvents(Instant before, long upTo, int limit) {
        return events.delete(before, upTo, limit);
    }

    @Override
    public void onEventsWritten(Runnable listener) {
        eventsWritten = listener;
    }

    // ---- lifecycle

    @Override
    public boolean isHealthy() {
        return true;
    }

    @Override
    public AdvisoryIndex advisories() {
        return advisories;
    }

    @Override
    public ScanIndex scans() {
        return scans;
    }

    @Override
    public io.wharf.core.spi.InsightIndex insights() {
        return insights;
    }

    @Override
    public io.wharf.core.spi.ReplicationIndex replication() {
        return replication;
    }

    @Override
    public io.wharf.core.spi.WebhookIndex webhooks() {
        return webhooks;
    }

    @Override
    public io.wharf.core.spi.PullThroughIndex pullThrough() {
        return pullThrough;
    }

    @Override
    public io.wharf.core.spi.GalleryIndex gallery() {
        return gallery;
    }

    /** Memory keeps no tag times: a tag counts as written when its image was pushed. */
    synchronized List<io.wharf.core.spi.GalleryIndex.RecentTag> recentTags(long repositoryId,
            io.wharf.core.spi.GalleryIndex.RecentTag after, int limit) {
        TreeMap<Tag, Digest> tagged = tags.getOrDefault(repositoryId, new TreeMap<>());
        java.util.Comparator<io.wharf.core.spi.GalleryIndex.RecentTag> order = java.util.Comparator
                .comparing(io.wharf.core.spi.GalleryIndex.RecentTag::updatedAt).reversed()
                .thenComparing(io.wharf.core.spi.GalleryIndex.RecentTag::tag);
        return tagged.entrySet().stream()
                .map(e -> new io.wharf.core.spi.GalleryIndex.RecentTag(e.getKey(), e.getValue(),
                        manifestsOf(repositoryId).get(e.getValue()).manifest().pushedAt()))
                .filter(t -> after == null || order.compare(t, after) > 0)
                .sorted(order)
                .limit(Math.max(limit, 0)).toList();
    }

    synchronized Optional<Repository> repositoryById(long id) {
        return byId(id);
    }

    @Override
    public io.wharf.core.spi.TemplateIndex templates() {
        return templates;
    }

    @Override
    public io.wharf.core.spi.SecretIndex secrets() {
        return secrets;
    }

    @Override
    public io.wharf.core.spi.ConsoleSessionIndex consoleSessions() {
        return consoleSessions;
    }

    @Override
    public io.wharf.core.spi.AuditIndex audit() {
        return audit;
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

    // ---- JobLeases

    @Override
    public void registerJob(String name, Duration interval, Instant firstDue) {
        jobs.registerJob(name, interval, firstDue);
    }

    @Override
    public Optional<JobLease> acquireJob(String name, String owner, Instant now, Instant expiresAt) {
        return jobs.acquireJob(name, owner, now, expiresAt);
    }

    @Override
    public Optional<JobLease> renewJob(JobLease lease, Instant expiresAt, Map<String, Long> counters) {
        return jobs.renewJob(lease, expiresAt, counters);
    }

    @Override
    public boolean finishJob(JobLease lease, JobRecord.Outcome outcome, String message, Map<String, Long> counters,
                             Instant endedAt, Instant nextDue) {
        return jobs.finishJob(lease, outcome, message, counters, endedAt, nextDue);
    }

    @Override
    public boolean requestJobRun(String name, Instant now) {
        return jobs.requestJobRun(name, now);
    }

    @Override
    public Optional<JobRecord> findJob(String name) {
        return jobs.findJob(name);
    }

    @Override
    public List<JobRecord> listJobs() {
        return jobs.listJobs();
    }

    @Override
    public int breakJobLeases(Instant now) {
        return jobs.breakJobLeases(now);
    }
}
