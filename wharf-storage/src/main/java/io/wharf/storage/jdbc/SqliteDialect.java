package io.wharf.storage.jdbc;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Collections;
import java.util.List;
import java.util.stream.Collectors;
import org.sqlite.SQLiteException;

/** SQLite (3.24 or newer, for {@code ON CONFLICT ... DO}). */
public final class SqliteDialect implements SqlDialect {

    public static final SqliteDialect INSTANCE = new SqliteDialect();

    private SqliteDialect() {
    }

    @Override
    public String migrationLocation() {
        return "classpath:db/migration/sqlite";
    }

    @Override
    public String insertIgnore(String table, List<String> columns, List<String> key) {
        return insert(table, columns) + " ON CONFLICT (" + String.join(", ", key) + ") DO NOTHING";
    }

    /** SQLite needs the WHERE: without it {@code ON CONFLICT} would parse as a join constraint. */
    @Override
    public String insertIgnoreSelect(String table, List<String> columns, List<String> key, String select) {
        return "INSERT INTO " + table + " (" + String.join(", ", columns) + ") " + select
                + " ON CONFLICT (" + String.join(", ", key) + ") DO NOTHING";
    }

    @Override
    public String upsert(String table, List<String> columns, List<String> key, List<String> update) {
        String set = update.stream().map(c -> c + " = excluded." + c).collect(Collectors.joining(", "));
        return insert(table, columns) + " ON CONFLICT (" + String.join(", ", key) + ") DO UPDATE SET " + set;
    }

    @Override
    public String begin() {
        return "BEGIN IMMEDIATE";
    }

    /**
     * NORMAL in WAL mode: the commit is not synced; the next FULL commit's sync covers it (the WAL is replayed in
     * order, its frames checksummed in a chain), as does a checkpoint. The safety level cannot change inside a
     * transaction, hence before and after; FULL is what {@link SqliteMetadataStore} opens the connections with.
     */
    @Override
    public Relaxed relaxed() {
        return RELAXED;
    }

    private static final Relaxed RELAXED = new Relaxed("PRAGMA synchronous = NORMAL", null, "PRAGMA synchronous = FULL");

    /** Rewrites the header's user_version (unused by Wharf and Flyway) with its own value: a page to commit and sync. */
    @Override
    public void probeWrite(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            long version;
            try (ResultSet rs = s.executeQuery("PRAGMA user_version")) {
                version = rs.next() ? rs.getLong(1) : 0;
            }
            s.execute("PRAGMA user_version = " + version);
        }
    }

    /**
     * By SQLite's primary result code. FULL, IOERR, BUSY and NOMEM may roll the transaction back on their own
     * (see {@link Jdbc#write}); all of these are about the database file, never about the statement.
     */
    @Override
    public Fault fault(SQLException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLiteException x) {
                return switch (x.getErrorCode() & 0xFF) {
                    case 13 -> Fault.FULL; // SQLITE_FULL
                    case 5, 6, 7, 8, 10, 11, 14, 15, 26 -> Fault.UNAVAILABLE; // BUSY LOCKED NOMEM READONLY IOERR CORRUPT CANTOPEN PROTOCOL NOTADB
                    default -> Fault.STATEMENT;
                };
            }
        }
        return Fault.STATEMENT;
    }

    private static String insert(String table, List<String> columns) {
        String params = String.join(", ", Collections.nCopies(columns.size(), "?"));
        return "INSERT INTO " + table + " (" + String.join(", ", columns) + ") VALUES (" + params + ")";
    }
}
