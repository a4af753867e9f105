package io.wharf.server.app;

import io.wharf.core.service.LifecycleRunner;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs every repository's lifecycle policy once per {@code lifecycle.interval} on a thread of its own: the first
 * run at most {@link #FIRST_DELAY} after start-up, each next one an interval after the previous one ended.
 * Temporary: the leased job scheduler (issue 9 §1) will host {@link LifecycleRunner#runOnce()} as its
 * {@code lifecycle} job and replace this class.
 */
final class LifecycleSchedule implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger("io.wharf.lifecycle");
    static final Duration FIRST_DELAY = Duration.ofMinutes(1);

    private final LifecycleRunner runner;
    private final Duration interval;
    private final Thread thread;

    LifecycleSchedule(LifecycleRunner runner, Duration interval) {
        this.runner = runner;
        this.interval = interval;
        this.thread = Thread.ofVirtual().name("lifecycle").unstarted(this::loop);
    }

    void start() {
        thread.start();
    }

    private void loop() {
        try {
            Thread.sleep(interval.compareTo(FIRST_DELAY) < 0 ? interval : FIRST_DELAY);
            while (!Thread.currentThread().isInterrupted()) {
                runOnce();
                Thread.sleep(interval);
            }
        } catch (InterruptedException e) {
            LOG.debug("lifecycle schedule stopped");
        }
    }

    private void runOnce() {
        try {
            LifecycleRunner.Summary summary = runner.runOnce();
            LOG.info("lifecycle: {} repositories evaluated, {} images expired, {} runs failed",
                    summary.reports().size(), summary.expired(), summary.failed());
        } catch (RuntimeException e) {
            LOG.warn("lifecycle: the run failed; the next one starts on schedule", e);
        }
    }

    /** Interrupts the wait (a run in progress finishes its current delete) and waits for the thread to end. */
    @Override
    public void close() throws InterruptedException {
        thread.interrupt();
        thread.join(Duration.ofSeconds(10));
    }
}
