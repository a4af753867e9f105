package io.wharf.server.metrics;

import java.util.function.Supplier;

/**
 * A value read at most once per {@code ttlNanos} (a database query behind a gauge that several meters and
 * several scrapers share). A failed read keeps the last value: a scrape never fails because storage did.
 */
final class Cached<T> {
    private final Supplier<T> read;
    private final long ttlNanos;
    private T value;
    private long readAt;
    private boolean valid;

    Cached(Supplier<T> read, T initial, long ttlNanos) {
        this.read = read;
        this.value = initial;
        this.ttlNanos = ttlNanos;
    }

    synchronized T get() {
        long now = System.nanoTime();
        if (!valid || now - readAt >= ttlNanos) {
            readAt = now;
            valid = true;
            try {
                value = read.get();
            } catch (RuntimeException e) {
                BackgroundMetrics.LOG.debug("metrics: a gauge's read failed; keeping its last value", e);
            }
        }
        return value;
    }
}
