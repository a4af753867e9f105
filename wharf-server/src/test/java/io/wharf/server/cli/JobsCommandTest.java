package io.wharf.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.core.spi.JobRecord;
import io.wharf.core.spi.JobRecord.Outcome;
import io.wharf.server.app.Application;
import io.wharf.server.app.Backend;
import io.wharf.server.app.Wiring;
import io.wharf.server.config.WharfConfig;
import io.wharf.storage.jdbc.JdbcMetadataStore;
import io.wharf.storage.jdbc.SqliteMetadataStore;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code wharf jobs list|run} against a stopped data directory (runs here) and beside a running server (asks it). */
class JobsCommandTest {
    @TempDir
    Path data;
    private WharfConfig config;

    @BeforeEach
    void createDataDirectory() throws Exception {
        config = WharfConfig.defaults().withData(data).withListen(new WharfConfig.Listen("127.0.0.1", 0))
                .withShutdownTimeout(Duration.ofSeconds(2))
                .withJobs(new WharfConfig.Jobs(Duration.ofSeconds(30), Duration.ofMillis(100)));
        serve().stop(); // a data directory a server has run on once: its jobs are registered
    }

    private Application serve() throws Exception {
        Backend backend = Wiring.open(config, Map.of(), new PrintWriter(new StringWriter(), true));
        return Application.start(config, backend, r -> Wiring.api(r, config, backend.auth()));
    }

    private CliRun jobs(String... args) {
        return CliRun.run(Map.of(), data, "jobs", args);
    }

    private JobRecord job(String name) {
        try (JdbcMetadataStore meta = SqliteMetadataStore.open(data)) {
            return meta.findJob(name).orElseThrow();
        }
    }

    @Test
    void listPrintsEveryJobsState() {
        CliRun list = jobs("list");
        assertThat(list.status()).as(list.err()).isZero();
        String[] lines = list.out().strip().split("\n");
        assertThat(lines[0]).startsWith("NAME").contains("STATE", "LAST-START", "RESULT", "NEXT-DUE");
        assertThat(lines).hasSize(11);
        assertThat(lines[1]).startsWith("audit-retention").contains("idle");
        assertThat(lines[2]).startsWith("console-sweep").contains("idle");
        assertThat(lines[3]).startsWith("gc").contains("idle");
        assertThat(lines[4]).startsWith("insight").contains("idle");
        assertThat(lines[5]).startsWith("lifecycle").contains("idle");
        assertThat(lines[6]).startsWith("replication").contains("idle");
        assertThat(lines[7]).startsWith("scan").contains("idle");
        assertThat(lines[8]).startsWith("scrub").contains("idle");
        assertThat(lines[9]).startsWith("upload-sweep").contains("idle", "ok", "{removed=0}");
        assertThat(lines[10]).startsWith("webhooks").contains("idle");
    }

    /** No server: the command takes the data directory's lock and runs the job itself, under the job's lease. */
    @Test
    void runWithoutAServerRunsTheJobHereEvenIfADeadRunnerHeldIt() {
        try (JdbcMetadataStore meta = SqliteMetadataStore.open(data)) {
            meta.requestJobRun("scrub", Instant.now());
            meta.acquireJob("scrub", "crashed-node", Instant.now(), Instant.now().plus(Duration.ofHours(1))).orElseThrow();
        }
        Instant before = Instant.now();
        CliRun run = jobs("run", "scrub");
        assertThat(run.status()).as(run.err()).isZero();
        assertThat(run.out()).contains("scrub: ok: 0 blobs");
        JobRecord scrub = job("scrub");
        assertThat(scrub.owner()).isNull();
        assertThat(scrub.lastOutcome()).isEqualTo(Outcome.OK);
        assertThat(scrub.lastStartedAt()).isAfterOrEqualTo(before.minusMillis(1));
        assertThat(jobs("list").out()).contains("scrub").contains("ok");
    }

    @Test
    void anUnknownJobIsRefusedWithTheKnownOnes() {
        CliRun run = jobs("run", "nope");
        assertThat(run.status()).isEqualTo(WharfCommand.EXIT_FAILURE);
        assertThat(run.err()).contains("no job named nope").contains("scrub", "upload-sweep");
    }

    /** A server holds the data directory: the command records a request, which the server's next poll runs. */
    @Test
    @Timeout(value = 2, unit = TimeUnit.MINUTES) // --wait has no limit of its own: a missed run must fail, not hang
    void runBesideARunningServerAsksTheServerAndWaitsForTheResult() throws Exception {
        Application app = serve();
        try {
            Instant asked = Instant.now();
            CliRun run = jobs("run", "scrub", "--wait");
            assertThat(run.status()).as(run.err()).isZero();
            assertThat(run.out()).contains("scrub: run requested").contains("scrub: ok: 0 blobs");
            JobRecord scrub = job("scrub");
            assertThat(scrub.lastStartedAt()).isAfterOrEqualTo(asked.minusMillis(1));
            assertThat(scrub.runRequestedAt()).isNull();

            CliRun noWait = jobs("run", "upload-sweep");
            assertThat(noWait.status()).isZero();
            assertThat(noWait.out()).contains("run requested");
            assertThat(jobs("list").status()).isZero();
            assertThat(jobs("run", "nope").status()).isEqualTo(WharfCommand.EXIT_FAILURE);
        } finally {
            app.stop();
        }
    }

    @Test
    void aRunTheServerStartedWithinTheRequestsMillisecondCountsAsTheRunWaitedFor() {
        Instant asked = Instant.parse("2026-12-05T18:00:00.123456Z");
        Instant stored = Instant.parse("2026-12-05T18:00:00.123Z"); // the store keeps milliseconds
        assertThat(JobsCommand.ranSince(ended("gc", stored, stored.plusMillis(13), null), asked)).isTrue();
        assertThat(JobsCommand.ranSince(ended("gc", stored.minusMillis(1), stored.plusMillis(13), null), asked))
                .as("a run that started before the request").isFalse();
        assertThat(JobsCommand.ranSince(ended("gc", stored, stored.plusMillis(13), stored), asked))
                .as("the request is still pending").isFalse();
        assertThat(JobsCommand.ranSince(ended("gc", stored, null, null), asked)).as("not ended yet").isFalse();
    }

    private static JobRecord ended(String name, Instant started, Instant ended, Instant requested) {
        return new JobRecord(name, Duration.ZERO, null, null, started, ended, ended == null ? null : Outcome.OK, null, Map.of(),
                null, requested);
    }
}
