package io.wharf.server.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wharf.core.memory.InMemoryBlobStore;
import io.wharf.core.memory.InMemoryMetadataStore;
import io.wharf.core.memory.InMemoryUploadStore;
import io.wharf.core.model.RepositoryName;
import io.wharf.core.model.RepositorySettings;
import io.wharf.core.service.Registry;
import io.wharf.core.service.RepoKey;
import io.wharf.core.spi.DocumentKind;
import io.wharf.core.spi.MetadataStore;
import io.wharf.core.testing.ManualClock;
import io.wharf.server.auth.DisabledAuth;
import io.wharf.server.config.WharfConfig;
import io.wharf.server.config.WharfConfig.Listen;
import io.wharf.storage.fs.FileSystemBlobStore;
import io.wharf.storage.fs.FileSystemUploadStore;
import io.wharf.storage.jdbc.JdbcMetadataStore;
import io.wharf.storage.jdbc.SqliteMetadataStore;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.net.BindException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ApplicationTest {
    private static final WharfConfig CONFIG = WharfConfig.defaults()
            .withListen(new Listen("127.0.0.1", 0))
            .withShutdownTimeout(Duration.ofSeconds(5));

    @TempDir
    Path dir;

    private final AtomicBoolean metadataClosed = new AtomicBoolean();
    private final InMemoryBlobStore blobs = new InMemoryBlobStore();
    private final ManualClock clock = new ManualClock(Instant.now());
    private final InMemoryUploadStore uploads = new InMemoryUploadStore(blobs, clock);

    private Backend inMemoryBackend() {
        MetadataStore meta = observeClose(new InMemoryMetadataStore());
        return new Backend(new Registry(meta, blobs, uploads, CONFIG.toRegistryLimits(), clock), meta,
                new DisabledAuth(CONFIG.account(), Clock.systemUTC()));
    }

    @Test
    void servesUntilStoppedThenClosesStorage() throws Exception {
        Application app = Application.start(CONFIG, inMemoryBackend(), registry -> new EchoApi());
        WharfServer server = app.server();
        assertThat(Http.get(server.uri(), "/readyz").statusCode()).isEqualTo(200);
        assertThat(Http.get(server.uri(), "/v2/").body()).isEqualTo("api /v2/");

        app.stop();
        app.awaitStopped();
        app.stop(); // idempotent

        assertThat(metadataClosed).isTrue();
        assertThat(server.isStopping()).isTrue();
    }

    @Test
    void runsLifecyclePoliciesEveryIntervalAndNoMoreOnceStopped() throws Exception {
        Backend backend = inMemoryBackend();
        Registry registry = backend.registry();
        RepoKey key = new RepoKey(CONFIG.account(), RepositoryName.parse("life/app"));
        registry.repositories().create(key, RepositorySettings.DEFAULTS, Map.of());
        registry.repositories().putDocument(key, DocumentKind.LIFECYCLE_POLICY, "{\"rules\":[{"
                + "\"rulePriority\":1,\"selection\":{\"tagStatus\":\"any\",\"countType\":\"imageCountMoreThan\","
                + "\"countNumber\":1},\"action\":{\"type\":\"expire\"}}]}");
        Application app = Application.start(CONFIG.withLifecycle(new WharfConfig.Lifecycle(Duration.ofMillis(100))),
                backend, r -> new EchoApi());
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (registry.lifecycle().lastEvaluatedAt(key).isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(registry.lifecycle().lastEvaluatedAt(key)).contains(clock.instant());
        clock.advance(Duration.ofSeconds(1));
        while (!registry.lifecycle().lastEvaluatedAt(key).orElseThrow().equals(clock.instant())
                && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(registry.lifecycle().lastEvaluatedAt(key)).as("a second run").contains(clock.instant());
        app.stop();
        Instant last = clock.instant();
        clock.advance(Duration.ofSeconds(1));
        Thread.sleep(300);
        assertThat(registry.lifecycle().lastEvaluatedAt(key)).as("no run after stop").contains(last);
    }

    @Test
    void removesOrphanUploadsBeforeServing() throws Exception {
        uploads.create("left-by-a-crash");
        clock.advance(Duration.ofMinutes(10)); // unwritten for longer than the sweep's grace
        Application app = Application.start(CONFIG, inMemoryBackend(), registry -> new EchoApi());
        try {
            assertThat(uploads.list()).isEmpty();
        } finally {
            app.stop();
        }
    }

    /** Expired sessions of a previous run (more than one sweep batch) leave neither rows nor files after a restart. */
    @Test
    void sweepsEveryExpiredUploadOfAPreviousRunAtStartUp() throws Exception {
        WharfConfig config = CONFIG.withData(dir.resolve("expired")).withAuth(new WharfConfig.AuthSettings(false));
        Files.createDirectories(config.data());
        FileSystemBlobStore blobs = new FileSystemBlobStore(config.data());
        RepoKey repo = new RepoKey(config.account(), RepositoryName.parse("left/behind"));
        try (JdbcMetadataStore meta = SqliteMetadataStore.openExclusive(config.data())) {
            Registry yesterday = new Registry(meta, blobs, new FileSystemUploadStore(blobs), config.toRegistryLimits(),
                    new ManualClock(Instant.now().minus(Duration.ofDays(1))));
            for (int i = 0; i < 1_500; i++) {
                yesterday.uploads().start(repo, "owner-" + i % 10);
            }
        }
        Backend backend = Wiring.open(config);
        Application app = Application.start(config, backend, r -> Wiring.api(r, config, backend.auth()));
        try (Stream<Path> files = Files.list(config.data().resolve("uploads"))) {
            assertThat(files).isEmpty();
        } finally {
            app.stop();
        }
        try (JdbcMetadataStore meta = SqliteMetadataStore.openExclusive(config.data())) {
            assertThat(meta.expiredUploads(Instant.now().plus(Duration.ofDays(365)), 10)).isEmpty();
        }
    }

    @Test
    void failedStartClosesStorage() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            WharfConfig config = CONFIG.withListen(new Listen("127.0.0.1", taken.getLocalPort()));
            assertThatThrownBy(() -> Application.start(config, inMemoryBackend(), registry -> new EchoApi()))
                    .hasRootCauseInstanceOf(BindException.class);
        }
        assertThat(metadataClosed).isTrue();
    }

    /**
     * The real single-node wiring: filesystem + SQLite in the data directory, both APIs as serve wires them,
     * authentication on as by default: anonymous {@code /v2/} is challenged, the root's key is bootstrapped.
     */
    @Test
    void wiresTheDefaultStorageAndTheOciApi() throws Exception {
        WharfConfig config = CONFIG.withData(dir.resolve("data"));
        assertThat(config.auth().enabled()).isTrue();
        for (int run = 0; run < 2; run++) { // the second start reopens existing storage
            Backend backend = Wiring.open(config);
            Application app = Application.start(config, backend, r -> Wiring.api(r, config, backend.auth()));
            try {
                HttpResponse<String> v2 = Http.get(app.server().uri(), "/v2/");
                assertThat(v2.statusCode()).isEqualTo(401);
                assertThat(v2.headers().firstValue("WWW-Authenticate")).get().asString().startsWith("Basic realm=");
                assertThat(v2.headers().firstValue("Docker-Distribution-API-Version")).contains("registry/2.0");
                assertThat(Http.get(app.server().uri(), "/readyz").statusCode()).isEqualTo(200);
            } finally {
                app.stop();
            }
        }
        assertThat(Files.list(config.data()).map(p -> p.getFileName().toString()))
                .contains("blobs", "uploads", "wharf.db", "keys", "root-credentials");
    }

    @Test
    void aSecondServerOnTheSameDataDirectoryIsRefused() throws Exception {
        WharfConfig config = CONFIG.withData(dir.resolve("shared"));
        try (Backend first = Wiring.open(config)) {
            assertThatThrownBy(() -> Wiring.open(config))
                    .isInstanceOf(java.nio.file.FileSystemException.class)
                    .hasMessageContaining("another Wharf server is using this data directory");
        }
        Wiring.open(config).close(); // the lock went with the first server
    }

    /** {@code auth.enabled: false}, for local development: every request acts as the root. */
    @Test
    void withAuthenticationOffTheApiIsOpen() throws Exception {
        WharfConfig config = CONFIG.withData(dir.resolve("open")).withAuth(new WharfConfig.AuthSettings(false));
        Backend backend = Wiring.open(config);
        Application app = Application.start(config, backend, r -> Wiring.api(r, config, backend.auth()));
        try {
            assertThat(Http.get(app.server().uri(), "/v2/").statusCode()).isEqualTo(200);
        } finally {
            app.stop();
        }
        assertThat(config.data().resolve("root-credentials")).doesNotExist();
    }

    private MetadataStore observeClose(MetadataStore target) {
        return (MetadataStore) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {MetadataStore.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("close")) {
                        metadataClosed.set(true);
                    }
                    try {
                        return method.invoke(target, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }
}
