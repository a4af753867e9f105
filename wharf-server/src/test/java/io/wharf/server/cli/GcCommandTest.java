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
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code wharf gc} and {@code wharf gc --dry-run} on a data directory, without and beside a running server. */
class GcCommandTest {
    /** Short enough to wait out in a test, long enough that a run's own scheduling does not make anything due. */
    private static final Map<String, String> ENV = Map.of("WHARF_GC_GRACE_PERIOD", "300ms", "WHARF_GC_ORPHAN_MIN_AGE", "1h");

    @TempDir
    Path data;
    private WharfConfig config;
    private Digest abandoned;

    private record Run(int status, String out, String err) {
    }

    @BeforeEach
    void pushABlobNoManifestReferences() throws Exception {
        config = WharfConfig.defaults().withData(data).withListen(new WharfConfig.Listen("127.0.0.1", 0))
                .withShutdownTimeout(Duration.ofSeconds(2))
                .withJobs(new WharfConfig.Jobs(Duration.ofSeconds(30), Duration.ofMillis(100)))
                .withGc(new WharfConfig.Gc(Duration.ZERO, Duration.ofMillis(300), Duration.ofHours(1)));
        Backend backend = Wiring.open(config, ENV, new PrintWriter(new StringWriter(), true));
        Application app = Application.start(config, backend, r -> Wiring.api(r, config, backend.auth()));
        byte[] bytes = "abandoned by a push that never sent its manifest".getBytes(StandardCharsets.UTF_8);
        abandoned = Digest.sha256Of(bytes);
        backend.registry().uploads().putMonolithic(new RepoKey(config.account(), RepositoryName.parse("app")), "test", abandoned,
                (long) bytes.length, BodySource.of(bytes));
        app.stop();
    }

    private Application serve() throws Exception {
        Backend backend = Wiring.open(config, ENV, new PrintWriter(new StringWriter(), true));
        return Application.start(config, backend, r -> Wiring.api(r, config, backend.auth()));
    }

    private Run gc(String... args) {
        String[] all = new String[args.length + 3];
        all[0] = "gc";
        System.arraycopy(args, 0, all, 1, args.length);
        all[args.length + 1] = "--data";
        all[args.length + 2] = data.toString();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = WharfCommand.execute(ENV, new PrintWriter(out), new PrintWriter(err), all);
        return new Run(status, out.toString(), err.toString());
    }

    @Test
    void aDryRunListsWhatARunDeletesAndARunDeletesIt() throws Exception {
        Run first = gc("--dry-run");
        assertThat(first.status()).as(first.err()).isZero();
        assertThat(first.out()).contains("would delete 0 files").contains("1 to be scheduled");

        Run schedule = gc();
        assertThat(schedule.status()).as(schedule.err()).isZero();
        assertThat(schedule.out()).contains("gc: ok: 0 blobs deleted").contains("1 newly scheduled");
        Thread.sleep(400);

        Run dry = gc("--dry-run");
        assertThat(dry.out()).contains("  " + abandoned + "  48 bytes").contains("would delete 1 files, 48 bytes");
        assertThat(gc("--dry-run").out()).as("a dry run deletes nothing").contains("would delete 1 files, 48 bytes");

        Run run = gc();
        assertThat(run.status()).as(run.err()).isZero();
        assertThat(run.out()).contains("gc: ok: 1 blobs deleted (48 bytes)");
        assertThat(data.resolve("blobs/sha256").resolve(abandoned.hex().substring(0, 2)).resolve(abandoned.hex())).doesNotExist();
        assertThat(gc("--dry-run").out()).contains("would delete 0 files, 0 bytes");
    }

    @Test
    void besideARunningServerTheServerCollectsAndTheDryRunReads() throws Exception {
        Application app = serve();
        try {
            assertThat(gc("--wait").out()).contains("gc: run requested").contains("1 newly scheduled");
            Thread.sleep(400);
            assertThat(gc("--dry-run").out()).contains("would delete 1 files, 48 bytes");
            Run run = gc("--wait");
            assertThat(run.status()).as(run.err()).isZero();
            assertThat(run.out()).contains("gc: ok: 1 blobs deleted (48 bytes)");
        } finally {
            app.stop();
        }
    }

    @Test
    void aDirectoryThatIsNoDataDirectoryIsRefused(@TempDir Path empty) {
        StringWriter err = new StringWriter();
        int status = WharfCommand.execute(ENV, new PrintWriter(new StringWriter()), new PrintWriter(err),
                "gc", "--dry-run", "--data", empty.toString());
        assertThat(status).isEqualTo(WharfCommand.EXIT_FAILURE);
        assertThat(err.toString()).contains("wharf gc: no Wharf data directory");
    }
}
