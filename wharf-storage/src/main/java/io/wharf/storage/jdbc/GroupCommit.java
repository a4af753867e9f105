package io.wharf.storage.jdbc;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantLock;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

/**
 * SQLite's one writer, shared by write transactions that queue for it: they commit together, with one sync of the
 * WAL for all of them, instead of one sync each.
 *
 * <p>A write that finds others waiting behind it leaves its transaction open for the next, which runs inside it as a
 * savepoint of its own; the last of the line (or the {@code maxMembers}-th) commits for all. Each waits for that
 * commit before it returns, so nothing is acknowledged before it is durable, and no other connection reads what is
 * not: until the shared commit, all of it is one uncommitted transaction. A write that fails is rolled back to its
 * savepoint and leaves the others' work in place; one that SQLite rolled back whole (FULL, IOERR: the savepoint is
 * gone) fails every write of its group, and so does a failed commit. A relaxed write ({@link Jdbc#writeRelaxed}) joins
 * any group; an ordinary one does not join a relaxed group (SQLite fixes the sync level before a transaction begins),
 * but commits it first and begins its own.
 *
 * <p>So a write's work must not wait for a lock that another thread may hold while it writes: that thread, its own
 * work done and waiting for the group's commit, would wait for ever.
 */
final class GroupCommit {

    /** How long a write queues for the writer by default before it fails as the storage being unavailable. */
    static final Duration WAIT_LIMIT = Duration.ofSeconds(30);
    private static final Logger LOG = LoggerFactory.getLogger(GroupCommit.class);
    /** How often a write that waits for its group's commit checks that someone is still going to make it. */
    private static final long CHECK_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

    private static final SqlDialect.Relaxed RELAXED = SqliteDialect.INSTANCE.relaxed();

    private final DataSource writes;
    private final int maxMembers;
    private final Duration waitLimit;
    private final ReentrantLock writer = new ReentrantLock(true);
    /** The transaction open on the writer connection, if any; guarded by {@link #writer}. */
    private Group open;
    /** The thread whose write has the writer now (for the warning of a write that waits too long). */
    private volatile Thread holder;
    private final LongAdder commits = new LongAdder();

    /** A transaction shared by consecutive writes. */
    private static final class Group {
        final Connection connection;
        final boolean relaxed;
        int members;
        final CompletableFuture<Void> committed = new CompletableFuture<>();

        Group(Connection connection, boolean relaxed) {
            this.connection = connection;
            this.relaxed = relaxed;
        }
    }

    /** What one write's work ended with: its result, or what it threw (its changes then rolled back). */
    private record Outcome<T>(T result, Throwable failure) {
    }

    /**
     * @param writes     SQLite's pool of one writer connection
     * @param maxMembers the most writes one commit covers
     * @param waitLimit  how long a write queues for the writer before it is refused
     */
    GroupCommit(DataSource writes, int maxMembers, Duration waitLimit) {
        if (maxMembers < 1) {
            throw new IllegalArgumentException("a group commit needs room for one write at least");
        }
        this.writes = writes;
        this.maxMembers = maxMembers;
        this.waitLimit = waitLimit;
    }

    /** Commits made on the writer (tests: fewer than the writes when they queued). */
    long commits() {
        return commits.sum();
    }

    /** Writes queued for the writer now (tests). */
    int queued() {
        return writer.getQueueLength();
    }

    /** Runs {@code work} in a transaction, shared with the writes queued around it; returns once it is committed. */
    <T> T run(Jdbc.Work<T> work, boolean relaxed) throws SQLException {
        acquire();
        holder = Thread.currentThread();
        Group group;
        Outcome<T> outcome;
        try {
            group = join(relaxed);
            outcome = attempt(group, work);
            handOn(group);
        } finally {
            writer.unlock();
        }
        switch (outcome.failure()) {
            case null -> { }
            case SQLException e -> throw e;
            case RuntimeException e -> throw e;
            case Error e -> throw e;
            default -> throw new IllegalStateException(outcome.failure());
        }
        await(group);
        return outcome.result();
    }

    /** Queues for the writer; a write that cannot have it is refused as the database being busy. */
    private void acquire() throws SQLException {
        String reason;
        try {
            if (writer.tryLock(waitLimit.toNanos(), TimeUnit.NANOSECONDS)) {
                return;
            }
            reason = "waited " + waitLimit.toMillis() + " ms for the writer in vain";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            reason = "interrupted while waiting for the writer";
        }
        throw new SQLiteException(reason, SQLiteErrorCode.SQLITE_BUSY);
    }

    /** The open group this write can join, after committing one it cannot; a new one when none is open. */
    private Group join(boolean relaxed) throws SQLException {
        if (open != null && open.relaxed && !relaxed) {
            commitOpen();
        }
        if (open == null) {
            open = begin(relaxed);
        }
        return open;
    }

    private Group begin(boolean relaxed) throws SQLException {
        Connection c = writes.getConnection();
        try {
            if (relaxed) {
                Jdbc.execute(c, RELAXED.before());
            }
            Jdbc.execute(c, "BEGIN IMMEDIATE");
            return new Group(c, relaxed);
        } catch (SQLException | RuntimeException e) {
            close(c, relaxed, e);
            throw e;
        }
    }

    /** Runs the work inside its own savepoint; on failure, undoes just that, or ends the group SQLite ended. */
    private <T> Outcome<T> attempt(Group group, Jdbc.Work<T> work) {
        Connection c = group.connection;
        try {
            Jdbc.execute(c, "SAVEPOINT member");
            T result = work.run(c);
            Jdbc.execute(c, "RELEASE member");
            group.members++;
            return new Outcome<>(result, null);
        } catch (SQLException | RuntimeException | Error e) {
            try {
                Jdbc.execute(c, "ROLLBACK TO member");
                Jdbc.execute(c, "RELEASE member");
            } catch (SQLException gone) {
                e.addSuppressed(gone);
                fail(group, e);
            }
            return new Outcome<>(null, e);
        }
    }

    /** Leaves the group open for the next write in line, unless there is none or the group is full. */
    private void handOn(Group group) {
        if (open == group && !(writer.hasQueuedThreads() && group.members < maxMembers)) {
            commitOpen();
        }
    }

    private void commitOpen() {
        Group group = open;
        open = null;
        Connection c = group.connection;
        try {
            Jdbc.execute(c, "COMMIT");
            commits.increment();
            group.committed.complete(null);
            close(c, group.relaxed, null);
        } catch (SQLException | RuntimeException e) { // whatever it was, every write of the group hears of it
            group.committed.completeExceptionally(e);
            close(c, group.relaxed, e);
        }
    }

    /** SQLite rolled the whole transaction back: every write of the group fails, with the storage's reason. */
    private void fail(Group group, Throwable cause) {
        open = null;
        SQLException reason = cause instanceof SQLException e ? e
                : new SQLException("the transaction this write shared was rolled back", cause);
        group.committed.completeExceptionally(reason);
        close(group.connection, group.relaxed, reason);
    }

    /**
     * Waits for the group's commit. Should the write it was left open for have given up queueing, the group would
     * wait for nobody: then whoever of it gets the writer first commits it.
     */
    private void await(Group group) throws SQLException {
        boolean interrupted = false;
        long warnAt = System.nanoTime() + waitLimit.toNanos();
        boolean warned = false;
        try {
            while (true) {
                try {
                    group.committed.get(CHECK_NANOS, TimeUnit.NANOSECONDS);
                    return;
                } catch (TimeoutException e) {
                    commitIfLeft(group);
                    if (!warned && System.nanoTime() - warnAt >= 0) {
                        warnStuck();
                        warned = true;
                    }
                } catch (InterruptedException e) {
                    interrupted = true; // the outcome is not ours to abandon: it is being decided
                } catch (ExecutionException e) {
                    throw e.getCause() instanceof SQLException s ? s : new SQLException(e.getCause());
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** A write that waits this long for its group's commit is stuck behind another's work: say whose. */
    private void warnStuck() {
        Thread h = holder;
        LOG.warn("a write has waited {} ms for its group's commit; the writer is held by thread {}, whose work has not "
                + "ended (does it wait for a lock a writing thread holds?)", waitLimit.toMillis(),
                h == null ? "?" : h.getName() + " (" + h.threadId() + ")");
    }

    private void commitIfLeft(Group group) {
        if (writer.tryLock()) {
            try {
                if (open == group) {
                    commitOpen();
                }
            } finally {
                writer.unlock();
            }
        }
    }

    /**
     * Returns the connection to the pool at full sync. After a failure, a connection whose state is in doubt (a
     * ROLLBACK refused, or the sync level not restored) is evicted instead: its next user must find no transaction.
     */
    private void close(Connection c, boolean relaxed, Throwable failure) {
        try {
            if (failure != null) {
                Jdbc.rollback(writes, c, failure);
            }
            if (relaxed) {
                Jdbc.execute(c, RELAXED.after());
            }
        } catch (SQLException e) {
            Jdbc.evict(writes, c);
        }
        try {
            c.close();
        } catch (SQLException ignored) {
            // the pool replaces a connection it cannot take back
        }
    }
}
