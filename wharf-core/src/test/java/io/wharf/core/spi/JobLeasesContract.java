package io.wharf.core.spi;

import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.core.spi.JobRecord.Outcome;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The contract of {@link JobLeases}; every backend runs it. Instants are whole milliseconds, as stored. */
public abstract class JobLeasesContract {
    protected static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final Duration HOUR = Duration.ofHours(1);

    protected MetadataStore store;

    protected abstract MetadataStore createStore();

    @BeforeEach
    void open() {
        store = createStore();
        store.registerJob("sweep", HOUR, T0);
    }

    @AfterEach
    void close() {
        store.close();
    }

    private static Instant at(long seconds) {
        return T0.plusSeconds(seconds);
    }

    @Test
    void aDueJobIsLeasedToExactlyOneOfManyRacingOwners() throws Exception {
        List<Callable<Optional<JobLease>>> racers = java.util.stream.IntStream.range(0, 8)
                .<Callable<Optional<JobLease>>>mapToObj(i -> () -> store.acquireJob("sweep", "node-" + i, at(1), at(31)))
                .toList();
        try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
            long winners = 0;
            for (Future<Optional<JobLease>> f : pool.invokeAll(racers)) {
                winners += f.get().isPresent() ? 1 : 0;
            }
            assertThat(winners).isEqualTo(1);
        }
        JobRecord row = store.findJob("sweep").orElseThrow();
        assertThat(row.running()).isTrue();
        assertThat(row.leaseExpiresAt()).isEqualTo(at(31));
        assertThat(row.lastStartedAt()).isEqualTo(at(1));
    }

    @Test
    void aJobNotYetDueIsNotLeased() {
        store.registerJob("later", HOUR, at(100));
        assertThat(store.acquireJob("later", "a", at(99), at(130))).isEmpty();
        assertThat(store.acquireJob("later", "a", at(100), at(130))).isPresent();
        assertThat(store.acquireJob("unknown", "a", at(100), at(130))).isEmpty();
    }

    @Test
    void onlyTheOwnerOfTheCurrentLeaseRenewsIt() {
        JobLease lease = store.acquireJob("sweep", "a", at(0), at(30)).orElseThrow();
        assertThat(store.renewJob(new JobLease("sweep", "b", at(30)), at(40), Map.of())).isEmpty();
        assertThat(store.renewJob(new JobLease("sweep", "a", at(29)), at(40), Map.of())).as("stale expiry").isEmpty();
        JobLease renewed = store.renewJob(lease, at(40), Map.of("blobs", 7L)).orElseThrow();
        assertThat(renewed.expiresAt()).isEqualTo(at(40));
        assertThat(store.renewJob(lease, at(50), Map.of())).as("the old lease is gone").isEmpty();
        JobRecord row = store.findJob("sweep").orElseThrow();
        assertThat(row.leaseExpiresAt()).isEqualTo(at(40));
        assertThat(row.counters()).containsEntry("blobs", 7L);
    }

    @Test
    void aHeldLeaseIsTakenOverOnlyOnceItExpired() {
        JobLease dead = store.acquireJob("sweep", "a", at(0), at(30)).orElseThrow();
        assertThat(store.acquireJob("sweep", "b", at(30), at(60))).as("expires at 30: still held").isEmpty();
        JobLease taken = store.acquireJob("sweep", "b", at(31), at(61)).orElseThrow();
        assertThat(taken.owner()).isEqualTo("b");
        assertThat(store.renewJob(dead, at(90), Map.of())).as("the dead owner lost it").isEmpty();
        assertThat(store.finishJob(dead, Outcome.OK, "late", Map.of(), at(32), at(100))).isFalse();
        assertThat(store.findJob("sweep").orElseThrow().owner()).isEqualTo("b");
    }

    /** A run on request only (interval zero: never due by time) whose runner died is taken over all the same. */
    @Test
    void anAbandonedRunOfAnOnRequestJobIsTakenOverOnceItsLeaseExpired() {
        store.registerJob("gc", Duration.ZERO, null);
        assertThat(store.acquireJob("gc", "a", at(0), at(30))).as("not requested").isEmpty();
        store.requestJobRun("gc", at(1));
        JobLease dead = store.acquireJob("gc", "a", at(2), at(32)).orElseThrow();
        assertThat(store.acquireJob("gc", "b", at(32), at(62))).as("still held").isEmpty();
        JobLease taken = store.acquireJob("gc", "b", at(33), at(63)).orElseThrow();
        assertThat(taken.owner()).isEqualTo("b");
        assertThat(store.renewJob(dead, at(90), Map.of())).as("the dead owner lost it").isEmpty();
        assertThat(store.finishJob(taken, Outcome.OK, "done", Map.of(), at(40), null)).isTrue();
        assertThat(store.acquireJob("gc", "a", at(41), at(71))).as("finished: not due again until requested").isEmpty();
    }

    @Test
    void finishingRecordsTheOutcomeReleasesTheLeaseAndSchedulesTheNextRun() {
        JobLease lease = store.acquireJob("sweep", "a", at(0), at(30)).orElseThrow();
        assertThat(store.finishJob(lease, Outcome.FAILED, "disk on fire", Map.of("removed", 3L), at(5), at(3600))).isTrue();
        JobRecord row = store.findJob("sweep").orElseThrow();
        assertThat(row.running()).isFalse();
        assertThat(row.owner()).isNull();
        assertThat(row.leaseExpiresAt()).isNull();
        assertThat(row.lastStartedAt()).isEqualTo(at(0));
        assertThat(row.lastEndedAt()).isEqualTo(at(5));
        assertThat(row.lastOutcome()).isEqualTo(Outcome.FAILED);
        assertThat(row.lastMessage()).isEqualTo("disk on fire");
        assertThat(row.counters()).isEqualTo(Map.of("removed", 3L));
        assertThat(row.nextDueAt()).isEqualTo(at(3600));
        assertThat(row.interval()).isEqualTo(HOUR);
        assertThat(store.acquireJob("sweep", "b", at(6), at(36))).as("not due until 3600").isEmpty();
        assertThat(store.acquireJob("sweep", "b", at(3600), at(3630))).isPresent();
    }

    @Test
    void aCancelledRunKeepsItsDueTime() {
        JobLease lease = store.acquireJob("sweep", "a", at(0), at(30)).orElseThrow();
        assertThat(store.finishJob(lease, Outcome.CANCELLED, "stopping", Map.of(), at(1), null)).isTrue();
        assertThat(store.findJob("sweep").orElseThrow().nextDueAt()).isEqualTo(T0);
        assertThat(store.acquireJob("sweep", "b", at(2), at(32))).as("still due").isPresent();
    }

    @Test
    void aRunRequestMakesAJobDueAndIsConsumedByTheRunThatStarts() {
        JobLease first = store.acquireJob("sweep", "a", at(0), at(30)).orElseThrow();
        store.finishJob(first, Outcome.OK, null, Map.of(), at(1), at(3600));
        assertThat(store.requestJobRun("sweep", at(2))).isTrue();
        assertThat(store.requestJobRun("unknown", at(2))).isFalse();
        assertThat(store.findJob("sweep").orElseThrow().runRequestedAt()).isEqualTo(at(2));
        JobLease second = store.acquireJob("sweep", "b", at(3), at(33)).orElseThrow();
        assertThat(store.findJob("sweep").orElseThrow().runRequestedAt()).isNull();
        assertThat(store.requestJobRun("sweep", at(4))).as("asked while it runs").isTrue();
        store.finishJob(second, Outcome.OK, null, Map.of(), at(5), at(3600));
        assertThat(store.acquireJob("sweep", "a", at(6), at(36))).as("the request made during the run").isPresent();
    }

    @Test
    void reRegisteringKeepsTheScheduleUnlessTheNewDueTimeIsSooner() {
        JobLease lease = store.acquireJob("sweep", "a", at(0), at(30)).orElseThrow();
        store.finishJob(lease, Outcome.OK, "done", Map.of(), at(1), at(3600));
        store.registerJob("sweep", HOUR, at(7200));
        assertThat(store.findJob("sweep").orElseThrow().nextDueAt()).isEqualTo(at(3600));
        store.registerJob("sweep", Duration.ofMinutes(1), at(60));
        JobRecord row = store.findJob("sweep").orElseThrow();
        assertThat(row.nextDueAt()).isEqualTo(at(60));
        assertThat(row.interval()).isEqualTo(Duration.ofMinutes(1));
        assertThat(row.lastMessage()).as("history kept").isEqualTo("done");
    }

    @Test
    void breakingLeasesFreesEveryHeldJobAndRecordsTheRunAsFailed() {
        store.registerJob("scrub", HOUR, T0);
        store.acquireJob("sweep", "dead-node", at(0), at(30)).orElseThrow();
        assertThat(store.breakJobLeases(at(10))).isEqualTo(1);
        JobRecord row = store.findJob("sweep").orElseThrow();
        assertThat(row.running()).isFalse();
        assertThat(row.lastOutcome()).isEqualTo(Outcome.FAILED);
        assertThat(row.lastMessage()).contains("dead-node");
        assertThat(store.acquireJob("sweep", "b", at(11), at(41))).isPresent();
        assertThat(store.listJobs()).extracting(JobRecord::name).containsExactly("scrub", "sweep");
    }
}
