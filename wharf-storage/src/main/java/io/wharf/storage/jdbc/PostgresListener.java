package io.wharf.storage.jdbc;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How a node hears of other nodes' commits: one connection of its own, outside the pool, that {@code LISTEN}s on
 * {@link #CHANNEL}. Every write transaction that changes what the read cache holds sends a notification before it
 * commits ({@link PostgresDialect#announce}); PostgreSQL delivers it only once the transaction commits. Each
 * notification bumps the cache's generation; one with payload {@link #IDENTITY} also moves {@link #identityVersion()}.
 *
 * <p>While the connection is lost — a terminated backend, a restarted server, a partition found by the heartbeat —
 * notifications are missed, so the cache is {@linkplain ReadCache#suspend() off} from the moment the loss is seen
 * until the connection is back and listening again.
 */
final class PostgresListener implements AutoCloseable {
    /** The channel every node listens on and every cache-invalidating write notifies. */
    static final String CHANNEL = "wharf_changes";
    /** Payload of a write that changed the metadata the read cache holds. */
    static final String METADATA = "metadata";
    /** Payload of a write that changed identities (users, access keys, policies). */
    static final String IDENTITY = "identity";
    /** How long one wait for notifications lasts; a heartbeat query follows waits that brought nothing. */
    static final Duration POLL = Duration.ofSeconds(2);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(5);
    private static final Logger LOG = LoggerFactory.getLogger(PostgresListener.class);

    @FunctionalInterface
    interface Connector {
        Connection connect() throws SQLException;
    }

    private final Connector connector;
    private final ReadCache cache;
    private final AtomicLong identity = new AtomicLong();
    private final Thread thread;
    private volatile boolean closed;
    private volatile Connection current;

    private PostgresListener(Connector connector, ReadCache cache) {
        this.connector = connector;
        this.cache = cache;
        this.thread = Thread.ofPlatform().daemon().name("wharf-postgres-listener").unstarted(this::run);
    }

    /** Starts listening in the background; the cache stays off until the first {@code LISTEN} succeeded. */
    static PostgresListener start(Connector connector, ReadCache cache) {
        PostgresListener listener = new PostgresListener(connector, cache);
        listener.thread.start();
        return listener;
    }

    /** Whether the listener is connected and listening, so the cache is on. */
    boolean listening() {
        return cache.live();
    }

    /**
     * Moves with every identity change any node commits; while not listening, it moves at every call (a change
     * may have gone unheard).
     */
    long identityVersion() {
        return listening() ? identity.get() : identity.incrementAndGet();
    }

    private void run() {
        Duration backoff = Duration.ofMillis(100);
        while (!closed) {
            try (Connection c = connector.connect()) {
                current = c;
                execute(c, "LISTEN " + CHANNEL);
                cache.resume();
                identity.incrementAndGet(); // whatever changed before LISTEN went unheard
                LOG.info("listening for other nodes' writes (read cache on)");
                backoff = Duration.ofMillis(100);
                listen(c);
            } catch (SQLException | RuntimeException e) {
                if (!closed) {
                    LOG.warn("lost the connection that hears other nodes' writes; read cache off until it is back: {}",
                            e.toString());
                }
            } finally {
                current = null;
                cache.suspend();
                identity.incrementAndGet();
            }
            backoff = pause(backoff);
        }
    }

    /** Until the connection fails: applies notifications, and proves the connection alive when none come. */
    private void listen(Connection c) throws SQLException {
        PGConnection pg = c.unwrap(PGConnection.class);
        while (!closed) {
            PGNotification[] received = pg.getNotifications((int) POLL.toMillis());
            if (received == null || received.length == 0) {
                execute(c, "SELECT 1"); // a silent peer: fails within the socket timeout
                continue;
            }
            for (PGNotification n : received) {
                if (IDENTITY.equals(n.getParameter())) {
                    identity.incrementAndGet();
                }
            }
            cache.othersCommitted(received.length);
        }
    }

    private Duration pause(Duration backoff) {
        if (closed) {
            return backoff;
        }
        try {
            Thread.sleep(backoff);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closed = true;
        }
        Duration next = backoff.multipliedBy(2);
        return next.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : next;
    }

    private static void execute(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    /** Stops listening: closes the connection (ending a wait at once) and waits for the thread. */
    @Override
    public void close() {
        closed = true;
        Connection c = current;
        if (c != null) {
            try {
                c.close();
            } catch (SQLException ignored) {
                // closing is all that is wanted
            }
        }
        thread.interrupt();
        try {
            thread.join(Duration.ofSeconds(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
