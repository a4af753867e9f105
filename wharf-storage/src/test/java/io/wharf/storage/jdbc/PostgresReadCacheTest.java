package io.wharf.storage.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.wharf.core.model.RepositoryName;
import io.wharf.core.spi.Repository;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Two stores on one database are two nodes: the read cache of each is on, and the other's commits reach it
 * through {@code LISTEN/NOTIFY}; while its listener is disconnected, it reads from the database.
 */
@Tag("postgres")
class PostgresReadCacheTest {
    private static final String ACCOUNT = "000000000000";
    private static final Duration BOUND = Duration.ofSeconds(5);
    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

    private final PostgresServer server = PostgresServer.get();
    private final String url = server.createDatabase();
    private final JdbcMetadataStore writer = server.openStore(url);
    private final CountingDataSource connections = new CountingDataSource(pool(url));
    private final JdbcMetadataStore reader = PostgresMetadataStore.open(url, PostgresServer.USER, null, connections,
            connections.pool);

    @AfterEach
    void close() {
        reader.close();
        writer.close();
    }

    @Test
    void anotherNodesWriteReachesACachedReadAndUnchangedReadsStayInMemory() throws Exception {
        RepositoryName name = RepositoryName.parse("team/app", 255);
        RepositoryName other = RepositoryName.parse("team/other", 255);
        awaitListening(reader);
        long heard = reader.jdbc().commitsHeard();
        Repository created = writer.createRepository(ACCOUNT, name, NOW);
        writer.createRepository(ACCOUNT, other, NOW);
        // both commits' notifications arrived: none can invalidate the cache in the middle of the counting below
        await(() -> reader.jdbc().commitsHeard() >= heard + 2, "the other node's writes heard");
        assertThat(reader.findRepository(ACCOUNT, name)).contains(created); // cached: present

        int before = connections.count.get();
        for (int i = 0; i < 100; i++) {
            assertThat(reader.findRepository(ACCOUNT, name)).contains(created);
        }
        assertThat(connections.count.get()).as("reads while nothing changed").isEqualTo(before);

        long heardBeforeDelete = reader.jdbc().commitsHeard();
        writer.deleteRepository(writer.findRepository(ACCOUNT, other).orElseThrow().id());
        // an absence is read from the database at once, the notification may come later: wait for it
        await(() -> reader.jdbc().commitsHeard() > heardBeforeDelete, "the other node's delete heard");
        assertThat(reader.findRepository(ACCOUNT, other)).isEmpty();
        reader.findRepository(ACCOUNT, name); // reloaded once after the change
        int after = connections.count.get();
        for (int i = 0; i < 100; i++) {
            reader.findRepository(ACCOUNT, name);
        }
        assertThat(connections.count.get()).as("reads after the change was seen").isEqualTo(after);
    }

    /**
     * A shared cache never remembers an absence: right after another node creates something (a push whose next
     * request reaches another node), this node finds it, before any notification has to arrive.
     */
    @Test
    void anAbsenceIsNotRememberedSoAnotherNodesCreateIsSeenAtOnce() throws Exception {
        RepositoryName name = RepositoryName.parse("team/new", 255);
        awaitListening(reader);
        assertThat(reader.findRepository(ACCOUNT, name)).isEmpty();
        Repository created = writer.createRepository(ACCOUNT, name, NOW);
        assertThat(reader.findRepository(ACCOUNT, name)).contains(created);
    }

    @Test
    void aLostListenerTurnsTheCacheOffUntilItListensAgain() throws Exception {
        RepositoryName name = RepositoryName.parse("lost/listener", 255);
        awaitListening(reader);
        reader.findRepository(ACCOUNT, name);

        terminateListeners();
        await(() -> !listening(reader), "the cache off once the listener is lost");
        int before = connections.count.get();
        reader.findRepository(ACCOUNT, name);
        reader.findRepository(ACCOUNT, name);
        assertThat(connections.count.get()).as("reads go to the database while not listening").isEqualTo(before + 2);

        awaitListening(reader); // reconnected by itself
        writer.createRepository(ACCOUNT, name, NOW);
        await(() -> reader.findRepository(ACCOUNT, name).isPresent(), "writes heard again after reconnecting");
    }

    @Test
    void identityWritesMoveTheIdentityVersionOfEveryNode() throws Exception {
        awaitListening(reader);
        long seen = reader.identityVersion().orElseThrow().getAsLong();
        writer.createRepository(ACCOUNT, RepositoryName.parse("not/identity", 255), NOW);
        Thread.sleep(300);
        assertThat(reader.identityVersion().orElseThrow().getAsLong()).as("a metadata write is no identity change")
                .isEqualTo(seen);
        JdbcIdentityStore.sharing(writer, new PlainSealer()).ensureAccount(ACCOUNT, NOW);
        await(() -> reader.identityVersion().orElseThrow().getAsLong() != seen, "the identity change heard");
    }

    private static boolean listening(JdbcMetadataStore store) {
        return store.jdbc().cacheLive();
    }

    private static void awaitListening(JdbcMetadataStore store) throws InterruptedException {
        await(() -> listening(store), "listening");
    }

    /** What an operator's {@code pg_terminate_backend} or a database restart does to the listener. */
    private void terminateListeners() throws SQLException {
        try (Connection c = DriverManager.getConnection(url, PostgresServer.USER, null);
             Statement s = c.createStatement()) {
            s.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'wharf-listener'");
        }
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + BOUND.toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as(what + " within " + BOUND).isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    private static HikariDataSource pool(String url) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        config.setUsername(PostgresServer.USER);
        config.addDataSourceProperty("stringtype", "unspecified");
        config.setMaximumPoolSize(2);
        return new HikariDataSource(config);
    }

    /** Counts the connections the store borrows: one per read that goes to the database. */
    private static final class CountingDataSource implements DataSource {
        final HikariDataSource pool;
        final AtomicInteger count = new AtomicInteger();

        CountingDataSource(HikariDataSource pool) {
            this.pool = pool;
        }

        @Override
        public Connection getConnection() throws SQLException {
            count.incrementAndGet();
            return pool.getConnection();
        }

        @Override
        public Connection getConnection(String user, String password) throws SQLException {
            count.incrementAndGet();
            return pool.getConnection(user, password);
        }

        @Override
        public PrintWriter getLogWriter() throws SQLException {
            return pool.getLogWriter();
        }

        @Override
        public void setLogWriter(PrintWriter out) throws SQLException {
            pool.setLogWriter(out);
        }

        @Override
        public void setLoginTimeout(int seconds) throws SQLException {
            pool.setLoginTimeout(seconds);
        }

        @Override
        public int getLoginTimeout() throws SQLException {
            return pool.getLoginTimeout();
        }

        @Override
        public Logger getParentLogger() throws SQLFeatureNotSupportedException {
            throw new SQLFeatureNotSupportedException();
        }

        @Override
        public <T> T unwrap(Class<T> iface) throws SQLException {
            return pool.unwrap(iface);
        }

        @Override
        public boolean isWrapperFor(Class<?> iface) throws SQLException {
            return pool.isWrapperFor(iface);
        }
    }

    /** Secrets in the clear: this test seals nothing that matters. */
    private static final class PlainSealer implements io.wharf.core.identity.SecretSealer {
        @Override
        public byte[] seal(String keyId, String secret) {
            return secret.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        }

        @Override
        public String open(String keyId, byte[] sealed) {
            return new String(sealed, java.nio.charset.StandardCharsets.UTF_8);
        }
    }
}
