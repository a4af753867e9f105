package io.wharf.core.memory;

import io.wharf.core.spi.MetadataStore;
import io.wharf.core.spi.ReplicationIndexContract;

class InMemoryReplicationIndexTest extends ReplicationIndexContract {
    @Override
    protected MetadataStore createStore() {
        return new InMemoryMetadataStore();
    }
}
