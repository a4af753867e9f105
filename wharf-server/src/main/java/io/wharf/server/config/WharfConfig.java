package io.wharf.server.config;

import io.wharf.core.service.Quotas;
import io.wharf.core.service.RegistryLimits;
import io.wharf.core.service.UploadLimits;
import io.wharf.server.http.RateQuota;
import io.wharf.storage.s3.S3Settings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The validated, immutable configuration of one Wharf process. Built by {@link ConfigLoader} from
 * the YAML file, {@code WHARF_*} environment variables and command-line flags; see {@link ConfigKey}
 * for every key and its default.
 *
 * @param listen          address of the single HTTP(S) connector
 * @param data            data directory (absolute)
 * @param account         the 12-digit account id the {@code /v2/} API serves
 * @param region          region name of this deployment
 * @param logFormat       human text or one JSON object per line
 * @param tls             PEM certificate chain and PKCS#8 key; empty means plain HTTP
 * @param limits          explicit limits of the OCI API
 * @param automaticMount  whether a mount without {@code ?from=} may link a blob found in another repository
 * @param shutdownTimeout how long in-flight requests may run after a stop signal
 * @param idleGcAfter     quiet time after which a heap grown under load is collected and returned; zero: never
 * @param auth            whether requests are authenticated and authorized (IAM) or all act as the root
 * @param ecr             the ECR API's settings and the quotas both APIs enforce
 * @param integrity       checks of stored content: the background scrub and verification of blob reads
 * @param events          the event outbox's dispatcher and its subscribers
 * @param jobs            the background job scheduler's leases and polling
 * @param lifecycle       when lifecycle policies run
 * @param gc              online garbage collection: how often, and how long garbage must wait
 * @param storage         where metadata lives: the embedded default or a shared database
 * @param blobs           where blobs and uploads are kept: the data directory, or an S3 bucket
 * @param vulndb          the vulnerability data: the watched import directory and the import caps
 * @param scanning        image scanning: limits, SBOMs, the scan job's interval, the manual-scan quota
 * @param remote          the client of other registries (pull-through upstreams, replication destinations)
 * @param replication     replication: the job's interval, retries, and the other regions' endpoints
 * @param pullThrough     pull-through cache: tag refresh, rules cache, rule quota (docs/pull-through.md)
 * @param audit           the audit trail: what is recorded, how it is written, how long it is kept (docs/audit.md)
 * @param usage           usage counters: pull flushes, pull events, quota warnings, meters (docs/usage.md)
 * @param webhooks        webhooks: the sender's interval, timeout, retries and caps (docs/webhooks.md)
 * @param metrics         the {@code /metrics} endpoint: where, who may scrape it, repository labels (docs/observability.md)
 * @param insight         layer insight: the job's interval and the limits of reading layers and answering (docs/layer-insight.md)
 * @param console         the web console: on or off, session expiry, page size (docs/console.md)
 * @param gallery         the public gallery's page size and tags per repository (docs/public-repositories.md)
 * @param signatures      what keyless signature verification trusts: the Sigstore trusted root (docs/signatures.md)
 */
public record WharfConfig(Listen listen, Path data, String account, String region, LogFormat logFormat,
                          Optional<Tls> tls, Limits limits, boolean automaticMount, Duration shutdownTimeout,
                          Duration idleGcAfter, AuthSettings auth, Ecr ecr,
                          Integrity integrity, Events events, Jobs jobs, Lifecycle lifecycle, Gc gc,
                          StorageSettings storage, Blobs blobs, VulnDb vulndb, Scanning scanning,
                          Remote remote, Replication replication, PullThrough pullThrough, Audit audit,
                          io.wharf.core.usage.UsageSettings usage, Webhooks webhooks,
                          Metrics metrics, Insight insight, Console console,
                          Gallery gallery, SignatureSettings signatures) {

    public WharfConfig {
        Objects.requireNonNull(listen, "listen");
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(account, "account");
        Objects.requireNonNull(region, "region");
        Objects.requireNonNull(logFormat, "logFormat");
        Objects.requireNonNull(tls, "tls");
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(shutdownTimeout, "shutdownTimeout");
        Objects.requireNonNull(idleGcAfter, "idleGcAfter");
        Objects.requireNonNull(auth, "auth");
        Objects.requireNonNull(ecr, "ecr");
        Objects.requireNonNull(integrity, "integrity");
        Objects.requireNonNull(events, "events");
        Objects.requireNonNull(jobs, "jobs");
        Objects.requireNonNull(lifecycle, "lifecycle");
        Objects.requireNonNull(gc, "gc");
        Objects.requireNonNull(storage, "storage");
        Objects.requireNonNull(blobs, "blobs");
        Objects.requireNonNull(vulndb, "vulndb");
        Objects.requireNonNull(scanning, "scanning");
        Objects.requireNonNull(remote, "remote");
        Objects.requireNonNull(replication, "replication");
        Objects.requireNonNull(pullThrough, "pullThrough");
        Objects.requireNonNull(audit, "audit");
        Objects.requireNonNull(usage, "usage");
        Objects.requireNonNull(webhooks, "webhooks");
        Objects.requireNonNull(metrics, "metrics");
        Objects.requireNonNull(insight, "insight");
        Objects.requireNonNull(console, "console");
        Objects.requireNonNull(gallery, "gallery");
        Objects.requireNonNull(signatures, "signatures");
    }

    /** Every key at its default value. */
    public static WharfConfig defaults() {
        return ConfigLoader.load(null, Map.of(), Map.of()).config();
    }

    /** The limits the domain services enforce. */
    public RegistryLimits toRegistryLimits() {
        return new RegistryLimits(limits.maxManifestBytes(), limits.maxBlobBytes(), limits.maxPageSize(),
                limits.uploadTimeout(), automaticMount, limits.uploads());
    }

    public WharfConfig withListen(Listen newListen) {
        return new WharfConfig(newListen, data, account, region, logFormat, tls, limits, automaticMount, shutdownTimeout, idleGcAfter, auth, ecr, integrity, events, jobs, lifecycle, gc, storage, blobs, vulndb, scanning, remote, replication, pullThrough, audit, usage, webhooks, metrics, insight, console, gallery, signatures);
    }

    public WharfConfig withData(Path newData) {
        return new WharfConfig(listen, newData, account, region, logFormat, tls, limits, automaticMount, shutdownTimeout, idleGcAfter, auth, ecr, integrity, events, jobs, lifecycle, gc, storage, blobs, vulndb, scanning, remote, replication, pullThrough, audit, usage, webhooks, metrics, insight, console, gallery, signatures);
    }

    public WharfConfig withTls(Optional<Tls> newTls) {
        return new WharfConfig(listen, data, account, region, logFormat, newTls, limits, automaticMount, shutdownTimeout, idleGcAfter, auth, ecr, integrity, events, jobs, lifecycle, gc, storage, blobs, vulndb, scanning, remote, replication, pullThrough, audit, usage, webhooks, metrics, insight, console, gallery, signatures);
    }

    public WharfConfig withShutdownTimeout(Duration timeout) {
        return new WharfConfig(listen, data, account, region, logFormat, tls, limits, automaticMount, timeout, idleGcAfter, auth, ecr, integrity, events, jobs, lifecycle, gc, storage, blobs, vulndb, scanning, remote, replication, pullThrough, audit, usage, webhooks, metrics, insight, console, gallery, signatures);
    }

    /** Host and port of the connector; port 0 picks a free port (tests). */
    public record Listen(String host, int port) {
        public Listen {
            Objects.requireNonNull(host, "host");
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port " + port + " is out of range 0-65535");
            }
        }

        /** {@code host:port}, with IPv6 literals bracketed so the result parses back. */
        @Override
        public String toString() {
            return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
        }
    }

    /** PEM files: certificate chain (leaf first) and an unencrypted PKCS#8 private key. */
    public record Tls(Path certFile, Path keyFile) {
        public Tls {
            Objects.requireNonNull(certFile, "certFile");
            Objects.requireNonNull(keyFile, "keyFile");
        }
    }

    /**
     * Explicit request limits (see DESIGN §6: limits are configurable). {@code errorDrainBytes} is how much
     * unread request body an early error answer reads and drops, so the client sees the answer instead of a
     * reset connection; a longer body gets the answer and the connection closed. {@code idleTimeout} is how
     * long a connection may send nothing, mid-body too, before it is answered 408 (mid-request) and closed.
     * {@code maxInflightManifestBytes} bounds the manifest bodies that {@code /v2/} buffers at the same time.
     * {@code minRequestDataRate} is the lowest average rate (bytes per second, 0: none) of a request body once it
     * has taken longer than {@code idleTimeout}; {@code throttling} the request rates per account and operation.
     */
    public record Limits(int maxManifestBytes, long maxBlobBytes, int maxPageSize, Duration uploadTimeout,
                         int maxNameLength, long errorDrainBytes, Duration idleTimeout, UploadLimits uploads,
                         int maxInflightManifestBytes, long minRequestDataRate, Throttling throttling) {
        public Limits {
            Objects.requireNonNull(uploadTimeout, "uploadTimeout");
            Objects.requireNonNull(idleTimeout, "idleTimeout");
            Objects.requireNonNull(uploads, "uploads");
            Objects.requireNonNull(throttling, "throttling");
        }

        public Limits withIdleTimeout(Duration timeout) {
            return new Limits(maxManifestBytes, maxBlobBytes, maxPageSize, uploadTimeout, maxNameLength, errorDrainBytes,
                    timeout, uploads, maxInflightManifestBytes, minRequestDataRate, throttling);
        }

        public Limits withMinRequestDataRate(long bytesPerSecond) {
            return new Limits(maxManifestBytes, maxBlobBytes, maxPageSize, uploadTimeout, maxNameLength, errorDrainBytes,
                    idleTimeout, uploads, maxInflightManifestBytes, bytesPerSecond, throttling);
        }

        public Limits withThrottling(Throttling newThrottling) {
            return new Limits(maxManifestBytes, maxBlobBytes, maxPageSize, uploadTimeout, maxNameLength, errorDrainBytes,
                    idleTimeout, uploads, maxInflightManifestBytes, minRequestDataRate, newThrottling);
        }
    }

    /**
     * Request rates per account and operation (docs/security.md, "Throttling").
     *
     * @param enabled    whether any request is throttled
     * @param multiplier scales ECR's default rates and bursts ({@link RateQuota#ECR_DEFAULTS})
     * @param rates      per-operation quotas taken as written, replacing the scaled default (also for operations
     *                   ECR publishes no rate for)
     */
    public record Throttling(boolean enabled, double multiplier, Map<String, RateQuota> rates) {
        public Throttling {
            rates = Map.copyOf(rates);
        }

        /** The quota of every throttled operation: none when disabled. */
        public Map<String, RateQuota> effective() {
            if (!enabled) {
                return Map.of();
            }
            Map<String, RateQuota> all = new java.util.TreeMap<>();
            RateQuota.ECR_DEFAULTS.forEach((op, q) -> all.put(op, q.times(multiplier)));
            all.putAll(rates);
            return all;
        }
    }

    public WharfConfig withLimits(Limits newLimits) {
        return new WharfConfig(listen, data, account, region, logFormat, tls, newLimits, automaticMount, shutdownTimeout, idleGcAfter, auth, ecr, integrity, events, jobs, lifecycle, gc, storage, blobs, vulndb, scanning, remote, replication, pullThrough, audit, usage, webhooks, metrics, insight, console, gallery, signatures);
    }

    public WharfConfig withAuth(AuthSettings newAuth) {
        return new WharfConfig(listen, data, account, region, logFormat, tls, limits, automaticMount, shutdownTimeout, idleGcAfter, newAuth, ecr, integrity, events, jobs, lifecycle, gc, storage, blobs, vulndb, scanning, remote, replication, pullThrough, audit, usage, webhooks, metrics, insight, console, gallery, signatures);
    }

    /**
     * {@code auth.enabled}: off, every request is the configured account's root; on, IAM decides.
     * {@code auth.token-ttl}: lifetime of registry tokens from GetAuthorizationToken (ECR: 12 hours).
     * {@code auth.jwks-cache-ttl}: how long an OIDC provider's signing keys (JWKS) are reused (AssumeRoleWithWebIdentity).
     */
    public record AuthSettings(boolean enabled, Duration tokenTtl, Optional<SealingKey> sealingKey, Duration jwksCacheTtl) {
        public static final Duration DEFAULT_JWKS_CACHE_TTL = Duration.ofMinutes(10);

        public AuthSettings {
            Objects.requireNonNull(tokenTtl, "tokenTtl");
            Objects.requireNonNull(sealingKey, "sealingKey");
            Objects.requireNonNull(jwksCacheTtl, "jwksCacheTtl");
        }

        public AuthSettings(boolean enabled, Duration tokenTtl, Optional<SealingKey> sealingKey) {
            this(enabled, tokenTtl, sealingKey, DEFAULT_JWKS_CACHE_TTL);
        }

        public AuthSettings(boolean enabled, Duration tokenTtl) {
            this(enabled, tokenTtl, Optional.empty());
        }

        public AuthSettings(boolean enabled) {
            this(enabled, Duration.ofHours(12));
        }
    }

    /**
     * {@code auth.sealing-key}: the AES-256 key that seals secrets in the database (access-key secrets, the
     * registry-token signing key). Unset with SQLite: a key file in {@code <data>/keys/}; required with a shared
     * database, where every node must use the same key. Never printed.
     */
    public record SealingKey(byte[] bytes) {
        public static final int BYTES = 32;

        public SealingKey {
            if (bytes.length != BYTES) {
                throw new IllegalArgumentException("must be " + BYTES + " bytes");
            }
            bytes = bytes.clone();
        }

        @Override
        public byte[] bytes() {
            return bytes.clone();
        }

        @Override
        public String toString() {
            return "SealingKey[redacted]";
        }
    }

    public WharfConfig withStorage(StorageSettings newStorage) {
        return new WharfConfig(listen, data, account, region, logFormat, tls, limits, automaticMount, shutdownTimeout, idleGcAfter, auth, ecr, integrity, events, jobs, lifecycle, gc, newStorage, blobs, vulndb, scanning, remote, replication, pullThrough, audit, usage, webhooks, metrics, insight, console, gallery, signatures);
    }

    /**
     * {@code storage.*}: where metadata lives.
     *
     * @param metadata {@code storage.metadata}: SQLite in the data directory (one process), or a PostgreSQL
     *                 database any number of nodes share
     * @param postgres {@code storage.postgres.*}, present exactly when {@code metadata} is POSTGRES
     */
    public record StorageSettings(Metadata metadata, Optional<Postgres> postgres) {
        public StorageSettings {
            Objects.requireNonNull(metadata, "metadata");
            Objects.requireNonNull(postgres, "postgres");
            if (postgres.isPresent() != (metadata == Metadata.POSTGRES)) {
                throw new IllegalArgumentException("PostgreSQL settings exactly with storage.metadata=postgres");
            }
        }

        /** The embedded default. */
        public static StorageSettings sqlite() {
            return new StorageSettings(Metadata.SQLITE, Optional.empty());
        }

        public static StorageSettings postgres(Postgres settings) {
            return new StorageSettings(Metadata.POSTGRES, Optional.of(settings));
        }

        /** Whether several processes share the metadata (no data-directory lock; caches invalidated by the database). */
        public boolean shared() {
            return metadata != Metadata.SQLITE;
        }
    }

    public enum Metadata {
        SQLITE, POSTGRES
    }

    /**
     * @param url      {@code jdbc:postgresql://host:port/database}
     * @param user     null: the driver's default (the OS user)
     * @param password null: none (trust or peer authentication); never printed
     * @param poolSize connections this node opens at most (one more is the cache-invalidation listener)
     * @param connectionTimeout how long a request waits for a connection before it is answered "unavailable"
     */
    public record Postgres(String url, String user, String password, int poolSize, Duration connectionTimeout) {
        public Postgres {
            Objects.requireNonNull(url, "url");
            if (poolSize < 1) {
                throw new IllegalArgumentException("pool size must be positive");
            }
        }

        public Postgres(String url, String user, String password, int poolSize) {
            this(url, user, password, poolSize, Duration.ofSeconds(3));
        }

        @Override
        public String toString() {
            return "Postgres[url=" + url + ", user=" + user + ", password=" + (password == null ? "none" : "redacted")
                    + ", poolSize=" + poolSize + "]";
        }
    }

    public WharfConfig withEcr(Ecr newEcr) {
        return new WharfConfig(listen, data, account, region, logFormat, tls, limits, automaticMount, shutdownTimeout, idleGcAfter, auth, newEcr, integrity, events, jobs, lifecycle, gc, storage, blobs, vulndb, scanning, remote, replication, pullThrough, audit, usage, webhooks, metrics, insight, console, gallery, signatures);
    }

    /**
     * @param createOnPush    {@code repositories.create-on-push}: a registry push may create a missing repository
     * @param maxRequestBytes largest ECR API request body (UploadLayerPart carries a base64 part in JSON)
     * @param maxInflightRequestBytes what all ECR API request bodies being read at once may take together
     * @param quotas          {@code quotas.*}
     */
    public record Ecr(boolean createOnPush, int maxRequestBytes, int maxInflightRequestBytes, Quotas quotas) {
        public Ecr {
            Objects.requireNonNull(quotas, "quotas");
        }
    }

    public WharfConfig withIntegrity(Integrity newIntegrity) {
        return new WharfConfig(listen, data, account, region, logFormat, tls, limits, automaticMount, shutdownTimeout, idleGcAfter, auth, ecr, newIntegrity, events, jobs, lifecycle, gc, storage, blobs, vulndb, scanning, remote, replication, pullThrough, audit, usage, webhooks, metrics, insight, console, gallery, signatures);
    }

    /**
     * @param scrubPeriod  {@code integrity.scrub-period}: every blob is re-hashed once per period; zero: no scrub
     * @param scrubRate    {@code integrity.scrub-rate}: bytes per second the scrub reads at most
     * @param verifyOnRead {@code integrity.verify-on-read}: a full blob GET hashes what it sends and breaks off
     *                     on a mismatch (costs the zero-copy path)
     */
    public record Integrity(Duration scrubPeriod, long scrubRate, boolean verifyOnRead) {
        public Integrity {
            Objects.requireNonNull(scrubPeriod, "scrubPeriod");
        }
    }

    public WharfConfig withUsage(io.wharf.core.usage.UsageSettings newUsage) {
        return new WharfConfig(listen, data, account, region, logFormat, tls, limits, automaticMount, shutdownTimeout, idleGcAfter, auth, ecr, integrity, events, jobs, lifecycle, gc, storage, blobs, vulndb, scanning, remote, replication, pullThrough, audit, newUsage, webhooks, metrics, insight, console, gallery, signatures);
    }

    public WharfConfig withEvents(Events newEvents) {
        return new WharfConfig(listen, data, account, region, logFormat, tls, limits, automaticMount, shutdownTimeout, idleGcAfter, auth, ecr, integrity, newEvents, jobs, lifecycle, gc, storage, blobs, vulndb, scanning, remote, replication, pullThrough, audit, usage, webhooks, metrics, insight, console, gallery, signatures);
    }

    /**
     * @param pollInterval {@code events.poll-interval}: how often the dispatcher looks for new events (a commit
     *                     in this process wakes it at once)
     * @param retention    {@code events.retention}: events older than this that every subscriber has handled go
     * @param batchSize    {@code events.batch-size}: events per subscriber call and per retention delete
     * @param log          {@code events.log}: write each event as one EventBridge-shaped JSON line to {@code io.wharf.events}
     */
    public record Events(Duration pollInterval, Duration retention, int batchSize, boolean log) {
        public Events {
            Objects.requireNonNull(pollInterval, "pollInterval");
            Objects.requireNonNull(retention, "retention");
        }
    }

    public WharfConfig withJobs(Jobs newJobs) {
        return new WharfConfig(listen, data, account, region, logFormat, tls, limits, automaticMount, shutdownTimeout, idleGcAfter, auth, ecr, integrity, events, newJobs, lifecycle, gc, storage, blobs, vulndb, scanning, remote, replication, pullThrough, audit, usage, webhooks, metrics, insight, console, gallery, signatures);
    }

    /**
     * @param leaseDuration {@code jobs.lease-duration}: a running job renews its lease every third of it; a job whose
     *                      runner died is taken over once it expired
     * @param pollInterval  {@code jobs.poll-interval}: how often the scheduler looks for due jobs and run requests
     */
    public record Jobs(Duration leaseDuration, Duration pollInterval) {
        public Jobs {
            Objects.requireNonNull(leaseDuration, "leaseDuration");
            Objects.requireNonNull(pollInterval, "pollInterval");
        }
    }

    public WharfConfig withLifecycle(Lifecycle newLifecycle) {
        return new WharfConfig(listen, data, account, region, logFormat, tls, limits, automaticMount, shutdownTimeout, idleGcAfter, auth, ecr, integrity, events, jobs, newLifecycle, gc, storage, blobs, vulndb, scanning, remote, replication, pullThrough, audit, usage, webhooks, metrics, insight, console, gallery, signatures);
    }

    /** @param interval {@code lifecycle.interval}: time between two runs of every repository's policy; zero: never */
    public record Lifecycle(Duration interval) {
        public Lifecycle {
            Objects.requireNonNull(interval, "interval");
        }
    }

    public WharfConfig withGc(Gc newGc) {
        return new WharfConfig(listen, data, account, region, logFormat, tls, limits, automaticMount, shutdownTimeout, idleGcAfter, auth, ecr, integrity, events, jobs, lifecycle, newGc, storage, blobs, vulndb, scanning, remote, replication, pullThrough, audit, usage, webhooks, metrics, insight, console, gallery, signatures);
    }

    /**
     * @param interval     {@code gc.interval}: time between two garbage collection runs; zero: on request only
     * @param gracePeriod  {@code gc.grace-period}: how long a blob must have been unreferenced and untouched before it goes
     * @param orphanMinAge {@code gc.orphan-min-age}: how old a blob file without a row must be before it goes
     * @param maxDeletionsPerSecond {@code gc.max-deletions-per-second}: a run's pace; zero: as fast as it can
     */
    public record Gc(Duration interval, Duration gracePeriod, Duration orphanMinAge, long maxDeletionsPerSecond) {
        public Gc {
            Objects.requireNonNull(interval, "interval");
            Objects.requireNonNull(gracePeriod, "gracePeriod");
            Objects.requireNonNull(orphanMinAge, "orphanMinAge");
        }
    }

    public WharfConfig withBlobs(Blobs newBlobs) {
        return new WharfConfig(listen, data, account, region, logFormat, tls, limits, automaticMount, shutdownTimeout, idleGcAfter, auth, ecr, integrity, events, jobs, lifecycle, gc, storage, newBlobs, vulndb, scanning, remote, replication, pullThrough, audit, usage, webhooks, metrics, insight, console, gallery, signatures);
    }

    /** The S3 bucket's settings; only with {@code storage.blobs: s3}. */
    public S3Settings s3() {
        return blobs.s3().orElseThrow(() -> new IllegalStateException("storage.blobs is " + blobs.kind().value()));
    }

    /**
     * @param kind {@code storage.blobs}: blobs and uploads in the data directory, or in an S3 bucket
     * @param s3   {@code storage.s3.*}, present exactly with {@link BlobBackend#S3}
     * @param atRest {@code encryption.*}: encryption at rest on the filesystem (docs/encryption.md)
     */
    public record Blobs(BlobBackend kind, Optional<S3Settings> s3, AtRest atRest) {
        public static final Blobs FILESYSTEM = new Blobs(BlobBackend.FILESYSTEM, Optional.empty(), AtRest.DEFAULTS);

        public Blobs(BlobBackend kind, Optional<S3Settings> s3) {
            this(kind, s3, AtRest.DEFAULTS);
        }

        public Blobs {
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(atRest, "atRest");
            if (s3.isPresent() != (kind == BlobBackend.S3)) {
                throw new IllegalArgumentException("S3 settings go with storage.blobs s3, and only with it");
            }
        }
    }

    /**
     * @param encryptAes256 {@code encryption.aes256: encrypt}: AES256 repositories are encrypted with the registry key
     *                      (default {@code plain}: stored as before; KMS repositories are always encrypted)
     * @param masterKey     {@code encryption.master-key}; empty: {@code <data>/keys/encryption-master-key}
     */
    public record AtRest(boolean encryptAes256, Optional<SealingKey> masterKey) {
        public static final AtRest DEFAULTS = new AtRest(false, Optional.empty());

        public AtRest {
            Objects.requireNonNull(masterKey, "masterKey");
        }
    }

    /** Where blobs are kept. */
    public enum BlobBackend {
        FILESYSTEM, S3;

        /** As the configuration writes it. */
        public String value() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public enum LogFormat {
        TEXT, JSON
    }

    /**
     * The vulnerability data (docs/scanning-data.md): the {@code vulndb-import} job imports the new or changed files
     * of {@code watchDir} every {@code watchInterval} (no directory: no job); the caps of every import.
     */
    public record VulnDb(Optional<Path> watchDir, Duration watchInterval, long maxFileBytes, long maxRecordBytes,
                         int maxZipEntries, long maxZipBytes, long maxRecords) {
        public VulnDb {
            Objects.requireNonNull(watchDir, "watchDir");
            Objects.requireNonNull(watchInterval, "watchInterval");
        }
    }

    public WharfConfig withVulnDb(VulnDb newVulnDb) {
        return new WharfConfig(listen, data, account, region, logFormat, tls, limits, automaticMount, shutdownTimeout, idleGcAfter, auth, ecr, integrity, events, jobs, lifecycle, gc, storage, blobs, newVulnDb, scanning, remote, replication, pullThrough, audit, usage, webhooks, metrics, insight, console, gallery, signatures);
    }

    public WharfConfig withScanning(Scanning newScanning) {
        return new WharfConfig(listen, data, account, region, logFormat, tls, limits, automaticMount, shutdownTimeout, idleGcAfter, auth, ecr, integrity, events, jobs, lifecycle, gc, storage, blobs, vulndb, newScanning, remote, replication, pullThrough, audit, usage, webhooks, metrics, insight, console, gallery, signatures);
    }

    /**
     * {@code scanning.*} (docs/scanning.md).
     *
     * @param interval          the {@code scan} job's poll
     * @param manualScansPerDay scans per image per 24 h (manual and on push); 0: no limit
     * @param claimLease        how long a node holds a claimed scan before another may take it over
     * @param maxAttempts       claims of one scan that never finished before it is FAILED
     */
    public record Scanning(boolean enabled, boolean sbom, long maxImageBytes, long maxFileBytes, long maxLayerBytes,
                           Duration interval, int manualScansPerDay, Duration claimLease, int maxAttempts) {
        public Scanning {
            Objects.requireNonNull(interval, "interval");
            Objects.requireNonNull(claimLease, "claimLease");
        }

        /** What the scanner (wharf-scan) takes. */
        public io.wharf.scan.service.ScanSettings settings() {
            return new io.wharf.scan.service.ScanSettings(enabled, sbom, maxImageBytes, maxFileBytes, maxLayerBytes,
                    manualScansPerDay, claimLease, maxAttempts, io.wharf.scan.service.ScanSettings.DEFAULTS.batchSize());
        }
    }

    public WharfConfig withRemote(Remote newRemote) {
        return new WharfConfig(listen, data, account, region, logFormat, tls, limits, automaticMount, shutdownTimeout, idleGcAfter, auth, ecr, integrity, events, jobs, lifecycle, gc, storage, blobs, vulndb, scanning, newRemote, replication, pullThrough, audit, usage, webhooks, metrics, insight, console, gallery, signatures);
    }

    /**
     * {@code remote.*}: bounds of every call to another registry (docs/remote-registries.md).
     *
     * @param connectTimeout   {@code remote.connect-timeout}: opening a connection
     * @param timeout          {@code remote.timeout}: how long a request may go without progress (no response yet, no
     *                         body bytes sent or received); a large blob takes longer as long as bytes flow
     * @param maxManifestBytes {@code remote.max-manifest-bytes}: a larger manifest is refused (INVALID)
     * @param maxResponseBytes {@code remote.max-response-bytes}: token responses and error bodies read at most
     * @param maxRedirects     {@code remote.max-redirects}: redirects followed per request
     */
    public record Remote(Duration connectTimeout, Duration timeout, int maxManifestBytes, int maxResponseBytes,
                         int maxRedirects) {
        public static final Remote DEFAULTS = new Remote(Duration.ofSeconds(5), Duration.ofSeconds(30), 4 << 20,
                64 << 10, 5);

        public Remote {
            Objects.requireNonNull(connectTimeout, "connectTimeout");
            Objects.requireNonNull(timeout, "timeout");
            if (maxManifestBytes < 1 || maxResponseBytes < 1 || maxRedirects < 0) {
                throw new IllegalArgumentException("remote caps must be positive");
            }
        }
    }

    public WharfConfig withReplication(Replication newReplication) {
        return new WharfConfig(listen, data, account, region, logFormat, tls, limits, automaticMount, shutdownTimeout, idleGcAfter, auth, ecr, integrity, events, jobs, lifecycle, gc, storage, blobs, vulndb, scanning, remote, newReplication, pullThrough, audit, usage, webhooks, metrics, insight, console, gallery, signatures);
    }

    /**
     * {@code replication.*} (docs/replication.md).
     *
     * @param interval    the {@code replication} job's poll (it is also woken when an image is queued)
     * @param regions     the other regions (Wharf deployments) by name, from {@code replication.regions-file}
     */
    public record Replication(Duration interval, int maxAttempts, Duration claimLease, Duration backoff,
                              Duration maxBackoff, int parallelism, boolean backfillOnNewRule, Map<String, Region> regions) {
        public Replication {
            Objects.requireNonNull(interval, "interval");
            regions = Map.copyOf(regions);
        }

        /** What the replication service takes, for this deployment's {@code region}. */
        public io.wharf.core.replication.ReplicationSettings settings(String region) {
            return new io.wharf.core.replication.ReplicationSettings(region, maxAttempts, claimLease, backoff, maxBackoff,
                    parallelism, backfillOnNewRule);
        }
    }

    /** Another region's deployment: its endpoint and the AWS keys Wharf pushes with (none: anonymous). */
    public record Region(java.net.URI endpoint, Optional<String> accessKeyId, Optional<Path> secretAccessKeyFile) {
    }

    public WharfConfig withPullThrough(PullThrough newPullThrough) {
        return new WharfConfig(listen, data, account, region, logFormat, tls, limits, automaticMount, shutdownTimeout, idleGcAfter, auth, ecr, integrity, events, jobs, lifecycle, gc, storage, blobs, vulndb, scanning, remote, replication, newPullThrough, audit, usage, webhooks, metrics, insight, console, gallery, signatures);
    }

    /**
     * {@code pull-through.*} (docs/pull-through.md).
     *
     * @param tagRefresh  how long a cached tag is served before its upstream is asked again (ECR: 24 hours)
     * @param rulesCache  how long a node serves pulls from its copy of the rules
     * @param maxRules    rules per account
     * @param importDelay how long storing a fetched image waits before fetching the blobs no client asked for
     */
    public record PullThrough(Duration tagRefresh, Duration rulesCache, int maxRules, Duration importDelay) {
        public PullThrough {
            Objects.requireNonNull(tagRefresh, "tagRefresh");
            Objects.requireNonNull(rulesCache, "rulesCache");
            Objects.requireNonNull(importDelay, "importDelay");
        }

        /** What the pull-through service takes. */
        public io.wharf.core.pullthrough.PullThroughSettings settings(String region) {
            return new io.wharf.core.pullthrough.PullThroughSettings(tagRefresh, rulesCache, maxRules, importDelay, region);
        }
    }

    public WharfConfig withAudit(Audit newAudit) {
        return new WharfConfig(listen, data, account, region, logFormat, tls, limits, automaticMount, shutdownTimeout, idleGcAfter, auth, ecr, integrity, events, jobs, lifecycle, gc, storage, blobs, vulndb, scanning, remote, replication, pullThrough, newAudit, usage, webhooks, metrics, insight, console, gallery, signatures);
    }

    /**
     * {@code audit.*} (docs/audit.md).
     *
     * @param enabled           {@code audit.enabled}: record calls at all
     * @param readSampleRate    {@code audit.read-sample-rate}: the share of pulls (OCI GET/HEAD, ECR's layer and image
     *                          reads) recorded, 0.0 – 1.0; denied ones are always recorded
     * @param retention         {@code audit.retention}: records older than this are deleted by the retention job
     * @param retentionInterval {@code audit.retention-interval}: how often that job runs
     * @param queueCapacity     {@code audit.queue-capacity}: records waiting for the writer; beyond, they are dropped and counted
     * @param batchSize         {@code audit.batch-size}: records per transaction at most
     * @param maxDelay          {@code audit.max-delay}: how long a record waits for its batch at most
     * @param maxValueChars     {@code audit.max-value-chars}: longer string parameters (a manifest, a policy) are cut
     */
    public record Audit(boolean enabled, double readSampleRate, Duration retention, Duration retentionInterval,
                        int queueCapacity, int batchSize, Duration maxDelay, int maxValueChars) {
        public Audit {
            Objects.requireNonNull(retention, "retention");
            Objects.requireNonNull(retentionInterval, "retentionInterval");
            Objects.requireNonNull(maxDelay, "maxDelay");
        }
    }
    public WharfConfig withWebhooks(Webhooks newWebhooks) {
        return new WharfConfig(listen, data, account, region, logFormat, tls, limits, automaticMount, shutdownTimeout, idleGcAfter, auth, ecr, integrity, events, jobs, lifecycle, gc, storage, blobs, vulndb, scanning, remote, replication, pullThrough, audit, usage, newWebhooks, metrics, insight, console, gallery, signatures);
    }

    /**
     * {@code webhooks.*} (docs/webhooks.md).
     *
     * @param enabled  whether events are queued for subscriptions and sent (the API and CLI work either way)
     * @param interval the {@code webhooks} job's poll, for retries (it is also woken when a delivery is queued)
     * @param sender   the sender's timeout, backoff, attempts, caps and retention
     */
    public record Webhooks(boolean enabled, Duration interval, io.wharf.core.webhook.WebhookSettings sender) {
        public Webhooks {
            Objects.requireNonNull(interval, "interval");
            Objects.requireNonNull(sender, "sender");
        }
    }

    public WharfConfig withMetrics(Metrics newMetrics) {
        return new WharfConfig(listen, data, account, region, logFormat, tls, limits, automaticMount, shutdownTimeout, idleGcAfter, auth, ecr, integrity, events, jobs, lifecycle, gc, storage, blobs, vulndb, scanning, remote, replication, pullThrough, audit, usage, webhooks, newMetrics, insight, console, gallery, signatures);
    }

    /**
     * Who may scrape {@code /metrics}: anyone, IAM ({@code wharf:GetMetrics}), or the holder of a bearer token;
     * {@code AUTO}: IAM when {@code auth.enabled}, else anyone.
     */
    public enum MetricsAccess {
        AUTO, OPEN, IAM, TOKEN
    }

    /**
     * {@code metrics.*} (docs/observability.md).
     *
     * @param enabled             {@code metrics.enabled}: meters are kept and {@code /metrics} is served
     * @param listen              {@code metrics.listen}: a separate listener for {@code /metrics} only; empty: the API port
     * @param access              {@code metrics.access} ({@link #access(boolean)} resolves {@code auto})
     * @param tokenFile           {@code metrics.token-file}: the bearer token of {@link MetricsAccess#TOKEN}
     * @param repositoryLabels    {@code metrics.repository-labels}: per-repository push/pull/delete counters
     * @param maxRepositoryLabels {@code metrics.max-repository-labels}: distinct repository values; later ones are
     *                            counted under {@code _other}
     */
    public record Metrics(boolean enabled, Optional<Listen> listen, MetricsAccess access, Optional<Path> tokenFile,
                          boolean repositoryLabels, int maxRepositoryLabels) {
        public Metrics {
            Objects.requireNonNull(listen, "listen");
            Objects.requireNonNull(access, "access");
            Objects.requireNonNull(tokenFile, "tokenFile");
            if (access == MetricsAccess.TOKEN && tokenFile.isEmpty()) {
                throw new IllegalArgumentException("metrics.access token needs metrics.token-file");
            }
        }

        /** The access in force: {@code auto} is {@code iam} with authentication on, {@code open} without. */
        public MetricsAccess access(boolean authEnabled) {
            return access != MetricsAccess.AUTO ? access : authEnabled ? MetricsAccess.IAM : MetricsAccess.OPEN;
        }
    }

    public WharfConfig withInsight(Insight newInsight) {
        return new WharfConfig(listen, data, account, region, logFormat, tls, limits, automaticMount, shutdownTimeout, idleGcAfter, auth, ecr, integrity, events, jobs, lifecycle, gc, storage, blobs, vulndb, scanning, remote, replication, pullThrough, audit, usage, webhooks, metrics, newInsight, console, gallery, signatures);
    }

    /**
     * {@code insight.*} (docs/layer-insight.md).
     *
     * @param interval the {@code insight} job's poll (it is also woken when an image is queued)
     * @param settings the limits of reading layers and of tree pages
     */
    public record Insight(Duration interval, io.wharf.scan.insight.InsightSettings settings) {
        public Insight {
            Objects.requireNonNull(interval, "interval");
            Objects.requireNonNull(settings, "settings");
        }
    }

    public WharfConfig withConsole(Console newConsole) {
        return new WharfConfig(listen, data, account, region, logFormat, tls, limits, automaticMount, shutdownTimeout, idleGcAfter, auth, ecr, integrity, events, jobs, lifecycle, gc, storage, blobs, vulndb, scanning, remote, replication, pullThrough, audit, usage, webhooks, metrics, insight, newConsole, gallery, signatures);
    }

    /**
     * {@code console.*} (docs/console.md).
     *
     * @param enabled     {@code console.enabled}: {@code /console/} is served (and {@code GET /} redirects to it)
     * @param idleTimeout {@code console.session-idle-timeout}: a session unused this long is signed out
     * @param maxAge      {@code console.session-max-age}: a session ends this long after sign-in, used or not
     * @param pageSize    {@code console.page-size}: rows per page of the repository and image lists
     * @param signIn      {@code console.sign-in-*}: the throttle on failed sign-ins
     * @param sweepInterval {@code console.sweep-interval}: how often the {@code console-sweep} job deletes ended
     *                    sessions and failure counts (zero: on request only)
     */
    public record Console(boolean enabled, Duration idleTimeout, Duration maxAge, int pageSize, SignInThrottle signIn,
                          Duration sweepInterval) {
        public static final Duration DEFAULT_SWEEP_INTERVAL = Duration.ofMinutes(10);

        public Console {
            Objects.requireNonNull(idleTimeout, "idleTimeout");
            Objects.requireNonNull(maxAge, "maxAge");
            Objects.requireNonNull(signIn, "signIn");
            Objects.requireNonNull(sweepInterval, "sweepInterval");
        }

        /** With the default throttle and sweep interval. */
        public Console(boolean enabled, Duration idleTimeout, Duration maxAge, int pageSize) {
            this(enabled, idleTimeout, maxAge, pageSize, SignInThrottle.DEFAULTS, DEFAULT_SWEEP_INTERVAL);
        }

        public Console withSignIn(SignInThrottle newSignIn) {
            return new Console(enabled, idleTimeout, maxAge, pageSize, newSignIn, sweepInterval);
        }
    }

    /**
     * {@code console.sign-in-*}: failed sign-ins are counted per access key id and per client address in a fixed
     * window that begins with the first failure; once a count reaches its limit, further attempts are refused until
     * that window ends. From {@code slowAfter} failures on, each attempt is answered {@code delay} late.
     *
     * @param maxFailures        failures allowed per access key id in a window
     * @param maxAddressFailures failures allowed per client address in a window
     * @param window             the window's length
     * @param slowAfter          failures (of the key or the address) after which attempts are slowed
     * @param delay              how late a slowed attempt is answered (zero: never slowed; at most 10 s)
     */
    public record SignInThrottle(int maxFailures, int maxAddressFailures, Duration window, int slowAfter,
                                 Duration delay) {
        public static final Duration MAX_DELAY = Duration.ofSeconds(10);
        public static final SignInThrottle DEFAULTS = new SignInThrottle(5, 20, Duration.ofMinutes(15), 3,
                Duration.ofSeconds(1));

        public SignInThrottle {
            Objects.requireNonNull(window, "window");
            Objects.requireNonNull(delay, "delay");
        }
    }

    /**
     * {@code gallery.*}: how many public repositories a page of {@code GET /wharf/v1/gallery} holds, and how many of
     * each one's most recent tags it lists (docs/public-repositories.md).
     */
    public record Gallery(int pageSize, int tagsPerRepository) {
    }

    public WharfConfig withGallery(Gallery newGallery) {
        return new WharfConfig(listen, data, account, region, logFormat, tls, limits, automaticMount, shutdownTimeout, idleGcAfter, auth, ecr, integrity, events, jobs, lifecycle, gc, storage, blobs, vulndb, scanning, remote, replication, pullThrough, audit, usage, webhooks, metrics, insight, console, newGallery, signatures);
    }

    /** @param trustedRoot a Sigstore {@code trusted_root.json} (Fulcio CAs, Rekor keys); empty: no keyless verification */
    public record SignatureSettings(Optional<Path> trustedRoot) {
        public SignatureSettings {
            Objects.requireNonNull(trustedRoot, "trustedRoot");
        }
    }

    public WharfConfig withSignatures(SignatureSettings newSignatures) {
        return new WharfConfig(listen, data, account, region, logFormat, tls, limits, automaticMount, shutdownTimeout, idleGcAfter, auth, ecr, integrity, events, jobs, lifecycle, gc, storage, blobs, vulndb, scanning, remote, replication, pullThrough, audit, usage, webhooks, metrics, insight, console, gallery, newSignatures);
    }
}
