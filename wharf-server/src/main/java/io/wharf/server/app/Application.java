package io.wharf.server.app;

import io.wharf.core.service.BlobScrub;
import io.wharf.core.service.Registry;
import io.wharf.server.config.WharfConfig;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.eclipse.jetty.server.Handler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running Wharf: storage, background upkeep and the HTTP server, started in dependency order and
 * stopped in reverse. Owns the {@link Backend} it is given.
 */
public final class Application {
    private static final Logger LOG = LoggerFactory.getLogger(Application.class);
    /** Epoch milliseconds at which bin/wharf started, for the "ready in" figure. */
    public static final String LAUNCH_PROPERTY = "wharf.launch.epoch-ms";

    private final WharfConfig config;
    private final Backend backend;
    private final ScheduledExecutorService upkeep;
    private final WharfServer server;
    private final IdleHeapTrim idleHeapTrim;
    private final ScrubSchedule scrub;
    private final LifecycleSchedule lifecycle;
    private final AtomicBoolean stopRequested = new AtomicBoolean();
    private final CountDownLatch stopped = new CountDownLatch(1);

    private Application(WharfConfig config, Backend backend, Function<Registry, Handler> api) {
        this.config = config;
        this.backend = backend;
        this.upkeep = Executors.newSingleThreadScheduledExecutor(Thread.ofVirtual().name("upkeep").factory());
        this.idleHeapTrim = new IdleHeapTrim(api.apply(backend.registry()), config.idleGcAfter());
        this.server = new WharfServer(config, idleHeapTrim, backend.registry()::isHealthy);
        this.scrub = scrubSchedule(config, backend.registry());
        Duration lifecycleEvery = config.lifecycle().interval();
        this.lifecycle = lifecycleEvery.isZero() ? null
                : new LifecycleSchedule(backend.registry().lifecycleRunner(), lifecycleEvery);
    }

    /** The background scrub, or null with {@code integrity.scrub-period: 0}. */
    private static ScrubSchedule scrubSchedule(WharfConfig config, Registry registry) {
        Duration period = config.integrity().scrubPeriod();
        if (period.isZero()) {
            return null;
        }
        BlobScrub scrub = new BlobScrub(registry.metadata(), registry.integrity(), config.integrity().scrubRate(), true);
        return new ScrubSchedule(scrub, period, ScrubSchedule.FIRST_DELAY);
    }

    /**
     * Cleans up after a previous run, then starts serving. Returns once the port accepts requests.
     *
     * @param api builds the API handler over the registry (normally {@link Wiring#ociHandler})
     * @throws Exception when the port cannot be bound or TLS material is unusable; the backend is closed then
     */
    public static Application start(WharfConfig config, Backend backend, Function<Registry, Handler> api) throws Exception {
        Application app;
        try {
            cleanUpUploads(backend.registry());
            app = new Application(config, backend, api);
            app.server.start();
        } catch (Exception | Error e) {
            backend.close();
            throw e;
        }
        long sweepEvery = backend.registry().uploadSweeper().interval().toMillis();
        app.upkeep.scheduleWithFixedDelay(() -> cleanUpUploads(backend.registry()), sweepEvery, sweepEvery,
                TimeUnit.MILLISECONDS);
        if (config.idleGcAfter().isPositive()) {
            app.upkeep.scheduleWithFixedDelay(app.idleHeapTrim::check, 1, 1, TimeUnit.SECONDS);
        }
        if (app.scrub != null) {
            app.scrub.start();
        }
        if (app.lifecycle != null) {
            app.lifecycle.start();
        }
        LOG.info("wharf {} listening on {}, data in {}, account {}, region {}; ready in {} ms", Version.get(),
                app.server.uri(), config.data(), config.account(), config.region(), sinceProcessStart());
        return app;
    }

    /** Removes expired upload sessions and orphan upload files (left by a crash); never throws. */
    private static void cleanUpUploads(Registry registry) {
        try {
            int removed = registry.uploadSweeper().sweep();
            if (removed > 0) {
                LOG.info("removed {} expired or orphaned uploads", removed);
            }
        } catch (RuntimeException e) {
            LOG.warn("upload cleanup failed; retrying in {}", registry.uploadSweeper().interval(), e);
        }
    }

    /**
     * Stops gracefully: {@code /readyz} fails and no new connections are accepted at once, in-flight
     * requests get up to the shutdown timeout, then upkeep and storage close. Idempotent.
     */
    public void stop() {
        if (!stopRequested.compareAndSet(false, true)) {
            return;
        }
        long begin = System.nanoTime();
        LOG.info("stopping; in-flight requests may take up to {}", config.shutdownTimeout());
        try {
            server.stop();
        } catch (Exception e) {
            LOG.warn("the HTTP server did not stop cleanly", e);
        }
        stopScrub();
        stopLifecycle();
        upkeep.shutdown(); // no interrupt: a running cleanup finishes its current step, then storage closes
        try {
            upkeep.awaitTermination(config.shutdownTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        backend.close();
        LOG.info("stopped in {} ms", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - begin));
        stopped.countDown();
    }

    private void stopScrub() {
        if (scrub == null) {
            return;
        }
        try {
            scrub.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void stopLifecycle() {
        if (lifecycle == null) {
            return;
        }
        try {
            lifecycle.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Blocks until {@link #stop()} has finished. */
    public void awaitStopped() throws InterruptedException {
        stopped.await();
    }

    public WharfServer server() {
        return server;
    }

    /**
     * Milliseconds since launch: from {@code bin/wharf}'s timestamp when it passed one (it includes
     * the launcher's own work), else from the process start the OS reports (coarse: up to ~1 s).
     */
    private static long sinceProcessStart() {
        String launched = System.getProperty(LAUNCH_PROPERTY);
        if (launched != null && launched.matches("[0-9]{1,19}")) {
            return System.currentTimeMillis() - Long.parseLong(launched);
        }
        return ProcessHandle.current().info().startInstant()
                .map(start -> Duration.between(start, Instant.now()).toMillis())
                .orElse(-1L);
    }
}
