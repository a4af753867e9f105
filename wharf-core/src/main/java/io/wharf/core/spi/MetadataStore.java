package io.wharf.core.spi;

/**
 * The source of truth for everything but blob bytes. Narrow sub-interfaces keep each service's
 * dependency visible; a backend implements them all (SQLite, PostgreSQL, in-memory). Guarded writes run
 * through {@link Transactions#inTransaction}; outside one, each method is its own transaction.
 */
public interface MetadataStore extends RepositoryIndex, BlobIndex, ManifestIndex, TagIndex, UploadIndex,
        ImageIndex, ResourceTagIndex, DocumentIndex, UnitOfWork, Transactions, EventLog, JobLeases, GarbageIndex,
        UsageIndex, AutoCloseable {

    /**
     * Readiness for /readyz: reads answer, and writes are not known to fail (a store whose last write failed
     * for lack of space or an I/O error reports false until a write, its own probe included, succeeds).
     */
    boolean isHealthy();

    /** The imported vulnerability advisories (scanning). */
    AdvisoryIndex advisories();

    /** Image scans and the layer analysis cache (scanning). */
    ScanIndex scans();

    /** Layer insight records and the queue of images to analyse (docs/layer-insight.md). */
    InsightIndex insights();

    /** Replication work and its status (replication). */
    ReplicationIndex replication();

    /** Pull-through cache rules and cached tags' freshness (pull-through cache). */
    PullThroughIndex pullThrough();

    /** Repository creation templates and account settings. */
    TemplateIndex templates();

    /** Sealed named secrets (pull-through credentials). */
    SecretIndex secrets();

    /** The audit trail's records (docs/audit.md). */
    AuditIndex audit();
    /** Webhook subscriptions and their deliveries (webhooks). */
    WebhookIndex webhooks();

    /** Signed-in sessions of the web console (docs/console.md). */
    ConsoleSessionIndex consoleSessions();

    /** Public repositories and catalog data (public repositories and the gallery). */
    GalleryIndex gallery();

    @Override
    void close();
}
