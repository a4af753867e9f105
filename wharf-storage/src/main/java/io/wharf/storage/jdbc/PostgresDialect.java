package io.wharf.storage.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.sql.Statement;
import java.util.Collections;
import java.util.List;
import java.util.stream.Collectors;

/** PostgreSQL (15 or newer). */
public final class PostgresDialect implements SqlDialect {

    public static final PostgresDialect INSTANCE = new PostgresDialect();

    private PostgresDialect() {
    }

    @Override
    public String migrationLocation() {
        return "classpath:db/migration/postgres";
    }

    @Override
    public String insertIgnore(String table, List<String> columns, List<String> key) {
        return insert(table, columns) + onConflict(key) + " DO NOTHING";
    }

    @Override
    public String insertIgnoreSelect(String table, List<String> columns, List<String> key, String select) {
        return "INSERT INTO " + table + " (" + String.join(", ", columns) + ") " + select + onConflict(key) + " DO NOTHING";
    }

    @Override
    public String upsert(String table, List<String> columns, List<String> key, List<String> update) {
        String set = update.stream().map(c -> c + " = EXCLUDED." + c).collect(Collectors.joining(", "));
        return insert(table, columns) + onConflict(key) + " DO UPDATE SET " + set;
    }

    /** A transaction-scoped advisory lock, keyed by the name's hash (a collision only serializes more). */
    @Override
    public void lock(Connection c, String name) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT pg_advisory_xact_lock(?)")) {
            ps.setLong(1, name.hashCode());
            ps.execute();
        }
    }

    /** A notification on {@link PostgresListener#CHANNEL}, delivered to every listener when (and if) this commits. */
    @Override
    public void announce(Connection c, String topic) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT pg_notify(?, ?)")) {
            ps.setString(1, PostgresListener.CHANNEL);
            ps.setString(2, topic);
            ps.execute();
        }
    }

    /** Assigns a transaction id, so that the commit writes (and flushes) a WAL record. */
    @Override
    public void probeWrite(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("SELECT txid_current()");
        }
    }

    /**
     * By SQLSTATE class: disk full is FULL; connection trouble, resource exhaustion, shutdown, a read-only
     * server, corruption and lock or serialization conflicts are UNAVAILABLE. Retrying the last two inside
     * the store is a later step (issue 10, READ COMMITTED correctness).
     */
    @Override
    public Fault fault(SQLException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLTransientConnectionException) {
                return Fault.UNAVAILABLE; // the pool found no connection in time
            }
            if (t instanceof SQLException x && x.getSQLState() != null) {
                return fault(x.getSQLState());
            }
        }
        return Fault.STATEMENT;
    }

    private static Fault fault(String state) {
        if (state.equals("53100")) {
            return Fault.FULL; // disk_full
        }
        return switch (state.substring(0, 2)) {
            case "08", "53", "57", "58", "XX", "40" -> Fault.UNAVAILABLE;
            case "55", "25" -> state.equals("55P03") || state.equals("25006") ? Fault.UNAVAILABLE : Fault.STATEMENT;
            default -> Fault.STATEMENT;
        };
    }

    private static String onConflict(List<String> key) {
        return " ON CONFLICT (" + String.join(", ", key) + ")";
    }

    private static String insert(String table, List<String> columns) {
        String params = String.join(", ", Collections.nCopies(columns.size(), "?"));
        return "INSERT INTO " + table + " (" + String.join(", ", columns) + ") VALUES (" + params + ")";
    }
}
