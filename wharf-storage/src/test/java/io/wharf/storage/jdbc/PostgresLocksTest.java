package io.wharf.storage.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wharf.core.model.Digest;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
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

/** {@link PostgresLocks} on real PostgreSQL: holders on different connections exclude each other. */
@Tag("postgres")
class PostgresLocksTest {
    private static final Digest BLOB = Digest.sha256Of("blob".getBytes(StandardCharsets.UTF_8));

    private final String url = PostgresServer.get().createDatabase();
    private final PostgresLocks locks = PostgresLocks.open(url, PostgresServer.USER, null, 8);
    private final ExecutorService threads = Executors.newFixedThreadPool(4);

    @AfterEach
    void tearDown() {
        threads.shutdownNow();
        locks.close();
    }

    @Test
    void holdersOfOneKeyNeverOverlapAndOfOtherKeysDo() throws Exception {
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        List<Future<?>> running = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            running.add(threads.submit(() -> {
                for (int i = 0; i < 15; i++) {
                    locks.run(BLOB, () -> {
                        most.accumulateAndGet(inside.incrementAndGet(), Math::max);
                        sleep(2);
                        inside.decrementAndGet();
                    });
                }
            }));
        }
        for (Future<?> f : running) {
            f.get(60, TimeUnit.SECONDS);
        }
        assertThat(most).hasValue(1);
        // another key is free while this one is held
        assertThat(locks.holding("blob:" + BLOB, () -> within5s(threads.submit(() -> locks.holding("other", () -> "free")))))
                .isEqualTo("free");
    }

    @Test
    void aLockOfASessionThatDiesIsReleased() throws Exception {
        try (Connection other = DriverManager.getConnection(url, PostgresServer.USER, null)) {
            query(other, "SELECT pg_advisory_lock(" + PostgresDialect.lockKey("blob:" + BLOB) + ")");
            CountDownLatch entered = new CountDownLatch(1);
            threads.submit(() -> locks.run(BLOB, entered::countDown));
            assertThat(entered.await(500, TimeUnit.MILLISECONDS)).as("entered while another session held it").isFalse();
            try (Connection admin = DriverManager.getConnection(url, PostgresServer.USER, null)) {
                query(admin, "SELECT pg_terminate_backend(" + query(other, "SELECT pg_backend_pid()") + ")");
            }
            assertThat(entered.await(10, TimeUnit.SECONDS)).as("entered once that session died").isTrue();
        }
    }

    @Test
    void aFailingHolderReleasesTheLockAndAHolderMayNestIt() throws Exception {
        assertThatThrownBy(() -> locks.holding("k", () -> {
            throw new IllegalStateException("work failed");
        })).hasMessage("work failed");
        assertThat(locks.holding("k", () -> locks.holding("k", () -> "nested"))).isEqualTo("nested");
        try (Connection other = DriverManager.getConnection(url, PostgresServer.USER, null)) {
            assertThat(query(other, "SELECT pg_try_advisory_lock(" + PostgresDialect.lockKey("k") + ")")).isEqualTo("t");
        }
    }

    @Test
    void lockKeysAreStableSixtyFourBitNumbers() {
        assertThat(PostgresDialect.lockKey("blob:" + BLOB)).isEqualTo(PostgresDialect.lockKey("blob:" + BLOB));
        // "Aa" and "BB" share a String.hashCode
        assertThat(PostgresDialect.lockKey("Aa")).isNotEqualTo(PostgresDialect.lockKey("BB"));
        assertThat(PostgresDialect.lockKey("")).isEqualTo(0xe3b0c44298fc1c14L); // SHA-256 of nothing begins e3b0c442 98fc1c14
    }

    private static String query(Connection c, String sql) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static <T> T within5s(Future<T> f) {
        try {
            return f.get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("another key's holder did not get through", e);
        }
    }

    private static void sleep(int millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
