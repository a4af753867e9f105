package io.wharf.core.service;

import io.wharf.core.model.Digest;
import io.wharf.core.service.BlobIntegrity.Verdict;
import io.wharf.core.spi.BlobIndex;
import io.wharf.core.spi.StoredBlob;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;

/**
 * One pass over every blob the metadata records: re-hashes its stored bytes at a bounded rate and, when
 * asked to, sets damaged ones aside ({@link BlobIntegrity#check}) so the next push repairs them. A
 * self-contained job with one entry point, {@link #runOnce}: the server runs it once per scrub period,
 * {@code wharf fsck} runs it unthrottled. Interrupting the running thread ends the pass early
 * ({@link java.util.concurrent.CancellationException}).
 */
public final class BlobScrub {
    private static final int PAGE = 500;

    /** Told after each blob: blobs and bytes done so far. */
    @FunctionalInterface
    public interface Progress {
        void advanced(long blobs, long bytes);
    }

    /** What a pass found: counts, and every blob that was not intact (missing ones included). */
    public record Report(long blobs, long bytes, List<Damage> damaged, Duration took) {
    }

    private final BlobIndex index;
    private final BlobIntegrity integrity;
    private final long bytesPerSecond;
    private final boolean setAside;

    /**
     * @param bytesPerSecond read at most this fast; zero or less: as fast as the disk goes
     * @param setAside       whether damaged blobs are set aside (the server, {@code fsck --repair}) or only reported
     */
    public BlobScrub(BlobIndex index, BlobIntegrity integrity, long bytesPerSecond, boolean setAside) {
        this.index = index;
        this.integrity = integrity;
        this.bytesPerSecond = bytesPerSecond;
        this.setAside = setAside;
    }

    public Report runOnce(Progress progress) {
        long begin = System.nanoTime();
        Throttle throttle = Throttle.of(bytesPerSecond);
        List<Damage> damaged = new ArrayList<>();
        long blobs = 0;
        long bytes = 0;
        Digest after = null;
        for (List<StoredBlob> page = index.listBlobs(null, PAGE); !page.isEmpty(); page = index.listBlobs(after, PAGE)) {
            for (StoredBlob blob : page) {
                if (Thread.currentThread().isInterrupted()) {
                    throw new CancellationException("scrub interrupted"); // before a read fails for that reason
                }
                String problem = problem(blob, throttle);
                if (problem != null) {
                    damaged.add(new Damage("blob", blob.digest(), null, problem));
                }
                blobs++;
                bytes += blob.size();
                progress.advanced(blobs, bytes);
            }
            after = page.getLast().digest();
        }
        return new Report(blobs, bytes, List.copyOf(damaged), Duration.ofNanos(System.nanoTime() - begin));
    }

    /** What is wrong with the blob, or null when it is intact; an unreadable file does not end the pass. */
    private String problem(StoredBlob blob, Throttle throttle) {
        try {
            Verdict verdict = setAside ? integrity.check(blob.digest(), blob.size(), throttle)
                    : integrity.verify(blob.digest(), blob.size(), throttle);
            return verdict == Verdict.INTACT ? null : describe(verdict, blob.size());
        } catch (UncheckedIOException e) {
            return "unreadable: " + e.getCause().getMessage();
        }
    }

    private String describe(Verdict verdict, long size) {
        String what = switch (verdict) {
            case MISSING -> "missing from storage";
            case WRONG_SIZE -> "stored size is not the recorded " + size;
            case WRONG_DIGEST -> "stored bytes do not hash to the digest";
            case INTACT -> "intact";
        };
        boolean absentNow = setAside || verdict == Verdict.MISSING;
        return what + (absentNow ? "; reads as unknown until pushed again" : "");
    }
}
