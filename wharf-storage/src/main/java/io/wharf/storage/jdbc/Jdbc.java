package io.wharf.storage.jdbc;

import com.zaxxer.hikari.HikariDataSource;
import io.wharf.core.error.RegistryException;
import io.wharf.core.error.StorageFullException;
import io.wharf.core.error.StorageUnavailableException;
import io.wharf.core.model.Digest;
import io.wharf.core.model.RepositoryName;
import io.wharf.core.model.Tag;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import io.wharf.storage.StorageFailures;
import io.wharf.storage.jdbc.SqlDialect.Fault;
import io.wharf.storage.jdbc.SqlDialect.RowLock;
import javax.sql.DataSource;

/**
 * Plain JDBC with the boilerplate in one place. Writes run in a transaction on the write pool,
 * reads in auto-commit on the read pool; SQLite gets one writer connection that way, so writers
 * queue in the pool instead of failing with SQLITE_BUSY.
 *
 * <p>Transactions are explicit statements ({@code BEGIN IMMEDIATE}, {@code COMMIT}, {@code ROLLBACK}) on a
 * connection that stays in JDBC auto-commit, not {@code setAutoCommit(false)}: SQLite rolls a transaction
 * back by itself on SQLITE_FULL or SQLITE_IOERR, and a driver that still believed it was in one then ran
 * every later statement in auto-commit, committing each on its own while the "transaction" failed.
 * Explicit statements cannot drift from SQLite's own state, and a connection whose state is in doubt is
 * evicted from the pool.
 */
final class Jdbc {

    /** Most databases cap bind parameters (SQLite: 32766); IN lists are split well below that. */
    static final int MAX_IN_LIST = 500;
    static final Duration PROBE_INTERVAL = Duration.ofSeconds(1);

    @FunctionalInterface
    interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    @FunctionalInterface
    interface Row<T> {
        T map(ResultSet row) throws SQLException;
    }

    private final SqlDialect dialect;
    private final DataSource writes;
    private final DataSource reads;
    private final ReadCache cache;
    /** SQLite's: write transactions that queue for its one writer commit together; null on PostgreSQL. */
    private final GroupCommit groups;
    /** Whole transactions are run again this often at most when they conflict with another (see {@link #write}). */
    static final int MAX_ATTEMPTS = 6;

    /** A write transaction in progress: its connection, and the repositories whose rows it has locked. */
    private record Tx(Connection connection, Set<Long> guarded) {
    }

    /** The transaction this thread is in, if any: writes and reads on this thread join it. */
    private final ThreadLocal<Tx> current = new ThreadLocal<>();
    /** Set by a write that failed for the storage's sake, cleared by the next commit: readiness reports it. */
    private volatile boolean writesFailing;
    private volatile long nextProbeAt = System.nanoTime();

    /**
     * @param cache  invalidated after every write
     * @param groups how SQLite's one writer commits the transactions that queue for it, or null: each on its own
     */
    Jdbc(SqlDialect dialect, DataSource writes, DataSource reads, ReadCache cache, GroupCommit groups) {
        this.dialect = dialect;
        this.writes = writes;
        this.reads = reads;
        this.cache = cache;
        this.groups = groups;
    }

    /**
     * Runs {@code work} in one transaction: all of it commits, or none of it. Called inside a transaction
     * of the same thread, it joins that one (a unit of work calling the store's methods).
     */
    <T> T write(String what, Work<T> work) {
        return write(what, work, true);
    }

    /**
     * As {@link #write}, for a transaction that changes no table the read cache answers from (repositories, tags,
     * manifests, documents): the garbage collector's queue, blob rows and links, uploads, job leases, event
     * cursors. The cache stays warm through it, and other nodes are not told of it.
     */
    <T> T writeUncached(String what, Work<T> work) {
        return write(what, work, false, false);
    }

    /**
     * As {@link #writeUncached}, committed without waiting for the disk: an operating system crash or a power loss
     * (not a killed process) may lose its commit and those just before it, never a part of one, never one without
     * those before it. For the bookkeeping of at-least-once work, whose loss only has the work done again: event
     * cursors, webhook deliveries' claims and outcomes, insight requests, a job's end and run requests. Not for
     * taking or renewing a job lease: on PostgreSQL, a lost grant would let a second node run the job alongside.
     * The next ordinary commit makes it durable. Joined to an outer transaction, it commits as that one does.
     */
    <T> T writeRelaxed(String what, Work<T> work) {
        return write(what, work, false, true);
    }

    private <T> T write(String what, Work<T> work, boolean invalidates) {
        return write(what, work, invalidates, false);
    }

    private <T> T write(String what, Work<T> work, boolean invalidates, boolean relaxed) {
        Tx joined = current.get();
        try {
            T result = joined != null ? work.run(joined.connection())
                    : groups != null ? groups.run(c -> member(c, work, invalidates), relaxed)
                    : retrying(work, invalidates, relaxed);
            writesFailing = false;
            return result;
        } catch (SQLException e) {
            Fault fault = dialect.fault(e);
            writesFailing = fault == Fault.FULL || fault == Fault.UNAVAILABLE;
            throw failure(what, e);
        } finally {
            if (joined == null && invalidates) {
                cache.invalidate(); // also after a failed commit: never serve what the database may not hold
            }
        }
    }

    SqlDialect dialect() {
        return dialect;
    }

    /** SQLite's group commit; null on PostgreSQL (tests). */
    GroupCommit groups() {
        return groups;
    }

    /** The work of one write, inside the transaction open on {@code c} (its own, or a group's): reads and writes of this thread join it. */
    private <T> T member(Connection c, Work<T> work, boolean announced) throws SQLException {
        current.set(new Tx(c, new HashSet<>()));
        try {
            T result = work.run(c);
            if (announced) {
                dialect.announce(c, PostgresListener.METADATA);
            }
            return result;
        } finally {
            current.remove();
        }
    }

    /**
     * Runs the whole transaction again, on a fresh connection and after a short random pause, when the database
     * aborted it for a conflict with another one (a deadlock, a serialization failure): that is not an error of
     * either, and running it again succeeds. {@code work} must therefore have no effect outside the database
     * before it returns (the units of work of the services keep to that).
     */
    private <T> T retrying(Work<T> work, boolean announced, boolean relaxed) throws SQLException {
        SqlDialect.Relaxed durability = relaxed ? dialect.relaxed() : SqlDialect.Relaxed.NONE;
        for (int attempt = 1; ; attempt++) {
            try (Connection c = writes.getConnection()) {
                return transaction(c, work, announced, durability);
            } catch (SQLException | RuntimeException e) {
                if (attempt == MAX_ATTEMPTS || !conflicted(e)) {
                    throw e;
                }
            }
            pause(attempt);
        }
    }

    /** Whether {@code e}, or what it wraps (a nested store call's failure), is a conflict worth a new attempt. */
    private boolean conflicted(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException x && dialect.fault(x) == Fault.CONFLICT) {
                return true;
            }
        }
        return false;
    }

    /** 1 ms up to 2^attempt ms, at random: the contenders of a deadlock then rarely meet again. */
    private static void pause(int attempt) {
        try {
            Thread.sleep(ThreadLocalRandom.current().nextLong(1, 2L << attempt));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StorageUnavailableException("storage unavailable: interrupted while writing", null);
        }
    }

    /** Appended to a SELECT, locks its rows inside a write transaction: see {@link SqlDialect#lockRows}. */
    String lockRows(RowLock mode) {
        return dialect.lockRows(mode);
    }

    /** Inside a write transaction on {@code c}: see {@link SqlDialect#announce}. */
    void announce(Connection c, String topic) throws SQLException {
        dialect.announce(c, topic);
    }

    /** Inside a write transaction on {@code c}: see {@link SqlDialect#lock}. */
    void lock(Connection c, String name) throws SQLException {
        dialect.lock(c, name);
    }

    /**
     * Inside a write transaction: locks the repository's row until the transaction ends, so that what the
     * transaction reads of the repository (its settings, tags, images, resource tags, links) is what it writes
     * against: another transaction that would check the same waits, and then reads what this one committed.
     * No KEY: inserts that reference the row (their foreign key takes a key-share lock) do not wait for it, and
     * two transactions that inserted such rows before checking cannot deadlock on it. A no-op on SQLite
     * ({@link SqlDialect#lockRows}), whose single writer already serializes. Each repository is locked once per
     * transaction. Returns whether the repository exists.
     */
    boolean guard(Connection c, long repositoryId) throws SQLException {
        Tx tx = current.get();
        if (tx != null && tx.guarded().contains(repositoryId)) {
            return true;
        }
        String sql = "SELECT id FROM repository WHERE id = ?" + dialect.lockRows(RowLock.NO_KEY_UPDATE);
        boolean exists = Jdbc.queryOne(c, sql, rs -> 1, repositoryId).isPresent();
        if (exists && tx != null) {
            tx.guarded().add(repositoryId);
        }
        return exists;
    }

    /** Notes that the transaction on this thread locked the repository's row by a query of its own. */
    void guarded(long repositoryId) {
        Tx tx = current.get();
        if (tx != null) {
            tx.guarded().add(repositoryId);
        }
    }

    /**
     * A read of one repository's rows. Inside a write transaction it is a check that guards a write: the
     * repository is locked first ({@link #guard}). Outside one, a plain {@link #read}.
     */
    <T> T read(String what, long repositoryId, Work<T> work) {
        return read(what, c -> {
            if (current.get() != null) {
                guard(c, repositoryId);
            }
            return work.run(c);
        });
    }

    /** Whether the read cache answers from memory now (tests). */
    boolean cacheLive() {
        return cache.live();
    }

    /** Commits of other processes the read cache has heard of (see {@link ReadCache#commitsHeard}). */
    long commitsHeard() {
        return cache.commitsHeard();
    }

    /** Whether this thread is inside a write transaction (its reads then bypass the cache). */
    boolean inTransaction() {
        return current.get() != null;
    }

    /**
     * False while writes fail for the storage's sake: after such a failure, until a write commits again.
     * Then it tries a write that changes nothing (at most once per {@link #PROBE_INTERVAL}), so that a
     * store nobody writes to, as an unready server is, still finds out it has recovered.
     */
    boolean canWrite() {
        long now = System.nanoTime();
        if (!writesFailing) {
            return true;
        }
        if (now - nextProbeAt < 0) {
            return false;
        }
        nextProbeAt = now + PROBE_INTERVAL.toNanos();
        try {
            write("check that it can write", c -> {
                dialect.probeWrite(c);
                return null;
            });
            return true;
        } catch (RuntimeException e) {
            return false; // reported by write
        }
    }

    /** {@code announced}: other processes sharing the database hear of the commit (their read caches are stale). */
    private <T> T transaction(Connection c, Work<T> work, boolean announced, SqlDialect.Relaxed durability)
            throws SQLException {
        if (durability.before() != null) {
            execute(c, durability.before());
        }
        try {
            return transaction(c, work, announced, durability.inside());
        } finally {
            if (durability.after() != null) {
                restore(c, durability.after());
            }
        }
    }

    private <T> T transaction(Connection c, Work<T> work, boolean announced, String inside) throws SQLException {
        try {
            execute(c, dialect.begin());
            if (inside != null) {
                execute(c, inside);
            }
            T result = member(c, work, announced);
            execute(c, "COMMIT");
            return result;
        } catch (SQLException | RuntimeException e) {
            rollback(writes, c, e);
            throw e;
        }
    }

    /**
     * SQLite may have rolled back already (FULL, IOERR, BUSY, NOMEM), and ROLLBACK then fails harmlessly,
     * as SQLite's documentation recommends. Whatever made it fail, the connection is replaced: its next
     * user must find no transaction open.
     */
    static void rollback(DataSource writes, Connection c, Throwable cause) {
        try {
            execute(c, "ROLLBACK");
        } catch (SQLException e) {
            cause.addSuppressed(e);
            evict(writes, c);
        }
    }

    /** Closed when returned; the pool opens a fresh one. */
    static void evict(DataSource writes, Connection c) {
        if (writes instanceof HikariDataSource pool) {
            pool.evictConnection(c);
        }
    }

    /** Gives the connection its usual durability back; one that refuses is replaced, never left relaxed. */
    private void restore(Connection c, String sql) {
        try {
            execute(c, sql);
        } catch (SQLException e) {
            evict(writes, c);
        }
    }

    /** Prepared, so that SQLite's pooled connections keep BEGIN, COMMIT and the durability pragmas compiled. */
    static void execute(Connection c, String sql) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(sql)) {
            s.execute();
        }
    }

    /** A storage failure becomes the domain's word for it; anything else stays a server fault. */
    private RuntimeException failure(String what, SQLException e) {
        RegistryException domain = switch (dialect.fault(e)) {
            case FULL -> new StorageFullException("storage full: no space left to " + what, null);
            case UNAVAILABLE -> new StorageUnavailableException("storage unavailable: could not " + what, null);
            case CONFLICT -> new StorageUnavailableException("storage busy: could not " + what
                    + " (it kept conflicting with concurrent writes)", null);
            case STATEMENT -> null;
        };
        if (domain == null) {
            return new MetadataStoreException(what, e);
        }
        domain.initCause(e);
        return StorageFailures.report(domain);
    }

    /** Reads in auto-commit on the read pool; inside a transaction, on its connection (they see its writes). */
    <T> T read(String what, Work<T> work) {
        Tx joined = current.get();
        if (joined != null) {
            try {
                return work.run(joined.connection());
            } catch (SQLException e) {
                throw failure(what, e);
            }
        }
        try (Connection c = reads.getConnection()) {
            return work.run(c);
        } catch (SQLException e) {
            throw failure(what, e);
        }
    }

    static int update(Connection c, String sql, Object... args) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, args);
            return ps.executeUpdate();
        }
    }

    /**
     * Runs {@code sql} once per argument row, prepared once, in one round of batched statements; returns each row's
     * update count (both drivers report them: no batch rewriting is configured).
     */
    static int[] batch(Connection c, String sql, List<Object[]> rows) throws SQLException {
        if (rows.isEmpty()) {
            return new int[0];
        }
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (Object[] args : rows) {
                bind(ps, args);
                ps.addBatch();
            }
            return ps.executeBatch();
        }
    }

    static <T> List<T> query(Connection c, String sql, Row<T> mapper, Object... args) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, args);
            try (ResultSet rs = ps.executeQuery()) {
                List<T> out = new ArrayList<>();
                while (rs.next()) {
                    out.add(mapper.map(rs));
                }
                return out;
            }
        }
    }

    static <T> Optional<T> queryOne(Connection c, String sql, Row<T> mapper, Object... args) throws SQLException {
        List<T> rows = query(c, sql, mapper, args);
        return rows.isEmpty() ? Optional.empty() : Optional.of(rows.getFirst());
    }

    /** {@code ?, ?, ?} for an IN list of {@code n} values. */
    static String placeholders(int n) {
        return String.join(", ", Collections.nCopies(n, "?"));
    }

    static Instant instant(ResultSet rs, String column) throws SQLException {
        return Instant.ofEpochMilli(rs.getLong(column));
    }

    static Digest digestOrNull(ResultSet rs, String column) throws SQLException {
        String text = rs.getString(column);
        return text == null ? null : Digest.parse(text);
    }

    /** Binds value types the way the schema stores them: text for names and digests, millis for instants. */
    private static void bind(PreparedStatement ps, Object... args) throws SQLException {
        for (int i = 0; i < args.length; i++) {
            Object arg = args[i];
            int index = i + 1;
            switch (arg) {
                case null -> ps.setNull(index, Types.VARCHAR);
                case Digest d -> ps.setString(index, d.toString());
                case Tag t -> ps.setString(index, t.value());
                case RepositoryName n -> ps.setString(index, n.value());
                case Instant t -> ps.setLong(index, t.toEpochMilli());
                case byte[] b -> ps.setBytes(index, b);
                case String s -> ps.setString(index, s);
                case Long l -> ps.setLong(index, l);
                case Integer n -> ps.setInt(index, n);
                default -> throw new IllegalArgumentException("cannot bind " + arg.getClass());
            }
        }
    }
}
