package io.wharf.storage.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
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
 * connection, so concurrent writers queue for it (fairly, with a timeout) rather than fail with
 * SQLITE_BUSY, and those that queued together commit together ({@link GroupCommit}: one sync for all);
 * {@code BEGIN IMMEDIATE} and {@code busy_timeout} cover another process (an admin command) holding the
 * lock. Reads use their own pool: WAL readers never block the writer.
 */
public final class SqliteMetadataStore {

    public static final String FILE_NAME = "wharf.db";
    /** Held by the server of a data directory while it runs. */
    public static final String LOCK_FILE = "wharf.lock";
    /** The reason of the {@link FileSystemException} {@link #openExclusive} throws when a server holds the lock. */
    public static final String IN_USE = "another Wharf server is using this data directory";
    private static final int READ_CONNECTIONS = 8;
    /**
     * The most write transactions one commit covers ({@link GroupCommit}): enough for every request thread a push
     * load keeps queued, few enough that the first of a group does not wait long for the last.
     */
    static final int GROUP_COMMIT_MAX = 32;
    private static final int BUSY_TIMEOUT_MS = 10_000;

    private SqliteMetadataStore() {
    }

    /**
     * Opens (creating and migrating if needed) the database in {@code dataDir}, for a tool that works
     * beside a running server ({@code wharf iam}).
     */
    public static JdbcMetadataStore open(Path dataDir) {
        return open(dataDir, null);
    }

    /**
     * Opens the database for the server of {@code dataDir}: holds {@code <dataDir>/}{@value #LOCK_FILE}
     * so that no second server can start on the same directory, and, being the only writer, answers the
     * pull path's reads from memory between writes.
     *
     * @throws FileSystemException when another server holds the lock
     * @throws IOException          when the lock file cannot be opened or locked
     */
    public static JdbcMetadataStore openExclusive(Path dataDir) throws IOException {
        Path lockPath = createDirectories(dataDir).resolve(LOCK_FILE);
        FileChannel lockFile = FileChannel.open(lockPath, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        if (!tryLock(lockFile)) {
            closeQuietly(lockFile);
            throw new FileSystemException(lockPath.toString(), null, IN_USE);
        }
        try {
            return open(dataDir, lockFile);
        } catch (RuntimeException e) {
            closeQuietly(lockFile);
            throw e;
        }
    }

    /**
     * Opens an existing database for reading only ({@code wharf fsck}): no migration, no lock, every
     * connection read-only, so it is safe beside a running server. Writes fail.
     *
     * @throws NoSuchFileException when {@code dataDir} holds no database
     */
    public static JdbcMetadataStore openReadOnly(Path dataDir) throws NoSuchFileException {
        Path file = dataDir.resolve(FILE_NAME);
        if (!Files.isRegularFile(file)) {
            throw new NoSuchFileException(file.toString(), null, "no Wharf database");
        }
        SQLiteConfig config = new SQLiteConfig();
        config.setReadOnly(true);
        config.setBusyTimeout(BUSY_TIMEOUT_MS);
        SQLiteDataSource ds = new SQLiteDataSource(config);
        ds.setUrl("jdbc:sqlite:" + file.toAbsolutePath());
        // unpooled: a connection per statement is plenty for one command
        return new JdbcMetadataStore(SqliteDialect.INSTANCE, ds, ds, () -> { }, false);
    }

    /** False when another process, or another store of this one, holds the lock. */
    private static boolean tryLock(FileChannel channel) throws IOException {
        try {
            return channel.tryLock() != null;
        } catch (OverlappingFileLockException e) {
            return false;
        } catch (IOException e) {
            closeQuietly(channel);
            throw e;
        }
    }

    private static void closeQuietly(FileChannel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // releasing the lock is all that matters, and closing does it
        }
    }

    /** {@code lock}: the held lock file of a server (closed last, releasing it), or null for a tool. */
    private static JdbcMetadataStore open(Path dataDir, FileChannel lock) {
        Path file = createDirectories(dataDir).resolve(FILE_NAME);
        String url = "jdbc:sqlite:" + file.toAbsolutePath();
        // an unpooled connection for Flyway, which may want more connections than the write pool has
        JdbcMetadataStore.migrate(SqliteDialect.INSTANCE, dataSource(url, true, false));
        HikariDataSource writes = pool("wharf-sqlite-write", dataSource(url, true, true), 1, null);
        HikariDataSource reads;
        try {
            reads = pool("wharf-sqlite-read", dataSource(url, false, true), READ_CONNECTIONS, "PRAGMA query_only = ON");
        } catch (RuntimeException e) {
            writes.close();
            throw e;
        }
        return new JdbcMetadataStore(SqliteDialect.INSTANCE, writes, reads, () -> {
            reads.close();
            writes.close(); // after the reads, so the final WAL checkpoint happens on close
            if (lock != null) {
                lock.close();
            }
        }, lock != null);
    }

    /** {@code cached}: connections that keep their prepared statements ({@link StatementCachingSqlite}). */
    private static SQLiteDataSource dataSource(String url, boolean writer, boolean cached) {
        SQLiteConfig config = new SQLiteConfig();
        config.setBusyTimeout(BUSY_TIMEOUT_MS);
        config.enforceForeignKeys(true);
        config.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
        // nothing reads generated keys; sqlite-jdbc would otherwise compile and run a SELECT after every INSERT
        config.setGetGeneratedKeys(false);
        if (writer) {
            // WAL is a property of the database file; setting it from the writer is enough
            config.setJournalMode(SQLiteConfig.JournalMode.WAL);
            config.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
        }
        if (cached) {
            return new StatementCachingSqlite(config, url);
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
