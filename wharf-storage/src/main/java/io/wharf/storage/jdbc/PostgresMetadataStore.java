package io.wharf.storage.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Properties;
import javax.sql.DataSource;

/**
 * Metadata in a PostgreSQL database shared by any number of nodes (issue 10, cluster mode).
 *
 * <p>One pool serves writes and reads. The pull path's read cache is on while the node hears of every other
 * node's commits: a {@link PostgresListener} on a connection of its own (see there; off while it is lost). Strings
 * are sent untyped ({@code stringtype=unspecified}): {@link Jdbc} binds NULL as VARCHAR, which the server
 * then fits to the column's type (BIGINT, BYTEA) as SQLite does.
 *
 * <p>READ COMMITTED: checks inside write transactions lock what they read ({@link SqlDialect#lockRows},
 * {@link SqlDialect#lock}), and transactions aborted for a conflict are run again ({@link Jdbc#write}).
 * See docs/storage.md, "PostgreSQL metadata".
 */
public final class PostgresMetadataStore {
    /** How long a request waits for a connection by default (storage.postgres.connection-timeout). */
    public static final Duration DEFAULT_CONNECTION_TIMEOUT = Duration.ofSeconds(3);
    public static final int DEFAULT_POOL_SIZE = 10;
    /** How long the listener waits on a silent connection before it counts it lost (and the cache goes off). */
    static final Duration LISTENER_SOCKET_TIMEOUT = Duration.ofSeconds(10);

    private PostgresMetadataStore() {
    }

    /**
     * Migrates the database at {@code jdbcUrl} ({@code jdbc:postgresql://host:port/db}) and opens a store on it.
     *
     * @param password null for none (trust or peer authentication)
     */
    public static JdbcMetadataStore open(String jdbcUrl, String user, String password, int poolSize) {
        return open(jdbcUrl, user, password, poolSize, DEFAULT_CONNECTION_TIMEOUT);
    }

    /**
     * As {@link #open(String, String, String, int)}, a request waiting at most {@code connectionTimeout} for a
     * connection: with the database down, requests are answered "unavailable" that soon instead of hanging.
     */
    public static JdbcMetadataStore open(String jdbcUrl, String user, String password, int poolSize,
                                         Duration connectionTimeout) {
        HikariDataSource pool = pool(jdbcUrl, user, password, poolSize, false);
        pool.setConnectionTimeout(Math.max(250, connectionTimeout.toMillis()));
        return open(jdbcUrl, user, password, pool, pool);
    }

    /** As {@link #open(String, String, String, int)} on {@code dataSource} (tests count its connections). */
    static JdbcMetadataStore open(String jdbcUrl, String user, String password, DataSource dataSource,
                                  AutoCloseable pool) {
        try {
            JdbcMetadataStore.migrate(PostgresDialect.INSTANCE, dataSource);
        } catch (RuntimeException e) {
            closeQuietly(pool);
            throw e;
        }
        ReadCache cache = ReadCache.shared();
        PostgresListener listener = PostgresListener.start(() -> listenerConnection(jdbcUrl, user, password), cache);
        return new JdbcMetadataStore(PostgresDialect.INSTANCE, dataSource, dataSource, () -> {
            listener.close();
            pool.close();
        }, cache, listener::identityVersion, null);
    }

    /** Outside the pool: it stays open as long as the store, and a socket timeout bounds a silent peer. */
    private static Connection listenerConnection(String jdbcUrl, String user, String password) throws SQLException {
        Properties props = new Properties();
        if (user != null) {
            props.setProperty("user", user);
        }
        if (password != null) {
            props.setProperty("password", password);
        }
        props.setProperty("ApplicationName", "wharf-listener");
        props.setProperty("socketTimeout", String.valueOf(LISTENER_SOCKET_TIMEOUT.toSeconds()));
        props.setProperty("tcpKeepAlive", "true");
        return DriverManager.getConnection(jdbcUrl, props);
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception ignored) {
            // the failure being reported matters more
        }
    }

    /**
     * Opens the database for reading only ({@code wharf usage}, {@code wharf gc --dry-run}): no migration, every
     * connection read-only, so an inspecting tool can neither change the schema nor write.
     */
    public static JdbcMetadataStore openReadOnly(String jdbcUrl, String user, String password, int poolSize) {
        HikariDataSource pool = pool(jdbcUrl, user, password, poolSize, true);
        return new JdbcMetadataStore(PostgresDialect.INSTANCE, pool, pool, pool::close);
    }

    private static HikariDataSource pool(String jdbcUrl, String user, String password, int size, boolean readOnly) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(jdbcUrl);
        config.setUsername(user);
        config.setPassword(password);
        config.setPoolName("wharf-postgres");
        config.addDataSourceProperty("stringtype", "unspecified");
        config.setMaximumPoolSize(size);
        config.setReadOnly(readOnly);
        config.setMinimumIdle(1);
        config.setConnectionTimeout(DEFAULT_CONNECTION_TIMEOUT.toMillis());
        return new HikariDataSource(config);
    }
}
