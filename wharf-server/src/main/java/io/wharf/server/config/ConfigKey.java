package io.wharf.server.config;

import java.util.Locale;
import java.util.Optional;

/**
 * Every configuration key: its kebab-case path in the YAML file ({@code limits.max-page-size}), the
 * environment variable that overrides it ({@code WHARF_LIMITS_MAX_PAGE_SIZE}) and its default
 * ({@code null}: unset). One table, so the file, the environment and the docs cannot drift apart.
 */
public enum ConfigKey {
    LISTEN("listen", "127.0.0.1:5000"),
    DATA("data", "./data"),
    ACCOUNT("account", "000000000000"),
    REGION("region", "us-east-1"),
    LOG_FORMAT("log-format", "text"),
    TLS_CERT_FILE("tls.cert-file", null),
    TLS_KEY_FILE("tls.key-file", null),
    LIMITS_MAX_MANIFEST_BYTES("limits.max-manifest-bytes", "4194304"),
    LIMITS_MAX_BLOB_BYTES("limits.max-blob-bytes", "68719476736"),
    LIMITS_MAX_PAGE_SIZE("limits.max-page-size", "10000"),
    LIMITS_UPLOAD_TIMEOUT("limits.upload-timeout", "PT1H"),
    LIMITS_UPLOAD_MAX_LIFETIME("limits.upload-max-lifetime", "PT6H"),
    LIMITS_MAX_OPEN_UPLOADS_PER_PRINCIPAL("limits.max-open-uploads-per-principal", "256"),
    LIMITS_MAX_OPEN_UPLOADS("limits.max-open-uploads", "10000"),
    LIMITS_MAX_NAME_LENGTH("limits.max-name-length", "255"),
    LIMITS_ERROR_DRAIN_BYTES("limits.error-drain-bytes", "64MiB"),
    LIMITS_IDLE_TIMEOUT("limits.idle-timeout", "PT30S"),
    LIMITS_MAX_INFLIGHT_MANIFEST_BYTES("limits.max-inflight-manifest-bytes", "64MiB"),
    LIMITS_MIN_REQUEST_DATA_RATE("limits.min-request-data-rate", "1KiB"),
    THROTTLING_ENABLED("throttling.enabled", "false"),
    THROTTLING_MULTIPLIER("throttling.multiplier", "1"),
    THROTTLING_RATES("throttling.rates", null),
    AUTOMATIC_MOUNT("automatic-mount", "true"),
    SHUTDOWN_TIMEOUT("shutdown-timeout", "PT30S"),
    IDLE_GC_AFTER("idle-gc-after", "PT5S"),
    AUTH_ENABLED("auth.enabled", "true"),
    AUTH_TOKEN_TTL("auth.token-ttl", "PT12H"),
    AUTH_SEALING_KEY("auth.sealing-key", null),
    AUTH_JWKS_CACHE_TTL("auth.jwks-cache-ttl", "PT10M"),
    STORAGE_METADATA("storage.metadata", "sqlite"),
    STORAGE_POSTGRES_URL("storage.postgres.url", null),
    STORAGE_POSTGRES_USER("storage.postgres.user", null),
    STORAGE_POSTGRES_PASSWORD("storage.postgres.password", null),
    STORAGE_POSTGRES_POOL_SIZE("storage.postgres.pool-size", "16"),
    STORAGE_POSTGRES_CONNECTION_TIMEOUT("storage.postgres.connection-timeout", "PT3S"),
    REPOSITORIES_CREATE_ON_PUSH("repositories.create-on-push", "true"),
    ECR_MAX_REQUEST_BYTES("ecr.max-request-bytes", "32MiB"),
    ECR_MAX_INFLIGHT_REQUEST_BYTES("ecr.max-inflight-request-bytes", "64MiB"),
    QUOTAS_REPOSITORIES_PER_REGISTRY("quotas.repositories-per-registry", "100000"),
    QUOTAS_IMAGES_PER_REPOSITORY("quotas.images-per-repository", "100000"),
    QUOTAS_TAGS_PER_IMAGE("quotas.tags-per-image", "1000"),
    QUOTAS_RESOURCE_TAGS_PER_REPOSITORY("quotas.resource-tags-per-repository", "50"),
    QUOTAS_MAX_LAYER_SIZE("quotas.max-layer-size", "52000MiB"),
    QUOTAS_MIN_PART_SIZE("quotas.min-part-size", "5MiB"),
    QUOTAS_MAX_PART_SIZE("quotas.max-part-size", "10MiB"),
    QUOTAS_MAX_PARTS_PER_UPLOAD("quotas.max-parts-per-upload", "4200"),
    QUOTAS_MAX_POLICY_SIZE("quotas.max-policy-size", "10240"),
    QUOTAS_MAX_LIFECYCLE_POLICY_SIZE("quotas.max-lifecycle-policy-size", "30720"),
    INTEGRITY_SCRUB_PERIOD("integrity.scrub-period", "7d"),
    INTEGRITY_SCRUB_RATE("integrity.scrub-rate", "32MiB"),
    INTEGRITY_VERIFY_ON_READ("integrity.verify-on-read", "false"),
    EVENTS_POLL_INTERVAL("events.poll-interval", "PT1S"),
    EVENTS_RETENTION("events.retention", "7d"),
    EVENTS_BATCH_SIZE("events.batch-size", "500"),
    EVENTS_LOG("events.log", "false"),
    USAGE_FLUSH_INTERVAL("usage.flush-interval", "PT5S"),
    USAGE_PULL_EVENTS("usage.pull-events", "daily"),
    USAGE_WARN_RATIO("usage.warn-ratio", "0.8"),
    USAGE_STORAGE_QUOTA_BYTES("usage.storage-quota-bytes", "0"),
    USAGE_METER_REPOSITORIES("usage.meter-repositories", "100"),
    USAGE_METER_CACHE("usage.meter-cache", "PT10S"),
    JOBS_LEASE_DURATION("jobs.lease-duration", "PT30S"),
    JOBS_POLL_INTERVAL("jobs.poll-interval", "PT1S"),
    LIFECYCLE_INTERVAL("lifecycle.interval", "1d"),
    SCANNING_ENABLED("scanning.enabled", "true"),
    SCANNING_SBOM("scanning.sbom", "true"),
    SCANNING_MAX_IMAGE_BYTES("scanning.max-image-bytes", "2GiB"),
    SCANNING_MAX_FILE_BYTES("scanning.max-file-bytes", "64MiB"),
    SCANNING_MAX_LAYER_BYTES("scanning.max-layer-bytes", "8GiB"),
    SCANNING_INTERVAL("scanning.interval", "PT2S"),
    SCANNING_MANUAL_SCANS_PER_DAY("scanning.manual-scans-per-day", "1"),
    SCANNING_CLAIM_LEASE("scanning.claim-lease", "PT10M"),
    SCANNING_MAX_ATTEMPTS("scanning.max-attempts", "3"),
    INSIGHT_ENABLED("insight.enabled", "true"),
    INSIGHT_INTERVAL("insight.interval", "PT5S"),
    INSIGHT_MAX_LAYER_BYTES("insight.max-layer-bytes", "8GiB"),
    INSIGHT_MAX_LAYER_ENTRIES("insight.max-layer-entries", "500000"),
    INSIGHT_MAX_IMAGE_ENTRIES("insight.max-image-entries", "1000000"),
    INSIGHT_CHUNK_ENTRIES("insight.chunk-entries", "4096"),
    INSIGHT_MAX_PAGE_SIZE("insight.max-page-size", "1000"),
    REPLICATION_REGIONS_FILE("replication.regions-file", null),
    REPLICATION_INTERVAL("replication.interval", "PT2S"),
    REPLICATION_MAX_ATTEMPTS("replication.max-attempts", "8"),
    REPLICATION_CLAIM_LEASE("replication.claim-lease", "PT10M"),
    REPLICATION_BACKOFF("replication.backoff", "PT2S"),
    REPLICATION_MAX_BACKOFF("replication.max-backoff", "PT5M"),
    REPLICATION_PARALLELISM("replication.parallelism", "4"),
    REPLICATION_BACKFILL_ON_NEW_RULE("replication.backfill-on-new-rule", "true"),
    PULL_THROUGH_TAG_REFRESH("pull-through.tag-refresh", "PT24H"),
    PULL_THROUGH_RULES_CACHE("pull-through.rules-cache", "PT5S"),
    PULL_THROUGH_MAX_RULES("pull-through.max-rules", "50"),
    PULL_THROUGH_IMPORT_DELAY("pull-through.import-delay", "PT1S"),
    GALLERY_PAGE_SIZE("gallery.page-size", "24"),
    GALLERY_TAGS_PER_REPOSITORY("gallery.tags-per-repository", "5"),
    // keyless signature verification (docs/signatures.md)
    SIGNATURES_TRUSTED_ROOT("signatures.trusted-root", null),
    WEBHOOKS_ENABLED("webhooks.enabled", "true"),
    WEBHOOKS_INTERVAL("webhooks.interval", "PT1S"),
    WEBHOOKS_TIMEOUT("webhooks.timeout", "PT10S"),
    WEBHOOKS_FIRST_ATTEMPT_TIMEOUT("webhooks.first-attempt-timeout", null), // unset: min(PT2S, webhooks.timeout)
    WEBHOOKS_INITIAL_BACKOFF("webhooks.initial-backoff", "PT5S"),
    WEBHOOKS_MAX_BACKOFF("webhooks.max-backoff", "PT15M"),
    WEBHOOKS_MAX_ATTEMPTS("webhooks.max-attempts", "10"),
    WEBHOOKS_CONCURRENCY("webhooks.concurrency", "16"),
    WEBHOOKS_MAX_IN_FLIGHT_PER_SUBSCRIPTION("webhooks.max-in-flight-per-subscription", "4"),
    WEBHOOKS_RETENTION("webhooks.retention", "P7D"),
    GC_INTERVAL("gc.interval", "1h"),
    GC_GRACE_PERIOD("gc.grace-period", "1d"),
    GC_ORPHAN_MIN_AGE("gc.orphan-min-age", "1h"),
    GC_MAX_DELETIONS_PER_SECOND("gc.max-deletions-per-second", "500"),
    VULNDB_WATCH_DIR("vulndb.watch-dir", null),
    VULNDB_WATCH_INTERVAL("vulndb.watch-interval", "PT5M"),
    VULNDB_MAX_FILE_BYTES("vulndb.max-file-bytes", "1GiB"),
    VULNDB_MAX_RECORD_BYTES("vulndb.max-record-bytes", "64MiB"),
    VULNDB_MAX_ZIP_ENTRIES("vulndb.max-zip-entries", "2000000"),
    VULNDB_MAX_ZIP_BYTES("vulndb.max-zip-bytes", "8GiB"),
    VULNDB_MAX_RECORDS("vulndb.max-records", "5000000"),
    STORAGE_BLOBS("storage.blobs", "filesystem"),
    ENCRYPTION_AES256("encryption.aes256", "plain"),
    ENCRYPTION_MASTER_KEY("encryption.master-key", null),
    STORAGE_S3_BUCKET("storage.s3.bucket", null),
    STORAGE_S3_PREFIX("storage.s3.prefix", null),
    STORAGE_S3_REGION("storage.s3.region", null),
    STORAGE_S3_ENDPOINT("storage.s3.endpoint", null),
    STORAGE_S3_PATH_STYLE("storage.s3.path-style", "false"),
    STORAGE_S3_ACCESS_KEY_ID("storage.s3.access-key-id", null),
    STORAGE_S3_SECRET_ACCESS_KEY("storage.s3.secret-access-key", null),
    STORAGE_S3_SSE("storage.s3.sse", "none"),
    STORAGE_S3_KMS_KEY_ID("storage.s3.kms-key-id", null),
    STORAGE_S3_PART_SIZE("storage.s3.part-size", "16MiB"),
    STORAGE_S3_REDIRECT("storage.s3.redirect", "false"),
    STORAGE_S3_PRESIGN_TTL("storage.s3.presign-ttl", "PT15M"),
    REMOTE_CONNECT_TIMEOUT("remote.connect-timeout", "PT5S"),
    REMOTE_TIMEOUT("remote.timeout", "PT30S"),
    REMOTE_MAX_MANIFEST_BYTES("remote.max-manifest-bytes", "4MiB"),
    REMOTE_MAX_RESPONSE_BYTES("remote.max-response-bytes", "64KiB"),
    REMOTE_MAX_REDIRECTS("remote.max-redirects", "5"),
    // audit trail (docs/audit.md)
    AUDIT_ENABLED("audit.enabled", "true"),
    AUDIT_READ_SAMPLE_RATE("audit.read-sample-rate", "0"),
    AUDIT_RETENTION("audit.retention", "P90D"),
    AUDIT_RETENTION_INTERVAL("audit.retention-interval", "1h"),
    AUDIT_QUEUE_CAPACITY("audit.queue-capacity", "100000"),
    AUDIT_BATCH_SIZE("audit.batch-size", "100"),
    AUDIT_MAX_DELAY("audit.max-delay", "200ms"),
    AUDIT_MAX_VALUE_CHARS("audit.max-value-chars", "16384"),
    // metrics (docs/observability.md)
    METRICS_ENABLED("metrics.enabled", "true"),
    METRICS_LISTEN("metrics.listen", null),
    METRICS_ACCESS("metrics.access", "auto"),
    METRICS_TOKEN_FILE("metrics.token-file", null),
    METRICS_REPOSITORY_LABELS("metrics.repository-labels", "true"),
    METRICS_MAX_REPOSITORY_LABELS("metrics.max-repository-labels", "100"),
    CONSOLE_ENABLED("console.enabled", "true"),
    CONSOLE_SESSION_IDLE_TIMEOUT("console.session-idle-timeout", "PT30M"),
    CONSOLE_SESSION_MAX_AGE("console.session-max-age", "PT12H"),
    CONSOLE_PAGE_SIZE("console.page-size", "50"),
    CONSOLE_SIGN_IN_MAX_FAILURES("console.sign-in-max-failures", "5"),
    CONSOLE_SIGN_IN_MAX_ADDRESS_FAILURES("console.sign-in-max-address-failures", "20"),
    CONSOLE_SIGN_IN_WINDOW("console.sign-in-window", "PT15M"),
    CONSOLE_SIGN_IN_SLOW_AFTER("console.sign-in-slow-after", "3"),
    CONSOLE_SIGN_IN_DELAY("console.sign-in-delay", "PT1S"),
    CONSOLE_SWEEP_INTERVAL("console.sweep-interval", "PT10M");

    /** Environment variables with this prefix are configuration (or launcher settings). */
    public static final String ENV_PREFIX = "WHARF_";

    private final String path;
    private final String defaultValue;

    ConfigKey(String path, String defaultValue) {
        this.path = path;
        this.defaultValue = defaultValue;
    }

    /** Whether the value is a secret: error messages never repeat it. */
    public boolean secret() {
        return this == AUTH_SEALING_KEY || this == STORAGE_POSTGRES_PASSWORD || this == ENCRYPTION_MASTER_KEY;
    }

    /** Dotted kebab-case path, as written in YAML. */
    public String path() {
        return path;
    }

    /** Environment variable name: the path upper-cased, with {@code .} and {@code -} turned into {@code _}. */
    public String env() {
        return ENV_PREFIX + path.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    public Optional<String> defaultValue() {
        return Optional.ofNullable(defaultValue);
    }

    /** The key at a dotted path, if there is one. */
    public static Optional<ConfigKey> byPath(String path) {
        for (ConfigKey k : values()) {
            if (k.path.equals(path)) {
                return Optional.of(k);
            }
        }
        return Optional.empty();
    }

    /** Whether {@code prefix} names a section ({@code tls}, {@code limits}) holding keys. */
    public static boolean isSection(String prefix) {
        for (ConfigKey k : values()) {
            if (k.path.startsWith(prefix + ".")) {
                return true;
            }
        }
        return false;
    }
}
