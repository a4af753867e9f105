package io.wharf.server.cli;

import io.wharf.core.jobs.JobResult;
import io.wharf.core.spi.JobLeases;
import io.wharf.core.spi.JobRecord;
import io.wharf.core.spi.JobRecord.Outcome;
import io.wharf.server.app.Backend;
import io.wharf.server.app.Wiring;
import io.wharf.server.config.WharfConfig;
import io.wharf.server.jobs.JobScheduler;
import io.wharf.server.jobs.StandardJobs;
import io.wharf.storage.jdbc.JdbcMetadataStore;
import io.wharf.server.app.Storage;
import io.wharf.storage.jdbc.SqliteMetadataStore;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.FileSystemException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code wharf jobs}: the background jobs of a data directory, through its database (so it works the same
 * beside one server or a cluster). {@code list} prints their states; {@code run} records a run request
 * that the server (in a cluster: the first node to poll) picks up at its next poll, or, when no server holds
 * the SQLite data directory, runs the job here under its lease. Exit status: 0 done, 1 no such job or the run
 * failed, 2 bad usage.
 */
@Command(name = "jobs", mixinStandardHelpOptions = true, sortOptions = false,
        versionProvider = WharfCommand.VersionProvider.class,
        description = {"Lists the background jobs of a data directory or runs one now.",
                "Works while the server runs (it runs the job); without a server the job runs here."})
final class JobsCommand {
    private static final Duration PROGRESS_EVERY = Duration.ofSeconds(1);
    private static final Duration WAIT_POLL = Duration.ofMillis(200);

    @Option(names = "--data", paramLabel = "DIR", scope = picocli.CommandLine.ScopeType.INHERIT,
            description = "Data directory (default ./data, or data: in the config file / WHARF_DATA).")
    private String data;

    @Option(names = {"-c", "--config"}, paramLabel = "FILE", scope = picocli.CommandLine.ScopeType.INHERIT,
            description = "YAML config file (or env WHARF_CONFIG).")
    private Path config;

    private final Map<String, String> env;
    private final PrintWriter out;
    private final PrintWriter err;
    private final DataDirCommand dataDir;

    JobsCommand(Map<String, String> env, PrintWriter out, PrintWriter err) {
        this.env = env;
        this.out = out;
        this.err = err;
        this.dataDir = new DataDirCommand("wharf jobs", env, err);
    }

    @Command(name = "list", description = "Prints every job: name, state, last run (start, end, result), next due, counters, owner.")
    int list() {
        return Quiet.run(() -> withConfig(cfg -> {
            try (Storage storage = Storage.open(cfg, Storage.Access.TOOL)) {
                JdbcMetadataStore meta = storage.metadata();
                out.printf("%-14s %-9s %-24s %-24s %-9s %-24s %s%n", "NAME", "STATE", "LAST-START", "LAST-END", "RESULT",
                        "NEXT-DUE", "COUNTERS / MESSAGE / OWNER");
                Instant now = Instant.now();
                meta.listJobs().forEach(j -> out.println(row(j, now)));
                out.flush();
                return 0;
            }
        }));
    }

    @Command(name = "run", description = {"Runs job NAME now: asks the running server to (it starts within jobs.poll-interval),",
            "or, without a server, runs it here and prints its progress."})
    int run(@Parameters(paramLabel = "NAME") String name,
            @Option(names = "--wait", description = "When the server runs it: wait for the run to end and print its result.")
            boolean wait) {
        return Quiet.run(() -> withConfig(cfg -> runJob(cfg, name, wait)));
    }

    /** Runs the job here when no server holds the data directory, else asks the server to. */
    int runJob(WharfConfig cfg, String name, boolean wait) throws IOException, InterruptedException {
        if (cfg.storage().shared()) {
            return requestRun(cfg, name, wait); // a cluster's nodes run it; this process cannot know none is alive
        }
        try {
            return runHere(cfg, name);
        } catch (FileSystemException e) {
            if (!SqliteMetadataStore.IN_USE.equals(e.getReason())) {
                throw e;
            }
            return requestRun(cfg, name, wait);
        }
    }

    /** No server holds the data directory: this process takes the lock and runs the job under its lease. */
    private int runHere(WharfConfig cfg, String name) throws IOException, InterruptedException {
        try (Backend backend = Wiring.open(cfg, env, err)) {
            backend.metadata().breakJobLeases(Instant.now()); // we hold the lock: any owner is dead
            JobScheduler scheduler = StandardJobs.scheduler(cfg, backend.registry(), Clock.systemUTC(), PROGRESS_EVERY);
            Optional<StandardJobs.Entry> entry = StandardJobs.of(cfg, backend.registry()).stream()
                    .filter(e -> e.job().name().equals(name)).findFirst();
            if (entry.isEmpty()) {
                return fail(WharfCommand.EXIT_FAILURE, "no job named " + name + known(backend.metadata()));
            }
            scheduler.register(entry.get().job(), entry.get().interval(), entry.get().firstDelay());
            scheduler.onProgress((job, since, counters) -> out.println(job + ": " + counters));
            scheduler.start(); // renews the lease while the job runs
            try {
                JobResult result = scheduler.runNow(name).orElseThrow().get();
                out.println(name + ": " + result.outcome().name().toLowerCase(java.util.Locale.ROOT) + ": " + result.message());
                return result.outcome() == Outcome.OK ? 0 : WharfCommand.EXIT_FAILURE;
            } catch (ExecutionException e) {
                throw new IllegalStateException(e.getCause());
            } finally {
                scheduler.stop(cfg.shutdownTimeout());
                out.flush();
            }
        }
    }

    /** A server holds the data directory: record the request in the database for it (and wait, if asked). */
    private int requestRun(WharfConfig cfg, String name, boolean wait) throws IOException, InterruptedException {
        try (Storage storage = Storage.open(cfg, Storage.Access.TOOL)) {
            JdbcMetadataStore meta = storage.metadata();
            Instant asked = Instant.now();
            if (!meta.requestJobRun(name, asked)) {
                return fail(WharfCommand.EXIT_FAILURE, "no job named " + name + known(meta));
            }
            out.println(name + ": run requested; the server starts it within " + cfg.jobs().pollInterval());
            out.flush();
            if (!wait) {
                return 0;
            }
            JobRecord done = awaitRun(meta, name, asked);
            out.println(name + ": " + done.lastOutcome().name().toLowerCase(java.util.Locale.ROOT) + ": "
                    + done.lastMessage() + " " + done.counters());
            out.flush();
            return done.lastOutcome() == Outcome.OK ? 0 : WharfCommand.EXIT_FAILURE;
        }
    }

    /** Polls until a run that started after {@code asked} ended; prints the counters as they change. */
    private JobRecord awaitRun(JobLeases jobs, String name, Instant asked) throws InterruptedException {
        Map<String, Long> shown = Map.of();
        while (true) {
            JobRecord j = jobs.findJob(name).orElseThrow();
            if (ranSince(j, asked)) {
                return j;
            }
            if (j.running() && !j.counters().equals(shown)) {
                shown = j.counters();
                out.println(name + ": " + shown);
                out.flush();
            }
            Thread.sleep(WAIT_POLL);
        }
    }

    /**
     * Whether a run that started after the request at {@code asked} has ended. The store keeps times to the
     * millisecond, so {@code asked} is compared as stored: a run the server started within the request's millisecond
     * counts (compared at full precision, it looked older than the request, and {@code --wait} never returned).
     */
    static boolean ranSince(JobRecord j, Instant asked) {
        Instant since = asked.truncatedTo(ChronoUnit.MILLIS);
        boolean started = j.runRequestedAt() == null && j.lastStartedAt() != null && !j.lastStartedAt().isBefore(since);
        return started && !j.running() && j.lastEndedAt() != null && !j.lastEndedAt().isBefore(j.lastStartedAt());
    }

    private static String known(JobLeases jobs) {
        return "; known: " + String.join(", ", jobs.listJobs().stream().map(JobRecord::name).toList());
    }

    private static String row(JobRecord j, Instant now) {
        String state = !j.running() ? "idle" : j.leaseExpiresAt().isBefore(now) ? "abandoned" : "running";
        String result = j.lastOutcome() == null ? "-" : j.lastOutcome().name().toLowerCase(java.util.Locale.ROOT);
        String detail = j.counters() + (j.lastMessage() == null ? "" : " " + j.lastMessage())
                + (j.owner() == null ? "" : " owner " + j.owner());
        return String.format("%-14s %-9s %-24s %-24s %-9s %-24s %s", j.name(), state, text(j.lastStartedAt()),
                text(j.lastEndedAt()), result, j.runRequestedAt() != null ? "requested" : text(j.nextDueAt()), detail);
    }

    private static String text(Instant t) {
        return t == null ? "-" : t.toString();
    }

    private int withConfig(DataDirCommand.Action action) {
        return dataDir.withConfig(data, config, action);
    }

    private int fail(int status, String message) {
        return dataDir.fail(status, message);
    }
}
