package io.wharf.server.app;

import io.wharf.core.service.Registry;
import io.wharf.core.spi.MetadataStore;
import io.wharf.server.auth.Auth;

/**
 * The domain services with the storage they own, and the authentication over the same storage;
 * closing releases the storage (connection pools, file handles). Built by {@link Wiring} for a real
 * process, from in-memory stores in tests. {@code soleUser}: no other process uses the storage (see
 * {@link Storage#soleUser()}); a cluster node is not.
 */
public record Backend(Registry registry, MetadataStore metadata, Auth auth, boolean soleUser) implements AutoCloseable {

    /** A backend whose process is its storage's only user (tests, the single-node default). */
    public Backend(Registry registry, MetadataStore metadata, Auth auth) {
        this(registry, metadata, auth, true);
    }

    @Override
    public void close() {
        metadata.close();
    }
}
