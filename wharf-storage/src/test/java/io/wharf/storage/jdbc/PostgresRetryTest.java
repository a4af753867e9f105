package io.wharf.storage.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wharf.core.error.StorageUnavailableException;
import io.wharf.core.model.RepositoryName;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A real deadlock between two transactions on PostgreSQL: each locks one row, then wants the other's. The
 * server aborts one of them (40P01); {@link Jdbc#write} runs that one again, whole, and both commit.
 */
@Tag("postgres")
class PostgresRetryTest {
    private static final String TOUCH = "UPDATE repository SET scan_on_push = 1 - scan_on_push WHERE id = ?";

    private final JdbcMetadataStore store = PostgresServer.get().openStore(PostgresServer.get().createDatabase());
    private final ExecutorService threads = Executors.newFixedThreadPool(2);
    private final long a = store.createRepository("1", RepositoryName.parse("a"), Instant.EPOCH).id();
    private final long b = store.createRepository("1", RepositoryName.parse("b"), Instant.EPOCH).id();

    @AfterEach
    void tearDown() {
        threads.shutdownNow();
        store.close();
    }

    @Test
    void theVictimOfADeadlockIsRunAgainAndBothCommit() throws Exception {
        CountDownLatch bothHoldOne = new CountDownLatch(2);
        AtomicInteger attempts = new AtomicInteger();
        Future<String> ab = threads.submit(() -> crossing(a, b, bothHoldOne, attempts));
        Future<String> ba = threads.submit(() -> crossing(b, a, bothHoldOne, attempts));
        assertThat(List.of(ab.get(30, TimeUnit.SECONDS), ba.get(30, TimeUnit.SECONDS))).containsOnly("committed");
        // at least one ran again (the victim's new attempt may meet the other again, and lose once more)
        assertThat(attempts.get()).as("attempts").isGreaterThanOrEqualTo(3);
        // each row was flipped twice, once by each transaction: both committed exactly once
        assertThat(store.findRepository("1", RepositoryName.parse("a")).orElseThrow().settings().scanOnPush()).isFalse();
        assertThat(store.isHealthy()).as("a conflict is not a storage failure").isTrue();
    }

    @Test
    void aConflictThatNeverEndsFailsAfterTheLastAttempt() {
        AtomicInteger attempts = new AtomicInteger();
        assertThatThrownBy(() -> store.jdbc().write("always conflict", c -> {
            attempts.incrementAndGet();
            Jdbc.update(c, "DO $$ BEGIN RAISE EXCEPTION 'busy' USING ERRCODE = '40001'; END $$");
            return null;
        })).isInstanceOf(StorageUnavailableException.class).hasMessageContaining("conflicting");
        assertThat(attempts).hasValue(Jdbc.MAX_ATTEMPTS);
    }

    /** Locks {@code first}, waits until the other transaction holds its row, then wants {@code second}. */
    private String crossing(long first, long second, CountDownLatch bothHoldOne, AtomicInteger attempts) {
        return store.jdbc().write("cross", c -> {
            attempts.incrementAndGet();
            Jdbc.update(c, TOUCH, first);
            bothHoldOne.countDown();
            try {
                bothHoldOne.await(10, TimeUnit.SECONDS); // the second attempt finds it open
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            Jdbc.update(c, TOUCH, second);
            return "committed";
        });
    }
}
