package io.wharf.core.spi;

import io.wharf.core.event.StoredEvent;
import java.time.Instant;
import java.util.List;
import java.util.OptionalLong;

/** The event outbox as its dispatcher reads it: events in sequence order, a cursor per subscriber. */
public interface EventLog {

    /** Events with a sequence number above {@code sequence}, in order, at most {@code limit}. */
    List<StoredEvent> eventsAfter(long sequence, int limit);

    /** The highest sequence number in the outbox (0 when it is empty): where a new subscriber starts. */
    long lastSequence();

    /** The subscriber's stored cursor: the last sequence number it has handled. */
    OptionalLong cursor(String subscriber);

    /**
     * Moves the subscriber's cursor forward to {@code sequence} (creating it); false, changing nothing, when it already
     * is there or beyond: nodes sharing the outbox share each subscriber's cursor, which never moves back.
     */
    boolean saveCursor(String subscriber, long sequence);

    /**
     * Takes, or renews, {@code holder}'s hold on the subscriber's stored cursor until {@code until}: the dispatchers of
     * nodes sharing the outbox hand that subscriber its events only while they hold it, so that two nodes do not both
     * act on one batch (a webhook sent twice). Taken when nobody holds it, when the hold expired before {@code now}, or
     * when {@code holder} has it already; false, changing nothing, when another holds it or there is no such cursor.
     */
    boolean holdCursor(String subscriber, String holder, Instant now, Instant until);

    /** Ends {@code holder}'s hold on the subscriber's cursor, if it has it: another node may take it at once. */
    void releaseCursor(String subscriber, String holder);

    /** Deletes up to {@code limit} events written before {@code before} with a sequence number up to {@code upTo}. */
    int deleteEvents(Instant before, long upTo, int limit);

    /** Called after every commit that may have written events, so that a dispatcher can wake up. */
    void onEventsWritten(Runnable listener);
}
