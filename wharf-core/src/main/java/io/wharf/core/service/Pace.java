package io.wharf.core.service;

import java.util.function.LongSupplier;

/**
 * Holds a garbage collection run to at most so many deletions per second (zero: no limit), in small batches so
 * that the collector's share of the disk and the database writer is spread evenly instead of coming in bursts.
 */
final class Pace {

    /** Sleeps {@code nanos}; a test's sleeper moves its own clock instead. */
    interface Sleeper {
        void sleep(long nanos) throws InterruptedException;
    }

    private static final long SECOND = 1_000_000_000L;
    private final long perSecond;
    private final Sleeper sleeper;
    private final LongSupplier nanoTime;
    private final long start;
    private long done;

    Pace(long perSecond, Sleeper sleeper, LongSupplier nanoTime) {
        this.perSecond = perSecond;
        this.sleeper = sleeper;
        this.nanoTime = nanoTime;
        this.start = nanoTime.getAsLong();
    }

    static Pace of(long perSecond) {
        return new Pace(perSecond, nanos -> Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000)), System::nanoTime);
    }

    /** Reviews per batch: {@code max} without a limit, else a tenth of a second's worth (at least 10). */
    int batch(int max) {
        return perSecond <= 0 ? max : (int) Math.max(10, Math.min(max, perSecond / 10));
    }

    /** Counts {@code n} more deletions and waits until the limit allows the next. Interrupted: returns, flag set. */
    void deleted(long n) {
        done += n;
        if (perSecond <= 0) {
            return;
        }
        long wait = start + done * SECOND / perSecond - nanoTime.getAsLong();
        if (wait > 0) {
            try {
                sleeper.sleep(wait);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
