package io.wharf.storage.jdbc;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
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

    /** A transaction-scoped advisory lock, keyed by {@link #lockKey} (a collision only serializes more). */
    /**
     * An asynchronous commit: not waited for on the WAL's flush (at most three times wal_writer_delay behind), never
     * applied out of order with later commits; the setting ends with the transaction.
     */
    @Override
    public Relaxed relaxed() {
        return RELAXED;
    }

    private static final Relaxed RELAXED = new Relaxed(null, "SET LOCAL synchronous_commit TO OFF", null);

    @Override
    public void lock(Connection c, String name) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT pg_advisory_xact_lock(?)")) {
            ps.setLong(1, lockKey(name));
            ps.execute();
        }
    }

    /**
     * The 64-bit advisory lock key of a name: the first 8 bytes of its SHA-256. Stable across JVMs and versions
     * (every node must compute the same key), and unlike {@code String.hashCode} (32 bits, trivially colliding)
     * as good as unique.
     */
    static long lockKey(String name) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(name.getBytes(StandardCharsets.UTF_8));
            return ByteBuffer.wrap(hash, 0, Long.BYTES).getLong();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java has SHA-256", e);
        }
    }

    @Override
    public String lockRows(RowLock mode) {
        return " FOR " + mode.name().replace('_', ' ');
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
     * By SQLSTATE: serialization failures, deadlocks and a lock not available (NOWAIT) are CONFLICT (the whole
     * transaction is run again); disk full is FULL; connection trouble, resource exhaustion, shutdown, a
     * read-only server and corruption are UNAVAILABLE.
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
        return switch (state) {
            case "53100" -> Fault.FULL; // disk_full
            case "40001", "40P01", "55P03" -> Fault.CONFLICT; // serialization_failure, deadlock_detected, lock_not_available
            case "25006" -> Fault.UNAVAILABLE; // read_only_sql_transaction
            default -> switch (state.substring(0, 2)) {
                case "08", "53", "57", "58", "XX", "40" -> Fault.UNAVAILABLE;
                default -> Fault.STATEMENT;
            };
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
