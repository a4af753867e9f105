package io.wharf.core.memory;

import io.wharf.core.service.WriteRaceContract;
import io.wharf.core.spi.MetadataStore;

class InMemoryWriteRaceTest extends WriteRaceContract {
    @Override
    protected MetadataStore createStore() {
        return new InMemoryMetadataStore();
    }
}
