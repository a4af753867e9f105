package io.wharf.storage.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.wharf.core.error.StorageUnavailableException;
import io.wharf.core.model.Digest;
import io.wharf.core.spi.BlobLocks;
import io.wharf.core.spi.UploadLocks;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashSet;
import java.util.Set;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Mutual exclusion between all nodes of a cluster, by PostgreSQL session-level advisory locks: a holder takes
 * a connection of its own, locks the key's number on it ({@code pg_advisory_lock}), runs its work, unlocks and
 * returns the connection. The key's number is {@link PostgresDialect#lockKey} (64 bits of its SHA-256), the
 * same on every node.
 *
 * <p>A node that dies loses its sessions, and PostgreSQL releases their locks. A connection that cannot be
 * unlocked is closed, never pooled with a lock still held. Connections come from a pool of their own
 * ({@link #open}): a holder's work often writes metadata, and must not wait for the pool its lock occupies.
 * Within one thread the locks are reentrant, as {@code LocalBlobLocks}' are.
 */
public final class PostgresLocks implements BlobLocks, UploadLocks, AutoCloseable {

    public static final int DEFAULT_POOL_SIZE = 16;
    private static final Logger LOG = LoggerFactory.getLogger(PostgresLocks.class);

    private final DataSource connections;
    private final AutoCloseable owned;
    /** Keys this thread holds: a nested call runs its work at once (another connection would wait for this one). */
    private final ThreadLocal<Set<String>> held = ThreadLocal.withInitial(HashSet::new);

    /** Locks on connections of {@code connections}; closing this leaves them open. */
    public PostgresLocks(DataSource connections) {
        this(connections, () -> { });
    }

    private PostgresLocks(DataSource connections, AutoCloseable owned) {
        this.connections = connections;
        this.owned = owned;
    }

    /**
     * Locks on a pool of their own of at most {@code poolSize} connections to {@code jdbcUrl}, which is also the
     * most holders at a time; closed with this.
     *
     * @param password null for none
     */
    public static PostgresLocks open(String jdbcUrl, String user, String password, int poolSize) {
        HikariConfig config = new HikariConfig();
        config.setPoolName("wharf-postgres-locks");
        config.setJdbcUrl(jdbcUrl);
        config.setUsername(user);
        config.setPassword(password);
        config.setMaximumPoolSize(poolSize);
        config.setMinimumIdle(1);
        HikariDataSource pool = new HikariDataSource(config);
        return new PostgresLocks(pool, pool);
    }

    /** The blob's lock is the key {@code "blob:" + digest}. */
    @Override
    public void run(Digest digest, Runnable work) {
        holding("blob:" + digest, () -> {
            work.run();
            return null;
        });
    }

    /** An upload's steps, on any node: key {@code "upload:" + id}. */
    @Override
    public <T> T run(String uploadId, Supplier<T> work) {
        return holding("upload:" + uploadId, work);
    }

    /** Every node takes these locks: uploads continue anywhere, so the upload service saves its hash state. */
    @Override
    public boolean acrossProcesses() {
        return true;
    }

    /** Runs {@code work} while no other holder of {@code key}, on any node, runs; returns what it returns. */
    public <T> T holding(String key, Supplier<T> work) {
        if (!held.get().add(key)) {
            return work.get(); // this thread holds it already
        }
        try (Connection c = connections.getConnection()) {
            return locked(c, key, work);
        } catch (SQLException e) {
            StorageUnavailableException failure = new StorageUnavailableException(
                    "storage unavailable: could not take the lock " + key, null);
            failure.initCause(e);
            throw failure;
        } finally {
            held.get().remove(key);
        }
    }

    private <T> T locked(Connection c, String key, Supplier<T> work) throws SQLException {
        long number = PostgresDialect.lockKey(key);
        call(c, "SELECT pg_advisory_lock(?)", number);
        try {
            return work.get();
        } finally {
            unlock(c, number);
        }
    }

    /**
     * A connection that fails to unlock, or no longer held the lock (its session was ended meanwhile), is closed
     * instead of pooled: closing ends the session, which releases whatever it still holds. The work is done
     * either way, so this is not its failure.
     */
    private void unlock(Connection c, long number) {
        try {
            if (call(c, "SELECT pg_advisory_unlock(?)", number)) {
                return;
            }
        } catch (SQLException e) {
            LOG.warn("could not release an advisory lock; closing its connection", e);
        }
        discard(c);
    }

    private void discard(Connection c) {
        if (connections instanceof HikariDataSource pool) {
            pool.evictConnection(c);
        } else {
            try {
                c.abort(Runnable::run);
            } catch (SQLException ignored) {
                // closing it is all that is left to try, and the caller's try-with-resources does that
            }
        }
    }

    /** The boolean answer of the one-row query {@code sql} on the lock number ({@code pg_advisory_lock}'s void: false). */
    private static boolean call(Connection c, String sql, long number) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setLong(1, number);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() && rs.getObject(1) instanceof Boolean b && b;
            }
        }
    }

    @Override
    public void close() {
        try {
            owned.close();
        } catch (Exception e) {
            throw new IllegalStateException("closing the lock pool failed", e);
        }
    }
}
