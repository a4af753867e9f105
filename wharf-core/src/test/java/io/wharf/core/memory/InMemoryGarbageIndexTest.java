package io.wharf.core.memory;

import io.wharf.core.spi.GarbageIndexContract;
import io.wharf.core.spi.MetadataStore;

class InMemoryGarbageIndexTest extends GarbageIndexContract {

    @Override
    protected MetadataStore createStore() {
        return new InMemoryMetadataStore();
    }
}
