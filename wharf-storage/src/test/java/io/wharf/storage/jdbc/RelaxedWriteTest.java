package io.wharf.storage.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link Jdbc#writeRelaxed}: the transaction commits without waiting for the disk (SQLite: synchronous NORMAL,
 * PostgreSQL: synchronous_commit off), and the connection is back to full durability for the next write, on the one
 * writer connection SQLite has.
 */
class RelaxedWriteTest {
    private static final String SQLITE_LEVEL = "PRAGMA synchronous";
    private static final String POSTGRES_LEVEL = "SHOW synchronous_commit";

    @TempDir
    Path dataDir;

    @Test
    void sqliteRelaxesOneTransactionAndRestoresFullSync() throws Exception {
        try (JdbcMetadataStore store = SqliteMetadataStore.openExclusive(dataDir)) {
            assertThat(levels(store.jdbc(), SQLITE_LEVEL)).containsExactly("2", "1", "2"); // FULL, NORMAL, FULL
        }
        try (JdbcMetadataStore store = SqliteMetadataStore.openExclusive(dataDir)) {
            java.util.Optional<Integer> rows = store.jdbc().read("read back",
                    c -> Jdbc.queryOne(c, "SELECT COUNT(*) FROM relaxed", rs -> rs.getInt(1)));
            assertThat(rows).as("what the relaxed write committed is there after a restart").contains(1);
        }
    }

    @Test
    void postgresRelaxesOneTransactionOnly() {
        // the test server runs with synchronous_commit off for speed; these sessions start with it on, as deployed
        String url = PostgresServer.get().createDatabase() + "?options=-c%20synchronous_commit%3Don";
        try (JdbcMetadataStore store = PostgresServer.get().openStore(url)) {
            assertThat(levels(store.jdbc(), POSTGRES_LEVEL)).containsExactly("on", "off", "on");
        }
    }

    /** The level of an ordinary write, then of a relaxed one (which also writes a row), then of an ordinary one. */
    private static java.util.List<String> levels(Jdbc jdbc, String query) {
        jdbc.writeUncached("create", c -> Jdbc.update(c, "CREATE TABLE relaxed (n INTEGER)"));
        String before = jdbc.writeUncached("before", c -> level(c, query));
        String during = jdbc.writeRelaxed("relaxed", c -> {
            Jdbc.update(c, "INSERT INTO relaxed (n) VALUES (1)");
            return level(c, query);
        });
        String after = jdbc.writeUncached("after", c -> level(c, query));
        return java.util.List.of(before, during, after);
    }

    private static String level(java.sql.Connection c, String query) throws java.sql.SQLException {
        return Jdbc.queryOne(c, query, rs -> rs.getString(1)).orElseThrow();
    }
}
