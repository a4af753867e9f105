package io.wharf.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.core.model.Digest;
import io.wharf.core.model.RepositoryName;
import io.wharf.core.service.BodySource;
import io.wharf.core.service.RepoKey;
import io.wharf.server.app.Application;
import io.wharf.server.app.Backend;
import io.wharf.server.app.Wiring;
import io.wharf.server.config.WharfConfig;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code wharf gc} and {@code wharf gc --dry-run} on a data directory, without and beside a running server. */
class GcCommandTest {
    /** Short enough to wait out in a test, long enough that a run's own scheduling does not make anything due. */
    private static final Map<String, String> ENV = Map.of("WHARF_GC_GRACE_PERIOD", "300ms", "WHARF_GC_ORPHAN_MIN_AGE", "1h");

    @TempDir
    Path data;
    private WharfConfig config;
    private Digest abandoned;

    @BeforeEach
    void pushABlobNoManifestReferences() throws Exception {
        config = WharfConfig.defaults().withData(data).withListen(new WharfConfig.Listen("127.0.0.1", 0))
                .withShutdownTimeout(Duration.ofSeconds(2))
                .withJobs(new WharfConfig.Jobs(Duration.ofSeconds(30), Duration.ofMillis(100)))
                .withGc(new WharfConfig.Gc(Duration.ZERO, Duration.ofMillis(300), Duration.ofHours(1), 0));
        Backend backend = Wiring.open(config, ENV, new PrintWriter(new StringWriter(), true));
        Application app = serve(backend);
        byte[] bytes = "abandoned by a push that never sent its manifest".getBytes(StandardCharsets.UTF_8);
        abandoned = Digest.sha256Of(bytes);
        backend.registry().uploads().putMonolithic(new RepoKey(config.account(), RepositoryName.parse("app")), "test", abandoned,
                (long) bytes.length, BodySource.of(bytes));
        app.stop();
    }

    private Application serve() throws Exception {
        return serve(Wiring.open(config, ENV, new PrintWriter(new StringWriter(), true)));
    }

    private Application serve(Backend backend) throws Exception {
        return Application.start(config, backend, r -> Wiring.api(r, config, backend.auth()));
    }

    private CliRun gc(String... args) {
        return CliRun.run(ENV, data, "gc", args);
    }

    @Test
    void aDryRunListsWhatARunDeletesAndARunDeletesIt() throws Exception {
        CliRun first = gc("--dry-run");
        assertThat(first.status()).as(first.err()).isZero();
        assertThat(first.out()).contains("would delete 0 files").contains("1 to be scheduled");

        CliRun schedule = gc();
        assertThat(schedule.status()).as(schedule.err()).isZero();
        assertThat(schedule.out()).contains("gc: ok: 0 blobs deleted").contains("1 newly scheduled");
        Thread.sleep(400);

        CliRun dry = gc("--dry-run");
        assertThat(dry.out()).contains("  " + abandoned + "  48 bytes").contains("would delete 1 files, 48 bytes");
        assertThat(gc("--dry-run").out()).as("a dry run deletes nothing").contains("would delete 1 files, 48 bytes");

        CliRun run = gc();
        assertThat(run.status()).as(run.err()).isZero();
        assertThat(run.out()).contains("gc: ok: 1 blobs deleted (48 bytes)");
        assertThat(data.resolve("blobs/sha256").resolve(abandoned.hex().substring(0, 2)).resolve(abandoned.hex())).doesNotExist();
        assertThat(gc("--dry-run").out()).contains("would delete 0 files, 0 bytes");
    }

    @Test
    @Timeout(value = 2, unit = TimeUnit.MINUTES) // --wait has no limit of its own: a missed run must fail, not hang
    void besideARunningServerTheServerCollectsAndTheDryRunReads() throws Exception {
        Application app = serve();
        try {
            assertThat(gc("--wait").out()).contains("gc: run requested").contains("1 newly scheduled");
            Thread.sleep(400);
            assertThat(gc("--dry-run").out()).contains("would delete 1 files, 48 bytes");
            CliRun run = gc("--wait");
            assertThat(run.status()).as(run.err()).isZero();
            assertThat(run.out()).contains("gc: ok: 1 blobs deleted (48 bytes)");
        } finally {
            app.stop();
        }
    }

    @Test
    void aDirectoryThatIsNoDataDirectoryIsRefused(@TempDir Path empty) {
        CliRun run = CliRun.run(ENV, empty, "gc", "--dry-run");
        assertThat(run.status()).isEqualTo(WharfCommand.EXIT_FAILURE);
        assertThat(run.err()).contains("wharf gc: no Wharf data directory");
    }
}
