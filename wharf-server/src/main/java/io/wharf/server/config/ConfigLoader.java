package io.wharf.server.config;

import io.wharf.core.service.Quotas;
import io.wharf.core.service.UploadLimits;
import io.wharf.server.config.WharfConfig.Limits;
import io.wharf.server.config.WharfConfig.Listen;
import io.wharf.server.config.WharfConfig.LogFormat;
import io.wharf.server.config.WharfConfig.Tls;
import io.wharf.storage.s3.S3Settings;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Builds a {@link WharfConfig} from, in rising precedence: defaults, the YAML file, {@code WHARF_*}
 * environment variables, command-line flags. The environment is passed in as a map so that tests
 * (and embedders) never depend on the real process environment.
 */
public final class ConfigLoader {
    /** Environment variables that are not configuration keys but are still ours. */
    public static final String CONFIG_ENV = "WHARF_CONFIG";
    private static final Set<String> NON_KEY_ENV = Set.of(CONFIG_ENV, "WHARF_JAVA_OPTS");
    private static final Pattern ACCOUNT = Pattern.compile("[0-9]{12}");
    private static final Pattern POSTGRES_URL = Pattern.compile("jdbc:postgresql://\\S+");
    private static final Pattern REGION = Pattern.compile("[a-z0-9]+(-[a-z0-9]+)*");

    /** A value as text plus where it came from, for error messages. */
    record Setting(String value, String origin) {
    }

    /** The configuration and what the operator should hear about it (once logging is up). */
    public record Result(WharfConfig config, List<String> warnings) {
    }

    private ConfigLoader() {
    }

    /**
     * @param file  YAML file, or {@code null} for none
     * @param env   environment variables; only {@code WHARF_*} names are looked at
     * @param flags values from command-line flags, keyed by {@link ConfigKey#path()}
     * @throws ConfigException on an unknown key or an invalid value
     */
    public static Result load(Path file, Map<String, String> env, Map<String, String> flags) {
        Map<ConfigKey, Setting> settings = new EnumMap<>(ConfigKey.class);
        for (ConfigKey k : ConfigKey.values()) {
            k.defaultValue().ifPresent(v -> settings.put(k, new Setting(v, "default")));
        }
        if (file != null) {
            YamlSource.read(file, settings);
        }
        List<String> warnings = applyEnv(env, settings);
        applyFlags(flags, settings);
        return new Result(bind(settings), List.copyOf(warnings));
    }

    /** A size as the configuration writes it ({@code 4194304}, {@code 64MiB}); IllegalArgumentException with the reason. */
    public static long parseSize(String text) {
        return Values.size(text.strip());
    }

    private static List<String> applyEnv(Map<String, String> env, Map<ConfigKey, Setting> settings) {
        Map<String, ConfigKey> byEnv = new TreeMap<>();
        for (ConfigKey k : ConfigKey.values()) {
            byEnv.put(k.env(), k);
        }
        List<String> ignored = new ArrayList<>();
        for (Map.Entry<String, String> e : new TreeMap<>(env).entrySet()) {
            String name = e.getKey();
            if (!name.startsWith(ConfigKey.ENV_PREFIX) || NON_KEY_ENV.contains(name)) {
                continue;
            }
            ConfigKey key = byEnv.get(name);
            if (key == null) {
                ignored.add(name);
            } else if (!e.getValue().isEmpty()) { // VAR= (as compose files write it) means unset
                settings.put(key, new Setting(e.getValue(), "environment variable " + name));
            }
        }
        // one line, so that a typo is visible but other tools' WHARF_* variables are not noisy
        return ignored.isEmpty() ? List.of()
                : List.of("ignoring environment variables that are not settings: " + String.join(", ", ignored));
    }

    private static void applyFlags(Map<String, String> flags, Map<ConfigKey, Setting> settings) {
        flags.forEach((path, value) -> {
            ConfigKey key = ConfigKey.byPath(path)
                    .orElseThrow(() -> new IllegalArgumentException("not a configuration key: " + path));
            if (value != null) {
                settings.put(key, new Setting(value, "option --" + path));
            }
        });
    }

    /** The configuration file a command names: its {@code --config} flag, else {@code WHARF_CONFIG}, else none. */
    public static Path configFile(Path flag, Map<String, String> env) {
        if (flag != null) {
            return flag;
        }
        String fromEnv = env.get(CONFIG_ENV);
        return fromEnv == null || fromEnv.isBlank() ? null : Path.of(fromEnv);
    }

    private static WharfConfig bind(Map<ConfigKey, Setting> s) {
        Binder b = new Binder(s);
        Limits limits = new Limits(
                (int) b.size(ConfigKey.LIMITS_MAX_MANIFEST_BYTES, 1, Integer.MAX_VALUE),
                b.size(ConfigKey.LIMITS_MAX_BLOB_BYTES, 1, Long.MAX_VALUE),
                (int) b.integer(ConfigKey.LIMITS_MAX_PAGE_SIZE, 1, Integer.MAX_VALUE),
                b.duration(ConfigKey.LIMITS_UPLOAD_TIMEOUT, false),
                (int) b.integer(ConfigKey.LIMITS_MAX_NAME_LENGTH, 1, 4096),
                b.size(ConfigKey.LIMITS_ERROR_DRAIN_BYTES, 0, Long.MAX_VALUE),
                b.duration(ConfigKey.LIMITS_IDLE_TIMEOUT, false),
                new UploadLimits(b.duration(ConfigKey.LIMITS_UPLOAD_MAX_LIFETIME, false),
                        (int) b.integer(ConfigKey.LIMITS_MAX_OPEN_UPLOADS_PER_PRINCIPAL, 1, Integer.MAX_VALUE),
                        (int) b.integer(ConfigKey.LIMITS_MAX_OPEN_UPLOADS, 1, Integer.MAX_VALUE)),
                maxInflightManifestBytes(b),
                b.size(ConfigKey.LIMITS_MIN_REQUEST_DATA_RATE, 0, Long.MAX_VALUE),
                throttling(b, s));
        return new WharfConfig(
                b.listen(ConfigKey.LISTEN),
                b.path(ConfigKey.DATA),
                b.matching(ConfigKey.ACCOUNT, ACCOUNT, "must be 12 digits, e.g. 000000000000"),
                b.matching(ConfigKey.REGION, REGION, "must be lower-case letters, digits and dashes, e.g. us-east-1"),
                b.choice(ConfigKey.LOG_FORMAT, LogFormat.class),
                tls(b, s),
                limits,
                b.bool(ConfigKey.AUTOMATIC_MOUNT),
                b.duration(ConfigKey.SHUTDOWN_TIMEOUT, true),
                b.duration(ConfigKey.IDLE_GC_AFTER, true),
                auth(b, s),
                ecr(b),
                new WharfConfig.Integrity(b.duration(ConfigKey.INTEGRITY_SCRUB_PERIOD, true),
                        b.size(ConfigKey.INTEGRITY_SCRUB_RATE, 1, Long.MAX_VALUE), b.bool(ConfigKey.INTEGRITY_VERIFY_ON_READ)),
                new WharfConfig.Events(b.duration(ConfigKey.EVENTS_POLL_INTERVAL, false),
                        b.duration(ConfigKey.EVENTS_RETENTION, false),
                        (int) b.integer(ConfigKey.EVENTS_BATCH_SIZE, 1, 10_000), b.bool(ConfigKey.EVENTS_LOG)),
                jobs(b),
                new WharfConfig.Lifecycle(b.duration(ConfigKey.LIFECYCLE_INTERVAL, true)),
                new WharfConfig.Gc(b.duration(ConfigKey.GC_INTERVAL, true), b.duration(ConfigKey.GC_GRACE_PERIOD, true),
                        b.duration(ConfigKey.GC_ORPHAN_MIN_AGE, true),
                        b.integer(ConfigKey.GC_MAX_DELETIONS_PER_SECOND, 0, Long.MAX_VALUE)),
                storage(b, s), blobs(b, s), vulndb(b, s), scanning(b), remote(b), replication(b, s), pullThrough(b),
                audit(b), usage(b), webhooks(b), metrics(b, s), insight(b), console(b),
                new WharfConfig.Gallery((int) b.integer(ConfigKey.GALLERY_PAGE_SIZE, 1, 1000),
                        (int) b.integer(ConfigKey.GALLERY_TAGS_PER_REPOSITORY, 0, 100)),
                new WharfConfig.SignatureSettings(Optional.ofNullable(optional(b, s, ConfigKey.SIGNATURES_TRUSTED_ROOT))
                        .map(Path::of)));
    }

    private static WharfConfig.Console console(Binder b) {
        return new WharfConfig.Console(b.bool(ConfigKey.CONSOLE_ENABLED),
                b.duration(ConfigKey.CONSOLE_SESSION_IDLE_TIMEOUT, false),
                b.duration(ConfigKey.CONSOLE_SESSION_MAX_AGE, false),
                (int) b.integer(ConfigKey.CONSOLE_PAGE_SIZE, 1, 1000), signInThrottle(b),
                b.duration(ConfigKey.CONSOLE_SWEEP_INTERVAL, true));
    }

    private static WharfConfig.SignInThrottle signInThrottle(Binder b) {
        Duration delay = b.duration(ConfigKey.CONSOLE_SIGN_IN_DELAY, true);
        if (delay.compareTo(WharfConfig.SignInThrottle.MAX_DELAY) > 0) {
            throw b.invalid(ConfigKey.CONSOLE_SIGN_IN_DELAY, "must be at most " + WharfConfig.SignInThrottle.MAX_DELAY);
        }
        return new WharfConfig.SignInThrottle((int) b.integer(ConfigKey.CONSOLE_SIGN_IN_MAX_FAILURES, 1, 1000),
                (int) b.integer(ConfigKey.CONSOLE_SIGN_IN_MAX_ADDRESS_FAILURES, 1, 100_000),
                b.duration(ConfigKey.CONSOLE_SIGN_IN_WINDOW, false),
                (int) b.integer(ConfigKey.CONSOLE_SIGN_IN_SLOW_AFTER, 1, 1000), delay);
    }

    private static io.wharf.core.usage.UsageSettings usage(Binder b) {
        return new io.wharf.core.usage.UsageSettings(b.duration(ConfigKey.USAGE_FLUSH_INTERVAL, false),
                b.choice(ConfigKey.USAGE_PULL_EVENTS, io.wharf.core.usage.PullEvents.class), b.ratio(ConfigKey.USAGE_WARN_RATIO),
                b.size(ConfigKey.USAGE_STORAGE_QUOTA_BYTES, 0, Long.MAX_VALUE),
                (int) b.integer(ConfigKey.USAGE_METER_REPOSITORIES, 0, 10_000), b.duration(ConfigKey.USAGE_METER_CACHE, true));
    }

    private static WharfConfig.Remote remote(Binder b) {
        return new WharfConfig.Remote(b.duration(ConfigKey.REMOTE_CONNECT_TIMEOUT, false),
                b.duration(ConfigKey.REMOTE_TIMEOUT, false),
                (int) b.size(ConfigKey.REMOTE_MAX_MANIFEST_BYTES, 1, Integer.MAX_VALUE - 8),
                (int) b.size(ConfigKey.REMOTE_MAX_RESPONSE_BYTES, 1024, Integer.MAX_VALUE - 8),
                (int) b.integer(ConfigKey.REMOTE_MAX_REDIRECTS, 0, 20));
    }

    private static WharfConfig.Webhooks webhooks(Binder b) {
        Duration initial = b.duration(ConfigKey.WEBHOOKS_INITIAL_BACKOFF, true);
        Duration max = b.duration(ConfigKey.WEBHOOKS_MAX_BACKOFF, true);
        if (max.compareTo(initial) < 0) {
            throw new ConfigException("webhooks.max-backoff (" + max + ") must be at least webhooks.initial-backoff (" + initial + ")");
        }
        Duration timeout = b.duration(ConfigKey.WEBHOOKS_TIMEOUT, false);
        Duration first = b.settings().containsKey(ConfigKey.WEBHOOKS_FIRST_ATTEMPT_TIMEOUT)
                ? b.duration(ConfigKey.WEBHOOKS_FIRST_ATTEMPT_TIMEOUT, false)
                : io.wharf.core.webhook.WebhookSettings.firstTimeout(timeout);
        if (first.compareTo(timeout) > 0) {
            throw b.invalid(ConfigKey.WEBHOOKS_FIRST_ATTEMPT_TIMEOUT, "must be at most webhooks.timeout (" + timeout + ")");
        }
        io.wharf.core.webhook.WebhookSettings sender = new io.wharf.core.webhook.WebhookSettings(timeout, initial, max,
                (int) b.integer(ConfigKey.WEBHOOKS_MAX_ATTEMPTS, 1, 100),
                (int) b.integer(ConfigKey.WEBHOOKS_CONCURRENCY, 1, 1024),
                (int) b.integer(ConfigKey.WEBHOOKS_MAX_IN_FLIGHT_PER_SUBSCRIPTION, 1, 1024),
                b.duration(ConfigKey.WEBHOOKS_RETENTION, false), first);
        return new WharfConfig.Webhooks(b.bool(ConfigKey.WEBHOOKS_ENABLED), b.duration(ConfigKey.WEBHOOKS_INTERVAL, false), sender);
    }

    private static WharfConfig.PullThrough pullThrough(Binder b) {
        return new WharfConfig.PullThrough(b.duration(ConfigKey.PULL_THROUGH_TAG_REFRESH, true),
                b.duration(ConfigKey.PULL_THROUGH_RULES_CACHE, true),
                (int) b.integer(ConfigKey.PULL_THROUGH_MAX_RULES, 1, 10_000),
                b.duration(ConfigKey.PULL_THROUGH_IMPORT_DELAY, true));
    }

    private static WharfConfig.Audit audit(Binder b) {
        return new WharfConfig.Audit(b.bool(ConfigKey.AUDIT_ENABLED), b.fraction(ConfigKey.AUDIT_READ_SAMPLE_RATE),
                b.duration(ConfigKey.AUDIT_RETENTION, false), b.duration(ConfigKey.AUDIT_RETENTION_INTERVAL, false),
                (int) b.integer(ConfigKey.AUDIT_QUEUE_CAPACITY, 1, 10_000_000),
                (int) b.integer(ConfigKey.AUDIT_BATCH_SIZE, 1, 100_000), b.duration(ConfigKey.AUDIT_MAX_DELAY, true),
                (int) b.integer(ConfigKey.AUDIT_MAX_VALUE_CHARS, 64, 16 << 20));
    }

    private static WharfConfig.Metrics metrics(Binder b, Map<ConfigKey, Setting> s) {
        WharfConfig.MetricsAccess resolved = b.choice(ConfigKey.METRICS_ACCESS, WharfConfig.MetricsAccess.class);
        String listen = b.optional(s, ConfigKey.METRICS_LISTEN);
        String token = b.optional(s, ConfigKey.METRICS_TOKEN_FILE);
        if (resolved == WharfConfig.MetricsAccess.TOKEN && token == null) {
            throw b.invalid(ConfigKey.METRICS_ACCESS, ConfigKey.METRICS_TOKEN_FILE.path() + " is not set");
        }
        return new WharfConfig.Metrics(b.bool(ConfigKey.METRICS_ENABLED),
                listen == null ? Optional.empty() : Optional.of(b.listen(ConfigKey.METRICS_LISTEN)), resolved,
                token == null ? Optional.empty() : Optional.of(b.readableFile(ConfigKey.METRICS_TOKEN_FILE)),
                b.bool(ConfigKey.METRICS_REPOSITORY_LABELS),
                (int) b.integer(ConfigKey.METRICS_MAX_REPOSITORY_LABELS, 0, 100_000));
    }

    private static WharfConfig.Scanning scanning(Binder b) {
        return new WharfConfig.Scanning(b.bool(ConfigKey.SCANNING_ENABLED), b.bool(ConfigKey.SCANNING_SBOM),
                b.size(ConfigKey.SCANNING_MAX_IMAGE_BYTES, 1, Long.MAX_VALUE),
                b.size(ConfigKey.SCANNING_MAX_FILE_BYTES, 1, Long.MAX_VALUE),
                b.size(ConfigKey.SCANNING_MAX_LAYER_BYTES, 1, Long.MAX_VALUE),
                b.duration(ConfigKey.SCANNING_INTERVAL, false),
                (int) b.integer(ConfigKey.SCANNING_MANUAL_SCANS_PER_DAY, 0, 1_000_000),
                b.duration(ConfigKey.SCANNING_CLAIM_LEASE, false),
                (int) b.integer(ConfigKey.SCANNING_MAX_ATTEMPTS, 1, 100));
    }

    private static WharfConfig.Insight insight(Binder b) {
        return new WharfConfig.Insight(b.duration(ConfigKey.INSIGHT_INTERVAL, false),
                new io.wharf.scan.insight.InsightSettings(b.bool(ConfigKey.INSIGHT_ENABLED),
                        b.size(ConfigKey.INSIGHT_MAX_LAYER_BYTES, 1, Long.MAX_VALUE),
                        (int) b.integer(ConfigKey.INSIGHT_MAX_LAYER_ENTRIES, 1, 100_000_000),
                        b.integer(ConfigKey.INSIGHT_MAX_IMAGE_ENTRIES, 1, 1_000_000_000),
                        (int) b.integer(ConfigKey.INSIGHT_CHUNK_ENTRIES, 1, 100_000),
                        (int) b.integer(ConfigKey.INSIGHT_MAX_PAGE_SIZE, 1, 100_000),
                        io.wharf.scan.insight.InsightSettings.DEFAULTS.batchSize()));
    }

    private static WharfConfig.Replication replication(Binder b, Map<ConfigKey, Setting> s) {
        String file = optional(b, s, ConfigKey.REPLICATION_REGIONS_FILE);
        return new WharfConfig.Replication(b.duration(ConfigKey.REPLICATION_INTERVAL, false),
                (int) b.integer(ConfigKey.REPLICATION_MAX_ATTEMPTS, 1, 100),
                b.duration(ConfigKey.REPLICATION_CLAIM_LEASE, false),
                b.duration(ConfigKey.REPLICATION_BACKOFF, false),
                b.duration(ConfigKey.REPLICATION_MAX_BACKOFF, false),
                (int) b.integer(ConfigKey.REPLICATION_PARALLELISM, 1, 256),
                b.bool(ConfigKey.REPLICATION_BACKFILL_ON_NEW_RULE),
                file == null ? Map.of() : ReplicationRegionsFile.read(Path.of(file)));
    }

    private static WharfConfig.VulnDb vulndb(Binder b, Map<ConfigKey, Setting> s) {
        String dir = optional(b, s, ConfigKey.VULNDB_WATCH_DIR);
        return new WharfConfig.VulnDb(Optional.ofNullable(dir).map(Path::of), b.duration(ConfigKey.VULNDB_WATCH_INTERVAL, false),
                b.size(ConfigKey.VULNDB_MAX_FILE_BYTES, 1, Long.MAX_VALUE),
                b.size(ConfigKey.VULNDB_MAX_RECORD_BYTES, 1, Integer.MAX_VALUE - 8),
                (int) b.integer(ConfigKey.VULNDB_MAX_ZIP_ENTRIES, 1, Integer.MAX_VALUE),
                b.size(ConfigKey.VULNDB_MAX_ZIP_BYTES, 1, Long.MAX_VALUE),
                b.integer(ConfigKey.VULNDB_MAX_RECORDS, 1, Long.MAX_VALUE));
    }

    private static WharfConfig.StorageSettings storage(Binder b, Map<ConfigKey, Setting> s) {
        if (b.choice(ConfigKey.STORAGE_METADATA, WharfConfig.Metadata.class) == WharfConfig.Metadata.SQLITE) {
            return WharfConfig.StorageSettings.sqlite();
        }
        if (!s.containsKey(ConfigKey.STORAGE_POSTGRES_URL)) {
            throw new ConfigException("storage.metadata=postgres needs " + ConfigKey.STORAGE_POSTGRES_URL.path() + " ("
                    + ConfigKey.STORAGE_POSTGRES_URL.env() + "), e.g. jdbc:postgresql://db.example:5432/wharf");
        }
        String url = b.matching(ConfigKey.STORAGE_POSTGRES_URL, POSTGRES_URL,
                "must be a JDBC URL such as jdbc:postgresql://host:5432/wharf");
        return WharfConfig.StorageSettings.postgres(new WharfConfig.Postgres(url, b.optional(s, ConfigKey.STORAGE_POSTGRES_USER),
                b.optional(s, ConfigKey.STORAGE_POSTGRES_PASSWORD),
                (int) b.integer(ConfigKey.STORAGE_POSTGRES_POOL_SIZE, 1, 1000),
                b.duration(ConfigKey.STORAGE_POSTGRES_CONNECTION_TIMEOUT, false)));
    }

    /** With a shared database every node must seal and open secrets with the same key: it comes from configuration. */
    private static WharfConfig.AuthSettings auth(Binder b, Map<ConfigKey, Setting> s) {
        boolean enabled = b.bool(ConfigKey.AUTH_ENABLED);
        Optional<WharfConfig.SealingKey> key = s.containsKey(ConfigKey.AUTH_SEALING_KEY)
                ? Optional.of(b.sealingKey(ConfigKey.AUTH_SEALING_KEY)) : Optional.empty();
        boolean shared = !"sqlite".equalsIgnoreCase(b.text(ConfigKey.STORAGE_METADATA));
        if (enabled && shared && key.isEmpty()) {
            throw new ConfigException("storage.metadata=postgres with auth.enabled=true needs "
                    + ConfigKey.AUTH_SEALING_KEY.path() + " (" + ConfigKey.AUTH_SEALING_KEY.env()
                    + "): the same base64 32-byte key on every node, e.g. from `openssl rand -base64 32`");
        }
        return new WharfConfig.AuthSettings(enabled, b.duration(ConfigKey.AUTH_TOKEN_TTL, false), key,
                b.duration(ConfigKey.AUTH_JWKS_CACHE_TTL, false));
    }

    /** {@code encryption.*}: whether AES256 repositories are encrypted, and the master key when not kept in a file. */
    private static WharfConfig.AtRest atRest(Binder b, Map<ConfigKey, Setting> s) {
        String aes256 = b.text(ConfigKey.ENCRYPTION_AES256);
        if (!aes256.equals("plain") && !aes256.equals("encrypt")) {
            throw b.invalid(ConfigKey.ENCRYPTION_AES256, "must be plain or encrypt");
        }
        Optional<WharfConfig.SealingKey> master = s.containsKey(ConfigKey.ENCRYPTION_MASTER_KEY)
                ? Optional.of(b.sealingKey(ConfigKey.ENCRYPTION_MASTER_KEY)) : Optional.empty();
        return new WharfConfig.AtRest(aes256.equals("encrypt"), master);
    }

    /** {@code storage.blobs} and, for S3, {@code storage.s3.*}: a bucket is required, the rest has defaults. */
    private static WharfConfig.Blobs blobs(Binder b, Map<ConfigKey, Setting> s) {
        if (b.choice(ConfigKey.STORAGE_BLOBS, WharfConfig.BlobBackend.class) == WharfConfig.BlobBackend.FILESYSTEM) {
            return new WharfConfig.Blobs(WharfConfig.BlobBackend.FILESYSTEM, Optional.empty(), atRest(b, s));
        }
        if (!s.containsKey(ConfigKey.STORAGE_S3_BUCKET) || b.text(ConfigKey.STORAGE_S3_BUCKET).isEmpty()) {
            throw new ConfigException("storage.blobs is s3, but no bucket is set: set " + ConfigKey.STORAGE_S3_BUCKET.path()
                    + " (" + ConfigKey.STORAGE_S3_BUCKET.env() + ")");
        }
        S3Settings.Sse sse;
        try {
            sse = S3Settings.Sse.parse(b.text(ConfigKey.STORAGE_S3_SSE));
        } catch (IllegalArgumentException e) {
            throw b.invalid(ConfigKey.STORAGE_S3_SSE, "must be none, AES256 or aws:kms");
        }
        try {
            return new WharfConfig.Blobs(WharfConfig.BlobBackend.S3, Optional.of(new S3Settings(
                    b.text(ConfigKey.STORAGE_S3_BUCKET), optional(b, s, ConfigKey.STORAGE_S3_PREFIX),
                    s.containsKey(ConfigKey.STORAGE_S3_REGION) ? b.text(ConfigKey.STORAGE_S3_REGION) : b.text(ConfigKey.REGION),
                    s.containsKey(ConfigKey.STORAGE_S3_ENDPOINT) ? b.endpoint(ConfigKey.STORAGE_S3_ENDPOINT) : null,
                    b.bool(ConfigKey.STORAGE_S3_PATH_STYLE), optional(b, s, ConfigKey.STORAGE_S3_ACCESS_KEY_ID),
                    optional(b, s, ConfigKey.STORAGE_S3_SECRET_ACCESS_KEY), sse, optional(b, s, ConfigKey.STORAGE_S3_KMS_KEY_ID),
                    b.size(ConfigKey.STORAGE_S3_PART_SIZE, S3Settings.MIN_PART_SIZE, S3Settings.MAX_PART_SIZE),
                    b.bool(ConfigKey.STORAGE_S3_REDIRECT), b.duration(ConfigKey.STORAGE_S3_PRESIGN_TTL, false))));
        } catch (IllegalArgumentException e) {
            throw new ConfigException("invalid S3 settings: " + e.getMessage());
        }
    }

    private static String optional(Binder b, Map<ConfigKey, Setting> s, ConfigKey k) {
        return s.containsKey(k) && !b.text(k).isEmpty() ? b.text(k) : null;
    }

    private static WharfConfig.Ecr ecr(Binder b) {
        Quotas quotas = new Quotas(
                b.integer(ConfigKey.QUOTAS_REPOSITORIES_PER_REGISTRY, 1, Long.MAX_VALUE),
                b.integer(ConfigKey.QUOTAS_IMAGES_PER_REPOSITORY, 1, Long.MAX_VALUE),
                (int) b.integer(ConfigKey.QUOTAS_TAGS_PER_IMAGE, 1, Integer.MAX_VALUE),
                (int) b.integer(ConfigKey.QUOTAS_RESOURCE_TAGS_PER_REPOSITORY, 0, Integer.MAX_VALUE),
                b.size(ConfigKey.QUOTAS_MAX_LAYER_SIZE, 1, Long.MAX_VALUE),
                b.size(ConfigKey.QUOTAS_MIN_PART_SIZE, 1, Integer.MAX_VALUE),
                b.size(ConfigKey.QUOTAS_MAX_PART_SIZE, 1, Integer.MAX_VALUE),
                (int) b.integer(ConfigKey.QUOTAS_MAX_PARTS_PER_UPLOAD, 1, Integer.MAX_VALUE),
                (int) b.integer(ConfigKey.QUOTAS_MAX_POLICY_SIZE, 1, Integer.MAX_VALUE),
                (int) b.integer(ConfigKey.QUOTAS_MAX_LIFECYCLE_POLICY_SIZE, 1, Integer.MAX_VALUE));
        int maxRequest = (int) b.size(ConfigKey.ECR_MAX_REQUEST_BYTES, 1024, Integer.MAX_VALUE);
        int maxInflight = (int) b.size(ConfigKey.ECR_MAX_INFLIGHT_REQUEST_BYTES, 1024, Integer.MAX_VALUE);
        if (maxInflight < maxRequest) {
            throw b.invalid(ConfigKey.ECR_MAX_INFLIGHT_REQUEST_BYTES, "must be at least "
                    + ConfigKey.ECR_MAX_REQUEST_BYTES.path() + " (" + maxRequest + " bytes)");
        }
        return new WharfConfig.Ecr(b.bool(ConfigKey.REPOSITORIES_CREATE_ON_PUSH), maxRequest, maxInflight, quotas);
    }

    /** Request rates; operation names in {@code throttling.rates} are checked against the ECR API's at wiring. */
    private static WharfConfig.Throttling throttling(Binder b, Map<ConfigKey, Setting> s) {
        String rates = b.optional(s, ConfigKey.THROTTLING_RATES);
        return new WharfConfig.Throttling(b.bool(ConfigKey.THROTTLING_ENABLED), b.positive(ConfigKey.THROTTLING_MULTIPLIER),
                rates == null ? Map.of() : b.rates(ConfigKey.THROTTLING_RATES));
    }

    /** At least one manifest of the largest size must fit, or no manifest push could ever succeed. */
    private static int maxInflightManifestBytes(Binder b) {
        int maxManifest = (int) b.size(ConfigKey.LIMITS_MAX_MANIFEST_BYTES, 1, Integer.MAX_VALUE);
        int inflight = (int) b.size(ConfigKey.LIMITS_MAX_INFLIGHT_MANIFEST_BYTES, 1, Integer.MAX_VALUE);
        if (inflight < maxManifest) {
            throw b.invalid(ConfigKey.LIMITS_MAX_INFLIGHT_MANIFEST_BYTES, "must be at least "
                    + ConfigKey.LIMITS_MAX_MANIFEST_BYTES.path() + " (" + maxManifest + " bytes)");
        }
        return inflight;
    }

    /** Leases are renewed at polls: a lease must outlast a third of itself plus a poll, so at least three polls. */
    private static WharfConfig.Jobs jobs(Binder b) {
        Duration lease = b.duration(ConfigKey.JOBS_LEASE_DURATION, false);
        Duration poll = b.duration(ConfigKey.JOBS_POLL_INTERVAL, false);
        if (lease.compareTo(poll.multipliedBy(3)) < 0) {
            throw b.invalid(ConfigKey.JOBS_LEASE_DURATION, "must be at least three times "
                    + ConfigKey.JOBS_POLL_INTERVAL.path() + " (" + poll + "): leases are renewed when the scheduler polls");
        }
        return new WharfConfig.Jobs(lease, poll);
    }

    private static Optional<Tls> tls(Binder b, Map<ConfigKey, Setting> s) {
        boolean cert = s.containsKey(ConfigKey.TLS_CERT_FILE);
        boolean key = s.containsKey(ConfigKey.TLS_KEY_FILE);
        if (!cert && !key) {
            return Optional.empty();
        }
        if (cert != key) {
            ConfigKey missing = cert ? ConfigKey.TLS_KEY_FILE : ConfigKey.TLS_CERT_FILE;
            throw new ConfigException("TLS needs both tls.cert-file and tls.key-file; " + missing.path()
                    + " (" + missing.env() + ") is not set");
        }
        return Optional.of(new Tls(b.readableFile(ConfigKey.TLS_CERT_FILE), b.readableFile(ConfigKey.TLS_KEY_FILE)));
    }

    /** Parses settings into typed values; every failure names the key, the value and its origin. */
    private record Binder(Map<ConfigKey, Setting> settings) {

        private String text(ConfigKey k) {
            return settings.get(k).value().strip();
        }

        private ConfigException invalid(ConfigKey k, String why) {
            Setting s = settings.get(k);
            String shown = k.secret() ? "(hidden)" : "'" + s.value() + "'";
            return new ConfigException("invalid " + k.path() + " " + shown + " (from " + s.origin() + "): " + why);
        }

        String optional(Map<ConfigKey, Setting> s, ConfigKey k) {
            return s.containsKey(k) && !text(k).isEmpty() ? text(k) : null;
        }

        WharfConfig.SealingKey sealingKey(ConfigKey k) {
            byte[] bytes;
            try {
                bytes = java.util.Base64.getDecoder().decode(text(k));
            } catch (IllegalArgumentException e) {
                throw invalid(k, "not base64");
            }
            if (bytes.length != WharfConfig.SealingKey.BYTES) {
                throw invalid(k, "must be base64 of " + WharfConfig.SealingKey.BYTES + " bytes, not " + bytes.length
                        + " (make one with `openssl rand -base64 32`)");
            }
            return new WharfConfig.SealingKey(bytes);
        }

        Listen listen(ConfigKey k) {
            try {
                return Values.listen(text(k));
            } catch (IllegalArgumentException e) {
                throw invalid(k, e.getMessage());
            }
        }

        Path path(ConfigKey k) {
            String t = text(k);
            if (t.isEmpty()) {
                throw invalid(k, "must not be empty");
            }
            try {
                return Path.of(t).toAbsolutePath().normalize();
            } catch (RuntimeException e) {
                throw invalid(k, "not a valid path");
            }
        }

        URI endpoint(ConfigKey k) {
            try {
                URI uri = new URI(text(k));
                if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
                    throw invalid(k, "must be an http or https URL, e.g. https://s3.example.com:9000");
                }
                return uri;
            } catch (URISyntaxException e) {
                throw invalid(k, "not a URL");
            }
        }

        Path readableFile(ConfigKey k) {
            Path p = path(k);
            if (!Files.isRegularFile(p) || !Files.isReadable(p)) {
                throw invalid(k, "no readable file at " + p);
            }
            return p;
        }

        String matching(ConfigKey k, Pattern pattern, String rule) {
            String t = text(k);
            if (!pattern.matcher(t).matches()) {
                throw invalid(k, rule);
            }
            return t;
        }

        <E extends Enum<E>> E choice(ConfigKey k, Class<E> type) {
            try {
                return Enum.valueOf(type, text(k).toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw invalid(k, "must be one of " + Values.names(type));
            }
        }

        /** A share in (0, 1]. */
        double ratio(ConfigKey k) {
            double v;
            try {
                v = Double.parseDouble(text(k));
            } catch (NumberFormatException e) {
                throw invalid(k, "not a number");
            }
            if (!(v > 0 && v <= 1)) {
                throw invalid(k, "must be more than 0 and at most 1");
            }
            return v;
        }

        /** A number more than 0. */
        double positive(ConfigKey k) {
            double v;
            try {
                v = Double.parseDouble(text(k));
            } catch (NumberFormatException e) {
                throw invalid(k, "not a number");
            }
            if (!(v > 0) || Double.isInfinite(v)) {
                throw invalid(k, "must be more than 0");
            }
            return v;
        }

        Map<String, io.wharf.server.http.RateQuota> rates(ConfigKey k) {
            try {
                return io.wharf.server.http.RateQuota.parseList(text(k));
            } catch (IllegalArgumentException e) {
                throw invalid(k, e.getMessage());
            }
        }

        boolean bool(ConfigKey k) {
            return switch (text(k).toLowerCase(Locale.ROOT)) {
                case "true" -> true;
                case "false" -> false;
                default -> throw invalid(k, "must be true or false");
            };
        }

        long integer(ConfigKey k, long min, long max) {
            long v;
            try {
                v = Long.parseLong(text(k));
            } catch (NumberFormatException e) {
                throw invalid(k, "not a whole number");
            }
            return inRange(k, v, min, max);
        }

        /** A number from 0.0 to 1.0 (a share, a sampling rate). */
        double fraction(ConfigKey k) {
            double v;
            try {
                v = Double.parseDouble(text(k));
            } catch (NumberFormatException e) {
                throw invalid(k, "not a number");
            }
            if (!(v >= 0.0 && v <= 1.0)) {
                throw invalid(k, "must be between 0.0 and 1.0");
            }
            return v;
        }

        long size(ConfigKey k, long min, long max) {
            try {
                return inRange(k, Values.size(text(k)), min, max);
            } catch (IllegalArgumentException e) {
                throw invalid(k, e.getMessage());
            }
        }

        Duration duration(ConfigKey k, boolean zeroAllowed) {
            Duration d;
            try {
                d = Values.duration(text(k));
            } catch (IllegalArgumentException e) {
                throw invalid(k, e.getMessage());
            }
            if (d.isNegative() || (!zeroAllowed && d.isZero())) {
                throw invalid(k, zeroAllowed ? "must not be negative" : "must be positive");
            }
            return d;
        }

        private long inRange(ConfigKey k, long v, long min, long max) {
            if (v < min || v > max) {
                throw invalid(k, "must be between " + min + " and " + max);
            }
            return v;
        }
    }
}
