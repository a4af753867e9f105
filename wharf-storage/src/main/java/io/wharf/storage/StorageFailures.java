package io.wharf.storage;

import io.wharf.core.error.RegistryException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs storage failures (disk full, I/O errors) that are answered to clients as domain errors, at WARN
 * and at most once per {@link #INTERVAL}: a full disk fails every write, and one line says it as well
 * as thousands would.
 */
public final class StorageFailures {
    static final Duration INTERVAL = Duration.ofSeconds(30);
    private static final Logger LOG = LoggerFactory.getLogger(StorageFailures.class);
    private static final AtomicLong NEXT_AT = new AtomicLong(System.nanoTime());
    private static final AtomicLong SUPPRESSED = new AtomicLong();

    private StorageFailures() {
    }

    /** Logs {@code failure} (with its cause) unless another was logged recently; returns it for {@code throw}. */
    public static <E extends RegistryException> E report(E failure) {
        long now = System.nanoTime();
        long next = NEXT_AT.get();
        if (now - next >= 0 && NEXT_AT.compareAndSet(next, now + INTERVAL.toNanos())) {
            LOG.warn("{} ({} similar failures not logged since the last report)", failure.getMessage(),
                    SUPPRESSED.getAndSet(0), failure.getCause());
        } else {
            SUPPRESSED.incrementAndGet();
        }
        return failure;
    }
}
