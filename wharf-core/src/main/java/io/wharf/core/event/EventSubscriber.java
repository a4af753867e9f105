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
}
