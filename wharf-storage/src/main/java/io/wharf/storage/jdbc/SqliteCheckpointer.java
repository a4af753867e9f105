package io.wharf.storage.jdbc;

import java.lang.System.Logger.Level;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import javax.sql.DataSource;

/**
 * Copies the WAL back into the database file on a thread of its own ({@code PRAGMA wal_checkpoint(PASSIVE)} every
 * {@code interval}), so that no commit pays for it. Left to SQLite, the commit that grows the WAL past its limit runs
 * the checkpoint itself before it returns: the server's one write connection is then busy copying and syncing
 * megabytes while every other write waits for it, the tail of push latency. A passive checkpoint waits for nobody: it
 * copies what no reader still needs, and writers go on appending meanwhile. The write connection keeps a far larger
 * automatic limit ({@link #BACKSTOP_PAGES}) in case this thread falls behind.
 */
final class SqliteCheckpointer implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger("io.wharf.storage");
    /** The write connection's own checkpoint threshold (SQLite's default is 1,000 pages): 64 MiB of 4 KiB pages. */
    static final int BACKSTOP_PAGES = 16_384;
    static final Duration INTERVAL = Duration.ofMillis(100);

    private final DataSource source;
    private final Duration interval;
    private final Thread thread;
    private volatile boolean closing;

    SqliteCheckpointer(DataSource source, Duration interval) {
        this.source = source;
        this.interval = interval;
        this.thread = Thread.ofPlatform().daemon().name("wharf-sqlite-checkpoint").start(this::loop);
    }

    private void loop() {
        try (Connection c = source.getConnection(); Statement s = c.createStatement()) {
            while (!closing) {
                Thread.sleep(interval);
                checkpoint(s);
            }
        } catch (InterruptedException e) {
            // closing
        } catch (SQLException e) {
            LOG.log(Level.WARNING, "WAL checkpoints: no connection; SQLite checkpoints at commits again", e);
        }
    }

    /** One passive checkpoint; a failure (the disk full, the file busy) is left for the next round. */
    private static void checkpoint(Statement s) {
        try (ResultSet rs = s.executeQuery("PRAGMA wal_checkpoint(PASSIVE)")) {
            rs.next();
        } catch (SQLException e) {
            LOG.log(Level.DEBUG, "WAL checkpoint failed; trying again", e);
        }
    }

    /** Stops the thread; the last connection to close checkpoints whatever is left. */
    @Override
    public void close() {
        closing = true;
        thread.interrupt();
        try {
            thread.join(Duration.ofSeconds(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
