package io.wharf.storage.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

/**
 * Metadata in a PostgreSQL database shared by any number of nodes (issue 10, cluster mode).
 *
 * <p>One pool serves writes and reads. Other nodes write too, so nothing is cached between writes. Strings
 * are sent untyped ({@code stringtype=unspecified}): {@link Jdbc} binds NULL as VARCHAR, which the server
 * then fits to the column's type (BIGINT, BYTEA) as SQLite does.
 *
 * <p>Not yet done: retries of serialization failures and deadlocks, and row locks where a check guards a
 * write under READ COMMITTED (the SQLite code relies on its single writer there).
 */
public final class PostgresMetadataStore {

    public static final int DEFAULT_POOL_SIZE = 10;

    private PostgresMetadataStore() {
    }

    /**
     * Migrates the database at {@code jdbcUrl} ({@code jdbc:postgresql://host:port/db}) and opens a store on it.
     *
     * @param password null for none (trust or peer authentication)
     */
    public static JdbcMetadataStore open(String jdbcUrl, String user, String password, int poolSize) {
        HikariDataSource pool = pool(jdbcUrl, user, password, poolSize);
        try {
            JdbcMetadataStore.migrate(PostgresDialect.INSTANCE, pool);
        } catch (RuntimeException e) {
            pool.close();
            throw e;
        }
        return new JdbcMetadataStore(PostgresDialect.INSTANCE, pool, pool, pool::close);
    }

    /**
     * Opens the database for reading only ({@code wharf usage}, {@code wharf gc --dry-run}): no migration, every
     * connection read-only, so an inspecting tool can neither change the schema nor write.
     */
    public static JdbcMetadataStore openReadOnly(String jdbcUrl, String user, String password, int poolSize) {
        HikariDataSource pool = pool(jdbcUrl, user, password, poolSize);
        pool.setReadOnly(true);
        return new JdbcMetadataStore(PostgresDialect.INSTANCE, pool, pool, pool::close);
    }

    private static HikariDataSource pool(String jdbcUrl, String user, String password, int size) {
        HikariConfig config = new HikariConfig();
        config.setPoolName("wharf-postgres");
        config.setJdbcUrl(jdbcUrl);
        config.setUsername(user);
        config.setPassword(password);
        config.addDataSourceProperty("stringtype", "unspecified");
        config.setMaximumPoolSize(size);
        config.setMinimumIdle(1);
        config.setConnectionTimeout(30_000);
        return new HikariDataSource(config);
    }
}
