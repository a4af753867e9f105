package io.wharf.storage.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/**
 * The embedded default: {@code <dataDir>/wharf.db}, in WAL mode.
 *
 * <p>Durability: {@code synchronous=FULL}. In WAL mode NORMAL already survives {@code kill -9} and
 * never corrupts, but a power loss can roll back the last commits, i.e. writes the client was told
 * had succeeded. FULL syncs the WAL at every commit; metadata commits are a handful per pushed
 * image, so the cost (one fsync each) does not show next to the blob transfers.
 *
 * <p>Concurrency: SQLite has one writer at a time. All transactions go through a pool of a single
 * connection, so concurrent writers wait in the pool (fairly, with a timeout) rather than fail with
 * SQLITE_BUSY; {@code BEGIN IMMEDIATE} and {@code busy_timeout} cover another process (an admin
 * command) holding the lock. Reads use their own pool: WAL readers never block the writer.
 */
public final class SqliteMetadataStore {

    public static final String FILE_NAME = "wharf.db";
    private static final int READ_CONNECTIONS = 8;
    private static final int BUSY_TIMEOUT_MS = 10_000;

    private SqliteMetadataStore() {
    }

    /** Opens (creating and migrating if needed) the database in {@code dataDir}. */
    public static JdbcMetadataStore open(Path dataDir) {
        Path file = createDirectories(dataDir).resolve(FILE_NAME);
        String url = "jdbc:sqlite:" + file.toAbsolutePath();
        // an unpooled connection for Flyway, which may want more connections than the write pool has
        JdbcMetadataStore.migrate(SqliteDialect.INSTANCE, dataSource(url, true));
        HikariDataSource writes = pool("wharf-sqlite-write", dataSource(url, true), 1, null);
        HikariDataSource reads;
        try {
            reads = pool("wharf-sqlite-read", dataSource(url, false), READ_CONNECTIONS, "PRAGMA query_only = ON");
        } catch (RuntimeException e) {
            writes.close();
            throw e;
        }
        return new JdbcMetadataStore(SqliteDialect.INSTANCE, writes, reads, () -> {
            reads.close();
            writes.close(); // last, so the final WAL checkpoint happens on close
        });
    }

    private static SQLiteDataSource dataSource(String url, boolean writer) {
        SQLiteConfig config = new SQLiteConfig();
        config.setBusyTimeout(BUSY_TIMEOUT_MS);
        config.enforceForeignKeys(true);
        config.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
        if (writer) {
            // WAL is a property of the database file; setting it from the writer is enough
            config.setJournalMode(SQLiteConfig.JournalMode.WAL);
            config.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
        }
        SQLiteDataSource ds = new SQLiteDataSource(config);
        ds.setUrl(url);
        return ds;
    }

    private static HikariDataSource pool(String name, SQLiteDataSource ds, int size, String initSql) {
        HikariConfig config = new HikariConfig();
        config.setPoolName(name);
        config.setDataSource(ds);
        config.setMaximumPoolSize(size);
        config.setMinimumIdle(1);
        config.setConnectionTimeout(30_000);
        config.setConnectionInitSql(initSql);
        return new HikariDataSource(config);
    }

    private static Path createDirectories(Path dir) {
        try {
            return Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
