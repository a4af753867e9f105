package io.wharf.storage.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A server's WAL is copied back into the database file by its checkpoint thread, not by the commits. */
class SqliteCheckpointerTest {
    private static final int ROWS = 2_000;
    private static final int ROW_BYTES = 8_192; // ~4,000 pages in all: four times SQLite's own checkpoint limit

    @TempDir
    Path dir;

    @Test
    void theServersWriteConnectionLeavesCheckpointsToTheThread() throws Exception {
        try (JdbcMetadataStore store = SqliteMetadataStore.openExclusive(dir)) {
            assertThat(checkpointLimit(store)).isEqualTo(SqliteCheckpointer.BACKSTOP_PAGES);
        }
        try (JdbcMetadataStore tool = SqliteMetadataStore.open(dir)) { // a tool's few writes: SQLite's own limit
            assertThat(checkpointLimit(tool)).isEqualTo(1000);
        }
    }

    private static int checkpointLimit(JdbcMetadataStore store) {
        return store.jdbc().<Integer>writeUncached("read the checkpoint limit", c -> {
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("PRAGMA wal_autocheckpoint")) {
                return rs.getInt(1);
            }
        });
    }

    @Test
    void walFramesWrittenWithoutACheckpointReachTheDatabaseFile() throws Exception {
        try (JdbcMetadataStore store = SqliteMetadataStore.openExclusive(dir)) {
            Path db = dir.resolve(SqliteMetadataStore.FILE_NAME);
            long before = Files.size(db);
            writeWithoutCheckpointing(db);
            assertThat(Files.size(dir.resolve(SqliteMetadataStore.FILE_NAME + "-wal")))
                    .isGreaterThan((long) ROWS * ROW_BYTES);
            Instant deadline = Instant.now().plus(Duration.ofSeconds(10));
            while (Files.size(db) < before + (long) ROWS * ROW_BYTES && Instant.now().isBefore(deadline)) {
                Thread.sleep(50);
            }
            assertThat(Files.size(db)).isGreaterThanOrEqualTo(before + (long) ROWS * ROW_BYTES);
        }
    }

    /** Rows written by a connection of the test's own that never checkpoints, so only the thread can copy them back. */
    private static void writeWithoutCheckpointing(Path db) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db.toAbsolutePath());
             Statement s = c.createStatement()) {
            s.execute("PRAGMA wal_autocheckpoint = 0");
            s.execute("CREATE TABLE scratch (n INTEGER PRIMARY KEY, filler BLOB)");
            c.setAutoCommit(false);
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO scratch (n, filler) VALUES (?, ?)")) {
                for (int i = 0; i < ROWS; i++) {
                    insert.setInt(1, i);
                    insert.setBytes(2, new byte[ROW_BYTES]);
                    insert.executeUpdate();
                }
            }
            c.commit();
        }
    }
}
