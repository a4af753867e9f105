package io.wharf.storage.jdbc;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/**
 * What differs between the databases {@link JdbcMetadataStore} runs on. Everything else it sends is
 * portable SQL; keep it that way, so adding PostgreSQL is a new dialect plus its migrations.
 */
public interface SqlDialect {

    /** How a failed statement failed: the statement itself, or the storage under the database. */
    enum Fault {
        /** A bug or a constraint: the server's own fault (500). */
        STATEMENT,
        /** No space left for the write. */
        FULL,
        /** The storage cannot serve now: an I/O error, a lock held too long, a read-only or damaged file. */
        UNAVAILABLE,
        /** Aborted for a conflict with a concurrent transaction (deadlock, serialization): run it again. */
        CONFLICT
    }

    /** Flyway location of this database's migrations, e.g. {@code classpath:db/migration/sqlite}. */
    String migrationLocation();

    /** An INSERT of {@code columns} (one parameter each) that skips a row whose {@code key} already exists. */
    String insertIgnore(String table, List<String> columns, List<String> key);

    /** As {@link #insertIgnore}, with the rows of {@code select} (which must have a WHERE clause). */
    String insertIgnoreSelect(String table, List<String> columns, List<String> key, String select);

    /** An INSERT of {@code columns} that, when a row with the same {@code key} exists, updates {@code update} instead. */
    String upsert(String table, List<String> columns, List<String> key, List<String> update);

    /**
     * The statements that relax one transaction's durability ({@code Jdbc.writeRelaxed}): {@code before} runs ahead
     * of its BEGIN, {@code inside} right after it, {@code after} once it ended, committed or not; null: none.
     */
    record Relaxed(String before, String inside, String after) {
        static final Relaxed NONE = new Relaxed(null, null, null);
    }

    /** How this database commits without waiting for the disk, yet never out of order with later commits. */
    Relaxed relaxed();

    /** Starts a write transaction; SQLite takes its write lock at once, so a writer never fails on upgrading. */
    default String begin() {
        return "BEGIN";
    }

    /**
     * Inside a write transaction: waits for, and holds until it ends, the lock named {@code name}, so that a
     * count or check and the write it guards are not interleaved with another node's. SQLite's single writer
     * already serializes every write transaction: nothing to do there.
     */
    default void lock(Connection c, String name) throws SQLException {
    }

    /** How strongly {@link #lockRows} locks (PostgreSQL's row-level lock modes of the same names). */
    enum RowLock {
        /** Keeps the rows from being deleted (or their keys changed) until the transaction ends. */
        KEY_SHARE,
        /** Exclusive among transactions that check the rows, yet lets others insert rows that reference them. */
        NO_KEY_UPDATE,
        /** Exclusive, also of {@link #KEY_SHARE}: taken before deleting rows that others may be keeping. */
        UPDATE
    }

    /**
     * Appended to a SELECT inside a write transaction: locks the rows it returns until the transaction ends, so
     * that a check made on them holds until the write it guards commits. Empty on SQLite (its single writer
     * serializes every write transaction).
     */
    default String lockRows(RowLock mode) {
        return "";
    }

    /**
     * Inside a write transaction: tells the other processes sharing the database, once it commits, that it
     * changed {@code topic} (what they cache of it is stale). SQLite has no other writers: nothing to do there.
     */
    default void announce(Connection c, String topic) throws SQLException {
    }

    /** Classifies a failure this database reported. */
    Fault fault(SQLException e);

    /** Inside a transaction: writes something that changes no data, so that its commit proves writes work. */
    void probeWrite(Connection c) throws SQLException;
}
