package io.wharf.server.cli;

import io.wharf.core.jobs.GcJob;
import io.wharf.core.service.GarbageCollector;
import io.wharf.core.spi.BlobStore.BlobFile;
import io.wharf.core.spi.GarbageIndex.ReviewCounts;
import io.wharf.core.spi.StoredBlob;
import io.wharf.server.config.WharfConfig;
import io.wharf.server.app.Storage;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code wharf gc}: runs garbage collection now (the {@value GcJob#NAME} job, as {@code wharf jobs run gc} does), or
 * with {@code --dry-run} prints what a run would delete now and how many bytes, changing nothing. Exit status: 0
 * done, 1 failed, 2 bad usage.
 */
@Command(name = "gc", mixinStandardHelpOptions = true, sortOptions = false,
        versionProvider = WharfCommand.VersionProvider.class,
        description = {"Collects garbage now: blobs nothing has referenced for gc.grace-period, and blob files without a row.",
                "Works while the server runs (it runs the collection); without a server the collection runs here."})
final class GcCommand implements Callable<Integer> {

    @Option(names = "--data", paramLabel = "DIR", description = "Data directory (default ./data, or data: in the config file / WHARF_DATA).")
    private String data;

    @Option(names = {"-c", "--config"}, paramLabel = "FILE", description = "YAML config file (or env WHARF_CONFIG).")
    private Path config;

    @Option(names = "--dry-run", description = "Print what a run would delete now (each blob and file, and the bytes); delete nothing.")
    private boolean dryRun;

    @Option(names = "--wait", description = "When the server runs the collection: wait for it to end and print its result.")
    private boolean wait;

    private final Map<String, String> env;
    private final PrintWriter out;
    private final PrintWriter err;
    private final DataDirCommand dataDir;

    GcCommand(Map<String, String> env, PrintWriter out, PrintWriter err) {
        this.env = env;
        this.out = out;
        this.err = err;
        this.dataDir = new DataDirCommand("wharf gc", env, err);
    }

    @Override
    public Integer call() {
        return Quiet.run(() -> dataDir.withConfig(data, config, cfg -> dryRun ? preview(cfg)
                : new JobsCommand(env, out, err).runJob(cfg, GcJob.NAME, wait)));
    }

    /** Read-only, beside a running server too (the database is read in WAL mode, files are only listed). */
    private int preview(WharfConfig cfg) throws IOException {
        try (Storage storage = Storage.open(cfg, Storage.Access.READ_ONLY)) {
            GarbageCollector.Settings settings = new GarbageCollector.Settings(cfg.gc().gracePeriod(), cfg.gc().orphanMinAge());
            GarbageCollector.Preview p = new GarbageCollector(storage.metadata(), storage.domains().anyDomain(), storage.blobLocks(),
                    settings, Clock.systemUTC()).preview();
            print(p, cfg);
            return 0;
        }
    }

    private void print(GarbageCollector.Preview p, WharfConfig cfg) {
        out.println("blobs no manifest references, left alone for gc.grace-period (" + cfg.gc().gracePeriod() + "): "
                + p.blobs().size() + ", " + bytes(p.blobs().stream().mapToLong(StoredBlob::size).sum()));
        p.blobs().forEach(b -> out.println("  " + b.digest() + "  " + bytes(b.size())));
        out.println("blob files without a row, older than gc.orphan-min-age (" + cfg.gc().orphanMinAge() + "): "
                + p.orphans().size() + ", " + bytes(p.orphans().stream().mapToLong(BlobFile::size).sum()));
        p.orphans().forEach(f -> out.println("  " + f.digest() + "  " + bytes(f.size())));
        ReviewCounts r = p.reviews();
        out.println("reviews: " + r.due() + " due now, " + r.pending() + " due later, " + r.unscheduled()
                + " to be scheduled a grace period after the next run");
        out.println("a run now would delete " + (p.blobs().size() + p.orphans().size()) + " files, " + bytes(p.bytes()));
        out.flush();
    }

    private static String bytes(long n) {
        return String.format("%,d bytes", n);
    }
}
