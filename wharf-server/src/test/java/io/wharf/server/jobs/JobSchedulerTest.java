package io.wharf.server.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.core.jobs.Job;
import io.wharf.core.jobs.JobContext;
import io.wharf.core.jobs.JobResult;
import io.wharf.core.spi.JobRecord;
import io.wharf.core.spi.JobRecord.Outcome;
import io.wharf.core.spi.MetadataStore;
import io.wharf.core.testing.ManualClock;
import io.wharf.storage.jdbc.SqliteMetadataStore;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The scheduler over real SQLite with a hand-moved clock: the test calls {@link JobScheduler#tick} where the
 * loop would, so periods, renewals and lease expiry happen exactly when the clock says.
 */
class JobSchedulerTest {
    private static final Duration LEASE = Duration.ofSeconds(30);
    private static final Duration INTERVAL = Duration.ofMinutes(10);
    private static final JobScheduler.Settings SETTINGS = new JobScheduler.Settings(LEASE, Duration.ofSeconds(1),
            Duration.ofSeconds(5));

    @TempDir
    Path dir;

    private final ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));
    private MetadataStore store;
    private MetadataStore otherStore;

    @BeforeEach
    void open() {
        store = openStore();
        otherStore = openOtherStore(); // a second process's connection pools on the same database
    }

    protected MetadataStore openStore() {
        return SqliteMetadataStore.open(dir);
    }

    /** Another process (a cluster's other node) on the database of {@link #openStore}. */
    protected MetadataStore openOtherStore() {
        return SqliteMetadataStore.open(dir);
    }

    @AfterEach
    void close() {
        store.close();
        otherStore.close();
    }

    /** A job that counts its runs; with a gate, each run waits for a permit (or an interrupt). */
    private static final class TestJob implements Job {
        final AtomicInteger started = new AtomicInteger();
        final Semaphore gate;
        volatile RuntimeException failure;
        final CountDownLatch interrupted = new CountDownLatch(1);
        /** Counted down once a run has reported its first counter. */
        final CountDownLatch counted = new CountDownLatch(1);
        final AtomicInteger nudged = new AtomicInteger();

        TestJob(boolean gated) {
            this.gate = gated ? new Semaphore(0) : null;
        }

        @Override
        public String name() {
            return "test";
        }

        @Override
        public JobResult run(JobContext context) {
            int n = started.incrementAndGet();
            context.count("runs", n);
            counted.countDown();
            if (failure != null) {
                throw failure;
            }
            if (gate != null) {
                try {
                    gate.acquire();
                } catch (InterruptedException e) {
                    interrupted.countDown();
                    throw new java.util.concurrent.CancellationException("interrupted");
                }
            }
            return JobResult.ok("run " + n);
        }

        @Override
        public void nudge() {
            nudged.incrementAndGet();
        }
    }

    private JobScheduler scheduler(MetadataStore on, String node, TestJob job) {
        JobScheduler s = new JobScheduler(on, clock, SETTINGS, node);
        s.register(job, INTERVAL, Duration.ZERO);
        return s;
    }

    private JobRecord awaitRow(Predicate<JobRecord> condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        JobRecord row = store.findJob("test").orElseThrow();
        while (!condition.test(row) && System.nanoTime() < deadline) {
            Thread.sleep(10);
            row = store.findJob("test").orElseThrow();
        }
        assertThat(condition).as("row %s", row).accepts(row);
        return row;
    }

    private JobRecord awaitIdleAfter(int runs) throws InterruptedException {
        return awaitRow(r -> !r.running() && r.lastEndedAt() != null && r.counters().getOrDefault("runs", 0L) == runs);
    }

    @Test
    void runsWhenDueAndAgainOneIntervalAfterTheRunBegan() throws Exception {
        TestJob job = new TestJob(false);
        JobScheduler s = scheduler(store, "a", job);
        s.tick();
        JobRecord first = awaitIdleAfter(1);
        assertThat(first.lastOutcome()).isEqualTo(Outcome.OK);
        assertThat(first.lastMessage()).isEqualTo("run 1");
        assertThat(first.nextDueAt()).isEqualTo(clock.instant().plus(INTERVAL));

        clock.advance(INTERVAL.minusSeconds(1));
        s.tick();
        Thread.sleep(50);
        assertThat(job.started).as("not due yet").hasValue(1);
        clock.advance(Duration.ofSeconds(1));
        s.tick();
        awaitIdleAfter(2);
        s.stop(Duration.ofSeconds(5));
    }

    /** Two nodes polling the same jobs: each due run happens once, on one of them. */
    @Test
    void twoSchedulersRunADueJobOncePerInterval() throws Exception {
        TestJob job = new TestJob(false);
        JobScheduler a = scheduler(store, "a", job);
        JobScheduler b = scheduler(otherStore, "b", job);
        for (int period = 1; period <= 3; period++) {
            for (int i = 0; i < 5; i++) {
                a.tick();
                b.tick();
            }
            awaitIdleAfter(period);
            Thread.sleep(50);
            for (int i = 0; i < 5; i++) {
                a.tick();
                b.tick();
            }
            Thread.sleep(50);
            assertThat(job.started).as("period " + period).hasValue(period);
            clock.advance(INTERVAL);
        }
    }

    @Test
    void renewsTheLeaseEveryThirdOfItsDurationAndStoresProgress() throws Exception {
        TestJob job = new TestJob(true);
        JobScheduler s = scheduler(store, "a", job);
        Instant t0 = clock.instant();
        s.tick();
        awaitRow(r -> r.running() && r.leaseExpiresAt().equals(t0.plus(LEASE)));
        // the row says running once the lease is taken; the job's own thread reports its counter a moment later
        assertThat(job.counted.await(5, TimeUnit.SECONDS)).isTrue();
        clock.advance(Duration.ofSeconds(9));
        s.tick();
        assertThat(store.findJob("test").orElseThrow().leaseExpiresAt()).as("not yet a third").isEqualTo(t0.plus(LEASE));
        clock.advance(Duration.ofSeconds(1));
        s.tick();
        JobRecord renewed = store.findJob("test").orElseThrow();
        assertThat(renewed.leaseExpiresAt()).isEqualTo(t0.plusSeconds(10).plus(LEASE));
        assertThat(renewed.counters()).containsEntry("runs", 1L);
        job.gate.release();
        awaitIdleAfter(1);
        s.stop(Duration.ofSeconds(5));
    }

    /** A runner that stops renewing (it "died") loses the job to another scheduler once the lease expired. */
    @Test
    void anotherSchedulerTakesOverAJobWhoseRunnerStoppedRenewing() throws Exception {
        TestJob deadJob = new TestJob(true);
        TestJob liveJob = new TestJob(false);
        JobScheduler dead = scheduler(store, "dead", deadJob);
        JobScheduler live = scheduler(otherStore, "live", liveJob);
        dead.tick();
        awaitRow(r -> "dead".equals(r.owner()));

        clock.advance(LEASE); // the dead runner never ticks again: no renewal
        live.tick();
        Thread.sleep(50);
        assertThat(liveJob.started).as("the lease expires at, not before, its expiry").hasValue(0);
        clock.advance(Duration.ofSeconds(1));
        live.tick();
        JobRecord taken = awaitRow(r -> r.lastEndedAt() != null);
        assertThat(liveJob.started).hasValue(1);
        assertThat(taken.lastOutcome()).isEqualTo(Outcome.OK);

        dead.tick(); // it wakes up: its renewal fails, its run is cancelled and records nothing
        assertThat(deadJob.interrupted.await(5, TimeUnit.SECONDS)).isTrue();
        dead.stop(Duration.ofSeconds(5));
        JobRecord after = store.findJob("test").orElseThrow();
        assertThat(after.lastOutcome()).isEqualTo(Outcome.OK);
        assertThat(after.lastMessage()).isEqualTo("run 1");
        live.stop(Duration.ofSeconds(5));
    }

    @Test
    void stoppingCancelsTheRunningJobAndReleasesItsLease() throws Exception {
        TestJob job = new TestJob(true);
        JobScheduler s = scheduler(store, "a", job);
        Instant due = store.findJob("test").orElseThrow().nextDueAt();
        s.tick();
        awaitRow(JobRecord::running);
        s.stop(Duration.ofSeconds(5));
        JobRecord row = store.findJob("test").orElseThrow();
        assertThat(row.owner()).isNull();
        assertThat(row.lastOutcome()).isEqualTo(Outcome.CANCELLED);
        assertThat(row.nextDueAt()).as("still due: the next process runs it").isEqualTo(due);
        assertThat(store.acquireJob("test", "next", clock.instant(), clock.instant().plus(LEASE))).isPresent();
    }

    @Test
    void aFailingJobRecordsItsFailureAndRunsAgainNextPeriod() throws Exception {
        TestJob job = new TestJob(false);
        job.failure = new IllegalStateException("disk on fire");
        JobScheduler s = scheduler(store, "a", job);
        s.tick();
        JobRecord failed = awaitIdleAfter(1);
        assertThat(failed.lastOutcome()).isEqualTo(Outcome.FAILED);
        assertThat(failed.lastMessage()).contains("disk on fire");
        assertThat(failed.nextDueAt()).isEqualTo(clock.instant().plus(INTERVAL));

        job.failure = null;
        clock.advance(INTERVAL);
        s.tick();
        assertThat(awaitIdleAfter(2).lastOutcome()).isEqualTo(Outcome.OK);
        s.stop(Duration.ofSeconds(5));
    }

    /** {@code wharf jobs run} and the API only write a request into the database; the next poll starts the run. */
    @Test
    void aRunRequestedThroughTheDatabaseStartsAtTheNextPoll() throws Exception {
        TestJob job = new TestJob(false);
        JobScheduler s = scheduler(store, "a", job);
        s.tick();
        awaitIdleAfter(1);
        assertThat(otherStore.requestJobRun("test", clock.instant())).isTrue();
        s.tick();
        JobRecord row = awaitIdleAfter(2);
        assertThat(row.runRequestedAt()).isNull();
        assertThat(row.nextDueAt()).as("the period restarts with the requested run").isEqualTo(clock.instant().plus(INTERVAL));
        s.stop(Duration.ofSeconds(5));
    }

    @Test
    void runNowRunsHereAndReturnsTheResult() throws Exception {
        TestJob job = new TestJob(false);
        JobScheduler s = new JobScheduler(store, clock, SETTINGS, "a");
        s.register(job, Duration.ZERO);
        s.tick();
        assertThat(job.started).as("on request only").hasValue(0);
        JobResult result = s.runNow("test").orElseThrow().get(5, TimeUnit.SECONDS);
        assertThat(result.outcome()).isEqualTo(Outcome.OK);
        assertThat(awaitIdleAfter(1).nextDueAt()).isNull();
        s.stop(Duration.ofSeconds(5));
    }

    @Test
    void runNowWhileARunGoesOnHereNudgesItInsteadOfStartingAnother() throws Exception {
        TestJob job = new TestJob(true);
        JobScheduler s = new JobScheduler(store, clock, SETTINGS, "a");
        s.register(job, Duration.ZERO);
        var first = s.runNow("test").orElseThrow();
        assertThat(job.counted.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(job.nudged).as("nothing running yet when it started").hasValue(0);

        assertThat(s.runNow("test")).as("the run going on").isPresent();
        assertThat(job.nudged).hasValue(1);
        assertThat(job.started).hasValue(1);
        job.gate.release();
        assertThat(first.get(5, TimeUnit.SECONDS).outcome()).isEqualTo(Outcome.OK);
        s.stop(Duration.ofSeconds(5));
    }
}
