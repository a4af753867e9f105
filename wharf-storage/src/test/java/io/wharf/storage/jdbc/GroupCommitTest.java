package io.wharf.storage.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wharf.core.error.StorageFullException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link GroupCommit} on a real SQLite database: writes queued behind one another commit together, none is
 * acknowledged or readable before that commit, and each write's answer agrees with what is stored, whatever another
 * write of its group did.
 */
@Timeout(value = 1, unit = TimeUnit.MINUTES)
class GroupCommitTest {

    @TempDir
    Path dataDir;
    private JdbcMetadataStore store;
    private Jdbc jdbc;
    /** Released to let the write that holds the writer finish. */
    private final CountDownLatch release = new CountDownLatch(1);

    @BeforeEach
    void open() throws Exception {
        store = SqliteMetadataStore.openExclusive(dataDir);
        jdbc = store.jdbc();
        jdbc.writeUncached("create", c -> Jdbc.update(c, "CREATE TABLE grouped (n INTEGER PRIMARY KEY, pad BLOB)"));
    }

    @AfterEach
    void close() {
        release.countDown();
        store.close();
    }

    @Test
    void queuedWritesCommitOnceTogetherAndNobodyReadsThemBefore() throws Exception {
        long before = jdbc.groups().commits();
        CompletableFuture<Long> holder = holdTheWriter(false);
        List<CompletableFuture<Long>> writes = new ArrayList<>();
        for (int n = 1; n <= 10; n++) {
            int row = n;
            writes.add(queue(() -> jdbc.writeUncached("insert", c -> {
                Jdbc.update(c, "INSERT INTO grouped (n) VALUES (?)", row);
                return committedRowsSeenFromOutside();
            })));
        }
        release.countDown();

        assertThat(holder.get()).isZero();
        for (CompletableFuture<Long> write : writes) {
            assertThat(write.get()).as("another connection reads nothing of the group before its commit").isZero();
        }
        assertThat(committedRowsSeenFromOutside()).isEqualTo(11);
        assertThat(jdbc.groups().commits() - before).as("one commit for the eleven writes").isEqualTo(1);
    }

    /** A write whose work is done is not answered while the next write of its group still works: they commit together. */
    @Test
    void aWriteDoneWaitsForTheRestOfItsGroup() throws Exception {
        CompletableFuture<Long> holder = holdTheWriter(false);
        CountDownLatch working = new CountDownLatch(1);
        CountDownLatch finish = new CountDownLatch(1);
        CompletableFuture<Long> slow = queue(() -> jdbc.writeUncached("slow", c -> {
            Jdbc.update(c, "INSERT INTO grouped (n) VALUES (1)");
            working.countDown();
            await(finish);
            return 1L;
        }));
        release.countDown();
        assertThat(working.await(10, TimeUnit.SECONDS)).isTrue();
        Thread.sleep(200);

        assertThat(holder).as("done, waiting for its group's commit").isNotDone();
        assertThat(committedRowsSeenFromOutside()).isZero();
        finish.countDown();
        assertThat(holder.get()).isZero();
        assertThat(slow.get()).isEqualTo(1);
        assertThat(committedRowsSeenFromOutside()).isEqualTo(2);
    }

    @Test
    void aFailedWriteIsUndoneAloneAndTheRestOfItsGroupCommits() throws Exception {
        CompletableFuture<Long> holder = holdTheWriter(false);
        CompletableFuture<Long> first = queue(() -> insert(1));
        CompletableFuture<Long> failing = queue(() -> jdbc.writeUncached("insert and fail", c -> {
            Jdbc.update(c, "INSERT INTO grouped (n) VALUES (2)");
            throw new IllegalStateException("a check failed after the write");
        }));
        CompletableFuture<Long> last = queue(() -> insert(3));
        release.countDown();

        holder.get();
        first.get();
        last.get();
        assertThatThrownBy(failing::get).hasRootCauseInstanceOf(IllegalStateException.class);
        assertThat(rows()).containsExactly(0L, 1L, 3L);
    }

    /** SQLite ending the transaction itself (as it may on FULL or IOERR): the writes before in the group fail too. */
    @Test
    void aWriteWhoseTransactionSqliteEndedFailsTheWritesItWasGroupedWith() throws Exception {
        CompletableFuture<Long> holder = holdTheWriter(false);
        CompletableFuture<Long> before = queue(() -> insert(1));
        CompletableFuture<Long> ending = queue(() -> jdbc.writeUncached("end the transaction", c -> {
            Jdbc.update(c, "INSERT INTO grouped (n) VALUES (2)");
            try (Statement s = c.createStatement()) {
                s.execute("ROLLBACK");
            }
            throw new SQLException("rolled back under the write's feet");
        }));
        CompletableFuture<Long> after = queue(() -> insert(3));
        release.countDown();

        assertThatThrownBy(holder::get).hasRootCauseMessage("rolled back under the write's feet");
        assertThatThrownBy(before::get).hasRootCauseMessage("rolled back under the write's feet");
        assertThatThrownBy(ending::get).hasRootCauseMessage("rolled back under the write's feet");
        assertThat(after.get()).as("the next write begins a transaction of its own").isEqualTo(1);
        assertThat(rows()).containsExactly(3L);
        assertThat(insert(4)).isEqualTo(1);
    }

    /** A full database: each write's answer agrees with what is stored (SQLite may undo the statement or the lot). */
    @Test
    void aFullDatabaseAnswersEachWriteAsItStoredIt() throws Exception {
        jdbc.writeUncached("cap the database", c -> {
            try (Statement s = c.createStatement()) {
                s.execute("PRAGMA max_page_count = " + (pages(c) + 8));
            }
            return null;
        });
        CompletableFuture<Long> holder = holdTheWriter(false);
        List<CompletableFuture<Long>> writes = new ArrayList<>();
        for (int n = 1; n <= 8; n++) {
            int row = n;
            writes.add(queue(() -> jdbc.writeUncached("insert padding", c ->
                    (long) Jdbc.update(c, "INSERT INTO grouped (n, pad) VALUES (?, zeroblob(6000))", row))));
        }
        release.countDown();
        List<CompletableFuture<Long>> all = new ArrayList<>(List.of(holder));
        all.addAll(writes);
        CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).handle((v, e) -> null).get();

        List<Long> stored = rows();
        int refused = 0;
        for (int n = 0; n < all.size(); n++) {
            CompletableFuture<Long> write = all.get(n);
            boolean acknowledged = write.handle((v, e) -> e == null).get();
            if (!acknowledged) {
                refused++;
                assertThat(stored).as("write %d was refused", n).doesNotContain((long) n);
                assertThatThrownBy(write::get).hasCauseInstanceOf(StorageFullException.class);
            } else {
                assertThat(stored).as("write %d was acknowledged", n).contains((long) n);
            }
        }
        assertThat(refused).as("the capped database refused some").isPositive();
    }

    /** A relaxed group is committed before an ordinary write begins its own, at full sync. */
    @Test
    void anOrdinaryWriteDoesNotJoinARelaxedGroup() throws Exception {
        long before = jdbc.groups().commits();
        CompletableFuture<Long> holder = holdTheWriter(true);
        CompletableFuture<String> ordinary = queue(() -> jdbc.writeUncached("ordinary", c -> {
            Jdbc.update(c, "INSERT INTO grouped (n) VALUES (1)");
            return Jdbc.queryOne(c, "PRAGMA synchronous", rs -> rs.getString(1)).orElseThrow();
        }));
        CompletableFuture<String> relaxed = queue(() -> jdbc.writeRelaxed("relaxed", c -> {
            Jdbc.update(c, "INSERT INTO grouped (n) VALUES (2)");
            return Jdbc.queryOne(c, "PRAGMA synchronous", rs -> rs.getString(1)).orElseThrow();
        }));
        release.countDown();

        holder.get();
        assertThat(ordinary.get()).as("FULL").isEqualTo("2");
        assertThat(relaxed.get()).as("joined the ordinary group: FULL").isEqualTo("2");
        assertThat(jdbc.groups().commits() - before).isEqualTo(2);
        assertThat(rows()).containsExactly(0L, 1L, 2L);
        String after = jdbc.writeUncached("after",
                c -> Jdbc.queryOne(c, "PRAGMA synchronous", rs -> rs.getString(1)).orElseThrow());
        assertThat(after).isEqualTo("2");
    }

    /** The limit on queueing for the writer: past it a write is refused as the database being busy (a 503). */
    @Test
    void aWriteThatCannotHaveTheWriterInTimeIsRefusedAsBusy() throws Exception {
        org.sqlite.SQLiteDataSource file = new org.sqlite.SQLiteDataSource();
        file.setUrl("jdbc:sqlite:" + dataDir.resolve("limited.db"));
        com.zaxxer.hikari.HikariConfig config = new com.zaxxer.hikari.HikariConfig();
        config.setDataSource(file);
        config.setMaximumPoolSize(1);
        try (com.zaxxer.hikari.HikariDataSource pool = new com.zaxxer.hikari.HikariDataSource(config)) {
            GroupCommit groups = new GroupCommit(pool, 32, java.time.Duration.ofMillis(200));
            groups.run(c -> Jdbc.update(c, "CREATE TABLE t (n INTEGER)"), false);
            CountDownLatch holding = new CountDownLatch(1);
            CompletableFuture<Integer> holder = CompletableFuture.supplyAsync(() -> {
                try {
                    return groups.run(c -> {
                        holding.countDown();
                        await(release);
                        return Jdbc.update(c, "INSERT INTO t (n) VALUES (1)");
                    }, false);
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
            });
            assertThat(holding.await(10, TimeUnit.SECONDS)).isTrue();

            assertThatThrownBy(() -> groups.run(c -> Jdbc.update(c, "INSERT INTO t (n) VALUES (2)"), false))
                    .isInstanceOfSatisfying(SQLException.class, e -> assertThat(SqliteDialect.INSTANCE.fault(e))
                            .isEqualTo(SqlDialect.Fault.UNAVAILABLE))
                    .hasMessageContaining("waited 200 ms for the writer in vain");
            release.countDown();
            assertThat(holder.get()).isEqualTo(1);
            List<Integer> rows = groups.run(c -> Jdbc.query(c, "SELECT n FROM t", rs -> rs.getInt(1)), false);
            assertThat(rows).containsExactly(1);
        }
    }

    /** Starts a write of row 0 that keeps the writer until {@link #release}; returns once it has it. */
    private CompletableFuture<Long> holdTheWriter(boolean relaxed) throws InterruptedException {
        CountDownLatch holding = new CountDownLatch(1);
        Jdbc.Work<Long> work = c -> {
            Jdbc.update(c, "INSERT INTO grouped (n) VALUES (0)");
            holding.countDown();
            await(release);
            return committedRowsSeenFromOutside();
        };
        CompletableFuture<Long> holder = CompletableFuture.supplyAsync(() -> relaxed
                ? jdbc.writeRelaxed("hold", work) : jdbc.writeUncached("hold", work));
        assertThat(holding.await(10, TimeUnit.SECONDS)).isTrue();
        return holder;
    }

    /** Starts a write on a thread of its own; returns once it queues for the writer, so queue order is call order. */
    private <T> CompletableFuture<T> queue(java.util.function.Supplier<T> write) throws InterruptedException {
        int queued = jdbc.groups().queued();
        CompletableFuture<T> future = CompletableFuture.supplyAsync(write, Thread::startVirtualThread);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (jdbc.groups().queued() <= queued) {
            assertThat(System.nanoTime()).as("the write queued").isLessThan(deadline);
            Thread.sleep(1);
        }
        return future;
    }

    private long insert(int row) {
        return jdbc.writeUncached("insert", c -> (long) Jdbc.update(c, "INSERT INTO grouped (n) VALUES (?)", row));
    }

    private List<Long> rows() {
        return jdbc.read("rows", c -> Jdbc.query(c, "SELECT n FROM grouped ORDER BY n", rs -> rs.getLong(1)));
    }

    /** Through a connection of its own, outside the store's pools. */
    private long committedRowsSeenFromOutside() throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dataDir.resolve(SqliteMetadataStore.FILE_NAME))) {
            return Jdbc.queryOne(c, "SELECT COUNT(*) FROM grouped", rs -> rs.getLong(1)).orElseThrow();
        }
    }

    private static long pages(Connection c) throws SQLException {
        return Jdbc.queryOne(c, "SELECT page_count FROM pragma_page_count()", rs -> rs.getLong(1)).orElseThrow();
    }

    private static void await(CountDownLatch latch) {
        try {
            assertThat(latch.await(30, TimeUnit.SECONDS)).isTrue();
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }
}
