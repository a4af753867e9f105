package io.wharf.core.spi;

import io.wharf.core.event.RegistryEvent;
import java.time.Instant;

/**
 * The indexes a guarded write reads and changes, all bound to one transaction (see
 * {@link Transactions#inTransaction}): what it checks is what it writes against, and the events it
 * emits commit with it or not at all.
 */
public interface UnitOfWork extends RepositoryIndex, BlobIndex, ManifestIndex, TagIndex, ImageIndex, ResourceTagIndex {

    /** Appends the event to the outbox in this transaction; it gets the next sequence number. */
    void emit(RegistryEvent event, Instant at);
}
