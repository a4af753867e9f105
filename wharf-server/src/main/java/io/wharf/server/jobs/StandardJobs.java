package io.wharf.server.jobs;

import io.wharf.core.jobs.GcJob;
import io.wharf.core.jobs.Job;
import io.wharf.core.jobs.LifecycleJob;
import io.wharf.core.jobs.ScrubJob;
import io.wharf.core.jobs.UploadSweepJob;
import io.wharf.core.service.BlobScrub;
import io.wharf.core.service.Damage;
import io.wharf.core.service.GarbageCollector;
import io.wharf.core.service.Registry;
import io.wharf.scan.vuln.OsvImport;
import io.wharf.server.config.WharfConfig;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import io.wharf.scan.catalog.LanguageCatalogers;
import io.wharf.scan.catalog.OsCatalogers;
import io.wharf.scan.layer.Cataloger;
import io.wharf.scan.service.ScanJob;
import io.wharf.scan.service.ScanRunner;
import io.wharf.scan.service.ScanService;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The jobs every Wharf process knows, registered on a scheduler with their configured intervals: the server
 * runs them, and {@code wharf jobs run} runs one of them itself when no server does. A new job is one
 * {@code new Entry(job, interval, firstDelay)} line in {@link #of}.
 */
public final class StandardJobs {
    private static final Logger DAMAGE_LOG = LoggerFactory.getLogger("io.wharf.integrity");
    /** The scrub's first pass waits this long after start-up, so start-up and warm-up stay quiet. */
    public static final Duration SCRUB_FIRST_DELAY = Duration.ofMinutes(1);

    private StandardJobs() {
    }

    /** A job with its schedule: every {@code interval} (zero: on request only), the first run {@code firstDelay} after start. */
    public record Entry(Job job, Duration interval, Duration firstDelay) {
    }

    /** The lifecycle's first run waits at most this long after start-up (less when its interval is shorter). */
    public static final Duration LIFECYCLE_FIRST_DELAY = Duration.ofMinutes(1);

    /**
     * {@code upload-sweep} every tenth of {@code limits.upload-timeout} (1 s – 5 min; the server also runs it
     * before it serves); {@code scrub} every {@code integrity.scrub-period}, {@code lifecycle} every
     * {@code lifecycle.interval} and {@code gc} every {@code gc.interval} (zero: on request only); {@code vulndb-import}
     * every {@code vulndb.watch-interval} when {@code vulndb.watch-dir} is set; {@code scan} every
     * {@code scanning.interval}; {@code replication} every {@code replication.interval}; {@code console-sweep} every
     * {@code console.sweep-interval}.
     */
    public static List<Entry> of(WharfConfig config, Registry registry) {
        Duration sweepEvery = registry.uploadSweeper().interval();
        Duration lifecycleEvery = config.lifecycle().interval();
        Duration lifecycleFirst = firstDelay(lifecycleEvery);
        BlobScrub scrub = new BlobScrub(registry.metadata(), registry.integrity(), config.integrity().scrubRate(), true);
        List<Entry> jobs = new ArrayList<>(List.of(
                new Entry(new UploadSweepJob(registry.uploadSweeper()), sweepEvery, sweepEvery),
                new Entry(new ScrubJob(scrub, StandardJobs::logDamage), config.integrity().scrubPeriod(), SCRUB_FIRST_DELAY),
                new Entry(new LifecycleJob(registry.lifecycleRunner()), lifecycleEvery, lifecycleFirst),
                new Entry(new GcJob(garbageCollector(config, registry)), config.gc().interval(), firstDelay(config.gc().interval()))));
        WharfConfig.VulnDb vulndb = config.vulndb();
        vulndb.watchDir().ifPresent(dir -> jobs.add(new Entry(new VulnDbImportJob(registry.metadata().advisories(), dir,
                importLimits(vulndb), Clock.systemUTC()), vulndb.watchInterval(), firstDelay(vulndb.watchInterval()))));
        jobs.add(new Entry(scanJob(config, registry), config.scanning().interval(), config.scanning().interval()));
        jobs.add(new Entry(new io.wharf.core.replication.ReplicationJob(io.wharf.server.replication.ReplicationWiring.runner(
                config, registry, NodeId.create())), config.replication().interval(), config.replication().interval()));
        jobs.add(new Entry(new io.wharf.core.audit.AuditRetentionJob(registry.metadata().audit(),
                config.audit().retention(), Clock.systemUTC()), config.audit().retentionInterval(),
                firstDelay(config.audit().retentionInterval())));
        WharfConfig.Console console = config.console();
        jobs.add(new Entry(new io.wharf.core.jobs.ConsoleSweepJob(registry.metadata().consoleSessions(),
                console.idleTimeout(), console.signIn().window(), Clock.systemUTC()), console.sweepInterval(),
                firstDelay(console.sweepInterval())));
        if (config.insight().settings().enabled()) {
            jobs.add(new Entry(new io.wharf.scan.insight.InsightJob(insightService(config, registry)),
                    config.insight().interval(), config.insight().interval()));
        }
        if (config.webhooks().enabled()) {
            jobs.add(new Entry(io.wharf.server.webhook.WebhookWiring.job(config, registry, NodeId.create()),
                    config.webhooks().interval(), config.webhooks().interval()));
        }
        return List.copyOf(jobs);
    }

    /** The {@code scan} job: this node's scan runner with every cataloger; it runs nothing while scanning is off. */
    private static Job scanJob(WharfConfig config, Registry registry) {
        ScanService service = scanService(config, registry);
        List<Cataloger> catalogers = new ArrayList<>(OsCatalogers.all());
        catalogers.addAll(LanguageCatalogers.all());
        ScanRunner runner = new ScanRunner(registry, service, catalogers, NodeId.create(), Clock.systemUTC());
        return new ScanJob(runner);
    }

    /** The scanning service with the configured settings (the ECR adapter, the scan-on-push subscriber, the job). */
    public static ScanService scanService(WharfConfig config, Registry registry) {
        return new ScanService(registry, config.scanning().settings(), Clock.systemUTC());
    }

    /**
     * Layer insight with the configured limits (the API, the on-push subscriber, the job); queueing an image records a
     * run request of the {@code insight} job, which a scheduler starts within its poll interval.
     */
    public static io.wharf.scan.insight.LayerInsightService insightService(WharfConfig config, Registry registry) {
        return new io.wharf.scan.insight.LayerInsightService(registry, config.insight().settings(), Clock.systemUTC(),
                () -> registry.metadata().requestJobRun(io.wharf.scan.insight.InsightJob.NAME, Clock.systemUTC().instant()));
    }

    /** The configured caps of a vulnerability-data import ({@code vulndb.max-*}). */
    public static OsvImport.Limits importLimits(WharfConfig.VulnDb v) {
        return new OsvImport.Limits(v.maxFileBytes(), v.maxRecordBytes(), v.maxZipEntries(), v.maxZipBytes(),
                v.maxRecords(), OsvImport.Limits.DEFAULTS.maxFiles());
    }

    /** The garbage collector with the configured grace period, orphan age and pace. */
    public static GarbageCollector garbageCollector(WharfConfig config, Registry registry) {
        WharfConfig.Gc gc = config.gc();
        return registry.garbageCollector(new GarbageCollector.Settings(gc.gracePeriod(), gc.orphanMinAge(), gc.maxDeletionsPerSecond()));
    }

    /** A minute after start-up, or a shorter interval's length: start-up stays quiet, tests need not wait. */
    private static Duration firstDelay(Duration interval) {
        return interval.isZero() || interval.compareTo(LIFECYCLE_FIRST_DELAY) > 0 ? LIFECYCLE_FIRST_DELAY : interval;
    }

    /** An empty scheduler over the registry's metadata with the configured lease and poll settings. */
    public static JobScheduler scheduler(WharfConfig config, Registry registry, Clock clock, Duration progressEvery) {
        return new JobScheduler(registry.metadata(), clock, new JobScheduler.Settings(
                config.jobs().leaseDuration(), config.jobs().pollInterval(), progressEvery), NodeId.create());
    }

    /** {@link #scheduler} with every standard job registered (not started). */
    public static JobScheduler all(WharfConfig config, Registry registry, Clock clock, Duration progressEvery) {
        JobScheduler scheduler = scheduler(config, registry, clock, progressEvery);
        of(config, registry).forEach(e -> scheduler.register(e.job(), e.interval(), e.firstDelay()));
        return scheduler;
    }

    private static void logDamage(Damage damage) {
        DAMAGE_LOG.error("scrub: damaged {}", damage);
    }
}
