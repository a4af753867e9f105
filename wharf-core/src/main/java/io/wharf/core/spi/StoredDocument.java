package io.wharf.core.spi;

import java.time.Instant;

/** A stored document: its text exactly as accepted, and when it was last written. */
public record StoredDocument(String text, Instant updatedAt) {
}
