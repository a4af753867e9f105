package io.wharf.server.app;

import io.wharf.core.service.BlobScrub;
import io.wharf.core.service.Damage;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the blob scrub once per {@code integrity.scrub-period} on a thread of its own, logging progress
 * and findings. A pass starts {@link #FIRST_DELAY} after start-up (start-up and warm-up stay quiet), the
 * next one a period after the previous one began, or at once when a pass outlasted the period (the rate
 * is too low for the amount stored: the log says so). Stopping interrupts a running pass.
 * The job scheduler of a later release will host {@link BlobScrub#runOnce} instead of this loop.
 */
final class ScrubSchedule implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger("io.wharf.integrity");
    static final Duration FIRST_DELAY = Duration.ofMinutes(1);
    private static final long PROGRESS_EVERY_NANOS = TimeUnit.MINUTES.toNanos(1);

    private final BlobScrub scrub;
    private final Duration period;
    private final Duration firstDelay;
    private final Thread thread;

    ScrubSchedule(BlobScrub scrub, Duration period, Duration firstDelay) {
        this.scrub = scrub;
        this.period = period;
        this.firstDelay = firstDelay;
        this.thread = Thread.ofVirtual().name("scrub").unstarted(this::loop);
    }

    void start() {
        thread.start();
    }

    private void loop() {
        try {
            Thread.sleep(firstDelay);
            while (true) {
                long begin = System.nanoTime();
                runPass();
                Duration took = Duration.ofNanos(System.nanoTime() - begin);
                if (took.compareTo(period) >= 0) {
                    LOG.warn("scrub: a pass took {}, longer than integrity.scrub-period {}; raise integrity.scrub-rate",
                            took, period);
                } else {
                    Thread.sleep(period.minus(took));
                }
            }
        } catch (InterruptedException | CancellationException e) {
            LOG.debug("scrub stopped");
        }
    }

    private void runPass() {
        LOG.info("scrub: pass started");
        long[] lastLog = {System.nanoTime()};
        try {
            BlobScrub.Report report = scrub.runOnce((blobs, bytes) -> {
                if (System.nanoTime() - lastLog[0] >= PROGRESS_EVERY_NANOS) {
                    lastLog[0] = System.nanoTime();
                    LOG.info("scrub: {} blobs, {} MiB verified so far", blobs, bytes >> 20);
                }
            });
            for (Damage d : report.damaged()) {
                LOG.error("scrub: damaged {}", d);
            }
            LOG.info("scrub: pass done: {} blobs, {} MiB in {} s, {} damaged or missing", report.blobs(),
                    report.bytes() >> 20, report.took().toSeconds(), report.damaged().size());
        } catch (RuntimeException e) {
            if (e instanceof CancellationException c) {
                throw c;
            }
            LOG.warn("scrub: pass failed; the next one starts on schedule", e);
        }
    }

    /** Interrupts a running pass and waits for the thread to end. */
    @Override
    public void close() throws InterruptedException {
        thread.interrupt();
        thread.join(Duration.ofSeconds(10));
    }
}
