package io.wharf.bench.gc;

import io.wharf.core.service.GarbageCollector;
import io.wharf.core.service.Registry;
import io.wharf.core.service.RegistryLimits;
import io.wharf.storage.fs.FileSystemBlobStore;
import io.wharf.storage.fs.FileSystemUploadStore;
import io.wharf.storage.jdbc.JdbcMetadataStore;
import io.wharf.storage.jdbc.SqliteMetadataStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Issue 9 §4: one garbage collection run over a backlog of unreferenced blobs on the filesystem and SQLite, as
 * {@code wharf serve} opens them. Each iteration writes a fresh backlog (untimed, then {@code sync}) and times
 * {@link GarbageCollector#run} with a zero grace period, so that the run schedules and collects everything. The
 * first iteration runs in a fresh JVM (cold), the others in a warm one. Prints one tab-separated line per
 * iteration: {@code collect <iteration> <blobs> <bytes> <seconds> <deletions/s> <MB/s>}.
 *
 * <pre>GcBench collect DIR BLOBS MIB ITERATIONS</pre> (MIB 0: small blobs of 100 B – 2 KiB)
 */
public final class GcBench {
    private GcBench() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 5 && args[0].equals("collect")) {
            collect(Path.of(args[1]), Integer.parseInt(args[2]), Integer.parseInt(args[3]), Integer.parseInt(args[4]));
        } else if (args.length >= 2 && args[0].equals("serving")) {
            ServingBench.main(java.util.Arrays.copyOfRange(args, 1, args.length));
        } else {
            System.err.println("usage: GcBench collect DIR BLOBS MIB ITERATIONS | serving DIR [BLOBS ROUNDS SECONDS]");
            System.exit(2);
        }
    }

    static void collect(Path base, int blobs, int mib, int iterations) throws Exception {
        for (int i = 1; i <= iterations; i++) {
            Path dir = base.resolve("gc-" + i);
            Backlog.initialize(dir);
            long t = System.nanoTime();
            Backlog backlog = new Backlog(dir, i);
            long bytes = mib == 0 ? backlog.small(blobs) : backlog.large(blobs, mib);
            sync();
            System.err.printf(Locale.ROOT, "iteration %d: backlog of %d blobs (%d bytes) written in %.1f s%n", i, blobs,
                    bytes, (System.nanoTime() - t) / 1e9);
            GarbageCollector.Report report;
            long start;
            long end;
            try (JdbcMetadataStore meta = SqliteMetadataStore.openExclusive(dir)) {
                FileSystemBlobStore files = new FileSystemBlobStore(dir);
                Registry registry = new Registry(meta, files, new FileSystemUploadStore(files), RegistryLimits.defaults(),
                        Clock.systemUTC());
                GarbageCollector gc = registry.garbageCollector(new GarbageCollector.Settings(Duration.ZERO, Duration.ofHours(1)));
                start = System.nanoTime();
                report = gc.run(() -> false, r -> { });
                end = System.nanoTime();
            }
            check(report, blobs, bytes, dir);
            double s = (end - start) / 1e9;
            System.out.printf(Locale.ROOT, "collect\t%d\t%d\t%d\t%.3f\t%.0f\t%.1f%n", i, report.blobsDeleted(),
                    report.bytesDeleted(), s, report.blobsDeleted() / s, report.bytesDeleted() / s / 1e6);
            deleteTree(dir);
        }
    }

    /** The run must have taken every blob and left no file: a benchmark of a collector that does nothing is fast. */
    private static void check(GarbageCollector.Report report, int blobs, long bytes, Path dir) throws IOException {
        long left;
        try (Stream<Path> s = Files.walk(dir.resolve("blobs"))) {
            left = s.filter(Files::isRegularFile).count();
        }
        if (report.blobsDeleted() != blobs || report.bytesDeleted() != bytes || left != 0) {
            throw new IllegalStateException("the run deleted " + report.blobsDeleted() + " of " + blobs + " blobs ("
                    + report.bytesDeleted() + " of " + bytes + " bytes); " + left + " files left");
        }
    }

    static void sync() throws IOException, InterruptedException {
        new ProcessBuilder("sync").inheritIO().start().waitFor();
    }

    static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
