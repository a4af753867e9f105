package io.wharf.server.app;

import io.wharf.core.event.EventDispatcher;
import io.wharf.core.event.EventSubscriber;
import io.wharf.core.event.ImagePushedSubscriber;
import io.wharf.core.jobs.UploadSweepJob;
import io.wharf.core.service.Registry;
import io.wharf.scan.insight.LayerInsightService;
import io.wharf.scan.service.ScanService;
import io.wharf.server.config.WharfConfig;
import io.wharf.server.events.EventBridgeShape;
import io.wharf.server.events.LogSubscriber;
import io.wharf.server.jobs.JobScheduler;
import io.wharf.server.jobs.StandardJobs;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
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
 * A running Wharf: storage, background jobs and upkeep, and the HTTP server, started in dependency order and
 * stopped in reverse. Owns the {@link Backend} it is given.
 */
public final class Application {
    private static final Logger LOG = LoggerFactory.getLogger(Application.class);
    /** Epoch milliseconds at which bin/wharf started, for the "ready in" figure. */
    public static final String LAUNCH_PROPERTY = "wharf.launch.epoch-ms";
    private static final Duration PROGRESS_EVERY = Duration.ofMinutes(1);

    private final WharfConfig config;
    private final Backend backend;
    private final ScheduledExecutorService upkeep;
    private final WharfServer server;
    private final IdleHeapTrim idleHeapTrim;
    private final EventDispatcher events;
    private final JobScheduler jobs;
    /** The audit trail's writer; null when {@code audit.enabled} is false. */
    private final io.wharf.core.audit.AuditTrail audit;
    private final io.wharf.server.usage.UsageWiring usage;
    private final io.wharf.server.metrics.Metrics metrics;
    private final io.wharf.server.metrics.MetricsServer metricsServer; // null: none (/metrics on the API port, or off)
    private final AtomicBoolean stopRequested = new AtomicBoolean();
    private final CountDownLatch stopped = new CountDownLatch(1);

    private Application(WharfConfig config, Backend backend, Function<Registry, Handler> api) throws java.io.IOException {
        this.config = config;
        this.backend = backend;
        this.upkeep = Executors.newSingleThreadScheduledExecutor(Thread.ofVirtual().name("upkeep").factory());
        this.idleHeapTrim = new IdleHeapTrim(api.apply(backend.registry()), config.idleGcAfter());
        this.audit = io.wharf.server.audit.AuditWiring.trail(config, backend.registry().metadata());
        this.usage = new io.wharf.server.usage.UsageWiring(backend.registry(), config.usage());
        this.metrics = new io.wharf.server.metrics.Metrics(config.metrics().enabled());
        var scrapes = config.metrics().enabled()
                ? new io.wharf.server.metrics.MetricsEndpoint(metrics.registry(), config.metrics(),
                config.auth().enabled(), backend.auth()) : null;
        this.metricsServer = scrapes == null ? null
                : config.metrics().listen().map(l -> new io.wharf.server.metrics.MetricsServer(l, scrapes)).orElse(null);
        Handler served = scrapes == null || metricsServer != null ? idleHeapTrim
                : new io.wharf.server.metrics.MetricsRoute(scrapes, idleHeapTrim);
        this.server = new WharfServer(config, served, backend.registry()::isHealthy, observers(config, metrics, audit, usage));
        this.jobs = StandardJobs.all(config, backend.registry(), Clock.systemUTC(), PROGRESS_EVERY);
        this.events = eventDispatcher(config, backend.registry(), jobs, usage, backend.soleUser());
        if (config.metrics().enabled()) {
            bindMeters();
        }
    }

    /** The meters of the background work, the usage counters and the audit trail (docs/observability.md). */
    private void bindMeters() {
        var registry = metrics.registry();
        io.wharf.server.metrics.BackgroundMetrics.jobs(registry, jobs);
        io.wharf.server.metrics.BackgroundMetrics.events(registry, events, Clock.systemUTC());
        io.wharf.server.metrics.BackgroundMetrics.uploads(registry, backend.metadata(), Clock.systemUTC());
        usage.registerMeters(registry);
        if (audit != null) {
            io.wharf.server.audit.AuditMeters.bind(audit, registry);
        }
    }

    /** Who looks at each finished request (metrics, the audit trail, usage counters), in this order. */
    private static List<io.wharf.server.observe.RequestObserver> observers(WharfConfig config,
            io.wharf.server.metrics.Metrics metrics, io.wharf.core.audit.AuditTrail audit,
            io.wharf.server.usage.UsageWiring usage) {
        List<io.wharf.server.observe.RequestObserver> observers = new ArrayList<>();
        if (config.metrics().enabled()) {
            observers.add(new io.wharf.server.metrics.HttpMetrics(metrics.registry(), config.metrics().repositoryLabels(),
                    config.metrics().maxRepositoryLabels()));
        }
        if (audit != null) {
            observers.add(new io.wharf.server.audit.AuditObserver(audit, config));
        }
        observers.add(usage.observer());
        return observers;
    }

    /**
     * Runs even without subscribers: it also applies the outbox's retention. A cluster node holds the lanes of its
     * own (webhooks) as long as it holds a job's lease (docs/events.md).
     */
    private static EventDispatcher eventDispatcher(WharfConfig config, Registry registry, JobScheduler jobs,
                                                   io.wharf.server.usage.UsageWiring usage, boolean soleUser) {
        WharfConfig.Events c = config.events();
        List<EventSubscriber> subscribers = new ArrayList<>();
        if (c.log()) {
            subscribers.add(new LogSubscriber(new EventBridgeShape(config.region())));
        }
        if (config.scanning().enabled()) {
            ScanService scan = StandardJobs.scanService(config, registry);
            subscribers.add(new ImagePushedSubscriber(ScanService.ON_PUSH_SUBSCRIBER, registry.metadata(),
                    images -> images.forEach(p -> scan.requestOnPush(p.repository(), p.image(), p.pushedAt()))));
        }
        if (config.insight().settings().enabled()) {
            LayerInsightService insight = StandardJobs.insightService(config, registry);
            subscribers.add(new ImagePushedSubscriber(LayerInsightService.ON_PUSH_SUBSCRIBER, registry.metadata(),
                    insight::queue));
        }
        subscribers.add(signingOnPush(config, registry));
        subscribers.add(new io.wharf.core.replication.ReplicationSubscriber(
                io.wharf.server.replication.ReplicationWiring.service(config, registry), () -> wake(jobs)));
        subscribers.add(usage.quotaWatcher());
        if (config.webhooks().enabled()) {
            subscribers.add(io.wharf.server.webhook.WebhookWiring.subscriber(config, registry,
                    () -> wake(jobs, io.wharf.core.webhook.WebhookJob.NAME)));
        }
        return new EventDispatcher(registry.metadata(), subscribers,
                new EventDispatcher.Settings(c.pollInterval(), c.retention(), c.batchSize()),
                soleUser ? null : new EventDispatcher.Hold(jobs.nodeId(), config.jobs().leaseDuration()), Clock.systemUTC());
    }

    /**
     * Signs pushed images the signing configuration covers (docs/signatures.md). A failure is recorded for the
     * image's status (FAILED, with the reason), logged, and the event passed: a later push of the image tries again.
     */
    private static EventSubscriber signingOnPush(WharfConfig config, Registry registry) {
        var signing = io.wharf.server.signing.Signatures.signing(registry, config);
        return new ImagePushedSubscriber(io.wharf.server.signing.Signatures.ON_PUSH_SUBSCRIBER, registry.metadata(),
                images -> images.forEach(p -> {
                    try {
                        signing.signPushed(p.repository(), p.image(), p.pushedAt());
                    } catch (RuntimeException e) {
                        LOG.warn("signing {} in {} failed", p.image(), p.repository().name(), e);
                    }
                }));
    }

    /** Starts the replication job now when this node can take its lease (else whoever holds it runs it again after). */
    private static void wake(JobScheduler jobs) {
        wake(jobs, io.wharf.core.replication.ReplicationJob.NAME);
    }

    /** Starts the job now when this node can take its lease (else whoever holds it runs it again after). */
    private static void wake(JobScheduler jobs, String job) {
        try {
            jobs.runNow(job);
        } catch (RuntimeException e) {
            LOG.debug("{}: waking the job failed; it runs at its interval", job, e);
        }
    }

    /**
     * Cleans up after a previous run, then starts serving. Returns once the port accepts requests.
     *
     * @param api builds the API handler over the registry (normally {@link Wiring#ociHandler})
     * @throws Exception when the port cannot be bound or TLS material is unusable; the backend is closed then
     */
    public static Application start(WharfConfig config, Backend backend, Function<Registry, Handler> api) throws Exception {
        Application app = null;
        try {
            app = new Application(config, backend, api);
            app.events.start(); // before the first request, so that no write escapes a subscriber seen for the first time
            app.takeOverJobs();
            if (app.metricsServer != null) {
                app.metricsServer.start(); // first: failing to bind it must not leave the API port serving
            }
            app.server.start();
        } catch (Exception | Error e) {
            if (app != null) {
                app.stopMetricsServer();
                app.events.close();
                if (app.audit != null) {
                    app.audit.close();
                }
                app.metrics.close();
            }
            backend.close();
            throw e;
        }
        app.jobs.start();
        app.usage.start(app.upkeep);
        if (config.idleGcAfter().isPositive()) {
            app.upkeep.scheduleWithFixedDelay(app.idleHeapTrim::check, 1, 1, TimeUnit.SECONDS);
        }
        LOG.info("wharf {} listening on {}, data in {}, account {}, region {}; ready in {} ms", Version.get(),
                app.server.uri(), config.data(), config.account(), config.region(), sinceProcessStart());
        return app;
    }

    /**
     * Frees the leases a previous run of this server left (it died holding them; the data directory's lock makes
     * this server their database's only user, so no other owner can be alive), then sweeps abandoned uploads
     * before serving. A cluster node skips the first step: the other owners may be alive, and the leases of dead
     * nodes expire by themselves.
     */
    private void takeOverJobs() throws InterruptedException {
        if (backend.soleUser()) {
            int broken = backend.metadata().breakJobLeases(Clock.systemUTC().instant());
            if (broken > 0) {
                LOG.warn("jobs: {} runs of the previous process were interrupted; they run again when due", broken);
            }
        }
        var sweep = jobs.runNow(UploadSweepJob.NAME);
        if (sweep.isPresent()) {
            try {
                sweep.get().get();
            } catch (java.util.concurrent.ExecutionException e) {
                LOG.warn("upload sweep at start-up failed", e); // recorded as the job's last run
            }
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
        stopMetricsServer();
        if (audit != null) {
            audit.close(config.shutdownTimeout()); // the records of the last requests, before storage closes
        }
        usage.flush(); // the pulls counted since the last flush, now that no request runs
        jobs.stop(config.shutdownTimeout()); // cancels running jobs; their runs are recorded, their leases released
        events.close(); // what it had not handed out yet is handed out after the next start
        upkeep.shutdown(); // no interrupt: a running cleanup finishes its current step, then storage closes
        try {
            upkeep.awaitTermination(config.shutdownTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        backend.close();
        metrics.close();
        LOG.info("stopped in {} ms", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - begin));
        stopped.countDown();
    }

    /** Blocks until {@link #stop()} has finished. */
    public void awaitStopped() throws InterruptedException {
        stopped.await();
    }

    public WharfServer server() {
        return server;
    }

    /** The process's meters: others register theirs here at wiring time. */
    public io.wharf.server.metrics.Metrics metrics() {
        return metrics;
    }

    /** The port of the separate {@code metrics.listen} listener; -1 when there is none. */
    public int metricsPort() {
        return metricsServer == null ? -1 : metricsServer.port();
    }

    private void stopMetricsServer() {
        if (metricsServer == null) {
            return;
        }
        try {
            metricsServer.close();
        } catch (Exception e) {
            LOG.warn("the metrics listener did not stop cleanly", e);
        }
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
