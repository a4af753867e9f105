package io.wharf.server.jobs;

import io.wharf.core.jobs.Job;
import io.wharf.core.jobs.JobResult;
import io.wharf.core.spi.JobLease;
import io.wharf.core.spi.JobLeases;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs named {@link Job}s periodically and on request, each only while this scheduler holds the job's lease in
 * the metadata database ({@link JobLeases}). One loop thread polls every {@link Settings#pollInterval}: it renews
 * the leases of running jobs every third of {@link Settings#leaseDuration}, logs their progress, and starts the
 * jobs that are due or were asked for (by this process, the API, or {@code wharf jobs run} through the database).
 * A job whose renewal fails lost its lease (another runner took it over after it expired): it is cancelled.
 * {@link #close} cancels running jobs and records their runs, which releases the leases.
 */
public final class JobScheduler implements AutoCloseable {
    static final Logger LOG = LoggerFactory.getLogger("io.wharf.jobs");

    /**
     * @param leaseDuration how long a lease lasts unless renewed: how soon a dead runner's job is taken over
     * @param pollInterval  how often the loop looks for due jobs and run requests
     * @param progressEvery how often a running job's counters are logged
     */
    public record Settings(Duration leaseDuration, Duration pollInterval, Duration progressEvery) {
        public Duration renewEvery() {
            return leaseDuration.dividedBy(3);
        }
    }

    /** Told a running job's counters every {@link Settings#progressEvery}; by default they are logged. */
    @FunctionalInterface
    public interface ProgressListener {
        void progress(String job, Instant startedAt, Map<String, Long> counters);
    }

    /** Told each run's end (metrics): on the run's thread, after its outcome was recorded; must be quick. */
    @FunctionalInterface
    public interface RunListener {
        void ended(String job, JobResult result, Duration took);
    }

    static final ProgressListener LOG_PROGRESS = (job, startedAt, counters) ->
            LOG.info("job {}: running since {}: {}", job, startedAt, counters);

    /** A registered job: runs every {@code interval} (zero: only on request). */
    record Scheduled(Job job, Duration interval) {
    }

    private final JobLeases leases;
    private final Clock clock;
    private final Settings settings;
    private final String nodeId;
    private final Map<String, Scheduled> jobs = new ConcurrentHashMap<>();
    private final Map<String, JobRun> running = new ConcurrentHashMap<>();
    private final Thread loop;
    private volatile boolean stopping;
    private volatile ProgressListener progress = LOG_PROGRESS;
    private volatile RunListener ended = (job, result, took) -> { };

    public JobScheduler(JobLeases leases, Clock clock, Settings settings, String nodeId) {
        this.leases = leases;
        this.clock = clock;
        this.settings = settings;
        this.nodeId = nodeId;
        this.loop = Thread.ofVirtual().name("jobs").unstarted(this::poll);
    }

    /** Replaces the logging of running jobs' progress ({@code wharf jobs run} prints it instead). */
    public void onProgress(ProgressListener listener) {
        this.progress = listener;
    }

    /** Sets who is told each run's end (one listener: the process's metrics). */
    public void onRunEnded(RunListener listener) {
        this.ended = listener;
    }

    /** This scheduler's owner id in the lease rows. */
    public String nodeId() {
        return nodeId;
    }

    /** {@link #register(Job, Duration, Duration)} with a first run one interval from now. */
    public void register(Job job, Duration interval) {
        register(job, interval, interval);
    }

    /**
     * Adds a job: due {@code firstDelay} from now unless its stored schedule is sooner (a restart does not
     * postpone it), then every {@code interval} after a run began, or at once when a run outlasted it.
     *
     * @param interval zero: runs only on request
     */
    public void register(Job job, Duration interval, Duration firstDelay) {
        jobs.put(job.name(), new Scheduled(job, interval));
        leases.registerJob(job.name(), interval, interval.isZero() ? null : clock.instant().plus(firstDelay));
    }

    public boolean has(String name) {
        return jobs.containsKey(name);
    }

    /** Starts the polling loop. */
    public void start() {
        loop.start();
    }

    private void poll() {
        while (!stopping) {
            try {
                tick();
            } catch (RuntimeException e) {
                LOG.warn("jobs: polling failed; trying again in {}", settings.pollInterval(), e);
            }
            try {
                Thread.sleep(settings.pollInterval());
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** One round of the loop: renew and report what runs, start what is due. Tests call it with a hand-moved clock. */
    public void tick() {
        Instant now = clock.instant();
        for (JobRun run : running.values()) {
            run.upkeep(now);
        }
        if (!stopping) {
            for (Scheduled s : jobs.values()) {
                start(s, now);
            }
        }
    }

    /**
     * Asks for a run of {@code name} at once and, unless another runner holds its lease, starts it here. The
     * future completes with the run's result: this run's, or the one already running here. Empty when another
     * runner holds the lease (it runs the job again after its current run: the request stays recorded).
     *
     * Synchronized with the loop's starts, so the loop cannot take the request, run and finish in between.
     *
     * @throws IllegalArgumentException when no such job is registered
     */
    public synchronized Optional<CompletableFuture<JobResult>> runNow(String name) {
        Scheduled s = jobs.get(name);
        if (s == null) {
            throw new IllegalArgumentException("no job named " + name);
        }
        Instant now = clock.instant();
        leases.requestJobRun(name, now);
        if (running.containsKey(name)) {
            s.job().nudge();
        }
        return start(s, now).map(JobRun::done);
    }

    /** Starts the job here if it is due and its lease can be taken; the run already going here otherwise. */
    private synchronized Optional<JobRun> start(Scheduled s, Instant now) {
        JobRun current = running.get(s.job().name());
        if (current != null || stopping) {
            return Optional.ofNullable(current);
        }
        Optional<JobLease> lease = leases.acquireJob(s.job().name(), nodeId, now, now.plus(settings.leaseDuration()));
        if (lease.isEmpty()) {
            return Optional.empty();
        }
        JobRun run = new JobRun(s, lease.get(), now, leases, clock, settings, progress);
        running.put(s.job().name(), run);
        long began = System.nanoTime();
        run.done().whenComplete((result, failure) -> {
            running.remove(s.job().name(), run);
            tellEnded(s.job().name(), result, Duration.ofNanos(System.nanoTime() - began));
        });
        run.start();
        return Optional.of(run);
    }

    private void tellEnded(String job, JobResult result, Duration took) {
        try {
            ended.ended(job, result, took);
        } catch (RuntimeException e) {
            LOG.warn("jobs: run listener failed", e);
        }
    }

    /**
     * Stops polling, cancels the running jobs (interrupting them) and waits up to {@code timeout} for them to
     * record their runs, which releases their leases. A job still running then keeps its lease until it expires.
     */
    public void stop(Duration timeout) {
        stopping = true;
        loop.interrupt();
        running.values().forEach(JobRun::cancel);
        long deadline = System.nanoTime() + timeout.toNanos();
        for (JobRun run : running.values()) {
            try {
                run.done().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                LOG.warn("jobs: {} did not stop within {}; its lease expires by itself", run.name(), timeout);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (java.util.concurrent.ExecutionException e) {
                // recorded by the run itself
            }
        }
        try {
            if (loop.getState() != Thread.State.NEW) {
                loop.join(timeout);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        stop(Duration.ofSeconds(10));
    }
}
