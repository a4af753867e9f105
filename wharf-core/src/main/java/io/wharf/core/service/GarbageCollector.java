package io.wharf.core.service;

import io.wharf.core.model.Digest;
import io.wharf.core.spi.BlobLocks;
import io.wharf.core.spi.BlobStore;
import io.wharf.core.spi.BlobStore.BlobFile;
import io.wharf.core.spi.GarbageIndex;
import io.wharf.core.spi.GarbageIndex.Collected;
import io.wharf.core.spi.StoredBlob;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * Online garbage collection (docs/gc.md), while the registry serves. Rows first: each batch of due reviews is
 * re-checked and deleted in one transaction ({@link GarbageIndex#collect}); only then, under the digest's
 * {@link BlobLocks lock} and only while still no row names it, the file. A crash in between leaves a file
 * without a row, which the orphan pass removes once it is {@link Settings#orphanMinAge} old.
 */
public final class GarbageCollector {
    /** A client told a blob exists postpones its review when it falls due within this window (see {@link LinkedBlobs}). */
    public static final Duration REVIEW_WINDOW = Duration.ofHours(1);
    private static final int BATCH = 500;

    /**
     * @param gracePeriod           how long a blob must have been left alone (unreferenced, not pushed, linked or looked at)
     * @param orphanMinAge          how old a blob file without a row must be before it is removed
     * @param maxDeletionsPerSecond how fast a run may review and delete at most, so that serving keeps the disk and the
     *                              database writer; zero: as fast as it can
     */
    public record Settings(Duration gracePeriod, Duration orphanMinAge, long maxDeletionsPerSecond) {
        public static final Settings DEFAULT = new Settings(Duration.ofHours(24), Duration.ofHours(1));

        /** Without a limit on the rate. */
        public Settings(Duration gracePeriod, Duration orphanMinAge) {
            this(gracePeriod, orphanMinAge, 0);
        }
    }

    /** What a run did; {@code progress} sees the counts grow batch by batch. */
    public record Report(long scheduled, long reviewed, long kept, long unlinked, long blobsDeleted, long bytesDeleted,
                         long orphansDeleted, long orphanBytes) {
        static final Report EMPTY = new Report(0, 0, 0, 0, 0, 0, 0, 0);

        Report plus(int reviewedNow, Collected c) {
            long bytes = c.deleted().stream().mapToLong(StoredBlob::size).sum();
            return new Report(scheduled, reviewed + reviewedNow, kept + c.kept(), unlinked + c.unlinked(),
                    blobsDeleted + c.deleted().size(), bytesDeleted + bytes, orphansDeleted, orphanBytes);
        }

        Report plusOrphan(long size) {
            return new Report(scheduled, reviewed, kept, unlinked, blobsDeleted, bytesDeleted, orphansDeleted + 1,
                    orphanBytes + size);
        }

        public long bytesReclaimed() {
            return bytesDeleted + orphanBytes;
        }
    }

    private final GarbageIndex meta;
    private final BlobStore blobs;
    private final BlobLocks locks;
    private final Settings settings;
    private final Clock clock;

    public GarbageCollector(GarbageIndex meta, BlobStore blobs, BlobLocks locks, Settings settings, Clock clock) {
        this.meta = meta;
        this.blobs = blobs;
        this.locks = locks;
        this.settings = settings;
        this.clock = clock;
    }

    public Settings settings() {
        return settings;
    }

    /**
     * One run: schedules new reviews a grace period from now, collects every due one, then removes old files
     * without a row. {@code progress} hears the report after each batch; the run stops early once
     * {@code cancelled} says so (what it did so far stands).
     */
    public Report run(BooleanSupplier cancelled, Consumer<Report> progress) {
        // the time is read under the store's write lock: an event that committed while this waited for it is newer
        int scheduled = meta.scheduleReviews(() -> clock.instant().plus(settings.gracePeriod()));
        Instant now = clock.instant();
        Report report = new Report(scheduled, 0, 0, 0, 0, 0, 0, 0);
        Pace pace = Pace.of(settings.maxDeletionsPerSecond());
        report = collectDue(now, report, pace, cancelled, progress);
        return removeOrphans(now, report, pace, cancelled, progress);
    }

    /**
     * Batch after batch: while one batch's files are deleted (on one other thread, each under its lock), the next
     * batch's rows are collected; unlinking files and committing rows wait on different things, so the two overlap.
     * At most one batch of files is in flight, and all are deleted before this returns.
     */
    private Report collectDue(Instant now, Report report, Pace pace, BooleanSupplier cancelled, Consumer<Report> progress) {
        Digest after = null;
        int batch = pace.batch(BATCH);
        try (ExecutorService deleter = Executors.newSingleThreadExecutor(Thread.ofVirtual().name("gc-delete").factory())) {
            Future<?> files = CompletableFuture.completedFuture(null);
            for (List<Digest> due = meta.dueReviews(now, null, batch); !due.isEmpty() && !cancelled.getAsBoolean();
                 due = meta.dueReviews(now, after, batch)) {
                pace.deleted(due.size());
                Collected collected = meta.collect(due, now);
                await(files);
                files = deleter.submit(() -> collected.deleted().forEach(b -> deleteFileOf(b.digest())));
                report = report.plus(due.size(), collected);
                progress.accept(report);
                after = due.getLast();
            }
            await(files);
        }
        return report;
    }

    /** Waits for the file deletions of a batch (also when interrupted: the flag stays set); their failure is the run's. */
    private static void await(Future<?> files) {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    files.get();
                    return;
                } catch (InterruptedException e) {
                    interrupted = true;
                } catch (ExecutionException e) {
                    throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** The row is gone; the file goes unless an upload stored the blob again meanwhile (its row is back then). */
    private void deleteFileOf(Digest digest) {
        locks.run(digest, () -> {
            if (meta.unrecordedBlobs(List.of(digest)).contains(digest)) {
                delete(digest);
            }
        });
    }

    private Report removeOrphans(Instant now, Report report, Pace pace, BooleanSupplier cancelled, Consumer<Report> progress) {
        Instant oldEnough = now.minus(settings.orphanMinAge());
        Digest after = null;
        for (List<BlobFile> page = list(null); !page.isEmpty() && !cancelled.getAsBoolean(); page = list(after)) {
            for (BlobFile f : orphans(page, oldEnough)) {
                pace.deleted(1);
                if (removeOrphan(f.digest())) {
                    report = report.plusOrphan(f.size());
                }
            }
            progress.accept(report);
            after = page.getLast().digest();
        }
        return report;
    }

    /** Files of the page without a row that were last written before {@code oldEnough}. */
    private List<BlobFile> orphans(List<BlobFile> page, Instant oldEnough) {
        List<BlobFile> old = page.stream().filter(f -> f.lastModified().isBefore(oldEnough)).toList();
        Set<Digest> unrecorded = old.isEmpty() ? Set.of() : meta.unrecordedBlobs(old.stream().map(BlobFile::digest).toList());
        return old.stream().filter(f -> unrecorded.contains(f.digest())).toList();
    }

    private boolean removeOrphan(Digest digest) {
        boolean[] removed = {false};
        locks.run(digest, () -> {
            if (meta.unrecordedBlobs(List.of(digest)).contains(digest)) {
                delete(digest);
                removed[0] = true;
            }
        });
        return removed[0];
    }

    /** What a run would delete now, without deleting: due blobs nothing references, and old files without a row. */
    public Preview preview() {
        Instant now = clock.instant();
        List<StoredBlob> due = new java.util.ArrayList<>();
        for (List<StoredBlob> page = meta.collectable(now, null, BATCH); !page.isEmpty();
             page = meta.collectable(now, page.getLast().digest(), BATCH)) {
            due.addAll(page);
        }
        List<BlobFile> orphans = new java.util.ArrayList<>();
        for (List<BlobFile> page = list(null); !page.isEmpty(); page = list(page.getLast().digest())) {
            orphans.addAll(orphans(page, now.minus(settings.orphanMinAge())));
        }
        return new Preview(due, orphans, meta.reviewCounts(now));
    }

    /** The answer of {@link #preview()}. */
    public record Preview(List<StoredBlob> blobs, List<BlobFile> orphans, GarbageIndex.ReviewCounts reviews) {
        public long bytes() {
            return blobs.stream().mapToLong(StoredBlob::size).sum() + orphans.stream().mapToLong(BlobFile::size).sum();
        }
    }

    private List<BlobFile> list(Digest after) {
        try {
            return blobs.list(after, BATCH);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void delete(Digest digest) {
        try {
            blobs.delete(digest);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
