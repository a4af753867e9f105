package io.wharf.server.app;

import io.wharf.core.service.Registry;
import io.wharf.core.spi.MetadataStore;
import io.wharf.server.auth.Auth;

/**
 * The domain services with the storage they own, and the authentication over the same storage;
 * closing releases the storage (connection pools, file handles). Built by {@link Wiring} for a real
 * process, from in-memory stores in tests.
 */
public record Backend(Registry registry, MetadataStore metadata, Auth auth) implements AutoCloseable {

    @Override
    public void close() {
        metadata.close();
    }
}
