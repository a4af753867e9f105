package io.wharf.core.service;

import java.util.concurrent.CancellationException;

/**
 * Keeps a byte stream at or under a rate by sleeping once it runs ahead. Interrupting the thread
 * that sleeps ends the stream with a {@link CancellationException}.
 */
public final class Throttle {
    private final long bytesPerSecond;
    private final long start = System.nanoTime();
    private long bytes;

    private Throttle(long bytesPerSecond) {
        this.bytesPerSecond = bytesPerSecond;
    }

    /** At most {@code bytesPerSecond}; zero or less: no limit. */
    public static Throttle of(long bytesPerSecond) {
        return new Throttle(bytesPerSecond);
    }

    public static Throttle none() {
        return new Throttle(0);
    }

    /** Counts {@code n} bytes just read, sleeping as long as they put the stream ahead of its rate. */
    public void consumed(long n) {
        bytes += n;
        if (Thread.currentThread().isInterrupted()) {
            throw new CancellationException("interrupted");
        }
        if (bytesPerSecond <= 0) {
            return;
        }
        long dueNanos = (long) (bytes * 1e9 / bytesPerSecond);
        long aheadNanos = dueNanos - (System.nanoTime() - start);
        if (aheadNanos > 0) {
            try {
                Thread.sleep(aheadNanos / 1_000_000, (int) (aheadNanos % 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CancellationException("interrupted");
            }
        }
    }
}
