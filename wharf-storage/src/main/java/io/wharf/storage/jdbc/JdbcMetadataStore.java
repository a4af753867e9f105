package io.wharf.storage.jdbc;

import io.wharf.core.event.RegistryEvent;
import io.wharf.core.event.StoredEvent;
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
import io.wharf.storage.s3.S3UploadRecords;
import io.wharf.core.spi.UploadParts;
import io.wharf.core.spi.UploadSession;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.SortedMap;
import java.util.function.LongSupplier;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link MetadataStore} in plain JDBC. One class per sub-interface does the SQL; this one wires them
 * and owns the connection pools. Database specifics live in the {@link SqlDialect} and in the
 * per-database migrations; backends are built by factories such as {@link SqliteMetadataStore}.
 */
public final class JdbcMetadataStore implements MetadataStore {

    private static final Logger LOG = LoggerFactory.getLogger(JdbcMetadataStore.class);
    private static final int CACHED_REPOSITORIES = 4096;
    private static final int CACHED_TAGS = 8192;
    /** Manifests up to {@link #CACHED_MANIFEST_BYTES} each: at most 1024 × 32 KiB = 32 MiB of heap. */
    private static final int CACHED_MANIFESTS = 1024;
    /** Policies are read on every authorization; those up to 10 KiB are kept: at most ~20 MiB of heap. */
    private static final int CACHED_DOCUMENTS = 1024;
    private static final int CACHED_DOCUMENT_CHARS = 10 << 10;
    private static final int CACHED_MANIFEST_BYTES = 32 << 10;

    private final Jdbc jdbc;
    private final AutoCloseable resources;
    private final JdbcRepositories repositories;
    private final JdbcBlobs blobs;
    private final JdbcManifests manifests;
    private final JdbcTags tags;
    private final JdbcUploads uploads;
    private final JdbcImages images;
    private final JdbcDocuments documents;
    private final JdbcEvents events;
    private volatile Runnable eventsWritten = () -> { };
    private final JdbcJobs jobs;
    private final JdbcGarbage garbage;
    private final JdbcUsage usage;
    private final JdbcAdvisories advisories;
    private final JdbcScans scans;
    private final JdbcInsights insights;
    private final JdbcReplication replication;
    private final JdbcWebhooks webhooks;
    private final JdbcGallery gallery;
    private final JdbcPullThrough pullThrough;
    private final JdbcTemplates templates;
    private final JdbcSecrets secrets;
    private final JdbcConsoleSessions consoleSessions;
    private final JdbcAudit audit;
    private final Optional<LongSupplier> identityVersion;
    private final ReadCache.Region<RepoKey, Optional<Repository>> repositoryCache;
    private final ReadCache.Region<TagKey, Optional<Digest>> tagCache;
    private final ReadCache.Region<ManifestKey, Optional<StoredManifest>> manifestCache;
    private final ReadCache.Region<DocumentKey, Optional<StoredDocument>> documentCache;

    private record RepoKey(String account, RepositoryName name) {
    }

    private record TagKey(long repositoryId, Tag tag) {
    }

    private record ManifestKey(long repositoryId, Digest digest) {
    }

    /** {@code owner}: a repository id (Long) or an account (String). */
    private record DocumentKey(Object owner, DocumentKind kind) {
    }

    /**
     * @param writes    where transactions run (SQLite: a pool of exactly one connection)
     * @param reads     where single-statement reads run (may be the same as {@code writes})
     * @param resources closed by {@link #close()}, typically the pools
     */
    public JdbcMetadataStore(SqlDialect dialect, DataSource writes, DataSource reads, AutoCloseable resources) {
        this(dialect, writes, reads, resources, ReadCache.disabled(), null, null);
    }

    /**
     * SQLite's: write transactions that queue for its one writer commit together ({@link GroupCommit}).
     *
     * @param soleWriter true when no other process writes this database: the pull path's reads are then
     *                   answered from memory until the next commit (see {@link ReadCache})
     */
    JdbcMetadataStore(SqlDialect dialect, DataSource writes, DataSource reads, AutoCloseable resources,
                      boolean soleWriter) {
        this(dialect, writes, reads, resources, soleWriter ? ReadCache.enabled() : ReadCache.disabled(), null,
                new GroupCommit(writes, SqliteMetadataStore.GROUP_COMMIT_MAX, GroupCommit.WAIT_LIMIT));
    }

    /**
     * @param cache           the pull path's read cache, and when it may answer
     * @param identityVersion see {@link #identityVersion()}; null when the database cannot tell
     * @param groups          SQLite's group commit on its one writer; null: each transaction commits on its own
     */
    JdbcMetadataStore(SqlDialect dialect, DataSource writes, DataSource reads, AutoCloseable resources,
                      ReadCache cache, LongSupplier identityVersion, GroupCommit groups) {
        this.identityVersion = Optional.ofNullable(identityVersion);
        this.jdbc = new Jdbc(dialect, writes, reads, cache, groups);
        cache.bypassWhen(jdbc::inTransaction);
        this.repositoryCache = cache.region(CACHED_REPOSITORIES);
        this.tagCache = cache.region(CACHED_TAGS);
        this.manifestCache = cache.region(CACHED_MANIFESTS);
        this.documentCache = cache.region(CACHED_DOCUMENTS);
        this.resources = resources;
        this.documents = new JdbcDocuments(jdbc, dialect);
        this.repositories = new JdbcRepositories(jdbc, dialect, documents);
        this.blobs = new JdbcBlobs(jdbc, dialect);
        this.manifests = new JdbcManifests(jdbc, dialect);
        this.tags = new JdbcTags(jdbc);
        this.uploads = new JdbcUploads(jdbc);
        this.images = new JdbcImages(jdbc, manifests);
        this.events = new JdbcEvents(jdbc, dialect);
        this.jobs = new JdbcJobs(jdbc);
        this.garbage = new JdbcGarbage(jdbc);
        this.usage = new JdbcUsage(jdbc, dialect instanceof PostgresDialect);
        this.advisories = new JdbcAdvisories(jdbc);
        this.scans = new JdbcScans(jdbc, dialect);
        this.insights = new JdbcInsights(jdbc, dialect);
        this.replication = new JdbcReplication(jdbc, dialect);
        this.webhooks = new JdbcWebhooks(jdbc, dialect);
        this.gallery = new JdbcGallery(jdbc, dialect);
        this.pullThrough = new JdbcPullThrough(jdbc, dialect);
        this.templates = new JdbcTemplates(jdbc, dialect);
        this.secrets = new JdbcSecrets(jdbc, dialect);
        this.consoleSessions = new JdbcConsoleSessions(jdbc);
        this.audit = new JdbcAudit(jdbc, dialect);
    }

    /** Brings the schema up to date; run it before building the store. Returns the schema's version. */
    public static String migrate(SqlDialect dialect, DataSource dataSource) {
        MigrateResult result = Flyway.configure()
                .dataSource(dataSource)
                .locations(dialect.migrationLocation())
                .failOnMissingLocations(true)
                // all pending migrations in one transaction: atomic, and one commit (fsync) instead of one each
                .group(true)
                .load()
                .migrate();
        String version = schemaVersion(result);
        LOG.info("metadata schema at version {} ({} migrations applied)", version, result.migrationsExecuted);
        return version;
    }

    /** Flyway reports no target version when nothing was pending: the schema then stayed at its initial one. */
    static String schemaVersion(MigrateResult result) {
        return result.targetSchemaVersion != null ? result.targetSchemaVersion : result.initialSchemaVersion;
    }

    Jdbc jdbc() {
        return jdbc;
    }

    /**
     * A number that moves whenever identities (IAM users, keys, policies) may have changed in any process sharing
     * this database; empty when the database cannot tell (SQLite: {@code wharf iam} leaves a marker file instead).
     */
    public Optional<LongSupplier> identityVersion() {
        return identityVersion;
    }

    // ---- RepositoryIndex

    @Override
    public Optional<Repository> findRepository(String account, RepositoryName name) {
        return repositoryCache.get(new RepoKey(account, name), () -> repositories.findRepository(account, name));
    }

    @Override
    public Repository createRepository(String account, RepositoryName name, Instant now) {
        return repositories.createRepository(account, name, now);
    }

    @Override
    public Optional<Repository> createRepository(String account, RepositoryName name, RepositorySettings settings,
                                                 Map<String, String> tags, Instant now) {
        return repositories.createRepository(account, name, settings, tags, now);
    }

    @Override
    public List<Repository> describeRepositories(String account, RepositoryName after, int limit) {
        return repositories.describeRepositories(account, after, limit);
    }

    @Override
    public List<Repository> describeRepositoriesDescending(String account, RepositoryName before, int limit) {
        return repositories.describeRepositoriesDescending(account, before, limit);
    }

    @Override
    public List<Repository> repositoriesWithDocument(DocumentKind kind) {
        return repositories.repositoriesWithDocument(kind);
    }

    @Override
    public long countRepositories(String account) {
        return repositories.countRepositories(account);
    }

    @Override
    public boolean updateRepositorySettings(long repositoryId, RepositorySettings settings, Instant now) {
        return repositories.updateRepositorySettings(repositoryId, settings, now);
    }

    @Override
    public boolean deleteRepository(long repositoryId) {
        return repositories.deleteRepository(repositoryId);
    }

    @Override
    public List<RepositoryName> listRepositories(String account, RepositoryName after, int limit) {
        return repositories.listRepositories(account, after, limit);
    }

    // ---- BlobIndex

    @Override
    public boolean addBlob(long repositoryId, Digest digest, long size, Instant now) {
        return blobs.addBlob(repositoryId, digest, size, now);
    }

    @Override
    public OptionalLong blobSize(Digest digest) {
        return blobs.blobSize(digest);
    }

    @Override
    public OptionalLong linkedBlobSize(long repositoryId, Digest digest) {
        return blobs.linkedBlobSize(repositoryId, digest);
    }

    @Override
    public boolean linkBlob(long sourceRepositoryId, long targetRepositoryId, Digest digest, Instant now) {
        return blobs.linkBlob(sourceRepositoryId, targetRepositoryId, digest, now);
    }

    @Override
    public List<RepositoryName> repositoriesHolding(String account, Digest digest, int limit) {
        return blobs.repositoriesHolding(account, digest, limit);
    }

    @Override
    public boolean unlinkBlob(long repositoryId, Digest digest) {
        return blobs.unlinkBlob(repositoryId, digest);
    }

    @Override
    public Set<Digest> missingBlobs(long repositoryId, Collection<Digest> digests) {
        return blobs.missingBlobs(repositoryId, digests);
    }

    @Override
    public List<StoredBlob> listBlobs(Digest after, int limit) {
        return blobs.listBlobs(after, limit);
    }

    // ---- GarbageIndex

    @Override
    public int scheduleReviews(java.util.function.Supplier<Instant> reviewAfter) {
        return garbage.scheduleReviews(reviewAfter);
    }

    @Override
    public List<Digest> dueReviews(Instant now, Digest after, int limit) {
        return garbage.dueReviews(now, after, limit);
    }

    @Override
    public Collected collect(Collection<Digest> digests, Instant now) {
        return garbage.collect(digests, now);
    }

    @Override
    public List<StoredBlob> collectable(Instant now, Digest after, int limit) {
        return garbage.collectable(now, after, limit);
    }

    @Override
    public Optional<LinkedBlob> linkedBlob(long repositoryId, Digest digest) {
        return garbage.linkedBlob(repositoryId, digest);
    }

    @Override
    public boolean postponeReview(Digest digest, Instant dueBefore) {
        return garbage.postponeReview(digest, dueBefore);
    }

    @Override
    public ReviewCounts reviewCounts(Instant now) {
        return garbage.reviewCounts(now);
    }

    @Override
    public Set<Digest> unrecordedBlobs(Collection<Digest> digests) {
        return garbage.unrecordedBlobs(digests);
    }

    // ---- ManifestIndex

    @Override
    public TagOutcome putManifest(long repositoryId, Manifest manifest, Tag tag, Instant now, boolean tagMayMove) {
        return manifests.putManifest(repositoryId, manifest, tag, now, tagMayMove);
    }

    @Override
    public Optional<StoredManifest> findManifest(long repositoryId, Digest digest) {
        return manifestCache.get(new ManifestKey(repositoryId, digest), () -> manifests.findManifest(repositoryId, digest),
                m -> m.isEmpty() || m.get().size() <= CACHED_MANIFEST_BYTES);
    }

    @Override
    public boolean deleteManifest(long repositoryId, Digest digest) {
        return manifests.deleteManifest(repositoryId, digest);
    }

    @Override
    public List<StoredManifest> referrers(long repositoryId, Digest subject) {
        return manifests.referrers(repositoryId, subject);
    }

    @Override
    public Set<Digest> missingManifests(long repositoryId, Collection<Digest> digests) {
        return manifests.missingManifests(repositoryId, digests);
    }

    // ---- TagIndex

    @Override
    public Optional<Digest> resolveTag(long repositoryId, Tag tag) {
        return tagCache.get(new TagKey(repositoryId, tag), () -> tags.resolveTag(repositoryId, tag));
    }

    @Override
    public List<Tag> listTags(long repositoryId, Tag after, int limit) {
        return tags.listTags(repositoryId, after, limit);
    }

    @Override
    public boolean deleteTag(long repositoryId, Tag tag) {
        return tags.deleteTag(repositoryId, tag);
    }

    // ---- ImageIndex

    @Override
    public List<ImageRecord> listImages(long repositoryId, TagStatus status, Digest after, int limit) {
        return images.listImages(repositoryId, status, after, limit);
    }

    @Override
    public List<ImageTagRef> listImageTags(long repositoryId, TagStatus status, ImageTagRef after, int limit) {
        return images.listImageTags(repositoryId, status, after, limit);
    }

    @Override
    public Optional<ImageRecord> findImage(long repositoryId, Digest digest) {
        return images.findImage(repositoryId, digest);
    }

    @Override
    public long countImages(long repositoryId) {
        return images.countImages(repositoryId);
    }

    @Override
    public List<ImageSummary> summarizeImages(long repositoryId, Digest after, int limit) {
        return images.summarizeImages(repositoryId, after, limit);
    }

    @Override
    public Set<Digest> indexChildren(long repositoryId) {
        return images.indexChildren(repositoryId);
    }

    @Override
    public Set<Digest> parentsOf(long repositoryId, Digest child) {
        return images.parentsOf(repositoryId, child);
    }

    @Override
    public boolean isBlobReferenced(long repositoryId, Digest blob) {
        return images.isBlobReferenced(repositoryId, blob);
    }

    @Override
    public void recordPull(long repositoryId, Digest digest, Instant now) {
        images.recordPull(repositoryId, digest, now);
    }

    // ---- ResourceTagIndex, DocumentIndex

    @Override
    public SortedMap<String, String> resourceTags(long repositoryId) {
        return documents.resourceTags(repositoryId);
    }

    @Override
    public boolean putResourceTags(long repositoryId, Map<String, String> tags) {
        return documents.putResourceTags(repositoryId, tags);
    }

    @Override
    public void removeResourceTags(long repositoryId, Collection<String> keys) {
        documents.removeResourceTags(repositoryId, keys);
    }

    @Override
    public Optional<StoredDocument> repositoryDocument(long repositoryId, DocumentKind kind) {
        return documentCache.get(new DocumentKey(repositoryId, kind), () -> documents.repositoryDocument(repositoryId, kind),
                JdbcMetadataStore::smallDocument);
    }

    private static boolean smallDocument(Optional<StoredDocument> doc) {
        return doc.isEmpty() || doc.get().text().length() <= CACHED_DOCUMENT_CHARS;
    }

    @Override
    public boolean putRepositoryDocument(long repositoryId, DocumentKind kind, String text, Instant now) {
        return documents.putRepositoryDocument(repositoryId, kind, text, now);
    }

    @Override
    public boolean deleteRepositoryDocument(long repositoryId, DocumentKind kind) {
        return documents.deleteRepositoryDocument(repositoryId, kind);
    }

    @Override
    public Optional<StoredDocument> accountDocument(String account, DocumentKind kind) {
        return documentCache.get(new DocumentKey(account, kind), () -> documents.accountDocument(account, kind),
                JdbcMetadataStore::smallDocument);
    }

    @Override
    public void putAccountDocument(String account, DocumentKind kind, String text, Instant now) {
        documents.putAccountDocument(account, kind, text, now);
    }

    @Override
    public boolean deleteAccountDocument(String account, DocumentKind kind) {
        return documents.deleteAccountDocument(account, kind);
    }

    // ---- UploadIndex

    @Override
    public UploadAdmission createUpload(UploadSession session, int maxOpenPerOwner, int maxOpen) {
        return uploads.createUpload(session, maxOpenPerOwner, maxOpen);
    }

    @Override
    public Optional<UploadSession> findUpload(String id) {
        return uploads.findUpload(id);
    }

    @Override
    public boolean updateUpload(String id, long expectedOffset, long newOffset, Instant expiresAt, byte[] hashState) {
        return uploads.updateUpload(id, expectedOffset, newOffset, expiresAt, hashState);
    }

    @Override
    public Optional<UploadCheckpoint> uploadCheckpoint(String id) {
        return uploads.uploadCheckpoint(id);
    }

    @Override
    public void deleteUpload(String id) {
        uploads.deleteUpload(id);
    }

    @Override
    public UploadParts uploadParts(String id) {
        return uploads.uploadParts(id);
    }

    @Override
    public void putUploadParts(String id, UploadParts parts) {
        uploads.putUploadParts(id, parts);
    }

    @Override
    public long openUploads(Instant now) {
        return uploads.openUploads(now);
    }

    @Override
    public List<UploadSession> expiredUploads(Instant now, int limit) {
        return uploads.expiredUploads(now, limit);
    }

    // ---- Transactions, EventLog

    /** One {@code Jdbc.write}: every store method {@code work} calls on this thread joins its transaction. */
    @Override
    public <T> T inTransaction(String what, Work<T> work) {
        boolean outermost = !jdbc.inTransaction();
        T result = jdbc.write(what, c -> work.run(this));
        if (outermost) {
            eventsWritten.run();
        }
        return result;
    }

    @Override
    public void emit(RegistryEvent event, Instant at) {
        events.append(event, at);
    }

    @Override
    public List<StoredEvent> eventsAfter(long sequence, int limit) {
        return events.after(sequence, limit);
    }

    @Override
    public long lastSequence() {
        return events.last();
    }

    @Override
    public OptionalLong cursor(String subscriber) {
        return events.cursor(subscriber);
    }

    @Override
    public boolean saveCursor(String subscriber, long sequence) {
        return events.saveCursor(subscriber, sequence, Instant.now());
    }

    @Override
    public boolean holdCursor(String subscriber, String holder, Instant now, Instant until) {
        return events.holdCursor(subscriber, holder, now, until);
    }

    @Override
    public void releaseCursor(String subscriber, String holder) {
        events.releaseCursor(subscriber, holder);
    }

    @Override
    public int deleteEvents(Instant before, long upTo, int limit) {
        return events.delete(before, upTo, limit);
    }

    @Override
    public void onEventsWritten(Runnable listener) {
        eventsWritten = listener;
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

    // ---- UsageIndex

    @Override
    public Optional<RepositoryUsage> repositoryUsage(long repositoryId) {
        return usage.repositoryUsage(repositoryId);
    }

    @Override
    public List<RepositoryUsage> repositoryUsages(String account, RepositoryName after, int limit) {
        return usage.repositoryUsages(account, after, limit);
    }

    @Override
    public RegistryUsage registryUsage() {
        return usage.registryUsage();
    }

    @Override
    public AccountUsage accountUsage(String account) {
        return usage.accountUsage(account);
    }

    @Override
    public List<io.wharf.core.spi.AccountRepositoryUsage> largestRepositories(int limit) {
        return usage.largestRepositories(limit);
    }

    @Override
    public void addPulls(Collection<PullTally> tallies) {
        usage.addPulls(tallies);
    }

    @Override
    public List<DailyPulls> pulls(long repositoryId, LocalDate from) {
        return usage.pulls(repositoryId, from);
    }

    @Override
    public List<DailyPulls> accountPulls(String account, LocalDate from) {
        return usage.accountPulls(account, from);
    }

    @Override
    public boolean markQuota(long repositoryId, QuotaKind kind, boolean over) {
        return usage.markQuota(repositoryId, kind, over);
    }

    @Override
    public List<UsageDrift> recountUsage(boolean repair) {
        return usage.recountUsage(repair);
    }

    // ---- lifecycle

    /** Reads answer, and writes do: not after a write failed for the storage's sake, until one succeeds again. */
    /** Where an S3 upload store records its uploads, in this database so that every node sees them. */
    public S3UploadRecords s3Uploads() {
        return new JdbcS3Uploads(jdbc);
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
    public io.wharf.core.spi.GalleryIndex gallery() {
        return gallery;
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
    public boolean isHealthy() {
        try {
            return jdbc.read("health", c -> Jdbc.queryOne(c, "SELECT 1 AS ok", rs -> rs.getInt("ok")).isPresent())
                    && jdbc.canWrite();
        } catch (RuntimeException e) {
            LOG.warn("metadata store unhealthy", e);
            return false;
        }
    }

    /**
     * Seals the manifests of encrypted repositories from now on (and opens sealed ones): set at start-up, once the
     * blob stores and their keys are open, before any request (docs/encryption.md).
     */
    public void sealManifests(io.wharf.storage.crypto.ManifestSealing sealing) {
        manifests.sealWith(sealing);
    }

    @Override
    public void close() {
        try {
            resources.close();
        } catch (Exception e) {
            LOG.warn("closing the metadata store failed", e);
        }
    }
}
