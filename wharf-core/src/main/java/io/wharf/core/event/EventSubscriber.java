package io.wharf.core.event;

import java.util.List;

/**
 * Receives the outbox's events at least once, in sequence order, batch by batch. A batch whose
 * {@link #handle} throws is offered again (from the same place) at the next poll.
 */
public interface EventSubscriber {

    /** Names the stored cursor: keep it stable across releases. */
    String name();

    void handle(List<StoredEvent> batch) throws Exception;

    /**
     * Whether it is handed its batches on a thread of its own: for a subscriber that may block (on the network), so
     * that it does not hold up the others.
     */
    default boolean ownThread() {
        return false;
    }

    /**
     * How long, at least, its lane waits after a wake before a round, so that one round takes the events of that
     * moment (for a subscriber on its own thread whose every round costs writes of its own).
     */
    default long coalesceMillis() {
        return 0;
    }
}
