package io.wharf.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wharf.core.service.RegistryLimits;
import io.wharf.core.service.UploadLimits;
import io.wharf.server.config.WharfConfig.Listen;
import io.wharf.server.config.WharfConfig.LogFormat;
import io.wharf.server.http.RateQuota;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
    @TempDir
    Path dir;

    private Path yaml(String text) throws IOException {
        return Files.writeString(dir.resolve("wharf.yaml"), text);
    }

    private static WharfConfig load(Path file, Map<String, String> env, Map<String, String> flags) {
        return ConfigLoader.load(file, env, flags).config();
    }

    @Test
    void defaultsMatchTheDocumentedValues() {
        WharfConfig c = WharfConfig.defaults();
        assertThat(c.listen()).isEqualTo(new Listen("127.0.0.1", 5000));
        assertThat(c.data()).isEqualTo(Path.of("data").toAbsolutePath());
        assertThat(c.account()).isEqualTo("000000000000");
        assertThat(c.region()).isEqualTo("us-east-1");
        assertThat(c.logFormat()).isEqualTo(LogFormat.TEXT);
        assertThat(c.tls()).isEmpty();
        assertThat(c.automaticMount()).isTrue();
        assertThat(c.shutdownTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(c.idleGcAfter()).isEqualTo(Duration.ofSeconds(5));
        // configuration.md's documented defaults, written out: RegistryLimits.defaults() would agree with itself
        assertThat(c.toRegistryLimits()).isEqualTo(new RegistryLimits(4 << 20, 64L << 30, 10_000, Duration.ofHours(1), true,
                new UploadLimits(Duration.ofHours(6), 256, 10_000)));
        assertThat(c.limits().maxNameLength()).isEqualTo(255);
        assertThat(c.integrity()).isEqualTo(new WharfConfig.Integrity(Duration.ofDays(7), 32L << 20, false));
    }

    @Test
    void throttlingAndTheMinimumBodyRateParseFromTheFileAndTheEnvironment() throws IOException {
        WharfConfig.Limits defaults = load(null, Map.of(), Map.of()).limits();
        assertThat(defaults.throttling()).isEqualTo(new WharfConfig.Throttling(false, 1, Map.of()));
        assertThat(defaults.minRequestDataRate()).isEqualTo(1024);
        WharfConfig.Limits l = load(yaml("throttling:\n  enabled: true\n  rates: PutImage=50, BatchGetImage=0.5/3\n"
                + "limits:\n  min-request-data-rate: 0\n"), Map.of("WHARF_THROTTLING_MULTIPLIER", "2.5"), Map.of()).limits();
        assertThat(l.throttling()).isEqualTo(new WharfConfig.Throttling(true, 2.5, Map.of(
                "PutImage", new RateQuota(50, 50), "BatchGetImage", new RateQuota(0.5, 3))));
        assertThat(l.throttling().effective().get("UploadLayerPart")).isEqualTo(new RateQuota(1250, 1250));
        assertThat(l.minRequestDataRate()).isZero();
        assertThatThrownBy(() -> load(null, Map.of("WHARF_THROTTLING_RATES", "PutImage:50"), Map.of()))
                .hasMessageContaining("throttling.rates").hasMessageContaining("Operation=rate");
        assertThatThrownBy(() -> load(null, Map.of("WHARF_THROTTLING_MULTIPLIER", "0"), Map.of()))
                .hasMessageContaining("throttling.multiplier");
        assertThatThrownBy(() -> load(null, Map.of("WHARF_THROTTLING_ENABLED", "yes"), Map.of()))
                .hasMessageContaining("throttling.enabled");
    }

    @Test
    void integrityKeysParseAndZeroTurnsTheScrubOff() throws IOException {
        WharfConfig c = load(yaml("integrity:\n  scrub-period: 0\n  scrub-rate: 8MiB\n  verify-on-read: true\n"),
                Map.of(), Map.of());
        assertThat(c.integrity()).isEqualTo(new WharfConfig.Integrity(Duration.ZERO, 8L << 20, true));
        assertThat(load(null, Map.of("WHARF_INTEGRITY_SCRUB_PERIOD", "1d"), Map.of()).integrity().scrubPeriod())
                .isEqualTo(Duration.ofDays(1));
        assertThatThrownBy(() -> load(null, Map.of("WHARF_INTEGRITY_SCRUB_RATE", "0"), Map.of()))
                .hasMessageContaining("integrity.scrub-rate");
    }

    @Test
    void theJwksCacheTtlHasItsDefaultAndMustBePositive() throws IOException {
        assertThat(load(null, Map.of(), Map.of()).auth().jwksCacheTtl()).isEqualTo(Duration.ofMinutes(10));
        assertThat(load(yaml("auth:\n  jwks-cache-ttl: 1m\n"), Map.of(), Map.of()).auth().jwksCacheTtl())
                .isEqualTo(Duration.ofMinutes(1));
        assertThatThrownBy(() -> load(null, Map.of("WHARF_AUTH_JWKS_CACHE_TTL", "0"), Map.of()))
                .hasMessageContaining("auth.jwks-cache-ttl");
    }

    @Test
    void remoteKeysParseWithTheirDefaults() throws IOException {
        assertThat(load(null, Map.of(), Map.of()).remote()).isEqualTo(new WharfConfig.Remote(Duration.ofSeconds(5),
                Duration.ofSeconds(30), 4 << 20, 64 << 10, 5)).isEqualTo(WharfConfig.Remote.DEFAULTS);
        WharfConfig.Remote r = load(yaml("remote:\n  connect-timeout: PT1S\n  timeout: 2m\n  max-manifest-bytes: 1MiB\n"),
                Map.of("WHARF_REMOTE_MAX_REDIRECTS", "0", "WHARF_REMOTE_MAX_RESPONSE_BYTES", "8KiB"), Map.of()).remote();
        assertThat(r).isEqualTo(new WharfConfig.Remote(Duration.ofSeconds(1), Duration.ofMinutes(2), 1 << 20, 8 << 10, 0));
        assertThatThrownBy(() -> load(null, Map.of("WHARF_REMOTE_TIMEOUT", "0"), Map.of()))
                .hasMessageContaining("remote.timeout");
        assertThatThrownBy(() -> load(null, Map.of("WHARF_REMOTE_MAX_REDIRECTS", "50"), Map.of()))
                .hasMessageContaining("remote.max-redirects");
    }

    @Test
    void scanningKeysParseWithTheirDefaults() throws IOException {
        assertThat(load(null, Map.of(), Map.of()).scanning()).isEqualTo(new WharfConfig.Scanning(true, true, 2L << 30,
                64L << 20, 8L << 30, Duration.ofSeconds(2), 1, Duration.ofMinutes(10), 3));
        WharfConfig.Scanning c = load(yaml("scanning:\n  enabled: false\n  sbom: false\n  max-image-bytes: 1GiB\n"
                + "  manual-scans-per-day: 0\n  interval: PT5S\n"), Map.of("WHARF_SCANNING_MAX_ATTEMPTS", "5"), Map.of()).scanning();
        assertThat(c.enabled()).isFalse();
        assertThat(c.sbom()).isFalse();
        assertThat(c.maxImageBytes()).isEqualTo(1L << 30);
        assertThat(c.manualScansPerDay()).isZero();
        assertThat(c.interval()).isEqualTo(Duration.ofSeconds(5));
        assertThat(c.maxAttempts()).isEqualTo(5);
        assertThatThrownBy(() -> load(null, Map.of("WHARF_SCANNING_MAX_ATTEMPTS", "0"), Map.of()))
                .hasMessageContaining("scanning.max-attempts");
    }

    @Test
    void eventKeysParseWithTheirDefaults() throws IOException {
        assertThat(load(null, Map.of(), Map.of()).events())
                .isEqualTo(new WharfConfig.Events(Duration.ofSeconds(1), Duration.ofDays(7), 500, false));
        WharfConfig c = load(yaml("events:\n  poll-interval: 200ms\n  retention: 1h\n  batch-size: 10\n  log: true\n"),
                Map.of(), Map.of());
        assertThat(c.events()).isEqualTo(new WharfConfig.Events(Duration.ofMillis(200), Duration.ofHours(1), 10, true));
        assertThatThrownBy(() -> load(null, Map.of("WHARF_EVENTS_POLL_INTERVAL", "0"), Map.of()))
                .hasMessageContaining("events.poll-interval");
        assertThatThrownBy(() -> load(null, Map.of("WHARF_EVENTS_BATCH_SIZE", "0"), Map.of()))
                .hasMessageContaining("events.batch-size");
    }

    @Test
    void jobKeysParseAndMustBePositive() throws IOException {
        assertThat(WharfConfig.defaults().jobs()).isEqualTo(new WharfConfig.Jobs(Duration.ofSeconds(30), Duration.ofSeconds(1)));
        WharfConfig c = load(yaml("jobs:\n  lease-duration: 2m\n  poll-interval: 250ms\n"), Map.of(), Map.of());
        assertThat(c.jobs()).isEqualTo(new WharfConfig.Jobs(Duration.ofMinutes(2), Duration.ofMillis(250)));
        assertThat(load(null, Map.of("WHARF_JOBS_LEASE_DURATION", "10s"), Map.of()).jobs().leaseDuration())
                .isEqualTo(Duration.ofSeconds(10));
        assertThatThrownBy(() -> load(null, Map.of("WHARF_JOBS_POLL_INTERVAL", "0"), Map.of()))
                .hasMessageContaining("jobs.poll-interval");
        assertThatThrownBy(() -> load(null, Map.of("WHARF_JOBS_LEASE_DURATION", "2s"), Map.of()))
                .hasMessageContaining("jobs.lease-duration").hasMessageContaining("three times jobs.poll-interval");
    }

    @Test
    void fileIsOverriddenByEnvironmentWhichIsOverriddenByFlags() throws IOException {
        Path file = yaml("""
                listen: 127.0.0.1:6001
                data: /srv/from-file
                region: eu-west-1
                limits:
                  max-page-size: 50
                """);
        Map<String, String> env = Map.of("WHARF_LISTEN", "127.0.0.1:6002", "WHARF_LIMITS_MAX_PAGE_SIZE", "70");
        Map<String, String> flags = new HashMap<>();
        flags.put("listen", "127.0.0.1:6003");
        flags.put("data", null); // an option not given on the command line

        WharfConfig c = load(file, env, flags);

        assertThat(c.listen().port()).isEqualTo(6003);
        assertThat(c.data()).isEqualTo(Path.of("/srv/from-file"));
        assertThat(c.region()).isEqualTo("eu-west-1");
        assertThat(c.limits().maxPageSize()).isEqualTo(70);
        assertThat(load(file, Map.of(), Map.of()).listen().port()).isEqualTo(6001);
        assertThat(load(file, env, Map.of()).listen().port()).isEqualTo(6002);
    }

    @Test
    void readsEveryKeyFromTheFile() throws IOException {
        Path cert = Files.writeString(dir.resolve("cert.pem"), "x");
        Path key = Files.writeString(dir.resolve("key.pem"), "x");
        Path file = yaml("""
                listen: "[::1]:5443"
                data: ./d
                account: 000000000042
                region: local
                log-format: json
                tls: { cert-file: %s, key-file: %s }
                limits: { max-manifest-bytes: 1MiB, max-blob-bytes: 1GiB, max-page-size: 100,
                          upload-timeout: 15m, max-name-length: 200, error-drain-bytes: 1MiB }
                automatic-mount: false
                shutdown-timeout: PT5S
                """.formatted(cert, key));

        WharfConfig c = load(file, Map.of(), Map.of());

        assertThat(c.listen()).isEqualTo(new Listen("::1", 5443));
        assertThat(c.listen()).hasToString("[::1]:5443");
        assertThat(c.account()).isEqualTo("000000000042"); // not the YAML number 42
        assertThat(c.logFormat()).isEqualTo(LogFormat.JSON);
        assertThat(c.tls()).contains(new WharfConfig.Tls(cert, key));
        assertThat(c.toRegistryLimits()).isEqualTo(
                new RegistryLimits(1 << 20, 1L << 30, 100, Duration.ofMinutes(15), false));
        assertThat(c.limits().maxNameLength()).isEqualTo(200);
        assertThat(c.limits().errorDrainBytes()).isEqualTo(1 << 20);
        assertThat(c.shutdownTimeout()).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void environmentNamesFollowTheKeyPaths() {
        assertThat(ConfigKey.TLS_CERT_FILE.env()).isEqualTo("WHARF_TLS_CERT_FILE");
        assertThat(ConfigKey.LIMITS_MAX_MANIFEST_BYTES.env()).isEqualTo("WHARF_LIMITS_MAX_MANIFEST_BYTES");
        WharfConfig c = load(null, Map.of("WHARF_AUTOMATIC_MOUNT", "false", "WHARF_LOG_FORMAT", "JSON",
                "WHARF_LIMITS_UPLOAD_TIMEOUT", "PT2H", "WHARF_SHUTDOWN_TIMEOUT", "0s", "WHARF_IDLE_GC_AFTER", "0s"), Map.of());
        assertThat(c.automaticMount()).isFalse();
        assertThat(c.logFormat()).isEqualTo(LogFormat.JSON);
        assertThat(c.limits().uploadTimeout()).isEqualTo(Duration.ofHours(2));
        assertThat(c.shutdownTimeout()).isZero();
        assertThat(c.idleGcAfter()).isZero();
    }

    @Test
    void theManifestBodyBudgetHoldsAtLeastOneLargestManifest() {
        assertThat(WharfConfig.defaults().limits().maxInflightManifestBytes()).isEqualTo(64 << 20);
        WharfConfig c = load(null, Map.of("WHARF_LIMITS_MAX_INFLIGHT_MANIFEST_BYTES", "8MiB"), Map.of());
        assertThat(c.limits().maxInflightManifestBytes()).isEqualTo(8 << 20);
        assertThatThrownBy(() -> load(null, Map.of("WHARF_LIMITS_MAX_INFLIGHT_MANIFEST_BYTES", "1MiB"), Map.of()))
                .hasMessageContaining("limits.max-inflight-manifest-bytes").hasMessageContaining("must be at least");
    }

    @Test
    void uploadLimitsReachTheDomain() {
        assertThat(WharfConfig.defaults().toRegistryLimits().uploads()).isEqualTo(new UploadLimits(Duration.ofHours(6), 256, 10_000));
        WharfConfig c = load(null, Map.of("WHARF_LIMITS_UPLOAD_MAX_LIFETIME", "3h",
                "WHARF_LIMITS_MAX_OPEN_UPLOADS_PER_PRINCIPAL", "16", "WHARF_LIMITS_MAX_OPEN_UPLOADS", "100"), Map.of());
        assertThat(c.toRegistryLimits().uploads()).isEqualTo(new UploadLimits(Duration.ofHours(3), 16, 100));
        assertThatThrownBy(() -> load(null, Map.of("WHARF_LIMITS_MAX_OPEN_UPLOADS_PER_PRINCIPAL", "0"), Map.of()))
                .hasMessageContaining("limits.max-open-uploads-per-principal");
    }

    @Test
    void emptyEnvironmentValuesCountAsUnsetAndUnknownNamesAreReported() {
        ConfigLoader.Result r = ConfigLoader.load(null,
                Map.of("WHARF_LISTEN", "", "WHARF_LISTN", "x", "WHARF_E2E_USER", "u", "WHARF_JAVA_OPTS", "-Xmx1g",
                        "WHARF_CONFIG", "", "HOME", "/root"), Map.of());
        assertThat(r.config().listen().port()).isEqualTo(5000);
        assertThat(r.warnings()).containsExactly(
                "ignoring environment variables that are not settings: WHARF_E2E_USER, WHARF_LISTN");
    }

    @Test
    void emptyFileAndEmptySectionsSetNothing() throws IOException {
        assertThat(load(yaml(""), Map.of(), Map.of())).isEqualTo(WharfConfig.defaults());
        assertThat(load(yaml("tls:\nlimits:\n"), Map.of(), Map.of())).isEqualTo(WharfConfig.defaults());
    }

    @Test
    void yamlScalarsKeepTheirText() throws IOException {
        WharfConfig c = load(yaml("listen: :5001\naccount: 012345678901\nautomatic-mount: FALSE\n"), Map.of(), Map.of());
        assertThat(c.listen()).isEqualTo(new Listen("0.0.0.0", 5001));
        assertThat(c.account()).isEqualTo("012345678901");
        assertThat(c.automaticMount()).isFalse();
    }

    @Test
    void listenAcceptsAllInterfacesShorthand() {
        assertThat(load(null, Map.of(), Map.of("listen", ":5001")).listen()).isEqualTo(new Listen("0.0.0.0", 5001));
        assertThat(load(null, Map.of(), Map.of("listen", "localhost:0")).listen()).isEqualTo(new Listen("localhost", 0));
    }

    @Test
    void unknownKeysAreRejectedWithTheirLine() throws IOException {
        Path file = yaml("listen: 127.0.0.1:5000\nlimts:\n  max-page-size: 5\n");
        assertThatThrownBy(() -> load(file, Map.of(), Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("line 2")
                .hasMessageContaining("unknown key 'limts'")
                .hasMessageContaining("limits");
    }

    @Test
    void unknownNestedKeysNameTheirSection() throws IOException {
        Path file = yaml("limits:\n  max-page-size: 5\n  max-tags: 3\n");
        assertThatThrownBy(() -> load(file, Map.of(), Map.of()))
                .hasMessageContaining("line 3")
                .hasMessageContaining("unknown key 'limits.max-tags'; known keys in limits: error-drain-bytes, idle-timeout, max-blob-bytes");
    }

    @Test
    void structuralMistakesAreExplained() throws IOException {
        assertThatThrownBy(() -> load(yaml("tls: /etc/cert.pem\n"), Map.of(), Map.of()))
                .hasMessageContaining("tls is a section; put its keys under it (cert-file, key-file)");
        assertThatThrownBy(() -> load(yaml("listen: [a, b]\n"), Map.of(), Map.of()))
                .hasMessageContaining("listen takes a single value, not a list");
        assertThatThrownBy(() -> load(yaml("data: a\ndata: b\n"), Map.of(), Map.of()))
                .hasMessageContaining("data is set twice");
        assertThatThrownBy(() -> load(yaml("- just\n- a list\n"), Map.of(), Map.of()))
                .hasMessageContaining("the top level must be a mapping");
        assertThatThrownBy(() -> load(yaml("listen: \"unclosed\n"), Map.of(), Map.of()))
                .hasMessageContaining("not valid YAML");
        assertThatThrownBy(() -> load(dir.resolve("missing.yaml"), Map.of(), Map.of()))
                .hasMessageContaining("does not exist");
    }

    @Test
    void badValuesNameTheKeyTheValueAndWhereItCameFrom() throws IOException {
        assertThatThrownBy(() -> load(null, Map.of(), Map.of("listen", "127.0.0.1:70000")))
                .isInstanceOf(ConfigException.class)
                .hasMessage("invalid listen '127.0.0.1:70000' (from option --listen): port 70000 is out of range 0-65535");
        assertThatThrownBy(() -> load(null, Map.of("WHARF_LIMITS_UPLOAD_TIMEOUT", "an hour"), Map.of()))
                .hasMessageContaining("invalid limits.upload-timeout 'an hour' (from environment variable WHARF_LIMITS_UPLOAD_TIMEOUT)")
                .hasMessageContaining("ISO-8601");
        Path file = yaml("shutdown-timeout: PT1X\n");
        assertThatThrownBy(() -> load(file, Map.of(), Map.of()))
                .hasMessageContaining("invalid shutdown-timeout 'PT1X' (from " + file + " line 1)");
    }

    @Test
    void rejectsOutOfRangeAndMalformedValues() {
        Map<String, String> bad = Map.of(
                "WHARF_LISTEN", "5000",
                "WHARF_ACCOUNT", "1234",
                "WHARF_REGION", "US East",
                "WHARF_LOG_FORMAT", "xml",
                "WHARF_AUTOMATIC_MOUNT", "yes",
                "WHARF_LIMITS_MAX_PAGE_SIZE", "0",
                "WHARF_LIMITS_MAX_MANIFEST_BYTES", "4GiB",
                "WHARF_LIMITS_UPLOAD_TIMEOUT", "0s",
                "WHARF_SHUTDOWN_TIMEOUT", "-PT1S");
        bad.forEach((name, value) -> assertThatThrownBy(() -> load(null, Map.of(name, value), Map.of()))
                .as(name)
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("(from environment variable " + name + ")"));
        assertThatThrownBy(() -> load(null, Map.of("WHARF_LISTEN", "::1:5000"), Map.of()))
                .hasMessageContaining("brackets");
    }

    @Test
    void tlsNeedsBothReadableFiles() throws IOException {
        Path cert = Files.writeString(dir.resolve("cert.pem"), "x");
        assertThatThrownBy(() -> load(null, Map.of("WHARF_TLS_CERT_FILE", cert.toString()), Map.of()))
                .hasMessageContaining("tls.key-file (WHARF_TLS_KEY_FILE) is not set");
        assertThatThrownBy(() -> load(null, Map.of("WHARF_TLS_CERT_FILE", cert.toString(),
                "WHARF_TLS_KEY_FILE", dir.resolve("nope.pem").toString()), Map.of()))
                .hasMessageContaining("invalid tls.key-file")
                .hasMessageContaining("no readable file");
    }

    @Test
    void theSignInThrottleAndSweepHaveDocumentedDefaultsAndParseFromYamlAndEnv() throws IOException {
        WharfConfig.Console d = WharfConfig.defaults().console();
        assertThat(d.signIn()).isEqualTo(new WharfConfig.SignInThrottle(5, 20, Duration.ofMinutes(15), 3,
                Duration.ofSeconds(1)));
        assertThat(d.sweepInterval()).isEqualTo(Duration.ofMinutes(10));
        WharfConfig c = load(yaml("console:\n  sign-in-max-failures: 7\n  sign-in-window: 1h\n  sign-in-delay: 0\n"),
                Map.of("WHARF_CONSOLE_SIGN_IN_MAX_ADDRESS_FAILURES", "50", "WHARF_CONSOLE_SWEEP_INTERVAL", "30s"), Map.of());
        assertThat(c.console().signIn()).isEqualTo(new WharfConfig.SignInThrottle(7, 50, Duration.ofHours(1), 3,
                Duration.ZERO));
        assertThat(c.console().sweepInterval()).isEqualTo(Duration.ofSeconds(30));
        for (String[] bad : new String[][] {{"WHARF_CONSOLE_SIGN_IN_MAX_FAILURES", "0"},
                {"WHARF_CONSOLE_SIGN_IN_WINDOW", "0s"}, {"WHARF_CONSOLE_SIGN_IN_DELAY", "11s"}}) {
            assertThatThrownBy(() -> load(null, Map.of(bad[0], bad[1]), Map.of())).as(bad[0])
                    .isInstanceOf(ConfigException.class).hasMessageContaining(bad[0]);
        }
    }
}
