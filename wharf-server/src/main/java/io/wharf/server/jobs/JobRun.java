package io.wharf.server.jobs;

import static io.wharf.server.jobs.JobScheduler.LOG;

import io.wharf.core.jobs.JobContext;
import io.wharf.core.jobs.JobResult;
import io.wharf.core.spi.JobLease;
import io.wharf.core.spi.JobLeases;
import io.wharf.core.spi.JobRecord.Outcome;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * One run of a job on a thread of its own, holding the job's lease. The scheduler's loop calls
 * {@link #upkeep} to renew the lease and log progress; the run records its outcome when it ends. Lease
 * changes are synchronized, so a renewal never races the final record (both compare the same lease). The counters
 * take no lock: a job may set them anywhere, inside a write too, without waiting for a renewal that holds this run's
 * monitor while it writes (on SQLite that renewal may be waiting for the very write's group to commit).
 */
final class JobRun implements JobContext {
    private final JobScheduler.Scheduled scheduled;
    private final JobLeases leases;
    private final Clock clock;
    private final JobScheduler.Settings settings;
    private final Instant startedAt;
    private final Map<String, Long> counters = new ConcurrentSkipListMap<>();
    private final CompletableFuture<JobResult> done = new CompletableFuture<>();
    private final Thread thread;
    private final JobScheduler.ProgressListener progress;
    private JobLease lease;
    private Instant renewedAt;
    private Instant loggedAt;
    private volatile boolean cancelled;
    /** Set once the lease was found lost: nothing more is written under it. */
    private boolean lost;

    JobRun(JobScheduler.Scheduled scheduled, JobLease lease, Instant startedAt, JobLeases leases, Clock clock,
           JobScheduler.Settings settings, JobScheduler.ProgressListener progress) {
        this.progress = progress;
        this.scheduled = scheduled;
        this.lease = lease;
        this.startedAt = startedAt;
        this.renewedAt = startedAt;
        this.loggedAt = startedAt;
        this.leases = leases;
        this.clock = clock;
        this.settings = settings;
        this.thread = Thread.ofVirtual().name("job-" + name()).unstarted(this::execute);
    }

    String name() {
        return scheduled.job().name();
    }

    CompletableFuture<JobResult> done() {
        return done;
    }

    void start() {
        LOG.debug("job {}: started", name());
        thread.start();
    }

    void cancel() {
        cancelled = true;
        thread.interrupt();
    }

    @Override
    public void count(String counter, long value) {
        counters.put(counter, value);
    }

    @Override
    public void add(String counter, long delta) {
        counters.merge(counter, delta, Long::sum);
    }

    @Override
    public boolean cancelled() {
        return cancelled;
    }

    /** Renews the lease every third of its duration and logs progress every {@code progressEvery}. */
    synchronized void upkeep(Instant now) {
        if (lost) {
            return;
        }
        if (!now.isBefore(loggedAt.plus(settings.progressEvery()))) {
            loggedAt = now;
            progress.progress(name(), startedAt, new TreeMap<>(counters));
        }
        if (now.isBefore(renewedAt.plus(settings.renewEvery()))) {
            return;
        }
        java.util.Optional<JobLease> renewed;
        try {
            renewed = leases.renewJob(lease, now.plus(settings.leaseDuration()), Map.copyOf(counters));
        } catch (RuntimeException e) {
            LOG.warn("job {}: could not renew its lease; trying again at the next poll", name(), e);
            return; // the lease lasts two more thirds: a passing storage failure costs nothing
        }
        if (renewed.isPresent()) {
            lease = renewed.get();
            renewedAt = now;
        } else {
            lost = true;
            LOG.warn("job {}: lease lost (another runner took it over after it expired); cancelling", name());
            cancel();
        }
    }

    private void execute() {
        JobResult result;
        try {
            result = scheduled.job().run(this);
        } catch (CancellationException e) {
            result = JobResult.cancelled(cancelled ? "cancelled" : String.valueOf(e.getMessage()));
        } catch (RuntimeException | Error e) {
            LOG.warn("job {}: failed", name(), e);
            result = JobResult.failed(String.valueOf(e));
        }
        try {
            record(result);
        } catch (RuntimeException e) {
            LOG.warn("job {}: could not record its run; its lease expires by itself", name(), e);
        } finally {
            done.complete(result);
        }
    }

    private synchronized void record(JobResult result) {
        Instant end = clock.instant();
        if (lost) {
            LOG.warn("job {}: ended as {} after its lease was lost; its new runner records the job", name(),
                    result.outcome());
            return;
        }
        boolean recorded = leases.finishJob(lease, result.outcome(), result.message(), Map.copyOf(counters), end,
                nextDue(result, end));
        if (result.idle() && recorded) {
            LOG.debug("job {}: {}: {}", name(), result.outcome(), result.message());
        } else {
            LOG.info("job {}: {}: {}{}", name(), result.outcome(), result.message(), recorded ? "" : " (lease lost: not recorded)");
        }
    }

    /** A period after this run began (at once if the run took longer); unchanged after a cancelled run. */
    private Instant nextDue(JobResult result, Instant end) {
        if (result.outcome() == Outcome.CANCELLED || scheduled.interval().isZero()) {
            return null;
        }
        Instant next = startedAt.plus(scheduled.interval());
        if (next.isBefore(end)) {
            LOG.warn("job {}: a run took {}, longer than its interval {}", name(),
                    java.time.Duration.between(startedAt, end), scheduled.interval());
            return end;
        }
        return next;
    }
}
