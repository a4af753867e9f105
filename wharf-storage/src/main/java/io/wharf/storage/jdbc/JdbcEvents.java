package io.wharf.storage.jdbc;

import io.wharf.core.event.EventCodec;
import io.wharf.core.event.RegistryEvent;
import io.wharf.core.event.StoredEvent;
import java.time.Instant;
import java.util.List;
import java.util.OptionalLong;

/** The {@code event_outbox} and {@code event_cursor} tables. */
final class JdbcEvents {
    private static final String INSERT = "INSERT INTO event_outbox (occurred_at, account, repository, type, payload)"
            + " VALUES (?, ?, ?, ?, ?)";
    private static final String AFTER = "SELECT sequence, occurred_at, payload FROM event_outbox"
            + " WHERE sequence > ? ORDER BY sequence LIMIT ?";
    private static final String DELETE = "DELETE FROM event_outbox WHERE sequence IN (SELECT sequence FROM event_outbox"
            + " WHERE sequence <= ? AND occurred_at < ? ORDER BY sequence LIMIT ?)";

    private static final String HOLD = "UPDATE event_cursor SET holder = ?, held_until = ? WHERE subscriber = ?"
            + " AND (holder IS NULL OR holder = ? OR held_until < ?)";
    private static final String RELEASE = "UPDATE event_cursor SET holder = NULL, held_until = NULL"
            + " WHERE subscriber = ? AND holder = ?";

    private final Jdbc jdbc;
    private final String upsertCursor;

    JdbcEvents(Jdbc jdbc, SqlDialect dialect) {
        this.jdbc = jdbc;
        this.upsertCursor = dialect.upsert("event_cursor", List.of("subscriber", "last_sequence", "updated_at"),
                List.of("subscriber"), List.of("last_sequence", "updated_at"))
                + " WHERE event_cursor.last_sequence < excluded.last_sequence"; // forward only: nodes share cursors
    }

    /**
     * Joins the caller's transaction when there is one (the normal case: a unit of work). Sequence numbers
     * must become visible in their order, or a reader past {@code sequence} would skip one committed late
     * with a lower number: so the transaction takes the outbox's lock before its number and keeps it until
     * it commits ({@link SqlDialect#lock}; SQLite's single writer commits in order anyway). Emitting events
     * last in a unit of work keeps that wait short.
     */
    void append(RegistryEvent event, Instant at) {
        jdbc.write("record an event", c -> {
            jdbc.lock(c, "event outbox");
            return Jdbc.update(c, INSERT, at, event.account(), event.repository(), event.type(), EventCodec.toJson(event));
        });
    }

    List<StoredEvent> after(long sequence, int limit) {
        return jdbc.read("read events", c -> Jdbc.query(c, AFTER, rs -> new StoredEvent(rs.getLong("sequence"),
                Jdbc.instant(rs, "occurred_at"), EventCodec.fromJson(rs.getString("payload"))), sequence, limit));
    }

    long last() {
        return jdbc.read("read the last event", c -> Jdbc.queryOne(c,
                "SELECT COALESCE(MAX(sequence), 0) AS last FROM event_outbox", rs -> rs.getLong("last")).orElse(0L));
    }

    OptionalLong cursor(String subscriber) {
        return jdbc.read("read an event cursor", c -> Jdbc.queryOne(c,
                "SELECT last_sequence FROM event_cursor WHERE subscriber = ?", rs -> rs.getLong("last_sequence"),
                subscriber)).map(OptionalLong::of).orElse(OptionalLong.empty());
    }

    boolean saveCursor(String subscriber, long sequence, Instant now) {
        return jdbc.writeRelaxed("save an event cursor", c -> Jdbc.update(c, upsertCursor, subscriber, sequence, now)) > 0;
    }

    /** Durable: a hold lost to a crash would let a second node hand out the subscriber's batches alongside. */
    boolean holdCursor(String subscriber, String holder, Instant now, Instant until) {
        return jdbc.writeUncached("hold an event cursor", c -> Jdbc.update(c, HOLD, holder, until, subscriber, holder, now)) > 0;
    }

    void releaseCursor(String subscriber, String holder) {
        jdbc.writeUncached("release an event cursor", c -> Jdbc.update(c, RELEASE, subscriber, holder));
    }

    int delete(Instant before, long upTo, int limit) {
        return jdbc.writeRelaxed("delete old events", c -> Jdbc.update(c, DELETE, upTo, before, limit));
    }
}
