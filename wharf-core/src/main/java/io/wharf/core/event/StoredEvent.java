package io.wharf.core.event;

import java.time.Instant;

/** An event as the outbox holds it: its place in the global order and when it was written. */
public record StoredEvent(long sequence, Instant at, RegistryEvent event) {
}
